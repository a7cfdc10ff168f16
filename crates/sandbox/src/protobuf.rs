//! Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) decoded into the JSON object the
//! same request would have carried as JSON, so the sandbox can serve kubectl's typed clients.
//!
//! The wire format is `k8s\0` + `runtime.Unknown{typeMeta{apiVersion=1, kind=2}=1, raw=2, contentEncoding=3,
//! contentType=4}`, where `raw` is the object's own message. Field numbers come from Kubernetes'
//! `generated.proto` files. The JSON is shaped the way Go's `encoding/json` renders the decoded struct: Go's
//! generated marshallers write every non-pointer field (even when empty), so "omitempty" has to be re-applied
//! here field by field, non-pointer structs are always rendered, nil pointers and nil slices without omitempty
//! become `null`, and map keys come out sorted.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Map, Value};

/// The content type kubectl's typed clients use for request bodies.
pub const CONTENT_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// The four bytes every Kubernetes protobuf body starts with.
const MAGIC: &[u8] = b"k8s\0";

/// Nesting bound for raw extensions that themselves hold protobuf bodies.
const MAX_DEPTH: usize = 32;

/// Whether a `Content-Type` header names the Kubernetes protobuf encoding (parameters ignored).
pub fn is_protobuf_content_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(CONTENT_TYPE))
}

/// Decodes a Kubernetes protobuf body into the JSON object the same request would have sent as JSON:
/// `kind`/`apiVersion` from the envelope's typeMeta, then the object's fields in Go struct order with
/// Go's JSON conventions (omitempty, `null` for nil pointers/slices without omitempty, `creationTimestamp: null`,
/// RFC 3339 times, int-or-string as number or string, quantities and bytes as strings).
/// Unknown fields are skipped; an unknown kind, a non-empty content encoding or malformed bytes is an error.
pub fn decode(body: &[u8]) -> Result<Value, String> {
    decode_at_depth(body, 0)
}

fn decode_at_depth(body: &[u8], depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("protobuf body nested too deeply".to_string());
    }
    let rest = body
        .strip_prefix(MAGIC)
        .ok_or_else(|| "protobuf body does not start with the k8s magic prefix".to_string())?;
    let envelope = parse_fields(rest)?;
    let type_meta = last_bytes(&envelope, 1)?.unwrap_or_default();
    let type_fields = parse_fields(type_meta)?;
    let api_version = last_string(&type_fields, 1)?;
    let kind = last_string(&type_fields, 2)?;
    let raw = last_bytes(&envelope, 2)?.unwrap_or_default();
    let encoding = last_string(&envelope, 3)?;
    if !encoding.is_empty() {
        return Err(format!(
            "unsupported protobuf content encoding {encoding:?}"
        ));
    }
    let content_type = last_string(&envelope, 4)?;
    if !content_type.is_empty() && !is_protobuf_content_type(&content_type) {
        return Err(format!(
            "unsupported embedded content type {content_type:?}"
        ));
    }
    if kind.is_empty() {
        return Err("protobuf body has no kind".to_string());
    }
    let message = top_level_message(&api_version, &kind).ok_or_else(|| {
        format!(
            "no kind {kind:?} is registered for version {api_version:?} in the protobuf decoder"
        )
    })?;
    let mut out = Map::new();
    out.insert("kind".to_string(), Value::String(kind));
    out.insert("apiVersion".to_string(), Value::String(api_version));
    decode_message_into(message, raw, &mut out, depth)?;
    Ok(Value::Object(out))
}

// ---------------------------------------------------------------------------------------------------------------
// Wire format
// ---------------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Wire<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *buf
            .get(*pos)
            .ok_or_else(|| "truncated varint in protobuf body".to_string())?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("varint longer than 10 bytes in protobuf body".to_string())
}

fn take<'a>(buf: &'a [u8], pos: &mut usize, len: usize) -> Result<&'a [u8], String> {
    let end = pos
        .checked_add(len)
        .filter(|end| *end <= buf.len())
        .ok_or_else(|| "field length runs past the end of the protobuf body".to_string())?;
    let slice = &buf[*pos..end];
    *pos = end;
    Ok(slice)
}

/// Splits one message into its fields, in wire order.
fn parse_fields(buf: &[u8]) -> Result<Vec<(u32, Wire<'_>)>, String> {
    let mut fields = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = read_varint(buf, &mut pos)?;
        let number =
            u32::try_from(key >> 3).map_err(|_| "field number out of range".to_string())?;
        if number == 0 {
            return Err("protobuf field number 0 is invalid".to_string());
        }
        let wire = match key & 7 {
            0 => Wire::Varint(read_varint(buf, &mut pos)?),
            1 => {
                let b = take(buf, &mut pos, 8)?;
                Wire::Fixed64(u64::from_le_bytes(b.try_into().expect("8 bytes")))
            }
            2 => {
                let len = usize::try_from(read_varint(buf, &mut pos)?)
                    .map_err(|_| "field length out of range".to_string())?;
                Wire::Bytes(take(buf, &mut pos, len)?)
            }
            5 => {
                let b = take(buf, &mut pos, 4)?;
                Wire::Fixed32(u32::from_le_bytes(b.try_into().expect("4 bytes")))
            }
            other => return Err(format!("unsupported protobuf wire type {other}")),
        };
        fields.push((number, wire));
    }
    Ok(fields)
}

fn last_bytes<'a>(fields: &[(u32, Wire<'a>)], number: u32) -> Result<Option<&'a [u8]>, String> {
    match fields.iter().rev().find(|(n, _)| *n == number) {
        None => Ok(None),
        Some((_, Wire::Bytes(b))) => Ok(Some(b)),
        Some(_) => Err(format!("field {number} is not length-delimited")),
    }
}

fn last_string(fields: &[(u32, Wire<'_>)], number: u32) -> Result<String, String> {
    Ok(last_bytes(fields, number)?
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------------------------

/// What a field holds on the wire and how it renders in JSON.
#[derive(Debug, Clone, Copy)]
enum Ty {
    Str,
    I32,
    I64,
    Bool,
    /// A nested message, by schema name.
    Msg(&'static str),
    /// An embedded Go struct (`json:",inline"`): its fields land in the parent object.
    Inline(&'static str),
    /// `metav1.Time`: RFC 3339 seconds in UTC, `null` when zero.
    Time,
    /// `resource.Quantity`: its string form.
    Quantity,
    /// `intstr.IntOrString`: a number or a string.
    IntStr,
    /// `runtime.RawExtension` / `metav1.FieldsV1`: bytes that are themselves JSON.
    RawJson,
    /// `map<string, V>`.
    Map(MapVal),
}

#[derive(Debug, Clone, Copy)]
enum MapVal {
    Str,
    Bytes,
    Quantity,
    Time,
    /// `ExtraValue`: a message wrapping a string list, rendered as the list.
    StrList,
}

/// How Go's JSON encoder treats the field when it is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Non-pointer with `omitempty`: zero scalars and empty lists/maps are left out; structs are always rendered.
    E,
    /// Non-pointer without `omitempty`: always rendered (zero value, or `null` for a nil list/map).
    K,
    /// Pointer with `omitempty`: rendered only when set.
    P,
    /// Pointer without `omitempty`: `null` when unset.
    N,
}

#[derive(Debug, Clone, Copy)]
struct F {
    num: u32,
    name: &'static str,
    ty: Ty,
    repeated: bool,
    mode: Mode,
}

const fn one(num: u32, name: &'static str, ty: Ty, mode: Mode) -> F {
    F {
        num,
        name,
        ty,
        repeated: false,
        mode,
    }
}

const fn rep(num: u32, name: &'static str, ty: Ty, mode: Mode) -> F {
    F {
        num,
        name,
        ty,
        repeated: true,
        mode,
    }
}

use Mode::{E, K, N, P};
use Ty::{Bool, Inline, IntStr, Msg, Quantity, RawJson, Str, Time, I32, I64};

const MAP_STR: Ty = Ty::Map(MapVal::Str);
const MAP_BYTES: Ty = Ty::Map(MapVal::Bytes);
const MAP_QTY: Ty = Ty::Map(MapVal::Quantity);
const MAP_TIME: Ty = Ty::Map(MapVal::Time);
const MAP_EXTRA: Ty = Ty::Map(MapVal::StrList);

/// A `'static` field table (const-fn calls are not promoted to statics on their own).
macro_rules! fields {
    ($($f:expr),* $(,)?) => {{
        const FIELDS: &[F] = &[$($f),*];
        FIELDS
    }};
}

const META: F = one(1, "metadata", Msg("ObjectMeta"), E);

/// The message that a top-level `apiVersion`/`kind` carries.
fn top_level_message(api_version: &str, kind: &str) -> Option<&'static str> {
    const RBAC: &str = "rbac.authorization.k8s.io/v1";
    const AUTHN: &str = "authentication.k8s.io/v1";
    const AUTHZ: &str = "authorization.k8s.io/v1";
    Some(match (api_version, kind) {
        // DeleteOptions is registered in every group version.
        (_, "DeleteOptions") => "DeleteOptions",
        ("v1", "Namespace") => "Namespace",
        ("v1", "ServiceAccount") => "ServiceAccount",
        ("v1", "Secret") => "Secret",
        ("v1", "ConfigMap") => "ConfigMap",
        ("v1", "Service") => "Service",
        ("v1", "ResourceQuota") => "ResourceQuota",
        ("v1", "Pod") => "Pod",
        ("apps/v1", "Deployment") => "Deployment",
        ("batch/v1", "Job") => "Job",
        ("batch/v1", "CronJob") => "CronJob",
        (RBAC, "Role") => "Role",
        (RBAC, "ClusterRole") => "ClusterRole",
        (RBAC, "RoleBinding") => "RoleBinding",
        (RBAC, "ClusterRoleBinding") => "RoleBinding",
        ("policy/v1", "PodDisruptionBudget") => "PodDisruptionBudget",
        ("networking.k8s.io/v1", "Ingress") => "Ingress",
        (AUTHN, "TokenRequest") => "TokenRequest",
        (AUTHN, "TokenReview") => "TokenReview",
        (AUTHN, "SelfSubjectReview") => "SelfSubjectReview",
        (AUTHZ, "SelfSubjectAccessReview") => "SelfSubjectAccessReview",
        (AUTHZ, "SelfSubjectRulesReview") => "SelfSubjectRulesReview",
        (AUTHZ, "SubjectAccessReview") => "SubjectAccessReview",
        (AUTHZ, "LocalSubjectAccessReview") => "SubjectAccessReview",
        _ => return None,
    })
}

/// Fields of each message, in Go struct order (which is the JSON key order).
fn schema(name: &str) -> Option<&'static [F]> {
    let fields: &'static [F] = match name {
        // ---- apimachinery meta/v1 ----
        "ObjectMeta" => fields![
            one(1, "name", Str, E),
            one(2, "generateName", Str, E),
            one(3, "namespace", Str, E),
            one(4, "selfLink", Str, E),
            one(5, "uid", Str, E),
            one(6, "resourceVersion", Str, E),
            one(7, "generation", I64, E),
            one(8, "creationTimestamp", Time, E),
            one(9, "deletionTimestamp", Time, P),
            one(10, "deletionGracePeriodSeconds", I64, P),
            one(11, "labels", MAP_STR, E),
            one(12, "annotations", MAP_STR, E),
            rep(13, "ownerReferences", Msg("OwnerReference"), E),
            rep(14, "finalizers", Str, E),
            rep(17, "managedFields", Msg("ManagedFieldsEntry"), E),
        ],
        "OwnerReference" => fields![
            one(5, "apiVersion", Str, K),
            one(1, "kind", Str, K),
            one(3, "name", Str, K),
            one(4, "uid", Str, K),
            one(6, "controller", Bool, P),
            one(7, "blockOwnerDeletion", Bool, P),
        ],
        "ManagedFieldsEntry" => fields![
            one(1, "manager", Str, E),
            one(2, "operation", Str, E),
            one(3, "apiVersion", Str, E),
            one(4, "time", Time, P),
            one(6, "fieldsType", Str, E),
            one(7, "fieldsV1", RawJson, P),
            one(8, "subresource", Str, E),
        ],
        "LabelSelector" => fields![
            one(1, "matchLabels", MAP_STR, E),
            rep(2, "matchExpressions", Msg("LabelSelectorRequirement"), E),
        ],
        "LabelSelectorRequirement" => fields![
            one(1, "key", Str, K),
            one(2, "operator", Str, K),
            rep(3, "values", Str, E),
        ],
        "DeleteOptions" => fields![
            one(1, "gracePeriodSeconds", I64, P),
            one(2, "preconditions", Msg("Preconditions"), P),
            one(3, "orphanDependents", Bool, P),
            one(4, "propagationPolicy", Str, P),
            rep(5, "dryRun", Str, E),
        ],
        "Preconditions" => fields![one(1, "uid", Str, P), one(2, "resourceVersion", Str, P)],

        // ---- core/v1 ----
        "Namespace" => fields![
            META,
            one(2, "spec", Msg("NamespaceSpec"), E),
            one(3, "status", Msg("NamespaceStatus"), E),
        ],
        "NamespaceSpec" => fields![rep(1, "finalizers", Str, E)],
        "NamespaceStatus" => fields![
            one(1, "phase", Str, E),
            rep(2, "conditions", Msg("NamespaceCondition"), E),
        ],
        "NamespaceCondition" => fields![
            one(1, "type", Str, K),
            one(2, "status", Str, K),
            one(4, "lastTransitionTime", Time, E),
            one(5, "reason", Str, E),
            one(6, "message", Str, E),
        ],
        "ServiceAccount" => fields![
            META,
            rep(2, "secrets", Msg("ObjectReference"), E),
            rep(3, "imagePullSecrets", Msg("LocalObjectReference"), E),
            one(4, "automountServiceAccountToken", Bool, P),
        ],
        "ObjectReference" => fields![
            one(1, "kind", Str, E),
            one(2, "namespace", Str, E),
            one(3, "name", Str, E),
            one(4, "uid", Str, E),
            one(5, "apiVersion", Str, E),
            one(6, "resourceVersion", Str, E),
            one(7, "fieldPath", Str, E),
        ],
        "LocalObjectReference" => fields![one(1, "name", Str, E)],
        "TypedLocalObjectReference" => fields![
            one(1, "apiGroup", Str, P),
            one(2, "kind", Str, K),
            one(3, "name", Str, K),
        ],
        "Secret" => fields![
            META,
            one(5, "immutable", Bool, P),
            one(2, "data", MAP_BYTES, E),
            one(4, "stringData", MAP_STR, E),
            one(3, "type", Str, E),
        ],
        "ConfigMap" => fields![
            META,
            one(2, "data", MAP_STR, E),
            one(3, "binaryData", MAP_BYTES, E),
        ],
        "Service" => fields![
            META,
            one(2, "spec", Msg("ServiceSpec"), E),
            one(3, "status", Msg("ServiceStatus"), E),
        ],
        "ServiceSpec" => fields![
            rep(1, "ports", Msg("ServicePort"), E),
            one(2, "selector", MAP_STR, E),
            one(3, "clusterIP", Str, E),
            rep(18, "clusterIPs", Str, E),
            one(4, "type", Str, E),
            rep(5, "externalIPs", Str, E),
            one(7, "sessionAffinity", Str, E),
            one(8, "loadBalancerIP", Str, E),
            rep(9, "loadBalancerSourceRanges", Str, E),
            one(10, "externalName", Str, E),
            one(11, "externalTrafficPolicy", Str, E),
            one(12, "healthCheckNodePort", I32, E),
            one(13, "publishNotReadyAddresses", Bool, E),
            rep(19, "ipFamilies", Str, E),
            one(17, "ipFamilyPolicy", Str, P),
            one(20, "allocateLoadBalancerNodePorts", Bool, P),
            one(21, "loadBalancerClass", Str, P),
            one(22, "internalTrafficPolicy", Str, P),
        ],
        "ServicePort" => fields![
            one(1, "name", Str, E),
            one(2, "protocol", Str, E),
            one(6, "appProtocol", Str, P),
            one(3, "port", I32, K),
            one(4, "targetPort", IntStr, E),
            one(5, "nodePort", I32, E),
        ],
        "ServiceStatus" => fields![one(1, "loadBalancer", Msg("LoadBalancerStatus"), E)],
        "LoadBalancerStatus" => fields![rep(1, "ingress", Msg("LoadBalancerIngress"), E)],
        "LoadBalancerIngress" => fields![
            one(1, "ip", Str, E),
            one(2, "hostname", Str, E),
            rep(4, "ports", Msg("PortStatus"), E),
        ],
        "PortStatus" => fields![
            one(1, "port", I32, K),
            one(2, "protocol", Str, K),
            one(3, "error", Str, P),
        ],
        "ResourceQuota" => fields![
            META,
            one(2, "spec", Msg("ResourceQuotaSpec"), E),
            one(3, "status", Msg("ResourceQuotaStatus"), E),
        ],
        "ResourceQuotaSpec" => fields![
            one(1, "hard", MAP_QTY, E),
            rep(2, "scopes", Str, E),
            one(3, "scopeSelector", Msg("ScopeSelector"), P),
        ],
        "ScopeSelector" => fields![rep(
            1,
            "matchExpressions",
            Msg("ScopedResourceSelectorRequirement"),
            E
        )],
        "ScopedResourceSelectorRequirement" => fields![
            one(1, "scopeName", Str, K),
            one(2, "operator", Str, K),
            rep(3, "values", Str, E),
        ],
        "ResourceQuotaStatus" => fields![one(1, "hard", MAP_QTY, E), one(2, "used", MAP_QTY, E)],
        "Pod" => fields![
            META,
            one(2, "spec", Msg("PodSpec"), E),
            one(3, "status", Msg("PodStatus"), E),
        ],
        "PodStatus" => fields![
            one(1, "phase", Str, E),
            one(3, "message", Str, E),
            one(4, "reason", Str, E),
            one(11, "nominatedNodeName", Str, E),
            one(5, "hostIP", Str, E),
            one(6, "podIP", Str, E),
            one(7, "startTime", Time, P),
            one(9, "qosClass", Str, E),
        ],
        "PodTemplateSpec" => fields![META, one(2, "spec", Msg("PodSpec"), E)],
        "PodSpec" => fields![
            rep(1, "volumes", Msg("Volume"), E),
            rep(20, "initContainers", Msg("Container"), E),
            rep(2, "containers", Msg("Container"), K),
            one(3, "restartPolicy", Str, E),
            one(4, "terminationGracePeriodSeconds", I64, P),
            one(5, "activeDeadlineSeconds", I64, P),
            one(6, "dnsPolicy", Str, E),
            one(7, "nodeSelector", MAP_STR, E),
            one(8, "serviceAccountName", Str, E),
            one(9, "serviceAccount", Str, E),
            one(21, "automountServiceAccountToken", Bool, P),
            one(10, "nodeName", Str, E),
            one(11, "hostNetwork", Bool, E),
            one(12, "hostPID", Bool, E),
            one(13, "hostIPC", Bool, E),
            one(27, "shareProcessNamespace", Bool, P),
            one(14, "securityContext", Msg("PodSecurityContext"), P),
            rep(15, "imagePullSecrets", Msg("LocalObjectReference"), E),
            one(16, "hostname", Str, E),
            one(17, "subdomain", Str, E),
            one(18, "affinity", Msg("Affinity"), P),
            one(19, "schedulerName", Str, E),
            rep(22, "tolerations", Msg("Toleration"), E),
            rep(23, "hostAliases", Msg("HostAlias"), E),
            one(24, "priorityClassName", Str, E),
            one(25, "priority", I32, P),
            one(26, "dnsConfig", Msg("PodDNSConfig"), P),
            rep(28, "readinessGates", Msg("PodReadinessGate"), E),
            one(29, "runtimeClassName", Str, P),
            one(30, "enableServiceLinks", Bool, P),
            one(31, "preemptionPolicy", Str, P),
            one(32, "overhead", MAP_QTY, E),
            rep(
                33,
                "topologySpreadConstraints",
                Msg("TopologySpreadConstraint"),
                E
            ),
            one(35, "setHostnameAsFQDN", Bool, P),
        ],
        "Container" => fields![
            one(1, "name", Str, K),
            one(2, "image", Str, E),
            rep(3, "command", Str, E),
            rep(4, "args", Str, E),
            one(5, "workingDir", Str, E),
            rep(6, "ports", Msg("ContainerPort"), E),
            rep(19, "envFrom", Msg("EnvFromSource"), E),
            rep(7, "env", Msg("EnvVar"), E),
            one(8, "resources", Msg("ResourceRequirements"), E),
            rep(9, "volumeMounts", Msg("VolumeMount"), E),
            rep(21, "volumeDevices", Msg("VolumeDevice"), E),
            one(10, "livenessProbe", Msg("Probe"), P),
            one(11, "readinessProbe", Msg("Probe"), P),
            one(12, "lifecycle", Msg("Lifecycle"), P),
            one(13, "terminationMessagePath", Str, E),
            one(20, "terminationMessagePolicy", Str, E),
            one(14, "imagePullPolicy", Str, E),
            one(15, "securityContext", Msg("SecurityContext"), P),
            one(16, "stdin", Bool, E),
            one(17, "stdinOnce", Bool, E),
            one(18, "tty", Bool, E),
        ],
        "ContainerPort" => fields![
            one(1, "name", Str, E),
            one(2, "hostPort", I32, E),
            one(3, "containerPort", I32, K),
            one(4, "protocol", Str, E),
            one(5, "hostIP", Str, E),
        ],
        "EnvVar" => fields![
            one(1, "name", Str, K),
            one(2, "value", Str, E),
            one(3, "valueFrom", Msg("EnvVarSource"), P),
        ],
        "EnvVarSource" => fields![
            one(1, "fieldRef", Msg("ObjectFieldSelector"), P),
            one(2, "resourceFieldRef", Msg("ResourceFieldSelector"), P),
            one(3, "configMapKeyRef", Msg("KeySelector"), P),
            one(4, "secretKeyRef", Msg("KeySelector"), P),
        ],
        "ObjectFieldSelector" => fields![one(1, "apiVersion", Str, E), one(2, "fieldPath", Str, K)],
        "ResourceFieldSelector" => fields![
            one(1, "containerName", Str, E),
            one(2, "resource", Str, K),
            one(3, "divisor", Quantity, E),
        ],
        // ConfigMapKeySelector and SecretKeySelector share one layout.
        "KeySelector" => fields![
            one(1, "", Inline("LocalObjectReference"), E),
            one(2, "key", Str, K),
            one(3, "optional", Bool, P),
        ],
        "EnvFromSource" => fields![
            one(1, "prefix", Str, E),
            one(2, "configMapRef", Msg("EnvSource"), P),
            one(3, "secretRef", Msg("EnvSource"), P),
        ],
        // ConfigMapEnvSource and SecretEnvSource share one layout.
        "EnvSource" => fields![
            one(1, "", Inline("LocalObjectReference"), E),
            one(2, "optional", Bool, P),
        ],
        "ResourceRequirements" => {
            fields![one(1, "limits", MAP_QTY, E), one(2, "requests", MAP_QTY, E)]
        }
        "VolumeMount" => fields![
            one(1, "name", Str, K),
            one(2, "readOnly", Bool, E),
            one(3, "mountPath", Str, K),
            one(4, "subPath", Str, E),
            one(5, "mountPropagation", Str, P),
            one(6, "subPathExpr", Str, E),
        ],
        "VolumeDevice" => fields![one(1, "name", Str, K), one(2, "devicePath", Str, K)],
        "Volume" => fields![
            one(1, "name", Str, K),
            one(2, "", Inline("VolumeSource"), E)
        ],
        "VolumeSource" => fields![
            one(1, "hostPath", Msg("HostPathVolumeSource"), P),
            one(2, "emptyDir", Msg("EmptyDirVolumeSource"), P),
            one(6, "secret", Msg("SecretVolumeSource"), P),
            one(7, "nfs", Msg("NFSVolumeSource"), P),
            one(
                10,
                "persistentVolumeClaim",
                Msg("PersistentVolumeClaimVolumeSource"),
                P
            ),
            one(16, "downwardAPI", Msg("DownwardAPIVolumeSource"), P),
            one(19, "configMap", Msg("ConfigMapVolumeSource"), P),
            one(26, "projected", Msg("ProjectedVolumeSource"), P),
        ],
        "HostPathVolumeSource" => fields![one(1, "path", Str, K), one(2, "type", Str, P)],
        "EmptyDirVolumeSource" => {
            fields![one(1, "medium", Str, E), one(2, "sizeLimit", Quantity, P)]
        }
        "SecretVolumeSource" => fields![
            one(1, "secretName", Str, E),
            rep(2, "items", Msg("KeyToPath"), E),
            one(3, "defaultMode", I32, P),
            one(4, "optional", Bool, P),
        ],
        "NFSVolumeSource" => fields![
            one(1, "server", Str, K),
            one(2, "path", Str, K),
            one(3, "readOnly", Bool, E),
        ],
        "PersistentVolumeClaimVolumeSource" => {
            fields![one(1, "claimName", Str, K), one(2, "readOnly", Bool, E)]
        }
        "DownwardAPIVolumeSource" => fields![
            rep(1, "items", Msg("DownwardAPIVolumeFile"), E),
            one(2, "defaultMode", I32, P),
        ],
        "DownwardAPIVolumeFile" => fields![
            one(1, "path", Str, K),
            one(2, "fieldRef", Msg("ObjectFieldSelector"), P),
            one(3, "resourceFieldRef", Msg("ResourceFieldSelector"), P),
            one(4, "mode", I32, P),
        ],
        "ConfigMapVolumeSource" => fields![
            one(1, "", Inline("LocalObjectReference"), E),
            rep(2, "items", Msg("KeyToPath"), E),
            one(3, "defaultMode", I32, P),
            one(4, "optional", Bool, P),
        ],
        "KeyToPath" => fields![
            one(1, "key", Str, K),
            one(2, "path", Str, K),
            one(3, "mode", I32, P)
        ],
        "ProjectedVolumeSource" => fields![
            rep(1, "sources", Msg("VolumeProjection"), K),
            one(2, "defaultMode", I32, P),
        ],
        "VolumeProjection" => fields![
            one(1, "secret", Msg("ObjectProjection"), P),
            one(2, "downwardAPI", Msg("DownwardAPIProjection"), P),
            one(3, "configMap", Msg("ObjectProjection"), P),
            one(
                4,
                "serviceAccountToken",
                Msg("ServiceAccountTokenProjection"),
                P
            ),
        ],
        // SecretProjection and ConfigMapProjection share one layout.
        "ObjectProjection" => fields![
            one(1, "", Inline("LocalObjectReference"), E),
            rep(2, "items", Msg("KeyToPath"), E),
            one(4, "optional", Bool, P),
        ],
        "DownwardAPIProjection" => fields![rep(1, "items", Msg("DownwardAPIVolumeFile"), E)],
        "ServiceAccountTokenProjection" => fields![
            one(1, "audience", Str, E),
            one(2, "expirationSeconds", I64, P),
            one(3, "path", Str, K),
        ],
        "Probe" => fields![
            one(1, "", Inline("Handler"), E),
            one(2, "initialDelaySeconds", I32, E),
            one(3, "timeoutSeconds", I32, E),
            one(4, "periodSeconds", I32, E),
            one(5, "successThreshold", I32, E),
            one(6, "failureThreshold", I32, E),
            one(7, "terminationGracePeriodSeconds", I64, P),
        ],
        "Lifecycle" => fields![
            one(1, "postStart", Msg("Handler"), P),
            one(2, "preStop", Msg("Handler"), P)
        ],
        "Handler" => fields![
            one(1, "exec", Msg("ExecAction"), P),
            one(2, "httpGet", Msg("HTTPGetAction"), P),
            one(3, "tcpSocket", Msg("TCPSocketAction"), P),
        ],
        "ExecAction" => fields![rep(1, "command", Str, E)],
        "HTTPGetAction" => fields![
            one(1, "path", Str, E),
            one(2, "port", IntStr, K),
            one(3, "host", Str, E),
            one(4, "scheme", Str, E),
            rep(5, "httpHeaders", Msg("HTTPHeader"), E),
        ],
        "HTTPHeader" => fields![one(1, "name", Str, K), one(2, "value", Str, K)],
        "TCPSocketAction" => fields![one(1, "port", IntStr, K), one(2, "host", Str, E)],
        "SecurityContext" => fields![
            one(1, "capabilities", Msg("Capabilities"), P),
            one(2, "privileged", Bool, P),
            one(3, "seLinuxOptions", Msg("SELinuxOptions"), P),
            one(
                10,
                "windowsOptions",
                Msg("WindowsSecurityContextOptions"),
                P
            ),
            one(4, "runAsUser", I64, P),
            one(8, "runAsGroup", I64, P),
            one(5, "runAsNonRoot", Bool, P),
            one(6, "readOnlyRootFilesystem", Bool, P),
            one(7, "allowPrivilegeEscalation", Bool, P),
            one(9, "procMount", Str, P),
            one(11, "seccompProfile", Msg("SeccompProfile"), P),
        ],
        "PodSecurityContext" => fields![
            one(1, "seLinuxOptions", Msg("SELinuxOptions"), P),
            one(8, "windowsOptions", Msg("WindowsSecurityContextOptions"), P),
            one(2, "runAsUser", I64, P),
            one(6, "runAsGroup", I64, P),
            one(3, "runAsNonRoot", Bool, P),
            rep(4, "supplementalGroups", I64, E),
            one(5, "fsGroup", I64, P),
            rep(7, "sysctls", Msg("Sysctl"), E),
            one(9, "fsGroupChangePolicy", Str, P),
            one(10, "seccompProfile", Msg("SeccompProfile"), P),
        ],
        "Capabilities" => fields![rep(1, "add", Str, E), rep(2, "drop", Str, E)],
        "SELinuxOptions" => fields![
            one(1, "user", Str, E),
            one(2, "role", Str, E),
            one(3, "type", Str, E),
            one(4, "level", Str, E),
        ],
        "WindowsSecurityContextOptions" => fields![
            one(1, "gmsaCredentialSpecName", Str, P),
            one(2, "gmsaCredentialSpec", Str, P),
            one(3, "runAsUserName", Str, P),
        ],
        "SeccompProfile" => fields![one(1, "type", Str, K), one(2, "localhostProfile", Str, P)],
        "Sysctl" => fields![one(1, "name", Str, K), one(2, "value", Str, K)],
        "Toleration" => fields![
            one(1, "key", Str, E),
            one(2, "operator", Str, E),
            one(3, "value", Str, E),
            one(4, "effect", Str, E),
            one(5, "tolerationSeconds", I64, P),
        ],
        "HostAlias" => fields![one(1, "ip", Str, K), rep(2, "hostnames", Str, E)],
        "PodDNSConfig" => fields![
            rep(1, "nameservers", Str, E),
            rep(2, "searches", Str, E),
            rep(3, "options", Msg("PodDNSConfigOption"), E),
        ],
        "PodDNSConfigOption" => fields![one(1, "name", Str, E), one(2, "value", Str, P)],
        "PodReadinessGate" => fields![one(1, "conditionType", Str, K)],
        "TopologySpreadConstraint" => fields![
            one(1, "maxSkew", I32, K),
            one(2, "topologyKey", Str, K),
            one(3, "whenUnsatisfiable", Str, K),
            one(4, "labelSelector", Msg("LabelSelector"), P),
        ],
        "Affinity" => fields![
            one(1, "nodeAffinity", Msg("NodeAffinity"), P),
            one(2, "podAffinity", Msg("PodAffinity"), P),
            one(3, "podAntiAffinity", Msg("PodAffinity"), P),
        ],
        "NodeAffinity" => fields![
            one(
                1,
                "requiredDuringSchedulingIgnoredDuringExecution",
                Msg("NodeSelector"),
                P
            ),
            rep(
                2,
                "preferredDuringSchedulingIgnoredDuringExecution",
                Msg("PreferredSchedulingTerm"),
                E
            ),
        ],
        "NodeSelector" => fields![rep(1, "nodeSelectorTerms", Msg("NodeSelectorTerm"), K)],
        "NodeSelectorTerm" => fields![
            rep(1, "matchExpressions", Msg("NodeSelectorRequirement"), E),
            rep(2, "matchFields", Msg("NodeSelectorRequirement"), E),
        ],
        "NodeSelectorRequirement" => fields![
            one(1, "key", Str, K),
            one(2, "operator", Str, K),
            rep(3, "values", Str, E),
        ],
        "PreferredSchedulingTerm" => fields![
            one(1, "weight", I32, K),
            one(2, "preference", Msg("NodeSelectorTerm"), K),
        ],
        // PodAffinity and PodAntiAffinity share one layout.
        "PodAffinity" => fields![
            rep(
                1,
                "requiredDuringSchedulingIgnoredDuringExecution",
                Msg("PodAffinityTerm"),
                E
            ),
            rep(
                2,
                "preferredDuringSchedulingIgnoredDuringExecution",
                Msg("WeightedPodAffinityTerm"),
                E
            ),
        ],
        "PodAffinityTerm" => fields![
            one(1, "labelSelector", Msg("LabelSelector"), P),
            rep(2, "namespaces", Str, E),
            one(3, "topologyKey", Str, K),
            one(4, "namespaceSelector", Msg("LabelSelector"), P),
        ],
        "WeightedPodAffinityTerm" => fields![
            one(1, "weight", I32, K),
            one(2, "podAffinityTerm", Msg("PodAffinityTerm"), K),
        ],

        // ---- apps/v1 ----
        "Deployment" => fields![
            META,
            one(2, "spec", Msg("DeploymentSpec"), E),
            one(3, "status", Msg("DeploymentStatus"), E),
        ],
        "DeploymentSpec" => fields![
            one(1, "replicas", I32, P),
            one(2, "selector", Msg("LabelSelector"), P),
            one(3, "template", Msg("PodTemplateSpec"), K),
            one(4, "strategy", Msg("DeploymentStrategy"), E),
            one(5, "minReadySeconds", I32, E),
            one(6, "revisionHistoryLimit", I32, P),
            one(7, "paused", Bool, E),
            one(9, "progressDeadlineSeconds", I32, P),
        ],
        "DeploymentStrategy" => fields![
            one(1, "type", Str, E),
            one(2, "rollingUpdate", Msg("RollingUpdateDeployment"), P),
        ],
        "RollingUpdateDeployment" => fields![
            one(1, "maxUnavailable", IntStr, P),
            one(2, "maxSurge", IntStr, P)
        ],
        "DeploymentStatus" => fields![
            one(1, "observedGeneration", I64, E),
            one(2, "replicas", I32, E),
            one(3, "updatedReplicas", I32, E),
            one(7, "readyReplicas", I32, E),
            one(4, "availableReplicas", I32, E),
            one(5, "unavailableReplicas", I32, E),
            rep(6, "conditions", Msg("DeploymentCondition"), E),
            one(8, "collisionCount", I32, P),
        ],
        "DeploymentCondition" => fields![
            one(1, "type", Str, K),
            one(2, "status", Str, K),
            one(6, "lastUpdateTime", Time, E),
            one(7, "lastTransitionTime", Time, E),
            one(4, "reason", Str, E),
            one(5, "message", Str, E),
        ],

        // ---- batch/v1 ----
        "Job" => fields![
            META,
            one(2, "spec", Msg("JobSpec"), E),
            one(3, "status", Msg("JobStatus"), E),
        ],
        "JobSpec" => fields![
            one(1, "parallelism", I32, P),
            one(2, "completions", I32, P),
            one(3, "activeDeadlineSeconds", I64, P),
            one(7, "backoffLimit", I32, P),
            one(4, "selector", Msg("LabelSelector"), P),
            one(5, "manualSelector", Bool, P),
            one(6, "template", Msg("PodTemplateSpec"), K),
            one(8, "ttlSecondsAfterFinished", I32, P),
            one(9, "completionMode", Str, P),
            one(10, "suspend", Bool, P),
        ],
        "JobStatus" => fields![
            rep(1, "conditions", Msg("JobCondition"), E),
            one(2, "startTime", Time, P),
            one(3, "completionTime", Time, P),
            one(4, "active", I32, E),
            one(5, "succeeded", I32, E),
            one(6, "failed", I32, E),
            one(7, "completedIndexes", Str, E),
        ],
        "JobCondition" => fields![
            one(1, "type", Str, K),
            one(2, "status", Str, K),
            one(3, "lastProbeTime", Time, E),
            one(4, "lastTransitionTime", Time, E),
            one(5, "reason", Str, E),
            one(6, "message", Str, E),
        ],
        "JobTemplateSpec" => fields![META, one(2, "spec", Msg("JobSpec"), E)],
        "CronJob" => fields![
            META,
            one(2, "spec", Msg("CronJobSpec"), E),
            one(3, "status", Msg("CronJobStatus"), E),
        ],
        "CronJobSpec" => fields![
            one(1, "schedule", Str, K),
            one(2, "startingDeadlineSeconds", I64, P),
            one(3, "concurrencyPolicy", Str, E),
            one(4, "suspend", Bool, P),
            one(5, "jobTemplate", Msg("JobTemplateSpec"), K),
            one(6, "successfulJobsHistoryLimit", I32, P),
            one(7, "failedJobsHistoryLimit", I32, P),
        ],
        "CronJobStatus" => fields![
            rep(1, "active", Msg("ObjectReference"), E),
            one(4, "lastScheduleTime", Time, P),
            one(5, "lastSuccessfulTime", Time, P),
        ],

        // ---- rbac.authorization.k8s.io/v1 ----
        "Role" => fields![META, rep(2, "rules", Msg("PolicyRule"), K)],
        "ClusterRole" => fields![
            META,
            rep(2, "rules", Msg("PolicyRule"), K),
            one(3, "aggregationRule", Msg("AggregationRule"), P),
        ],
        "AggregationRule" => fields![rep(1, "clusterRoleSelectors", Msg("LabelSelector"), E)],
        "PolicyRule" => fields![
            rep(1, "verbs", Str, K),
            rep(2, "apiGroups", Str, E),
            rep(3, "resources", Str, E),
            rep(4, "resourceNames", Str, E),
            rep(5, "nonResourceURLs", Str, E),
        ],
        // RoleBinding and ClusterRoleBinding share one layout.
        "RoleBinding" => fields![
            META,
            rep(2, "subjects", Msg("Subject"), E),
            one(3, "roleRef", Msg("RoleRef"), K),
        ],
        "Subject" => fields![
            one(1, "kind", Str, K),
            one(2, "apiGroup", Str, E),
            one(3, "name", Str, K),
            one(4, "namespace", Str, E),
        ],
        "RoleRef" => fields![
            one(1, "apiGroup", Str, K),
            one(2, "kind", Str, K),
            one(3, "name", Str, K)
        ],

        // ---- policy/v1 ----
        "PodDisruptionBudget" => fields![
            META,
            one(2, "spec", Msg("PodDisruptionBudgetSpec"), E),
            one(3, "status", Msg("PodDisruptionBudgetStatus"), E),
        ],
        "PodDisruptionBudgetSpec" => fields![
            one(1, "minAvailable", IntStr, P),
            one(2, "selector", Msg("LabelSelector"), P),
            one(3, "maxUnavailable", IntStr, P),
        ],
        "PodDisruptionBudgetStatus" => fields![
            one(1, "observedGeneration", I64, E),
            one(2, "disruptedPods", MAP_TIME, E),
            one(3, "disruptionsAllowed", I32, K),
            one(4, "currentHealthy", I32, K),
            one(5, "desiredHealthy", I32, K),
            one(6, "expectedPods", I32, K),
        ],

        // ---- networking.k8s.io/v1 ----
        "Ingress" => fields![
            META,
            one(2, "spec", Msg("IngressSpec"), E),
            one(3, "status", Msg("IngressStatus"), E),
        ],
        "IngressSpec" => fields![
            one(4, "ingressClassName", Str, P),
            one(1, "defaultBackend", Msg("IngressBackend"), P),
            rep(2, "tls", Msg("IngressTLS"), E),
            rep(3, "rules", Msg("IngressRule"), E),
        ],
        "IngressBackend" => fields![
            one(4, "service", Msg("IngressServiceBackend"), P),
            one(3, "resource", Msg("TypedLocalObjectReference"), P),
        ],
        "IngressServiceBackend" => fields![
            one(1, "name", Str, K),
            one(2, "port", Msg("ServiceBackendPort"), E)
        ],
        "ServiceBackendPort" => fields![one(1, "name", Str, E), one(2, "number", I32, E)],
        "IngressTLS" => fields![rep(1, "hosts", Str, E), one(2, "secretName", Str, E)],
        "IngressRule" => fields![
            one(1, "host", Str, E),
            one(2, "", Inline("IngressRuleValue"), E)
        ],
        "IngressRuleValue" => fields![one(1, "http", Msg("HTTPIngressRuleValue"), P)],
        "HTTPIngressRuleValue" => fields![rep(1, "paths", Msg("HTTPIngressPath"), K)],
        "HTTPIngressPath" => fields![
            one(1, "path", Str, E),
            one(3, "pathType", Str, P),
            one(2, "backend", Msg("IngressBackend"), K),
        ],
        "IngressStatus" => fields![one(1, "loadBalancer", Msg("IngressLoadBalancerStatus"), E)],
        "IngressLoadBalancerStatus" => {
            fields![rep(1, "ingress", Msg("IngressLoadBalancerIngress"), E)]
        }
        "IngressLoadBalancerIngress" => fields![
            one(1, "ip", Str, E),
            one(2, "hostname", Str, E),
            rep(4, "ports", Msg("PortStatus"), E),
        ],

        // ---- authentication.k8s.io/v1 ----
        "TokenRequest" => fields![
            META,
            one(2, "spec", Msg("TokenRequestSpec"), K),
            one(3, "status", Msg("TokenRequestStatus"), E),
        ],
        "TokenRequestSpec" => fields![
            rep(1, "audiences", Str, K),
            one(4, "expirationSeconds", I64, N),
            one(3, "boundObjectRef", Msg("BoundObjectReference"), N),
        ],
        "BoundObjectReference" => fields![
            one(1, "kind", Str, E),
            one(2, "apiVersion", Str, E),
            one(3, "name", Str, E),
            one(4, "uid", Str, E),
        ],
        "TokenRequestStatus" => fields![
            one(1, "token", Str, K),
            one(2, "expirationTimestamp", Time, K)
        ],
        "TokenReview" => fields![
            META,
            one(2, "spec", Msg("TokenReviewSpec"), K),
            one(3, "status", Msg("TokenReviewStatus"), E),
        ],
        "TokenReviewSpec" => fields![one(1, "token", Str, E), rep(2, "audiences", Str, E)],
        "TokenReviewStatus" => fields![
            one(1, "authenticated", Bool, E),
            one(2, "user", Msg("UserInfo"), E),
            rep(4, "audiences", Str, E),
            one(3, "error", Str, E),
        ],
        "UserInfo" => fields![
            one(1, "username", Str, E),
            one(2, "uid", Str, E),
            rep(3, "groups", Str, E),
            one(4, "extra", MAP_EXTRA, E),
        ],
        "SelfSubjectReview" => fields![META, one(2, "status", Msg("SelfSubjectReviewStatus"), E)],
        "SelfSubjectReviewStatus" => fields![one(1, "userInfo", Msg("UserInfo"), E)],

        // ---- authorization.k8s.io/v1 ----
        "SelfSubjectAccessReview" => fields![
            META,
            one(2, "spec", Msg("SelfSubjectAccessReviewSpec"), K),
            one(3, "status", Msg("SubjectAccessReviewStatus"), E),
        ],
        "SelfSubjectAccessReviewSpec" => fields![
            one(1, "resourceAttributes", Msg("ResourceAttributes"), P),
            one(2, "nonResourceAttributes", Msg("NonResourceAttributes"), P),
        ],
        "ResourceAttributes" => fields![
            one(1, "namespace", Str, E),
            one(2, "verb", Str, E),
            one(3, "group", Str, E),
            one(4, "version", Str, E),
            one(5, "resource", Str, E),
            one(6, "subresource", Str, E),
            one(7, "name", Str, E),
        ],
        "NonResourceAttributes" => fields![one(1, "path", Str, E), one(2, "verb", Str, E)],
        "SubjectAccessReviewStatus" => fields![
            one(1, "allowed", Bool, K),
            one(4, "denied", Bool, E),
            one(2, "reason", Str, E),
            one(3, "evaluationError", Str, E),
        ],
        // SubjectAccessReview and LocalSubjectAccessReview share one layout.
        "SubjectAccessReview" => fields![
            META,
            one(2, "spec", Msg("SubjectAccessReviewSpec"), K),
            one(3, "status", Msg("SubjectAccessReviewStatus"), E),
        ],
        "SubjectAccessReviewSpec" => fields![
            one(1, "resourceAttributes", Msg("ResourceAttributes"), P),
            one(2, "nonResourceAttributes", Msg("NonResourceAttributes"), P),
            one(3, "user", Str, E),
            rep(4, "groups", Str, E),
            one(5, "extra", MAP_EXTRA, E),
            one(6, "uid", Str, E),
        ],
        "SelfSubjectRulesReview" => fields![
            META,
            one(2, "spec", Msg("SelfSubjectRulesReviewSpec"), K),
            one(3, "status", Msg("SubjectRulesReviewStatus"), E),
        ],
        "SelfSubjectRulesReviewSpec" => fields![one(1, "namespace", Str, E)],
        "SubjectRulesReviewStatus" => fields![
            rep(1, "resourceRules", Msg("ResourceRule"), K),
            rep(2, "nonResourceRules", Msg("NonResourceRule"), K),
            one(3, "incomplete", Bool, K),
            one(4, "evaluationError", Str, E),
        ],
        "ResourceRule" => fields![
            rep(1, "verbs", Str, K),
            rep(2, "apiGroups", Str, E),
            rep(3, "resources", Str, E),
            rep(4, "resourceNames", Str, E),
        ],
        "NonResourceRule" => fields![rep(1, "verbs", Str, K), rep(2, "nonResourceURLs", Str, E)],
        _ => return None,
    };
    Some(fields)
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------------

fn decode_message(name: &str, buf: &[u8], depth: usize) -> Result<Value, String> {
    let mut out = Map::new();
    decode_message_into(name, buf, &mut out, depth)?;
    Ok(Value::Object(out))
}

fn decode_message_into(
    name: &str,
    buf: &[u8],
    out: &mut Map<String, Value>,
    depth: usize,
) -> Result<(), String> {
    let fields =
        schema(name).ok_or_else(|| format!("protobuf decoder has no schema for {name}"))?;
    let wire = parse_fields(buf).map_err(|e| format!("{name}: {e}"))?;
    for field in fields {
        let occurrences: Vec<Wire<'_>> = wire
            .iter()
            .filter(|(n, _)| *n == field.num)
            .map(|(_, w)| *w)
            .collect();
        decode_field(field, &occurrences, out, depth).map_err(|e| {
            if field.name.is_empty() {
                e
            } else {
                format!("{}: {e}", field.name)
            }
        })?;
    }
    Ok(())
}

fn decode_field(
    field: &F,
    occ: &[Wire<'_>],
    out: &mut Map<String, Value>,
    depth: usize,
) -> Result<(), String> {
    let name = field.name.to_string();
    if let Ty::Map(val) = field.ty {
        let map = decode_map(val, occ)?;
        if !map.is_empty() {
            out.insert(name, Value::Object(map));
        } else if matches!(field.mode, K | N) {
            out.insert(name, Value::Null);
        }
        return Ok(());
    }
    if field.repeated {
        let mut items = Vec::new();
        for w in occ {
            decode_repeated(field.ty, *w, &mut items, depth)?;
        }
        if !items.is_empty() {
            out.insert(name, Value::Array(items));
        } else if matches!(field.mode, K | N) {
            out.insert(name, Value::Null);
        }
        return Ok(());
    }
    if let Ty::Inline(msg) = field.ty {
        let bytes = merged_bytes(occ)?;
        return decode_message_into(msg, &bytes, out, depth);
    }
    let present = !occ.is_empty();
    if is_scalar(field.ty) {
        let value = match occ.last() {
            Some(w) => scalar(field.ty, *w)?,
            None => zero(field.ty),
        };
        let keep = match field.mode {
            E => present && !is_zero(&value),
            K => true,
            P => present,
            N => {
                if !present {
                    out.insert(name, Value::Null);
                    return Ok(());
                }
                true
            }
        };
        if keep {
            out.insert(name, value);
        }
        return Ok(());
    }
    // Message-like values: Go always renders a non-pointer struct, a pointer only when set.
    match (field.mode, present) {
        (P, false) => {}
        (N, false) => {
            out.insert(name, Value::Null);
        }
        _ => {
            let bytes = merged_bytes(occ)?;
            out.insert(name, message_value(field.ty, &bytes, depth)?);
        }
    }
    Ok(())
}

fn is_scalar(ty: Ty) -> bool {
    matches!(ty, Str | I32 | I64 | Bool)
}

fn zero(ty: Ty) -> Value {
    match ty {
        Str => Value::String(String::new()),
        I32 | I64 => Value::from(0),
        Bool => Value::Bool(false),
        _ => Value::Null,
    }
}

fn is_zero(value: &Value) -> bool {
    match value {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_i64() == Some(0),
        Value::Bool(b) => !b,
        Value::Null => true,
        _ => false,
    }
}

/// Concatenates every occurrence of a message field: protobuf merges repeated occurrences of a singular
/// message, which is exactly what decoding the concatenation does.
fn merged_bytes(occ: &[Wire<'_>]) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    for w in occ {
        match w {
            Wire::Bytes(b) => bytes.extend_from_slice(b),
            _ => return Err("expected a length-delimited message".to_string()),
        }
    }
    Ok(bytes)
}

fn scalar(ty: Ty, w: Wire<'_>) -> Result<Value, String> {
    Ok(match (ty, w) {
        (Str, Wire::Bytes(b)) => Value::String(String::from_utf8_lossy(b).into_owned()),
        // Negative int32 values travel as sign-extended 64-bit varints; truncation recovers them.
        (I32, Wire::Varint(v)) => Value::from(v as i32),
        (I64, Wire::Varint(v)) => Value::from(v as i64),
        (Bool, Wire::Varint(v)) => Value::Bool(v != 0),
        (I32, Wire::Fixed32(v)) => Value::from(v as i32),
        (I64, Wire::Fixed64(v)) => Value::from(v as i64),
        (ty, w) => return Err(format!("wire type does not match {ty:?}: {w:?}")),
    })
}

fn decode_repeated(
    ty: Ty,
    w: Wire<'_>,
    items: &mut Vec<Value>,
    depth: usize,
) -> Result<(), String> {
    match (ty, w) {
        // Packed numeric lists arrive as one length-delimited run of varints.
        (I32 | I64 | Bool, Wire::Bytes(b)) => {
            let mut pos = 0;
            while pos < b.len() {
                let v = read_varint(b, &mut pos)?;
                items.push(scalar(ty, Wire::Varint(v))?);
            }
        }
        _ if is_scalar(ty) => items.push(scalar(ty, w)?),
        (_, Wire::Bytes(b)) => items.push(message_value(ty, b, depth)?),
        _ => return Err("expected a length-delimited list element".to_string()),
    }
    Ok(())
}

/// Renders a message-typed value (nested message or one of the apimachinery special types).
fn message_value(ty: Ty, bytes: &[u8], depth: usize) -> Result<Value, String> {
    match ty {
        Msg(name) => decode_message(name, bytes, depth),
        Time => time_value(bytes),
        Quantity => quantity_value(bytes),
        IntStr => int_or_string_value(bytes),
        RawJson => raw_json_value(bytes, depth),
        other => Err(format!("{other:?} is not a message type")),
    }
}

fn time_value(bytes: &[u8]) -> Result<Value, String> {
    let fields = parse_fields(bytes)?;
    let mut seconds: i64 = 0;
    let mut nanos: i32 = 0;
    for (n, w) in fields {
        match (n, w) {
            (1, Wire::Varint(v)) => seconds = v as i64,
            (2, Wire::Varint(v)) => nanos = v as i32,
            (1 | 2, _) => return Err("malformed Time".to_string()),
            _ => {}
        }
    }
    // Go's zero time.Time (0001-01-01T00:00:00Z) renders as null, and so does an empty message.
    const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;
    if (seconds == 0 && nanos == 0 && bytes.is_empty())
        || (seconds == GO_ZERO_TIME_UNIX && nanos == 0)
    {
        return Ok(Value::Null);
    }
    let ts = jiff::Timestamp::new(seconds, 0).map_err(|e| format!("Time out of range: {e}"))?;
    // metav1.Time serialises with second precision in UTC.
    Ok(Value::String(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
}

fn quantity_value(bytes: &[u8]) -> Result<Value, String> {
    let fields = parse_fields(bytes)?;
    let s = last_string(&fields, 1)?;
    // The zero Quantity renders as "0".
    Ok(Value::String(if s.is_empty() {
        "0".to_string()
    } else {
        s
    }))
}

fn int_or_string_value(bytes: &[u8]) -> Result<Value, String> {
    let fields = parse_fields(bytes)?;
    let mut kind: u64 = 0;
    let mut int_val: i32 = 0;
    let mut str_val = String::new();
    for (n, w) in fields {
        match (n, w) {
            (1, Wire::Varint(v)) => kind = v,
            (2, Wire::Varint(v)) => int_val = v as i32,
            (3, Wire::Bytes(b)) => str_val = String::from_utf8_lossy(b).into_owned(),
            (1..=3, _) => return Err("malformed IntOrString".to_string()),
            _ => {}
        }
    }
    Ok(match kind {
        0 => Value::from(int_val),
        1 => Value::String(str_val),
        other => return Err(format!("IntOrString has unknown type {other}")),
    })
}

fn raw_json_value(bytes: &[u8], depth: usize) -> Result<Value, String> {
    let fields = parse_fields(bytes)?;
    let raw = last_bytes(&fields, 1)?.unwrap_or_default();
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    if raw.starts_with(MAGIC) {
        return decode_at_depth(raw, depth + 1);
    }
    serde_json::from_slice(raw)
        .map_err(|e| format!("raw extension is neither JSON nor protobuf: {e}"))
}

fn decode_map(val: MapVal, occ: &[Wire<'_>]) -> Result<Map<String, Value>, String> {
    // Go's encoding/json writes map keys sorted; later duplicates win like in Go's map assignment.
    let mut sorted = BTreeMap::new();
    for w in occ {
        let Wire::Bytes(entry) = w else {
            return Err("map entry is not length-delimited".to_string());
        };
        let fields = parse_fields(entry)?;
        let key = last_string(&fields, 1)?;
        let value_bytes = last_bytes(&fields, 2);
        let value = match val {
            MapVal::Str => Value::String(last_string(&fields, 2)?),
            MapVal::Bytes => Value::String(
                base64::engine::general_purpose::STANDARD.encode(value_bytes?.unwrap_or_default()),
            ),
            MapVal::Quantity => quantity_value(value_bytes?.unwrap_or_default())?,
            MapVal::Time => time_value(value_bytes?.unwrap_or_default())?,
            MapVal::StrList => {
                let inner = parse_fields(value_bytes?.unwrap_or_default())?;
                let mut items = Vec::new();
                for (n, w) in inner {
                    if n == 1 {
                        items.push(scalar(Str, w)?);
                    }
                }
                if items.is_empty() {
                    Value::Null
                } else {
                    Value::Array(items)
                }
            }
        };
        sorted.insert(key, value);
    }
    Ok(sorted.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Go's omitempty on JSON objects
// ---------------------------------------------------------------------------------------------------------------

/// Removes from a JSON object of a kind this module knows the empty fields Go's JSON encoder leaves out
/// (`omitempty` on a non-pointer field: `""`, `0`, `false`, `[]`, `{}` maps, `null`; `null` for an
/// `omitempty` pointer), as the API server does by decoding every object into its Go struct: a
/// RoleBinding subject's `apiGroup: ""`, `labels: {}`, `data: {}`, `args: []`… are never stored or
/// returned. Structs are kept (Go renders them even empty), and so are fields this module has no table for.
/// Returns whether the kind is known.
pub fn omit_empty_fields(api_version: &str, kind: &str, obj: &mut Value) -> bool {
    let Some(message) = top_level_message(api_version, kind) else {
        return false;
    };
    if let Value::Object(m) = obj {
        omit_empty_in(message, m);
    }
    true
}

fn omit_empty_in(message: &str, obj: &mut Map<String, Value>) {
    let Some(fields) = schema(message) else {
        return;
    };
    for f in fields {
        if let Ty::Inline(inner) = f.ty {
            omit_empty_in(inner, obj);
            continue;
        }
        let Some(v) = obj.get_mut(f.name) else {
            continue;
        };
        let omits = matches!(f.mode, E | P);
        let empty = match v {
            Value::Null => true,
            Value::Array(items) if f.repeated => {
                if let Ty::Msg(inner) = f.ty {
                    for item in items.iter_mut() {
                        if let Value::Object(m) = item {
                            omit_empty_in(inner, m);
                        }
                    }
                }
                items.is_empty() && f.mode == E
            }
            Value::Object(m) => match f.ty {
                Ty::Map(_) => m.is_empty() && f.mode == E,
                Ty::Msg(inner) => {
                    omit_empty_in(inner, m);
                    false
                }
                _ => false,
            },
            scalar if is_scalar(f.ty) && !f.repeated => f.mode == E && is_zero(scalar),
            _ => false,
        };
        if omits && empty {
            obj.remove(f.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_omits_empty_fields_but_keeps_structs_pointers_and_unknown_ones() {
        let mut rb = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "rb", "namespace": "", "labels": {}, "annotations": {"a": ""}, "finalizers": []},
            "subjects": [{"kind": "ServiceAccount", "name": "default", "apiGroup": "", "namespace": "ns"}],
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": ""}, "extra": ""});
        assert!(omit_empty_fields(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            &mut rb
        ));
        assert_eq!(
            rb,
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": "rb", "annotations": {"a": ""}},
                "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "ns"}],
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": ""}, "extra": ""})
        );
        let mut d = json!({"spec": {"replicas": 0, "paused": false, "template": {"metadata": {}, "spec": {
            "nodeSelector": {}, "containers": [{"name": "c", "image": "i", "args": [], "workingDir": "",
                "resources": {}, "securityContext": {}}]}}}});
        assert!(omit_empty_fields("apps/v1", "Deployment", &mut d));
        assert_eq!(
            d,
            json!({"spec": {"replicas": 0, "template": {"metadata": {}, "spec": {
                "containers": [{"name": "c", "image": "i", "resources": {}, "securityContext": {}}]}}}})
        );
        assert!(!omit_empty_fields(
            "example.com/v1",
            "Widget",
            &mut json!({})
        ));
    }

    fn hex(parts: &[&str]) -> Vec<u8> {
        let s: String = parts.concat();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Serialised with key order preserved, so tests also pin Go's field order.
    fn compact(v: &Value) -> String {
        serde_json::to_string(v).unwrap()
    }

    /// A minimal protobuf writer for building bodies by hand.
    #[derive(Default)]
    struct Enc(Vec<u8>);

    impl Enc {
        fn new() -> Self {
            Enc::default()
        }
        fn raw_varint(&mut self, mut v: u64) {
            loop {
                let byte = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    self.0.push(byte);
                    return;
                }
                self.0.push(byte | 0x80);
            }
        }
        fn key(&mut self, num: u32, wire: u64) {
            self.raw_varint((u64::from(num) << 3) | wire);
        }
        fn varint(mut self, num: u32, v: u64) -> Self {
            self.key(num, 0);
            self.raw_varint(v);
            self
        }
        fn int(self, num: u32, v: i64) -> Self {
            self.varint(num, v as u64)
        }
        fn bytes(mut self, num: u32, b: &[u8]) -> Self {
            self.key(num, 2);
            self.raw_varint(b.len() as u64);
            self.0.extend_from_slice(b);
            self
        }
        fn str(self, num: u32, s: &str) -> Self {
            self.bytes(num, s.as_bytes())
        }
        fn msg(self, num: u32, m: Enc) -> Self {
            self.bytes(num, &m.0)
        }
        fn entry(self, num: u32, k: &str, v: Enc) -> Self {
            self.msg(num, Enc::new().str(1, k).msg(2, v))
        }
        fn str_entry(self, num: u32, k: &str, v: &str) -> Self {
            self.msg(num, Enc::new().str(1, k).str(2, v))
        }
        fn fixed32(mut self, num: u32, v: u32) -> Self {
            self.key(num, 5);
            self.0.extend_from_slice(&v.to_le_bytes());
            self
        }
        fn fixed64(mut self, num: u32, v: u64) -> Self {
            self.key(num, 1);
            self.0.extend_from_slice(&v.to_le_bytes());
            self
        }
    }

    fn envelope(api_version: &str, kind: &str, raw: Enc) -> Vec<u8> {
        let unknown = Enc::new()
            .msg(1, Enc::new().str(1, api_version).str(2, kind))
            .msg(2, raw)
            .str(3, "")
            .str(4, "");
        let mut body = MAGIC.to_vec();
        body.extend_from_slice(&unknown.0);
        body
    }

    fn meta(name: &str) -> Enc {
        Enc::new().str(1, name)
    }

    #[test]
    fn content_type_check_accepts_parameters_and_rejects_json() {
        assert!(is_protobuf_content_type(
            "application/vnd.kubernetes.protobuf"
        ));
        assert!(is_protobuf_content_type(
            "application/vnd.kubernetes.protobuf; charset=utf-8"
        ));
        assert!(!is_protobuf_content_type("application/json"));
        assert!(!is_protobuf_content_type(
            "application/vnd.kubernetes.protobuffer"
        ));
        assert!(!is_protobuf_content_type("application/apply-patch+yaml"));
    }

    #[test]
    fn body_without_magic_prefix_is_rejected() {
        let err = decode(b"{\"kind\":\"Namespace\"}").unwrap_err();
        assert!(err.contains("magic"), "{err}");
    }

    #[test]
    fn unknown_kind_is_rejected_with_its_group_version() {
        let err = decode(&envelope("v1", "Widget", meta("w"))).unwrap_err();
        assert!(
            err.contains("\"Widget\"") && err.contains("\"v1\""),
            "{err}"
        );
    }

    #[test]
    fn known_kind_under_the_wrong_group_version_is_rejected() {
        assert!(decode(&envelope("apps/v1", "Namespace", meta("x"))).is_err());
    }

    #[test]
    fn missing_kind_is_rejected() {
        assert!(decode(&envelope("v1", "", meta("x"))).is_err());
    }

    #[test]
    fn compressed_content_encoding_is_rejected() {
        let unknown = Enc::new()
            .msg(1, Enc::new().str(1, "v1").str(2, "Namespace"))
            .msg(2, meta("x"))
            .str(3, "gzip");
        let mut body = MAGIC.to_vec();
        body.extend_from_slice(&unknown.0);
        assert!(decode(&body).unwrap_err().contains("gzip"));
    }

    #[test]
    fn truncated_varint_is_rejected() {
        let mut body = envelope("v1", "Namespace", meta("x"));
        body.push(0x38); // field 7, varint …
        body.push(0x80); // … whose continuation never comes
        assert!(decode(&body).unwrap_err().contains("varint"));
    }

    #[test]
    fn length_past_the_end_is_rejected() {
        let mut body = MAGIC.to_vec();
        body.extend_from_slice(&[0x12, 0x05, 0x0a]);
        assert!(decode(&body).unwrap_err().contains("past the end"));
    }

    #[test]
    fn group_wire_types_are_rejected() {
        let mut body = envelope("v1", "Namespace", meta("x"));
        body.push(0x0b); // field 1, wire type 3 (start group)
        assert!(decode(&body).is_err());
    }

    #[test]
    fn unknown_fields_of_every_wire_type_are_skipped() {
        let raw = Enc::new()
            .msg(
                1,
                meta("x")
                    .varint(99, 7)
                    .fixed32(98, 1)
                    .fixed64(97, 2)
                    .str(96, "junk"),
            )
            .varint(50, 1);
        let v = decode(&envelope("v1", "ServiceAccount", raw)).unwrap();
        assert_eq!(
            v,
            json!({"kind": "ServiceAccount", "apiVersion": "v1",
                   "metadata": {"name": "x", "creationTimestamp": null}})
        );
    }

    #[test]
    fn object_meta_renders_every_field_in_go_order() {
        let m = meta("web")
            .str(2, "web-")
            .str(3, "default")
            .str(5, "uid-1")
            .str(6, "42")
            .int(7, 3)
            .msg(8, Enc::new().int(1, 1_714_564_800))
            .msg(9, Enc::new().int(1, 1_714_564_860).int(2, 500))
            .int(10, 30)
            .str_entry(11, "tier", "web")
            .str_entry(11, "app", "web")
            .str_entry(12, "note", "x")
            .msg(
                13,
                Enc::new()
                    .str(1, "ReplicaSet")
                    .str(3, "web-1")
                    .str(4, "u2")
                    .str(5, "apps/v1")
                    .varint(6, 1),
            )
            .str(14, "example.com/cleanup")
            .msg(
                17,
                Enc::new()
                    .str(1, "kubectl")
                    .str(2, "Apply")
                    .str(3, "v1")
                    .msg(4, Enc::new().int(1, 1_714_564_800))
                    .str(6, "FieldsV1")
                    .msg(7, Enc::new().str(1, r#"{"f:metadata":{}}"#))
                    .str(8, ""),
            );
        let v = decode(&envelope("v1", "ConfigMap", Enc::new().msg(1, m))).unwrap();
        assert_eq!(
            compact(&v["metadata"]),
            concat!(
                r#"{"name":"web","generateName":"web-","namespace":"default","uid":"uid-1","#,
                r#""resourceVersion":"42","generation":3,"creationTimestamp":"2024-05-01T12:00:00Z","#,
                r#""deletionTimestamp":"2024-05-01T12:01:00Z","deletionGracePeriodSeconds":30,"#,
                r#""labels":{"app":"web","tier":"web"},"annotations":{"note":"x"},"#,
                r#""ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u2","#,
                r#""controller":true}],"finalizers":["example.com/cleanup"],"#,
                r#""managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","#,
                r#""time":"2024-05-01T12:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{}}}]}"#
            )
        );
    }

    #[test]
    fn go_zero_time_renders_as_null() {
        let m = meta("x").msg(9, Enc::new().int(1, -62_135_596_800));
        let v = decode(&envelope("v1", "ServiceAccount", Enc::new().msg(1, m))).unwrap();
        assert_eq!(v["metadata"]["deletionTimestamp"], Value::Null);
    }

    #[test]
    fn owner_reference_keeps_empty_required_fields() {
        let m = meta("x").msg(13, Enc::new().str(1, "Deployment").varint(7, 0));
        let v = decode(&envelope("v1", "ServiceAccount", Enc::new().msg(1, m))).unwrap();
        assert_eq!(
            v["metadata"]["ownerReferences"],
            json!([{"apiVersion": "", "kind": "Deployment", "name": "", "uid": "", "blockOwnerDeletion": false}])
        );
    }

    #[test]
    fn pointer_scalars_keep_explicit_zero_values() {
        let spec = Enc::new().int(1, 0).msg(3, Enc::new()).int(6, 0);
        let v = decode(&envelope(
            "apps/v1",
            "Deployment",
            Enc::new().msg(1, meta("d")).msg(2, spec),
        ))
        .unwrap();
        assert_eq!(v["spec"]["replicas"], json!(0));
        assert_eq!(v["spec"]["revisionHistoryLimit"], json!(0));
        assert!(v["spec"].get("progressDeadlineSeconds").is_none());
        assert!(v["spec"].get("selector").is_none());
    }

    #[test]
    fn absent_non_pointer_structs_render_as_their_zero_value() {
        // Only metadata on the wire: Go would still render spec.template, strategy and status.
        let v = decode(&envelope(
            "apps/v1",
            "Deployment",
            Enc::new().msg(1, meta("d")),
        ))
        .unwrap();
        assert_eq!(
            compact(&v),
            concat!(
                r#"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"d","creationTimestamp":null},"#,
                r#""spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},"#,
                r#""strategy":{}},"status":{}}"#
            )
        );
    }

    #[test]
    fn negative_int32_sign_extended_varint_decodes() {
        let spec = Enc::new().int(1, -1).msg(3, Enc::new());
        let v = decode(&envelope("apps/v1", "Deployment", Enc::new().msg(2, spec))).unwrap();
        assert_eq!(v["spec"]["replicas"], json!(-1));
    }

    #[test]
    fn rolling_update_int_or_string_keeps_numbers_and_percentages() {
        let ru = Enc::new()
            .msg(1, Enc::new().int(1, 0).int(2, 2))
            .msg(2, Enc::new().int(1, 1).str(3, "25%"));
        let spec = Enc::new().msg(4, Enc::new().str(1, "RollingUpdate").msg(2, ru));
        let v = decode(&envelope("apps/v1", "Deployment", Enc::new().msg(2, spec))).unwrap();
        assert_eq!(
            v["spec"]["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2, "maxSurge": "25%"}})
        );
    }

    #[test]
    fn service_port_without_target_port_renders_zero_like_go() {
        let spec = Enc::new().msg(1, Enc::new().varint(3, 80));
        let v = decode(&envelope("v1", "Service", Enc::new().msg(2, spec))).unwrap();
        assert_eq!(v["spec"]["ports"], json!([{"port": 80, "targetPort": 0}]));
    }

    #[test]
    fn container_env_resources_and_probes_decode() {
        let container = Enc::new()
            .str(1, "app")
            .str(2, "busybox")
            .str(4, "-c")
            .msg(
                7,
                Enc::new().str(1, "POD").msg(
                    3,
                    Enc::new().msg(1, Enc::new().str(1, "v1").str(2, "metadata.name")),
                ),
            )
            .msg(
                7,
                Enc::new().str(1, "PW").msg(
                    3,
                    Enc::new().msg(
                        4,
                        Enc::new()
                            .msg(1, Enc::new().str(1, "creds"))
                            .str(2, "pw")
                            .varint(3, 1),
                    ),
                ),
            )
            .msg(
                7,
                Enc::new()
                    .str(1, "CPU")
                    .msg(3, Enc::new().msg(2, Enc::new().str(2, "limits.cpu"))),
            )
            .msg(
                19,
                Enc::new().msg(2, Enc::new().msg(1, Enc::new().str(1, "cfg"))),
            )
            .msg(
                8,
                Enc::new()
                    .entry(1, "memory", Enc::new().str(1, "128Mi"))
                    .entry(2, "cpu", Enc::new().str(1, "100m")),
            )
            .msg(
                10,
                Enc::new()
                    .msg(
                        1,
                        Enc::new().msg(
                            2,
                            Enc::new()
                                .str(1, "/healthz")
                                .msg(2, Enc::new().int(1, 1).str(3, "http")),
                        ),
                    )
                    .varint(4, 5),
            )
            .msg(9, Enc::new().str(1, "data").str(3, "/data"));
        let pod_spec = Enc::new()
            .msg(
                1,
                Enc::new()
                    .str(1, "data")
                    .msg(2, Enc::new().msg(2, Enc::new().str(1, ""))),
            )
            .msg(
                1,
                Enc::new().str(1, "cfg").msg(
                    2,
                    Enc::new().msg(19, Enc::new().msg(1, Enc::new().str(1, "cfg")).int(3, 420)),
                ),
            )
            .msg(2, container)
            .str(3, "Always")
            .msg(14, Enc::new().int(4, 1000).int(4, 2000).int(5, 3000));
        let v = decode(&envelope(
            "v1",
            "Pod",
            Enc::new().msg(1, meta("p")).msg(2, pod_spec),
        ))
        .unwrap();
        assert_eq!(
            v["spec"],
            json!({
                "volumes": [
                    {"name": "data", "emptyDir": {}},
                    {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}}
                ],
                "containers": [{
                    "name": "app",
                    "image": "busybox",
                    "args": ["-c"],
                    "envFrom": [{"configMapRef": {"name": "cfg"}}],
                    "env": [
                        {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                        {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "pw", "optional": true}}},
                        {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "0"}}}
                    ],
                    "resources": {"limits": {"memory": "128Mi"}, "requests": {"cpu": "100m"}},
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5}
                }],
                "restartPolicy": "Always",
                "securityContext": {"supplementalGroups": [1000, 2000], "fsGroup": 3000}
            })
        );
        assert_eq!(v["status"], json!({}));
    }

    #[test]
    fn packed_repeated_integers_decode_like_unpacked_ones() {
        let mut packed = Enc::new();
        packed.raw_varint(1000);
        packed.raw_varint(2000);
        let spec = Enc::new()
            .msg(2, Enc::new().str(1, "c"))
            .msg(14, Enc::new().bytes(4, &packed.0));
        let v = decode(&envelope("v1", "Pod", Enc::new().msg(2, spec))).unwrap();
        assert_eq!(
            v["spec"]["securityContext"]["supplementalGroups"],
            json!([1000, 2000])
        );
    }

    #[test]
    fn repeated_singular_message_occurrences_merge() {
        // Protobuf merges a singular message seen twice; here metadata arrives in two pieces.
        let raw = Enc::new().msg(1, meta("x")).msg(1, Enc::new().str(3, "ns"));
        let v = decode(&envelope("v1", "ServiceAccount", raw)).unwrap();
        assert_eq!(
            v["metadata"],
            json!({"name": "x", "namespace": "ns", "creationTimestamp": null})
        );
    }

    #[test]
    fn later_scalar_occurrence_wins() {
        let raw = Enc::new().msg(1, meta("first").str(1, "second"));
        let v = decode(&envelope("v1", "ServiceAccount", raw)).unwrap();
        assert_eq!(v["metadata"]["name"], json!("second"));
    }

    #[test]
    fn secret_bytes_are_base64_and_string_data_stays_plain() {
        let raw = Enc::new()
            .msg(1, meta("s"))
            .varint(5, 1)
            .msg(2, Enc::new().str(1, "bin").bytes(2, &[0, 255, 1]))
            .str_entry(4, "user", "admin")
            .str(3, "Opaque");
        let v = decode(&envelope("v1", "Secret", raw)).unwrap();
        assert_eq!(
            compact(&v),
            concat!(
                r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null},"#,
                r#""immutable":true,"data":{"bin":"AP8B"},"stringData":{"user":"admin"},"type":"Opaque"}"#
            )
        );
    }

    #[test]
    fn cluster_role_rules_render_verbs_and_omit_empty_lists() {
        let rule = Enc::new()
            .str(1, "get")
            .str(1, "list")
            .str(2, "")
            .str(3, "pods")
            .str(5, "/healthz");
        let raw = Enc::new().msg(1, meta("r")).msg(2, rule);
        let v = decode(&envelope(
            "rbac.authorization.k8s.io/v1",
            "ClusterRole",
            raw,
        ))
        .unwrap();
        assert_eq!(
            v["rules"],
            json!([{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"], "nonResourceURLs": ["/healthz"]}])
        );
        assert!(v.get("aggregationRule").is_none());
    }

    #[test]
    fn role_binding_role_ref_keeps_an_empty_api_group() {
        let raw = Enc::new()
            .msg(1, meta("rb"))
            .msg(3, Enc::new().str(1, "").str(2, "Role").str(3, "reader"));
        let v = decode(&envelope(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            raw,
        ))
        .unwrap();
        assert_eq!(
            v["roleRef"],
            json!({"apiGroup": "", "kind": "Role", "name": "reader"})
        );
        assert!(v.get("subjects").is_none());
    }

    #[test]
    fn label_selector_expressions_decode() {
        let sel = Enc::new()
            .str_entry(1, "app", "web")
            .msg(
                2,
                Enc::new()
                    .str(1, "tier")
                    .str(2, "In")
                    .str(3, "a")
                    .str(3, "b"),
            )
            .msg(2, Enc::new().str(1, "canary").str(2, "DoesNotExist"));
        let spec = Enc::new()
            .msg(2, sel)
            .msg(3, Enc::new().int(1, 0).int(2, 1));
        let v = decode(&envelope(
            "policy/v1",
            "PodDisruptionBudget",
            Enc::new().msg(2, spec),
        ))
        .unwrap();
        assert_eq!(
            v["spec"],
            json!({
                "selector": {
                    "matchLabels": {"app": "web"},
                    "matchExpressions": [
                        {"key": "tier", "operator": "In", "values": ["a", "b"]},
                        {"key": "canary", "operator": "DoesNotExist"}
                    ]
                },
                "maxUnavailable": 1
            })
        );
    }

    #[test]
    fn delete_options_keep_zero_grace_period_and_preconditions() {
        let raw = Enc::new()
            .int(1, 0)
            .msg(2, Enc::new().str(1, "uid-1").str(2, "7"))
            .str(4, "Foreground")
            .str(5, "All");
        let v = decode(&envelope("meta.k8s.io/v1", "DeleteOptions", raw)).unwrap();
        assert_eq!(
            compact(&v),
            concat!(
                r#"{"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","gracePeriodSeconds":0,"#,
                r#""preconditions":{"uid":"uid-1","resourceVersion":"7"},"propagationPolicy":"Foreground","#,
                r#""dryRun":["All"]}"#
            )
        );
    }

    #[test]
    fn delete_options_decode_under_any_group_version() {
        let v = decode(&envelope("v1", "DeleteOptions", Enc::new().varint(3, 1))).unwrap();
        assert_eq!(
            v,
            json!({"kind": "DeleteOptions", "apiVersion": "v1", "orphanDependents": true})
        );
    }

    #[test]
    fn subject_access_review_renders_user_groups_and_extra() {
        let spec = Enc::new()
            .msg(2, Enc::new().str(1, "/api").str(2, "get"))
            .str(3, "bob")
            .str(4, "devs")
            .entry(5, "scopes", Enc::new().str(1, "a").str(1, "b"))
            .str(6, "");
        let raw = Enc::new().msg(1, Enc::new()).msg(2, spec);
        let v = decode(&envelope(
            "authorization.k8s.io/v1",
            "SubjectAccessReview",
            raw,
        ))
        .unwrap();
        assert_eq!(
            compact(&v),
            concat!(
                r#"{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","#,
                r#""metadata":{"creationTimestamp":null},"spec":{"nonResourceAttributes":{"path":"/api","verb":"get"},"#,
                r#""user":"bob","groups":["devs"],"extra":{"scopes":["a","b"]}},"status":{"allowed":false}}"#
            )
        );
    }

    #[test]
    fn token_review_renders_an_empty_user_in_status() {
        let raw = Enc::new().msg(2, Enc::new().str(1, "abc").str(2, "api"));
        let v = decode(&envelope("authentication.k8s.io/v1", "TokenReview", raw)).unwrap();
        assert_eq!(v["spec"], json!({"token": "abc", "audiences": ["api"]}));
        assert_eq!(v["status"], json!({"user": {}}));
    }

    #[test]
    fn token_request_with_bound_object_reference() {
        let spec = Enc::new().str(1, "a").int(4, 600).msg(
            3,
            Enc::new()
                .str(1, "Pod")
                .str(2, "v1")
                .str(3, "p")
                .str(4, "u"),
        );
        let v = decode(&envelope(
            "authentication.k8s.io/v1",
            "TokenRequest",
            Enc::new().msg(2, spec),
        ))
        .unwrap();
        assert_eq!(
            v["spec"],
            json!({"audiences": ["a"], "expirationSeconds": 600,
                   "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p", "uid": "u"}})
        );
    }

    #[test]
    fn raw_extension_holding_a_nested_protobuf_object_decodes_recursively() {
        let inner = envelope("v1", "ServiceAccount", Enc::new().msg(1, meta("sa")));
        let fields = Enc::new()
            .str(1, "kubectl")
            .msg(7, Enc::new().bytes(1, &inner));
        let m = meta("x").msg(17, fields);
        let v = decode(&envelope("v1", "ConfigMap", Enc::new().msg(1, m))).unwrap();
        assert_eq!(
            v["metadata"]["managedFields"][0]["fieldsV1"]["metadata"]["name"],
            json!("sa")
        );
    }

    #[test]
    fn raw_extension_with_garbage_bytes_is_rejected() {
        let m = meta("x").msg(17, Enc::new().msg(7, Enc::new().bytes(1, b"\x01\x02")));
        assert!(decode(&envelope("v1", "ConfigMap", Enc::new().msg(1, m))).is_err());
    }

    #[test]
    fn self_nesting_raw_extensions_stop_at_the_depth_limit() {
        let mut body = envelope("v1", "ConfigMap", Enc::new().msg(1, meta("leaf")));
        for _ in 0..40 {
            let m = meta("x").msg(17, Enc::new().msg(7, Enc::new().bytes(1, &body)));
            body = envelope("v1", "ConfigMap", Enc::new().msg(1, m));
        }
        assert!(decode(&body).unwrap_err().contains("nested too deeply"));
    }

    #[test]
    fn wire_type_mismatch_on_a_known_field_is_rejected() {
        // metadata.name sent as a varint instead of a string.
        let raw = Enc::new().msg(1, Enc::new().varint(1, 5));
        let err = decode(&envelope("v1", "ServiceAccount", raw)).unwrap_err();
        assert!(err.contains("name"), "{err}");
    }

    #[test]
    fn every_schema_reference_resolves() {
        let mut pending = vec![
            "Namespace",
            "ServiceAccount",
            "Secret",
            "ConfigMap",
            "Service",
            "ResourceQuota",
            "Pod",
            "Deployment",
            "Job",
            "CronJob",
            "Role",
            "ClusterRole",
            "RoleBinding",
            "PodDisruptionBudget",
            "Ingress",
            "TokenRequest",
            "TokenReview",
            "SelfSubjectReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview",
            "SubjectAccessReview",
            "DeleteOptions",
        ];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name) {
                continue;
            }
            let fields = schema(name).unwrap_or_else(|| panic!("no schema for {name}"));
            let mut numbers = std::collections::BTreeSet::new();
            for f in fields {
                assert!(
                    numbers.insert(f.num),
                    "{name} repeats field number {}",
                    f.num
                );
                if let Msg(m) | Inline(m) = f.ty {
                    pending.push(m);
                }
            }
        }
    }

    #[test]
    fn kubectl_service_account_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create serviceaccount bot`
        let body = hex(&[
        "6b3873000a140a027631120e536572766963654163636f756e7412150a130a03626f7412001a0022002a003200380042",
        "001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"bot","creationTimestamp":null}}"#
        );
    }

    #[test]
    fn kubectl_namespace_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create namespace team-a`
        let body = hex(&[
        "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a0032003800420012",
        "001a020a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"team-a","creationTimestamp":null},"spec":{},"status":{}}"#
        );
    }

    #[test]
    fn kubectl_config_map_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create configmap cfg --from-literal=b=2 --from-literal=a=1`
        let body = hex(&[
        "6b3873000a0f0a0276311209436f6e6669674d617012250a130a0363666712001a0022002a0032003800420012060a01",
        "6112013112060a01621201321a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cfg","creationTimestamp":null},"data":{"a":"1","b":"2"}}"#
        );
    }

    #[test]
    fn kubectl_secret_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create secret generic s1 --from-literal=pw=hunter2`
        let body = hex(&[
        "6b3873000a0c0a027631120653656372657412250a120a02733112001a0022002a00320038004200120d0a0270771207",
        "68756e746572321a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s1","creationTimestamp":null},"data":{"pw":"aHVudGVyMg=="}}"#
        );
    }

    #[test]
    fn kubectl_deployment_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create deployment web --image=nginx:1.25 --replicas=3 --port=80 -- nginx -g daemon`
        let body = hex(&[
        "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412d1010a1f0a0377656212001a0022002a00320038",
        "0042005a0a0a036170701203776562129f010803120c0a0a0a0361707012037765621a84010a1c0a0012001a0022002a",
        "003200380042005a0a0a036170701203776562126412460a056e67696e78120a6e67696e783a312e32351a056e67696e",
        "781a022d671a066461656d6f6e2a00320a0a001000185022002a0042006a007200800100880100900100a201001a0032",
        "0042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a",
        "002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.25","command":["nginx","-g","daemon"],"ports":[{"containerPort":80}],"resources":{}}]}},"strategy":{}},"status":{}}"#
        );
    }

    #[test]
    fn kubectl_service_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create service clusterip web --tcp=8080:http`
        let body = hex(&[
        "6b3873000a0d0a027631120753657276696365126f0a1f0a0377656212001a0022002a003200380042005a0a0a036170",
        "70120377656212480a210a09383038302d68747470120354435018903f220a080110001a04687474702800120a0a0361",
        "707012037765621a002209436c757374657249503a00420052005a00600068001a020a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"ports":[{"name":"8080-http","protocol":"TCP","port":8080,"targetPort":"http"}],"selector":{"app":"web"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}"#
        );
    }

    #[test]
    fn kubectl_cluster_role_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create clusterrole agg --aggregation-rule=rbac.example.com/aggregate=true`
        let body = hex(&[
        "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b436c7573746572526f6c",
        "65123d0a130a0361676712001a0022002a003200380042001a260a240a220a1a726261632e6578616d706c652e636f6d",
        "2f6167677265676174651204747275651a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"agg","creationTimestamp":null},"rules":null,"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate":"true"}}]}}"#
        );
    }

    #[test]
    fn kubectl_role_binding_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create rolebinding rb1 --clusterrole=admin --user=bob --serviceaccount=default:bot --group=devs`
        let body = hex(&[
        "6b3873000a2b0a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f7631120b526f6c6542696e64696e",
        "6712be010a130a0372623112001a0022002a0032003800420012280a04557365721219726261632e617574686f72697a",
        "6174696f6e2e6b38732e696f1a03626f622200122a0a0547726f75701219726261632e617574686f72697a6174696f6e",
        "2e6b38732e696f1a0464657673220012200a0e536572766963654163636f756e7412001a03626f74220764656661756c",
        "741a2f0a19726261632e617574686f72697a6174696f6e2e6b38732e696f120b436c7573746572526f6c651a0561646d",
        "696e1a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"RoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"rb1","creationTimestamp":null},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"devs"},{"kind":"ServiceAccount","name":"bot","namespace":"default"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"}}"#
        );
    }

    #[test]
    fn kubectl_cluster_role_binding_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create clusterrolebinding crb1 --clusterrole=view --user=alice`
        let body = hex(&[
        "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c7573746572526f6c",
        "6542696e64696e6712720a140a046372623112001a0022002a00320038004200122a0a04557365721219726261632e61",
        "7574686f72697a6174696f6e2e6b38732e696f1a05616c69636522001a2e0a19726261632e617574686f72697a617469",
        "6f6e2e6b38732e696f120b436c7573746572526f6c651a04766965771a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"crb1","creationTimestamp":null},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}"#
        );
    }

    #[test]
    fn kubectl_resource_quota_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create quota q1 --hard=cpu=1,memory=1Gi,pods=10 --scopes=BestEffort`
        let body = hex(&[
        "6b3873000a130a027631120d5265736f7572636551756f7461124f0a120a02713112001a0022002a0032003800420012",
        "370a0a0a0363707512030a01310a0f0a066d656d6f727912050a033147690a0c0a04706f647312040a023130120a4265",
        "73744566666f72741a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q1","creationTimestamp":null},"spec":{"hard":{"cpu":"1","memory":"1Gi","pods":"10"},"scopes":["BestEffort"]},"status":{}}"#
        );
    }

    #[test]
    fn kubectl_pod_disruption_budget_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create pdb p1 --selector=app=web --min-available=50%`
        let body = hex(&[
        "6b3873000a200a09706f6c6963792f76311213506f6444697372757074696f6e427564676574123b0a120a0270311200",
        "1a0022002a0032003800420012190a09080110001a03353025120c0a0a0a0361707012037765621a0a08001800200028",
        "0030001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"p1","creationTimestamp":null},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}}"#
        );
    }

    #[test]
    fn kubectl_ingress_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create ingress i1 --rule=foo.com/bar*=svc1:8080,tls=my-cert --class=nginx`
        let body = hex(&[
        "6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e677265737312650a120a02693112001a",
        "0022002a00320038004200124b12120a07666f6f2e636f6d12076d792d636572741a2e0a07666f6f2e636f6d12230a21",
        "0a1f0a042f626172120f220d0a047376633112050a0010903f1a0650726566697822056e67696e781a020a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"i1","creationTimestamp":null},"spec":{"ingressClassName":"nginx","tls":[{"hosts":["foo.com"],"secretName":"my-cert"}],"rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","pathType":"Prefix","backend":{"service":{"name":"svc1","port":{"number":8080}}}}]}}]},"status":{"loadBalancer":{}}}"#
        );
    }

    #[test]
    fn kubectl_job_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create job j1 --image=busybox -- echo hi`
        let body = hex(&[
        "6b3873000a0f0a0862617463682f763112034a6f621284010a120a026a3112001a0022002a0032003800420012643262",
        "0a100a0012001a0022002a00320038004200124e122b0a026a31120762757379626f781a046563686f1a0268692a0042",
        "006a007200800100880100900100a201001a054e65766572320042004a0052005800600068008201008a01009a0100c2",
        "01001a082000280030003a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j1","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"j1","image":"busybox","command":["echo","hi"],"resources":{}}],"restartPolicy":"Never"}}},"status":{}}"#
        );
    }

    #[test]
    fn kubectl_cron_job_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create cronjob cj1 --image=busybox --schedule='*/1 * * * *' -- date`
        let body = hex(&[
        "6b3873000a130a0862617463682f7631120743726f6e4a6f6212a7010a130a03636a3112001a0022002a003200380042",
        "00128d010a0b2a2f31202a202a202a202a1a002a7c0a130a03636a3112001a0022002a00320038004200126532630a10",
        "0a0012001a0022002a00320038004200124f12280a03636a31120762757379626f781a04646174652a0042006a007200",
        "800100880100900100a201001a094f6e4661696c757265320042004a0052005800600068008201008a01009a0100c201",
        "001a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"CronJob","apiVersion":"batch/v1","metadata":{"name":"cj1","creationTimestamp":null},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"cj1","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"cj1","image":"busybox","command":["date"],"resources":{}}],"restartPolicy":"OnFailure"}}}}},"status":{}}"#
        );
    }

    #[test]
    fn kubectl_token_request_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create token bot --duration=1h --audience=api`
        let body = hex(&[
        "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e526571756573741222",
        "0a100a0012001a0022002a0032003800420012080a0361706920901c1a040a0012001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"audiences":["api"],"expirationSeconds":3600,"boundObjectRef":null},"status":{"token":"","expirationTimestamp":null}}"#
        );
    }

    #[test]
    fn kubectl_self_subject_access_review_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `auth can-i get pods -n default`
        let body = hex(&[
        "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365",
        "7373526576696577123c0a100a0012001a0022002a00320038004200121e0a1c0a0764656661756c7412036765741a00",
        "22002a04706f647332003a001a08080012001a0020001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},"status":{"allowed":false}}"#
        );
    }

    #[test]
    fn kubectl_self_subject_rules_review_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `auth can-i --list -n default`
        let body = hex(&[
        "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c65",
        "7352657669657712230a100a0012001a0022002a0032003800420012090a0764656661756c741a04180022001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"namespace":"default"},"status":{"resourceRules":null,"nonResourceRules":null,"incomplete":false}}"#
        );
    }

    #[test]
    fn kubectl_self_subject_review_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `auth whoami`
        let body = hex(&[
        "6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576",
        "696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"status":{"userInfo":{}}}"#
        );
    }

    #[test]
    fn kubectl_config_map_with_binary_data_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create configmap cmb --from-file=bin.dat --from-literal=k=v`
        let body = hex(&[
            "6b3873000a0f0a0276311209436f6e6669674d617012300a130a03636d6212001a0022002a0032003800420012060a01",
            "6b1201761a110a0762696e2e64617412060001ff62696e1a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cmb","creationTimestamp":null},"data":{"k":"v"},"binaryData":{"bin.dat":"AAH/Ymlu"}}"#
        );
    }

    #[test]
    fn kubectl_ingress_with_default_backend_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create ingress i2 --default-backend=svc:http --rule=/path=svc2:80 --annotation=a=b`
        let body = hex(&[
            "6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e6772657373125d0a1a0a02693212001a",
            "0022002a0032003800420062060a0161120162123b0a11220f0a0373766312080a046874747010001a260a0012220a20",
            "0a1e0a052f70617468120e220c0a047376633212040a0010501a0545786163741a020a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"i2","creationTimestamp":null,"annotations":{"a":"b"}},"spec":{"defaultBackend":{"service":{"name":"svc","port":{"name":"http"}}},"rules":[{"http":{"paths":[{"path":"/path","pathType":"Exact","backend":{"service":{"name":"svc2","port":{"number":80}}}}]}}]},"status":{"loadBalancer":{}}}"#
        );
    }

    #[test]
    fn kubectl_node_port_service_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create service nodeport np1 --tcp=80:8080 --node-port=30080`
        let body = hex(&[
            "6b3873000a0d0a027631120753657276696365126a0a1f0a036e703112001a0022002a003200380042005a0a0a036170",
            "7012036e703112430a1d0a0738302d38303830120354435018502207080010903f1a002880eb01120a0a036170701203",
            "6e70311a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Service","apiVersion":"v1","metadata":{"name":"np1","creationTimestamp":null,"labels":{"app":"np1"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],"selector":{"app":"np1"},"type":"NodePort"},"status":{"loadBalancer":{}}}"#
        );
    }

    #[test]
    fn kubectl_docker_registry_secret_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create secret docker-registry reg --docker-server=r.io ...`
        let body = hex(&[
            "6b3873000a0c0a0276311206536563726574128c010a130a0372656712001a0022002a0032003800420012550a112e64",
            "6f636b6572636f6e6669676a736f6e12407b226175746873223a7b22722e696f223a7b22757365726e616d65223a2275",
            "222c2270617373776f7264223a2270222c2261757468223a2264547077227d7d7d1a1e6b756265726e657465732e696f",
            "2f646f636b6572636f6e6669676a736f6e1a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"reg","creationTimestamp":null},"data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ=="},"type":"kubernetes.io/dockerconfigjson"}"#
        );
    }

    #[test]
    fn kubectl_multi_container_deployment_body_decodes_to_the_json_kubectl_would_send() {
        // kubectl 1.33 `create deployment multi --image=nginx --image=redis:7 --port=8080`
        let body = hex(&[
            "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412e8010a230a056d756c746912001a0022002a0032",
            "00380042005a0c0a0361707012056d756c746912b2010801120e0a0c0a0361707012056d756c74691a95010a1e0a0012",
            "001a0022002a003200380042005a0c0a0361707012056d756c74691273122f0a056e67696e7812056e67696e782a0032",
            "0b0a00100018903f22002a0042006a007200800100880100900100a2010012240a057265646973120772656469733a37",
            "2a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c20100",
            "22020a00280038001a0c0800100018002000280038001a002200",
        ]);
        assert_eq!(
            compact(&decode(&body).unwrap()),
            r#"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"multi","creationTimestamp":null,"labels":{"app":"multi"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"multi"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"multi"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":8080}],"resources":{}},{"name":"redis","image":"redis:7","resources":{}}]}},"strategy":{}},"status":{}}"#
        );
    }
}
