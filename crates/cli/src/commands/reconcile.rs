//! `kubefedctl reconcile --once | --watch`: run the embedded propagation engine.

use std::time::Duration;

use serde::Serialize;

use super::{Context, Outcome};
use crate::cli::DryRunArgs;
use crate::engine::deletions::{MaxDeletions, HELD_STATUS};
use crate::engine::reconcile::Record;
use crate::engine::runner::{self, PassOutcome, PassState, Report, RunOptions};
use crate::engine::status::ClusterPropagationStatus;
use crate::engine::watch::{self, WatchEvent, WatchOptions};
use crate::error;
use crate::output::{Column, ObjectFormat, OutputFormat, Row};

const AFTER_HELP: &str = "\
Reads KubeFedClusters, enabled FederatedTypeConfigs and Federated<Kind> objects from the host and makes
every member hold exactly what is placed there: server-side apply (field manager `kubefedctl`),
removal from clusters no longer selected, deletion and orphaning, status on every federated object.
Members are reached with the credentials stored in the host, never with your kubeconfig.

--once runs one pass and exits 0 when everything converged, 3 when some objects or clusters failed,
1 when nothing succeeded. --watch runs until SIGINT/SIGTERM, reacting to changes; several replicas
may run at once, one leads (Lease `kubefedctl-reconcile` in the kubefed namespace).

Examples:
  kubefedctl reconcile --once
  kubefedctl reconcile --once -n prod --type configmaps --dry-run -o json
  kubefedctl reconcile --watch --concurrency 16";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["once", "watch"])))]
pub struct Args {
    /// Run one pass and exit
    #[arg(long)]
    pub once: bool,

    /// Keep running, reacting to changes, until SIGINT or SIGTERM
    #[arg(long)]
    pub watch: bool,

    /// Only federated objects in this namespace (cluster-scoped types are skipped)
    #[arg(short, long, value_name = "NS", conflicts_with = "all_namespaces", add = crate::completion::namespaces())]
    pub namespace: Option<String>,

    /// Federated objects in every namespace (the default)
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Only this type (FTC name such as deployments.apps, kind, or federated kind); repeatable
    #[arg(long = "type", value_name = "TYPE", add = crate::completion::enabled_types())]
    pub types: Vec<String>,

    /// Requests in flight at once to each cluster (a slow member never holds another's)
    #[arg(long, default_value_t = 8, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,

    /// How long one request to a member may wait for its answer (e.g. 10s, 1m); a member that
    /// stops answering fails that pass (exit 3) instead of holding it
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// With --once: the whole pass ends by then (e.g. 2m); requests still unanswered are cut short, the
    /// clusters they were for are reported with a *TimedOut status, the report is written, exit 3
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "watch")]
    pub timeout: Option<Duration>,

    /// Most member objects one pass may delete in each cluster: a number, or a share of the cluster's
    /// managed objects such as 25% [default: 10%, at least 10]. Over it, nothing is deleted in that
    /// cluster and the pass exits 3; --dry-run and diff show the count
    #[arg(long, value_name = "N|P%", value_parser = parse_max_deletions)]
    pub max_deletions: Option<MaxDeletions>,

    /// Delete whatever the pass has to, however many objects that is
    #[arg(long, conflicts_with = "max_deletions")]
    pub allow_mass_deletion: bool,

    /// With --watch: full pass at least this often, besides reacting to changes (e.g. 30s, 5m)
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = parse_duration)]
    pub resync_period: Duration,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// Output format of the summary
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Table, value_name = "FORMAT")]
    pub output: ReportFormat,
}

/// `-o` of `reconcile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// One row per object × cluster
    Table,
    /// The whole report: records, errors, cluster health, totals
    Json,
}

fn parse_max_deletions(s: &str) -> Result<MaxDeletions, String> {
    s.parse()
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let nanos = crate::kubefed::duration::parse_go_duration(s)?;
    if nanos <= 0 {
        return Err("must be greater than 0".into());
    }
    Ok(Duration::from_nanos(nanos as u64))
}

/// A record as a table row.
#[derive(Serialize)]
struct RecordRow<'a>(&'a Record);

impl Row for RecordRow<'_> {
    fn cells(&self) -> Vec<String> {
        let r = self.0;
        vec![
            if r.cluster.is_empty() {
                "<none>".into()
            } else {
                r.cluster.clone()
            },
            r.object_name(),
            r.type_name.clone(),
            r.action.as_str().to_string(),
            status_cell(r),
        ]
    }
}

/// `OK` for a propagated record; KubeFed's status string otherwise.
pub fn status_cell(r: &Record) -> String {
    if r.status.is_empty() {
        if r.error.is_some() {
            "Error".into()
        } else {
            "OK".into()
        }
    } else {
        r.status.clone()
    }
}

const COLUMNS: [Column; 5] = [
    Column::new("cluster"),
    Column::new("namespace/name"),
    Column::new("type"),
    Column::new("action"),
    Column::new("status"),
];

/// What went wrong: unready clusters, failed records, whole-type errors, deletions over budget. Warnings;
/// under `-q` errors, so a non-zero exit always says why.
pub fn report_problems(ctx: &Context, report: &Report, dry_run: bool) {
    for c in report.clusters.iter().filter(|c| !c.ready) {
        ctx.printer.problem(&format!(
            "cluster {:?} is not ready ({}); objects placed there are not propagated",
            c.name,
            c.reason.as_deref().unwrap_or("unknown")
        ));
    }
    for r in &report.records {
        match r.error.as_deref() {
            Some(e) => ctx.printer.problem(&format!("{}: {e}", r.subject())),
            // An unready cluster and a held deletion are said once, below and above, not per object.
            None if r.failed()
                && r.status != ClusterPropagationStatus::ClusterNotReady.as_str()
                && r.status != HELD_STATUS =>
            {
                ctx.printer
                    .problem(&format!("{}: {}", r.subject(), r.status))
            }
            None => {}
        }
    }
    for e in &report.errors {
        ctx.printer.problem(e);
    }
    for d in report.deletions.iter().filter(|d| d.over_budget) {
        ctx.printer.problem(&d.warning(dry_run));
    }
    if let Some(hint) = crate::customization::invalid_override_hint(&report.records) {
        ctx.printer.info(&format!("hint: {hint}"));
    }
}

fn run_options(ctx: &Context, args: &Args) -> RunOptions {
    RunOptions {
        kubefed_namespace: ctx.kubefed_namespace().to_string(),
        namespace: if args.all_namespaces {
            None
        } else {
            args.namespace.clone()
        },
        types: args.types.clone(),
        concurrency: args.concurrency as usize,
        dry_run: args.dry_run.dry_run,
        request_timeout: args.request_timeout,
        max_deletions: if args.allow_mass_deletion {
            MaxDeletions::Unlimited
        } else {
            args.max_deletions.unwrap_or_default()
        },
        // reconcile always releases what it adopted; only teardown may be told to delete it.
        delete_adopted: false,
    }
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let opts = run_options(ctx, args);
    let host = ctx.host_client().await?;
    if args.watch {
        let watch_opts = WatchOptions {
            resync_period: args.resync_period,
            ..WatchOptions::default()
        };
        let printer = ctx.printer.clone();
        // Progress and trouble alike are plain lines (the engine traces problems as warnings for -v); a
        // pass's whole-type errors follow its summary as warnings.
        let observer = move |event: &WatchEvent| {
            printer.info(&event.to_string());
            if let WatchEvent::Pass { report, .. } = event {
                for e in &report.errors {
                    printer.warn(e);
                }
            }
        };
        watch::run(
            &host,
            &opts,
            &watch_opts,
            watch::shutdown_signal(),
            &observer,
        )
        .await?;
        return Ok(Outcome::Success);
    }

    // This process ends with the pass.
    crate::engine::exit_after_pass();
    let deadline = args.timeout.map(|t| tokio::time::Instant::now() + t);
    let bar = ctx.printer.progress(0, "reconciling");
    let report = runner::reconcile_pass(
        &host,
        &opts,
        &PassState::once()
            .with_request_timeout(opts.request_timeout)
            .with_deadline(deadline),
        Some(&bar),
    )
    .await;
    bar.finish_and_clear();
    let report = report?;
    match args.output {
        ReportFormat::Json => ctx.printer.print_object(&report, ObjectFormat::Json)?,
        ReportFormat::Table => {
            let rows: Vec<RecordRow> = report.records.iter().map(RecordRow).collect();
            ctx.printer
                .print_rows(&COLUMNS, &rows, OutputFormat::Table)?;
        }
    }
    report_problems(ctx, &report, opts.dry_run);
    ctx.printer.info(&report.summary_line(opts.dry_run));
    if opts.dry_run {
        ctx.printer.info("dry run: nothing was written");
    }
    Ok(match report.outcome() {
        PassOutcome::Converged => Outcome::Success,
        PassOutcome::Partial => Outcome::Partial,
        PassOutcome::Failed => {
            if report.records.is_empty() && !report.errors.is_empty() {
                return Err(error::failure(format!(
                    "nothing could be reconciled: {}",
                    report.errors.join("; ")
                ))
                .into());
            }
            Outcome::Failed
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reconcile::Action;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Probe {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn once_or_watch_is_required() {
        let err = Probe::try_parse_from(["p"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        assert!(Probe::try_parse_from(["p", "--once", "--watch"]).is_err());
    }

    #[test]
    fn namespace_and_all_namespaces_conflict() {
        assert!(Probe::try_parse_from(["p", "--once", "-n", "a", "-A"]).is_err());
    }

    #[test]
    fn concurrency_must_be_positive_and_defaults_to_8() {
        assert!(Probe::try_parse_from(["p", "--once", "--concurrency", "0"]).is_err());
        let p = Probe::try_parse_from(["p", "--once"]).unwrap();
        assert_eq!(p.args.concurrency, 8);
        assert_eq!(p.args.resync_period, Duration::from_secs(300));
    }

    #[test]
    fn types_repeat_and_output_takes_json() {
        let p = Probe::try_parse_from([
            "p",
            "--once",
            "--type",
            "configmaps",
            "--type",
            "secrets",
            "-o",
            "json",
        ])
        .unwrap();
        assert_eq!(p.args.types, vec!["configmaps", "secrets"]);
        assert_eq!(p.args.output, ReportFormat::Json);
        assert!(Probe::try_parse_from(["p", "--once", "-o", "yaml"]).is_err());
    }

    #[test]
    fn rows_show_qualified_names_and_ok_for_propagated() {
        let r = Record {
            cluster: "c1".into(),
            type_name: "configmaps".into(),
            namespace: "prod".into(),
            name: "web".into(),
            action: Action::Create,
            status: String::new(),
            error: None,
        };
        assert_eq!(
            RecordRow(&r).cells(),
            vec!["c1", "prod/web", "configmaps", "create", "OK"]
        );
        let obj = Record {
            cluster: String::new(),
            status: "NamespaceNotFederated".into(),
            ..r
        };
        assert_eq!(RecordRow(&obj).cells()[0], "<none>");
        assert_eq!(RecordRow(&obj).cells()[4], "NamespaceNotFederated");
    }
}
