//! Header-row detection and column mapping (schema.md §2): find the row that
//! names the columns under any title rows, join a group row above it, and map
//! each header to a canonical field. Also recognises summary and notes rows.

use std::collections::HashSet;

use crate::model::Cell;
use crate::normalize::text::{clean_text, clean_text_cow, fold_header};
use crate::schema::{match_header, Field};

/// How many non-blank rows from the top are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The header of a table as found in a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// 0-based index of the header row in `RawSheet::rows`.
    pub row: usize,
    /// 0-based index of a group row joined above it.
    pub group_row: Option<usize>,
    /// The header text of each column (after joining the group row).
    pub columns: Vec<String>,
    /// The field each column maps to; `None` for extra columns.
    pub mapping: Vec<Option<Field>>,
    /// Columns that named an already mapped field (kept as extras).
    pub duplicate_columns: Vec<usize>,
}

impl Header {
    /// The column index of a field.
    pub fn column_of(&self, f: Field) -> Option<usize> {
        self.mapping.iter().position(|m| *m == Some(f))
    }

    /// The set of mapped fields.
    pub fn fields(&self) -> HashSet<Field> {
        self.mapping.iter().flatten().copied().collect()
    }
}

/// Finds the header row: among the first 30 non-blank rows, the one whose
/// cells match the most known synonyms (first on a tie, at least two).
pub fn detect_header(rows: &[Vec<Cell>], extra: &[(String, Field)]) -> Option<Header> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.iter().all(Cell::is_blank))
        .take(HEADER_SEARCH_ROWS)
    {
        let distinct: HashSet<Field> = row
            .iter()
            .filter_map(|c| header_text(c).and_then(|t| match_header(&t, extra)))
            .collect();
        let score = distinct.len();
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    let (row, _) = best?;
    let mut columns: Vec<String> = rows[row]
        .iter()
        .map(|c| header_text(c).unwrap_or_default())
        .collect();
    let group_row = join_group_row(rows, row, &mut columns, extra);
    let (mapping, duplicate_columns) = map_columns(&columns, extra);
    Some(Header {
        row,
        group_row,
        columns,
        mapping,
        duplicate_columns,
    })
}

/// The text of a header cell, if any.
fn header_text(c: &Cell) -> Option<String> {
    if c.is_blank() {
        return None;
    }
    Some(clean_text(&c.display()).replace('\n', " "))
}

/// Joins the row directly above the header when it is a group row: its
/// cells name groups of columns (merged across several columns, or matching
/// no synonym) and the header row is empty under some of them. Columns whose
/// header cell is empty take the group row's text.
fn join_group_row(
    rows: &[Vec<Cell>],
    row: usize,
    columns: &mut Vec<String>,
    extra: &[(String, Field)],
) -> Option<usize> {
    let above_idx = row.checked_sub(1)?;
    let above = &rows[above_idx];
    let texts: Vec<Option<String>> = above.iter().map(header_text).collect();
    let distinct: HashSet<&String> = texts.iter().flatten().collect();
    // A single text across the row is a title, not a group row.
    if distinct.len() < 2 {
        return None;
    }
    let mut joined = false;
    for (c, t) in texts.iter().enumerate() {
        let Some(t) = t else { continue };
        if columns.len() <= c {
            columns.resize(c + 1, String::new());
        }
        if columns[c].is_empty() && match_header(t, extra).is_some() {
            columns[c] = t.clone();
            joined = true;
        }
    }
    joined.then_some(above_idx)
}

/// Maps header texts to fields; a second column for a field stays extra.
/// `Status` beside another stage column is the Pipedrive win/loss status.
fn map_columns(columns: &[String], extra: &[(String, Field)]) -> (Vec<Option<Field>>, Vec<usize>) {
    let mut mapping: Vec<Option<Field>> = columns.iter().map(|h| match_header(h, extra)).collect();
    let stage_cols: Vec<usize> = (0..mapping.len())
        .filter(|&i| mapping[i] == Some(Field::Stage))
        .collect();
    if stage_cols.len() > 1 {
        if let Some(&i) = stage_cols
            .iter()
            .find(|&&i| fold_header(&columns[i]) == "status")
        {
            mapping[i] = Some(Field::DealStatus);
        }
    }
    let mut seen = HashSet::new();
    let mut dups = Vec::new();
    for (i, m) in mapping.iter_mut().enumerate() {
        if let Some(f) = *m {
            if !seen.insert(f) {
                *m = None;
                dups.push(i);
            }
        }
    }
    (mapping, dups)
}

/// Words that make a row a subtotal / total row when they are its first cell.
const SUMMARY_WORDS: &[&str] = &[
    "合计",
    "小计",
    "总计",
    "总和",
    "total",
    "subtotal",
    "grand total",
];
/// Prefixes that make a row a notes row.
const NOTES_PREFIXES: &[&str] = &[
    "注：",
    "注:",
    "说明：",
    "说明:",
    "填表说明",
    "备注：",
    "备注:",
];

/// True for a summary or notes row (schema.md §2, `summary_row`): the first
/// non-empty cell is 合计 / 小计 / Total… or starts with 注： / 说明： / 填表说明.
pub fn is_summary_row(row: &[Cell]) -> bool {
    let Some(first) = row.iter().find(|c| !c.is_blank()) else {
        return false;
    };
    let Cell::Text(t) = first else { return false };
    // Every row is asked, and most first cells are ids or names: one that
    // starts with an ASCII letter or digit that no word or prefix starts
    // with is none (cleaning keeps such a first character, or composes it
    // with a following mark into a character that is not ASCII).
    if t.chars().next().is_some_and(|c| {
        c.is_ascii_alphanumeric() && !matches!(c.to_ascii_lowercase(), 't' | 's' | 'g')
    }) {
        return false;
    }
    // Its first cell is compared without copies.
    let t = clean_text_cow(t);
    if NOTES_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    // Longer text is no summary word (however spaced): skip the folding.
    if t.len() > SUMMARY_WORD_MAX_BYTES {
        return false;
    }
    // The words are lower-case ASCII or uncased Chinese, and no character
    // of NFKC text lower-cases into ASCII but ASCII letters: comparing with
    // ASCII case folded is comparing the lower-cased text. Spaces are left
    // out of both sides (`合 计`, `GrandTotal`, `G r a n d   T o t a l`).
    SUMMARY_WORDS
        .iter()
        .any(|w| unspaced_folded(&t).eq(unspaced_folded(w)))
}

/// The characters of `s` but spaces, ASCII letters in lower case.
fn unspaced_folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|&c| c != ' ')
        .map(|c| c.to_ascii_lowercase())
}

/// Bytes of the longest first cell that can be a summary word, spaces
/// between its letters included (`合 计`, `G r a n d   T o t a l`).
const SUMMARY_WORD_MAX_BYTES: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells.iter().map(|s| t(s)).collect()
    }

    #[test]
    fn header_under_title_rows() {
        let rows = vec![
            row(&["2024年客户信息登记表", "2024年客户信息登记表", ""]),
            row(&[]),
            row(&["填表说明：带*为必填", "", ""]),
            row(&["企业名称*", "所属行业", "备注"]),
            row(&["杭州甲科技有限公司", "软件", "x"]),
        ];
        let h = detect_header(&rows, &[]).expect("header");
        assert_eq!(h.row, 3);
        assert_eq!(
            h.mapping,
            vec![Some(Field::CustomerName), Some(Field::Industry), None]
        );
        assert_eq!(h.group_row, None);
    }

    #[test]
    fn group_row_is_joined() {
        let rows = vec![
            row(&[
                "客户基本信息",
                "客户基本信息",
                "联系人信息",
                "联系人信息",
                "跟进状态",
            ]),
            row(&["企业名称", "行业", "姓名", "电话", ""]),
            row(&["甲公司", "软件", "张*", "0571-88886666", "线索"]),
        ];
        let h = detect_header(&rows, &[]).expect("header");
        assert_eq!(h.row, 1);
        assert_eq!(h.group_row, Some(0));
        assert_eq!(h.column_of(Field::Stage), Some(4));
        assert_eq!(h.column_of(Field::ContactName), Some(2));
    }

    #[test]
    fn no_header_when_fewer_than_two_matches() {
        let rows = vec![row(&["说明", "这是一张说明表"]), row(&["企业名称", "x"])];
        assert_eq!(detect_header(&rows, &[]), None);
    }

    #[test]
    fn best_row_wins_first_on_tie() {
        let rows = vec![
            row(&["企业名称", "行业", "x"]),
            row(&["企业名称", "行业", "来源"]),
            row(&["企业名称", "行业", "来源"]),
        ];
        assert_eq!(detect_header(&rows, &[]).map(|h| h.row), Some(1));
    }

    #[test]
    fn duplicate_field_column_kept_as_extra() {
        let rows = vec![row(&["企业名称", "客户名称", "行业"])];
        let h = detect_header(&rows, &[]).expect("header");
        assert_eq!(
            h.mapping,
            vec![Some(Field::CustomerName), None, Some(Field::Industry)]
        );
        assert_eq!(h.duplicate_columns, vec![1]);
    }

    #[test]
    fn pipedrive_status_beside_stage() {
        let rows = vec![row(&["Deal Name", "Stage", "Status", "Value"])];
        let h = detect_header(&rows, &[]).expect("header");
        assert_eq!(h.mapping[1], Some(Field::Stage));
        assert_eq!(h.mapping[2], Some(Field::DealStatus));
    }

    #[test]
    fn summary_rows() {
        assert!(is_summary_row(&row(&["合计", "", "100"])));
        assert!(is_summary_row(&row(&["", "小计"])));
        assert!(is_summary_row(&row(&["Grand Total"])));
        assert!(is_summary_row(&row(&["GrandTotal"])));
        assert!(is_summary_row(&row(&["G r a n d   T o t a l"])));
        assert!(is_summary_row(&row(&["注：数据截至3月"])));
        assert!(is_summary_row(&row(&["填表说明", "x"])));
        assert!(!is_summary_row(&row(&["合计科技有限公司"])));
        assert!(!is_summary_row(&row(&["", ""])));
        assert!(!is_summary_row(&[Cell::Number(1.0)]));
    }

    /// The copy-free comparison agrees with lower-casing the cleaned text
    /// and taking the spaces out of it and of the words, on cased,
    /// full-width, spaced and look-alike first cells.
    #[test]
    fn summary_words_compare_as_lower_cased_text() {
        let by_lowering = |s: &str| {
            let t = clean_text(s);
            let lower = t.to_lowercase();
            let words: Vec<String> = SUMMARY_WORDS.iter().map(|w| w.replace(' ', "")).collect();
            NOTES_PREFIXES.iter().any(|p| t.starts_with(p))
                || (t.len() <= SUMMARY_WORD_MAX_BYTES && words.contains(&lower.replace(' ', "")))
        };
        let cells = [
            "TOTAL",
            "Ｔｏｔａｌ",
            " total ",
            "Grand Total",
            "GRAND  TOTAL",
            "grandtotal",
            "G r a n d T o t a l",
            "Sub Total",
            "SubTotal",
            "s u b t o t a l",
            "合 计",
            "合　计",
            "合计科技",
            "İtotal",
            "totaİ",
            "ＴＯＴＡＬ",
            "\u{212A}",
            "total\n",
            "tota",
            "totals",
            "注：见下",
            "注:x",
            "备注：",
            "小计 ",
            "KH000002",
            "合计\u{3000}",
            "0total",
            "Xtotal",
            "K\u{0301}",
            "t\u{0301}otal",
            "s\u{0301}ubtotal",
            "Subtotal",
            "g rand total",
            "Ktotal 合计",
        ];
        let mut matched = 0;
        for c in cells {
            let expected = by_lowering(c);
            matched += usize::from(expected);
            assert_eq!(is_summary_row(&row(&[c])), expected, "{c:?}");
        }
        assert!(matched > 10, "{matched}");
    }
}
