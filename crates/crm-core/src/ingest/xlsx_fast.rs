//! A fast reader for xlsx workbooks in the form spreadsheet programs and
//! libraries write them, giving exactly the values calamine gives.
//!
//! calamine reads a worksheet through a general XML parser, about a
//! microsecond a cell; a 100k-customer workbook (1.8 M cells) took 1.2 s
//! to read on one thread, while the rest of the run waited. This reader
//! scans the same XML for the few forms a sheet's cells take (`<row>`,
//! `<c r=.. s=.. t=..>`, `<v>`, `<f>`, `<is>`) with `memchr`, in a
//! fraction of that time, and reads the workbook's small parts (package
//! and workbook relationships, sheet list, number formats) with quick_xml,
//! as calamine does.
//!
//! It mirrors calamine's rules (the ones of `calamine::Xlsx` 0.38): which
//! sheets exist and which are skipped, which part a name finds, the date
//! system, which number formats make a number a date or a duration, how
//! each cell type maps to a value, how shared and inline strings are
//! assembled (rich-text runs joined, phonetic runs skipped, unpreserved
//! text trimmed, Excel's `_xHHHH_` escapes decoded), where merged regions
//! are, and which damage makes calamine fail. Whatever falls outside the
//! forms it knows — a namespace prefix, a cell without a reference, a
//! comment or CDATA section among the cells, a carriage return in a text,
//! a number it cannot parse strictly, a part it cannot find — makes it
//! give up ([`Stop::Outside`]) and the caller reads the workbook with
//! calamine, so a workbook either reads as calamine reads it or is read by
//! calamine. The tests hold it to calamine on written, hand-made and
//! randomly damaged workbooks.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{CellErrorType, Data, Dimensions, ExcelDateTime, ExcelDateTimeType};
use memchr::{memchr, memmem};
use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

/// Why reading stopped before the end.
#[derive(Debug)]
pub(crate) enum Stop<E> {
    /// The workbook is outside the forms this reader knows: read it with
    /// calamine instead.
    Outside,
    /// The caller refused a cell (a budget was spent).
    Refused(E),
}

/// How a cell style's number format shows a number (calamine's
/// `CellFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// As a number.
    Number,
    /// As a date, a time or both.
    Date,
    /// As a duration (`[h]:mm:ss`).
    Duration,
}

/// A sheet of the workbook, in workbook order.
#[derive(Debug, Clone)]
pub(crate) struct SheetEntry {
    /// The sheet's name.
    pub(crate) name: String,
    /// True for a worksheet; chart and dialog sheets are listed but not read.
    pub(crate) is_worksheet: bool,
    /// The sheet's part in the package.
    path: String,
}

/// An xlsx workbook opened for [`Book::read_sheet`].
pub(crate) struct Book<'a> {
    /// The package.
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Its parts' names.
    names: PartNames,
    /// The sheets, in workbook order.
    sheets: Vec<SheetEntry>,
    /// The shared strings.
    strings: Vec<String>,
    /// How each cell style (`s`, an index into `cellXfs`) shows numbers.
    formats: Vec<Shown>,
    /// True when the workbook counts dates from 1904.
    is_1904: bool,
}

/// Bytes read from a part at a time.
const CHUNK: usize = 1 << 20;

/// Opens the xlsx package `bytes`: its relationships, sheet list, number
/// formats and shared strings; `None` where any of them is outside the
/// forms this reader knows.
pub(crate) fn open(bytes: &[u8]) -> Option<Book<'_>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names = PartNames::of(&zip)?;
    let (xl_path, workbook_name) =
        office_document(&read_part(&mut zip, names.find("_rels/.rels"))?)?;
    let rels_path = format!("{xl_path}_rels/{workbook_name}.rels");
    let relationships = relationships(&read_part(&mut zip, names.find(&rels_path))?)?;
    let workbook = read_part(&mut zip, names.find(&format!("{xl_path}{workbook_name}")))?;
    let (sheets, is_1904) = sheet_list(&workbook, &relationships, &xl_path)?;
    let styles = format!("{xl_path}styles.xml");
    let formats = match zip.index_for_name(names.find(&styles)) {
        Some(_) => number_formats(&read_part(&mut zip, names.find(&styles))?)?,
        None => Vec::new(),
    };
    let sst = format!("{xl_path}sharedStrings.xml");
    let strings = match zip.index_for_name(names.find(&sst)) {
        Some(_) => shared_strings(&mut zip, names.find(&sst))?,
        None => Vec::new(),
    };
    Some(Book {
        zip,
        names,
        sheets,
        strings,
        formats,
        is_1904,
    })
}

/// The package's part names as calamine finds a part: by its name in
/// lower case (backslashes read as slashes), the last of the spellings
/// that meet there winning.
struct PartNames(HashMap<String, String>);

impl PartNames {
    /// The names of `zip`'s parts; `None` where one cannot be read.
    fn of(zip: &ZipArchive<Cursor<&[u8]>>) -> Option<PartNames> {
        let mut names = HashMap::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.ok()?;
            names.insert(
                name.replace('\\', "/").to_ascii_lowercase(),
                name.into_owned(),
            );
        }
        Some(PartNames(names))
    }

    /// The part calamine reads for `path` (`path` itself where none meets it).
    fn find<'a>(&'a self, path: &'a str) -> &'a str {
        self.0
            .get(&path.to_ascii_lowercase())
            .map_or(path, String::as_str)
    }
}

impl Book<'_> {
    /// The sheets, in workbook order.
    pub(crate) fn sheets(&self) -> Vec<SheetEntry> {
        self.sheets.clone()
    }

    /// Reads the cells of the worksheet `name` (the first sheet of that
    /// name), giving each value calamine would give to `put` with its
    /// `(row, column)`, and returns the sheet's merged regions.
    pub(crate) fn read_sheet<E>(
        &mut self,
        name: &str,
        mut put: impl FnMut((u32, u32), Data) -> Result<(), E>,
    ) -> Result<Vec<Dimensions>, Stop<E>> {
        let path = match self.sheets.iter().find(|s| s.name == name) {
            Some(s) => s.path.clone(),
            None => return Err(Stop::Outside),
        };
        let mut part = self
            .zip
            .by_name(self.names.find(&path))
            .map_err(|_| Stop::Outside)?;
        let cells = Cells {
            strings: &self.strings,
            formats: &self.formats,
            is_1904: self.is_1904,
        };
        let (prelude, tail) = stream_element(
            &mut part,
            b"<sheetData",
            b"</sheetData>",
            b"</row>",
            |piece| cells.read_rows(piece, &mut put),
        )?;
        // calamine parses what comes before and after the cells too (for
        // the sheet's size and merged regions): markup it refuses there
        // fails the sheet.
        let close: &[u8] = if prelude.ends_with(b"/>") {
            b""
        } else {
            b"</sheetData>"
        };
        let around = [&prelude[..], close, &tail].concat();
        if !prelude_read_alike(&prelude) || !well_formed(&around) {
            return Err(Stop::Outside);
        }
        merged_regions(&around).ok_or(Stop::Outside)
    }
}

/// Reads a whole (small) part; `None` when it is missing or unreadable.
fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<Vec<u8>> {
    let mut part = zip.by_name(path).ok()?;
    let mut out = Vec::new();
    part.read_to_end(&mut out).ok()?;
    Some(out)
}

/// A quick_xml reader configured as calamine configures its own.
fn xml_reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// True when quick_xml, configured as calamine's reader, reads `xml` (the
/// start of a part, whose last elements may be left open) to its end
/// without an error, the attributes of every element included.
fn well_formed(xml: &[u8]) -> bool {
    let mut reader = xml_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return true,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if e.attributes().any(|a| a.is_err()) {
                    return false;
                }
            }
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// True for text that is only XML white space (what may stand between
/// the elements this reader reads; anything else is left to calamine).
fn blank(text: &[u8]) -> bool {
    text.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The raw value of the attribute `key` (matched on its full name).
fn raw_attr(e: &BytesStart<'_>, key: &str) -> Option<Option<String>> {
    for attr in e.attributes() {
        let attr = attr.ok()?;
        if attr.key.as_ref() == key {
            return Some(Some(attr.value.into_owned()));
        }
    }
    Some(None)
}

/// The attribute `key`, its entities unescaped.
fn decoded_attr(e: &BytesStart<'_>, key: &str) -> Option<Option<String>> {
    match raw_attr(e, key)? {
        Some(raw) => Some(Some(unescape(&raw).ok()?.into_owned())),
        None => Some(None),
    }
}

/// The folder and file name of the workbook part, from the package
/// relationships (`_rels/.rels`).
fn office_document(rels: &[u8]) -> Option<(String, String)> {
    let mut reader = xml_reader(rels);
    let mut target = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let is_office = raw_attr(&e, "Type")?
                    .is_some_and(|t| t.ends_with("/relationships/officeDocument"));
                if is_office {
                    if let Some(t) = decoded_attr(&e, "Target")? {
                        target = Some(t);
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    let target = target?;
    let (dir, name) = match target.rfind('/') {
        Some(i) => target.split_at(i + 1),
        None => ("", target.as_str()),
    };
    let dir = dir.strip_prefix('/').unwrap_or(dir);
    let name = if name.is_empty() {
        "workbook.xml"
    } else {
        name
    };
    Some((dir.to_owned(), name.to_owned()))
}

/// The workbook relationships: id to (target, type).
fn relationships(rels: &[u8]) -> Option<HashMap<String, (String, String)>> {
    let mut reader = xml_reader(rels);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                if let Some(id) = raw_attr(&e, "Id")? {
                    let typ = raw_attr(&e, "Type")?.unwrap_or_default();
                    let target = raw_attr(&e, "Target")?.unwrap_or_default();
                    out.insert(id, (target, typ));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => return Some(out),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The sheets of `workbook.xml` with their parts, and whether dates count
/// from 1904.
fn sheet_list(
    workbook: &[u8],
    relationships: &HashMap<String, (String, String)>,
    xl_path: &str,
) -> Option<(Vec<SheetEntry>, bool)> {
    let mut reader = xml_reader(workbook);
    let mut sheets = Vec::new();
    let mut is_1904 = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let mut name = String::new();
                let mut rel_id = String::new();
                for attr in e.attributes() {
                    let attr = attr.ok()?;
                    let value: &str = &attr.value;
                    match attr.key.as_ref() {
                        "name" => name = unescape(value).ok()?.into_owned(),
                        "state" if !matches!(value, "visible" | "hidden" | "veryHidden") => {
                            return None
                        }
                        key if key == "id" || key.ends_with(":id") => rel_id = value.to_owned(),
                        _ => {}
                    }
                }
                let (target, typ) = relationships.get(&rel_id)?;
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_owned(),
                    None => format!("{xl_path}{target}"),
                };
                // A path that calamine would find by another spelling
                // (`..`, backslashes) is left to it.
                if path.contains("..") || path.contains('\\') || path.contains('&') {
                    return None;
                }
                let is_worksheet = match typ.rsplit('/').next() {
                    Some("worksheet") => true,
                    Some("chartsheet" | "dialogsheet") => false,
                    _ => return None,
                };
                sheets.push(SheetEntry {
                    name,
                    is_worksheet,
                    path,
                });
            }
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                if let Some(v) = raw_attr(&e, "date1904")? {
                    is_1904 = v == "1" || v == "true";
                }
            }
            Event::End(e) if e.local_name().as_ref() == "workbook" => {
                return Some((sheets, is_1904))
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// How each cell style of `styles.xml` (its `cellXfs`, in order) shows
/// numbers.
fn number_formats(styles: &[u8]) -> Option<Vec<Shown>> {
    let mut reader = xml_reader(styles);
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut place = "";
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "numFmts" => place = "numFmts",
                "cellXfs" => place = "cellXfs",
                "numFmt" if place == "numFmts" => {
                    if let (Some(id), Some(code)) =
                        (raw_attr(&e, "numFmtId")?, decoded_attr(&e, "formatCode")?)
                    {
                        custom.insert(id, code);
                    }
                }
                "xf" if place == "cellXfs" => {
                    formats.push(match raw_attr(&e, "numFmtId")? {
                        Some(id) => match custom.get(&id) {
                            Some(code) => shown_by_code(code),
                            None => shown_by_builtin_id(&id),
                        },
                        None => Shown::Number,
                    });
                }
                _ => {}
            },
            Event::End(e) if matches!(e.local_name().as_ref(), "numFmts" | "cellXfs") => {
                place = "";
            }
            Event::End(e) if e.local_name().as_ref() == "styleSheet" => return Some(formats),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// How a built-in number format shows numbers, by its id as written.
fn shown_by_builtin_id(id: &str) -> Shown {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => Shown::Date,
        // East Asian built-ins: dates and clock times.
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => Shown::Date,
        "46" => Shown::Duration,
        _ => Shown::Number,
    }
}

/// How a custom number format code shows numbers. Only its first section
/// counts. Outside quotes, escapes (`\x`, `_x`, `*x`) and brackets, a
/// `d`, `m`, `h`, `y` or `s` makes it a date, and so does an `m`, `p` or
/// `/` after an `a` (`AM/PM`); a bracket holding only `h`, `m` or `s`
/// letters (`[h]`, `[mm]`) makes it a duration.
fn shown_by_code(code: &str) -> Shown {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut elapsed = false;
    let mut after_a = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            escaped = true;
        } else if quoted {
            if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return Shown::Number;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && elapsed {
            return Shown::Duration;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !after_a && matches!(c, 'a' | 'A') {
            after_a = true;
        } else if brackets == 0
            && if after_a {
                matches!(c.to_ascii_lowercase(), 'p' | 'm' | '/')
            } else {
                matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'h' | 'y' | 's')
            }
        {
            return Shown::Date;
        } else if !(elapsed && c.eq_ignore_ascii_case(&prev)) {
            elapsed = prev == '[' && matches!(c.to_ascii_lowercase(), 'm' | 'h' | 's');
        }
        prev = c;
    }
    Shown::Number
}

/// The most bytes a part may hold before the element [`stream_element`]
/// looks for opens (a worksheet's column widths, views and the like take a
/// few kilobytes), in one of its units (a row), or after it; past it, the
/// part is left to calamine, which streams it, so that a part of white
/// space or one endless row is not held in memory.
const MAX_PRELUDE: usize = 16 << 20;

/// The most bytes one unit (a row, a shared string) may take, and the
/// most that may follow the element (see [`MAX_PRELUDE`]).
const MAX_PIECE: usize = 64 << 20;

/// Streams the content of the first element opened by `open` (`<sheetData`)
/// in a part to `each`, in pieces that end after a `unit` closing tag
/// (`</row>`), so that each piece holds whole units. Returns what came
/// before the element with its opening tag, and what follows its `close`
/// tag (after an empty element's tag, all that follows it). Every byte is
/// searched once (plus a needle's length), however the part is cut.
fn stream_element<E>(
    part: &mut impl Read,
    open: &[u8],
    close: &[u8],
    unit: &[u8],
    mut each: impl FnMut(&[u8]) -> Result<(), Stop<E>>,
) -> Result<(Vec<u8>, Vec<u8>), Stop<E>> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 4096);
    let mut end = fill(part, &mut buf)?;
    // The opening tag.
    let (prelude, mut at) = loop {
        if buf.len() > MAX_PRELUDE {
            return Err(Stop::Outside);
        }
        if let Some(tag) = find_tag(&buf, &open[1..]) {
            if let Some(gt) = tag_end(&buf, tag) {
                let prelude = buf[..=gt].to_vec();
                if buf[gt - 1] == b'/' {
                    // An empty element: no cells.
                    let tail = buf.split_off(gt + 1);
                    return Ok((prelude, read_tail(part, tail, end)?));
                }
                break (prelude, gt + 1);
            }
        }
        if end {
            return Err(Stop::Outside);
        }
        end = fill(part, &mut buf)?;
    };
    let closer = memmem::Finder::new(close);
    let unit_closer = memmem::FinderRev::new(unit);
    let overlap = close.len().max(unit.len());
    // How much of `buf[at..]` holds neither `close` nor `unit`.
    let mut searched: usize = 0;
    loop {
        let rest = &buf[at..];
        let from = searched.saturating_sub(overlap);
        if let Some(stop) = closer.find(&rest[from..]) {
            let stop = from + stop;
            each(&rest[..stop])?;
            let tail = buf.split_off(at + stop + close.len());
            return Ok((prelude, read_tail(part, tail, end)?));
        }
        searched = rest.len();
        if let Some(last) = unit_closer.rfind(&rest[from..]) {
            let piece = from + last + unit.len();
            each(&rest[..piece])?;
            at += piece;
            searched -= piece;
        }
        if end || searched > MAX_PIECE {
            return Err(Stop::Outside);
        }
        buf.drain(..at);
        at = 0;
        end = fill(part, &mut buf)?;
    }
}

/// `tail` (what followed the element in the buffer) and the rest of the
/// part, unless it was all read (`end`); at most [`MAX_PIECE`] bytes.
fn read_tail<E>(part: &mut impl Read, mut tail: Vec<u8>, end: bool) -> Result<Vec<u8>, Stop<E>> {
    if !end {
        let room = (MAX_PIECE + 1).saturating_sub(tail.len()) as u64;
        part.take(room)
            .read_to_end(&mut tail)
            .map_err(|_| Stop::Outside)?;
    }
    if tail.len() > MAX_PIECE {
        return Err(Stop::Outside);
    }
    Ok(tail)
}

/// Appends up to [`CHUNK`] more bytes of `part` to `buf`; true at its end.
fn fill<E>(part: &mut impl Read, buf: &mut Vec<u8>) -> Result<bool, Stop<E>> {
    let had = buf.len();
    part.by_ref()
        .take(CHUNK as u64)
        .read_to_end(buf)
        .map_err(|_| Stop::Outside)?;
    Ok(buf.len() == had)
}

/// Where the first `<name` tag (followed by a space, `>` or `/`) starts.
/// Tags are passed over whole (a `<` inside a tag belongs to it, as for
/// the XML reader), and so are comments, CDATA sections and processing
/// instructions; `None` also at a declaration (`<!DOCTYPE`) or a tag that
/// does not end in `xml`.
fn find_tag(xml: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr(b'<', &xml[from..]) {
        let at = from + i;
        let rest = &xml[at + 1..];
        if is_named(rest, name) {
            return Some(at);
        }
        let ends = |end: &[u8]| memmem::find(&xml[at..], end).map(|i| at + i + end.len());
        from = if rest.starts_with(b"!--") {
            ends(b"-->")?
        } else if rest.starts_with(b"![CDATA[") {
            ends(b"]]>")?
        } else if rest.starts_with(b"?") {
            ends(b"?>")?
        } else if rest.starts_with(b"!") {
            return None;
        } else {
            tag_end(xml, at)? + 1
        };
    }
    None
}

/// True for a byte that may end an element name (a `/` only where `/>`
/// closes the tag: elsewhere the XML reader reads it as part of the name).
fn ends_name(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
}

/// True when the tag whose text after `<` is `rest` is the element `name`.
fn is_named(rest: &[u8], name: &[u8]) -> bool {
    rest.starts_with(name)
        && match rest.get(name.len()) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'>') => true,
            Some(b'/') => rest.get(name.len() + 1) == Some(&b'>'),
            _ => false,
        }
}

/// Where the tag starting at `at` ends (its `>`), quotes respected.
fn tag_end(xml: &[u8], at: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in xml.iter().enumerate().skip(at) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The attributes of the tag `xml[..=gt]` after its name, as
/// `(name, raw value)`; `None` when malformed.
fn attributes(tag: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        match tag.get(i) {
            None | Some(b'>') => return Some(out),
            Some(b'/') if tag.get(i + 1) == Some(&b'>') => return Some(out),
            _ => {}
        }
        let name_start = i;
        while tag
            .get(i)
            .is_some_and(|&b| b != b'=' && !b.is_ascii_whitespace() && b != b'>' && b != b'/')
        {
            i += 1;
        }
        let name = &tag[name_start..i];
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') || name.is_empty() {
            return None;
        }
        i += 1;
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let quote = *tag.get(i).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = i + 1;
        let len = memchr(quote, &tag[value_start..])?;
        let value = &tag[value_start..value_start + len];
        if memchr(b'<', value).is_some() {
            return None;
        }
        out.push((name, value));
        i = value_start + len + 1;
        // The next attribute is set apart by white space.
        if !matches!(tag.get(i), Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')) {
            return None;
        }
    }
}

/// A cell read: its `(row, column)`, its value (`None` when empty) and
/// where it ends in the XML.
type CellRead = ((u32, u32), Option<Data>, usize);

/// What a cell's value is read with.
struct Cells<'a> {
    /// The shared strings.
    strings: &'a [String],
    /// How each cell style shows numbers.
    formats: &'a [Shown],
    /// True when dates count from 1904.
    is_1904: bool,
}

impl Cells<'_> {
    /// Reads the rows of `xml` (whole `<row>` elements) into `put`. Rows
    /// must open and close in turn, with every cell inside one: the XML
    /// reader pairs closing tags with the open elements, and a stray one
    /// makes calamine fail where it reaches the end of the part.
    fn read_rows<E>(
        &self,
        xml: &[u8],
        put: &mut impl FnMut((u32, u32), Data) -> Result<(), E>,
    ) -> Result<(), Stop<E>> {
        let mut from = 0;
        let mut in_row = false;
        loop {
            let Some(i) = memchr(b'<', &xml[from..]) else {
                return if blank(&xml[from..]) && !in_row {
                    Ok(())
                } else {
                    Err(Stop::Outside)
                };
            };
            let at = from + i;
            if !blank(&xml[from..at]) {
                return Err(Stop::Outside);
            }
            let rest = &xml[at + 1..];
            if is_named(rest, b"c") && in_row {
                let (pos, value, next) = self.cell(xml, at)?;
                if let Some(value) = value {
                    put(pos, value).map_err(Stop::Refused)?;
                }
                from = next;
            } else if is_named(rest, b"row") && !in_row {
                let gt = tag_end(xml, at).ok_or(Stop::Outside)?;
                in_row = xml[gt - 1] != b'/';
                // calamine reads a row's number (which cells with their
                // own reference do not need) and fails on a bad one.
                let attrs = attributes(&xml[at + 4..=gt]).ok_or(Stop::Outside)?;
                if let Some(&(_, r)) = attrs.iter().find(|&&(k, _)| k == b"r") {
                    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                    if digits(&r[letters..]).is_none_or(|row| row == 0) {
                        return Err(Stop::Outside);
                    }
                }
                from = gt + 1;
            } else if rest.starts_with(b"/row>") && in_row {
                in_row = false;
                from = at + 6;
            } else {
                return Err(Stop::Outside);
            }
        }
    }

    /// Reads the cell whose tag starts at `at`: its position, its value
    /// (`None` when empty) and where the cell ends.
    fn cell<E>(&self, xml: &[u8], at: usize) -> Result<CellRead, Stop<E>> {
        let gt = tag_end(xml, at).ok_or(Stop::Outside)?;
        let (mut r, mut s, mut t) = (None, None, None);
        for (name, value) in attributes(&xml[at + 2..=gt]).ok_or(Stop::Outside)? {
            let slot = match name {
                b"r" => &mut r,
                b"s" => &mut s,
                b"t" => &mut t,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(Stop::Outside);
            }
        }
        let pos = cell_position(r.ok_or(Stop::Outside)?).ok_or(Stop::Outside)?;
        if xml[gt - 1] == b'/' {
            return Ok((pos, None, gt + 1));
        }
        // The last child gives the value, as in calamine.
        let mut value = None;
        let mut from = gt + 1;
        loop {
            let lt = from + memchr(b'<', &xml[from..]).ok_or(Stop::Outside)?;
            if !blank(&xml[from..lt]) {
                return Err(Stop::Outside);
            }
            let rest = &xml[lt + 1..];
            let child_end = |name: &[u8]| -> Result<(usize, bool), Stop<E>> {
                if !is_named(rest, name) {
                    return Err(Stop::Outside);
                }
                let gt = tag_end(xml, lt).ok_or(Stop::Outside)?;
                Ok((gt, xml[gt - 1] == b'/'))
            };
            match rest.first() {
                Some(b'/') if rest.starts_with(b"/c>") => return Ok((pos, value, lt + 4)),
                Some(b'v') => {
                    let (gt, empty) = child_end(b"v")?;
                    let (text, next) = if empty {
                        (&b""[..], gt + 1)
                    } else {
                        let lt = text_end(xml, gt + 1, b"</v>").ok_or(Stop::Outside)?;
                        (&xml[gt + 1..lt], lt + 4)
                    };
                    value = self.value(text, s, t)?;
                    from = next;
                }
                Some(b'f') => {
                    let (gt, empty) = child_end(b"f")?;
                    from = if empty {
                        gt + 1
                    } else {
                        let lt = text_end(xml, gt + 1, b"</f>").ok_or(Stop::Outside)?;
                        if !references_closed(&xml[gt + 1..lt]) {
                            return Err(Stop::Outside);
                        }
                        lt + 4
                    };
                    value = None;
                }
                Some(b'i') => {
                    let (gt, empty) = child_end(b"is")?;
                    let (text, next) = if empty {
                        (String::new(), gt + 1)
                    } else {
                        let (text, end) = rich_text(xml, gt + 1, b"</is>").ok_or(Stop::Outside)?;
                        (text, end)
                    };
                    value = Some(Data::String(text));
                    from = next;
                }
                _ => return Err(Stop::Outside),
            }
        }
    }

    /// The value of a `<v>` holding `text`, for a cell of style `s` and
    /// type `t` (`None` for an empty value).
    fn value<E>(
        &self,
        text: &[u8],
        s: Option<&[u8]>,
        t: Option<&[u8]>,
    ) -> Result<Option<Data>, Stop<E>> {
        let text = match t {
            // Digits, `TRUE`, `#N/A`: ASCII where it can be read here.
            Some(b"n" | b"s" | b"b" | b"e") | None if text.is_ascii() => {
                std::str::from_utf8(text).map_err(|_| Stop::Outside)?
            }
            Some(b"n" | b"s" | b"b" | b"e") | None => return Err(Stop::Outside),
            _ => std::str::from_utf8(text).map_err(|_| Stop::Outside)?,
        };
        match t {
            // calamine reads an inline string's value from `<is>` only.
            Some(b"inlineStr") => Ok(None),
            Some(b"n" | b"s" | b"b" | b"e") | None => {
                if text.is_empty() {
                    return Ok(None);
                }
                // These are read raw: an entity would cut them.
                if text.contains('&') {
                    return Err(Stop::Outside);
                }
                match t {
                    Some(b"s") => {
                        let index: usize = digits(text.as_bytes()).ok_or(Stop::Outside)?;
                        let s = self.strings.get(index).ok_or(Stop::Outside)?;
                        Ok(Some(Data::String(s.clone())))
                    }
                    Some(b"b") => match text.trim() {
                        "" => Ok(None),
                        "0" => Ok(Some(Data::Bool(false))),
                        "1" => Ok(Some(Data::Bool(true))),
                        v if v.eq_ignore_ascii_case("false") => Ok(Some(Data::Bool(false))),
                        v if v.eq_ignore_ascii_case("true") => Ok(Some(Data::Bool(true))),
                        _ => Err(Stop::Outside),
                    },
                    Some(b"e") => {
                        let e: CellErrorType = text.parse().map_err(|_| Stop::Outside)?;
                        Ok(Some(Data::Error(e)))
                    }
                    _ => {
                        let n = strict_number(text).ok_or(Stop::Outside)?;
                        Ok(Some(self.number(n, s)?))
                    }
                }
            }
            Some(b"str") => {
                let text = unescape_text(text).ok_or(Stop::Outside)?;
                Ok(Some(Data::String(excel_unescape(&text).into_owned())))
            }
            Some(b"d") => Ok(Some(Data::DateTimeIso(
                unescape_text(text).ok_or(Stop::Outside)?,
            ))),
            Some(_) => Err(Stop::Outside),
        }
    }

    /// A number, a date or a duration, as the cell style `s` shows `n`.
    fn number<E>(&self, n: f64, s: Option<&[u8]>) -> Result<Data, Stop<E>> {
        let shown = match s {
            Some(s) => {
                let id: usize = digits(s).ok_or(Stop::Outside)?;
                self.formats.get(id).copied().unwrap_or(Shown::Number)
            }
            None => Shown::Number,
        };
        Ok(match shown {
            Shown::Number => Data::Float(n),
            Shown::Date => Data::DateTime(ExcelDateTime::new(
                n,
                ExcelDateTimeType::DateTime,
                self.is_1904,
            )),
            Shown::Duration => Data::DateTime(ExcelDateTime::new(
                n,
                ExcelDateTimeType::TimeDelta,
                self.is_1904,
            )),
        })
    }
}

/// A non-negative integer written with ASCII digits only (at most 9).
fn digits(b: &[u8]) -> Option<usize> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0usize, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + usize::from(d - b'0'))
    })
}

/// A number in the plain decimal form spreadsheet writers use (`-12`,
/// `3.5`, `1E-7`): what any parser reads the same; anything else (`.5`,
/// `+1`, `inf`, spaces) is left to calamine.
fn strict_number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if int == 0 {
        return None;
    }
    i += int;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return None;
        }
        i += frac;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(b.get(i), Some(b'-' | b'+')));
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return None;
        }
        i += exp;
    }
    if i != b.len() {
        return None;
    }
    text.parse().ok()
}

/// The 0-based `(row, column)` of a cell reference such as `AB12`.
fn cell_position(r: &[u8]) -> Option<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = r.split_at(letters);
    if letters == 0 || letters > 3 || row.is_empty() || row.len() > 7 {
        return None;
    }
    let col = col.iter().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = u32::try_from(digits(row)?).ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The text of a string item (`<si>` or `<is>`) whose content starts at
/// `from` in `xml`, and where its `close` tag ends: its `<t>` texts joined,
/// phonetic runs left out, unpreserved text trimmed of ASCII spaces;
/// `None` outside the forms known.
fn rich_text(xml: &[u8], mut from: usize, close: &[u8]) -> Option<(String, usize)> {
    let mut out = String::new();
    // Runs must open and close in turn (see `Cells::read_rows`).
    let mut in_run = false;
    loop {
        let at = from + memchr(b'<', &xml[from..])?;
        if !blank(&xml[from..at]) {
            return None;
        }
        if xml[at..].starts_with(close) {
            return (!in_run).then_some((out, at + close.len()));
        }
        let rest = &xml[at + 1..];
        let gt = tag_end(xml, at)?;
        let self_closing = xml[gt - 1] == b'/';
        let named = |name: &[u8]| is_named(rest, name);
        if named(b"t") {
            if self_closing {
                from = gt + 1;
                continue;
            }
            let preserve = attributes(&xml[at + 2..=gt])?
                .iter()
                .any(|&(k, v)| k == b"xml:space" && v == b"preserve");
            let lt = text_end(xml, gt + 1, b"</t>")?;
            let text = unescape_text(std::str::from_utf8(&xml[gt + 1..lt]).ok()?)?;
            let text = if preserve {
                &text[..]
            } else {
                text.trim_matches([' ', '\t', '\r', '\n'])
            };
            out.push_str(&excel_unescape(text));
            from = lt + 4;
        } else if named(b"r") && !in_run {
            in_run = !self_closing;
            from = gt + 1;
        } else if rest.starts_with(b"/r>") && in_run {
            in_run = false;
            from = gt + 1;
        } else if named(b"rPr") || named(b"rPh") || named(b"phoneticPr") {
            from = if self_closing {
                gt + 1
            } else {
                let name: &[u8] = if named(b"rPr") {
                    b"</rPr>"
                } else if named(b"rPh") {
                    b"</rPh>"
                } else {
                    b"</phoneticPr>"
                };
                let len = memmem::find(&xml[gt + 1..], name)?;
                let inside = &xml[gt + 1..gt + 1 + len];
                if !skippable(inside, named(b"rPh")) || !well_formed(inside) {
                    return None;
                }
                gt + 1 + len + name.len()
            };
        } else {
            return None;
        }
    }
}

/// True when the content of a run's properties (or, `phonetic`, of a
/// phonetic run) can be passed over as calamine passes over it: it holds
/// no element calamine reads there (`t` outside a phonetic run, `rPh`, an
/// item's end), and no comment, CDATA section or processing instruction.
fn skippable(inside: &[u8], phonetic: bool) -> bool {
    let mut from = 0;
    while let Some(i) = memchr(b'<', &inside[from..]) {
        let at = from + i + 1;
        let start = at + usize::from(inside.get(at) == Some(&b'/'));
        let len = inside[start..]
            .iter()
            .take_while(|&&b| !ends_name(b))
            .count();
        let closing = start > at;
        match &inside[start..start + len] {
            b"si" | b"is" => return false,
            b"rPh" if closing || !phonetic => return false,
            b"t" if !phonetic => return false,
            name if name.starts_with(b"!") || name.starts_with(b"?") => return false,
            _ => {}
        }
        from = at;
    }
    true
}

/// True when every `&` of `text` starts a reference the XML reader can
/// pass over (`&name;`, `&#123;`): calamine skips a formula's text, and
/// fails on a reference left open.
fn references_closed(text: &[u8]) -> bool {
    let mut from = 0;
    while let Some(i) = memchr(b'&', &text[from..]) {
        let name = &text[from + i + 1..];
        let len = name
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || b"#_.:-".contains(b))
            .count();
        if len == 0 || name.get(len) != Some(&b';') {
            return false;
        }
        from += i + 1 + len + 1;
    }
    true
}

/// Where the text starting at `from` ends: at the first `<`, which must
/// open the tag `close` (`</v>`); `None` otherwise.
fn text_end(xml: &[u8], from: usize, close: &[u8]) -> Option<usize> {
    let lt = from + memchr(b'<', &xml[from..])?;
    xml[lt..].starts_with(close).then_some(lt)
}

/// Text with its entities replaced, as calamine reads it; `None` for a
/// carriage return (which the XML parser would turn into a line feed) or
/// an entity not known.
fn unescape_text(raw: &str) -> Option<String> {
    if raw.contains('\r') {
        return None;
    }
    let text = unescape(raw).ok()?;
    // A character reference to a control character is left to calamine.
    if raw.contains("&#")
        && text
            .chars()
            .any(|c| c.is_control() && c != '\t' && c != '\n')
    {
        return None;
    }
    Some(text.into_owned())
}

/// `text` with Excel's escapes of characters decoded as calamine decodes
/// them: `_xHHHH_` is one UTF-16 unit (`_x000D_` a carriage return), a
/// character past U+FFFF takes two, and a surrogate not in a pair becomes
/// U+FFFD.
fn excel_unescape(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let unit_at = |i: usize| -> Option<u16> {
        let w = bytes.get(i..i + 7)?;
        let hex = &w[2..6];
        (w[0] == b'_' && w[1] == b'x' && w[6] == b'_' && hex.iter().all(u8::is_ascii_hexdigit))
            .then(|| {
                hex.iter().fold(0u16, |n, &d| {
                    n * 16 + (d as char).to_digit(16).unwrap_or(0) as u16
                })
            })
    };
    let mut out: Option<String> = None;
    let (mut from, mut copied) = (0, 0);
    while let Some(i) = memchr(b'_', &bytes[from..]) {
        let at = from + i;
        let Some(unit) = unit_at(at) else {
            from = at + 1;
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(&text[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    let high = u32::from(unit) - 0xD800;
                    char::from_u32(0x10000 + (high << 10) + (u32::from(low) - 0xDC00))
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(u32::from(unit)),
        };
        o.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        (from, copied) = (next, next);
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    }
}

/// The shared strings of the part `path`.
fn shared_strings(zip: &mut ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<Vec<String>> {
    let mut part = zip.by_name(path).ok()?;
    let mut strings = Vec::new();
    let (prelude, _) = stream_element::<()>(&mut part, b"<sst", b"</sst>", b"</si>", |xml| {
        string_items(xml, &mut strings).ok_or(Stop::Outside)
    })
    .ok()?;
    well_formed(&prelude).then_some(strings)
}

/// Appends the string items (`<si>`) of `xml` to `strings`.
fn string_items(xml: &[u8], strings: &mut Vec<String>) -> Option<()> {
    let mut from = 0;
    loop {
        let Some(i) = memchr(b'<', &xml[from..]) else {
            return blank(&xml[from..]).then_some(());
        };
        let at = from + i;
        if !blank(&xml[from..at]) {
            return None;
        }
        let rest = &xml[at + 1..];
        if !(is_named(rest, b"si")) {
            return None;
        }
        let gt = tag_end(xml, at)?;
        if xml[gt - 1] == b'/' {
            strings.push(String::new());
            from = gt + 1;
            continue;
        }
        let (text, end) = rich_text(xml, gt + 1, b"</si>")?;
        strings.push(text);
        from = end;
    }
}

/// True when calamine reads a worksheet's start, `prelude` (up to and
/// with the `sheetData` tag found by [`find_tag`]), as this reader does:
/// that tag is the first `sheetData` it meets, and the sheet's size
/// (`dimension`), which calamine reads and fails on, has a good `ref`.
fn prelude_read_alike(prelude: &[u8]) -> bool {
    let mut reader = xml_reader(prelude);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "dimension" => {
                match raw_attr(&e, "ref") {
                    Some(Some(r)) if dimension(r.as_bytes()).is_some() => {}
                    _ => return false,
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "sheetData" => {
                return reader.buffer_position() as usize == prelude.len();
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// A range reference (`A1:C3`, or one cell `B2`), as calamine reads it.
fn dimension(r: &[u8]) -> Option<Dimensions> {
    let mut parts = r.split(|&b| b == b':');
    let start = cell_position(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => cell_position(p)?,
        None => start,
    };
    parts.next().is_none().then(|| Dimensions::new(start, end))
}

/// The merged regions of a worksheet, read as calamine reads them from
/// `xml` (the part without its cells): the `ref` of each `mergeCell` in
/// the first `mergeCells`; `None` where calamine would fail.
fn merged_regions(xml: &[u8]) -> Option<Vec<Dimensions>> {
    let mut reader = xml_reader(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::Eof => return Some(Vec::new()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(r) = raw_attr(&e, "ref")? {
                    out.push(dimension(r.as_bytes())?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => return Some(out),
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn custom_formats_read_as_calamine_reads_them() {
        for (code, shown) in [
            ("yyyy-mm-dd", Shown::Date),
            ("yyyy\"年\"m\"月\"d\"日\"", Shown::Date),
            ("[h]:mm:ss", Shown::Duration),
            ("[mm]:ss", Shown::Duration),
            ("h:mm AM/PM", Shown::Date),
            ("0.00%", Shown::Number),
            ("#,##0", Shown::Number),
            ("\"d\"0", Shown::Number),
            ("0_);[Red](0)", Shown::Number),
            ("[$-804]yyyy/m/d", Shown::Date),
            ("[Red]0", Shown::Number),
            ("General;d", Shown::Number),
            ("\\d0", Shown::Number),
        ] {
            assert_eq!(shown_by_code(code), shown, "{code}");
        }
        assert_eq!(shown_by_builtin_id("14"), Shown::Date);
        assert_eq!(shown_by_builtin_id("46"), Shown::Duration);
        assert_eq!(shown_by_builtin_id("014"), Shown::Number);
    }

    #[test]
    fn strict_numbers_and_references() {
        assert_eq!(strict_number("-12"), Some(-12.0));
        assert_eq!(strict_number("1E-7"), Some(1e-7));
        assert_eq!(strict_number("3.25e2"), Some(325.0));
        for bad in [
            "", " 1", "1 ", "1e", "-", ".", ".5", "1.", "+1", "inf", "NaN", "0x10", "1,5",
        ] {
            assert_eq!(strict_number(bad), None, "{bad:?}");
        }
        assert_eq!(cell_position(b"A1"), Some((0, 0)));
        assert_eq!(cell_position(b"ab12"), Some((11, 27)));
        assert_eq!(cell_position(b"XFD1048576"), Some((1_048_575, 16_383)));
        for bad in [&b"A0"[..], b"12", b"A", b"ABCD1", b"A1B", b"A12345678"] {
            assert_eq!(cell_position(bad), None, "{bad:?}");
        }
    }

    /// The pieces, prelude and tail of a streamed part.
    type Streamed = (Vec<Vec<u8>>, Vec<u8>, Vec<u8>);

    /// `stream_element` on `xml`: the pieces it gives, prelude and tail.
    fn stream(xml: &[u8]) -> Result<Streamed, Stop<()>> {
        let mut pieces = Vec::new();
        let (prelude, tail) = stream_element(
            &mut Cursor::new(xml),
            b"<sheetData",
            b"</sheetData>",
            b"</row>",
            |p: &[u8]| {
                pieces.push(p.to_vec());
                Ok(())
            },
        )?;
        Ok((pieces, prelude, tail))
    }

    #[test]
    fn parts_are_streamed_in_whole_rows_across_reads() {
        // Rows over three reads' worth of bytes, then one row longer than
        // a read: every piece ends with a row, and together they are the
        // element's content.
        let mut content = Vec::new();
        for r in 1..=40_000 {
            content.extend_from_slice(
                format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#).as_bytes(),
            );
        }
        content.extend_from_slice(b"<row r=\"40001\">");
        for c in 0..200_000 {
            content.extend_from_slice(format!("<c r=\"A40001\" s=\"{c}\"/>").as_bytes());
        }
        content.extend_from_slice(b"</row>");
        assert!(content.len() > 3 * CHUNK);
        let xml = [
            &b"<worksheet><cols/><sheetData>"[..],
            &content,
            b"</sheetData><mergeCells/></worksheet>",
        ]
        .concat();
        let (pieces, prelude, tail) = stream(&xml).expect("streamed");
        assert!(pieces.len() >= 3, "{}", pieces.len());
        assert!(pieces.iter().all(|p| p.ends_with(b"</row>")));
        assert_eq!(pieces.concat(), content);
        assert_eq!(prelude, b"<worksheet><cols/><sheetData>");
        assert_eq!(tail, b"<mergeCells/></worksheet>");
        // An empty element, and a part where it never opens.
        let (pieces, _, tail) = stream(b"<worksheet><sheetData/></worksheet>").expect("empty");
        assert!(pieces.is_empty());
        assert_eq!(tail, b"</worksheet>");
        // A start, a row without end or a tail past its bound is left to
        // calamine, which streams it, instead of being held.
        let too_long = [
            ("<worksheet>", MAX_PRELUDE + 1, "<sheetData>"),
            (
                "<worksheet><sheetData><row>",
                MAX_PIECE + 2 * CHUNK,
                "</row></sheetData>",
            ),
            (
                "<worksheet><sheetData></sheetData>",
                MAX_PIECE + 2 * CHUNK,
                "",
            ),
        ];
        for (head, spaces, end) in too_long {
            let part = [head.as_bytes(), &vec![b' '; spaces], end.as_bytes()].concat();
            assert!(matches!(stream(&part), Err(Stop::Outside)), "{head}");
        }
        assert!(matches!(
            stream(b"<worksheet><sheetData><row>"),
            Err(Stop::Outside)
        ));
    }

    #[test]
    fn string_items_join_runs_and_skip_phonetics() {
        let mut strings = Vec::new();
        let xml = br#"<si><t> a </t></si><si/><si><r><rPr><b/></rPr><t>x</t></r><r><t xml:space="preserve"> y </t></r><rPh sb="0" eb="1"><t>ruby</t></rPh><phoneticPr fontId="1"/></si><si><t>A&amp;B &#20013;</t></si>"#;
        assert_eq!(string_items(xml, &mut strings), Some(()));
        let inline = b"<t>x</t></is>";
        assert_eq!(
            rich_text(inline, 0, b"</is>"),
            Some(("x".to_owned(), inline.len()))
        );
        assert_eq!(strings, ["a", "", "x y ", "A&B 中"]);
        let mut escaped = Vec::new();
        let xml = b"<si><t>a_x000D_b _xD83D__xDCF7_ _xD83D_ _x005F_x000D_ _x00zz_</t></si>";
        assert_eq!(string_items(xml, &mut escaped), Some(()));
        assert_eq!(escaped, ["a\rb \u{1F4F7} \u{FFFD} _x000D_ _x00zz_"]);
        assert_eq!(
            string_items(b"<si><t><![CDATA[x]]></t></si>", &mut strings),
            None
        );
    }
}

#[cfg(test)]
#[path = "xlsx_fast_tests.rs"]
mod tests;
