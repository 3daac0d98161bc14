//! Polars frames built from the dataset: one row per opportunity, with the
//! columns every funnel-like metric groups and sums. Building the frame is
//! the only place that knows how `Opportunity` maps to columns.

use chrono::NaiveDate;
use polars::prelude::*;

use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;

use super::period::{month_key, Period};

/// A column that takes `values` over as they are. polars' `Column::new`
/// copies a vector, so a column of millions of rows would be held twice
/// while the frame is built (60 MB of copies in the per-rep count of 5M
/// follow-ups).
pub fn owned_column<N, T>(name: &str, values: Vec<N>) -> Column
where
    N: NumericNative<PolarsType = T>,
    T: PolarsNumericType<Native = N>,
{
    ChunkedArray::<T>::from_vec(name.into(), values).into_column()
}

/// Column names of the opportunity frame.
pub mod opp {
    /// Owner key (a code, [`super::KeyColumn`]).
    pub const OWNER: &str = "owner";
    /// Source key (a code).
    pub const SOURCE: &str = "source";
    /// Industry section key (a code).
    pub const INDUSTRY: &str = "industry";
    /// Grade key (a code).
    pub const GRADE: &str = "grade";
    /// Start month key (a code; its text is `未知` when no start date).
    pub const START_MONTH: &str = "start_month";
    /// Furthest funnel order (null when the stage is unknown).
    pub const FURTHEST: &str = "furthest";
    /// Current funnel order (null for lost or unknown).
    pub const CURRENT: &str = "current";
    /// Won flag.
    pub const WON: &str = "won";
    /// Lost flag.
    pub const LOST: &str = "lost";
    /// Known-stage flag.
    pub const KNOWN: &str = "known";
    /// Deal amount in cents (0 when missing).
    pub const AMOUNT: &str = "amount";
    /// Cycle days of a won deal (null when not computable or negative).
    pub const CYCLE: &str = "cycle";
}

/// Days since 1970-01-01, the integer form dates take in frames.
pub fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)).num_days()
}

/// The opportunity frame: one row per opportunity. Its key columns (owner,
/// source, industry, grade, start month) hold codes (`UInt32`), each the
/// place of its text in the column's [`KeyColumn::texts`]: a million
/// opportunities share a few dozen of each, and numbers are grouped
/// without a copy of their texts.
pub struct OpportunityFrame {
    /// The rows.
    pub df: DataFrame,
    /// The texts of each key column's codes, by column name.
    keys: Vec<(&'static str, Vec<String>)>,
}

impl OpportunityFrame {
    /// The key column `name` (one of [`opp`]'s key columns; an unknown
    /// name gives a column with no texts).
    pub fn key(&self, name: &'static str) -> KeyColumn<'_> {
        let texts = self
            .keys
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[][..], |(_, texts)| texts.as_slice());
        KeyColumn { name, texts }
    }
}

/// A column of codes in a frame, with the text of each code.
#[derive(Debug, Clone, Copy)]
pub struct KeyColumn<'a> {
    /// The column's name.
    pub name: &'a str,
    /// The text of each code, by code.
    pub texts: &'a [String],
}

impl KeyColumn<'_> {
    /// The text of the code in row `i` of `g`, a frame grouped by this
    /// column (empty for a code with no text).
    pub fn text_at(&self, g: &DataFrame, i: usize) -> PolarsResult<String> {
        let code = g.column(self.name)?.u32()?.get(i);
        Ok(code
            .and_then(|c| self.texts.get(usize::try_from(c).ok()?))
            .cloned()
            .unwrap_or_default())
    }
}

/// Numbers the distinct keys of a column in order of first appearance.
pub struct KeyCoder<K> {
    code_of: crm_core::FastMap<K, u32>,
    texts: Vec<String>,
}

impl<K: std::hash::Hash + Eq> KeyCoder<K> {
    /// A coder with no key yet.
    pub fn new() -> Self {
        KeyCoder {
            code_of: crm_core::FastMap::default(),
            texts: Vec::new(),
        }
    }

    /// The code of `key`, numbering it (with its text, made by `text`)
    /// when it is new.
    pub fn code(&mut self, key: K, text: impl FnOnce(&K) -> String) -> u32 {
        let next = &mut self.texts;
        *self.code_of.entry(key).or_insert_with_key(|k| {
            next.push(text(k));
            // Fewer distinct keys than rows, and rows fit in memory.
            u32::try_from(next.len() - 1).unwrap_or(u32::MAX)
        })
    }

    /// The text of every code, by code.
    pub fn into_texts(self) -> Vec<String> {
        self.texts
    }
}

impl KeyCoder<String> {
    /// The code of the text `key`, copied only when it is new (keys given
    /// as temporary texts, row after row).
    pub fn code_str(&mut self, key: &str) -> u32 {
        match self.code_of.get(key) {
            Some(code) => *code,
            None => self.code(key.to_string(), String::clone),
        }
    }
}

impl<K: std::hash::Hash + Eq> Default for KeyCoder<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads a text key of an opportunity.
type KeyOf = fn(&Opportunity) -> &str;

/// The opportunity frame, restricted to the period's cohort when given.
pub fn opportunity_frame(
    opps: &[Opportunity],
    pipeline: &Pipeline,
    period: Option<&Period>,
) -> PolarsResult<OpportunityFrame> {
    use chrono::Datelike;
    let won = pipeline.won();
    let lost = pipeline.lost();
    let rows: Vec<&Opportunity> = opps
        .iter()
        .filter(|o| period.is_none_or(|p| o.start.is_some_and(|s| p.contains(s))))
        .collect();
    let mut keys = Vec::new();
    let mut columns = Vec::new();
    let texts: [(&'static str, KeyOf); 4] = [
        (opp::OWNER, |o| &o.owner),
        (opp::SOURCE, |o| &o.source),
        (opp::INDUSTRY, |o| &o.industry),
        (opp::GRADE, |o| &o.grade),
    ];
    for (name, text) in texts {
        let mut coder = KeyCoder::new();
        let codes: Vec<u32> = rows
            .iter()
            .map(|o| coder.code(text(o), |t| t.to_string()))
            .collect();
        columns.push(owned_column(name, codes));
        keys.push((name, coder.into_texts()));
    }
    // Months by their number; no start date is a key of its own.
    let mut months = KeyCoder::new();
    let month_codes: Vec<u32> = rows
        .iter()
        .map(|o| {
            let month = o.start.map(|s| s.year() * 12 + s.month0() as i32);
            months.code(month, |_| {
                o.start
                    .map(month_key)
                    .unwrap_or_else(|| crm_core::opportunity::UNKNOWN_KEY.into())
            })
        })
        .collect();
    columns.push(owned_column(opp::START_MONTH, month_codes));
    keys.push((opp::START_MONTH, months.into_texts()));
    let order = |i: Option<usize>| i.and_then(|i| pipeline.order(i)).map(|o| o as i64);
    let cycle = |o: &Opportunity| match (o.current() == Some(won), o.start, o.signed) {
        (true, Some(start), Some(signed)) => Some((signed - start).num_days()).filter(|d| *d >= 0),
        _ => None,
    };
    columns.extend([
        Column::new(
            opp::FURTHEST.into(),
            rows.iter()
                .map(|o| o.furthest().map(|f| f as i64))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            opp::CURRENT.into(),
            rows.iter().map(|o| order(o.current())).collect::<Vec<_>>(),
        ),
        Column::new(
            opp::WON.into(),
            rows.iter()
                .map(|o| o.current() == Some(won))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            opp::LOST.into(),
            rows.iter()
                .map(|o| o.current().is_some() && o.current() == lost)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            opp::KNOWN.into(),
            rows.iter()
                .map(|o| o.furthest().is_some())
                .collect::<Vec<_>>(),
        ),
        owned_column(
            opp::AMOUNT,
            rows.iter()
                .map(|o| o.amount.unwrap_or(0))
                .collect::<Vec<i64>>(),
        ),
        Column::new(
            opp::CYCLE.into(),
            rows.iter().map(|o| cycle(o)).collect::<Vec<Option<i64>>>(),
        ),
    ]);
    Ok(OpportunityFrame {
        df: DataFrame::new(rows.len(), columns)?,
        keys,
    })
}

/// Reads an integer column cell (nulls and missing as 0).
pub fn int_at(df: &DataFrame, name: &str, i: usize) -> PolarsResult<i64> {
    let c = df.column(name)?.cast(&DataType::Int64)?;
    Ok(c.i64()?.get(i).unwrap_or(0))
}

/// Reads a whole integer column at once (null as 0): reading a cell at
/// a time converts the column again for each.
pub fn ints(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    let c = df.column(name)?.cast(&DataType::Int64)?;
    Ok(c.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// Reads a float column cell (null stays `None`).
pub fn float_at(df: &DataFrame, name: &str, i: usize) -> PolarsResult<Option<f64>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.get(i))
}

/// Reads a string column cell.
pub fn str_at(df: &DataFrame, name: &str, i: usize) -> PolarsResult<String> {
    Ok(df
        .column(name)?
        .str()?
        .get(i)
        .unwrap_or_default()
        .to_string())
}

/// `a / b`, or `None` when `b` is 0 (metrics.md: a rate with a zero denominator is null).
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

/// Counts dates per calendar month: `YYYY-MM` key → count. Grouped by
/// month number, so no text is made per date.
pub fn count_by_month(
    dates: &[NaiveDate],
) -> PolarsResult<std::collections::HashMap<String, usize>> {
    use chrono::Datelike;
    let months: Vec<i32> = dates
        .iter()
        .map(|d| d.year() * 12 + d.month0() as i32)
        .collect();
    let df = DataFrame::new(months.len(), vec![owned_column("m", months)])?;
    let g = df
        .lazy()
        .group_by([col("m")])
        .agg([len().cast(DataType::Int64).alias("n")])
        .collect()?;
    (0..g.height())
        .map(|i| {
            let m = int_at(&g, "m", i)?;
            let key = format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
            Ok((key, int_at(&g, "n", i)? as usize))
        })
        .collect()
}

/// The sum of `values` per integer key (a customer's place, a target's
/// id), in key order.
pub fn sum_by_key(keys: Vec<i64>, values: Vec<i64>) -> PolarsResult<Vec<(i64, i64)>> {
    let n = keys.len();
    let df = DataFrame::new(
        n,
        vec![owned_column("key", keys), owned_column("v", values)],
    )?;
    let g = df
        .lazy()
        .group_by([col("key")])
        .agg([col("v").sum().alias("s")])
        .sort(["key"], SortMultipleOptions::default())
        .collect()?;
    let keys = g.column("key")?.i64()?;
    let sums = g.column("s")?.i64()?;
    Ok(keys
        .iter()
        .zip(sums.iter())
        .filter_map(|(k, s)| Some((k?, s.unwrap_or(0))))
        .collect())
}

/// Cents to currency units.
pub fn yuan(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Groups rows of (key, value) and returns, per key in key order, the row
/// count and the sum of the values (cents or any integer). The generic
/// small group-by that monthly, per-rep, per-grade and to-do figures share.
/// Keys repeat (a dozen owners over millions of follow-ups), so the rows
/// are taken one by one and polars groups their keys' codes: a `u32` per
/// row, and no list of the keys themselves.
pub fn count_sum_by<K: AsRef<str>>(
    rows: impl IntoIterator<Item = (K, i64)>,
) -> PolarsResult<Vec<(String, usize, i64)>> {
    // Room for every row the iterator may give, at once: millions of rows
    // grown by doubling are copied and faulted in twice over.
    let rows = rows.into_iter();
    let mut by = CountSumBy::with_capacity(rows.size_hint().1.unwrap_or(0));
    for (key, value) in rows {
        by.add(key.as_ref(), value);
    }
    by.finish()
}

/// [`count_sum_by`] taking its rows one at a time, for a caller that
/// computes them in a loop doing other work too: no list of the keys is
/// made first (16 bytes a row, millions of rows).
pub struct CountSumBy {
    coder: KeyCoder<String>,
    codes: Vec<u32>,
    values: Vec<i64>,
}

impl CountSumBy {
    /// A group-by with room for `rows` rows.
    pub fn with_capacity(rows: usize) -> CountSumBy {
        CountSumBy {
            coder: KeyCoder::new(),
            codes: Vec::with_capacity(rows),
            values: Vec::with_capacity(rows),
        }
    }

    /// Takes in a row of key `key` and value `value`.
    pub fn add(&mut self, key: &str, value: i64) {
        self.codes.push(self.coder.code_str(key));
        self.values.push(value);
    }

    /// Per distinct key, in key order: the key, the count of its rows and
    /// the sum of their values.
    pub fn finish(self) -> PolarsResult<Vec<(String, usize, i64)>> {
        let CountSumBy {
            coder,
            codes,
            values,
        } = self;
        let distinct = coder.into_texts();
        let n = codes.len();
        let df = DataFrame::new(n, vec![owned_column("k", codes), owned_column("v", values)])?;
        let g = df
            .lazy()
            .group_by([col("k")])
            .agg([
                len().cast(DataType::Int64).alias("n"),
                col("v").sum().alias("s"),
            ])
            .collect()?;
        // Each column read once: a customer-keyed group-by has many groups.
        let (k, counts, sums) = (ints(&g, "k")?, ints(&g, "n")?, ints(&g, "s")?);
        let mut out: Vec<(String, usize, i64)> = k
            .into_iter()
            .zip(counts)
            .zip(sums)
            .map(|((code, count), sum)| {
                let at = usize::try_from(code).unwrap_or(usize::MAX);
                let key = distinct.get(at).cloned().unwrap_or_default();
                (key, usize::try_from(count).unwrap_or(0), sum)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys are numbered in order of first appearance, each text made once,
    /// and a grouped frame's codes read back as their texts.
    #[test]
    fn key_codes_stand_for_their_texts() {
        let mut coder = KeyCoder::new();
        let mut made = 0;
        let keys = ["王芳", "Bob", "王芳", "", "Bob"];
        let codes: Vec<u32> = keys
            .iter()
            .map(|k| {
                coder.code(*k, |k| {
                    made += 1;
                    k.to_string()
                })
            })
            .collect();
        assert_eq!(codes, [0, 1, 0, 2, 1]);
        assert_eq!(made, 3);
        let texts = coder.into_texts();
        assert_eq!(texts, ["王芳", "Bob", ""]);
        let g = DataFrame::new(3, vec![Column::new("k".into(), [2u32, 0, 7])]).unwrap();
        let key = KeyColumn {
            name: "k",
            texts: &texts,
        };
        let read: Vec<String> = (0..3).map(|i| key.text_at(&g, i).unwrap()).collect();
        assert_eq!(read, ["", "王芳", ""]);
    }

    #[test]
    fn count_sum_by_counts_and_sums_each_key_in_key_order() {
        let keys = ["王芳", "Bob", "王芳", "", "alice", "Bob", "王芳"];
        let got = count_sum_by(keys.into_iter().zip(1..)).unwrap();
        let want = [("", 1, 4), ("Bob", 2, 8), ("alice", 1, 5), ("王芳", 3, 11)];
        let want: Vec<(String, usize, i64)> = want
            .iter()
            .map(|(k, n, s)| (k.to_string(), *n, *s))
            .collect();
        assert_eq!(got, want);
        assert!(count_sum_by(Vec::<(&str, i64)>::new()).unwrap().is_empty());
    }

    /// Sums per key come in key order, each key once.
    #[test]
    fn sum_by_key_sums_each_key_in_key_order() {
        let got = sum_by_key(vec![7, 2, 7, 0, 2], vec![1, 10, 100, 5, -3]).unwrap();
        assert_eq!(got, [(0, 5), (2, 7), (7, 101)]);
        assert!(sum_by_key(Vec::new(), Vec::new()).unwrap().is_empty());
    }

    #[test]
    fn count_by_month_keys_every_month_across_a_year_end() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let counts = count_by_month(&[
            d(2024, 1, 31),
            d(2024, 1, 1),
            d(2023, 12, 31),
            d(2024, 2, 29),
            d(2024, 12, 1),
        ])
        .unwrap();
        let mut got: Vec<(String, usize)> = counts.into_iter().collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("2023-12", 1),
                ("2024-01", 2),
                ("2024-02", 1),
                ("2024-12", 1)
            ]
            .map(|(k, n)| (k.to_string(), n))
        );
        assert!(count_by_month(&[]).unwrap().is_empty());
    }
}
