//! Safe, unique file names for the per-rep reports. An owner's name comes
//! from a spreadsheet, so it may hold anything: path separators, `..`,
//! control characters, characters Windows forbids, a reserved device name
//! (`CON`, `COM1`…), trailing dots or spaces, or thousands of characters.
//! The stem made here is safe on Linux, macOS and Windows, and two owners
//! never share one, even on a case-insensitive file system.

use std::collections::BTreeSet;

/// Longest stem, in bytes (file systems allow 255; room is left for a
/// collision suffix and the extension).
pub const MAX_STEM_BYTES: usize = 100;
/// The stem of a name with nothing usable left.
const FALLBACK: &str = "owner";

/// Windows device names, reserved with any extension and in any case.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "COM¹", "COM²", "COM³", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9", "LPT¹", "LPT²", "LPT³", "CONIN$", "CONOUT$",
];

/// Characters replaced by `_`: separators, what Windows forbids, controls.
fn is_forbidden(c: char) -> bool {
    matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control()
}

/// Cuts `s` to at most `max` bytes at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Trims what Windows drops or refuses at the end (dots, spaces), and
/// spaces at the start.
fn trim_ends(s: &str) -> &str {
    s.trim_start_matches([' ', '\u{3000}'])
        .trim_end_matches(['.', ' ', '\u{3000}'])
}

/// A safe file stem for one name: forbidden characters become `_`, a
/// leading dot becomes `_` (no hidden files, no `..`), trailing dots and
/// spaces go, the length is capped, a reserved device name gets a `_`
/// after it, and an empty result becomes `owner`.
pub fn safe_stem(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| if is_forbidden(c) { '_' } else { c })
        .collect();
    let mut stem = trim_ends(cut(&replaced, MAX_STEM_BYTES)).to_string();
    if stem.starts_with('.') {
        stem.replace_range(..1, "_");
    }
    let mut stem = trim_ends(&stem).to_string();
    if stem.is_empty() {
        return FALLBACK.to_string();
    }
    // `CON`, `con.txt`, `COM1 .x`: the part before the first dot decides;
    // a `_` after it frees the name (`CON_`, `con_.txt`).
    let base_len = stem.find('.').unwrap_or(stem.len());
    if RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem[..base_len].trim_end()))
    {
        stem.insert(base_len, '_');
    }
    stem
}

/// Safe stems for every name, in order, unique without regard to case:
/// the first keeps its stem, a later one that would collide gets `-2`,
/// `-3`… (the first number free), so the same list gives the same names.
pub fn safe_file_stems(names: &[&str]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let stem = safe_stem(name);
        let mut candidate = stem.clone();
        let mut n = 2;
        while taken.contains(&candidate.to_lowercase()) {
            candidate = format!("{}-{n}", cut(&stem, MAX_STEM_BYTES - 8));
            n += 1;
        }
        taken.insert(candidate.to_lowercase());
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_names() {
        assert_eq!(safe_stem("张伟"), "张伟");
        assert_eq!(safe_stem("Anna Li"), "Anna Li");
        assert_eq!(safe_stem("王磊 (华东)"), "王磊 (华东)");
    }

    #[test]
    fn removes_separators_and_traversal() {
        assert_eq!(safe_stem("../../etc/passwd"), "_._.._etc_passwd");
        assert_eq!(safe_stem(".."), "owner");
        assert_eq!(safe_stem("."), "owner");
        assert_eq!(safe_stem(".hidden"), "_hidden");
        assert_eq!(safe_stem(r"a\b/c"), "a_b_c");
        assert_eq!(safe_stem("C:\\x"), "C__x");
        for bad in [
            "../x",
            "a/../b",
            "x\\..\\y",
            "..\\..",
            "/abs",
            "a:b*c?d\"e<f>g|h",
        ] {
            let s = safe_stem(bad);
            assert!(
                !s.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
                "{s}"
            );
            assert!(!s.starts_with('.'), "{s}");
            assert_ne!(s, "..");
        }
    }

    #[test]
    fn removes_control_characters() {
        assert_eq!(safe_stem("张\n伟\t\u{0}"), "张_伟__");
        assert!(!safe_stem("a\u{7f}b\u{1b}[31m")
            .chars()
            .any(char::is_control));
    }

    #[test]
    fn avoids_windows_reserved_names() {
        for r in [
            "CON", "con", "Prn", "AUX", "NUL", "COM1", "com9", "LPT1", "lpt9", "nul.txt", "CON ",
        ] {
            let s = safe_stem(r);
            let base = s.split('.').next().unwrap().trim_end();
            assert!(
                !RESERVED.iter().any(|x| x.eq_ignore_ascii_case(base)),
                "{r} gave {s}"
            );
        }
        assert_eq!(safe_stem("CON"), "CON_");
        assert_eq!(safe_stem("nul.txt"), "nul_.txt");
        assert_eq!(safe_stem("COM10"), "COM10");
        assert_eq!(safe_stem("CONSOLE"), "CONSOLE");
    }

    #[test]
    fn strips_trailing_dots_and_spaces() {
        assert_eq!(safe_stem("张伟. . "), "张伟");
        assert_eq!(safe_stem("  李娜  "), "李娜");
        assert_eq!(safe_stem("   "), "owner");
        assert_eq!(safe_stem(""), "owner");
        assert_eq!(safe_stem("..."), "owner");
    }

    #[test]
    fn caps_the_length_at_a_character_boundary() {
        let long = "长".repeat(200);
        let s = safe_stem(&long);
        assert!(s.len() <= MAX_STEM_BYTES);
        assert!(s.chars().all(|c| c == '长'));
        let s = safe_stem(&"a".repeat(1000));
        assert_eq!(s.len(), MAX_STEM_BYTES);
    }

    #[test]
    fn makes_collisions_unique_deterministically() {
        let names = ["张伟", "张伟", "a/b", "a_b", "A_B", "a_b-2", "CON", "con"];
        let stems = safe_file_stems(&names);
        assert_eq!(
            stems,
            ["张伟", "张伟-2", "a_b", "a_b-2", "A_B-3", "a_b-2-2", "CON_", "con_-2"]
        );
        let lower: BTreeSet<String> = stems.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(lower.len(), names.len());
        assert_eq!(safe_file_stems(&names), stems);
        // Long names that collide still fit.
        let long = "x".repeat(300);
        let stems = safe_file_stems(&[&long, &long]);
        assert!(stems.iter().all(|s| s.len() <= MAX_STEM_BYTES));
        assert_ne!(stems[0], stems[1]);
    }
}
