//! The API groups users apply every day besides workloads — HorizontalPodAutoscaler, EndpointSlice,
//! StorageClass, PriorityClass, IngressClass, admission webhook configurations and events.k8s.io Events —
//! stored, validated, discovered and printed as a real kube-apiserver does, and `/metrics` labelled as it
//! labels them. Every scenario runs on the sandbox and on real servers with the same assertions.

mod support;

use serde_json::{json, Value};
use support::*;

const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io";

async fn request_accepting(
    client: &kube::Client,
    method: &str,
    path: &str,
    accept: &str,
    body: Option<Value>,
) -> (u16, Value, String) {
    let ct = if method == "PATCH" {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    let mut headers = vec![("accept", accept)];
    if body.is_some() {
        headers.push(("content-type", ct));
    }
    let bytes = body
        .map(|v| serde_json::to_vec(&v).unwrap())
        .unwrap_or_default();
    request(client, method, path, &headers, bytes).await
}

async fn send(
    client: &kube::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (code, v, _) = request_accepting(client, method, path, "application/json", body).await;
    (code, v)
}

/// One new kind: where it lives and a valid object of it.
struct Kind {
    collection: &'static str,
    object: Value,
}

fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            collection: "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers",
            object: json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": "web"},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "minReplicas": 2, "maxReplicas": 5}}),
        },
        Kind {
            collection: "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
            object: json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "web-abc"}, "addressType": "IPv4",
                "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]}],
                "ports": [{"name": "http", "port": 80}]}),
        },
        Kind {
            collection: "/apis/storage.k8s.io/v1/storageclasses",
            object: json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                "metadata": {"name": "fast"}, "provisioner": "csi.example.com",
                "parameters": {"type": "ssd"}}),
        },
        Kind {
            collection: "/apis/scheduling.k8s.io/v1/priorityclasses",
            object: json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                "metadata": {"name": "high"}, "value": 1000, "description": "important"}),
        },
        Kind {
            collection: "/apis/networking.k8s.io/v1/ingressclasses",
            object: json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                "metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx",
                    "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external"}}}),
        },
        Kind {
            collection: "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
            object: webhook_configuration("ValidatingWebhookConfiguration", "check"),
        },
        Kind {
            collection: "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
            object: webhook_configuration("MutatingWebhookConfiguration", "mutate"),
        },
        Kind {
            collection: "/apis/events.k8s.io/v1/namespaces/default/events",
            object: json!({"apiVersion": "events.k8s.io/v1", "kind": "Event",
                "metadata": {"name": "web.1"}, "eventTime": "2026-01-01T00:00:00.000000Z",
                "reportingController": "example.com/controller", "reportingInstance": "controller-1",
                "action": "Scale", "reason": "Scaled", "type": "Normal", "note": "scaled up",
                "regarding": {"kind": "Deployment", "namespace": "default", "name": "web"}}),
        },
    ]
}

/// A webhook configuration that matches nothing a test sends (a real server would call it) and is ignored
/// if it ever fails.
fn webhook_configuration(kind: &str, name: &str) -> Value {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": kind,
        "metadata": {"name": name},
        "webhooks": [{"name": format!("{name}.example.com"), "sideEffects": "None",
            "admissionReviewVersions": ["v1"], "failurePolicy": "Ignore",
            "clientConfig": {"url": "https://127.0.0.1:9/hook"},
            "rules": [{"apiGroups": ["example.invalid"], "apiVersions": ["v1"],
                "operations": ["CREATE"], "resources": ["widgets"]}]}]})
}

fn name_of(v: &Value) -> &str {
    v["metadata"]["name"].as_str().unwrap_or("")
}

async fn each_new_kind_is_created_read_listed_and_deleted(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    for k in kinds() {
        let name = name_of(&k.object).to_string();
        let (code, created) = send(&client, "POST", k.collection, Some(k.object.clone())).await;
        assert_eq!(code, 201, "create {} on {label}: {created}", k.collection);
        assert_eq!(created["kind"], k.object["kind"], "on {label}");
        let path = format!("{}/{name}", k.collection);
        let (code, got) = send(&client, "GET", &path, None).await;
        assert_eq!(code, 200, "get {path} on {label}: {got}");
        assert_eq!(got["metadata"]["uid"], created["metadata"]["uid"]);
        let (code, list) = send(&client, "GET", k.collection, None).await;
        assert_eq!(code, 200, "list {} on {label}: {list}", k.collection);
        assert_eq!(
            list["kind"],
            format!("{}List", k.object["kind"].as_str().unwrap()),
            "on {label}"
        );
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| name_of(i) == name),
            "{name} listed on {label}: {list}"
        );
        let (code, deleted) = send(&client, "DELETE", &path, None).await;
        assert_eq!(code, 200, "delete {path} on {label}: {deleted}");
        let (code, _) = send(&client, "GET", &path, None).await;
        assert_eq!(code, 404, "{path} after delete on {label}");
    }
}
on_every_backend!(each_new_kind_is_created_read_listed_and_deleted);

async fn stored_objects_carry_the_server_defaults(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let mut created = Vec::new();
    for k in kinds() {
        let (code, obj) = send(&client, "POST", k.collection, Some(k.object.clone())).await;
        assert_eq!(code, 201, "{obj}");
        created.push(obj);
    }
    let hpa = &created[0];
    assert_eq!(
        hpa["spec"]["metrics"],
        json!([{"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        "on {label}"
    );
    assert_eq!(
        created[1]["ports"],
        json!([{"name": "http", "port": 80, "protocol": "TCP"}]),
        "on {label}"
    );
    assert_eq!(created[2]["reclaimPolicy"], "Delete", "on {label}");
    assert_eq!(created[2]["volumeBindingMode"], "Immediate", "on {label}");
    assert_eq!(
        created[3]["preemptionPolicy"], "PreemptLowerPriority",
        "on {label}"
    );
    assert_eq!(
        created[4]["spec"]["parameters"]["scope"], "Cluster",
        "on {label}"
    );
    let hook = &created[5]["webhooks"][0];
    assert_eq!(hook["matchPolicy"], "Equivalent", "on {label}");
    assert_eq!(hook["timeoutSeconds"], 10, "on {label}");
    assert_eq!(hook["namespaceSelector"], json!({}), "on {label}");
    assert_eq!(hook["rules"][0]["scope"], "*", "on {label}");
    assert_eq!(
        created[6]["webhooks"][0]["reinvocationPolicy"], "Never",
        "on {label}"
    );
}
on_every_backend!(stored_objects_carry_the_server_defaults);

/// The field paths of a 422's causes.
fn causes(status: &Value) -> Vec<String> {
    status["details"]["causes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["field"].as_str().unwrap_or("").to_string())
        .collect()
}

async fn required_and_immutable_fields_are_refused_with_their_paths(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let expect =
        |method: &'static str, path: String, body: Value, fields: &'static [&'static str]| {
            let (client, label) = (client.clone(), label.clone());
            async move {
                let (code, status) = send(&client, method, &path, Some(body)).await;
                assert_eq!(code, 422, "{method} {path} on {label}: {status}");
                assert_eq!(status["reason"], "Invalid", "on {label}");
                assert_eq!(
                    causes(&status),
                    fields,
                    "{method} {path} on {label}: {status}"
                );
            }
        };
    let scs = "/apis/storage.k8s.io/v1/storageclasses";
    expect(
        "POST",
        scs.to_string(),
        json!({"metadata": {"name": "noprov"}}),
        &["provisioner"],
    )
    .await;
    let k = &kinds()[2];
    let (code, _) = send(&client, "POST", scs, Some(k.object.clone())).await;
    assert_eq!(code, 201);
    expect(
        "PATCH",
        format!("{scs}/fast"),
        json!({"provisioner": "other.example.com"}),
        &["provisioner"],
    )
    .await;

    let pcs = "/apis/scheduling.k8s.io/v1/priorityclasses";
    let (code, _) = send(&client, "POST", pcs, Some(kinds()[3].object.clone())).await;
    assert_eq!(code, 201);
    expect(
        "PATCH",
        format!("{pcs}/high"),
        json!({"value": 5}),
        &["value"],
    )
    .await;
    expect(
        "POST",
        pcs.to_string(),
        json!({"metadata": {"name": "huge"}, "value": 2_000_000_000}),
        &["value"],
    )
    .await;

    // `value` is a plain int32: a PriorityClass without one is stored with 0, not refused.
    let (code, pc) = send(
        &client,
        "POST",
        pcs,
        Some(json!({"metadata": {"name": "zero"}})),
    )
    .await;
    assert_eq!(code, 201, "on {label}: {pc}");
    assert_eq!(pc["value"], 0, "on {label}: {pc}");

    let slices = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
    expect(
        "POST",
        slices.to_string(),
        json!({"metadata": {"name": "untyped"}, "endpoints": []}),
        &["addressType"],
    )
    .await;
    expect(
        "POST",
        slices.to_string(),
        json!({"metadata": {"name": "odd"}, "addressType": "IPv5", "endpoints": []}),
        &["addressType"],
    )
    .await;
    expect(
        "POST",
        slices.to_string(),
        json!({"metadata": {"name": "empty"}, "addressType": "IPv4", "endpoints": [{"addresses": []}]}),
        &["endpoints[0].addresses"],
    )
    .await;

    let classes = "/apis/networking.k8s.io/v1/ingressclasses";
    expect(
        "POST",
        classes.to_string(),
        json!({"metadata": {"name": "nocontroller"}, "spec": {}}),
        &["spec.controller"],
    )
    .await;

    let hooks = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
    expect(
        "POST",
        hooks.to_string(),
        json!({"metadata": {"name": "bad"}, "webhooks": [{"name": "short.name", "clientConfig": {}}]}),
        &[
            "webhooks[0].name",
            "webhooks[0].sideEffects",
            "webhooks[0].clientConfig",
            "webhooks[0].admissionReviewVersions",
        ],
    )
    .await;

    let events = "/apis/events.k8s.io/v1/namespaces/default/events";
    expect(
        "POST",
        events.to_string(),
        json!({"metadata": {"name": "e"}, "eventTime": "2026-01-01T00:00:00.000000Z", "type": "Normal",
            "regarding": {"kind": "Pod", "namespace": "default", "name": "p"}}),
        &[
            "reportingController",
            "reportingController",
            "reportingController",
            "reportingInstance",
            "action",
            "reason",
        ],
    )
    .await;
}
on_every_backend!(required_and_immutable_fields_are_refused_with_their_paths);

/// (group/version, plural, namespaced, shortNames, categories) of one discovery entry.
type Discovered = (
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
    &'static [&'static str],
);

async fn discovery_lists_the_new_groups_with_scope_and_short_names(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let want: &[Discovered] = &[
        (
            "autoscaling/v2",
            "horizontalpodautoscalers",
            true,
            &["hpa"],
            &["all"],
        ),
        ("discovery.k8s.io/v1", "endpointslices", true, &[], &[]),
        ("storage.k8s.io/v1", "storageclasses", false, &["sc"], &[]),
        (
            "scheduling.k8s.io/v1",
            "priorityclasses",
            false,
            &["pc"],
            &[],
        ),
        ("networking.k8s.io/v1", "ingressclasses", false, &[], &[]),
        (
            "admissionregistration.k8s.io/v1",
            "validatingwebhookconfigurations",
            false,
            &[],
            &["api-extensions"],
        ),
        (
            "admissionregistration.k8s.io/v1",
            "mutatingwebhookconfigurations",
            false,
            &[],
            &["api-extensions"],
        ),
        ("events.k8s.io/v1", "events", true, &["ev"], &[]),
    ];
    let (_, groups) = send(&client, "GET", "/apis", None).await;
    let listed: Vec<&str> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(String::from))
            .collect()
    };
    for (gv, plural, namespaced, short, categories) in want {
        let group = gv.split('/').next().unwrap();
        assert!(listed.contains(&group), "{group} in /apis on {label}");
        let (code, list) = send(&client, "GET", &format!("/apis/{gv}"), None).await;
        assert_eq!(code, 200, "/apis/{gv} on {label}");
        let r = list["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == *plural)
            .unwrap_or_else(|| panic!("{plural} in /apis/{gv} on {label}"));
        assert_eq!(r["namespaced"], *namespaced, "{plural} on {label}");
        assert_eq!(strs(&r["shortNames"]), *short, "{plural} on {label}");
        assert_eq!(strs(&r["categories"]), *categories, "{plural} on {label}");
        assert_eq!(
            strs(&r["verbs"]),
            [
                "create",
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "update",
                "watch"
            ],
            "{plural} on {label}"
        );
    }
}
on_every_backend!(discovery_lists_the_new_groups_with_scope_and_short_names);

async fn aggregated_discovery_lists_the_new_groups(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let accept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    let (code, doc, text) = request_accepting(&client, "GET", "/apis", accept, None).await;
    assert_eq!(code, 200, "on {label}: {text}");
    assert_eq!(doc["kind"], "APIGroupDiscoveryList", "on {label}");
    let group = |name: &str| -> Value {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["metadata"]["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in aggregated discovery on {label}"))
    };
    let resource = |g: &Value, version: &str, plural: &str| -> Value {
        g["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["version"] == version)
            .and_then(|v| {
                v["resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["resource"] == plural)
                    .cloned()
            })
            .unwrap_or_else(|| panic!("{plural} in {version} on {label}"))
    };
    let autoscaling = group("autoscaling");
    let versions: Vec<&str> = autoscaling["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["version"].as_str())
        .collect();
    assert_eq!(versions, ["v2", "v1"], "on {label}");
    // A built-in's own kind carries no group or version; the scale subresource names autoscaling/v1 Scale.
    let deployments = resource(&group("apps"), "v1", "deployments");
    assert_eq!(
        deployments["subresources"],
        json!([
            {"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
                "verbs": ["get", "patch", "update"]},
            {"subresource": "status", "responseKind": {"group": "", "version": "", "kind": "Deployment"},
                "verbs": ["get", "patch", "update"]}]),
        "on {label}"
    );
    for (g, plural, scope, kind) in [
        (
            "storage.k8s.io",
            "storageclasses",
            "Cluster",
            "StorageClass",
        ),
        (
            "scheduling.k8s.io",
            "priorityclasses",
            "Cluster",
            "PriorityClass",
        ),
        (
            "discovery.k8s.io",
            "endpointslices",
            "Namespaced",
            "EndpointSlice",
        ),
        (
            "networking.k8s.io",
            "ingressclasses",
            "Cluster",
            "IngressClass",
        ),
        (
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
            "Cluster",
            "ValidatingWebhookConfiguration",
        ),
        ("events.k8s.io", "events", "Namespaced", "Event"),
    ] {
        let r = resource(&group(g), "v1", plural);
        assert_eq!(r["scope"], scope, "{plural} on {label}");
        assert_eq!(r["responseKind"]["kind"], kind, "{plural} on {label}");
        assert_eq!(
            r["responseKind"],
            json!({"group": "", "version": "", "kind": kind}),
            "{plural} on {label}: {g}"
        );
    }
}
on_every_backend!(aggregated_discovery_lists_the_new_groups);

async fn kubectl_tables_have_the_real_columns(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let pdbs = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
    let (code, pdb) = send(
        &client,
        "POST",
        pdbs,
        Some(json!({"metadata": {"name": "web"},
        "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}})),
    )
    .await;
    assert_eq!(code, 201, "{pdb}");
    let netpols = "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies";
    let (code, np) = send(
        &client,
        "POST",
        netpols,
        Some(json!({"metadata": {"name": "web"},
        "spec": {"podSelector": {"matchLabels": {"app": "web"}}}})),
    )
    .await;
    assert_eq!(code, 201, "{np}");
    for k in kinds() {
        let (code, obj) = send(&client, "POST", k.collection, Some(k.object.clone())).await;
        assert_eq!(code, 201, "{obj}");
    }
    let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let all = kinds();
    let want: Vec<(&str, Vec<String>, Vec<Value>)> = vec![
        (
            all[0].collection,
            cols(&[
                "Name",
                "Reference",
                "Targets",
                "MinPods",
                "MaxPods",
                "Replicas",
                "Age",
            ]),
            vec![
                json!("web"),
                json!("Deployment/web"),
                json!("cpu: <unknown>/80%"),
                json!("2"),
                json!(5),
                json!(0),
            ],
        ),
        (
            pdbs,
            cols(&[
                "Name",
                "Min Available",
                "Max Unavailable",
                "Allowed Disruptions",
                "Age",
            ]),
            vec![json!("web"), json!("1"), json!("N/A"), json!(0)],
        ),
        (
            netpols,
            cols(&["Name", "Pod-Selector", "Age"]),
            vec![json!("web"), json!("app=web")],
        ),
        (
            all[1].collection,
            cols(&["Name", "AddressType", "Ports", "Endpoints", "Age"]),
            vec![
                json!("web-abc"),
                json!("IPv4"),
                json!("80"),
                json!("10.0.0.1,10.0.0.2"),
            ],
        ),
        (
            all[2].collection,
            cols(&[
                "Name",
                "Provisioner",
                "ReclaimPolicy",
                "VolumeBindingMode",
                "AllowVolumeExpansion",
                "Age",
            ]),
            vec![
                json!("fast"),
                json!("csi.example.com"),
                json!("Delete"),
                json!("Immediate"),
                json!(false),
            ],
        ),
        (
            all[3].collection,
            cols(&["Name", "Value", "Global-Default", "Age", "PreemptionPolicy"]),
            vec![json!("high"), json!(1000), json!(false)],
        ),
        (
            all[4].collection,
            cols(&["Name", "Controller", "Parameters", "Age"]),
            vec![
                json!("nginx"),
                json!("k8s.io/ingress-nginx"),
                json!("IngressParameters.k8s.example.com/external"),
            ],
        ),
        (
            all[5].collection,
            cols(&["Name", "Webhooks", "Age"]),
            vec![json!("check"), json!(1)],
        ),
    ];
    for (collection, columns, cells) in want {
        let (code, table, text) = request_accepting(&client, "GET", collection, TABLE, None).await;
        assert_eq!(code, 200, "{collection} on {label}: {text}");
        assert_eq!(table["kind"], "Table", "{collection} on {label}: {text}");
        let names: Vec<String> = table["columnDefinitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, columns, "{collection} on {label}");
        let row = &table["rows"][0]["cells"];
        assert_eq!(
            row.as_array().unwrap().len(),
            columns.len(),
            "{collection} on {label}: {row}"
        );
        for (i, want) in cells.iter().enumerate() {
            assert_eq!(&row[i], want, "{collection} cell {i} on {label}: {row}");
        }
    }
    // A listed default StorageClass is marked; the same class read alone is not.
    let scs = all[2].collection;
    let (code, sc) = send(
        &client,
        "PATCH",
        &format!("{scs}/fast"),
        Some(json!({"metadata": {"annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}})),
    )
    .await;
    assert_eq!(code, 200, "{sc}");
    let (_, table, _) = request_accepting(&client, "GET", scs, TABLE, None).await;
    assert_eq!(table["rows"][0]["cells"][0], "fast (default)", "on {label}");
    let (_, table, _) =
        request_accepting(&client, "GET", &format!("{scs}/fast"), TABLE, None).await;
    // v1.34 marked every annotated class; v1.37 (which the sandbox follows) only the effective default of a list.
    let single = if label.contains("v1.34") {
        "fast (default)"
    } else {
        "fast"
    };
    assert_eq!(table["rows"][0]["cells"][0], single, "on {label}");
    // The PriorityClass printer fills PreemptionPolicy (the server always prints wide).
    let (_, table, _) = request_accepting(&client, "GET", all[3].collection, TABLE, None).await;
    assert_eq!(
        table["rows"][0]["cells"][4], "PreemptLowerPriority",
        "on {label}"
    );
}
on_every_backend!(kubectl_tables_have_the_real_columns);

/// The value of one `apiserver_request_total` series (`{labels}` included), 0 when absent.
fn counter(metrics: &str, labels: &str) -> u64 {
    let prefix = format!("apiserver_request_total{labels} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |v| v.trim().parse().unwrap())
}

async fn request_metrics_carry_the_real_labels(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let series = [
        r#"{code="201",component="apiserver",dry_run="",group="storage.k8s.io",resource="storageclasses",scope="resource",subresource="",verb="POST",version="v1"}"#,
        r#"{code="201",component="apiserver",dry_run="All",group="",resource="configmaps",scope="resource",subresource="",verb="POST",version="v1"}"#,
        r#"{code="200",component="apiserver",dry_run="",group="",resource="configmaps",scope="namespace",subresource="",verb="LIST",version="v1"}"#,
        r#"{code="200",component="apiserver",dry_run="",group="storage.k8s.io",resource="storageclasses",scope="resource",subresource="",verb="GET",version="v1"}"#,
        r#"{code="404",component="apiserver",dry_run="",group="scheduling.k8s.io",resource="priorityclasses",scope="resource",subresource="",verb="GET",version="v1"}"#,
    ];
    let (_, _, before) = request_accepting(&client, "GET", "/metrics", "text/plain", None).await;
    let scs = "/apis/storage.k8s.io/v1/storageclasses";
    let (code, _) = send(&client, "POST", scs, Some(kinds()[2].object.clone())).await;
    assert_eq!(code, 201);
    let (code, _) = send(
        &client,
        "POST",
        "/api/v1/namespaces/default/configmaps?dryRun=All",
        Some(json!({"metadata": {"name": "dry"}})),
    )
    .await;
    assert_eq!(code, 201);
    let (code, _) = send(
        &client,
        "GET",
        "/api/v1/namespaces/default/configmaps",
        None,
    )
    .await;
    assert_eq!(code, 200);
    let (code, _) = send(&client, "GET", &format!("{scs}/fast"), None).await;
    assert_eq!(code, 200);
    let (code, _) = send(
        &client,
        "GET",
        "/apis/scheduling.k8s.io/v1/priorityclasses/absent",
        None,
    )
    .await;
    assert_eq!(code, 404);
    let (code, _, after) = request_accepting(&client, "GET", "/metrics", "text/plain", None).await;
    assert_eq!(code, 200, "/metrics on {label}");
    assert!(
        after.contains("# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.\n# TYPE apiserver_request_total counter\n"),
        "HELP on {label}"
    );
    for s in series {
        assert_eq!(
            counter(&after, s) - counter(&before, s),
            1,
            "{s} on {label}:\n{}",
            after
                .lines()
                .filter(|l| l.starts_with("apiserver_request_total{"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
on_every_backend!(request_metrics_carry_the_real_labels);

async fn hpas_are_served_as_autoscaling_v1_and_v2(backend: Backend) {
    let bed = Bed::start(&backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let label = bed.label();
    let v1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    let v2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    let (_, group) = send(&client, "GET", "/apis/autoscaling", None).await;
    assert_eq!(
        group["versions"],
        json!([{"groupVersion": "autoscaling/v2", "version": "v2"},
            {"groupVersion": "autoscaling/v1", "version": "v1"}]),
        "on {label}"
    );
    assert_eq!(group["preferredVersion"]["version"], "v2", "on {label}");

    let (code, created) = send(
        &client,
        "POST",
        v1,
        Some(json!({"metadata": {"name": "old"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 4, "targetCPUUtilizationPercentage": 50}})),
    )
    .await;
    assert_eq!(code, 201, "on {label}: {created}");
    assert_eq!(created["apiVersion"], "autoscaling/v1", "on {label}");
    assert_eq!(created["spec"]["targetCPUUtilizationPercentage"], 50);
    assert_eq!(created["spec"]["minReplicas"], 1, "on {label}: {created}");
    let (_, as_v2) = send(&client, "GET", &format!("{v2}/old"), None).await;
    assert_eq!(
        as_v2["spec"]["metrics"],
        json!([{"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": 50}}}]),
        "on {label}"
    );

    let (code, _) = send(&client, "POST", v2, Some(json!({"metadata": {"name": "new"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "maxReplicas": 5, "metrics": [
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}}]}}))).await;
    assert_eq!(code, 201);
    let (_, mut old_style) = send(&client, "GET", &format!("{v1}/new"), None).await;
    assert_eq!(
        old_style["spec"]["targetCPUUtilizationPercentage"], 60,
        "on {label}"
    );
    assert_eq!(
        old_style["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"],
        r#"[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]"#,
        "on {label}: {old_style}"
    );
    // A v1 client's update keeps what only v2 can say.
    old_style["spec"]["maxReplicas"] = json!(7);
    let (code, updated) = send(&client, "PUT", &format!("{v1}/new"), Some(old_style)).await;
    assert_eq!(code, 200, "on {label}: {updated}");
    let (_, as_v2) = send(&client, "GET", &format!("{v2}/new"), None).await;
    assert_eq!(as_v2["spec"]["maxReplicas"], 7, "on {label}");
    assert_eq!(
        as_v2["spec"]["metrics"],
        json!([
            {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}}]),
        "on {label}"
    );
    assert_eq!(as_v2["metadata"].get("annotations"), None, "on {label}");

    let (code, list) = send(&client, "GET", v1, None).await;
    assert_eq!(code, 200);
    assert_eq!(list["apiVersion"], "autoscaling/v1", "on {label}");
    for item in list["items"].as_array().unwrap() {
        assert!(
            item["spec"]["targetCPUUtilizationPercentage"].is_number(),
            "on {label}: {item}"
        );
    }
    let (code, table, text) = request_accepting(&client, "GET", v1, TABLE, None).await;
    assert_eq!(code, 200, "on {label}: {text}");
    let targets: Vec<&Value> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["cells"][2])
        .collect();
    assert_eq!(
        targets,
        [
            &json!("memory: <unknown>/100Mi, cpu: <unknown>/60%"),
            &json!("cpu: <unknown>/50%")
        ],
        "on {label}"
    );
}
on_every_backend!(hpas_are_served_as_autoscaling_v1_and_v2);
