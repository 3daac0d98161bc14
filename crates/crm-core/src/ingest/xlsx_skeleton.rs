//! An xlsx workbook without its cells, for finding merged cells quickly.
//!
//! calamine finds a worksheet's merged cells (`<mergeCells>`, after the
//! cells) by parsing the whole worksheet: for a 100k-row sheet that is as
//! long as reading its cells. The skeleton is the same package with every
//! part's `<sheetData>` emptied and the shared strings left out, stored
//! uncompressed: calamine opens it as it opens the workbook (same parts,
//! same paths) and parses only what follows the cells. Emptying is a byte
//! scan, not a parse: text cannot hold a `<`, so the first `</sheetData>`
//! (or `</prefix:sheetData>`) after the opening tag closes it. Where that
//! could be wrong (a comment, CDATA section or processing instruction
//! inside the cells) or the package cannot be copied, there is no
//! skeleton, and the caller searches the workbook itself.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The element whose content is dropped.
const SHEET_DATA: &[u8] = b"sheetData";

/// Bytes read from a part at a time.
const CHUNK: usize = 1 << 16;

/// Bytes kept back at the end of a chunk, so that a closing tag, with a
/// namespace prefix of up to [`MAX_PREFIX`] bytes, is seen whole.
const KEEP: usize = 2 + MAX_PREFIX + 1 + SHEET_DATA.len();

/// The longest namespace prefix of a closing `sheetData` tag recognised;
/// a longer one leaves the part without an end, and the workbook without
/// a skeleton.
const MAX_PREFIX: usize = 32;

/// The workbook `bytes` with every part's `<sheetData>` emptied, its
/// shared strings (`…sharedStrings.xml`) left out and its parts stored;
/// `None` where the package cannot be read or copied or a part's cells
/// hold markup other than elements (see the module documentation).
pub(crate) fn skeleton(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut part = Vec::new();
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i).ok()?.name().ok()?.into_owned();
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("sharedstrings.xml") {
            continue;
        }
        // Worksheets are `xl/worksheets/sheetN.xml` by convention; a part
        // elsewhere is copied as it is (and parsed whole), as are big parts
        // that hold no cells (pivot cache records, drawings).
        if !(lower.ends_with(".xml") && lower.contains("sheet")) {
            out.raw_copy_file(archive.by_index_raw(i).ok()?).ok()?;
            continue;
        }
        part.clear();
        empty_sheet_data(archive.by_index(i).ok()?, &mut part)?;
        out.start_file(name, stored).ok()?;
        out.write_all(&part).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// Where a part's scan is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the opening `sheetData` tag (a part that is no worksheet
    /// stays here to its end).
    Before,
    /// Inside `sheetData`: bytes are dropped.
    Inside,
    /// Past its closing tag.
    After,
}

/// Copies the XML `part` into `out` without the content of its first
/// `sheetData` element; `None` when the element does not end or holds a
/// comment, CDATA section or processing instruction.
fn empty_sheet_data(mut part: impl Read, out: &mut Vec<u8>) -> Option<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + KEEP);
    let mut place = Place::Before;
    loop {
        let filled = buf.len();
        buf.resize(filled + CHUNK, 0);
        let n = part.read(&mut buf[filled..]).ok()?;
        buf.truncate(filled + n);
        let end = n == 0;
        let done = scan(&buf, end, &mut place, out)?;
        buf.drain(..done);
        if end {
            return (place != Place::Inside).then_some(());
        }
    }
}

/// Moves through `buf` from `place`, copying what is kept to `out`;
/// returns how many bytes of `buf` are dealt with (the rest is looked at
/// again with the next chunk). At the `end` of the part, all of it is.
fn scan(buf: &[u8], end: bool, place: &mut Place, out: &mut Vec<u8>) -> Option<usize> {
    let mut at = 0;
    loop {
        match *place {
            Place::Before => match find_open(&buf[at..]) {
                Some(close) => {
                    let stop = at + close + 1;
                    out.extend_from_slice(&buf[at..stop]);
                    *place = if buf[stop - 2] == b'/' {
                        Place::After
                    } else {
                        Place::Inside
                    };
                    at = stop;
                }
                None => {
                    let keep = if end { 0 } else { open_tail(&buf[at..]) };
                    out.extend_from_slice(&buf[at..buf.len() - keep]);
                    return Some(buf.len() - keep);
                }
            },
            Place::Inside => {
                let (dropped, closed) = match find_close(&buf[at..]) {
                    Some(start) => (start, true),
                    None if end => return Some(buf.len()),
                    None => (buf.len().saturating_sub(KEEP).max(at) - at, false),
                };
                // One byte more than is dropped: a `<!` or `<?` across the
                // cut is seen here, not missed by both looks.
                let looked = &buf[at..(at + dropped + 1).min(buf.len())];
                if memchr::memmem::find(looked, b"<!").is_some()
                    || memchr::memmem::find(looked, b"<?").is_some()
                {
                    return None;
                }
                at += dropped;
                if !closed {
                    return Some(at);
                }
                *place = Place::After;
            }
            Place::After => {
                out.extend_from_slice(&buf[at..]);
                return Some(buf.len());
            }
        }
    }
}

/// How many bytes at the end of `buf` may begin an opening tag not yet
/// whole: from its last `<` when that is near the end (a tag with long
/// attributes), else [`KEEP`].
fn open_tail(buf: &[u8]) -> usize {
    const LONGEST_TAG: usize = 4096;
    match memchr::memrchr(b'<', buf) {
        Some(i) if buf.len() - i <= LONGEST_TAG => (buf.len() - i).max(KEEP.min(buf.len())),
        _ => KEEP.min(buf.len()),
    }
}

/// The place of the `>` ending the first `<sheetData …>` (or
/// `<prefix:sheetData …>`) opening tag in `buf`, if `buf` holds all of it.
fn find_open(buf: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&buf[from..], SHEET_DATA) {
        let name = from + i;
        let after = name + SHEET_DATA.len();
        let ends_name = buf
            .get(after)
            .is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace());
        if ends_name && tag_start(buf, name, b"<").is_some() {
            return memchr::memchr(b'>', &buf[after..]).map(|k| after + k);
        }
        from = after;
    }
    None
}

/// The place of the first `</sheetData` (or `</prefix:sheetData`) in `buf`.
fn find_close(buf: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&buf[from..], SHEET_DATA) {
        let name = from + i;
        let ends_name = buf
            .get(name + SHEET_DATA.len())
            .is_some_and(|&b| b == b'>' || b.is_ascii_whitespace());
        if ends_name {
            if let Some(start) = tag_start(buf, name, b"</") {
                return Some(start);
            }
        }
        from = name + SHEET_DATA.len();
    }
    None
}

/// The start of the tag whose name begins at `name` in `buf`, when `open`
/// (`<` or `</`) comes right before it or before a namespace prefix and
/// its colon.
fn tag_start(buf: &[u8], name: usize, open: &[u8]) -> Option<usize> {
    let head = &buf[..name];
    if head.ends_with(open) {
        return Some(name - open.len());
    }
    let colon = name.checked_sub(1).filter(|&c| head[c] == b':')?;
    let prefix_len = head[..colon]
        .iter()
        .rev()
        .take(MAX_PREFIX + 1)
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        .count();
    if prefix_len == 0 || prefix_len > MAX_PREFIX {
        return None;
    }
    let prefix_start = colon - prefix_len;
    head[..prefix_start]
        .ends_with(open)
        .then(|| prefix_start - open.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `empty_sheet_data` over `xml` read `step` bytes at a time.
    fn emptied(xml: &str, step: usize) -> Option<String> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        empty_sheet_data(Trickle(xml.as_bytes(), step), &mut out)?;
        Some(String::from_utf8(out).expect("utf-8 kept"))
    }

    /// Every read size from one byte to past the whole part.
    fn all_steps(xml: &str) -> Vec<Option<String>> {
        (1..=xml.len() + 1).map(|step| emptied(xml, step)).collect()
    }

    #[test]
    fn the_cells_go_and_the_rest_stays_at_any_read_size() {
        let cases = [
            (
                r#"<worksheet><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#,
                r#"<worksheet><dimension ref="A1:B2"/><sheetData></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#,
            ),
            (
                r#"<x:worksheet xmlns:x="m"><x:sheetData ><x:row><x:c><x:v>1</x:v></x:c></x:row></x:sheetData ><x:mergeCells><x:mergeCell ref="A1:A3"/></x:mergeCells></x:worksheet>"#,
                r#"<x:worksheet xmlns:x="m"><x:sheetData ></x:sheetData ><x:mergeCells><x:mergeCell ref="A1:A3"/></x:mergeCells></x:worksheet>"#,
            ),
            // An empty sheet, a text cell naming the element, no worksheet.
            (
                r#"<worksheet><sheetData/><mergeCells/></worksheet>"#,
                r#"<worksheet><sheetData/><mergeCells/></worksheet>"#,
            ),
            (
                r#"<worksheet><sheetData><row><c t="inlineStr"><is><t>sheetData &lt;/sheetData&gt;</t></is></c></row></sheetData><x/></worksheet>"#,
                r#"<worksheet><sheetData></sheetData><x/></worksheet>"#,
            ),
            (
                r#"<sst><si><t>sheetData</t></si></sst>"#,
                r#"<sst><si><t>sheetData</t></si></sst>"#,
            ),
            // A name that only begins like the element is not it.
            (
                r#"<worksheet><sheetDataX>1</sheetDataX><sheetData><row/></sheetData></worksheet>"#,
                r#"<worksheet><sheetDataX>1</sheetDataX><sheetData></sheetData></worksheet>"#,
            ),
        ];
        for (xml, want) in cases {
            for (i, got) in all_steps(xml).into_iter().enumerate() {
                assert_eq!(got.as_deref(), Some(want), "step {}: {xml}", i + 1);
            }
        }
    }

    #[test]
    fn markup_inside_the_cells_or_no_end_gives_no_skeleton() {
        for xml in [
            r#"<worksheet><sheetData><!-- </sheetData> --><row/></sheetData></worksheet>"#,
            r#"<worksheet><sheetData><row><c><v><![CDATA[1]]></v></c></row></sheetData></worksheet>"#,
            r#"<worksheet><sheetData><?pi x?></sheetData></worksheet>"#,
            r#"<worksheet><sheetData><row><c><v>1</v></c></row>"#,
        ] {
            for (i, got) in all_steps(xml).into_iter().enumerate() {
                assert_eq!(got, None, "step {}: {xml}", i + 1);
            }
        }
    }
}
