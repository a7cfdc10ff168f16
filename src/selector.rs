//! Label selectors (string and structured forms) and field selectors, shared by the engine and the sandbox.
// INTERIM interface (replaced by the real module on merge).
use serde_json::Value;
use std::collections::BTreeMap;
#[derive(Debug, Clone)]
pub struct SelectorError(pub String);
#[derive(Debug, Clone, Default)]
pub struct LabelSelector {
    reqs: Vec<(String, String)>,
}
impl LabelSelector {
    pub fn everything() -> Self {
        Self::default()
    }
    pub fn parse(s: &str) -> Result<Self, SelectorError> {
        let mut reqs = vec![];
        for p in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| SelectorError(format!("bad {p}")))?;
            reqs.push((k.trim().into(), v.trim_start_matches('=').trim().into()));
        }
        Ok(LabelSelector { reqs })
    }
    pub fn from_structured(_v: &Value) -> Result<Self, SelectorError> {
        Ok(Self::default())
    }
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.reqs.iter().all(|(k, v)| labels.get(k) == Some(v))
    }
    pub fn matches_object(&self, obj: &Value) -> bool {
        let labels: BTreeMap<String, String> = obj
            .pointer("/metadata/labels")
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .unwrap_or_default();
        self.matches(&labels)
    }
    pub fn is_everything(&self) -> bool {
        self.reqs.is_empty()
    }
}
#[derive(Debug, Clone, Default)]
pub struct FieldSelector {
    reqs: Vec<(String, String)>,
}
impl FieldSelector {
    pub fn parse(s: &str) -> Result<Self, SelectorError> {
        let l = LabelSelector::parse(s)?;
        Ok(FieldSelector { reqs: l.reqs })
    }
    pub fn check_supported(&self, _g: &str, _r: &str) -> Result<(), SelectorError> {
        Ok(())
    }
    pub fn matches(&self, obj: &Value) -> bool {
        self.reqs.iter().all(|(k, v)| {
            let p = format!("/{}", k.replace('.', "/"));
            obj.pointer(&p).and_then(|x| x.as_str()) == Some(v.as_str())
        })
    }
    pub fn pinned_name(&self) -> Option<&str> {
        self.reqs
            .iter()
            .find(|(k, _)| k == "metadata.name")
            .map(|(_, v)| v.as_str())
    }
}
