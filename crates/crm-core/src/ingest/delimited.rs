//! Delimited text (CSV, TSV, semicolon and pipe separated) into raw rows.
//! The delimiter is sniffed from the first lines; parsing uses the `csv`
//! crate with flexible row lengths. Every non-empty field is text: no value
//! is trimmed or interpreted here, and blank lines are kept as empty rows so
//! that row `i` is still spreadsheet row `i + 1` as Excel would show it.

use crate::model::Cell;

/// The delimiters [`sniff_delimiter`] chooses from, in order of preference on a tie.
pub const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// How many non-blank logical lines [`sniff_delimiter`] looks at.
const SNIFF_LINES: usize = 30;

/// Sniff the delimiter among `,` `;` tab `|` from the first lines.
///
/// For each of up to 30 non-blank logical lines (a quoted field may span
/// physical lines) the candidates are counted outside quotes; a quote opens a
/// quoted field only at the start of a line or right after a candidate or a
/// space, so a stray `"` inside a value does not derail the count. The
/// candidate whose most frequent non-zero count is shared by the most lines
/// wins; ties go to the larger count, then to the order `,` tab `;` `|`.
/// Text with no candidate at all is one column: `,` is returned. (A `.tsv`
/// extension is applied by the caller as a hint: see `ingest::read`.)
pub fn sniff_delimiter(text: &str) -> u8 {
    let counts = count_per_line(text);
    let mut best: Option<(usize, usize, u8)> = None; // (lines agreeing, count, delimiter)
    for (i, &d) in CANDIDATES.iter().enumerate() {
        let per_line: Vec<usize> = counts.iter().map(|c| c[i]).collect();
        let Some((mode, agreeing)) = mode_nonzero(&per_line) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((a, m, _)) => agreeing > a || (agreeing == a && mode > m),
        };
        if better {
            best = Some((agreeing, mode, d));
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

/// Counts each candidate outside quotes, per logical line, for the first lines.
fn count_per_line(text: &str) -> Vec<[usize; 4]> {
    let mut lines = Vec::new();
    let mut cur = [0usize; 4];
    let mut blank = true;
    let mut in_quotes = false;
    let mut prev: Option<u8> = None; // previous byte outside quotes (None = line start)
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && lines.len() < SNIFF_LINES {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
            blank = false;
        } else {
            match b {
                b'\n' | b'\r' => {
                    if !blank {
                        lines.push(cur);
                    }
                    cur = [0; 4];
                    blank = true;
                    prev = None;
                    i += 1;
                    continue;
                }
                b'"' if prev.is_none_or(|p| p == b' ' || CANDIDATES.contains(&p)) => {
                    in_quotes = true;
                }
                _ => {
                    if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                        cur[k] += 1;
                    }
                }
            }
            if !b.is_ascii_whitespace() || b == b'\t' {
                blank = false;
            }
            prev = Some(b);
        }
        i += 1;
    }
    if !blank && lines.len() < SNIFF_LINES {
        lines.push(cur);
    }
    lines
}

/// The most frequent non-zero value and how many entries have it (largest value on a tie).
fn mode_nonzero(values: &[usize]) -> Option<(usize, usize)> {
    let mut sorted: Vec<usize> = values.iter().copied().filter(|&v| v > 0).collect();
    sorted.sort_unstable();
    let mut best: Option<(usize, usize)> = None;
    for chunk in sorted.chunk_by(|a, b| a == b) {
        let (v, n) = (chunk[0], chunk.len());
        if best.is_none_or(|(bv, bn)| n > bn || (n == bn && v > bv)) {
            best = Some((v, n));
        }
    }
    best
}

/// Counts the blank lines the `csv` crate skipped before a record that it
/// started reading at byte `start` (just after the previous record's
/// terminator, which may have been the `\r` of a `\r\n`).
fn blank_lines_at(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    if i > 0 && bytes.get(i - 1) == Some(&b'\r') && bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut blanks = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => i += 1,
            b'\r' => {
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => break,
        }
        blanks += 1;
    }
    blanks
}

/// Parse delimited text into rows of [`Cell::Text`] / [`Cell::Empty`].
///
/// Nothing is trimmed; an empty field is `Cell::Empty`. Rows keep their own
/// lengths (flexible). Quotes follow RFC 4180 (`""` inside quotes is a
/// quote; a quoted field may hold delimiters and line breaks). Blank lines,
/// which the `csv` crate skips, are put back as empty rows (`Vec::new()`) so
/// row indexes match the line a user sees in Excel. Malformed quoting never
/// panics: an unterminated quote runs to the end of the text, as in Excel.
/// No limit applies: see [`parse_delimited_within`] for the bounded form
/// that `read_file` uses.
pub fn parse_delimited(text: &str, delimiter: u8) -> Vec<Vec<Cell>> {
    let unlimited = DelimitedLimits {
        max_cells: usize::MAX,
        max_columns: usize::MAX,
        max_cell_chars: usize::MAX,
    };
    parse_delimited_within(text, delimiter, &unlimited).unwrap_or_default()
}

/// The limits of [`parse_delimited_within`] (taken from `ReadOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelimitedLimits {
    /// Most cells, counting one slot per row (a blank line too), like a
    /// workbook sheet's budget.
    pub max_cells: usize,
    /// Most fields in one row.
    pub max_columns: usize,
    /// Longer fields are cut to this many characters and end with
    /// [`super::read::TRUNCATION_MARK`].
    pub max_cell_chars: usize,
}

/// Why [`parse_delimited_within`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelimitedOverflow {
    /// More than [`DelimitedLimits::max_cells`] cells.
    Cells,
    /// A row (1-based, as Excel numbers it) with more than
    /// [`DelimitedLimits::max_columns`] fields.
    Columns {
        /// The 1-based row number.
        row: usize,
    },
}

/// [`parse_delimited`] within limits, checked while parsing so that memory
/// stays bounded whatever the text (a file of commas or of blank lines would
/// otherwise become billions of cells): too many cells or a row with too
/// many fields stops with a [`DelimitedOverflow`]; a field longer than
/// `max_cell_chars` is cut there and marked, without being copied whole.
pub fn parse_delimited_within(
    text: &str,
    delimiter: u8,
    limits: &DelimitedLimits,
) -> Result<Vec<Vec<Cell>>, DelimitedOverflow> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut used: usize = 0;
    let mut charge = |n: usize| {
        used = used.saturating_add(n);
        if used > limits.max_cells {
            Err(DelimitedOverflow::Cells)
        } else {
            Ok(())
        }
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // Input is a `&str`, so UTF-8 errors cannot happen; stop on anything else.
            Err(_) => break,
        }
        if let Some(pos) = record.position() {
            let start = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
            for _ in 0..blank_lines_at(bytes, start) {
                charge(1)?;
                rows.push(Vec::new());
            }
        }
        if record.len() > limits.max_columns {
            return Err(DelimitedOverflow::Columns {
                row: rows.len() + 1,
            });
        }
        charge(1 + record.len())?;
        rows.push(
            record
                .iter()
                .map(|f| {
                    if f.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(cut_field(f, limits.max_cell_chars))
                    }
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// A field as owned text, cut to `max` characters plus the truncation mark
/// when longer (the same rule as `ingest::read` applies to workbook cells).
fn cut_field(f: &str, max: usize) -> String {
    // Byte length bounds the character count: most fields skip the count.
    if f.len() > max {
        if let Some((cut, _)) = f.char_indices().nth(max) {
            let mut s = String::with_capacity(cut + super::read::TRUNCATION_MARK.len());
            s.push_str(&f[..cut]);
            s.push_str(super::read::TRUNCATION_MARK);
            return s;
        }
    }
    f.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(Cell::display).collect())
            .collect()
    }

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter("\"x;y;z\",b\n\"1;2\",2\n"), b',');
        assert_eq!(sniff_delimiter("just one column\nsecond"), b',');
        assert_eq!(sniff_delimiter(""), b',');
        assert_eq!(
            sniff_delimiter("a;b\n\"multi\nline, with; stuff\";x\n"),
            b';'
        );
    }

    #[test]
    fn blank_lines_are_kept() {
        let rows = parse_delimited("a,b\n\n\"x\ny\",2\r\n\r\nc,\n", b',');
        assert_eq!(
            texts(&rows),
            vec![
                vec!["a", "b"],
                vec![],
                vec!["x\ny", "2"],
                vec![],
                vec!["c", ""],
            ]
        );
        assert_eq!(rows[4][1], Cell::Empty);
    }

    #[test]
    fn malformed_quotes_do_not_panic() {
        let rows = parse_delimited("a,\"b\nc,d", b',');
        assert_eq!(rows.len(), 1);
        let rows = parse_delimited("a,b\"c\"d,e\n", b',');
        assert_eq!(rows[0].len(), 3);
        assert!(parse_delimited("", b',').is_empty());
    }

    #[test]
    fn limits_stop_parsing() {
        let limits = DelimitedLimits {
            max_cells: 10,
            max_columns: 3,
            max_cell_chars: 2,
        };
        let rows = parse_delimited_within("abc,d\n\nx\n", b',', &limits).expect("within");
        assert_eq!(
            texts(&rows),
            vec![
                vec![
                    format!("ab{}", super::super::read::TRUNCATION_MARK),
                    "d".into()
                ],
                vec![],
                vec!["x".into()]
            ]
        );
        assert_eq!(
            parse_delimited_within("a\nb,c,d,e\n", b',', &limits),
            Err(DelimitedOverflow::Columns { row: 2 })
        );
        assert_eq!(
            parse_delimited_within(&format!("{}x", "\n".repeat(20)), b',', &limits),
            Err(DelimitedOverflow::Cells)
        );
        assert_eq!(
            parse_delimited_within("a,b,c\n".repeat(5).as_str(), b',', &limits),
            Err(DelimitedOverflow::Cells)
        );
    }
}
