//! The many ways people type one value: dates, amounts, budgets, phone
//! numbers, e-mail addresses, contact names and ID card numbers.
//!
//! Each function takes the true value and returns the cell as someone on
//! the team would have typed it, mostly in a form the reader accepts
//! (schema.md §3) and now and then in one it must reject.

use crate::cell::Cell;
use crate::names::Identity;
use crate::rng::Rng;
use crate::vocab::{
    BAD_EMAILS, CITIES, GIVEN_NAMES, HONORIFICS, PERSONAL_MAIL, ROLE_MAILBOXES, SURNAMES,
    SURNAME_PINYIN,
};
use chrono::{Datelike, NaiveDate};

/// A date in one of the accepted text forms (`2026/3/5`, `2026年3月5日`…).
pub fn date_text(rng: &mut Rng, d: NaiveDate) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match rng.below(6) {
        0 => format!("{y}/{m}/{day}"),
        1 => format!("{y}年{m}月{day}日"),
        2 => format!("{y}{m:02}{day:02}"),
        3 => format!("{y}.{m:02}.{day:02}"),
        4 => format!(
            "{y}-{m:02}-{day:02} {:02}:{:02}",
            rng.range(9, 18),
            rng.range(0, 59)
        ),
        _ => format!("{y}-{m}-{day}"),
    }
}

/// A date cell: mostly a real date, sometimes text in another form,
/// rarely a bare serial number (a cell that lost its date format).
pub fn date_cell(rng: &mut Rng, d: NaiveDate) -> Cell {
    let roll = rng.unit();
    if roll < 0.82 {
        Cell::Date(d)
    } else if roll < 0.85 {
        Cell::Serial(d)
    } else {
        Cell::Text(date_text(rng, d))
    }
}

/// Yuan as 万 with at most two decimals and no trailing zeros (`12.5`).
pub fn wan(yuan: f64) -> String {
    let s = format!("{:.2}", yuan / 10_000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Yuan with thousands separators (`128,000`).
pub fn grouped(yuan: f64) -> String {
    let digits = format!("{}", yuan.round() as i64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A deal amount: a number most of the time, else `30万`, `¥128,000`,
/// `12.5万元` or `128000.00`.
pub fn amount_cell(rng: &mut Rng, yuan: f64) -> Cell {
    match rng.below(100) {
        0..=64 => Cell::Number(yuan),
        65..=76 => Cell::Text(format!("{}万", wan(yuan))),
        77..=86 => Cell::Text(format!("¥{}", grouped(yuan))),
        87..=94 => Cell::Text(format!("{}万元", wan(yuan))),
        _ => Cell::Text(format!("{yuan:.2}")),
    }
}

/// A budget around `yuan`: a range or a single value in one of the
/// accepted forms, now and then unreadable (`待定`, `面议`, `100万以上`).
pub fn budget_text(rng: &mut Rng, yuan: f64) -> String {
    let round = |v: f64| ((v / 50_000.0).round().max(1.0)) * 50_000.0;
    let (lo, hi) = (
        round(yuan * 0.6),
        round(yuan * 1.3).max(round(yuan * 0.6) + 50_000.0),
    );
    let (l, h, v) = (wan(lo), wan(hi), wan(round(yuan)));
    match rng.below(100) {
        0..=29 => format!("{l}-{h}万"),
        30..=44 => format!("{l}-{h}万元"),
        45..=54 => format!("{l}万-{h}万"),
        55..=64 => format!("{l}~{h}万"),
        65..=69 => format!("{l}至{h}万"),
        70..=84 => format!("{v}万"),
        85..=87 => format!("{v}w"),
        88..=90 => format!("{}k", round(yuan) / 1000.0),
        91..=94 => "待定".to_string(),
        95..=97 => "面议".to_string(),
        _ => format!("{l}万以上"),
    }
}

/// A contact name: masked (`张*`, `李**`), with an honorific (`刘经理`),
/// or in full (`王建国`).
pub fn contact_name(rng: &mut Rng) -> String {
    let surname = *rng.pick(&SURNAMES);
    match rng.below(100) {
        0..=39 => format!("{surname}*"),
        40..=59 => format!("{surname}**"),
        60..=81 => format!("{surname}{}", rng.pick(&HONORIFICS)),
        _ => format!("{surname}{}", rng.pick(&GIVEN_NAMES)),
    }
}

/// A mainland mobile number (`13812345678`).
pub fn mobile(rng: &mut Rng) -> String {
    let prefix = *rng.pick(&["13", "15", "18", "17", "19"]);
    format!("{prefix}{:09}", rng.below(1_000_000_000))
}

/// A mobile as Excel shows it after turning it into a float
/// (`1.3812345678E10`).
pub fn float_mobile(rng: &mut Rng) -> String {
    let m = mobile(rng);
    format!("{}.{}E10", &m[..1], &m[1..])
}

/// A phone cell: a landline of the company's city, a 400 number, a mobile
/// (sometimes a number cell, sometimes `+86`), a landline that lost its
/// leading zero, or a broken one.
pub fn phone_cell(rng: &mut Rng, city: usize) -> Cell {
    let area = CITIES[city].area_code;
    let local = format!("{}{:07}", rng.range(2, 8), rng.below(10_000_000));
    match rng.below(100) {
        0..=37 => Cell::Text(format!("{area}-{local}")),
        38..=43 => Cell::Text(format!("{area}{local}")),
        44..=53 => Cell::Text(format!(
            "400-{}-{:04}",
            rng.range(600, 899),
            rng.below(10_000)
        )),
        54..=71 => Cell::Text(mobile(rng)),
        72..=79 => {
            // Typed into a cell formatted as a number.
            let m = mobile(rng);
            Cell::Number(m.parse::<f64>().unwrap_or(0.0))
        }
        80..=82 => Cell::Text(format!("+86 {}", mobile(rng))),
        83..=84 => {
            // The leading zero of the area code was eaten by Excel.
            let digits = format!("{}{local}", &area[1..]);
            Cell::Number(digits.parse::<f64>().unwrap_or(0.0))
        }
        85..=87 => Cell::Text(rng.pick(&["12345", "0571-888", "无", "6666"]).to_string()),
        _ => Cell::Empty,
    }
}

/// An e-mail cell: at the company's domain, at a personal provider, or
/// malformed.
pub fn email_cell(rng: &mut Rng, company: &Identity) -> Cell {
    let domain = match rng.below(3) {
        0 => format!("{}.com", company.pinyin()),
        1 => format!("{}.com.cn", company.pinyin()),
        _ => format!("{}.cn", company.pinyin()),
    };
    match rng.below(100) {
        0..=34 => Cell::Text(format!("{}@{domain}", rng.pick(&SURNAME_PINYIN))),
        35..=54 => Cell::Text(format!("{}@{domain}", rng.pick(&ROLE_MAILBOXES))),
        55..=66 => Cell::Text(format!("{}@qq.com", rng.range(10_000_000, 2_999_999_999))),
        67..=74 => Cell::Text(format!(
            "{}{}@{}",
            rng.pick(&SURNAME_PINYIN),
            rng.range(1, 999),
            rng.pick(&PERSONAL_MAIL)
        )),
        75..=77 => Cell::Text(rng.pick(&BAD_EMAILS).to_string()),
        _ => Cell::Empty,
    }
}

/// A made-up mainland ID card number with a valid check digit.
pub fn id_card_number(rng: &mut Rng) -> String {
    let birth = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
        + chrono::Days::new(rng.below(12_000));
    let body = format!(
        "{}{}{:03}",
        rng.pick(&["110101", "330106", "440305", "310104", "320102"]),
        birth.format("%Y%m%d"),
        rng.below(1000)
    );
    format!("{body}{}", id_check_digit(&body))
}

/// The GB 11643 check character of the first 17 digits.
pub fn id_check_digit(body: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_forms() {
        assert_eq!(wan(300_000.0), "30");
        assert_eq!(wan(125_000.0), "12.5");
        assert_eq!(grouped(128_000.0), "128,000");
        assert_eq!(grouped(1_234_567.0), "1,234,567");
        assert_eq!(grouped(500.0), "500");
    }

    #[test]
    fn check_digit_matches_a_known_number() {
        // 11010519491231002X is the standard worked example.
        assert_eq!(id_check_digit("11010519491231002"), 'X');
        let mut rng = Rng::new(5);
        let id = id_card_number(&mut rng);
        assert_eq!(id.len(), 18);
        assert_eq!(id.chars().last(), Some(id_check_digit(&id[..17])));
    }

    #[test]
    fn float_mobile_looks_like_excel() {
        let s = float_mobile(&mut Rng::new(3));
        assert!(s.ends_with("E10") && s.as_bytes()[1] == b'.', "{s}");
        assert_eq!(s.len(), 15);
    }

    #[test]
    fn budgets_vary() {
        let mut rng = Rng::new(11);
        let forms: std::collections::HashSet<String> =
            (0..400).map(|_| budget_text(&mut rng, 300_000.0)).collect();
        assert!(
            forms.contains("18-40万") || forms.contains("20-40万"),
            "{forms:?}"
        );
        assert!(forms.contains("待定"));
    }
}
