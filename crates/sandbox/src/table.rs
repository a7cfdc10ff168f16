//! Server-side printing: `as=Table` answers with the columns a real API server's printers produce for each type
//! (CRDs: their `additionalPrinterColumns`), so `kubectl get`, `-o wide` and `-w` print what a cluster prints.

use jiff::Timestamp;
use kubefedctl_apimachinery::duration::human_duration;
use serde_json::{json, Map, Value};

const NAME_DESC: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const CREATED_DESC: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/// The Table apiVersion the Accept header asks for before any plain representation, if any.
pub fn negotiate(accept: &str) -> Option<&'static str> {
    for entry in accept.split(',') {
        let mut parts = entry.split(';').map(str::trim);
        let media = parts.next().unwrap_or("");
        let mut as_ = "";
        let mut g = "";
        let mut v = "";
        for p in parts {
            match p.split_once('=') {
                Some(("as", x)) => as_ = x,
                Some(("g", x)) => g = x,
                Some(("v", x)) => v = x,
                _ => {}
            }
        }
        if as_.is_empty() {
            // A plain representation comes first: the client prefers it.
            return None;
        }
        let json_like = media == "application/json" || media == "*/*";
        if as_ == "Table" && g == "meta.k8s.io" && json_like {
            match v {
                "v1" => return Some("meta.k8s.io/v1"),
                "v1beta1" => return Some("meta.k8s.io/v1beta1"),
                _ => {}
            }
        }
    }
    None
}

/// One column definition: (name, type, format, description, priority).
type Col = (&'static str, &'static str, &'static str, &'static str, i64);

/// Which columns a type prints; CRD-served types pass their version's `additionalPrinterColumns`.
pub enum Printer {
    Builtin { group: String, plural: String },
    Custom(Vec<Value>),
}

impl Printer {
    fn columns(&self) -> Vec<Value> {
        let col = |c: &Col| json!({"name": c.0, "type": c.1, "format": c.2, "description": c.3, "priority": c.4});
        match self {
            Printer::Custom(cols) => {
                let mut out = vec![col(&("Name", "string", "name", NAME_DESC, 0))];
                let cols: Vec<Value> = if cols.is_empty() {
                    vec![
                        json!({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp", "description": CREATED_DESC}),
                    ]
                } else {
                    cols.clone()
                };
                for c in &cols {
                    out.push(json!({
                        "name": c["name"], "type": c["type"], "format": c["format"].as_str().unwrap_or(""),
                        "description": c["description"].as_str().unwrap_or(""),
                        "priority": c["priority"].as_i64().unwrap_or(0)}));
                }
                out
            }
            Printer::Builtin { group, plural } => builtin_columns(group, plural)
                .unwrap_or(DEFAULT_COLUMNS)
                .iter()
                .map(col)
                .collect(),
        }
    }

    fn cells(&self, obj: &Value, now: Timestamp) -> Vec<Value> {
        match self {
            Printer::Custom(cols) => {
                let mut out = vec![json!(name(obj))];
                if cols.is_empty() {
                    out.push(json!(age(obj, now)));
                }
                for c in cols {
                    let v = json_path(obj, c["jsonPath"].as_str().unwrap_or(""));
                    out.push(custom_cell(c["type"].as_str().unwrap_or("string"), v, now));
                }
                out
            }
            Printer::Builtin { group, plural } => {
                if builtin_columns(group, plural).is_some() {
                    builtin_cells(group, plural, obj, now)
                } else {
                    vec![
                        json!(name(obj)),
                        obj["metadata"]["creationTimestamp"].clone(),
                    ]
                }
            }
        }
    }
}

const DEFAULT_COLUMNS: &[Col] = &[
    ("Name", "string", "name", NAME_DESC, 0),
    ("Created At", "date", "", CREATED_DESC, 0),
];

fn builtin_columns(group: &str, plural: &str) -> Option<&'static [Col]> {
    let n: Col = ("Name", "string", "name", NAME_DESC, 0);
    let age: Col = (
        "Age",
        "string",
        "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.",
        0,
    );
    let containers: Col = (
        "Containers",
        "string",
        "",
        "Names of each container in the template.",
        1,
    );
    let images: Col = (
        "Images",
        "string",
        "",
        "Images referenced by each container in the template.",
        1,
    );
    let selector: Col = (
        "Selector",
        "string",
        "",
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
        1,
    );
    // Leaked once per type: the column tables are static in a real server too.
    let leak = |v: Vec<Col>| -> &'static [Col] { Box::leak(v.into_boxed_slice()) };
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static TABLES: OnceLock<HashMap<(&'static str, &'static str), &'static [Col]>> =
        OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        let mut m = HashMap::new();
        let s = |name: &'static str, desc: &'static str| -> Col { (name, "string", "", desc, 0) };
        m.insert(("", "namespaces"), leak(vec![n, s("Status", "The status of the namespace"), age]));
        let addresses = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";
        m.insert(("", "nodes"), leak(vec![n, s("Status", "The status of the node"), s("Roles", "The roles of the node"), age, s("Version", "Kubelet Version reported by the node."), ("Internal-IP", "string", "", addresses, 1), ("External-IP", "string", "", addresses, 1), ("OS-Image", "string", "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1), ("Kernel-Version", "string", "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1), ("Container-Runtime", "string", "", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1)]));
        m.insert(("", "configmaps"), leak(vec![n, ("Data", "integer", "", "Number of data in configmap", 0), age]));
        m.insert(("", "secrets"), leak(vec![n, s("Type", "The type of secret"), ("Data", "integer", "", "Number of data in secret", 0), age]));
        m.insert(("", "serviceaccounts"), leak(vec![n, ("Secrets", "integer", "", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", 0), age]));
        m.insert(("", "services"), leak(vec![n, s("Type", "The type of the service."), s("Cluster-IP", "The IP address of the service."), s("External-IP", "The external IP address of the service."), s("Port(s)", "The ports of the service."), age, ("Selector", "string", "", "Route service traffic to pods with label keys and values matching this selector.", 1)]));
        m.insert(("apps", "deployments"), leak(vec![n, s("Ready", "Number of the pod with ready state"), ("Up-to-date", "integer", "", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0), ("Available", "integer", "", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0), age, containers, images, selector]));
        m.insert(("batch", "jobs"), leak(vec![n, s("Status", "Status of the job."), s("Completions", "The completion status of the job."), s("Duration", "Time required to complete the job."), age, containers, images, selector]));
        m.insert(("batch", "cronjobs"), leak(vec![n, s("Schedule", "The schedule in Cron format."), s("Timezone", "The time zone for the given schedule."), ("Suspend", "boolean", "", "This flag tells the controller to suspend subsequent executions.", 0), ("Active", "integer", "", "A list of pointers to currently running jobs.", 0), s("Last Schedule", "Information when was the last time the job was successfully scheduled."), age, containers, images, selector]));
        let binding = leak(vec![n, s("Role", "Role referenced by this binding."), age, ("Users", "string", "", "Users in the binding", 1), ("Groups", "string", "", "Groups in the binding", 1), ("ServiceAccounts", "string", "", "ServiceAccounts in the binding", 1)]);
        m.insert(("rbac.authorization.k8s.io", "rolebindings"), binding);
        m.insert(("rbac.authorization.k8s.io", "clusterrolebindings"), binding);
        m.insert(("", "pods"), leak(vec![n, s("Ready", "The aggregate readiness state of this pod for accepting traffic."), s("Status", "The aggregate status of the containers in this pod."), s("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."), age, ("IP", "string", "", "The IP address of the pod.", 1), ("Node", "string", "", "The name of the node the pod is assigned to.", 1), ("Nominated Node", "string", "", "The name of the node the pod is nominated to.", 1), ("Readiness Gates", "string", "", "Readiness gates of the pod.", 1)]));
        m.insert(("", "events"), leak(vec![s("Last Seen", "Time when last event occurred"), s("Type", "Type of this event."), s("Reason", "Reason is why the action was taken. It is human-readable. This field cannot be empty for new Events and it can have at most 128 characters."), s("Object", "Object this event is about."), ("Subobject", "string", "", "Subobject this event is about.", 1), ("Source", "string", "", "The component reporting this event. Should be a short machine understandable string.", 1), s("Message", "A human-readable description of the status of this operation."), ("First Seen", "string", "", "The time at which the event was first recorded.", 1), ("Count", "string", "", "The number of times this event has occurred.", 1), ("Name", "string", "name", NAME_DESC, 1)]));
        let int_col = |name: &'static str, desc: &'static str| -> Col { (name, "integer", "", desc, 0) };
        m.insert(("apps", "replicasets"), leak(vec![n, int_col("Desired", "Number of desired pods."), int_col("Current", "Number of actual replicas."), int_col("Ready", "The number of ready replicas for this replica set."), age, containers, images, selector]));
        m.insert(("apps", "statefulsets"), leak(vec![n, s("Ready", "Number of the pod with ready state"), age, containers, images]));
        m.insert(("apps", "daemonsets"), leak(vec![n, int_col("Desired", "The desired number of nodes that should be running the daemon pod."), int_col("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."), int_col("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."), int_col("Up-to-date", "The total number of nodes that are running updated daemon pod"), int_col("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"), s("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."), age, containers, images, selector]));
        m.insert(("networking.k8s.io", "ingresses"), leak(vec![n, s("Class", "The name of the IngressClass resource that should be used for ingress."), s("Hosts", "Hosts that incoming requests are matched against before the ingress rule"), s("Address", "Address is a list containing ingress points for the load-balancer"), s("Ports", "Ports of TLS configurations that open"), age]));
        m.insert(("coordination.k8s.io", "leases"), leak(vec![n, s("Holder", "The holder of the lease."), age]));
        m.insert(("autoscaling", "horizontalpodautoscalers"), leak(vec![n, s("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."), s("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization."), s("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."), s("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."), s("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."), age]));
        m.insert(("policy", "poddisruptionbudgets"), leak(vec![n, s("Min Available", "The minimum number of pods that must be available."), s("Max Unavailable", "The maximum number of pods that may be unavailable."), int_col("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."), age]));
        m.insert(("networking.k8s.io", "networkpolicies"), leak(vec![n, s("Pod-Selector", "podSelector selects the pods to which this NetworkPolicy object applies. The array of rules is applied to any pods selected by this field. An empty selector matches all pods in the policy's namespace. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is optional. If it is not specified, it defaults to an empty selector."), age]));
        m.insert(("networking.k8s.io", "ingressclasses"), leak(vec![n, s("Controller", "Controller that is responsible for handling this class"), s("Parameters", "A reference to a resource with additional parameters"), age]));
        m.insert(("storage.k8s.io", "storageclasses"), leak(vec![n, s("Provisioner", "provisioner indicates the type of the provisioner."), s("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."), s("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."), s("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."), age]));
        // PreemptionPolicy has priority 0 in v1.37's printer although its cell is filled only for wide output
        // (which the server always asks for).
        m.insert(("scheduling.k8s.io", "priorityclasses"), leak(vec![n, int_col("Value", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."), ("Global-Default", "boolean", "", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.", 0), age, s("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.")]));
        m.insert(("discovery.k8s.io", "endpointslices"), leak(vec![n, s("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type."), s("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list."), s("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."), age]));
        let webhooks = leak(vec![n, int_col("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration"), age]);
        m.insert(("admissionregistration.k8s.io", "validatingwebhookconfigurations"), webhooks);
        m.insert(("admissionregistration.k8s.io", "mutatingwebhookconfigurations"), webhooks);
        m.insert(("events.k8s.io", "events"), m[&("", "events")]);
        m
    });
    tables.get(&(group, plural)).copied()
}

fn n_name(obj: &Value) -> Value {
    json!(name(obj))
}

fn name(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or("")
}

fn age(obj: &Value, now: Timestamp) -> String {
    match obj["metadata"]["creationTimestamp"]
        .as_str()
        .and_then(|t| t.parse::<Timestamp>().ok())
    {
        Some(t) => human_duration(now.as_second() - t.as_second()),
        None => "<unknown>".into(),
    }
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

fn selector_string(sel: &Value) -> String {
    let mut parts: Vec<String> = sel["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    for e in sel["matchExpressions"].as_array().into_iter().flatten() {
        let key = e["key"].as_str().unwrap_or("");
        let vals: Vec<&str> = e["values"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        parts.push(match e["operator"].as_str().unwrap_or("") {
            "In" => format!("{key} in ({})", vals.join(",")),
            "NotIn" => format!("{key} notin ({})", vals.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => String::new(),
        });
    }
    parts.sort();
    parts.join(",")
}

fn containers_images(pod_spec: &Value) -> (String, String) {
    let cs = pod_spec["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = cs.iter().filter_map(|c| c["name"].as_str()).collect();
    let images: Vec<&str> = cs.iter().filter_map(|c| c["image"].as_str()).collect();
    (names.join(","), images.join(","))
}

fn count(v: &Value) -> i64 {
    v.as_object().map(|m| m.len() as i64).unwrap_or(0)
        + v.as_array().map(|a| a.len() as i64).unwrap_or(0)
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fn builtin_cells(group: &str, plural: &str, obj: &Value, now: Timestamp) -> Vec<Value> {
    let n = json!(name(obj));
    let a = json!(age(obj, now));
    let spec = &obj["spec"];
    let status = &obj["status"];
    match (group, plural) {
        ("", "namespaces") => vec![n, json!(status["phase"].as_str().unwrap_or("")), a],
        ("", "nodes") => {
            let ready = status["conditions"]
                .as_array()
                .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
                .map(|c| {
                    if c["status"] == "True" {
                        "Ready"
                    } else {
                        "NotReady"
                    }
                })
                .unwrap_or("Unknown");
            let mut state = ready.to_string();
            if spec["unschedulable"] == true {
                state.push_str(",SchedulingDisabled");
            }
            let mut roles: Vec<&str> = obj["metadata"]["labels"]
                .as_object()
                .map(|l| {
                    l.keys()
                        .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                        .filter(|r| !r.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            roles.sort_unstable();
            let address = |t: &str| {
                status["addresses"]
                    .as_array()
                    .and_then(|a| a.iter().find(|x| x["type"] == t))
                    .and_then(|x| x["address"].as_str())
                    .unwrap_or("<none>")
                    .to_string()
            };
            let info = |k: &str| {
                json!(status["nodeInfo"][k]
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("<unknown>"))
            };
            vec![
                n,
                json!(state),
                json!(if roles.is_empty() {
                    "<none>".to_string()
                } else {
                    roles.join(",")
                }),
                a,
                json!(status["nodeInfo"]["kubeletVersion"].as_str().unwrap_or("")),
                json!(address("InternalIP")),
                json!(address("ExternalIP")),
                info("osImage"),
                info("kernelVersion"),
                info("containerRuntimeVersion"),
            ]
        }
        ("", "configmaps") => vec![n, json!(count(&obj["data"]) + count(&obj["binaryData"])), a],
        ("", "secrets") => vec![
            n,
            json!(obj["type"].as_str().unwrap_or("")),
            json!(count(&obj["data"])),
            a,
        ],
        ("", "serviceaccounts") => vec![n, json!(count(&obj["secrets"])), a],
        ("", "services") => {
            let type_ = spec["type"].as_str().unwrap_or("ClusterIP");
            let cluster_ip = spec["clusterIP"].as_str().unwrap_or("");
            let external: Vec<&str> = spec["externalIPs"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let external = match type_ {
                "ExternalName" => spec["externalName"].as_str().unwrap_or("").to_string(),
                "LoadBalancer" if external.is_empty() => "<pending>".into(),
                _ if external.is_empty() => "<none>".into(),
                _ => external.join(","),
            };
            let ports: Vec<String> = spec["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let proto = p["protocol"].as_str().unwrap_or("TCP");
                    match p["nodePort"].as_i64() {
                        Some(np) if np != 0 => format!("{}:{np}/{proto}", int(&p["port"])),
                        _ => format!("{}/{proto}", int(&p["port"])),
                    }
                })
                .collect();
            let sel = spec["selector"]
                .as_object()
                .map(|m| {
                    let mut v: Vec<String> = m
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect();
                    v.sort();
                    v.join(",")
                })
                .unwrap_or_default();
            vec![
                n,
                json!(type_),
                json!(if cluster_ip.is_empty() {
                    "<none>"
                } else {
                    cluster_ip
                }),
                json!(external),
                json!(or_none(ports.join(","))),
                a,
                json!(or_none(sel)),
            ]
        }
        ("apps", "deployments") => {
            let (c, i) = containers_images(&spec["template"]["spec"]);
            vec![
                n,
                json!(format!(
                    "{}/{}",
                    int(&status["readyReplicas"]),
                    int(&spec["replicas"])
                )),
                json!(int(&status["updatedReplicas"])),
                json!(int(&status["availableReplicas"])),
                a,
                json!(c),
                json!(i),
                json!(or_none(selector_string(&spec["selector"]))),
            ]
        }
        ("batch", "jobs") => {
            let (c, i) = containers_images(&spec["template"]["spec"]);
            let completions = match spec["completions"].as_i64() {
                Some(x) => format!("{}/{x}", int(&status["succeeded"])),
                None => {
                    let p = spec["parallelism"].as_i64().unwrap_or(1);
                    if p > 1 {
                        format!("{}/1 of {p}", int(&status["succeeded"]))
                    } else {
                        format!("{}/1", int(&status["succeeded"]))
                    }
                }
            };
            let ts = |k: &str| status[k].as_str().and_then(|t| t.parse::<Timestamp>().ok());
            let duration = match (ts("startTime"), ts("completionTime")) {
                (Some(s), Some(e)) => human_duration(e.as_second() - s.as_second()),
                (Some(s), None) => human_duration(now.as_second() - s.as_second()),
                _ => String::new(),
            };
            vec![
                n,
                json!(job_status(obj)),
                json!(completions),
                json!(duration),
                a,
                json!(c),
                json!(i),
                json!(or_none(selector_string(&spec["selector"]))),
            ]
        }
        ("batch", "cronjobs") => {
            let (c, i) = containers_images(&spec["jobTemplate"]["spec"]["template"]["spec"]);
            let last = match status["lastScheduleTime"]
                .as_str()
                .and_then(|t| t.parse::<Timestamp>().ok())
            {
                Some(t) => human_duration(now.as_second() - t.as_second()),
                None => "<none>".into(),
            };
            vec![
                n,
                json!(spec["schedule"].as_str().unwrap_or("")),
                json!(spec["timeZone"].as_str().unwrap_or("<none>")),
                json!(spec["suspend"].as_bool().unwrap_or(false)),
                json!(count(&status["active"])),
                json!(last),
                a,
                json!(c),
                json!(i),
                json!(or_none(selector_string(
                    &spec["jobTemplate"]["spec"]["selector"]
                ))),
            ]
        }
        ("rbac.authorization.k8s.io", _) => {
            let role = format!(
                "{}/{}",
                obj["roleRef"]["kind"].as_str().unwrap_or(""),
                obj["roleRef"]["name"].as_str().unwrap_or("")
            );
            let subjects = obj["subjects"].as_array().cloned().unwrap_or_default();
            let of = |kind: &str| -> String {
                subjects
                    .iter()
                    .filter(|s| s["kind"] == kind)
                    .map(|s| {
                        let nm = s["name"].as_str().unwrap_or("");
                        match (kind, s["namespace"].as_str()) {
                            ("ServiceAccount", Some(ns)) => format!("{ns}/{nm}"),
                            _ => nm.to_string(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            vec![
                n,
                json!(role),
                a,
                json!(of("User")),
                json!(of("Group")),
                json!(of("ServiceAccount")),
            ]
        }
        ("", "pods") => {
            let total = count(&spec["containers"]);
            let statuses = status["containerStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let ready = statuses.iter().filter(|c| c["ready"] == true).count();
            let restarts: i64 = statuses.iter().map(|c| int(&c["restartCount"])).sum();
            // The first container's waiting or terminated reason ("Completed" for a finished Job pod).
            let waiting = statuses.iter().find_map(|c| {
                c["state"]["waiting"]["reason"]
                    .as_str()
                    .or(c["state"]["terminated"]["reason"].as_str())
            });
            let mut reason = status["reason"]
                .as_str()
                .or(waiting)
                .or(status["phase"].as_str())
                .unwrap_or("")
                .to_string();
            if obj["metadata"]["deletionTimestamp"].is_string() {
                reason = "Terminating".into();
            }
            let none = |v: &Value| json!(v.as_str().filter(|s| !s.is_empty()).unwrap_or("<none>"));
            let gates = count(&spec["readinessGates"]);
            vec![
                n,
                json!(format!("{ready}/{total}")),
                json!(reason),
                json!(restarts.to_string()),
                a,
                none(&status["podIP"]),
                none(&spec["nodeName"]),
                none(&status["nominatedNodeName"]),
                json!(if gates == 0 {
                    "<none>".to_string()
                } else {
                    format!("0/{gates}")
                }),
            ]
        }
        ("apps", "replicasets") => {
            let (c, i) = containers_images(&spec["template"]["spec"]);
            vec![
                n,
                json!(spec["replicas"].as_i64().unwrap_or(1)),
                json!(int(&status["replicas"])),
                json!(int(&status["readyReplicas"])),
                a,
                json!(c),
                json!(i),
                json!(or_none(selector_string(&spec["selector"]))),
            ]
        }
        ("apps", "statefulsets") => {
            let (c, i) = containers_images(&spec["template"]["spec"]);
            vec![
                n,
                json!(format!(
                    "{}/{}",
                    int(&status["readyReplicas"]),
                    spec["replicas"].as_i64().unwrap_or(1)
                )),
                a,
                json!(c),
                json!(i),
            ]
        }
        ("apps", "daemonsets") => {
            let (c, i) = containers_images(&spec["template"]["spec"]);
            let node_sel = spec["template"]["spec"]["nodeSelector"]
                .as_object()
                .map(|m| {
                    let mut v: Vec<String> = m
                        .iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect();
                    v.sort();
                    v.join(",")
                })
                .unwrap_or_default();
            vec![
                n,
                json!(int(&status["desiredNumberScheduled"])),
                json!(int(&status["currentNumberScheduled"])),
                json!(int(&status["numberReady"])),
                json!(int(&status["updatedNumberScheduled"])),
                json!(int(&status["numberAvailable"])),
                json!(or_none(node_sel)),
                a,
                json!(c),
                json!(i),
                json!(or_none(selector_string(&spec["selector"]))),
            ]
        }
        ("networking.k8s.io", "ingresses") => {
            let hosts: Vec<&str> = spec["rules"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["host"].as_str().filter(|h| !h.is_empty()))
                .collect();
            let hosts = if hosts.is_empty() {
                "*".to_string()
            } else if hosts.len() > 4 {
                format!("{} + {} more...", hosts[..4].join(","), hosts.len() - 4)
            } else {
                hosts.join(",")
            };
            let address: Vec<&str> = status["loadBalancer"]["ingress"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| {
                    i["ip"]
                        .as_str()
                        .filter(|s| !s.is_empty())
                        .or(i["hostname"].as_str())
                })
                .collect();
            let ports = if count(&spec["tls"]) > 0 {
                "80, 443"
            } else {
                "80"
            };
            vec![
                n,
                json!(spec["ingressClassName"].as_str().unwrap_or("<none>")),
                json!(hosts),
                json!(address.join(",")),
                json!(ports),
                a,
            ]
        }
        ("", "events") => {
            let since = |k: &str| -> Option<String> {
                obj[k]
                    .as_str()
                    .and_then(|t| t.parse::<Timestamp>().ok())
                    .map(|t| human_duration(now.as_second() - t.as_second()))
            };
            let first = since("firstTimestamp")
                .or_else(|| since("eventTime"))
                .unwrap_or_else(|| "<unknown>".into());
            let mut last = since("lastTimestamp").unwrap_or_else(|| first.clone());
            let mut n = int(&obj["count"]);
            if obj["series"].is_object() {
                last = obj["series"]["lastObservedTime"]
                    .as_str()
                    .and_then(|t| t.parse::<Timestamp>().ok())
                    .map(|t| human_duration(now.as_second() - t.as_second()))
                    .unwrap_or_else(|| "<unknown>".into());
                n = int(&obj["series"]["count"]);
            } else if n == 0 {
                n = 1;
            }
            let io = &obj["involvedObject"];
            let kind = io["kind"].as_str().unwrap_or("").to_lowercase();
            let target = match io["name"].as_str().filter(|s| !s.is_empty()) {
                Some(nm) => format!("{kind}/{nm}"),
                None => kind,
            };
            let src = &obj["source"];
            let component = src["component"]
                .as_str()
                .filter(|s| !s.is_empty())
                .or(obj["reportingComponent"].as_str())
                .unwrap_or("");
            let source = match src["host"].as_str().filter(|s| !s.is_empty()) {
                Some(h) => format!("{component}, {h}"),
                None => component.to_string(),
            };
            let str_of = |v: &Value| json!(v.as_str().unwrap_or(""));
            vec![
                json!(last),
                str_of(&obj["type"]),
                str_of(&obj["reason"]),
                json!(target),
                str_of(&io["fieldPath"]),
                json!(source),
                json!(obj["message"].as_str().unwrap_or("").trim()),
                json!(first),
                json!(n),
                n_name(obj),
            ]
        }
        ("autoscaling", "horizontalpodautoscalers") if obj["apiVersion"] == "autoscaling/v1" => {
            // Printed from the storage form, as the server prints from its internal type.
            let mut stored = super::builtin::convert::to_storage(
                "autoscaling",
                "HorizontalPodAutoscaler",
                "v1",
                obj,
            );
            stored["apiVersion"] = json!("autoscaling/v2");
            builtin_cells(group, plural, &stored, now)
        }
        ("autoscaling", "horizontalpodautoscalers") => {
            let target = &spec["scaleTargetRef"];
            let min = match spec["minReplicas"].as_i64() {
                Some(m) => m.to_string(),
                None => "<unset>".into(),
            };
            vec![
                n,
                json!(format!(
                    "{}/{}",
                    target["kind"].as_str().unwrap_or(""),
                    target["name"].as_str().unwrap_or("")
                )),
                json!(hpa_targets(&spec["metrics"], &status["currentMetrics"])),
                json!(min),
                json!(int(&spec["maxReplicas"])),
                json!(int(&status["currentReplicas"])),
                a,
            ]
        }
        ("policy", "poddisruptionbudgets") => {
            let int_or_string = |v: &Value| match v {
                Value::Null => "N/A".to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            vec![
                n,
                json!(int_or_string(&spec["minAvailable"])),
                json!(int_or_string(&spec["maxUnavailable"])),
                json!(int(&status["disruptionsAllowed"])),
                a,
            ]
        }
        ("networking.k8s.io", "networkpolicies") => {
            vec![n, json!(or_none(selector_string(&spec["podSelector"]))), a]
        }
        ("networking.k8s.io", "ingressclasses") => {
            let mut name = name(obj).to_string();
            if obj["metadata"]["annotations"]["ingressclass.kubernetes.io/is-default-class"]
                == "true"
            {
                name.push_str(" (default)");
            }
            let p = &spec["parameters"];
            let params = if p.is_object() {
                let mut s = p["kind"].as_str().unwrap_or("").to_string();
                if let Some(g) = p["apiGroup"].as_str() {
                    s = format!("{s}.{g}");
                }
                format!("{s}/{}", p["name"].as_str().unwrap_or(""))
            } else {
                "<none>".into()
            };
            vec![
                json!(name),
                json!(spec["controller"].as_str().unwrap_or("")),
                json!(params),
                a,
            ]
        }
        ("storage.k8s.io", "storageclasses") => vec![
            n,
            json!(obj["provisioner"].as_str().unwrap_or("")),
            json!(obj["reclaimPolicy"].as_str().unwrap_or("Delete")),
            json!(obj["volumeBindingMode"].as_str().unwrap_or("Immediate")),
            json!(obj["allowVolumeExpansion"].as_bool().unwrap_or(false)),
            a,
        ],
        ("scheduling.k8s.io", "priorityclasses") => vec![
            n,
            json!(int(&obj["value"])),
            json!(obj["globalDefault"].as_bool().unwrap_or(false)),
            a,
            json!(obj["preemptionPolicy"].as_str().unwrap_or("")),
        ],
        ("discovery.k8s.io", "endpointslices") => {
            let ports = obj["ports"].as_array().into_iter().flatten().map(|p| {
                match (p["port"].as_i64(), p["name"].as_str()) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(nm)) => nm.to_string(),
                    _ => "*".to_string(),
                }
            });
            let addresses = obj["endpoints"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|e| e["addresses"].as_array().into_iter().flatten())
                .map(|a| a.as_str().unwrap_or("").to_string());
            vec![
                n,
                json!(obj["addressType"].as_str().unwrap_or("")),
                json!(list_with_more(ports.collect())),
                json!(list_with_more(addresses.collect())),
                a,
            ]
        }
        ("admissionregistration.k8s.io", _) => vec![n, json!(count(&obj["webhooks"])), a],
        ("events.k8s.io", "events") => builtin_cells("", "events", &core_event(obj), now),
        ("coordination.k8s.io", "leases") => vec![
            n,
            json!(spec["holderIdentity"].as_str().unwrap_or("<none>")),
            a,
        ],
        _ => vec![n, a],
    }
}

/// An events.k8s.io/v1 Event under core/v1 field names, as the server prints both from one internal type.
fn core_event(obj: &Value) -> Value {
    let mut e = obj.clone();
    let renames = [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];
    if let Value::Object(m) = &mut e {
        for (from, to) in renames {
            if let Some(v) = m.remove(from) {
                m.insert(to.into(), v);
            }
        }
    }
    e
}

/// Go's `listWithMoreString` for the EndpointSlice columns: at most three entries, then `+ N more...`.
fn list_with_more(items: Vec<String>) -> String {
    const MAX: usize = 3;
    if items.len() > MAX {
        return format!("{} + {} more...", items[..MAX].join(","), items.len() - MAX);
    }
    let s = items.join(",");
    if s.is_empty() {
        "<unset>".into()
    } else {
        s
    }
}

/// A quantity as Go prints it (the stored form is already canonical).
fn quantity(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "0".into(),
        other => other.to_string(),
    }
}

/// The HPA printer's TARGETS (`formatHPAMetrics`): `<current>/<target>` per metric, two at most.
fn hpa_targets(specs: &Value, statuses: &Value) -> String {
    let specs = specs.as_array().map(Vec::as_slice).unwrap_or_default();
    if specs.is_empty() {
        return "<none>".into();
    }
    let status = |i: usize, key: &str| -> Option<&Value> {
        statuses.get(i).map(|s| &s[key]).filter(|v| v.is_object())
    };
    let list: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let ty = spec["type"].as_str().unwrap_or("");
            let key = match ty {
                "External" => "external",
                "Pods" => "pods",
                "Object" => "object",
                "Resource" => "resource",
                "ContainerResource" => "containerResource",
                _ => return "<unknown type>".to_string(),
            };
            let src = &spec[key];
            let target = &src["target"];
            let current = status(i, key).map(|s| &s["current"]);
            let cur = |k: &str| {
                current
                    .filter(|c| !c[k].is_null() || k == "value")
                    .map_or("<unknown>".to_string(), |c| quantity(&c[k]))
            };
            match ty {
                "External" | "Object" if !target["averageValue"].is_null() => format!(
                    "{}/{} (avg)",
                    cur("averageValue"),
                    quantity(&target["averageValue"])
                ),
                "External" | "Object" => {
                    format!("{}/{}", cur("value"), quantity(&target["value"]))
                }
                "Pods" => format!(
                    "{}/{}",
                    current.map_or("<unknown>".to_string(), |c| quantity(&c["averageValue"])),
                    quantity(&target["averageValue"])
                ),
                _ => {
                    let res = src["name"].as_str().unwrap_or("");
                    if !target["averageValue"].is_null() {
                        format!(
                            "{res}: {}/{}",
                            current
                                .map_or("<unknown>".to_string(), |c| quantity(&c["averageValue"])),
                            quantity(&target["averageValue"])
                        )
                    } else {
                        let now = current
                            .and_then(|c| c["averageUtilization"].as_i64())
                            .map_or("<unknown>".to_string(), |u| format!("{u}%"));
                        let want = target["averageUtilization"]
                            .as_i64()
                            .map_or("<auto>".to_string(), |u| format!("{u}%"));
                        format!("{res}: {now}/{want}")
                    }
                }
            }
        })
        .collect();
    if list.len() > 2 {
        format!("{} + {} more...", list[..2].join(", "), list.len() - 2)
    } else {
        list.join(", ")
    }
}

/// The Job printer's STATUS: the terminal or notable condition that is True, else Running.
fn job_status(job: &Value) -> &'static str {
    let conds = job["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let has = |t: &str| {
        conds
            .iter()
            .any(|c| c["type"] == t && c["status"] == "True")
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if job["metadata"]["deletionTimestamp"].is_string() {
        "Terminating"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else if has("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else if has("Suspended") {
        "Suspended"
    } else {
        "Running"
    }
}

fn custom_cell(type_: &str, v: Option<Value>, now: Timestamp) -> Value {
    let Some(v) = v else { return Value::Null };
    match type_ {
        "date" => match v.as_str().and_then(|t| t.parse::<Timestamp>().ok()) {
            Some(t) => json!(human_duration(now.as_second() - t.as_second())),
            None => v,
        },
        "integer" | "number" | "boolean" => v,
        _ => match v {
            Value::String(_) => v,
            Value::Null => Value::Null,
            other => json!(other.to_string()),
        },
    }
}

/// A CRD printer column's JSONPath (`.a.b`, `.a[0]`, `.a[?(@.k=="v")].b`); the first match.
pub fn json_path(obj: &Value, path: &str) -> Option<Value> {
    let mut cur = obj.clone();
    let mut rest = path.trim().trim_start_matches('{').trim_end_matches('}');
    rest = rest.strip_prefix('$').unwrap_or(rest);
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            cur = cur.get(key)?.clone();
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            // A filter's quoted value may hold ']': find the closing "')]" form first.
            let (inner, after) = if r.starts_with("?(") {
                let close = r.find(")]")?;
                (&r[..close + 1], &r[close + 2..])
            } else {
                (&r[..end], &r[end + 1..])
            };
            let arr = cur.as_array()?.clone();
            if let Some(f) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
                let (lhs, rhs) = f.split_once("==")?;
                let field = lhs.trim().strip_prefix("@")?;
                let want = rhs.trim().trim_matches(|c| c == '\'' || c == '"');
                cur = arr.into_iter().find(|e| {
                    json_path(e, field).is_some_and(|v| {
                        v.as_str().map(String::from).unwrap_or(v.to_string()) == want
                    })
                })?;
            } else {
                let i: i64 = inner.trim().parse().ok()?;
                let idx = if i < 0 { arr.len() as i64 + i } else { i };
                cur = arr.get(usize::try_from(idx).ok()?)?.clone();
            }
            rest = after;
        } else {
            return None;
        }
    }
    Some(cur)
}

fn row_object(obj: &Value, include: &str) -> Option<Value> {
    match include {
        "None" => None,
        "Object" => Some(obj.clone()),
        _ => {
            let mut meta = obj["metadata"].clone();
            if let Some(m) = meta.as_object_mut() {
                m.remove("managedFields");
            }
            Some(
                json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}),
            )
        }
    }
}

/// Renders objects as a Table (`list_meta` for lists; a single object's table carries its resourceVersion).
pub fn render(
    table_version: &str,
    printer: &Printer,
    objects: &[Value],
    list_meta: Value,
    include_object: &str,
) -> Value {
    let now = Timestamp::now();
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let mut row = Map::new();
            row.insert("cells".into(), json!(printer.cells(o, now)));
            if let Some(obj) = row_object(o, include_object) {
                row.insert("object".into(), obj);
            }
            Value::Object(row)
        })
        .collect();
    json!({
        "kind": "Table",
        "apiVersion": table_version,
        "metadata": list_meta,
        "columnDefinitions": printer.columns(),
        "rows": rows,
    })
}

/// A Table for a list: as [`render`], and the StorageClass printer's list pass that marks the effective default
/// class (the newest one annotated as default; on a tie, the first name) `NAME (default)`.
pub fn render_list(
    table_version: &str,
    printer: &Printer,
    objects: &[Value],
    list_meta: Value,
    include_object: &str,
) -> Value {
    let mut table = render(table_version, printer, objects, list_meta, include_object);
    let is_storage_class = matches!(printer, Printer::Builtin { group, plural }
        if group == "storage.k8s.io" && plural == "storageclasses");
    if !is_storage_class {
        return table;
    }
    let is_default = |o: &Value| {
        let a = &o["metadata"]["annotations"];
        a["storageclass.kubernetes.io/is-default-class"] == "true"
            || a["storageclass.beta.kubernetes.io/is-default-class"] == "true"
    };
    let created = |o: &Value| {
        o["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(|t| t.parse::<Timestamp>().ok())
    };
    let mut best: Option<usize> = None;
    for (i, o) in objects.iter().enumerate().filter(|(_, o)| is_default(o)) {
        best = match best {
            None => Some(i),
            Some(b) => {
                let (ct, bt) = (created(o), created(&objects[b]));
                if ct > bt || (ct == bt && name(o) < name(&objects[b])) {
                    Some(i)
                } else {
                    Some(b)
                }
            }
        };
    }
    if let Some(i) = best {
        table["rows"][i]["cells"][0] = json!(format!("{} (default)", name(&objects[i])));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn negotiation_takes_the_first_table_entry_kubectl_sends() {
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(negotiate(kubectl), Some("meta.k8s.io/v1"));
        assert_eq!(
            negotiate("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json"),
            Some("meta.k8s.io/v1beta1")
        );
    }

    #[test]
    fn negotiation_prefers_a_plain_type_listed_first() {
        assert_eq!(negotiate("application/json"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(
            negotiate("application/json, application/json;as=Table;v=v1;g=meta.k8s.io"),
            None
        );
        assert_eq!(
            negotiate(
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"
            ),
            None
        );
    }

    #[test]
    fn deployment_row_has_ready_up_to_date_available_and_wide_columns() {
        let d = json!({"metadata": {"name": "web", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                "template": {"spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox"}]}}},
            "status": {"readyReplicas": 1, "updatedReplicas": 2}});
        let p = Printer::Builtin {
            group: "apps".into(),
            plural: "deployments".into(),
        };
        let cells = p.cells(&d, at("2026-01-01T00:05:00Z"));
        assert_eq!(
            cells,
            vec![
                json!("web"),
                json!("1/3"),
                json!(2),
                json!(0),
                json!("5m"),
                json!("a,b"),
                json!("nginx,busybox"),
                json!("app=web")
            ]
        );
        let cols = p.columns();
        let names: Vec<&str> = cols.iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "Name",
                "Ready",
                "Up-to-date",
                "Available",
                "Age",
                "Containers",
                "Images",
                "Selector"
            ]
        );
        assert_eq!(cols[5]["priority"], 1);
        assert_eq!(cols[4]["priority"], 0);
    }

    #[test]
    fn configmap_data_counts_data_and_binary_data() {
        let cm = json!({"metadata": {"name": "c", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}});
        let p = Printer::Builtin {
            group: "".into(),
            plural: "configmaps".into(),
        };
        assert_eq!(
            p.cells(&cm, at("2026-01-01T00:00:30Z")),
            vec![json!("c"), json!(3), json!("30s")]
        );
    }

    #[test]
    fn types_without_a_printer_get_name_and_created_at_timestamp() {
        let r = json!({"metadata": {"name": "view", "creationTimestamp": "2026-01-01T00:00:00Z"}});
        let p = Printer::Builtin {
            group: "rbac.authorization.k8s.io".into(),
            plural: "clusterroles".into(),
        };
        assert_eq!(
            p.cells(&r, at("2026-01-02T00:00:00Z")),
            vec![json!("view"), json!("2026-01-01T00:00:00Z")]
        );
        let names: Vec<Value> = p.columns().iter().map(|c| c["name"].clone()).collect();
        assert_eq!(names, vec![json!("Name"), json!("Created At")]);
    }

    #[test]
    fn bindings_show_the_role_and_subjects_by_kind() {
        let b = json!({"metadata": {"name": "b", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "roleRef": {"kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "ServiceAccount", "name": "bot", "namespace": "default"}, {"kind": "User", "name": "al"}]});
        let p = Printer::Builtin {
            group: "rbac.authorization.k8s.io".into(),
            plural: "rolebindings".into(),
        };
        let cells = p.cells(&b, at("2026-01-01T00:00:01Z"));
        assert_eq!(cells[1], json!("ClusterRole/view"));
        assert_eq!(cells[3], json!("al"));
        assert_eq!(cells[4], json!(""));
        assert_eq!(cells[5], json!("default/bot"));
    }

    #[test]
    fn pending_pod_row_shows_phase_and_none_placeholders() {
        let pod = json!({"metadata": {"name": "p", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "a"}, {"name": "b"}]}, "status": {"phase": "Pending"}});
        let p = Printer::Builtin {
            group: "".into(),
            plural: "pods".into(),
        };
        assert_eq!(
            p.cells(&pod, at("2026-01-01T00:00:03Z")),
            vec![
                json!("p"),
                json!("0/2"),
                json!("Pending"),
                json!("0"),
                json!("3s"),
                json!("<none>"),
                json!("<none>"),
                json!("<none>"),
                json!("<none>")
            ]
        );
    }

    #[test]
    fn event_row_has_last_seen_type_reason_object_and_wide_cells() {
        let ev = json!({"metadata": {"name": "web.1"}, "type": "Normal", "reason": "Scheduled",
            "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{a}"},
            "source": {"component": "default-scheduler"}, "message": " done \n",
            "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:50Z", "count": 2});
        let p = Printer::Builtin {
            group: "".into(),
            plural: "events".into(),
        };
        assert_eq!(
            p.cells(&ev, at("2026-01-01T00:01:00Z")),
            vec![
                json!("10s"),
                json!("Normal"),
                json!("Scheduled"),
                json!("pod/web"),
                json!("spec.containers{a}"),
                json!("default-scheduler"),
                json!("done"),
                json!("60s"),
                json!(2),
                json!("web.1")
            ]
        );
        let first: Vec<Value> = p
            .columns()
            .iter()
            .map(|c| c["name"].clone())
            .take(4)
            .collect();
        assert_eq!(
            first,
            vec![
                json!("Last Seen"),
                json!("Type"),
                json!("Reason"),
                json!("Object")
            ]
        );
    }

    #[test]
    fn workload_rows_default_missing_status_counts_to_zero() {
        let t = json!({"metadata": {"name": "w", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"a": "b"}},
                "template": {"spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "i"}]}}}});
        let now = at("2026-01-01T00:00:01Z");
        let cells = |plural: &str| {
            Printer::Builtin {
                group: "apps".into(),
                plural: plural.into(),
            }
            .cells(&t, now)
        };
        assert_eq!(
            cells("statefulsets"),
            vec![
                json!("w"),
                json!("0/3"),
                json!("1s"),
                json!("c"),
                json!("i")
            ]
        );
        assert_eq!(cells("replicasets")[1..4], [json!(3), json!(0), json!(0)]);
        assert_eq!(cells("daemonsets")[6], json!("disk=ssd"));
    }

    #[test]
    fn ingress_row_lists_hosts_class_and_tls_ports() {
        let ing = json!({"metadata": {"name": "i", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["a.example"]}],
                "rules": [{"host": "a.example"}, {"host": "b.example"}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}});
        let p = Printer::Builtin {
            group: "networking.k8s.io".into(),
            plural: "ingresses".into(),
        };
        assert_eq!(
            p.cells(&ing, at("2026-01-01T00:00:01Z")),
            vec![
                json!("i"),
                json!("nginx"),
                json!("a.example,b.example"),
                json!("1.2.3.4"),
                json!("80, 443"),
                json!("1s")
            ]
        );
    }

    #[test]
    fn job_status_is_running_until_a_condition_says_otherwise() {
        let mut j = json!({"metadata": {"name": "j"}, "spec": {}, "status": {}});
        assert_eq!(job_status(&j), "Running");
        j["status"]["conditions"] = json!([{"type": "Complete", "status": "True"}]);
        assert_eq!(job_status(&j), "Complete");
    }

    #[test]
    fn crd_columns_follow_json_paths_with_filters_and_default_to_age() {
        let obj = json!({"metadata": {"name": "m1", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "status": {"conditions": [{"type": "Offline", "status": "False"}, {"type": "Ready", "status": "True"}]},
            "spec": {"size": 3, "tags": ["x", "y"]}});
        let cols = vec![
            json!({"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type=='Ready')].status"}),
            json!({"name": "Size", "type": "integer", "jsonPath": ".spec.size", "priority": 1}),
            json!({"name": "Last", "type": "string", "jsonPath": ".spec.tags[-1]"}),
            json!({"name": "Missing", "type": "string", "jsonPath": ".spec.nope"}),
            json!({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}),
        ];
        let p = Printer::Custom(cols);
        assert_eq!(
            p.cells(&obj, at("2026-01-01T01:00:00Z")),
            vec![
                json!("m1"),
                json!("True"),
                json!(3),
                json!("y"),
                Value::Null,
                json!("60m")
            ]
        );
        assert_eq!(p.columns()[2]["priority"], 1);
        let bare = Printer::Custom(vec![]);
        assert_eq!(
            bare.cells(&obj, at("2026-01-01T00:00:10Z")),
            vec![json!("m1"), json!("10s")]
        );
        let names: Vec<Value> = bare.columns().iter().map(|c| c["name"].clone()).collect();
        assert_eq!(names, vec![json!("Name"), json!("Age")]);
    }

    #[test]
    fn rows_carry_partial_object_metadata_by_default_and_full_objects_on_request() {
        let obj = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "ns", "labels": {"a": "b"}, "managedFields": [{}]}, "data": {}});
        let p = Printer::Builtin {
            group: "".into(),
            plural: "configmaps".into(),
        };
        let t = render(
            "meta.k8s.io/v1",
            &p,
            std::slice::from_ref(&obj),
            json!({"resourceVersion": "5"}),
            "",
        );
        assert_eq!(t["kind"], "Table");
        assert_eq!(t["metadata"]["resourceVersion"], "5");
        let row = &t["rows"][0]["object"];
        assert_eq!(row["kind"], "PartialObjectMetadata");
        assert_eq!(row["metadata"]["labels"]["a"], "b");
        assert!(row["metadata"]["managedFields"].is_null());
        let full = render(
            "meta.k8s.io/v1",
            &p,
            std::slice::from_ref(&obj),
            json!({}),
            "Object",
        );
        assert_eq!(full["rows"][0]["object"], obj);
        let none = render("meta.k8s.io/v1", &p, &[obj], json!({}), "None");
        assert!(none["rows"][0].get("object").is_none());
    }
}
