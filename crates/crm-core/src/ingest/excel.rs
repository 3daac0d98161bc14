//! Workbooks (xlsx, xlsm, xlsb, xls, ods) into raw sheets, through calamine;
//! big xlsx workbooks in the common form go through [`super::xlsx_fast`]
//! first, which gives the same cells in a fraction of the time and leaves
//! whatever it does not know to calamine.
//! Cells keep their type (text, number, real date, bool, error); formulas
//! give their cached results; merged ranges (xlsx and xls, the formats
//! calamine reports them for, and ods, whose `content.xml` is read for them
//! by [`super::ods_guard`]) are filled with their top-left value so every
//! row of a merged block carries it; row 0 is always spreadsheet row 1.
//!
//! Calamine is given the whole file as an in-memory slice and every call into
//! it runs under `catch_unwind`, so a malformed file becomes a
//! [`ReadError`], never a panic of the caller. xlsx and xlsb sheets are
//! streamed cell by cell into sparse rows (no dense rectangle is built), and
//! every sheet is held to the cell and column limits of [`ReadOptions`]
//! (by default [`MAX_SHEET_CELLS`]), so a stray value in cell `XFD1048576`
//! cannot exhaust memory.
//!
//! Before calamine sees a file, what it would do without bounds is checked
//! here: a zip's parts must not declare more than
//! [`ReadOptions::max_decompressed_bytes`] (the unzipper then refuses to
//! inflate more than declared), the compressed bytes may be read only
//! [`WORKBOOK_REREAD_FACTOR`] times over, and an OLE2 (`.xls`) file goes
//! through [`super::cfb_guard`], which refuses looping sector chains and
//! cell areas that calamine would allocate densely; the `content.xml` of an
//! OpenDocument file goes through [`super::ods_guard`], which refuses
//! repeated cells that calamine would expand past the cell limit, and runs
//! of spaces past the byte limit, and, in the same pass, finds the merged
//! cells.

use std::cell::Cell as Shared;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::rc::Rc;

use calamine::{
    open_workbook_auto_from_rs, open_workbook_from_rs, CellErrorType, Data, Dimensions,
    ExcelDateTime, Ods, OdsError, Range, Reader, SheetType, Sheets, Xls, XlsError, Xlsb, XlsbError,
    Xlsx, XlsxError,
};
use chrono::{NaiveDate, NaiveDateTime};

use super::cfb_guard::{check_cfb, CfbProblem};
use super::ods_guard::{check_ods, OdsProblem};
use super::ods_merges::OdsMerges;
use super::read::{ReadError, ReadOptions, WORKBOOK_REREAD_FACTOR};
use super::xlsx_fast::{self, Stop};
use super::xlsx_skeleton::skeleton;
use crate::model::{Cell, RawSheet};
use crate::parallel::Parsing;

/// The signature of an OLE2 compound file (xls, or an encrypted OOXML package).
pub(crate) const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// The signature of a zip archive (xlsx, xlsm, xlsb, ods).
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The default of [`ReadOptions::max_cells`]: the most cells (row slots
/// included) one sheet may occupy once laid out as rows (64 Mi cells, about
/// 2 GiB); beyond it the file is refused with [`ReadError::SheetTooLarge`].
pub const MAX_SHEET_CELLS: usize = 64 * 1024 * 1024;

/// A workbook opened on an in-memory slice.
type Book<'a> = Sheets<Budgeted<'a>>;

/// An in-memory file that counts the bytes read from it and fails once a
/// budget shared by all its clones is spent (see [`WORKBOOK_REREAD_FACTOR`]).
#[derive(Clone)]
struct Budgeted<'a> {
    /// The file.
    inner: Cursor<&'a [u8]>,
    /// Bytes that may still be read, shared by every clone.
    left: Rc<Shared<u64>>,
}

impl Read for Budgeted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let left = self.left.get();
        if n as u64 > left {
            self.left.set(0);
            return Err(std::io::Error::other(BUDGET_SPENT));
        }
        self.left.set(left - n as u64);
        Ok(n)
    }
}

impl Seek for Budgeted<'_> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// The I/O error message of a spent [`Budgeted`] budget.
const BUDGET_SPENT: &str = "read budget spent";

/// Read every sheet of a workbook (xlsx, xlsm, xlsb, xls, ods — chosen by
/// extension, case-insensitively, falling back to content sniffing when the
/// extension is missing or wrong) into [`RawSheet`]s, in workbook order.
///
/// Worksheets hidden in Excel are read too; chart, dialog, macro and VBA
/// sheets are skipped. A sheet that fails to read fails the whole file with
/// [`ReadError::Corrupt`] naming the sheet. See [`convert_cell`] for how
/// cells map. Rows: row 0 is spreadsheet row 1 and column 0 is column A
/// even when the used range starts lower or further right; rows are ragged,
/// each ending at its last non-empty cell (cells before it that hold nothing
/// are [`Cell::Empty`], rows holding nothing are empty `Vec`s); each merged
/// region whose top-left cell holds a value has it copied into every cell of
/// the region, clipped to the area read. `file` in each sheet is
/// `path` as displayed; `encoding` is `None`.
/// The limits of [`ReadOptions::default`] apply (see [`super::read::read_file`]
/// for other limits).
pub fn read_workbook(path: &Path) -> Result<Vec<RawSheet>, ReadError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| ReadError::from_io(&file, e))?;
    if !meta.is_file() {
        return Err(ReadError::Io {
            path: file,
            source: std::io::Error::other("it is not a regular file"),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| ReadError::from_io(&file, e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    read_workbook_bytes(&bytes, ext.as_deref(), &file)
}

/// [`read_workbook`] on bytes already read; `ext` is the lower-case
/// extension (a hint only), `file` the display name used in sheets and errors.
pub(crate) fn read_workbook_bytes(
    bytes: &[u8],
    ext: Option<&str>,
    file: &str,
) -> Result<Vec<RawSheet>, ReadError> {
    read_workbook_within(bytes, ext, file, &ReadOptions::default())
}

/// [`read_workbook_bytes`] within the limits of `opts` (cells, columns,
/// decompressed bytes; cell length is applied by the caller).
pub(crate) fn read_workbook_within(
    bytes: &[u8],
    ext: Option<&str>,
    file: &str,
    opts: &ReadOptions,
) -> Result<Vec<RawSheet>, ReadError> {
    let fast = bytes.len() >= FAST_MIN_BYTES
        && matches!(ext, Some("xlsx" | "xlsm" | "xltx" | "xltm" | "xlam"));
    read_checked(bytes, ext, file, opts, fast)
}

/// Workbooks from this size up are read by [`xlsx_fast`] where they can
/// be; smaller ones take too little time to be worth a second reader.
const FAST_MIN_BYTES: usize = 1 << 20;

/// [`read_workbook_within`], trying [`fast_read`] first when `fast`.
fn read_checked(
    bytes: &[u8],
    ext: Option<&str>,
    file: &str,
    opts: &ReadOptions,
    fast: bool,
) -> Result<Vec<RawSheet>, ReadError> {
    let _parsing = Parsing::start();
    if bytes.is_empty() {
        return Err(ReadError::Empty {
            path: file.to_owned(),
        });
    }
    if is_encrypted_ooxml(bytes) {
        return Err(ReadError::PasswordProtected {
            path: file.to_owned(),
        });
    }
    let all_sheets_too_large = || ReadError::SheetTooLarge {
        path: file.to_owned(),
        sheet: "(all sheets)".to_owned(),
        limit: opts.max_cells,
    };
    let mut ods_merges = OdsMerges::default();
    if bytes.starts_with(ZIP_MAGIC) {
        check_zip(bytes, file, opts.max_decompressed_bytes)?;
        // calamine's ods reader expands repeated columns of every table
        // while opening the file, before its own cell cap applies, and
        // copies each cell's text into every repeat (runs of spaces,
        // `text:s`, with no cap at all). It does not report merged cells
        // either: the check finds them.
        let limit = opts.max_decompressed_bytes;
        ods_merges = check_ods(bytes, opts.max_cells, limit).map_err(|p| match p {
            OdsProblem::Corrupt(why) => ReadError::Corrupt {
                path: file.to_owned(),
                message: why.to_owned(),
            },
            OdsProblem::TooManyCells => all_sheets_too_large(),
            OdsProblem::TooMuchText(bytes) => ReadError::TooMuchData {
                path: file.to_owned(),
                what: format!(
                    "the text of its cells, copied into each repeat of a repeated cell, would take at least {bytes} bytes, over the limit of {limit} bytes"
                ),
                limit,
            },
        })?;
    }
    if bytes.starts_with(CFB_MAGIC) {
        // calamine's xls reader walks sector chains without a bound and lays
        // every sheet out densely while opening the file: refuse what would
        // make it loop or allocate without limit.
        check_cfb(bytes, opts.max_cells).map_err(|p| match p {
            CfbProblem::Corrupt(why) => ReadError::Corrupt {
                path: file.to_owned(),
                message: why.to_owned(),
            },
            CfbProblem::TooManyCells => all_sheets_too_large(),
        })?;
    }
    if fast {
        GUARDED.with(|g| g.set(true));
        let fast_result = catch_unwind(AssertUnwindSafe(|| fast_read(bytes, file, opts)));
        GUARDED.with(|g| g.set(false));
        // Outside the fast reader's forms (or, which its tests rule out, a
        // panic in it), calamine reads the workbook.
        if let Ok(Some(result)) = fast_result {
            return result;
        }
    }
    // No budget while opening: a damaged file may make the unzipper search
    // it several times, and calamine tries several formats; each attempt
    // reads every part at most once. The budget starts once it is open.
    let left = Rc::new(Shared::new(u64::MAX));
    let reader = Budgeted {
        inner: Cursor::new(bytes),
        left: Rc::clone(&left),
    };
    let budget = (bytes.len() as u64).saturating_mul(WORKBOOK_REREAD_FACTOR);
    GUARDED.with(|g| g.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| {
        read_unguarded(reader, ext, file, opts, &ods_merges, || left.set(budget))
    }));
    GUARDED.with(|g| g.set(false));
    if left.get() == 0 {
        // Whatever calamine made of the failed read, the cause is this.
        return Err(ReadError::TooMuchData {
            path: file.to_owned(),
            what: format!(
                "its sheets make the reader go over the file more than {WORKBOOK_REREAD_FACTOR} times"
            ),
            limit: opts.max_decompressed_bytes,
        });
    }
    match result {
        Ok(result) => result,
        Err(_) => Err(ReadError::Corrupt {
            path: file.to_owned(),
            message: "the workbook reader failed on malformed content".to_owned(),
        }),
    }
}

/// Refuses a zip whose parts declare more than `limit` bytes in all. The
/// unzipper fails any part that inflates past its declared size, so the
/// declared sizes bound what calamine can unpack. A file that is not a
/// readable zip is left to calamine, which reports it.
fn check_zip(bytes: &[u8], file: &str, limit: u64) -> Result<(), ReadError> {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        total = total.saturating_add(entry.size());
        if total > limit {
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            let what = if entry.size() > limit {
                format!(
                    "part {name} declares {} bytes, over the limit of {limit} bytes",
                    entry.size()
                )
            } else {
                format!(
                    "its parts declare at least {total} bytes in all, over the limit of {limit} bytes"
                )
            };
            return Err(ReadError::TooMuchData {
                path: file.to_owned(),
                what,
                limit,
            });
        }
    }
    Ok(())
}

/// True for an OLE2 file holding an `EncryptedPackage` stream: how Excel
/// stores a password-protected xlsx / xlsm / xlsb.
pub(crate) fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    const NAME: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    bytes.starts_with(CFB_MAGIC) && bytes.windows(NAME.len()).any(|w| w == NAME)
}

thread_local! {
    /// True while this thread reads a workbook under `catch_unwind`.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while the current thread is inside a guarded workbook read, where a
/// panic of the workbook library is caught and reported as a corrupt file.
/// The CLI's panic hook stays quiet then, so the user sees one clear error
/// instead of a panic message.
pub fn in_guarded_read() -> bool {
    GUARDED.with(|g| g.get())
}

/// The body of [`read_workbook_bytes`], which runs it under `catch_unwind`.
/// `ods_merges` are the merged cells of an ods file (see [`check_ods`]).
/// `opened` is called once the workbook is open, before its sheets are read.
fn read_unguarded(
    reader: Budgeted<'_>,
    ext: Option<&str>,
    file: &str,
    opts: &ReadOptions,
    ods_merges: &OdsMerges,
    opened: impl FnOnce(),
) -> Result<Vec<RawSheet>, ReadError> {
    let bytes: &[u8] = reader.inner.get_ref();
    let mut book = open(reader, ext).map_err(|e| workbook_error(file, e))?;
    opened();
    let metas: Vec<(String, SheetType)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ))
        .collect();
    std::thread::scope(|scope| {
        let mut beside = MergesBeside::start(scope, &book, bytes, &metas);
        read_sheets(&mut book, metas, file, opts, ods_merges, &mut beside)
    })
}

/// Reads the sheets `metas` of an open workbook (see [`read_unguarded`]);
/// an xlsx workbook's merged cells come from `beside` where it found them.
fn read_sheets(
    book: &mut Book<'_>,
    metas: Vec<(String, SheetType)>,
    file: &str,
    opts: &ReadOptions,
    ods_merges: &OdsMerges,
    beside: &mut MergesBeside<'_>,
) -> Result<Vec<RawSheet>, ReadError> {
    let mut out = Vec::with_capacity(metas.len());
    for (name, typ) in metas {
        match typ {
            SheetType::WorkSheet => {}
            SheetType::DialogSheet
            | SheetType::MacroSheet
            | SheetType::ChartSheet
            | SheetType::Vba => continue,
        }
        let sheet_error = |e: calamine::Error| match workbook_error(file, e) {
            ReadError::Corrupt { path, message } => ReadError::Corrupt {
                path,
                message: format!("sheet '{name}': {message}"),
            },
            other => other,
        };
        let too_large = |o: Overflow| overflow_error(file, &name, opts, o);
        let mut grid = Grid::new(opts.max_cells, opts.max_columns);
        let merges = match book {
            Sheets::Xlsx(x) => {
                match x.worksheet_cells_reader(&name) {
                    Ok(mut cells) => {
                        while let Some(cell) = cells
                            .next_cell()
                            .map_err(|e| sheet_error(calamine::Error::Xlsx(e)))?
                        {
                            let value = into_cell(Data::from(cell.get_value().clone()));
                            grid.put(cell.get_position(), value).map_err(too_large)?;
                        }
                    }
                    // calamine reads such a part as an empty sheet too.
                    Err(XlsxError::NotAWorksheet(_)) => {}
                    Err(e) => return Err(sheet_error(calamine::Error::Xlsx(e))),
                }
                match beside.next() {
                    Some(merges) => merges,
                    None => x
                        .merge_cells_by_sheet_name(&name)
                        .map_err(|e| sheet_error(calamine::Error::Xlsx(e)))?,
                }
            }
            Sheets::Xlsb(x) => {
                let mut cells = x
                    .worksheet_cells_reader(&name)
                    .map_err(|e| sheet_error(calamine::Error::Xlsb(e)))?;
                while let Some(cell) = cells
                    .next_cell()
                    .map_err(|e| sheet_error(calamine::Error::Xlsb(e)))?
                {
                    let value = into_cell(Data::from(cell.get_value().clone()));
                    grid.put(cell.get_position(), value).map_err(too_large)?;
                }
                // calamine does not report merged cells for xlsb.
                Vec::new()
            }
            Sheets::Xls(x) => {
                let range = x
                    .worksheet_range(&name)
                    .map_err(|e| sheet_error(calamine::Error::Xls(e)))?;
                grid.put_range(&range).map_err(too_large)?;
                x.merge_cells_by_sheet_name(&name)
                    .map_err(|e| sheet_error(calamine::Error::Xls(e)))?
            }
            Sheets::Ods(x) => {
                let range = x
                    .worksheet_range(&name)
                    .map_err(|e| sheet_error(calamine::Error::Ods(e)))?;
                // `put_range` offsets the range by `range.start()`, so cells
                // land at absolute places, where the merges are counted too.
                grid.put_range(&range).map_err(too_large)?;
                // calamine does not report merged cells for ods; the check
                // found them in content.xml.
                ods_merges.regions(&name)
            }
        };
        grid.fill_merges(&merges).map_err(too_large)?;
        out.push(RawSheet {
            file: file.to_owned(),
            sheet: name,
            encoding: None,
            rows: grid.rows,
            pending: None,
            note: None,
        });
    }
    Ok(out)
}

/// The error of a sheet that went over a budget of `opts`.
fn overflow_error(file: &str, sheet: &str, opts: &ReadOptions, o: Overflow) -> ReadError {
    match o {
        Overflow::Cells => ReadError::SheetTooLarge {
            path: file.to_owned(),
            sheet: sheet.to_owned(),
            limit: opts.max_cells,
        },
        Overflow::Columns { row } => ReadError::TooManyColumns {
            path: file.to_owned(),
            sheet: sheet.to_owned(),
            row: row + 1,
            limit: opts.max_columns,
        },
    }
}

/// The worksheets of an xlsx workbook read by [`xlsx_fast`], laid out as
/// [`read_workbook`] lays them out; `None` when the workbook is outside the
/// forms that reader knows (then calamine reads it, with the same result).
pub(crate) fn fast_read(
    bytes: &[u8],
    file: &str,
    opts: &ReadOptions,
) -> Option<Result<Vec<RawSheet>, ReadError>> {
    let mut book = xlsx_fast::open(bytes)?;
    let mut out = Vec::new();
    for sheet in book.sheets() {
        if !sheet.is_worksheet {
            continue;
        }
        let mut grid = Grid::new(opts.max_cells, opts.max_columns);
        let merges = match book.read_sheet(&sheet.name, |pos, data| grid.put(pos, into_cell(data)))
        {
            Ok(merges) => merges,
            Err(Stop::Outside) => return None,
            Err(Stop::Refused(o)) => return Some(Err(overflow_error(file, &sheet.name, opts, o))),
        };
        if let Err(o) = grid.fill_merges(&merges) {
            return Some(Err(overflow_error(file, &sheet.name, opts, o)));
        }
        out.push(RawSheet {
            file: file.to_owned(),
            sheet: sheet.name,
            encoding: None,
            rows: grid.rows,
            pending: None,
            note: None,
        });
    }
    Some(Ok(out))
}

/// A workbook read through calamine only, whatever its size: the
/// reference [`fast_read`] is tested against.
#[cfg(test)]
pub(crate) fn calamine_read(
    bytes: &[u8],
    file: &str,
    opts: &ReadOptions,
) -> Result<Vec<RawSheet>, ReadError> {
    read_checked(bytes, Some("xlsx"), file, opts, false)
}

/// Workbooks from this size up have the merged cells of their xlsx
/// worksheets searched on a second thread (see [`MergesBeside`]); for
/// smaller ones a second thread costs more than it saves.
const MERGES_BESIDE_MIN_BYTES: usize = 256 * 1024;

/// The merged cells of an xlsx workbook's worksheets, searched on a second
/// thread while this one reads their cells. calamine finds a sheet's merges
/// by parsing the whole sheet again, which took a quarter of the reading
/// time of a 100k-row sheet. The second thread opens its own copy of the
/// workbook, without its cells where it can ([`skeleton`]: the search then
/// takes a tenth of the time), within the same read budget. A sheet whose merges it could not
/// find (it failed, or was not started) is searched again on this thread,
/// so results and errors are as if no second thread had run.
struct MergesBeside<'scope> {
    /// The search, until its results are needed.
    search: Option<std::thread::ScopedJoinHandle<'scope, Vec<Option<Vec<Dimensions>>>>>,
    /// The merges of each worksheet in workbook order, once the search is
    /// joined; `None` where it failed.
    found: std::vec::IntoIter<Option<Vec<Dimensions>>>,
}

impl<'scope> MergesBeside<'scope> {
    /// Starts the search over the worksheets among `metas` when `book` is
    /// an xlsx workbook of at least [`MERGES_BESIDE_MIN_BYTES`].
    fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        book: &Book<'_>,
        bytes: &'env [u8],
        metas: &[(String, SheetType)],
    ) -> Self {
        let search = (matches!(book, Sheets::Xlsx(_)) && bytes.len() >= MERGES_BESIDE_MIN_BYTES)
            .then(|| {
                let names: Vec<String> = metas
                    .iter()
                    .filter(|(_, typ)| *typ == SheetType::WorkSheet)
                    .map(|(name, _)| name.clone())
                    .collect();
                scope.spawn(move || search_merges(bytes, &names))
            });
        MergesBeside {
            search,
            found: Vec::new().into_iter(),
        }
    }

    /// The merges of the next worksheet, in workbook order; `None` when
    /// they are to be searched on this thread. Called once per worksheet.
    fn next(&mut self) -> Option<Vec<Dimensions>> {
        if let Some(search) = self.search.take() {
            self.found = search.join().unwrap_or_default().into_iter();
        }
        self.found.next().flatten()
    }
}

/// The merged cells of the worksheets `names` of the xlsx file `bytes`, in
/// order (`None` for a sheet whose search failed; empty if the file could
/// not be opened), read as [`read_workbook_within`] reads: under
/// `catch_unwind`, within [`WORKBOOK_REREAD_FACTOR`] passes over the file.
fn search_merges(bytes: &[u8], names: &[String]) -> Vec<Option<Vec<Dimensions>>> {
    GUARDED.with(|g| g.set(true));
    let left = Rc::new(Shared::new(u64::MAX));
    let found = catch_unwind(AssertUnwindSafe(|| {
        // The workbook without its cells, where it can be made: the same
        // parts and merges, parsed in a fraction of the time.
        let skeleton = skeleton(bytes);
        let source = skeleton.as_deref().unwrap_or(bytes);
        let reader = Budgeted {
            inner: Cursor::new(source),
            left: Rc::clone(&left),
        };
        let Ok(mut book) = open_workbook_from_rs::<Xlsx<_>, _>(reader) else {
            return Vec::new();
        };
        left.set((source.len() as u64).saturating_mul(WORKBOOK_REREAD_FACTOR));
        names
            .iter()
            .map(|name| book.merge_cells_by_sheet_name(name).ok())
            .collect()
    }));
    GUARDED.with(|g| g.set(false));
    found.unwrap_or_default()
}

/// Opens the workbook with the reader its extension names, then, if that
/// fails for any reason but a password, with calamine's content sniffing.
/// The extension's error is the one reported when both fail.
fn open<'a>(cur: Budgeted<'a>, ext: Option<&str>) -> Result<Book<'a>, calamine::Error> {
    use calamine::Error as E;
    let by_ext: Option<Result<Book<'a>, E>> = match ext {
        Some("xlsx" | "xlsm" | "xltx" | "xltm" | "xlam") => Some(
            open_workbook_from_rs::<Xlsx<_>, _>(cur.clone())
                .map(Sheets::Xlsx)
                .map_err(E::Xlsx),
        ),
        Some("xlsb") => Some(
            open_workbook_from_rs::<Xlsb<_>, _>(cur.clone())
                .map(Sheets::Xlsb)
                .map_err(E::Xlsb),
        ),
        Some("xls" | "xlt" | "xla") => Some(
            open_workbook_from_rs::<Xls<_>, _>(cur.clone())
                .map(Sheets::Xls)
                .map_err(E::Xls),
        ),
        Some("ods") => Some(
            open_workbook_from_rs::<Ods<_>, _>(cur.clone())
                .map(Sheets::Ods)
                .map_err(E::Ods),
        ),
        _ => None,
    };
    match by_ext {
        Some(Ok(book)) => Ok(book),
        Some(Err(e)) if is_password(&e) => Err(e),
        Some(Err(e)) => open_workbook_auto_from_rs(cur).map_err(|_| e),
        None => open_workbook_auto_from_rs(cur),
    }
}

/// True when calamine says the workbook is password-protected.
fn is_password(e: &calamine::Error) -> bool {
    matches!(
        e,
        calamine::Error::Xls(XlsError::Password)
            | calamine::Error::Xlsb(XlsbError::Password)
            | calamine::Error::Ods(OdsError::Password)
    )
}

/// Maps a calamine error to a [`ReadError`] with a one-line message.
fn workbook_error(file: &str, e: calamine::Error) -> ReadError {
    if is_password(&e) {
        return ReadError::PasswordProtected {
            path: file.to_owned(),
        };
    }
    let message = match &e {
        calamine::Error::Msg("Cannot detect file format") => {
            "not an Excel or OpenDocument workbook".to_owned()
        }
        other => other.to_string(),
    };
    ReadError::Corrupt {
        path: file.to_owned(),
        message: one_line(&message),
    }
}

/// Collapses a message onto one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sheet went over its cell or column budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// More cells than the budget.
    Cells,
    /// A cell past the last column allowed, in this 0-based row.
    Columns {
        /// The 0-based row.
        row: usize,
    },
}

/// A sheet's physical rows under construction, within a cell budget.
///
/// Layout: row 0 is spreadsheet row 1 and column 0 is column A. Rows are
/// ragged: each ends at its last non-empty cell (a merged fill may extend
/// it); cells before it that hold nothing are [`Cell::Empty`], and rows
/// above the first value, or with no value at all, are empty `Vec`s.
/// Nothing past the last row holding a value is kept.
struct Grid {
    /// The rows so far.
    rows: Vec<Vec<Cell>>,
    /// Cells and row slots allocated so far.
    used: usize,
    /// The budget for `used`.
    limit: usize,
    /// The most cells in one row.
    max_columns: usize,
    /// Cells visited by [`Grid::fill_merges`], held to `limit` too (merged
    /// regions may overlap in a hostile file: without it, a million copies
    /// of one large region would loop for hours without allocating).
    merge_visits: usize,
    /// The length of the row last grown: a new row is given room for as
    /// many cells at once (the rows of a table are alike), instead of
    /// growing cell by cell.
    last_width: usize,
}

impl Grid {
    /// An empty grid with a budget of `limit` cells and rows of at most
    /// `max_columns` cells.
    fn new(limit: usize, max_columns: usize) -> Grid {
        Grid {
            rows: Vec::new(),
            used: 0,
            limit,
            max_columns,
            merge_visits: 0,
            last_width: 0,
        }
    }

    /// Charges `n` more cells to the budget.
    fn charge(&mut self, n: usize) -> Result<(), Overflow> {
        self.used = self.used.saturating_add(n);
        if self.used > self.limit {
            Err(Overflow::Cells)
        } else {
            Ok(())
        }
    }

    /// Sets the cell at an absolute `(row, col)`; empty values are not stored.
    fn put(&mut self, (row, col): (u32, u32), value: Cell) -> Result<(), Overflow> {
        if value == Cell::Empty {
            return Ok(());
        }
        let (r, c) = (row as usize, col as usize);
        if c >= self.max_columns {
            return Err(Overflow::Columns { row: r });
        }
        if r >= self.rows.len() {
            self.charge(r + 1 - self.rows.len())?;
            self.rows.resize_with(r + 1, Vec::new);
        }
        let len = self.rows[r].len();
        if c >= len {
            self.charge(c + 1 - len)?;
            let row = &mut self.rows[r];
            if row.capacity() == 0 {
                // At most the budget already charged for the last row.
                row.reserve_exact(self.last_width.max(c + 1));
            }
            row.resize(c + 1, Cell::Empty);
            self.last_width = c + 1;
        }
        self.rows[r][c] = value;
        Ok(())
    }

    /// Puts every non-empty cell of a calamine range at its absolute place.
    fn put_range(&mut self, range: &Range<Data>) -> Result<(), Overflow> {
        let Some((r0, c0)) = range.start() else {
            return Ok(());
        };
        for (r, c, data) in range.used_cells() {
            let row = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
            let col = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
            self.put((row, col), convert_cell(data))?;
        }
        Ok(())
    }

    /// Copies the top-left value of each merged region into every cell of
    /// it, clipped to the rows and the widest row read (a merge reaching past
    /// the used area is not extended). Regions whose top-left is empty are
    /// left alone.
    fn fill_merges(&mut self, merges: &[Dimensions]) -> Result<(), Overflow> {
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let height = self.rows.len();
        for m in merges {
            let (r0, r1) = min_max(m.start.0, m.end.0);
            let (c0, c1) = min_max(m.start.1, m.end.1);
            let value = match self.rows.get(r0).and_then(|r| r.get(c0)) {
                Some(v) if *v != Cell::Empty => v.clone(),
                _ => continue,
            };
            let r1 = r1.min(height.saturating_sub(1));
            let c1 = c1.min(width.saturating_sub(1));
            let area = (r1 + 1 - r0).saturating_mul(c1.saturating_add(1).saturating_sub(c0));
            self.merge_visits = self.merge_visits.saturating_add(area);
            if self.merge_visits > self.limit {
                return Err(Overflow::Cells);
            }
            for r in r0..=r1 {
                for c in c0..=c1 {
                    // `put` charges only for cells that do not exist yet.
                    self.put((r as u32, c as u32), value.clone())?;
                }
            }
        }
        Ok(())
    }
}

/// The ends of an interval as `usize`, in order.
fn min_max(a: u32, b: u32) -> (usize, usize) {
    (a.min(b) as usize, a.max(b) as usize)
}

/// Converts one calamine cell.
///
/// - `Empty` and empty strings → [`Cell::Empty`]; `String` → [`Cell::Text`].
/// - `Float`, `Int` → [`Cell::Number`]; `Bool` → [`Cell::Bool`].
/// - `DateTime` (a number with a date format) → [`Cell::DateTime`] in the
///   workbook's date system (1900 or 1904, carried by calamine); a time of
///   day alone (serial in `[0, 1)`) → text `HH:MM` or `HH:MM:SS`; a duration
///   format (`[h]:mm`) → text `H:MM:SS`; Excel's phantom 1900-02-29 (serial
///   60) → text `1900-02-29` (no such date exists).
/// - `DateTimeIso` (ods, xlsx `t="d"`) → [`Cell::DateTime`] when it parses
///   as an ISO date or date-time, else the text as is.
/// - `DurationIso` → its text (`PT12H30M`).
/// - `Error` → [`Cell::Error`] with Excel's spelling (`#N/A`, `#DIV/0!`…).
pub fn convert_cell(data: &Data) -> Cell {
    into_cell(data.clone())
}

/// [`convert_cell`] on an owned value (strings are moved, not copied).
fn into_cell(data: Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Float(f) => Cell::Number(f),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) => convert_excel_datetime(&dt),
        Data::DateTimeIso(s) => match parse_iso_datetime(&s) {
            Some(v) => Cell::DateTime(v),
            None => Cell::Text(s),
        },
        Data::DurationIso(s) => Cell::Text(s),
        Data::Error(e) => Cell::Error(error_text(&e)),
    }
}

/// Excel's spelling of an error value.
fn error_text(e: &CellErrorType) -> String {
    match e {
        CellErrorType::Div0
        | CellErrorType::NA
        | CellErrorType::Name
        | CellErrorType::Null
        | CellErrorType::Num
        | CellErrorType::Ref
        | CellErrorType::Value
        | CellErrorType::GettingData => e.to_string(),
    }
}

/// Converts a date-formatted number (see [`convert_cell`]).
fn convert_excel_datetime(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if !serial.is_finite() || serial < 0.0 {
        return Cell::Number(serial);
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    if dt.is_duration() {
        let total_secs = (serial * 86_400.0).round() as u64;
        return Cell::Text(format!(
            "{}:{:02}:{:02}",
            total_secs / 3600,
            total_secs / 60 % 60,
            total_secs % 60
        ));
    }
    if serial < 1.0 {
        return Cell::Text(if s == 0 && ms == 0 {
            format!("{h:02}:{mi:02}")
        } else {
            format!("{h:02}:{mi:02}:{s:02}")
        });
    }
    match NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d)).and_then(|date| {
        date.and_hms_milli_opt(u32::from(h), u32::from(mi), u32::from(s), u32::from(ms))
    }) {
        Some(v) => Cell::DateTime(v),
        None => Cell::Text(format!("{y:04}-{mo:02}-{d:02}")),
    }
}

/// Parses the ISO 8601 forms calamine passes through (`2024-03-15`,
/// `2024-03-15T14:30:00`, with optional fraction).
fn parse_iso_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(v) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(v);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    fn date(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Cell {
        match NaiveDate::from_ymd_opt(y, m, d).and_then(|x| x.and_hms_opt(h, mi, 0)) {
            Some(v) => Cell::DateTime(v),
            None => panic!("bad test date"),
        }
    }

    #[test]
    fn dates_in_both_systems() {
        let d1900 = Data::DateTime(ExcelDateTime::new(
            45366.5,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(convert_cell(&d1900), date(2024, 3, 15, 12, 0));
        // The same day is 1462 days less in the 1904 system.
        let d1904 = Data::DateTime(ExcelDateTime::new(
            43904.5,
            ExcelDateTimeType::DateTime,
            true,
        ));
        assert_eq!(convert_cell(&d1904), date(2024, 3, 15, 12, 0));
        let phantom = Data::DateTime(ExcelDateTime::new(60.0, ExcelDateTimeType::DateTime, false));
        assert_eq!(convert_cell(&phantom), Cell::Text("1900-02-29".into()));
        let time = Data::DateTime(ExcelDateTime::new(
            0.5625,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(convert_cell(&time), Cell::Text("13:30".into()));
        let dur = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(convert_cell(&dur), Cell::Text("36:00:00".into()));
        let neg = Data::DateTime(ExcelDateTime::new(-3.0, ExcelDateTimeType::DateTime, false));
        assert_eq!(convert_cell(&neg), Cell::Number(-3.0));
    }

    #[test]
    fn other_variants() {
        assert_eq!(convert_cell(&Data::Int(7)), Cell::Number(7.0));
        assert_eq!(convert_cell(&Data::String(String::new())), Cell::Empty);
        assert_eq!(
            convert_cell(&Data::Error(CellErrorType::NA)),
            Cell::Error("#N/A".into())
        );
        assert_eq!(
            convert_cell(&Data::DateTimeIso("2024-03-15".into())),
            date(2024, 3, 15, 0, 0)
        );
        assert_eq!(
            convert_cell(&Data::DateTimeIso("2024-03-15T08:05:00".into())),
            date(2024, 3, 15, 8, 5)
        );
        assert_eq!(
            convert_cell(&Data::DateTimeIso("14:30:00".into())),
            Cell::Text("14:30:00".into())
        );
        assert_eq!(
            convert_cell(&Data::DurationIso("PT1H".into())),
            Cell::Text("PT1H".into())
        );
    }

    #[test]
    fn layout_pads_and_fills_merges() {
        let mut range: Range<Data> = Range::new((2, 1), (4, 3));
        range.set_value((2, 1), Data::String("title".into()));
        range.set_value((3, 1), Data::String("block".into()));
        range.set_value((3, 2), Data::Float(1.0));
        range.set_value((4, 2), Data::Float(2.0));
        let merges = [
            Dimensions::new((2, 1), (2, 9)), // clipped to column C, the widest row
            Dimensions::new((3, 1), (40, 1)), // clipped to row 5
            Dimensions::new((0, 0), (1, 1)), // empty top-left: ignored
        ];
        let mut grid = Grid::new(1000, 100);
        grid.put_range(&range).expect("budget");
        grid.fill_merges(&merges).expect("budget");
        let rows = grid.rows;
        assert_eq!(rows.len(), 5);
        assert!(rows[0].is_empty() && rows[1].is_empty());
        let t = |s: &str| Cell::Text(s.into());
        assert_eq!(rows[2], vec![Cell::Empty, t("title"), t("title")]);
        assert_eq!(rows[3], vec![Cell::Empty, t("block"), Cell::Number(1.0)]);
        assert_eq!(rows[4], vec![Cell::Empty, t("block"), Cell::Number(2.0)]);
    }

    /// An xlsx workbook of two worksheets with a chart sheet between them,
    /// big enough for the merges to be searched beside the cells: rows of
    /// distinct text and numbers, a merged title over each sheet and a
    /// merged block at each sheet's end.
    fn big_merged_workbook() -> Vec<u8> {
        use rust_xlsxwriter::{Chart, ChartType, Format, Workbook};
        let mut book = Workbook::new();
        let mut seed = 12_345u64;
        for (s, rows) in [("客户", 9_000u32), ("Follow-ups", 7_000)] {
            let sheet = book.add_worksheet();
            sheet.set_name(s).expect("name");
            sheet
                .merge_range(0, 0, 0, 3, &format!("{s} title"), &Format::new())
                .expect("merge");
            for r in 1..rows {
                for c in 0..4u16 {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    let v = seed >> 33;
                    if c % 2 == 0 {
                        sheet
                            .write_string(r, c, format!("{s}-{v:x}"))
                            .expect("cell");
                    } else {
                        sheet.write_number(r, c, v as f64).expect("cell");
                    }
                }
            }
            sheet
                .merge_range(rows, 1, rows + 2, 2, &format!("{s} end"), &Format::new())
                .expect("merge");
            sheet.write_string(rows + 3, 0, "last").expect("cell");
            if s == "客户" {
                let mut chart = Chart::new(ChartType::Column);
                chart.add_series().set_values(("客户", 1, 1, 5, 1));
                book.add_chartsheet()
                    .insert_chart(0, 0, &chart)
                    .expect("chart");
            }
        }
        book.save_to_buffer().expect("workbook")
    }

    #[test]
    fn merges_searched_beside_the_cells_are_those_found_after_them() {
        let bytes = big_merged_workbook();
        assert!(bytes.len() >= MERGES_BESIDE_MIN_BYTES, "{}", bytes.len());
        // The second thread's merges, in worksheet order, are what calamine
        // finds sheet by sheet on one thread.
        let names = ["客户".to_owned(), "Follow-ups".to_owned()];
        let beside = search_merges(&bytes, &names);
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(&bytes[..])).expect("open");
        let alone: Vec<_> = names
            .iter()
            .map(|n| book.merge_cells_by_sheet_name(n).ok())
            .collect();
        assert_eq!(beside, alone);
        assert_eq!(beside[0].as_ref().map(Vec::len), Some(2));
        // The sheets read come out filled: the title across its row, the end
        // block over its 3 x 2 cells; the chart sheet is skipped.
        let sheets = read_workbook_bytes(&bytes, Some("xlsx"), "big.xlsx").expect("read");
        let titles: Vec<_> = sheets.iter().map(|s| s.sheet.as_str()).collect();
        assert_eq!(titles, ["客户", "Follow-ups"]);
        for (sheet, rows) in sheets.iter().zip([9_000usize, 7_000]) {
            let t = |s: &str| Cell::Text(format!("{} {s}", sheet.sheet));
            assert_eq!(sheet.rows[0], vec![t("title"); 4]);
            assert_eq!(sheet.rows.len(), rows + 4);
            for row in &sheet.rows[rows..rows + 3] {
                assert_eq!(row[1..], [t("end"), t("end")]);
            }
        }
    }

    #[test]
    fn the_skeleton_keeps_the_sheets_and_merges_and_drops_the_cells() {
        let bytes = big_merged_workbook();
        let skeleton = skeleton(&bytes).expect("a skeleton");
        assert!(
            skeleton.len() * 10 < bytes.len(),
            "{} of {}",
            skeleton.len(),
            bytes.len()
        );
        let mut whole: Xlsx<_> = open_workbook_from_rs(Cursor::new(&bytes[..])).expect("open");
        let mut bare: Xlsx<_> = open_workbook_from_rs(Cursor::new(&skeleton[..])).expect("open");
        assert_eq!(bare.sheet_names(), whole.sheet_names());
        for name in ["客户", "Follow-ups"] {
            let merges = bare.merge_cells_by_sheet_name(name).expect("merges");
            assert_eq!(merges.len(), 2);
            assert_eq!(
                merges,
                whole.merge_cells_by_sheet_name(name).expect("merges")
            );
            assert!(bare.worksheet_range(name).expect("sheet").is_empty());
        }
    }

    #[test]
    fn merges_of_an_unreadable_file_are_left_to_this_thread() {
        // Not a zip: the search opens nothing and finds nothing, so every
        // sheet falls back to the search on the reading thread.
        let bytes = vec![b'x'; MERGES_BESIDE_MIN_BYTES];
        assert!(search_merges(&bytes, &["Sheet1".to_owned()]).is_empty());
    }

    #[test]
    fn budget_stops_far_away_cells() {
        let mut grid = Grid::new(1000, 16_384);
        assert!(grid.put((0, 0), Cell::Number(1.0)).is_ok());
        assert!(grid.put((1_048_575, 16_383), Cell::Number(1.0)).is_err());
        let mut grid = Grid::new(1000, 16_384);
        assert!(grid.put((0, 0), Cell::Number(1.0)).is_ok());
        assert!(grid.put((0, 900), Cell::Number(1.0)).is_ok());
        assert!(grid.put((20, 0), Cell::Number(1.0)).is_ok());
        // A merge over the whole used area would need 21 * 901 cells.
        assert!(grid
            .fill_merges(&[Dimensions::new((0, 0), (20, 900))])
            .is_err());
    }

    #[test]
    fn garbage_is_an_error() {
        for bytes in [
            &b"not a workbook"[..],
            ZIP_MAGIC,
            CFB_MAGIC,
            b"PK\x03\x04garbage",
        ] {
            for ext in [Some("xlsx"), Some("xls"), Some("xlsb"), Some("ods"), None] {
                assert!(read_workbook_bytes(bytes, ext, "x").is_err());
            }
        }
    }
}
