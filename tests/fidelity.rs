//! Differential fidelity: plays the corpus of API interactions under `tests/fidelity/<area>.yaml` against
//! the sandbox and against every real kube-apiserver built on this machine, normalises what legitimately
//! differs between two servers (uids, timestamps, resourceVersion values but not their order, generated
//! name suffixes, certificate and token data), and compares status code, content type and body. A
//! difference listed in `tests/fidelity/accepted.yaml` (with its reason) is accepted; any other fails.
//!
//! Corpus format: each file is a list of scenarios `{name, steps}`; each step is
//! `{name?, method, path, query?, headers?, patch?: merge|json|strategic|apply, body? | raw?,
//!   compare?: [code, content-type, body, shape, "metric NAME"], ignore?: [JSON pointers, `*` for any array index],
//!   pick?: [JSON pointers], expect?: <code the real server must answer>, save?: {var: pointer}, retry_until?: <code>}`.
//! `pick` compares only those parts of the body (each pointer with its value, null when absent), for
//! documents of which only some parts are meaningful to compare (OpenAPI: one definition, one operation).
//! `metric NAME` compares a Prometheus text body by the label names of metric NAME's series (each distinct
//! set once), not by their values or counts, which depend on the server's history.
//! Every scenario runs in a fresh namespace `${ns}`; `${var}` substitutes saved values into paths, query
//! values, headers and body strings.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Map, Value};
use support::{reference, Backend, Bed};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    name: Option<String>,
    method: String,
    path: String,
    #[serde(default)]
    query: Map<String, Value>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    patch: Option<String>,
    body: Option<Value>,
    raw: Option<String>,
    compare: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    pick: Vec<String>,
    expect: Option<u16>,
    #[serde(default)]
    save: BTreeMap<String, String>,
    retry_until: Option<u16>,
}

/// One entry of `accepted.yaml`: a difference between the sandbox and real servers that is known.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Accepted {
    /// `<area>/<scenario name>`.
    scenario: String,
    /// A step's name or 1-based index; absent means every step of the scenario.
    step: Option<String>,
    /// Server versions (`v1.34.2`) the difference is seen on; absent means all.
    servers: Option<Vec<String>>,
    /// `legitimate` (the servers may differ here) or `sandbox gap` (the sandbox is wrong, not fixed yet).
    category: String,
    reason: String,
}

struct Area {
    name: String,
    scenarios: Vec<Scenario>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity")
}

fn load_corpus() -> Vec<Area> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("reading tests/fidelity")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && p.file_stem().is_some_and(|s| s != "accepted")
        })
        // FIDELITY_AREAS=core,watch plays only those files (while working on them).
        .filter(|p| match std::env::var("FIDELITY_AREAS") {
            Ok(areas) if !areas.is_empty() => {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                areas.split(',').any(|a| a == stem)
            }
            _ => true,
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let scenarios: Vec<Scenario> = kubefedctl::yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            Area {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                scenarios,
            }
        })
        .collect()
}

fn load_accepted() -> Vec<Accepted> {
    let text = std::fs::read_to_string(corpus_dir().join("accepted.yaml")).unwrap();
    let list: Vec<Accepted> =
        kubefedctl::yaml::from_str(&text).unwrap_or_else(|e| panic!("accepted.yaml: {e}"));
    for a in &list {
        assert!(
            a.category == "legitimate" || a.category == "sandbox gap",
            "accepted.yaml: {}: category must be `legitimate` or `sandbox gap`, not {:?}",
            a.scenario,
            a.category
        );
        assert!(
            !a.reason.trim().is_empty(),
            "accepted.yaml: {}: no reason",
            a.scenario
        );
    }
    list
}

/// What one server answered to one step.
#[derive(Debug, Clone)]
struct Answer {
    code: u16,
    content_type: String,
    body: Value,
}

/// One scenario as one server answered it, normalised.
struct Run {
    id: String,
    steps: Vec<(String, Step, Answer)>,
}

fn step_label(i: usize, s: &Step) -> String {
    s.name.clone().unwrap_or_else(|| format!("{}", i + 1))
}

fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v);
    }
    out
}

fn substitute_value(v: &Value, vars: &HashMap<String, String>) -> Value {
    match v {
        Value::String(s) => Value::String(substitute(s, vars)),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute_value(x, vars)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (substitute(k, vars), substitute_value(x, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn build_uri(step: &Step, vars: &HashMap<String, String>) -> String {
    let mut uri = substitute(&step.path, vars);
    let mut pairs = Vec::new();
    for (k, v) in &step.query {
        let values = match v {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            pairs.push(format!(
                "{}={}",
                percent_encode(k),
                percent_encode(&substitute(&scalar(&v), vars))
            ));
        }
    }
    if !pairs.is_empty() {
        uri.push(if uri.contains('?') { '&' } else { '?' });
        uri.push_str(&pairs.join("&"));
    }
    uri
}

fn content_type_for(step: &Step) -> &'static str {
    match step.patch.as_deref() {
        None => "application/json",
        Some("merge") => "application/merge-patch+json",
        Some("json") => "application/json-patch+json",
        Some("strategic") => "application/strategic-merge-patch+json",
        Some("apply") => "application/apply-patch+yaml",
        Some(other) => panic!("unknown patch type {other:?}: merge, json, strategic or apply"),
    }
}

/// Parses a response body: JSON, else a stream of JSON lines (a watch) as an array, else text.
fn parse_body(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    if let Ok(v) = serde_json::from_slice(bytes) {
        return v;
    }
    let text = String::from_utf8_lossy(bytes);
    let lines: Option<Vec<Value>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).ok())
        .collect();
    match lines {
        Some(events) => Value::Array(events),
        None if std::str::from_utf8(bytes).is_ok() => Value::String(text.into_owned()),
        None => Value::String(format!("<{} bytes of binary data>", bytes.len())),
    }
}

async fn send(client: &kube::Client, step: &Step, vars: &HashMap<String, String>) -> Answer {
    let uri = build_uri(step, vars);
    let mut req = http::Request::builder()
        .method(step.method.as_str())
        .uri(&uri);
    let body: Vec<u8> = match (&step.body, &step.raw) {
        (Some(b), _) => serde_json::to_vec(&substitute_value(b, vars)).unwrap(),
        (None, Some(r)) => substitute(r, vars).into_bytes(),
        (None, None) => Vec::new(),
    };
    let has_ct = step
        .headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"));
    if !body.is_empty() && !has_ct {
        req = req.header("content-type", content_type_for(step));
    }
    for (k, v) in &step.headers {
        req = req.header(k.as_str(), substitute(v, vars));
    }
    let res = client
        .send(req.body(kube::client::Body::from(body)).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{} {uri}: {e}", step.method));
    let code = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(' ', "");
    let bytes = res.into_body().collect_bytes().await.unwrap();
    Answer {
        code,
        content_type,
        body: parse_body(&bytes),
    }
}

async fn raw(client: &kube::Client, method: &str, path: &str, body: Option<Value>) -> u16 {
    let step = Step {
        name: None,
        method: method.into(),
        path: path.into(),
        query: Map::new(),
        headers: BTreeMap::new(),
        patch: None,
        body,
        raw: None,
        compare: None,
        ignore: Vec::new(),
        pick: Vec::new(),
        expect: None,
        save: BTreeMap::new(),
        retry_until: None,
    };
    send(client, &step, &HashMap::new()).await.code
}

/// Creates a scenario's namespace; [`prepare_namespace`] waits for it to be furnished.
async fn create_namespace(client: &kube::Client, ns: &str) {
    let code = raw(
        client,
        "POST",
        "/api/v1/namespaces",
        Some(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})),
    )
    .await;
    assert_eq!(code, 201, "creating namespace {ns}");
}

/// Waits for what the namespace controllers put in every namespace (ServiceAccount `default`, ConfigMap
/// `kube-root-ca.crt`), so listings do not depend on their timing.
async fn prepare_namespace(client: &kube::Client, ns: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    for path in [
        format!("/api/v1/namespaces/{ns}/serviceaccounts/default"),
        format!("/api/v1/namespaces/{ns}/configmaps/kube-root-ca.crt"),
    ] {
        while raw(client, "GET", &path, None).await != 200 {
            assert!(Instant::now() < deadline, "{path} did not appear in 30 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn namespace_for(area: &str, index: usize) -> String {
    let area: String = area
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("fid-{area}-{}", index + 1)
}

/// Plays the whole corpus against one backend. On a real server, a step's `expect` is checked: a
/// mismatch means the corpus is wrong, and is returned as a corpus error.
async fn play(backend: &Backend, corpus: &[Area]) -> (Vec<Run>, Vec<String>) {
    let bed = Bed::start(backend, &["c1"]).await;
    let client = bed.client("c1").await;
    let real = !matches!(backend, Backend::Sandbox);
    let mut runs = Vec::new();
    let mut corpus_errors = Vec::new();
    // Every scenario's namespace is made first, so the controllers furnish them all while the first
    // scenarios play instead of one at a time.
    for area in corpus {
        for si in 0..area.scenarios.len() {
            create_namespace(&client, &namespace_for(&area.name, si)).await;
        }
    }
    for area in corpus {
        for (si, sc) in area.scenarios.iter().enumerate() {
            let ns = namespace_for(&area.name, si);
            prepare_namespace(&client, &ns).await;
            let mut vars = HashMap::from([("ns".to_string(), ns.clone())]);
            let id = format!("{}/{}", area.name, sc.name);
            let mut steps = Vec::new();
            for (i, step) in sc.steps.iter().enumerate() {
                let started = Instant::now();
                let mut answer = send(&client, step, &vars).await;
                if let Some(want) = step.retry_until {
                    let deadline = Instant::now() + Duration::from_secs(30);
                    while answer.code != want && Instant::now() < deadline {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        answer = send(&client, step, &vars).await;
                    }
                }
                if real {
                    if let Some(want) = step.expect {
                        if answer.code != want {
                            corpus_errors.push(format!(
                                "{id} step {}: {} expected {want}, answered {}: {}",
                                step_label(i, step),
                                backend.label(),
                                answer.code,
                                answer.body
                            ));
                        }
                    }
                }
                for (var, pointer) in &step.save {
                    if let Some(v) = answer.body.pointer(pointer) {
                        vars.insert(var.clone(), scalar(v));
                    }
                }
                if started.elapsed() > Duration::from_secs(5) {
                    eprintln!(
                        "fidelity: {id} step {} took {:.1} s on {}",
                        step_label(i, step),
                        started.elapsed().as_secs_f64(),
                        backend.label()
                    );
                }
                steps.push((step_label(i, step), step.clone(), answer));
            }
            raw(&client, "DELETE", &format!("/api/v1/namespaces/{ns}"), None).await;
            runs.push(Run { id, steps });
        }
    }
    (runs, corpus_errors)
}

// ---- normalisation ----

struct Norm {
    object_rvs: Vec<u64>,
    uids: Vec<String>,
    generated: Vec<(String, String)>,
}

fn uuid_re() -> regex::Regex {
    regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap()
}

fn time_re() -> regex::Regex {
    regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)").unwrap()
}

/// Compiled once: `normalise_string` runs for every string of every answer (OpenAPI documents hold
/// hundreds of thousands).
fn number_re() -> &'static regex::Regex {
    static RE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\b\d+\b").unwrap());
    &RE
}

fn sorted_entries(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut e: Vec<_> = m.iter().collect();
    e.sort_by(|a, b| a.0.cmp(b.0));
    e
}

/// First pass over a scenario's answers: object resourceVersions, uids in order of first appearance (keys
/// walked in sorted order, so servers that order keys differently agree), and generated names.
fn collect(v: &Value, n: &mut Norm, uuid: &regex::Regex) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(meta)) = m.get("metadata") {
                if !m.contains_key("items") {
                    if let Some(rv) = meta
                        .get("resourceVersion")
                        .and_then(|r| r.as_str())
                        .and_then(|r| r.parse::<u64>().ok())
                    {
                        n.object_rvs.push(rv);
                    }
                }
                if let (Some(Value::String(g)), Some(Value::String(name))) =
                    (meta.get("generateName"), meta.get("name"))
                {
                    if name.starts_with(g.as_str()) && name.len() > g.len() {
                        n.generated.push((name.clone(), format!("{g}<generated>")));
                    }
                }
            }
            for (_, x) in sorted_entries(m) {
                collect(x, n, uuid);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, n, uuid)),
        Value::String(s) => {
            for m in uuid.find_iter(s) {
                if !n.uids.iter().any(|u| u == m.as_str()) {
                    n.uids.push(m.as_str().to_string());
                }
            }
        }
        _ => {}
    }
}

fn looks_like_cert(s: &str) -> bool {
    s.contains("-----BEGIN ") || s.starts_with("LS0tLS1CRUdJTi")
}

fn looks_like_jwt(s: &str) -> bool {
    s.starts_with("eyJ") || s.starts_with("ZXlK")
}

fn normalise_string(s: &str, n: &Norm, uuid: &regex::Regex, time: &regex::Regex) -> String {
    if looks_like_cert(s) {
        return "<certificate data>".into();
    }
    if looks_like_jwt(s) {
        return "<token>".into();
    }
    let mut out = uuid
        .replace_all(s, |c: &regex::Captures| {
            let i = n.uids.iter().position(|u| u == &c[0]).unwrap_or(0);
            format!("<uid{}>", i + 1)
        })
        .into_owned();
    out = time.replace_all(&out, "<time>").into_owned();
    // A resourceVersion quoted in a message ("… the ResourceVersion in record (4711)").
    out = number_re()
        .replace_all(&out, |c: &regex::Captures| {
            match c[0]
                .parse::<u64>()
                .ok()
                .and_then(|rv| n.object_rvs.iter().position(|r| *r == rv))
            {
                Some(i) => format!("<rv{}>", i + 1),
                None => c[0].to_string(),
            }
        })
        .into_owned();
    for (name, placeholder) in &n.generated {
        out = out.replace(name.as_str(), placeholder);
    }
    // The ServiceAccount admission plugin names a Pod's credentials volume with a random suffix.
    out = api_access_re()
        .replace_all(&out, "kube-api-access-<generated>")
        .into_owned();
    out
}

fn api_access_re() -> &'static regex::Regex {
    static RE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\bkube-api-access-[a-z0-9]{5}\b").unwrap());
    &RE
}

fn normalise(v: &Value, n: &Norm, uuid: &regex::Regex, time: &regex::Regex) -> Value {
    match v {
        Value::Object(m) => {
            let is_list = m.contains_key("items");
            let max_item_rv = m
                .get("items")
                .and_then(|i| i.as_array())
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.pointer("/metadata/resourceVersion"))
                        .filter_map(|r| r.as_str()?.parse::<u64>().ok())
                        .max()
                        .unwrap_or(0)
                })
                .unwrap_or(0);
            let mut out = Map::new();
            for (k, x) in m {
                let x = if k == "metadata" && x.is_object() {
                    let mut meta = x.as_object().unwrap().clone();
                    if let Some(rv) = meta.get("resourceVersion").and_then(|r| r.as_str()) {
                        let placeholder = match rv.parse::<u64>() {
                            Ok(rv) if is_list => {
                                if rv >= max_item_rv {
                                    "<list rv>".to_string()
                                } else {
                                    "<list rv older than an item>".to_string()
                                }
                            }
                            Ok(rv) => {
                                let i = n.object_rvs.iter().position(|r| *r == rv).unwrap();
                                format!("<rv{}>", i + 1)
                            }
                            Err(_) => format!("<non-numeric rv {rv}>"),
                        };
                        meta.insert("resourceVersion".into(), Value::String(placeholder));
                    }
                    if let Some(Value::String(c)) = meta.get("continue") {
                        if !c.is_empty() {
                            meta.insert("continue".into(), Value::String("<continue>".into()));
                        }
                    }
                    normalise(&Value::Object(meta), n, uuid, time)
                } else {
                    normalise(x, n, uuid, time)
                };
                out.insert(k.clone(), x);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| normalise(x, n, uuid, time)).collect()),
        Value::String(s) => Value::String(normalise_string(s, n, uuid, time)),
        other => other.clone(),
    }
}

/// Normalises every answer of a run: values that legitimately differ between servers become
/// placeholders, consistently within the scenario (the same uid gets the same placeholder; resourceVersions
/// become their rank among the scenario's object resourceVersions, so order is kept).
fn normalise_run(run: &mut Run) {
    let uuid = uuid_re();
    let time = time_re();
    let mut n = Norm {
        object_rvs: Vec::new(),
        uids: Vec::new(),
        generated: Vec::new(),
    };
    for (_, _, a) in &run.steps {
        collect(&a.body, &mut n, &uuid);
    }
    n.object_rvs.sort();
    n.object_rvs.dedup();
    for (_, _, a) in &mut run.steps {
        a.body = normalise(&a.body, &n, &uuid, &time);
    }
}

fn remove_pointer(v: &mut Value, parts: &[&str]) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    let key = first.replace("~1", "/").replace("~0", "~");
    if rest.is_empty() {
        match v {
            Value::Object(m) => {
                m.remove(&key);
            }
            Value::Array(a) if key == "*" => a.clear(),
            Value::Array(a) => {
                if let Ok(i) = key.parse::<usize>() {
                    if i < a.len() {
                        a.remove(i);
                    }
                }
            }
            _ => {}
        }
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get_mut(&key) {
                remove_pointer(x, rest);
            }
        }
        Value::Array(a) if key == "*" => a.iter_mut().for_each(|x| remove_pointer(x, rest)),
        Value::Array(a) => {
            if let Some(x) = key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                remove_pointer(x, rest);
            }
        }
        _ => {}
    }
}

/// The body's shape: every scalar replaced by its JSON type, for documents whose values legitimately
/// differ (`/version`).
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), shape(x))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(shape).collect()),
        Value::String(_) => json!("<string>"),
        Value::Number(_) => json!("<number>"),
        Value::Bool(_) => json!("<bool>"),
        Value::Null => Value::Null,
    }
}

/// The distinct label-name sets of metric `name`'s series in a Prometheus text exposition.
fn metric_label_sets(body: &Value, name: &str) -> Value {
    let Value::String(text) = body else {
        return json!("<not a text exposition>");
    };
    let label = regex::Regex::new(r#"([A-Za-z_][A-Za-z0-9_]*)="(?:[^"\\]|\\.)*""#).unwrap();
    let mut sets = BTreeSet::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let labels: BTreeSet<String> = match rest.strip_prefix('{') {
            Some(inner) => label
                .captures_iter(inner)
                .map(|c| c[1].to_string())
                .collect(),
            None if rest.starts_with(' ') => BTreeSet::new(),
            None => continue,
        };
        sets.insert(labels.into_iter().collect::<Vec<_>>());
    }
    json!(sets.into_iter().collect::<Vec<_>>())
}

/// What of an answer a step compares, as one JSON document.
fn comparable(step: &Step, a: &Answer) -> Value {
    let what = step
        .compare
        .clone()
        .unwrap_or_else(|| vec!["code".into(), "content-type".into(), "body".into()]);
    let mut out = Map::new();
    for w in &what {
        match w.as_str() {
            "code" => {
                out.insert("code".into(), json!(a.code));
            }
            "content-type" => {
                out.insert("content-type".into(), json!(a.content_type));
            }
            "body" | "shape" => {
                let mut body = a.body.clone();
                for p in &step.ignore {
                    let parts: Vec<&str> = p.trim_start_matches('/').split('/').collect();
                    remove_pointer(&mut body, &parts);
                }
                if !step.pick.is_empty() {
                    body = Value::Object(
                        step.pick
                            .iter()
                            .map(|p| (p.clone(), body.pointer(p).cloned().unwrap_or(Value::Null)))
                            .collect(),
                    );
                }
                out.insert(
                    "body".into(),
                    if w == "shape" { shape(&body) } else { body },
                );
            }
            other if other.starts_with("metric ") => {
                out.insert(
                    other.into(),
                    metric_label_sets(&a.body, &other["metric ".len()..]),
                );
            }
            other => panic!(
                "unknown compare item {other:?}: code, content-type, body, shape or \"metric NAME\""
            ),
        }
    }
    Value::Object(out)
}

/// Pretty JSON with keys sorted, so a diff shows content differences only.
fn canonical(v: &Value) -> String {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in sorted_entries(m) {
                    out.insert(k.clone(), sort(x));
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string_pretty(&sort(v)).unwrap()
}

fn compact_diff(sandbox: &str, real: &str) -> String {
    let diff = similar::TextDiff::from_lines(sandbox, real);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("sandbox", "real")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    const MAX: usize = 40;
    if lines.len() > MAX {
        format!(
            "{}\n    … {} more diff lines",
            lines[..MAX].join("\n"),
            lines.len() - MAX
        )
    } else {
        text
    }
}

#[derive(Default)]
struct Tally {
    interactions: usize,
    identical: usize,
    accepted: usize,
    divergent: Vec<String>,
    accepted_by_category: BTreeMap<String, usize>,
}

fn find_accepted<'a>(
    accepted: &'a [Accepted],
    id: &str,
    index: usize,
    label: &str,
    version: &str,
) -> Option<&'a Accepted> {
    accepted.iter().find(|a| {
        a.scenario == id
            && a.step
                .as_deref()
                .is_none_or(|s| s == label || s == (index + 1).to_string())
            && a.servers
                .as_ref()
                .is_none_or(|v| v.iter().any(|v| v == version))
    })
}

fn compare(
    sandbox: &[Run],
    real: &[Run],
    accepted: &[Accepted],
    version: &str,
    used: &mut BTreeSet<usize>,
) -> Tally {
    let mut t = Tally::default();
    for (s, r) in sandbox.iter().zip(real) {
        for (i, ((label, step, sa), (_, _, ra))) in s.steps.iter().zip(&r.steps).enumerate() {
            t.interactions += 1;
            let a = canonical(&comparable(step, sa));
            let b = canonical(&comparable(step, ra));
            if a == b {
                t.identical += 1;
                continue;
            }
            if let Some(acc) = find_accepted(accepted, &s.id, i, label, version) {
                let k = accepted.iter().position(|x| std::ptr::eq(x, acc)).unwrap();
                used.insert(k);
                t.accepted += 1;
                *t.accepted_by_category
                    .entry(acc.category.clone())
                    .or_default() += 1;
                continue;
            }
            t.divergent.push(format!(
                "DIVERGENT {} step {label} ({} {}) vs kube-apiserver {version}:\n{}",
                s.id,
                step.method,
                step.path,
                compact_diff(&a, &b)
            ));
        }
    }
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sandbox_answers_the_corpus_as_real_apiservers_do() {
    let corpus = load_corpus();
    let accepted = load_accepted();
    let steps: usize = corpus
        .iter()
        .flat_map(|a| &a.scenarios)
        .map(|s| s.steps.len())
        .sum();
    let backends: Vec<Backend> = kubefedctl::testbed::reference::versions()
        .iter()
        .filter_map(|v| reference(v))
        .collect();
    if backends.is_empty() {
        eprintln!(
            "skipping: the fidelity corpus ({steps} interactions) is compared against real kube-apiservers, and none is built here (scripts/reference-cluster/build.sh builds them)"
        );
        return;
    }
    // Every server plays the corpus at once: most of a step's time is waiting (watch timeouts, namespace
    // controllers), so this takes about as long as the slowest server alone.
    let (sandbox, played) = futures::join!(
        play(&Backend::Sandbox, &corpus),
        futures::future::join_all(backends.iter().map(|b| play(b, &corpus)))
    );
    let (mut sandbox, _) = sandbox;
    sandbox.iter_mut().for_each(normalise_run);
    let mut failures = Vec::new();
    let mut used = BTreeSet::new();
    let mut summaries = Vec::new();
    for (backend, (mut real, corpus_errors)) in backends.iter().zip(played) {
        let Backend::Reference(version) = backend else {
            unreachable!()
        };
        real.iter_mut().for_each(normalise_run);
        let t = compare(&sandbox, &real, &accepted, version, &mut used);
        for d in &t.divergent {
            eprintln!("{d}\n");
        }
        for e in &corpus_errors {
            eprintln!("CORPUS ERROR {e}\n");
        }
        let by_category: Vec<String> = t
            .accepted_by_category
            .iter()
            .map(|(c, n)| format!("{n} {c}"))
            .collect();
        summaries.push(format!(
            "fidelity: {} interactions, {} identical, {} accepted, {} divergent (sandbox vs kube-apiserver {version}; accepted: {})",
            t.interactions,
            t.identical,
            t.accepted,
            t.divergent.len(),
            if by_category.is_empty() { "none".into() } else { by_category.join(", ") }
        ));
        failures.extend(t.divergent);
        failures.extend(corpus_errors);
    }
    for (k, a) in accepted.iter().enumerate() {
        if !used.contains(&k) {
            eprintln!(
                "note: accepted.yaml entry {} (step {}) matched no difference; remove it if the difference is gone",
                a.scenario,
                a.step.as_deref().unwrap_or("*")
            );
        }
    }
    for s in &summaries {
        eprintln!("{s}");
    }
    assert!(
        failures.is_empty(),
        "{} unlisted divergences or corpus errors (listed above); fix the sandbox or list them in tests/fidelity/accepted.yaml with a reason",
        failures.len()
    );
}
