//! Figures that are expensive to compute and read by everyone (the payment-timeliness report
//! reads every contract, milestone and payment), computed once and shared while nothing has
//! changed (issue #8).
//!
//! [`Changes`] counts the requests that may change data: the server bumps it before and after
//! every request that is not a GET or HEAD (and when the test clock moves). A [`Memo`] entry is
//! used only while that count is what it was when the computation started, and for at most its
//! time to live (for what another server on the same database changed). Concurrent readers of a
//! missing entry wait for one computation instead of each running their own.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many times data may have changed through this server (a generation counter).
#[derive(Debug, Default)]
pub struct Changes(AtomicU64);

impl Changes {
    pub fn new() -> Arc<Changes> {
        Arc::new(Changes::default())
    }

    /// Something may have changed (or is about to).
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

struct Entry<V> {
    generation: u64,
    computed: Instant,
    value: Arc<V>,
}

type Slot<V> = Arc<tokio::sync::Mutex<Option<Entry<V>>>>;

/// Values by key, each computed by one caller at a time and reused while fresh.
pub struct Memo<K, V> {
    ttl: Duration,
    slots: Mutex<HashMap<K, Slot<V>>>,
}

impl<K: Eq + Hash + Clone, V> Memo<K, V> {
    /// A `ttl` of zero computes every time.
    pub fn new(ttl: Duration) -> Memo<K, V> {
        Memo {
            ttl,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The value for `key`: the kept one if nothing changed since it was computed and it is
    /// younger than the time to live, else `compute`'s (kept when it succeeds).
    pub async fn get_or_compute<E, F, Fut>(
        &self,
        changes: &Changes,
        key: K,
        compute: F,
    ) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if self.ttl.is_zero() {
            return compute().await.map(Arc::new);
        }
        let slot = {
            // A panic while holding this lock leaves only a map of slots: keep using it.
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            // Keys are few (a year or none); drop stale ones so the map stays bounded.
            if slots.len() > 64 {
                slots.retain(|_, s| Arc::strong_count(s) > 1);
            }
            slots.entry(key).or_default().clone()
        };
        let mut entry = slot.lock().await;
        if let Some(e) = entry.as_ref() {
            if e.generation == changes.current() && e.computed.elapsed() < self.ttl {
                return Ok(e.value.clone());
            }
        }
        let generation = changes.current();
        let value = Arc::new(compute().await?);
        *entry = Some(Entry {
            generation,
            computed: Instant::now(),
            value: value.clone(),
        });
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn counted(memo: &Memo<u8, usize>, changes: &Changes, runs: &AtomicUsize) -> usize {
        *memo
            .get_or_compute(changes, 1, || async {
                Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_value_is_reused_until_something_changes() {
        let (memo, changes, runs) = (
            Memo::new(Duration::from_secs(60)),
            Changes::default(),
            AtomicUsize::new(0),
        );
        assert_eq!(counted(&memo, &changes, &runs).await, 1);
        assert_eq!(counted(&memo, &changes, &runs).await, 1);
        changes.bump();
        assert_eq!(counted(&memo, &changes, &runs).await, 2);
    }

    #[tokio::test]
    async fn a_value_expires_and_a_zero_ttl_keeps_nothing() {
        let changes = Changes::default();
        let runs = AtomicUsize::new(0);
        let short = Memo::new(Duration::from_millis(20));
        assert_eq!(counted(&short, &changes, &runs).await, 1);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(counted(&short, &changes, &runs).await, 2);
        let off = Memo::new(Duration::ZERO);
        assert_eq!(counted(&off, &changes, &runs).await, 3);
        assert_eq!(counted(&off, &changes, &runs).await, 4);
    }

    #[tokio::test]
    async fn a_change_during_the_computation_is_not_hidden() {
        let (memo, changes, runs) = (
            Memo::new(Duration::from_secs(60)),
            Changes::default(),
            AtomicUsize::new(0),
        );
        let first = memo
            .get_or_compute(&changes, 1, || async {
                changes.bump(); // a payment recorded while the report was being read
                Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap();
        assert_eq!(*first, 1);
        assert_eq!(counted(&memo, &changes, &runs).await, 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_readers_share_one_computation_and_errors_are_not_kept() {
        let memo = Arc::new(Memo::<u8, usize>::new(Duration::from_secs(60)));
        let changes = Arc::new(Changes::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let failed = memo
            .get_or_compute(&changes, 1, || async { Err::<usize, _>("database gone") })
            .await;
        assert_eq!(failed.err(), Some("database gone"));
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let (memo, changes, runs) = (memo.clone(), changes.clone(), runs.clone());
                tokio::spawn(async move {
                    *memo
                        .get_or_compute(&changes, 1, || async {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst) + 1)
                        })
                        .await
                        .unwrap()
                })
            })
            .collect();
        for r in readers {
            assert_eq!(r.await.unwrap(), 1);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
