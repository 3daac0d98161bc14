//! Hostile inputs: files built to crash, hang or exhaust the readers (issue
//! "Nothing lost, nothing leaked, no crash"). Each test asserts a clear,
//! one-line answer — an error naming the file and the limit, or what was
//! read — and, by finishing, that nothing panicked, looped or ran out of
//! memory.
//!
//! Small cases are committed under `tests/hostile/` (made by
//! `scripts/make_hostile.py`); big ones (a zip bomb, a million columns, a
//! 50 MB cell, 100 000 empty rows) are built here at test time in a
//! temporary directory. Memory is bounded by limits the code enforces, so
//! each limit is tested by setting it small and asserting its message,
//! never by measuring memory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crm_core::config::Config;
use crm_core::ingest::read::{
    collect_inputs, read_file, ReadError, ReadOptions, TRUNCATION_MARK, WORKBOOK_REREAD_FACTOR,
};
use crm_core::model::{Cell, RawSheet};
use crm_core::normalize::stage::Pipeline;
use crm_core::tables::{LoadOptions, Tables};

// ---------------------------------------------------------------- helpers

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(name: &str) -> TempDir {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("crm-hostile-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    TempDir(dir)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write file");
    path
}

/// A committed file of `tests/hostile/`.
fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile")
        .join(name)
}

/// Reads with `opts`, expecting an error; checks the message is one line
/// naming the file and returns it.
fn error_of(path: &Path, opts: &ReadOptions) -> (ReadError, String) {
    let e = read_file(path, opts).expect_err("an error was expected");
    let msg = e.to_string();
    assert!(!msg.contains('\n'), "one line: {msg}");
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    assert!(
        msg.contains(name.as_deref().unwrap_or("")),
        "names the file: {msg}"
    );
    (e, msg)
}

/// Reads one sheet with `opts`.
fn read_one(path: &Path, opts: &ReadOptions) -> RawSheet {
    let mut sheets = read_file(path, opts).expect("read");
    assert_eq!(sheets.len(), 1, "one sheet");
    sheets.remove(0)
}

/// Loads sheets into tables with the default configuration.
fn load(sheets: &[RawSheet]) -> Tables {
    let config = Config::default();
    let pipeline = Pipeline::default();
    let opts = LoadOptions {
        config: &config,
        pipeline: &pipeline,
        default_year: 2024,
        kind: None,
        progress: None,
    };
    let mut tables = Tables::default();
    for s in sheets {
        tables.add_sheet(s, &opts);
    }
    tables
}

/// Fails when `f` takes longer than `limit` (a hang would never finish; this
/// catches work that is merely far too slow).
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "{what} took {took:?} (limit {limit:?})");
    out
}

const MIB: u64 = 1024 * 1024;

/// CRC-32 (IEEE) of `data`, for zip entries.
fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    let mut crc = !0u32;
    for &b in data {
        crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// One part of a zip: its name, its stored bytes (raw deflate when
/// `deflated`), and the CRC and size its headers declare.
struct Part {
    name: String,
    data: Vec<u8>,
    deflated: bool,
    crc: u32,
    size: u32,
}

impl Part {
    /// A part stored as is, with its true CRC and size.
    fn stored(name: &str, data: &[u8]) -> Part {
        Part {
            name: name.to_owned(),
            data: data.to_vec(),
            deflated: false,
            crc: crc32(data),
            size: u32::try_from(data.len()).expect("small part"),
        }
    }
}

/// A zip archive of `parts` (no compression library needed).
fn zip(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for p in parts {
        let offset = u32::try_from(out.len()).expect("small zip");
        let method: u16 = if p.deflated { 8 } else { 0 };
        let csize = u32::try_from(p.data.len()).expect("small part");
        let name = p.name.as_bytes();
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes()); // version needed
            v.extend(0x0800u16.to_le_bytes()); // UTF-8 names
            v.extend(method.to_le_bytes());
            v.extend(0u16.to_le_bytes()); // time
            v.extend(0x21u16.to_le_bytes()); // date 1980-01-01
            v.extend(p.crc.to_le_bytes());
            v.extend(csize.to_le_bytes());
            v.extend(p.size.to_le_bytes());
            v.extend(u16::try_from(name.len()).expect("name").to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name);
        out.extend(&p.data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend([0u8; 8]); // comment, disk, internal and external attributes
        central.extend(0u16.to_le_bytes());
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let cd_offset = u32::try_from(out.len()).expect("small zip");
    let n = u16::try_from(parts.len()).expect("few parts");
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend(u32::try_from(central.len()).expect("small").to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Bits of a deflate stream, least significant first.
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn new() -> Bits {
        Bits {
            out: Vec::new(),
            acc: 0,
            n: 0,
        }
    }

    /// Raw bits, least significant first.
    fn put(&mut self, value: u32, len: u32) {
        for i in 0..len {
            self.acc |= ((value >> i) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    /// A literal byte in the fixed Huffman code.
    fn literal(&mut self, b: u8) {
        if b < 144 {
            self.code(0x30 + u32::from(b), 8);
        } else {
            self.code(0x190 + u32::from(b) - 144, 9);
        }
    }

    /// "Copy 258 bytes from 1 byte back": length code 285, distance code 0.
    fn repeat258(&mut self) {
        self.code(0xC5, 8);
        self.code(0, 5);
    }

    fn finish(mut self) -> Vec<u8> {
        self.code(0, 7); // end of block
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A raw deflate stream of `prefix`, then `run` copies of `byte`, then
/// `suffix`: one fixed-Huffman block where each 258 repeated bytes cost 13
/// bits (about 160:1), built without a compression library and fast even
/// for gigabytes (8 copies make exactly 13 bytes, repeated by memcpy).
fn deflate_run(prefix: &[u8], byte: u8, run: u64, suffix: &[u8]) -> Vec<u8> {
    let mut bits = Bits::new();
    bits.put(1, 1); // last block
    bits.put(1, 2); // fixed Huffman codes
    for &b in prefix {
        bits.literal(b);
    }
    bits.literal(byte);
    let rest = run - 1;
    let mut pairs = rest / 258;
    while pairs > 0 && bits.n != 0 {
        bits.repeat258();
        pairs -= 1;
    }
    let mut eight = Bits::new();
    for _ in 0..8 {
        eight.repeat258();
    }
    assert_eq!((eight.out.len(), eight.n), (13, 0));
    for _ in 0..pairs / 8 {
        bits.out.extend_from_slice(&eight.out);
    }
    for _ in 0..pairs % 8 {
        bits.repeat258();
    }
    for _ in 0..rest % 258 {
        bits.literal(byte);
    }
    for &b in suffix {
        bits.literal(b);
    }
    bits.finish()
}

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The parts of an xlsx around its sheets: `sheets` names each sheet and the
/// part it points at (several may point at one part).
fn xlsx_frame(sheets: &[(&str, &str)]) -> Vec<Part> {
    let mut workbook = format!(r#"<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>"#);
    let mut rels = format!(r#"<Relationships xmlns="{PKG_REL}">"#);
    for (i, (name, target)) in sheets.iter().enumerate() {
        workbook.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
            i + 1,
            i + 1
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL}/worksheet" Target="{target}"/>"#,
            i + 1
        ));
    }
    workbook.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let types = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
    let root = format!(
        r#"<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    vec![
        Part::stored("[Content_Types].xml", types.as_bytes()),
        Part::stored("_rels/.rels", root.as_bytes()),
        Part::stored("xl/workbook.xml", workbook.as_bytes()),
        Part::stored("xl/_rels/workbook.xml.rels", rels.as_bytes()),
    ]
}

/// A one-sheet xlsx whose sheet part holds `sheet_xml`, stored.
fn xlsx_with_sheet(sheet_xml: &str) -> Vec<u8> {
    let mut parts = xlsx_frame(&[("客户", "worksheets/sheet1.xml")]);
    parts.push(Part::stored(
        "xl/worksheets/sheet1.xml",
        sheet_xml.as_bytes(),
    ));
    zip(&parts)
}

fn inline(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// `企业名称 | 所属行业` on spreadsheet row `r`, then a customer on row `r + 1`.
fn table_rows(r: usize) -> String {
    format!(
        r#"<row r="{r}">{}{}</row><row r="{}">{}{}</row>"#,
        inline(&format!("A{r}"), "企业名称"),
        inline(&format!("B{r}"), "所属行业"),
        r + 1,
        inline(&format!("A{}", r + 1), "杭州甲科技有限公司"),
        inline(&format!("B{}", r + 1), "软件"),
    )
}

fn worksheet(rows: &str) -> String {
    format!(r#"<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>"#)
}

/// The spreadsheet column name of a 0-based index (`A`, `Z`, `AA`, …).
fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    i += 1;
    while i > 0 {
        let r = (i - 1) % 26;
        s.push(b'A' + r as u8);
        i = (i - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

// ------------------------------------------------------------------ tests

#[test]
fn helpers_make_valid_zips_and_deflate() {
    // A stored zip that calamine reads, and a deflate run that inflates to
    // exactly what it claims (checked through calamine itself: a sheet whose
    // padding is 100 000 spaces).
    let dir = temp_dir("helpers");
    let p = write(
        &dir,
        "ok.xlsx",
        &xlsx_with_sheet(&worksheet(&table_rows(1))),
    );
    let sheet = read_one(&p, &ReadOptions::default());
    assert_eq!(sheet.rows[1][0], Cell::Text("杭州甲科技有限公司".into()));

    let head = format!(r#"<worksheet xmlns="{NS}"><sheetData>{}"#, table_rows(1));
    let tail = "</sheetData></worksheet>";
    let run = 100_000u64;
    let mut whole = head.clone().into_bytes();
    whole.extend(std::iter::repeat_n(b' ', run as usize));
    whole.extend(tail.as_bytes());
    let mut parts = xlsx_frame(&[("客户", "worksheets/sheet1.xml")]);
    parts.push(Part {
        name: "xl/worksheets/sheet1.xml".into(),
        data: deflate_run(head.as_bytes(), b' ', run, tail.as_bytes()),
        deflated: true,
        crc: crc32(&whole),
        size: u32::try_from(whole.len()).expect("small"),
    });
    let p = write(&dir, "deflated.xlsx", &zip(&parts));
    let sheet = read_one(&p, &ReadOptions::default());
    assert_eq!(sheet.rows[1][1], Cell::Text("软件".into()));
    assert_eq!(column_name(0), "A");
    assert_eq!(column_name(16_383), "XFD");
}

#[test]
fn truncated_xlsx_is_corrupt() {
    let (e, msg) = error_of(&hostile("truncated.xlsx"), &ReadOptions::default());
    assert!(matches!(e, ReadError::Corrupt { .. }), "{msg}");
    assert!(msg.contains("save it again"), "{msg}");
}

/// A sheet that unpacks to gigabytes: refused from the sizes its zip
/// directory declares, before anything is unpacked.
#[test]
fn zip_bomb_of_gigabytes_is_refused_by_default() {
    let dir = temp_dir("bomb");
    // Two parts of 3 GB of spaces each (6 GB in all, over the 4 GiB
    // default); 37 MB of deflate would be needed to hold them, so their
    // streams hold only the first MiB: nothing is ever unpacked anyway.
    let head = format!(r#"<worksheet xmlns="{NS}"><sheetData>{}"#, table_rows(1));
    let data = deflate_run(head.as_bytes(), b' ', MIB, b"");
    let mut parts = xlsx_frame(&[
        ("客户", "worksheets/sheet1.xml"),
        ("客户2", "worksheets/sheet2.xml"),
    ]);
    for n in 1..=2 {
        parts.push(Part {
            name: format!("xl/worksheets/sheet{n}.xml"),
            data: data.clone(),
            deflated: true,
            crc: 0,
            size: 3_000_000_000,
        });
    }
    let bytes = zip(&parts);
    assert!(bytes.len() < 100_000, "a tiny file: {}", bytes.len());
    let path = write(&dir, "bomb.xlsx", &bytes);
    let (e, msg) = within(Duration::from_secs(2), "refusing the bomb", || {
        error_of(&path, &ReadOptions::default())
    });
    assert!(
        matches!(e, ReadError::TooMuchData { limit, .. } if limit == 4 * 1024 * MIB),
        "{msg}"
    );
    assert!(
        msg.contains("zip bomb") && msg.contains("4294967296"),
        "{msg}"
    );
}

/// A real bomb (its deflate stream truly unpacks to 1 GiB of spaces, ~7 MB
/// zipped) against a small limit: the limit's message.
#[test]
fn zip_bomb_over_a_small_limit_names_the_part() {
    let dir = temp_dir("bomb-small");
    let head = format!(r#"<worksheet xmlns="{NS}"><sheetData>{}"#, table_rows(1));
    let tail = "</sheetData></worksheet>";
    let run = 1024 * MIB;
    let size = head.len() as u64 + run + tail.len() as u64;
    let mut parts = xlsx_frame(&[("客户", "worksheets/sheet1.xml")]);
    parts.push(Part {
        name: "xl/worksheets/sheet1.xml".into(),
        data: deflate_run(head.as_bytes(), b' ', run, tail.as_bytes()),
        deflated: true,
        crc: 0, // never checked: the file is refused before unpacking
        size: u32::try_from(size).expect("under 4 GiB"),
    });
    let path = write(&dir, "bomb.xlsx", &zip(&parts));
    let opts = ReadOptions {
        max_decompressed_bytes: 64 * MIB,
        ..ReadOptions::default()
    };
    let (e, msg) = error_of(&path, &opts);
    assert!(matches!(e, ReadError::TooMuchData { .. }), "{msg}");
    assert!(
        msg.contains(&format!(
            "part xl/worksheets/sheet1.xml declares {size} bytes"
        )) && msg.contains("67108864"),
        "{msg}"
    );
}

/// A bomb that lies: its directory declares 1 KiB, its stream unpacks to
/// 1 GiB. The unzipper stops at the declared size.
#[test]
fn zip_bomb_lying_about_its_size_is_cut_at_the_declared_size() {
    let dir = temp_dir("bomb-lie");
    let head = format!(r#"<worksheet xmlns="{NS}"><sheetData>{}"#, table_rows(1));
    let mut parts = xlsx_frame(&[("客户", "worksheets/sheet1.xml")]);
    parts.push(Part {
        name: "xl/worksheets/sheet1.xml".into(),
        data: deflate_run(
            head.as_bytes(),
            b' ',
            1024 * MIB,
            b"</sheetData></worksheet>",
        ),
        deflated: true,
        crc: 0,
        size: 1024,
    });
    let path = write(&dir, "liar.xlsx", &zip(&parts));
    let (e, msg) = within(Duration::from_secs(5), "reading the liar", || {
        error_of(&path, &ReadOptions::default())
    });
    assert!(matches!(e, ReadError::Corrupt { .. }), "{msg}");
    assert!(msg.contains("larger than its declared"), "{msg}");
}

/// One sheet part named by many sheets: each read is within the declared
/// sizes, but together they would multiply the work; the read budget
/// ([`WORKBOOK_REREAD_FACTOR`] times the file) stops it.
#[test]
fn one_part_read_as_many_sheets_is_refused() {
    let dir = temp_dir("reuse");
    let names: Vec<String> = (0..300).map(|i| format!("s{i}")).collect();
    let sheets: Vec<(&str, &str)> = names
        .iter()
        .map(|n| (n.as_str(), "worksheets/sheet1.xml"))
        .collect();
    let mut parts = xlsx_frame(&sheets);
    let mut rows = table_rows(1);
    for r in 3..2000 {
        rows.push_str(&format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#));
    }
    parts.push(Part::stored(
        "xl/worksheets/sheet1.xml",
        worksheet(&rows).as_bytes(),
    ));
    let path = write(&dir, "reuse.xlsx", &zip(&parts));
    let (e, msg) = error_of(&path, &ReadOptions::default());
    assert!(matches!(e, ReadError::TooMuchData { .. }), "{msg}");
    assert!(
        msg.contains(&format!(
            "its sheets make the reader go over the file more than {WORKBOOK_REREAD_FACTOR} times"
        )),
        "{msg}"
    );
}

/// Nested entities ("billion laughs") are not expanded: the reader takes
/// the entity reference as it is, and the file reads in an instant.
#[test]
fn billion_laughs_is_not_expanded() {
    let result = within(Duration::from_secs(2), "billion laughs", || {
        read_file(&hostile("billion_laughs.xlsx"), &ReadOptions::default())
    });
    match result {
        Ok(sheets) => {
            let chars: usize = sheets
                .iter()
                .flat_map(|s| s.rows.iter().flatten())
                .map(|c| c.display().len())
                .sum();
            assert!(chars < 10_000, "entities expanded: {chars} chars");
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(
                matches!(e, ReadError::Corrupt { .. }) && !msg.contains('\n'),
                "{msg}"
            );
        }
    }
}

#[test]
fn row_of_a_million_columns_csv() {
    let dir = temp_dir("wide-csv");
    let mut text = "企业名称,所属行业".to_owned();
    text.push_str(&",x".repeat(1_000_000));
    text.push_str("\n甲公司,软件\n");
    let path = write(&dir, "wide.csv", text.as_bytes());
    let (e, msg) = error_of(&path, &ReadOptions::default());
    assert!(
        matches!(
            e,
            ReadError::TooManyColumns {
                row: 1,
                limit: 16_384,
                ..
            }
        ),
        "{msg}"
    );
    assert!(msg.contains("row 1 has more than 16384 columns"), "{msg}");
}

#[test]
fn row_of_a_million_columns_xlsx() {
    let dir = temp_dir("wide-xlsx");
    let mut row = String::from(r#"<row r="1">"#);
    for c in 0..1_000_000usize {
        row.push_str(&format!(r#"<c r="{}1"><v>1</v></c>"#, column_name(c)));
    }
    row.push_str("</row>");
    let path = write(&dir, "wide.xlsx", &xlsx_with_sheet(&worksheet(&row)));
    let (e, msg) = error_of(&path, &ReadOptions::default());
    assert!(
        matches!(
            e,
            ReadError::TooManyColumns {
                row: 1,
                limit: 16_384,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("sheet '客户' row 1 has more than 16384 columns"),
        "{msg}"
    );
}

/// Within a raised column limit, a very wide header row is read and loaded
/// in linear time (header matching used to fold every synonym for every cell).
#[test]
fn wide_rows_load_quickly_within_a_raised_limit() {
    let dir = temp_dir("wide-load");
    let mut text = "企业名称,所属行业".to_owned();
    for i in 0..100_000 {
        text.push_str(&format!(",列{i}"));
    }
    text.push_str("\n甲公司,软件\n");
    let path = write(&dir, "wide.csv", text.as_bytes());
    let opts = ReadOptions {
        max_columns: 200_000,
        ..ReadOptions::default()
    };
    let sheet = read_one(&path, &opts);
    assert_eq!(sheet.rows[0].len(), 100_002);
    let tables = within(Duration::from_secs(10), "loading 100 002 columns", || {
        load(&[sheet])
    });
    assert_eq!(tables.customers.len(), 1);
    assert_eq!(tables.inputs[0].header_row, Some(1));
}

#[test]
fn cell_of_50_mb_is_cut_at_the_cell_limit() {
    let dir = temp_dir("bigcell");
    let mut bytes = "企业名称,所属行业,备注\n甲公司,软件,\"".as_bytes().to_vec();
    bytes.extend(std::iter::repeat_n(b'a', 50_000_000));
    bytes.extend(b"\"\n");
    let path = write(&dir, "big.csv", &bytes);
    // The default limit: 1 000 000 characters, then the mark.
    let sheet = read_one(&path, &ReadOptions::default());
    let Cell::Text(cell) = &sheet.rows[1][2] else {
        panic!("text cell expected")
    };
    assert_eq!(cell.len(), 1_000_000 + TRUNCATION_MARK.len());
    assert!(cell.ends_with(TRUNCATION_MARK));
    // A small limit, and the table still loads.
    let opts = ReadOptions {
        max_cell_chars: 10,
        ..ReadOptions::default()
    };
    let sheet = read_one(&path, &opts);
    assert_eq!(
        sheet.rows[1][2],
        Cell::Text(format!("aaaaaaaaaa{TRUNCATION_MARK}"))
    );
    let tables = load(&[sheet]);
    assert_eq!(tables.customers.len(), 1);
}

#[test]
fn cell_limit_applies_to_workbooks() {
    let dir = temp_dir("bigcell-xlsx");
    let long = "长".repeat(5000);
    let rows = format!(
        r#"{}<row r="3">{}</row>"#,
        table_rows(1),
        inline("A3", &long)
    );
    let path = write(&dir, "long.xlsx", &xlsx_with_sheet(&worksheet(&rows)));
    let opts = ReadOptions {
        max_cell_chars: 100,
        ..ReadOptions::default()
    };
    let sheet = read_one(&path, &opts);
    assert_eq!(
        sheet.rows[2][0],
        Cell::Text(format!("{}{TRUNCATION_MARK}", "长".repeat(100)))
    );
}

#[test]
fn nul_bytes_in_csv() {
    // A few NULs: still text; they are kept in the cells, nothing is lost.
    let sheet = read_one(&hostile("nul_bytes.csv"), &ReadOptions::default());
    assert_eq!(sheet.rows[1][0], Cell::Text("甲\0公司".into()));
    assert_eq!(sheet.rows[2][1], Cell::Text("制\0造".into()));
    let tables = load(&[sheet]);
    assert_eq!(tables.customers.len(), 2);
    // Mostly NULs: refused as binary.
    let (e, msg) = error_of(&hostile("mostly_nul.csv"), &ReadOptions::default());
    assert!(matches!(e, ReadError::NotText { .. }), "{msg}");
    assert!(msg.contains("the file is binary, not text"), "{msg}");
}

#[test]
fn invalid_utf8_after_a_bom() {
    // The BOM decides: the valid text is read as UTF-8 and each invalid
    // sequence becomes U+FFFD, so the rows around it are intact.
    let sheet = read_one(&hostile("invalid_utf8_bom.csv"), &ReadOptions::default());
    assert_eq!(sheet.encoding.as_deref(), Some("UTF-8-BOM"));
    assert_eq!(sheet.rows[1][0], Cell::Text("甲公司".into()));
    assert!(sheet.rows[2][0].display().contains('\u{FFFD}'));
    assert_eq!(sheet.rows[3][0], Cell::Text("丙公司".into()));
    let tables = load(&[sheet]);
    assert_eq!(tables.inputs[0].header_row, Some(1));
}

/// Lines in GBK and lines in UTF-8 (the header in UTF-8): each line is
/// read in its own encoding, and the file is reported as mixed. No row is
/// lost or garbled.
#[test]
fn mixed_encodings_are_read_line_by_line() {
    let sheet = read_one(&hostile("mixed_encodings.csv"), &ReadOptions::default());
    assert_eq!(sheet.encoding.as_deref(), Some("UTF-8+GB18030"));
    let names: Vec<String> = sheet.rows.iter().map(|r| r[0].display()).collect();
    assert_eq!(names, ["企业名称", "甲公司", "乙公司", "丙公司"]);
    let tables = load(&[sheet]);
    assert_eq!(tables.inputs[0].header_row, Some(1));
    assert_eq!(tables.customers.len(), 3);
}

/// A quote opened and never closed (a hand-typed `"VIP` in a CSV) takes
/// in the rest of the file, as in Excel: the sheet's `inputs` entry says
/// at which row, how many lines, and what to fix. The rows before it are
/// read as usual.
#[test]
fn an_unclosed_quote_is_noted_on_the_sheet() {
    let dir = temp_dir("unclosed");
    let mut text = String::from("企业名称,客户分级,备注\n");
    for i in 0..300 {
        let note = if i == 200 { "\"VIP" } else { "老客户" };
        text.push_str(&format!("甲{i}公司,A,{note}\n"));
    }
    let path = write(&dir, "客户.csv", text.as_bytes());
    let sheet = read_one(&path, &ReadOptions::default());
    let note = sheet.note.clone().expect("a note");
    assert!(note.starts_with("row 202: a quote"), "{note}");
    assert!(note.contains("99 line(s)"), "{note}");
    let tables = load(&[sheet]);
    assert_eq!(tables.inputs[0].note.as_deref(), Some(note.as_str()));
    assert_eq!(tables.customers.len(), 201);
    // Closed quotes, and a file without quotes, leave no note.
    let closed = write(
        &dir,
        "ok.csv",
        "企业名称,备注\n甲,\"多\n行\"\n乙,x\n".as_bytes(),
    );
    assert_eq!(read_one(&closed, &ReadOptions::default()).note, None);
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop_ends() {
    let dir = temp_dir("loop");
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("sub")).expect("dirs");
    write(&data, "a.csv", b"x\n");
    write(&data.join("sub"), "b.csv", b"x\n");
    std::os::unix::fs::symlink(&data, data.join("sub").join("back")).expect("link");
    std::os::unix::fs::symlink(data.join("self"), data.join("self")).expect("self link");
    let entries = within(Duration::from_secs(5), "collect_inputs", || {
        collect_inputs(std::slice::from_ref(&data))
    });
    let files: Vec<String> = entries
        .iter()
        .filter_map(|e| e.as_ref().ok())
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(files, ["a.csv", "b.csv"]);
    // The self-referencing link is reported, not followed.
    let errors: Vec<String> = entries
        .iter()
        .filter_map(|e| e.as_ref().err())
        .map(|(_, e)| e.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("self"), "{errors:?}");
}

#[test]
fn data_after_100k_empty_rows_is_found() {
    let dir = temp_dir("empty-rows");
    // xlsx: 100 000 empty <row> elements, then the table.
    let mut rows = String::new();
    for r in 1..=100_000 {
        rows.push_str(&format!(r#"<row r="{r}"/>"#));
    }
    rows.push_str(&table_rows(100_001));
    let path = write(&dir, "tall.xlsx", &xlsx_with_sheet(&worksheet(&rows)));
    let sheet = read_one(&path, &ReadOptions::default());
    assert_eq!(sheet.rows.len(), 100_002);
    let tables = load(&[sheet]);
    assert_eq!(tables.inputs[0].header_row, Some(100_001));
    assert_eq!(tables.customers.len(), 1);
    // csv: 100 000 blank lines, then the table.
    let mut text = "\n".repeat(100_000);
    text.push_str("企业名称,所属行业\n甲公司,软件\n");
    let sheet = read_one(
        &write(&dir, "tall.csv", text.as_bytes()),
        &ReadOptions::default(),
    );
    let tables = load(&[sheet]);
    assert_eq!(tables.inputs[0].header_row, Some(100_001));
    assert_eq!(tables.customers.len(), 1);
}

#[test]
fn password_protected_xlsx() {
    // A real encrypted package (msoffcrypto-tool): an OLE2 container.
    let (e, msg) = error_of(&hostile("encrypted.xlsx"), &ReadOptions::default());
    assert!(matches!(e, ReadError::PasswordProtected { .. }), "{msg}");
    assert!(msg.contains("remove the password"), "{msg}");
}

#[test]
fn fake_ole2_header_is_corrupt() {
    let (e, msg) = error_of(&hostile("fake_ole2.xlsx"), &ReadOptions::default());
    assert!(matches!(e, ReadError::Corrupt { .. }), "{msg}");
}

/// An .xls whose directory sector chain loops: calamine would read it
/// forever, growing a buffer until memory runs out.
#[test]
fn xls_sector_chain_loop_is_corrupt() {
    let (e, msg) = within(Duration::from_secs(5), "reading the loop", || {
        error_of(&hostile("cfb_loop.xls"), &ReadOptions::default())
    });
    assert!(matches!(e, ReadError::Corrupt { .. }), "{msg}");
    assert!(msg.contains("its sector chains loop"), "{msg}");
}

/// An .xls whose Dimensions record declares four billion rows: calamine
/// would reserve terabytes while opening it (an allocation failure aborts).
#[test]
fn xls_huge_dimensions_are_refused() {
    let (e, msg) = error_of(&hostile("xls_huge_dimensions.xls"), &ReadOptions::default());
    assert!(matches!(e, ReadError::SheetTooLarge { .. }), "{msg}");
    assert!(msg.contains("more than 67108864 cells"), "{msg}");
}

/// An .xls with cells at A1 and at row 65 536, column 65 536: calamine would
/// lay out a dense rectangle of four billion cells.
#[test]
fn xls_far_apart_cells_are_refused() {
    let (e, msg) = error_of(&hostile("xls_far_cells.xls"), &ReadOptions::default());
    assert!(matches!(e, ReadError::SheetTooLarge { .. }), "{msg}");
    assert!(
        msg.contains("sheet '(all sheets)' spans more than 67108864 cells"),
        "{msg}"
    );
}

/// Many copies of one large merged region: each copy is within the sheet,
/// but filling them all would loop for hours.
#[test]
fn overlapping_merges_are_bounded() {
    let dir = temp_dir("merges");
    let mut rows = table_rows(1);
    for r in 3..=1000 {
        rows.push_str(&format!(r#"<row r="{r}"><c r="Z{r}"><v>1</v></c></row>"#));
    }
    let merges: String = std::iter::repeat_n(r#"<mergeCell ref="A1:Z1000"/>"#, 100_000).collect();
    let xml = format!(
        r#"<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData><mergeCells count="100000">{merges}</mergeCells></worksheet>"#
    );
    let path = write(&dir, "merges.xlsx", &xlsx_with_sheet(&xml));
    let (e, msg) = within(Duration::from_secs(20), "filling the merges", || {
        error_of(&path, &ReadOptions::default())
    });
    assert!(matches!(e, ReadError::SheetTooLarge { .. }), "{msg}");
}

#[test]
fn cell_limit_message_csv_and_xlsx() {
    let dir = temp_dir("cells");
    let opts = ReadOptions {
        max_cells: 50,
        ..ReadOptions::default()
    };
    let csv = "企业名称,所属行业\n".to_owned() + &"甲公司,软件\n".repeat(30);
    let (e, msg) = error_of(&write(&dir, "many.csv", csv.as_bytes()), &opts);
    assert!(
        matches!(e, ReadError::SheetTooLarge { limit: 50, .. }),
        "{msg}"
    );
    assert!(
        msg.contains("sheet 'many' spans more than 50 cells"),
        "{msg}"
    );
    let mut rows = table_rows(1);
    for r in 3..40 {
        rows.push_str(&format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#));
    }
    let path = write(&dir, "many.xlsx", &xlsx_with_sheet(&worksheet(&rows)));
    let (e, msg) = error_of(&path, &opts);
    assert!(
        matches!(e, ReadError::SheetTooLarge { limit: 50, .. }),
        "{msg}"
    );
    assert!(
        msg.contains("sheet '客户' spans more than 50 cells"),
        "{msg}"
    );
    // A blank-line flood counts too.
    let mut flood = "\n".repeat(1000);
    flood.push_str("a\n");
    let (e, _) = error_of(&write(&dir, "blank.csv", flood.as_bytes()), &opts);
    assert!(matches!(e, ReadError::SheetTooLarge { .. }));
}

#[test]
fn column_limit_message_csv_and_xlsx() {
    let dir = temp_dir("cols");
    let opts = ReadOptions {
        max_columns: 3,
        ..ReadOptions::default()
    };
    let (e, msg) = error_of(&write(&dir, "w.csv", b"a,b,c\n1,2,3,4\n"), &opts);
    assert!(
        matches!(
            e,
            ReadError::TooManyColumns {
                row: 2,
                limit: 3,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("sheet 'w' row 2 has more than 3 columns"),
        "{msg}"
    );
    let rows = format!(
        r#"{}<row r="3"><c r="D3"><v>1</v></c></row>"#,
        table_rows(1)
    );
    let path = write(&dir, "w.xlsx", &xlsx_with_sheet(&worksheet(&rows)));
    let (e, msg) = error_of(&path, &opts);
    assert!(
        matches!(
            e,
            ReadError::TooManyColumns {
                row: 3,
                limit: 3,
                ..
            }
        ),
        "{msg}"
    );
}

/// An OpenDocument spreadsheet of `rows_xml` (the rows of one table named `客户`).
fn ods_with_rows(rows_xml: &str) -> Vec<u8> {
    ods_of(&ods_content(rows_xml))
}

/// The `content.xml` of [`ods_with_rows`].
fn ods_content(rows_xml: &str) -> String {
    ods_content_of(&format!(
        r#"<table:table table:name="客户">{rows_xml}</table:table>"#
    ))
}

/// A `content.xml` whose spreadsheet body is `tables_xml`.
fn ods_content_of(tables_xml: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables_xml}</office:spreadsheet></office:body></office:document-content>"#
    )
}

/// An OpenDocument spreadsheet holding `content` as its `content.xml`.
fn ods_of(content: &str) -> Vec<u8> {
    ods_with_part(Part::stored("content.xml", content.as_bytes()))
}

/// An OpenDocument spreadsheet whose `content.xml` is `content`.
fn ods_with_part(content: Part) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(&[
        Part::stored(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        content,
        Part::stored("META-INF/manifest.xml", manifest.as_bytes()),
    ])
}

fn ods_text(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// Ten thousand rows of one value repeated across 16 384 columns: 7 KB
/// zipped, and calamine expanded it into gigabytes while opening the file
/// (the process aborted). Refused before calamine sees it.
#[test]
fn ods_repeat_bomb_is_refused() {
    let dir = temp_dir("ods-bomb");
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    let path = write(&dir, "bomb.ods", &ods_with_rows(&row.repeat(10_000)));
    let (e, msg) = within(Duration::from_secs(10), "scanning the ods", || {
        error_of(&path, &ReadOptions::default())
    });
    assert!(matches!(e, ReadError::SheetTooLarge { .. }), "{msg}");
    assert!(
        msg.contains("sheet '(all sheets)' spans more than 67108864 cells"),
        "{msg}"
    );
}

/// What LibreOffice writes (empty cells and rows repeated to the sheet's
/// edge) is not mistaken for a bomb, even under a small cell limit.
#[test]
fn ods_with_trailing_repeats_reads() {
    let dir = temp_dir("ods-ok");
    let rows = format!(
        r#"<table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        ods_text("企业名称"),
        ods_text("所属行业"),
        ods_text("杭州甲科技有限公司"),
        ods_text("软件"),
    );
    let path = write(&dir, "ok.ods", &ods_with_rows(&rows));
    let opts = ReadOptions {
        max_cells: 100,
        ..ReadOptions::default()
    };
    let sheet = read_one(&path, &opts);
    assert_eq!(sheet.rows[1][0], Cell::Text("杭州甲科技有限公司".into()));
    assert_eq!(load(&[sheet]).customers.len(), 1);
}

/// Found by the `xlsx_read` fuzz target (minimized): an OLE2 file whose
/// sector chain reaches a sector starting past the end of the file. calamine
/// sliced its buffer out of range and panicked (caught, but printed on the
/// terminal); the pre-check now refuses it first.
#[test]
fn fuzz_cfb_sector_past_end_of_file_is_corrupt() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/artifacts/xlsx_read/crash-cfb-sector-past-eof");
    let dir = temp_dir("fuzz-cfb");
    let path = write(&dir, "fuzz.xlsx", &std::fs::read(input).expect("artifact"));
    let (e, msg) = error_of(&path, &ReadOptions::default());
    assert!(matches!(e, ReadError::Corrupt { .. }), "{msg}");
    assert!(
        msg.contains("a sector lies past the end of the file"),
        "{msg}"
    );
}

/// The pre-checks refuse nothing a real writer makes: an `.xls` written by
/// xlwt (the fuzz seed) reads, with its header and data.
#[test]
fn real_xls_passes_the_checks() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/xlsx_read/seed-min.xls");
    let dir = temp_dir("real-xls");
    let path = write(&dir, "real.xls", &std::fs::read(seed).expect("seed"));
    let sheets = read_file(&path, &ReadOptions::default()).expect("read");
    assert_eq!(sheets[0].rows[2][0], Cell::Text("企业名称".into()));
    let tables = load(&sheets);
    assert_eq!(tables.inputs[0].header_row, Some(3));
}

/// Reads `path` on a thread and fails the test when no answer comes within
/// `limit`: a reader caught in an endless loop never returns (the thread is
/// left spinning until the test binary exits, rather than hanging the suite).
fn read_within(
    path: &Path,
    opts: ReadOptions,
    limit: Duration,
) -> Result<Vec<RawSheet>, ReadError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(read_file(&owned, &opts));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("reading {} did not end within {limit:?}", path.display()))
}

/// Expects `read_within` to refuse the ods `content` (cut short) as corrupt.
fn assert_cut_off_ods_is_corrupt(name: &str, content: &str) {
    let dir = temp_dir(name);
    let path = write(&dir, &format!("{name}.ods"), &ods_of(content));
    let e = read_within(&path, ReadOptions::default(), Duration::from_secs(10))
        .expect_err("a cut-off content.xml is refused");
    let msg = e.to_string();
    assert!(matches!(e, ReadError::Corrupt { .. }), "{msg}");
    assert!(msg.contains("cut off inside a table"), "{msg}");
}

/// A `content.xml` that ends inside a table, between its rows: calamine 0.38
/// (`read_table`) took the end of the file for just another event and
/// looped on it forever, at full CPU. Refused before calamine sees it.
#[test]
fn ods_cut_off_between_rows_is_corrupt_not_a_hang() {
    let content = ods_content(&format!(
        "<table:table-row>{}</table:table-row>",
        ods_text("杭州甲科技有限公司")
    ));
    let cut = content.find("</table:table>").expect("table end");
    assert_cut_off_ods_is_corrupt("ods-cut-rows", &content[..cut]);
}

/// The same loop in calamine's reading of a text cell's annotation (a
/// comment on the cell): a file ending inside one never finished either.
#[test]
fn ods_cut_off_inside_a_cell_comment_is_corrupt_not_a_hang() {
    let content = ods_content(
        r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>note</text:p></office:annotation><text:p>v</text:p></table:table-cell></table:table-row>"#,
    );
    let cut = content
        .find("</office:annotation>")
        .expect("annotation end");
    assert_cut_off_ods_is_corrupt("ods-cut-note", &content[..cut]);
}

/// A repeat count calamine cannot parse, where calamine does not read it
/// (outside the tables it reads, or inside a cell's content), used to end
/// the pre-check, and so did one written with character references, which
/// calamine decodes: what followed was laid out by calamine unchecked. Each
/// is now followed by the check, which refuses the table after it up front
/// (a million cells here; a real bomb makes gigabytes).
#[test]
fn ods_odd_repeat_counts_do_not_end_the_check() {
    let bomb = |rows: &str| {
        format!(
            r#"<table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>"#
        )
    };
    let cell = ods_text("v");
    let cases = [
        // A table calamine skips (no name), with a bad count, before the bomb.
        format!(
            r#"<table:table><table:table-row table:number-rows-repeated="x"/></table:table><table:table table:name="S"><table:table-row>{cell}</table:table-row>{}</table:table>"#,
            bomb("1000")
        ),
        // A bad count inside a cell's content, which calamine skips.
        format!(
            r#"<table:table table:name="S"><table:table-row><table:table-cell><table:table-row table:number-rows-repeated="x"/></table:table-cell>{cell}</table:table-row>{}</table:table>"#,
            bomb("1000")
        ),
        // 1000 as calamine decodes it: `&#49;000`.
        format!(
            r#"<table:table table:name="S"><table:table-row>{cell}</table:table-row>{}</table:table>"#,
            bomb("&#49;000")
        ),
    ];
    let opts = ReadOptions {
        max_cells: 100,
        ..ReadOptions::default()
    };
    for (i, tables) in cases.iter().enumerate() {
        let dir = temp_dir("ods-odd-repeats");
        let path = write(
            &dir,
            &format!("odd{i}.ods"),
            &ods_of(&ods_content_of(tables)),
        );
        let (e, msg) = within(Duration::from_secs(10), "reading the ods", || {
            error_of(&path, &opts)
        });
        assert!(
            matches!(e, ReadError::SheetTooLarge { .. }),
            "case {i}: {msg}"
        );
        // Refused by the pre-check (which names no sheet), not after calamine
        // laid the table out (which would name sheet 'S').
        assert!(msg.contains("sheet '(all sheets)'"), "case {i}: {msg}");
    }
}

/// An ods whose one table holds one row of one text cell of `content`
/// (inside its paragraph).
fn ods_with_text(content: &str) -> Vec<u8> {
    ods_with_rows(&format!(
        "<table:table-row>{}</table:table-row>",
        ods_text(content)
    ))
}

/// calamine 0.38 turns `<text:s text:c="N"/>` in a text cell into N spaces
/// with no bound (`get_datatype`): 64 tags asking for 100 million spaces
/// each, 2 KB of `content.xml`, made it build a 6.4 GB string and run out
/// of memory, far under the cell limit. Refused by the pre-check, up front,
/// against the decompressed-size budget.
#[test]
fn ods_space_run_bomb_is_refused() {
    let dir = temp_dir("ods-spaces");
    let runs = r#"<text:s text:c="100000000"/>"#.repeat(64);
    let path = write(&dir, "spaces.ods", &ods_with_text(&runs));
    let e = read_within(&path, ReadOptions::default(), Duration::from_secs(10))
        .expect_err("a space-run bomb is refused");
    assert_refused_for_text(&e);
    let msg = e.to_string();
    assert!(
        msg.contains(
            "the text of its cells, copied into each repeat of a repeated cell, would take at least"
        ),
        "{msg}"
    );
    assert!(msg.contains("over the limit of 4294967296 bytes"), "{msg}");
}

/// Expects the refusal of an ods for the text of its cells, against the
/// default 4 GiB budget.
fn assert_refused_for_text(e: &ReadError) {
    let msg = e.to_string();
    assert!(
        matches!(
            e,
            ReadError::TooMuchData {
                limit: 4_294_967_296,
                ..
            }
        ),
        "{msg}"
    );
    assert!(msg.contains("the text of its cells"), "{msg}");
}

/// One run of a million spaces in a text cell repeated over 16 384
/// columns: calamine clones the value into each column (16 GB) though the
/// file holds one run and the cells are within the limit. The check counts
/// the spaces once per copy.
#[test]
fn ods_repeated_space_run_is_refused() {
    let dir = temp_dir("ods-spaces-repeated");
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>a<text:s text:c="1000000"/>b</text:p></table:table-cell></table:table-row>"#;
    let path = write(&dir, "spaces.ods", &ods_with_rows(row));
    let e = read_within(&path, ReadOptions::default(), Duration::from_secs(10))
        .expect_err("a repeated space run is refused");
    assert_refused_for_text(&e);
}

/// A `content.xml` part of `prefix`, `run` bytes `a`, then `suffix`,
/// deflated (a megabyte zips to a few KB) with its true CRC and size.
fn deflated_content(prefix: &str, run: u64, suffix: &str) -> Part {
    let mut content = prefix.as_bytes().to_vec();
    content.resize(content.len() + usize::try_from(run).expect("run"), b'a');
    content.extend_from_slice(suffix.as_bytes());
    Part {
        name: "content.xml".into(),
        data: deflate_run(prefix.as_bytes(), b'a', run, suffix.as_bytes()),
        deflated: true,
        crc: crc32(&content),
        size: u32::try_from(content.len()).expect("small part"),
    }
}

/// Expects the ods whose `content.xml` is `prefix`, a megabyte of `a`, then
/// `suffix`, a file of a few KB, to be refused for the text of its cells.
fn assert_megabyte_of_text_is_refused(name: &str, prefix: &str, suffix: &str) {
    let dir = temp_dir(name);
    let bytes = ods_with_part(deflated_content(prefix, MIB, suffix));
    assert!(bytes.len() < 16 * 1024, "a tiny file: {}", bytes.len());
    let path = write(&dir, &format!("{name}.ods"), &bytes);
    let e = read_within(&path, ReadOptions::default(), Duration::from_secs(10))
        .expect_err("repeated text is refused");
    assert_refused_for_text(&e);
}

/// The start of a row holding a text cell repeated over 16 384 columns
/// (its tag left open), and what ends the `content.xml` after that row.
fn repeated_text_cell() -> (String, String) {
    let content = ods_content(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"@</table:table-cell></table:table-row>"#,
    );
    let (head, tail) = content.split_once('@').expect("marker");
    (head.to_owned(), tail.to_owned())
}

/// A megabyte of ordinary text in one cell repeated over 16 384 columns, a
/// file of a few KB: calamine 0.38 cloned the text into every column
/// (`read_row`), 16 GB, under the cell limit and with no `text:s` in
/// sight. The check counts the text once per copy and refuses the file.
#[test]
fn ods_repeated_text_is_refused() {
    let (head, tail) = repeated_text_cell();
    assert_megabyte_of_text_is_refused(
        "ods-text-repeated",
        &format!("{head}><text:p>"),
        &format!("</text:p>{tail}"),
    );
}

/// The same with the text given as the cell's `office:string-value`, which
/// calamine takes for the value (and clones as often).
#[test]
fn ods_repeated_string_value_is_refused() {
    let (head, tail) = repeated_text_cell();
    assert_megabyte_of_text_is_refused(
        "ods-string-value-repeated",
        &format!(r#"{head} office:string-value=""#),
        &format!(r#"">{tail}"#),
    );
}

/// Long text repeated a few times, as a user may fill a column, reads
/// whole under a budget far below the default: 20 000 bytes in a cell
/// repeated over 3 columns and 2 rows make 10 copies, 200 000 bytes.
#[test]
fn ods_long_text_repeated_a_few_times_reads() {
    let dir = temp_dir("ods-text-ok");
    let long = "杭州甲科技有限公司，软件。".repeat(20_000 / 39 + 1);
    let rows = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>{long}</text:p><text:p>第二段</text:p></table:table-cell></table:table-row>"#,
        ods_text("备注")
    );
    let path = write(&dir, "long.ods", &ods_with_rows(&rows));
    let opts = ReadOptions {
        max_decompressed_bytes: 256 * 1024,
        ..ReadOptions::default()
    };
    let sheet = read_one(&path, &opts);
    let want = Cell::Text(format!("{long}\n第二段"));
    assert_eq!(sheet.rows.len(), 3);
    for row in &sheet.rows[1..] {
        assert_eq!(row, &vec![want.clone(); 3]);
    }
}

/// The ods files LibreOffice wrote for the fixtures read under a budget of
/// 64 KiB for their parts and the text of their cells.
#[test]
fn real_ods_fixtures_read_within_a_small_budget() {
    let opts = ReadOptions {
        max_decompressed_bytes: 64 * 1024,
        ..ReadOptions::default()
    };
    for name in ["customers.ods", "merged_blocks.ods"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name);
        let sheets = read_file(&path, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let texts = sheets
            .iter()
            .flat_map(|s| s.rows.iter().flatten())
            .filter(|c| matches!(c, Cell::Text(_)))
            .count();
        assert!(texts > 10, "{name}: {texts} text cells");
    }
}

/// Runs of spaces as LibreOffice writes them read as the spaces they stand
/// for (a negative count as none, as calamine reads it), under a budget far
/// below the default; a count calamine cannot parse makes the file corrupt.
#[test]
fn ods_space_runs_read_as_spaces() {
    let dir = temp_dir("ods-spaces-ok");
    let opts = ReadOptions {
        max_decompressed_bytes: 64 * 1024,
        ..ReadOptions::default()
    };
    let text = r#"a<text:s text:c="2"/>b<text:s/>c<text:s text:c="-5"/>d"#;
    let path = write(&dir, "ok.ods", &ods_with_text(text));
    let sheet = read_one(&path, &opts);
    assert_eq!(sheet.rows[0][0], Cell::Text("a  b cd".into()));
    // calamine parses the count as an i32: 2^31 fails there too.
    for bad in ["2.5", "2147483648"] {
        let run = format!(r#"a<text:s text:c="{bad}"/>b"#);
        let path = write(&dir, "bad.ods", &ods_with_text(&run));
        let (e, msg) = error_of(&path, &opts);
        assert!(matches!(e, ReadError::Corrupt { .. }), "{bad}: {msg}");
        assert!(
            msg.contains("a count of spaces that is not a number"),
            "{bad}: {msg}"
        );
    }
}
