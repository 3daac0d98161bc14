//! Reading input files: the entry point of ingest. [`collect_inputs`] expands
//! the command-line paths into the list of files to read; [`read_file`]
//! reads one file into raw sheets, choosing by extension and checking the
//! content (a workbook renamed `.csv`, a tab-separated export named `.xls`,
//! an HTML page saved as `.xls`), within the limits of [`ReadOptions`]. Every
//! failure is a [`ReadError`] with a one-line message that names the file
//! and what to do; no input makes these functions panic.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::delimited::{
    sniff_delimiter, sniff_delimiter_decoding, split_delimited_within, DelimitedLimits,
    DelimitedOverflow,
};
use super::encoding::{decode, decode_or_keep, FileText};
use super::excel::{read_workbook_within, CFB_MAGIC, ZIP_MAGIC};
use super::file_bytes::{file_bytes, FileBytes, MAP_MIN_BYTES};
use crate::model::{Cell, RawSheet};

/// Extensions read as delimited text (lower case).
pub const TEXT_EXTENSIONS: [&str; 3] = ["csv", "tsv", "txt"];
/// Extensions read as workbooks (lower case).
pub const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];
/// How deep [`collect_inputs`] descends below a directory given on the command line.
pub const MAX_DIR_DEPTH: usize = 32;
/// What [`read_file`] appends to a cell cut at [`ReadOptions::max_cell_chars`].
pub const TRUNCATION_MARK: &str = "…[truncated]";

/// Why a file could not be read. Each message is one line: the file, the
/// problem, and what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist (or is a broken link).
    #[error("{path}: no such file or directory; check the path")]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// Any other I/O failure (permissions, a file locked by Excel, a directory...).
    #[error("{path}: cannot read ({source}); check that it is a readable file and not open in another program")]
    Io {
        /// The path as given.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The extension is not one this tool reads.
    #[error("{path}: unsupported file type '{ext}'; save it as .xlsx or .csv (read: .xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt)")]
    Unsupported {
        /// The path as given.
        path: String,
        /// The extension with its dot, or `(none)`.
        ext: String,
    },
    /// A workbook file of zero bytes.
    #[error("{path}: the file is empty (0 bytes); export or save it again")]
    Empty {
        /// The path as given.
        path: String,
    },
    /// Over [`ReadOptions::max_file_bytes`].
    #[error("{path}: {size} bytes is over the limit of {limit} bytes; split the file or raise the size limit")]
    TooLarge {
        /// The path as given.
        path: String,
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// An encrypted workbook.
    #[error("{path}: the workbook is password-protected; open it in Excel or WPS, remove the password and save it again")]
    PasswordProtected {
        /// The path as given.
        path: String,
    },
    /// A workbook that the reader cannot parse (truncated, damaged, not a workbook).
    #[error("{path}: cannot read the workbook ({message}); open it in Excel or WPS and save it again as .xlsx")]
    Corrupt {
        /// The path as given.
        path: String,
        /// What the workbook reader reported, on one line.
        message: String,
    },
    /// A file whose content is another format than its name says.
    #[error("{path}: the file is really {actual}, not a spreadsheet; open it in Excel or WPS and save it as .xlsx")]
    Disguised {
        /// The path as given.
        path: String,
        /// What it really is, e.g. `an HTML page`.
        actual: &'static str,
    },
    /// A `.csv` / `.tsv` / `.txt` file holding binary data.
    #[error("{path}: the file is binary, not text; check that it is the right file or export it again as CSV")]
    NotText {
        /// The path as given.
        path: String,
    },
    /// A sheet that would occupy more than [`ReadOptions::max_cells`] cells
    /// (row slots included), or an `.xls` / `.ods` workbook whose sheets
    /// together would (their reader lays out every sheet while opening).
    #[error("{path}: sheet '{sheet}' spans more than {limit} cells (a value far outside the table?); delete the stray cells or split the sheet")]
    SheetTooLarge {
        /// The path as given.
        path: String,
        /// The sheet's name: the file stem for a text file, `(all sheets)`
        /// for an `.xls` / `.ods` workbook.
        sheet: String,
        /// The limit, [`ReadOptions::max_cells`].
        limit: usize,
    },
    /// A row with more than [`ReadOptions::max_columns`] cells.
    #[error("{path}: sheet '{sheet}' row {row} has more than {limit} columns; check the delimiter, or delete the stray cells")]
    TooManyColumns {
        /// The path as given.
        path: String,
        /// The sheet's name (the file stem for a text file).
        sheet: String,
        /// The 1-based row number.
        row: usize,
        /// The limit, [`ReadOptions::max_columns`].
        limit: usize,
    },
    /// A workbook whose parts unpack to more than
    /// [`ReadOptions::max_decompressed_bytes`], an ods file whose cells'
    /// text (once per copy of a repeated cell, runs of spaces `text:s`
    /// expanded) would pass it, or a workbook that makes the reader go over
    /// its content again and again (a "zip bomb").
    #[error("{path}: the workbook would unpack to too much data ({what}); it may be a zip bomb: open it in Excel or WPS and save it again, or split it")]
    TooMuchData {
        /// The path as given.
        path: String,
        /// What was too much, with the numbers, e.g. `part
        /// xl/worksheets/sheet1.xml declares 5368709120 bytes, over the limit
        /// of 4294967296 bytes`.
        what: String,
        /// The limit, [`ReadOptions::max_decompressed_bytes`].
        limit: u64,
    },
    /// A directory nested deeper than [`MAX_DIR_DEPTH`] below a command-line directory.
    #[error("{path}: folders nested more than 32 levels deep were skipped; pass the inner folder directly")]
    TooDeep {
        /// The directory that was not entered.
        path: String,
    },
}

impl ReadError {
    /// Wraps an I/O error on `path` ([`ReadError::NotFound`] for a missing file).
    pub fn from_io(path: &str, source: std::io::Error) -> ReadError {
        if source.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound {
                path: path.to_owned(),
            }
        } else {
            ReadError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// Limits and overrides for [`read_file`].
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Forced text encoding for delimited files (`--encoding`); `None` detects it.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Files larger than this are refused with [`ReadError::TooLarge`] (default 2 GiB).
    pub max_file_bytes: u64,
    /// Text cells longer than this many characters are cut to this length
    /// and [`TRUNCATION_MARK`] is appended (default 1 000 000), so that one
    /// runaway cell (a broken quote swallowing the rest of a CSV) cannot
    /// blow up later stages. The mark makes the cut visible in the output.
    pub max_cell_chars: usize,
    /// The most cells one sheet may occupy once laid out as rows, one slot
    /// per row counted too (default 64 Mi, about 2 GiB); beyond it the file
    /// is refused with [`ReadError::SheetTooLarge`]. For `.xls` and `.ods`,
    /// whose reader lays out every sheet while opening the file, it bounds
    /// all sheets together.
    pub max_cells: usize,
    /// The most cells one row may hold (default 16 384, Excel's `XFD`);
    /// beyond it the file is refused with [`ReadError::TooManyColumns`].
    pub max_columns: usize,
    /// The most bytes the parts of a zipped workbook (xlsx, xlsm, xlsb, ods)
    /// may unpack to, all parts together, as their directory declares them
    /// (default 4 GiB; the unzipper refuses to unpack more than declared);
    /// beyond it the file is refused with [`ReadError::TooMuchData`]. The
    /// text an ods file's cells expand to (once per copy of a repeated
    /// cell, runs of spaces `text:s` expanded) is held to it too. The
    /// reader may also go over the compressed file at most
    /// [`WORKBOOK_REREAD_FACTOR`] times, so that a workbook naming one part
    /// as a thousand sheets cannot multiply the work.
    pub max_decompressed_bytes: u64,
}

/// How many times over its file the workbook reader may read compressed
/// bytes once the workbook is open (see
/// [`ReadOptions::max_decompressed_bytes`]); real workbooks need about two
/// passes: each sheet is read once for cells and once for merges.
pub const WORKBOOK_REREAD_FACTOR: u64 = 8;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_file_bytes: 2 * 1024 * 1024 * 1024,
            max_cell_chars: 1_000_000,
            max_cells: super::excel::MAX_SHEET_CELLS,
            max_columns: 16_384,
            max_decompressed_bytes: 4 * 1024 * 1024 * 1024,
        }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// Zero bytes.
    Empty,
    /// A zip archive or an OLE2 compound file: some workbook.
    Workbook,
    /// An HTML page.
    Html,
    /// An XML Spreadsheet 2003 file.
    XmlSpreadsheet,
    /// Some other XML file.
    Xml,
    /// Binary data (NUL bytes, and not UTF-16 text).
    Binary,
    /// Text.
    Text,
}

/// Classifies a file by its first bytes.
fn sniff_content(bytes: &[u8]) -> Content {
    if bytes.is_empty() {
        return Content::Empty;
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC) {
        return Content::Workbook;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    let head_text = if utf16 {
        decode(head, None).0
    } else {
        String::from_utf8_lossy(head).into_owned()
    };
    let lower = head_text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .to_ascii_lowercase();
    if lower.starts_with('<') {
        if lower.starts_with("<?xml") {
            return if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                Content::XmlSpreadsheet
            } else if lower.contains("<html") {
                Content::Html
            } else {
                Content::Xml
            };
        }
        if lower.starts_with("<!doctype html")
            || lower.contains("<html")
            || lower.contains("<table")
        {
            return Content::Html;
        }
    }
    if !utf16 && looks_binary(head) {
        // Text in UTF-16 without a BOM has NULs too; `decode` recognises it.
        let (_, name) = decode(head, None);
        if !name.starts_with("UTF-16") {
            return Content::Binary;
        }
    }
    Content::Text
}

/// True when more than 5% of the bytes are control characters that text
/// never holds (NUL and the other C0 codes except tab, line breaks, form
/// feed and escape): random binary data has about 10%, while a text export
/// with a few stray NULs stays readable.
fn looks_binary(head: &[u8]) -> bool {
    let control = head
        .iter()
        .filter(|&&b| matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F))
        .count();
    control * 20 > head.len()
}

/// The lower-case extension of a path, if it has one in UTF-8.
fn lower_ext(path: &Path) -> Option<String> {
    path.extension()
        .and_then(OsStr::to_str)
        .map(str::to_ascii_lowercase)
}

/// Read one file by extension (case-insensitive): `.csv` `.tsv` `.txt` →
/// one [`RawSheet`] named after the file stem, with `encoding:
/// Some(name)`; `.xlsx` `.xlsm` `.xlsb` `.xls` `.ods` → every worksheet (see
/// [`super::excel::read_workbook`]); any other extension →
/// [`ReadError::Unsupported`]. `file` in each sheet is the path as given.
///
/// The content is checked before the extension is trusted:
/// - a zip / OLE2 file named `.csv`/`.tsv`/`.txt` is read as a workbook;
/// - a text file named `.xls` (a common CRM export) is read as delimited text;
///   text named `.xlsx` `.xlsm` `.xlsb` `.ods` is [`ReadError::Corrupt`];
/// - an HTML page or XML file under any of these names is [`ReadError::Disguised`];
/// - binary data named `.csv`/`.tsv`/`.txt` is [`ReadError::NotText`].
///
/// An empty text file gives one sheet with no rows; an empty workbook file is
/// [`ReadError::Empty`]. The delimiter is sniffed ([`sniff_delimiter`]); for
/// `.tsv`, tab is used whenever the first line holds one. Text cells are
/// limited to [`ReadOptions::max_cell_chars`]; a sheet over
/// [`ReadOptions::max_cells`] or a row over [`ReadOptions::max_columns`] is
/// [`ReadError::SheetTooLarge`] / [`ReadError::TooManyColumns`], and a
/// workbook unpacking to more than [`ReadOptions::max_decompressed_bytes`]
/// is [`ReadError::TooMuchData`].
pub fn read_file(path: &Path, opts: &ReadOptions) -> Result<Vec<RawSheet>, ReadError> {
    let file = path.display().to_string();
    let ext = lower_ext(path);
    let ext_ref = ext.as_deref().unwrap_or("");
    let is_text_ext = TEXT_EXTENSIONS.contains(&ext_ref);
    if !is_text_ext && !WORKBOOK_EXTENSIONS.contains(&ext_ref) {
        return Err(ReadError::Unsupported {
            path: file,
            ext: ext.map_or_else(|| "(none)".to_owned(), |e| format!(".{e}")),
        });
    }
    let meta = std::fs::metadata(path).map_err(|e| ReadError::from_io(&file, e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "it is a directory"
        } else {
            "it is not a regular file"
        };
        return Err(ReadError::Io {
            path: file,
            source: std::io::Error::other(what),
        });
    }
    if meta.len() > opts.max_file_bytes {
        return Err(ReadError::TooLarge {
            path: file,
            size: meta.len(),
            limit: opts.max_file_bytes,
        });
    }
    let bytes = file_bytes(path, opts.max_file_bytes, MAP_MIN_BYTES)
        .map_err(|e| ReadError::from_io(&file, e))?;
    if bytes.len() as u64 > opts.max_file_bytes {
        // The file grew between the size check and the read.
        return Err(ReadError::TooLarge {
            path: file,
            size: bytes.len() as u64,
            limit: opts.max_file_bytes,
        });
    }
    let text_sheet = |bytes: FileBytes| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        read_delimited_owned(bytes, opts, ext_ref == "tsv", &file, &stem)
    };
    let mut sheets = match (sniff_content(&bytes), is_text_ext) {
        (Content::Workbook, _) => {
            read_workbook_within(&bytes, (!is_text_ext).then_some(ext_ref), &file, opts)?
        }
        (Content::Html, _) => return Err(disguised(file, "an HTML page")),
        (Content::XmlSpreadsheet, _) => {
            return Err(disguised(file, "an XML Spreadsheet 2003 file"))
        }
        (Content::Xml, _) => return Err(disguised(file, "an XML file")),
        (Content::Empty | Content::Text, true) => vec![text_sheet(bytes)?],
        (Content::Binary, true) => return Err(ReadError::NotText { path: file }),
        (Content::Empty, false) => return Err(ReadError::Empty { path: file }),
        (Content::Text, false) if ext_ref == "xls" => vec![text_sheet(bytes)?],
        (Content::Text, false) => {
            return Err(ReadError::Corrupt {
                path: file,
                message:
                    "the file holds plain text, not a workbook; if it is CSV, rename it to .csv"
                        .to_owned(),
            })
        }
        (Content::Binary, false) => read_workbook_within(&bytes, Some(ext_ref), &file, opts)?,
    };
    for sheet in &mut sheets {
        limit_cells(&mut sheet.rows, opts.max_cell_chars);
    }
    Ok(sheets)
}

/// A [`ReadError::Disguised`].
fn disguised(path: String, actual: &'static str) -> ReadError {
    ReadError::Disguised { path, actual }
}

/// Decodes and parses the bytes of one delimited file into its sheet, as
/// [`read_file`] does for `.csv` `.tsv` `.txt`: the encoding is detected (or
/// `opts.encoding`), the delimiter sniffed (tab when `tab_hint` and the
/// first line holds one), and the rows parsed within `opts`' cell, column
/// and cell-length limits. `file` names the sheet's file and `stem` the
/// sheet. Exposed for the fuzz targets; it never panics.
pub fn read_delimited_bytes(
    bytes: &[u8],
    opts: &ReadOptions,
    tab_hint: bool,
    file: &str,
    stem: &str,
) -> Result<RawSheet, ReadError> {
    read_delimited_owned(bytes.to_vec().into(), opts, tab_hint, file, stem)
}

/// [`read_delimited_bytes`] taking the bytes, so that UTF-8 text needs no
/// second copy of the file.
fn read_delimited_owned(
    bytes: FileBytes,
    opts: &ReadOptions,
    tab_hint: bool,
    file: &str,
    stem: &str,
) -> Result<RawSheet, ReadError> {
    let (mut text, encoding) = decode_or_keep(bytes, opts.encoding);
    let raw = match &text {
        FileText::Decoded(s) => s.as_bytes(),
        FileText::Utf8(bytes, start) => &bytes[*start..],
        FileText::Gb(bytes, _) => bytes,
    };
    // Line breaks and tabs are never part of a GBK character.
    let first_line_has_tab = raw
        .split(|&b| b == b'\n' || b == b'\r')
        .next()
        .is_some_and(|l| l.contains(&b'\t'));
    let delimiter = match &text {
        _ if tab_hint && first_line_has_tab => b'\t',
        FileText::Decoded(s) => sniff_delimiter(s),
        FileText::Utf8(bytes, start) => {
            sniff_delimiter_decoding(&bytes[*start..], encoding_rs::UTF_8)
        }
        FileText::Gb(bytes, enc) => sniff_delimiter_decoding(bytes, enc),
    };
    // Fields of GBK bytes are split before they are decoded, which only
    // works on delimiters below 0x40 (not `|`).
    if let FileText::Gb(bytes, enc) = &text {
        if delimiter >= 0x40 {
            text = FileText::Decoded(enc.decode_without_bom_handling(bytes).0.into_owned());
        }
    }
    let limits = DelimitedLimits {
        max_cells: opts.max_cells,
        max_columns: opts.max_columns,
        max_cell_chars: opts.max_cell_chars,
    };
    let split = split_delimited_within(text, delimiter, &limits).map_err(|e| match e {
        DelimitedOverflow::Cells => ReadError::SheetTooLarge {
            path: file.to_owned(),
            sheet: stem.to_owned(),
            limit: opts.max_cells,
        },
        DelimitedOverflow::Columns { row } => ReadError::TooManyColumns {
            path: file.to_owned(),
            sheet: stem.to_owned(),
            row,
            limit: opts.max_columns,
        },
    })?;
    Ok(RawSheet {
        file: file.to_owned(),
        sheet: stem.to_owned(),
        encoding: Some(encoding.to_owned()),
        rows: split.head,
        pending: split.pending,
        note: split.unclosed.map(|q| q.note()),
    })
}

/// Cuts text cells longer than `max` characters (see [`ReadOptions::max_cell_chars`]).
fn limit_cells(rows: &mut [Vec<Cell>], max: usize) {
    for cell in rows.iter_mut().flatten() {
        if let Cell::Text(s) = cell {
            // Byte length bounds the character count: most cells skip the count.
            if s.len() > max {
                if let Some((cut, _)) = s.char_indices().nth(max) {
                    s.truncate(cut);
                    s.push_str(TRUNCATION_MARK);
                }
            }
        }
    }
}

/// One entry of [`collect_inputs`]: a file to read, or a path that could not be listed.
pub type InputEntry = Result<PathBuf, (PathBuf, ReadError)>;

/// True when a file name has an extension [`read_file`] reads.
pub fn is_supported(path: &Path) -> bool {
    lower_ext(path).is_some_and(|e| {
        TEXT_EXTENSIONS.contains(&e.as_str()) || WORKBOOK_EXTENSIONS.contains(&e.as_str())
    })
}

/// Expand command-line paths: files as given (whatever their name or
/// extension: [`read_file`] reports an unsupported one); directories
/// recursively, following links, at most [`MAX_DIR_DEPTH`] levels down,
/// each real directory entered once (so link loops end), keeping supported
/// extensions only and skipping Office lock files (`~$…`) and hidden files
/// and directories (name starting with `.`).
///
/// The result is sorted by the bytes of the full path and deduplicated: two
/// entries naming the same file (`data/a.csv` and `./data/a.csv`, or a link)
/// keep the first. A missing path (or a broken link inside a directory) is
/// returned as an `Err` entry with [`ReadError::NotFound`], an unreadable
/// directory with [`ReadError::Io`], and a directory too deep with
/// [`ReadError::TooDeep`], so the caller can report it and go on.
pub fn collect_inputs(paths: &[PathBuf]) -> Vec<InputEntry> {
    let mut out: Vec<InputEntry> = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, 0, &mut visited, &mut out),
            Ok(_) => out.push(Ok(path.clone())),
            Err(e) => out.push(Err((
                path.clone(),
                ReadError::from_io(&path.display().to_string(), e),
            ))),
        }
    }
    out.sort_by(|a, b| entry_key(a).cmp(entry_key(b)));
    let mut seen: HashSet<PathBuf> = HashSet::new();
    out.retain(|entry| {
        let key = match entry {
            Ok(p) => std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()),
            Err((p, _)) => p.clone(),
        };
        seen.insert(key)
    });
    out
}

/// The sort key of an entry: the bytes of its path.
fn entry_key(entry: &InputEntry) -> &[u8] {
    match entry {
        Ok(p) | Err((p, _)) => p.as_os_str().as_encoded_bytes(),
    }
}

/// Lists one directory into `out`, recursing (see [`collect_inputs`]).
fn walk(dir: &Path, depth: usize, visited: &mut HashSet<PathBuf>, out: &mut Vec<InputEntry>) {
    let shown = || dir.display().to_string();
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            out.push(Err((dir.to_path_buf(), ReadError::from_io(&shown(), e))));
            return;
        }
    };
    if !visited.insert(canonical) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(it) => it,
        Err(e) => {
            out.push(Err((dir.to_path_buf(), ReadError::from_io(&shown(), e))));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.push(Err((dir.to_path_buf(), ReadError::from_io(&shown(), e))));
                continue;
            }
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                let shown = path.display().to_string();
                out.push(Err((path, ReadError::from_io(&shown, e))));
                continue;
            }
        };
        if meta.is_dir() {
            if depth + 1 > MAX_DIR_DEPTH {
                let shown = path.display().to_string();
                out.push(Err((path, ReadError::TooDeep { path: shown })));
            } else {
                walk(&path, depth + 1, visited, out);
            }
        } else if meta.is_file() && !name.starts_with("~$") && is_supported(&path) {
            out.push(Ok(path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_long_cells_on_char_boundaries() {
        let mut rows = vec![vec![
            Cell::Text("企业名称".into()),
            Cell::Text("abc".into()),
            Cell::Number(1.0),
        ]];
        limit_cells(&mut rows, 2);
        assert_eq!(rows[0][0], Cell::Text(format!("企业{TRUNCATION_MARK}")));
        assert_eq!(rows[0][1], Cell::Text(format!("ab{TRUNCATION_MARK}")));
        assert_eq!(rows[0][2], Cell::Number(1.0));
        let mut rows = vec![vec![Cell::Text("企业".into())]];
        limit_cells(&mut rows, 2);
        assert_eq!(rows[0][0], Cell::Text("企业".into()));
    }

    #[test]
    fn sniffs_content() {
        assert_eq!(sniff_content(b""), Content::Empty);
        assert_eq!(sniff_content(b"PK\x03\x04rest"), Content::Workbook);
        assert_eq!(sniff_content(b"\n<html><table>"), Content::Html);
        assert_eq!(
            sniff_content(b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"),
            Content::XmlSpreadsheet
        );
        assert_eq!(sniff_content(b"a,b\n1,2\n"), Content::Text);
        // A stray NUL in a long text export does not make it binary.
        let mut stray = b"name,phone\n".repeat(20);
        stray.push(0);
        assert_eq!(sniff_content(&stray), Content::Text);
        assert_eq!(
            sniff_content(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Content::Binary
        );
        let le: Vec<u8> = "a,b\r\n1,2\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff_content(&le), Content::Text);
    }
}
