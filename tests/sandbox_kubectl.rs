//! Real kubectl binaries (1.35, 1.33, 1.27 and 1.20) driven through the commands a platform engineer uses,
//! on every backend: the sandbox and real kube-apiservers v1.37.2 and v1.34.2, each through the kubeconfig
//! the test bed writes, so that a command that works on one backend and not on another shows as one failing
//! test (`kubectl_1_35::sandbox`, `kubectl_1_35::kube_apiserver_v1_37`, ...). A missing kubectl or reference
//! server is skipped with the reason locally and fails under CI=true.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{poll_blocking, Backend, Bed};

struct Kubectl {
    bin: PathBuf,
    kubeconfig: PathBuf,
    cache: PathBuf,
    label: String,
    /// The backend, for messages.
    on: String,
}

impl Kubectl {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        use std::io::Write;
        let mut cmd = Command::new(&self.bin);
        cmd.arg(format!("--kubeconfig={}", self.kubeconfig.display()))
            .arg(format!("--cache-dir={}", self.cache.display()))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("kubectl runs");
        if let Some(s) = stdin {
            child
                .stdin
                .as_mut()
                .unwrap()
                .write_all(s.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    }
    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "kubectl {} {:?} on {} failed: {}\n{}",
            self.label,
            args,
            self.on,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

fn setup(bed: &Bed, label: &str, bin: &Path) -> Kubectl {
    Kubectl {
        bin: bin.to_path_buf(),
        kubeconfig: bed.kubeconfig.clone(),
        cache: bed.dir().join(format!("cache-{label}")),
        label: label.to_string(),
        on: bed.label(),
    }
}

/// What the cluster says it is (`GET /version`), asked without kubectl, after checking that it is the
/// version the backend is: the one a real server was built as, the one the sandbox emulates.
async fn server_version(bed: &Bed) -> serde_json::Value {
    let client = bed.client("c1").await;
    let (code, v, text) = support::request(&client, "GET", "/version", &[], vec![]).await;
    assert_eq!(code, 200, "GET /version on {}: {text}", bed.label());
    let expected = match bed.tb.backend() {
        Backend::Sandbox => kubefedctl::sandbox::discovery::GIT_VERSION.to_string(),
        Backend::Reference(version) => version,
    };
    assert_eq!(v["gitVersion"], expected.as_str(), "{}: {v}", bed.label());
    v
}

const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n  labels: {app: web}\ndata:\n  a: \"1\"\n";
const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{containerPort: 80}]
"#;
const CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, description: How many sprockets the widget has.}
"#;

const SA_TOKEN_SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bot-token\n  namespace: default\n  annotations: {kubernetes.io/service-account.name: bot}\ntype: kubernetes.io/service-account-token\n";

async fn kubectl_1_35(backend: Backend) {
    drive("1.35", backend).await;
}
on_every_backend!(kubectl_1_35);

async fn kubectl_1_33(backend: Backend) {
    drive("1.33", backend).await;
}
on_every_backend!(kubectl_1_33);

async fn kubectl_1_27(backend: Backend) {
    drive("1.27", backend).await;
}
on_every_backend!(kubectl_1_27);

async fn kubectl_1_20(backend: Backend) {
    drive("1.20", backend).await;
}
on_every_backend!(kubectl_1_20);

/// `kubectl explain FIELD` until it works (a real server publishes a new CRD's schema a moment after the CRD
/// is established), then checks that it shows the field's type and description. kubectl 1.27+ reads the
/// OpenAPI v3 document of the field's group-version, kubectl 1.20 the protobuf v2 document.
fn explain_when_published(k: &Kubectl, field: &str, expect: &[&str]) {
    let mut last = None;
    poll_blocking(30, || {
        let out = last.insert(k.run(&["explain", field], None));
        out.status.success().then_some(())
    });
    let out = last.expect("kubectl explain ran");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "kubectl {} explain {field} on {}: {}",
        k.label,
        k.on,
        String::from_utf8_lossy(&out.stderr)
    );
    for e in expect {
        assert!(
            text.contains(e),
            "kubectl {} explain {field} on {}: no {e:?} in\n{text}",
            k.label,
            k.on
        );
    }
}

/// What kubectl does with the server's OpenAPI documents, on a Deployment `web` that runs nginx:1.26:
/// explain a field, diff a manifest against the live object, apply with server-side dry-run, and refuse a
/// manifest with an unknown field (kubectl 1.20 itself, from the v2 schema; newer kubectl through the server's
/// strict field validation, which it finds supported in the v3 document).
fn openapi_clients(k: &Kubectl) {
    explain_when_published(
        k,
        "deployment.spec.replicas",
        &["replicas", "<integer>", "Number of desired pods."],
    );
    let containers = k.ok(
        &["explain", "deployment.spec.template.spec.containers"],
        None,
    );
    assert!(
        containers.contains("A single application container that you want to run within a pod."),
        "kubectl {} on {}:\n{containers}",
        k.label,
        k.on
    );
    // diff runs a server-side dry-run apply: exit 1 with the differences, 0 without.
    let next = DEPLOY.replace("nginx:1.25", "nginx:1.27");
    let diff = k.run(&["diff", "-f", "-"], Some(&next));
    let diff_text = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(
        diff.status.code(),
        Some(1),
        "kubectl {} diff on {}: {}\n{diff_text}",
        k.label,
        k.on,
        String::from_utf8_lossy(&diff.stderr)
    );
    assert!(
        diff_text
            .lines()
            .any(|l| l.starts_with('+') && l.contains("image: nginx:1.27"))
            && diff_text
                .lines()
                .any(|l| l.starts_with('-') && l.contains("image: nginx:1.26")),
        "kubectl {} diff on {}:\n{diff_text}",
        k.label,
        k.on
    );
    let same = DEPLOY.replace("nginx:1.25", "nginx:1.26");
    // A real server's controllers may still be writing the status between diff's read and its dry run.
    let mut last = None;
    poll_blocking(15, || {
        let out = last.insert(k.run(&["diff", "-f", "-"], Some(&same)));
        (out.status.code() == Some(0)).then_some(())
    });
    let none = last.expect("kubectl diff ran");
    assert_eq!(
        none.status.code(),
        Some(0),
        "kubectl {} diff of the live manifest on {}: {}\n{}",
        k.label,
        k.on,
        String::from_utf8_lossy(&none.stderr),
        String::from_utf8_lossy(&none.stdout)
    );
    let dry = k.ok(
        &["apply", "--dry-run=server", "-f", "-"],
        Some(&same.replace("replicas: 2", "replicas: 7")),
    );
    assert_eq!(
        dry.trim(),
        "deployment.apps/web configured (server dry run)"
    );
    let replicas = k.ok(
        &["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"],
        None,
    );
    assert_eq!(
        replicas, "2",
        "a dry run changed the Deployment on {}",
        k.on
    );
    let unknown = same.replace("replicas: 2", "replicas: 2\n  replicaz: 3");
    let refused = k.run(&["apply", "--validate=true", "-f", "-"], Some(&unknown));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "kubectl {} on {}", k.label, k.on);
    if k.label == "1.20" {
        assert_eq!(
            err.trim(),
            r#"error: error validating "STDIN": error validating data: ValidationError(Deployment.spec): unknown field "replicaz" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation off with --validate=false"#,
            "kubectl 1.20 on {}",
            k.on
        );
    } else {
        // The server refuses it. A real server words the refusal of a patch as 422 Invalid and the sandbox
        // as 400 BadRequest; both name the field.
        assert!(
            err.contains(r#"strict decoding error: unknown field "spec.replicaz""#),
            "kubectl {} on {}: {err}",
            k.label,
            k.on
        );
    }
}

async fn drive(version: &str, backend: Backend) {
    let Some(bin) = support::kubectl(version) else {
        return;
    };
    let bed = Bed::start(&backend, &["c1"]).await;
    let expected_version = server_version(&bed).await;
    let server_minor: u32 = expected_version["minor"]
        .as_str()
        .and_then(|m| m.trim_end_matches('+').parse().ok())
        .unwrap_or_else(|| panic!("{}: /version minor: {expected_version}", bed.label()));
    {
        let k = setup(&bed, version, &bin);
        let k = &k;
        tokio::task::block_in_place(|| {
            // kubectl reports the server as the server describes itself.
            let v = k.ok(&["version", "-o", "json"], None);
            let v: serde_json::Value =
                serde_json::from_str(&v).unwrap_or_else(|e| panic!("{e}: {v}"));
            for field in ["gitVersion", "major", "minor"] {
                assert_eq!(
                    v["serverVersion"][field],
                    expected_version[field],
                    "kubectl {} on {}: serverVersion.{field}\n{v}",
                    k.label,
                    bed.label()
                );
            }
            let res = k.ok(&["api-resources"], None);
            assert!(
                res.contains("deployments") && res.contains("configmaps"),
                "{res}"
            );
            // client-side apply: create then update (strategic merge patch with $setElementOrder for keyed lists)
            k.ok(&["delete", "configmap", "web", "--ignore-not-found"], None);
            k.ok(&["apply", "-f", "-"], Some(CM));
            let cm2 = CM.replace("a: \"1\"", "a: \"2\"");
            k.ok(&["apply", "-f", "-"], Some(&cm2));
            let got = k.ok(
                &["get", "configmap", "web", "-o", "jsonpath={.data.a}"],
                None,
            );
            assert_eq!(got, "2");
            k.ok(&["delete", "deployment", "web", "--ignore-not-found"], None);
            k.ok(&["apply", "-f", "-"], Some(DEPLOY));
            k.ok(
                &["apply", "-f", "-"],
                Some(&DEPLOY.replace("nginx:1.25", "nginx:1.26")),
            );
            let img = k.ok(
                &[
                    "get",
                    "deploy",
                    "web",
                    "-o",
                    "jsonpath={.spec.template.spec.containers[0].image}",
                ],
                None,
            );
            assert_eq!(img, "nginx:1.26");
            openapi_clients(k);
            // Human output comes from the server's Table: each type's own columns, wide ones with -o wide.
            let wide = k.ok(&["get", "deploy", "web", "-o", "wide"], None);
            let header: Vec<&str> = wide.lines().next().unwrap().split_whitespace().collect();
            assert_eq!(
                header,
                [
                    "NAME",
                    "READY",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "AGE",
                    "CONTAINERS",
                    "IMAGES",
                    "SELECTOR"
                ],
                "{wide}"
            );
            assert!(
                wide.contains("0/2") && wide.contains("nginx:1.26") && wide.contains("app=web"),
                "{wide}"
            );
            if k.label != "1.20" {
                let status = k.ok(&["get", "deploy", "web", "--subresource=status"], None);
                assert!(status.starts_with("NAME   READY   UP-TO-DATE"), "{status}");
            }
            let cms = k.ok(&["get", "cm", "web", "--show-labels"], None);
            assert!(cms.starts_with("NAME   DATA   AGE"), "{cms}");
            assert!(cms.contains("app=web"), "{cms}");
            let nss = k.ok(&["get", "ns", "default"], None);
            assert!(nss.contains("STATUS") && nss.contains("Active"), "{nss}");
            k.ok(&["run", "p1", "--image=nginx"], None);
            let pods = k.ok(&["get", "pods", "p1"], None);
            let header: Vec<&str> = pods.lines().next().unwrap().split_whitespace().collect();
            assert_eq!(
                header,
                ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
                "{pods}"
            );
            assert!(pods.contains("0/1     Pending"), "{pods}");
            k.ok(&["delete", "pod", "p1"], None);
            k.ok(&["apply", "-f", "-"], Some("apiVersion: v1\nkind: Event\nmetadata: {name: web.1, namespace: default}\ntype: Warning\nreason: BackOff\nmessage: restarting\ninvolvedObject: {kind: Pod, name: web}\ncount: 3\n"));
            let evs = k.ok(&["get", "events"], None);
            let header: Vec<&str> = evs.lines().next().unwrap().split_whitespace().collect();
            assert_eq!(
                header,
                ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
                "{evs}"
            );
            // A real server's controllers record events of their own (the Deployment's scaling), so the
            // row is found by its object; it has no timestamps, so it was last seen at an unknown time.
            let row: Vec<&str> = evs
                .lines()
                .skip(1)
                .map(|l| l.split_whitespace().collect::<Vec<_>>())
                .find(|f| f.get(3) == Some(&"pod/web"))
                .unwrap_or_else(|| panic!("no event of pod/web on {}:\n{evs}", k.on));
            assert_eq!(
                row,
                ["<unknown>", "Warning", "BackOff", "pod/web", "restarting"],
                "{evs}"
            );
            k.ok(&["delete", "event", "web.1"], None);
            let nodes = k.run(&["get", "nodes"], None);
            assert_eq!(
                String::from_utf8_lossy(&nodes.stderr).trim(),
                "No resources found"
            );
            k.ok(&["label", "configmap", "web", "tier=front"], None);
            let l = k.ok(&["get", "cm", "-l", "tier=front", "-o", "name"], None);
            assert_eq!(l.trim(), "configmap/web");
            k.ok(
                &[
                    "patch",
                    "configmap",
                    "web",
                    "--type=merge",
                    "-p",
                    r#"{"data":{"b":"3"}}"#,
                ],
                None,
            );
            k.ok(
                &[
                    "patch",
                    "configmap",
                    "web",
                    "--type=json",
                    "-p",
                    r#"[{"op":"add","path":"/data/c","value":"4"}]"#,
                ],
                None,
            );
            k.ok(
                &["patch", "deploy", "web", "-p", r#"{"spec":{"replicas":3}}"#],
                None,
            );
            k.ok(&["scale", "deploy", "web", "--replicas=4"], None);
            let r = k.ok(
                &["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"],
                None,
            );
            assert_eq!(r, "4");
            // server-side apply
            k.ok(
                &[
                    "apply",
                    "--server-side",
                    "--field-manager=tester",
                    "-f",
                    "-",
                ],
                Some(&CM.replace("name: web", "name: ssa")),
            );
            let mf = k.ok(
                &[
                    "get",
                    "cm",
                    "ssa",
                    "-o",
                    "jsonpath={.metadata.managedFields[0].manager}",
                ],
                None,
            );
            assert_eq!(mf, "tester");
            // watch, bounded
            let w = k.run(&["get", "cm", "web", "-w", "--request-timeout=2s"], None);
            assert!(
                String::from_utf8_lossy(&w.stdout).contains("web"),
                "{:?}",
                w
            );
            // CRD lifecycle
            k.ok(&["apply", "-f", "-"], Some(CRD));
            k.ok(
                &[
                    "wait",
                    "--for=condition=Established",
                    "crd/widgets.example.com",
                    "--timeout=20s",
                ],
                None,
            );
            explain_when_published(
                k,
                "widget.spec.size",
                &["How many sprockets the widget has."],
            );
            k.ok(&["apply", "-f", "-"], Some("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {size: 3}\n"));
            let size = k.ok(&["get", "wd", "w1", "-o", "jsonpath={.spec.size}"], None);
            assert_eq!(size, "3");
            let printed = k.ok(&["get", "wd"], None);
            let header: Vec<&str> = printed.lines().next().unwrap().split_whitespace().collect();
            assert_eq!(header, ["NAME", "SIZE", "AGE"], "{printed}");
            assert!(
                printed.lines().nth(1).unwrap().starts_with("w1     3 "),
                "{printed}"
            );
            // CRDs print the server's columns: v1.37's CRD table convertor adds the scope and the served
            // versions; v1.34 (and the sandbox, which is a v1.33) print the default name and age-less date.
            let crds = k.ok(&["get", "crd"], None);
            let created = k.ok(
                &[
                    "get",
                    "crd",
                    "widgets.example.com",
                    "-o",
                    "jsonpath={.metadata.creationTimestamp}",
                ],
                None,
            );
            let lines: Vec<Vec<&str>> = crds
                .lines()
                .map(|l| l.split_whitespace().collect())
                .collect();
            let (header, row): (&[&str], Vec<&str>) = if server_minor >= 37 {
                (
                    &["NAME", "SCOPE", "VERSIONS", "CREATED", "AT"],
                    vec!["widgets.example.com", "Namespaced", "v1(storage)", &created],
                )
            } else {
                (
                    &["NAME", "CREATED", "AT"],
                    vec!["widgets.example.com", &created],
                )
            };
            assert_eq!(lines[0], header, "kubectl {} on {}:\n{crds}", k.label, k.on);
            assert_eq!(
                lines[1..],
                [row],
                "kubectl {} on {}:\n{crds}",
                k.label,
                k.on
            );
            k.ok(&["delete", "widget", "w1"], None);
            k.ok(&["delete", "crd", "widgets.example.com"], None);
            // tokens and RBAC
            k.ok(&["create", "serviceaccount", "bot"], None);
            let token = if k.label == "1.20" {
                // kubectl 1.20 predates `create token`: use a ServiceAccount token Secret filled by the token controller.
                k.ok(&["apply", "-f", "-"], Some(SA_TOKEN_SECRET));
                // A real controller manager fills it within seconds on a loaded machine; the sandbox at once.
                let t = poll_blocking(30, || {
                    Some(k.ok(
                        &["get", "secret", "bot-token", "-o", "jsonpath={.data.token}"],
                        None,
                    ))
                    .filter(|t| !t.is_empty())
                })
                .unwrap_or_else(|| panic!("bot-token was not filled within 30 s on {}", k.on));
                use base64::Engine;
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(t.trim())
                        .unwrap(),
                )
                .unwrap()
            } else {
                k.ok(&["create", "token", "bot"], None)
            };
            assert!(token.split('.').count() == 3, "{token}");
            let can = k.run(
                &[
                    "auth",
                    "can-i",
                    "list",
                    "configmaps",
                    &format!("--token={}", token.trim()),
                ],
                None,
            );
            assert_eq!(String::from_utf8_lossy(&can.stdout).trim(), "no");
            // A Role of its own rather than the `view` ClusterRole: on a real server `view` is an aggregated
            // role whose rules the controller manager's clusterrole-aggregation controller fills in, and the
            // reference clusters do not run that controller.
            k.ok(
                &[
                    "create",
                    "role",
                    "cm-reader",
                    "--verb=get,list,watch",
                    "--resource=configmaps",
                ],
                None,
            );
            k.ok(
                &[
                    "create",
                    "rolebinding",
                    "bot-view",
                    "--role=cm-reader",
                    "--serviceaccount=default:bot",
                ],
                None,
            );
            // A real server's authorizer sees the binding through its informer, a moment after the create.
            let mut last = None;
            let allowed = poll_blocking(10, || {
                let can = last.insert(k.run(
                    &[
                        "auth",
                        "can-i",
                        "list",
                        "configmaps",
                        &format!("--token={}", token.trim()),
                    ],
                    None,
                ));
                (String::from_utf8_lossy(&can.stdout).trim() == "yes").then_some(())
            });
            assert!(
                allowed.is_some(),
                "kubectl {} on {}: the bot may still not list configmaps 10 s after its RoleBinding: {last:?}",
                k.label,
                k.on
            );
            // Impersonation: the admin may act as anyone, and is then held to that user's permissions.
            let as_bot = k.ok(
                &[
                    "auth",
                    "can-i",
                    "list",
                    "configmaps",
                    "--as=system:serviceaccount:default:bot",
                ],
                None,
            );
            assert_eq!(as_bot.trim(), "yes");
            let as_jane = k.run(&["get", "cm", "--as=jane"], None);
            assert_eq!(
                String::from_utf8_lossy(&as_jane.stderr).trim(),
                r#"Error from server (Forbidden): configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "default""#
            );
            let bot_as_jane = k.run(
                &[
                    "get",
                    "cm",
                    "--as=jane",
                    &format!("--token={}", token.trim()),
                ],
                None,
            );
            // Since v1.36 (ConstrainedImpersonation, beta and on by default) a server first asks whether the
            // bot may impersonate a user for this very request, and refuses with that question's verb; before
            // it (v1.34, and the sandbox's v1.33) it asks whether the bot may impersonate users at all.
            let refusal = if server_minor >= 36 {
                r#"Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:default:bot" cannot impersonate-on:user-info:list resource "configmaps" in API group "" in the namespace "default""#
            } else {
                r#"Error from server (Forbidden): users "jane" is forbidden: User "system:serviceaccount:default:bot" cannot impersonate resource "users" in API group "" at the cluster scope"#
            };
            assert_eq!(
                String::from_utf8_lossy(&bot_as_jane.stderr).trim(),
                refusal,
                "kubectl {} on {}",
                k.label,
                k.on
            );
            k.ok(&["delete", "rolebinding", "bot-view"], None);
            k.ok(&["delete", "role", "cm-reader"], None);
            k.ok(&["delete", "serviceaccount", "bot"], None);
            k.ok(&["delete", "configmap", "web", "ssa"], None);
            k.ok(&["delete", "deployment", "web"], None);
        });
    }
}

const STATEFULSET: &str = r#"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:17"}]
"#;
const DAEMONSET: &str = r#"apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "busybox:1.36"}]
"#;

/// Polls `get` until it prints the words of `want`, in any order (10 s at most).
fn until_kubectl_prints(k: &Kubectl, args: &[&str], want: &str) {
    let words = |s: &str| {
        let mut w: Vec<String> = s.split_whitespace().map(String::from).collect();
        w.sort();
        w
    };
    let mut got = String::new();
    let printed = poll_blocking(10, || {
        got = k.ok(args, None);
        (words(&got) == words(want)).then_some(())
    });
    assert!(
        printed.is_some(),
        "kubectl {} on {}: {args:?} still says {got:?}, expected {want:?}",
        k.label,
        k.on
    );
}

/// Workloads as a user drives them. On a sandbox started with workloads (`sandbox up --workloads`) pods
/// become Running and Ready, so `rollout status` completes and Jobs complete. A real control plane's
/// controller manager creates the ReplicaSet and its pods too, but without a node they stay Pending: that
/// much is checked there.
async fn kubectl_workloads(backend: Backend) {
    let Some(bin) = support::kubectl("1.35") else {
        return;
    };
    let simulated = backend == Backend::Sandbox;
    let bed = Bed::start_with(&backend, &["c1"], true).await;
    let k = setup(&bed, "1.35", &bin);
    let k = &k;
    tokio::task::block_in_place(|| {
        k.ok(
            &[
                "create",
                "deployment",
                "web",
                "--image=nginx:1.27",
                "--replicas=2",
            ],
            None,
        );
        let phases = [
            "get",
            "pods",
            "-l",
            "app=web",
            "-o",
            "jsonpath={.items[*].status.phase}",
        ];
        if !simulated {
            until_kubectl_prints(k, &phases, "Pending Pending");
            let stuck = k.run(
                &["rollout", "status", "deployment/web", "--timeout=2s"],
                None,
            );
            assert!(!stuck.status.success(), "{stuck:?}");
            return;
        }
        let out = k.ok(
            &["rollout", "status", "deployment/web", "--timeout=30s"],
            None,
        );
        assert!(
            out.contains("deployment \"web\" successfully rolled out"),
            "{out}"
        );
        k.ok(&["scale", "deployment/web", "--replicas=3"], None);
        k.ok(
            &["rollout", "status", "deployment/web", "--timeout=30s"],
            None,
        );
        let pods = k.ok(&["get", "pods", "-l", "app=web", "--no-headers"], None);
        let lines: Vec<&str> = pods.lines().collect();
        assert_eq!(lines.len(), 3, "{pods}");
        for l in &lines {
            let cols: Vec<&str> = l.split_whitespace().collect();
            assert!(cols[0].starts_with("web-"), "{pods}");
            assert_eq!(&cols[1..3], ["1/1", "Running"], "{pods}");
        }
        let ready = k.ok(
            &[
                "get",
                "deployment",
                "web",
                "-o",
                "jsonpath={.status.readyReplicas}/{.status.availableReplicas}/{.status.updatedReplicas}",
            ],
            None,
        );
        assert_eq!(ready, "3/3/3");
        // A template change rolls a new ReplicaSet; the old one is scaled to zero and kept for rollbacks.
        k.ok(
            &["set", "image", "deployment/web", "nginx=nginx:1.28"],
            None,
        );
        k.ok(
            &["rollout", "status", "deployment/web", "--timeout=30s"],
            None,
        );
        until_kubectl_prints(
            k,
            &[
                "get",
                "rs",
                "-l",
                "app=web",
                "-o",
                "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}={.status.readyReplicas}/{.spec.replicas} {end}",
            ],
            "nginx:1.27=/0 nginx:1.28=3/3",
        );
        let history = k.ok(&["rollout", "history", "deployment/web"], None);
        assert!(
            history.contains("\n1 ") && history.contains("\n2 "),
            "{history}"
        );
        // Undo brings the first ReplicaSet back, as revision 3.
        k.ok(&["rollout", "undo", "deployment/web"], None);
        k.ok(
            &["rollout", "status", "deployment/web", "--timeout=30s"],
            None,
        );
        until_kubectl_prints(
            k,
            &[
                "get",
                "rs",
                "-l",
                "app=web",
                "-o",
                "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image}={.metadata.annotations.deployment\\.kubernetes\\.io/revision}/{.status.readyReplicas} {end}",
            ],
            "nginx:1.27=3/3 nginx:1.28=2/",
        );
        // Scaling down deletes pods.
        k.ok(&["scale", "deployment/web", "--replicas=1"], None);
        k.ok(
            &["rollout", "status", "deployment/web", "--timeout=30s"],
            None,
        );
        until_kubectl_prints(k, &phases, "Running");
        // StatefulSet: pods by ordinal.
        k.ok(&["apply", "-f", "-"], Some(STATEFULSET));
        let out = k.ok(
            &["rollout", "status", "statefulset/db", "--timeout=30s"],
            None,
        );
        // The defaulted RollingUpdate strategy has a partition (0), so kubectl reports a partitioned roll out.
        assert!(out.contains("2 new pods have been updated"), "{out}");
        until_kubectl_prints(
            k,
            &[
                "get",
                "pods",
                "-l",
                "app=db",
                "-o",
                "jsonpath={range .items[*]}{.metadata.name}:{.status.phase} {end}",
            ],
            "db-0:Running db-1:Running",
        );
        // DaemonSet: one pod on the simulated node.
        k.ok(&["apply", "-f", "-"], Some(DAEMONSET));
        k.ok(
            &["rollout", "status", "daemonset/agent", "--timeout=30s"],
            None,
        );
        until_kubectl_prints(
            k,
            &[
                "get",
                "pods",
                "-l",
                "app=agent",
                "-o",
                "jsonpath={.items[*].spec.nodeName}",
            ],
            "c1-node",
        );
        let nodes = k.ok(&["get", "nodes", "--no-headers"], None);
        assert!(
            nodes.starts_with("c1-node") && nodes.contains(" Ready "),
            "{nodes}"
        );
        // A bare pod is scheduled on the node and started.
        k.ok(&["run", "solo", "--image=nginx:1.27"], None);
        k.ok(
            &["wait", "--for=condition=Ready", "pod/solo", "--timeout=30s"],
            None,
        );
        let solo = k.ok(
            &[
                "get",
                "pod",
                "solo",
                "-o",
                "jsonpath={.spec.nodeName} {.status.hostIP} {.status.containerStatuses[0].ready} {.metadata.generation}",
            ],
            None,
        );
        // Binding is no change of the pod's own spec: its generation stays 1.
        assert_eq!(solo, "c1-node 172.18.0.2 true 1");
        // Job: its pod succeeds and the Job completes.
        k.ok(&["create", "job", "once", "--image=busybox:1.36"], None);
        k.ok(
            &[
                "wait",
                "--for=condition=Complete",
                "job/once",
                "--timeout=30s",
            ],
            None,
        );
        let job_pods = k.ok(
            &["get", "pods", "-l", "job-name=once", "--no-headers"],
            None,
        );
        assert!(job_pods.contains("Completed"), "{job_pods}");
        // Its pods lose their job-tracking finalizer once counted, so deleting the Job removes them.
        until_kubectl_prints(
            k,
            &[
                "get",
                "pods",
                "-l",
                "job-name=once",
                "-o",
                "jsonpath={.items[*].metadata.finalizers}",
            ],
            "",
        );
        k.ok(&["create", "job", "twice", "--image=busybox:1.36"], None);
        k.ok(&["delete", "job", "once", "twice"], None);
        until_kubectl_prints(
            k,
            &[
                "get",
                "pods",
                "-l",
                "job-name in (once,twice)",
                "-o",
                "name",
            ],
            "",
        );
        k.ok(&["delete", "deployment", "web"], None);
        until_kubectl_prints(k, &["get", "rs", "-l", "app=web", "-o", "name"], "");
        until_kubectl_prints(k, &phases, "");
    });
}
on_every_backend!(kubectl_workloads);

/// By default the sandbox is the bare API server its contract describes: no controller creates ReplicaSets
/// or pods.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bare_sandbox_runs_no_workload_controllers() {
    let Some(bin) = support::kubectl("1.35") else {
        return;
    };
    let bed = Bed::start(&Backend::Sandbox, &["c1"]).await;
    let k = setup(&bed, "1.35", &bin);
    // The same Deployment on a sandbox with workloads, created after this one's, says when controllers
    // would have been done with it: then the bare sandbox is checked.
    let control_bed = Bed::start_with(&Backend::Sandbox, &["c1"], true).await;
    let control = setup(&control_bed, "1.35", &bin);
    tokio::task::block_in_place(|| {
        k.ok(&["create", "deployment", "web", "--image=nginx:1.27"], None);
        control.ok(&["create", "deployment", "web", "--image=nginx:1.27"], None);
        until_kubectl_prints(
            &control,
            &[
                "get",
                "deployment",
                "web",
                "-o",
                "jsonpath={.status.observedGeneration}/{.status.replicas}",
            ],
            "1/1",
        );
        let all = k.ok(&["get", "rs,pods,nodes", "-A", "-o", "name"], None);
        assert_eq!(all.trim(), "", "a bare sandbox created {all}");
        let status = k.ok(
            &[
                "get",
                "deployment",
                "web",
                "-o",
                "jsonpath={.status.observedGeneration}/{.status.replicas}",
            ],
            None,
        );
        assert_eq!(status, "/", "nothing reports on the Deployment");
    });
}
