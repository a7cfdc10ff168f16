//! What the engine must be allowed to do in a member: the RBAC rules of the least-privilege role
//! `join --least-privilege` grants (exactly the target types of the enabled FederatedTypeConfigs,
//! plus namespaces and the health check), and the check of what a stored credential may do — one
//! SelfSubjectRulesReview per member, read before any write, so a missing permission is reported per
//! cluster and type instead of failing half-way through a pass.

use std::collections::BTreeMap;

use serde_json::{json, Value};

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// What the engine does to member objects: read and list them, watch them (`--watch`), apply
/// (server-side apply is a PATCH), replace, delete.
pub const ENGINE_VERBS: [&str; 7] = [
    "get", "list", "watch", "create", "update", "patch", "delete",
];

/// The verbs a pass checks before it writes: without them it cannot compare, create, update or delete.
pub const CHECKED_VERBS: [&str; 5] = ["get", "list", "create", "patch", "delete"];

/// A type the engine writes in members: its API group and plural.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub group: String,
    pub plural: String,
}

impl Target {
    pub fn new(group: &str, plural: &str) -> Self {
        Target {
            group: group.to_string(),
            plural: plural.to_string(),
        }
    }

    /// `deployments.apps`, `configmaps`.
    pub fn name(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

/// The rules of the least-privilege member role: every target (namespaces always, a Cluster-scoped plane
/// creates them) with [`ENGINE_VERBS`], grouped by API group, plus `get` on `/healthz` and `/version` for
/// the health probe (cluster roles only: a Role cannot name non-resource URLs).
pub fn least_privilege_rules(targets: &[Target], cluster_role: bool) -> Vec<Value> {
    let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    if cluster_role {
        by_group.entry("").or_default().push("namespaces");
    }
    for t in targets {
        by_group.entry(&t.group).or_default().push(&t.plural);
    }
    let mut rules: Vec<Value> = by_group
        .into_iter()
        .map(|(group, mut plurals)| {
            plurals.sort();
            plurals.dedup();
            let mut verbs = ENGINE_VERBS.to_vec();
            // RBAC refuses to let anyone write a role granting more than they hold, or bind a role they
            // do not hold, unless they may escalate and bind: propagating RBAC objects needs both (and
            // so amounts to every permission; leave the RBAC types disabled to keep the role narrow).
            if group == RBAC_GROUP {
                verbs.extend(["escalate", "bind"]);
            }
            json!({"apiGroups": [group], "resources": plurals, "verbs": verbs})
        })
        .collect();
    if cluster_role {
        rules.push(json!({"nonResourceURLs": ["/healthz", "/version"], "verbs": ["get"]}));
    }
    rules
}

fn covers(list: &Value, wanted: &str) -> bool {
    list.as_array()
        .is_some_and(|l| l.iter().any(|v| v == "*" || v == wanted))
}

/// The verbs of `verbs` that the rules of a SelfSubjectRulesReview `status` do not grant on `target`.
/// Rules restricted to named objects (`resourceNames`) grant nothing a pass relies on.
pub fn missing_verbs<'a>(status: &Value, target: &Target, verbs: &[&'a str]) -> Vec<&'a str> {
    let rules: Vec<&Value> = status["resourceRules"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter(|rule| {
                    rule["resourceNames"]
                        .as_array()
                        .is_none_or(|names| names.is_empty())
                })
                .filter(|rule| {
                    covers(&rule["apiGroups"], &target.group)
                        && covers(&rule["resources"], &target.plural)
                })
                .collect()
        })
        .unwrap_or_default();
    verbs
        .iter()
        .copied()
        .filter(|v| !rules.iter().any(|rule| covers(&rule["verbs"], v)))
        .collect()
}

/// Whether a review's answer can be relied on: an authorizer that cannot list rules (a webhook) makes
/// it `incomplete`, and then a missing rule proves nothing.
pub fn is_conclusive(status: &Value) -> bool {
    status["incomplete"] != true
}

/// Asks a member what the client's credentials may do in `namespace` (rules bound cluster-wide are
/// included): the review's `status`.
pub async fn review(client: &kube::Client, namespace: &str) -> Result<Value, String> {
    let body = json!({
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectRulesReview",
        "spec": {"namespace": namespace},
    });
    let req = http::Request::post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body).expect("JSON"))
        .map_err(|e| e.to_string())?;
    let answer: Value = client
        .request(req)
        .await
        .map_err(|e| crate::error::source_chain_text(&e))?;
    Ok(answer["status"].clone())
}

/// The message for a type the stored credentials may not handle in a cluster.
pub fn denied_message(cluster: &str, target: &Target, missing: &[&str]) -> String {
    format!(
        "the credentials stored for cluster {cluster:?} may not {} {} there, so it is not propagated \
         there; grant it (join the cluster again with --least-privilege --error-on-existing=false \
         after enabling the type, or widen the member's role)",
        missing.join(", "),
        target.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_privilege_role_names_exactly_the_targets_and_namespaces() {
        let rules = least_privilege_rules(
            &[
                Target::new("apps", "deployments"),
                Target::new("", "configmaps"),
                Target::new("apps", "replicasets"),
            ],
            true,
        );
        assert_eq!(
            rules,
            vec![
                json!({"apiGroups": [""], "resources": ["configmaps", "namespaces"], "verbs": ENGINE_VERBS}),
                json!({"apiGroups": ["apps"], "resources": ["deployments", "replicasets"], "verbs": ENGINE_VERBS}),
                json!({"nonResourceURLs": ["/healthz", "/version"], "verbs": ["get"]}),
            ]
        );
        let rbac = least_privilege_rules(&[Target::new(RBAC_GROUP, "clusterroles")], true);
        assert_eq!(
            rbac[1]["verbs"],
            json!([
                "get", "list", "watch", "create", "update", "patch", "delete", "escalate", "bind"
            ])
        );
        let role = least_privilege_rules(&[Target::new("", "configmaps")], false);
        assert_eq!(
            role,
            vec![json!({"apiGroups": [""], "resources": ["configmaps"], "verbs": ENGINE_VERBS})]
        );
    }

    #[test]
    fn missing_verbs_follow_rbac_matching() {
        let cm = Target::new("", "configmaps");
        let status = json!({"resourceRules": [
            {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"]},
            {"verbs": ["delete"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["one"]},
            {"verbs": ["*"], "apiGroups": ["apps"], "resources": ["*"]},
        ]});
        assert_eq!(
            missing_verbs(&status, &cm, &CHECKED_VERBS),
            ["create", "patch", "delete"]
        );
        assert!(
            missing_verbs(&status, &Target::new("apps", "deployments"), &CHECKED_VERBS).is_empty()
        );
        let all =
            json!({"resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]});
        assert!(missing_verbs(&all, &cm, &CHECKED_VERBS).is_empty());
        assert_eq!(missing_verbs(&json!({}), &cm, &["get"]), ["get"]);
        assert!(!is_conclusive(&json!({"incomplete": true})));
        assert!(is_conclusive(&json!({"incomplete": false})));
    }
}
