//! Text encoding detection for delimited files. Sales teams' CSV exports come
//! from Excel on Chinese Windows (GBK / GB18030, no BOM), from Excel's
//! "CSV UTF-8" (UTF-8 with BOM), from "Unicode text" (UTF-16LE with BOM) and
//! from web CRMs (plain UTF-8). A BOM decides; otherwise strict UTF-8 when
//! the bytes are valid UTF-8; otherwise GB18030, a superset of GBK. A file
//! whose lines mix the two (rows of a GBK export pasted under a UTF-8 one,
//! or the reverse) is read line by line. A forced encoding (`--encoding`)
//! overrides detection.

use super::file_bytes::FileBytes;
use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How many leading bytes [`decode`] inspects to recognise UTF-16 without a BOM.
const UTF16_PROBE: usize = 4096;

/// Decode bytes of a text file: a BOM decides (UTF-8, UTF-16LE, UTF-16BE);
/// else strict UTF-8 if valid; else GB18030 (a superset of GBK). `forced`
/// (from `--encoding`, resolved with `encoding_rs::Encoding::for_label`)
/// overrides detection; a BOM matching the forced encoding is still removed.
///
/// Returns the text (BOM removed) and the encoding name for reports:
/// `"UTF-8"`, `"UTF-8-BOM"`, `"UTF-16LE"`, `"UTF-16BE"`, `"GB18030"`, or, for
/// a forced encoding, `"GBK"` or the encoding's WHATWG name.
///
/// Bytes that are not valid UTF-8 as a whole but have a line of Chinese
/// text valid as UTF-8 (or that start with a UTF-8 BOM) mix the two: each
/// line is read as UTF-8 when valid, else as GB18030 when that reads it
/// without error ([`MIXED`], [`MIXED_BOM`]). Two encodings in one file come
/// from rows pasted from one export into another; read as one encoding,
/// the other's rows would be garbled, and a garbled header loses the file.
///
/// Besides the rules above, BOM-less UTF-16 is recognised when, in the first
/// 4 KiB, at least a third of the odd (LE) or even (BE) bytes are NUL and the
/// other half has (almost) none; such bytes are never valid text otherwise.
/// Undecodable sequences become U+FFFD; this never fails and never panics.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> (String, &'static str) {
    if let Some(enc) = forced {
        let (text, _had_errors) = enc.decode_with_bom_removal(bytes);
        let name = if enc == UTF_8 && bytes.starts_with(b"\xEF\xBB\xBF") {
            "UTF-8-BOM"
        } else {
            report_name(enc)
        };
        return (text.into_owned(), name);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        if enc == UTF_8 && std::str::from_utf8(rest).is_err() {
            let (text, gb_lines) = decode_lines(rest);
            return (text, if gb_lines > 0 { MIXED_BOM } else { "UTF-8-BOM" });
        }
        let (text, _) = enc.decode_without_bom_handling(rest);
        let name = if enc == UTF_8 {
            "UTF-8-BOM"
        } else {
            report_name(enc)
        };
        return (text.into_owned(), name);
    }
    if let Some(enc) = sniff_utf16(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), report_name(enc));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8"),
        Err(_) if has_chinese_utf8_line(bytes) => {
            let (text, gb_lines) = decode_lines(bytes);
            (text, if gb_lines > 0 { MIXED } else { "UTF-8" })
        }
        Err(_) if looks_like_latin1(bytes) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "windows-1252")
        }
        Err(_) => {
            let (text, _) = GB18030.decode_without_bom_handling(bytes);
            (text.into_owned(), "GB18030")
        }
    }
}

/// [`decode`] taking the bytes: valid UTF-8 (with or without a BOM) and no
/// forced encoding becomes the text in place, without a copy of the file.
pub fn decode_owned(
    mut bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
) -> (String, &'static str) {
    if forced.is_none() && sniff_utf16(&bytes).is_none() {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let bom = bytes.starts_with(BOM);
        let utf16_bom = matches!(Encoding::for_bom(&bytes), Some((enc, _)) if enc != UTF_8);
        if !utf16_bom {
            if bom {
                bytes.drain(..BOM.len());
            }
            // One pass checks the text and keeps it (a file is hundreds of MB).
            match utf8_string(bytes) {
                Ok(text) => return (text, if bom { "UTF-8-BOM" } else { "UTF-8" }),
                Err(not_utf8) => bytes = not_utf8,
            }
            if bom {
                bytes.splice(..0, BOM.iter().copied());
            }
        }
    }
    decode(&bytes, forced)
}

/// The bytes as text when they are all valid UTF-8, else the bytes back.
fn utf8_string(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if !is_utf8(&bytes) {
        return Err(bytes);
    }
    // SAFETY: `is_utf8` found every byte of `bytes` to be part of valid
    // UTF-8, which is all `from_utf8_unchecked` requires.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// True when the bytes are all valid UTF-8. encoding_rs checks with SIMD:
/// a 224 MB customer list of Chinese text took 250 ms with
/// `String::from_utf8`, 13 ms so.
fn is_utf8(bytes: &[u8]) -> bool {
    Encoding::utf8_valid_up_to(bytes) == bytes.len()
}

/// The text of a delimited file: decoded, or kept as the file's bytes
/// (read or mapped, [`FileBytes`]) and parsed in place.
pub enum FileText {
    /// UTF-8 text decoded from another encoding (or from lines mixing two).
    Decoded(String),
    /// The file's bytes from the given offset (past a BOM), found to be
    /// valid UTF-8 when read. A parser splits them at ASCII bytes and
    /// takes each field as UTF-8, checked again: a mapped file changed
    /// under the run gives U+FFFD, never invalid text.
    Utf8(FileBytes, usize),
    /// Bytes in GBK / GB18030. Their ASCII bytes below 0x40 (quotes, line
    /// breaks, commas, tabs, semicolons, spaces) are never part of a
    /// character, so a parser may split the bytes on them and decode each
    /// field alone: the same text as decoding the whole file, without a
    /// second copy of it. (`|` can be the second byte of a character.)
    Gb(FileBytes, &'static Encoding),
}

impl From<String> for FileText {
    fn from(text: String) -> FileText {
        FileText::Decoded(text)
    }
}

/// [`decode_owned`] keeping the bytes where they can be parsed as they
/// are: valid UTF-8 (after a UTF-8 BOM or without one) is kept as
/// [`FileText::Utf8`], and GBK / GB18030 bytes (detected, or forced
/// without a BOM) as [`FileText::Gb`]; the encoding name is the same.
pub fn decode_or_keep(
    bytes: impl Into<FileBytes>,
    forced: Option<&'static Encoding>,
) -> (FileText, &'static str) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bytes = bytes.into();
    let has_bom = Encoding::for_bom(&bytes).is_some();
    let utf8_bom = bytes.starts_with(BOM);
    let gb = match forced {
        Some(enc) if (enc == GB18030 || enc == GBK) && !has_bom => Some(enc),
        Some(_) => None,
        None if utf8_bom && bytes.get(BOM.len()..).is_some_and(is_utf8) => {
            return (FileText::Utf8(bytes, BOM.len()), "UTF-8-BOM");
        }
        None if has_bom || sniff_utf16(&bytes).is_some() => None,
        None if is_utf8(&bytes) => {
            return (FileText::Utf8(bytes, 0), "UTF-8");
        }
        None if has_chinese_utf8_line(&bytes) || looks_like_latin1(&bytes) => None,
        None => Some(GB18030),
    };
    match gb {
        Some(enc) => (FileText::Gb(bytes, enc), report_name(enc)),
        None => {
            let (text, name) = decode_owned(bytes.into_vec(), forced);
            (FileText::Decoded(text), name)
        }
    }
}

/// The report name of a file whose lines mix UTF-8 and GB18030.
pub const MIXED: &str = "UTF-8+GB18030";

/// [`MIXED`] for a file that starts with a UTF-8 BOM.
pub const MIXED_BOM: &str = "UTF-8-BOM+GB18030";

/// The lines of `bytes`, each with its line feed (a line feed is never part
/// of a UTF-8 or GB18030 character).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |at| at + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// True when a line of `bytes` is valid UTF-8 with a CJK character in it
/// (U+3000–U+9FFF, three bytes each). A line of GBK text is almost never
/// valid UTF-8: of 5 million generated follow-up lines none was, while 8
/// of 11.7 million single GBK fields were (as two-byte letters such as
/// `ԽӢԴ`, never CJK).
fn has_chinese_utf8_line(bytes: &[u8]) -> bool {
    let chinese = |s: &str| s.chars().any(|c| ('\u{3000}'..='\u{9FFF}').contains(&c));
    lines(bytes).any(|line| std::str::from_utf8(line).is_ok_and(chinese))
}

/// Each line of `bytes` as UTF-8 when valid, else as GB18030 when that
/// reads it without error, else as UTF-8 with U+FFFD for what is invalid;
/// with the number of lines read as GB18030.
fn decode_lines(bytes: &[u8]) -> (String, usize) {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut gb_lines = 0;
    for line in lines(bytes) {
        match std::str::from_utf8(line) {
            Ok(text) => out.push_str(text),
            Err(_) => match GB18030.decode_without_bom_handling_and_without_replacement(line) {
                Some(text) => {
                    out.push_str(&text);
                    gb_lines += 1;
                }
                None => out.push_str(&String::from_utf8_lossy(line)),
            },
        }
    }
    (out, gb_lines)
}

/// How many leading bytes [`looks_like_latin1`] inspects.
const LATIN1_PROBE: usize = 64 * 1024;

/// True for a European export (Windows-1252 / ISO-8859-1: mostly ASCII with
/// single accented letters) rather than GBK text. Chinese GBK text is made of
/// byte pairs whose two bytes are both 0xA1 or above; a Latin accented letter
/// is one high byte between ASCII bytes (`Müller`, `Café Olé`). The file is
/// Latin when such lone high bytes outnumber GB2312-style pairs.
fn looks_like_latin1(bytes: &[u8]) -> bool {
    let probe = &bytes[..bytes.len().min(LATIN1_PROBE)];
    let (mut lone, mut pairs) = (0usize, 0usize);
    let mut i = 0;
    while i < probe.len() {
        let b = probe[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match probe.get(i + 1) {
            Some(&next) if b >= 0xA1 && next >= 0xA1 => {
                pairs += 1;
                i += 2;
            }
            Some(&next) if next < 0x80 => {
                lone += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    lone > 0 && lone > pairs
}

/// The name of an encoding as reports show it.
fn report_name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else if enc == GB18030 {
        "GB18030"
    } else if enc == GBK {
        "GBK"
    } else if enc == WINDOWS_1252 {
        "windows-1252"
    } else {
        enc.name()
    }
}

/// Recognises BOM-less UTF-16 by where its NUL bytes fall (ASCII-heavy text
/// such as CSV has a NUL in every other byte).
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let probe = &bytes[..bytes.len().min(UTF16_PROBE)];
    if probe.len() < 4 {
        return None;
    }
    let pairs = probe.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in probe.chunks_exact(2) {
        if pair[0] == 0 {
            even_nul += 1;
        }
        if pair[1] == 0 {
            odd_nul += 1;
        }
    }
    let many = |n: usize| n * 3 >= pairs;
    let few = |n: usize| n * 50 <= pairs;
    if many(odd_nul) && few(even_nul) {
        Some(UTF_16LE)
    } else if many(even_nul) && few(odd_nul) {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_string_agrees_with_the_standard_check() {
        let long = "客户名称,电话\n".repeat(50);
        let mut cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            long.clone().into_bytes(),
            // A character cut at the end (before the last line feed), in
            // the middle, a GBK text, an overlong form, a surrogate, a byte
            // past U+10FFFF.
            long.as_bytes()[..long.len() - 2].to_vec(),
            [long.as_bytes(), &[0xE5, 0xAE], long.as_bytes()].concat(),
            GBK.encode(&long).0.into_owned(),
            vec![0xC0, 0xAF],
            vec![0xED, 0xA0, 0x80],
            vec![0xF4, 0x90, 0x80, 0x80],
        ];
        // Every string of one or two bytes, and of three from a few leads.
        for a in 0..=255u8 {
            cases.push(vec![a]);
            for b in 0..=255u8 {
                cases.push(vec![a, b]);
            }
        }
        for a in [0xE0u8, 0xE5, 0xED, 0xEF, 0xF0, 0xF4] {
            for b in 0x70..=0xC0u8 {
                cases.push(vec![a, b, 0x80]);
            }
        }
        for bytes in cases {
            let expected = String::from_utf8(bytes.clone()).map_err(|e| e.into_bytes());
            assert_eq!(utf8_string(bytes.clone()), expected, "{bytes:x?}");
        }
    }

    #[test]
    fn bom_utf8_is_removed() {
        let (t, n) = decode(b"\xEF\xBB\xBFa,b", None);
        assert_eq!((t.as_str(), n), ("a,b", "UTF-8-BOM"));
    }

    #[test]
    fn gbk_falls_back_to_gb18030() {
        let (bytes, _, _) = GBK.encode("企业名称,所属行业");
        let (t, n) = decode(&bytes, None);
        assert_eq!((t.as_str(), n), ("企业名称,所属行业", "GB18030"));
    }

    #[test]
    fn utf16_without_bom() {
        let le: Vec<u8> = "name,phone\r\n张三,1\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(
            decode(&le, None),
            ("name,phone\r\n张三,1\r\n".into(), "UTF-16LE")
        );
        let be: Vec<u8> = "name,phone"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(decode(&be, None), ("name,phone".into(), "UTF-16BE"));
    }

    #[test]
    fn forced_overrides() {
        let forced = Encoding::for_label(b"GBK");
        let (bytes, _, _) = GBK.encode("软件");
        assert_eq!(decode(&bytes, forced), ("软件".into(), "GBK"));
        let forced = Encoding::for_label(b"utf-8");
        assert_eq!(decode(b"\xEF\xBB\xBFx", forced), ("x".into(), "UTF-8-BOM"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        assert_eq!(decode(b"", None), (String::new(), "UTF-8"));
        let _ = decode(b"\xFF", None);
        let _ = decode(b"\xFF\xFE\x00", None);
        let _ = decode(b"\xFE\xFF\xD8", None);
        let _ = decode(&[0u8; 9], None);
    }
}

#[cfg(test)]
mod mixed_tests {
    use super::*;

    /// `head` in UTF-8 then `tail` in GBK, and the reverse, read as the text
    /// they are; a UTF-8 BOM in front is removed.
    #[test]
    fn lines_of_utf8_and_gbk_are_each_read_in_their_encoding() {
        let head = "企业名称,联系电话\n杭州星河网络科技有限公司,0571-88881234\n";
        let tail = "上海华东贸易有限公司,021-55556666\nABC Ltd,1\n北京乙公司,010-1\n";
        let gbk = |s: &str| GBK.encode(s).0.into_owned();
        let utf8_then_gbk = [head.as_bytes(), &gbk(tail)].concat();
        let gbk_then_utf8 = [gbk(head).as_slice(), tail.as_bytes()].concat();
        let text = format!("{head}{tail}");
        assert_eq!(decode(&utf8_then_gbk, None), (text.clone(), MIXED));
        assert_eq!(decode(&gbk_then_utf8, None), (text.clone(), MIXED));
        let bom = [b"\xEF\xBB\xBF".as_slice(), &utf8_then_gbk].concat();
        assert_eq!(decode(&bom, None), (text.clone(), MIXED_BOM));
        // The owned paths decode them the same way.
        for bytes in [utf8_then_gbk, gbk_then_utf8, bom] {
            let expected = decode(&bytes, None);
            let (kept, name) = decode_or_keep(bytes.clone(), None);
            assert!(matches!(kept, FileText::Decoded(ref t) if *t == text));
            assert_eq!(name, expected.1);
            assert_eq!(decode_owned(bytes, None), expected);
        }
    }

    /// A GBK file whose only lines valid as UTF-8 are ASCII stays GB18030
    /// (kept as its bytes). UTF-8 with a line neither encoding reads stays
    /// UTF-8, with U+FFFD for the bad byte.
    #[test]
    fn ascii_lines_and_bad_bytes_do_not_make_a_file_mixed() {
        let (gbk, _, _) = GBK.encode("企业名称,电话\nABC Ltd,1\n杭州甲公司,2\n");
        let (kept, name) = decode_or_keep(gbk.to_vec(), None);
        assert!(matches!(kept, FileText::Gb(..)));
        assert_eq!(name, "GB18030");
        let bad = "名称\n\u{FFFD} bad\n";
        let (text, name) = decode(b"\xEF\xBB\xBF\xE5\x90\x8D\xE7\xA7\xB0\n\xFF bad\n", None);
        assert_eq!((text.as_str(), name), (bad, "UTF-8-BOM"));
        let (text, name) = decode(b"\xE5\x90\x8D\xE7\xA7\xB0\n\xFF bad\n", None);
        assert_eq!((text.as_str(), name), (bad, "UTF-8"));
    }
}

#[cfg(test)]
mod latin_tests {
    use super::*;

    #[test]
    fn latin1_exports_are_not_read_as_gbk() {
        let (bytes, _, _) = WINDOWS_1252.encode("Name;City\nMüller GmbH;Köln\nCafé Olé;Genève\n");
        let (text, name) = decode(&bytes, None);
        assert_eq!(name, "windows-1252");
        assert!(text.contains("Müller GmbH") && text.contains("Genève"));
        let (bytes, _, _) = GBK.encode("企业名称,所属行业\n杭州某某科技有限公司,软件\n");
        assert_eq!(decode(&bytes, None).1, "GB18030");
        // A GBK file with a few Latin letters in it stays GBK.
        let (bytes, _, _) = GBK
            .encode("企业名称,备注\n杭州甲科技有限公司,ABC公司推荐\n上海乙贸易有限公司,老客户\n");
        assert_eq!(decode(&bytes, None).1, "GB18030");
    }

    #[test]
    fn decoding_owned_bytes_agrees_with_decode() {
        let (gbk, _, _) = GBK.encode("企业名称,行业\n甲,软件\n");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("名称,电话\n".encode_utf16().flat_map(u16::to_le_bytes));
        let bare16: Vec<u8> = "name,phone\nA,1\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let inputs: Vec<Vec<u8>> = vec![
            "企业名称,行业\n".as_bytes().to_vec(),
            b"\xEF\xBB\xBF\xE4\xBC\x81,a\n".to_vec(),
            b"\xEF\xBB\xBF\xFF\xFEbad".to_vec(),
            gbk.into_owned(),
            utf16,
            bare16,
            Vec::new(),
        ];
        for bytes in inputs {
            assert_eq!(
                decode_owned(bytes.clone(), None),
                decode(&bytes, None),
                "{bytes:?}"
            );
            assert_eq!(
                decode_owned(bytes.clone(), Some(GBK)),
                decode(&bytes, Some(GBK)),
                "{bytes:?}"
            );
        }
    }
}
