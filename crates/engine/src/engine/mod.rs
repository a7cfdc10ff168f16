//! The propagation engine: placement, overrides, desired objects, per-cluster actions, status, versions,
//! cluster health (pure), and the parts that talk to clusters: member clients and probes, the per-object
//! reconcile, replica scheduling preferences, the `--once` runner and the `--watch` driver.

pub mod cache;
pub mod clusters;
pub mod controller;
pub mod deletions;
pub mod dns;
pub mod error;
pub mod events;
pub mod health;
pub mod permissions;
pub mod reconcile;
pub mod runner;
pub mod scheduling;
pub mod timeout;
pub mod watch;

// The pure parts that live in the core crate, under the paths the engine has always used.
pub use kubefedctl_core::{actions, desired, matching, overrides, placement, status, versions};

/// The current time as Kubernetes writes it in conditions: RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Set when this process exits once its pass is done (see [`exit_after_pass`]).
static EXITS_AFTER_PASS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells the engine that the process ends with its pass (`reconcile --once`, `diff`): the listings a
/// pass would free at its end (tens of thousands of JSON objects: an eighth of a no-op pass's CPU at
/// 10,000 objects x 3 members) are left to the exit, which frees them at no cost.
pub fn exit_after_pass() {
    EXITS_AFTER_PASS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Frees a large value (a pass's listings: tens of thousands of JSON objects) on another thread, so the
/// pass ends without waiting for the allocator; or not at all when the process is about to exit.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    if EXITS_AFTER_PASS.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    std::thread::spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_is_rfc3339_utc_in_whole_seconds() {
        let now = super::now_rfc3339();
        let re = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").unwrap();
        assert!(re.is_match(&now), "{now}");
    }
}
