//! Cluster health: the KubeFedCluster status KubeFed writes for a `/healthz` probe result, and the
//! debounce that keeps one flapping probe from flipping a cluster's readiness.

use serde_json::{json, Map, Value};

/// The outcome of probing a member cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeResult {
    /// `/healthz` answered `ok` (case-insensitive); `git_version` from `/version` when it could be read.
    Ok { git_version: Option<String> },
    /// `/healthz` answered something else.
    NotOk,
    /// The request failed (connection, TLS, timeout); the text is the transport error, free of credentials.
    Unreachable(String),
    /// No client could be built (missing secret/token, unparsable endpoint or CA).
    ConfigMalformed(super::error::MalformedConfig),
}

pub const READY_REASON: &str = "ClusterReady";
pub const READY_MESSAGE: &str = "/healthz responded with ok";
pub const NOT_READY_REASON: &str = "ClusterNotReady";
pub const NOT_READY_MESSAGE: &str = "/healthz responded without ok";
pub const NOT_REACHABLE_REASON: &str = "ClusterNotReachable";
pub const NOT_REACHABLE_MESSAGE: &str = "cluster is not reachable";
pub const REACHABLE_REASON: &str = "ClusterReachable";
pub const REACHABLE_MESSAGE: &str = "cluster is reachable";
pub const CONFIG_MALFORMED_REASON: &str = "ClusterConfigMalformed";
pub const CONFIG_MALFORMED_MESSAGE: &str = "cluster's configuration may be malformed";
/// Reason of the Warning event recorded on the KubeFedCluster when its configuration is malformed.
pub const MALFORMED_EVENT_REASON: &str = "MalformedClusterConfig";

fn condition(kind: &str, status: &str, reason: &str, message: &str, now: &str) -> Value {
    json!({
        "type": kind,
        "status": status,
        "lastProbeTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    })
}

/// The status a single probe yields, before debouncing, with every timestamp set to `now`.
pub fn probe_status(result: &ProbeResult, now: &str) -> Value {
    let mut status = Map::new();
    let conditions = match result {
        ProbeResult::Ok { git_version } => {
            if let Some(v) = git_version {
                status.insert("kubernetesVersion".into(), json!(v));
            }
            vec![condition("Ready", "True", READY_REASON, READY_MESSAGE, now)]
        }
        ProbeResult::NotOk => vec![
            condition("Ready", "False", NOT_READY_REASON, NOT_READY_MESSAGE, now),
            condition("Offline", "False", REACHABLE_REASON, REACHABLE_MESSAGE, now),
        ],
        ProbeResult::Unreachable(err) => vec![condition(
            "Offline",
            "True",
            NOT_REACHABLE_REASON,
            &format!("{NOT_REACHABLE_MESSAGE}: {err}"),
            now,
        )],
        ProbeResult::ConfigMalformed(_) => vec![condition(
            "ConfigMalformed",
            "True",
            CONFIG_MALFORMED_REASON,
            CONFIG_MALFORMED_MESSAGE,
            now,
        )],
    };
    status.insert("conditions".into(), Value::Array(conditions));
    Value::Object(status)
}

/// Whether a KubeFedCluster status has a `Ready` condition with status `True`.
pub fn is_ready(status: &Value) -> bool {
    status
        .get("conditions")
        .and_then(Value::as_array)
        .is_some_and(|conds| {
            conds.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("Ready")
                    && c.get("status").and_then(Value::as_str) == Some("True")
            })
        })
}

fn set_on_all_conditions(status: &mut Value, key: &str, value: &Value) {
    if let Some(conds) = status.get_mut("conditions").and_then(Value::as_array_mut) {
        for c in conds {
            if let Some(obj) = c.as_object_mut() {
                obj.insert(key.into(), value.clone());
            }
        }
    }
}

fn first_condition_field(status: &Value, key: &str) -> Option<Value> {
    status.pointer(&format!("/conditions/0/{key}")).cloned()
}

/// One-shot status for a probe when no debounce state survives between runs (e.g. `reconcile --once`): the
/// probe's status, keeping `lastTransitionTime` from `previous` (the KubeFedCluster's current status) when
/// readiness did not change.
pub fn conditions_for(result: &ProbeResult, now: &str, previous: Option<&Value>) -> Value {
    let mut status = probe_status(result, now);
    if let Some(prev) = previous {
        if is_ready(prev) == is_ready(&status) {
            if let Some(t) = first_condition_field(prev, "lastTransitionTime") {
                set_on_all_conditions(&mut status, "lastTransitionTime", &t);
            }
        }
    }
    status
}

/// `clusterHealthCheck` thresholds of the KubeFedConfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Consecutive probes needed to publish not-ready (default 3).
    pub failure: i64,
    /// Consecutive probes needed to publish ready (default 1).
    pub success: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            failure: 3,
            success: 1,
        }
    }
}

/// Per-cluster debounce state, kept in memory across probes exactly as KubeFed's cluster controller keeps it:
/// the last published status and a run counter.
///
/// The counter counts probes since the published readiness last changed (suppressed probes included), so a
/// readiness change is held back only while that count is below the threshold of the *new* outcome; after a
/// long stable run a single differing probe is published at once. This is KubeFed v0.10's behaviour, kept for
/// compatibility.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Debounce {
    published: Option<Value>,
    result_run: i64,
}

impl Debounce {
    pub fn new() -> Self {
        Self::default()
    }

    /// Resumes from a known published status and run counter.
    pub fn resume(published: Value, result_run: i64) -> Self {
        Debounce {
            published: Some(published),
            result_run,
        }
    }

    pub fn published(&self) -> Option<&Value> {
        self.published.as_ref()
    }

    pub fn result_run(&self) -> i64 {
        self.result_run
    }

    /// Folds a fresh probe status (from [`probe_status`]) into the state and returns the status to publish.
    pub fn observe(&mut self, fresh: Value, thresholds: Thresholds) -> Value {
        let Some(published) = self.published.take() else {
            self.result_run = 1;
            self.published = Some(fresh.clone());
            return fresh;
        };
        let threshold = if is_ready(&fresh) {
            thresholds.success
        } else {
            thresholds.failure
        };
        let out = if self.result_run < threshold {
            // Below threshold: keep what was published, only the probe time moves.
            let mut kept = published.clone();
            if let Some(t) = first_condition_field(&fresh, "lastProbeTime") {
                set_on_all_conditions(&mut kept, "lastProbeTime", &t);
            }
            kept
        } else {
            let mut fresh = fresh;
            if is_ready(&fresh) == is_ready(&published) {
                if let Some(t) = first_condition_field(&published, "lastTransitionTime") {
                    set_on_all_conditions(&mut fresh, "lastTransitionTime", &t);
                }
            }
            fresh
        };
        if is_ready(&out) == is_ready(&published) {
            self.result_run += 1;
        } else {
            self.result_run = 1;
        }
        self.published = Some(out.clone());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T1: &str = "2024-01-01T00:00:01Z";
    const T2: &str = "2024-01-01T00:00:02Z";
    const T3: &str = "2024-01-01T00:00:03Z";
    const T4: &str = "2024-01-01T00:00:04Z";

    fn ok() -> ProbeResult {
        ProbeResult::Ok {
            git_version: Some("v1.33.0".into()),
        }
    }

    /// A published status as KubeFed's unit tests build it: one Ready condition.
    fn published(status: &str, probe: &str, transition: &str) -> Value {
        json!({"conditions": [{"type": "Ready", "status": status, "lastProbeTime": probe, "lastTransitionTime": transition}]})
    }

    #[test]
    fn healthy_probe_is_ready_with_version() {
        assert_eq!(
            probe_status(&ok(), T1),
            json!({
            "kubernetesVersion": "v1.33.0",
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": T1, "lastTransitionTime": T1,
                "reason": "ClusterReady", "message": "/healthz responded with ok"}]})
        );
    }

    #[test]
    fn not_ok_probe_is_not_ready_but_reachable() {
        assert_eq!(
            probe_status(&ProbeResult::NotOk, T1)["conditions"],
            json!([
            {"type": "Ready", "status": "False", "lastProbeTime": T1, "lastTransitionTime": T1,
                "reason": "ClusterNotReady", "message": "/healthz responded without ok"},
            {"type": "Offline", "status": "False", "lastProbeTime": T1, "lastTransitionTime": T1,
                "reason": "ClusterReachable", "message": "cluster is reachable"}])
        );
    }

    #[test]
    fn unreachable_cluster_is_offline_without_ready_condition() {
        let st = probe_status(&ProbeResult::Unreachable("connection refused".into()), T1);
        assert_eq!(
            st["conditions"],
            json!([{"type": "Offline", "status": "True", "lastProbeTime": T1,
            "lastTransitionTime": T1, "reason": "ClusterNotReachable",
            "message": "cluster is not reachable: connection refused"}])
        );
        assert!(!is_ready(&st));
        assert!(st.get("kubernetesVersion").is_none());
    }

    #[test]
    fn malformed_config_gets_its_own_condition() {
        let st = probe_status(
            &ProbeResult::ConfigMalformed(crate::engine::error::MalformedConfig::NoToken {
                namespace: "ns".into(),
                name: "s".into(),
            }),
            T1,
        );
        assert_eq!(st["conditions"][0]["type"], "ConfigMalformed");
        assert_eq!(st["conditions"][0]["reason"], "ClusterConfigMalformed");
        assert_eq!(
            st["conditions"][0]["message"],
            "cluster's configuration may be malformed"
        );
    }

    #[test]
    fn first_probe_is_published_as_is_with_run_one() {
        let mut d = Debounce::new();
        let fresh = probe_status(&ProbeResult::NotOk, T1);
        assert_eq!(d.observe(fresh.clone(), Thresholds::default()), fresh);
        assert_eq!(d.result_run(), 1);
    }

    #[test]
    fn ready_at_run_two_stays_ready_on_a_failed_probe() {
        let mut d = Debounce::resume(published("True", T2, T1), 2);
        let out = d.observe(published("False", T3, T3), Thresholds::default());
        assert_eq!(out, published("True", T3, T1));
        assert_eq!(d.result_run(), 3);
    }

    #[test]
    fn ready_at_run_three_turns_not_ready_on_a_failed_probe() {
        let mut d = Debounce::resume(published("True", T3, T1), 3);
        let out = d.observe(published("False", T4, T4), Thresholds::default());
        assert_eq!(out, published("False", T4, T4));
        assert_eq!(d.result_run(), 1);
    }

    #[test]
    fn not_ready_at_run_one_turns_ready_at_once() {
        let mut d = Debounce::resume(published("False", T3, T1), 1);
        let out = d.observe(published("True", T4, T4), Thresholds::default());
        assert_eq!(out, published("True", T4, T4));
        assert_eq!(d.result_run(), 1);
    }

    #[test]
    fn same_readiness_keeps_transition_time_and_counts_up() {
        let mut d = Debounce::resume(published("True", T1, T1), 1);
        let out = d.observe(probe_status(&ok(), T2), Thresholds::default());
        assert_eq!(out["conditions"][0]["lastTransitionTime"], T1);
        assert_eq!(out["conditions"][0]["lastProbeTime"], T2);
        assert_eq!(d.result_run(), 2);
    }

    #[test]
    fn three_failures_after_a_fresh_ready_publish_not_ready() {
        let th = Thresholds::default();
        let mut d = Debounce::new();
        d.observe(probe_status(&ok(), T1), th);
        assert!(is_ready(
            &d.observe(probe_status(&ProbeResult::NotOk, T2), th)
        ));
        assert!(is_ready(
            &d.observe(probe_status(&ProbeResult::NotOk, T3), th)
        ));
        let out = d.observe(probe_status(&ProbeResult::NotOk, T4), th);
        assert!(!is_ready(&out));
        assert_eq!(out["conditions"][0]["lastTransitionTime"], T4);
    }

    #[test]
    fn one_shot_keeps_transition_time_only_when_readiness_is_unchanged() {
        let prev = probe_status(&ok(), T1);
        let same = conditions_for(&ok(), T2, Some(&prev));
        assert_eq!(same["conditions"][0]["lastTransitionTime"], T1);
        assert_eq!(same["conditions"][0]["lastProbeTime"], T2);
        let flipped = conditions_for(&ProbeResult::NotOk, T2, Some(&prev));
        assert_eq!(flipped["conditions"][0]["lastTransitionTime"], T2);
        assert_eq!(flipped["conditions"][1]["lastTransitionTime"], T2);
        assert_eq!(
            conditions_for(&ok(), T2, None)["conditions"][0]["lastTransitionTime"],
            T2
        );
    }
}
