//! Work split over the cores: how many threads, and a map over a slice in
//! contiguous parts whose results are joined in input order, so the output
//! is what one thread would give.

/// How many threads share a big piece of work: one per core, up to four.
pub(crate) fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
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
    let per_thread = items.len().div_ceil(worker_count()).max(MIN_PART);
    if items.len() <= per_thread {
        return map(items);
    }
    std::thread::scope(|scope| {
        let map = &map;
        let parts: Vec<_> = items
            .chunks(per_thread)
            .map(|part| scope.spawn(move || map(part)))
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
