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

/// The phrases of one customer: `need_tags` if filled, else `need_core` and `need_secondary`.
pub fn phrases(c: &Customer) -> Vec<String> {
    let r = &c.record;
    let texts: Vec<&str> = match r.text(Field::NeedTags) {
        Some(t) if !t.is_empty() => vec![t],
        _ => [Field::NeedCore, Field::NeedSecondary]
            .iter()
            .filter_map(|f| r.text(*f))
            .collect(),
    };
    texts
        .iter()
        .flat_map(|t| t.split(SEPARATORS))
        .map(|p| p.trim_matches(TRIM).to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Counts distinct customers per need (synonyms applied, ASCII case folded),
/// showing the form first seen; ranked by count descending, then text.
pub fn top_needs(customers: &[Customer], synonyms: &BTreeMap<String, String>) -> Vec<NeedCount> {
    let folded_synonyms: HashMap<String, &String> = synonyms
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    // Per folded need: the form first seen, its customers, and the last
    // of them (customers come in order, so a customer naming a need twice
    // is counted once without a set of every customer per need).
    let mut needs: FastMap<String, (String, usize, usize)> = FastMap::default();
    for (i, c) in customers.iter().enumerate() {
        for p in phrases(c) {
            let p = folded_synonyms
                .get(&p.to_ascii_lowercase())
                .map(|s| s.to_string())
                .unwrap_or(p);
            let key = p.to_ascii_lowercase();
            match needs.get_mut(&key) {
                Some((_, count, last)) => {
                    if *last != i {
                        *count += 1;
                        *last = i;
                    }
                }
                None => {
                    needs.insert(key, (p, 1, i));
                }
            }
        }
    }
    let mut out: Vec<NeedCount> = needs
        .into_values()
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
