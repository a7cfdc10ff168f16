//! Federated types as users drive them: `enable`, `disable`, `federate` and `orphaning-deletion` run as the
//! real binary against sandbox clusters, checked on what lands in the host and on output and exit codes.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::ApiResource;
use serde_json::{json, Value};

use kubefedctl::commands::enable::crd_resource;
use kubefedctl::controlplane::install::wait_established;
use kubefedctl::kubefed::typeconfig::{default_types, TargetType};
use kubefedctl::kubefed::types::FederatedTypeConfig;
use kubefedctl::kubefed::{DEFAULT_KUBEFED_NAMESPACE, TYPES_GROUP, TYPES_VERSION};
use kubefedctl::sandbox::Sandbox;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sandbox host cluster, a kubeconfig file for the binary and an admin client for checks.
struct Host {
    sb: Sandbox,
    _dir: tempfile::TempDir,
    kubeconfig: PathBuf,
    client: kube::Client,
}

impl Host {
    async fn start(control_plane: bool) -> Host {
        let sb = support::start(&["host"]).await;
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        sb.write_kubeconfig(&kubeconfig).unwrap();
        let client = support::client(&sb, "host").await;
        let host = Host {
            sb,
            _dir: dir,
            kubeconfig,
            client,
        };
        if control_plane {
            host.install_control_plane().await;
        }
        host
    }

    /// The control plane without the default types, as `kubefedctl init --no-default-types` installs it.
    async fn install_control_plane(&self) {
        self.run(&["init", "--no-default-types"]).await.ok();
    }

    async fn create_namespace(&self, name: &str) {
        self.create(
            &TargetType::new("", "v1", "Namespace", "namespaces", false)
                .api_resource()
                .to_kube(),
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}),
        )
        .await;
    }

    fn api(&self, resource: &ApiResource, namespace: Option<&str>) -> Api<DynamicObject> {
        match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, resource),
            None => Api::all_with(self.client.clone(), resource),
        }
    }

    async fn create(&self, resource: &ApiResource, namespace: Option<&str>, obj: Value) -> Value {
        let created = self
            .api(resource, namespace)
            .create(
                &PostParams::default(),
                &serde_json::from_value(obj).unwrap(),
            )
            .await
            .unwrap_or_else(|e| panic!("creating {}: {e}", resource.plural));
        serde_json::to_value(created).unwrap()
    }

    async fn get(
        &self,
        resource: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<Value> {
        self.api(resource, namespace)
            .get_opt(name)
            .await
            .unwrap()
            .map(|o| serde_json::to_value(o).unwrap())
    }

    async fn ftc(&self, name: &str) -> Option<FederatedTypeConfig> {
        Api::<FederatedTypeConfig>::namespaced(self.client.clone(), DEFAULT_KUBEFED_NAMESPACE)
            .get_opt(name)
            .await
            .unwrap()
    }

    async fn crd(&self, name: &str) -> Option<Value> {
        self.get(&crd_resource(), None, name).await
    }

    fn writes(&self) -> u64 {
        self.sb.cluster("host").unwrap().metrics.writes()
    }

    /// Runs the binary with this host's kubeconfig.
    async fn run(&self, args: &[&str]) -> Run {
        run_binary(Some(&self.kubeconfig), args, None).await
    }
}

/// What a run of the binary left: exit code, stdout, stderr.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }
}

async fn run_binary(kubeconfig: Option<&Path>, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = match kubeconfig {
        Some(kc) => support::kubefedctl(kc),
        None => support::binary(),
    };
    cmd.args(args).env("HOME", "/nonexistent");
    let out = support::output(cmd, stdin.map(str::to_string)).await;
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: support::stdout(&out),
        stderr: support::stderr(&out),
    }
}

fn yaml_docs(text: &str) -> Vec<Value> {
    kubefedctl::yaml::parse_documents(text).unwrap()
}

fn fixture_docs(path: &str) -> Vec<Value> {
    yaml_docs(&std::fs::read_to_string(root().join(path)).unwrap())
}

fn default_type(name: &str) -> TargetType {
    default_types()
        .into_iter()
        .find(|t| t.group_qualified_name() == name)
        .unwrap()
}

fn federated_resource(t: &TargetType) -> ApiResource {
    t.federated_api_resource(TYPES_GROUP, TYPES_VERSION)
        .to_kube()
}

/// A CRD for `kind` in example.com: namespaced or cluster-scoped, with an int32 `spec.replicas` or not.
fn example_crd(plural: &str, kind: &str, group: &str, namespaced: bool, replicas: bool) -> Value {
    let mut spec_props = json!({"size": {"type": "string"}});
    if replicas {
        spec_props["replicas"] = json!({"type": "integer", "format": "int32"});
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{plural}.{group}")},
        "spec": {
            "group": group,
            "names": {"plural": plural, "singular": kind.to_lowercase(), "kind": kind, "shortNames": [format!("{}x", &plural[..2])]},
            "scope": if namespaced { "Namespaced" } else { "Cluster" },
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": spec_props}}}}}]
        }
    })
}

async fn install_crd(host: &Host, crd: Value) {
    let name = crd["metadata"]["name"].as_str().unwrap().to_string();
    host.create(&crd_resource(), None, crd).await;
    wait_established(&host.client, &[name], Duration::from_secs(10))
        .await
        .unwrap();
}

// ------------------------------------------------------------------------------------------------
// Golden files

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_file_matches_the_expected_fixture_for_every_input() {
    let dir = root().join("fixtures/federate");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".input.yaml"))
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 11,
        "a fixture per default type and a multi-document one"
    );
    for input in inputs {
        // No kubeconfig at all: -f never contacts a cluster.
        let out = run_binary(None, &["federate", "-f", input.to_str().unwrap()], None)
            .await
            .ok();
        let expected = PathBuf::from(
            input
                .to_string_lossy()
                .replace(".input.yaml", ".expected.yaml"),
        );
        assert!(out.stdout.starts_with("---\n"), "{input:?}: {}", out.stdout);
        assert_eq!(
            yaml_docs(&out.stdout),
            yaml_docs(&std::fs::read_to_string(&expected).unwrap()),
            "{input:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_reads_stdin_and_warns_about_dropped_annotations() {
    let input =
        std::fs::read_to_string(root().join("fixtures/federate/configmap.input.yaml")).unwrap();
    let out = run_binary(None, &["federate", "-f", "-", "-o", "json"], Some(&input))
        .await
        .ok();
    let list: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(
        list["items"][0],
        fixture_docs("fixtures/federate/configmap.expected.yaml")[0]
    );
    assert!(
        out.stderr.contains("Warning: annotations of ConfigMap \"shop/app-settings\" are not copied to the template of its federated object: owner\n"),
        "{}",
        out.stderr
    );
}

/// Empty input is almost always a mistake upstream of the pipe: it is said, not printed as an empty list.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_of_empty_input_says_there_was_nothing_to_convert() {
    for input in ["", "\n", "---\n---\n"] {
        let out = run_binary(None, &["federate", "-f", "-"], Some(input)).await;
        assert_eq!(out.code, 2, "{input:?}: {out:#?}");
        assert!(out.stdout.is_empty(), "{input:?}: {}", out.stdout);
        assert!(
            out.stderr
                .contains("nothing to convert: stdin holds no object"),
            "{input:?}: {}",
            out.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enable_yaml_matches_the_expected_fixture_for_every_default_type() {
    let host = Host::start(false).await;
    let before = host.writes();
    for t in default_types() {
        let name = t.group_qualified_name();
        let out = host.run(&["enable", &name, "-o", "yaml"]).await.ok();
        assert!(out.stdout.starts_with("---\n"), "{name}: {}", out.stdout);
        assert_eq!(
            yaml_docs(&out.stdout),
            fixture_docs(&format!("fixtures/enable/{name}.expected.yaml")),
            "{name}"
        );
    }
    assert_eq!(host.writes(), before, "-o yaml writes nothing");
}

// ------------------------------------------------------------------------------------------------
// enable / disable

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enable_then_disable_a_builtin_type() {
    let host = Host::start(true).await;
    let out = host.run(&["enable", "deploy"]).await.ok();
    assert_eq!(
        out.stdout,
        "customresourcedefinition.apiextensions.k8s.io/federateddeployments.types.kubefed.io created\n\
         federatedtypeconfig.core.kubefed.io/deployments.apps created in namespace kube-federation-system\n"
    );
    let ftc = host.ftc("deployments.apps").await.expect("FTC created");
    assert_eq!(ftc.spec.propagation, "Enabled");
    assert_eq!(ftc.spec.federated_type.kind, "FederatedDeployment");
    let crd = host
        .crd("federateddeployments.types.kubefed.io")
        .await
        .expect("CRD created");
    assert!(
        crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
            ["retainReplicas"]
            .is_object()
    );
    assert_eq!(crd["spec"]["names"]["shortNames"], json!(["fdeploy"]));
    let managers: Vec<&str> = crd["metadata"]["managedFields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["manager"].as_str())
        .collect();
    assert!(managers.contains(&"kubefedctl"), "{managers:?}");

    let out = host.run(&["disable", "deployments.apps"]).await.ok();
    assert_eq!(
        out.stdout,
        "Disabled propagation for FederatedTypeConfig \"kube-federation-system/deployments.apps\"\n\
         federatedtypeconfig \"kube-federation-system/deployments.apps\" deleted\n"
    );
    assert!(host.ftc("deployments.apps").await.is_none());
    assert!(
        host.crd("federateddeployments.types.kubefed.io")
            .await
            .is_some(),
        "the CRD stays without --delete-crd"
    );
    let out = host
        .run(&["disable", "deployments.apps", "--delete-crd"])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        "FederatedTypeConfig \"kube-federation-system/deployments.apps\" does not exist\n\
         customresourcedefinition \"federateddeployments.types.kubefed.io\" deleted\n"
    );
    assert!(host
        .crd("federateddeployments.types.kubefed.io")
        .await
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn disable_releases_the_finalizer_kubefed_put_on_an_ftc() {
    let host = Host::start(true).await;
    host.run(&["enable", "services"]).await.ok();
    let ftcs: Api<FederatedTypeConfig> =
        Api::namespaced(host.client.clone(), DEFAULT_KUBEFED_NAMESPACE);
    ftcs.patch(
        "services",
        &kube::api::PatchParams::default(),
        &kube::api::Patch::Merge(
            json!({"metadata": {"finalizers": ["core.kubefed.io/federated-type-config"]}}),
        ),
    )
    .await
    .unwrap();
    host.run(&["disable", "svc"]).await.ok();
    assert!(
        host.ftc("services").await.is_none(),
        "the FTC is gone, not left terminating"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enable_finds_the_default_types_init_installed_unchanged() {
    let host = Host::start(false).await;
    host.run(&["init"]).await.ok();
    let before = host.writes();
    for t in default_types() {
        let name = t.group_qualified_name();
        let out = host.run(&["enable", &name, "--dry-run"]).await.ok();
        assert!(
            out.stdout.lines().all(|l| l.contains(" unchanged")),
            "{name}: {}",
            out.stdout
        );
    }
    assert_eq!(host.writes(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enabling_twice_reports_unchanged() {
    let host = Host::start(true).await;
    host.run(&["enable", "configmaps"]).await.ok();
    let out = host.run(&["enable", "ConfigMap"]).await.ok();
    assert_eq!(
        out.stdout,
        "customresourcedefinition.apiextensions.k8s.io/federatedconfigmaps.types.kubefed.io unchanged\n\
         federatedtypeconfig.core.kubefed.io/configmaps unchanged in namespace kube-federation-system\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dry_runs_send_no_write() {
    let host = Host::start(true).await;
    let before = host.writes();
    let out = host.run(&["enable", "secrets", "--dry-run"]).await.ok();
    assert_eq!(
        out.stdout,
        "customresourcedefinition.apiextensions.k8s.io/federatedsecrets.types.kubefed.io created (dry run)\n\
         federatedtypeconfig.core.kubefed.io/secrets created in namespace kube-federation-system (dry run)\n"
    );
    assert_eq!(host.writes(), before);
    assert!(host.ftc("secrets").await.is_none());

    host.run(&["enable", "secrets"]).await.ok();
    host.create_namespace("shop").await;
    host.create(
        &default_type("secrets").api_resource().to_kube(),
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "token", "namespace": "shop"}, "stringData": {"k": "v"}}),
    )
    .await;
    let before = host.writes();
    let out = host
        .run(&["federate", "secret", "token", "-n", "shop", "--dry-run"])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        "federatedsecret.types.kubefed.io/token created (dry run)\n"
    );
    let out = host
        .run(&["disable", "secrets", "--delete-crd", "--dry-run"])
        .await
        .ok();
    assert!(out.stdout.contains("deleted (dry run)"), "{}", out.stdout);
    assert_eq!(host.writes(), before);
    assert!(host.ftc("secrets").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enable_disable_a_namespaced_and_a_cluster_scoped_crd() {
    let host = Host::start(true).await;
    install_crd(
        &host,
        example_crd("widgets", "Widget", "example.com", true, true),
    )
    .await;
    install_crd(
        &host,
        example_crd("gadgets", "Gadget", "example.com", false, false),
    )
    .await;

    host.run(&["enable", "widgets"]).await.ok();
    let ftc = host.ftc("widgets.example.com").await.expect("FTC");
    assert_eq!(ftc.spec.target_type.scope, "Namespaced");
    assert_eq!(ftc.spec.federated_type.kind, "FederatedWidget");
    let crd = host.crd("federatedwidgets.types.kubefed.io").await.unwrap();
    assert_eq!(crd["spec"]["scope"], "Namespaced");
    assert_eq!(crd["spec"]["names"]["shortNames"], json!(["fwix"]));
    let spec_props = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
        ["properties"];
    assert!(
        spec_props["retainReplicas"].is_object(),
        "int32 replicas offer retainReplicas"
    );

    host.run(&["enable", "Gadget"]).await.ok();
    let ftc = host.ftc("gadgets.example.com").await.expect("FTC");
    assert_eq!(ftc.spec.federated_type.scope, "Cluster");
    let crd = host.crd("federatedgadgets.types.kubefed.io").await.unwrap();
    assert_eq!(crd["spec"]["scope"], "Cluster");
    let spec_props = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
        ["properties"];
    assert!(spec_props.get("retainReplicas").is_none());

    // Objects of both types can be federated.
    host.create_namespace("shop").await;
    let widgets = ApiResource {
        group: "example.com".into(),
        version: "v1".into(),
        api_version: "example.com/v1".into(),
        kind: "Widget".into(),
        plural: "widgets".into(),
    };
    host.create(
        &widgets,
        Some("shop"),
        json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1", "namespace": "shop"}, "spec": {"replicas": 2}}),
    )
    .await;
    let out = host
        .run(&["federate", "widgets.example.com", "w1", "-n", "shop"])
        .await
        .ok();
    assert_eq!(out.stdout, "federatedwidget.types.kubefed.io/w1 created\n");
    let gadgets = ApiResource {
        group: "example.com".into(),
        version: "v1".into(),
        api_version: "example.com/v1".into(),
        kind: "Gadget".into(),
        plural: "gadgets".into(),
    };
    host.create(
        &gadgets,
        None,
        json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g1"}, "spec": {"size": "L"}}),
    )
    .await;
    host.run(&["federate", "gadget", "g1"]).await.ok();
    let fed_gadget = host
        .get(
            &TargetType::new(
                "types.kubefed.io",
                "v1beta1",
                "FederatedGadget",
                "federatedgadgets",
                false,
            )
            .api_resource()
            .to_kube(),
            None,
            "g1",
        )
        .await
        .expect("cluster-scoped federated object");
    assert_eq!(
        fed_gadget["spec"]["template"],
        json!({"spec": {"size": "L"}})
    );

    // The CRD cannot go while a federated widget exists.
    let out = host
        .run(&["disable", "widgets.example.com", "--delete-crd"])
        .await;
    assert_eq!(out.code, 1, "{out:#?}");
    assert!(out.stderr.contains("Error: Cannot delete CRD \"federatedwidgets.types.kubefed.io\" while resource instances exist. Please try kubefedctl disable again after removing the resource instances or without the '--delete-crd' option"), "{}", out.stderr);
    assert!(
        host.ftc("widgets.example.com").await.is_some(),
        "nothing was changed"
    );

    host.run(&["disable", "gadgets.example.com"]).await.ok();
    assert!(host.ftc("gadgets.example.com").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changing_the_federated_type_is_refused() {
    let host = Host::start(true).await;
    host.run(&["enable", "jobs.batch"]).await.ok();
    let out = host
        .run(&[
            "enable",
            "jobs.batch",
            "--federated-group",
            "fed.example.com",
        ])
        .await;
    assert_eq!(out.code, 1, "{out:#?}");
    assert!(out.stderr.contains("Error: Federation is already enabled for \"jobs.batch/v1\" with federated type \"federatedjobs.types.kubefed.io/v1beta1\". Changing the federated type to \"federatedjobs.fed.example.com/v1beta1\" is not supported."), "{}", out.stderr);
    assert!(
        out.stderr.contains("hint: disable the type first"),
        "{}",
        out.stderr
    );
    assert!(host.crd("federatedjobs.fed.example.com").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enable_reads_an_enable_type_directive() {
    let host = Host::start(true).await;
    let path = host._dir.path().join("directive.yaml");
    std::fs::write(
        &path,
        "apiVersion: core.kubefed.io/v1beta1\nkind: EnableTypeDirective\nmetadata:\n  name: services\nspec:\n  federatedGroup: fed.example.com\n",
    )
    .unwrap();
    host.run(&["enable", "-f", path.to_str().unwrap()])
        .await
        .ok();
    let ftc = host.ftc("services").await.unwrap();
    assert_eq!(ftc.spec.federated_type.group, "fed.example.com");
    assert!(host
        .crd("federatedservices.fed.example.com")
        .await
        .is_some());
}

// ------------------------------------------------------------------------------------------------
// federate

/// The fixture input of a default type, as a user would have created it: system-set metadata and status
/// left out, and a Service's allocated IPs and ports left to the server.
fn source_from_fixture(file: &str) -> Value {
    let mut obj = fixture_docs(&format!("fixtures/federate/{file}.input.yaml")).remove(0);
    let map = obj.as_object_mut().unwrap();
    map.remove("status");
    let meta = map.get_mut("metadata").unwrap().as_object_mut().unwrap();
    for k in [
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "managedFields",
        "generation",
    ] {
        meta.remove(k);
    }
    if let Some(spec) = obj["spec"].as_object_mut() {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
        spec.remove("finalizers");
    }
    if let Some(ports) = obj["spec"]["ports"].as_array_mut() {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            p.remove("nodePort");
        }
    }
    obj
}

fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_each_default_type_templates_the_scrubbed_source() {
    let host = Host::start(true).await;
    host.create_namespace("ci").await;
    let cases = [
        ("configmap", "configmaps"),
        ("deployment", "deployments.apps"),
        ("ingress", "ingresses.networking.k8s.io"),
        ("job", "jobs.batch"),
        ("replicaset", "replicasets.apps"),
        ("secret", "secrets"),
        ("service", "services"),
        ("serviceaccount", "serviceaccounts"),
        ("clusterrole", "clusterroles.rbac.authorization.k8s.io"),
        ("namespace", "namespaces"),
    ];
    // The namespace fixture is `shop`, where the namespaced fixtures live: create it first.
    let ns_source = source_from_fixture("namespace");
    host.create(
        &default_type("namespaces").api_resource().to_kube(),
        None,
        ns_source,
    )
    .await;
    for (file, type_name) in cases {
        let t = default_type(type_name);
        host.run(&["enable", type_name]).await.ok();
        let source = source_from_fixture(file);
        let name = source["metadata"]["name"].as_str().unwrap().to_string();
        let ns = source["metadata"]["namespace"].as_str().map(str::to_string);
        if file != "namespace" {
            host.create(
                &t.api_resource().to_kube(),
                ns.as_deref().filter(|_| t.namespaced),
                source,
            )
            .await;
        }
        let mut args = vec!["federate", type_name, name.as_str()];
        if let Some(ns) = ns.as_deref() {
            args.extend(["-n", ns]);
        }
        let out = host.run(&args).await.ok();
        let fed_resource = federated_resource(&t);
        let label = format!("{}.types.kubefed.io", fed_resource.kind.to_lowercase());
        assert_eq!(
            out.stdout,
            format!("{label}/{name} created\n"),
            "{type_name}"
        );

        let fed_ns = if t.is_namespace() {
            Some(name.as_str())
        } else {
            ns.as_deref().filter(|_| t.namespaced)
        };
        let live_source = host
            .get(
                &t.api_resource().to_kube(),
                ns.as_deref().filter(|_| t.namespaced),
                &name,
            )
            .await
            .unwrap_or_else(|| panic!("{type_name}: source {name} in {ns:?}"));
        let expected =
            kubefedctl::conversion::federate_object(&live_source, &t, TYPES_GROUP, TYPES_VERSION)
                .object;
        let federated = host
            .get(&fed_resource, fed_ns, &name)
            .await
            .unwrap_or_else(|| panic!("{type_name}: federated object"));
        assert_eq!(federated["spec"], expected["spec"], "{type_name}");
        assert_eq!(federated["metadata"]["name"], json!(name));
        assert_eq!(
            federated["spec"]["placement"],
            json!({"clusterSelector": {"matchLabels": {}}})
        );
        let template = &federated["spec"]["template"];
        assert!(
            template["metadata"].get("annotations").is_none(),
            "{type_name}"
        );
        if file == "service" {
            assert!(template["spec"].get("clusterIP").is_none());
            assert!(template["spec"]["ports"][0].get("nodePort").is_none());
        }
        if file == "namespace" {
            assert_eq!(federated["metadata"]["namespace"], "shop");
        }
        // The template keeps the fixture's intent: every field the fixture's expected template sets.
        let fixture_template = &fixture_docs(&format!("fixtures/federate/{file}.expected.yaml"))[0]
            ["spec"]["template"];
        // A null in the fixture (Go's zero creationTimestamp) stands for an absent field.
        let fixture_template = without_nulls(fixture_template);
        assert!(
            kubefedctl::commands::enable::is_subset(&fixture_template, template),
            "{type_name}: {template:#}\nvs fixture {fixture_template:#}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_without_an_enabled_type_says_to_use_enable_type() {
    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    host.create(
        &default_type("configmaps").api_resource().to_kube(),
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "shop"}}),
    )
    .await;
    let before = host.writes();
    let out = host.run(&["federate", "cm", "cfg", "-n", "shop"]).await;
    assert_eq!(out.code, 1, "{out:#?}");
    assert!(out.stderr.contains("Error: federatedtypeconfigs.core.kubefed.io \"configmaps\" not found in namespace \"kube-federation-system\". Consider using '--enable-type' to optionally enable type while federating the resource"), "{}", out.stderr);
    assert!(
        out.stderr.contains("hint: run again with --enable-type"),
        "{}",
        out.stderr
    );
    assert_eq!(host.writes(), before);

    // -o prints with the default federated type, no FTC needed.
    let out = host
        .run(&["federate", "cm", "cfg", "-n", "shop", "-o", "yaml"])
        .await
        .ok();
    assert_eq!(yaml_docs(&out.stdout)[0]["kind"], "FederatedConfigMap");
    assert_eq!(host.writes(), before);

    let out = host
        .run(&["federate", "cm", "cfg", "-n", "shop", "--enable-type"])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        "customresourcedefinition.apiextensions.k8s.io/federatedconfigmaps.types.kubefed.io created\n\
         federatedtypeconfig.core.kubefed.io/configmaps created in namespace kube-federation-system\n\
         federatedconfigmap.types.kubefed.io/cfg created\n"
    );
    assert!(host.ftc("configmaps").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_namespace_contents() {
    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    let cm = default_type("configmaps").api_resource().to_kube();
    let secret = default_type("secrets").api_resource().to_kube();
    let role = TargetType::new("rbac.authorization.k8s.io", "v1", "Role", "roles", true)
        .api_resource()
        .to_kube();
    host.create(&cm, Some("shop"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "flags", "namespace": "shop"}, "data": {"beta": "on"}})).await;
    host.create(&secret, Some("shop"), json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "shop"}, "stringData": {"password": "x"}})).await;
    host.create(&role, Some("shop"), json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "system:reader", "namespace": "shop"}, "rules": []})).await;
    // An object in another namespace is not part of the contents.
    host.create_namespace("other").await;
    host.create(&cm, Some("other"), json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "elsewhere", "namespace": "other"}})).await;

    let out = host
        .run(&[
            "federate",
            "namespaces",
            "shop",
            "--contents",
            "--enable-type",
            "--skip-api-resources",
            "secrets",
        ])
        .await
        .ok();
    let created: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| {
            l.starts_with("federated")
                && !l.contains(".core.kubefed.io")
                && !l.starts_with("federatedtypeconfig")
        })
        .collect();
    assert!(
        created.contains(&"federatednamespace.types.kubefed.io/shop created"),
        "{}",
        out.stdout
    );
    assert!(
        created.contains(&"federatedconfigmap.types.kubefed.io/flags created"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("federatedsecret"),
        "skipped by --skip-api-resources: {}",
        out.stdout
    );
    assert!(
        out.stderr.contains("Warning: skipped Role \"shop/system:reader\": its name is not valid for a federated object"),
        "{}",
        out.stderr
    );
    assert!(host
        .get(
            &federated_resource(&default_type("configmaps")),
            Some("shop"),
            "flags"
        )
        .await
        .is_some());
    assert!(host
        .get(
            &federated_resource(&default_type("configmaps")),
            Some("other"),
            "elsewhere"
        )
        .await
        .is_none());
    assert!(host
        .get(
            &federated_resource(&default_type("namespaces")),
            Some("shop"),
            "shop"
        )
        .await
        .is_some());

    let out = host
        .run(&[
            "federate",
            "configmaps",
            "flags",
            "-n",
            "shop",
            "--contents",
        ])
        .await;
    assert_eq!(out.code, 2, "{out:#?}");
    assert!(
        out.stderr
            .contains("Flag '--contents' can only be used with type 'namespaces'."),
        "{}",
        out.stderr
    );
}

/// A name or namespace no object can have is reported as invalid (exit 2) before anything is asked of the
/// cluster, not as "not found".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_refuses_invalid_names_and_namespaces() {
    let host = Host::start(true).await;
    let before = host.writes();
    let o = host
        .run(&["federate", "configmaps", "Bad_Name!", "-n", "default"])
        .await;
    assert_eq!(o.code, 2, "{o:#?}");
    assert!(
        o.stderr
            .contains("\"Bad_Name!\" is not a valid object name to federate"),
        "{}",
        o.stderr
    );
    let o = host
        .run(&["federate", "configmaps", "ok", "-n", "Bad NS"])
        .await;
    assert_eq!(o.code, 2, "{o:#?}");
    assert!(
        o.stderr
            .contains("\"Bad NS\" is not a valid namespace name"),
        "{}",
        o.stderr
    );
    assert_eq!(host.writes(), before);
}

/// Re-running `federate --contents` (in a script, or after adding objects) reports what exists and is
/// equal as unchanged and creates only what is new; an object that differs is left alone with a warning
/// naming it, and --overwrite replaces its template and placement while keeping its overrides.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_is_idempotent_and_overwrites_only_when_asked() {
    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    let cm = default_type("configmaps").api_resource().to_kube();
    host.create(
        &cm,
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "flags", "namespace": "shop"}, "data": {"beta": "on"}}),
    )
    .await;
    let contents = [
        "federate",
        "namespaces",
        "shop",
        "--contents",
        "--enable-type",
    ];
    host.run(&contents).await.ok();

    let before = host.writes();
    let again = host.run(&contents).await.ok();
    assert!(
        again
            .stdout
            .contains("federatedconfigmap.types.kubefed.io/flags unchanged"),
        "{}",
        again.stdout
    );
    assert!(
        again
            .stdout
            .contains("federatednamespace.types.kubefed.io/shop unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(host.writes(), before, "a second run writes nothing");

    // A new object is federated; a changed one is left alone, with a warning.
    host.create(
        &cm,
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "added", "namespace": "shop"}, "data": {"x": "1"}}),
    )
    .await;
    host.api(&cm, Some("shop"))
        .patch(
            "flags",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"beta": "off"}})),
        )
        .await
        .unwrap();
    let fcm = federated_resource(&default_type("configmaps"));
    host.api(&fcm, Some("shop"))
        .patch(
            "flags",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"overrides": [{"clusterName": "m1",
                "clusterOverrides": [{"path": "/data/beta", "value": "m1"}]}]}})),
        )
        .await
        .unwrap();
    let third = host.run(&contents).await.ok();
    assert!(
        third
            .stdout
            .contains("federatedconfigmap.types.kubefed.io/added created"),
        "{}",
        third.stdout
    );
    assert!(
        third.stderr.contains(
            "FederatedConfigMap \"shop/flags\" already exists with a different template: left as it is; \
             --overwrite replaces its template and placement and keeps its overrides"
        ),
        "{}",
        third.stderr
    );
    let flags = host.get(&fcm, Some("shop"), "flags").await.unwrap();
    assert_eq!(
        flags["spec"]["template"]["data"]["beta"], "on",
        "left alone"
    );

    let dry = host
        .run(&[
            "federate",
            "configmaps",
            "flags",
            "-n",
            "shop",
            "--overwrite",
            "--dry-run",
        ])
        .await
        .ok();
    assert!(
        dry.stdout.contains(
            "federatedconfigmap.types.kubefed.io/flags configured (overrides kept) (dry run)"
        ),
        "{}",
        dry.stdout
    );
    assert_eq!(
        host.get(&fcm, Some("shop"), "flags").await.unwrap()["spec"]["template"]["data"]["beta"],
        "on"
    );

    let o = host
        .run(&[
            "federate",
            "configmaps",
            "flags",
            "-n",
            "shop",
            "--overwrite",
        ])
        .await
        .ok();
    assert!(
        o.stdout
            .contains("federatedconfigmap.types.kubefed.io/flags configured (overrides kept)"),
        "{}",
        o.stdout
    );
    let flags = host.get(&fcm, Some("shop"), "flags").await.unwrap();
    assert_eq!(flags["spec"]["template"]["data"]["beta"], "off");
    assert_eq!(
        flags["spec"]["overrides"][0]["clusterName"], "m1",
        "overrides kept"
    );
}

/// A host with the control plane and two joined members, `m1` (labelled region=eu) and `m2` (region=us), for
/// checking where federated objects land after `reconcile --once`.
struct Federation {
    host: Host,
    m1: kube::Client,
    m2: kube::Client,
}

impl Federation {
    async fn start() -> Federation {
        let sb = support::start(&["host", "m1", "m2"]).await;
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        sb.write_kubeconfig(&kubeconfig).unwrap();
        let client = support::client(&sb, "host").await;
        let (m1, m2) = (
            support::client(&sb, "m1").await,
            support::client(&sb, "m2").await,
        );
        let host = Host {
            sb,
            _dir: dir,
            kubeconfig,
            client,
        };
        host.install_control_plane().await;
        host.run(&["join", "m1", "--label", "region=eu"]).await.ok();
        host.run(&["join", "m2", "--label", "region=us"]).await.ok();
        host.create_namespace("shop").await;
        host.run(&["federate", "namespaces", "shop", "--enable-type"])
            .await
            .ok();
        let deployments = default_type("deployments.apps").api_resource().to_kube();
        host.create(
            &deployments,
            Some("shop"),
            source_from_fixture("deployment"),
        )
        .await;
        host.run(&["enable", "deployments.apps"]).await.ok();
        Federation { host, m1, m2 }
    }

    /// The Deployment shop/web in a member, after a reconcile pass.
    async fn member_web(&self, member: &kube::Client) -> Option<Value> {
        let deployments = default_type("deployments.apps").api_resource().to_kube();
        Api::<DynamicObject>::namespaced_with(member.clone(), "shop", &deployments)
            .get_opt("web")
            .await
            .unwrap()
            .map(|o| serde_json::to_value(o).unwrap())
    }

    async fn federated_web(&self) -> Value {
        let fdeploy = federated_resource(&default_type("deployments.apps"));
        self.host.get(&fdeploy, Some("shop"), "web").await.unwrap()
    }
}

/// --clusters and --override end up where reconcile reads them: the member not listed gets nothing, the
/// overridden member gets a number of replicas (not a string), the other the template's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_places_and_overrides_from_flags() {
    let fed = Federation::start().await;
    let out = fed
        .host
        .run(&[
            "federate",
            "deploy",
            "web",
            "-n",
            "shop",
            "--clusters",
            "m1,m2",
            "--override",
            "m2:/spec/replicas=4",
            "--override",
            "m2:/metadata/labels={app: web, canary: \"true\"}",
        ])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        "federateddeployment.types.kubefed.io/web created\n"
    );
    let federated = fed.federated_web().await;
    assert_eq!(
        federated["spec"]["placement"],
        json!({"clusters": [{"name": "m1"}, {"name": "m2"}]})
    );
    fed.host.run(&["reconcile", "--once"]).await.ok();
    let m1 = fed.member_web(&fed.m1).await.expect("placed in m1");
    let m2 = fed.member_web(&fed.m2).await.expect("placed in m2");
    assert_eq!(m1["spec"]["replicas"], json!(3), "the template's replicas");
    assert_eq!(
        m2["spec"]["replicas"],
        json!(4),
        "a number, from the override"
    );
    assert_eq!(m2["metadata"]["labels"]["canary"], json!("true"));
    assert!(m1["metadata"]["labels"].get("canary").is_none());

    // Only m1 by label: the existing object differs in placement, and is left alone without --overwrite.
    let selector = [
        "federate",
        "deploy",
        "web",
        "-n",
        "shop",
        "--cluster-selector",
        "region=eu",
    ];
    let before = fed.host.writes();
    let out = fed.host.run(&selector).await.ok();
    assert!(
        out.stderr.contains(
            "FederatedDeployment \"shop/web\" already exists with a different placement: left as it is; \
             --overwrite replaces its template and placement and keeps its overrides"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(fed.host.writes(), before);
    let mut overwrite = selector.to_vec();
    overwrite.push("--overwrite");
    let out = fed.host.run(&overwrite).await.ok();
    assert_eq!(
        out.stdout,
        "federateddeployment.types.kubefed.io/web configured (overrides kept)\n"
    );
    let federated = fed.federated_web().await;
    assert_eq!(
        federated["spec"]["placement"],
        json!({"clusterSelector": {"matchLabels": {"region": "eu"}}})
    );
    assert_eq!(
        federated["spec"]["overrides"][0]["clusterName"], "m2",
        "kept"
    );
    fed.host.run(&["reconcile", "--once"]).await.ok();
    assert!(fed.member_web(&fed.m1).await.is_some());
    assert!(
        fed.member_web(&fed.m2).await.is_none(),
        "m2 is no longer selected"
    );
}

/// With --override, a re-run compares the overrides too, and --overwrite replaces them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_again_compares_and_overwrites_overrides_given_as_flags() {
    let fed = Federation::start().await;
    let run = |replicas: &'static str, overwrite: bool| {
        let mut args = vec![
            "federate",
            "deploy",
            "web",
            "-n",
            "shop",
            "--override",
            replicas,
        ];
        if overwrite {
            args.push("--overwrite");
        }
        let host = &fed.host;
        async move { host.run(&args).await.ok() }
    };
    run("m1:/spec/replicas=2", false).await;
    let before = fed.host.writes();
    let same = run("m1:/spec/replicas=2", false).await;
    assert_eq!(
        same.stdout,
        "federateddeployment.types.kubefed.io/web unchanged\n"
    );
    let other = run("m1:/spec/replicas=5", false).await;
    assert!(
        other.stderr.contains(
            "already exists with a different overrides: left as it is; --overwrite replaces its template \
             and placement and overrides and keeps the rest of its spec"
        ),
        "{}",
        other.stderr
    );
    assert_eq!(fed.host.writes(), before, "nothing written");
    let replaced = run("m1:/spec/replicas=5", true).await;
    assert_eq!(
        replaced.stdout,
        "federateddeployment.types.kubefed.io/web configured\n"
    );
    assert_eq!(
        fed.federated_web().await["spec"]["overrides"],
        json!([{"clusterName": "m1", "clusterOverrides": [
            {"op": "replace", "path": "/spec/replicas", "value": 5}]}])
    );
    fed.host.run(&["reconcile", "--once"]).await.ok();
    assert_eq!(
        fed.member_web(&fed.m1).await.unwrap()["spec"]["replicas"],
        json!(5)
    );
}

/// An override the engine would refuse or could not apply is refused up front: exit 2, the message names the
/// flag (and the object it does not fit), nothing is written, not even the type --enable-type would enable.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invalid_override_flags_write_nothing_and_name_the_flag() {
    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    let cm = default_type("configmaps").api_resource().to_kube();
    host.create(
        &cm,
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cfg", "namespace": "shop"}, "data": {"k": "v"}}),
    )
    .await;
    let before = host.writes();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--override", "m1:/metadata/name=other"],
            "Error: invalid --override \"m1:/metadata/name=other\": Forbidden: metadata.name may not be overridden",
        ),
        (
            &["--override", "m1:/data/k"],
            "Error: invalid --override \"m1:/data/k\": give a value (PATH=VALUE), or end the path with - to remove the field",
        ),
        (
            &["--override", "m1:/data/k=1", "--override", "m1:/data/k-"],
            "Error: invalid --override \"m1:/data/k-\": Duplicate value: \"/data/k\"",
        ),
        (
            &["--override", "m1:/spec/replicas=2"],
            "Error: invalid --override \"m1:/spec/replicas=2\" for ConfigMap \"shop/cfg\": cannot replace \"/spec/replicas\": \"/spec\" does not exist in the object",
        ),
        (
            &["--clusters", "m1,M2"],
            "Error: invalid --clusters \"m1,M2\": \"M2\" is not a cluster name",
        ),
        (
            &["--cluster-selector", "region"],
            "Error: invalid --cluster-selector \"region\": \"region\" is not KEY=VALUE",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["federate", "cm", "cfg", "-n", "shop", "--enable-type"];
        args.extend_from_slice(flags);
        let out = host.run(&args).await;
        assert_eq!(out.code, 2, "{flags:?}: {out:#?}");
        assert!(out.stdout.is_empty(), "{flags:?}: {}", out.stdout);
        assert!(out.stderr.starts_with(message), "{flags:?}: {}", out.stderr);
        assert!(out.stderr.contains("\nhint: "), "{flags:?}: {}", out.stderr);
    }
    let out = host
        .run(&[
            "federate",
            "cm",
            "cfg",
            "-n",
            "shop",
            "--clusters",
            "a",
            "--cluster-selector",
            "r=x",
        ])
        .await;
    assert_eq!(out.code, 2, "{out:#?}");
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
    assert_eq!(host.writes(), before, "nothing was written");
    assert!(host.ftc("configmaps").await.is_none());
}

/// The flags work offline (-f) and when printing (-o yaml), on every object converted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn federate_flags_apply_to_every_manifest_offline() {
    let manifests = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\ndata: {k: v}\n---\n\
                     apiVersion: v1\nkind: Secret\nmetadata: {name: b, namespace: shop}\ndata: {k: djE=}\n";
    let out = run_binary(
        None,
        &[
            "federate",
            "-f",
            "-",
            "--cluster-selector",
            "tier=web",
            "--override",
            "m1:/data/k=\"4\"",
            "--override",
            "m2:add:/metadata/labels={}",
        ],
        Some(manifests),
    )
    .await
    .ok();
    let docs = yaml_docs(&out.stdout);
    assert_eq!(docs.len(), 2, "{}", out.stdout);
    for d in &docs {
        assert_eq!(
            d["spec"]["placement"],
            json!({"clusterSelector": {"matchLabels": {"tier": "web"}}})
        );
        assert_eq!(
            d["spec"]["overrides"],
            json!([
                {"clusterName": "m1", "clusterOverrides": [{"op": "replace", "path": "/data/k", "value": "4"}]},
                {"clusterName": "m2", "clusterOverrides": [{"op": "add", "path": "/metadata/labels", "value": {}}]}
            ]),
            "a quoted value stays a string"
        );
    }
    // A Namespace has no /data: the override does not fit it, so nothing is printed.
    let out = run_binary(
        None,
        &["federate", "-f", "-", "--override", "m1:/data/k=1"],
        Some("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"),
    )
    .await;
    assert_eq!(out.code, 2, "{out:#?}");
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("invalid --override \"m1:/data/k=1\" for Namespace \"shop\""),
        "{}",
        out.stderr
    );

    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    let printed = host
        .run(&["federate", "ns", "shop", "-o", "yaml", "--clusters", "m1"])
        .await
        .ok();
    assert_eq!(
        yaml_docs(&printed.stdout)[0]["spec"]["placement"],
        json!({"clusters": [{"name": "m1"}]})
    );
}

// ------------------------------------------------------------------------------------------------
// orphaning-deletion

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orphaning_deletion_enable_disable_status() {
    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    host.create(
        &default_type("configmaps").api_resource().to_kube(),
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "shop"}}),
    )
    .await;
    host.run(&["federate", "cm", "cfg", "-n", "shop", "--enable-type"])
        .await
        .ok();
    let fed = federated_resource(&default_type("configmaps"));
    let status = |host: &Host| {
        let kc = host.kubeconfig.clone();
        async move {
            run_binary(
                Some(&kc),
                &[
                    "orphaning-deletion",
                    "status",
                    "FederatedConfigMap",
                    "cfg",
                    "-n",
                    "shop",
                ],
                None,
            )
            .await
            .ok()
            .stdout
        }
    };
    assert_eq!(status(&host).await, "Disabled\n");
    let out = host
        .run(&["orphaning-deletion", "enable", "fcm", "cfg", "-n", "shop"])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        "federatedconfigmap.types.kubefed.io/cfg orphaning deletion enabled\n"
    );
    assert_eq!(status(&host).await, "Enabled\n");
    let obj = host.get(&fed, Some("shop"), "cfg").await.unwrap();
    assert_eq!(obj["metadata"]["annotations"]["kubefed.io/orphan"], "true");

    let before = host.writes();
    let out = host
        .run(&[
            "orphaning-deletion",
            "enable",
            "federatedconfigmaps.types.kubefed.io",
            "cfg",
            "-n",
            "shop",
        ])
        .await
        .ok();
    assert_eq!(
        out.stdout,
        "federatedconfigmap.types.kubefed.io/cfg orphaning deletion already enabled\n"
    );
    assert_eq!(host.writes(), before, "no write when already enabled");

    host.run(&["orphaning-deletion", "disable", "fcm", "cfg", "-n", "shop"])
        .await
        .ok();
    assert_eq!(status(&host).await, "Disabled\n");
    let obj = host.get(&fed, Some("shop"), "cfg").await.unwrap();
    assert!(obj["metadata"]["annotations"]
        .get("kubefed.io/orphan")
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orphaning_deletion_warns_on_a_non_federated_type_but_proceeds() {
    let host = Host::start(true).await;
    host.create_namespace("shop").await;
    host.create(
        &default_type("configmaps").api_resource().to_kube(),
        Some("shop"),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "shop"}}),
    )
    .await;
    let out = host
        .run(&[
            "orphaning-deletion",
            "status",
            "configmaps",
            "cfg",
            "-n",
            "shop",
        ])
        .await
        .ok();
    assert_eq!(out.stdout, "Disabled\n");
    assert!(
        out.stderr
            .contains("Warning: configmaps/v1 might not be a federated resource"),
        "{}",
        out.stderr
    );
    let out = host
        .run(&[
            "orphaning-deletion",
            "status",
            "configmaps",
            "missing",
            "-n",
            "shop",
        ])
        .await;
    assert_eq!(out.code, 1, "{out:#?}");
    assert!(
        out.stderr.contains("ConfigMap \"shop/missing\" not found"),
        "{}",
        out.stderr
    );
}

// ------------------------------------------------------------------------------------------------
// Bad input

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_and_ambiguous_types_are_usage_errors() {
    let host = Host::start(true).await;
    install_crd(
        &host,
        example_crd("widgets", "Widget", "a.example.com", true, false),
    )
    .await;
    install_crd(
        &host,
        example_crd("widgets", "Widget", "b.example.com", true, false),
    )
    .await;
    let before = host.writes();
    let out = host.run(&["enable", "gizmos"]).await;
    assert_eq!(out.code, 2, "{out:#?}");
    assert!(
        out.stderr
            .starts_with("Error: Unable to find api resource named \"gizmos\".\n"),
        "{}",
        out.stderr
    );
    for args in [
        &["enable", "widget"][..],
        &["federate", "widgets", "w", "-n", "x"],
        &["disable", "Widget"],
    ] {
        let out = host.run(args).await;
        assert_eq!(out.code, 2, "{args:?}: {out:#?}");
        assert!(
            out.stderr.contains("Multiple resources are matched by \"") && out.stderr.contains("widgets.a.example.com, widgets.b.example.com. A group-qualified plural name must be provided."),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert_eq!(host.writes(), before);
    host.run(&["enable", "widgets.b.example.com"]).await.ok();
    assert!(host.ftc("widgets.b.example.com").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_mistyped_type_suggests_what_the_host_serves() {
    let host = Host::start(true).await;
    let before = host.writes();
    for args in [
        &["federate", "deploymnets", "web", "-n", "shop"][..],
        &["enable", "Deploymnt"],
        &["disable", "deploymets"],
    ] {
        let out = host.run(args).await;
        assert_eq!(out.code, 2, "{args:?}: {out:#?}");
        assert!(
            out.stderr.starts_with(&format!(
                "Error: Unable to find api resource named \"{}\".\n",
                args[1]
            )),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("hint: did you mean deployments.apps?"),
            "{args:?}: {}",
            out.stderr
        );
    }
    let out = host.run(&["enable", "confgmap"]).await;
    assert!(
        out.stderr.contains("hint: did you mean configmaps?"),
        "{}",
        out.stderr
    );
    assert_eq!(host.writes(), before, "nothing was written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn malformed_yaml_names_document_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: n}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: [name\n",
    )
    .unwrap();
    let out = run_binary(None, &["federate", "-f", path.to_str().unwrap()], None).await;
    assert_eq!(out.code, 2, "{out:#?}");
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains(&format!("Error: reading {}", path.display()))
            && out.stderr.contains("invalid YAML in document 2 at line"),
        "{}",
        out.stderr
    );
    std::fs::write(&path, "apiVersion: v1\nmetadata: {name: a}\n").unwrap();
    let out = run_binary(None, &["federate", "-f", path.to_str().unwrap()], None).await;
    assert_eq!(out.code, 2, "{out:#?}");
    assert!(
        out.stderr
            .contains("document 1: missing required field \"kind\""),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn flag_conflicts_give_kubefed_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["federate", "-f", "x.yaml", "cm", "a"],
            "Flag '--filename' does not take any args. Got args: [cm a]",
        ),
        (&["federate"], "TYPE-NAME is required"),
        (&["federate", "cm"], "RESOURCE-NAME is required"),
        (
            &["federate", "cm", "a", "-t", "-o", "yaml"],
            "Flag '--enable-type' cannot be used with '--output [yaml]'",
        ),
        (
            &["enable", "cm", "-o", "json"],
            "Invalid value for --output: json",
        ),
        (
            &["disable", "cm", "--version", "v1"],
            "--version flag valid only with --delete-crd",
        ),
        (
            &["orphaning-deletion", "status"],
            "resource type is required",
        ),
        (
            &["orphaning-deletion", "status", "fcm"],
            "resource name is required",
        ),
    ];
    for (args, message) in cases {
        let out = run_binary(None, args, None).await;
        assert_eq!(out.code, 2, "{args:?}: {out:#?}");
        assert!(
            out.stderr.contains(&format!("Error: {message}")),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn enable_without_a_control_plane_points_to_init() {
    let host = Host::start(false).await;
    let out = host.run(&["enable", "configmaps"]).await;
    assert_eq!(out.code, 1, "{out:#?}");
    assert!(
        out.stderr
            .contains("Error: KubeFed system namespace \"kube-federation-system\" does not exist"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: install the control plane with `kubefedctl init`"),
        "{}",
        out.stderr
    );
    assert!(host
        .crd("federatedconfigmaps.types.kubefed.io")
        .await
        .is_none());
}
