//! Text normalization shared by every field: NFKC, trimming, space runs,
//! and the folded form used to compare column headers.

use unicode_normalization::UnicodeNormalization;

/// NFKC, trim, and collapse inner runs of spaces and tabs to one space.
/// Line breaks are kept (need fields split on them); meaning never changes.
pub fn clean_text(s: &str) -> String {
    clean_text_cow(s).into_owned()
}

/// [`clean_text`], borrowing `s` when it is clean already (most cells).
pub fn clean_text_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_clean(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(clean_changed(s))
}

/// [`clean_text`] of a text that may change.
fn clean_changed(s: &str) -> String {
    let nfkc = wide_ascii_folded(s).unwrap_or_else(|| s.nfkc().collect());
    let unified;
    let lines = if nfkc.contains('\r') {
        unified = nfkc.replace("\r\n", "\n").replace('\r', "\n");
        &unified
    } else {
        &nfkc
    };
    let mut out = String::with_capacity(nfkc.len());
    for (i, line) in lines.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut last_space = false;
        for ch in line.trim().chars() {
            if ch.is_whitespace() {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
            } else {
                out.push(ch);
                last_space = false;
            }
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    let start = out.len() - out.trim_start().len();
    out.drain(..start);
    out
}

/// The NFKC form of a text of [plain](is_plain) characters, full-width
/// ASCII forms (U+FF01–U+FF5E: `，；（）：`) and ideographic spaces, the
/// text of most Chinese cells that are not clean: NFKC gives each of
/// those the ASCII character it stands for, and composes none of them
/// with its neighbours. `None` for any other text.
fn wide_ascii_folded(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0)?,
            '\u{3000}' => ' ',
            c if is_plain(c) => c,
            _ => return None,
        });
    }
    Some(out)
}

/// True when [`clean_text`] would return `s` unchanged (most cells): NFKC
/// already (the quick check), no `\r`, no white space at either end or
/// around a line break, and every other white space a single ` `.
fn is_clean(s: &str) -> bool {
    let mut prev_space = true; // at the start, as after a line break
    let mut plain = true;
    for c in s.chars() {
        plain &= is_plain(c);
        if c == '\n' {
            if prev_space {
                return false;
            }
            prev_space = true;
        } else if c.is_whitespace() {
            if c != ' ' || prev_space {
                return false;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    !prev_space
        && (plain
            || unicode_normalization::is_nfkc_quick(s.chars())
                == unicode_normalization::IsNormalized::Yes)
}

/// True for a character NFKC leaves as it is whatever surrounds it: ASCII
/// and the CJK Unified Ideographs, most of a Chinese sheet's text. A
/// string of these alone needs no look-up in the Unicode tables.
pub(crate) fn is_plain(c: char) -> bool {
    c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The form in which column headers compare: NFKC, case folded, bracketed
/// notes and a trailing `*` removed, `_` read as a space, spaces collapsed.
pub fn fold_header(s: &str) -> String {
    let nfkc: String = s.nfkc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(nfkc.len());
    let mut depth = 0usize;
    for ch in nfkc.chars() {
        match ch {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '_' => out.push(' '),
            c if c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
    let trimmed = out.trim().trim_end_matches('*').trim();
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_characters_are_nfkc_on_their_own_and_start_nothing() {
        use unicode_normalization::char::canonical_combining_class;
        let plain = (0u32..0x80)
            .chain(0x4E00..=0x9FFF)
            .filter_map(char::from_u32);
        for c in plain {
            assert!(is_plain(c));
            let one = c.to_string();
            assert_eq!(one.nfkc().collect::<String>(), one, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
        }
        for c in ['\u{3000}', '，', 'Ａ', '\u{FEFF}', '㈱', '\u{A000}'] {
            assert!(!is_plain(c), "{c:?}");
        }
        // Plain text passes without the tables; other text still meets them.
        assert!(is_clean("星河科技 Co. 2026"));
        assert!(!is_clean("星河科技（北京）"));
        assert!(!is_clean("ＡＢＣ有限公司"));
    }

    /// The quick check only passes texts the full cleaning leaves as they are.
    #[test]
    fn clean_texts_are_recognised_exactly() {
        let texts = [
            "杭州甲科技有限公司",
            "Acme Ltd",
            "a b c",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\nb",
            "a \nb",
            "a\n b",
            "a\r\nb",
            "\na",
            "a\n",
            "",
            " ",
            "ＡＢＣ１２３",
            "（有限公司）",
            "a\u{3000}b",
            "e\u{301}",
            "é",
            "ﬁ",
            "2024/3/5",
            "138 0013 8000",
            "第一行\n第二行",
        ];
        for t in texts {
            let full = clean_changed(t);
            if is_clean(t) {
                assert_eq!(full, t, "{t:?} passed the quick check but changes");
            }
            assert_eq!(clean_text(t), full, "{t:?}");
        }
        assert!(is_clean("杭州甲科技有限公司"));
        assert!(is_clean("a b\nc"));
        assert!(!is_clean("ＡＢＣ"));
    }

    /// Full-width ASCII forms and ideographic spaces among plain text are
    /// folded as NFKC folds them; any other character leaves it to NFKC.
    #[test]
    fn wide_ascii_is_folded_as_nfkc_folds_it() {
        let wide = ('\u{FF01}'..='\u{FF5E}').chain(['\u{3000}']);
        for c in wide {
            let text = format!("甲{c}a{c}{c}1");
            let folded = wide_ascii_folded(&text);
            assert_eq!(folded, Some(text.nfkc().collect::<String>()), "{c:?}");
        }
        for text in ["甲\u{FF61}", "㈱", "e\u{301}", "ﬁ", "\u{FF5F}"] {
            assert_eq!(wide_ascii_folded(text), None, "{text:?}");
        }
    }

    #[test]
    fn clean_text_cases() {
        assert_eq!(clean_text("  ＡＢＣ  公司 "), "ABC 公司");
        assert_eq!(clean_text("a \t  b"), "a b");
        assert_eq!(clean_text("CRM 系统\r\n数据 分析"), "CRM 系统\n数据 分析");
        assert_eq!(clean_text("   "), "");
        assert_eq!(clean_text("（中国）"), "(中国)");
        assert_eq!(
            clean_text("\u{3000}甲，乙\u{3000}\u{3000}丙\u{3000}"),
            "甲,乙 丙"
        );
        assert_eq!(clean_text("甲\r\n\u{3000}乙 \r丙\r"), "甲\n乙\n丙");
        assert_eq!(clean_text("\n\n a\n\nb\n "), "a\n\nb");
    }

    #[test]
    fn fold_header_cases() {
        assert_eq!(fold_header("客户名称*"), "客户名称");
        assert_eq!(fold_header(" Account  Name "), "account name");
        assert_eq!(fold_header("客户来源（如/展会/转介绍）"), "客户来源");
        assert_eq!(fold_header("customer_id"), "customer id");
        assert_eq!(fold_header("Probability (%)"), "probability");
        assert_eq!(fold_header("【必填】企业名称"), "企业名称");
    }
}
