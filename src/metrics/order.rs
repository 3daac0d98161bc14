//! The order of long lists (overdue customers, overdue to-dos): sorted by a
//! key computed once per row, whose names are first compared by a number.

/// The first 8 bytes of a text as a number that orders as the texts do
/// wherever they differ within those bytes (zero-padded: a shorter text
/// comes first). Two names compare on it without reading either name; on
/// a tie, the names themselves decide.
pub fn text_prefix(s: &str) -> u64 {
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
    fn names_order_by_prefix_then_name_as_by_name() {
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
                assert_eq!(
                    (text_prefix(a), a).cmp(&(text_prefix(b), b)),
                    a.cmp(b),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn any_two_texts_order_as_they_do(a in ".{0,12}", b in ".{0,12}") {
            prop_assert_eq!((text_prefix(&a), &a).cmp(&(text_prefix(&b), &b)), a.cmp(&b));
        }
    }
}
