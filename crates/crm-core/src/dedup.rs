//! Duplicate customers (schema.md §3): the company-name key, the merge of
//! rows with the same key, near-duplicate detection, and the index that
//! links follow-ups, opportunities and complaints to their customer.

use crate::findings::{empty_text, label_text, Code, Finding};
use crate::followup::Followup;
use crate::model::{Origin, Record, Text};
use crate::normalize::company::company_key;
use crate::parallel::{map_parts, worker_count};
use crate::schema::Field;
use crate::tables::is_filled;
use crate::{FastMap, FastSet};
use std::collections::hash_map::Entry;

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

/// A row that names its customer: a record, a follow-up.
pub trait NamesCustomer {
    /// The customer name, as the row's shared text.
    fn customer_name(&self) -> Option<&Text>;
    /// The customer id, as the row's shared text.
    fn customer_id(&self) -> Option<&Text>;
}

impl NamesCustomer for Record {
    fn customer_name(&self) -> Option<&Text> {
        self.shared_text(Field::CustomerName)
    }

    fn customer_id(&self) -> Option<&Text> {
        self.shared_text(Field::CustomerId)
    }
}

impl NamesCustomer for Followup {
    fn customer_name(&self) -> Option<&Text> {
        self.shared_text(Field::CustomerName)
    }

    fn customer_id(&self) -> Option<&Text> {
        self.shared_text(Field::CustomerId)
    }
}

/// The key of a row: its company-name key, else its customer id.
pub fn record_key(r: &impl NamesCustomer) -> Option<String> {
    if let Some(name) = r.customer_name() {
        let k = company_key(name);
        if !k.is_empty() {
            return Some(k);
        }
    }
    r.customer_id().map(|id| format!("id:{id}"))
}

/// The key of each accepted record (`None` for a rejected one), computed
/// on a thread per core: a million company names take seconds alone. The
/// keys are made shared texts there too, so the merge that follows on one
/// thread neither copies them nor frees a string a row (a million of each).
fn record_keys(records: &[Record]) -> Vec<Option<Text>> {
    let key = |r: &Record| {
        if r.rejected {
            None
        } else {
            record_key(r).map(Text::from)
        }
    };
    map_parts(records, |part| part.iter().map(key).collect())
}

/// Merges accepted customer rows with the same key, in input order; a
/// customer's first row becomes its record without a copy. Rows with the
/// same key but different non-empty customer ids are kept apart and
/// reported as `possible_duplicate`. Near-equal keys are
/// [`near_duplicates`]' job.
///
/// A row goes to the first customer of its key that has no id or the
/// row's id. A key's customers after its first are only ever made by rows
/// whose id no earlier customer of the key has, and an id once filled is
/// never replaced, so every customer of a key with several holds its own
/// id: the row is found by id, in time that does not grow with them (a
/// sheet of 100,000 individuals named 个人客户 with their own ids).
///
/// Also returns the first customer of each key, which linking looks rows
/// up in ([`CustomerIndex::new`]).
pub fn merge_duplicates(
    records: Vec<Record>,
    findings: &mut Vec<Finding>,
) -> (Vec<Customer>, FirstOfKey) {
    // Most rows are customers of their own: room for all of them at once
    // spares growing a million-row vector and map step by step.
    let mut out: Vec<Customer> = Vec::with_capacity(records.len());
    // The first customer of each key; for a key with several, each
    // customer by its id, under the key's first.
    let mut first_of_key: FastMap<Text, usize> =
        FastMap::with_capacity_and_hasher(records.len(), Default::default());
    let mut by_id: FastMap<usize, FastMap<String, usize>> = FastMap::default();
    // The customers of a key after its first (kept apart by their ids).
    let mut later: FastMap<usize, usize> = FastMap::default();
    let keys = record_keys(&records);
    for (r, key) in records.into_iter().zip(keys) {
        let Some(key) = key else { continue };
        // A key seen first makes a customer, the next in the list: its
        // place is set now, with the one hash of the key.
        let first = match first_of_key.entry(key.clone()) {
            Entry::Occupied(seen) => Some(*seen.get()),
            Entry::Vacant(slot) => {
                slot.insert(out.len());
                None
            }
        };
        let compatible = first.and_then(|first| match (id_of(&r), by_id.get(&first)) {
            (None, _) => Some(first),
            (Some(id), Some(customers)) => customers.get(id).copied(),
            (Some(id), None) => match id_of(&out[first].record) {
                Some(other) if other != id => None,
                _ => Some(first),
            },
        });
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
                    // Both hold an id, or the row would have gone to
                    // the first customer.
                    let customers = by_id.entry(first).or_insert_with(|| {
                        let id = id_of(other).unwrap_or_default().to_string();
                        FastMap::from_iter([(id, first)])
                    });
                    let id = id_of(&r).unwrap_or_default().to_string();
                    customers.insert(id, out.len());
                    later.insert(out.len(), first);
                }
                out.push(Customer {
                    record: r,
                    key,
                    merged: Vec::new(),
                });
            }
        }
    }
    let first_of_key = FirstOfKey {
        of_key: first_of_key,
        later,
    };
    (out, first_of_key)
}

/// The first customer (its place) of each dedup key, as
/// [`merge_duplicates`] made them: every customer's key has one.
#[derive(Debug, Default)]
pub struct FirstOfKey {
    of_key: FastMap<Text, usize>,
    /// The customers whose key an earlier customer holds (both kept apart
    /// by their ids), and that customer: few, where the others are
    /// millions.
    later: FastMap<usize, usize>,
}

impl FirstOfKey {
    /// The first customer of `key`.
    fn get(&self, key: &str) -> Option<usize> {
        self.of_key.get(key).copied()
    }

    /// The first customer of the key of customer `i` (`i` itself, mostly),
    /// without a look among the keys.
    fn of_customer(&self, i: usize) -> usize {
        self.later.get(&i).copied().unwrap_or(i)
    }
}

/// The customer id of a record, if filled.
fn id_of(r: &Record) -> Option<&str> {
    r.text(Field::CustomerId).filter(|id| !id.is_empty())
}

/// Fills the fields of `target` that are empty from `other`.
fn merge_into(target: &mut Record, other: &Record) {
    for (f, v) in &other.values {
        if !is_filled(target.values.get(f)) {
            target.values.insert(*f, v.clone());
            match other.originals().get(f) {
                Some(o) => target.originals_mut().insert(*f, o.clone()),
                None if target.originals().contains_key(f) => target.originals_mut().remove(f),
                None => None,
            };
        }
    }
}

/// The longest key the near-duplicate search looks at, in characters. A
/// key of n characters has n variants of n characters each, so its cost
/// grows with its square: a sheet of names pasted with pages of text (a
/// cell can hold a million characters) would take hours. The longest
/// company names, Chinese or English, have well under 100 characters.
pub const NEAR_KEY_MOST: usize = 100;

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
    /// The first candidate before this one with the same key (customers
    /// kept apart by their ids), if any: the search groups the customers
    /// of each key without a look among a million keys.
    pub same_key_as: Option<u32>,
}

/// The customers the near-duplicate search looks at, in customer order:
/// those whose key has 4 to [`NEAR_KEY_MOST`] characters and is not an id;
/// `first_of_key` is the merge's that made them.
pub fn near_candidates(customers: &[Customer], first_of_key: &FirstOfKey) -> Vec<NearCandidate> {
    let searched = |key: &str| (4..=NEAR_KEY_MOST).contains(&key.chars().count());
    // The place among the candidates of each customer that is the first
    // of a key held by others (the customers of a key are all candidates
    // or none: it is the key that decides).
    let firsts: FastSet<usize> = first_of_key.later.values().copied().collect();
    let mut candidate_of: FastMap<usize, u32> = FastMap::default();
    let mut candidates = Vec::new();
    for (i, c) in customers.iter().enumerate() {
        if !searched(&c.key) || c.key.starts_with("id:") {
            continue;
        }
        // Fewer candidates than 2^32: memory runs out first.
        let place = candidates.len() as u32;
        if firsts.contains(&i) {
            candidate_of.insert(i, place);
        }
        let first = first_of_key.of_customer(i);
        let same_key_as = if first == i {
            None
        } else {
            candidate_of.get(&first).copied()
        };
        candidates.push(NearCandidate {
            key: c.key.clone(),
            name: c
                .record
                .shared_text(Field::CustomerName)
                .cloned()
                .unwrap_or_else(empty_text),
            origin: c.record.origin.clone(),
            same_key_as,
        });
    }
    candidates
}

/// The `possible_duplicate` findings of keys at edit distance 1 that share
/// their first two characters, for every pair of candidates
/// ([`near_candidates`]) holding two such keys, each placed at the later
/// customer of its pair and ordered by it, then by the earlier. Candidates
/// come from single-deletion variants of the distinct keys, blocked by
/// those two characters: two keys are compared when they share a variant
/// that leaves out the same place of both, or one of them whole (every
/// pair one edit apart shares one). Customers sharing one key (reported by
/// the merge itself) are never compared with each other.
///
/// Nothing quadratic: a block of more than [`BLOCK_MOST`] keys sharing one
/// variant compares each key with the block's first key only, and two close
/// keys held by more than [`MEMBERS_MOST`] pairs of customers pair each
/// customer with the other key's first customer only.
///
/// The list returned has room for `room` more findings (the caller's own).
pub fn near_duplicates(customers: &[NearCandidate], room: usize) -> Vec<Finding> {
    let keys = DistinctKeys::new(customers);
    let key_pairs = close_key_pairs(&keys, SHARD_VARIANTS);
    let members = |k: u32| keys.customers(k as usize);
    let member_pairs = |a: usize, b: usize| {
        if a * b > MEMBERS_MOST {
            a + b - 1
        } else {
            a * b
        }
    };
    let close: usize = key_pairs
        .iter()
        .map(|&(k, l)| member_pairs(members(k).len(), members(l).len()))
        .sum();
    // Each pair as (later customer, earlier customer).
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(close);
    let mut push = |i: u32, j: u32| pairs.push((i.max(j), i.min(j)));
    for (k, l) in key_pairs {
        let (of_a, of_b) = (members(k), members(l));
        if of_a.len() * of_b.len() > MEMBERS_MOST {
            of_a.iter().for_each(|&i| push(i, of_b[0]));
            of_b[1..].iter().for_each(|&j| push(of_a[0], j));
        } else {
            for &i in of_a {
                for &j in of_b {
                    push(i, j);
                }
            }
        }
    }
    // By the later customer, where the finding is placed, then the earlier:
    // findings are listed by place, and customers come in row order, so
    // the list is sorted in long runs.
    pairs.sort_unstable();
    // The findings, made on two threads: each reads the earlier
    // customer's name at random, a cache miss per finding, and the rest of
    // the run waits for them. Both halves are written in place into the
    // list returned (sized once: a big table can have millions of close
    // pairs), which keeps room for `room` more after them.
    let mut findings = Vec::with_capacity(pairs.len().saturating_add(room));
    let spare = &mut findings.spare_capacity_mut()[..pairs.len()];
    let half = pairs.len() / 2;
    let (first, second) = spare.split_at_mut(half);
    std::thread::scope(|scope| {
        if second.len() >= 1 << 14 {
            scope.spawn(|| duplicate_findings(customers, &pairs[half..], second));
        } else {
            duplicate_findings(customers, &pairs[half..], second);
        }
        duplicate_findings(customers, &pairs[..half], first);
    });
    // SAFETY: the first `pairs.len()` slots were all written just above
    // (each half by one call, which writes a finding per pair), and a panic
    // in either call ends the scope before this line: the list never
    // covers a slot not written.
    unsafe { findings.set_len(pairs.len()) };
    findings
}

/// The places `0..group_of.len()` grouped by their group (`group_of[i]`,
/// below `groups`), each group in place order: the places one group after
/// another, and where each group starts among them, and where the last ends.
fn grouped(group_of: &[usize], groups: usize) -> (Vec<usize>, Vec<u32>) {
    let mut starts = vec![0; groups + 1];
    group_of.iter().for_each(|&g| starts[g + 1] += 1);
    for g in 1..starts.len() {
        starts[g] += starts[g - 1];
    }
    let mut next = starts.clone();
    let mut places = vec![0; group_of.len()];
    for (i, &g) in group_of.iter().enumerate() {
        // A table held in memory has far fewer than 2^32 rows.
        places[next[g]] = i as u32;
        next[g] += 1;
    }
    (starts, places)
}

/// About how many variants a shard of the near-duplicate search holds at
/// once (16 bytes each): a million customers make ten million variants,
/// 150 MB when held all at once.
const SHARD_VARIANTS: usize = 1 << 20;

/// The pairs of distinct keys (earlier, later) that share their first two
/// characters and are one edit apart, sorted. Keys are sharded by their
/// first two characters, so every pair lies within one shard: the shards
/// are searched one at a time on each core, each with variants of its own
/// keys only; a shard holds about `shard_variants` variants.
fn close_key_pairs(keys: &DistinctKeys, shard_variants: usize) -> Vec<(u32, u32)> {
    let variants: usize = (0..keys.len())
        .map(|k| keys.key(k).chars().count() + 1)
        .sum();
    let shards = variants.div_ceil(shard_variants.max(1)).max(1);
    // The keys of each shard, in key order, one shard after another.
    let shard_of = |k: usize| -> usize {
        use std::hash::BuildHasher;
        let prefix = first_two(keys.key(k));
        let hash = foldhash::fast::FixedState::with_seed(0).hash_one(prefix.as_bytes());
        // The remainder of a division by `shards` fits in a usize.
        (hash % shards as u64) as usize
    };
    let of_key: Vec<usize> = (0..keys.len()).map(shard_of).collect();
    let (starts, sharded) = grouped(&of_key, shards);
    drop(of_key);
    let shard = |s: usize| &sharded[starts[s]..starts[s + 1]];
    let next_shard = std::sync::atomic::AtomicUsize::new(0);
    let search = || {
        let mut found = Vec::new();
        let mut scratch = ShardScratch::default();
        loop {
            let s = next_shard.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if s >= shards {
                return found;
            }
            scratch.close_pairs_into(keys, shard(s), &mut found);
        }
    };
    let threads = worker_count().min(shards);
    let parts: Vec<Vec<(u32, u32)>> = if threads < 2 {
        vec![search()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(search)).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let mut key_pairs = parts.concat();
    // No pair is in two shards: sorting alone gives the pairs in order.
    key_pairs.sort_unstable();
    key_pairs
}

/// A key or one of its single-deletion variants in a shard of the
/// near-duplicate search: the variant's hash (see [`variant_hash`]), its
/// key, where the character left out was (a byte offset, or [`WHOLE`]),
/// and 16 more bits of the hash.
type Variant = (u64, u32, u16, u16);

/// What a [`Variant`] has in its place of the character left out for the
/// key itself.
const WHOLE: u16 = u16::MAX;

// Every byte offset of a searched key fits below `WHOLE`.
const _: () = assert!(NEAR_KEY_MOST * 4 < WHOLE as usize);

/// The buffers one thread of [`close_key_pairs`] reuses from shard to shard.
#[derive(Default)]
struct ShardScratch {
    /// Each key of the shard and its single-deletion variants.
    variants: Vec<Variant>,
    /// The close pairs of the shard.
    pairs: Vec<(u32, u32)>,
    /// The bytes of the variant being hashed.
    buf: Vec<u8>,
}

impl ShardScratch {
    /// Appends to `found` the close pairs among `shard`'s keys (see
    /// [`near_duplicates`] for how candidates are found), sorted.
    ///
    /// Two keys whose variants leaving out the same place (or one of
    /// them whole) are equal, with the same first two characters, are
    /// exactly one edit apart: the variants are compared by 80 bits of a
    /// 128-bit hash of the first two characters and the variant, not read
    /// again: reading both keys of each of millions of pairs at random
    /// took a second on a million customers. Two different variants share
    /// those bits by chance: a million customers' names make some 5·10^12
    /// pairs of variants within shards, against 2^80 ≈ 10^24 values, so
    /// about once in 10^11 runs.
    fn close_pairs_into(
        &mut self,
        keys: &DistinctKeys,
        shard: &[u32],
        found: &mut Vec<(u32, u32)>,
    ) {
        let (variants, pairs, buf) = (&mut self.variants, &mut self.pairs, &mut self.buf);
        variants.clear();
        pairs.clear();
        for &k in shard {
            let key = keys.key(k as usize);
            let prefix = first_two(key);
            let (hash, check) = variant_hash(buf, prefix, key, None);
            variants.push((hash, k, WHOLE, check));
            for (at, ch) in key.char_indices() {
                let skip = Some((at, at + ch.len_utf8()));
                let (hash, check) = variant_hash(buf, prefix, key, skip);
                // Below `WHOLE`: a searched key is at most `NEAR_KEY_MOST`
                // characters.
                variants.push((hash, k, at as u16, check));
            }
        }
        variants.sort_unstable();
        let runs = || variants.chunk_by(|a, b| a.0 == b.0);
        pairs.reserve(runs().map(|run| block_pairs(run.len())).sum());
        for run in runs() {
            // A run is sorted by key index, so its first key is the block's
            // first in order of appearance.
            let firsts = if run.len() > BLOCK_MOST { 1 } else { run.len() };
            for (a, &(_, k, from_k, check_k)) in run[..firsts].iter().enumerate() {
                for &(_, l, from_l, check_l) in &run[a + 1..] {
                    // Two keys one edit apart share the variant that leaves
                    // out the same place of both (a character replaced) or
                    // the shorter one whole (a character inserted), and
                    // only such pairs are: keys sharing a variant only from
                    // two different places are two edits apart, or also
                    // share one of those.
                    let places = from_k == from_l || from_k == WHOLE || from_l == WHOLE;
                    if k != l && check_k == check_l && places {
                        pairs.push((k.min(l), k.max(l)));
                    }
                }
            }
        }
        // Two keys sharing several variants are one pair.
        pairs.sort_unstable();
        pairs.dedup();
        found.extend_from_slice(pairs);
    }
}

/// Writes the `possible_duplicate` finding of each pair of `customers`
/// (later, earlier), placed at the later customer, into the slot of the
/// same place in `slots`. The column text is this call's own copy: two
/// threads counting references to one allocation take its cache line from
/// each other at every finding. The file and sheet are shared with the
/// customer all the same, because the findings' sort compares them by
/// pointer first (copies doubled it to 0.12 s at 1M customers).
fn duplicate_findings(
    customers: &[NearCandidate],
    pairs: &[(u32, u32)],
    slots: &mut [std::mem::MaybeUninit<Finding>],
) {
    let column = Text::from(&*label_text(Field::CustomerName));
    for (&(j, i), slot) in pairs.iter().zip(slots) {
        let (a, b) = (&customers[i as usize], &customers[j as usize]);
        slot.write(Finding {
            code: Code::PossibleDuplicate,
            severity: Code::PossibleDuplicate.severity(),
            row: u32::try_from(b.origin.row).unwrap_or(u32::MAX),
            source: b.origin.source.clone(),
            column: column.clone(),
            value: b.name.clone(),
            detail: a.name.clone(),
        });
    }
}

/// The distinct keys of a near-duplicate search, in order of first
/// appearance, with the customers holding each. The keys lie side by side
/// in one buffer and the customers in one list: keys scattered over the
/// heap cost a cache miss each, as a list of customers per key costs an
/// allocation.
struct DistinctKeys {
    /// Every key's text, one after another.
    text: String,
    /// Where each key starts in `text`, and where the last one ends.
    key_starts: Vec<usize>,
    /// The customers (places in the candidates) of every key, grouped by
    /// key, each group in customer order.
    customers: Vec<u32>,
    /// Where each key's group starts in `customers`, and where the last ends.
    group_starts: Vec<usize>,
}

impl DistinctKeys {
    /// The distinct keys of `candidates` and the customers of each, as
    /// their [`NearCandidate::same_key_as`] groups them.
    fn new(candidates: &[NearCandidate]) -> DistinctKeys {
        let mut text = String::new();
        let mut key_starts = vec![0];
        // The key of each candidate: the key of the earlier candidate with
        // the same one, or the next key. Then the size of each key's group.
        let mut key_of: Vec<usize> = Vec::with_capacity(candidates.len());
        for c in candidates {
            let earlier = c.same_key_as.and_then(|j| key_of.get(j as usize).copied());
            key_of.push(earlier.unwrap_or_else(|| {
                text.push_str(&c.key);
                key_starts.push(text.len());
                key_starts.len() - 2
            }));
        }
        let (group_starts, customers) = grouped(&key_of, key_starts.len() - 1);
        DistinctKeys {
            text,
            key_starts,
            customers,
            group_starts,
        }
    }

    /// How many distinct keys there are.
    fn len(&self) -> usize {
        self.key_starts.len() - 1
    }

    /// Key `k`.
    fn key(&self, k: usize) -> &str {
        &self.text[self.key_starts[k]..self.key_starts[k + 1]]
    }

    /// The customers holding key `k`, in customer order.
    fn customers(&self, k: usize) -> &[u32] {
        &self.customers[self.group_starts[k]..self.group_starts[k + 1]]
    }
}

/// The most keys sharing one single-deletion variant that are all compared
/// with each other; a bigger block (thousands of names that differ in one
/// character, as a hostile or generated sheet can hold) compares each key
/// with its first key only, so candidates grow with the keys, not with
/// their square. Real customer lists stay far below it (a million
/// generated customers make blocks of at most 32).
pub const BLOCK_MOST: usize = 64;

/// The most customer pairs reported for two close keys; past it (hundreds
/// of customers kept apart under each key by their ids), each customer is
/// paired with the other key's first customer only.
pub const MEMBERS_MOST: usize = 1024;

/// The candidate key pairs a block of `n` variants gives (see
/// [`BLOCK_MOST`]).
fn block_pairs(n: usize) -> usize {
    if n > BLOCK_MOST {
        n - 1
    } else {
        n * (n - 1) / 2
    }
}

/// The first two characters of a key.
fn first_two(key: &str) -> &str {
    let end = key.char_indices().nth(2).map_or(key.len(), |(at, _)| at);
    &key[..end]
}

/// The hash of `prefix` and of `key` with the byte range `skip` left out
/// (one character), hashed as one run of bytes gathered in `buf`: 64 bits
/// and 16 more of one 128-bit hash (XXH3, made for hashes that wide).
fn variant_hash(
    buf: &mut Vec<u8>,
    prefix: &str,
    key: &str,
    skip: Option<(usize, usize)>,
) -> (u64, u16) {
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
    // No seed: the same keys give the same candidates on every run.
    let hash = xxhash_rust::xxh3::xxh3_128(buf);
    ((hash >> 64) as u64, hash as u16)
}

/// What [`CustomerIndex::find_memo`] remembers from row to row.
#[derive(Debug, Default)]
pub struct LinkMemo {
    /// The last id found in the id index, and its customer: the rows of
    /// one customer often sit together, and the rows of a sheet share the
    /// text of a repeated value, so most rows compare one pointer instead
    /// of looking their id up among a million.
    last_id: Option<(Text, usize)>,
    /// Customer name → what its dedup key finds (`None` when the name
    /// gives no key): follow-ups repeat their customer's name. The name is
    /// the row's own shared text, not a copy: a million names would cost
    /// a million strings on each thread.
    names: FastMap<Text, Option<Option<usize>>>,
}

/// The fewest customers whose ids [`CustomerIndex::new`] indexes on a
/// thread of their own.
const PARALLEL_INDEX: usize = 1 << 14;

/// Finds the customer of a follow-up, opportunity or complaint row: by
/// customer id when both sides have one, else by the name's dedup key.
/// It borrows the customers' ids and names, and takes over the merge's
/// map of keys (shared texts): a million customers would otherwise cost a
/// million copies, or a second map of a million keys.
#[derive(Debug, Default)]
pub struct CustomerIndex<'a> {
    by_id: FastMap<&'a str, usize>,
    /// The first customer of each key.
    by_key: FirstOfKey,
    /// Each customer's name as written → what its key finds: follow-ups
    /// mostly name their customer as the customer table does, and those
    /// names are found without making their key.
    by_name: FastMap<&'a str, usize>,
}

impl<'a> CustomerIndex<'a> {
    /// Indexes deduplicated customers (first customer wins on a clash),
    /// each map sized once, with the first customer of each key their
    /// merge found.
    pub fn new(customers: &'a [Customer], by_key: FirstOfKey) -> CustomerIndex<'a> {
        Self::indexed(customers, by_key, PARALLEL_INDEX)
    }

    /// [`CustomerIndex::new`], indexing the ids on a thread of their own
    /// when there are at least `parallel` customers.
    fn indexed(
        customers: &'a [Customer],
        by_key: FirstOfKey,
        parallel: usize,
    ) -> CustomerIndex<'a> {
        let sized = || FastMap::with_capacity_and_hasher(customers.len(), Default::default());
        let ids = || {
            let mut by_id: FastMap<&'a str, usize> = sized();
            for (i, c) in customers.iter().enumerate() {
                if let Some(id) = c.record.text(Field::CustomerId) {
                    by_id.entry(id).or_insert(i);
                }
            }
            by_id
        };
        // The ids beside the names, on a big table: each map reads a text
        // per customer, mostly a cache miss.
        let (by_id, by_name) = if customers.len() >= parallel {
            std::thread::scope(|scope| {
                let by_id = scope.spawn(ids);
                let by_name = Self::names(customers, &by_key, sized());
                let by_id = by_id
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (by_id, by_name)
            })
        } else {
            (ids(), Self::names(customers, &by_key, sized()))
        };
        CustomerIndex {
            by_id,
            by_key,
            by_name,
        }
    }

    /// What each customer's own name finds ([`CustomerIndex::by_name`]),
    /// into `by_name`.
    fn names(
        customers: &'a [Customer],
        by_key: &FirstOfKey,
        mut by_name: FastMap<&'a str, usize>,
    ) -> FastMap<&'a str, usize> {
        // A customer keyed by a name (not `id:…`, which a name key never
        // is: it holds no punctuation) has its first row's name, whose key
        // that is: the name finds what the key finds, the key's first
        // customer (which the merge tells without a look among a million
        // keys).
        let named = customers.iter().enumerate();
        for (i, c) in named.filter(|(_, c)| !c.key.starts_with("id:")) {
            if let Some(name) = c.record.text(Field::CustomerName) {
                by_name.entry(name).or_insert(by_key.of_customer(i));
            }
        }
        by_name
    }

    /// The index of the row's customer, if any.
    pub fn find(&self, r: &impl NamesCustomer) -> Option<usize> {
        if let Some(i) = r.customer_id().and_then(|id| self.by_id.get(id.as_str())) {
            return Some(*i);
        }
        record_key(r).and_then(|k| self.by_key.get(&k))
    }

    /// [`CustomerIndex::find`], with what `memo` remembers of the rows
    /// before: the last id found, and what each distinct name's key finds.
    pub fn find_memo(&self, r: &impl NamesCustomer, memo: &mut LinkMemo) -> Option<usize> {
        if let Some(id) = r.customer_id() {
            if let Some((last, i)) = &memo.last_id {
                if Text::ptr_eq(last, id) || last == id {
                    return Some(*i);
                }
            }
            if let Some(&i) = self.by_id.get(id.as_str()) {
                memo.last_id = Some((id.clone(), i));
                return Some(i);
            }
        }
        if let Some(name) = r.customer_name() {
            if let Some(&i) = self.by_name.get(name.as_str()) {
                return Some(i);
            }
            let found = match memo.names.get(name.as_str()) {
                Some(found) => *found,
                None => {
                    let k = company_key(name);
                    let found = (!k.is_empty()).then(|| self.by_key.get(&k));
                    memo.names.insert(name.clone(), found);
                    found
                }
            };
            if let Some(found) = found {
                return found;
            }
        }
        r.customer_id()
            .and_then(|id| self.by_key.get(&format!("id:{id}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FieldMap, Source, Value};

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
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let candidates = candidates_of(&keys);
        // Each pair placed at the later name's row, by that row, then by
        // the earlier name's.
        let mut expected = Vec::new();
        for (j, b) in keys.iter().enumerate() {
            for a in &keys[..j] {
                if first_two(a) == first_two(b) && strsim::levenshtein(a, b) == 1 {
                    expected.push((j + 1, a.to_string()));
                }
            }
        }
        let found: Vec<(usize, String)> = near_duplicates(&candidates, 0)
            .iter()
            .map(|f| (f.row as usize, f.detail.to_string()))
            .collect();
        assert!(expected.len() > 15, "{expected:?}");
        assert_eq!(found, expected);
    }

    /// A customer row at `row` with a name, an id if given, and a phone.
    fn customer_row(row: usize, name: &str, id: Option<&str>, phone: &str) -> Record {
        let source = std::sync::Arc::new(Source {
            file: "c.csv".into(),
            sheet: "c".into(),
        });
        let mut values: FieldMap<Value> = FieldMap::default();
        values.insert(Field::CustomerName, Value::Text(Text::from(name)));
        values.insert(Field::Phone, Value::Text(Text::from(phone)));
        if let Some(id) = id {
            values.insert(Field::CustomerId, Value::Text(Text::from(id)));
        }
        let mut r = Record::new(Origin::new(&source, row));
        r.values = values;
        r
    }

    /// Linking with the memo finds what linking row by row finds, as ids
    /// repeat (one shared text, or equal texts apart), change, come back,
    /// are unknown (then the name decides) or are missing.
    #[test]
    fn find_memo_finds_what_find_finds() {
        let records = vec![
            customer_row(2, "杭州星河网络有限公司", Some("C1"), "1"),
            customer_row(3, "宁波海天贸易有限公司", Some("C2"), "2"),
            customer_row(4, "苏州云帆科技有限公司", None, "3"),
        ];
        let mut findings = Vec::new();
        let (customers, first_of_key) = merge_duplicates(records, &mut findings);
        let index = CustomerIndex::new(&customers, first_of_key);
        let shared = customer_row(10, "宁波海天贸易", Some("C1"), "x");
        let rows = vec![
            shared.clone(),
            shared.clone(),
            customer_row(11, "杭州星河网络", Some("C1"), "x"),
            customer_row(12, "杭州星河网络", Some("C2"), "x"),
            customer_row(13, "宁波海天贸易", Some("C9"), "x"),
            customer_row(14, "苏州云帆科技", Some("C9"), "x"),
            customer_row(15, "苏州云帆科技", None, "x"),
            shared,
            customer_row(16, "不存在的公司", Some("C9"), "x"),
            // Named as the customer table names them.
            customer_row(17, "苏州云帆科技有限公司", None, "x"),
            customer_row(18, "宁波海天贸易有限公司", Some("C9"), "x"),
            customer_row(19, "杭州星河网络有限公司", Some("C2"), "x"),
        ];
        let mut memo = LinkMemo::default();
        let with_memo: Vec<Option<usize>> =
            rows.iter().map(|r| index.find_memo(r, &mut memo)).collect();
        let each: Vec<Option<usize>> = rows.iter().map(|r| index.find(r)).collect();
        assert_eq!(with_memo, each);
        let expected = [0, 0, 0, 1, 1, 2, 2, 0].map(Some).to_vec();
        assert_eq!(with_memo[..8], expected);
        assert_eq!(with_memo[8], None);
        assert_eq!(with_memo[9..], [Some(2), Some(1), Some(1)]);
    }

    /// Rows of one name go to the first customer with no id or their id:
    /// a row without an id to the first, whose id the next row with one
    /// fills; a row with another id starts a customer (`possible_duplicate`
    /// beside the first); later rows find theirs by id.
    /// Indexed with the ids on a thread of their own, the maps are the
    /// same as on one thread.
    #[test]
    fn an_index_built_on_two_threads_is_the_same() {
        let rows: Vec<Record> = (0..300)
            .map(|i| {
                let name = format!("客户{}有限公司", i % 120);
                let id = (i % 3 == 0).then(|| format!("C{}", i % 50));
                customer_row(i + 2, &name, id.as_deref(), "")
            })
            .collect();
        let (customers, first_of_key) = merge_duplicates(rows.clone(), &mut Vec::new());
        let sorted = |m: &FastMap<&str, usize>| {
            let mut v: Vec<(String, usize)> = m.iter().map(|(k, i)| (k.to_string(), *i)).collect();
            v.sort();
            v
        };
        // The merge's first customer of each key is the first in order,
        // and it tells each customer's.
        let mut firsts: FastMap<&str, usize> = FastMap::default();
        for (i, c) in customers.iter().enumerate() {
            firsts.entry(c.key.as_str()).or_insert(i);
        }
        let merged: FastMap<&str, usize> = first_of_key
            .of_key
            .iter()
            .map(|(k, i)| (k.as_str(), *i))
            .collect();
        assert_eq!(sorted(&merged), sorted(&firsts));
        assert!(!first_of_key.later.is_empty());
        for (i, c) in customers.iter().enumerate() {
            assert_eq!(first_of_key.of_customer(i), firsts[c.key.as_str()], "{i}");
        }
        let (_, again) = merge_duplicates(rows, &mut Vec::new());
        let (one, two) = (
            CustomerIndex::indexed(&customers, first_of_key, usize::MAX),
            CustomerIndex::indexed(&customers, again, 0),
        );
        for (a, b) in [(&one.by_id, &two.by_id), (&one.by_name, &two.by_name)] {
            assert!(!a.is_empty());
            assert_eq!(sorted(a), sorted(b));
        }
    }

    #[test]
    fn rows_of_one_name_merge_by_id() {
        let rows = [
            (None, "1"),
            (Some("A"), "2"),
            (Some("B"), "3"),
            (Some("B"), "4"),
            (None, "5"),
            (Some("C"), "6"),
            (Some("A"), "7"),
            (Some("C"), "8"),
        ];
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, (id, phone))| customer_row(i + 2, "杭州星河网络有限公司", *id, phone))
            .collect();
        let mut findings = Vec::new();
        let (customers, _) = merge_duplicates(records, &mut findings);
        let got: Vec<(usize, Option<&str>, Vec<usize>)> = customers
            .iter()
            .map(|c| {
                let merged = c.merged.iter().map(|o| o.row).collect();
                (
                    c.record.origin.row,
                    c.record.text(Field::CustomerId),
                    merged,
                )
            })
            .collect();
        let expected = vec![
            (2, Some("A"), vec![3, 6, 8]),
            (4, Some("B"), vec![5]),
            (7, Some("C"), vec![9]),
        ];
        assert_eq!(got, expected);
        let codes: Vec<(Code, usize)> = findings.iter().map(|f| (f.code, f.row as usize)).collect();
        use Code::{DuplicateCustomer as Merged, PossibleDuplicate as Apart};
        let expected = [
            (Merged, 3),
            (Apart, 4),
            (Merged, 5),
            (Merged, 6),
            (Apart, 7),
            (Merged, 8),
            (Merged, 9),
        ];
        assert_eq!(codes, expected);
        // The first row's phone stays; the id came from the second row.
        assert_eq!(customers[0].record.text(Field::Phone), Some("1"));
    }

    /// Customers the merge kept apart under one key (by their ids) are
    /// candidates grouped under the first of them, and the search pairs
    /// them with no one for that key: the merge reported them.
    #[test]
    fn candidates_sharing_a_key_point_to_its_first() {
        let records = vec![
            customer_row(2, "杭州星河网络有限公司", Some("C1"), "1"),
            customer_row(3, "宁波海天贸易有限公司", None, "2"),
            customer_row(4, "杭州星河网络有限公司", Some("C2"), "3"),
            customer_row(5, "杭州星河网络", Some("C3"), "4"),
            customer_row(6, "宁波海天贸", None, "5"),
        ];
        let (customers, first_of_key) = merge_duplicates(records, &mut Vec::new());
        let candidates = near_candidates(&customers, &first_of_key);
        let grouped: Vec<(usize, Option<u32>)> = candidates
            .iter()
            .map(|c| (c.origin.row, c.same_key_as))
            .collect();
        assert_eq!(
            grouped,
            [(2, None), (3, None), (4, Some(0)), (5, Some(0)), (6, None)]
        );
        let found: Vec<(u32, String)> = near_duplicates(&candidates, 0)
            .iter()
            .map(|f| (f.row, f.detail.to_string()))
            .collect();
        assert_eq!(found, [(6, "宁波海天贸易有限公司".to_string())]);
    }

    /// Keys of 4 to 100 characters are searched; shorter keys, ids and
    /// longer keys (text pasted into the name column) are not.
    #[test]
    fn near_candidates_are_keys_of_4_to_100_characters() {
        let keys = [
            "星河网".to_string(),
            "星河网络".to_string(),
            "星".repeat(NEAR_KEY_MOST),
            "星".repeat(NEAR_KEY_MOST + 1),
            "id:C0001".to_string(),
        ];
        let customers: Vec<Customer> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| Customer {
                record: customer_row(i + 2, k, None, "1"),
                key: Text::from(k.as_str()),
                merged: Vec::new(),
            })
            .collect();
        let rows: Vec<usize> = near_candidates(&customers, &FirstOfKey::default())
            .iter()
            .map(|c| c.origin.row)
            .collect();
        assert_eq!(rows, [3, 4]);
    }

    /// A search with enough close pairs to make its findings on two
    /// threads gives each pair once, in place order, with the file, sheet,
    /// column and both names of a search on one thread, and the room asked.
    #[test]
    fn many_close_pairs_give_every_finding_in_place_order() {
        // Key 2i is a number written twice (two keys differ in two places
        // at least); key 2i + 1 adds a character to it: one edit apart.
        let pairs = 40_000;
        let keys: Vec<String> = (0..pairs)
            .flat_map(|i| [format!("甲{i:06}乙{i:06}"), format!("甲{i:06}乙{i:06}丙")])
            .collect();
        let candidates = candidates_of(&keys);
        let found = near_duplicates(&candidates, 7);
        assert_eq!(found.len(), pairs);
        assert!(found.capacity() >= pairs + 7);
        for (i, f) in found.iter().enumerate() {
            assert_eq!(f.code, Code::PossibleDuplicate);
            assert_eq!(f.row as usize, 2 * i + 2, "finding {i}");
            assert_eq!(*f.value, keys[2 * i + 1]);
            assert_eq!(*f.detail, keys[2 * i]);
            assert_eq!((&**f.file(), &**f.sheet()), ("f.csv", "f"));
            assert_eq!(f.column, label_text(Field::CustomerName));
        }
    }

    /// Candidates with the given keys, one customer each, at rows 1, 2, ….
    fn candidates_of(keys: &[String]) -> Vec<NearCandidate> {
        let source = std::sync::Arc::new(Source {
            file: "f.csv".into(),
            sheet: "f".into(),
        });
        let mut first: FastMap<&str, u32> = FastMap::default();
        keys.iter()
            .enumerate()
            .map(|(i, k)| NearCandidate {
                key: Text::from(k.as_str()),
                name: Text::from(k.as_str()),
                origin: Origin::new(&source, i + 1),
                same_key_as: match first.entry(k) {
                    Entry::Occupied(seen) => Some(*seen.get()),
                    Entry::Vacant(slot) => {
                        slot.insert(i as u32);
                        None
                    }
                },
            })
            .collect()
    }

    /// The distinct keys come in order of first appearance, multi-byte
    /// keys whole, each with its customers in customer order.
    #[test]
    fn distinct_keys_keep_first_appearance_and_customer_order() {
        let keys = [
            "星河网络",
            "abcd",
            "星河网络",
            "星湖网络",
            "abcd",
            "星河网络",
        ];
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let distinct = DistinctKeys::new(&candidates_of(&keys));
        let got: Vec<(&str, &[u32])> = (0..distinct.len())
            .map(|k| (distinct.key(k), distinct.customers(k)))
            .collect();
        let want: Vec<(&str, &[u32])> = vec![
            ("星河网络", &[0, 2, 5]),
            ("abcd", &[1, 4]),
            ("星湖网络", &[3]),
        ];
        assert_eq!(got, want);
        assert_eq!(DistinctKeys::new(&[]).len(), 0);
    }

    /// Every key of 4 or 5 characters over `letters`, shorter first.
    fn short_keys(letters: &[char]) -> Vec<String> {
        let mut keys: Vec<String> = vec![String::new()];
        let mut all = Vec::new();
        for len in 1..=5 {
            keys = keys
                .iter()
                .flat_map(|k| letters.iter().map(move |c| format!("{k}{c}")))
                .collect();
            if len >= 4 {
                all.extend(keys.iter().cloned());
            }
        }
        all
    }

    /// Every key of 4 or 5 characters over three letters (repeats of one
    /// character in every place): the search finds exactly the pairs one
    /// edit apart that share their first two characters, as comparing
    /// every pair does.
    #[test]
    fn near_duplicates_of_every_short_key_are_every_close_pair() {
        let all = short_keys(&['a', 'b', '星']);
        let mut expected = Vec::new();
        for (j, b) in all.iter().enumerate() {
            for a in &all[..j] {
                if first_two(a) == first_two(b) && strsim::levenshtein(a, b) == 1 {
                    expected.push((j + 1, a.clone()));
                }
            }
        }
        let found: Vec<(usize, String)> = near_duplicates(&candidates_of(&all), 0)
            .iter()
            .map(|f| (f.row as usize, f.detail.to_string()))
            .collect();
        assert_eq!(all.len(), 324);
        assert!(expected.len() > 500, "{}", expected.len());
        assert_eq!(found, expected);
    }

    /// However the keys are sharded (one shard, one per prefix, more
    /// shards than keys), the close pairs are every pair one edit apart
    /// sharing its first two characters, in order.
    #[test]
    fn close_key_pairs_are_the_same_in_any_number_of_shards() {
        let all = short_keys(&['a', 'b', 'c', '星']);
        let distinct = DistinctKeys::new(&candidates_of(&all));
        let mut expected = Vec::new();
        for l in 0..all.len() {
            for k in 0..l {
                let (a, b) = (&all[k], &all[l]);
                if first_two(a) == first_two(b) && strsim::levenshtein(a, b) == 1 {
                    expected.push((k as u32, l as u32));
                }
            }
        }
        expected.sort_unstable();
        assert!(expected.len() > 2000, "{}", expected.len());
        for shard_variants in [1, 50, 1000, usize::MAX] {
            let found = close_key_pairs(&distinct, shard_variants);
            assert!(found == expected, "{shard_variants}: {} pairs", found.len());
        }
    }

    /// 3,000 names that differ only in their last character all share one
    /// variant: every pair is one edit apart (4.5 million pairs). Past
    /// `BLOCK_MOST`, each is reported once, beside the block's first name.
    #[test]
    fn a_huge_block_pairs_each_key_with_its_first_only() {
        let keys: Vec<String> = (0..3000u32)
            .map(|i| format!("杭州星{}", char::from_u32(0x4E00 + i).unwrap()))
            .collect();
        let found = near_duplicates(&candidates_of(&keys), 0);
        assert_eq!(found.len(), 2999);
        for (f, row) in found.iter().zip(2..) {
            assert_eq!(
                (f.row as usize, &*f.detail, &*f.value),
                (row, "杭州星一", &*keys[row - 1])
            );
        }
    }

    /// Two close keys, each held by customers kept apart (different ids):
    /// 30 × 30 customers are all paired, each of the second key's
    /// customers 30 times; 40 × 40 (past `MEMBERS_MOST`) pair each customer
    /// with the other key's first customer only, so the second key's first
    /// customer is paired 40 times and its others once.
    #[test]
    fn many_customers_under_two_close_keys_pair_with_the_first_past_the_limit() {
        for (n, first_times, other_times) in [(30, 30, 30), (40, 40, 1)] {
            let mut keys = vec!["杭州星河网络".to_string(); n];
            keys.extend(vec!["杭州星湖网络".to_string(); n]);
            let found = near_duplicates(&candidates_of(&keys), 0);
            let mut times = vec![0; 2 * n + 1];
            for f in &found {
                assert_eq!(&*f.detail, "杭州星河网络");
                times[f.row as usize] += 1;
            }
            let mut expected = vec![0; n + 1];
            expected.push(first_times);
            expected.extend(vec![other_times; n - 1]);
            assert_eq!(times, expected, "{n} customers per key");
        }
    }
}
