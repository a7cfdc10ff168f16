//! The control plane's lifecycle as an operator drives it with the binary against sandbox clusters:
//! init (idempotent, offline YAML, dry run, immutable scope), join/unjoin (credentials that work and
//! stop working, RBAC confined by scope, self-join, refusals that write nothing) and teardown.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use base64::Engine as _;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, PostParams};
use kubefedctl::kubefed::types::KubeFedCluster;
use kubefedctl::sandbox::Sandbox;
use serde_json::{json, Value};
use support::{stderr, stdout};

const NS: &str = "kube-federation-system";

struct Env {
    sb: Sandbox,
    _dir: tempfile::TempDir,
    kubeconfig: PathBuf,
}

async fn env(names: &[&str]) -> Env {
    let sb = support::start(names).await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    sb.write_kubeconfig(&kubeconfig).unwrap();
    Env {
        sb,
        _dir: dir,
        kubeconfig,
    }
}

impl Env {
    fn writes(&self, cluster: &str) -> u64 {
        self.sb.cluster(cluster).unwrap().metrics.writes()
    }

    /// Runs the binary with this sandbox's kubeconfig, off the async runtime.
    async fn run(&self, args: &[&str]) -> Output {
        support::run_kubefedctl(&self.kubeconfig, args).await
    }

    async fn client(&self, cluster: &str) -> kube::Client {
        support::client(&self.sb, cluster).await
    }
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

async fn names<K>(api: &Api<K>) -> BTreeSet<String>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    api.list(&ListParams::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|o| o.meta().name.clone().unwrap_or_default())
        .collect()
}

/// Namespaces and CRDs: what init and teardown change in a cluster.
async fn cluster_shape(client: &kube::Client) -> (BTreeSet<String>, BTreeSet<String>) {
    (
        names(&Api::<Namespace>::all(client.clone())).await,
        names(&Api::<CustomResourceDefinition>::all(client.clone())).await,
    )
}

/// The token the host stores for a joined cluster, read back from its credentials Secret.
async fn stored_token(env: &Env, cluster: &str) -> String {
    let host = env.client("host").await;
    let kfc: KubeFedCluster = Api::namespaced(host.clone(), NS)
        .get(cluster)
        .await
        .unwrap();
    let secret: Secret = Api::namespaced(host, NS)
        .get(&kfc.spec.secret_ref.name)
        .await
        .unwrap();
    let data = secret.data.unwrap();
    assert_eq!(
        data.keys().collect::<Vec<_>>(),
        ["token"],
        "the host secret holds only the token"
    );
    String::from_utf8(data["token"].0.clone()).unwrap()
}

fn config_map(name: &str) -> ConfigMap {
    serde_json::from_value(json!({"metadata": {"name": name}, "data": {"k": "v"}})).unwrap()
}

fn api_code<T: std::fmt::Debug>(r: Result<T, kube::Error>) -> u16 {
    match r {
        Err(kube::Error::Api(s)) => s.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

async fn healthz(client: &kube::Client) -> Result<String, kube::Error> {
    client
        .request_text(http::Request::get("/healthz").body(Vec::new()).unwrap())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn second_init_sends_no_write_and_reports_every_object_unchanged() {
    let env = env(&["host"]).await;
    let first = env.run(&["init"]).await;
    assert_exit(&first, 0);
    let lines: Vec<String> = stdout(&first).lines().map(str::to_string).collect();
    assert_eq!(lines[0], format!("namespace/{NS} created"));
    assert!(lines.contains(
        &"customresourcedefinition.apiextensions.k8s.io/kubefedclusters.core.kubefed.io created"
            .to_string()
    ));
    assert!(lines.contains(&"kubefedconfig.core.kubefed.io/kubefed created".to_string()));
    assert!(
        lines.contains(&"federatedtypeconfig.core.kubefed.io/deployments.apps created".to_string())
    );
    assert_eq!(lines.len(), 1 + 16 + 1 + 10);

    let before = env.writes("host");
    let second = env.run(&["init"]).await;
    assert_exit(&second, 0);
    assert_eq!(
        env.writes("host"),
        before,
        "a converged init writes nothing"
    );
    let out = stdout(&second);
    assert_eq!(out.lines().count(), lines.len());
    assert!(out.lines().all(|l| l.ends_with(" unchanged")), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_installs_an_established_control_plane_with_a_defaulted_config() {
    let env = env(&["host"]).await;
    assert_exit(&env.run(&["init", "--scope", "Namespaced"]).await, 0);
    let host = env.client("host").await;
    let crds: Api<CustomResourceDefinition> = Api::all(host.clone());
    for crd in crds.list(&ListParams::default()).await.unwrap().items {
        let established = crd
            .status
            .and_then(|s| s.conditions)
            .unwrap_or_default()
            .iter()
            .any(|c| c.type_ == "Established" && c.status == "True");
        assert!(established, "{:?} not established", crd.metadata.name);
    }
    let config: Value = kube::Api::<kube::api::DynamicObject>::namespaced_with(
        host.clone(),
        NS,
        &kubefedctl::kubefed::types::KubeFedConfig::api_resource(),
    )
    .get("kubefed")
    .await
    .map(|o| serde_json::to_value(o).unwrap())
    .unwrap();
    assert_eq!(config["spec"]["scope"], "Namespaced");
    assert_eq!(config["spec"]["leaderElect"]["leaseDuration"], "15s");
    assert_eq!(
        config["spec"]["syncController"]["adoptResources"],
        "Enabled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_without_default_types_installs_no_type_config() {
    let env = env(&["host"]).await;
    let o = env.run(&["init", "--no-default-types"]).await;
    assert_exit(&o, 0);
    assert!(!stdout(&o).contains("federatedtypeconfig.core.kubefed.io/"));
    let (_, crds) = cluster_shape(&env.client("host").await).await;
    assert!(
        !crds.iter().any(|c| c.ends_with(".types.kubefed.io")),
        "{crds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_output_yaml_prints_every_manifest_without_a_reachable_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: nowhere\n  cluster: {server: 'https://127.0.0.1:1'}\n\
         users:\n- name: u\n  user: {token: t}\ncontexts:\n- name: nowhere\n  context: {cluster: nowhere, user: u}\n\
         current-context: nowhere\n",
    )
    .unwrap();
    let o = support::run_kubefedctl(
        &kubeconfig,
        &["init", "-o", "yaml", "--kubefed-namespace", "fed"],
    )
    .await;
    assert_exit(&o, 0);
    let docs = kubefedctl::yaml::parse_documents(&stdout(&o)).unwrap();
    assert_eq!(docs.len(), 1 + 16 + 1 + 10);
    assert_eq!(docs[0]["kind"], "Namespace");
    assert_eq!(docs[0]["metadata"]["name"], "fed");
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    let last_crd = kinds
        .iter()
        .rposition(|k| *k == "CustomResourceDefinition")
        .unwrap();
    let first_cr = kinds
        .iter()
        .position(|k| *k == "KubeFedConfig" || *k == "FederatedTypeConfig")
        .unwrap();
    assert!(
        last_crd < first_cr,
        "CRDs come before the objects that need them: {kinds:?}"
    );
    assert_eq!(docs[first_cr]["spec"]["scope"], "Cluster");
    assert!(stdout(&o).contains("\n---\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_dry_run_sends_no_write() {
    let env = env(&["host"]).await;
    let before = env.writes("host");
    let o = env.run(&["init", "--dry-run"]).await;
    assert_exit(&o, 0);
    assert_eq!(env.writes("host"), before);
    assert!(
        stdout(&o)
            .lines()
            .all(|l| l.ends_with(" created (dry run)")),
        "{}",
        stdout(&o)
    );
    let (ns, _) = cluster_shape(&env.client("host").await).await;
    assert!(!ns.contains(NS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changing_the_scope_of_an_installed_control_plane_is_refused() {
    let env = env(&["host"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let before = env.writes("host");
    let o = env.run(&["init", "--scope", "Namespaced"]).await;
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("immutable"), "{}", stderr(&o));
    assert!(stderr(&o).contains("hint: "), "{}", stderr(&o));
    assert_eq!(env.writes("host"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_join_teardown_round_trip_leaves_every_cluster_as_it_was() {
    let env = env(&["host", "member1"]).await;
    let host = env.client("host").await;
    let member = env.client("member1").await;
    let host_before = cluster_shape(&host).await;
    let member_before = cluster_shape(&member).await;

    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(&env.run(&["join", "member1"]).await, 0);
    assert_exit(&env.run(&["join", "host"]).await, 0);

    let refused = env.run(&["teardown"]).await;
    assert_exit(&refused, 2);
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert!(
        cluster_shape(&host).await.0.contains(NS),
        "nothing removed without --yes"
    );

    let o = env.run(&["teardown", "--yes"]).await;
    assert_exit(&o, 0);
    assert!(stdout(&o).contains(&format!("namespace/{NS} deleted")));
    assert_eq!(cluster_shape(&host).await, host_before);
    assert_eq!(cluster_shape(&member).await, member_before);
    let crbs = names(&Api::<ClusterRoleBinding>::all(member.clone())).await;
    assert!(
        !crbs
            .iter()
            .any(|n| n.starts_with("kubefed-controller-manager:")),
        "{crbs:?}"
    );
    let crbs = names(&Api::<ClusterRoleBinding>::all(host.clone())).await;
    assert!(
        !crbs
            .iter()
            .any(|n| n.starts_with("kubefed-controller-manager:")),
        "{crbs:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_with_an_unreachable_member_removes_the_control_plane_and_exits_3() {
    let mut env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(&env.run(&["join", "member1"]).await, 0);
    env.sb.stop("member1").await.unwrap();
    let o = env.run(&["teardown", "--yes"]).await;
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("member1"), "{}", stderr(&o));
    assert!(stderr(&o).contains("hint: "), "{}", stderr(&o));
    let (ns, crds) = cluster_shape(&env.client("host").await).await;
    assert!(!ns.contains(NS));
    assert!(!crds.iter().any(|c| c.contains("kubefed.io")), "{crds:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn join_gives_the_member_a_token_that_works_everywhere_and_unjoin_revokes_it() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let o = env
        .run(&[
            "join",
            "member1",
            "--label",
            "region=eu",
            "--label",
            "tier=gold",
        ])
        .await;
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains("cluster member1: serviceaccount/member1-host created"),
        "{out}"
    );
    assert!(
        out.contains("cluster host: kubefedcluster.core.kubefed.io/member1 created"),
        "{out}"
    );

    let token = stored_token(&env, "member1").await;
    assert!(
        !out.contains(&token) && !stderr(&o).contains(&token),
        "token printed"
    );
    let as_fed = support::client_with_token(&env.sb, "member1", &token).await;
    for ns in ["default", "kube-system", NS] {
        let cms: Api<ConfigMap> = Api::namespaced(as_fed.clone(), ns);
        cms.create(&PostParams::default(), &config_map("probe"))
            .await
            .unwrap_or_else(|e| panic!("create in {ns}: {e}"));
        cms.list(&ListParams::default()).await.unwrap();
        cms.delete("probe", &DeleteParams::default()).await.unwrap();
    }
    Api::<ConfigMap>::all(as_fed.clone())
        .list(&ListParams::default())
        .await
        .unwrap();
    assert_eq!(healthz(&as_fed).await.unwrap().trim(), "ok");

    let kfc: KubeFedCluster = Api::namespaced(env.client("host").await, NS)
        .get("member1")
        .await
        .unwrap();
    let member = env.sb.cluster("member1").unwrap();
    assert_eq!(kfc.spec.api_endpoint, member.server_url());
    assert_eq!(
        kfc.spec.ca_bundle.as_deref(),
        Some(
            base64::engine::general_purpose::STANDARD
                .encode(&member.ca_pem)
                .as_str()
        )
    );
    let labels = kfc.metadata.labels.unwrap();
    assert_eq!(labels["region"], "eu");
    assert_eq!(labels["tier"], "gold");

    let o = env.run(&["unjoin", "member1"]).await;
    assert_exit(&o, 0);
    assert_eq!(
        api_code(
            Api::<ConfigMap>::namespaced(as_fed.clone(), "default")
                .list(&ListParams::default())
                .await
        ),
        401
    );
    let member = env.client("member1").await;
    let (ns, _) = cluster_shape(&member).await;
    assert!(!ns.contains(NS), "member namespace removed: {ns:?}");
    let leftover = |names: BTreeSet<String>| {
        names
            .into_iter()
            .filter(|n| n.contains("member1-host"))
            .collect::<Vec<_>>()
    };
    assert!(leftover(names(&Api::<ClusterRole>::all(member.clone())).await).is_empty());
    assert!(leftover(names(&Api::<ClusterRoleBinding>::all(member.clone())).await).is_empty());
    assert!(leftover(names(&Api::<ServiceAccount>::all(member.clone())).await).is_empty());
    assert!(leftover(names(&Api::<Secret>::all(member.clone())).await).is_empty());
    let host = env.client("host").await;
    assert!(names(&Api::<KubeFedCluster>::namespaced(host.clone(), NS))
        .await
        .is_empty());
    let secrets = names(&Api::<Secret>::namespaced(host, NS)).await;
    assert!(
        !secrets.iter().any(|s| s.starts_with("member1-")),
        "{secrets:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn namespaced_scope_token_reaches_only_the_kubefed_namespace() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init", "--scope", "Namespaced"]).await, 0);
    assert_exit(&env.run(&["join", "member1"]).await, 0);
    let token = stored_token(&env, "member1").await;
    let as_fed = support::client_with_token(&env.sb, "member1", &token).await;

    let inside: Api<ConfigMap> = Api::namespaced(as_fed.clone(), NS);
    inside
        .create(&PostParams::default(), &config_map("probe"))
        .await
        .unwrap();
    inside.list(&ListParams::default()).await.unwrap();
    inside
        .delete("probe", &DeleteParams::default())
        .await
        .unwrap();
    assert_eq!(healthz(&as_fed).await.unwrap().trim(), "ok");

    let outside: Api<ConfigMap> = Api::namespaced(as_fed.clone(), "default");
    assert_eq!(api_code(outside.list(&ListParams::default()).await), 403);
    assert_eq!(
        api_code(
            outside
                .create(&PostParams::default(), &config_map("x"))
                .await
        ),
        403
    );
    assert_eq!(
        api_code(
            Api::<ConfigMap>::all(as_fed.clone())
                .list(&ListParams::default())
                .await
        ),
        403
    );
    assert_eq!(
        api_code(
            Api::<Namespace>::all(as_fed)
                .list(&ListParams::default())
                .await
        ),
        403
    );

    let member = env.client("member1").await;
    assert!(names(&Api::<Role>::namespaced(member.clone(), NS))
        .await
        .contains("kubefed-controller-manager:member1-host"));
    assert!(names(&Api::<RoleBinding>::namespaced(member, NS))
        .await
        .contains("kubefed-controller-manager:member1-host"));

    assert_exit(&env.run(&["unjoin", "member1"]).await, 0);
    let member = env.client("member1").await;
    let roles = names(&Api::<ClusterRole>::all(member.clone())).await;
    assert!(
        !roles.iter().any(|r| r.contains("healthcheck-member1-host")),
        "{roles:?}"
    );
    assert!(!cluster_shape(&member).await.0.contains(NS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn self_join_works_and_unjoin_keeps_the_host_namespace() {
    let env = env(&["host"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(&env.run(&["join", "host"]).await, 0);
    let token = stored_token(&env, "host").await;
    let as_fed = support::client_with_token(&env.sb, "host", &token).await;
    assert_eq!(healthz(&as_fed).await.unwrap().trim(), "ok");

    let o = env.run(&["unjoin", "host"]).await;
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("kept"), "{}", stdout(&o));
    let host = env.client("host").await;
    assert!(cluster_shape(&host).await.0.contains(NS));
    assert!(names(&Api::<KubeFedCluster>::namespaced(host.clone(), NS))
        .await
        .is_empty());
    assert!(!names(&Api::<ServiceAccount>::namespaced(host, NS))
        .await
        .contains("host-host"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn join_before_init_exits_1_and_points_to_init() {
    let env = env(&["host", "member1"]).await;
    let before = (env.writes("host"), env.writes("member1"));
    let o = env.run(&["join", "member1"]).await;
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "A KubeFedConfig named \"kubefed\" was not found in namespace \"{NS}\""
        )),
        "{err}"
    );
    assert!(err.contains("hint: run `kubefedctl init`"), "{err}");
    assert_eq!((env.writes("host"), env.writes("member1")), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn join_rejects_bad_names_and_labels_with_exit_2_writing_nothing() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let before = (env.writes("host"), env.writes("member1"));
    for args in [
        vec!["join", "Member_1", "--cluster-context", "member1"],
        vec!["join", "member1", "--label", "no-equals"],
        vec!["join", "member1", "--label", "bad key=v"],
        vec!["join", "member1", "--host-cluster-name", "a:b"],
    ] {
        let o = env.run(&args).await;
        assert_exit(&o, 2);
        assert!(
            stderr(&o).starts_with("Error: invalid"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!((env.writes("host"), env.writes("member1")), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn joining_twice_is_refused_unless_existing_objects_may_be_reused() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(&env.run(&["join", "member1"]).await, 0);
    let token = stored_token(&env, "member1").await;
    let before = (env.writes("host"), env.writes("member1"));
    let o = env.run(&["join", "member1"]).await;
    assert_exit(&o, 1);
    assert!(
        stderr(&o)
            .contains("service account: member1-host already exists in joining cluster: member1"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("--error-on-existing=false"),
        "{}",
        stderr(&o)
    );
    assert_eq!((env.writes("host"), env.writes("member1")), before);

    let o = env
        .run(&[
            "join",
            "member1",
            "--error-on-existing=false",
            "--label",
            "region=us",
        ])
        .await;
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("serviceaccount/member1-host unchanged"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("kubefedcluster.core.kubefed.io/member1 configured"));
    assert_eq!(
        stored_token(&env, "member1").await,
        token,
        "credentials reused"
    );
    let host = env.client("host").await;
    let secrets = names(&Api::<Secret>::namespaced(host.clone(), NS)).await;
    assert_eq!(
        secrets.iter().filter(|s| s.starts_with("member1-")).count(),
        1,
        "no second credentials secret: {secrets:?}"
    );
    let kfc: KubeFedCluster = Api::namespaced(host, NS).get("member1").await.unwrap();
    assert_eq!(kfc.metadata.labels.unwrap()["region"], "us");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn join_with_an_unknown_context_exits_1_listing_the_contexts() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let o = env
        .run(&["join", "member2", "--cluster-context", "nope"])
        .await;
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("available contexts: host, member1"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn join_and_unjoin_dry_runs_send_no_write_and_say_what_they_would_do() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let before = (env.writes("host"), env.writes("member1"));
    let o = env.run(&["join", "member1", "--dry-run"]).await;
    assert_exit(&o, 0);
    assert_eq!((env.writes("host"), env.writes("member1")), before);
    let out = stdout(&o);
    assert!(
        out.contains("cluster member1: serviceaccount/member1-host created (dry run)"),
        "{out}"
    );
    assert!(
        out.contains("cluster host: kubefedcluster.core.kubefed.io/member1 created (dry run)"),
        "{out}"
    );

    assert_exit(&env.run(&["join", "member1"]).await, 0);
    let before = (env.writes("host"), env.writes("member1"));
    let o = env.run(&["unjoin", "member1", "--dry-run"]).await;
    assert_exit(&o, 0);
    assert_eq!((env.writes("host"), env.writes("member1")), before);
    assert!(
        stdout(&o).contains("serviceaccount/member1-host deleted (dry run)"),
        "{}",
        stdout(&o)
    );
    let host = env.client("host").await;
    assert!(names(&Api::<KubeFedCluster>::namespaced(host, NS))
        .await
        .contains("member1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unjoin_of_an_unknown_cluster_exits_1_and_touches_no_member() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(&env.run(&["join", "member1"]).await, 0);
    let before = env.writes("member1");
    let o = env
        .run(&["unjoin", "membr1", "--cluster-context", "member1"])
        .await;
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("Failed to get kubefed cluster"),
        "{}",
        stderr(&o)
    );
    assert_eq!(env.writes("member1"), before);
    assert!(cluster_shape(&env.client("member1").await)
        .await
        .0
        .contains(NS));
}

/// Teardown lets the engine delete what federated objects propagated; with `--orphan` the member objects
/// `teardown` pointed at a member by mistake finds no control plane there and removes nothing: the
/// member's join namespace and the token its registration uses stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_of_a_cluster_without_a_control_plane_removes_nothing() {
    let env = env(&["host", "member1"]).await;
    assert_exit(
        &env.run(&["init", "--host-cluster-context", "host"]).await,
        0,
    );
    assert_exit(
        &env.run(&["join", "member1", "--host-cluster-context", "host"])
            .await,
        0,
    );
    let member = env.client("member1").await;
    let before = cluster_shape(&member).await;
    let writes = env.writes("member1");

    let o = env
        .run(&["teardown", "--yes", "--host-cluster-context", "member1"])
        .await;
    assert_exit(&o, 0);
    assert!(
        stderr(&o)
            .contains("no control plane in namespace kube-federation-system of cluster member1"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        env.writes("member1"),
        writes,
        "nothing written to the member"
    );
    assert_eq!(cluster_shape(&member).await, before);
    let o = env
        .run(&["clusters", "--host-cluster-context", "host", "-o", "json"])
        .await;
    assert_exit(&o, 0);
    let clusters: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(clusters[0]["ready"], true, "{clusters}");
}

/// Tearing down a Namespaced control plane leaves another plane on the same host working: its CRDs and
/// federated objects (in other namespaces) stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_of_a_namespaced_plane_leaves_another_plane_on_the_host_intact() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(
        &env.run(&[
            "init",
            "--scope",
            "Namespaced",
            "--kubefed-namespace",
            "fed2",
        ])
        .await,
        0,
    );
    assert_exit(&env.run(&["join", "member1"]).await, 0);
    let host = env.client("host").await;
    let cms: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::namespaced(host.clone(), "default");
    let cm: k8s_openapi::api::core::v1::ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "shared"}, "data": {"k": "v"}}))
            .unwrap();
    cms.create(&PostParams::default(), &cm).await.unwrap();
    assert_exit(
        &env.run(&["federate", "configmaps", "shared", "-n", "default"])
            .await,
        0,
    );
    let (_, crds_before) = cluster_shape(&host).await;

    let o = env
        .run(&["teardown", "--yes", "--kubefed-namespace", "fed2"])
        .await;
    assert_exit(&o, 0);
    let (ns, crds) = cluster_shape(&host).await;
    assert!(!ns.contains("fed2"), "{ns:?}");
    assert_eq!(crds, crds_before, "the other plane's CRDs stay");
    let fcms: Api<DynamicObject> = Api::namespaced_with(
        host.clone(),
        "default",
        &kube::api::ApiResource {
            group: "types.kubefed.io".into(),
            version: "v1beta1".into(),
            api_version: "types.kubefed.io/v1beta1".into(),
            kind: "FederatedConfigMap".into(),
            plural: "federatedconfigmaps".into(),
        },
    );
    let left = fcms.get_opt("shared").await.unwrap();
    assert!(
        left.is_some_and(|o| o.metadata.deletion_timestamp.is_none()),
        "the other plane's federated object stays"
    );
    assert_exit(&env.run(&["status", "-A"]).await, 0);
}

/// stay, unmanaged.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_deletes_propagated_objects_or_orphans_them() {
    for orphan in [false, true] {
        let env = env(&["host", "member1"]).await;
        assert_exit(&env.run(&["init"]).await, 0);
        assert_exit(
            &env.run(&["join", "member1", "--cluster-context", "member1"])
                .await,
            0,
        );
        let host = env.client("host").await;
        let cms: Api<k8s_openapi::api::core::v1::ConfigMap> =
            Api::namespaced(host.clone(), "default");
        let cm: k8s_openapi::api::core::v1::ConfigMap =
            serde_json::from_value(json!({"metadata": {"name": "shared"}, "data": {"k": "v"}}))
                .unwrap();
        cms.create(&PostParams::default(), &cm).await.unwrap();
        assert_exit(&env.run(&["federate", "namespaces", "default"]).await, 0);
        assert_exit(
            &env.run(&["federate", "configmaps", "shared", "-n", "default"])
                .await,
            0,
        );
        assert_exit(&env.run(&["reconcile", "--once"]).await, 0);
        let member_cms: Api<k8s_openapi::api::core::v1::ConfigMap> =
            Api::namespaced(env.client("member1").await, "default");
        assert!(
            member_cms.get_opt("shared").await.unwrap().is_some(),
            "propagated before teardown"
        );
        let mut args = vec!["teardown", "--yes"];
        if orphan {
            args.push("--orphan");
        }
        let o = env.run(&args).await;
        assert_exit(&o, 0);
        let left = member_cms.get_opt("shared").await.unwrap();
        if orphan {
            let left = left.expect("orphaned object stays in the member");
            let labels = left.metadata.labels.unwrap_or_default();
            assert!(!labels.contains_key("kubefed.io/managed"), "{labels:?}");
        } else {
            assert!(left.is_none(), "teardown deleted the propagated object");
        }
        let (ns, crds) = cluster_shape(&host).await;
        assert!(!ns.contains(NS));
        assert!(!crds.iter().any(|c| c.contains("kubefed.io")), "{crds:?}");
    }
}

/// Answering no at teardown's prompt (on a terminal) cancels it: nothing is removed, exit 1, and no
/// `Error:` line, since nothing went wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_declined_at_the_prompt_is_not_an_error() {
    let env = env(&["host"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let before = env.writes("host");
    let command = format!(
        "{} --kubeconfig {} teardown",
        env!("CARGO_BIN_EXE_kubefedctl"),
        env.kubeconfig.display()
    );
    // script(1) gives the binary a terminal, as a person at a shell has.
    let o = tokio::task::spawn_blocking(move || {
        use std::io::Write as _;
        let mut child = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("script(1) from util-linux");
        child.stdin.take().unwrap().write_all(b"n\n").unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("teardown cancelled: nothing was changed"),
        "{text}"
    );
    assert!(!text.contains("Error:"), "{text}");
    assert_eq!(env.writes("host"), before, "nothing removed");
}

/// `unjoin --delete-managed` deletes what was propagated to the member instead of releasing it; a dry run
/// says how many and touches nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unjoin_delete_managed_deletes_what_was_propagated() {
    let env = env(&["host", "member1"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(
        &env.run(&["join", "member1", "--cluster-context", "member1"])
            .await,
        0,
    );
    let host = env.client("host").await;
    let cms: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::namespaced(host.clone(), "default");
    let cm: k8s_openapi::api::core::v1::ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "shared"}, "data": {"k": "v"}}))
            .unwrap();
    cms.create(&PostParams::default(), &cm).await.unwrap();
    assert_exit(&env.run(&["federate", "namespaces", "default"]).await, 0);
    assert_exit(
        &env.run(&["federate", "configmaps", "shared", "-n", "default"])
            .await,
        0,
    );
    assert_exit(&env.run(&["reconcile", "--once"]).await, 0);
    let member_cms: Api<k8s_openapi::api::core::v1::ConfigMap> =
        Api::namespaced(env.client("member1").await, "default");
    assert!(member_cms.get_opt("shared").await.unwrap().is_some());

    let before = env.writes("member1");
    let o = env
        .run(&["unjoin", "member1", "--delete-managed", "--dry-run"])
        .await;
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains("cluster member1: 0 managed object(s) would be released"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(", 1 would be deleted"),
        "the ConfigMap: {}",
        stderr(&o)
    );
    assert_eq!(env.writes("member1"), before, "a dry run writes nothing");

    let o = env.run(&["unjoin", "member1", "--delete-managed"]).await;
    assert_exit(&o, 0);
    assert!(stderr(&o).contains(", 1 deleted"), "{}", stderr(&o));
    assert!(
        member_cms.get_opt("shared").await.unwrap().is_none(),
        "deleted as asked"
    );
}

/// The host's own originals, adopted when the host joined as a member, are released by teardown unless
/// --delete-adopted asks for them to go too (and says so in the summary); --orphan and
/// --delete-adopted contradict each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_deletes_adopted_originals_only_when_asked() {
    let env = env(&["host"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    assert_exit(
        &env.run(&["join", "host", "--cluster-context", "host"])
            .await,
        0,
    );
    let host = env.client("host").await;
    let cms: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::namespaced(host.clone(), "default");
    let cm: k8s_openapi::api::core::v1::ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "original"}, "data": {"k": "v"}}))
            .unwrap();
    cms.create(&PostParams::default(), &cm).await.unwrap();
    assert_exit(&env.run(&["federate", "namespaces", "default"]).await, 0);
    assert_exit(
        &env.run(&["federate", "configmaps", "original", "-n", "default"])
            .await,
        0,
    );
    assert_exit(&env.run(&["reconcile", "--once"]).await, 0);

    let before = env.writes("host");
    let o = env
        .run(&["teardown", "--yes", "--orphan", "--delete-adopted"])
        .await;
    assert_exit(&o, 2);
    assert_eq!(env.writes("host"), before, "nothing written");

    let o = env.run(&["teardown", "--yes", "--delete-adopted"]).await;
    assert_exit(&o, 0);
    assert!(
        stderr(&o).contains(
            "cluster \"host\": 1 object will be deleted, 0 released (adopted, deleted: configmaps default/original)"
        ),
        "{}",
        stderr(&o)
    );
    assert!(
        cms.get_opt("original").await.unwrap().is_none(),
        "deleted as asked"
    );
    assert!(
        Api::<k8s_openapi::api::core::v1::Namespace>::all(host.clone())
            .get_opt("default")
            .await
            .unwrap()
            .is_some(),
        "the host's own namespace is never deleted"
    );
}

/// Federated objects the engine cannot release (a placed member is gone) lose our finalizer at the deadline,
/// so the teardown still completes; they are reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn teardown_releases_federated_objects_stuck_on_the_sync_finalizer() {
    use kubefedctl::controlplane::teardown::{teardown, TeardownOptions};
    let env = env(&["host"]).await;
    assert_exit(&env.run(&["init"]).await, 0);
    let host = env.client("host").await;
    let fcm = kube::core::ApiResource {
        group: "types.kubefed.io".into(),
        version: "v1beta1".into(),
        api_version: "types.kubefed.io/v1beta1".into(),
        kind: "FederatedConfigMap".into(),
        plural: "federatedconfigmaps".into(),
    };
    // A KubeFedCluster whose endpoint answers nothing: objects placed there cannot be confirmed deleted.
    let kfc = kube::core::ApiResource {
        group: "core.kubefed.io".into(),
        version: "v1beta1".into(),
        api_version: "core.kubefed.io/v1beta1".into(),
        kind: "KubeFedCluster".into(),
        plural: "kubefedclusters".into(),
    };
    let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(host.clone(), NS);
    secrets
        .create(
            &PostParams::default(),
            &serde_json::from_value(
                json!({"metadata": {"name": "gone-creds"}, "stringData": {"token": "x"}}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let clusters: Api<kube::api::DynamicObject> = Api::namespaced_with(host.clone(), NS, &kfc);
    clusters
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
            "apiVersion": "core.kubefed.io/v1beta1", "kind": "KubeFedCluster",
            "metadata": {"name": "gone", "namespace": NS},
            "spec": {"apiEndpoint": "https://127.0.0.1:1", "secretRef": {"name": "gone-creds"}}}))
            .unwrap(),
        )
        .await
        .unwrap();
    // A cluster-scoped federated type, so no namespace gating decides the placement.
    let fcr = kube::core::ApiResource {
        group: "types.kubefed.io".into(),
        version: "v1beta1".into(),
        api_version: "types.kubefed.io/v1beta1".into(),
        kind: "FederatedClusterRole".into(),
        plural: "federatedclusterroles".into(),
    };
    Api::<kube::api::DynamicObject>::all_with(host.clone(), &fcr)
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
            "apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedClusterRole",
            "metadata": {"name": "stuck", "finalizers": ["kubefed.io/sync-controller"]},
            "spec": {"template": {"rules": []}, "placement": {"clusters": [{"name": "gone"}]}}}))
            .unwrap(),
        )
        .await
        .unwrap();
    let api: Api<kube::api::DynamicObject> = Api::namespaced_with(host.clone(), "default", &fcm);
    let obj: kube::api::DynamicObject = serde_json::from_value(json!({
        "apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedConfigMap",
        "metadata": {"name": "free", "namespace": "default", "finalizers": ["kubefed.io/sync-controller"]},
        "spec": {"template": {"data": {"k": "v"}}, "placement": {"clusters": []}}
    }))
    .unwrap();
    api.create(&PostParams::default(), &obj).await.unwrap();
    let opts = TeardownOptions {
        namespace: NS.into(),
        orphan: false,
        host_label: "host".into(),
        release_timeout: Duration::from_millis(300),
        gone_timeout: Duration::from_secs(20),
        delete_adopted: false,
    };
    let mut lines = Vec::new();
    let report = teardown(&host, &opts, &Default::default(), &mut |l| lines.push(l))
        .await
        .unwrap();
    assert_eq!(
        report.released_without_engine,
        ["federatedclusterrole.types.kubefed.io/stuck"]
    );
    assert!(
        lines.contains(&"federatedconfigmap.types.kubefed.io/free deleted".to_string()),
        "{lines:?}"
    );
    let (ns, crds) = cluster_shape(&host).await;
    assert!(!ns.contains(NS));
    assert!(!crds.iter().any(|c| c.contains("kubefed.io")), "{crds:?}");
}
