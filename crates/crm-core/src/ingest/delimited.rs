//! Delimited text (CSV, TSV, semicolon and pipe separated) into raw rows.
//! The delimiter is sniffed from the first lines; parsing uses the `csv`
//! crate with flexible row lengths. Every non-empty field is text: no value
//! is trimmed or interpreted here, and blank lines are kept as empty rows so
//! that row `i` is still spreadsheet row `i + 1` as Excel would show it.

use std::borrow::Cow;

use super::encoding::FileText;
use super::gb_pairs;
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

/// [`sniff_delimiter`] over bytes in `enc`, decoding only as much of
/// them as holds the lines looked at: a prefix twice as long each time
/// until it holds them all or is the whole text.
pub fn sniff_delimiter_decoding(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> u8 {
    let mut len = 64 * 1024;
    loop {
        let prefix = bytes.get(..len).unwrap_or(bytes);
        let text = enc.decode_without_bom_handling(prefix).0;
        // Lines are counted when their break is seen: with all of them
        // within the prefix, a cut character at its end changes nothing.
        if prefix.len() == bytes.len() || count_per_line(&text).len() >= SNIFF_LINES {
            return sniff_delimiter(&text);
        }
        len = len.saturating_mul(2);
    }
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
    let mut rows = Vec::new();
    let mut budget = CellBudget::new(limits);
    for row in RowParser::new(text.as_bytes(), Decoding::Utf8, 0, 0, delimiter, limits) {
        let row = row?;
        budget.charge(&row)?;
        rows.push(row);
    }
    Ok(rows)
}

/// Rows between the checkpoints a pass over [`PendingRows`] may start at:
/// the size of a [`PendingRun`], small enough that a few thousand rows
/// already keep every core busy.
const CHECKPOINT_ROWS: usize = 4096;

/// Rows held as cells at the head of a delimited sheet read by
/// [`split_delimited_within`]: enough for header detection
/// (`ingest::header::HEADER_SEARCH_ROWS` non-blank rows) with room to spare.
pub const HEAD_NONBLANK_ROWS: usize = 100;

/// [`parse_delimited_within`] for big files: only the head of the sheet is
/// parsed into cells (at least [`HEAD_NONBLANK_ROWS`] non-blank rows, or all
/// of it); the rest is kept as [`PendingRows`], parsed again on each pass
/// over it, so the cells of a large file are never all held at once. The
/// rest is still checked against the limits here (counted, not kept), so a
/// file over them is refused before any row is used.
pub fn split_delimited_within(
    text: FileText,
    delimiter: u8,
    limits: &DelimitedLimits,
) -> Result<SplitSheet, DelimitedOverflow> {
    let mut head = Vec::new();
    let mut budget = CellBudget::new(limits);
    let mut nonblank = 0;
    let (bytes, decoding) = parts_of(&text);
    let mut parser = RowParser::new(bytes, decoding, 0, 0, delimiter, limits);
    for row in parser.by_ref() {
        let row = row?;
        budget.charge(&row)?;
        if !row.iter().all(Cell::is_blank) {
            nonblank += 1;
        }
        head.push(row);
        if nonblank >= HEAD_NONBLANK_ROWS {
            break;
        }
    }
    let Some(start) = parser.resume_at() else {
        let unclosed = parser.unclosed_quote(delimiter);
        return Ok(SplitSheet {
            head,
            pending: None,
            unclosed,
        });
    };
    let first_row = head.len();
    // Count (without keeping) the cells of the rest, for the limits.
    let counted = count_rows(
        bytes,
        decoding,
        (start, first_row),
        delimiter,
        limits,
        &mut budget,
        COUNT_STEPS,
    )?;
    let Counted {
        rows,
        checkpoints,
        unclosed,
    } = counted;
    if rows == 0 {
        return Ok(SplitSheet {
            head,
            pending: None,
            unclosed,
        });
    }
    let pending = PendingRows {
        text: std::sync::Arc::new(text),
        start,
        checkpoints,
        first_row,
        rows,
        delimiter,
        limits: *limits,
    };
    Ok(SplitSheet {
        head,
        pending: Some(pending),
        unclosed,
    })
}

/// How often the count pass notes a checkpoint, and at most how many rows
/// it reads with the `csv` parser once a line needs it before it looks
/// for lines it can count alone again (so that in a file of many quoted
/// line breaks the parser is moved every few hundred rows, not every row).
#[derive(Clone, Copy)]
struct CountSteps {
    checkpoint_every: usize,
    slow_rows: usize,
}

/// Lines counted alone between two that need the parser, fewer than
/// which the parser is given twice as many rows as the time before.
const FEW_LINES_ALONE: usize = 16;

/// The steps of every count pass.
const COUNT_STEPS: CountSteps = CountSteps {
    checkpoint_every: CHECKPOINT_ROWS,
    slow_rows: 256,
};

/// The width of the record that is the whole of `line` (cut before its
/// line feed and the carriage return before that), reading quotes as the
/// `csv` crate reads them (RFC 4180: a quote opens a field only at its
/// start, `""` inside is a quote); `None` when a quoted field goes on past
/// the line or a carriage return outside quotes ends the record early.
fn line_width(line: &[u8], delimiter: u8) -> Option<usize> {
    if memchr::memchr2(b'"', b'\r', line).is_none() {
        return Some(1 + line.iter().filter(|&&b| b == delimiter).count());
    }
    let (mut width, mut field_start, mut quoted) = (1, true, false);
    let mut i = 0;
    while let Some(&b) = line.get(i) {
        if quoted {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && field_start {
            quoted = true;
        } else if b == delimiter {
            width += 1;
        } else if b == b'\r' {
            return None;
        }
        field_start = b == delimiter;
        i += 1;
    }
    (!quoted).then_some(width)
}

/// What the count pass finds in the rows after a sheet's head.
#[derive(Debug, PartialEq)]
struct Counted {
    /// How many rows there are (blank lines included).
    rows: usize,
    /// Where a pass may start ([`PendingRows::checkpoints`]).
    checkpoints: Vec<(usize, usize)>,
    /// A quote the last row opened and the text ended in.
    unclosed: Option<UnclosedQuote>,
}

/// Counts the rows of `bytes` from a byte offset and its 0-based row
/// (`from`), as [`RowParser::next_width`] gives them, charging each to
/// `budget` and noting where a pass may start after about every
/// `steps.checkpoint_every` rows. A line ended by a line feed that holds
/// a whole record ([`line_width`]) is counted without the `csv` parser.
/// At the first other line (a quoted line break, a lone carriage return,
/// the text's last line) the parser takes over for a row, or for more (up
/// to `steps.slow_rows`) where such lines come close together.
fn count_rows(
    bytes: &[u8],
    decoding: Decoding,
    from: (usize, usize),
    delimiter: u8,
    limits: &DelimitedLimits,
    budget: &mut CellBudget,
    steps: CountSteps,
) -> Result<Counted, DelimitedOverflow> {
    let every = steps.checkpoint_every;
    let (mut at, first_row) = from;
    let mut rows = 0;
    let mut checkpoints = Vec::new();
    // Rows for the parser at the next line that needs it: one, unless the
    // lines counted alone before it were few (then twice as many as last
    // time). One parser is made, when first needed, and moved to each.
    let mut slow_rows = 1;
    let mut slow: Option<RowParser<'_>> = None;
    loop {
        // Blank lines count as rows only before a record (the parser
        // skips them and gives them back when it reads one); the parser
        // takes over from the first of them, just after the last record.
        let (mut blank_from, mut blank_lines) = (at, 0);
        let mut alone = 0;
        let slow_from = loop {
            let rest = bytes.get(at..).unwrap_or_default();
            let Some(end) = memchr::memchr(b'\n', rest) else {
                break blank_from;
            };
            let line = &rest[..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                blank_lines += 1;
                at += end + 1;
                continue;
            }
            let Some(width) = line_width(line, delimiter) else {
                break blank_from;
            };
            if width > limits.max_columns {
                return Err(DelimitedOverflow::Columns {
                    row: first_row + rows + blank_lines + 1,
                });
            }
            for _ in 0..blank_lines {
                budget.charge_width(0)?;
            }
            budget.charge_width(width)?;
            // The blank rows are read with their record: no pass starts
            // between them.
            rows += blank_lines + 1;
            alone += 1;
            at += end + 1;
            (blank_from, blank_lines) = (at, 0);
            if rows % every == 0 && at < bytes.len() {
                checkpoints.push((at, first_row + rows));
            }
        };
        let parser = match slow.as_mut() {
            Some(parser) => {
                parser.restart_at(slow_from, first_row + rows);
                parser
            }
            None => slow.insert(RowParser::new(
                bytes,
                decoding,
                slow_from,
                first_row + rows,
                delimiter,
                limits,
            )),
        };
        slow_rows = if alone < FEW_LINES_ALONE {
            (slow_rows * 2).min(steps.slow_rows)
        } else {
            1
        };
        let mut left = slow_rows;
        loop {
            let Some(width) = parser.next_width() else {
                return Ok(Counted {
                    rows,
                    checkpoints,
                    unclosed: parser.unclosed_quote(delimiter),
                });
            };
            budget.charge_width(width?)?;
            rows += 1;
            let resume = parser.resume_at();
            if rows % every == 0 {
                if let Some(resume) = resume {
                    checkpoints.push((resume, first_row + rows));
                }
            }
            left = left.saturating_sub(1);
            if let Some(resume) = resume.filter(|_| left == 0) {
                at = resume;
                break;
            }
        }
    }
}

/// A delimited sheet as [`split_delimited_within`] reads it.
pub struct SplitSheet {
    /// The first rows, as cells.
    pub head: Vec<Vec<Cell>>,
    /// The rest, parsed on each pass.
    pub pending: Option<PendingRows>,
    /// A quote the last row opened and the text ended in.
    pub unclosed: Option<UnclosedQuote>,
}

/// The cells charged so far against [`DelimitedLimits::max_cells`]: one
/// slot per row (a blank line too) plus its fields.
struct CellBudget {
    used: usize,
    max: usize,
}

impl CellBudget {
    fn new(limits: &DelimitedLimits) -> CellBudget {
        CellBudget {
            used: 0,
            max: limits.max_cells,
        }
    }

    fn charge(&mut self, row: &[Cell]) -> Result<(), DelimitedOverflow> {
        self.charge_width(row.len())
    }

    fn charge_width(&mut self, width: usize) -> Result<(), DelimitedOverflow> {
        self.used = self.used.saturating_add(1 + width);
        if self.used > self.max {
            Err(DelimitedOverflow::Cells)
        } else {
            Ok(())
        }
    }
}

/// The rows of a delimited sheet after its head, kept as the file's text
/// (or its GBK bytes) and parsed on each pass ([`PendingRows::rows`]). Made
/// by [`split_delimited_within`], which has checked them against the limits.
#[derive(Clone)]
pub struct PendingRows {
    /// The text of the whole file.
    text: std::sync::Arc<FileText>,
    /// Byte offset of the first pending row in `text`.
    start: usize,
    /// Byte offsets in `text` where a row starts, with that row's 0-based
    /// index in the sheet, about every [`CHECKPOINT_ROWS`] rows: a pass may
    /// start at any of them.
    checkpoints: Vec<(usize, usize)>,
    /// 0-based index of the first pending row in the sheet.
    first_row: usize,
    /// How many rows are pending (blank lines included).
    rows: usize,
    delimiter: u8,
    limits: DelimitedLimits,
}

impl std::fmt::Debug for PendingRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingRows")
            .field("first_row", &self.first_row)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl PendingRows {
    /// The pending rows, each with its 0-based index in the sheet, parsed
    /// as [`parse_delimited_within`] would have.
    pub fn rows(&self) -> impl Iterator<Item = (usize, Vec<Cell>)> + '_ {
        let (bytes, decoding) = parts_of(&self.text);
        let parser = RowParser::new(
            bytes,
            decoding,
            self.start,
            self.first_row,
            self.delimiter,
            &self.limits,
        );
        // The limits were checked when the rows were counted.
        (self.first_row..).zip(parser.map_while(Result::ok))
    }

    /// The pending rows cut at every checkpoint into runs that parse on
    /// their own, in row order: together they give what
    /// [`PendingRows::rows`] gives, and each can go to its own thread.
    pub fn runs(&self) -> Vec<PendingRun<'_>> {
        let text_end = parts_of(&self.text).0.len();
        let mut starts = vec![(self.start, self.first_row)];
        starts.extend(self.checkpoints.iter().copied());
        let ends = starts
            .iter()
            .skip(1)
            .copied()
            .chain([(text_end, self.first_row + self.rows)]);
        starts
            .iter()
            .zip(ends)
            .map(|(&(start, first_row), (end, next_row))| PendingRun {
                pending: self,
                start,
                end,
                first_row,
                rows: next_row - first_row,
            })
            .collect()
    }

    /// How many rows are pending (blank lines included).
    pub fn len(&self) -> usize {
        self.rows
    }

    /// True when no row is pending.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// Consecutive pending rows between two checkpoints ([`PendingRows::runs`]).
pub struct PendingRun<'a> {
    pending: &'a PendingRows,
    /// Byte offsets of the run's first row and of the end of its last.
    start: usize,
    end: usize,
    /// 0-based index of the run's first row in the sheet.
    first_row: usize,
    /// How many rows the run holds (blank lines included).
    rows: usize,
}

impl PendingRun<'_> {
    /// Runs `each` on the run's rows, each with its 0-based index in the
    /// sheet, parsed as [`PendingRows::rows`] parses them; one row buffer
    /// (and its cells' text buffers) is reused throughout.
    pub fn for_each_row(&self, each: impl FnMut(usize, &[Cell])) {
        self.parser().for_each_row(self.first_row, each);
    }

    fn parser(&self) -> RowParser<'_> {
        let (bytes, decoding) = parts_of(&self.pending.text);
        let bytes = bytes.get(..self.end).unwrap_or(bytes);
        RowParser::new(
            bytes,
            decoding,
            self.start,
            self.first_row,
            self.pending.delimiter,
            &self.pending.limits,
        )
    }

    /// How many rows the run holds (blank lines included).
    pub fn len(&self) -> usize {
        self.rows
    }

    /// How many bytes of the file the run's rows take.
    pub fn bytes(&self) -> usize {
        self.end - self.start
    }

    /// True when the run holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// The `csv` reader every pass uses: no header row, rows of any length.
fn csv_reader<R: std::io::Read>(input: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input)
}

/// The bytes of a [`FileText`] and how its fields become text.
fn parts_of(text: &FileText) -> (&[u8], Decoding) {
    match text {
        FileText::Decoded(s) => (s.as_bytes(), Decoding::Utf8),
        FileText::Utf8(bytes, start) => (&bytes[*start..], Decoding::Utf8),
        FileText::Gb(bytes, enc) => (bytes, Decoding::Gb(enc)),
    }
}

/// How the fields of the parsed bytes become text.
#[derive(Clone, Copy)]
enum Decoding {
    /// The bytes are UTF-8 text, split at ASCII bytes: fields are valid.
    Utf8,
    /// GBK / GB18030 bytes ([`FileText::Gb`]): each field is decoded.
    Gb(&'static encoding_rs::Encoding),
}

impl Decoding {
    /// The text of a field (borrowed unless it had to be decoded).
    fn text(self, field: &[u8]) -> Cow<'_, str> {
        match self {
            Decoding::Utf8 => String::from_utf8_lossy(field),
            Decoding::Gb(enc) => enc.decode_without_bom_handling(field).0,
        }
    }

    /// Appends the text of a field to `out`, decoding straight into it.
    fn append(self, field: &[u8], out: &mut String) {
        let Decoding::Gb(enc) = self else {
            // Checked once: a valid field is copied as it is.
            match std::str::from_utf8(field) {
                Ok(text) => out.push_str(text),
                Err(_) => out.push_str(&String::from_utf8_lossy(field)),
            }
            return;
        };
        // A field of bytes below 0x80 holds no GBK / GB18030 lead byte, so
        // it is ASCII text as it is: dates, numbers, codes and phones are
        // copied without a decoder.
        if field.is_ascii() {
            out.push_str(std::str::from_utf8(field).unwrap_or_default());
            return;
        }
        if gb_pairs::decodes(enc) && gb_pairs::append(field, out) {
            return;
        }
        let mut decoder = enc.new_decoder_without_bom_handling();
        if let Some(room) = decoder.max_utf8_buffer_length(field.len()) {
            let at = out.len();
            out.reserve(room);
            // With that room the whole field is decoded in one call.
            let (result, _, _) = decoder.decode_to_string(field, out, true);
            if result == encoding_rs::CoderResult::InputEmpty {
                return;
            }
            out.truncate(at);
        }
        out.push_str(&self.text(field));
    }
}

/// Parses delimited text from a byte offset into rows of cells, putting
/// back the blank lines the `csv` crate skips as empty rows. Positions
/// are byte offsets in the whole text.
struct RowParser<'a> {
    /// A reader of the whole text, moved to where parsing starts.
    reader: csv::Reader<std::io::Cursor<&'a [u8]>>,
    /// The whole text.
    bytes: &'a [u8],
    /// How fields become text.
    decoding: Decoding,
    bytes_record: csv::ByteRecord,
    /// Blank rows still to give before `held`.
    blanks: usize,
    /// A parsed row waiting behind blank rows.
    held: Option<Vec<Cell>>,
    /// The width of a counted row waiting behind blank rows.
    held_width: Option<usize>,
    limits: DelimitedLimits,
    /// 0-based index of the next row given.
    next_row: usize,
    done: bool,
    /// Text buffers of cells that became empty, for the next cells with
    /// text (a column often alternates between empty and not).
    spare: Vec<String>,
    /// Where the last record read starts in `bytes`, and its 0-based row.
    last_record: Option<(usize, usize)>,
    delimiter: u8,
    /// True when rows that are whole lines are split without the `csv`
    /// reader ([`whole_line`]); false reads every row with it.
    split_lines: bool,
    /// Where the next row starts while rows are split from whole lines
    /// (the `csv` reader is then behind); `None` while it reads them.
    line_at: Option<usize>,
    /// Rows the `csv` reader still reads before lines are split again.
    csv_left: usize,
    /// Rows it was given the last time a line needed it.
    csv_rows: usize,
    /// Lines split since the `csv` reader last took over.
    lines_split: usize,
}

/// Most rows the `csv` reader is given at once where lines that need it
/// come close together (a file whose every line quotes a field): moving
/// it to a new place drops what it has read ahead.
const CSV_ROWS_AT_MOST: usize = 256;

impl<'a> RowParser<'a> {
    fn new(
        text: &'a [u8],
        decoding: Decoding,
        start: usize,
        first_row: usize,
        delimiter: u8,
        limits: &DelimitedLimits,
    ) -> RowParser<'a> {
        let mut parser = RowParser {
            reader: csv_reader(std::io::Cursor::new(text), delimiter),
            bytes: text,
            decoding,
            bytes_record: csv::ByteRecord::new(),
            blanks: 0,
            held: None,
            held_width: None,
            limits: *limits,
            next_row: first_row,
            done: false,
            spare: Vec::new(),
            last_record: None,
            delimiter,
            split_lines: true,
            line_at: None,
            csv_left: 0,
            csv_rows: 1,
            lines_split: 0,
        };
        parser.restart_at(start, first_row);
        parser
    }

    /// Moves the parser to byte `start`, where 0-based row `row` begins (a
    /// place [`RowParser::resume_at`] gave), as a new parser would start
    /// there; one reader serves many starts (making one takes long).
    fn restart_at(&mut self, start: usize, row: usize) {
        let start = start.min(self.bytes.len());
        let mut position = csv::Position::new();
        position.set_byte(start as u64);
        let moved = self
            .reader
            .seek_raw(std::io::SeekFrom::Start(start as u64), position);
        self.blanks = 0;
        self.held = None;
        self.held_width = None;
        self.next_row = row;
        self.done = moved.is_err();
        self.last_record = None;
        self.line_at = None;
        self.csv_left = 0;
    }

    /// Moves the `csv` reader to byte `at`, where the lines split so far
    /// end, for the row there and as many after it as make
    /// [`RowParser::csv_rows`] (twice as many as the last time, up to
    /// [`CSV_ROWS_AT_MOST`], when the lines split since it last took over
    /// were few; else one).
    fn hand_to_csv(&mut self, at: usize) {
        let mut position = csv::Position::new();
        position.set_byte(at as u64);
        let moved = self
            .reader
            .seek_raw(std::io::SeekFrom::Start(at as u64), position);
        self.done = moved.is_err();
        self.line_at = None;
        self.csv_rows = if self.lines_split < FEW_LINES_ALONE {
            (self.csv_rows * 2).min(CSV_ROWS_AT_MOST)
        } else {
            1
        };
        self.csv_left = self.csv_rows;
        self.lines_split = 0;
    }

    /// Notes the record just read, at 0-based row `row`.
    fn saw_record(&mut self, row: usize) {
        let start = self.bytes_record.position().map(|p| p.byte());
        self.last_record = start
            .and_then(|at| usize::try_from(at).ok())
            .map(|at| (at, row));
    }

    /// Once the parser is done: the quote that the last record opened and
    /// the text ended in, when it took in whole lines after it.
    fn unclosed_quote(&self, delimiter: u8) -> Option<UnclosedQuote> {
        let (at, row) = self.last_record.filter(|_| self.done)?;
        // A record's position is before the blank lines it follows.
        let rest = self.bytes.get(at..)?;
        let blank = rest.iter().take_while(|&&b| b == b'\n' || b == b'\r');
        let lines = swallowed_lines(&rest[blank.count()..], delimiter)?;
        Some(UnclosedQuote {
            row: row + 1,
            lines,
        })
    }

    /// Where a new parser would go on after the rows given so far, as an
    /// offset in the whole text; `None` at the end of the text.
    fn resume_at(&self) -> Option<usize> {
        if let Some(at) = self.line_at {
            return (at < self.bytes.len()).then_some(at);
        }
        // A record held behind blank rows (as cells or as a width) is
        // read already: a parser resuming after it would skip it.
        if self.done || self.blanks > 0 || self.held.is_some() || self.held_width.is_some() {
            return None;
        }
        let mut at = usize::try_from(self.reader.position().byte()).ok()?;
        // A `\r\n` terminator split after its `\r` is no blank line.
        if at > 0 && self.bytes.get(at - 1) == Some(&b'\r') && self.bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
        (at < self.bytes.len()).then_some(at)
    }

    /// Blank lines skipped before the record just read.
    fn blanks_before(&self, position: Option<&csv::Position>) -> usize {
        position.map_or(0, |pos| {
            let start = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
            blank_lines_at(self.bytes, start)
        })
    }

    /// The width of the next row without keeping its cells (a blank row is
    /// 0 wide); `None` at the end.
    fn next_width(&mut self) -> Option<Result<usize, DelimitedOverflow>> {
        if self.blanks > 0 {
            self.blanks -= 1;
            return Some(Ok(0));
        }
        if let Some(width) = self.held_width.take() {
            return Some(Ok(width));
        }
        if self.done
            || !matches!(
                self.reader.read_byte_record(&mut self.bytes_record),
                Ok(true)
            )
        {
            self.done = true;
            return None;
        }
        let blanks = self.blanks_before(self.bytes_record.position());
        let width = self.bytes_record.len();
        self.next_row += blanks;
        self.saw_record(self.next_row);
        if width > self.limits.max_columns {
            self.done = true;
            return Some(Err(DelimitedOverflow::Columns {
                row: self.next_row + 1,
            }));
        }
        self.next_row += 1;
        if blanks > 0 {
            self.blanks = blanks - 1;
            self.held_width = Some(width);
            return Some(Ok(0));
        }
        Some(Ok(width))
    }
}

impl RowParser<'_> {
    /// The next row into `row`, whose cells' text buffers are reused (a
    /// blank row leaves it empty); `None` at the end.
    fn next_into(&mut self, row: &mut Vec<Cell>) -> Option<Result<(), DelimitedOverflow>> {
        if self.blanks > 0 {
            self.blanks -= 1;
            self.recycle(row, 0);
            return Some(Ok(()));
        }
        if let Some(held) = self.held.take() {
            self.recycle(row, 0);
            *row = held;
            return Some(Ok(()));
        }
        if self.split_lines && self.line_at.is_none() && self.csv_left == 0 {
            self.line_at = self.resume_at();
        }
        if let Some(at) = self.line_at {
            if let Some(line) = whole_line(self.bytes, at) {
                return Some(self.split_line(at, line, row));
            }
            if at >= self.bytes.len() {
                self.done = true;
                return None;
            }
            self.hand_to_csv(at);
        }
        self.csv_left = self.csv_left.saturating_sub(1);
        // Byte records: no UTF-8 errors; stop on anything else.
        if self.done
            || !matches!(
                self.reader.read_byte_record(&mut self.bytes_record),
                Ok(true)
            )
        {
            self.done = true;
            return None;
        }
        let blanks = self.blanks_before(self.bytes_record.position());
        self.next_row += blanks;
        self.saw_record(self.next_row);
        if self.bytes_record.len() > self.limits.max_columns {
            self.done = true;
            return Some(Err(DelimitedOverflow::Columns {
                row: self.next_row + 1,
            }));
        }
        self.next_row += 1;
        if blanks > 0 {
            self.blanks = blanks - 1;
            let mut held = Vec::new();
            self.fill(&mut held);
            self.held = Some(held);
            row.clear();
            return Some(Ok(()));
        }
        self.fill(row);
        Some(Ok(()))
    }

    /// Makes `row` the cells of the record just read, reusing the text
    /// buffers of the cells it held.
    fn fill(&mut self, row: &mut Vec<Cell>) {
        let fields = self.bytes_record.iter();
        let cells = TextCells {
            decoding: self.decoding,
            max_chars: self.limits.max_cell_chars,
            spare: &mut self.spare,
        };
        cells.fill(row, fields, self.bytes_record.len());
    }

    /// Makes `row` the cells of `line`, the whole line at byte `at` (a
    /// record as the `csv` reader would read it, see [`whole_line`]).
    fn split_line(
        &mut self,
        at: usize,
        line: &[u8],
        row: &mut Vec<Cell>,
    ) -> Result<(), DelimitedOverflow> {
        let delimiter = self.delimiter;
        self.last_record = Some((at, self.next_row));
        let width = 1 + line.iter().filter(|&&b| b == delimiter).count();
        if width > self.limits.max_columns {
            self.done = true;
            self.line_at = None;
            return Err(DelimitedOverflow::Columns {
                row: self.next_row + 1,
            });
        }
        self.next_row += 1;
        self.lines_split += 1;
        self.line_at = Some(after_line(self.bytes, at, line));
        let cells = TextCells {
            decoding: self.decoding,
            max_chars: self.limits.max_cell_chars,
            spare: &mut self.spare,
        };
        cells.fill(row, line.split(|&b| b == delimiter), width);
        Ok(())
    }

    /// Cuts `row` to `len` cells, keeping the text buffers of those cut.
    fn recycle(&mut self, row: &mut Vec<Cell>, len: usize) {
        recycle(row, len, &mut self.spare);
    }

    /// Runs `each` on every row with its 0-based index in the sheet, one
    /// row buffer reused throughout; stops at a row over the limits.
    fn for_each_row(mut self, first_row: usize, mut each: impl FnMut(usize, &[Cell])) {
        let mut row = Vec::new();
        let mut i = first_row;
        while let Some(Ok(())) = self.next_into(&mut row) {
            each(i, &row);
            i += 1;
        }
    }
}

impl Iterator for RowParser<'_> {
    type Item = Result<Vec<Cell>, DelimitedOverflow>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = Vec::new();
        self.next_into(&mut row).map(|r| r.map(|()| row))
    }
}

/// How the fields of a row become its cells' text.
struct TextCells<'s> {
    decoding: Decoding,
    /// Characters a cell keeps ([`DelimitedLimits::max_cell_chars`]).
    max_chars: usize,
    /// Text buffers of cells that became empty, reused for the next cells
    /// with text (a column often alternates between empty and not).
    spare: &'s mut Vec<String>,
}

impl TextCells<'_> {
    /// Makes `row` the cells of `fields` (`len` of them), reusing the text
    /// buffers of the cells it held.
    fn fill<'f>(self, row: &mut Vec<Cell>, fields: impl Iterator<Item = &'f [u8]>, len: usize) {
        recycle(row, len, self.spare);
        for (c, field) in fields.enumerate() {
            if c == row.len() {
                row.push(Cell::Empty);
            }
            if field.is_empty() {
                if let Cell::Text(s) = std::mem::replace(&mut row[c], Cell::Empty) {
                    self.spare.push(s);
                }
                continue;
            }
            if !matches!(row[c], Cell::Text(_)) {
                row[c] = Cell::Text(self.spare.pop().unwrap_or_default());
            }
            if let Cell::Text(text) = &mut row[c] {
                text.clear();
                self.decoding.append(field, text);
                cut_in_place(text, self.max_chars);
            }
        }
    }
}

/// Cuts `row` to `len` cells, keeping the text buffers of those cut in `spare`.
fn recycle(row: &mut Vec<Cell>, len: usize, spare: &mut Vec<String>) {
    for cell in row.drain(len.min(row.len())..) {
        if let Cell::Text(s) = cell {
            spare.push(s);
        }
    }
}

/// The line at byte `at` of `bytes`, cut before its line feed (and the
/// carriage return before that), when it is a record that the `csv`
/// reader would read as the line split at each delimiter: not blank (the
/// reader skips blank lines), ended by a line feed (the last line may end
/// in a quote left open), with no quote and no other carriage return.
fn whole_line(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let rest = bytes.get(at..)?;
    let line = &rest[..memchr::memchr(b'\n', rest)?];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let plain = !line.is_empty() && memchr::memchr2(b'"', b'\r', line).is_none();
    plain.then_some(line)
}

/// The byte after the line feed that ends the line at `at`, `line` long
/// without it ([`whole_line`]).
fn after_line(bytes: &[u8], at: usize, line: &[u8]) -> usize {
    let end = at + line.len();
    end + if bytes.get(end) == Some(&b'\r') { 2 } else { 1 }
}

/// A quote opened in the last record of a text and never closed: the
/// text after it, line breaks and all, is one field (as Excel reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnclosedQuote {
    /// The 1-based row the quote opens in.
    pub row: usize,
    /// The lines after the one it opens in, taken into the field.
    pub lines: usize,
}

impl UnclosedQuote {
    /// What a user is told about it, with the fix.
    pub fn note(&self) -> String {
        format!(
            "row {}: a quote (\") opened there is never closed, so the {} line(s) after it were read into one cell; close or remove the quote",
            self.row, self.lines
        )
    }
}

/// For the text of a record that runs to the end of a text (`rest`): the
/// lines after the one where the quoted field it ends in opens, if it ends
/// inside one that takes in some. Quotes are read as the `csv` crate reads
/// them (RFC 4180): a quote opens a field only at its start, `""` inside is
/// a quote, and a line break outside quotes ends the record.
fn swallowed_lines(rest: &[u8], delimiter: u8) -> Option<usize> {
    let (mut field_start, mut quote_from) = (true, None);
    let mut i = 0;
    while i < rest.len() {
        let b = rest[i];
        match quote_from {
            Some(_) if b == b'"' => {
                if rest.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quote_from = None;
                }
            }
            Some(_) => {}
            None if b == b'"' && field_start => quote_from = Some(i),
            None if b == b'\n' || b == b'\r' => return None,
            None => {}
        }
        field_start = quote_from.is_none() && b == delimiter;
        i += 1;
    }
    // The lines after the quote's own, not counting the text's last break.
    let quoted = &rest[quote_from?..];
    let quoted = quoted.strip_suffix(b"\n").unwrap_or(quoted);
    let lines = memchr::memchr_iter(b'\n', quoted).count();
    (lines > 0).then_some(lines)
}

/// Cuts `text` to `max` characters plus the truncation mark when longer
/// (the same rule as `ingest::read` applies to workbook cells).
fn cut_in_place(text: &mut String, max: usize) {
    // Byte length bounds the character count: most fields skip the count.
    if text.len() > max {
        if let Some((cut, _)) = text.char_indices().nth(max) {
            text.truncate(cut);
            text.push_str(super::read::TRUNCATION_MARK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field is appended as its encoding decodes it, whether it is ASCII
    /// (copied as it is), GBK, a GB18030 four-byte character, or bytes that
    /// are no text (replaced, as a decoder replaces them).
    #[test]
    fn fields_append_as_their_encoding_decodes_them() {
        let fields: [&[u8]; 7] = [
            b"",
            b"2026-03-01",
            b"138 0013 8000",
            b"\xb1\xb1\xbe\xa9 Ltd.",
            b"\x81\x30\x81\x30x",
            b"\xff\xfe\x80",
            b"tail\x81",
        ];
        for enc in [encoding_rs::GBK, encoding_rs::GB18030] {
            for field in fields {
                let mut out = String::from("head|");
                Decoding::Gb(enc).append(field, &mut out);
                let want = enc.decode_without_bom_handling(field).0;
                assert_eq!(out, format!("head|{want}"), "{field:?}");
            }
        }
        let mut out = String::new();
        Decoding::Gb(encoding_rs::GBK).append(b"\xb1\xb1\xbe\xa9", &mut out);
        assert_eq!(out, "北京");
        for field in ["2026-03-01", "北京", ""] {
            let mut out = String::from("head|");
            Decoding::Utf8.append(field.as_bytes(), &mut out);
            assert_eq!(out, format!("head|{field}"));
        }
    }

    /// [`split_delimited_within`]'s head and pending rows.
    fn split_parts(
        text: FileText,
        delimiter: u8,
        limits: &DelimitedLimits,
    ) -> Result<(Vec<Vec<Cell>>, Option<PendingRows>), DelimitedOverflow> {
        split_delimited_within(text, delimiter, limits).map(|s| (s.head, s.pending))
    }

    /// The quote [`split_delimited_within`] finds unclosed in `text`.
    fn unclosed_in(text: &str) -> Option<UnclosedQuote> {
        let split = split_delimited_within(text.to_string().into(), b',', &unlimited());
        split.expect("within").unclosed
    }

    /// A quote that opens a field and is never closed takes in the lines
    /// after it, and is reported with its row and how many; a closed
    /// multi-line field, a quote inside a field, and an unclosed quote on
    /// the last line (nothing taken in) are not. Blank lines count as rows.
    #[test]
    fn an_unclosed_quote_is_found_with_its_row() {
        let found = |row, lines| Some(UnclosedQuote { row, lines });
        assert_eq!(unclosed_in("a,b\n\"x,1\n2,2\n3,3\n"), found(2, 2));
        assert_eq!(unclosed_in("a,b\n\n1,\"y\r\n2,2"), found(3, 1));
        assert_eq!(unclosed_in("a,b\n1,\"x\"\"y\nz\n"), found(2, 1));
        assert_eq!(unclosed_in("a,b\n1,\"x\ny\",1\n2,2\n"), None);
        assert_eq!(unclosed_in("a,b\n1,x\"y\n2,2\n"), None);
        assert_eq!(unclosed_in("a,b\n1,\"x\n"), None);
        assert_eq!(unclosed_in("a,b\n1,\"x\"z,\"\"\n2,2\n"), None);
        // Past the head: found by the pass that counts the pending rows.
        let mut long = long_text();
        let rows = parse_delimited(&long, b',').len();
        long.push_str("9,\"open\n10,1\n11,1\n");
        assert_eq!(unclosed_in(&long), found(rows + 1, 2));
        let note = found(7, 2).unwrap().note();
        assert!(
            note.starts_with("row 7: a quote") && note.contains("2 line(s)"),
            "{note}"
        );
    }

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

    /// A text longer than the head, with blank lines, `\r\n` and `\r`
    /// endings, quoted line breaks and ragged rows around the split.
    fn long_text() -> String {
        text_of_rows(HEAD_NONBLANK_ROWS * 3)
    }

    /// A header and `n` rows of every shape: quoted line breaks, blank
    /// lines, `\r` and `\r\n` endings, extra fields, doubled quotes.
    fn text_of_rows(n: usize) -> String {
        let mut t = String::from("客户名称,跟进日期,备注\r\n");
        for i in 0..n {
            match i % 7 {
                0 => t.push_str(&format!(
                    "甲{i},2024-01-{:02},\"多\n行, 备注\"\r\n",
                    i % 28 + 1
                )),
                1 => t.push_str("\r\n\n"),
                2 => t.push_str(&format!("乙{i},03/04/2024\r")),
                3 => t.push_str(&format!("丙{i},,,extra\n")),
                _ => t.push_str(&format!("丁{i},2024-02-01,\"\"\"引号\"\"\"\n")),
            }
        }
        t
    }

    fn unlimited() -> DelimitedLimits {
        DelimitedLimits {
            max_cells: usize::MAX,
            max_columns: usize::MAX,
            max_cell_chars: usize::MAX,
        }
    }

    #[test]
    fn head_and_pending_rows_are_the_whole_parse() {
        let text = long_text();
        let whole = parse_delimited(&text, b',');
        let (head, pending) = split_parts(text.into(), b',', &unlimited()).expect("within");
        let pending = pending.expect("longer than the head");
        assert!(head.len() < whole.len());
        assert_eq!(head.len() + pending.len(), whole.len());
        let rest: Vec<(usize, Vec<Cell>)> = pending.rows().collect();
        assert_eq!(rest.first().map(|(i, _)| *i), Some(head.len()));
        let mut joined = head;
        joined.extend(rest.into_iter().map(|(_, row)| row));
        assert_eq!(texts(&joined), texts(&whole));
        // Twice the same: the rows are parsed again on each pass.
        let again: Vec<Vec<Cell>> = pending.rows().map(|(_, r)| r).collect();
        assert_eq!(texts(&again), texts(&whole[whole.len() - pending.len()..]));
    }

    #[test]
    fn a_short_text_has_no_pending_rows() {
        let (head, pending) =
            split_parts(String::from("a,b\n\n1,2\n").into(), b',', &unlimited()).expect("within");
        assert_eq!(head.len(), 3);
        assert!(pending.is_none());
    }

    #[test]
    fn limits_apply_past_the_head() {
        let text = long_text();
        let whole = parse_delimited(&text, b',');
        let cells: usize = whole.iter().map(|r| 1 + r.len()).sum();
        let mut limits = unlimited();
        limits.max_cells = cells - 1;
        assert_eq!(
            split_parts(text.clone().into(), b',', &limits).map(|_| ()),
            Err(DelimitedOverflow::Cells)
        );
        limits.max_cells = cells;
        assert!(split_parts(text.clone().into(), b',', &limits).is_ok());
        let wide = format!("{text}x,{}\n", ",".repeat(10));
        let mut limits = unlimited();
        limits.max_columns = 5;
        assert_eq!(
            split_parts(wide.into(), b',', &limits).map(|_| ()),
            Err(DelimitedOverflow::Columns {
                row: whole.len() + 1
            })
        );
    }

    #[test]
    fn runs_give_the_rows_one_parser_gives() {
        use encoding_rs::GB18030;
        let long = text_of_rows(CHECKPOINT_ROWS * 3 + 50);
        let gb = || FileText::Gb(GB18030.encode(&long).0.into_owned().into(), GB18030);
        let mut cut = unlimited();
        cut.max_cell_chars = 4;
        let texts = [
            long.clone().into(),
            gb(),
            long_text().into(),
            long.clone().into(),
            gb(),
        ];
        let limits = [unlimited(), unlimited(), unlimited(), cut, cut];
        for (text, limits) in texts.into_iter().zip(limits) {
            let (_, pending) = split_parts(text, b',', &limits).expect("within");
            let pending = pending.expect("pending");
            let whole: Vec<(usize, Vec<Cell>)> = pending.rows().collect();
            let runs = pending.runs();
            assert_eq!(runs.len(), pending.checkpoints.len() + 1);
            let mut joined = Vec::new();
            for run in &runs {
                let before = joined.len();
                run.for_each_row(|i, row| joined.push((i, row.to_vec())));
                assert_eq!(joined.len() - before, run.len());
            }
            assert_eq!(joined.len(), pending.len());
            assert!(joined == whole);
        }
    }

    #[test]
    fn a_checkpoint_never_falls_between_blank_lines_and_their_record() {
        // The first pending row is the head's last plus one; make the
        // checkpoint's row a blank line before a record, once for each
        // number of blank lines.
        for blank_lines in 1..=3 {
            let mut text = String::from("名称,日期\n");
            for i in 1..HEAD_NONBLANK_ROWS {
                text.push_str(&format!("头{i},x\n"));
            }
            for i in 0..CHECKPOINT_ROWS - blank_lines {
                text.push_str(&format!("行{i},x\n"));
            }
            text.push_str(&"\n".repeat(blank_lines));
            text.push_str("空行之后,y\n");
            for i in 0..10 {
                text.push_str(&format!("尾{i},z\n"));
            }
            let (head, pending) = split_parts(text.into(), b',', &unlimited()).expect("within");
            let pending = pending.expect("pending");
            let whole: Vec<(usize, Vec<Cell>)> = pending.rows().collect();
            let mut joined = Vec::new();
            for run in pending.runs() {
                run.for_each_row(|i, row| joined.push((i, row.to_vec())));
            }
            let after = |rows: &[(usize, Vec<Cell>)]| {
                rows.iter()
                    .find(|(_, row)| row.first() == Some(&Cell::Text("空行之后".into())))
                    .map(|(i, _)| *i)
            };
            let expected = head.len() + CHECKPOINT_ROWS;
            assert_eq!(after(&whole), Some(expected), "{blank_lines} blank lines");
            assert_eq!(after(&joined), Some(expected), "{blank_lines} blank lines");
            assert!(joined == whole, "{blank_lines} blank lines");
        }
    }

    /// Every text of up to `max_len` bytes over `alphabet`.
    fn every_text(alphabet: &[u8], max_len: usize) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max_len {
            last = last
                .iter()
                .flat_map(|t: &Vec<u8>| {
                    alphabet.iter().map(move |&b| {
                        let mut longer = t.clone();
                        longer.push(b);
                        longer
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// What one parser counts in `bytes`, row by row: the count pass as it
    /// was before lines were counted without the parser.
    fn count_with_the_parser(
        bytes: &[u8],
        limits: &DelimitedLimits,
        every: usize,
    ) -> Result<Counted, DelimitedOverflow> {
        let mut budget = CellBudget::new(limits);
        let mut parser = RowParser::new(bytes, Decoding::Utf8, 0, 0, b',', limits);
        let (mut rows, mut checkpoints) = (0, Vec::new());
        while let Some(width) = parser.next_width() {
            budget.charge_width(width?)?;
            rows += 1;
            if rows % every == 0 {
                if let Some(at) = parser.resume_at() {
                    checkpoints.push((at, rows));
                }
            }
        }
        let unclosed = parser.unclosed_quote(b',');
        Ok(Counted {
            rows,
            checkpoints,
            unclosed,
        })
    }

    /// Texts of plain lines, quotes, blank lines and every line ending.
    fn small_texts() -> Vec<Vec<u8>> {
        let mut texts = every_text(b"a,\"\n\r", 6);
        // Longer texts, with plain runs between the others.
        let lines: [&[u8]; 6] = [
            b"a,b\n",
            b"\n",
            b"\r\n",
            b"\"x\ny\",z\n",
            b"c\r",
            b"d,\"\"e\n",
        ];
        for pick in every_text(b"012345", 4) {
            let text: Vec<u8> = pick
                .iter()
                .flat_map(|&i| lines[usize::from(i - b'0')].iter().copied())
                .chain(*b"end")
                .collect();
            texts.push(text);
        }
        texts
    }

    #[test]
    fn lines_count_alone_as_the_parser_counts_them() {
        let mut narrow = unlimited();
        narrow.max_columns = 2;
        let mut few = unlimited();
        few.max_cells = 6;
        for text in small_texts() {
            let cases = [
                (unlimited(), 1, 1),
                (unlimited(), 3, 2),
                (unlimited(), 4096, 256),
                (narrow, 1, 1),
                (few, 2, 1),
            ];
            for (limits, every, slow_rows) in cases {
                let steps = CountSteps {
                    checkpoint_every: every,
                    slow_rows,
                };
                let mut budget = CellBudget::new(&limits);
                let fast = count_rows(
                    &text,
                    Decoding::Utf8,
                    (0, 0),
                    b',',
                    &limits,
                    &mut budget,
                    steps,
                );
                let slow = count_with_the_parser(&text, &limits, every);
                assert_eq!(
                    fast,
                    slow,
                    "{:?} every {every}, slow rows {slow_rows}, max columns {}, max cells {}",
                    String::from_utf8_lossy(&text),
                    limits.max_columns,
                    limits.max_cells
                );
            }
        }
    }

    /// Everything a parser tells, row by row, from byte `start`: each row
    /// (or overflow) with the place a pass would resume at after it, then
    /// the quote the text ends in.
    fn parsed(bytes: &[u8], start: usize, limits: &DelimitedLimits, split_lines: bool) -> String {
        let mut parser = RowParser::new(bytes, Decoding::Utf8, start, 0, b',', limits);
        parser.split_lines = split_lines;
        let mut told = Vec::new();
        let mut row = vec![Cell::Text("stale".into())];
        while let Some(next) = parser.next_into(&mut row) {
            let got = next.map(|()| texts(std::slice::from_ref(&row)));
            told.push(format!("{got:?} → {:?}", parser.resume_at()));
        }
        told.push(format!("{:?}", parser.unclosed_quote(b',')));
        told.join("\n")
    }

    /// Rows split from whole lines are the rows the `csv` reader reads,
    /// from any line start, over lines that need the reader now and then
    /// or one after another, whatever the limits.
    #[test]
    fn lines_split_alone_give_what_the_csv_reader_gives() {
        let mut narrow = unlimited();
        narrow.max_columns = 2;
        let mut texts = small_texts();
        // Long stretches of plain lines between others, and many others
        // in a row (the reader is given more rows each time).
        let plain = "p,1,2\n".repeat(20);
        let quoted = "\"q\nr\",1\n".repeat(40);
        for text in [
            format!("{plain}\"x\ny\",z\n{plain}\n\n{plain}c\rd\n{plain}"),
            format!("{quoted}{plain}{quoted}a,b\n\"open\n{plain}"),
            format!("{plain}{quoted}\r\n\r\n{plain}end"),
        ] {
            texts.push(text.into_bytes());
        }
        for text in texts {
            let starts = (0..text.len()).filter(|&i| i == 0 || text[i - 1] == b'\n');
            for start in starts {
                for limits in [unlimited(), narrow] {
                    assert_eq!(
                        parsed(&text, start, &limits, true),
                        parsed(&text, start, &limits, false),
                        "{:?} from {start}, max columns {}",
                        String::from_utf8_lossy(&text),
                        limits.max_columns
                    );
                }
            }
        }
    }

    #[test]
    fn runs_from_every_checkpoint_give_the_rows_one_parser_gives() {
        for text in small_texts() {
            let Ok(text) = String::from_utf8(text) else {
                continue;
            };
            for every in [1, 2, 3] {
                let steps = CountSteps {
                    checkpoint_every: every,
                    slow_rows: 1,
                };
                let limits = unlimited();
                let mut budget = CellBudget::new(&limits);
                let counted = count_rows(
                    text.as_bytes(),
                    Decoding::Utf8,
                    (0, 0),
                    b',',
                    &limits,
                    &mut budget,
                    steps,
                )
                .expect("unlimited");
                let pending = PendingRows {
                    text: std::sync::Arc::new(FileText::Decoded(text.clone())),
                    start: 0,
                    checkpoints: counted.checkpoints,
                    first_row: 0,
                    rows: counted.rows,
                    delimiter: b',',
                    limits,
                };
                let whole: Vec<(usize, Vec<Cell>)> = pending.rows().collect();
                assert_eq!(whole.len(), counted.rows, "{text:?}");
                let mut joined = Vec::new();
                for run in pending.runs() {
                    let before = joined.len();
                    run.for_each_row(|i, row| joined.push((i, row.to_vec())));
                    assert_eq!(joined.len() - before, run.len(), "{text:?} every {every}");
                }
                assert!(joined == whole, "{text:?} every {every}");
            }
        }
    }

    /// Rows of the head and the pending rows, as texts.
    fn all_rows(text: FileText, limits: &DelimitedLimits) -> Vec<Vec<String>> {
        let (head, pending) = split_parts(text, b',', limits).expect("within");
        let mut rows = texts(&head);
        if let Some(p) = pending {
            rows.extend(p.rows().map(|(_, r)| r.iter().map(Cell::display).collect()));
        }
        rows
    }

    #[test]
    fn gbk_bytes_parse_as_their_decoded_text() {
        use encoding_rs::GB18030;
        // Quotes, line breaks in quotes, blank lines, a 4-byte GB18030
        // character (€ is 0xA2E3 in GBK; 𠀀 needs four bytes) and characters
        // whose second byte is `@`, `[`, `\\` or `|` (0x40, 0x5B, 0x5C, 0x7C).
        let mut text = long_text();
        text.push_str("𠀀公司,€,\"丂乗,乕\"\n");
        text.push_str("亅,晐昞,\"x\"\"y\"\n");
        let (bytes, _, lossy) = GB18030.encode(&text);
        assert!(!lossy);
        assert!(bytes.contains(&b'|') && bytes.contains(&b'@'));
        // A lone lead byte before a comma and at the end: U+FFFD, as in
        // decoding the whole file.
        let mut bytes = bytes.into_owned();
        bytes.extend_from_slice(b"\x81,ok\r\nend\x81");
        let decoded = GB18030.decode_without_bom_handling(&bytes).0.into_owned();
        let mut limits = unlimited();
        limits.max_cell_chars = 3;
        for limits in [unlimited(), limits] {
            let whole = all_rows(FileText::Decoded(decoded.clone()), &limits);
            assert!(whole.iter().flatten().any(|c| c.contains('\u{FFFD}')));
            assert_eq!(
                all_rows(FileText::Gb(bytes.clone().into(), GB18030), &limits),
                whole
            );
        }
    }

    #[test]
    fn gbk_delimiter_is_sniffed_from_a_decoded_prefix() {
        use encoding_rs::GB18030;
        // 40 lines of `;`-separated text, the first line long enough that
        // the lines looked at run past the first 64 KiB.
        let mut text = format!("名称;{};备注\n", "长".repeat(40_000));
        for i in 0..40 {
            text.push_str(&format!("甲{i};乙;丙\n"));
        }
        let (bytes, _, _) = GB18030.encode(&text);
        assert_eq!(
            sniff_delimiter_decoding(&bytes, GB18030),
            sniff_delimiter(&text)
        );
        assert_eq!(sniff_delimiter_decoding(&bytes, GB18030), b';');
        let (short, _, _) = GB18030.encode("甲|乙\n丙|丁\n");
        assert_eq!(sniff_delimiter_decoding(&short, GB18030), b'|');
    }
}
