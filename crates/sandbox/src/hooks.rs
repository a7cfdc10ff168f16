//! Type-specific behaviour around writes, as the real API server's strategies and controllers do it:
//! namespaces, CRDs (establishment, serving), ServiceAccount tokens, Service IPs and load balancers, review
//! APIs, TokenRequest.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::sync::Arc;

use base64::Engine;
use bytes::Bytes;
use serde_json::{json, Value};

use super::api::{Ctx, Incoming, Reply};
use super::cluster::{Cluster, ADMIN_USER, CRD_GROUP, RBAC_GROUP};
use super::objects::{self, now_rfc3339};
use super::rbac::{Attributes, UserInfo};
use super::request::Query;
use super::status::ApiError;
use super::store::object_rv;
use kubefedctl_apimachinery::validation::FieldError;

pub const SA_TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
pub const CRD_FINALIZER: &str = "customresourcecleanup.apiextensions.k8s.io";
const UNDELETABLE_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

fn is(ctx: &Ctx, group: &str, plural: &str) -> bool {
    ctx.rt.group == group && ctx.rt.plural == plural
}

pub fn has_spec_finalizers(obj: &Value) -> bool {
    obj["kind"] == "Namespace"
        && obj["spec"]["finalizers"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
}

/// Whether deleting this object must go through a terminating phase even without metadata finalizers.
pub fn deletion_spec_finalizers(ctx: &Ctx, obj: &Value) -> bool {
    is(ctx, "", "namespaces") && has_spec_finalizers(obj)
}

pub fn before_create(ctx: &Ctx, obj: &mut Value) -> Result<(), ApiError> {
    if is(ctx, "", "namespaces") {
        let name = objects::name(obj).to_string();
        if obj["spec"]["finalizers"].is_null() {
            obj["spec"]["finalizers"] = json!(["kubernetes"]);
        }
        obj["status"] = json!({"phase": "Active"});
        objects::meta_mut(obj)
            .entry("labels")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|l| l.insert("kubernetes.io/metadata.name".into(), json!(name)));
    }
    if is(ctx, CRD_GROUP, "customresourcedefinitions") {
        let mut f = objects::finalizers(obj);
        if !f.iter().any(|x| x == CRD_FINALIZER) {
            f.push(CRD_FINALIZER.into());
            objects::set_finalizers(obj, &f);
        }
    }
    if is(ctx, "", "services") {
        allocate_service_addresses(ctx, obj, None)?;
        assign_load_balancer(ctx, obj);
    }
    if is(ctx, "", "pods") {
        // The pod strategy replaces whatever status the client sent.
        obj["status"] = json!({"phase": "Pending", "qosClass": pod_qos_class(&obj["spec"])});
    }
    Ok(())
}

/// Kubernetes' QoS classes: no requests or limits anywhere ⇒ BestEffort; cpu and memory limits on every container
/// with equal requests ⇒ Guaranteed; anything else ⇒ Burstable.
pub fn pod_qos_class(spec: &Value) -> &'static str {
    let containers: Vec<&Value> = ["initContainers", "containers"]
        .iter()
        .flat_map(|k| spec[*k].as_array().into_iter().flatten())
        .collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in containers {
        let limits = c["resources"]["limits"].as_object();
        let requests = c["resources"]["requests"].as_object();
        let set = |m: Option<&serde_json::Map<String, Value>>| {
            m.is_some_and(|m| m.keys().any(|k| k == "cpu" || k == "memory"))
        };
        any |= set(limits) || set(requests);
        for r in ["cpu", "memory"] {
            let l = limits.and_then(|m| m.get(r));
            // Requests default to limits.
            let q = requests.and_then(|m| m.get(r)).or(l);
            if l.is_none() || q != l {
                guaranteed = false;
            }
        }
    }
    match (any, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
}

pub fn before_update(ctx: &Ctx, new: &mut Value, old: &Value) -> Result<(), ApiError> {
    if is(ctx, "", "namespaces") && ctx.subresource != "finalize" {
        // A Namespace's spec.finalizers change only through /finalize.
        match old["spec"].get("finalizers") {
            Some(f) => new["spec"]["finalizers"] = f.clone(),
            None => {
                if let Some(spec) = new.get_mut("spec").and_then(Value::as_object_mut) {
                    spec.remove("finalizers");
                }
            }
        }
    }
    if is(ctx, "", "namespaces") {
        let name = objects::name(new).to_string();
        objects::meta_mut(new)
            .entry("labels")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|l| l.insert("kubernetes.io/metadata.name".into(), json!(name)));
    }
    if is(ctx, "", "services") && ctx.subresource.is_empty() {
        allocate_service_addresses(ctx, new, Some(old))?;
        assign_load_balancer(ctx, new);
    }
    Ok(())
}

/// Allocates a ClusterIP from 10.96.0.0/12 and node ports where the Service has none (on update, what the stored
/// Service had is carried over before validation: `builtin::prepare_update`).
fn allocate_service_addresses(
    ctx: &Ctx,
    svc: &mut Value,
    old: Option<&Value>,
) -> Result<(), ApiError> {
    let spec_type = svc["spec"]["type"]
        .as_str()
        .unwrap_or("ClusterIP")
        .to_string();
    if spec_type == "ExternalName" {
        return Ok(());
    }
    let _guard = ctx.c.alloc_lock.lock().unwrap_or_else(|p| p.into_inner());
    let (_, services) = ctx.c.store.list("", "services", None);
    let taken: BTreeSet<String> = services
        .iter()
        .filter(|s| objects::uid(s) != objects::uid(svc))
        .filter_map(|s| s["spec"]["clusterIP"].as_str().map(String::from))
        .collect();
    match svc["spec"]["clusterIP"].as_str() {
        Some("None") => {
            svc["spec"]["clusterIPs"] = json!(["None"]);
        }
        Some(ip) if !ip.is_empty() => {
            if old.is_none() {
                let parsed: Result<Ipv4Addr, _> = ip.parse();
                let in_range = parsed.is_ok_and(|a| {
                    let o = a.octets();
                    o[0] == 10 && (96..112).contains(&o[1])
                });
                if !in_range {
                    return Err(ApiError::invalid("", "Service", objects::name(svc), &[FieldError::invalid(
                        "spec.clusterIPs",
                        &json!([ip]),
                        "failed to allocate IP: the provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12",
                    )]));
                }
                if taken.contains(ip) {
                    return Err(ApiError::invalid(
                        "",
                        "Service",
                        objects::name(svc),
                        &[FieldError::invalid(
                            "spec.clusterIPs",
                            &json!([ip]),
                            format!("failed to allocate IP {ip}: provided IP is already allocated"),
                        )],
                    ));
                }
            }
            svc["spec"]["clusterIPs"] = json!([ip]);
        }
        _ => {
            let ip = (2u32..(1 << 20))
                .map(|i| Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 96, 0, 0)) + i).to_string())
                .find(|ip| !taken.contains(ip))
                .ok_or_else(|| ApiError::internal("the service IP range is exhausted"))?;
            svc["spec"]["clusterIP"] = json!(ip);
            svc["spec"]["clusterIPs"] = json!([ip]);
        }
    }
    if spec_type == "NodePort" || spec_type == "LoadBalancer" {
        // Taken: other Services' node ports and the ones this Service keeps or asks for.
        let own = svc["spec"]["ports"].as_array().cloned().unwrap_or_default();
        let used: BTreeSet<i64> = services
            .iter()
            .filter(|s| objects::uid(s) != objects::uid(svc))
            .flat_map(|s| s["spec"]["ports"].as_array().cloned().unwrap_or_default())
            .chain(own)
            .filter_map(|p| p["nodePort"].as_i64())
            .collect();
        let mut next = 30000i64;
        if let Some(ports) = svc["spec"]["ports"].as_array_mut() {
            for p in ports.iter_mut() {
                if p["nodePort"].is_null() {
                    while used.contains(&next) {
                        next += 1;
                    }
                    p["nodePort"] = json!(next);
                    next += 1;
                }
            }
        }
    }
    Ok(())
}

/// Where the next load-balancer address search starts: shared by every cluster of the process, so that
/// members of one sandbox hand out different addresses.
static NEXT_LOAD_BALANCER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The cloud controller's part: a `type: LoadBalancer` Service gets `status.loadBalancer.ingress` with an
/// address of 192.0.2.0/24 (TEST-NET-1, never routed) no other Service of the cluster has, and keeps it;
/// any other type has none. The status a client sets through `/status` is left as it is.
fn assign_load_balancer(ctx: &Ctx, svc: &mut Value) {
    if svc["spec"]["type"] != "LoadBalancer" {
        if svc["status"]["loadBalancer"]["ingress"].is_array() {
            svc["status"]["loadBalancer"] = json!({});
        }
        return;
    }
    let has_ingress = svc["status"]["loadBalancer"]["ingress"]
        .as_array()
        .is_some_and(|i| !i.is_empty());
    if has_ingress {
        return;
    }
    let _guard = ctx.c.alloc_lock.lock().unwrap_or_else(|p| p.into_inner());
    let (_, services) = ctx.c.store.list("", "services", None);
    let taken: BTreeSet<String> = services
        .iter()
        .filter(|s| objects::uid(s) != objects::uid(svc))
        .flat_map(|s| {
            s["status"]["loadBalancer"]["ingress"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|i| i["ip"].as_str().map(String::from))
        .collect();
    let start = NEXT_LOAD_BALANCER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let ip = (0..254u32)
        .map(|i| Ipv4Addr::new(192, 0, 2, ((start + i) % 254 + 1) as u8).to_string())
        .find(|ip| !taken.contains(ip));
    // 254 load balancers in one cluster: the rest stay pending, as with an exhausted cloud quota.
    if let Some(ip) = ip {
        if !svc["status"].is_object() {
            svc["status"] = json!({});
        }
        svc["status"]["loadBalancer"] = json!({"ingress": [{"ip": ip}]});
    }
}

pub fn before_delete(ctx: &Ctx, obj: &Value) -> Result<(), ApiError> {
    if is(ctx, "", "namespaces") && UNDELETABLE_NAMESPACES.contains(&objects::name(obj)) {
        return Err(ApiError::forbidden_object(
            "",
            "namespaces",
            objects::name(obj),
            "this namespace may not be deleted",
        ));
    }
    Ok(())
}

/// Marks an object as terminating the way its type shows it (Namespace phase, CRD condition).
pub fn on_terminate(ctx: &Ctx, obj: &mut Value) {
    if is(ctx, "", "namespaces") {
        obj["status"]["phase"] = json!("Terminating");
    }
    if is(ctx, CRD_GROUP, "customresourcedefinitions") {
        set_condition(
            obj,
            "Terminating",
            "True",
            "InstanceDeletionPending",
            "CustomResourceDefinition marked for deletion; instance cleanup will begin soon",
        );
    }
}

fn set_condition(obj: &mut Value, type_: &str, status: &str, reason: &str, message: &str) {
    let now = now_rfc3339();
    if !obj["status"]["conditions"].is_array() {
        obj["status"]["conditions"] = json!([]);
    }
    let conds = obj["status"]["conditions"].as_array_mut().expect("array");
    match conds.iter_mut().find(|c| c["type"] == type_) {
        Some(c) => {
            if c["status"] != status {
                c["lastTransitionTime"] = json!(now);
            }
            c["status"] = json!(status);
            c["reason"] = json!(reason);
            c["message"] = json!(message);
        }
        None => conds.push(json!({"type": type_, "status": status, "lastTransitionTime": now, "reason": reason, "message": message})),
    }
}

/// Effects after a committed write (old None = created, new None = removed). Returns warnings.
pub fn after_write(ctx: &Ctx, old: Option<&Value>, new: Option<&Arc<Value>>) -> Vec<String> {
    let c = ctx.c;
    if ctx.rt.group == RBAC_GROUP {
        c.invalidate_authz();
    }
    if is(ctx, CRD_GROUP, "customresourcedefinitions") {
        if let Some(crd) = new {
            establish_crd(c, crd);
        }
        c.rebuild_registry();
    }
    if is(ctx, "", "namespaces") && old.is_none() {
        if let Some(ns) = new {
            populate_namespace(c, objects::name(ns));
        }
    }
    // The root-CA publisher and the ServiceAccount controller put these back as soon as they go.
    if new.is_none() && (is(ctx, "", "configmaps") || is(ctx, "", "serviceaccounts")) {
        if let Some(o) = old {
            restore_namespace_defaults(c, ctx.rt.plural.as_str(), o);
        }
    }
    if is(ctx, "", "secrets") {
        if let Some(s) = new {
            fill_token_secret(c, s);
        }
    }
    if is(ctx, "", "serviceaccounts") && new.is_none() {
        if let Some(sa) = old {
            delete_token_secrets(c, sa);
        }
    }
    if new.is_none() || new.is_some_and(|n| objects::is_terminating(n)) {
        c.controllers.notify_one();
    }
    vec![]
}

/// The CRD establishing controller: accept names (or report the conflict), set Established, serve the type.
pub fn establish_crd(c: &Cluster, crd: &Value) {
    if objects::is_terminating(crd) {
        return;
    }
    let spec = &crd["spec"];
    let group = spec["group"].as_str().unwrap_or("");
    let plural = spec["names"]["plural"].as_str().unwrap_or("");
    let kind = spec["names"]["kind"].as_str().unwrap_or("");
    let reg = c.registry();
    let conflict = reg.types().iter().find_map(|t| {
        if t.group != group || t.crd.as_ref().is_some_and(|i| i.name == objects::name(crd)) {
            return None;
        }
        if t.plural == plural {
            Some(("PluralConflict", format!("{plural:?} is already in use")))
        } else if t.kind == kind {
            Some(("KindConflict", format!("{kind:?} is already in use")))
        } else {
            None
        }
    });
    let mut new = crd.clone();
    let mut names = spec["names"].clone();
    if names["singular"].is_null() {
        names["singular"] = json!(kind.to_lowercase());
    }
    if names["listKind"].is_null() {
        names["listKind"] = json!(format!("{kind}List"));
    }
    match conflict {
        Some((reason, msg)) => {
            set_condition(&mut new, "NamesAccepted", "False", reason, &msg);
            set_condition(
                &mut new,
                "Established",
                "False",
                "NotAccepted",
                "not all names are accepted",
            );
        }
        None => {
            new["status"]["acceptedNames"] = names;
            set_condition(
                &mut new,
                "NamesAccepted",
                "True",
                "NoConflicts",
                "no conflicts found",
            );
            set_condition(
                &mut new,
                "Established",
                "True",
                "InitialNamesAccepted",
                "the initial names have been accepted",
            );
        }
    }
    let storage: Vec<Value> = spec["versions"]
        .as_array()
        .map(|vs| {
            vs.iter()
                .filter(|v| v["storage"] == true)
                .map(|v| v["name"].clone())
                .collect()
        })
        .unwrap_or_default();
    let mut stored = new["status"]["storedVersions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for s in storage {
        if !stored.contains(&s) {
            stored.push(s);
        }
    }
    new["status"]["storedVersions"] = json!(stored);
    if !new["status"]["conditions"].is_array() {
        new["status"]["conditions"] = json!([]);
    }
    // Only the status changed; conditions keep their transition times when nothing flipped.
    if objects::same_object(&new, crd) {
        return;
    }
    let _ = c
        .store
        .update(CRD_GROUP, "customresourcedefinitions", new, object_rv(crd));
}

/// The namespace controller's per-namespace objects: ServiceAccount `default` and ConfigMap `kube-root-ca.crt`.
pub fn populate_namespace(c: &Cluster, ns: &str) {
    let now = now_rfc3339();
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {
        "name": "default", "namespace": ns, "uid": objects::new_uid(), "creationTimestamp": now}});
    let _ = c.store.create("", "serviceaccounts", sa);
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "kube-root-ca.crt", "namespace": ns, "uid": objects::new_uid(), "creationTimestamp": now,
        "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."},
        // What the root-CA publisher's create records on a real cluster.
        "managedFields": [{"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1",
            "time": now, "fieldsType": "FieldsV1", "fieldsV1": {"f:data": {".": {}, "f:ca.crt": {}},
                "f:metadata": {"f:annotations": {".": {}, "f:kubernetes.io/description": {}}}}}]},
        "data": {"ca.crt": c.ca_pem}});
    let _ = c.store.create("", "configmaps", cm);
}

/// Recreates `kube-root-ca.crt` or ServiceAccount `default` after its deletion, unless its namespace is going away.
fn restore_namespace_defaults(c: &Cluster, plural: &str, removed: &Value) {
    let name = objects::name(removed);
    let is_default = match plural {
        "configmaps" => name == "kube-root-ca.crt",
        "serviceaccounts" => name == "default",
        _ => false,
    };
    let ns = objects::namespace(removed);
    if !is_default {
        return;
    }
    match c.store.get("", "namespaces", "", ns) {
        Some(n) if !objects::is_terminating(&n) => populate_namespace(c, ns),
        _ => {}
    }
}

/// The tokens controller: a ServiceAccount token Secret gets `token`, `ca.crt` and `namespace`, or is deleted when its
/// ServiceAccount does not exist.
pub fn fill_token_secret(c: &Cluster, secret: &Value) {
    if secret["type"] != SA_TOKEN_TYPE || objects::is_terminating(secret) {
        return;
    }
    let ns = objects::namespace(secret);
    let name = objects::name(secret);
    let ann = &secret["metadata"]["annotations"];
    let sa_name = ann["kubernetes.io/service-account.name"]
        .as_str()
        .unwrap_or("");
    let Some(sa) = c.store.get("", "serviceaccounts", ns, sa_name) else {
        let _ = c.store.delete("", "secrets", ns, name, 0);
        return;
    };
    let sa_uid = objects::uid(&sa).to_string();
    if let Some(u) = ann["kubernetes.io/service-account.uid"].as_str() {
        if u != sa_uid {
            let _ = c.store.delete("", "secrets", ns, name, 0);
            return;
        }
    }
    if secret["data"]["token"].is_string() && ann["kubernetes.io/service-account.uid"].is_string() {
        return;
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let token = c.mint_secret_token(ns, name, sa_name, &sa_uid);
    let mut new = secret.clone();
    new["metadata"]["annotations"]["kubernetes.io/service-account.uid"] = json!(sa_uid);
    if !new["data"].is_object() {
        new["data"] = json!({});
    }
    new["data"]["token"] = json!(b64.encode(&token));
    new["data"]["ca.crt"] = json!(b64.encode(&c.ca_pem));
    new["data"]["namespace"] = json!(b64.encode(ns));
    let _ = c.store.update("", "secrets", new, object_rv(secret));
}

fn delete_token_secrets(c: &Cluster, sa: &Value) {
    let (_, secrets) = c.store.list("", "secrets", Some(objects::namespace(sa)));
    for s in secrets.iter().filter(|s| {
        s["type"] == SA_TOKEN_TYPE
            && s["metadata"]["annotations"]["kubernetes.io/service-account.name"]
                == sa["metadata"]["name"]
    }) {
        let _ = c
            .store
            .delete("", "secrets", objects::namespace(s), objects::name(s), 0);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Virtual APIs

/// TokenRequest: `POST …/serviceaccounts/{name}/token`.
pub fn token_request(ctx: &Ctx) -> Result<Reply, ApiError> {
    let body: Value = if ctx.req.body.is_empty() {
        json!({})
    } else {
        super::api::decode_body(ctx)?
    };
    // A body of another kind fails to decode as a TokenRequest, worded as Go's conversion error.
    if let Some(kind) = body["kind"].as_str().filter(|k| *k != "TokenRequest") {
        let api_version = body["apiVersion"].as_str().unwrap_or("");
        let version = api_version.rsplit('/').next().unwrap_or("");
        return Err(ApiError::bad_request(format!(
            "{kind} in version {api_version:?} cannot be handled as a TokenRequest: converting ({version}.{kind}) to (authentication.TokenRequest): unknown conversion"
        )));
    }
    let sa = ctx
        .c
        .store
        .get("", "serviceaccounts", &ctx.namespace, &ctx.name)
        .ok_or_else(|| ApiError::not_found("", "serviceaccounts", &ctx.name))?;
    let seconds = body["spec"]["expirationSeconds"].as_i64().unwrap_or(3600);
    if seconds < 600 {
        // The request body has no name: the real server's error names the TokenRequest "".
        return Err(ApiError::invalid(
            "authentication.k8s.io",
            "TokenRequest",
            "",
            &[FieldError::invalid(
                "spec.expirationSeconds",
                &json!(seconds),
                "may not specify a duration less than 10 minutes",
            )],
        ));
    }
    let audiences: Vec<String> = body["spec"]["audiences"]
        .as_array()
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_else(|| vec!["https://kubernetes.default.svc.cluster.local".to_string()]);
    let bound = &body["spec"]["boundObjectRef"];
    if bound.is_object() {
        let kind = bound["kind"].as_str().unwrap_or("");
        let api_version = bound["apiVersion"].as_str().unwrap_or("");
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let (plural, namespace) = match (group, kind) {
            ("", "Pod") => ("pods", ctx.namespace.as_str()),
            ("", "Secret") => ("secrets", ctx.namespace.as_str()),
            ("", "Node") => ("nodes", ""),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "cannot bind token to object of type {group}/{version}, Kind={kind}"
                )))
            }
        };
        let name = bound["name"].as_str().unwrap_or("");
        let target = ctx.c.store.get("", plural, namespace, name);
        let Some(target) = target else {
            return Err(ApiError::not_found("", plural, name));
        };
        if let Some(uid) = bound["uid"].as_str().filter(|u| !u.is_empty()) {
            if uid != objects::uid(&target) {
                return Err(ApiError::new(409, "Conflict", format!(
                    "the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated"
                )));
            }
        }
    }
    let (token, expires) = ctx.c.issue_token(
        &ctx.namespace,
        &ctx.name,
        objects::uid(&sa),
        seconds,
        &audiences,
    );
    // The field manager records what the request set (expirationSeconds after its default), before the
    // server fills in the default audience.
    let now = objects::now_rfc3339();
    let mut spec_fields = json!({"f:expirationSeconds": {}});
    if body["spec"]["audiences"].is_array() {
        spec_fields["f:audiences"] = json!({});
    }
    if let Some(b) = bound.as_object() {
        let mut f = json!({".": {}});
        for k in b.keys() {
            f[format!("f:{k}")] = json!({});
        }
        spec_fields["f:boundObjectRef"] = f;
    }
    Ok(Reply::code(
        201,
        json!({
            "kind": "TokenRequest",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"name": ctx.name, "namespace": ctx.namespace, "uid": objects::uid(&sa),
                "creationTimestamp": now, "managedFields": [{
                    "manager": ctx.manager(), "operation": "Update", "apiVersion": "authentication.k8s.io/v1",
                    "time": now, "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": spec_fields},
                    "subresource": "token"}]},
            "spec": {"audiences": audiences, "expirationSeconds": seconds, "boundObjectRef": body["spec"]["boundObjectRef"].clone()},
            "status": {"token": token, "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()},
        }),
    ))
}

fn attrs_from_review(spec: &Value, default_ns: &str) -> Attributes {
    if let Some(ra) = spec.get("resourceAttributes").filter(|v| v.is_object()) {
        let s = |k: &str| ra[k].as_str().unwrap_or("").to_string();
        let ns = if ra["namespace"].is_string() {
            s("namespace")
        } else {
            default_ns.to_string()
        };
        Attributes::Resource {
            verb: s("verb"),
            group: s("group"),
            resource: s("resource"),
            subresource: s("subresource"),
            name: s("name"),
            namespace: ns,
        }
    } else {
        let na = &spec["nonResourceAttributes"];
        Attributes::NonResource {
            verb: na["verb"].as_str().unwrap_or("").into(),
            path: na["path"].as_str().unwrap_or("").into(),
        }
    }
}

fn user_from_spec(spec: &Value) -> UserInfo {
    UserInfo {
        name: spec["user"].as_str().unwrap_or("").to_string(),
        uid: spec["uid"].as_str().unwrap_or("").to_string(),
        groups: spec["groups"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|g| g.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The create-only review APIs (authorization and authentication).
pub fn review(ctx: &Ctx) -> Result<Reply, ApiError> {
    let mut body: Value = super::api::decode_body(ctx)?;
    body["apiVersion"] = json!(ctx.api_version());
    body["kind"] = json!(ctx.rt.kind);
    if !body["metadata"].is_object() {
        body["metadata"] = json!({});
    }
    // Reviews are never stored: the real server answers without a creationTimestamp (metadata {}),
    // except SelfSubjectReview, which it stamps.
    if let Some(m) = body["metadata"].as_object_mut() {
        m.remove("creationTimestamp");
    }
    if ctx.rt.plural == "selfsubjectreviews" {
        body["metadata"]["creationTimestamp"] = json!(objects::now_rfc3339());
    }
    let authz = ctx.c.authorizer();
    match ctx.rt.plural.as_str() {
        "selfsubjectaccessreviews" | "subjectaccessreviews" | "localsubjectaccessreviews" => {
            let user = if ctx.rt.plural == "selfsubjectaccessreviews" {
                ctx.user.clone()
            } else {
                user_from_spec(&body["spec"])
            };
            let spec = &body["spec"];
            if spec["resourceAttributes"].is_object() == spec["nonResourceAttributes"].is_object() {
                return Err(ApiError::invalid(
                    "authorization.k8s.io",
                    "",
                    "",
                    // 1.34 and older name spec.resourceAttributes; 1.37 names spec.
                    &[FieldError::invalid(
                        "spec.resourceAttributes",
                        &Value::Null,
                        "exactly one of nonResourceAttributes or resourceAttributes must be specified",
                    )],
                ));
            }
            let attrs = attrs_from_review(&body["spec"], &ctx.namespace);
            let d = authz.authorize(&user, &attrs);
            body["status"] = if d.allowed {
                json!({"allowed": true, "reason": d.reason})
            } else {
                json!({"allowed": false})
            };
        }
        "selfsubjectrulesreviews" => {
            let ns = body["spec"]["namespace"].as_str().unwrap_or("").to_string();
            if ns.is_empty() {
                return Err(ApiError::bad_request("no namespace on request"));
            }
            let (rr, nr) = authz.rules_for(ctx.user, &ns);
            // The real server answers with a new object that carries only the status.
            body["spec"] = json!({});
            body["status"] =
                json!({"resourceRules": rr, "nonResourceRules": nr, "incomplete": false});
        }
        "selfsubjectreviews" => {
            body["status"] = json!({"userInfo": {"username": ctx.user.name, "uid": ctx.user.uid, "groups": ctx.user.groups}});
        }
        "tokenreviews" => {
            let token = body["spec"]["token"].as_str().unwrap_or("");
            body["status"] = match ctx.c.authenticate(token) {
                Some(u) => {
                    json!({"authenticated": true, "user": {"username": u.name, "uid": u.uid, "groups": u.groups}})
                }
                None => json!({"authenticated": false, "error": "invalid bearer token"}),
            };
        }
        _ => return Err(ApiError::no_route()),
    }
    Ok(Reply::code(201, body))
}

// ---------------------------------------------------------------------------------------------------------
// Internal writes (controllers, bootstrap): go through the same pipeline as requests, as the admin.

pub struct SystemRequest {
    pub req: Incoming,
    pub user: UserInfo,
}

impl SystemRequest {
    pub fn new(manager: &str) -> SystemRequest {
        SystemRequest {
            req: Incoming {
                method: "PUT".into(),
                path: String::new(),
                query: Query::parse(Some(&format!("fieldManager={manager}"))),
                token: None,
                content_type: "application/json".into(),
                accept: "application/json".into(),
                user_agent: manager.into(),
                impersonate: None,
                body: Bytes::new(),
                body_too_large: false,
            },
            user: UserInfo {
                name: ADMIN_USER.into(),
                uid: String::new(),
                groups: vec!["system:masters".into()],
            },
        }
    }

    pub fn ctx<'a>(
        &'a self,
        c: &'a Arc<Cluster>,
        group: &str,
        plural: &str,
        namespace: &str,
        name: &str,
    ) -> Option<Ctx<'a>> {
        let rt = c.registry().get(group, plural)?.clone();
        Some(Ctx {
            c,
            version: rt.preferred_version().to_string(),
            rt,
            namespace: namespace.to_string(),
            name: name.to_string(),
            subresource: String::new(),
            user: &self.user,
            query: &self.req.query,
            req: &self.req,
            dry_run: false,
        })
    }
}

/// Where the ServiceAccount admission plugin mounts the API credentials in every container.
pub const SA_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The admission plugins every real API server runs on a new Pod, after the field manager has recorded the
/// request (so what they add belongs to no manager): ServiceAccount (`serviceAccountName` `default`, refusal
/// of a missing account, the projected `kube-api-access-<random>` volume and its read-only mount in every
/// container), DefaultTolerationSeconds (not-ready and unreachable, NoExecute, 300 s) and Priority
/// (priority 0, preemptionPolicy PreemptLowerPriority, when no PriorityClass is named).
pub fn admit_pod(ctx: &Ctx, pod: &mut Value) -> Result<(), ApiError> {
    if !is(ctx, "", "pods") || !ctx.subresource.is_empty() {
        return Ok(());
    }
    let name = objects::name(pod).to_string();
    let ns = ctx.namespace.clone();
    // Mirror pods (static pods a kubelet reports) are left alone.
    let mirror = pod_is_mirror(pod);
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    if !mirror {
        let sa_name = match spec.get("serviceAccountName").and_then(Value::as_str) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => {
                spec.insert("serviceAccountName".into(), json!("default"));
                "default".to_string()
            }
        };
        spec.insert("serviceAccount".into(), json!(sa_name));
        let Some(sa) = ctx.c.store.get("", "serviceaccounts", &ns, &sa_name) else {
            return Err(ApiError::forbidden_object(
                "",
                "pods",
                &name,
                &format!(
                    "error looking up service account {ns}/{sa_name}: serviceaccount {sa_name:?} not found"
                ),
            ));
        };
        let automount = spec
            .get("automountServiceAccountToken")
            .and_then(Value::as_bool)
            .or_else(|| sa["automountServiceAccountToken"].as_bool())
            .unwrap_or(true);
        if automount {
            mount_service_account_token(spec);
        }
    }
    let tolerations = spec.entry("tolerations").or_insert_with(|| json!([]));
    if let Some(list) = tolerations.as_array_mut() {
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            let tolerated = list.iter().any(|t| {
                (t["key"] == key || t["key"].as_str().unwrap_or("").is_empty())
                    && t["operator"] == "Exists"
                    && (t["effect"] == "NoExecute" || t["effect"].as_str().unwrap_or("").is_empty())
            });
            if !tolerated {
                list.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}));
            }
        }
    }
    let class = spec
        .get("priorityClassName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if class.is_empty() {
        spec.entry("priority").or_insert(json!(0));
        spec.entry("preemptionPolicy")
            .or_insert(json!("PreemptLowerPriority"));
    }
    Ok(())
}

/// The projected service-account volume (an existing `kube-api-access-*` volume is reused) and its mount in
/// every container that mounts nothing at that path already; no volume when no container needs it.
fn mount_service_account_token(spec: &mut serde_json::Map<String, Value>) {
    let existing = spec
        .get("volumes")
        .and_then(Value::as_array)
        .and_then(|vs| {
            vs.iter()
                .filter_map(|v| v["name"].as_str())
                .find(|n| n.starts_with("kube-api-access-"))
                .map(String::from)
        });
    let volume = existing
        .clone()
        .unwrap_or_else(|| format!("kube-api-access-{}", objects::random_suffix()));
    let mut needed = false;
    for k in ["initContainers", "containers"] {
        let Some(cs) = spec.get_mut(k).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in cs {
            let mounts = c
                .as_object_mut()
                .map(|c| c.entry("volumeMounts").or_insert_with(|| json!([])));
            if let Some(Value::Array(ms)) = mounts {
                if !ms.iter().any(|m| m["mountPath"] == SA_MOUNT_PATH) {
                    ms.push(json!({"name": volume, "readOnly": true, "mountPath": SA_MOUNT_PATH}));
                    needed = true;
                }
            }
        }
    }
    if existing.is_some() || !needed {
        return;
    }
    let volumes = spec.entry("volumes").or_insert_with(|| json!([]));
    if let Some(vs) = volumes.as_array_mut() {
        vs.push(json!({"name": volume, "projected": {
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}
            ],
            "defaultMode": 420
        }}));
    }
}

fn pod_is_mirror(pod: &Value) -> bool {
    pod["metadata"]["annotations"]
        .get("kubernetes.io/config.mirror")
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qos_class_is_best_effort_without_resources() {
        assert_eq!(
            pod_qos_class(&json!({"containers": [{"name": "a"}]})),
            "BestEffort"
        );
    }

    #[test]
    fn qos_class_is_guaranteed_when_limits_cover_cpu_and_memory_with_equal_requests() {
        let spec = json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}},
            {"name": "b", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}]});
        assert_eq!(pod_qos_class(&spec), "Guaranteed");
    }

    #[test]
    fn qos_class_is_burstable_with_partial_or_unequal_resources() {
        let only_requests =
            json!({"containers": [{"name": "a", "resources": {"requests": {"cpu": "1"}}}]});
        assert_eq!(pod_qos_class(&only_requests), "Burstable");
        let unequal = json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "1"}}}]});
        assert_eq!(pod_qos_class(&unequal), "Burstable");
        let one_without = json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}, {"name": "b"}]});
        assert_eq!(pod_qos_class(&one_without), "Burstable");
    }
}
