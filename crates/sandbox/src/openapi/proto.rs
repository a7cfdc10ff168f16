//! The Swagger 2.0 document as gnostic's `openapi.v2.Document` protobuf message, the form kubectl asks
//! `/openapi/v2` for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`). Field numbers are
//! gnostic's `openapiv2/OpenAPIv2.proto`. Values that are free-form JSON (defaults, enums, examples and
//! `x-` extensions) travel as `Any{yaml}`; JSON text is valid YAML, which is how clients read them back.

use serde_json::{Map, Value};

/// A message being written.
#[derive(Default)]
pub struct Msg(pub Vec<u8>);

impl Msg {
    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }
    fn key(&mut self, field: u32, wire: u8) {
        self.varint(((field as u64) << 3) | wire as u64);
    }
    fn bytes(&mut self, field: u32, b: &[u8]) {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn string(&mut self, field: u32, s: &str) {
        if !s.is_empty() {
            self.bytes(field, s.as_bytes());
        }
    }
    fn message(&mut self, field: u32, m: Msg) {
        self.bytes(field, &m.0);
    }
    fn boolean(&mut self, field: u32, b: bool) {
        if b {
            self.key(field, 0);
            self.varint(1);
        }
    }
    fn int64(&mut self, field: u32, n: i64) {
        if n != 0 {
            self.key(field, 0);
            self.varint(n as u64);
        }
    }
    fn double(&mut self, field: u32, x: f64) {
        if x != 0.0 {
            self.key(field, 1);
            self.0.extend_from_slice(&x.to_le_bytes());
        }
    }
    fn str_field(&mut self, field: u32, v: &Value) {
        if let Some(s) = v.as_str() {
            self.string(field, s);
        }
    }
    fn bool_field(&mut self, field: u32, v: &Value) {
        self.boolean(field, v.as_bool().unwrap_or(false));
    }
    fn int_field(&mut self, field: u32, v: &Value) {
        if let Some(n) = v.as_i64() {
            self.int64(field, n);
        }
    }
    fn double_field(&mut self, field: u32, v: &Value) {
        if let Some(x) = v.as_f64() {
            self.double(field, x);
        }
    }
    fn strings(&mut self, field: u32, v: &Value) {
        for s in v.as_array().into_iter().flatten() {
            if let Some(s) = s.as_str() {
                self.bytes(field, s.as_bytes());
            }
        }
    }
}

/// `Any{yaml}` holding a JSON value: a plain scalar as the real server writes it (`set\n`), anything else
/// as JSON, which YAML reads the same.
fn any(v: &Value) -> Msg {
    let mut m = Msg::default();
    let plain = match v {
        Value::String(s)
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
                ) =>
        {
            Some(format!("{s}\n"))
        }
        Value::Bool(_) | Value::Number(_) => Some(format!("{v}\n")),
        _ => None,
    };
    m.string(
        2,
        &plain.unwrap_or_else(|| serde_json::to_string(v).unwrap_or_default()),
    );
    m
}

/// The `x-` members of an object as `repeated NamedAny`.
fn extensions(m: &mut Msg, field: u32, obj: &Map<String, Value>) {
    for (k, v) in obj.iter().filter(|(k, _)| k.starts_with("x-")) {
        let mut named = Msg::default();
        named.string(1, k);
        named.message(2, any(v));
        m.message(field, named);
    }
}

pub fn schema(v: &Value) -> Msg {
    let mut m = Msg::default();
    let Some(o) = v.as_object() else {
        return m;
    };
    m.str_field(1, &o.get("$ref").cloned().unwrap_or_default());
    let get = |k: &str| o.get(k).cloned().unwrap_or(Value::Null);
    m.str_field(2, &get("format"));
    m.str_field(3, &get("title"));
    m.str_field(4, &get("description"));
    if let Some(d) = o.get("default") {
        m.message(5, any(d));
    }
    m.double_field(6, &get("multipleOf"));
    m.double_field(7, &get("maximum"));
    m.bool_field(8, &get("exclusiveMaximum"));
    m.double_field(9, &get("minimum"));
    m.bool_field(10, &get("exclusiveMinimum"));
    m.int_field(11, &get("maxLength"));
    m.int_field(12, &get("minLength"));
    m.str_field(13, &get("pattern"));
    m.int_field(14, &get("maxItems"));
    m.int_field(15, &get("minItems"));
    m.bool_field(16, &get("uniqueItems"));
    m.int_field(17, &get("maxProperties"));
    m.int_field(18, &get("minProperties"));
    m.strings(19, &get("required"));
    for e in o
        .get("enum")
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
    {
        m.message(20, any(e));
    }
    match o.get("additionalProperties") {
        Some(Value::Bool(b)) => {
            let mut item = Msg::default();
            item.key(2, 0);
            item.varint(*b as u64);
            m.message(21, item);
        }
        Some(s @ Value::Object(_)) => {
            let mut item = Msg::default();
            item.message(1, schema(s));
            m.message(21, item);
        }
        _ => {}
    }
    match o.get("type") {
        Some(Value::String(t)) => {
            let mut item = Msg::default();
            item.string(1, t);
            m.message(22, item);
        }
        Some(ts @ Value::Array(_)) => {
            let mut item = Msg::default();
            item.strings(1, ts);
            m.message(22, item);
        }
        _ => {}
    }
    match o.get("items") {
        Some(s @ Value::Object(_)) => {
            let mut item = Msg::default();
            item.message(1, schema(s));
            m.message(23, item);
        }
        Some(Value::Array(a)) => {
            let mut item = Msg::default();
            for s in a {
                item.message(1, schema(s));
            }
            m.message(23, item);
        }
        _ => {}
    }
    for s in o
        .get("allOf")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        m.message(24, schema(s));
    }
    if let Some(Value::Object(props)) = o.get("properties") {
        let mut p = Msg::default();
        for (name, s) in props {
            p.message(1, named(name, schema(s)));
        }
        m.message(25, p);
    }
    m.str_field(26, &get("discriminator"));
    m.bool_field(27, &get("readOnly"));
    if let Some(e) = o.get("example") {
        m.message(30, any(e));
    }
    extensions(&mut m, 31, o);
    m
}

/// `Named*{name = 1, value = 2}`.
fn named(name: &str, value: Msg) -> Msg {
    let mut m = Msg::default();
    m.string(1, name);
    m.message(2, value);
    m
}

/// A non-body parameter's sub-schema; `path` and `header` share a numbering one below `query`'s (which has
/// `allow_empty_value = 5`).
fn non_body(p: &Value) -> Msg {
    let o = p.as_object().cloned().unwrap_or_default();
    let get = |k: &str| o.get(k).cloned().unwrap_or(Value::Null);
    let loc = get("in");
    let (which, shift) = match loc.as_str() {
        Some("query") => (3, 1),
        Some("formData") => (2, 1),
        Some("header") => (1, 0),
        _ => (4, 0),
    };
    let mut s = Msg::default();
    s.bool_field(1, &get("required"));
    s.str_field(2, &loc);
    s.str_field(3, &get("description"));
    s.str_field(4, &get("name"));
    if shift == 1 {
        s.bool_field(5, &get("allowEmptyValue"));
    }
    s.str_field(5 + shift, &get("type"));
    s.str_field(6 + shift, &get("format"));
    s.str_field(8 + shift, &get("collectionFormat"));
    if let Some(d) = o.get("default") {
        s.message(9 + shift, any(d));
    }
    s.bool_field(19 + shift, &get("uniqueItems"));
    for e in o
        .get("enum")
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
    {
        s.message(20 + shift, any(e));
    }
    extensions(&mut s, 22 + shift, &o);
    let mut nb = Msg::default();
    nb.message(which, s);
    nb
}

/// `ParametersItem{parameter = 1 | json_reference = 2}`.
fn parameters_item(p: &Value) -> Msg {
    let mut item = Msg::default();
    if let Some(r) = p["$ref"].as_str() {
        let mut j = Msg::default();
        j.string(1, r);
        item.message(2, j);
        return item;
    }
    let mut param = Msg::default();
    if p["in"] == "body" {
        let mut b = Msg::default();
        b.str_field(1, &p["description"]);
        b.str_field(2, &p["name"]);
        b.str_field(3, &p["in"]);
        b.bool_field(4, &p["required"]);
        if p.get("schema").is_some() {
            b.message(5, schema(&p["schema"]));
        }
        param.message(1, b);
    } else {
        param.message(2, non_body(p));
    }
    item.message(1, param);
    item
}

fn operation(op: &Value) -> Msg {
    let mut m = Msg::default();
    m.strings(1, &op["tags"]);
    m.str_field(2, &op["summary"]);
    m.str_field(3, &op["description"]);
    m.str_field(5, &op["operationId"]);
    m.strings(6, &op["produces"]);
    m.strings(7, &op["consumes"]);
    for p in op["parameters"].as_array().into_iter().flatten() {
        m.message(8, parameters_item(p));
    }
    if let Some(rs) = op["responses"].as_object() {
        let mut responses = Msg::default();
        for (code, r) in rs {
            let mut resp = Msg::default();
            resp.str_field(1, &r["description"]);
            if r.get("schema").is_some() {
                let mut item = Msg::default();
                item.message(1, schema(&r["schema"]));
                resp.message(2, item);
            }
            let mut value = Msg::default();
            value.message(1, resp);
            responses.message(1, named(code, value));
        }
        m.message(9, responses);
    }
    m.strings(10, &op["schemes"]);
    m.bool_field(11, &op["deprecated"]);
    if let Some(o) = op.as_object() {
        extensions(&mut m, 13, o);
    }
    m
}

fn path_item(item: &Value) -> Msg {
    let mut m = Msg::default();
    for (method, field) in [
        ("get", 2),
        ("put", 3),
        ("post", 4),
        ("delete", 5),
        ("options", 6),
        ("head", 7),
        ("patch", 8),
    ] {
        if let Some(op) = item.get(method) {
            m.message(field, operation(op));
        }
    }
    for p in item["parameters"].as_array().into_iter().flatten() {
        m.message(9, parameters_item(p));
    }
    if let Some(o) = item.as_object() {
        extensions(&mut m, 10, o);
    }
    m
}

/// Encodes a Swagger 2.0 document (JSON) as `openapi.v2.Document`.
pub fn document(doc: &Value) -> Vec<u8> {
    let mut m = Msg::default();
    m.str_field(1, &doc["swagger"]);
    if let Some(info) = doc.get("info") {
        let mut i = Msg::default();
        i.str_field(1, &info["title"]);
        i.str_field(2, &info["version"]);
        m.message(2, i);
    }
    if let Some(paths) = doc["paths"].as_object() {
        let mut ps = Msg::default();
        for (p, item) in paths {
            ps.message(2, named(p, path_item(item)));
        }
        m.message(8, ps);
    }
    if let Some(defs) = doc["definitions"].as_object() {
        let mut ds = Msg::default();
        for (name, s) in defs {
            ds.message(1, named(name, schema(s)));
        }
        m.message(9, ds);
    }
    if let Some(sec) = doc["securityDefinitions"].as_object() {
        let mut sd = Msg::default();
        for (name, s) in sec {
            if s["type"] == "apiKey" {
                let mut k = Msg::default();
                k.str_field(1, &s["type"]);
                k.str_field(2, &s["name"]);
                k.str_field(3, &s["in"]);
                k.str_field(4, &s["description"]);
                let mut item = Msg::default();
                item.message(2, k);
                sd.message(1, named(name, item));
            }
        }
        m.message(13, sd);
    }
    for req in doc["security"].as_array().into_iter().flatten() {
        let mut r = Msg::default();
        for (name, scopes) in req.as_object().into_iter().flatten() {
            let mut arr = Msg::default();
            arr.strings(1, scopes);
            r.message(1, named(name, arr));
        }
        m.message(12, r);
    }
    if let Some(o) = doc.as_object() {
        extensions(&mut m, 16, o);
    }
    m.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A minimal protobuf reader: (field, wire type, payload) of each field.
    fn fields(mut b: &[u8]) -> Vec<(u32, u8, Vec<u8>)> {
        fn varint(b: &mut &[u8]) -> u64 {
            let mut n = 0u64;
            let mut shift = 0;
            loop {
                let byte = b[0];
                *b = &b[1..];
                n |= ((byte & 0x7f) as u64) << shift;
                if byte < 0x80 {
                    return n;
                }
                shift += 7;
            }
        }
        let mut out = Vec::new();
        while !b.is_empty() {
            let key = varint(&mut b);
            let (field, wire) = ((key >> 3) as u32, (key & 7) as u8);
            let payload = match wire {
                0 => varint(&mut b).to_le_bytes().to_vec(),
                1 => {
                    let p = b[..8].to_vec();
                    b = &b[8..];
                    p
                }
                2 => {
                    let len = varint(&mut b) as usize;
                    let p = b[..len].to_vec();
                    b = &b[len..];
                    p
                }
                w => panic!("wire type {w}"),
            };
            out.push((field, wire, payload));
        }
        out
    }

    fn field(b: &[u8], n: u32) -> Vec<Vec<u8>> {
        fields(b)
            .into_iter()
            .filter(|f| f.0 == n)
            .map(|f| f.2)
            .collect()
    }

    #[test]
    fn swagger_version_alone_is_what_the_old_constant_was() {
        assert_eq!(
            document(&json!({"swagger": "2.0"})),
            [0x0A, 0x03, 0x32, 0x2E, 0x30]
        );
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Bytes a kube-apiserver (v1.34.2) serves for the same pieces of its `/openapi/v2` protobuf document.
    #[test]
    fn pieces_encode_as_a_real_server_encodes_them() {
        let replicas = json!({
            "description": "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.",
            "type": "integer",
            "format": "int32"
        });
        assert_eq!(
            hex(&named("replicas", schema(&replicas)).0),
            "0a087265706c696361731285011205696e74333222704e756d626572206f66206465736972656420706f64732e2054686973206973206120706f696e74657220746f2064697374696e6775697368206265747765656e206578706c69636974207a65726f20616e64206e6f74207370656369666965642e2044656661756c747320746f20312eb201090a07696e7465676572"
        );
        // The tail of ObjectMeta.finalizers: type, items and the two extensions.
        let finalizers = json!({
            "type": "array",
            "items": {"type": "string"},
            "x-kubernetes-list-type": "set",
            "x-kubernetes-patch-strategy": "merge"
        });
        assert_eq!(
            hex(&schema(&finalizers).0),
            "b201070a056172726179ba010d0a0bb201080a06737472696e67fa01200a16782d6b756265726e657465732d6c6973742d74797065120612047365740afa01270a1b782d6b756265726e657465732d70617463682d7374726174656779120812066d657267650a"
        );
    }

    #[test]
    fn definitions_and_dry_run_parameters_decode_back() {
        let doc = json!({
            "swagger": "2.0",
            "paths": {"/apis/apps/v1/namespaces/{namespace}/deployments/{name}": {
                "patch": {
                    "operationId": "patchAppsV1NamespacedDeployment",
                    "parameters": [
                        {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"}},
                        {"uniqueItems": true, "type": "string", "name": "dryRun", "in": "query"}
                    ],
                    "x-kubernetes-group-version-kind": {"group": "apps", "kind": "Deployment", "version": "v1"}
                },
                "parameters": [{"type": "string", "name": "name", "in": "path", "required": true}]
            }},
            "definitions": {"io.k8s.api.apps.v1.DeploymentSpec": {
                "type": "object",
                "required": ["selector"],
                "properties": {"replicas": {"type": "integer", "format": "int32", "description": "Number of desired pods."}},
                "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}]
            }}
        });
        let b = document(&doc);
        assert_eq!(field(&b, 1), [b"2.0".to_vec()]);
        // definitions -> NamedSchema -> Schema
        let defs = &field(&b, 9)[0];
        let named = &field(defs, 1)[0];
        assert_eq!(
            field(named, 1),
            [b"io.k8s.api.apps.v1.DeploymentSpec".to_vec()]
        );
        let s = &field(named, 2)[0];
        assert_eq!(field(&field(s, 22)[0], 1), [b"object".to_vec()]);
        assert_eq!(field(s, 19), [b"selector".to_vec()]);
        let props = &field(s, 25)[0];
        let replicas = &field(props, 1)[0];
        assert_eq!(field(replicas, 1), [b"replicas".to_vec()]);
        let r = &field(replicas, 2)[0];
        assert_eq!(field(r, 2), [b"int32".to_vec()]);
        assert_eq!(field(r, 4), [b"Number of desired pods.".to_vec()]);
        let ext = &field(s, 31)[0];
        assert_eq!(field(ext, 1), [b"x-kubernetes-group-version-kind".to_vec()]);
        let yaml = String::from_utf8(field(&field(ext, 2)[0], 2)[0].clone()).unwrap();
        let back: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back[0]["kind"], "Deployment");
        // paths -> NamedPathItem -> PathItem.patch -> parameters[1] -> Parameter.non_body -> query -> name
        let paths = &field(&b, 8)[0];
        let item = &field(&field(paths, 2)[0], 2)[0];
        let patch = &field(item, 8)[0];
        let params = field(patch, 8);
        assert_eq!(params.len(), 2);
        let body = &field(&field(&params[0], 1)[0], 1)[0];
        assert_eq!(field(body, 3), [b"body".to_vec()]);
        let q = &field(&field(&field(&params[1], 1)[0], 2)[0], 3)[0];
        assert_eq!(field(q, 4), [b"dryRun".to_vec()]);
        assert_eq!(field(q, 6), [b"string".to_vec()]);
        let gvk = &field(patch, 13)[0];
        let yaml = String::from_utf8(field(&field(gvk, 2)[0], 2)[0].clone()).unwrap();
        let back: Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(back["group"], "apps");
        // The path-level `name` parameter is a path parameter (NonBodyParameter field 4), type at 5.
        let pp = &field(&field(&field(&field(item, 9)[0], 1)[0], 2)[0], 4)[0];
        assert_eq!(field(pp, 4), [b"name".to_vec()]);
        assert_eq!(field(pp, 5), [b"string".to_vec()]);
        assert_eq!(fields(pp)[0], (1, 0, 1u64.to_le_bytes().to_vec()));
    }
}
