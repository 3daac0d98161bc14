//! Need keywords (metrics.md §3, `need_keywords`): a keyword view mined
//! from the free-text need descriptions with Chinese word segmentation
//! (jieba, TF-IDF). It is shown apart and never replaces the phrase counts
//! of `needs`. Mining runs on a bounded sample so it stays fast at any size.

use std::sync::LazyLock;

use jieba_rs::{Jieba, KeywordExtract, TfIdf};

use crm_core::dedup::Customer;
use crm_core::schema::Field;

use crate::report::summary::NeedKeyword;

/// Customers sampled, in input order.
pub const SAMPLE_CUSTOMERS: usize = 5_000;
/// Characters kept of each text.
const MAX_TEXT_CHARS: usize = 500;
/// Keywords reported.
pub const TOP_K: usize = 20;
/// Parts of speech kept: nouns, verbal nouns, other proper nouns, English words.
const POS: [&str; 5] = ["n", "vn", "nz", "eng", "l"];

/// The word segmenter and the TF-IDF table, made once: loading their
/// dictionaries takes about 0.3 s, whatever the input's size.
static MINER: LazyLock<(Jieba, TfIdf)> = LazyLock::new(|| (Jieba::new(), TfIdf::default()));

/// Loads the dictionaries on a background thread (once, however often it
/// is called), so that they are ready when the keywords are mined, after
/// reading and linking. Mining without it loads them then.
pub fn warm_up() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| LazyLock::force(&MINER));
    });
}

/// The free text of a customer's needs.
fn need_text(c: &Customer) -> String {
    [
        Field::NeedCore,
        Field::NeedSecondary,
        Field::PainPoints,
        Field::BusinessGoal,
    ]
    .iter()
    .filter_map(|f| c.record.text(*f))
    .map(|t| t.chars().take(MAX_TEXT_CHARS).collect::<String>())
    .collect::<Vec<_>>()
    .join("。")
}

/// The top keywords with their TF-IDF weights, by weight, then keyword.
pub fn need_keywords(customers: &[Customer]) -> Vec<NeedKeyword> {
    let text: Vec<String> = customers
        .iter()
        .take(SAMPLE_CUSTOMERS)
        .map(need_text)
        .filter(|t| !t.is_empty())
        .collect();
    if text.is_empty() {
        return Vec::new();
    }
    let (jieba, tfidf) = &*MINER;
    let pos = POS.iter().map(|p| p.to_string()).collect();
    let mut out: Vec<NeedKeyword> = tfidf
        .extract_keywords(jieba, &text.join("\n"), TOP_K, pos)
        .into_iter()
        .map(|k| NeedKeyword {
            keyword: k.keyword,
            weight: k.weight,
        })
        .collect();
    out.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.keyword.cmp(&b.keyword))
    });
    out
}
