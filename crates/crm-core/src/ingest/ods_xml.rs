//! The tokenizer of the ods pre-check ([`super::ods_guard`]): it cuts a
//! `content.xml` into tags where quick-xml 0.42, calamine's XML reader, cuts
//! it, so the pre-check sees the elements calamine sees and no others (a tag
//! hidden from one of them would let a table grow unchecked).
//!
//! quick-xml's rules (`reader/mod.rs` `read_until_close`, `parser/*.rs`),
//! with calamine's settings (`expand_empty_elements`, `check_end_names`
//! off): after `<`, `!-` opens a comment, which ends at the first `-->`
//! whose `>` is at least 6 bytes after the `<`; `![` opens a CDATA section,
//! ending at the first `]]>`; `?` opens a processing instruction, ending at
//! the first `?>` (quotes do not count, the opening `?` does); any other
//! tag, start or end, ends at the first `>` outside `"…"` or `'…'`. A name
//! ends at the first space, tab, CR or LF; an end tag's name is all of it,
//! trailing whitespace trimmed. A start tag ending in `/` is empty.
//!
//! Text between tags is handed back in runs ([`Lexer::text`]), for the
//! pre-check to count where calamine keeps it. Where quick-xml fails (bad
//! markup, an unclosed tag at the end) calamine stops with an error, so
//! what the tokenizer makes of the rest does not matter. It refuses `<!DOCTYPE`, whose internal subset
//! quick-xml parses by rules of its own: no spreadsheet writer puts one in
//! `content.xml`.

use super::ods_guard::OdsProblem;

/// Longest tag the tokenizer holds (no real file comes near it).
const MAX_TAG: usize = 16 * 1024 * 1024;

/// A whole tag, whose text [`Lexer::tag`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// `<name …>`.
    Start,
    /// `<name …/>`: calamine reads it as a start and an end.
    Empty,
    /// `</name>`.
    End,
}

/// Where the tokenizer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tags.
    Text,
    /// Just after `<`.
    Open,
    /// Just after `<!`.
    Bang,
    /// In an end tag (`end`) or another tag, in a quoted value when `Some(quote)`.
    Tag { end: bool, quote: Option<u8> },
    /// In a processing instruction.
    Pi,
    /// In a comment, whose next byte is `next` bytes after its `<` (capped).
    Comment { next: u8 },
    /// In a CDATA section.
    Cdata,
}

/// Cuts `content.xml` into tags, one byte at a time.
#[derive(Debug)]
pub(super) struct Lexer {
    /// Where it is.
    state: State,
    /// The current tag, between `<` (or `</`) and `>`, without the `/` of
    /// an empty tag.
    tag: Vec<u8>,
    /// The last two bytes.
    tail: [u8; 2],
}

impl Lexer {
    /// A tokenizer at the start of a document.
    pub(super) fn new() -> Lexer {
        Lexer {
            state: State::Text,
            tag: Vec::new(),
            tail: [0; 2],
        }
    }

    /// Takes one byte; returns the tag it ends, if it ends one.
    pub(super) fn byte(&mut self, b: u8) -> Result<Option<Markup>, OdsProblem> {
        let before = self.tail;
        self.tail = [before[1], b];
        match self.state {
            State::Text if b == b'<' => self.state = State::Open,
            State::Text => {}
            State::Open => match b {
                b'!' => self.state = State::Bang,
                b'?' => self.state = State::Pi,
                b'/' => self.open_tag(true),
                _ => {
                    self.open_tag(false);
                    return self.tag_byte(b);
                }
            },
            State::Bang => match b {
                b'-' => self.state = State::Comment { next: 3 },
                b'[' => self.state = State::Cdata,
                _ => {
                    return Err(OdsProblem::Corrupt(
                        "its content.xml holds a document type declaration",
                    ))
                }
            },
            State::Pi if b == b'>' && before[1] == b'?' => self.state = State::Text,
            State::Pi => {}
            State::Comment { next } if b == b'>' && next >= 6 && before == *b"--" => {
                self.state = State::Text;
            }
            State::Comment { next } => {
                self.state = State::Comment {
                    next: next.saturating_add(1),
                };
            }
            State::Cdata if b == b'>' && before == *b"]]" => self.state = State::Text,
            State::Cdata => {}
            State::Tag { .. } => return self.tag_byte(b),
        }
        Ok(None)
    }

    /// Takes the text at the start of `bytes` when between tags: the bytes
    /// before the next `<`, which end no tag (quick-xml reads them as text
    /// and references, calamine's `Text` and `GeneralRef` events). Returns
    /// how many it took: none inside markup, where [`Lexer::byte`] goes on.
    pub(super) fn text(&mut self, bytes: &[u8]) -> usize {
        if self.state != State::Text {
            return 0;
        }
        let n = bytes.iter().position(|b| *b == b'<').unwrap_or(bytes.len());
        for &b in &bytes[n.saturating_sub(2)..n] {
            self.tail = [self.tail[1], b];
        }
        n
    }

    /// The text of the tag last returned by [`Lexer::byte`]: an end tag's
    /// name, or a start tag's name and attributes.
    pub(super) fn tag(&self) -> &[u8] {
        &self.tag
    }

    fn open_tag(&mut self, end: bool) {
        self.tag.clear();
        self.state = State::Tag { end, quote: None };
    }

    /// One byte of a start or end tag.
    fn tag_byte(&mut self, b: u8) -> Result<Option<Markup>, OdsProblem> {
        let State::Tag { end, quote } = self.state else {
            return Ok(None);
        };
        let quote = match (quote, b) {
            (Some(q), _) if b == q => None,
            (Some(q), _) => Some(q),
            (None, b'"' | b'\'') => Some(b),
            (None, b'>') => {
                self.state = State::Text;
                return Ok(Some(if end {
                    let name_end = self
                        .tag
                        .iter()
                        .rposition(|b| !is_space(*b))
                        .map_or(0, |p| p + 1);
                    self.tag.truncate(name_end);
                    Markup::End
                } else if self.tag.last() == Some(&b'/') {
                    self.tag.pop();
                    Markup::Empty
                } else {
                    Markup::Start
                }));
            }
            (None, _) => None,
        };
        self.state = State::Tag { end, quote };
        if self.tag.len() >= MAX_TAG {
            return Err(OdsProblem::Corrupt(
                "its content.xml holds a tag over 16 MB long",
            ));
        }
        self.tag.push(b);
        Ok(None)
    }
}

/// quick-xml's whitespace, which ends a name.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The element name at the start of a tag's text.
pub(super) fn name_of(tag: &[u8]) -> &[u8] {
    &tag[..tag.iter().position(|b| is_space(*b)).unwrap_or(tag.len())]
}

/// The raw attributes of a tag's text, in order, as calamine's
/// `RawAttrIter` reads them; they end where it would fail (calamine then
/// fails on the element, so what follows does not matter).
pub(super) fn attrs(tag: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = &tag[name_of(tag).len()..];
    std::iter::from_fn(move || {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let eq = rest.iter().position(|b| *b == b'=')?;
        let key = rest[..eq].trim_ascii_end();
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = *after.first().filter(|q| matches!(q, b'"' | b'\''))?;
        let len = after[1..].iter().position(|b| *b == quote)?;
        rest = &after[len + 2..];
        Some((key, &after[1..1 + len]))
    })
}

/// The raw value of attribute `key` (the first one, as calamine's
/// `raw_attr` finds it), if present.
pub(super) fn attr<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    attrs(tag).find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// An attribute value as calamine's `decode_attr` decodes it (quick-xml's
/// `unescape`: the five predefined entities and character references);
/// `None` where calamine would fail.
pub(super) fn decode_attr(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find([';', '&'])?;
        if after.as_bytes()[end] != b';' {
            return None;
        }
        let entity = &after[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let number = entity.strip_prefix('#')?;
                let (digits, radix) = match number.strip_prefix('x') {
                    Some(hex) => (hex, 16),
                    None => (number, 10),
                };
                if digits.starts_with(['+', '-']) {
                    return None;
                }
                let code = u32::from_str_radix(digits, radix).ok()?;
                char::from_u32(code).filter(|c| *c != '\0')?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags of `xml`, as (kind, text).
    fn tags(xml: &str) -> Result<Vec<(Markup, String)>, OdsProblem> {
        let mut lexer = Lexer::new();
        let mut out = Vec::new();
        for &b in xml.as_bytes() {
            if let Some(m) = lexer.byte(b)? {
                out.push((m, String::from_utf8_lossy(lexer.tag()).into_owned()));
            }
        }
        Ok(out)
    }

    fn start(text: &str) -> (Markup, String) {
        (Markup::Start, text.into())
    }

    fn end(text: &str) -> (Markup, String) {
        (Markup::End, text.into())
    }

    #[test]
    fn tags_are_cut_like_quick_xml() {
        assert_eq!(
            tags(r#"<?xml v="1"?><a x="1>2" y='"'>t&amp;<b/></a >"#),
            Ok(vec![
                start(r#"a x="1>2" y='"'"#),
                (Markup::Empty, "b".into()),
                end("a"),
            ])
        );
        // An end tag's name is all of it; `/` does not end a name.
        assert_eq!(
            tags(r#"</t:row x=">"><t:row/ ><t:row"#),
            Ok(vec![end(r#"t:row x=">""#), start("t:row/ ")])
        );
        assert_eq!(name_of(b"t:row/ "), b"t:row/");
        assert_eq!(name_of(b"t:row\x0cx"), b"t:row\x0cx");
    }

    #[test]
    fn comments_cdata_and_instructions_hide_what_quick_xml_hides() {
        // A processing instruction ends at the first `?>`, quoted or not.
        assert_eq!(tags(r#"<?p "?>" <a> ?>"#), Ok(vec![start("a")]));
        assert_eq!(tags("<?><a>"), Ok(vec![start("a")]));
        // A comment's `-->` cannot overlap its `<!--`.
        assert_eq!(tags("<!--><b>--><a>"), Ok(vec![start("a")]));
        assert_eq!(tags("<!---><b>--><a>"), Ok(vec![start("a")]));
        assert_eq!(tags("<!----><a>"), Ok(vec![start("a")]));
        assert_eq!(tags("<![CDATA[<b>]]><a>"), Ok(vec![start("a")]));
        assert_eq!(tags("<![]]><a>"), Ok(vec![start("a")]));
        assert!(tags("<!DOCTYPE x [<!ENTITY e 'x'>]><a>").is_err());
    }

    /// Runs of text, and tags as (kind, text).
    type Fed = (Vec<String>, Vec<(Markup, String)>);

    /// The runs of text and the tags of `xml`, fed as the pre-check feeds it.
    fn texts(xml: &str) -> Result<Fed, OdsProblem> {
        let mut lexer = Lexer::new();
        let (mut texts, mut tags) = (Vec::new(), Vec::new());
        let mut rest = xml.as_bytes();
        while let Some((&b, after)) = rest.split_first() {
            let n = lexer.text(rest);
            if n > 0 {
                texts.push(String::from_utf8_lossy(&rest[..n]).into_owned());
                rest = &rest[n..];
                continue;
            }
            if let Some(m) = lexer.byte(b)? {
                tags.push((m, String::from_utf8_lossy(lexer.tag()).into_owned()));
            }
            rest = after;
        }
        Ok((texts, tags))
    }

    #[test]
    fn text_is_what_lies_between_tags() {
        let xml = r#"a<b x="<">c&amp;d<!-- e --><![CDATA[f]]><?g?>h</b >i<!---->j<?>k<![]]>l<c/>"#;
        let (text, markup) = texts(xml).expect("well formed");
        assert_eq!(text, ["a", "c&amp;d", "h", "i", "j", "k", "l"]);
        // Taking text in runs cuts the tags where taking it bytewise does.
        assert_eq!(Ok(markup), tags(xml));
    }

    #[test]
    fn attributes_are_read_like_calamine() {
        let tag = br#"t:c a="x>y" t:n = '7' t:n="8" b="""#;
        assert_eq!(attr(tag, b"t:n"), Some(&b"7"[..]));
        assert_eq!(attr(tag, b"b"), Some(&b""[..]));
        assert_eq!(attr(tag, b"t:m"), None);
        assert_eq!(
            attrs(br#"t:c a="1" bad=2 c="3""#).collect::<Vec<_>>(),
            [(&b"a"[..], &b"1"[..])]
        );
    }

    #[test]
    fn values_decode_like_calamine() {
        assert_eq!(
            decode_attr(b"a&lt;b&#x4E00;&#19968;").as_deref(),
            Some("a<b一一")
        );
        assert_eq!(decode_attr(b"&#49;0").as_deref(), Some("10"));
        assert_eq!(decode_attr(b"x;y").as_deref(), Some("x;y"));
        assert_eq!(decode_attr(b"&#x+41;"), None);
        assert_eq!(decode_attr(b"&#X41;"), None);
        assert_eq!(decode_attr(b"&amp"), None);
        assert_eq!(decode_attr(b"\xff"), None);
    }
}
