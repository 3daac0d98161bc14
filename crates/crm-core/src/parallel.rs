//! Work split over the cores: how many threads, and a map over a slice in
//! contiguous parts whose results are joined in input order, so the output
//! is what one thread would give.

use std::sync::{Condvar, Mutex};

/// How many threads share a big piece of work: one per core, up to four.
pub(crate) fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Workbooks being parsed now, and the signal of a parse's end.
static PARSING: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

/// A workbook being parsed ([`crate::ingest::excel`]), from its start to
/// its drop. Files are read and normalized side by side, and calamine
/// parses a workbook's cells on one thread, for seconds on a big sheet:
/// while it does, a normalizing thread beyond the first of each file
/// leaves it a core ([`wait_for_core`]), so that what comes after the
/// workbook (its own rows) waits less. A CSV's read is not counted: it
/// is quick, and the rows normalized beside it are the longer work.
pub(crate) struct Parsing(());

impl Parsing {
    /// Counts a parse until the value is dropped.
    pub(crate) fn start() -> Parsing {
        if let Ok(mut n) = PARSING.0.lock() {
            *n += 1;
        }
        Parsing(())
    }
}

impl Drop for Parsing {
    fn drop(&mut self) {
        if let Ok(mut n) = PARSING.0.lock() {
            *n = n.saturating_sub(1);
        }
        PARSING.1.notify_all();
    }
}

/// Waits, for worker `worker` (0-based) of a normalization, until the
/// workbooks being parsed leave it a core: the first worker never waits,
/// so every normalization goes on; the others wait while the workers
/// before them and the parses fill the cores.
pub(crate) fn wait_for_core(worker: usize) {
    if worker == 0 {
        return;
    }
    let Ok(mut parsing) = PARSING.0.lock() else {
        return;
    };
    while *parsing > 0 && worker + *parsing >= worker_count() {
        match PARSING.1.wait(parsing) {
            Ok(next) => parsing = next,
            Err(_) => return,
        }
    }
}

/// Fewest items a thread is given: below this, spawning costs more than it saves.
const MIN_PART: usize = 1 << 14;

/// `map` over `items` in up to [`worker_count`] contiguous parts, each on
/// its own thread (so each part may keep its own memo); the results are
/// joined in input order.
pub(crate) fn map_parts<T: Sync, U: Send>(
    items: &[T],
    map: impl Fn(&[T]) -> Vec<U> + Sync,
) -> Vec<U> {
    map_ranges(items.len(), |range| map(&items[range]))
}

/// [`map_parts`] over the places `0..len` instead of a slice: for work
/// that reads several lists side by side (a table and a column of it).
pub(crate) fn map_ranges<U: Send>(
    len: usize,
    map: impl Fn(std::ops::Range<usize>) -> Vec<U> + Sync,
) -> Vec<U> {
    let per_thread = len.div_ceil(worker_count()).max(MIN_PART);
    if len <= per_thread {
        return map(0..len);
    }
    std::thread::scope(|scope| {
        let map = &map;
        let parts: Vec<_> = (0..len)
            .step_by(per_thread)
            .map(|start| scope.spawn(move || map(start..len.min(start + per_thread))))
            .collect();
        parts
            .into_iter()
            // A panic in a part fails the run here, as it would have on one thread.
            .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// While a workbook is parsed, a normalization's last worker waits
    /// (its first goes on), and it goes on once the parse ends.
    #[test]
    fn a_last_worker_waits_for_a_parse_to_end() {
        let last = worker_count().max(2) - 1;
        let parsing = Parsing::start();
        wait_for_core(0);
        let done = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                wait_for_core(last);
                done.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(std::time::Duration::from_millis(30));
            assert!(!done.load(Ordering::SeqCst), "went on during the parse");
            drop(parsing);
            waiter.join().expect("the waiter ends");
        });
        assert!(done.load(Ordering::SeqCst));
    }

    /// The ranges cover every place once, in order, split over the
    /// threads once there are enough places.
    #[test]
    fn ranges_cover_every_place_in_order() {
        for len in [0, 5, MIN_PART, MIN_PART * 3 + 7] {
            let places = map_ranges(len, |range| range.collect());
            assert_eq!(places, (0..len).collect::<Vec<_>>(), "{len}");
        }
        let ranges = map_ranges(MIN_PART * 3 + 7, |range| vec![range]);
        assert!(ranges.len() <= worker_count());
        assert_eq!(ranges.len() > 1, worker_count() > 1);
    }

    #[test]
    fn parts_join_in_input_order() {
        let items: Vec<usize> = (0..MIN_PART * 5 + 3).collect();
        let doubled = map_parts(&items, |part| part.iter().map(|i| i * 2).collect());
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(
            map_parts(&[] as &[usize], |p| p.to_vec()),
            Vec::<usize>::new()
        );
    }
}
