//! `kubefedctl demo`: KubeFed's quick start end to end on in-process sandbox clusters, each step shown as the
//! command a user would type followed by its output, then checked by reading the members.

use std::collections::BTreeMap;

use anyhow::Context as _;
use clap::Parser;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::ApiResource;
use serde_json::{json, Value};

use super::{Context, Outcome};
use crate::cli::{Cli, Command};
use crate::kubeconfig::{Kubeconfig, Source};
use crate::testbed::{Backend, Testbed};

const AFTER_HELP: &str = "\
Starts three in-process sandbox clusters (host, member1, member2) and runs KubeFed's quick start
against them: init, join the host and both members, create and federate a namespace, a ConfigMap
and a Deployment whose replicas are overridden in member2, turn on remote status collection,
reconcile, wait for the Deployment to roll out everywhere, reconcile again, and show the status
with each member's ready replicas. The clusters simulate a node and the workload controllers
(`sandbox up --workloads`), so pods become Ready though no container runs. Each step is printed
as the command you would type, followed by its output. Needs no kubeconfig, no network and no
Docker.

Exits 0 only when every object is in every cluster with the expected content; otherwise 1,
saying what is missing. With --keep the clusters keep running (until Ctrl-C) and a kubeconfig
for them is written, so the same commands can be tried by hand.

With --backend real (or real:v1.34.2) the same steps run on real kube-apiservers instead, started
on loopback from the binaries `scripts/reference-cluster/build.sh` builds (Go needed once, to build
them); it takes a few seconds more.

Examples:
  kubefedctl demo
  kubefedctl demo --keep
  kubefedctl demo --backend real";

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Keep the sandbox clusters running after the demo (until Ctrl-C) and write a kubeconfig for them
    #[arg(long)]
    pub keep: bool,

    /// With --keep: where to write the kubeconfig
    #[arg(
        long,
        value_name = "PATH",
        default_value = "kubefedctl-demo.kubeconfig",
        requires = "keep"
    )]
    pub kubeconfig_out: std::path::PathBuf,

    /// Clusters to run on: sandbox (in-process), real (kube-apiserver, newest built) or real:VERSION
    #[arg(long, value_name = "B", default_value = "sandbox", value_parser = parse_backend)]
    pub backend: Backend,
}

fn parse_backend(text: &str) -> Result<Backend, String> {
    Backend::parse(text).map_err(|e| crate::error::chain_text(&e))
}

/// The demo's clusters: the host (also joined as a member) and two members.
pub const CLUSTERS: [&str; 3] = ["host", "member1", "member2"];
pub const NAMESPACE: &str = "demo";
pub const CONFIGMAP: &str = "demo-config";
pub const DEPLOYMENT: &str = "web";
/// Replicas of the Deployment's template, and in member2 after its override.
pub const TEMPLATE_REPLICAS: i64 = 1;
pub const MEMBER2_REPLICAS: i64 = 3;

/// What each cluster should hold once the demo ran: ConfigMap data and Deployment replicas.
pub fn expected() -> BTreeMap<&'static str, (Value, i64)> {
    CLUSTERS
        .iter()
        .map(|c| {
            let replicas = if *c == "member2" {
                MEMBER2_REPLICAS
            } else {
                TEMPLATE_REPLICAS
            };
            (*c, (json!({"greeting": "hello from the host"}), replicas))
        })
        .collect()
}

/// What is wrong with one cluster's copies (empty when everything is as expected).
pub fn check_cluster(
    cluster: &str,
    configmap: Option<&Value>,
    deployment: Option<&Value>,
    want_data: &Value,
    want_replicas: i64,
) -> Vec<String> {
    let mut problems = Vec::new();
    match configmap {
        None => problems.push(format!(
            "ConfigMap {NAMESPACE}/{CONFIGMAP} is missing in cluster {cluster:?}"
        )),
        Some(cm) if cm.get("data") != Some(want_data) => problems.push(format!(
            "ConfigMap {NAMESPACE}/{CONFIGMAP} in cluster {cluster:?} has data {}, expected {want_data}",
            cm.get("data").unwrap_or(&Value::Null)
        )),
        Some(_) => {}
    }
    match deployment {
        None => problems.push(format!(
            "Deployment {NAMESPACE}/{DEPLOYMENT} is missing in cluster {cluster:?}"
        )),
        Some(d) => {
            let replicas = d.pointer("/spec/replicas").and_then(Value::as_i64);
            if replicas != Some(want_replicas) {
                problems.push(format!(
                    "Deployment {NAMESPACE}/{DEPLOYMENT} in cluster {cluster:?} has {} replicas, expected {want_replicas}",
                    replicas.map_or("no".to_string(), |r| r.to_string())
                ));
            }
        }
    }
    problems
}

fn deployment_manifest() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": DEPLOYMENT, "namespace": NAMESPACE, "labels": {"app": DEPLOYMENT}},
        "spec": {
            "replicas": TEMPLATE_REPLICAS,
            "selector": {"matchLabels": {"app": DEPLOYMENT}},
            "template": {
                "metadata": {"labels": {"app": DEPLOYMENT}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}
            }
        }
    })
}

fn override_patch() -> Value {
    json!({"spec": {"overrides": [{
        "clusterName": "member2",
        "clusterOverrides": [{"path": "/spec/replicas", "value": MEMBER2_REPLICAS}]
    }]}})
}

fn ar(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: if group.is_empty() {
            version.into()
        } else {
            format!("{group}/{version}")
        },
        kind: kind.into(),
        plural: plural.into(),
    }
}

fn namespaces() -> ApiResource {
    ar("", "v1", "Namespace", "namespaces")
}
fn configmaps() -> ApiResource {
    ar("", "v1", "ConfigMap", "configmaps")
}
fn deployments() -> ApiResource {
    ar("apps", "v1", "Deployment", "deployments")
}

/// The demo's steps after the clusters are up, in order.
enum Step {
    /// A kubefedctl command line, run through the same code as the binary.
    Kubefedctl(&'static [&'static str]),
    /// A kubectl command line, done with the API client; the object to create and the line kubectl prints.
    KubectlCreate(&'static str, ApiResource, Option<&'static str>, Value),
    /// A merge patch: the line, the type, the namespace, the object's name and the patch.
    KubectlPatch(&'static str, ApiResource, &'static str, &'static str, Value),
    /// `kubectl rollout status` of the Deployment in every cluster: waits until each is rolled out.
    RolloutStatus(&'static str),
}

const FED_NAMESPACE: &str = crate::kubefed::DEFAULT_KUBEFED_NAMESPACE;

/// The KubeFedConfig's feature gates as `init` writes them, with RawResourceStatusCollection enabled.
fn status_collection_gates() -> Value {
    json!({"spec": {"featureGates": [
        {"name": "PushReconciler", "configuration": "Enabled"},
        {"name": "RawResourceStatusCollection", "configuration": "Enabled"},
        {"name": "SchedulerPreferences", "configuration": "Enabled"}
    ]}})
}

fn steps() -> Vec<Step> {
    use Step::*;
    vec![
        Kubefedctl(&["init", "--host-cluster-context", "host"]),
        Kubefedctl(&["join", "host", "--host-cluster-context", "host"]),
        Kubefedctl(&[
            "join",
            "member1",
            "--cluster-context",
            "member1",
            "--host-cluster-context",
            "host",
        ]),
        Kubefedctl(&[
            "join",
            "member2",
            "--cluster-context",
            "member2",
            "--host-cluster-context",
            "host",
        ]),
        Kubefedctl(&["clusters", "--host-cluster-context", "host"]),
        KubectlCreate(
            "kubectl --context host create namespace demo",
            namespaces(),
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}),
        ),
        Kubefedctl(&[
            "federate",
            "namespace",
            "demo",
            "--host-cluster-context",
            "host",
        ]),
        KubectlCreate(
            "kubectl --context host -n demo create configmap demo-config --from-literal=greeting='hello from the host'",
            configmaps(),
            Some(NAMESPACE),
            json!({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": CONFIGMAP, "namespace": NAMESPACE},
                   "data": {"greeting": "hello from the host"}}),
        ),
        Kubefedctl(&[
            "federate",
            "configmap",
            "demo-config",
            "-n",
            "demo",
            "--host-cluster-context",
            "host",
        ]),
        KubectlCreate(
            "kubectl --context host -n demo create deployment web --image=nginx:1.27 --replicas=1",
            deployments(),
            Some(NAMESPACE),
            deployment_manifest(),
        ),
        Kubefedctl(&[
            "federate",
            "deployment",
            "web",
            "-n",
            "demo",
            "--host-cluster-context",
            "host",
        ]),
        KubectlPatch(
            "kubectl --context host -n demo patch federateddeployment web --type=merge \\\n    -p '{\"spec\":{\"overrides\":[{\"clusterName\":\"member2\",\"clusterOverrides\":[{\"path\":\"/spec/replicas\",\"value\":3}]}]}}'",
            ar(
                "types.kubefed.io",
                "v1beta1",
                "FederatedDeployment",
                "federateddeployments",
            ),
            NAMESPACE,
            DEPLOYMENT,
            override_patch(),
        ),
        // Remote status: the members' Deployment status is copied into the FederatedDeployment.
        KubectlPatch(
            "kubectl --context host -n kube-federation-system patch kubefedconfig kubefed --type=merge \\\n    -p '{\"spec\":{\"featureGates\":[{\"name\":\"PushReconciler\",\"configuration\":\"Enabled\"},\n      {\"name\":\"RawResourceStatusCollection\",\"configuration\":\"Enabled\"},{\"name\":\"SchedulerPreferences\",\"configuration\":\"Enabled\"}]}}'",
            ar("core.kubefed.io", "v1beta1", "KubeFedConfig", "kubefedconfigs"),
            FED_NAMESPACE,
            "kubefed",
            status_collection_gates(),
        ),
        KubectlPatch(
            "kubectl --context host -n kube-federation-system patch federatedtypeconfig deployments.apps --type=merge \\\n    -p '{\"spec\":{\"statusCollection\":\"Enabled\"}}'",
            ar("core.kubefed.io", "v1beta1", "FederatedTypeConfig", "federatedtypeconfigs"),
            FED_NAMESPACE,
            "deployments.apps",
            json!({"spec": {"statusCollection": "Enabled"}}),
        ),
        Kubefedctl(&["reconcile", "--once", "--host-cluster-context", "host"]),
        RolloutStatus(
            "for c in host member1 member2; do kubectl --context $c -n demo rollout status deployment/web; done",
        ),
        // Again, now that the members' pods are ready: it collects their status.
        Kubefedctl(&["reconcile", "--once", "--host-cluster-context", "host"]),
        Kubefedctl(&["status", "-A", "-o", "wide", "--host-cluster-context", "host"]),
    ]
}

/// Runs one kubefedctl command line in-process, as the binary would, against the sandbox's kubeconfig.
async fn run_kubefedctl(
    ctx: &Context,
    kubeconfig: &Kubeconfig,
    argv: &[&str],
) -> anyhow::Result<Outcome> {
    let cli = Cli::try_parse_from(std::iter::once("kubefedctl").chain(argv.iter().copied()))
        .with_context(|| format!("the demo's command line `kubefedctl {}`", argv.join(" ")))?;
    let copy = Kubeconfig::from_raw(kubeconfig.raw().clone(), Source::Memory);
    let sub = Context::with_kubeconfig(cli.global, ctx.printer.clone(), copy);
    match &cli.command {
        Command::Init(a) => super::init::run(&sub, a).await,
        Command::Join(a) => super::join::run(&sub, a).await,
        Command::Clusters(a) => super::clusters::run(&sub, a).await,
        Command::Federate(a) => super::federate::run(&sub, a).await,
        Command::Reconcile(a) => super::reconcile::run(&sub, a).await,
        Command::Status(a) => super::status::run(&sub, a).await,
        other => anyhow::bail!("the demo does not run {other:?}"),
    }
}

fn api(client: &kube::Client, ar: &ApiResource, ns: Option<&str>) -> Api<DynamicObject> {
    match ns {
        Some(ns) => Api::namespaced_with(client.clone(), ns, ar),
        None => Api::all_with(client.clone(), ar),
    }
}

/// `<plural>[.<group>]/<name>`, as kubectl names objects in its output.
fn kubectl_name(ar: &ApiResource, name: &str) -> String {
    if ar.group.is_empty() {
        format!("{}/{name}", ar.kind.to_lowercase())
    } else {
        format!("{}.{}/{name}", ar.kind.to_lowercase(), ar.group)
    }
}

/// Whether a Deployment is rolled out, as `kubectl rollout status` decides it.
pub fn rolled_out(d: &Value) -> bool {
    let n = |p: &str| d.pointer(p).and_then(Value::as_i64).unwrap_or(0);
    let want = d
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    n("/status/observedGeneration") >= n("/metadata/generation")
        && n("/status/updatedReplicas") == want
        && n("/status/replicas") == want
        && n("/status/availableReplicas") == want
}

/// Waits (30 s at most) for the demo's Deployment in one cluster to be rolled out.
async fn wait_rolled_out(api: &Api<DynamicObject>, cluster: &str) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(d) = api.get_opt(DEPLOYMENT).await? {
            if rolled_out(&serde_json::to_value(d)?) {
                return Ok(());
            }
        }
        if std::time::Instant::now() > deadline {
            anyhow::bail!(
                "Deployment {NAMESPACE}/{DEPLOYMENT} in cluster {cluster:?} was not rolled out after 30 s"
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let p = &ctx.printer;
    crate::kubeconfig::install_crypto_provider();
    // The sandbox simulates a node and the workload controllers, so the Deployment's pods become Ready.
    let clusters = Testbed::start_with(&args.backend, &CLUSTERS, true)
        .await
        .with_context(|| format!("cannot start the {} clusters", args.backend.label()))
        .map_err(|e| {
            crate::error::precondition(
                crate::error::chain_text(&e),
                "run `kubefedctl demo` without --backend to use the in-process sandbox",
            )
        })?;
    let raw = kube::config::Kubeconfig::from_yaml(&clusters.kubeconfig_yaml())
        .context("the demo clusters' kubeconfig")?;
    let kubeconfig = Kubeconfig::from_raw(raw, Source::Memory);
    let what = match args.backend {
        Backend::Sandbox => "In-process sandbox clusters".to_string(),
        _ => format!("Clusters ({} on loopback)", args.backend.label()),
    };
    p.write_stdout(&format!(
        "# {what} {} are up (kubeconfig contexts of the same names).\n",
        CLUSTERS.join(", ")
    ))?;
    let host = kubeconfig.client_for(Some("host")).await?;

    for step in steps() {
        match step {
            Step::Kubefedctl(argv) => {
                p.write_stdout(&format!("\n$ kubefedctl {}\n", argv.join(" ")))?;
                let outcome = run_kubefedctl(ctx, &kubeconfig, argv)
                    .await
                    .with_context(|| format!("demo step `kubefedctl {}` failed", argv.join(" ")))?;
                if outcome != Outcome::Success {
                    p.warn(&format!(
                        "`kubefedctl {}` did not fully succeed (exit code {})",
                        argv.join(" "),
                        outcome.exit_code()
                    ));
                }
            }
            Step::KubectlCreate(line, ar, ns, obj) => {
                p.write_stdout(&format!("\n$ {line}\n"))?;
                let name = obj["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let o: DynamicObject = serde_json::from_value(obj)?;
                api(&host, &ar, ns)
                    .create(&PostParams::default(), &o)
                    .await
                    .with_context(|| format!("demo step `{line}` failed"))?;
                p.write_stdout(&format!("{} created\n", kubectl_name(&ar, &name)))?;
            }
            Step::KubectlPatch(line, ar, ns, name, patch) => {
                p.write_stdout(&format!("\n$ {line}\n"))?;
                api(&host, &ar, Some(ns))
                    .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await
                    .with_context(|| format!("demo step `{line}` failed"))?;
                p.write_stdout(&format!("{} patched\n", kubectl_name(&ar, name)))?;
            }
            Step::RolloutStatus(line) => {
                p.write_stdout(&format!("\n$ {line}\n"))?;
                if !clusters.is_sandbox() {
                    // A real control plane here has no node: the pods stay Pending and the rollout never ends.
                    p.write_stdout(
                        "# skipped: no node runs pods on these clusters, so no rollout completes\n",
                    )?;
                    continue;
                }
                for cluster in CLUSTERS {
                    let client = kubeconfig.client_for(Some(cluster)).await?;
                    wait_rolled_out(&api(&client, &deployments(), Some(NAMESPACE)), cluster)
                        .await?;
                    p.write_stdout(&format!(
                        "deployment \"{DEPLOYMENT}\" successfully rolled out\n"
                    ))?;
                }
            }
        }
    }

    p.write_stdout("\n# Checking every cluster:\n")?;
    let mut problems = Vec::new();
    for (cluster, (data, replicas)) in expected() {
        let client = kubeconfig.client_for(Some(cluster)).await?;
        let read = |ar: ApiResource, name: &'static str| {
            let client = client.clone();
            async move {
                api(&client, &ar, Some(NAMESPACE))
                    .get_opt(name)
                    .await
                    .map(|o| o.map(|o| serde_json::to_value(o).expect("objects serialise")))
            }
        };
        let cm = read(configmaps(), CONFIGMAP).await?;
        let deploy = read(deployments(), DEPLOYMENT).await?;
        let found = check_cluster(cluster, cm.as_ref(), deploy.as_ref(), &data, replicas);
        if found.is_empty() {
            // The sandbox's simulated node runs the pods; a bare real control plane leaves them Pending.
            let ready = deploy
                .as_ref()
                .and_then(|d| d.pointer("/status/readyReplicas"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            p.write_stdout(&format!(
                "ok  {cluster}: ConfigMap {NAMESPACE}/{CONFIGMAP} with greeting, Deployment {NAMESPACE}/{DEPLOYMENT} with {replicas} replica(s), {ready} ready\n"
            ))?;
        }
        problems.extend(found);
    }

    if args.keep {
        crate::sandbox::write_private_file(
            &args.kubeconfig_out,
            clusters.kubeconfig_yaml().as_bytes(),
        )?;
        p.write_stdout(&format!(
            "\n# The clusters keep running until Ctrl-C. Try:\n#   export KUBECONFIG={}\n#   kubefedctl status -A --host-cluster-context host\n",
            args.kubeconfig_out.display()
        ))?;
    }
    if !problems.is_empty() {
        for problem in &problems {
            p.warn(problem);
        }
        return Err(crate::error::failure(format!(
            "the demo did not propagate everything ({} problem(s), listed above)",
            problems.len()
        ))
        .with_hint("rerun with -v for detail, and report it: the demo should always succeed")
        .into());
    }
    p.write_stdout("\nEverything propagated: the quick start works.\n")?;
    if args.keep {
        crate::engine::watch::shutdown_signal().await;
    }
    drop(clusters);
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_a_valid_command_line() {
        for step in steps() {
            if let Step::Kubefedctl(argv) = step {
                Cli::try_parse_from(std::iter::once("kubefedctl").chain(argv.iter().copied()))
                    .unwrap_or_else(|e| panic!("{argv:?}: {e}"));
            }
        }
    }

    #[test]
    fn member2_expects_its_override_and_the_others_the_template() {
        let e = expected();
        assert_eq!(e["member2"].1, MEMBER2_REPLICAS);
        assert_eq!(e["member1"].1, TEMPLATE_REPLICAS);
        assert_eq!(e["host"].1, TEMPLATE_REPLICAS);
        assert_eq!(
            override_patch()["spec"]["overrides"][0]["clusterOverrides"][0]["value"],
            MEMBER2_REPLICAS
        );
    }

    #[test]
    fn a_complete_cluster_has_no_problem() {
        let data = json!({"greeting": "hello from the host"});
        let cm = json!({"data": data});
        let d = json!({"spec": {"replicas": 3}});
        assert!(check_cluster("member2", Some(&cm), Some(&d), &data, 3).is_empty());
    }

    #[test]
    fn missing_objects_and_wrong_content_are_named_with_their_cluster() {
        let data = json!({"greeting": "hello from the host"});
        let problems = check_cluster("member1", None, None, &data, 1);
        assert_eq!(
            problems,
            [
                "ConfigMap demo/demo-config is missing in cluster \"member1\"",
                "Deployment demo/web is missing in cluster \"member1\""
            ]
        );
        let wrong = check_cluster(
            "member2",
            Some(&json!({"data": {"greeting": "x"}})),
            Some(&json!({"spec": {"replicas": 1}})),
            &data,
            3,
        );
        assert_eq!(wrong.len(), 2);
        assert!(wrong[1].contains("has 1 replicas, expected 3"), "{wrong:?}");
    }

    #[test]
    fn kubectl_names_objects_by_kind_and_group() {
        assert_eq!(kubectl_name(&namespaces(), "demo"), "namespace/demo");
        assert_eq!(kubectl_name(&deployments(), "web"), "deployment.apps/web");
    }
}
