//! Label selectors (string and structured forms) and field selectors, shared by the engine and the sandbox.
//!
//! Both follow apimachinery (`pkg/labels`, `pkg/fields`) closely, error wording included, because the
//! sandbox answers `?labelSelector=` / `?fieldSelector=` with those messages and kubectl users recognise them.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::validation::{is_qualified_name, is_valid_label_value};

/// A selector that could not be parsed or validated; the message is what the API server puts in a
/// 400 BadRequest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SelectorError(pub String);

/// A label requirement's operator. `==` parses as [`Operator::Equals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One `key op values` term of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

impl Requirement {
    /// Validates like `labels.NewRequirement` (called without a field path): key and values must be
    /// valid label keys/values and the value count must fit the operator.
    fn new(key: &str, operator: Operator, values: Vec<String>) -> Result<Self, SelectorError> {
        let mut errs: Vec<String> = Vec::new();
        let key_errs = is_qualified_name(key);
        if !key_errs.is_empty() {
            errs.push(format!(
                "key: Invalid value: {}: {}",
                go_quote(key),
                key_errs.join("; ")
            ));
        }
        let count_error = match operator {
            Operator::In | Operator::NotIn if values.is_empty() => {
                Some("for 'in', 'notin' operators, values set can't be empty")
            }
            Operator::Equals | Operator::NotEquals if values.len() != 1 => {
                Some("exact-match compatibility requires one single value")
            }
            Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
                Some("values set must be empty for exists and does not exist")
            }
            Operator::GreaterThan | Operator::LessThan if values.len() != 1 => {
                Some("for 'Gt', 'Lt' operators, exactly one value is required")
            }
            _ => None,
        };
        if let Some(detail) = count_error {
            errs.push(format!(
                "values: Invalid value: {}: {detail}",
                go_string_slice(&values)
            ));
        }
        if matches!(operator, Operator::GreaterThan | Operator::LessThan) {
            for (i, v) in values.iter().enumerate() {
                if parse_go_int(v).is_none() {
                    errs.push(format!(
                        "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                        go_quote(v)
                    ));
                }
            }
        }
        for (i, v) in values.iter().enumerate() {
            let value_errs = is_valid_label_value(v);
            if !value_errs.is_empty() {
                errs.push(format!(
                    "values[{i}][{key}]: Invalid value: {}: {}",
                    go_quote(v),
                    value_errs.join("; ")
                ));
            }
        }
        if errs.is_empty() {
            Ok(Requirement {
                key: key.to_string(),
                operator,
                values,
            })
        } else {
            Err(SelectorError(aggregate(errs)))
        }
    }

    /// Whether these labels satisfy the requirement. `!=` and `notin` hold for labels lacking the key;
    /// `>`/`<` compare as 64-bit integers and fail on anything that is not one.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let got = labels.get(&self.key);
        match self.operator {
            Operator::Equals | Operator::In => got.is_some_and(|v| self.values.contains(v)),
            Operator::NotEquals | Operator::NotIn => got.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(have), [want]) = (got.and_then(|v| parse_go_int(v)), &self.values[..])
                else {
                    return false;
                };
                let Some(want) = parse_go_int(want) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.operator {
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
            Operator::Equals => "=",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
        };
        f.write_str(op)?;
        let mut values = self.values.clone();
        values.sort();
        let joined = values.join(",");
        if matches!(self.operator, Operator::In | Operator::NotIn) {
            write!(f, "({joined})")
        } else {
            f.write_str(&joined)
        }
    }
}

/// A label selector: the conjunction of its requirements, or "nothing" (what a null structured
/// selector means).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
    nothing: bool,
}

impl LabelSelector {
    /// Matches every object.
    pub fn everything() -> Self {
        LabelSelector {
            requirements: Vec::new(),
            nothing: false,
        }
    }

    /// Matches no object (a null `metav1.LabelSelector`).
    pub fn nothing() -> Self {
        LabelSelector {
            requirements: Vec::new(),
            nothing: true,
        }
    }

    /// A selector requiring exactly these labels (`SelectorFromSet`), unvalidated.
    pub fn from_set(labels: &BTreeMap<String, String>) -> Self {
        LabelSelector {
            requirements: labels
                .iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    operator: Operator::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
            nothing: false,
        }
    }

    /// Parses the string form (`k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k>1`,
    /// `k<1`, comma = AND) with apimachinery's grammar and messages.
    pub fn parse(s: &str) -> Result<Self, SelectorError> {
        let mut requirements = Parser::new(s).parse().map_err(SelectorError)?;
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector {
            requirements,
            nothing: false,
        })
    }

    /// Converts a structured `metav1.LabelSelector` (`matchLabels` + `matchExpressions` with
    /// In/NotIn/Exists/DoesNotExist). `null` selects nothing; `{}` selects everything.
    pub fn from_structured(v: &Value) -> Result<Self, SelectorError> {
        let obj = match v {
            Value::Null => return Ok(Self::nothing()),
            Value::Object(o) => o,
            other => {
                return Err(SelectorError(format!(
                    "a label selector must be an object, got {other}"
                )))
            }
        };
        let mut requirements = Vec::new();
        match obj.get("matchLabels") {
            None | Some(Value::Null) => {}
            Some(Value::Object(labels)) => {
                let mut keys: Vec<&String> = labels.keys().collect();
                keys.sort();
                for k in keys {
                    let Some(value) = labels[k].as_str() else {
                        return Err(SelectorError(format!(
                            "matchLabels[{k}]: value must be a string"
                        )));
                    };
                    requirements.push(Requirement::new(
                        k,
                        Operator::Equals,
                        vec![value.to_string()],
                    )?);
                }
            }
            Some(_) => {
                return Err(SelectorError(
                    "matchLabels: must be a map of strings".to_string(),
                ))
            }
        }
        let expressions = match obj.get("matchExpressions") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(a)) => &a[..],
            Some(_) => {
                return Err(SelectorError(
                    "matchExpressions: must be a list".to_string(),
                ))
            }
        };
        for expr in expressions {
            let op_text = expr.get("operator").and_then(Value::as_str).unwrap_or("");
            let operator = match op_text {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(SelectorError(format!(
                        "{} is not a valid label selector operator",
                        go_quote(other)
                    )))
                }
            };
            let key = expr.get("key").and_then(Value::as_str).unwrap_or("");
            let values = match expr.get("values") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(vals)) => vals
                    .iter()
                    .map(|v| {
                        v.as_str().map(str::to_string).ok_or_else(|| {
                            SelectorError("matchExpressions values must be strings".to_string())
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => {
                    return Err(SelectorError(
                        "matchExpressions values must be a list of strings".to_string(),
                    ))
                }
            };
            requirements.push(Requirement::new(key, operator, values)?);
        }
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector {
            requirements,
            nothing: false,
        })
    }

    /// Whether the labels satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// Matches against an object's `metadata.labels` (absent = no labels).
    pub fn matches_object(&self, obj: &Value) -> bool {
        if self.is_everything() {
            return true;
        }
        self.matches(&object_labels(obj))
    }

    /// True for the empty selector, which places no restriction.
    pub fn is_everything(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// True for the null structured selector, which selects nothing.
    pub fn is_nothing(&self) -> bool {
        self.nothing
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// The single value a selector demands for `key` (`key=v`, `key==v` or `key in (v)`), if any.
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        let r = self.requirements.iter().find(|r| r.key == key)?;
        match (r.operator, &r.values[..]) {
            (Operator::Equals | Operator::In, [v]) => Some(v),
            _ => None,
        }
    }
}

/// Canonical string form: requirements sorted by key, values sorted, `==` printed as `=`; it parses
/// back to the same selector. The "nothing" selector prints as an empty string, as in Go.
impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// An object's `metadata.labels` as a map; non-string values are skipped.
pub fn object_labels(obj: &Value) -> BTreeMap<String, String> {
    obj.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The string grammar, a port of apimachinery's lexer and recursive-descent parser, so that the same
// inputs are accepted and rejected with the same messages.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

fn keyword(s: &[u8]) -> Option<Token> {
    Some(match s {
        b")" => Token::ClosedPar,
        b"," => Token::Comma,
        b"!" => Token::DoesNotExist,
        b"==" => Token::DoubleEquals,
        b"=" => Token::Equals,
        b">" => Token::GreaterThan,
        b"in" => Token::In,
        b"<" => Token::LessThan,
        b"!=" => Token::NotEquals,
        b"notin" => Token::NotIn,
        b"(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// Splits the input into tokens. A NUL byte ends the input, as Go's lexer treats byte 0 as end of string.
fn lex(s: &str) -> Vec<(Token, String)> {
    let bytes = s.as_bytes();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let bytes = &bytes[..end];
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut pos = 0;
    let mut out = Vec::new();
    loop {
        while pos < bytes.len() && is_whitespace(bytes[pos]) {
            pos += 1;
        }
        if pos >= bytes.len() {
            out.push((Token::EndOfString, String::new()));
            return out;
        }
        let start = pos;
        if is_special(bytes[pos]) {
            // Longest run of special characters that still forms a token.
            let mut best = None;
            while pos < bytes.len() && is_special(bytes[pos]) {
                match keyword(&bytes[start..=pos]) {
                    Some(tok) => {
                        best = Some((tok, pos + 1));
                        pos += 1;
                    }
                    None if best.is_some() => break,
                    None => pos += 1,
                }
            }
            let (tok, stop) = best.expect("every single special character is a token");
            pos = stop;
            out.push((tok, text(&bytes[start..stop])));
        } else {
            while pos < bytes.len() && !is_special(bytes[pos]) && !is_whitespace(bytes[pos]) {
                pos += 1;
            }
            let lit = &bytes[start..pos];
            out.push((keyword(lit).unwrap_or(Token::Identifier), text(lit)));
        }
    }
}

struct Parser {
    items: Vec<(Token, String)>,
    position: usize,
}

impl Parser {
    fn new(s: &str) -> Self {
        Parser {
            items: lex(s),
            position: 0,
        }
    }

    fn lookahead(&self, ctx: Context) -> (Token, String) {
        let (tok, lit) = self.items[self.position.min(self.items.len() - 1)].clone();
        (Self::in_context(tok, ctx), lit)
    }

    fn consume(&mut self, ctx: Context) -> (Token, String) {
        let item = self.lookahead(ctx);
        self.position += 1;
        item
    }

    // `in` and `notin` are ordinary words where a key or value is expected.
    fn in_context(tok: Token, ctx: Context) -> Token {
        match (ctx, tok) {
            (Context::Values, Token::In | Token::NotIn) => Token::Identifier,
            _ => tok,
        }
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut requirements = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Context::Values);
            match tok {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self
                        .parse_requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    requirements.push(r);
                    let (t, l) = self.consume(Context::Values);
                    match t {
                        Token::EndOfString => return Ok(requirements),
                        Token::Comma => {
                            let (t2, l2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Token::EndOfString => return Ok(requirements),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ))
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, inferred) = self.parse_key_and_infer_operator()?;
        if let Some(op) = inferred {
            return Requirement::new(&key, op, Vec::new()).map_err(|e| e.0);
        }
        let operator = self.parse_operator()?;
        let values = match operator {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => vec![self.parse_exact_value()?],
        };
        Requirement::new(&key, operator, values).map_err(|e| e.0)
    }

    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<Operator>), String> {
        let (mut tok, mut lit) = self.consume(Context::Values);
        let negated = tok == Token::DoesNotExist;
        if negated {
            (tok, lit) = self.consume(Context::Values);
        }
        if tok != Token::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        let key_errs = is_qualified_name(&lit);
        if !key_errs.is_empty() {
            // Parsing validates the key with a nil field path, which Go prints as `<nil>`.
            return Err(format!(
                "<nil>: Invalid value: {}: {}",
                go_quote(&lit),
                key_errs.join("; ")
            ));
        }
        let (next, _) = self.lookahead(Context::Values);
        let op = if negated {
            Some(Operator::DoesNotExist)
        } else if matches!(next, Token::EndOfString | Token::Comma) {
            Some(Operator::Exists)
        } else {
            None
        };
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Operator, String> {
        let (tok, lit) = self.consume(Context::KeyAndOperator);
        Ok(match tok {
            Token::In => Operator::In,
            Token::Equals | Token::DoubleEquals => Operator::Equals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            // Go's message really lacks the quote before notin.
            _ => {
                return Err(format!(
                    "found '{lit}', expected: '=', '!=', '==', 'in', notin'"
                ))
            }
        })
    }

    /// `( a, b, , c )`: a sorted, de-duplicated set; empty slots are the empty value.
    fn parse_values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Context::Values);
        if tok != Token::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(Context::Values);
        match tok {
            Token::Identifier | Token::Comma => {
                let mut set = self.parse_identifiers_list()?;
                let (closing, _) = self.consume(Context::Values);
                if closing != Token::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                set.sort();
                set.dedup();
                Ok(set)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        loop {
            let (tok, lit) = self.consume(Context::Values);
            match tok {
                Token::Identifier => {
                    set.push(lit);
                    let (t2, l2) = self.lookahead(Context::Values);
                    match t2 {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if set.is_empty() {
                        set.push(String::new());
                    }
                    let (t2, _) = self.lookahead(Context::Values);
                    if t2 == Token::ClosedPar {
                        set.push(String::new());
                        return Ok(set);
                    }
                    if t2 == Token::Comma {
                        self.consume(Context::Values);
                        set.push(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<String, String> {
        let (tok, _) = self.lookahead(Context::Values);
        if matches!(tok, Token::EndOfString | Token::Comma) {
            return Ok(String::new());
        }
        let (tok, lit) = self.consume(Context::Values);
        if tok == Token::Identifier {
            Ok(lit)
        } else {
            Err(format!("found '{lit}', expected: identifier"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Field selectors.

/// One `field=value` / `field!=value` term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    pub value: String,
    /// `!=` rather than `=`/`==`.
    pub negated: bool,
}

/// A field selector: the conjunction of its terms (empty = everything).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
}

/// Field labels every resource supports.
const COMMON_FIELDS: &[&str] = &["metadata.name", "metadata.namespace"];

/// Extra field labels per (group, resource), as the built-in registries declare them.
fn extra_fields(group: &str, resource: &str) -> &'static [&'static str] {
    match (group, resource) {
        ("", "pods") => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        ("", "secrets") => &["type"],
        ("", "namespaces") => &["status.phase"],
        ("", "nodes") => &["spec.unschedulable"],
        ("", "events") => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        ("", "replicationcontrollers") | ("apps", "replicasets") => &["status.replicas"],
        ("batch", "jobs") => &["status.successful"],
        _ => &[],
    }
}

impl FieldSelector {
    /// Selects everything.
    pub fn everything() -> Self {
        FieldSelector::default()
    }

    /// Parses `f=v`, `f==v`, `f!=v` joined by commas; `\,`, `\=` and `\\` escape characters in values.
    /// Whitespace is not trimmed (a term `a = b` has the field `a `), exactly like apimachinery.
    pub fn parse(s: &str) -> Result<Self, SelectorError> {
        let mut parts = split_terms(s);
        parts.sort();
        let mut terms = Vec::new();
        for part in parts.iter().filter(|p| !p.is_empty()) {
            let Some((lhs, op, rhs)) = split_term(part) else {
                return Err(SelectorError(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                )));
            };
            terms.push(FieldTerm {
                field: lhs.to_string(),
                value: unescape_value(rhs)?,
                negated: op == "!=",
            });
        }
        Ok(FieldSelector { terms })
    }

    /// Checks every field is supported for that resource (plural, group) per §9.1 ⇒ Err("field label not supported: f").
    pub fn check_supported(&self, group: &str, resource: &str) -> Result<(), SelectorError> {
        self.check_supported_with(group, resource, &[])
    }

    /// [`Self::check_supported`] plus a custom resource's `spec.selectableFields` JSON paths
    /// (`.spec.color` makes `spec.color` selectable).
    pub fn check_supported_with(
        &self,
        group: &str,
        resource: &str,
        selectable_fields: &[String],
    ) -> Result<(), SelectorError> {
        let extra = extra_fields(group, resource);
        for term in &self.terms {
            let f = term.field.as_str();
            let supported = COMMON_FIELDS.contains(&f)
                || extra.contains(&f)
                || selectable_fields
                    .iter()
                    .any(|p| p.strip_prefix('.').unwrap_or(p) == f);
            if !supported {
                return Err(SelectorError(format!("field label not supported: {f}")));
            }
        }
        Ok(())
    }

    /// Whether the object satisfies every term. Fields are read as the API server exposes them:
    /// booleans and integers in their decimal text, absent strings as `""`, absent counters as `0`.
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms
            .iter()
            .all(|t| (field_value(obj, &t.field) == t.value) != t.negated)
    }

    /// `Some(name)` when the selector pins metadata.name=NAME (RBAC name-restricted list/watch needs it).
    pub fn pinned_name(&self) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.field == "metadata.name" && !t.negated)
            .map(|t| t.value.as_str())
    }

    pub fn is_everything(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn terms(&self) -> &[FieldTerm] {
        &self.terms
    }
}

impl fmt::Display for FieldSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            let op = if t.negated { "!=" } else { "=" };
            write!(f, "{}{op}{}", t.field, escape_value(&t.value))?;
        }
        Ok(())
    }
}

/// The value a field selector sees for `field` on `obj`.
fn field_value(obj: &Value, field: &str) -> String {
    let path = if field == "source" {
        // Events expose `source` as the reporting component.
        "source.component"
    } else {
        field
    };
    let mut cur = Some(obj);
    for seg in path.split('.') {
        cur = cur.and_then(|v| v.get(seg));
    }
    match cur {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => match field {
            "spec.hostNetwork" | "spec.unschedulable" => "false".to_string(),
            "status.replicas" | "status.successful" => "0".to_string(),
            _ => String::new(),
        },
    }
}

fn split_terms(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in s.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(s[start..i].to_string());
            start = i + 1;
        }
    }
    terms.push(s[start..].to_string());
    terms
}

fn split_term(term: &str) -> Option<(&str, &'static str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if let Some(value) = rest.strip_prefix(op) {
                return Some((&term[..i], op, value));
            }
        }
    }
    None
}

fn unescape_value(s: &str) -> Result<String, SelectorError> {
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            if matches!(c, '\\' | ',' | '=') {
                out.push(c);
            } else {
                return Err(SelectorError(format!(
                    "invalid field selector: invalid escape sequence: \\{c}"
                )));
            }
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            // Go formats the rune with %v, i.e. as its code point number.
            ',' | '=' => {
                return Err(SelectorError(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                )))
            }
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err(SelectorError(
            "invalid field selector: invalid escape sequence: \\".to_string(),
        ));
    }
    Ok(out)
}

fn escape_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('=', "\\=")
}

// ---------------------------------------------------------------------------------------------
// Go formatting helpers.

/// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits only.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `%q` for a string (close enough: printable characters kept, controls escaped Go-style).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#v` of a `[]string`. Empty renders as `[]string(nil)`: every path that reports an empty
/// value list copies it with `append([]string(nil), ...)`, which yields nil.
fn go_string_slice(v: &[String]) -> String {
    if v.is_empty() {
        return "[]string(nil)".to_string();
    }
    format!(
        "[]string{{{}}}",
        v.iter().map(|s| go_quote(s)).collect::<Vec<_>>().join(", ")
    )
}

/// `utilerrors.NewAggregate(...).Error()`: one message bare, several de-duplicated in brackets.
pub fn aggregate(errs: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn sel(s: &str) -> LabelSelector {
        LabelSelector::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn parse_err(s: &str) -> String {
        LabelSelector::parse(s).unwrap_err().0
    }

    #[test]
    fn empty_and_blank_selectors_match_everything() {
        for s in ["", "   ", "\t\n"] {
            let l = sel(s);
            assert!(l.is_everything());
            assert!(l.matches(&labels(&[])));
        }
    }

    #[test]
    fn equality_forms_require_the_key_with_that_value() {
        for s in ["app=web", "app==web", " app = web "] {
            let l = sel(s);
            assert!(l.matches(&labels(&[("app", "web")])), "{s}");
            assert!(!l.matches(&labels(&[("app", "db")])), "{s}");
            assert!(!l.matches(&labels(&[])), "{s}");
        }
    }

    #[test]
    fn not_equals_matches_objects_without_the_key() {
        let l = sel("app!=web");
        assert!(l.matches(&labels(&[])));
        assert!(l.matches(&labels(&[("app", "db")])));
        assert!(!l.matches(&labels(&[("app", "web")])));
    }

    #[test]
    fn empty_value_matches_only_an_empty_label() {
        let l = sel("tier=");
        assert!(l.matches(&labels(&[("tier", "")])));
        assert!(!l.matches(&labels(&[("tier", "x")])));
        assert!(!l.matches(&labels(&[])));
        assert_eq!(sel("a=,b").requirements().len(), 2);
    }

    #[test]
    fn set_forms_match_members_and_notin_matches_missing_keys() {
        let l = sel("env in (prod, staging)");
        assert!(l.matches(&labels(&[("env", "staging")])));
        assert!(!l.matches(&labels(&[("env", "dev")])));
        assert!(!l.matches(&labels(&[])));
        let l = sel("env notin (prod,staging)");
        assert!(l.matches(&labels(&[])));
        assert!(l.matches(&labels(&[("env", "dev")])));
        assert!(!l.matches(&labels(&[("env", "prod")])));
    }

    #[test]
    fn empty_set_slots_are_the_empty_value() {
        assert_eq!(sel("k in ()").requirements()[0].values, vec![""]);
        assert_eq!(sel("k in (,a)").requirements()[0].values, vec!["", "a"]);
        assert_eq!(
            sel("k in (a,,b)").requirements()[0].values,
            vec!["", "a", "b"]
        );
        assert_eq!(sel("k in (a,)").requirements()[0].values, vec!["", "a"]);
    }

    #[test]
    fn in_and_notin_are_plain_words_as_keys_and_values() {
        let l = sel("in in (in,notin)");
        assert!(l.matches(&labels(&[("in", "notin")])));
        assert!(sel("notin").matches(&labels(&[("notin", "")])));
    }

    #[test]
    fn exists_and_does_not_exist() {
        let l = sel("app,!canary");
        assert!(l.matches(&labels(&[("app", "")])));
        assert!(!l.matches(&labels(&[("app", "x"), ("canary", "1")])));
        assert!(!l.matches(&labels(&[])));
        assert!(sel("! canary").matches(&labels(&[])));
    }

    #[test]
    fn greater_and_less_than_compare_integers() {
        let gt = sel("replicas>5");
        assert!(gt.matches(&labels(&[("replicas", "6")])));
        assert!(!gt.matches(&labels(&[("replicas", "5")])));
        assert!(!gt.matches(&labels(&[("replicas", "x")])));
        assert!(!gt.matches(&labels(&[])));
        let lt = sel("replicas < 10");
        assert!(lt.matches(&labels(&[("replicas", "9")])));
        assert!(!lt.matches(&labels(&[("replicas", "10")])));
    }

    #[test]
    fn comma_is_a_conjunction() {
        let l = sel("app=web, env in (prod), !legacy");
        assert!(l.matches(&labels(&[("app", "web"), ("env", "prod")])));
        assert!(!l.matches(&labels(&[("app", "web"), ("env", "dev")])));
        assert!(!l.matches(&labels(&[("app", "web"), ("env", "prod"), ("legacy", "1")])));
    }

    #[test]
    fn prefixed_keys_are_accepted() {
        assert!(sel("kubefed.io/managed=true").matches(&labels(&[("kubefed.io/managed", "true")])));
    }

    #[test]
    fn display_is_canonical_and_round_trips() {
        let l = sel("z notin (b,a), app==web, !x, y, n>3, m<4, q!=");
        let text = l.to_string();
        assert_eq!(text, "app=web,m<4,n>3,q!=,!x,y,z notin (a,b)");
        assert_eq!(sel(&text), l);
        assert_eq!(sel("k in ()").to_string(), "k in ()");
        assert_eq!(sel(&sel("k in ()").to_string()), sel("k in ()"));
    }

    #[test]
    fn parse_errors_use_apimachinery_wording() {
        assert_eq!(
            parse_err("a=b,"),
            "found '', expected: identifier after ','"
        );
        assert_eq!(
            parse_err("a=b c"),
            "found 'c', expected: ',' or 'end of string'"
        );
        assert_eq!(
            parse_err("=b"),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            parse_err("a b"),
            "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'"
        );
        assert_eq!(
            parse_err("a in b"),
            "unable to parse requirement: found 'b' expected: '('"
        );
        assert_eq!(
            parse_err("a in (b"),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            parse_err("a in (="),
            "unable to parse requirement: found '=', expected: ',', ')' or identifier"
        );
        assert_eq!(
            parse_err("a=(b)"),
            "unable to parse requirement: found '(', expected: identifier"
        );
        assert_eq!(
            parse_err("!=a"),
            "found '!=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            parse_err("!,a"),
            "unable to parse requirement: found ',', expected: identifier"
        );
    }

    #[test]
    fn double_equals_without_value_means_empty_value() {
        assert_eq!(sel("a==").requirements()[0].values, vec![""]);
    }

    #[test]
    fn invalid_key_is_reported_with_a_nil_path() {
        assert_eq!(
            parse_err("a@b=c"),
            "unable to parse requirement: <nil>: Invalid value: \"a@b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
    }

    #[test]
    fn invalid_value_is_reported_under_values_index_and_key() {
        let e = parse_err("app=a@b");
        assert!(
            e.starts_with("unable to parse requirement: values[0][app]: Invalid value: \"a@b\": a valid label must be"),
            "{e}"
        );
    }

    #[test]
    fn non_integer_comparison_value_is_rejected() {
        let e = parse_err("n>x");
        assert!(
            e.starts_with("unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
            "{e}"
        );
    }

    #[test]
    fn structured_selector_combines_labels_and_expressions() {
        let l = LabelSelector::from_structured(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "env", "operator": "In", "values": ["prod", "staging"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "region", "operator": "NotIn", "values": ["eu"]},
                {"key": "tier", "operator": "Exists"}
            ]
        }))
        .unwrap();
        assert!(l.matches(&labels(&[("app", "web"), ("env", "prod"), ("tier", "")])));
        assert!(!l.matches(&labels(&[("app", "web"), ("env", "prod")])));
        assert!(!l.matches(&labels(&[
            ("app", "web"),
            ("env", "prod"),
            ("tier", ""),
            ("region", "eu")
        ])));
        assert_eq!(
            l.to_string(),
            "app=web,!canary,env in (prod,staging),region notin (eu),tier"
        );
    }

    #[test]
    fn structured_empty_selects_everything_and_null_selects_nothing() {
        let all = LabelSelector::from_structured(&json!({})).unwrap();
        assert!(all.is_everything());
        assert!(all.matches(&labels(&[])));
        let all = LabelSelector::from_structured(&json!({"matchLabels": {}})).unwrap();
        assert!(all.is_everything());
        let none = LabelSelector::from_structured(&Value::Null).unwrap();
        assert!(none.is_nothing() && !none.is_everything());
        assert!(!none.matches(&labels(&[("a", "b")])));
    }

    #[test]
    fn structured_invalid_operator_is_an_error() {
        let err = LabelSelector::from_structured(&json!({
            "matchExpressions": [{"key": "a", "operator": "Equals", "values": ["b"]}]
        }))
        .unwrap_err();
        assert_eq!(err.0, "\"Equals\" is not a valid label selector operator");
        let err = LabelSelector::from_structured(&json!({"matchExpressions": [{"key": "a"}]}))
            .unwrap_err();
        assert_eq!(err.0, "\"\" is not a valid label selector operator");
    }

    #[test]
    fn structured_value_count_errors_match_new_requirement() {
        let err = LabelSelector::from_structured(&json!({
            "matchExpressions": [{"key": "a", "operator": "In", "values": []}]
        }))
        .unwrap_err();
        assert_eq!(
            err.0,
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
        );
        let err = LabelSelector::from_structured(&json!({
            "matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x", "y"]}]
        }))
        .unwrap_err();
        assert_eq!(
            err.0,
            "values: Invalid value: []string{\"x\", \"y\"}: values set must be empty for exists and does not exist"
        );
    }

    #[test]
    fn structured_bad_key_and_value_are_aggregated() {
        let err = LabelSelector::from_structured(&json!({"matchLabels": {"bad key": "bad value"}}))
            .unwrap_err();
        assert!(
            err.0
                .starts_with("[key: Invalid value: \"bad key\": name part"),
            "{}",
            err.0
        );
        assert!(err
            .0
            .contains(", values[0][bad key]: Invalid value: \"bad value\": a valid label"));
        assert!(err.0.ends_with(']'));
    }

    #[test]
    fn matches_object_reads_metadata_labels() {
        let l = sel("app=web");
        assert!(l.matches_object(&json!({"metadata": {"labels": {"app": "web"}}})));
        assert!(!l.matches_object(&json!({"metadata": {}})));
        assert!(sel("!app").matches_object(&json!({})));
    }

    #[test]
    fn requires_exact_match_finds_pinned_values() {
        assert_eq!(sel("a=1,b in (2)").requires_exact_match("b"), Some("2"));
        assert_eq!(sel("a=1").requires_exact_match("a"), Some("1"));
        assert_eq!(sel("a in (1,2)").requires_exact_match("a"), None);
        assert_eq!(sel("a!=1").requires_exact_match("a"), None);
    }

    #[test]
    fn from_set_requires_every_pair() {
        let l = LabelSelector::from_set(&labels(&[("a", "1"), ("b", "2")]));
        assert_eq!(l.to_string(), "a=1,b=2");
        assert!(!l.matches(&labels(&[("a", "1")])));
    }

    // ---- field selectors ----

    fn fsel(s: &str) -> FieldSelector {
        FieldSelector::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn field_selector_forms_and_conjunction() {
        let cm = json!({"metadata": {"name": "c1", "namespace": "ns"}});
        assert!(fsel("metadata.name=c1").matches(&cm));
        assert!(fsel("metadata.name==c1").matches(&cm));
        assert!(!fsel("metadata.name!=c1").matches(&cm));
        assert!(fsel("metadata.name=c1,metadata.namespace=ns").matches(&cm));
        assert!(!fsel("metadata.name=c1,metadata.namespace!=ns").matches(&cm));
        assert!(fsel("").matches(&cm) && fsel("").is_everything());
    }

    #[test]
    fn field_selector_empty_value_matches_absent_field() {
        let node_less_pod = json!({"metadata": {"name": "p"}, "spec": {}});
        assert!(fsel("spec.nodeName=").matches(&node_less_pod));
        assert!(!fsel("spec.nodeName!=").matches(&node_less_pod));
    }

    #[test]
    fn field_selector_renders_booleans_and_counters_with_defaults() {
        let pod = json!({"spec": {"hostNetwork": true}});
        assert!(fsel("spec.hostNetwork=true").matches(&pod));
        assert!(fsel("spec.hostNetwork=false").matches(&json!({"spec": {}})));
        assert!(fsel("status.replicas=0").matches(&json!({})));
        assert!(fsel("status.replicas=3").matches(&json!({"status": {"replicas": 3}})));
    }

    #[test]
    fn field_selector_reads_event_source_component() {
        let ev = json!({"source": {"component": "kubelet"}, "involvedObject": {"kind": "Pod"}, "type": "Warning"});
        assert!(fsel("source=kubelet,involvedObject.kind=Pod,type=Warning").matches(&ev));
    }

    #[test]
    fn field_selector_values_unescape() {
        let s = fsel(r"metadata.name=a\,b\=c\\d");
        assert_eq!(s.terms()[0].value, r"a,b=c\d");
        assert_eq!(s.to_string(), r"metadata.name=a\,b\=c\\d");
    }

    #[test]
    fn field_selector_parse_errors_use_apimachinery_wording() {
        assert_eq!(
            FieldSelector::parse("metadata.name").unwrap_err().0,
            "invalid selector: 'metadata.name'; can't understand 'metadata.name'"
        );
        assert_eq!(
            FieldSelector::parse("a=b=c").unwrap_err().0,
            "invalid field selector: unescaped character in value: 61"
        );
        assert_eq!(
            FieldSelector::parse(r"a=b\x").unwrap_err().0,
            r"invalid field selector: invalid escape sequence: \x"
        );
        assert_eq!(
            FieldSelector::parse(r"a=b\").unwrap_err().0,
            r"invalid field selector: invalid escape sequence: \"
        );
    }

    #[test]
    fn field_selector_keeps_whitespace_in_field_names() {
        let s = fsel("metadata.name = x");
        assert_eq!(s.terms()[0].field, "metadata.name ");
        assert_eq!(
            s.check_supported("", "configmaps").unwrap_err().0,
            "field label not supported: metadata.name "
        );
    }

    #[test]
    fn field_labels_are_checked_per_resource() {
        assert!(fsel("metadata.name=a,metadata.namespace=b")
            .check_supported("", "configmaps")
            .is_ok());
        assert!(fsel("spec.nodeName=n,status.phase=Running")
            .check_supported("", "pods")
            .is_ok());
        assert!(fsel("type=Opaque").check_supported("", "secrets").is_ok());
        assert!(fsel("status.phase=Active")
            .check_supported("", "namespaces")
            .is_ok());
        assert!(fsel("spec.unschedulable=false")
            .check_supported("", "nodes")
            .is_ok());
        assert!(fsel("status.replicas=1")
            .check_supported("apps", "replicasets")
            .is_ok());
        assert!(fsel("status.successful=1")
            .check_supported("batch", "jobs")
            .is_ok());
        assert!(fsel("involvedObject.name=x,reason=y")
            .check_supported("", "events")
            .is_ok());
        assert_eq!(
            fsel("type=Opaque")
                .check_supported("", "configmaps")
                .unwrap_err()
                .0,
            "field label not supported: type"
        );
        assert_eq!(
            fsel("status.replicas=1")
                .check_supported("apps", "deployments")
                .unwrap_err()
                .0,
            "field label not supported: status.replicas"
        );
    }

    #[test]
    fn custom_resources_accept_their_selectable_fields() {
        let s = fsel("spec.color=red");
        assert!(s.check_supported("example.com", "widgets").is_err());
        assert!(s
            .check_supported_with("example.com", "widgets", &[".spec.color".to_string()])
            .is_ok());
        assert!(s.matches(&json!({"spec": {"color": "red"}})));
    }

    #[test]
    fn pinned_name_comes_from_an_equality_on_metadata_name() {
        assert_eq!(fsel("metadata.name=c1").pinned_name(), Some("c1"));
        assert_eq!(
            fsel("metadata.namespace=x,metadata.name==c2").pinned_name(),
            Some("c2")
        );
        assert_eq!(fsel("metadata.name!=c1").pinned_name(), None);
        assert_eq!(fsel("").pinned_name(), None);
    }

    #[test]
    fn go_quote_escapes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\x01\"");
        assert_eq!(go_quote("é"), "\"é\"");
    }
}
