//! Waiting for a cluster to get somewhere — a token filled, a CRD established, objects gone: one poll
//! loop with backoff serves every such wait in the tool.

use std::future::Future;
use std::time::Duration;

/// The first pause between two attempts; each later one doubles, up to the wait's `max_delay`.
const FIRST_DELAY: Duration = Duration::from_millis(50);

/// Calls `attempt` until it returns `Ok(done)`, pausing between attempts with exponential backoff (from
/// 50 ms up to `max_delay`), for at most `timeout`; `Err(pending)` says what the last attempt still
/// found. That last attempt is made at or after the deadline, so a wait never gives up on a state it
/// has not looked at since. An error from `attempt` ends the wait.
pub async fn poll<T, P, F, Fut>(
    timeout: Duration,
    max_delay: Duration,
    mut attempt: F,
) -> anyhow::Result<Result<T, P>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Result<T, P>>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    let mut delay = FIRST_DELAY.min(max_delay);
    loop {
        let pending = match attempt().await? {
            Ok(done) => return Ok(Ok(done)),
            Err(pending) => pending,
        };
        if tokio::time::Instant::now() >= deadline {
            return Ok(Err(pending));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(max_delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn returns_what_the_attempt_found_once_it_finds_it() {
        let calls = AtomicU32::new(0);
        let found = poll(
            Duration::from_secs(10),
            Duration::from_millis(500),
            || async {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(if n == 4 { Ok(n) } else { Err(()) })
            },
        )
        .await
        .unwrap();
        assert_eq!(found, Ok(4));
    }

    #[tokio::test(start_paused = true)]
    async fn backs_off_up_to_the_maximum_and_gives_up_at_the_deadline() {
        let started = tokio::time::Instant::now();
        let calls = AtomicU32::new(0);
        let found: Result<(), u32> = poll(
            Duration::from_secs(2),
            Duration::from_millis(400),
            || async { Ok(Err(calls.fetch_add(1, Ordering::SeqCst) + 1)) },
        )
        .await
        .unwrap();
        assert_eq!(found, Err(9), "what the last attempt found");
        // 50, 100, 200, then 400 ms pauses: attempts at 0, .05, .15, .35, .75, 1.15, 1.55, 1.95, 2.35 s.
        assert_eq!(calls.load(Ordering::SeqCst), 9);
        let waited = started.elapsed();
        assert!(waited >= Duration::from_secs(2) && waited < Duration::from_millis(2500));
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_ends_the_wait() {
        let err = poll::<(), (), _, _>(Duration::from_secs(10), Duration::from_secs(1), || async {
            anyhow::bail!("refused")
        })
        .await
        .unwrap_err();
        assert_eq!(err.to_string(), "refused");
    }
}
