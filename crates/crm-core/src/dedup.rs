//! Duplicate customers (schema.md §3): the company-name key, the merge of
//! rows with the same key, near-duplicate detection, and the index that
//! links follow-ups, opportunities and complaints to their customer.

use crate::findings::{empty_text, label_text, Code, Finding};
use crate::model::{Origin, Record, Text};
use crate::normalize::company::company_key;
use crate::parallel::map_parts;
use crate::schema::Field;
use crate::tables::is_filled;
use crate::FastMap;

/// A customer after deduplication.
#[derive(Debug, Clone)]
pub struct Customer {
    /// The merged record: per field, the first filled value in input order.
    pub record: Record,
    /// The dedup key (shared with the indexes built on it).
    pub key: Text,
    /// Rows merged into this one (not counting its own first row).
    pub merged: Vec<Origin>,
}

/// The key of a record: its company-name key, else its customer id.
pub fn record_key(r: &Record) -> Option<String> {
    if let Some(name) = r.text(Field::CustomerName) {
        let k = company_key(name);
        if !k.is_empty() {
            return Some(k);
        }
    }
    r.text(Field::CustomerId).map(|id| format!("id:{id}"))
}

/// The key of each accepted record (`None` for a rejected one), computed
/// on a thread per core: a million company names take seconds alone.
fn record_keys(records: &[Record]) -> Vec<Option<String>> {
    let key = |r: &Record| if r.rejected { None } else { record_key(r) };
    map_parts(records, |part| part.iter().map(key).collect())
}

/// Merges accepted customer rows with the same key, in input order; a
/// customer's first row becomes its record without a copy. Rows with the
/// same key but different non-empty customer ids are kept apart and
/// reported as `possible_duplicate`. Near-equal keys are
/// [`near_duplicates`]' job.
pub fn merge_duplicates(records: Vec<Record>, findings: &mut Vec<Finding>) -> Vec<Customer> {
    let mut out: Vec<Customer> = Vec::new();
    // The first customer of each key; customers kept apart under one key
    // (different ids) are chained in input order.
    let mut first_of_key: FastMap<Text, usize> = FastMap::default();
    let mut next_of_key: Vec<Option<usize>> = Vec::new();
    let keys = record_keys(&records);
    for (r, key) in records.into_iter().zip(keys) {
        let Some(key) = key else { continue };
        let id = r.text(Field::CustomerId);
        let first = first_of_key.get(key.as_str()).copied();
        let (mut at, mut last, mut compatible) = (first, None, None);
        while let Some(i) = at {
            let other = out[i].record.text(Field::CustomerId);
            if id.is_none() || other.is_none() || other == id {
                compatible = Some(i);
                break;
            }
            (last, at) = (Some(i), next_of_key[i]);
        }
        match compatible {
            Some(i) => {
                let target = &mut out[i];
                merge_into(&mut target.record, &r);
                target.merged.push(r.origin.clone());
                let name = r.text(Field::CustomerName).unwrap_or_default();
                findings.push(
                    Finding::new(
                        Code::DuplicateCustomer,
                        &r.origin,
                        Field::CustomerName.label(),
                        name,
                    )
                    .with_detail(format!(
                        "{} {} #{}",
                        target.record.origin.file(),
                        target.record.origin.sheet(),
                        target.record.origin.row
                    )),
                );
            }
            None => {
                if let Some(first) = first {
                    let other = &out[first].record;
                    findings.push(
                        Finding::new(
                            Code::PossibleDuplicate,
                            &r.origin,
                            Field::CustomerId.label(),
                            r.text(Field::CustomerName).unwrap_or_default(),
                        )
                        .with_detail(other.text(Field::CustomerName).unwrap_or_default()),
                    );
                }
                let key = Text::from(key);
                match last {
                    Some(last) => next_of_key[last] = Some(out.len()),
                    None => {
                        first_of_key.insert(key.clone(), out.len());
                    }
                }
                next_of_key.push(None);
                out.push(Customer {
                    record: r,
                    key,
                    merged: Vec::new(),
                });
            }
        }
    }
    out
}

/// Fills the fields of `target` that are empty from `other`.
fn merge_into(target: &mut Record, other: &Record) {
    for (f, v) in &other.values {
        if !is_filled(target.values.get(f)) {
            target.values.insert(*f, v.clone());
            match other.originals.get(f) {
                Some(o) => target.originals.insert(*f, o.clone()),
                None => target.originals.remove(f),
            };
        }
    }
}

/// What the near-duplicate search reads of one customer, owned, so the
/// search can run on its own thread while the customers are linked and
/// used.
#[derive(Debug, Clone)]
pub struct NearCandidate {
    /// The dedup key (4+ characters, not an id).
    pub key: Text,
    /// The customer name (the finding's value, or the other's detail).
    pub name: Text,
    /// Where the customer's first row is.
    pub origin: Origin,
}

/// The customers the near-duplicate search looks at, in customer order:
/// those whose key has 4 or more characters and is not an id.
pub fn near_candidates(customers: &[Customer]) -> Vec<NearCandidate> {
    customers
        .iter()
        .filter(|c| c.key.chars().count() >= 4 && !c.key.starts_with("id:"))
        .map(|c| NearCandidate {
            key: c.key.clone(),
            name: c
                .record
                .shared_text(Field::CustomerName)
                .cloned()
                .unwrap_or_else(empty_text),
            origin: c.record.origin.clone(),
        })
        .collect()
}

/// The `possible_duplicate` findings of keys at edit distance 1 that share
/// their first two characters, for every pair of candidates
/// ([`near_candidates`]) holding two such keys, in pair order. Candidates
/// come from single-deletion variants of the distinct keys, blocked by
/// those two characters: customers sharing one key (reported by the merge
/// itself) are never compared with each other.
pub fn near_duplicates(customers: &[NearCandidate]) -> Vec<Finding> {
    // The distinct keys, in order of first appearance, with their customers.
    let mut key_index: FastMap<&str, usize> = FastMap::default();
    let mut members: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        let k = *key_index.entry(&*c.key).or_insert_with(|| {
            members.push((&*c.key, Vec::new()));
            members.len() - 1
        });
        members[k].1.push(i);
    }
    // Each key and its single-deletion variants, with the key's first two
    // characters, as (hash, key), each gathered in one reused buffer. Keys
    // sharing a hash are candidates; a hash collision only adds a candidate
    // that the edit-distance check below drops (every pair at distance 1
    // with the same first two characters shares a variant and that
    // prefix). Sized once: a big customer table makes millions of variants.
    let count: usize = members.iter().map(|(key, _)| key.chars().count() + 1).sum();
    let mut variants: Vec<(u64, usize)> = Vec::with_capacity(count);
    let prefixes: Vec<&str> = members.iter().map(|(key, _)| first_two(key)).collect();
    let mut buf = Vec::new();
    for (k, (key, _)) in members.iter().enumerate() {
        let prefix = prefixes[k];
        variants.push((variant_hash(&mut buf, prefix, key, None), k));
        for (at, ch) in key.char_indices() {
            let skip = Some((at, at + ch.len_utf8()));
            variants.push((variant_hash(&mut buf, prefix, key, skip), k));
        }
    }
    variants.sort_unstable();
    // Pairs of key and customer indices as `u32` (half the memory to fill
    // and sort of `usize`; a table held in memory has far fewer than 2^32
    // rows), each vector sized once: at a million customers there are
    // millions of pairs, and growing them by doubling copied and faulted in
    // twice their size.
    let runs = || variants.chunk_by(|a, b| a.0 == b.0);
    let most: usize = runs().map(|run| run.len() * (run.len() - 1) / 2).sum();
    let mut key_pairs: Vec<(u32, u32)> = Vec::with_capacity(most);
    for run in runs() {
        for (a, &(_, k)) in run.iter().enumerate() {
            for &(_, l) in &run[a + 1..] {
                if k != l {
                    key_pairs.push((k.min(l) as u32, k.max(l) as u32));
                }
            }
        }
    }
    drop(variants);
    key_pairs.sort_unstable();
    key_pairs.dedup();
    key_pairs.retain(|&(k, l)| {
        let (k, l) = (k as usize, l as usize);
        prefixes[k] == prefixes[l] && one_edit_apart(members[k].0, members[l].0)
    });
    let close: usize = key_pairs
        .iter()
        .map(|&(k, l)| members[k as usize].1.len() * members[l as usize].1.len())
        .sum();
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(close);
    for (k, l) in key_pairs {
        let (of_a, of_b) = (&members[k as usize].1, &members[l as usize].1);
        for &i in of_a {
            for &j in of_b {
                pairs.push((i.min(j) as u32, i.max(j) as u32));
            }
        }
    }
    pairs.sort_unstable();
    // Sized once: a big table can have millions of close pairs.
    let mut findings = Vec::with_capacity(pairs.len());
    for (i, j) in pairs {
        let (a, b) = (&customers[i as usize], &customers[j as usize]);
        findings.push(
            Finding::shared(
                Code::PossibleDuplicate,
                &b.origin,
                label_text(Field::CustomerName),
                b.name.clone(),
            )
            .with_shared_detail(a.name.clone()),
        );
    }
    findings
}

/// The first two characters of a key.
fn first_two(key: &str) -> &str {
    let end = key.char_indices().nth(2).map_or(key.len(), |(at, _)| at);
    &key[..end]
}

/// True when two different keys are exactly one edit apart (Levenshtein
/// distance 1, by characters): one character replaced, inserted or left
/// out. Past their common start, the rest of both must be equal once one
/// character is skipped in the longer (in both when of equal length).
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a_n, b_n) = (a.chars().count(), b.chars().count());
    if a_n.abs_diff(b_n) > 1 || a == b {
        return false;
    }
    let (short, long) = if a_n <= b_n { (a, b) } else { (b, a) };
    let common: usize = short
        .chars()
        .zip(long.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let skip = |s: &str| s[common..].chars().next().map_or(0, char::len_utf8);
    let long_rest = &long[common + skip(long)..];
    if a_n == b_n {
        short[common + skip(short)..] == *long_rest
    } else {
        short[common..] == *long_rest
    }
}

/// The hash of `prefix` and of `key` with the byte range `skip` left out
/// (one character), hashed as one run of bytes gathered in `buf` (the
/// hasher does not hash pieces as it hashes their concatenation).
fn variant_hash(buf: &mut Vec<u8>, prefix: &str, key: &str, skip: Option<(usize, usize)>) -> u64 {
    use std::hash::BuildHasher;
    buf.clear();
    buf.extend_from_slice(prefix.as_bytes());
    buf.push(0xff);
    match skip {
        None => buf.extend_from_slice(key.as_bytes()),
        Some((from, to)) => {
            buf.extend_from_slice(&key.as_bytes()[..from]);
            buf.extend_from_slice(&key.as_bytes()[to..]);
        }
    }
    // A fixed seed: the same keys give the same candidates on every run.
    foldhash::fast::FixedState::with_seed(0).hash_one(buf.as_slice())
}

/// Memo of customer name → what its dedup key finds, for
/// [`CustomerIndex::find_memo`]: `None` when the name gives no key.
pub type NameMemo = FastMap<String, Option<Option<usize>>>;

/// Finds the customer of a follow-up, opportunity or complaint row: by
/// customer id when both sides have one, else by the name's dedup key.
#[derive(Debug, Default)]
pub struct CustomerIndex {
    by_id: FastMap<String, usize>,
    by_key: FastMap<Text, usize>,
}

impl CustomerIndex {
    /// Indexes deduplicated customers (first customer wins on a clash).
    pub fn new(customers: &[Customer]) -> CustomerIndex {
        let mut idx = CustomerIndex::default();
        for (i, c) in customers.iter().enumerate() {
            if let Some(id) = c.record.text(Field::CustomerId) {
                idx.by_id.entry(id.to_string()).or_insert(i);
            }
            idx.by_key.entry(c.key.clone()).or_insert(i);
        }
        idx
    }

    /// The index of the row's customer, if any.
    pub fn find(&self, r: &Record) -> Option<usize> {
        if let Some(i) = r.text(Field::CustomerId).and_then(|id| self.by_id.get(id)) {
            return Some(*i);
        }
        record_key(r).and_then(|k| self.by_key.get(k.as_str()).copied())
    }

    /// [`CustomerIndex::find`], computing each distinct name's key once
    /// (follow-ups repeat their customer's name).
    pub fn find_memo(&self, r: &Record, memo: &mut NameMemo) -> Option<usize> {
        if let Some(i) = r.text(Field::CustomerId).and_then(|id| self.by_id.get(id)) {
            return Some(*i);
        }
        if let Some(name) = r.text(Field::CustomerName) {
            let found = match memo.get(name) {
                Some(found) => *found,
                None => {
                    let k = company_key(name);
                    let found = (!k.is_empty()).then(|| self.by_key.get(k.as_str()).copied());
                    memo.insert(name.to_string(), found);
                    found
                }
            };
            if let Some(found) = found {
                return found;
            }
        }
        r.text(Field::CustomerId)
            .and_then(|id| self.by_key.get(format!("id:{id}").as_str()).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    /// The allocation-free check agrees with the edit distance on
    /// replacements, insertions and deletions at the start, middle and end,
    /// on multi-byte text, and on pairs further apart.
    #[test]
    fn one_edit_apart_is_edit_distance_one() {
        let words = [
            "杭州星河网络",
            "杭州星湖网络",
            "杭州星河网",
            "杭州星河网络科",
            "州星河网络",
            "杭州河星网络",
            "abcd",
            "abce",
            "abd",
            "xabcd",
            "abcdx",
            "acbd",
            "bcd",
            "abcdd",
            "a",
            "",
            "杭州星河网络a",
            "ab",
            "ba",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    one_edit_apart(a, b),
                    strsim::levenshtein(a, b) == 1,
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    /// The blocked variant search finds exactly the pairs that comparing
    /// every pair finds: replacements, insertions and deletions at the
    /// start, middle and end of keys (whose variants are hashed in
    /// pieces), keys repeated, and keys of another block left alone.
    #[test]
    fn near_duplicates_are_every_close_pair_of_a_block() {
        let keys = [
            "杭州星河网络",
            "杭州星湖网络",
            "杭州星河网",
            "杭州星河网络科",
            "杭州河网络",
            "杭州星河网络",
            "杭州星河络",
            "杭州x星河网络",
            "上海星河网络",
            "杭州河星网络",
            "abcd",
            "abce",
            "abd",
            "abcdx",
            "abxcd",
            "acbd",
            "abcdd",
            "xabcd",
            "abdd",
        ];
        let source = std::sync::Arc::new(Source {
            file: "f.csv".into(),
            sheet: "f".into(),
        });
        let candidates: Vec<NearCandidate> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| NearCandidate {
                key: Text::from(*k),
                name: Text::from(*k),
                origin: Origin::new(&source, i + 1),
            })
            .collect();
        let mut expected = Vec::new();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate().skip(i + 1) {
                if first_two(a) == first_two(b) && strsim::levenshtein(a, b) == 1 {
                    expected.push((j + 1, a.to_string()));
                }
            }
        }
        let found: Vec<(usize, String)> = near_duplicates(&candidates)
            .iter()
            .map(|f| (f.row, f.detail.to_string()))
            .collect();
        assert!(expected.len() > 15, "{expected:?}");
        assert_eq!(found, expected);
    }
}
