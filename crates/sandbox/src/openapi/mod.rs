//! The OpenAPI documents a cluster serves: `/openapi/v2` (Swagger 2.0, as JSON or as gnostic's protobuf
//! `Document`) and `/openapi/v3` (an index of group-versions, each with its own OpenAPI 3.0 document), built
//! from the registry: built-in kinds from their k8s-openapi schemas, custom resources from their CRD's
//! structural schema. Clients read the definitions (`kubectl explain`, kubectl 1.20's client-side
//! validation and strategic merge patch) and the operations' query parameters (whether a kind supports
//! `dryRun` and `fieldValidation`). The documents are built on the first request after the served types
//! change and kept until they change again.

pub mod builtin;
pub mod proto;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::discovery::GIT_VERSION;
use super::registry::{Registry, ResourceType};
use builtin::{
    builtin, gvk_list, list_definition, API_VERSION_DESCRIPTION, DEFS, DELETE_OPTIONS,
    KIND_DESCRIPTION, OBJECT_META, PATCH, STATUS,
};

/// Content type of the protobuf v2 document.
pub const V2_PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
const V3_SCHEMAS: &str = "#/components/schemas/";

/// One registry state's documents, each serialized once.
pub struct Docs {
    crd_defs_v2: Map<String, Value>,
    crd_defs_v3: Map<String, Value>,
    /// `apis/apps/v1` (or `api/v1`) -> its paths (Swagger 2.0 form).
    by_gv: BTreeMap<String, Map<String, Value>>,
    /// The group-versions only custom resources are served in.
    crd_gvs: BTreeSet<String>,
    v2: OnceLock<Value>,
    v2_json: OnceLock<Bytes>,
    v2_protobuf: OnceLock<Bytes>,
    pub v3_index: Bytes,
    hashes: BTreeMap<String, String>,
    v3: Mutex<BTreeMap<String, Bytes>>,
}

/// The registry some documents were built for, its custom types' fingerprint, and the documents.
type Built = (Arc<Registry>, String, Arc<Docs>);

/// Keeps the documents of the last registry they were asked for.
#[derive(Default)]
pub struct Cache {
    last: Mutex<Option<Built>>,
}

impl Cache {
    pub fn docs(&self, reg: &Arc<Registry>) -> Arc<Docs> {
        let mut guard = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((r, _, d)) = guard.as_ref() {
            if Arc::ptr_eq(r, reg) {
                return d.clone();
            }
        }
        // A registry rebuilt with the same custom types (a CRD's status written) keeps its documents.
        let fp = fingerprint(reg);
        if let Some((r, f, d)) = guard.as_mut() {
            if *f == fp {
                *r = reg.clone();
                return d.clone();
            }
        }
        let docs = Arc::new(build(reg));
        *guard = Some((reg.clone(), fp, docs.clone()));
        docs
    }
}

fn fingerprint(reg: &Registry) -> String {
    crd_fingerprint(reg, |_| true)
}

/// What the documents of custom resources are built from, for the types `keep` selects.
fn crd_fingerprint(reg: &Registry, keep: impl Fn(&ResourceType) -> bool) -> String {
    let crds: Vec<Value> = reg
        .types()
        .iter()
        .filter(|t| keep(t))
        .filter_map(|t| {
            let c = t.crd.as_ref()?;
            Some(json!([
                t.group,
                t.versions,
                t.kind,
                t.list_kind,
                t.plural,
                t.namespaced,
                t.status,
                t.scale.is_some(),
                c.schemas
                    .iter()
                    .map(|(v, s)| (v, s.as_ref()))
                    .collect::<std::collections::BTreeMap<_, _>>()
            ]))
        })
        .collect();
    serde_json::to_string(&crds).unwrap_or_default()
}

/// Whether `Accept` asks for the protobuf v2 document.
pub fn wants_protobuf(accept: &str) -> bool {
    accept
        .split(',')
        .next()
        .is_some_and(|first| first.contains("protobuf"))
}

/// `com.example` for `example.com`: the definition prefix of a custom resource group.
fn reversed_group(group: &str) -> String {
    group.split('.').rev().collect::<Vec<_>>().join(".")
}

fn definition_name(t: &ResourceType, version: &str, list: bool) -> Option<String> {
    let kind = if list { &t.list_kind } else { &t.kind };
    if t.is_crd() {
        return Some(format!("{}.{version}.{kind}", reversed_group(&t.group)));
    }
    builtin()
        .kinds
        .get(&(t.group.clone(), version.to_string(), kind.clone()))
        .cloned()
}

/// A custom resource version's definition: its structural schema with the object's metadata, apiVersion and
/// kind filled in as the real server publishes them. For Swagger 2.0 (`v2`), the constructs it cannot express
/// are dropped (`nullable`, `oneOf`/`anyOf`/`not`, CEL rules) and a subtree that keeps unknown fields loses its
/// type, so that clients validate nothing inside it.
fn crd_definition(t: &ResourceType, version: &str, v2: bool) -> Value {
    let schema = t
        .crd
        .as_ref()
        .and_then(|c| c.schemas.get(version))
        .map(|s| s.as_ref().clone())
        .unwrap_or_else(|| json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}));
    let mut def = schema;
    complete_embedded(&mut def);
    if v2 {
        strip_for_v2(&mut def);
    }
    if let Value::Object(m) = &mut def {
        let props = m
            .entry("properties")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        if let Some(props) = props {
            props.insert(
                "apiVersion".into(),
                json!({"description": API_VERSION_DESCRIPTION, "type": "string"}),
            );
            props.insert(
                "kind".into(),
                json!({"description": KIND_DESCRIPTION, "type": "string"}),
            );
            props.insert(
                "metadata".into(),
                json!({"$ref": format!("{DEFS}{OBJECT_META}"), "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}),
            );
        }
        m.insert("type".into(), json!("object"));
        m.insert(
            "x-kubernetes-group-version-kind".into(),
            gvk_list(&[(t.group.clone(), version.to_string(), t.kind.clone())]),
        );
    }
    def
}

/// An embedded resource (`x-kubernetes-embedded-resource`) is described with the apiVersion, kind and
/// metadata every object has, which the server validates whether the CRD lists them or not.
fn complete_embedded(v: &mut Value) {
    let Value::Object(m) = v else {
        return;
    };
    for k in ["items", "additionalProperties"] {
        if let Some(s) = m.get_mut(k) {
            complete_embedded(s);
        }
    }
    if let Some(Value::Object(ps)) = m.get_mut("properties") {
        ps.values_mut().for_each(complete_embedded);
    }
    if m.get("x-kubernetes-embedded-resource") != Some(&json!(true)) {
        return;
    }
    if let Some(p) = m
        .entry("properties")
        .or_insert_with(|| json!({}))
        .as_object_mut()
    {
        p.entry("apiVersion").or_insert_with(|| json!({"description": "apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", "type": "string"}));
        p.entry("kind").or_insert_with(|| json!({"description": "kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", "type": "string"}));
        p.entry("metadata").or_insert_with(|| json!({"$ref": format!("{DEFS}{OBJECT_META}"), "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}));
    }
    if let Some(r) = m
        .entry("required")
        .or_insert_with(|| json!([]))
        .as_array_mut()
    {
        for k in ["kind", "apiVersion"] {
            if !r.iter().any(|x| x == k) {
                r.push(json!(k));
            }
        }
    }
}

fn strip_for_v2(v: &mut Value) {
    if let Value::Object(m) = v {
        // A nullable value has no single Swagger 2.0 type.
        if m.remove("nullable") == Some(json!(true)) {
            m.remove("type");
        }
        for k in ["oneOf", "anyOf", "allOf", "not"] {
            m.remove(k);
        }
        if m.get("x-kubernetes-int-or-string") == Some(&json!(true)) {
            m.remove("type");
        }
        if m.get("x-kubernetes-preserve-unknown-fields") == Some(&json!(true)) {
            m.remove("type");
            m.remove("properties");
            m.remove("required");
            m.remove("additionalProperties");
            m.remove("items");
        }
        if let Some(Value::Object(ps)) = m.get_mut("properties") {
            ps.values_mut().for_each(strip_for_v2);
        }
        if let Some(items) = m.get_mut("items") {
            strip_for_v2(items);
        }
        if let Some(ap @ Value::Object(_)) = m.get_mut("additionalProperties") {
            strip_for_v2(ap);
        }
    }
}

/// `patchAppsV1NamespacedDeployment`-style operation ids: the group without `.k8s.io`, camel-cased.
fn op_group(group: &str) -> String {
    if group.is_empty() {
        return "Core".into();
    }
    group
        .trim_end_matches(".k8s.io")
        .split(['.', '-'])
        .map(capitalize)
        .collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `apps_v1`, `rbacAuthorization_v1`, `exampleCom_v1`.
fn tag(group: &str, version: &str) -> String {
    let g = op_group(group);
    let mut c = g.chars();
    let first: String = c
        .next()
        .map(|f| f.to_lowercase().collect())
        .unwrap_or_default();
    format!("{first}{}_{version}", c.as_str())
}

fn query(name: &str, ty: &str, description: &str) -> Value {
    json!({"uniqueItems": true, "type": ty, "description": description, "name": name, "in": "query"})
}

const DRY_RUN: &str = "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed";
const FIELD_MANAGER: &str = "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.";
const FIELD_VALIDATION: &str = "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Strict - Warn";

fn write_params(patch: bool) -> Vec<Value> {
    let mut p = vec![
        query("dryRun", "string", DRY_RUN),
        query("fieldManager", "string", FIELD_MANAGER),
        query("fieldValidation", "string", FIELD_VALIDATION),
    ];
    if patch {
        p.push(query("force", "boolean", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests."));
    }
    p
}

fn list_params() -> Vec<Value> {
    [
        ("allowWatchBookmarks", "boolean"),
        ("continue", "string"),
        ("fieldSelector", "string"),
        ("labelSelector", "string"),
        ("limit", "integer"),
        ("resourceVersion", "string"),
        ("resourceVersionMatch", "string"),
        ("sendInitialEvents", "boolean"),
        ("timeoutSeconds", "integer"),
        ("watch", "boolean"),
    ]
    .iter()
    .map(|(n, t)| query(n, t, ""))
    .collect()
}

fn body(def: &str) -> Value {
    json!({"name": "body", "in": "body", "required": true, "schema": {"$ref": format!("{DEFS}{def}")}})
}

fn ok(def: &str, codes: &[&str]) -> Value {
    let mut r = Map::new();
    for c in codes {
        let description = match *c {
            "201" => "Created",
            "202" => "Accepted",
            _ => "OK",
        };
        r.insert(
            c.to_string(),
            json!({"description": description, "schema": {"$ref": format!("{DEFS}{def}")}}),
        );
    }
    r.insert("401".into(), json!({"description": "Unauthorized"}));
    Value::Object(r)
}

struct OpCtx {
    /// The kind the operations answer with (a subresource may answer with another).
    gvk: (String, String, String),
    tag: String,
}

fn operation(
    c: &OpCtx,
    action: &str,
    id: String,
    description: &str,
    params: Vec<Value>,
    responses: Value,
    consumes: &[&str],
) -> Value {
    let mut op = json!({
        "description": description,
        "consumes": consumes,
        "produces": ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"],
        "schemes": ["https"],
        "tags": [c.tag],
        "operationId": id,
        "parameters": params,
        "responses": responses,
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": c.gvk.0, "kind": c.gvk.2, "version": c.gvk.1},
    });
    if consumes.is_empty() {
        op.as_object_mut().map(|o| o.remove("consumes"));
    }
    op
}

const JSON_TYPES: &[&str] = &[
    "application/json",
    "application/yaml",
    "application/vnd.kubernetes.protobuf",
];

fn patch_types(crd: bool) -> Vec<&'static str> {
    let mut v = vec![
        "application/json-patch+json",
        "application/merge-patch+json",
    ];
    if !crd {
        v.push("application/strategic-merge-patch+json");
    }
    v.push("application/apply-patch+yaml");
    v
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"uniqueItems": true, "type": "string", "description": description, "name": name, "in": "path", "required": true})
}

fn pretty() -> Value {
    query(
        "pretty",
        "string",
        "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
    )
}

/// The v2 paths of one type in one version: collection, item and subresource paths with their operations.
fn type_paths(t: &ResourceType, version: &str, out: &mut Map<String, Value>) {
    let Some(def) = definition_name(t, version, false) else {
        return;
    };
    let list_def = definition_name(t, version, true).unwrap_or_else(|| def.clone());
    let prefix = if t.group.is_empty() {
        format!("/api/{version}")
    } else {
        format!("/apis/{}/{version}", t.group)
    };
    let scope = if t.namespaced { "Namespaced" } else { "" };
    let ns_path = if t.namespaced {
        format!("{prefix}/namespaces/{{namespace}}/{}", t.plural)
    } else {
        format!("{prefix}/{}", t.plural)
    };
    let g = op_group(&t.group);
    let v = capitalize(version);
    let kind = &t.kind;
    let ctx = OpCtx {
        gvk: (t.group.clone(), version.to_string(), kind.clone()),
        tag: tag(&t.group, version),
    };
    let ns_param = path_param(
        "namespace",
        "object name and auth scope, such as for teams and projects",
    );
    let name_param = path_param("name", &format!("name of the {kind}"));
    let mut scope_params = vec![];
    if t.namespaced {
        scope_params.push(ns_param.clone());
    }
    let crd = t.is_crd();
    // Collection.
    let mut coll = Map::new();
    if t.has_verb("list") {
        coll.insert(
            "get".into(),
            operation(
                &ctx,
                "list",
                format!("list{g}{v}{scope}{kind}"),
                &format!("list or watch objects of kind {kind}"),
                list_params(),
                ok(&list_def, &["200"]),
                &[],
            ),
        );
    }
    if t.has_verb("create") {
        let mut params = vec![body(&def)];
        params.extend(write_params(false));
        coll.insert(
            "post".into(),
            operation(
                &ctx,
                "post",
                format!("create{g}{v}{scope}{kind}"),
                &format!("create a {kind}"),
                params,
                ok(&def, &["200", "201", "202"]),
                &[],
            ),
        );
    }
    if t.has_verb("deletecollection") {
        let mut params = vec![
            json!({"name": "body", "in": "body", "schema": {"$ref": format!("{DEFS}{DELETE_OPTIONS}")}}),
        ];
        params.push(query("dryRun", "string", DRY_RUN));
        params.extend(list_params());
        coll.insert(
            "delete".into(),
            operation(
                &ctx,
                "deletecollection",
                format!("deleteCollection{g}{v}{scope}{kind}"),
                &format!("delete collection of {kind}"),
                params,
                ok(STATUS, &["200"]),
                &[],
            ),
        );
    }
    if !coll.is_empty() {
        let mut params = scope_params.clone();
        params.push(pretty());
        coll.insert("parameters".into(), Value::Array(params));
        out.insert(ns_path.clone(), Value::Object(coll));
    }
    if t.namespaced && t.has_verb("list") {
        let mut all = Map::new();
        all.insert(
            "get".into(),
            operation(
                &ctx,
                "list",
                format!("list{g}{v}{kind}ForAllNamespaces"),
                &format!("list or watch objects of kind {kind}"),
                list_params(),
                ok(&list_def, &["200"]),
                &[],
            ),
        );
        all.insert("parameters".into(), json!([pretty()]));
        out.insert(format!("{prefix}/{}", t.plural), Value::Object(all));
    }
    if t.virtual_only {
        return;
    }
    // Item.
    let mut item = Map::new();
    if t.has_verb("get") {
        item.insert(
            "get".into(),
            operation(
                &ctx,
                "get",
                format!("read{g}{v}{scope}{kind}"),
                &format!("read the specified {kind}"),
                vec![],
                ok(&def, &["200"]),
                &[],
            ),
        );
    }
    if t.has_verb("update") {
        let mut params = vec![body(&def)];
        params.extend(write_params(false));
        item.insert(
            "put".into(),
            operation(
                &ctx,
                "put",
                format!("replace{g}{v}{scope}{kind}"),
                &format!("replace the specified {kind}"),
                params,
                ok(&def, &["200", "201"]),
                &[],
            ),
        );
    }
    if t.has_verb("delete") {
        let params = vec![
            json!({"name": "body", "in": "body", "schema": {"$ref": format!("{DEFS}{DELETE_OPTIONS}")}}),
            query("dryRun", "string", DRY_RUN),
            query("gracePeriodSeconds", "integer", ""),
            query("propagationPolicy", "string", ""),
        ];
        item.insert(
            "delete".into(),
            operation(
                &ctx,
                "delete",
                format!("delete{g}{v}{scope}{kind}"),
                &format!("delete a {kind}"),
                params,
                ok(STATUS, &["200", "202"]),
                &[],
            ),
        );
    }
    if t.has_verb("patch") {
        let mut params = vec![body(PATCH)];
        params.extend(write_params(true));
        item.insert(
            "patch".into(),
            operation(
                &ctx,
                "patch",
                format!("patch{g}{v}{scope}{kind}"),
                &format!("partially update the specified {kind}"),
                params,
                ok(&def, &["200", "201"]),
                &patch_types(crd),
            ),
        );
    }
    if !item.is_empty() {
        let mut params = vec![name_param.clone()];
        params.extend(scope_params.clone());
        params.push(pretty());
        item.insert("parameters".into(), Value::Array(params));
        out.insert(format!("{ns_path}/{{name}}"), Value::Object(item));
    }
    // Subresources.
    for (sub, verbs, resp) in t.subresources() {
        let (rg, rv, rk) = resp.unwrap_or((t.group.clone(), version.to_string(), kind.clone()));
        let rdef = if (rg.as_str(), rk.as_str()) == (t.group.as_str(), kind.as_str()) {
            def.clone()
        } else {
            match builtin().kinds.get(&(rg.clone(), rv.clone(), rk.clone())) {
                Some(d) => d.clone(),
                None => continue,
            }
        };
        let sctx = OpCtx {
            gvk: (rg, rv, rk),
            tag: ctx.tag.clone(),
        };
        let suffix = capitalize(&sub);
        let has = |v: &str| verbs.iter().any(|x| x == v);
        let mut ops = Map::new();
        if has("get") {
            ops.insert(
                "get".into(),
                operation(
                    &sctx,
                    "get",
                    format!("read{g}{v}{scope}{kind}{suffix}"),
                    &format!("read {sub} of the specified {kind}"),
                    vec![],
                    ok(&rdef, &["200"]),
                    &[],
                ),
            );
        }
        if has("update") {
            let mut params = vec![body(&rdef)];
            params.extend(write_params(false));
            ops.insert(
                "put".into(),
                operation(
                    &sctx,
                    "put",
                    format!("replace{g}{v}{scope}{kind}{suffix}"),
                    &format!("replace {sub} of the specified {kind}"),
                    params,
                    ok(&rdef, &["200", "201"]),
                    &[],
                ),
            );
        }
        if has("patch") {
            let mut params = vec![body(PATCH)];
            params.extend(write_params(true));
            ops.insert(
                "patch".into(),
                operation(
                    &sctx,
                    "patch",
                    format!("patch{g}{v}{scope}{kind}{suffix}"),
                    &format!("partially update {sub} of the specified {kind}"),
                    params,
                    ok(&rdef, &["200", "201"]),
                    &patch_types(crd),
                ),
            );
        }
        if has("create") {
            let mut params = vec![body(&rdef)];
            params.extend(write_params(false));
            ops.insert(
                "post".into(),
                operation(
                    &sctx,
                    "post",
                    format!("create{g}{v}{scope}{kind}{suffix}"),
                    &format!("create {sub} of a {kind}"),
                    params,
                    ok(&rdef, &["200", "201", "202"]),
                    &[],
                ),
            );
        }
        if ops.is_empty() {
            continue;
        }
        let mut params = vec![path_param("name", &format!("name of the {suffix}"))];
        params.extend(scope_params.clone());
        params.push(pretty());
        ops.insert("parameters".into(), Value::Array(params));
        out.insert(format!("{ns_path}/{{name}}/{sub}"), Value::Object(ops));
    }
}

/// The `apis/g/v` (or `api/v1`) key of a group-version.
fn gv_key(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

fn collect_refs(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if let Some(n) = r.strip_prefix(prefix) {
                    out.push(n.to_string());
                }
            }
            m.values().for_each(|x| collect_refs(x, prefix, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, prefix, out)),
        _ => {}
    }
}

/// Builds the parts every document is made of for one registry state; each document is serialized on its
/// first request (kubectl 1.20 reads only the protobuf v2 document, newer clients one v3 document per
/// group-version they look at).
pub fn build(reg: &Registry) -> Docs {
    // v2 definitions: every built-in plus the custom resources.
    let mut crd_defs_v2: Map<String, Value> = Map::new();
    let mut crd_defs_v3: Map<String, Value> = Map::new();
    for t in reg.types().iter().filter(|t| t.is_crd()) {
        for v in &t.versions {
            let name = definition_name(t, v, false).unwrap_or_default();
            crd_defs_v2.insert(name.clone(), crd_definition(t, v, true));
            crd_defs_v3.insert(name.clone(), crd_definition(t, v, false));
            let list = list_definition(&name, &t.kind, &t.plural, (&t.group, v), true);
            crd_defs_v2.insert(format!("{name}List"), list.clone());
            crd_defs_v3.insert(format!("{name}List"), list);
        }
    }
    // Paths, grouped by group-version.
    let mut by_gv: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for t in reg.types() {
        for v in &t.versions {
            let paths = by_gv.entry(gv_key(&t.group, v)).or_default();
            type_paths(t, v, paths);
        }
    }
    let builtin_gvs: BTreeSet<String> = reg
        .types()
        .iter()
        .filter(|t| !t.is_crd())
        .flat_map(|t| t.versions.iter().map(|v| gv_key(&t.group, v)))
        .collect();
    let crd_gvs = by_gv
        .keys()
        .filter(|k| !builtin_gvs.contains(*k))
        .cloned()
        .collect();
    // A document's hash changes when it does, and only then: it is derived from what it is built from
    // (the custom resources served in its group-version; a built-in group-version's never changes).
    let mut index = Map::new();
    let mut hashes = BTreeMap::new();
    for key in by_gv.keys() {
        let own = crd_fingerprint(reg, |t| {
            t.versions.iter().any(|v| gv_key(&t.group, v) == *key)
        });
        let hash = {
            use sha2::Digest as _;
            let d = sha2::Sha512::digest(format!("{GIT_VERSION}\n{key}\n{own}").as_bytes());
            d.iter().map(|b| format!("{b:02X}")).collect::<String>()
        };
        index.insert(
            key.clone(),
            json!({"serverRelativeURL": format!("/openapi/v3/{key}?hash={hash}")}),
        );
        hashes.insert(key.clone(), hash);
    }
    let v3_index = serde_json::to_vec(&json!({"paths": index})).unwrap_or_default();
    Docs {
        crd_defs_v2,
        crd_defs_v3,
        by_gv,
        crd_gvs,
        v2: OnceLock::new(),
        v2_json: OnceLock::new(),
        v2_protobuf: OnceLock::new(),
        v3_index: Bytes::from(v3_index),
        hashes,
        v3: Mutex::new(BTreeMap::new()),
    }
}

impl Docs {
    fn v2(&self) -> &Value {
        self.v2.get_or_init(|| {
            let mut defs: Vec<(&String, &Value)> = builtin()
                .definitions
                .iter()
                .chain(self.crd_defs_v2.iter())
                .collect();
            defs.sort_by(|a, b| a.0.cmp(b.0));
            let mut paths: Vec<(&String, &Value)> =
                self.by_gv.values().flat_map(|p| p.iter()).collect();
            paths.sort_by(|a, b| a.0.cmp(b.0));
            let defs: Map<String, Value> =
                defs.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let paths: Map<String, Value> =
                paths.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            json!({
                "swagger": "2.0",
                "info": {"title": "Kubernetes", "version": info_version()},
                "paths": paths,
                "definitions": defs,
                "securityDefinitions": {"BearerToken": {"description": "Bearer Token authentication", "type": "apiKey", "name": "authorization", "in": "header"}},
                "security": [{"BearerToken": []}],
            })
        })
    }

    /// `/openapi/v2` as JSON.
    pub fn v2_json(&self) -> Bytes {
        self.v2_json
            .get_or_init(|| Bytes::from(serde_json::to_vec(self.v2()).unwrap_or_default()))
            .clone()
    }

    /// `/openapi/v2` as gnostic's protobuf `Document`.
    pub fn v2_protobuf(&self) -> Bytes {
        self.v2_protobuf
            .get_or_init(|| Bytes::from(proto::document(self.v2())))
            .clone()
    }

    /// The hash in a v3 document's address in the index.
    pub fn v3_hash(&self, key: &str) -> Option<&str> {
        self.hashes.get(key).map(|h| h.as_str())
    }

    /// The v3 document of `api/v1` or `apis/{group}/{version}`, None when that group-version is not served.
    pub fn v3(&self, key: &str) -> Option<Bytes> {
        let paths = self.by_gv.get(key)?;
        let mut cache = self.v3.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = cache.get(key) {
            return Some(b.clone());
        }
        let b = builtin();
        let crd_only = self.crd_gvs.contains(key);
        let doc = v3_document(paths, &defs_for_v3(b, &self.crd_defs_v3), crd_only);
        let bytes = Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
        cache.insert(key.to_string(), bytes.clone());
        Some(bytes)
    }
}

/// Definitions as the v3 documents see them: built-ins (v2 refs, rewritten when a document is assembled)
/// and the custom resources' unstripped schemas.
fn defs_for_v3<'a>(
    b: &'a builtin::Builtin,
    crd: &'a Map<String, Value>,
) -> impl Fn(&str) -> Option<&'a Value> {
    move |name: &str| crd.get(name).or_else(|| b.definitions.get(name))
}

/// A Swagger 2.0 parameter as OpenAPI 3.0 describes it (non-body only).
fn v3_param(p: &Value) -> Value {
    let mut schema = Map::new();
    for k in ["type", "uniqueItems"] {
        if let Some(v) = p.get(k) {
            schema.insert(k.into(), v.clone());
        }
    }
    let mut out = json!({"name": p["name"], "in": p["in"], "schema": schema});
    if let Some(d) = p["description"].as_str().filter(|d| !d.is_empty()) {
        out["description"] = json!(d);
    }
    if p["required"] == true {
        out["required"] = json!(true);
    }
    out
}

fn v3_operation(op: &Value) -> Value {
    let mut out = Map::new();
    for k in [
        "tags",
        "description",
        "operationId",
        "x-kubernetes-action",
        "x-kubernetes-group-version-kind",
    ] {
        if let Some(v) = op.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    let mut params = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["in"] == "body" {
            let consumes: Vec<String> = op["consumes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_else(|| JSON_TYPES.iter().map(|s| s.to_string()).collect());
            let content: Map<String, Value> = consumes
                .into_iter()
                .map(|c| (c, json!({"schema": p["schema"]})))
                .collect();
            let mut rb = json!({"content": content});
            if p["required"] == true {
                rb["required"] = json!(true);
            }
            out.insert("requestBody".into(), rb);
        } else {
            params.push(v3_param(p));
        }
    }
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }
    let mut responses = Map::new();
    for (code, r) in op["responses"].as_object().into_iter().flatten() {
        let mut resp = json!({"description": r["description"]});
        if let Some(s) = r.get("schema") {
            let content: Map<String, Value> = [
                "application/json",
                "application/yaml",
                "application/vnd.kubernetes.protobuf",
            ]
            .iter()
            .map(|c| (c.to_string(), json!({"schema": s})))
            .collect();
            resp["content"] = Value::Object(content);
        }
        responses.insert(code.clone(), resp);
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

/// `info.version`: the server's major.minor.
fn info_version() -> String {
    let v = super::discovery::version();
    format!(
        "{}.{}",
        v["major"].as_str().unwrap_or_default(),
        v["minor"].as_str().unwrap_or_default()
    )
}

/// A group-version's OpenAPI 3.0 document; one served by custom resources only is titled as the real
/// server's CRD publisher titles it.
fn v3_document<'a>(
    paths: &Map<String, Value>,
    defs: &impl Fn(&str) -> Option<&'a Value>,
    crd_only: bool,
) -> Value {
    let mut v3_paths = Map::new();
    let mut sorted: Vec<(&String, &Value)> = paths.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (p, item) in sorted {
        let mut out = Map::new();
        for (k, v) in item.as_object().into_iter().flatten() {
            if k == "parameters" {
                out.insert(
                    k.clone(),
                    Value::Array(v.as_array().into_iter().flatten().map(v3_param).collect()),
                );
            } else {
                out.insert(k.clone(), v3_operation(v));
            }
        }
        v3_paths.insert(p.clone(), Value::Object(out));
    }
    // The definitions reached from the paths, transitively.
    let mut pending = Vec::new();
    collect_refs(&Value::Object(paths.clone()), DEFS, &mut pending);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(n) = pending.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(d) = defs(&n) {
            collect_refs(d, DEFS, &mut pending);
        }
    }
    let mut schemas = Map::new();
    for n in &seen {
        if let Some(d) = defs(n) {
            schemas.insert(n.clone(), d.clone());
        }
    }
    let mut doc = if crd_only {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes CRD Swagger", "version": "v0.1.0"},
            "paths": v3_paths,
            "components": {"schemas": schemas},
        })
    } else {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": info_version()},
            "paths": v3_paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {"BearerToken": {"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization", "in": "header"}},
            },
        })
    };
    rewrite_refs(&mut doc);
    doc
}

/// Points references at `components/schemas`; a reference with siblings (a description) becomes
/// `allOf: [{$ref}]`, since OpenAPI 3.0 ignores a reference's siblings.
fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                if let Some(n) = r.strip_prefix(DEFS) {
                    *r = format!("{V3_SCHEMAS}{n}");
                }
                if m.len() > 1 {
                    if let Some(r) = m.remove("$ref") {
                        m.insert("allOf".into(), json!([{"$ref": r}]));
                    }
                }
                return;
            }
            m.values_mut().for_each(rewrite_refs);
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_kept_until_the_served_types_change() {
        let cache = Cache::default();
        let reg = Arc::new(Registry::new(vec![]));
        let first = cache.docs(&reg);
        assert!(Arc::ptr_eq(&first, &cache.docs(&reg)));
        // A registry rebuilt with the same types (a CRD's status written) keeps them too.
        let same = Arc::new(Registry::new(vec![]));
        assert!(Arc::ptr_eq(&first, &cache.docs(&same)));
        let crd = json!({
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "kind": "Widget"},
                "versions": [{"name": "v1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {"type": "object"}}}]},
            "status": {"conditions": [{"type": "Established", "status": "True"}]}
        });
        let t = crate::cluster::crd_resource_type(&crd).unwrap();
        let changed = Arc::new(Registry::new(vec![t]));
        let second = cache.docs(&changed);
        assert!(!Arc::ptr_eq(&first, &second));
        assert!(second.v3("apis/example.com/v1").is_some());
        assert!(first.v3("apis/example.com/v1").is_none());
        // Only the changed group-version gets a new address.
        assert_eq!(
            first.v3_hash("apis/apps/v1"),
            second.v3_hash("apis/apps/v1")
        );
        assert_ne!(first.v3_index, second.v3_index);
    }

    #[test]
    fn documents_cover_builtins_and_crds() {
        let crd = json!({
            "metadata": {"name": "widgets.example.com"},
            "spec": {
                "group": "example.com",
                "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "properties": {"spec": {"type": "object", "properties": {
                        "size": {"type": "integer", "description": "How big."},
                        "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                        "maybe": {"type": "string", "nullable": true},
                        "rule": {"type": "string", "x-kubernetes-validations": [{"rule": "self != 'x'"}]},
                        "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}
                    }}}
                }}}]
            },
            "status": {"conditions": [{"type": "Established", "status": "True"}]}
        });
        let t = crate::cluster::crd_resource_type(&crd).unwrap();
        let reg = Registry::new(vec![t]);
        let started = std::time::Instant::now();
        builtin();
        eprintln!("builtin in {:?}", started.elapsed());
        let docs = build(&reg);
        let v2: Value = serde_json::from_slice(&docs.v2_json()).unwrap();
        let w = &v2["definitions"]["com.example.v1.Widget"];
        assert_eq!(
            w["properties"]["spec"]["properties"]["size"]["type"],
            "integer"
        );
        assert_eq!(
            w["x-kubernetes-group-version-kind"],
            json!([{"group": "example.com", "kind": "Widget", "version": "v1"}])
        );
        let patch =
            &v2["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"],
            json!({"group": "apps", "kind": "Deployment", "version": "v1"})
        );
        assert!(patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "dryRun" && p["in"] == "query"));
        // Every v2 reference resolves.
        let mut refs = Vec::new();
        collect_refs(&v2, DEFS, &mut refs);
        for r in refs {
            assert!(v2["definitions"].get(&r).is_some(), "dangling {r}");
        }
        let index: Value = serde_json::from_slice(&docs.v3_index).unwrap();
        let url = index["paths"]["apis/example.com/v1"]["serverRelativeURL"]
            .as_str()
            .unwrap();
        assert!(
            url.starts_with("/openapi/v3/apis/example.com/v1?hash="),
            "{url}"
        );
        let gv = docs.v3("apis/example.com/v1").unwrap();
        let gv: Value = serde_json::from_slice(&gv).unwrap();
        let schemas = gv["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("com.example.v1.Widget"));
        // v3 keeps the CRD's schema, with the fields every embedded object has.
        let spec = &schemas["com.example.v1.Widget"]["properties"]["spec"]["properties"];
        assert_eq!(spec["maybe"]["nullable"], true);
        assert_eq!(spec["port"]["anyOf"][0]["type"], "integer");
        assert_eq!(spec["template"]["required"], json!(["kind", "apiVersion"]));
        assert_eq!(
            spec["template"]["properties"]["metadata"]["allOf"][0]["$ref"],
            format!("{V3_SCHEMAS}{OBJECT_META}")
        );
        assert!(schemas.contains_key(OBJECT_META));
        let mut refs = Vec::new();
        collect_refs(&gv, V3_SCHEMAS, &mut refs);
        for r in refs {
            assert!(schemas.contains_key(&r), "dangling {r}");
        }
        assert!(docs.v3("api/v1").is_some() && docs.v3("apis/apps/v9").is_none());
        // The protobuf form carries the same definitions.
        assert!(docs.v2_protobuf().len() > 100_000);
    }
}
