//! Contact details and personal data (schema.md §3–4): e-mail checks
//! (with personal mail providers), unmasked Chinese contact names, masking
//! of names for reports, and mainland ID card numbers (found anywhere in a
//! text, checked by their ISO 7064 MOD 11-2 digit and birth date, masked).

use std::ops::Range;

use chrono::NaiveDate;

use super::text::{clean_text, clean_text_cow};

/// Result of checking an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailCheck {
    /// A well-formed address; `personal` when at a personal mail provider.
    Valid {
        /// The domain is a personal mail provider (qq.com, 163.com, gmail.com…).
        personal: bool,
    },
    /// Not an e-mail address.
    Invalid,
}

/// Personal mail providers (a subdomain such as `vip.qq.com` counts too).
const PERSONAL_DOMAINS: &[&str] = &[
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sina.cn",
    "sohu.com",
    "foxmail.com",
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "yahoo.com.cn",
    "yeah.net",
    "139.com",
    "189.cn",
    "188.com",
    "aliyun.com",
    "icloud.com",
    "me.com",
    "live.com",
    "msn.com",
    "tom.com",
    "21cn.com",
];

/// Checks an e-mail address: one `@`, a local part of the usual characters
/// (no leading, trailing or double dot, at most 64 characters), a domain of
/// at least two labels of letters, digits and inner `-` ending in a
/// top-level domain of 2+ letters (or `xn--`), 254 characters at most. A
/// `mailto:` prefix is ignored. `Valid { personal }` tells whether the
/// domain is a personal provider (qq.com, 163.com, 126.com, sina.com,
/// sina.cn, sohu.com, foxmail.com, gmail.com, hotmail.com, outlook.com,
/// yahoo.com, yeah.net, 139.com, aliyun.com, icloud.com, live.com,
/// msn.com, and a few more) or a subdomain of one.
pub fn check_email(s: &str) -> EmailCheck {
    if s.len() > 1024 {
        return EmailCheck::Invalid;
    }
    let text = clean_text_cow(s);
    let text = text.strip_prefix("mailto:").unwrap_or(&text);
    if text.is_empty() || text.len() > 254 {
        return EmailCheck::Invalid;
    }
    let Some((local, domain)) = text.split_once('@') else {
        return EmailCheck::Invalid;
    };
    if domain.contains('@') || !valid_local(local) || !valid_domain(domain) {
        return EmailCheck::Invalid;
    }
    // A valid domain is ASCII: compared as bytes, case aside.
    let domain = domain.as_bytes();
    let personal = PERSONAL_DOMAINS.iter().any(|p| {
        let Some(head) = domain.len().checked_sub(p.len()) else {
            return false;
        };
        domain[head..].eq_ignore_ascii_case(p.as_bytes()) && (head == 0 || domain[head - 1] == b'.')
    });
    EmailCheck::Valid { personal }
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

fn valid_domain(domain: &str) -> bool {
    // At least two labels.
    if !domain.contains('.') || domain.len() > 253 {
        return false;
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !domain.split('.').all(|l| label_ok(&l)) {
        return false;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    (tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())) || tld.starts_with("xn--")
}

/// Common single-character surnames (roughly the 150 most frequent).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩";

/// Common compound surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "百里", "呼延", "澹台", "公冶", "太史",
    "申屠", "钟离", "闻人", "万俟", "司空", "赫连",
];

/// Title words that show a name is a form of address, not a full name.
const TITLES: &[&str] = &[
    "先生", "女士", "小姐", "经理", "总", "主任", "老师", "工", "博士", "主管", "总监", "董事",
    "董", "秘书", "助理", "律师", "医生", "教授", "书记", "局长", "处长", "科长", "部长", "厂长",
    "院长", "校长", "老板", "会计", "师傅", "姐", "哥", "某",
];

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2A6DF}')
}

/// The number of leading characters that form a common surname (2 for a
/// compound surname, 1 for a single one), or 0.
fn surname_len(chars: &[char]) -> usize {
    let head: String = chars.iter().take(2).collect();
    if chars.len() >= 3 && COMPOUND_SURNAMES.contains(&head.as_str()) {
        return 2;
    }
    match chars.first() {
        Some(c) if SURNAMES.contains(*c) => 1,
        _ => 0,
    }
}

/// A contact name of 2–4 Chinese characters starting with a common surname
/// (a list of the ~150 most common single surnames plus compound ones like
/// 欧阳 司马 诸葛 上官), no `*`, no title word (先生, 女士, 小姐, 经理, 总,
/// 主任, 老师, 工, 博士, 主管, 总监…) and no `某`. Spaces between the
/// characters are ignored (`张 三`).
pub fn is_unmasked_chinese_name(s: &str) -> bool {
    if s.len() > 256 {
        return false;
    }
    let text: String = clean_text(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let chars: Vec<char> = text.chars().collect();
    if !(2..=4).contains(&chars.len()) || !chars.iter().all(|c| is_cjk(*c)) {
        return false;
    }
    // A title is looked for only where its first character is: a name
    // holds at most four, and every name of a customer table is asked.
    let holds = |title: &&str| {
        let first = title.chars().next();
        first.is_some_and(|f| chars.contains(&f)) && text.contains(title)
    };
    if TITLES.iter().any(holds) {
        return false;
    }
    surname_len(&chars) > 0
}

/// Mask a contact name for reports: `张三` → `张*`, `欧阳娜娜` → `欧阳**`,
/// `John Smith` → `J*** S****` (the first character of each word is kept).
/// A value that already holds `*`, `＊` or `某` is returned cleaned but
/// otherwise unchanged; a single character stays as it is.
pub fn mask_name(s: &str) -> String {
    let text = clean_text(s);
    if text.contains('*') || text.contains('某') {
        return text;
    }
    text.split(' ')
        .map(|word| {
            let chars: Vec<char> = word.chars().collect();
            let keep = if chars.first().is_some_and(|c| is_cjk(*c)) {
                surname_len(&chars).max(1)
            } else {
                1
            };
            let keep = keep.min(chars.len());
            let mut out: String = chars.iter().take(keep).collect();
            out.extend(std::iter::repeat_n('*', chars.len() - keep));
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Weights of the ISO 7064 MOD 11-2 check digit of an ID number.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder.
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// True when the 18 bytes are a valid mainland ID number.
fn is_id_number(b: &[u8]) -> bool {
    if b.len() != 18 {
        return false;
    }
    let (body, check) = b.split_at(17);
    if !body.iter().all(u8::is_ascii_digit) || !matches!(body.first(), Some(b'1'..=b'8')) {
        return false;
    }
    let sum: u32 = body
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let want = ID_CHECK.get((sum % 11) as usize).copied();
    let got = check.first().map(u8::to_ascii_uppercase);
    if want != got {
        return false;
    }
    // Birth date: digits 7–14.
    let num =
        |r: Range<usize>| -> Option<u32> { std::str::from_utf8(b.get(r)?).ok()?.parse().ok() };
    let (Some(y), Some(m), Some(d)) = (num(6..10), num(10..12), num(12..14)) else {
        return false;
    };
    (1900..=2100).contains(&y)
        && i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            .is_some()
}

/// The first valid ID number at or after byte `from`.
fn find_from(s: &str, from: usize) -> Option<Range<usize>> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = from;
    while i + 18 <= b.len() {
        // A number starts with a digit after a character that is none, so
        // only the first place of a run of digits can start one: other
        // characters are stepped over one by one, and a run whole. (Every
        // free-text cell of a big log is searched, and most hold no digit.)
        if !digit(i) {
            i += 1;
            continue;
        }
        let run = b.get(i..).map_or(0, |rest| {
            rest.iter().take_while(|c| c.is_ascii_digit()).count()
        });
        let before_ok = i == 0 || !digit(i - 1);
        let after_ok = !b
            .get(i + 18)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x'));
        if before_ok && after_ok && b.get(i..i + 18).is_some_and(is_id_number) {
            return Some(i..i + 18);
        }
        i += run;
    }
    None
}

/// Find a mainland ID card number (18 chars: 17 ASCII digits + a digit or
/// `X`/`x`, valid ISO 7064 MOD 11-2 check digit, plausible birth date
/// 1900–2100, first digit 1–8) anywhere in the text, not inside a longer
/// run of digits; return its byte range in `s`.
pub fn find_id_number(s: &str) -> Option<Range<usize>> {
    find_from(s, 0)
}

/// Replace every valid ID number in the text with its first 6 and last 4
/// characters around 8 stars (`110101********1234`).
pub fn mask_id_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    while let Some(r) = find_from(s, pos) {
        let (Some(gap), Some(id)) = (s.get(pos..r.start), s.get(r.clone())) else {
            break;
        };
        out.push_str(gap);
        out.push_str(id.get(..6).unwrap_or(""));
        out.push_str("********");
        out.push_str(id.get(14..).unwrap_or(""));
        pos = r.end;
    }
    out.push_str(s.get(pos..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        let personal = EmailCheck::Valid { personal: true };
        let work = EmailCheck::Valid { personal: false };
        let cases: &[(&str, EmailCheck)] = &[
            ("zhangsan@acme.com.cn", work),
            ("Zhang.San@Acme.COM", work),
            ("sales+crm@acme-tech.io", work),
            (" li_si@abc.net ", work),
            ("mailto:a@b.cn", work),
            ("12345@qq.com", personal),
            ("abc@QQ.COM", personal),
            ("abc@vip.qq.com", personal),
            ("abc@163.com", personal),
            ("abc@126.com", personal),
            ("abc@sina.cn", personal),
            ("abc@gmail.com", personal),
            ("abc@outlook.com", personal),
            ("abc@yeah.net", personal),
            ("abc@aliyun.com", personal),
            ("abc＠163.com", personal),
            ("abc@notqq.com", work),
            ("abc@Mail.VIP.QQ.Com", personal),
            ("abc@qq.com.cn", work),
            ("abc@qq.com.", EmailCheck::Invalid),
            ("abc@xn--fiqs8s.xn--fiqs8s", work),
            ("", EmailCheck::Invalid),
            ("abc", EmailCheck::Invalid),
            ("abc@", EmailCheck::Invalid),
            ("@qq.com", EmailCheck::Invalid),
            ("a@b@c.com", EmailCheck::Invalid),
            ("abc@qq", EmailCheck::Invalid),
            ("abc@qq.c", EmailCheck::Invalid),
            ("abc@qq..com", EmailCheck::Invalid),
            ("abc@-qq.com", EmailCheck::Invalid),
            (".abc@qq.com", EmailCheck::Invalid),
            ("a..b@qq.com", EmailCheck::Invalid),
            ("abc @qq.com", EmailCheck::Invalid),
            ("张三@qq.com", EmailCheck::Invalid),
            ("abc@qq。com", EmailCheck::Invalid),
            ("abc@qq.123", EmailCheck::Invalid),
        ];
        for (text, want) in cases {
            assert_eq!(check_email(text), *want, "{text}");
        }
    }

    #[test]
    fn unmasked_names() {
        let cases: &[(&str, bool)] = &[
            ("张三", true),
            ("王小明", true),
            ("欧阳娜娜", true),
            ("诸葛亮", true),
            ("司马相如", true),
            ("张 三", true),
            ("李四光", true),
            ("张*", false),
            ("张**", false),
            ("张先生", false),
            ("李女士", false),
            ("王经理", false),
            ("刘总", false),
            ("陈工", false),
            ("赵老师", false),
            ("王某", false),
            ("张", false),
            ("张三丰五六", false),
            ("John Smith", false),
            ("测试数据", false),
            ("", false),
            ("张3", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_unmasked_chinese_name(text), *want, "{text}");
        }
    }

    #[test]
    fn masked_names() {
        let cases: &[(&str, &str)] = &[
            ("张三", "张*"),
            ("王小明", "王**"),
            ("欧阳娜娜", "欧阳**"),
            ("欧阳", "欧*"),
            ("诸葛亮", "诸葛*"),
            ("John Smith", "J*** S****"),
            ("  John   Smith ", "J*** S****"),
            ("Li", "L*"),
            ("张", "张"),
            ("张*", "张*"),
            ("王某", "王某"),
            ("", ""),
            ("张经理", "张**"),
            ("买买提·艾力", "买*****"),
            ("Zhang San 张三", "Z**** S** 张*"),
        ];
        for (text, want) in cases {
            assert_eq!(mask_name(text), *want, "{text}");
        }
    }

    /// Builds a valid ID number from its first 17 digits.
    fn with_check(body: &str) -> String {
        let sum: u32 = body
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        format!("{body}{}", char::from(ID_CHECK[(sum % 11) as usize]))
    }

    #[test]
    fn id_numbers() {
        let id = with_check("11010119900307123");
        let id_x = "11010519491231002X";
        assert!(is_id_number(id_x.as_bytes()));
        let bad_check = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
        let bad_date = with_check("11010119901307123");
        let cases: Vec<(String, Option<Range<usize>>)> = vec![
            (id.clone(), Some(0..18)),
            (format!("身份证：{id}"), Some(12..30)),
            (format!("ID {id} 请删除"), Some(3..21)),
            (id_x.to_string(), Some(0..18)),
            (id_x.to_lowercase(), Some(0..18)),
            (format!("{id}1"), None),
            (format!("1{id}"), None),
            (format!("{id}X"), None),
            (bad_check.clone(), None),
            (bad_date, None),
            (with_check("01010119900307123"), None),
            (with_check("11010118800307123"), None),
            ("13800138000".to_string(), None),
            (String::new(), None),
            ("张三 电话 13800138000".to_string(), None),
            (format!("{bad_check} {id}"), Some(19..37)),
        ];
        for (text, want) in &cases {
            assert_eq!(find_id_number(text), *want, "{text}");
        }
    }

    /// The search that steps over runs of digits finds what checking
    /// every place finds, from every starting place: texts of valid and
    /// invalid numbers in runs of every length, `X` check characters,
    /// and Chinese text around them.
    #[test]
    fn skipping_runs_finds_what_every_place_finds() {
        fn every_place(s: &str, from: usize) -> Option<Range<usize>> {
            let b = s.as_bytes();
            let mut i = from;
            while i + 18 <= b.len() {
                let before_ok = i == 0 || !b.get(i - 1).is_some_and(|c| c.is_ascii_digit());
                let after_ok = !b
                    .get(i + 18)
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'X' | b'x'));
                if before_ok && after_ok && b.get(i..i + 18).is_some_and(is_id_number) {
                    return Some(i..i + 18);
                }
                i += 1;
            }
            None
        }
        let id = with_check("11010119900307123");
        let id_x = "11010519491231002X";
        let pieces = [
            id.as_str(),
            id_x,
            &id[..17],
            &id[1..],
            "1",
            "12",
            "X",
            "x",
            "身份证",
            " ",
            ",",
            "2024-03-01",
            "138001380001380013800",
        ];
        // Every sequence of up to four pieces (13^4 texts).
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        let mut found = 0;
        for text in &texts {
            for from in 0..=text.len() {
                let want = every_place(text, from);
                assert_eq!(find_from(text, from), want, "{text:?} from {from}");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 1000, "the texts hold numbers: {found}");
    }

    #[test]
    fn id_masking() {
        let id = with_check("11010119900307123");
        let tail = &id[14..];
        let cases: Vec<(String, String)> = vec![
            (id.clone(), format!("110101********{tail}")),
            (
                format!("身份证{id}。"),
                format!("身份证110101********{tail}。"),
            ),
            (
                format!("{id},{id}"),
                format!("110101********{tail},110101********{tail}"),
            ),
            (
                "11010519491231002X".to_string(),
                "110105********002X".to_string(),
            ),
            ("no id here".to_string(), "no id here".to_string()),
            (String::new(), String::new()),
            (format!("{id}9"), format!("{id}9")),
        ];
        for (text, want) in &cases {
            assert_eq!(mask_id_numbers(text), *want, "{text}");
        }
    }
}
