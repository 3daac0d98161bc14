//! GBK / GB18030 fields decoded through a table of every two-byte
//! character, made once with `encoding_rs`. A Chinese sheet's text is
//! ASCII and two-byte characters, and the decoder, whose tables are kept
//! small rather than fast, takes some 90 instructions per character
//! (with a decoder made per field); one look in a flat table takes a
//! few. Anything else in a field (a four-byte GB18030 sequence, the
//! one-byte `0x80`, malformed bytes) leaves the whole field to the
//! decoder, which gives every field the same text either way.

use std::sync::OnceLock;

use encoding_rs::{Encoding, GB18030, GBK};

/// The lead bytes of two-byte characters.
const LEADS: std::ops::RangeInclusive<u8> = 0x81..=0xFE;
/// The trail bytes of two-byte characters (four-byte sequences have
/// `0x30..=0x39` there instead).
const TRAILS: std::ops::RangeInclusive<u8> = 0x40..=0xFE;
/// How many trail bytes there are: a row of the table.
const ROW: usize = 0xFE - 0x40 + 1;

/// The UTF-8 of a pair: its length, then its bytes. Every two-byte
/// character is in the Basic Multilingual Plane and past ASCII: two or
/// three bytes. A length of 0 marks a pair that alone is no character
/// (an error, which the decoder recovers from in its own way).
type Utf8Of = [u8; 4];

/// The UTF-8 of each pair of a lead and a trail byte.
fn table() -> &'static [Utf8Of] {
    static TABLE: OnceLock<Box<[Utf8Of]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![[0; 4]; LEADS.count() * ROW];
        for lead in LEADS {
            for trail in TRAILS {
                let mut decoder = GB18030.new_decoder_without_bom_handling();
                let mut utf8 = [0u8; 8];
                let (result, read, written) =
                    decoder.decode_to_utf8_without_replacement(&[lead, trail], &mut utf8, true);
                let whole = result == encoding_rs::DecoderResult::InputEmpty && read == 2;
                // One whole character's UTF-8, as `append` relies on.
                let one_char = std::str::from_utf8(&utf8[..written])
                    .is_ok_and(|text| text.chars().count() == 1);
                if let (true, true, Ok(len @ 2..=3)) = (whole, one_char, u8::try_from(written)) {
                    let entry = &mut table[index(lead, trail)];
                    entry[0] = len;
                    entry[1..=written].copy_from_slice(&utf8[..written]);
                }
            }
        }
        table.into_boxed_slice()
    })
}

/// The place of a pair in [`table`].
fn index(lead: u8, trail: u8) -> usize {
    usize::from(lead - LEADS.start()) * ROW + usize::from(trail - TRAILS.start())
}

/// True when the table decodes `enc`'s text: GBK and GB18030 share one
/// decoder (the WHATWG Encoding Standard's gb18030 decoder).
pub(crate) fn decodes(enc: &'static Encoding) -> bool {
    enc == GBK || enc == GB18030
}

/// Appends the text of `field` to `out` as the decoder decodes it when
/// the field holds only ASCII and two-byte characters; `false`, with
/// `out` as it was, when it holds anything else.
pub(crate) fn append(field: &[u8], out: &mut String) -> bool {
    let table = table();
    let mut bytes = std::mem::take(out).into_bytes();
    let start = bytes.len();
    // Room for every byte written: an ASCII byte gives one, a pair at
    // most three (three are written, the last cut or written over after
    // a two-byte character), so the end is within one and a half times
    // the field's length.
    bytes.resize(start + field.len() * 3 / 2 + 1, 0);
    let (mut read, mut written) = (0, start);
    let whole = loop {
        let Some(&b) = field.get(read) else {
            break true;
        };
        if b.is_ascii() {
            bytes[written] = b;
            (read, written) = (read + 1, written + 1);
            continue;
        }
        let Some(&trail) = field.get(read + 1) else {
            break false;
        };
        if !LEADS.contains(&b) || !TRAILS.contains(&trail) {
            break false;
        }
        let [len, first, second, third] = table[index(b, trail)];
        if len == 0 {
            break false;
        }
        bytes[written] = first;
        bytes[written + 1] = second;
        bytes[written + 2] = third;
        (read, written) = (read + 2, written + usize::from(len));
    };
    bytes.truncate(if whole { written } else { start });
    // SAFETY: `bytes` holds `out`'s text, then, when the field is whole,
    // ASCII bytes and table entries, each the UTF-8 of one character
    // (checked as the table is made), cut at the end of the last.
    *out = unsafe { String::from_utf8_unchecked(bytes) };
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `bytes` with the table after a text, or `None` where it
    /// leaves them to the decoder (the text then as it was).
    fn fast(bytes: &[u8]) -> Option<String> {
        let mut out = String::from("前");
        let done = append(bytes, &mut out);
        if !done {
            assert_eq!(out, "前", "a field left to the decoder changed the text");
        }
        done.then(|| out["前".len()..].to_string())
    }

    /// What the decoder makes of `bytes`, the same for both encodings.
    fn decoded(bytes: &[u8]) -> String {
        let (gbk, _) = GBK.decode_without_bom_handling(bytes);
        let (gb18030, _) = GB18030.decode_without_bom_handling(bytes);
        assert_eq!(gbk, gb18030, "GBK and GB18030 decode {bytes:02x?} apart");
        gb18030.into_owned()
    }

    #[test]
    fn every_pair_decodes_as_the_decoder_decodes_it() {
        let mut kept = 0;
        for lead in 0x80..=0xFFu8 {
            for trail in 0x00..=0xFFu8 {
                // Each pair alone, and between ASCII.
                for bytes in [vec![lead, trail], vec![b'a', lead, trail, b'1']] {
                    if let Some(text) = fast(&bytes) {
                        assert_eq!(text, decoded(&bytes), "{bytes:02x?}");
                        kept += 1;
                    }
                }
            }
        }
        // Every GBK character (21,886 of them) is decoded by the table.
        assert!(kept >= 2 * 21_886, "{kept}");
        assert!(decodes(GBK) && decodes(GB18030) && !decodes(encoding_rs::BIG5));
    }

    #[test]
    fn other_fields_are_left_to_the_decoder() {
        let text = "杭州星河网络，（有限）公司 Ltd. 2024-03-05";
        let (gbk, _, _) = GBK.encode(text);
        assert_eq!(fast(&gbk).as_deref(), Some(text));
        assert_eq!(fast(b"plain ascii").as_deref(), Some("plain ascii"));
        assert_eq!(fast(b"").as_deref(), Some(""));
        // A four-byte GB18030 character, the one-byte euro sign, a lead
        // byte at the end, a trail that makes no character.
        let (four, _, _) = GB18030.encode("杭😀州");
        for bytes in [&four[..], b"\x80", b"ab\xb0", b"\xb0\x7f", b"\xff\xa1"] {
            assert_eq!(fast(bytes), None, "{bytes:02x?}");
        }
    }
}
