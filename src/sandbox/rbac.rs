//! RBAC authorization as the Kubernetes API server evaluates it, and the bootstrap policy.
// INTERIM interface (replaced by the real module on merge).
use serde_json::Value;
#[derive(Debug, Clone)]
pub struct UserInfo {
    pub name: String,
    pub uid: String,
    pub groups: Vec<String>,
}
pub enum Attributes {
    Resource {
        verb: String,
        group: String,
        resource: String,
        subresource: String,
        name: String,
        namespace: String,
    },
    NonResource {
        verb: String,
        path: String,
    },
}
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
}
pub struct Authorizer;
impl Authorizer {
    pub fn new(_cr: &[Value], _crb: &[Value], _r: &[Value], _rb: &[Value]) -> Self {
        Authorizer
    }
    pub fn authorize(&self, user: &UserInfo, _a: &Attributes) -> Decision {
        Decision {
            allowed: user.groups.iter().any(|g| g == "system:masters"),
            reason: String::new(),
        }
    }
    pub fn rules_for(&self, _user: &UserInfo, _ns: &str) -> (Vec<Value>, Vec<Value>) {
        (vec![], vec![])
    }
}
pub fn forbidden_message(_user: &UserInfo, _a: &Attributes, _res: &str) -> String {
    "forbidden".into()
}
pub fn bootstrap_policy() -> Vec<Value> {
    vec![]
}
