//! The order of the long lists (overdue customers and to-dos, stalled and
//! slipped deals, grade mismatches): each is sorted by a key made once per
//! row, whose names compare first as numbers.

/// The key a name sorts by, in the same order as the name itself: its first
/// 8 bytes as a number, then the name. Most comparisons of two names end on
/// the number, without reading either name from memory.
pub fn name_key(s: &str) -> (u64, &str) {
    (text_prefix(s), s)
}

/// The first 8 bytes of a text as a number that orders as the texts do
/// wherever they differ within those bytes (zero-padded: a shorter text
/// comes first).
fn text_prefix(s: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = s.len().min(8);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_order_by_their_key_as_by_themselves() {
        let names = [
            "",
            "a",
            "ab",
            "ab\0",
            "ab\0c",
            "abcdefgh",
            "abcdefgh1",
            "abcdefgi",
            "北京",
            "北京市",
            "北京甲",
            "上海",
            "Acme",
            "acme",
            "\u{10FFFF}",
        ];
        for a in names {
            for b in names {
                assert_eq!(name_key(a).cmp(&name_key(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_two_texts_order_as_they_do(a in ".{0,12}", b in ".{0,12}") {
            prop_assert_eq!(name_key(&a).cmp(&name_key(&b)), a.cmp(&b));
        }
    }
}
