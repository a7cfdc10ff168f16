//! ReplicaSchedulingPreference planning: how many replicas each member cluster gets, and how the plan is
//! written back into a FederatedDeployment / FederatedReplicaSet (placement + `/spec/replicas` overrides).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use kubefedctl_apimachinery::validation::{join_errors, FieldError};

/// The federated kinds an RSP may target.
pub const SCHEDULABLE_KINDS: [&str; 2] = ["FederatedDeployment", "FederatedReplicaSet"];

/// The override path the scheduler owns in the federated object.
pub const REPLICAS_PATH: &str = "/spec/replicas";

/// One entry of `spec.clusters` of an RSP (the key may be a cluster name or `"*"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClusterPreferences {
    pub min_replicas: i64,
    /// `None` means unbounded.
    pub max_replicas: Option<i64>,
    pub weight: i64,
}

/// Everything the planner needs for one RSP.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchedulingInput {
    /// `namespace/name` of the RSP (and of its federated object); seeds the tie-breaking hash.
    pub key: String,
    pub total_replicas: i64,
    pub rebalance: bool,
    /// Per-cluster preferences, possibly with a `"*"` fallback. Empty means `{"*": {weight: 1}}`.
    pub preferences: BTreeMap<String, ClusterPreferences>,
    /// Candidate clusters (ready clusters, optionally narrowed by the object's clusterSelector).
    pub clusters: Vec<String>,
    /// Replicas currently running (ready) per cluster; clusters without the workload are absent.
    pub current_replicas: BTreeMap<String, i64>,
    /// Estimated capacity per cluster; clusters with no known limit are absent.
    pub capacity: BTreeMap<String, i64>,
}

/// The planner's answer: replicas that fit, plus replicas that would be nice to place on top (overflow).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub replicas: BTreeMap<String, i64>,
    pub overflow: BTreeMap<String, i64>,
}

impl Plan {
    /// The replica count to write per cluster, as KubeFed's scheduler does: every cluster currently running the
    /// workload starts at 0, then the plan, then overflow added on top.
    pub fn result(&self, current_replicas: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
        let mut result: BTreeMap<String, i64> =
            current_replicas.keys().map(|c| (c.clone(), 0)).collect();
        for (cluster, n) in &self.replicas {
            result.insert(cluster.clone(), *n);
        }
        for (cluster, n) in &self.overflow {
            *result.entry(cluster.clone()).or_insert(0) += n;
        }
        result
    }
}

/// 32-bit FNV-1 (multiply, then xor) — KubeFed's `hash/fnv.New32`, not the more common FNV-1a.
fn fnv1_32(parts: &[&[u8]]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for part in parts {
        for byte in *part {
            hash = hash.wrapping_mul(0x0100_0193);
            hash ^= u32::from(*byte);
        }
    }
    hash
}

struct Candidate {
    name: String,
    hash: u32,
    prefs: ClusterPreferences,
}

/// Distributes `total_replicas` over the candidate clusters following KubeFed's planner step by step:
/// weight-descending order with hash tie-breaks, minimums first, running replicas kept when `rebalance` is off,
/// then rounds of ceil-weighted shares clamped by maxReplicas and capacity (capacity excess becomes overflow).
pub fn plan(input: &SchedulingInput) -> Plan {
    let default_prefs;
    let preferences = if input.preferences.is_empty() {
        default_prefs = BTreeMap::from([(
            "*".to_string(),
            ClusterPreferences {
                weight: 1,
                ..Default::default()
            },
        )]);
        &default_prefs
    } else {
        &input.preferences
    };

    let mut planned: BTreeMap<String, i64> = BTreeMap::new();
    let mut overflow: BTreeMap<String, i64> = BTreeMap::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for cluster in &input.clusters {
        match preferences.get(cluster).or_else(|| preferences.get("*")) {
            Some(prefs) => candidates.push(Candidate {
                name: cluster.clone(),
                hash: fnv1_32(&[cluster.as_bytes(), input.key.as_bytes()]),
                prefs: *prefs,
            }),
            // No preference for this cluster and no wildcard: it is planned at zero and takes no part.
            None => {
                planned.insert(cluster.clone(), 0);
            }
        }
    }
    candidates.sort_by(|a, b| match b.prefs.weight.cmp(&a.prefs.weight) {
        Ordering::Equal => a.hash.cmp(&b.hash),
        other => other,
    });

    let capacity_of = |name: &str| input.capacity.get(name).copied();
    let mut remaining = input.total_replicas;

    for c in &candidates {
        let mut n = c.prefs.min_replicas.min(remaining);
        if let Some(cap) = capacity_of(&c.name) {
            n = n.min(cap);
        }
        remaining -= n;
        planned.insert(c.name.clone(), n);
    }

    // Replicas a cluster keeps because they already run there (rebalance off); consumed before new shares.
    let mut preallocated: BTreeMap<String, i64> = BTreeMap::new();
    if !input.rebalance {
        for c in &candidates {
            let already = planned[&c.name];
            let Some(&running) = input.current_replicas.get(&c.name) else {
                continue;
            };
            if running <= already {
                continue;
            }
            let mut target = running;
            if let Some(max) = c.prefs.max_replicas {
                target = target.min(max);
            }
            if let Some(cap) = capacity_of(&c.name) {
                target = target.min(cap);
            }
            let extra = (target - already).min(remaining).max(0);
            remaining -= extra;
            preallocated.insert(c.name.clone(), extra);
            planned.insert(c.name.clone(), already + extra);
        }
    }

    let mut active: Vec<&Candidate> = candidates.iter().collect();
    let mut modified = true;
    while modified && remaining > 0 {
        modified = false;
        let weight_sum: i64 = active.iter().map(|c| c.prefs.weight).sum();
        if weight_sum <= 0 {
            // Only zero-weight clusters are left: nothing more is handed out.
            break;
        }
        let to_distribute = remaining;
        let mut still_open = Vec::with_capacity(active.len());
        for c in active {
            let start = planned[&c.name];
            let share = (to_distribute * c.prefs.weight + weight_sum - 1) / weight_sum;
            let mut extra = share.min(remaining);

            let prealloc = preallocated.get(&c.name).copied().unwrap_or(0);
            let used = extra.min(prealloc);
            preallocated.insert(c.name.clone(), prealloc - used);
            extra -= used;
            if used > 0 {
                modified = true;
            }

            let mut total = start + extra;
            let mut full = false;
            if let Some(max) = c.prefs.max_replicas {
                if total > max {
                    total = max;
                    full = true;
                }
            }
            if let Some(cap) = capacity_of(&c.name) {
                if total > cap {
                    overflow.insert(c.name.clone(), total - cap);
                    total = cap;
                    full = true;
                }
            }
            if !full {
                still_open.push(c);
            }
            remaining -= total - start;
            planned.insert(c.name.clone(), total);
            if total > start {
                modified = true;
            }
        }
        active = still_open;
    }

    if !input.rebalance {
        // Without rebalancing, overflow only asks for replicas that found no place at all.
        overflow = overflow
            .into_iter()
            .map(|(k, v)| (k, v.min(remaining)))
            .filter(|(_, v)| *v > 0)
            .collect();
    }
    Plan {
        replicas: planned,
        overflow,
    }
}

/// The per-cluster replica counts to write for an input: [`plan`] then [`Plan::result`].
pub fn schedule(input: &SchedulingInput) -> BTreeMap<String, i64> {
    plan(input).result(&input.current_replicas)
}

/// The parsed `spec` of a ReplicaSchedulingPreference.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RspSpec {
    pub target_kind: String,
    pub total_replicas: i64,
    pub rebalance: bool,
    pub intersect_with_cluster_selector: bool,
    pub preferences: BTreeMap<String, ClusterPreferences>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("ReplicaSchedulingPreference {name:?} is invalid: {}", join_errors(.errors))]
pub struct RspError {
    pub name: String,
    pub errors: Vec<FieldError>,
}

fn int_field(
    obj: &Map<String, Value>,
    key: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if n >= 0 => Some(n),
            _ => {
                errors.push(FieldError::invalid(
                    field,
                    v,
                    "must be a non-negative integer",
                ));
                None
            }
        },
    }
}

fn bool_field(
    obj: &Map<String, Value>,
    key: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> bool {
    match obj.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            errors.push(FieldError::invalid(field, v, "must be true or false"));
            false
        }
    }
}

/// Reads an RSP object, reporting every invalid field at once (`spec.clusters["c1"].maxReplicas`-style paths).
pub fn parse_rsp(rsp: &Value) -> Result<RspSpec, RspError> {
    let name = rsp
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut errors = Vec::new();
    let empty = Map::new();
    let spec = match rsp.get("spec") {
        Some(Value::Object(m)) => m,
        Some(v) if !v.is_null() => {
            errors.push(FieldError::invalid("spec", v, "must be an object"));
            &empty
        }
        _ => {
            errors.push(FieldError::required("spec", ""));
            &empty
        }
    };
    let mut out = RspSpec::default();
    match spec.get("targetKind") {
        Some(Value::String(k)) if SCHEDULABLE_KINDS.contains(&k.as_str()) => {
            out.target_kind = k.clone()
        }
        Some(v) if !v.is_null() => errors.push(FieldError::not_supported(
            "spec.targetKind",
            v,
            &SCHEDULABLE_KINDS,
        )),
        _ if !spec.is_empty() || errors.is_empty() => errors.push(FieldError::required(
            "spec.targetKind",
            "set it to FederatedDeployment or FederatedReplicaSet",
        )),
        _ => {}
    }
    out.total_replicas =
        int_field(spec, "totalReplicas", "spec.totalReplicas", &mut errors).unwrap_or(0);
    out.rebalance = bool_field(spec, "rebalance", "spec.rebalance", &mut errors);
    out.intersect_with_cluster_selector = bool_field(
        spec,
        "intersectWithClusterSelector",
        "spec.intersectWithClusterSelector",
        &mut errors,
    );
    match spec.get("clusters") {
        None | Some(Value::Null) => {}
        Some(Value::Object(clusters)) => {
            for (cluster, prefs) in clusters {
                let base = format!("spec.clusters[{cluster:?}]");
                let Some(p) = prefs.as_object() else {
                    errors.push(FieldError::invalid(&base, prefs, "must be an object"));
                    continue;
                };
                let min = int_field(
                    p,
                    "minReplicas",
                    &format!("{base}.minReplicas"),
                    &mut errors,
                )
                .unwrap_or(0);
                let max = int_field(
                    p,
                    "maxReplicas",
                    &format!("{base}.maxReplicas"),
                    &mut errors,
                );
                let weight =
                    int_field(p, "weight", &format!("{base}.weight"), &mut errors).unwrap_or(0);
                if let Some(m) = max {
                    if m < min {
                        errors.push(FieldError::invalid(
                            format!("{base}.maxReplicas"),
                            &json!(m),
                            "must be greater than or equal to minReplicas",
                        ));
                    }
                }
                out.preferences.insert(
                    cluster.clone(),
                    ClusterPreferences {
                        min_replicas: min,
                        max_replicas: max,
                        weight,
                    },
                );
            }
        }
        Some(v) => errors.push(FieldError::invalid(
            "spec.clusters",
            v,
            "must be a map of cluster name (or \"*\") to preferences",
        )),
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(RspError { name, errors })
    }
}

fn placement_cluster_names(fed: &Value) -> Option<Vec<String>> {
    fed.pointer("/spec/placement/clusters")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
}

/// Rewrites a FederatedDeployment/FederatedReplicaSet for a scheduling result (see [`Plan::result`]):
/// `spec.placement.clusters` lists every cluster of the result, zeros included (replaced only when the set of
/// names changed, so an unchanged set keeps the user's order); each cluster of the result gets a
/// `/spec/replicas` override with its count; clusters no longer in the result lose that override (and their
/// override entry if nothing else is left in it); all other overrides are kept as they are.
/// Returns a value equal to `fed` when it already reflects the result, so callers can skip the write.
pub fn apply_plan(fed: &Value, result: &BTreeMap<String, i64>) -> Value {
    let mut out = fed.clone();
    if !out.is_object() {
        return out;
    }
    let root = out.as_object_mut().expect("checked above");
    let spec = root
        .entry("spec")
        .or_insert_with(|| Value::Object(Map::new()));
    if !spec.is_object() {
        *spec = Value::Object(Map::new());
    }
    let spec = spec.as_object_mut().expect("just made an object");

    let wanted: BTreeSet<&String> = result.keys().collect();
    let current: Option<BTreeSet<String>> =
        placement_cluster_names(fed).map(|v| v.into_iter().collect());
    let unchanged = current
        .as_ref()
        .is_some_and(|c| c.iter().collect::<BTreeSet<_>>() == wanted);
    if !unchanged {
        let placement = spec
            .entry("placement")
            .or_insert_with(|| Value::Object(Map::new()));
        if !placement.is_object() {
            *placement = Value::Object(Map::new());
        }
        placement.as_object_mut().expect("object").insert(
            "clusters".to_string(),
            Value::Array(wanted.iter().map(|n| json!({ "name": n })).collect()),
        );
    }

    let mut overrides: Vec<Value> = match spec.get("overrides") {
        Some(Value::Array(list)) => list.clone(),
        _ => Vec::new(),
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut kept = Vec::with_capacity(overrides.len());
    for mut entry in overrides.drain(..) {
        let Some(cluster) = entry
            .get("clusterName")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            kept.push(entry);
            continue;
        };
        let ops: Vec<Value> = entry
            .get("clusterOverrides")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let is_replicas =
            |op: &Value| op.get("path").and_then(Value::as_str) == Some(REPLICAS_PATH);
        let had_replicas = ops.iter().any(is_replicas);
        let new_ops: Vec<Value> = match result.get(&cluster) {
            Some(n) if !seen.contains(&cluster) => {
                seen.insert(cluster.clone());
                let wanted_op = json!({ "path": REPLICAS_PATH, "value": n });
                if had_replicas {
                    ops.into_iter()
                        .map(|op| {
                            if is_replicas(&op) && !replicas_override_matches(&op, *n) {
                                wanted_op.clone()
                            } else {
                                op
                            }
                        })
                        .collect()
                } else {
                    let mut ops = ops;
                    ops.push(wanted_op);
                    ops
                }
            }
            _ => {
                if !had_replicas {
                    kept.push(entry);
                    continue;
                }
                let rest: Vec<Value> = ops.into_iter().filter(|op| !is_replicas(op)).collect();
                if rest.is_empty() {
                    continue;
                }
                rest
            }
        };
        if let Some(obj) = entry.as_object_mut() {
            obj.insert("clusterOverrides".to_string(), Value::Array(new_ops));
        }
        kept.push(entry);
    }
    for (cluster, n) in result {
        if !seen.contains(cluster) {
            kept.push(json!({
                "clusterName": cluster,
                "clusterOverrides": [{ "path": REPLICAS_PATH, "value": n }],
            }));
        }
    }
    if !kept.is_empty() || spec.contains_key("overrides") {
        spec.insert("overrides".to_string(), Value::Array(kept));
    }
    out
}

/// Whether an existing `/spec/replicas` override already sets `n` (an `op: remove` never does).
fn replicas_override_matches(op: &Value, n: i64) -> bool {
    let op_name = op.get("op").and_then(Value::as_str).unwrap_or("replace");
    op_name != "remove" && op.get("value").and_then(Value::as_i64) == Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(entries: &[(&str, i64, Option<i64>, i64)]) -> BTreeMap<String, ClusterPreferences> {
        entries
            .iter()
            .map(|(name, min, max, weight)| {
                (
                    name.to_string(),
                    ClusterPreferences {
                        min_replicas: *min,
                        max_replicas: *max,
                        weight: *weight,
                    },
                )
            })
            .collect()
    }

    fn counts(entries: &[(&str, i64)]) -> BTreeMap<String, i64> {
        entries.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn clusters(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn input(
        p: BTreeMap<String, ClusterPreferences>,
        total: i64,
        names: &[&str],
    ) -> SchedulingInput {
        SchedulingInput {
            key: String::new(),
            total_replicas: total,
            rebalance: false,
            preferences: p,
            clusters: clusters(names),
            ..Default::default()
        }
    }

    fn check(
        p: BTreeMap<String, ClusterPreferences>,
        total: i64,
        names: &[&str],
        want: &[(&str, i64)],
    ) {
        let got = plan(&input(p, total, names));
        assert_eq!(got.replicas, counts(want));
        assert!(
            got.overflow.is_empty(),
            "unexpected overflow {:?}",
            got.overflow
        );
    }

    fn check_existing(
        p: BTreeMap<String, ClusterPreferences>,
        total: i64,
        names: &[&str],
        existing: &[(&str, i64)],
        want: &[(&str, i64)],
    ) {
        let mut i = input(p, total, names);
        i.current_replicas = counts(existing);
        let got = plan(&i);
        assert_eq!(got.replicas, counts(want), "existing {existing:?}");
        assert!(got.overflow.is_empty());
    }

    #[allow(clippy::too_many_arguments)]
    fn check_capacity(
        rebalance: bool,
        p: BTreeMap<String, ClusterPreferences>,
        total: i64,
        names: &[&str],
        existing: &[(&str, i64)],
        capacity: &[(&str, i64)],
        want: &[(&str, i64)],
        want_overflow: &[(&str, i64)],
    ) {
        let mut i = input(p, total, names);
        i.rebalance = rebalance;
        i.current_replicas = counts(existing);
        i.capacity = counts(capacity);
        let got = plan(&i);
        assert_eq!(got.replicas, counts(want));
        assert_eq!(got.overflow, counts(want_overflow));
    }

    #[test]
    fn fnv1_matches_the_reference_vectors() {
        assert_eq!(fnv1_32(&[b""]), 0x811c9dc5);
        assert_eq!(fnv1_32(&[b"a"]), 0x050c5d7e);
        assert_eq!(fnv1_32(&[b"foobar"]), 0x31f0b262);
        assert_eq!(fnv1_32(&[b"foo", b"bar"]), fnv1_32(&[b"foobar"]));
    }

    #[test]
    fn equal_weights_split_evenly_with_hash_ordered_remainders() {
        let star = prefs(&[("*", 0, None, 1)]);
        check(
            star.clone(),
            50,
            &["A", "B", "C"],
            &[("A", 16), ("B", 17), ("C", 17)],
        );
        check(star.clone(), 50, &["A", "B"], &[("A", 25), ("B", 25)]);
        check(star.clone(), 1, &["A", "B"], &[("A", 0), ("B", 1)]);
        check(
            star.clone(),
            1,
            &["A", "B", "C", "D"],
            &[("A", 0), ("B", 0), ("C", 0), ("D", 1)],
        );
        check(star.clone(), 1, &["A"], &[("A", 1)]);
        check(star, 1, &[], &[]);
    }

    #[test]
    fn running_replicas_are_kept_when_rebalance_is_off() {
        let star = prefs(&[("*", 0, None, 1)]);
        let ab = ["A", "B"];
        check_existing(
            star.clone(),
            50,
            &["A", "B", "C"],
            &[("C", 30)],
            &[("A", 10), ("B", 10), ("C", 30)],
        );
        check_existing(star.clone(), 50, &ab, &[("A", 30)], &[("A", 30), ("B", 20)]);
        for a in [0, 1, 4, 5, 6, 7] {
            check_existing(
                star.clone(),
                15,
                &ab,
                &[("A", a), ("B", 8)],
                &[("A", 7), ("B", 8)],
            );
        }
        check_existing(
            star.clone(),
            500000,
            &ab,
            &[("A", 300000)],
            &[("A", 300000), ("B", 200000)],
        );
        check_existing(star.clone(), 50, &ab, &[("A", 10)], &[("A", 25), ("B", 25)]);
        check_existing(
            star.clone(),
            50,
            &ab,
            &[("A", 10), ("B", 70)],
            &[("A", 0), ("B", 50)],
        );
        check_existing(star.clone(), 1, &ab, &[("A", 30)], &[("A", 1), ("B", 0)]);
        check_existing(
            star,
            50,
            &ab,
            &[("A", 10), ("B", 20)],
            &[("A", 25), ("B", 25)],
        );
    }

    #[test]
    fn capacity_caps_a_cluster_and_records_overflow() {
        let star = prefs(&[("*", 0, None, 1)]);
        check_capacity(
            true,
            star,
            50,
            &["A", "B", "C"],
            &[],
            &[("C", 10)],
            &[("A", 20), ("B", 20), ("C", 10)],
            &[("C", 7)],
        );
        check_capacity(
            true,
            prefs(&[("A", 0, None, 10000), ("B", 0, None, 1)]),
            50,
            &["B", "C"],
            &[],
            &[("B", 10)],
            &[("B", 10), ("C", 0)],
            &[("B", 40)],
        );
        check_capacity(
            true,
            prefs(&[("A", 0, None, 1), ("B", 0, None, 2)]),
            60,
            &["A", "B", "C"],
            &[],
            &[("B", 10)],
            &[("A", 50), ("B", 10), ("C", 0)],
            &[("B", 30)],
        );
        check_capacity(
            true,
            prefs(&[
                ("A", 0, Some(10), 10000),
                ("B", 0, None, 1),
                ("C", 0, Some(21), 1),
                ("D", 0, Some(10), 1),
            ]),
            71,
            &["A", "B", "C", "D"],
            &[],
            &[("C", 10)],
            &[("A", 10), ("B", 41), ("C", 10), ("D", 10)],
            &[("C", 11)],
        );
        check_capacity(
            true,
            prefs(&[("*", 20, None, 1)]),
            60,
            &["A", "B"],
            &[],
            &[("B", 10)],
            &[("A", 50), ("B", 10)],
            &[("B", 15)],
        );
    }

    #[test]
    fn overflow_is_trimmed_to_unplaced_replicas_without_rebalance() {
        check_capacity(
            false,
            prefs(&[("A", 0, None, 1), ("B", 0, None, 1)]),
            60,
            &["A", "B", "C"],
            &[],
            &[("A", 10), ("B", 10)],
            &[("A", 10), ("B", 10), ("C", 0)],
            &[("A", 20), ("B", 20)],
        );
        check_capacity(
            false,
            prefs(&[("A", 0, None, 1), ("B", 0, None, 5)]),
            60,
            &["A", "B", "C"],
            &[],
            &[("B", 10)],
            &[("A", 50), ("B", 10), ("C", 0)],
            &[],
        );
        check_capacity(
            false,
            prefs(&[("*", 20, None, 0)]),
            50,
            &["A", "B", "C"],
            &[],
            &[("B", 10)],
            &[("A", 20), ("B", 10), ("C", 20)],
            &[],
        );
    }

    #[test]
    fn minimums_are_served_first_in_weight_then_hash_order() {
        check(
            prefs(&[("*", 2, None, 0)]),
            50,
            &["A", "B", "C"],
            &[("A", 2), ("B", 2), ("C", 2)],
        );
        check(
            prefs(&[("*", 20, None, 0)]),
            50,
            &["A", "B", "C"],
            &[("A", 10), ("B", 20), ("C", 20)],
        );
        check(
            prefs(&[("*", 20, None, 0), ("A", 100, None, 1)]),
            50,
            &["A", "B", "C"],
            &[("A", 50), ("B", 0), ("C", 0)],
        );
        check(
            prefs(&[("*", 10, Some(12), 1)]),
            50,
            &["A", "B", "C"],
            &[("A", 12), ("B", 12), ("C", 12)],
        );
    }

    #[test]
    fn max_replicas_caps_and_zero_weight_gets_nothing_beyond_min() {
        check(
            prefs(&[("*", 0, Some(2), 1)]),
            50,
            &["A", "B", "C"],
            &[("A", 2), ("B", 2), ("C", 2)],
        );
        check(
            prefs(&[("*", 0, Some(2), 0)]),
            50,
            &["A", "B", "C"],
            &[("A", 0), ("B", 0), ("C", 0)],
        );
    }

    #[test]
    fn weights_split_proportionally_and_spill_past_caps() {
        check(
            prefs(&[("A", 0, None, 1), ("B", 0, None, 2)]),
            60,
            &["A", "B", "C"],
            &[("A", 20), ("B", 40), ("C", 0)],
        );
        check(
            prefs(&[("A", 0, None, 10000), ("B", 0, None, 1)]),
            50,
            &["A", "B", "C"],
            &[("A", 50), ("B", 0), ("C", 0)],
        );
        check(
            prefs(&[("A", 0, None, 10000), ("B", 0, None, 1)]),
            50,
            &["B", "C"],
            &[("B", 50), ("C", 0)],
        );
        check(
            prefs(&[
                ("A", 0, Some(10), 10000),
                ("B", 0, None, 1),
                ("C", 0, None, 1),
            ]),
            50,
            &["A", "B", "C"],
            &[("A", 10), ("B", 20), ("C", 20)],
        );
        check(
            prefs(&[
                ("A", 0, Some(10), 10000),
                ("B", 0, None, 1),
                ("C", 0, Some(10), 1),
            ]),
            50,
            &["A", "B", "C"],
            &[("A", 10), ("B", 30), ("C", 10)],
        );
        check(
            prefs(&[
                ("A", 0, Some(10), 10000),
                ("B", 0, None, 1),
                ("C", 0, Some(21), 1),
                ("D", 0, Some(10), 1),
            ]),
            71,
            &["A", "B", "C", "D"],
            &[("A", 10), ("B", 30), ("C", 21), ("D", 10)],
        );
        check(
            prefs(&[
                ("A", 0, Some(10), 10000),
                ("B", 0, None, 1),
                ("C", 0, Some(21), 1),
                ("D", 0, Some(10), 1),
                ("E", 0, None, 1),
            ]),
            91,
            &["A", "B", "C", "D", "E"],
            &[("A", 10), ("B", 25), ("C", 21), ("D", 10), ("E", 25)],
        );
    }

    #[test]
    fn documented_examples_of_the_user_guide_hold() {
        let abc = ["A", "B", "C"];
        check(
            prefs(&[("*", 0, None, 1)]),
            9,
            &abc,
            &[("A", 3), ("B", 3), ("C", 3)],
        );
        check(
            prefs(&[("A", 0, None, 1), ("B", 0, None, 2)]),
            9,
            &abc,
            &[("A", 3), ("B", 6), ("C", 0)],
        );
        check(
            prefs(&[("A", 4, Some(6), 1), ("B", 4, Some(8), 2)]),
            9,
            &abc,
            &[("A", 4), ("B", 5), ("C", 0)],
        );
        let capped = prefs(&[("*", 0, None, 1), ("C", 0, Some(20), 1)]);
        check(capped.clone(), 50, &abc, &[("A", 16), ("B", 17), ("C", 17)]);
        check(capped, 50, &["A", "C"], &[("A", 30), ("C", 20)]);
    }

    #[test]
    fn two_cluster_e2e_expectations_hold_for_any_object_key() {
        for key in ["default/web", "prod/api", "ns/x"] {
            let run = |p, total| {
                let mut i = input(p, total, &["c1", "c2"]);
                i.key = key.to_string();
                plan(&i).replicas
            };
            assert_eq!(run(BTreeMap::new(), 4), counts(&[("c1", 2), ("c2", 2)]));
            assert_eq!(
                run(prefs(&[("c1", 0, None, 2), ("c2", 0, None, 1)]), 6),
                counts(&[("c1", 4), ("c2", 2)])
            );
            assert_eq!(
                run(prefs(&[("c1", 3, None, 2), ("c2", 3, None, 1)]), 6),
                counts(&[("c1", 3), ("c2", 3)])
            );
        }
    }

    #[test]
    fn clusters_without_preference_or_wildcard_get_zero() {
        check(
            prefs(&[("A", 0, None, 1)]),
            5,
            &["A", "B"],
            &[("A", 5), ("B", 0)],
        );
    }

    #[test]
    fn more_clusters_than_replicas_leaves_some_at_zero() {
        let got = plan(&input(
            prefs(&[("*", 0, None, 1)]),
            2,
            &["A", "B", "C", "D", "E"],
        ));
        assert_eq!(got.replicas.values().sum::<i64>(), 2);
        assert_eq!(got.replicas.len(), 5);
        assert!(got.replicas.values().all(|n| *n <= 1));
    }

    #[test]
    fn all_zero_weights_place_only_the_minimums() {
        let got = plan(&input(
            prefs(&[("A", 2, None, 0), ("B", 0, None, 0)]),
            10,
            &["A", "B"],
        ));
        assert_eq!(got.replicas, counts(&[("A", 2), ("B", 0)]));
        assert!(got.overflow.is_empty());
    }

    #[test]
    fn zero_total_places_nothing_even_with_minimums() {
        let got = plan(&input(prefs(&[("*", 3, None, 1)]), 0, &["A", "B"]));
        assert_eq!(got.replicas, counts(&[("A", 0), ("B", 0)]));
    }

    #[test]
    fn replicas_beyond_every_max_are_left_unplaced() {
        let got = plan(&input(
            prefs(&[("A", 0, Some(2), 1), ("B", 0, Some(3), 1)]),
            10,
            &["A", "B"],
        ));
        assert_eq!(got.replicas, counts(&[("A", 2), ("B", 3)]));
        assert!(got.overflow.is_empty());
    }

    #[test]
    fn tie_break_depends_on_the_object_key() {
        let mut winners = BTreeSet::new();
        for key in ["a/1", "a/2", "a/3", "b/1", "b/2", "c/9", "x/y", "p/q"] {
            let mut i = input(prefs(&[("*", 0, None, 1)]), 1, &["A", "B", "C"]);
            i.key = key.to_string();
            let got = plan(&i).replicas;
            winners.insert(got.iter().find(|(_, n)| **n == 1).unwrap().0.clone());
        }
        assert!(winners.len() > 1, "one replica always went to {winners:?}");
    }

    #[test]
    fn result_adds_overflow_and_zeroes_running_unplanned_clusters() {
        let p = Plan {
            replicas: counts(&[("A", 3), ("B", 2)]),
            overflow: counts(&[("B", 4)]),
        };
        let r = p.result(&counts(&[("old", 5), ("A", 1)]));
        assert_eq!(r, counts(&[("A", 3), ("B", 6), ("old", 0)]));
    }

    #[test]
    fn parse_rsp_reads_spec_and_reports_bad_fields() {
        let rsp = json!({"metadata": {"name": "web"}, "spec": {"targetKind": "FederatedDeployment",
            "totalReplicas": 9, "rebalance": true, "clusters": {"*": {"weight": 1}, "c": {"minReplicas": 1, "maxReplicas": 3, "weight": 2}}}});
        let spec = parse_rsp(&rsp).unwrap();
        assert_eq!(spec.total_replicas, 9);
        assert!(spec.rebalance);
        assert!(!spec.intersect_with_cluster_selector);
        assert_eq!(
            spec.preferences["c"],
            ClusterPreferences {
                min_replicas: 1,
                max_replicas: Some(3),
                weight: 2
            }
        );

        let bad = json!({"metadata": {"name": "web"}, "spec": {"targetKind": "FederatedJob", "totalReplicas": -1,
            "clusters": {"c": {"minReplicas": 5, "maxReplicas": 3}}}});
        let err = parse_rsp(&bad).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("spec.targetKind: Unsupported value: \"FederatedJob\""),
            "{text}"
        );
        assert!(
            text.contains("spec.totalReplicas: Invalid value: -1"),
            "{text}"
        );
        assert!(text.contains("spec.clusters[\"c\"].maxReplicas"), "{text}");
    }

    fn fed_with(placement: Value, overrides: Value) -> Value {
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedDeployment",
            "metadata": {"name": "web", "namespace": "prod"},
            "spec": {"template": {"spec": {"replicas": 1}}, "placement": placement, "overrides": overrides}})
    }

    #[test]
    fn apply_plan_places_every_cluster_including_zeroes_and_sets_replica_overrides() {
        let fed = fed_with(json!({"clusterSelector": {}}), json!([]));
        let out = apply_plan(&fed, &counts(&[("c1", 3), ("c2", 0)]));
        assert_eq!(
            out["spec"]["placement"]["clusters"],
            json!([{"name": "c1"}, {"name": "c2"}])
        );
        assert_eq!(
            out["spec"]["overrides"],
            json!([
                {"clusterName": "c1", "clusterOverrides": [{"path": "/spec/replicas", "value": 3}]},
                {"clusterName": "c2", "clusterOverrides": [{"path": "/spec/replicas", "value": 0}]},
            ])
        );
        assert_eq!(out["spec"]["placement"]["clusterSelector"], json!({}));
    }

    #[test]
    fn apply_plan_keeps_other_overrides_and_list_order_when_set_is_unchanged() {
        let fed = fed_with(
            json!({"clusters": [{"name": "c2"}, {"name": "c1"}]}),
            json!([
                {"clusterName": "c2", "clusterOverrides": [
                    {"path": "/metadata/labels/x", "value": "y"},
                    {"path": "/spec/replicas", "value": 1}]},
                {"clusterName": "gone", "clusterOverrides": [{"path": "/spec/replicas", "value": 7}]},
                {"clusterName": "other", "clusterOverrides": [
                    {"op": "add", "path": "/metadata/annotations", "value": {"a": "b"}},
                    {"path": "/spec/replicas", "value": 7}]},
            ]),
        );
        let out = apply_plan(&fed, &counts(&[("c1", 2), ("c2", 4)]));
        assert_eq!(
            out["spec"]["placement"]["clusters"],
            json!([{"name": "c2"}, {"name": "c1"}])
        );
        assert_eq!(
            out["spec"]["overrides"],
            json!([
                {"clusterName": "c2", "clusterOverrides": [
                    {"path": "/metadata/labels/x", "value": "y"},
                    {"path": "/spec/replicas", "value": 4}]},
                {"clusterName": "other", "clusterOverrides": [
                    {"op": "add", "path": "/metadata/annotations", "value": {"a": "b"}}]},
                {"clusterName": "c1", "clusterOverrides": [{"path": "/spec/replicas", "value": 2}]},
            ])
        );
    }

    #[test]
    fn apply_plan_is_identity_on_an_up_to_date_object() {
        let fed = fed_with(
            json!({"clusters": [{"name": "c1"}, {"name": "c2"}]}),
            json!([
                {"clusterName": "c1", "clusterOverrides": [{"op": "replace", "path": "/spec/replicas", "value": 2}]},
                {"clusterName": "c2", "clusterOverrides": [{"path": "/spec/replicas", "value": 0}]},
            ]),
        );
        assert_eq!(apply_plan(&fed, &counts(&[("c1", 2), ("c2", 0)])), fed);
    }

    #[test]
    fn apply_plan_replaces_the_list_when_the_set_changes() {
        let fed = fed_with(
            json!({"clusters": [{"name": "c1"}, {"name": "c3"}]}),
            json!(null),
        );
        let out = apply_plan(&fed, &counts(&[("c1", 1), ("c2", 1)]));
        assert_eq!(
            out["spec"]["placement"]["clusters"],
            json!([{"name": "c1"}, {"name": "c2"}])
        );
        assert_eq!(out["spec"]["overrides"].as_array().unwrap().len(), 2);
    }
}
