//! Entry points over raw bytes for every parser of user input, shared by the cargo-fuzz targets in `fuzz/`
//! and the stable replay in `tests/fuzz_corpus.rs`, so that both exercise exactly the same code.
//!
//! Each function takes whatever bytes it is given, drives one parser the way the CLI does, and panics only
//! when a property fails: a parser panicking, or a parsed value that does not survive being printed and
//! parsed again. Not part of the supported API.

use std::path::Path;

use serde_json::Value;

use crate::conversion::{federate_all, skipped_warnings};
use crate::engine::overrides::{apply_overrides, parse_overrides, pointer_tokens};
use crate::kubeconfig::{parse_kubeconfig, Kubeconfig, Source};
use crate::kubefed::duration::{format_go_duration, parse_go_duration};
use crate::selector::{FieldSelector, LabelSelector, Operator, Requirement};
use crate::yaml;

/// What a fuzz target calls with each input.
pub type Entry = fn(&[u8]);

/// The fuzz targets, by name: the name of each one's `fuzz/fuzz_targets/<name>.rs` and
/// `fuzz/corpus/<name>/`.
pub const TARGETS: [(&str, Entry); 6] = [
    ("label_selector", label_selector),
    ("field_selector", field_selector),
    ("go_duration", go_duration),
    ("overrides", overrides),
    ("federate_yaml", federate_yaml),
    ("kubeconfig", kubeconfig),
];

/// `--selector`-style label selectors (string form), and structured `metav1.LabelSelector`s given as JSON:
/// whatever parses prints as a string that parses back to the same selector.
pub fn label_selector(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(selector) = LabelSelector::parse(text) {
        let printed = selector.to_string();
        let again = LabelSelector::parse(&printed).unwrap_or_else(|e| {
            panic!("{text:?} printed as {printed:?}, which fails to parse: {e}")
        });
        assert_eq!(again, selector, "{text:?} printed as {printed:?}");
    }
    let Ok(structured) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(selector) = LabelSelector::from_structured(&structured) {
        if selector.is_nothing() {
            return;
        }
        let printed = selector.to_string();
        let again = LabelSelector::parse(&printed).unwrap_or_else(|e| {
            panic!("structured {structured} printed as {printed:?}, which fails to parse: {e}")
        });
        // The string form de-duplicates set values; the structured form keeps them as given.
        assert_eq!(
            as_sets(again.requirements()),
            as_sets(selector.requirements()),
            "structured {structured} printed as {printed:?}"
        );
    }
}

fn as_sets(requirements: &[Requirement]) -> Vec<(String, Operator, Vec<String>)> {
    requirements
        .iter()
        .map(|r| {
            let mut values = r.values.clone();
            values.sort();
            values.dedup();
            (r.key.clone(), r.operator, values)
        })
        .collect()
}

/// `--field-selector`-style field selectors: whatever parses prints as a string that parses back to the
/// same terms (in any order: terms are a conjunction, sorted by their text).
pub fn field_selector(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(selector) = FieldSelector::parse(text) else {
        return;
    };
    let printed = selector.to_string();
    let again = FieldSelector::parse(&printed)
        .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}, which fails to parse: {e}"));
    let sorted = |s: &FieldSelector| {
        let mut terms: Vec<_> = s
            .terms()
            .iter()
            .map(|t| (t.field.clone(), t.value.clone(), t.negated))
            .collect();
        terms.sort();
        terms
    };
    assert_eq!(
        sorted(&again),
        sorted(&selector),
        "{text:?} printed as {printed:?}"
    );
    let _ = selector.check_supported("", "pods");
    let _ = selector.matches(&serde_json::json!({"metadata": {"name": "a"}, "spec": {}}));
}

/// Go durations as KubeFedConfig stores them: a parsed duration formats as Go does and parses back to
/// the same nanoseconds, and so does any `i64` (the first 8 bytes, when there are 8).
pub fn go_duration(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(nanos) = parse_go_duration(text) {
            let printed = format_go_duration(nanos);
            assert_eq!(
                parse_go_duration(&printed),
                Ok(nanos),
                "{text:?} = {nanos}ns printed as {printed:?}"
            );
        }
    }
    if let Some(first) = data.first_chunk::<8>() {
        let nanos = i64::from_le_bytes(*first);
        let printed = format_go_duration(nanos);
        assert_eq!(
            parse_go_duration(&printed),
            Ok(nanos),
            "{nanos}ns printed as {printed:?}"
        );
    }
}

/// A federated object as JSON: its `spec.overrides` parse (or are rejected) and every cluster's ops apply
/// to its `spec.template` all or nothing: a failed application leaves the object as it was.
pub fn overrides(data: &[u8]) {
    let Ok(fed) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(per_cluster) = parse_overrides(&fed) else {
        return;
    };
    let template = fed
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(Value::Null);
    for ops in per_cluster.values() {
        for op in ops {
            let tokens = pointer_tokens(&op.path)
                .unwrap_or_else(|| panic!("accepted path {:?} is not a pointer", op.path));
            let rebuilt: String = tokens
                .iter()
                .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
                .collect();
            assert_eq!(rebuilt, op.path, "pointer tokens {tokens:?}");
        }
        let mut object = template.clone();
        if apply_overrides(&mut object, ops).is_err() {
            assert_eq!(object, template, "a failed application changed the object");
        }
    }
}

/// `federate -f`: a YAML stream parses (or is rejected with an error), every parsed document prints as YAML
/// that reads back as the same document, and the federated objects print as YAML that reads back as the
/// same objects.
pub fn federate_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(docs) = yaml::parse_documents(text) else {
        return;
    };
    assert_reads_back(&docs, "input documents");
    let Ok(conversion) = federate_all(&docs) else {
        return;
    };
    let _ = skipped_warnings(&conversion.skipped);
    let objects: Vec<Value> = conversion.federated.into_iter().map(|f| f.object).collect();
    assert_reads_back(&objects, "federated objects");
}

fn assert_reads_back(values: &[Value], what: &str) {
    let printed = yaml::to_multi_doc_yaml(values)
        .unwrap_or_else(|e| panic!("{what} do not print as YAML: {e}"));
    let back = yaml::parse_documents(&printed)
        .unwrap_or_else(|e| panic!("{what} printed as YAML that fails to parse: {e}\n{printed}"));
    // Empty documents are skipped when reading, and a null document prints as one.
    let kept: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    assert_eq!(
        back.iter().collect::<Vec<_>>(),
        kept,
        "{what} read back differently from\n{printed}"
    );
}

/// Kubeconfig files: the input is one file, or two files separated by a NUL byte merged as `$KUBECONFIG`
/// merges them; every context of what loads resolves to a cluster or an error.
pub fn kubeconfig(data: &[u8]) {
    let dir = Path::new("/kubeconfigs");
    let mut files = data.splitn(2, |&b| b == 0);
    let Some(Ok(mut merged)) = files.next().map(|f| parse_kubeconfig(f, Some(dir))) else {
        return;
    };
    if let Some(second) = files.next() {
        let Ok(next) = parse_kubeconfig(second, Some(dir)) else {
            return;
        };
        let Ok(both) = merged.merge(next) else {
            return;
        };
        merged = both;
    }
    let config = Kubeconfig::from_raw(merged, Source::Memory);
    let names: Vec<String> = config
        .context_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let _ = config.config_for(None);
    let _ = config.namespace_of(None);
    for name in &names {
        let _ = config.config_for(Some(name));
        let _ = config.namespace_of(Some(name));
    }
    let _ = format!("{config:?}");
}
