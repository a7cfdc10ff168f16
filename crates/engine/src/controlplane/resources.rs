//! The API types the control-plane commands touch, their kubectl-style names, and the handful of
//! requests (get, list, create, apply, merge patch, delete) made on them as plain JSON.

use anyhow::Context as _;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use serde_json::Value;

use crate::kubefed::types::ApiResource as KubeFedApiResource;

use super::FIELD_MANAGER;

/// One API resource: enough to build its URL and to name its objects the way kubectl does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Empty for the core group.
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
}

impl Resource {
    pub fn new(group: &str, version: &str, kind: &str, plural: &str, namespaced: bool) -> Self {
        Resource {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
            plural: plural.to_string(),
            namespaced,
        }
    }

    pub fn namespace() -> Self {
        Resource::new("", "v1", "Namespace", "namespaces", false)
    }
    pub fn service_account() -> Self {
        Resource::new("", "v1", "ServiceAccount", "serviceaccounts", true)
    }
    pub fn secret() -> Self {
        Resource::new("", "v1", "Secret", "secrets", true)
    }
    pub fn cluster_role() -> Self {
        Resource::new(RBAC_GROUP, "v1", "ClusterRole", "clusterroles", false)
    }
    pub fn cluster_role_binding() -> Self {
        Resource::new(
            RBAC_GROUP,
            "v1",
            "ClusterRoleBinding",
            "clusterrolebindings",
            false,
        )
    }
    pub fn role() -> Self {
        Resource::new(RBAC_GROUP, "v1", "Role", "roles", true)
    }
    pub fn role_binding() -> Self {
        Resource::new(RBAC_GROUP, "v1", "RoleBinding", "rolebindings", true)
    }
    pub fn crd() -> Self {
        Resource::new(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
            "customresourcedefinitions",
            false,
        )
    }
    pub fn kubefed_config() -> Self {
        Resource::new(
            crate::kubefed::CORE_GROUP,
            crate::kubefed::CORE_VERSION,
            "KubeFedConfig",
            "kubefedconfigs",
            true,
        )
    }
    pub fn kubefed_cluster() -> Self {
        Resource::new(
            crate::kubefed::CORE_GROUP,
            crate::kubefed::CORE_VERSION,
            "KubeFedCluster",
            "kubefedclusters",
            true,
        )
    }
    pub fn federated_type_config() -> Self {
        Resource::new(
            crate::kubefed::CORE_GROUP,
            crate::kubefed::CORE_VERSION,
            "FederatedTypeConfig",
            "federatedtypeconfigs",
            true,
        )
    }
    pub fn token_review() -> Self {
        Resource::new(
            "authentication.k8s.io",
            "v1",
            "TokenReview",
            "tokenreviews",
            false,
        )
    }

    /// The resource an FTC's `federatedType` (or `targetType`) describes.
    pub fn from_kubefed(r: &KubeFedApiResource) -> Self {
        Resource::new(
            &r.group,
            &r.version,
            &r.kind,
            &r.plural_name,
            r.is_namespaced(),
        )
    }

    /// The types these commands write, recognised from an object's `apiVersion` and `kind`.
    pub fn of(obj: &Value) -> Option<Self> {
        let api_version = obj["apiVersion"].as_str()?;
        let kind = obj["kind"].as_str()?;
        let known = [
            Resource::namespace(),
            Resource::service_account(),
            Resource::secret(),
            Resource::cluster_role(),
            Resource::cluster_role_binding(),
            Resource::role(),
            Resource::role_binding(),
            Resource::crd(),
            Resource::kubefed_config(),
            Resource::kubefed_cluster(),
            Resource::federated_type_config(),
        ];
        known
            .into_iter()
            .find(|r| r.kind == kind && r.api_version() == api_version)
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// How kubectl names an object of this type in `apply`/`delete` output: `kind[.group]/name`.
    pub fn reference(&self, name: &str) -> String {
        let kind = self.kind.to_lowercase();
        if self.group.is_empty() {
            format!("{kind}/{name}")
        } else {
            format!("{kind}.{}/{name}", self.group)
        }
    }

    /// The type as `kube` names it.
    pub fn api_resource(&self) -> kube::core::ApiResource {
        kube::core::ApiResource {
            group: self.group.clone(),
            version: self.version.clone(),
            api_version: self.api_version(),
            kind: self.kind.clone(),
            plural: self.plural.clone(),
        }
    }

    /// The client-side handle: namespaced types in `ns` (all namespaces when `None`).
    fn api(&self, client: &kube::Client, ns: Option<&str>) -> Api<DynamicObject> {
        let ar = self.api_resource();
        match ns {
            Some(ns) if self.namespaced => Api::namespaced_with(client.clone(), ns, &ar),
            _ => Api::all_with(client.clone(), &ar),
        }
    }
}

pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// `name` in `namespace`, or `name` alone, as KubeFed's qualified names read.
pub fn qualified(ns: Option<&str>, name: &str) -> String {
    match ns {
        Some(ns) if !ns.is_empty() => format!("{ns}/{name}"),
        _ => name.to_string(),
    }
}

/// The HTTP status of an API error, when the server answered one.
pub fn status_code(err: &anyhow::Error) -> Option<u16> {
    err.chain()
        .find_map(|e| match e.downcast_ref::<kube::Error>() {
            Some(kube::Error::Api(status)) => Some(status.code),
            _ => None,
        })
}

fn is_code(err: &kube::Error, code: u16) -> bool {
    matches!(err, kube::Error::Api(s) if s.code == code)
}

fn to_value(obj: DynamicObject) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(obj)?)
}

fn to_dynamic(obj: &Value) -> anyhow::Result<DynamicObject> {
    serde_json::from_value(obj.clone()).context("object is not a Kubernetes object")
}

fn namespace_of(obj: &Value) -> Option<&str> {
    obj["metadata"]["namespace"].as_str()
}

fn name_of(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or("")
}

fn resource_for(obj: &Value) -> anyhow::Result<Resource> {
    Resource::of(obj).ok_or_else(|| {
        anyhow::anyhow!(
            "no known resource for apiVersion {} kind {}",
            obj["apiVersion"],
            obj["kind"]
        )
    })
}

/// GET one object; `None` when it (or its type) does not exist.
pub async fn get(
    client: &kube::Client,
    res: &Resource,
    ns: Option<&str>,
    name: &str,
) -> anyhow::Result<Option<Value>> {
    match res.api(client, ns).get(name).await {
        Ok(obj) => Ok(Some(to_value(obj)?)),
        Err(e) if is_code(&e, 404) => Ok(None),
        Err(e) => {
            Err(anyhow::Error::new(e).context(format!("cannot get {}", ref_in(res, ns, name))))
        }
    }
}

/// GET through a typed handle: `None` for a missing object and for a type the server does not serve
/// (a real server's mux answers a plain-text "404 page not found" there, not a NotFound Status, which
/// `Api::get_opt` would pass on as an error).
pub async fn get_opt<K>(api: &Api<K>, name: &str) -> kube::Result<Option<K>>
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api.get(name).await {
        Ok(obj) => Ok(Some(obj)),
        Err(e) if is_code(&e, 404) => Ok(None),
        Err(e) => Err(e),
    }
}

/// LIST a type, in `ns` or in all namespaces; empty when the type is not served.
pub async fn list(
    client: &kube::Client,
    res: &Resource,
    ns: Option<&str>,
) -> anyhow::Result<Vec<Value>> {
    list_selected(client, res, ns, None).await
}

/// LIST a type's objects matching a label selector (all of them when `None`), in `ns` or in all
/// namespaces; empty when the type is not served.
pub async fn list_selected(
    client: &kube::Client,
    res: &Resource,
    ns: Option<&str>,
    labels: Option<&str>,
) -> anyhow::Result<Vec<Value>> {
    let params = match labels {
        Some(l) => ListParams::default().labels(l),
        None => ListParams::default(),
    };
    match res.api(client, ns).list(&params).await {
        Ok(list) => list
            .items
            .into_iter()
            .map(|mut o| {
                // List items come without their type; put it back so they stand on their own.
                o.types = Some(kube::core::TypeMeta {
                    api_version: res.api_version(),
                    kind: res.kind.clone(),
                });
                to_value(o)
            })
            .collect(),
        Err(e) if is_code(&e, 404) => Ok(Vec::new()),
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot list {}", res.plural))),
    }
}

/// POST an object (honouring `generateName`); returns what the server stored.
pub async fn create(client: &kube::Client, obj: &Value) -> anyhow::Result<Value> {
    let res = resource_for(obj)?;
    let ns = namespace_of(obj);
    let created = res
        .api(client, ns)
        .create(&PostParams::default(), &to_dynamic(obj)?)
        .await
        .with_context(|| {
            let name = obj["metadata"]["name"]
                .as_str()
                .or(obj["metadata"]["generateName"].as_str())
                .unwrap_or("");
            format!("cannot create {}", ref_in(&res, ns, name))
        })?;
    to_value(created)
}

/// Server-side apply as [`FIELD_MANAGER`], taking over conflicting fields (the object is ours).
pub async fn apply(client: &kube::Client, obj: &Value) -> anyhow::Result<Value> {
    let res = resource_for(obj)?;
    let ns = namespace_of(obj);
    let name = name_of(obj);
    let params = PatchParams::apply(FIELD_MANAGER).force();
    let applied = res
        .api(client, ns)
        .patch(name, &params, &Patch::Apply(obj))
        .await
        .with_context(|| format!("cannot apply {}", ref_in(&res, ns, name)))?;
    to_value(applied)
}

/// JSON merge patch; `None` when the object is gone.
pub async fn merge_patch(
    client: &kube::Client,
    res: &Resource,
    ns: Option<&str>,
    name: &str,
    patch: &Value,
) -> anyhow::Result<Option<Value>> {
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..Default::default()
    };
    match res
        .api(client, ns)
        .patch(name, &params, &Patch::Merge(patch))
        .await
    {
        Ok(obj) => Ok(Some(to_value(obj)?)),
        Err(e) if is_code(&e, 404) => Ok(None),
        Err(e) => {
            Err(anyhow::Error::new(e).context(format!("cannot patch {}", ref_in(res, ns, name))))
        }
    }
}

/// DELETE one object (background propagation, as kubectl); `false` when it was already gone.
pub async fn delete(
    client: &kube::Client,
    res: &Resource,
    ns: Option<&str>,
    name: &str,
) -> anyhow::Result<bool> {
    match res
        .api(client, ns)
        .delete(name, &DeleteParams::background())
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if is_code(&e, 404) => Ok(false),
        Err(e) => {
            Err(anyhow::Error::new(e).context(format!("cannot delete {}", ref_in(res, ns, name))))
        }
    }
}

/// Waits until every listed object (type, namespace, name) is gone, polling with a short backoff;
/// returns the references of those still present when `timeout` runs out (empty: all gone).
/// Deletion is asynchronous on a real API server: a namespace stays `Terminating` until its
/// contents are removed, a CRD until its objects are.
pub async fn wait_gone(
    client: &kube::Client,
    objects: &[(Resource, Option<&str>, &str)],
    timeout: std::time::Duration,
) -> anyhow::Result<Vec<String>> {
    let gone = crate::wait::poll(timeout, std::time::Duration::from_millis(500), || async {
        let mut left = Vec::new();
        for (res, ns, name) in objects {
            if get(client, res, *ns, name).await?.is_some() {
                left.push(ref_in(res, *ns, name));
            }
        }
        Ok(if left.is_empty() { Ok(()) } else { Err(left) })
    })
    .await?;
    Ok(gone.err().unwrap_or_default())
}

/// POST to a create-only review API and return the answer (its `status`).
pub async fn review(client: &kube::Client, res: &Resource, body: &Value) -> anyhow::Result<Value> {
    let created = res
        .api(client, None)
        .create(&PostParams::default(), &to_dynamic(body)?)
        .await
        .with_context(|| format!("cannot create a {}", res.kind))?;
    Ok(to_value(created)?["status"].clone())
}

fn ref_in(res: &Resource, ns: Option<&str>, name: &str) -> String {
    match ns {
        Some(ns) if res.namespaced => format!("{} in namespace {ns}", res.reference(name)),
        _ => res.reference(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_objects_are_named_without_a_group() {
        assert_eq!(
            Resource::namespace().reference("kube-federation-system"),
            "namespace/kube-federation-system"
        );
        assert_eq!(Resource::secret().reference("m1-abcde"), "secret/m1-abcde");
    }

    #[test]
    fn grouped_objects_are_named_kind_dot_group() {
        assert_eq!(
            Resource::crd().reference("kubefedclusters.core.kubefed.io"),
            "customresourcedefinition.apiextensions.k8s.io/kubefedclusters.core.kubefed.io"
        );
        assert_eq!(
            Resource::kubefed_config().reference("kubefed"),
            "kubefedconfig.core.kubefed.io/kubefed"
        );
    }

    #[test]
    fn known_objects_are_recognised_by_api_version_and_kind() {
        let crb =
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding"});
        assert_eq!(Resource::of(&crb), Some(Resource::cluster_role_binding()));
        let ns = json!({"apiVersion": "v1", "kind": "Namespace"});
        assert_eq!(Resource::of(&ns), Some(Resource::namespace()));
    }

    #[test]
    fn a_kind_under_the_wrong_api_version_is_not_recognised() {
        let odd = json!({"apiVersion": "rbac.authorization.k8s.io/v1beta1", "kind": "Role"});
        assert_eq!(Resource::of(&odd), None);
    }

    #[test]
    fn federated_types_map_from_their_ftc_description() {
        let r = KubeFedApiResource {
            group: "types.kubefed.io".into(),
            version: "v1beta1".into(),
            kind: "FederatedConfigMap".into(),
            plural_name: "federatedconfigmaps".into(),
            scope: "Namespaced".into(),
        };
        let res = Resource::from_kubefed(&r);
        assert!(res.namespaced);
        assert_eq!(res.api_version(), "types.kubefed.io/v1beta1");
        assert_eq!(res.reference("x"), "federatedconfigmap.types.kubefed.io/x");
    }

    #[test]
    fn qualified_names_drop_an_empty_namespace() {
        assert_eq!(qualified(Some("ns"), "a"), "ns/a");
        assert_eq!(qualified(Some(""), "a"), "a");
        assert_eq!(qualified(None, "a"), "a");
    }
}
