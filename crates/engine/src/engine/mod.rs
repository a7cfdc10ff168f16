//! The propagation engine: placement, overrides, desired objects, per-cluster actions, status, versions,
//! cluster health (pure), and the parts that talk to clusters: member clients and probes, the per-object
//! reconcile, replica scheduling preferences, the `--once` runner and the `--watch` driver.

pub mod actions;
pub mod cache;
pub mod clusters;
pub mod controller;
pub mod deletions;
pub mod desired;
pub mod dns;
pub mod error;
pub mod health;
pub mod matching;
pub mod permissions;
pub mod reconcile;
pub mod runner;
pub mod scheduling;
pub mod status;
pub mod timeout;
pub mod watch;

// The pure parts that live in the core crate, under the paths the engine has always used.
pub use kubefedctl_core::{overrides, placement, versions};

/// The current time as Kubernetes writes it in conditions: RFC 3339, UTC, whole seconds.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Frees a large value (a pass's listings: tens of thousands of JSON objects) on another thread, so the
/// pass ends without waiting for the allocator.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
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
