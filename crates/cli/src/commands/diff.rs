//! `kubefedctl diff [TYPE [NAME]]`: what the next reconcile would change in each member, as unified diffs of
//! YAML, computed with a dry-run pass and server-side dry-run applies; exit code like `kubectl diff`.

use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde_json::Value;

use super::{Context, Outcome};
use crate::engine::desired::FIELD_MANAGER;
use crate::engine::reconcile::{Action, Preview, Record};
use crate::engine::runner::{self, RunOptions};
use crate::engine::status::ClusterPropagationStatus;
use crate::error::{self, ErrorKind, UserError};
use crate::managed_diff::{comparable_pair, object_path, unified_diff, without_managed_label};

const AFTER_HELP: &str = "\
Runs the propagation engine without writing anything: for every federated object and member
cluster it shows what the next `reconcile` would create, update or delete there (and labels it
would remove), as a unified diff between the live object (`---
live/<cluster>/<namespace>/<name>`) and what server-side apply would leave (`+++ merged/...`),
restricted to the fields kubefedctl manages. The merged side comes from a server-side dry-run
apply (field manager kubefedctl), so defaults and other managers' fields do not show up as
differences. Only reads and dry-run requests are sent.

Exit status, as kubectl diff: 0 no differences, 1 differences found, 2 usage error or failure, 3
some clusters could not be compared (the others' differences are still shown).

Examples:
  kubefedctl diff -A
  kubefedctl diff configmaps -n prod
  kubefedctl diff deployments.apps web -n prod";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Type to compare (FTC name such as deployments.apps, kind, or federated kind); all enabled types if omitted
    #[arg(value_name = "TYPE", add = crate::completion::enabled_types())]
    pub type_name: Option<String>,

    /// Name of one federated object (needs TYPE)
    #[arg(value_name = "NAME", requires = "type_name", add = crate::completion::federated_names())]
    pub name: Option<String>,

    /// Namespace of the federated objects (default: every namespace)
    #[arg(short, long, value_name = "NS", conflicts_with = "all_namespaces", add = crate::completion::namespaces())]
    pub namespace: Option<String>,

    /// Every namespace (the default)
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
}

/// One difference found: where, what the reconcile would do, and the diff text.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub cluster: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub action: Action,
    pub diff: String,
}

impl Difference {
    /// `# update ConfigMap app/web in cluster "m1"` followed by the unified diff.
    pub fn render(&self) -> String {
        let what = if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        };
        format!(
            "# {} {} {} in cluster {:?}\n{}",
            self.action.as_str(),
            self.kind,
            what,
            self.cluster,
            self.diff
        )
    }
}

/// Records of a dry-run pass that mean a cluster or object could not be compared (as opposed to nothing
/// to write, such as an object opted out with `kubefed.io/managed: "false"`).
pub fn is_comparison_error(r: &Record) -> bool {
    use ClusterPropagationStatus as S;
    if r.error.is_some() {
        return !matches!(
            ClusterPropagationStatus::parse(&r.status),
            Some(S::AlreadyExists | S::ManagedLabelFalse)
        );
    }
    matches!(
        ClusterPropagationStatus::parse(&r.status),
        Some(
            S::ClusterNotReady
                | S::CachedRetrievalFailed
                | S::RetrievalFailed
                | S::ClientRetrievalFailed
                | S::ComputeResourceFailed
                | S::ApplyOverridesFailed
        )
    )
}

fn api_for(p: &Preview, client: kube::Client) -> Api<DynamicObject> {
    if p.key.0.is_empty() {
        Api::all_with(client, &p.target_api)
    } else {
        Api::namespaced_with(client, &p.key.0, &p.target_api)
    }
}

/// What the member would hold after the previewed write: a server-side dry-run apply for creates and
/// updates (the desired object itself when the namespace it goes to is created by the same reconcile),
/// nothing for a delete, the live object minus the managed label for an unlabel.
async fn merged(p: &Preview) -> Result<Option<Value>, String> {
    match p.action {
        Action::Delete => Ok(None),
        Action::Unlabel => Ok(p.live.as_ref().map(without_managed_label)),
        Action::Create | Action::Update | Action::Adopt => {
            let desired = p.desired.as_ref().ok_or("no desired object")?;
            let client = p.client.clone().ok_or("no client for the cluster")?;
            let params = PatchParams::apply(FIELD_MANAGER).force().dry_run();
            match api_for(p, client)
                .patch(&p.key.1, &params, &Patch::Apply(desired))
                .await
            {
                Ok(o) => Ok(Some(serde_json::to_value(o).expect("objects serialise"))),
                // The namespace is created by the same reconcile: nothing in it can be dry-run yet.
                Err(kube::Error::Api(s))
                    if s.code == 404 && p.action == Action::Create && !p.key.0.is_empty() =>
                {
                    Ok(Some(desired.clone()))
                }
                Err(e) => Err(error::redact(&match e {
                    kube::Error::Api(s) => s.message,
                    other => other.to_string(),
                })),
            }
        }
        Action::None => Ok(p.live.clone()),
    }
}

/// The difference a previewed write makes, `None` when it changes nothing kubefedctl manages.
pub async fn difference(p: &Preview) -> Result<Option<Difference>, String> {
    let after = merged(p).await?;
    let (mut live, mut merged) = comparable_pair(p.live.as_ref(), after.as_ref());
    if p.target_api.group.is_empty() && p.target_api.kind == "Secret" {
        mask_secret_values(&mut live, &mut merged);
    }
    let path = object_path(&p.cluster, &p.key.0, &p.key.1);
    Ok(
        unified_diff(live.as_ref(), merged.as_ref(), &path).map(|diff| Difference {
            cluster: p.cluster.clone(),
            kind: p.target_api.kind.clone(),
            namespace: p.key.0.clone(),
            name: p.key.1.clone(),
            action: p.action,
            diff,
        }),
    )
}

/// Replaces a Secret's values by `***`, as `kubectl diff` does, so that diffs can go into CI logs: a value
/// that changes shows as `*** (before)` / `*** (after)`, so the change stays visible.
pub fn mask_secret_values(live: &mut Option<Value>, merged: &mut Option<Value>) {
    const MASK: &str = "***";
    for field in ["data", "stringData"] {
        let before = live
            .as_mut()
            .and_then(|o| o.get_mut(field))
            .and_then(Value::as_object_mut);
        let after = merged
            .as_ref()
            .and_then(|o| o.get(field))
            .and_then(Value::as_object)
            .cloned();
        let mut changed = Vec::new();
        if let Some(before) = before {
            for (k, v) in before.iter_mut() {
                let differs = after
                    .as_ref()
                    .and_then(|a| a.get(k))
                    .is_some_and(|a| a != v);
                if differs {
                    changed.push(k.clone());
                    *v = Value::from(format!("{MASK} (before)"));
                } else {
                    *v = Value::from(MASK);
                }
            }
        }
        if let Some(after) = merged
            .as_mut()
            .and_then(|o| o.get_mut(field))
            .and_then(Value::as_object_mut)
        {
            for (k, v) in after.iter_mut() {
                *v = Value::from(if changed.contains(k) {
                    format!("{MASK} (after)")
                } else {
                    MASK.to_string()
                });
            }
        }
    }
}

/// Failures of `diff` exit with 2, never 1, which means "differences found" (kubectl's `CheckDiffErr`).
fn as_diff_error(err: anyhow::Error) -> anyhow::Error {
    // A reader that stopped early (`diff | head`) must stay recognisable, so that `main` exits 0.
    if error::is_broken_pipe(&err) {
        return err;
    }
    let kind = error::user_error(&err).map(|u| u.kind);
    match kind {
        Some(ErrorKind::Usage | ErrorKind::InvalidInput | ErrorKind::Partial) => err,
        _ => {
            // The exit code comes from the first UserError in the chain, so the chain is folded into one.
            let hint = error::user_error(&err).and_then(|u| u.hint.clone());
            let mut flat = UserError::new(ErrorKind::Usage, format!("{err:#}"));
            flat.hint = hint;
            flat.into()
        }
    }
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    // This process ends with the preview pass.
    crate::engine::exit_after_pass();
    run_inner(ctx, args).await.map_err(as_diff_error)
}

async fn run_inner(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let host = ctx.host_client().await?;
    let opts = RunOptions {
        kubefed_namespace: ctx.kubefed_namespace().to_string(),
        namespace: args.namespace.clone(),
        types: args.type_name.iter().cloned().collect(),
        ..RunOptions::default()
    };
    let (report, mut previews) = runner::preview_pass(&host, &opts).await?;
    if let Some(name) = &args.name {
        let known = report.records.iter().any(|r| &r.name == name)
            || previews.iter().any(|p| &p.key.1 == name);
        if !known && !federated_object_exists(&host, &opts, name).await? {
            let place = match &args.namespace {
                Some(n) => format!(" in namespace {n:?}"),
                None => String::new(),
            };
            return Err(error::invalid_input(format!(
                "no federated object {name:?} of type {:?}{place}",
                args.type_name.as_deref().unwrap_or_default()
            ))
            .with_hint("check the name and namespace (`kubefedctl status TYPE -A` lists them)")
            .into());
        }
        previews.retain(|p| &p.key.1 == name);
    }
    previews.sort_by(|a, b| {
        (&a.type_name, &a.key, &a.cluster).cmp(&(&b.type_name, &b.key, &b.cluster))
    });

    let mut problems: Vec<String> = report.errors.clone();
    for r in &report.records {
        if args.name.as_ref().is_some_and(|n| *n != r.name) {
            continue;
        }
        let detail = match (&r.error, r.status.as_str()) {
            (Some(e), "") => e.clone(),
            (Some(e), s) => format!("{s}: {e}"),
            (None, s) => s.to_string(),
        };
        if is_comparison_error(r) {
            problems.push(format!("{}: {detail}", r.subject()));
        } else if r.failed() {
            ctx.printer.warn(&format!(
                "{}: {detail} (nothing would be written)",
                r.subject()
            ));
        }
    }

    let mut found = 0usize;
    for p in &previews {
        match difference(p).await {
            Ok(Some(d)) => {
                found += 1;
                let text = d.render();
                let text = if ctx.printer.stdout_colored() {
                    crate::managed_diff::colorize(&text)
                } else {
                    text
                };
                ctx.printer.write_stdout(&text)?;
            }
            Ok(None) => {}
            Err(e) => problems.push(format!(
                "{} {} in cluster {:?}: cannot dry-run the apply: {e}",
                p.type_name,
                object_path("", &p.key.0, &p.key.1).trim_start_matches('/'),
                p.cluster
            )),
        }
    }
    for p in &problems {
        ctx.printer.warn(p);
    }
    // A reconcile would stop before these deletions (the default budget): say so beside the diffs.
    for d in report.deletions.iter().filter(|d| d.over_budget) {
        ctx.printer.warn(&d.warning(true));
    }
    if !problems.is_empty() {
        // An override that cannot be applied is the object's fault, not a cluster's: point at the override.
        let shown: Vec<Record> = report
            .records
            .iter()
            .filter(|r| args.name.as_ref().is_none_or(|n| *n == r.name))
            .cloned()
            .collect();
        let hint = match crate::customization::invalid_override_hint(&shown) {
            Some(h) => format!("{h}; then run diff again"),
            None => {
                "check the clusters with `kubefedctl clusters`, then run diff again".to_string()
            }
        };
        return Err(error::partial(format!(
            "{} object(s) or cluster(s) could not be compared; {found} difference(s) shown",
            problems.len()
        ))
        .with_hint(hint)
        .into());
    }
    Ok(if found > 0 {
        Outcome::DiffFound
    } else {
        Outcome::Success
    })
}

/// Whether a federated object named `name` exists for the selected type, even if no cluster has anything
/// to say about it.
async fn federated_object_exists(
    host: &kube::Client,
    opts: &RunOptions,
    name: &str,
) -> anyhow::Result<bool> {
    let ftcs = runner::list_type_configs(host, &opts.kubefed_namespace).await?;
    let types = runner::resolve_type_names(host, &ftcs, &opts.types).await;
    for ftc in runner::select_types(&ftcs, &types)? {
        let ar = ftc.spec.federated_type.to_kube();
        let api: Api<DynamicObject> =
            match (&opts.namespace, ftc.spec.federated_type.is_namespaced()) {
                (Some(n), true) => Api::namespaced_with(host.clone(), n, &ar),
                _ => Api::all_with(host.clone(), &ar),
            };
        let list = api
            .list(&kube::api::ListParams::default().fields(&format!("metadata.name={name}")))
            .await?;
        if !list.items.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: &str, error: Option<&str>) -> Record {
        Record {
            cluster: "m1".into(),
            type_name: "configmaps".into(),
            namespace: "app".into(),
            name: "web".into(),
            action: Action::None,
            status: status.into(),
            error: error.map(str::to_string),
        }
    }

    #[test]
    fn unreachable_clusters_and_failed_reads_are_comparison_errors() {
        assert!(is_comparison_error(&record("ClusterNotReady", None)));
        assert!(is_comparison_error(&record(
            "CachedRetrievalFailed",
            Some("boom")
        )));
        assert!(is_comparison_error(&record(
            "ApplyOverridesFailed",
            Some("bad path")
        )));
        assert!(is_comparison_error(&record(
            "ReplicaSchedulingFailed",
            Some("bad rsp")
        )));
    }

    #[test]
    fn objects_left_alone_on_purpose_are_no_comparison_errors() {
        assert!(!is_comparison_error(&record("", None)));
        assert!(!is_comparison_error(&record("ManagedLabelFalse", None)));
        assert!(!is_comparison_error(&record(
            "AlreadyExists",
            Some("adoption is disabled")
        )));
        assert!(!is_comparison_error(&record("WaitingForRemoval", None)));
    }

    #[test]
    fn a_difference_is_headed_by_what_would_happen_where() {
        let d = Difference {
            cluster: "m1".into(),
            kind: "ConfigMap".into(),
            namespace: "app".into(),
            name: "web".into(),
            action: Action::Update,
            diff: "--- live/m1/app/web\n+++ merged/m1/app/web\n".into(),
        };
        assert_eq!(
            d.render(),
            "# update ConfigMap app/web in cluster \"m1\"\n--- live/m1/app/web\n+++ merged/m1/app/web\n"
        );
    }

    #[test]
    fn failures_exit_with_two_never_one() {
        let e: anyhow::Error = error::precondition("no control plane", "run init").into();
        let e = as_diff_error(e);
        assert_eq!(error::exit_code(&e), 2);
        assert_eq!(
            error::user_error(&e).unwrap().hint.as_deref(),
            Some("run init")
        );
        let e = as_diff_error(anyhow::anyhow!("connection refused"));
        assert_eq!(error::exit_code(&e), 2);
        let e = as_diff_error(error::partial("some clusters").into());
        assert_eq!(error::exit_code(&e), 3);
    }

    #[test]
    fn a_reader_closing_the_pipe_stays_a_broken_pipe_not_a_usage_error() {
        let closed = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("printing");
        assert!(error::is_broken_pipe(&as_diff_error(closed)));
    }

    #[test]
    fn secret_values_are_masked_on_both_sides() {
        let mut live = Some(
            serde_json::json!({"kind": "Secret", "data": {"pw": "aHVudGVyMg==", "user": "YQ=="}}),
        );
        let mut merged = Some(
            serde_json::json!({"kind": "Secret", "data": {"pw": "aHVudGVyMg==", "user": "YQ=="}}),
        );
        mask_secret_values(&mut live, &mut merged);
        assert_eq!(
            live,
            Some(serde_json::json!({"kind": "Secret", "data": {"pw": "***", "user": "***"}}))
        );
        assert_eq!(live, merged);
    }

    #[test]
    fn a_changed_secret_value_shows_as_before_and_after() {
        let mut live = Some(serde_json::json!({"data": {"pw": "b2xk", "gone": "eA=="}}));
        let mut merged = Some(serde_json::json!({"data": {"pw": "bmV3", "added": "eQ=="}}));
        mask_secret_values(&mut live, &mut merged);
        assert_eq!(
            live,
            Some(serde_json::json!({"data": {"pw": "*** (before)", "gone": "***"}}))
        );
        assert_eq!(
            merged,
            Some(serde_json::json!({"data": {"pw": "*** (after)", "added": "***"}}))
        );
    }

    #[test]
    fn a_created_or_deleted_secret_shows_no_value() {
        let mut live = None;
        let mut merged =
            Some(serde_json::json!({"data": {"pw": "aHVudGVyMg=="}, "stringData": {"t": "plain"}}));
        mask_secret_values(&mut live, &mut merged);
        assert_eq!(
            merged,
            Some(serde_json::json!({"data": {"pw": "***"}, "stringData": {"t": "***"}}))
        );
        let mut live = Some(serde_json::json!({"data": {"pw": "aHVudGVyMg=="}}));
        let mut merged = None;
        mask_secret_values(&mut live, &mut merged);
        assert_eq!(live, Some(serde_json::json!({"data": {"pw": "***"}})));
    }
}
