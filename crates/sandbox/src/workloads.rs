//! Simulated workloads, for sandboxes started with `--workloads` (what kwok does, without running anything):
//! one Node per cluster, the Deployment, ReplicaSet, StatefulSet, DaemonSet and Job controllers creating and
//! deleting pods, and a kubelet stand-in that binds pods to the node and reports them Running and Ready (Job
//! pods Succeeded). Without the option none of this exists and a cluster is the bare API server.
//!
//! Incremental: a pass reads the store's events since the last one and reconciles only the objects they
//! touch (a pod's controller, a ReplicaSet's Deployment); a full scan happens once at start and after the
//! event stream overflowed. Everything is written through the request pipeline with the manager a real
//! cluster would show (kube-controller-manager, kube-scheduler, kubelet).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use tokio::sync::broadcast::{self, error::TryRecvError};

use super::api::{create_object, delete_object};
use super::cluster::Cluster;
use super::hooks::SystemRequest;
use super::objects::{self, now_rfc3339};
use super::store::Event;

const CONTROLLER_MANAGER: &str = "kube-controller-manager";
const SCHEDULER: &str = "kube-scheduler";
const KUBELET: &str = "kubelet";
/// Passes stop after this many rounds of reacting to their own writes; the next pass goes on.
const MAX_ROUNDS: usize = 24;
const HOST_IP: &str = "172.18.0.2";
const REVISION: &str = "deployment.kubernetes.io/revision";
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
const HASH: &str = "pod-template-hash";
const REVISION_HASH: &str = "controller-revision-hash";
/// Held on a Job's pods until the Job controller has counted them finished (or the Job is gone).
const JOB_TRACKING: &str = "batch.kubernetes.io/job-tracking";

/// What the simulation reconciles, in the order a round handles them: pods before their controllers,
/// ReplicaSets before their Deployments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Node,
    Pod,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    Deployment,
}

type Key = (Kind, String, String);

fn kind_of(group: &str, resource: &str) -> Option<Kind> {
    Some(match (group, resource) {
        ("", "nodes") => Kind::Node,
        ("", "pods") => Kind::Pod,
        ("apps", "replicasets") => Kind::ReplicaSet,
        ("apps", "statefulsets") => Kind::StatefulSet,
        ("apps", "daemonsets") => Kind::DaemonSet,
        ("apps", "deployments") => Kind::Deployment,
        ("batch", "jobs") => Kind::Job,
        _ => return None,
    })
}

fn kind_of_owner(kind: &str, api_version: &str) -> Option<Kind> {
    Some(match (api_version, kind) {
        ("apps/v1", "ReplicaSet") => Kind::ReplicaSet,
        ("apps/v1", "StatefulSet") => Kind::StatefulSet,
        ("apps/v1", "DaemonSet") => Kind::DaemonSet,
        ("apps/v1", "Deployment") => Kind::Deployment,
        ("batch/v1", "Job") => Kind::Job,
        _ => return None,
    })
}

/// The simulation's state for one cluster.
pub struct Workloads {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    events: Option<broadcast::Receiver<Arc<Event>>>,
    dirty: BTreeSet<Key>,
    next_ip: u32,
    /// Objects reconciled so far (what a pass cost).
    reconciled: u64,
}

impl Workloads {
    pub fn new() -> Workloads {
        Workloads {
            state: Mutex::new(State::default()),
        }
    }
}

impl Default for Workloads {
    fn default() -> Self {
        Workloads::new()
    }
}

/// The simulated node of a cluster.
pub fn node_name(c: &Cluster) -> String {
    format!("{}-node", c.name)
}

/// One pass: reacts to what changed since the last one. Returns whether anything was written. Costs nothing
/// when the cluster was started without workloads.
pub fn pass(c: &Arc<Cluster>) -> bool {
    let Some(w) = &c.workloads else {
        return false;
    };
    let mut st = w.state.lock().unwrap_or_else(|p| p.into_inner());
    if st.events.is_none() {
        st.events = Some(c.store.subscribe());
        full_scan(c, &mut st);
    }
    let mut wrote = false;
    for _ in 0..MAX_ROUNDS {
        drain(c, &mut st);
        if st.dirty.is_empty() {
            break;
        }
        let keys = std::mem::take(&mut st.dirty);
        st.reconciled += keys.len() as u64;
        for (kind, ns, name) in keys {
            wrote |= match kind {
                Kind::Node => ensure_node(c),
                Kind::Pod => run_pod(c, &mut st, &ns, &name),
                Kind::ReplicaSet => replica_set(c, &ns, &name),
                Kind::StatefulSet => stateful_set(c, &ns, &name),
                Kind::DaemonSet => daemon_set(c, &ns, &name),
                Kind::Job => job(c, &ns, &name),
                Kind::Deployment => deployment(c, &ns, &name),
            };
        }
    }
    wrote
}

/// Marks everything the simulation looks after: at start, and when events were missed.
fn full_scan(c: &Cluster, st: &mut State) {
    st.dirty.insert((Kind::Node, String::new(), node_name(c)));
    for (group, resource, kind) in [
        ("apps", "deployments", Kind::Deployment),
        ("apps", "replicasets", Kind::ReplicaSet),
        ("apps", "statefulsets", Kind::StatefulSet),
        ("apps", "daemonsets", Kind::DaemonSet),
        ("batch", "jobs", Kind::Job),
    ] {
        for o in c.store.list(group, resource, None).1 {
            st.dirty.insert(key(kind, &o));
        }
    }
    let pending = c
        .store
        .list_page("", "pods", None, None, 0, &pod_needs_kubelet)
        .items;
    for p in pending {
        st.dirty.insert(key(Kind::Pod, &p));
    }
}

fn key(kind: Kind, obj: &Value) -> Key {
    (
        kind,
        objects::namespace(obj).to_string(),
        objects::name(obj).to_string(),
    )
}

/// Reads the events since the last round and marks what they touch.
fn drain(c: &Cluster, st: &mut State) {
    loop {
        let Some(rx) = st.events.as_mut() else { return };
        match rx.try_recv() {
            Ok(ev) => mark(c, st, &ev),
            Err(TryRecvError::Lagged(_)) => full_scan(c, st),
            Err(TryRecvError::Empty) | Err(TryRecvError::Closed) => return,
        }
    }
}

fn mark(c: &Cluster, st: &mut State, ev: &Event) {
    let Some(kind) = kind_of(&ev.group, &ev.resource) else {
        return;
    };
    let obj = &ev.object;
    let deleted = ev.kind == super::store::EventType::Deleted;
    match kind {
        Kind::Node => {
            if deleted && ev.name == node_name(c) {
                st.dirty
                    .insert((Kind::Node, String::new(), ev.name.clone()));
            }
            return;
        }
        Kind::Pod => {
            if !deleted && pod_needs_kubelet(obj) {
                st.dirty.insert(key(Kind::Pod, obj));
            }
        }
        _ => {
            st.dirty
                .insert((kind, ev.namespace.clone(), ev.name.clone()));
        }
    }
    // The controller that owns this object reacts to its changes.
    if let Some(owner) = controller_ref(obj) {
        let kind = kind_of_owner(
            owner["kind"].as_str().unwrap_or(""),
            owner["apiVersion"].as_str().unwrap_or(""),
        );
        if let (Some(k), Some(name)) = (kind, owner["name"].as_str()) {
            st.dirty.insert((k, ev.namespace.clone(), name.to_string()));
        }
    }
}

fn controller_ref(obj: &Value) -> Option<&Value> {
    obj["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"] == true)
}

fn controlled_by(obj: &Value, uid: &str) -> bool {
    controller_ref(obj).is_some_and(|r| r["uid"] == uid)
}

fn owner_reference(owner: &Value, api_version: &str, kind: &str) -> Value {
    json!({"apiVersion": api_version, "kind": kind, "name": objects::name(owner),
           "uid": objects::uid(owner), "controller": true, "blockOwnerDeletion": true})
}

// ---- writes, through the request pipeline ----

fn create(
    c: &Arc<Cluster>,
    manager: &str,
    group: &str,
    plural: &str,
    ns: &str,
    obj: Value,
) -> bool {
    let sys = SystemRequest::new(manager);
    let Some(ctx) = sys.ctx(c, group, plural, ns, objects::name(&obj)) else {
        return false;
    };
    create_object(&ctx, obj, None).is_ok()
}

fn update(
    c: &Arc<Cluster>,
    manager: &str,
    group: &str,
    plural: &str,
    old: &Value,
    new: Value,
    sub: &str,
) -> bool {
    if objects::same_object(old, &new) {
        return false;
    }
    super::controllers::update_as(c, manager, group, plural, old, new, sub) == Some(true)
}

/// Writes `status` when it differs from the stored one.
fn set_status(
    c: &Arc<Cluster>,
    manager: &str,
    group: &str,
    plural: &str,
    old: &Value,
    status: Value,
) -> bool {
    if old["status"] == status {
        return false;
    }
    let mut new = old.clone();
    new["status"] = status;
    update(c, manager, group, plural, old, new, "status")
}

fn delete(c: &Arc<Cluster>, group: &str, plural: &str, obj: &Value) -> bool {
    let sys = SystemRequest::new(CONTROLLER_MANAGER);
    let Some(ctx) = sys.ctx(
        c,
        group,
        plural,
        objects::namespace(obj),
        objects::name(obj),
    ) else {
        return false;
    };
    delete_object(
        &ctx,
        objects::name(obj),
        &json!({"propagationPolicy": "Background"}),
    )
    .is_ok()
}

// ---- the node and the kubelet ----

fn ensure_node(c: &Arc<Cluster>) -> bool {
    let name = node_name(c);
    let status = node_status(&name);
    match c.store.get("", "nodes", "", &name) {
        Some(node) => {
            let conditions_ok = node["status"]["conditions"].as_array().is_some_and(|cs| {
                cs.iter()
                    .any(|x| x["type"] == "Ready" && x["status"] == "True")
            });
            if conditions_ok {
                return false;
            }
            set_status(c, KUBELET, "", "nodes", &node, status)
        }
        None => {
            let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name,
                "labels": {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                    "node.kubernetes.io/instance-type": "sandbox", "type": "sandbox"},
                "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
                "spec": {"podCIDR": "10.244.0.0/16", "podCIDRs": ["10.244.0.0/16"]}});
            if !create(c, KUBELET, "", "nodes", "", node) {
                return false;
            }
            if let Some(node) = c.store.get("", "nodes", "", &name) {
                set_status(c, KUBELET, "", "nodes", &node, status);
            }
            true
        }
    }
}

fn node_status(name: &str) -> Value {
    let now = now_rfc3339();
    let cond = |t: &str, s: &str, reason: &str, message: &str| {
        json!({"type": t, "status": s, "lastHeartbeatTime": now, "lastTransitionTime": now,
               "reason": reason, "message": message})
    };
    let resources =
        json!({"cpu": "32", "memory": "256Gi", "ephemeral-storage": "1Ti", "pods": "1000"});
    json!({
        "capacity": resources, "allocatable": resources,
        "conditions": [
            cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "addresses": [{"type": "InternalIP", "address": HOST_IP}, {"type": "Hostname", "address": name}],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": "sandbox://0.0.0",
            "kernelVersion": "", "kubeProxyVersion": "", "kubeletVersion": crate::discovery::GIT_VERSION,
            "machineID": "", "operatingSystem": "linux", "osImage": "", "systemUUID": ""},
    })
}

/// A pod the kubelet stand-in still has to bind or start.
fn pod_needs_kubelet(pod: &Value) -> bool {
    !objects::is_terminating(pod)
        && (pod["spec"]["nodeName"].as_str().unwrap_or("").is_empty()
            || pod["status"]["phase"] == "Pending"
            || pod["status"]["phase"].is_null())
}

fn is_ready(pod: &Value) -> bool {
    pod["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|x| x["type"] == "Ready" && x["status"] == "True")
    })
}

fn is_active(pod: &Value) -> bool {
    !objects::is_terminating(pod)
        && !matches!(
            pod["status"]["phase"].as_str(),
            Some("Succeeded" | "Failed")
        )
}

/// Binds a pending pod to the node (as the scheduler does) and reports it Running and Ready, or Succeeded
/// when a Job owns it (as its kubelet would once its containers exited 0).
fn run_pod(c: &Arc<Cluster>, st: &mut State, ns: &str, name: &str) -> bool {
    let Some(pod) = c.store.get("", "pods", ns, name) else {
        return false;
    };
    if !pod_needs_kubelet(&pod) {
        return false;
    }
    let node = node_name(c);
    let bound = pod["spec"]["nodeName"].as_str().unwrap_or("");
    if bound.is_empty() {
        let mut new = pod.as_ref().clone();
        new["spec"]["nodeName"] = json!(node);
        // As pods/binding does it (which keeps the pod's generation); the next round starts the bound pod.
        return update(c, SCHEDULER, "", "pods", &pod, new, "binding");
    }
    if bound != node {
        return false;
    }
    st.next_ip += 1;
    let ip = format!("10.244.{}.{}", st.next_ip / 250, st.next_ip % 250 + 2);
    let status = pod_status(&pod, &ip);
    set_status(c, KUBELET, "", "pods", &pod, status)
}

fn pod_status(pod: &Value, ip: &str) -> Value {
    let now = now_rfc3339();
    let completes = controller_ref(pod).is_some_and(|r| r["kind"] == "Job");
    let cond = |t: &str, s: bool, reason: Option<&str>| {
        let mut c = json!({"type": t, "status": if s {"True"} else {"False"}, "lastProbeTime": null,
                           "lastTransitionTime": now});
        if let Some(r) = reason {
            c["reason"] = json!(r);
        }
        c
    };
    let statuses = |key: &str, terminated: bool| -> Vec<Value> {
        pod["spec"][key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|ctr| {
                let state = if terminated {
                    json!({"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": now, "finishedAt": now}})
                } else {
                    json!({"running": {"startedAt": now}})
                };
                json!({"name": ctr["name"], "image": ctr["image"], "imageID": "", "ready": !terminated,
                       "restartCount": 0, "started": !terminated, "state": state})
            })
            .collect()
    };
    let mut status = json!({
        "phase": if completes {"Succeeded"} else {"Running"},
        "conditions": [
            cond("PodReadyToStartContainers", !completes, None),
            cond("Initialized", true, if completes {Some("PodCompleted")} else {None}),
            cond("Ready", !completes, if completes {Some("PodCompleted")} else {None}),
            cond("ContainersReady", !completes, if completes {Some("PodCompleted")} else {None}),
            cond("PodScheduled", true, None),
        ],
        "hostIP": HOST_IP, "hostIPs": [{"ip": HOST_IP}],
        "podIP": ip, "podIPs": [{"ip": ip}],
        "startTime": now,
        "containerStatuses": statuses("containers", completes),
    });
    if pod["spec"]["initContainers"].is_array() {
        status["initContainerStatuses"] = json!(statuses("initContainers", true));
    }
    if let Some(q) = pod["status"].get("qosClass") {
        status["qosClass"] = q.clone();
    }
    status
}

// ---- pods from templates ----

/// A pod of `owner` from its template, on the node (a controller-created pod is scheduled at once here).
fn pod_from_template(
    owner: &Value,
    template: &Value,
    owner_ref: Value,
    labels: &[(&str, String)],
) -> Value {
    let mut meta = Map::new();
    let mut l = template["metadata"]["labels"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (k, v) in labels {
        l.insert((*k).to_string(), json!(v));
    }
    meta.insert("labels".into(), Value::Object(l));
    if let Some(a) = template["metadata"]["annotations"].as_object() {
        meta.insert("annotations".into(), Value::Object(a.clone()));
    }
    meta.insert("namespace".into(), json!(objects::namespace(owner)));
    meta.insert("ownerReferences".into(), json!([owner_ref]));
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template["spec"].clone()})
}

fn create_pod(c: &Arc<Cluster>, mut pod: Value, name: Option<String>, generate: &str) -> bool {
    let ns = objects::namespace(&pod).to_string();
    let meta = objects::meta_mut(&mut pod);
    match name {
        Some(n) => meta.insert("name".into(), json!(n)),
        None => meta.insert("generateName".into(), json!(generate)),
    };
    create(c, CONTROLLER_MANAGER, "", "pods", &ns, pod)
}

/// The object a controller works on: stored and not being deleted.
fn live(c: &Cluster, group: &str, plural: &str, ns: &str, name: &str) -> Option<Arc<Value>> {
    c.store
        .get(group, plural, ns, name)
        .filter(|o| !objects::is_terminating(o))
}

fn owned_pods(c: &Cluster, ns: &str, uid: &str) -> Vec<Arc<Value>> {
    c.store
        .dependents("", "pods", uid)
        .into_iter()
        .filter(|p| objects::namespace(p) == ns && controlled_by(p, uid))
        .collect()
}

/// Pods to remove on a scale down: unscheduled, then not ready, then the newest.
fn deletion_order(pods: &mut [Arc<Value>]) {
    pods.sort_by(|a, b| {
        let rank = |p: &Value| (p["spec"]["nodeName"].is_string(), is_ready(p));
        rank(a)
            .cmp(&rank(b))
            .then_with(|| {
                b["metadata"]["creationTimestamp"]
                    .as_str()
                    .cmp(&a["metadata"]["creationTimestamp"].as_str())
            })
            .then_with(|| objects::name(b).cmp(objects::name(a)))
    });
}

fn replicas(obj: &Value) -> i64 {
    obj["spec"]["replicas"].as_i64().unwrap_or(1)
}

fn generation(obj: &Value) -> i64 {
    obj["metadata"]["generation"].as_i64().unwrap_or(1)
}

/// Drops zero counts, as the Go types' `omitempty` does.
fn counts(pairs: &[(&str, i64)]) -> Map<String, Value> {
    pairs
        .iter()
        .filter(|(_, n)| *n != 0)
        .map(|(k, n)| ((*k).to_string(), json!(n)))
        .collect()
}

/// The API server's SafeEncodeString of an FNV-1a hash of the template, as pod-template-hash looks.
fn template_hash(template: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u32 = 0x811c9dc5;
    for b in serde_json::to_vec(template).unwrap_or_default() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    h.to_string()
        .bytes()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

// ---- ReplicaSet ----

fn replica_set(c: &Arc<Cluster>, ns: &str, name: &str) -> bool {
    let Some(rs) = live(c, "apps", "replicasets", ns, name) else {
        return false;
    };
    let mut wrote = false;
    let mut pods: Vec<_> = owned_pods(c, ns, objects::uid(&rs))
        .into_iter()
        .filter(|p| is_active(p))
        .collect();
    let want = replicas(&rs);
    let have = pods.len() as i64;
    if have < want {
        let owner = owner_reference(&rs, "apps/v1", "ReplicaSet");
        for _ in have..want {
            let pod = pod_from_template(&rs, &rs["spec"]["template"], owner.clone(), &[]);
            wrote |= create_pod(c, pod, None, &format!("{name}-"));
        }
    } else if have > want {
        deletion_order(&mut pods);
        for p in pods.iter().take((have - want) as usize) {
            wrote |= delete(c, "", "pods", p);
        }
    }
    let pods: Vec<_> = owned_pods(c, ns, objects::uid(&rs))
        .into_iter()
        .filter(|p| is_active(p))
        .collect();
    let template_labels = rs["spec"]["template"]["metadata"]["labels"].as_object();
    let labeled = pods
        .iter()
        .filter(|p| {
            template_labels.is_none_or(|l| l.iter().all(|(k, v)| p["metadata"]["labels"][k] == *v))
        })
        .count() as i64;
    let ready = pods.iter().filter(|p| is_ready(p)).count() as i64;
    let mut status = counts(&[
        ("fullyLabeledReplicas", labeled),
        ("readyReplicas", ready),
        ("availableReplicas", ready),
        ("observedGeneration", generation(&rs)),
    ]);
    status.insert("replicas".into(), json!(pods.len()));
    wrote
        | set_status(
            c,
            CONTROLLER_MANAGER,
            "apps",
            "replicasets",
            &rs,
            Value::Object(status),
        )
}

// ---- Deployment ----

/// `maxSurge` / `maxUnavailable` as a number of pods: an int, or a percentage of `desired` (rounded up
/// for surge, down for unavailable).
fn resolve(v: &Value, desired: i64, default_pct: i64, round_up: bool) -> i64 {
    let pct = match v {
        Value::Number(n) => return n.as_i64().unwrap_or(0),
        Value::String(s) => s
            .trim_end_matches('%')
            .parse::<i64>()
            .unwrap_or(default_pct),
        _ => default_pct,
    };
    let x = desired * pct;
    if round_up {
        (x + 99) / 100
    } else {
        x / 100
    }
}

fn revision(obj: &Value) -> i64 {
    obj["metadata"]["annotations"][REVISION]
        .as_str()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn deployment(c: &Arc<Cluster>, ns: &str, name: &str) -> bool {
    let Some(d) = live(c, "apps", "deployments", ns, name) else {
        return false;
    };
    let uid = objects::uid(&d).to_string();
    let desired = replicas(&d);
    let rolling = d["spec"]["strategy"]["rollingUpdate"].clone();
    let surge = resolve(&rolling["maxSurge"], desired, 25, true);
    let unavailable = resolve(&rolling["maxUnavailable"], desired, 25, false);
    let template = d["spec"]["template"].clone();
    let hash = template_hash(&template);
    let list = |c: &Cluster| -> Vec<Arc<Value>> {
        c.store
            .list_page("apps", "replicasets", Some(ns), None, 0, &|r| {
                controlled_by(r, &uid)
            })
            .items
    };
    let sets = list(c);
    let max_revision = sets.iter().map(|r| revision(r)).max().unwrap_or(0);
    let mut wrote = false;
    let mut created = false;
    let new_name = format!("{name}-{hash}");
    let new_rs = sets
        .iter()
        .find(|r| r["metadata"]["labels"][HASH] == json!(hash))
        .cloned();
    let annotations = |rev: i64| json!({DESIRED: desired.to_string(), MAX_REPLICAS: (desired + surge).to_string(), REVISION: rev.to_string()});
    match &new_rs {
        None if d["spec"]["paused"] != true => {
            let mut t = template.clone();
            t["metadata"]["labels"][HASH] = json!(hash);
            let mut selector = d["spec"]["selector"].clone();
            selector["matchLabels"][HASH] = json!(hash);
            let mut spec = json!({"replicas": desired, "selector": selector, "template": t});
            if let Some(m) = d["spec"].get("minReadySeconds") {
                spec["minReadySeconds"] = m.clone();
            }
            let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
                "name": new_name, "namespace": ns, "labels": t["metadata"]["labels"],
                "annotations": annotations(max_revision + 1),
                "ownerReferences": [owner_reference(&d, "apps/v1", "Deployment")]}, "spec": spec});
            created = create(c, CONTROLLER_MANAGER, "apps", "replicasets", ns, rs);
            wrote |= created;
        }
        None => {}
        Some(rs) => {
            let mut new = rs.as_ref().clone();
            new["spec"]["replicas"] = json!(desired);
            let rev = if revision(rs) < max_revision {
                max_revision + 1
            } else {
                revision(rs)
            };
            let meta = objects::meta_mut(&mut new);
            let a = meta.entry("annotations").or_insert_with(|| json!({}));
            if let (Some(a), Some(want)) = (a.as_object_mut(), annotations(rev).as_object()) {
                a.extend(want.clone());
            }
            wrote |= update(c, CONTROLLER_MANAGER, "apps", "replicasets", rs, new, "");
        }
    }
    // Old ReplicaSets go to zero at once (a rollout here takes one step), and beyond revisionHistoryLimit
    // the oldest empty ones are deleted.
    let mut old: Vec<Arc<Value>> = list(c)
        .into_iter()
        .filter(|r| r["metadata"]["labels"][HASH] != json!(hash))
        .collect();
    if d["spec"]["paused"] != true || new_rs.is_some() {
        for rs in &old {
            if replicas(rs) != 0 {
                let mut new = rs.as_ref().clone();
                new["spec"]["replicas"] = json!(0);
                if let Some(a) = new["metadata"]["annotations"].as_object_mut() {
                    a.insert(DESIRED.into(), json!(desired.to_string()));
                    a.insert(MAX_REPLICAS.into(), json!((desired + surge).to_string()));
                }
                wrote |= update(c, CONTROLLER_MANAGER, "apps", "replicasets", rs, new, "");
            }
        }
    }
    let limit = d["spec"]["revisionHistoryLimit"]
        .as_i64()
        .unwrap_or(10)
        .max(0) as usize;
    old.sort_by_key(|r| revision(r));
    let empty: Vec<_> = old
        .iter()
        .filter(|r| replicas(r) == 0 && r["status"]["replicas"].as_i64().unwrap_or(0) == 0)
        .collect();
    if empty.len() > limit {
        for rs in &empty[..empty.len() - limit] {
            wrote |= delete(c, "apps", "replicasets", rs);
        }
    }
    let sets = list(c);
    let Some(current) = c.store.get("apps", "deployments", ns, name) else {
        return wrote;
    };
    let new_rs = sets
        .iter()
        .find(|r| r["metadata"]["labels"][HASH] == json!(hash));
    let sum = |f: &str| -> i64 {
        sets.iter()
            .map(|r| r["status"][f].as_i64().unwrap_or(0))
            .sum()
    };
    let total = sum("replicas");
    let updated = new_rs.map_or(0, |r| r["status"]["replicas"].as_i64().unwrap_or(0));
    let available = sum("availableReplicas");
    let new_rev = new_rs.map(|r| revision(r)).unwrap_or(0);
    if new_rev > 0 && revision(&current) != new_rev {
        let mut new = current.as_ref().clone();
        objects::meta_mut(&mut new)
            .entry("annotations")
            .or_insert_with(|| json!({}))[REVISION] = json!(new_rev.to_string());
        wrote |= update(
            c,
            CONTROLLER_MANAGER,
            "apps",
            "deployments",
            &current,
            new,
            "",
        );
    }
    let Some(current) = c.store.get("apps", "deployments", ns, name) else {
        return wrote;
    };
    let now = now_rfc3339();
    let old_conds: Vec<Value> = current["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let condition = |t: &str, ok: bool, reason: &str, message: String| -> Value {
        let status = if ok { "True" } else { "False" };
        let prev = old_conds.iter().find(|x| x["type"] == t);
        let same_status = prev.is_some_and(|p| p["status"] == status);
        let same_reason =
            prev.is_some_and(|p| p["reason"] == reason && p["message"] == json!(message));
        let keep = |f: &str, same: bool| {
            if same {
                prev.map(|p| p[f].clone()).unwrap_or(json!(now))
            } else {
                json!(now)
            }
        };
        json!({"type": t, "status": status, "lastUpdateTime": keep("lastUpdateTime", same_status && same_reason),
               "lastTransitionTime": keep("lastTransitionTime", same_status), "reason": reason, "message": message})
    };
    let rs_name = new_rs.map_or(new_name.clone(), |r| objects::name(r).to_string());
    let available_cond = if available >= desired - unavailable {
        condition(
            "Available",
            true,
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".into(),
        )
    } else {
        condition(
            "Available",
            false,
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".into(),
        )
    };
    let complete =
        new_rs.is_some() && updated == desired && total == desired && available == desired;
    let progressing = if current["spec"]["paused"] == true {
        condition(
            "Progressing",
            false,
            "DeploymentPaused",
            "Deployment is paused".into(),
        )
    } else if complete {
        condition(
            "Progressing",
            true,
            "NewReplicaSetAvailable",
            format!("ReplicaSet {rs_name:?} has successfully progressed."),
        )
    } else if created {
        condition(
            "Progressing",
            true,
            "NewReplicaSetCreated",
            format!("Created new replica set {rs_name:?}"),
        )
    } else {
        condition(
            "Progressing",
            true,
            "ReplicaSetUpdated",
            format!("ReplicaSet {rs_name:?} is progressing."),
        )
    };
    // Conditions keep their places; new ones come Available first, then Progressing.
    let mut conds = old_conds.clone();
    for cond in [available_cond, progressing] {
        match conds.iter_mut().find(|x| x["type"] == cond["type"]) {
            Some(slot) => *slot = cond,
            None => conds.push(cond),
        }
    }
    let mut status = counts(&[
        ("observedGeneration", generation(&current)),
        ("replicas", total),
        ("updatedReplicas", updated),
        ("readyReplicas", sum("readyReplicas")),
        ("availableReplicas", available),
        ("unavailableReplicas", (desired - available).max(0)),
    ]);
    status.insert("conditions".into(), json!(conds));
    wrote
        | set_status(
            c,
            CONTROLLER_MANAGER,
            "apps",
            "deployments",
            &current,
            Value::Object(status),
        )
}

// ---- StatefulSet ----

fn stateful_set(c: &Arc<Cluster>, ns: &str, name: &str) -> bool {
    let Some(ss) = live(c, "apps", "statefulsets", ns, name) else {
        return false;
    };
    let mut wrote = false;
    let revision = format!("{name}-{}", template_hash(&ss["spec"]["template"]));
    let want = replicas(&ss);
    let start = ss["spec"]["ordinals"]["start"].as_i64().unwrap_or(0);
    let by_name: BTreeMap<String, Arc<Value>> = owned_pods(c, ns, objects::uid(&ss))
        .into_iter()
        .filter(|p| is_active(p))
        .map(|p| (objects::name(&p).to_string(), p))
        .collect();
    let owner = owner_reference(&ss, "apps/v1", "StatefulSet");
    let wanted: Vec<String> = (start..start + want)
        .map(|i| format!("{name}-{i}"))
        .collect();
    for (i, pod_name) in (start..).zip(&wanted) {
        match by_name.get(pod_name) {
            // An outdated pod is replaced (the rolling update takes one step here).
            Some(p) if p["metadata"]["labels"][REVISION_HASH] != json!(revision) => {
                wrote |= delete(c, "", "pods", p);
            }
            Some(_) => {}
            None => {
                let labels = [
                    (REVISION_HASH, revision.clone()),
                    ("statefulset.kubernetes.io/pod-name", pod_name.clone()),
                    ("apps.kubernetes.io/pod-index", i.to_string()),
                ];
                let mut pod =
                    pod_from_template(&ss, &ss["spec"]["template"], owner.clone(), &labels);
                pod["spec"]["hostname"] = json!(pod_name);
                if let Some(s) = ss["spec"]["serviceName"].as_str().filter(|s| !s.is_empty()) {
                    pod["spec"]["subdomain"] = json!(s);
                }
                wrote |= create_pod(c, pod, Some(pod_name.clone()), "");
            }
        }
    }
    for (pod_name, p) in by_name.iter().rev() {
        if !wanted.contains(pod_name) {
            wrote |= delete(c, "", "pods", p);
        }
    }
    let pods: Vec<_> = owned_pods(c, ns, objects::uid(&ss))
        .into_iter()
        .filter(|p| is_active(p))
        .collect();
    let ready = pods.iter().filter(|p| is_ready(p)).count() as i64;
    let updated = pods
        .iter()
        .filter(|p| p["metadata"]["labels"][REVISION_HASH] == json!(revision))
        .count() as i64;
    let mut status = counts(&[
        ("observedGeneration", generation(&ss)),
        ("readyReplicas", ready),
        ("currentReplicas", updated),
        ("updatedReplicas", updated),
    ]);
    status.insert("replicas".into(), json!(pods.len()));
    status.insert("availableReplicas".into(), json!(ready));
    status.insert("collisionCount".into(), json!(0));
    status.insert("updateRevision".into(), json!(revision));
    let current = if updated == pods.len() as i64 {
        revision.clone()
    } else {
        ss["status"]["currentRevision"]
            .as_str()
            .unwrap_or(&revision)
            .to_string()
    };
    status.insert("currentRevision".into(), json!(current));
    wrote
        | set_status(
            c,
            CONTROLLER_MANAGER,
            "apps",
            "statefulsets",
            &ss,
            Value::Object(status),
        )
}

// ---- DaemonSet ----

fn daemon_set(c: &Arc<Cluster>, ns: &str, name: &str) -> bool {
    let Some(ds) = live(c, "apps", "daemonsets", ns, name) else {
        return false;
    };
    let mut wrote = false;
    let hash = template_hash(&ds["spec"]["template"]);
    let node = node_name(c);
    let mut pods: Vec<_> = owned_pods(c, ns, objects::uid(&ds))
        .into_iter()
        .filter(|p| is_active(p))
        .collect();
    // One pod on the node, of the current template.
    let (current, outdated): (Vec<_>, Vec<_>) = pods
        .drain(..)
        .partition(|p| p["metadata"]["labels"][REVISION_HASH] == json!(hash));
    for p in outdated.iter().chain(current.iter().skip(1)) {
        wrote |= delete(c, "", "pods", p);
    }
    if current.is_empty() {
        let labels = [
            (REVISION_HASH, hash.clone()),
            ("pod-template-generation", generation(&ds).to_string()),
        ];
        let mut pod = pod_from_template(
            &ds,
            &ds["spec"]["template"],
            owner_reference(&ds, "apps/v1", "DaemonSet"),
            &labels,
        );
        pod["spec"]["nodeName"] = json!(node);
        wrote |= create_pod(c, pod, None, &format!("{name}-"));
    }
    let pods: Vec<_> = owned_pods(c, ns, objects::uid(&ds))
        .into_iter()
        .filter(|p| is_active(p))
        .collect();
    let scheduled = pods.len().min(1) as i64;
    let ready = pods.iter().filter(|p| is_ready(p)).count().min(1) as i64;
    let updated = pods
        .iter()
        .filter(|p| p["metadata"]["labels"][REVISION_HASH] == json!(hash))
        .count()
        .min(1) as i64;
    let mut status = counts(&[
        ("observedGeneration", generation(&ds)),
        ("updatedNumberScheduled", updated),
        ("numberAvailable", ready),
        ("numberUnavailable", 1 - ready),
    ]);
    status.insert("currentNumberScheduled".into(), json!(scheduled));
    status.insert("desiredNumberScheduled".into(), json!(1));
    status.insert("numberMisscheduled".into(), json!(0));
    status.insert("numberReady".into(), json!(ready));
    wrote
        | set_status(
            c,
            CONTROLLER_MANAGER,
            "apps",
            "daemonsets",
            &ds,
            Value::Object(status),
        )
}

// ---- Job ----

fn has_condition(obj: &Value, t: &str) -> bool {
    obj["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|x| x["type"] == t && x["status"] == "True"))
}

/// Removes the tracking finalizer from the Job's pods that are finished or deleted, or from all of them
/// when the Job is gone or going.
fn release_job_pods(c: &Arc<Cluster>, ns: &str, name: &str, job: Option<&Value>) -> bool {
    let job_alive = job.is_some_and(|j| !objects::is_terminating(j));
    let held = c
        .store
        .list_page("", "pods", Some(ns), None, 0, &|p| {
            controller_ref(p).is_some_and(|r| r["kind"] == "Job" && r["name"] == name)
                && objects::finalizers(p).iter().any(|f| f == JOB_TRACKING)
                && (!job_alive || !is_active(p))
        })
        .items;
    let mut wrote = false;
    for p in held {
        let rest: Vec<String> = objects::finalizers(&p)
            .into_iter()
            .filter(|f| f != JOB_TRACKING)
            .collect();
        let mut new = p.as_ref().clone();
        objects::set_finalizers(&mut new, &rest);
        wrote |= update(c, CONTROLLER_MANAGER, "", "pods", &p, new, "");
    }
    wrote
}

fn job(c: &Arc<Cluster>, ns: &str, name: &str) -> bool {
    let job = c.store.get("batch", "jobs", ns, name);
    let released = release_job_pods(c, ns, name, job.as_deref());
    let Some(job) = job else {
        return released;
    };
    if released {
        // The next round sees the pods without it.
        return true;
    }
    if objects::is_terminating(&job)
        || has_condition(&job, "Complete")
        || has_condition(&job, "Failed")
    {
        return false;
    }
    let mut wrote = false;
    let pods = owned_pods(c, ns, objects::uid(&job));
    let succeeded = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Succeeded")
        .count() as i64;
    let failed = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Failed")
        .count() as i64;
    let active = pods.iter().filter(|p| is_active(p)).count() as i64;
    let completions = job["spec"]["completions"].as_i64();
    let parallelism = job["spec"]["parallelism"].as_i64().unwrap_or(1);
    let suspended = job["spec"]["suspend"] == true;
    let indexed = job["spec"]["completionMode"] == "Indexed";
    let done = match completions {
        Some(n) => succeeded >= n,
        None => succeeded > 0 && active == 0,
    };
    let room = match completions {
        Some(n) => parallelism.min(n - succeeded) - active,
        None if succeeded > 0 => 0,
        None => parallelism - active,
    };
    if !done && !suspended && room > 0 {
        let owner = owner_reference(&job, "batch/v1", "Job");
        // Indexed Jobs: the lowest indexes without a succeeded or active pod.
        let taken: BTreeSet<i64> = pods
            .iter()
            .filter(|p| p["status"]["phase"] != "Failed")
            .filter_map(|p| {
                p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
                    .as_str()?
                    .parse()
                    .ok()
            })
            .collect();
        let mut free = (0..).filter(|i| !taken.contains(i));
        for _ in 0..room {
            let mut pod = pod_from_template(&job, &job["spec"]["template"], owner.clone(), &[]);
            objects::set_finalizers(&mut pod, &[JOB_TRACKING.to_string()]);
            let mut generate = format!("{name}-");
            if indexed {
                let i = free.next().unwrap_or(0);
                pod["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] =
                    json!(i.to_string());
                pod["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] =
                    json!(i.to_string());
                pod["spec"]["hostname"] = json!(format!("{name}-{i}"));
                generate = format!("{name}-{i}-");
            }
            wrote |= create_pod(c, pod, None, &generate);
        }
    }
    let Some(job) = c.store.get("batch", "jobs", ns, name) else {
        return wrote;
    };
    let pods = owned_pods(c, ns, objects::uid(&job));
    let active = pods.iter().filter(|p| is_active(p)).count() as i64;
    let ready = pods.iter().filter(|p| is_active(p) && is_ready(p)).count() as i64;
    let now = now_rfc3339();
    let mut status = counts(&[
        ("active", active),
        ("succeeded", succeeded),
        ("failed", failed),
    ]);
    status.insert("ready".into(), json!(ready));
    status.insert("terminating".into(), json!(0));
    status.insert("uncountedTerminatedPods".into(), json!({}));
    let start = job["status"]["startTime"].clone();
    if !suspended {
        status.insert(
            "startTime".into(),
            if start.is_null() { json!(now) } else { start },
        );
    }
    if indexed && succeeded > 0 {
        let mut done: Vec<i64> = pods
            .iter()
            .filter(|p| p["status"]["phase"] == "Succeeded")
            .filter_map(|p| {
                p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
                    .as_str()?
                    .parse()
                    .ok()
            })
            .collect();
        done.sort_unstable();
        done.dedup();
        status.insert("completedIndexes".into(), json!(index_ranges(&done)));
    }
    if done {
        let cond = |t: &str| {
            json!({"type": t, "status": "True", "lastProbeTime": now, "lastTransitionTime": now,
                   "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"})
        };
        status.insert(
            "conditions".into(),
            json!([cond("SuccessCriteriaMet"), cond("Complete")]),
        );
        status.insert("completionTime".into(), json!(now));
    } else if let Some(conds) = job["status"].get("conditions") {
        status.insert("conditions".into(), conds.clone());
    }
    wrote
        | set_status(
            c,
            CONTROLLER_MANAGER,
            "batch",
            "jobs",
            &job,
            Value::Object(status),
        )
}

/// `0-2,5`, as Job status.completedIndexes lists indexes.
fn index_ranges(sorted: &[i64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            sorted[i].to_string()
        } else {
            format!("{}-{}", sorted[i], sorted[j])
        });
        i = j + 1;
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(workloads: bool) -> Arc<Cluster> {
        let mut c = Cluster::new(
            "c1",
            super::super::store::Store::in_memory(),
            String::new(),
            0,
        );
        if workloads {
            c.workloads = Some(Workloads::new());
        }
        let c = Arc::new(c);
        super::super::bootstrap(&c);
        c
    }

    fn reconciled(c: &Cluster) -> u64 {
        let w = c.workloads.as_ref().unwrap();
        w.state.lock().unwrap().reconciled
    }

    fn create_in(c: &Arc<Cluster>, group: &str, plural: &str, obj: Value) {
        assert!(
            create(c, "test", group, plural, "default", obj),
            "create {plural}"
        );
    }

    fn deployment_manifest(replicas: i64) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "default"},
               "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                        "template": {"metadata": {"labels": {"app": "web"}},
                                     "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}})
    }

    #[test]
    fn without_the_option_a_pass_does_nothing() {
        let c = cluster(false);
        create_in(&c, "apps", "deployments", deployment_manifest(2));
        let rv = c.store.current_rv();
        assert!(!pass(&c));
        assert_eq!(c.store.current_rv(), rv);
        assert_eq!(c.store.count("", "nodes"), 0);
        assert_eq!(c.store.count("apps", "replicasets"), 0);
    }

    #[test]
    fn one_pass_rolls_a_deployment_out_and_the_next_ones_cost_nothing() {
        let c = cluster(true);
        assert!(pass(&c));
        assert!(c.store.get("", "nodes", "", "c1-node").is_some());
        create_in(&c, "apps", "deployments", deployment_manifest(2));
        assert!(pass(&c));
        let d = c
            .store
            .get("apps", "deployments", "default", "web")
            .unwrap();
        assert_eq!(d["status"]["readyReplicas"], 2, "{}", d["status"]);
        assert_eq!(
            d["status"]["conditions"][1]["reason"],
            "NewReplicaSetAvailable"
        );
        let pods = c.store.list("", "pods", Some("default")).1;
        assert_eq!(pods.len(), 2);
        assert!(pods
            .iter()
            .all(|p| p["status"]["phase"] == "Running" && is_ready(p)));
        // Nothing changed: nothing written, nothing reconciled.
        let (rv, before) = (c.store.current_rv(), reconciled(&c));
        assert!(!pass(&c));
        assert_eq!((c.store.current_rv(), reconciled(&c)), (rv, before));
        // Unrelated writes are not looked at again.
        for i in 0..500 {
            create_in(
                &c,
                "",
                "configmaps",
                json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": format!("cm{i}"), "namespace": "default"}}),
            );
        }
        let rv = c.store.current_rv();
        assert!(!pass(&c));
        assert_eq!((c.store.current_rv(), reconciled(&c)), (rv, before));
    }

    #[test]
    fn template_hashes_use_the_safe_alphabet_and_follow_the_template() {
        let a = template_hash(&json!({"spec": {"containers": [{"name": "a"}]}}));
        let b = template_hash(&json!({"spec": {"containers": [{"name": "b"}]}}));
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|ch| "bcdfghjklmnpqrstvwxz2456789".contains(ch)),
            "{a}"
        );
        assert!((1..=10).contains(&a.len()), "{a}");
    }

    #[test]
    fn surge_rounds_up_and_unavailable_down() {
        assert_eq!(resolve(&json!("25%"), 3, 25, true), 1);
        assert_eq!(resolve(&json!("25%"), 3, 25, false), 0);
        assert_eq!(resolve(&json!(2), 3, 25, false), 2);
        assert_eq!(resolve(&Value::Null, 8, 25, false), 2);
    }

    #[test]
    fn completed_indexes_are_ranges() {
        assert_eq!(index_ranges(&[0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
        assert_eq!(index_ranges(&[]), "");
    }
}
