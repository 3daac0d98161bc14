//! Top needs (metrics.md §3): need phrases per customer, split on the listed
//! separators, counted once per customer, ranked by count then text.

use std::collections::{BTreeMap, HashMap};

use crm_core::dedup::Customer;
use crm_core::schema::Field;
use crm_core::FastMap;

use crate::report::summary::NeedCount;

/// Separators between need phrases (a space is not one).
const SEPARATORS: &[char] = &['、', ',', '，', ';', '；', '/', '／', '|', '\n'];
/// Characters trimmed from the two ends of a phrase.
const TRIM: &[char] = &[
    ' ', '"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』', '(', ')', '（', '）', '[', ']',
    '【', '】', '《', '》', '<', '>',
];

/// The need cells of one customer: `need_tags` if filled, else `need_core`
/// and `need_secondary`.
fn need_cells(c: &Customer) -> impl Iterator<Item = &str> {
    let r = &c.record;
    let tags = r.text(Field::NeedTags).filter(|t| !t.is_empty());
    let (core, secondary) = match tags {
        Some(_) => (None, None),
        None => (r.text(Field::NeedCore), r.text(Field::NeedSecondary)),
    };
    [tags, core, secondary].into_iter().flatten()
}

/// The phrases of one need cell, trimmed, empty ones left out.
fn phrases(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(SEPARATORS)
        .map(|p| p.trim_matches(TRIM))
        .filter(|p| !p.is_empty())
}

/// The most distinct need cells whose needs [`top_needs`] remembers: real
/// columns repeat a few hundred texts, free-text ones repeat nothing.
const CELLS_REMEMBERED: usize = 1 << 14;

/// The place of a need phrase (its synonym's, ASCII case folded) among
/// `needs`, which it joins, in the form given, when new.
fn need_place(
    phrase: &str,
    folded_synonyms: &HashMap<String, &String>,
    place_of: &mut FastMap<String, usize>,
    needs: &mut Vec<(String, usize, usize)>,
) -> usize {
    let p = folded_synonyms
        .get(&phrase.to_ascii_lowercase())
        .map_or(phrase, |s| s.as_str());
    *place_of.entry(p.to_ascii_lowercase()).or_insert_with(|| {
        needs.push((p.to_string(), 0, usize::MAX));
        needs.len() - 1
    })
}

/// Counts distinct customers per need (synonyms applied, ASCII case folded),
/// showing the form first seen; ranked by count descending, then text.
pub fn top_needs(customers: &[Customer], synonyms: &BTreeMap<String, String>) -> Vec<NeedCount> {
    let folded_synonyms: HashMap<String, &String> = synonyms
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    // Each need (folded) by its place; per place: the form first seen,
    // its customers, and the last of them (customers come in order, so a
    // customer naming a need twice is counted once without a set of every
    // customer per need).
    let mut place_of: FastMap<String, usize> = FastMap::default();
    let mut needs: Vec<(String, usize, usize)> = Vec::new();
    // The needs of each distinct cell, split once: cells repeat.
    let mut cells: FastMap<&str, Vec<usize>> = FastMap::default();
    let mut named: Vec<usize> = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        named.clear();
        for cell in need_cells(c) {
            match cells.get(cell) {
                Some(places) => named.extend_from_slice(places),
                None => {
                    let places: Vec<usize> = phrases(cell)
                        .map(|p| need_place(p, &folded_synonyms, &mut place_of, &mut needs))
                        .collect();
                    named.extend_from_slice(&places);
                    if cells.len() < CELLS_REMEMBERED {
                        cells.insert(cell, places);
                    }
                }
            }
        }
        for &n in &named {
            let (_, count, last) = &mut needs[n];
            if *last != i {
                *count += 1;
                *last = i;
            }
        }
    }
    let mut out: Vec<NeedCount> = needs
        .into_iter()
        .map(|(need, customers, _)| NeedCount { need, customers })
        .collect();
    out.sort_by(|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.need.cmp(&b.need))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::model::{Origin, Record, Source, Text, Value};
    use std::sync::Arc;

    fn customer(core: &str, secondary: &str) -> Customer {
        let source = Arc::new(Source {
            file: Text::from("c.csv"),
            sheet: Text::from("c"),
        });
        let text = |s: &str| Value::Text(Text::from(s));
        Customer {
            record: {
                let mut r = Record::new(Origin::new(&source, 2));
                r.values = [
                    (Field::NeedCore, text(core)),
                    (Field::NeedSecondary, text(secondary)),
                ]
                .into_iter()
                .collect();
                r
            },
            key: Text::from(core),
            merged: Vec::new(),
        }
    }

    /// A cell repeated over customers counts for each of them, and a
    /// customer naming a need in both of its cells (one cell text, split
    /// once) counts once; past the cells remembered, cells count the same.
    #[test]
    fn repeated_cells_and_cells_past_the_remembered_count_alike() {
        let mut customers = vec![
            customer("CRM、报表", "CRM"),
            customer("CRM、报表", ""),
            customer("CRM", "CRM"),
        ];
        let n = CELLS_REMEMBERED + 10;
        customers.extend((0..n).map(|i| customer(&format!("需求{i}、报表"), "")));
        let counts: BTreeMap<String, usize> = top_needs(&customers, &BTreeMap::new())
            .into_iter()
            .map(|n| (n.need, n.customers))
            .collect();
        assert_eq!(counts["CRM"], 3);
        assert_eq!(counts["报表"], n + 2);
        assert_eq!(counts[&format!("需求{}", n - 1)], 1);
        assert_eq!(counts.len(), n + 2);
    }

    #[test]
    fn a_customer_counts_once_per_need_whatever_the_repeats() {
        // 甲 names CRM three times (once as a synonym, once in lower case),
        // 乙 names 报表 twice and CRM once, 丙 names CRM once: CRM has three
        // customers, 报表 one.
        let customers = [
            customer("CRM、客户管理系统", "crm"),
            customer("报表", "报表；CRM"),
            customer("CRM", ""),
        ];
        let synonyms = BTreeMap::from([("客户管理系统".to_string(), "CRM".to_string())]);
        let counts: Vec<(String, usize)> = top_needs(&customers, &synonyms)
            .into_iter()
            .map(|n| (n.need, n.customers))
            .collect();
        assert_eq!(counts, [("CRM".into(), 3), ("报表".into(), 1)]);
    }
}
