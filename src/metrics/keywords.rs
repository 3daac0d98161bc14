//! Need keywords (metrics.md §3, `need_keywords`): a keyword view mined
//! from the free-text need descriptions with Chinese word segmentation
//! (jieba, TF-IDF). It is shown apart and never replaces the phrase counts
//! of `needs`. Mining runs on a bounded sample so it stays fast at any size.

use std::sync::{LazyLock, Mutex, PoisonError};
use std::thread::JoinHandle;

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

/// The word segmenter and its TF-IDF table.
type Miner = (Jieba, TfIdf);

/// The miner being loaded by [`warm_up`], until the mining takes it.
static LOADING: Mutex<Option<JoinHandle<Miner>>> = Mutex::new(None);

/// Loads the dictionaries on a background thread, so that they are ready
/// when the keywords are mined, after reading and linking (loading takes
/// about 0.3 s, whatever the input's size). Mining without it loads them
/// then.
pub fn warm_up() {
    let mut loading = LOADING.lock().unwrap_or_else(PoisonError::into_inner);
    if loading.is_none() {
        *loading = Some(std::thread::spawn(load));
    }
}

/// Loads the dictionaries.
fn load() -> Miner {
    (Jieba::new(), TfIdf::default())
}

/// The miner of runs that did not [`warm_up`] (tests, a second run of
/// the metrics), loaded once and kept.
static SHARED: LazyLock<Miner> = LazyLock::new(load);

/// Calls `mine` with the miner [`warm_up`] loaded, and then drops it: its
/// dictionaries hold about 45 MB, freed once the keywords are mined, before
/// the rest of the metrics reach the run's peak of memory. Without a
/// warm-up, `mine` gets the [`SHARED`] miner.
fn with_miner<T>(mine: impl FnOnce(&Miner) -> T) -> T {
    let loading = LOADING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    match loading.and_then(|handle| handle.join().ok()) {
        Some(miner) => mine(&miner),
        None => mine(&SHARED),
    }
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
    let pos = POS.iter().map(|p| p.to_string()).collect();
    let mut out: Vec<NeedKeyword> = with_miner(|(jieba, tfidf)| {
        tfidf
            .extract_keywords(jieba, &text.join("\n"), TOP_K, pos)
            .into_iter()
            .map(|k| NeedKeyword {
                keyword: k.keyword,
                weight: k.weight,
            })
            .collect()
    });
    out.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.keyword.cmp(&b.keyword))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::model::{Origin, Record, Source, Text, Value};
    use std::sync::Arc;

    fn customer(core: &str) -> Customer {
        let source = Arc::new(Source {
            file: Text::from("c.csv"),
            sheet: Text::from("c"),
        });
        let mut record = Record::new(Origin::new(&source, 2));
        record.values = [(Field::NeedCore, Value::Text(Text::from(core)))]
            .into_iter()
            .collect();
        Customer {
            record,
            key: Text::from(core),
            merged: Vec::new(),
        }
    }

    /// The miner loaded ahead mines what the shared one does, and the
    /// mining takes it (it is dropped after, not kept for the run).
    #[test]
    fn a_warmed_up_miner_mines_the_same_and_is_taken() {
        let customers = [
            customer("希望上线CRM系统做客户管理"),
            customer("需要数据分析和报表，CRM"),
        ];
        let unwarmed: Vec<(String, u64)> = keywords_of(&customers);
        warm_up();
        let warmed = keywords_of(&customers);
        assert_eq!(warmed, unwarmed);
        assert_eq!(warmed[0].0, "CRM");
        assert!(LOADING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none());
    }

    fn keywords_of(customers: &[Customer]) -> Vec<(String, u64)> {
        need_keywords(customers)
            .into_iter()
            .map(|k| (k.keyword, k.weight.to_bits()))
            .collect()
    }
}
