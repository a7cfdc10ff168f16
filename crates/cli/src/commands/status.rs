//! `kubefedctl status [TYPE [NAME]]`: propagation state of federated objects, one row per object × cluster,
//! read from what reconcile recorded in their `.status`.

use kube::api::{Api, DynamicObject, ListParams};
use serde::Serialize;
use serde_json::Value;

use super::{Context, Outcome};
use crate::cli::OutputArgs;
use crate::engine::runner::{self, type_matches};
use crate::engine::status::PROPAGATION_CONDITION;
use crate::error;
use crate::kubefed::types::FederatedTypeConfig;
use crate::output::{Column, Row};
use kubefedctl_apimachinery::duration::human_duration;

const AFTER_HELP: &str = "\
Reads each federated object's status as reconcile recorded it: the per-cluster status (`OK` when
propagated, else KubeFed's reason such as ClusterNotReady or AlreadyExists) and, with -o wide, the
Propagation condition's reason and the remote status collected from the member.

Examples:
  kubefedctl status -A
  kubefedctl status configmaps -n prod
  kubefedctl status deployments.apps web -n prod -o wide";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Type to show (FTC name such as deployments.apps, kind, or federated kind); all enabled types if omitted
    #[arg(value_name = "TYPE", add = crate::completion::enabled_types())]
    pub type_name: Option<String>,

    /// Name of one federated object (needs TYPE)
    #[arg(value_name = "NAME", requires = "type_name", add = crate::completion::federated_names())]
    pub name: Option<String>,

    /// Namespace (default: the host context's namespace)
    #[arg(short, long, value_name = "NS", conflicts_with = "all_namespaces", add = crate::completion::namespaces())]
    pub namespace: Option<String>,

    /// Every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// One object × cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusRow {
    /// Empty when the object has no per-cluster entry (not placed anywhere, or not reconciled yet).
    pub cluster: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub namespace: String,
    pub name: String,
    /// KubeFed's per-cluster status (`""` = propagated), or the object's state when it has no cluster entry.
    pub status: String,
    /// Reason of the Propagation condition (`""` when True).
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_status: Option<Value>,
    pub creation_timestamp: String,
    #[serde(skip)]
    pub age: String,
}

impl Row for StatusRow {
    fn cells(&self) -> Vec<String> {
        let or_none = |s: &str| {
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s.to_string()
            }
        };
        vec![
            or_none(&self.cluster),
            self.type_name.clone(),
            or_none(&self.namespace),
            self.name.clone(),
            if self.status.is_empty() {
                "OK".into()
            } else {
                self.status.clone()
            },
            self.age.clone(),
            or_none(&self.reason),
            self.remote_status
                .as_ref()
                .map(remote_summary)
                .unwrap_or_else(|| "<none>".into()),
        ]
    }
}

const COLUMNS: [Column; 8] = [
    Column::new("cluster"),
    Column::new("type"),
    Column::new("namespace"),
    Column::new("name"),
    Column::new("status"),
    Column::new("age"),
    Column::wide("reason"),
    Column::wide("remote-status"),
];

/// A one-line summary of a member object's status: its scalar fields `k=v`, comma-separated, shortened.
/// `observedGeneration` is bookkeeping and left out, so the counts that follow it (a Deployment's replicas,
/// updatedReplicas, readyReplicas) fit.
pub fn remote_summary(v: &Value) -> String {
    let text = match v.as_object() {
        Some(m) if !m.is_empty() => m
            .iter()
            .filter(|(k, v)| *k != "observedGeneration" && !v.is_object() && !v.is_array())
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    };
    if text.is_empty() {
        return "<none>".into();
    }
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The age of an object created at `created` (RFC 3339), `<unknown>` when absent or unparsable.
pub fn age(created: &str, now: jiff::Timestamp) -> String {
    match created.parse::<jiff::Timestamp>() {
        Ok(t) => human_duration(now.duration_since(t).as_secs()),
        Err(_) => "<unknown>".into(),
    }
}

/// The rows for one federated object.
pub fn rows_for(type_name: &str, fed: &Value, now: jiff::Timestamp) -> Vec<StatusRow> {
    let s = |p: &str| {
        fed.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let created = s("/metadata/creationTimestamp");
    let condition = fed
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|c| {
            c.iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some(PROPAGATION_CONDITION))
        });
    let reason = condition
        .and_then(|c| c.get("reason"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let base = StatusRow {
        cluster: String::new(),
        type_name: type_name.to_string(),
        namespace: s("/metadata/namespace"),
        name: s("/metadata/name"),
        status: String::new(),
        reason: reason.clone(),
        remote_status: None,
        age: age(&created, now),
        creation_timestamp: created,
    };
    let clusters = fed
        .pointer("/status/clusters")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty());
    let rows = rows_from_status(clusters, condition, reason, base);
    if is_deleting(fed) {
        // `kubectl delete` returned, but the object stays until a reconcile releases it (the
        // kubefed.io/sync-controller finalizer): say so where it would otherwise read OK.
        return rows
            .into_iter()
            .map(|r| StatusRow {
                status: if r.status.is_empty() || r.cluster.is_empty() {
                    DELETING.to_string()
                } else {
                    r.status
                },
                ..r
            })
            .collect();
    }
    rows
}

/// The status of a federated object deleted but not yet released by a reconcile.
pub const DELETING: &str = "Deleting (waiting for reconcile)";

fn is_deleting(fed: &Value) -> bool {
    fed.pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
}

fn rows_from_status(
    clusters: Option<&Vec<Value>>,
    condition: Option<&Value>,
    reason: String,
    base: StatusRow,
) -> Vec<StatusRow> {
    match clusters {
        Some(entries) => entries
            .iter()
            .map(|e| StatusRow {
                cluster: e
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                status: e
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                remote_status: e.get("remoteStatus").filter(|v| !v.is_null()).cloned(),
                ..base.clone()
            })
            .collect(),
        None => {
            // No cluster entry: say why, from the condition, or that reconcile has not run yet.
            let status = match condition {
                None => "NotReconciled".to_string(),
                Some(_) if reason.is_empty() => "NotPlaced".to_string(),
                Some(_) => reason,
            };
            vec![StatusRow { status, ..base }]
        }
    }
}

fn ftc_label(ftc: &FederatedTypeConfig) -> String {
    ftc.metadata.name.clone().unwrap_or_default()
}

/// The namespace `status` lists federated objects in (`Some(None)`: every namespace), or `None` when the
/// request names a namespace a Namespaced control plane (`plane_namespace`) does not federate. A
/// Namespaced plane reconciles only its own namespace, so that is what `-A` and the default show.
pub(crate) fn namespace_to_read(
    flag: Option<&str>,
    all: bool,
    context_namespace: &str,
    plane_namespace: Option<&str>,
) -> Option<Option<String>> {
    match (plane_namespace, flag) {
        (Some(plane), Some(n)) if n != plane => None,
        (Some(plane), _) => Some(Some(plane.to_string())),
        (None, Some(n)) => Some(Some(n.to_string())),
        (None, None) if all => Some(None),
        (None, None) => Some(Some(context_namespace.to_string())),
    }
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let host = ctx.host_client().await?;
    let ns = ctx.kubefed_namespace();
    // Read first: without a control plane this fails with a message that says to run init.
    let config = runner::read_kubefed_config(&host, ns).await?;
    let ftcs = runner::list_type_configs(&host, ns).await?;
    let types: Vec<&FederatedTypeConfig> = match &args.type_name {
        Some(t) => {
            let resolved = runner::resolve_type_names(&host, &ftcs, std::slice::from_ref(t)).await;
            let matched: Vec<&FederatedTypeConfig> = ftcs
                .iter()
                .filter(|f| type_matches(f, &resolved[0]))
                .collect();
            if matched.is_empty() {
                let names: Vec<String> = ftcs.iter().map(ftc_label).collect();
                return Err(error::invalid_input(format!(
                    "type {t:?} matches no FederatedTypeConfig in namespace {ns:?} (known: {})",
                    if names.is_empty() {
                        "none".into()
                    } else {
                        names.join(", ")
                    }
                ))
                .with_hint("enable the type with `kubefedctl enable <type>`, or check its spelling")
                .into());
            }
            matched
        }
        None => ftcs.iter().filter(|f| f.is_propagation_enabled()).collect(),
    };
    let plane_namespace = config.is_namespaced().then(|| ns.to_string());
    let context_namespace = if args.all_namespaces || args.namespace.is_some() {
        String::new()
    } else {
        ctx.kubeconfig()?
            .namespace_of(ctx.global.host_cluster_context.as_deref())?
    };
    let (namespace, types) = match namespace_to_read(
        args.namespace.as_deref(),
        args.all_namespaces,
        &context_namespace,
        plane_namespace.as_deref(),
    ) {
        Some(namespace) => (namespace, types),
        None => {
            ctx.printer.warn(&format!(
                "the control plane in namespace {ns:?} is Namespaced: it federates only objects of that namespace"
            ));
            (args.namespace.clone(), Vec::new())
        }
    };
    let now = jiff::Timestamp::now();
    let mut rows = Vec::new();
    let mut found_name = false;
    for ftc in &types {
        let fed = ftc.spec.federated_type.to_kube();
        let api: Api<DynamicObject> = match (&namespace, ftc.spec.federated_type.is_namespaced()) {
            (Some(n), true) => Api::namespaced_with(host.clone(), n, &fed),
            _ => Api::all_with(host.clone(), &fed),
        };
        let list = match api.list(&ListParams::default()).await {
            Ok(l) => l,
            Err(e) => {
                ctx.printer.warn(&format!(
                    "cannot list {} ({}): {e}",
                    fed.kind,
                    ftc_label(ftc)
                ));
                continue;
            }
        };
        let mut objects: Vec<Value> = list
            .items
            .into_iter()
            .map(|o| serde_json::to_value(o).expect("objects serialise"))
            .collect();
        if let Some(name) = &args.name {
            objects.retain(|o| o.pointer("/metadata/name").and_then(Value::as_str) == Some(name));
            found_name |= !objects.is_empty();
        }
        for o in &objects {
            rows.extend(rows_for(&ftc_label(ftc), o, now));
        }
    }
    if let (Some(name), false) = (&args.name, found_name) {
        let kind = types
            .first()
            .map(|f| f.spec.federated_type.kind.clone())
            .unwrap_or_default();
        let place = match &namespace {
            Some(n) => format!(" in namespace {n:?}"),
            None => String::new(),
        };
        return Err(error::precondition(
            format!("{kind} {name:?} not found{place}"),
            "check the name and namespace (-n NS, or -A for every namespace)",
        )
        .into());
    }
    rows.sort_by(|a, b| {
        (&a.type_name, &a.namespace, &a.name, &a.cluster).cmp(&(
            &b.type_name,
            &b.namespace,
            &b.name,
            &b.cluster,
        ))
    });
    ctx.printer
        .print_rows(&COLUMNS, &rows, args.output.output)?;
    let deleting: std::collections::BTreeSet<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r.status == DELETING)
        .map(|r| (r.type_name.as_str(), r.namespace.as_str(), r.name.as_str()))
        .collect();
    if !deleting.is_empty() {
        ctx.printer.info(&format!(
            "{} federated object(s) deleted but not yet released: each stays (finalizer \
             kubefed.io/sync-controller) until `kubefedctl reconcile` removes what it propagated",
            deleting.len()
        ));
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> jiff::Timestamp {
        "2024-01-01T01:00:00Z".parse().unwrap()
    }

    #[test]
    fn one_row_per_cluster_entry_with_ok_for_empty_status() {
        let fed = json!({
            "metadata": {"name": "web", "namespace": "prod", "creationTimestamp": "2024-01-01T00:59:00Z"},
            "status": {
                "conditions": [{"type": "Propagation", "status": "False", "reason": "CheckClusters"}],
                "clusters": [{"name": "c1"}, {"name": "c2", "status": "ClusterNotReady"}]
            }
        });
        let rows = rows_for("configmaps", &fed, now());
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].cells()[..6],
            ["c1", "configmaps", "prod", "web", "OK", "60s"]
        );
        assert_eq!(rows[1].cells()[4], "ClusterNotReady");
        assert_eq!(rows[1].cells()[6], "CheckClusters");
    }

    #[test]
    fn a_deleted_object_waits_for_reconcile_where_it_would_read_ok() {
        let fed = json!({
            "metadata": {"name": "web", "namespace": "prod", "deletionTimestamp": "2024-01-01T00:59:30Z",
                "finalizers": ["kubefed.io/sync-controller"]},
            "status": {"clusters": [{"name": "c1"}, {"name": "c2", "status": "ClusterNotReady"}]}
        });
        let rows = rows_for("configmaps", &fed, now());
        assert_eq!(rows[0].status, "Deleting (waiting for reconcile)");
        assert_eq!(
            rows[1].status, "ClusterNotReady",
            "a cluster's own status stays"
        );
        let unplaced =
            json!({"metadata": {"name": "a", "namespace": "p", "deletionTimestamp": "x"}});
        assert_eq!(rows_for("configmaps", &unplaced, now())[0].status, DELETING);
    }

    #[test]
    fn object_without_cluster_entries_shows_its_reason_or_that_it_was_never_reconciled() {
        let gated = json!({"metadata": {"name": "a", "namespace": "p"}, "status": {"conditions": [{"type": "Propagation", "status": "False", "reason": "NamespaceNotFederated"}]}});
        let rows = rows_for("configmaps", &gated, now());
        assert_eq!(rows[0].cells()[0], "<none>");
        assert_eq!(rows[0].status, "NamespaceNotFederated");
        let fresh = json!({"metadata": {"name": "a", "namespace": "p"}});
        assert_eq!(
            rows_for("configmaps", &fresh, now())[0].status,
            "NotReconciled"
        );
        let nowhere = json!({"metadata": {"name": "a"}, "status": {"conditions": [{"type": "Propagation", "status": "True"}]}});
        assert_eq!(
            rows_for("configmaps", &nowhere, now())[0].status,
            "NotPlaced"
        );
    }

    #[test]
    fn remote_status_is_summarised_on_one_line() {
        assert_eq!(
            remote_summary(&json!({"replicas": 3, "readyReplicas": 2, "conditions": []})),
            "replicas=3,readyReplicas=2"
        );
        assert_eq!(remote_summary(&json!({})), "<none>");
        assert_eq!(
            remote_summary(&json!({"observedGeneration": 2, "replicas": 3, "readyReplicas": 3})),
            "replicas=3,readyReplicas=3"
        );
        let long = remote_summary(&json!({"a": "x".repeat(100)}));
        assert_eq!(long.chars().count(), 60);
        assert!(long.ends_with("..."));
    }

    #[test]
    fn json_rows_carry_remote_status_and_creation_time_not_age() {
        let fed = json!({"metadata": {"name": "a", "namespace": "p", "creationTimestamp": "2024-01-01T00:00:00Z"},
            "status": {"clusters": [{"name": "c1", "remoteStatus": {"phase": "Active"}}]}});
        let v = serde_json::to_value(&rows_for("namespaces", &fed, now())[0]).unwrap();
        assert_eq!(v["remoteStatus"], json!({"phase": "Active"}));
        assert_eq!(v["creationTimestamp"], "2024-01-01T00:00:00Z");
        assert!(v.get("age").is_none());
        assert_eq!(v["type"], "namespaces");
    }

    #[test]
    fn a_namespaced_plane_shows_only_its_own_namespace() {
        let plane = Some("fed2");
        assert_eq!(
            namespace_to_read(None, true, "", plane),
            Some(Some("fed2".into()))
        );
        assert_eq!(
            namespace_to_read(None, false, "default", plane),
            Some(Some("fed2".into()))
        );
        assert_eq!(
            namespace_to_read(Some("fed2"), false, "", plane),
            Some(Some("fed2".into()))
        );
        assert_eq!(namespace_to_read(Some("shop"), false, "", plane), None);
    }

    #[test]
    fn a_cluster_plane_reads_the_flag_then_every_namespace_then_the_context_namespace() {
        assert_eq!(
            namespace_to_read(Some("shop"), false, "default", None),
            Some(Some("shop".into()))
        );
        assert_eq!(namespace_to_read(None, true, "", None), Some(None));
        assert_eq!(
            namespace_to_read(None, false, "default", None),
            Some(Some("default".into()))
        );
    }
}
