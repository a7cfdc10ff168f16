//! Server-side defaults of built-in kinds (the `SetDefaults_*` functions and registry strategies), the Secret
//! `stringData` normalisation, and the values an update inherits from the stored object.

use base64::Engine;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Inserts `value` under `key` when absent or null.
fn default(m: &mut Map<String, Value>, key: &str, value: Value) {
    match m.get(key) {
        Some(v) if !v.is_null() => {}
        _ => {
            m.insert(key.to_string(), value);
        }
    }
}

fn obj<'a>(m: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    if !m.get(key).is_some_and(Value::is_object) {
        m.insert(key.to_string(), Value::Object(Map::new()));
    }
    m.get_mut(key)
        .and_then(Value::as_object_mut)
        .expect("just inserted")
}

fn obj_if_present<'a>(
    m: &'a mut Map<String, Value>,
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    m.get_mut(key).and_then(Value::as_object_mut)
}

fn each_item<'a>(
    m: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    m.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
}

fn is_empty_or_absent(m: &Map<String, Value>, key: &str) -> bool {
    match m.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as pinned).
fn image_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

fn default_probe(p: &mut Map<String, Value>) {
    default(p, "timeoutSeconds", json!(1));
    default(p, "periodSeconds", json!(10));
    default(p, "successThreshold", json!(1));
    default(p, "failureThreshold", json!(3));
    if let Some(h) = obj_if_present(p, "httpGet") {
        default(h, "scheme", json!("HTTP"));
    }
}

fn default_container(c: &mut Map<String, Value>) {
    // ResourceRequirements is a struct, not a pointer: Go always writes it, empty or not.
    default(c, "resources", json!({}));
    default(c, "terminationMessagePath", json!("/dev/termination-log"));
    default(c, "terminationMessagePolicy", json!("File"));
    let policy = image_pull_policy(c.get("image").and_then(Value::as_str).unwrap_or(""));
    default(c, "imagePullPolicy", json!(policy));
    for p in each_item(c, "ports") {
        default(p, "protocol", json!("TCP"));
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = obj_if_present(c, probe) {
            default_probe(p);
        }
    }
    for e in each_item(c, "env") {
        if let Some(f) = obj_if_present(e, "valueFrom").and_then(|v| obj_if_present(v, "fieldRef"))
        {
            default(f, "apiVersion", json!("v1"));
        }
    }
}

fn default_pod_spec(spec: &mut Map<String, Value>) {
    // serviceAccount is the deprecated alias of serviceAccountName: decoding fills the name from it, and
    // encoding writes it back from the name.
    let sa_name = |k: &str| {
        spec.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    if let Some(name) = sa_name("serviceAccountName").or_else(|| sa_name("serviceAccount")) {
        spec.insert("serviceAccountName".into(), json!(name));
        spec.insert("serviceAccount".into(), json!(name));
    }
    default(spec, "restartPolicy", json!("Always"));
    default(spec, "terminationGracePeriodSeconds", json!(30));
    default(spec, "dnsPolicy", json!("ClusterFirst"));
    default(spec, "securityContext", json!({}));
    default(spec, "schedulerName", json!("default-scheduler"));
    for key in ["containers", "initContainers"] {
        for c in each_item(spec, key) {
            default_container(c);
        }
    }
    for v in each_item(spec, "volumes") {
        for source in ["configMap", "secret", "downwardAPI", "projected"] {
            if let Some(s) = obj_if_present(v, source) {
                default(s, "defaultMode", json!(420));
            }
        }
    }
}

fn default_pod_template(holder: &mut Map<String, Value>) {
    if let Some(t) = obj_if_present(holder, "template") {
        default_pod_spec(obj(t, "spec"));
    }
}

fn default_deployment(spec: &mut Map<String, Value>) {
    default(spec, "replicas", json!(1));
    let strategy = obj(spec, "strategy");
    default(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let ru = obj(strategy, "rollingUpdate");
        default(ru, "maxUnavailable", json!("25%"));
        default(ru, "maxSurge", json!("25%"));
    }
    default(spec, "revisionHistoryLimit", json!(10));
    default(spec, "progressDeadlineSeconds", json!(600));
    default_pod_template(spec);
}

fn default_statefulset(spec: &mut Map<String, Value>) {
    default(spec, "replicas", json!(1));
    default(spec, "podManagementPolicy", json!("OrderedReady"));
    let us = obj(spec, "updateStrategy");
    default(us, "type", json!("RollingUpdate"));
    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        default(obj(us, "rollingUpdate"), "partition", json!(0));
    }
    default(spec, "revisionHistoryLimit", json!(10));
    let retention = obj(spec, "persistentVolumeClaimRetentionPolicy");
    default(retention, "whenDeleted", json!("Retain"));
    default(retention, "whenScaled", json!("Retain"));
    for pvc in each_item(spec, "volumeClaimTemplates") {
        default(obj(pvc, "spec"), "volumeMode", json!("Filesystem"));
        default(obj(pvc, "status"), "phase", json!("Pending"));
    }
    default_pod_template(spec);
}

fn default_daemonset(spec: &mut Map<String, Value>) {
    let us = obj(spec, "updateStrategy");
    default(us, "type", json!("RollingUpdate"));
    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let ru = obj(us, "rollingUpdate");
        default(ru, "maxUnavailable", json!(1));
        default(ru, "maxSurge", json!(0));
    }
    default(spec, "revisionHistoryLimit", json!(10));
    default_pod_template(spec);
}

/// Job defaults; with `metadata.uid` already assigned, also the generated selector and template labels.
fn default_job(metadata: Option<&Map<String, Value>>, spec: &mut Map<String, Value>) {
    let has_parallelism = !spec.get("parallelism").is_none_or(Value::is_null);
    let has_completions = !spec.get("completions").is_none_or(Value::is_null);
    if !has_parallelism && !has_completions {
        spec.insert("completions".into(), json!(1));
    }
    default(spec, "parallelism", json!(1));
    default(spec, "backoffLimit", json!(6));
    default(spec, "completionMode", json!("NonIndexed"));
    default(spec, "suspend", json!(false));
    if spec.get("podFailurePolicy").is_none_or(Value::is_null) {
        default(spec, "podReplacementPolicy", json!("TerminatingOrFailed"));
    }
    default(spec, "manualSelector", json!(false));
    let manual = spec.get("manualSelector").and_then(Value::as_bool) == Some(true);
    let uid = metadata.and_then(|m| m.get("uid")).and_then(Value::as_str);
    let name = metadata.and_then(|m| m.get("name")).and_then(Value::as_str);
    if let (false, Some(uid), Some(name)) = (manual, uid, name) {
        if is_empty_or_absent(spec, "selector") {
            spec.insert(
                "selector".into(),
                json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
            );
        }
        let labels = obj(obj(obj(spec, "template"), "metadata"), "labels");
        for (k, v) in [
            ("batch.kubernetes.io/controller-uid", uid),
            ("batch.kubernetes.io/job-name", name),
            ("controller-uid", uid),
            ("job-name", name),
        ] {
            default(labels, k, json!(v));
        }
    }
    default_pod_template(spec);
}

/// What a Job's create adds before defaulting is judged: Go's `SetDefaults_Job` gives a Job without labels
/// its template's labels map (the same map, so the labels generated next show on the Job too), and, unless
/// `manualSelector` is true, `generateSelector` adds the `controller-uid`/`job-name` labels (both spellings)
/// the template lacks and `batch.kubernetes.io/controller-uid` to the selector's `matchLabels`, even to a
/// selector the user gave (which validation then refuses). On update only the labels are defaulted.
pub fn default_job_labels_and_selector(job: &mut Value, create: bool) {
    let Some(o) = job.as_object_mut() else {
        return;
    };
    let template_labels_set = o
        .get("spec")
        .and_then(|s| s.get("template"))
        .and_then(|t| t.get("metadata"))
        .and_then(|m| m.get("labels"))
        .is_some_and(Value::is_object);
    let job_labels_empty = o
        .get("metadata")
        .and_then(|m| m.get("labels"))
        .and_then(Value::as_object)
        .is_none_or(|l| l.is_empty());
    let meta = o.get("metadata").cloned().unwrap_or_default();
    let (uid, name) = (
        meta["uid"].as_str().unwrap_or("").to_string(),
        meta["name"].as_str().unwrap_or("").to_string(),
    );
    let spec = obj(o, "spec");
    let manual = spec.get("manualSelector").and_then(Value::as_bool) == Some(true);
    if create && !manual && !uid.is_empty() {
        let labels = obj(obj(obj(spec, "template"), "metadata"), "labels");
        for (k, v) in [
            ("batch.kubernetes.io/job-name", &name),
            ("job-name", &name),
            ("batch.kubernetes.io/controller-uid", &uid),
            ("controller-uid", &uid),
        ] {
            default(labels, k, json!(v));
        }
        let selector = obj(spec, "selector");
        default(
            obj(selector, "matchLabels"),
            "batch.kubernetes.io/controller-uid",
            json!(uid),
        );
    }
    if template_labels_set && job_labels_empty {
        let labels = spec["template"]["metadata"]["labels"].clone();
        obj(o, "metadata").insert("labels".into(), labels);
    }
}

fn default_service(spec: &mut Map<String, Value>) {
    default(spec, "type", json!("ClusterIP"));
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    default(spec, "sessionAffinity", json!("None"));
    if spec.get("sessionAffinity").and_then(Value::as_str) == Some("ClientIP") {
        let cfg = obj(obj(spec, "sessionAffinityConfig"), "clientIP");
        default(cfg, "timeoutSeconds", json!(10800));
    }
    for p in each_item(spec, "ports") {
        default(p, "protocol", json!("TCP"));
        let unset = match p.get("targetPort") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if unset {
            if let Some(port) = p.get("port").cloned() {
                p.insert("targetPort".into(), port);
            }
        }
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        default(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        default(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    if ty == "ExternalName" {
        return;
    }
    default(spec, "internalTrafficPolicy", json!("Cluster"));
    let cluster_ip = spec
        .get("clusterIP")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !cluster_ip.is_empty() && is_empty_or_absent(spec, "clusterIPs") {
        spec.insert("clusterIPs".into(), json!([cluster_ip]));
    }
    let headless_without_selector = cluster_ip == "None" && is_empty_or_absent(spec, "selector");
    let policy = if headless_without_selector {
        // Approximation: a single-stack IPv4 server reports RequireDualStack with only IPv4 here.
        "RequireDualStack"
    } else {
        "SingleStack"
    };
    default(spec, "ipFamilies", json!(["IPv4"]));
    default(spec, "ipFamilyPolicy", json!(policy));
}

fn default_binding(o: &mut Map<String, Value>) {
    // A ServiceAccount subject's group is "", which Go leaves out.
    for s in each_item(o, "subjects") {
        if matches!(
            s.get("kind").and_then(Value::as_str),
            Some("User" | "Group")
        ) && is_empty_or_absent(s, "apiGroup")
        {
            s.insert("apiGroup".into(), json!("rbac.authorization.k8s.io"));
        }
    }
    if let Some(r) = obj_if_present(o, "roleRef") {
        if is_empty_or_absent(r, "apiGroup") {
            r.insert("apiGroup".into(), json!("rbac.authorization.k8s.io"));
        }
    }
}

fn default_hpa(spec: &mut Map<String, Value>) {
    default(spec, "minReplicas", json!(1));
    if is_empty_or_absent(spec, "metrics") {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    if let Some(b) = obj_if_present(spec, "behavior") {
        let up = obj(b, "scaleUp");
        default(up, "stabilizationWindowSeconds", json!(0));
        default(up, "selectPolicy", json!("Max"));
        default(
            up,
            "policies",
            json!([{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]),
        );
        let down = obj(b, "scaleDown");
        default(down, "selectPolicy", json!("Max"));
        default(
            down,
            "policies",
            json!([{"type": "Percent", "value": 100, "periodSeconds": 15}]),
        );
    }
}

fn default_network_policy(spec: &mut Map<String, Value>) {
    if is_empty_or_absent(spec, "policyTypes") {
        let mut types = vec![json!("Ingress")];
        if !is_empty_or_absent(spec, "egress") {
            types.push(json!("Egress"));
        }
        spec.insert("policyTypes".into(), Value::Array(types));
    }
    for dir in ["ingress", "egress"] {
        for rule in each_item(spec, dir) {
            for p in each_item(rule, "ports") {
                default(p, "protocol", json!("TCP"));
            }
        }
    }
}

/// Applies the server's defaults for a built-in kind (§11). Idempotent. Jobs get their generated selector only
/// when `metadata.uid` is already set, so call this after assigning the uid on create.
pub fn apply_defaults(group: &str, kind: &str, obj_value: &mut Value) {
    if group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition" {
        crate::schema::default_crd(obj_value);
        return;
    }
    let Some(o) = obj_value.as_object_mut() else {
        return;
    };
    match (group, kind) {
        ("", "Namespace") => {
            let name = o
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if !name.is_empty() {
                let labels = obj(obj(o, "metadata"), "labels");
                labels.insert("kubernetes.io/metadata.name".into(), json!(name));
            }
            // spec.finalizers gets `kubernetes` on create only (hooks::before_create): the namespace
            // controller empties it through /finalize, and defaulting must not bring it back.
            default(obj(o, "status"), "phase", json!("Active"));
        }
        ("", "Secret") if is_empty_or_absent(o, "type") => {
            o.insert("type".into(), json!("Opaque"));
        }
        ("", "Service") => default_service(obj(o, "spec")),
        ("", "Pod") => {
            let spec = obj(o, "spec");
            default_pod_spec(spec);
            default(spec, "enableServiceLinks", json!(true));
            for c in each_item(spec, "containers") {
                if let Some(res) = obj_if_present(c, "resources") {
                    if let Some(limits) = res.get("limits").cloned() {
                        default(res, "requests", limits);
                    }
                }
            }
        }
        ("", "ReplicationController") => {
            let template_labels = o
                .get("spec")
                .and_then(|s| s.get("template"))
                .and_then(|t| t.get("metadata"))
                .and_then(|m| m.get("labels"))
                .cloned();
            let spec = obj(o, "spec");
            default(spec, "replicas", json!(1));
            if let Some(labels) = &template_labels {
                if is_empty_or_absent(spec, "selector") {
                    spec.insert("selector".into(), labels.clone());
                }
            }
            default_pod_template(spec);
            if let Some(labels) = template_labels {
                let meta = obj(o, "metadata");
                if is_empty_or_absent(meta, "labels") {
                    meta.insert("labels".into(), labels);
                }
            }
        }
        ("", "Endpoints") => {
            for subset in each_item(o, "subsets") {
                for p in each_item(subset, "ports") {
                    default(p, "protocol", json!("TCP"));
                }
            }
        }
        ("", "PersistentVolumeClaim") => {
            default(obj(o, "spec"), "volumeMode", json!("Filesystem"));
            default(obj(o, "status"), "phase", json!("Pending"));
        }
        ("", "PersistentVolume") => {
            let spec = obj(o, "spec");
            default(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
            default(spec, "volumeMode", json!("Filesystem"));
            default(obj(o, "status"), "phase", json!("Pending"));
        }
        ("apps", "Deployment") => default_deployment(obj(o, "spec")),
        ("apps", "ReplicaSet") => {
            let spec = obj(o, "spec");
            default(spec, "replicas", json!(1));
            default_pod_template(spec);
        }
        ("apps", "StatefulSet") => {
            default_statefulset(obj(o, "spec"));
            // StatefulSetStatus.replicas and availableReplicas have no omitempty.
            let status = obj(o, "status");
            default(status, "replicas", json!(0));
            default(status, "availableReplicas", json!(0));
        }
        ("apps", "DaemonSet") => default_daemonset(obj(o, "spec")),
        ("batch", "Job") => {
            let metadata = o.get("metadata").and_then(Value::as_object).cloned();
            default_job(metadata.as_ref(), obj(o, "spec"));
        }
        ("batch", "CronJob") => {
            let spec = obj(o, "spec");
            default(spec, "concurrencyPolicy", json!("Allow"));
            default(spec, "suspend", json!(false));
            default(spec, "successfulJobsHistoryLimit", json!(3));
            default(spec, "failedJobsHistoryLimit", json!(1));
            if let Some(js) =
                obj_if_present(spec, "jobTemplate").and_then(|t| obj_if_present(t, "spec"))
            {
                default_pod_template(js);
            }
        }
        ("rbac.authorization.k8s.io", "ClusterRoleBinding" | "RoleBinding") => default_binding(o),
        ("autoscaling", "HorizontalPodAutoscaler") => default_hpa(obj(o, "spec")),
        ("networking.k8s.io", "NetworkPolicy") => default_network_policy(obj(o, "spec")),
        ("networking.k8s.io", "IngressClass") => {
            if let Some(p) = obj_if_present(obj(o, "spec"), "parameters") {
                default(p, "scope", json!("Cluster"));
            }
        }
        ("storage.k8s.io", "StorageClass") => {
            default(o, "reclaimPolicy", json!("Delete"));
            default(o, "volumeBindingMode", json!("Immediate"));
        }
        ("scheduling.k8s.io", "PriorityClass") => {
            // `value` is a plain int32 in Go: absent decodes as 0 and is always written out.
            default(o, "value", json!(0));
            default(o, "preemptionPolicy", json!("PreemptLowerPriority"));
        }
        ("discovery.k8s.io", "EndpointSlice") => {
            for p in each_item(o, "ports") {
                default(p, "name", json!(""));
                default(p, "protocol", json!("TCP"));
            }
        }
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration") => {
            default_webhooks(o, false)
        }
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration") => {
            default_webhooks(o, true)
        }
        _ => {}
    }
}

/// Each webhook of a Validating/MutatingWebhookConfiguration (`SetDefaults_ValidatingWebhook` and friends).
fn default_webhooks(o: &mut Map<String, Value>, mutating: bool) {
    for w in each_item(o, "webhooks") {
        default(w, "failurePolicy", json!("Fail"));
        default(w, "matchPolicy", json!("Equivalent"));
        default(w, "namespaceSelector", json!({}));
        default(w, "objectSelector", json!({}));
        default(w, "timeoutSeconds", json!(10));
        if mutating {
            default(w, "reinvocationPolicy", json!("Never"));
        }
        for r in each_item(w, "rules") {
            default(r, "scope", json!("*"));
        }
        if let Some(svc) =
            obj_if_present(w, "clientConfig").and_then(|c| obj_if_present(c, "service"))
        {
            default(svc, "port", json!(443));
        }
    }
}

/// Normalises a write before validation: Secret `stringData` is base64-encoded into `data` (winning on
/// conflict) and removed, since the server never stores or returns it.
pub fn normalize(group: &str, kind: &str, obj_value: &mut Value) {
    if !(group.is_empty() && kind == "Secret") {
        return;
    }
    let Some(o) = obj_value.as_object_mut() else {
        return;
    };
    let Some(string_data) = o.remove("stringData") else {
        return;
    };
    let Value::Object(string_data) = string_data else {
        return;
    };
    if string_data.is_empty() {
        return;
    }
    let data = obj(o, "data");
    for (k, v) in string_data {
        let plain = match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        data.insert(
            k,
            Value::String(base64::engine::general_purpose::STANDARD.encode(plain)),
        );
    }
}

fn service_type(spec: &Value) -> &str {
    spec.get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("ClusterIP")
}

fn needs_cluster_ip(spec: &Value) -> bool {
    service_type(spec) != "ExternalName"
}

fn needs_node_port(spec: &Value) -> bool {
    matches!(service_type(spec), "NodePort" | "LoadBalancer")
}

fn needs_health_check_node_port(spec: &Value) -> bool {
    service_type(spec) == "LoadBalancer"
        && spec.get("externalTrafficPolicy").and_then(Value::as_str) == Some("Local")
}

fn node_ports(spec: &Value) -> BTreeSet<i64> {
    spec.get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .filter(|n| *n != 0)
        .collect()
}

/// Carries into an update the server-allocated values the client omitted, as the API server's Service
/// storage does before validating (`patchAllocatedValues`): `clusterIP`/`clusterIPs` while both versions
/// need one; each port's `nodePort` from the stored port of the same name while both need node ports,
/// unless another port of the update already uses it; `healthCheckNodePort`; and `ipFamilies`/
/// `ipFamilyPolicy`. So `kubectl replace` or a PUT of a manifest without them keeps what was allocated.
/// Call before [`apply_defaults`] and validation on update.
pub fn prepare_update(group: &str, kind: &str, obj_value: &mut Value, old: &Value) {
    if !(group.is_empty() && kind == "Service") {
        return;
    }
    let Some(old_spec) = old.get("spec") else {
        return;
    };
    let Some(o) = obj_value.as_object_mut() else {
        return;
    };
    let spec = obj(o, "spec");
    let new_spec = Value::Object(spec.clone());
    if needs_cluster_ip(old_spec) && needs_cluster_ip(&new_spec) {
        if is_empty_or_absent(spec, "clusterIP") {
            if let Some(v) = old_spec.get("clusterIP") {
                spec.insert("clusterIP".into(), v.clone());
            }
        }
        let same_ip = spec.get("clusterIP") == old_spec.get("clusterIP");
        if is_empty_or_absent(spec, "clusterIPs") && same_ip {
            if let Some(v) = old_spec.get("clusterIPs") {
                spec.insert("clusterIPs".into(), v.clone());
            }
        }
        for key in ["ipFamilies", "ipFamilyPolicy"] {
            if is_empty_or_absent(spec, key) {
                if let Some(v) = old_spec.get(key) {
                    spec.insert(key.into(), v.clone());
                }
            }
        }
    }
    if needs_node_port(old_spec) && needs_node_port(&new_spec) {
        // A node port the update already gives to some port is not handed to another.
        let used: BTreeSet<i64> = node_ports(old_spec)
            .intersection(&node_ports(&new_spec))
            .copied()
            .collect();
        let by_name: BTreeMap<&str, &Value> = old_spec
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let np = p.get("nodePort")?;
                Some((p.get("name").and_then(Value::as_str).unwrap_or(""), np))
            })
            .collect();
        for p in each_item(spec, "ports") {
            let unset = p
                .get("nodePort")
                .and_then(Value::as_i64)
                .is_none_or(|n| n == 0);
            if !unset {
                continue;
            }
            let name = p.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(np) = by_name.get(name) {
                if np.as_i64().is_some_and(|n| !used.contains(&n)) {
                    p.insert("nodePort".into(), (*np).clone());
                }
            }
        }
    }
    if needs_health_check_node_port(old_spec)
        && needs_health_check_node_port(&new_spec)
        && is_empty_or_absent(spec, "healthCheckNodePort")
    {
        if let Some(v) = old_spec.get("healthCheckNodePort") {
            spec.insert("healthCheckNodePort".into(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [
                        {"name": "a", "image": "nginx", "ports": [{"containerPort": 80}]},
                        {"name": "b", "image": "nginx:1.25"},
                        {"name": "c", "image": "registry:5000/app:latest"},
                        {"name": "d", "image": "registry:5000/app"}
                    ]}}}
        })
    }

    #[test]
    fn deployment_gets_every_documented_default() {
        let mut d = deployment();
        apply_defaults("apps", "Deployment", &mut d);
        let spec = &d["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_eq!(spec["progressDeadlineSeconds"], 600);
        assert_eq!(
            spec["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
        );
        let pod = &spec["template"]["spec"];
        assert_eq!(pod["restartPolicy"], "Always");
        assert_eq!(pod["terminationGracePeriodSeconds"], 30);
        assert_eq!(pod["dnsPolicy"], "ClusterFirst");
        assert_eq!(pod["schedulerName"], "default-scheduler");
        assert_eq!(pod["securityContext"], json!({}));
        let c = &pod["containers"];
        assert_eq!(c[0]["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(c[0]["terminationMessagePolicy"], "File");
        assert_eq!(c[0]["ports"][0]["protocol"], "TCP");
        assert_eq!(c[0]["imagePullPolicy"], "Always");
        assert_eq!(c[1]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(c[2]["imagePullPolicy"], "Always");
        assert_eq!(c[3]["imagePullPolicy"], "Always");
    }

    #[test]
    fn defaults_are_idempotent_and_keep_explicit_values() {
        let mut d = deployment();
        d["spec"]["replicas"] = json!(3);
        d["spec"]["strategy"] = json!({"type": "Recreate"});
        apply_defaults("apps", "Deployment", &mut d);
        let once = d.clone();
        apply_defaults("apps", "Deployment", &mut d);
        assert_eq!(d, once);
        assert_eq!(d["spec"]["replicas"], 3);
        assert_eq!(d["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn digest_pinned_image_is_if_not_present() {
        assert_eq!(image_pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn service_defaults_and_target_port() {
        let mut s = json!({"metadata": {"name": "s"}, "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}, {"port": 443, "targetPort": "https"}]}});
        apply_defaults("", "Service", &mut s);
        assert_eq!(
            s["spec"],
            json!({"selector": {"app": "x"},
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}, {"port": 443, "targetPort": "https", "protocol": "TCP"}],
                "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"})
        );
    }

    #[test]
    fn headless_service_gets_none_cluster_ips() {
        let mut s = json!({"spec": {"clusterIP": "None", "selector": {"a": "b"}}});
        apply_defaults("", "Service", &mut s);
        assert_eq!(s["spec"]["clusterIPs"], json!(["None"]));
    }

    #[test]
    fn node_port_service_gets_external_traffic_policy() {
        let mut s = json!({"spec": {"type": "NodePort", "ports": [{"port": 80}]}});
        apply_defaults("", "Service", &mut s);
        assert_eq!(s["spec"]["externalTrafficPolicy"], "Cluster");
    }

    #[test]
    fn namespace_defaults_label_and_phase() {
        let mut n = json!({"metadata": {"name": "team-a"}});
        apply_defaults("", "Namespace", &mut n);
        assert_eq!(
            n,
            json!({"metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}},
                "status": {"phase": "Active"}})
        );
    }

    #[test]
    fn secret_type_defaults_to_opaque() {
        let mut s = json!({"metadata": {"name": "s"}});
        apply_defaults("", "Secret", &mut s);
        assert_eq!(s["type"], "Opaque");
    }

    #[test]
    fn string_data_merged_into_data_and_wins() {
        let mut s =
            json!({"data": {"a": "eA==", "b": "eQ=="}, "stringData": {"b": "hello", "c": "x"}});
        normalize("", "Secret", &mut s);
        assert_eq!(
            s,
            json!({"data": {"a": "eA==", "b": "aGVsbG8=", "c": "eA=="}})
        );
    }

    #[test]
    fn normalize_leaves_configmaps_alone() {
        let mut c = json!({"stringData": {"a": "b"}});
        normalize("", "ConfigMap", &mut c);
        assert_eq!(c, json!({"stringData": {"a": "b"}}));
    }

    #[test]
    fn job_defaults_and_generated_selector() {
        let mut j = json!({"metadata": {"name": "pi", "uid": "u-1"}, "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "perl:5"}], "restartPolicy": "Never"}}}});
        apply_defaults("batch", "Job", &mut j);
        let spec = &j["spec"];
        assert_eq!(spec["completions"], 1);
        assert_eq!(spec["parallelism"], 1);
        assert_eq!(spec["backoffLimit"], 6);
        assert_eq!(spec["completionMode"], "NonIndexed");
        assert_eq!(spec["suspend"], false);
        assert_eq!(
            spec["selector"],
            json!({"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}})
        );
        assert_eq!(spec["template"]["metadata"]["labels"]["job-name"], "pi");
        assert_eq!(spec["template"]["spec"]["restartPolicy"], "Never");
    }

    #[test]
    fn job_with_parallelism_only_leaves_completions_unset() {
        let mut j = json!({"spec": {"parallelism": 3, "template": {"spec": {}}}});
        apply_defaults("batch", "Job", &mut j);
        assert!(j["spec"].get("completions").is_none());
    }

    #[test]
    fn cronjob_defaults() {
        let mut c = json!({"spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}}});
        apply_defaults("batch", "CronJob", &mut c);
        assert_eq!(c["spec"]["concurrencyPolicy"], "Allow");
        assert_eq!(c["spec"]["successfulJobsHistoryLimit"], 3);
        assert_eq!(c["spec"]["failedJobsHistoryLimit"], 1);
        assert_eq!(
            c["spec"]["jobTemplate"]["spec"]["template"]["spec"]["dnsPolicy"],
            "ClusterFirst"
        );
    }

    #[test]
    fn statefulset_and_daemonset_strategies() {
        let mut s = json!({"spec": {"template": {"spec": {}}}});
        apply_defaults("apps", "StatefulSet", &mut s);
        assert_eq!(
            s["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        );
        assert_eq!(s["spec"]["podManagementPolicy"], "OrderedReady");
        let mut d = json!({"spec": {"template": {"spec": {}}}});
        apply_defaults("apps", "DaemonSet", &mut d);
        assert_eq!(
            d["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        );
    }

    #[test]
    fn binding_subjects_get_api_groups() {
        let mut b = json!({"roleRef": {"kind": "ClusterRole", "name": "x"}, "subjects": [{"kind": "User", "name": "u"}, {"kind": "ServiceAccount", "name": "s", "namespace": "n"}]});
        apply_defaults("rbac.authorization.k8s.io", "ClusterRoleBinding", &mut b);
        assert_eq!(b["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
        assert_eq!(b["subjects"][0]["apiGroup"], "rbac.authorization.k8s.io");
        assert!(b["subjects"][1].get("apiGroup").is_none());
    }

    #[test]
    fn update_inherits_cluster_ip_and_node_port() {
        let old = json!({"spec": {"type": "NodePort", "clusterIP": "10.96.0.7", "clusterIPs": ["10.96.0.7"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"port": 80, "protocol": "TCP", "nodePort": 30080}]}});
        let mut new =
            json!({"spec": {"type": "NodePort", "ports": [{"port": 80, "protocol": "TCP"}]}});
        prepare_update("", "Service", &mut new, &old);
        assert_eq!(new["spec"]["clusterIP"], "10.96.0.7");
        assert_eq!(new["spec"]["clusterIPs"], json!(["10.96.0.7"]));
        assert_eq!(new["spec"]["ports"][0]["nodePort"], 30080);
    }

    #[test]
    fn node_ports_follow_port_names_and_are_never_given_twice() {
        let old = json!({"spec": {"type": "NodePort", "clusterIP": "10.96.0.7", "clusterIPs": ["10.96.0.7"],
            "ports": [{"name": "http", "port": 80, "nodePort": 30080}, {"name": "https", "port": 443, "nodePort": 30443}]}});
        // http moved to another port number; https's node port is taken by the new metrics port.
        let mut new = json!({"spec": {"type": "NodePort", "ports": [{"name": "http", "port": 8080},
            {"name": "metrics", "port": 9090, "nodePort": 30443}, {"name": "https", "port": 443}]}});
        prepare_update("", "Service", &mut new, &old);
        let ports = &new["spec"]["ports"];
        assert_eq!(ports[0]["nodePort"], 30080);
        assert_eq!(ports[1]["nodePort"], 30443);
        assert!(ports[2].get("nodePort").is_none());
        // Turned into a ClusterIP Service: it keeps its IP and gets no node port.
        let mut new =
            json!({"spec": {"type": "ClusterIP", "ports": [{"name": "http", "port": 80}]}});
        prepare_update("", "Service", &mut new, &old);
        assert_eq!(new["spec"]["clusterIP"], "10.96.0.7");
        assert!(new["spec"]["ports"][0].get("nodePort").is_none());
        // An ExternalName Service gets no cluster IP.
        let mut new = json!({"spec": {"type": "ExternalName", "externalName": "example.com"}});
        prepare_update("", "Service", &mut new, &old);
        assert!(new["spec"].get("clusterIP").is_none());
    }
}
