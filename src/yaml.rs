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

/// One YAML document, without a leading `---`.
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String, YamlError> {
    serde_yaml::to_string(value).map_err(|e| YamlError::Render(e.to_string()))
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
