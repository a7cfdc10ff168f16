//! `kubefedctl clusters`: list member clusters, probing each one now with its stored credentials and
//! recording the result on its KubeFedCluster (the engine's own health check).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::status::age;
use super::{Context, Outcome};
use crate::cli::OutputArgs;
use crate::engine::clusters::{self, ClientCache};
use crate::engine::health;
use crate::engine::runner;
use crate::output::{Column, Row};

const AFTER_HELP: &str = "\
Exits 0 when every member is ready, 3 when some are not, 1 when none is (no member: 0). For each ready
member it also asks (a SelfSubjectRulesReview) whether the stored credentials may get, list, create,
patch and delete every enabled type there, warns about what is missing and then exits 3.

Each KubeFedCluster is probed with the credentials stored in the host (GET /healthz, then /version),
within the KubeFedConfig's clusterHealthCheck timeout, and its status conditions (Ready, Offline,
ConfigMalformed) and kubernetesVersion are recorded when they changed.

Examples:
  kubefedctl clusters
  kubefedctl clusters -o wide
  kubefedctl clusters -o json";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One member cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    pub name: String,
    pub ready: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    pub endpoint: String,
    pub labels: BTreeMap<String, String>,
    /// Reason and message of the first condition (why a cluster is not ready).
    pub reason: String,
    pub message: String,
    pub creation_timestamp: String,
    #[serde(skip)]
    pub age: String,
}

impl Row for ClusterRow {
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            if self.ready { "True" } else { "False" }.into(),
            self.kubernetes_version
                .clone()
                .unwrap_or_else(|| "<unknown>".into()),
            self.endpoint.clone(),
            if self.labels.is_empty() {
                "<none>".into()
            } else {
                self.labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            },
            self.age.clone(),
            self.reason.clone(),
            self.message.clone(),
        ]
    }
}

const COLUMNS: [Column; 8] = [
    Column::new("name"),
    Column::new("ready"),
    Column::new("kubernetes-version"),
    Column::new("endpoint"),
    Column::new("labels"),
    Column::new("age"),
    Column::wide("reason"),
    Column::wide("message"),
];

/// The row for a member from its KubeFedCluster and the status just published for it.
pub fn row_for(kfc: &Value, status: &Value, now: jiff::Timestamp) -> ClusterRow {
    let s = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let created = s(kfc, "/metadata/creationTimestamp");
    ClusterRow {
        name: s(kfc, "/metadata/name"),
        ready: health::is_ready(status),
        kubernetes_version: status
            .get("kubernetesVersion")
            .and_then(Value::as_str)
            .map(str::to_string),
        endpoint: s(kfc, "/spec/apiEndpoint"),
        labels: kfc
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        reason: s(status, "/conditions/0/reason"),
        message: s(status, "/conditions/0/message"),
        age: age(&created, now),
        creation_timestamp: created,
    }
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let host = ctx.host_client().await?;
    let ns = ctx.kubefed_namespace();
    let config = runner::read_kubefed_config(&host, ns).await?;
    let members = clusters::load_members(&host, ns, &ClientCache::new()).await?;
    let results = clusters::check_health(
        &host,
        ns,
        &members,
        runner::health_settings(&config),
        None,
        false,
    )
    .await;
    let now = jiff::Timestamp::now();
    let mut rows = Vec::new();
    for (member, (h, err)) in members.iter().zip(results) {
        if let Some(e) = err {
            ctx.printer.warn(&crate::error::chain_text(&e));
        }
        let mut row = row_for(&member.object, &h.status, now);
        // KubeFed's message does not say what is malformed; the listing does.
        if let Err(why) = &member.client {
            row.message = format!("{}: {why}", row.message);
        }
        rows.push(row);
    }
    ctx.printer
        .print_rows(&COLUMNS, &rows, args.output.output)?;
    let denied = permission_problems(&host, ns, &members, &rows).await?;
    for d in &denied {
        ctx.printer.problem(d);
    }
    Ok(match listing_outcome(&rows) {
        Outcome::Success if !denied.is_empty() => Outcome::Partial,
        other => other,
    })
}

/// What the stored credentials of each ready member may not do to the enabled types (one
/// SelfSubjectRulesReview each), as the preflight of a reconcile pass would find it.
async fn permission_problems(
    host: &kube::Client,
    ns: &str,
    members: &[clusters::Member],
    rows: &[ClusterRow],
) -> anyhow::Result<Vec<String>> {
    use crate::engine::permissions::{self, Target};
    let targets = crate::controlplane::join::enabled_targets(host, ns).await?;
    let mut out = Vec::new();
    for (member, row) in members.iter().zip(rows) {
        let (Ok(client), true) = (&member.client, row.ready) else {
            continue;
        };
        let Ok(status) = permissions::review(client, ns).await else {
            continue;
        };
        if !permissions::is_conclusive(&status) {
            continue;
        }
        for t in &targets {
            let target = Target::new(&t.group, &t.plural);
            let missing = permissions::missing_verbs(&status, &target, &permissions::CHECKED_VERBS);
            if !missing.is_empty() {
                out.push(permissions::denied_message(&member.name, &target, &missing));
            }
        }
    }
    Ok(out)
}

/// As `reconcile --once`: 0 when every member is ready, 3 when some are not, 1 when none is.
fn listing_outcome(rows: &[ClusterRow]) -> Outcome {
    let ready = rows.iter().filter(|r| r.ready).count();
    if ready == rows.len() {
        Outcome::Success
    } else if ready > 0 {
        Outcome::Partial
    } else {
        Outcome::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ready_member_shows_version_labels_and_age() {
        let kfc = json!({"metadata": {"name": "m1", "creationTimestamp": "2024-01-01T00:00:00Z", "labels": {"region": "eu", "env": "prod"}},
            "spec": {"apiEndpoint": "https://127.0.0.1:6443"}});
        let status = json!({"conditions": [{"type": "Ready", "status": "True", "reason": "ClusterReady", "message": "/healthz responded with ok"}], "kubernetesVersion": "v1.33.0"});
        let row = row_for(&kfc, &status, "2024-01-01T00:05:00Z".parse().unwrap());
        assert_eq!(
            row.cells()[..6],
            [
                "m1",
                "True",
                "v1.33.0",
                "https://127.0.0.1:6443",
                "env=prod,region=eu",
                "5m"
            ]
        );
    }

    #[test]
    fn offline_member_is_not_ready_with_the_reason_in_wide_columns() {
        let kfc = json!({"metadata": {"name": "m2"}, "spec": {"apiEndpoint": "https://10.0.0.2"}});
        let status = json!({"conditions": [{"type": "Offline", "status": "True", "reason": "ClusterNotReachable", "message": "cluster is not reachable: refused"}]});
        let row = row_for(&kfc, &status, "2024-01-01T00:05:00Z".parse().unwrap());
        let cells = row.cells();
        assert_eq!(cells[1], "False");
        assert_eq!(cells[2], "<unknown>");
        assert_eq!(cells[4], "<none>");
        assert_eq!(cells[6], "ClusterNotReachable");
        let v = serde_json::to_value(&row).unwrap();
        assert_eq!(v["ready"], false);
        assert!(v.get("kubernetesVersion").is_none());
    }
}
