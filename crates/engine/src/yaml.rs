//! All YAML (de)serialisation: multi-document parsing with positions, and kubectl-style printing.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Malformed YAML input, naming the document (1-based) and line where parsing stopped.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    #[error("invalid YAML in document {document}{}: {message}", line.map(|l| format!(" at line {l}")).unwrap_or_default())]
    Parse {
        document: usize,
        line: Option<usize>,
        message: String,
    },
    #[error("cannot render YAML: {0}")]
    Render(String),
}

/// Parses a YAML stream of one or more `---`-separated documents. Empty documents (a stray `---`, a
/// document of comments only) are skipped, as kubectl does. Line numbers count from the start of the stream.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, YamlError> {
    let mut docs = Vec::new();
    for (index, document) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let value = Value::deserialize(document).map_err(|e| parse_error(index + 1, &e))?;
        if !value.is_null() {
            docs.push(value);
        }
    }
    Ok(docs)
}

/// Parses exactly one YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| parse_error(1, &e))
}

fn parse_error(document: usize, err: &serde_yaml::Error) -> YamlError {
    let message = err.to_string();
    // serde_yaml appends " at line L column C" to its message; the position is reported separately.
    let message = match message.find(" at line ") {
        Some(cut) if err.location().is_some() => message[..cut].to_string(),
        _ => message,
    };
    YamlError::Parse {
        document,
        line: err.location().map(|l| l.line()),
        message,
    }
}

/// One YAML document, without a leading `---`. Strings that a YAML 1.1 reader (kubectl, client-go, PyYAML)
/// would take for something else — `y`, `no`, `on`, `~`, `010`, `1:20`, `0x1F`, `2001-12-14` — are
/// double-quoted, so the output reads back as the same strings in every reader, not only in YAML 1.2 ones.
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String, YamlError> {
    let mut value = serde_json::to_value(value).map_err(|e| YamlError::Render(e.to_string()))?;
    let probe = serde_json::to_string(&value).unwrap_or_default();
    let marker = absent_marker(&probe);
    let mut quoted = Vec::new();
    protect(&mut value, &marker, &mut quoted);
    let text = serde_yaml::to_string(&value).map_err(|e| YamlError::Render(e.to_string()))?;
    Ok(restore_quoted(&text, &marker, &quoted))
}

/// A marker that `text` does not contain: `q` followed by one `z` more than any `q` in it is, found in
/// one pass (growing a candidate and searching again took time quadratic in a long run of `z`s).
/// YAML output escapes only with `\`, hex digits and letters other than `q` and `z`, so the marker is
/// absent from the YAML of those strings too: every occurrence in the output is one of ours.
fn absent_marker(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut longest = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'q' {
            let run = bytes[i + 1..].iter().take_while(|&&b| b == b'z').count();
            longest = longest.max(run);
            i += run;
        }
        i += 1;
    }
    format!("q{}", "z".repeat(longest + 1))
}

/// Puts each protected string back, double-quoted, in one pass over the output (a `replace` per string
/// took time quadratic in the number of strings).
fn restore_quoted(text: &str, marker: &str, quoted: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(marker) {
        let after = &rest[start + marker.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match index.and_then(|i| quoted.get(i)) {
            Some(original) if after[digits..].starts_with(marker) => {
                out.push_str(&rest[..start]);
                out.push_str(&serde_json::to_string(original).expect("a string serialises"));
                rest = &after[digits + marker.len()..];
            }
            _ => {
                out.push_str(&rest[..start + marker.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces every string (keys too) that needs quoting with a plain token, remembering the original.
fn protect(value: &mut Value, marker: &str, quoted: &mut Vec<String>) {
    let token = |s: &str, quoted: &mut Vec<String>| -> Option<String> {
        needs_quotes(s).then(|| {
            quoted.push(s.to_string());
            format!("{marker}{}{marker}", quoted.len() - 1)
        })
    };
    match value {
        Value::String(s) => {
            if let Some(t) = token(s, quoted) {
                *s = t;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| protect(v, marker, quoted)),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (k, mut v) in entries {
                protect(&mut v, marker, quoted);
                let k = token(&k, quoted).unwrap_or(k);
                map.insert(k, v);
            }
        }
        _ => {}
    }
}

/// Whether a plain scalar `s` would be read as a boolean, null, number or timestamp by a YAML 1.1 reader
/// (or a 1.2 one).
fn needs_quotes(s: &str) -> bool {
    const WORDS: [&str; 27] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "<<",
    ];
    if s.is_empty() || WORDS.contains(&s) || s == "=" {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let Some(first) = body.chars().next() else {
        return false;
    };
    if matches!(body, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // Integers (decimal, 0b, 0o, 0x, octal, with `_`), floats, sexagesimal and dates all start with a digit
    // or a dot and use only these characters; quoting a few more strings than needed is harmless.
    (first.is_ascii_digit() || (first == '.' && body.len() > 1))
        && body.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    '_' | '.'
                        | ':'
                        | '-'
                        | '+'
                        | 'x'
                        | 'o'
                        | 'X'
                        | 'O'
                        | 'T'
                        | 't'
                        | 'Z'
                        | 'z'
                        | ' '
                )
        })
}

/// Several documents, each preceded by `---` as `kubectl get -o yaml` prints a stream.
pub fn to_multi_doc_yaml<T: Serialize>(values: &[T]) -> Result<String, YamlError> {
    let mut out = String::new();
    for value in values {
        out.push_str("---\n");
        out.push_str(&to_yaml(value)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_a_yaml_1_1_reader_would_retype_are_quoted() {
        let v = json!({"data": {"x": "y", "n": "no", "on": "yes", "octal": "010", "time": "1:20",
            "hex": "0x1F", "date": "2001-12-14", "exp": "1e3", "tilde": "~", "empty": "", "dot": ".5",
            "plain": "blue", "version": "v1.2", "word": "off-peak"}});
        let text = to_yaml(&v).unwrap();
        for line in [
            "  x: \"y\"",
            "  \"n\": \"no\"",
            "  \"on\": \"yes\"",
            "  octal: \"010\"",
            "  time: \"1:20\"",
            "  hex: \"0x1F\"",
            "  date: \"2001-12-14\"",
            "  tilde: \"~\"",
            "  empty: \"\"",
            "  dot: \".5\"",
            "  plain: blue",
            "  version: v1.2",
            "  word: off-peak",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
        assert_eq!(parse_documents(&text).unwrap(), vec![v]);
    }

    #[test]
    fn a_string_that_looks_like_the_marker_survives() {
        let v = json!({"a": "qz0qz", "b": "y"});
        let text = to_yaml(&v).unwrap();
        assert_eq!(parse_documents(&text).unwrap(), vec![v]);
    }

    #[test]
    fn a_long_run_of_the_marker_letter_prints_in_linear_time() {
        // Printing one 80 kB string "qzzz…" took 40 s: the marker grew a `z` at a time, each step
        // searching the whole value again.
        let long = format!("q{}", "z".repeat(200_000));
        let v = json!({"a": long, "b": "y", "c": format!("{long}q")});
        let started = std::time::Instant::now();
        let text = to_yaml(&v).unwrap();
        assert!(
            started.elapsed().as_secs() < 30,
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(parse_documents(&text).unwrap(), vec![v]);
    }

    #[test]
    fn many_strings_that_need_quotes_print_in_linear_time() {
        // Each quoted string used to cost a pass over the whole output: 8,000 of them took 3.5 s.
        let data: serde_json::Map<String, Value> = (0..50_000)
            .map(|i| (format!("k{i}"), json!(if i % 2 == 0 { "y" } else { "010" })))
            .collect();
        let v = json!({ "data": data });
        let started = std::time::Instant::now();
        let text = to_yaml(&v).unwrap();
        assert!(
            started.elapsed().as_secs() < 30,
            "took {:?}",
            started.elapsed()
        );
        assert!(text.contains("  k0: \"y\"\n") && text.contains("  k49999: \"010\"\n"));
        assert_eq!(parse_documents(&text).unwrap(), vec![v]);
    }

    #[test]
    fn parses_every_document_of_a_stream() {
        let docs = parse_documents("a: 1\n---\nb: [x, y]\n").unwrap();
        assert_eq!(docs, vec![json!({"a": 1}), json!({"b": ["x", "y"]})]);
    }

    #[test]
    fn skips_empty_documents_and_leading_separator() {
        let docs =
            parse_documents("---\n---\n# only a comment\n---\nkind: ConfigMap\n---\n").unwrap();
        assert_eq!(docs, vec![json!({"kind": "ConfigMap"})]);
    }

    #[test]
    fn keeps_key_order() {
        let docs = parse_documents("zeta: 1\nalpha: 2\n").unwrap();
        let keys: Vec<_> = docs[0].as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["zeta", "alpha"]);
    }

    #[test]
    fn error_names_document_number_and_stream_line() {
        let err = parse_documents("a: 1\n---\nb: 2\n---\nc: [1, 2\nd: 3\n").unwrap_err();
        match &err {
            YamlError::Parse { document, line, .. } => {
                assert_eq!(*document, 3);
                let line = line.expect("line");
                assert!((5..=7).contains(&line), "line {line}");
            }
            other => panic!("unexpected {other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.starts_with("invalid YAML in document 3 at line "),
            "{text}"
        );
        assert!(!text.contains("column"), "{text}");
    }

    #[test]
    fn from_str_deserialises_one_document() {
        #[derive(Deserialize)]
        struct Probe {
            name: String,
        }
        let p: Probe = from_str("name: x\n").unwrap();
        assert_eq!(p.name, "x");
        assert!(from_str::<Probe>("name: [").is_err());
    }

    #[test]
    fn to_yaml_has_no_document_marker() {
        assert_eq!(to_yaml(&json!({"a": "b"})).unwrap(), "a: b\n");
    }

    #[test]
    fn multi_doc_yaml_puts_a_marker_before_each_document() {
        let out = to_multi_doc_yaml(&[json!({"a": 1}), json!({"b": 2})]).unwrap();
        assert_eq!(out, "---\na: 1\n---\nb: 2\n");
    }

    #[test]
    fn round_trips_strings_that_look_like_other_types() {
        let v = json!({"v": "true", "n": "1", "s": "on"});
        let back = parse_documents(&to_yaml(&v).unwrap()).unwrap();
        assert_eq!(back, vec![v]);
    }
}
