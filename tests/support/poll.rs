//! Waiting for something to become true: one polling schedule for every test, async or blocking.

use std::time::{Duration, Instant};

/// Polls `f` until it returns `Some`, for at most `secs` seconds; panics naming `what` when time runs out.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    poll(secs, f)
        .await
        .unwrap_or_else(|| panic!("timed out after {secs} s waiting for {what}"))
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds; `None` when time runs out (for a caller
/// that says more than [`eventually`] can about what it last saw).
pub async fn poll<T, F, Fut>(secs: u64, mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let mut schedule = Schedule::new(secs);
    loop {
        if let Some(v) = f().await {
            return Some(v);
        }
        tokio::time::sleep(schedule.next()?).await;
    }
}

/// [`poll`] for code off the async runtime (a client run as a process, inside `block_in_place`).
pub fn poll_blocking<T>(secs: u64, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let mut schedule = Schedule::new(secs);
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        std::thread::sleep(schedule.next()?);
    }
}

/// Tries soon at first (most waits are short), backing off from 20 ms to 500 ms between tries.
struct Schedule {
    deadline: Instant,
    delay: Duration,
}

impl Schedule {
    fn new(secs: u64) -> Schedule {
        Schedule {
            deadline: Instant::now() + Duration::from_secs(secs),
            delay: Duration::from_millis(20),
        }
    }

    /// How long to wait before the next try, or `None` once the deadline has passed.
    fn next(&mut self) -> Option<Duration> {
        if Instant::now() > self.deadline {
            return None;
        }
        let d = self.delay;
        self.delay = (self.delay * 2).min(Duration::from_millis(500));
        Some(d)
    }
}
