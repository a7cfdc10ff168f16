//! `unjoin`: removing what `join` put in the member (keeping the namespace when the member is the
//! host) and the registration in the host.

use serde_json::Value;

use crate::error;

use super::join::JoinNames;
use super::resources::{self, qualified, Resource};
use super::{change_line, Change};

/// One object to delete: its type, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub resource: Resource,
    pub namespace: Option<String>,
    pub name: String,
}

impl Removal {
    fn new(resource: Resource, namespace: Option<&str>, name: &str) -> Self {
        Removal {
            resource,
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
        }
    }
}

/// What unjoin deletes in the member, in KubeFed's order: both scopes' cluster bindings and roles,
/// the namespaced binding and role, then the ServiceAccount (its token Secret goes with it).
pub fn member_removals(names: &JoinNames) -> Vec<Removal> {
    let ns = Some(names.namespace.as_str());
    let role = names.role();
    let health = names.healthcheck_role();
    vec![
        Removal::new(Resource::cluster_role_binding(), None, &role),
        Removal::new(Resource::cluster_role(), None, &role),
        Removal::new(Resource::cluster_role_binding(), None, &health),
        Removal::new(Resource::cluster_role(), None, &health),
        Removal::new(Resource::role_binding(), ns, &role),
        Removal::new(Resource::role(), ns, &role),
        Removal::new(Resource::service_account(), ns, &names.service_account()),
    ]
}

/// What unjoin did (or, in a dry run, would do) with the objects the control plane manages in the member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManagedObjects {
    /// Unlabelled and left in place.
    pub released: usize,
    /// Deleted (`--delete-managed`).
    pub deleted: usize,
    /// Adopted objects among the released: they existed before they were federated, so even
    /// `--delete-managed` leaves them.
    pub adopted: usize,
}

impl ManagedObjects {
    /// `cluster m1: 12 managed objects released (unlabelled, left in place), 3 deleted`.
    pub fn summary(&self, cluster: &str, dry_run: bool) -> String {
        let (released, deleted) = if dry_run {
            ("would be released", "would be deleted")
        } else {
            ("released", "deleted")
        };
        let mut out = format!(
            "cluster {cluster}: {} managed object(s) {released} (unlabelled, left in place)",
            self.released
        );
        if self.adopted > 0 {
            out.push_str(&format!(", {} of them adopted originals", self.adopted));
        }
        if self.deleted > 0 {
            out.push_str(&format!(", {} {deleted}", self.deleted));
        }
        out
    }
}

/// Leaves the member clean of the control plane's marks: every object of an enabled type labelled
/// `kubefed.io/managed=true` is released (label and adoption record removed) or, with `delete`, deleted
/// — adopted ones are released either way. `ftcs` are the host's FederatedTypeConfigs.
pub async fn release_managed(
    member: &kube::Client,
    ftcs: &[Value],
    delete: bool,
    dry_run: bool,
) -> anyhow::Result<ManagedObjects> {
    use crate::engine::actions::ADOPTED_ANNOTATION;
    use crate::engine::desired::MANAGED_LABEL;
    let mut out = ManagedObjects::default();
    for ftc in ftcs {
        let Ok(spec) = serde_json::from_value::<crate::kubefed::types::FederatedTypeConfigSpec>(
            ftc["spec"].clone(),
        ) else {
            continue;
        };
        let res = Resource::from_kubefed(&spec.target_type);
        let selector = format!("{MANAGED_LABEL}=true");
        for obj in resources::list_selected(member, &res, None, Some(&selector)).await? {
            let ns = obj["metadata"]["namespace"]
                .as_str()
                .filter(|n| !n.is_empty());
            let name = obj["metadata"]["name"].as_str().unwrap_or_default();
            let adopted = obj["metadata"]["annotations"][ADOPTED_ANNOTATION] == "true";
            if delete && !adopted {
                if !dry_run {
                    resources::delete(member, &res, ns, name).await?;
                }
                out.deleted += 1;
            } else {
                if !dry_run {
                    let patch = serde_json::json!({"metadata": {
                        "labels": {MANAGED_LABEL: null},
                        "annotations": {ADOPTED_ANNOTATION: null},
                    }});
                    resources::merge_patch(member, &res, ns, name, &patch).await?;
                }
                out.released += 1;
                out.adopted += usize::from(adopted);
            }
        }
    }
    Ok(out)
}

/// Whether the member's kubefed namespace is the host's own (same object, same UID): then it stays.
pub fn is_same_namespace(member_ns: Option<&Value>, host_ns: Option<&Value>) -> bool {
    let uid = |ns: Option<&Value>| {
        ns.and_then(|n| n["metadata"]["uid"].as_str())
            .filter(|u| !u.is_empty())
            .map(str::to_string)
    };
    matches!((uid(member_ns), uid(host_ns)), (Some(a), Some(b)) if a == b)
}

/// Deletes the member's side of a registration. Errors stop the cleanup unless `keep_going`, in
/// which case they are collected and returned. Objects already gone are skipped silently. With
/// `dry_run` the objects that exist are reported as they would be deleted.
/// How long unjoin waits for the member's kubefed namespace to finish terminating.
pub const NAMESPACE_GONE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn clean_member(
    member: &kube::Client,
    host: &kube::Client,
    names: &JoinNames,
    dry_run: bool,
    keep_going: bool,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<String>> {
    let label = format!("cluster {}", names.cluster);
    let mut failures = Vec::new();
    let mut fail = |e: anyhow::Error| -> anyhow::Result<()> {
        if keep_going {
            failures.push(crate::error::chain_text(&e));
            Ok(())
        } else {
            Err(e)
        }
    };
    for r in member_removals(names) {
        let ns = r.namespace.as_deref();
        let outcome = if dry_run {
            resources::get(member, &r.resource, ns, &r.name)
                .await
                .map(|o| o.is_some())
        } else {
            resources::delete(member, &r.resource, ns, &r.name).await
        };
        match outcome {
            Ok(true) => {
                let line = change_line(&r.resource.reference(&r.name), Change::Deleted, dry_run);
                report(format!("{label}: {line}"));
            }
            Ok(false) => {}
            Err(e) => fail(e.context(format!("in cluster {}", names.cluster)))?,
        }
    }

    let ns = names.namespace.as_str();
    let namespaces = async {
        let m = resources::get(member, &Resource::namespace(), None, ns).await?;
        let h = resources::get(host, &Resource::namespace(), None, ns).await?;
        anyhow::Ok((m, h))
    }
    .await;
    match namespaces {
        Err(e) => fail(e.context(format!("in cluster {}", names.cluster)))?,
        Ok((None, _)) => {}
        Ok((Some(m), h)) if is_same_namespace(Some(&m), h.as_ref()) => {
            report(format!(
                "{label}: {} kept (the member is the host)",
                Resource::namespace().reference(ns)
            ));
        }
        Ok((Some(_), _)) => {
            let deleted = if dry_run {
                Ok(true)
            } else {
                resources::delete(member, &Resource::namespace(), None, ns).await
            };
            match deleted {
                Ok(true) => {
                    let line = change_line(
                        &Resource::namespace().reference(ns),
                        Change::Deleted,
                        dry_run,
                    );
                    report(format!("{label}: {line}"));
                    if !dry_run {
                        // The namespace stays Terminating until its contents are gone; unjoin
                        // returns once it has, so a join right after does not meet it half-deleted.
                        let gone = resources::wait_gone(
                            member,
                            &[(Resource::namespace(), None, ns)],
                            NAMESPACE_GONE_TIMEOUT,
                        )
                        .await;
                        match gone {
                            Ok(left) if left.is_empty() => {}
                            Ok(left) => fail(anyhow::anyhow!(
                                "in cluster {}: still being deleted after {}s: {}; look for finalizers with `kubectl get ns {ns} -o yaml`",
                                names.cluster,
                                NAMESPACE_GONE_TIMEOUT.as_secs(),
                                left.join(", ")
                            ))?,
                            Err(e) => fail(e.context(format!("in cluster {}", names.cluster)))?,
                        }
                    }
                }
                Ok(false) => {}
                Err(e) => fail(e.context(format!("in cluster {}", names.cluster)))?,
            }
        }
    }
    Ok(failures)
}

/// KubeFed's error for a registration that does not exist.
pub fn missing_cluster_error(ns: &str, cluster: &str) -> error::UserError {
    error::precondition(
        format!(
            "Failed to get kubefed cluster \"{}\": not found",
            qualified(Some(ns), cluster)
        ),
        "list the registered clusters with `kubefedctl clusters`; pass --force to clean up the member anyway",
    )
}

/// Deletes the host's side of a registration: the credentials Secret the KubeFedCluster names,
/// then the KubeFedCluster. `host_label` names the host in report lines.
pub async fn remove_registration(
    host: &kube::Client,
    kubefed_cluster: &Value,
    host_label: &str,
    dry_run: bool,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let ns = kubefed_cluster["metadata"]["namespace"].as_str();
    let name = kubefed_cluster["metadata"]["name"].as_str().unwrap_or("");
    let secret = kubefed_cluster["spec"]["secretRef"]["name"]
        .as_str()
        .filter(|s| !s.is_empty());
    let mut removals = Vec::new();
    if let Some(secret) = secret {
        removals.push(Removal::new(Resource::secret(), ns, secret));
    }
    removals.push(Removal::new(Resource::kubefed_cluster(), ns, name));
    for r in removals {
        let rns = r.namespace.as_deref();
        let gone = if dry_run {
            resources::get(host, &r.resource, rns, &r.name)
                .await?
                .is_some()
        } else {
            resources::delete(host, &r.resource, rns, &r.name).await?
        };
        if gone {
            let line = change_line(&r.resource.reference(&r.name), Change::Deleted, dry_run);
            report(format!("cluster {host_label}: {line}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removals_cover_both_scopes_and_end_with_the_service_account() {
        let names = JoinNames::new("member1", "host", "fed");
        let r = member_removals(&names);
        let refs: Vec<String> = r.iter().map(|r| r.resource.reference(&r.name)).collect();
        assert_eq!(
            refs,
            [
                "clusterrolebinding.rbac.authorization.k8s.io/kubefed-controller-manager:member1-host",
                "clusterrole.rbac.authorization.k8s.io/kubefed-controller-manager:member1-host",
                "clusterrolebinding.rbac.authorization.k8s.io/kubefed-controller-manager:fed:healthcheck-member1-host",
                "clusterrole.rbac.authorization.k8s.io/kubefed-controller-manager:fed:healthcheck-member1-host",
                "rolebinding.rbac.authorization.k8s.io/kubefed-controller-manager:member1-host",
                "role.rbac.authorization.k8s.io/kubefed-controller-manager:member1-host",
                "serviceaccount/member1-host",
            ]
        );
        assert_eq!(r[4].namespace.as_deref(), Some("fed"));
        assert_eq!(r[0].namespace, None);
    }

    #[test]
    fn same_uid_means_the_member_is_the_host() {
        let a = json!({"metadata": {"uid": "u1"}});
        let b = json!({"metadata": {"uid": "u2"}});
        assert!(is_same_namespace(Some(&a), Some(&a.clone())));
        assert!(!is_same_namespace(Some(&a), Some(&b)));
        assert!(!is_same_namespace(Some(&a), None));
        let no_uid = json!({"metadata": {}});
        assert!(!is_same_namespace(Some(&no_uid), Some(&no_uid)));
    }

    #[test]
    fn missing_registration_error_names_it_as_kubefed_does() {
        let err = missing_cluster_error("fed", "member1");
        assert!(err
            .message
            .starts_with("Failed to get kubefed cluster \"fed/member1\""));
        assert!(err.hint.is_some());
    }
}
