//! `teardown`: removing the whole control plane from the host in dependency order — federated
//! objects, type configs and their CRDs, member registrations, the config, the control-plane CRDs
//! and the namespace — without leaving anything stuck on our finalizers.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::error;
use crate::kubefed::types::FederatedTypeConfigSpec;
use crate::kubefed::{crds, FTC_FINALIZER, KUBEFED_CONFIG_NAME, ORPHAN_ANNOTATION, SYNC_FINALIZER};

use super::join::JoinNames;
use super::resources::{self, Resource};
use super::unjoin;
use super::{change_line, Change};

/// How a member cluster is reached for cleanup: a client from the operator's kubeconfig, or why
/// there is none.
pub type MemberAccess = Result<kube::Client, String>;

#[derive(Debug, Clone)]
pub struct TeardownOptions {
    pub namespace: String,
    /// Leave member objects in place (annotate federated objects `kubefed.io/orphan: "true"`).
    pub orphan: bool,
    /// The host's name in report lines and in the ServiceAccount names join derived.
    pub host_label: String,
    /// How long federated objects may take to be released by the engine.
    pub release_timeout: Duration,
    /// How long deleted CRDs and the namespace may take to disappear.
    pub gone_timeout: Duration,
}

/// What did not go to plan; the rest was removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TeardownReport {
    /// Member clusters whose cleanup failed: (cluster, what went wrong).
    pub member_failures: Vec<(String, String)>,
    /// Federated objects nothing released in time: our finalizer was removed, so whatever they
    /// propagated stays in the member clusters.
    pub released_without_engine: Vec<String>,
}

/// The kubeconfig context to clean up a registered member with: the context named like the
/// cluster if it reaches the same endpoint, else the first context reaching that endpoint. A context
/// pointing elsewhere is never used: cleaning the wrong cluster would be worse than not cleaning.
pub fn pick_context(
    contexts: &[(String, String)],
    cluster: &str,
    endpoint: &str,
) -> Option<String> {
    let same = |server: &str| server.trim_end_matches('/') == endpoint.trim_end_matches('/');
    contexts
        .iter()
        .find(|(name, server)| name == cluster && same(server))
        .or_else(|| contexts.iter().find(|(_, server)| same(server)))
        .map(|(name, _)| name.clone())
}

/// `(namespace, name)` of a ServiceAccount user name `system:serviceaccount:<ns>:<name>`.
pub fn service_account_of(username: &str) -> Option<(String, String)> {
    let rest = username.strip_prefix("system:serviceaccount:")?;
    let (ns, name) = rest.split_once(':')?;
    (!ns.is_empty() && !name.is_empty()).then(|| (ns.to_string(), name.to_string()))
}

/// The finalizer list without `finalizer`, when the object carries it.
pub fn without_finalizer(obj: &Value, finalizer: &str) -> Option<Vec<Value>> {
    let list = obj["metadata"]["finalizers"].as_array()?;
    if !list.iter().any(|f| f == finalizer) {
        return None;
    }
    Some(list.iter().filter(|f| *f != finalizer).cloned().collect())
}

/// The CRD name of each FTC's federated type.
pub fn federated_crd_names(ftcs: &[Value]) -> Vec<String> {
    ftcs.iter()
        .filter_map(|f| serde_json::from_value::<FederatedTypeConfigSpec>(f["spec"].clone()).ok())
        .map(|s| s.federated_type.group_qualified_name())
        .filter(|n| n.contains('.'))
        .collect()
}

fn name_of(obj: &Value) -> &str {
    obj["metadata"]["name"].as_str().unwrap_or("")
}

fn ns_of(obj: &Value) -> Option<&str> {
    obj["metadata"]["namespace"]
        .as_str()
        .filter(|s| !s.is_empty())
}

async fn strip_finalizer(
    host: &kube::Client,
    res: &Resource,
    obj: &Value,
    finalizer: &str,
) -> anyhow::Result<()> {
    if let Some(rest) = without_finalizer(obj, finalizer) {
        // The resourceVersion makes this a compare-and-swap: a concurrent change to the list is not lost.
        let patch = json!({"metadata": {
            "finalizers": rest,
            "resourceVersion": obj["metadata"]["resourceVersion"]
        }});
        resources::merge_patch(host, res, ns_of(obj), name_of(obj), &patch).await?;
    }
    Ok(())
}

/// The namespaces of the other control planes on the host (their `KubeFedConfig`s), whose shared CRDs a
/// teardown of this one must leave in place.
pub fn other_planes(configs: &[Value], ns: &str) -> Vec<String> {
    let mut out: Vec<String> = configs
        .iter()
        .filter_map(ns_of)
        .filter(|n| *n != ns)
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The CRDs in `names` no FTC of another control plane (`other_ftcs`, FTCs outside this plane's
/// namespace) still needs.
pub fn crds_not_used_elsewhere(names: Vec<String>, other_ftcs: &[Value]) -> Vec<String> {
    let used = federated_crd_names(other_ftcs);
    names.into_iter().filter(|n| !used.contains(n)).collect()
}

/// Whether the plane's `KubeFedConfig` says `scope: Namespaced`: such a plane federates only the
/// objects of its own namespace, so only those are its to delete.
pub fn is_namespaced_plane(configs: &[Value], ns: &str) -> bool {
    configs
        .iter()
        .any(|c| ns_of(c) == Some(ns) && c["spec"]["scope"] == "Namespaced")
}

/// The federated types the FTCs name, with their objects in `within` (every namespace when `None`).
async fn federated_objects(
    host: &kube::Client,
    ftcs: &[Value],
    within: Option<&str>,
) -> anyhow::Result<Vec<(Resource, Vec<Value>)>> {
    let mut out = Vec::new();
    for ftc in ftcs {
        let Ok(spec) = serde_json::from_value::<FederatedTypeConfigSpec>(ftc["spec"].clone())
        else {
            continue;
        };
        let res = Resource::from_kubefed(&spec.federated_type);
        let objs = resources::list(host, &res, within.filter(|_| res.namespaced)).await?;
        out.push((res, objs));
    }
    Ok(out)
}

/// Gives the propagation engine a pass so it deletes (or, for orphaned objects, unlabels) what the
/// deleted federated objects propagated and releases their finalizer. Objects it cannot release
/// (a placed member is unreachable) are released by [`teardown`] after the wait, and reported.
async fn engine_pass(host: &kube::Client, ns: &str) -> anyhow::Result<bool> {
    let opts = crate::engine::runner::RunOptions {
        kubefed_namespace: ns.to_string(),
        ..Default::default()
    };
    crate::engine::runner::reconcile_once(host, &opts).await?;
    Ok(true)
}

/// Whether anything of a control plane is installed for namespace `ns`: its `KubeFedConfig`, or (a
/// partial install) any control-plane CRD. A member's join namespace alone is not a control plane:
/// tearing it down would revoke the member's registration with its real host.
pub async fn control_plane_present(host: &kube::Client, ns: &str) -> anyhow::Result<bool> {
    if resources::get(
        host,
        &Resource::kubefed_config(),
        Some(ns),
        KUBEFED_CONFIG_NAME,
    )
    .await?
    .is_some()
    {
        return Ok(true);
    }
    for crd in crds::control_plane_crds() {
        if resources::get(host, &Resource::crd(), None, name_of(&crd))
            .await?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Tears the control plane down. `members` gives, per KubeFedCluster name, the client to clean
/// that member with. Progress lines go through `report`; per-member failures and objects released
/// without the engine are returned, not raised.
pub async fn teardown(
    host: &kube::Client,
    opts: &TeardownOptions,
    members: &BTreeMap<String, MemberAccess>,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<TeardownReport> {
    let ns = opts.namespace.as_str();
    let mut out = TeardownReport::default();
    let ftc_res = Resource::federated_type_config();
    let ftcs = resources::list(host, &ftc_res, Some(ns)).await?;
    // Other control planes on the same host share the CRDs and, for a Cluster-scoped one, may
    // federate the same namespaces: what they use stays.
    let configs = resources::list(host, &Resource::kubefed_config(), None).await?;
    let others = other_planes(&configs, ns);
    let within = is_namespaced_plane(&configs, ns).then_some(ns);
    let other_ftcs: Vec<Value> = if others.is_empty() {
        Vec::new()
    } else {
        resources::list(host, &ftc_res, None)
            .await?
            .into_iter()
            .filter(|f| ns_of(f) != Some(ns))
            .collect()
    };

    // 1. Federated objects, released by the engine.
    let mut waiting = 0usize;
    for (res, objs) in federated_objects(host, &ftcs, within).await? {
        for obj in objs {
            let (ons, name) = (ns_of(&obj), name_of(&obj));
            if opts.orphan && obj["metadata"]["annotations"][ORPHAN_ANNOTATION] != "true" {
                let patch = json!({"metadata": {"annotations": {ORPHAN_ANNOTATION: "true"}}});
                resources::merge_patch(host, &res, ons, name, &patch).await?;
            }
            if obj["metadata"]["deletionTimestamp"].is_null()
                && resources::delete(host, &res, ons, name).await?
            {
                report(change_line(&res.reference(name), Change::Deleted, false));
            }
            waiting += 1;
        }
    }
    if waiting > 0 {
        release_federated_objects(host, opts, &ftcs, within, &mut out, report).await?;
    }

    // 2. Type configs, then 3. their federated CRDs.
    for ftc in &ftcs {
        strip_finalizer(host, &ftc_res, ftc, FTC_FINALIZER).await?;
        if resources::delete(host, &ftc_res, Some(ns), name_of(ftc)).await? {
            report(change_line(
                &ftc_res.reference(name_of(ftc)),
                Change::Deleted,
                false,
            ));
        }
    }
    let mut crd_names = crds_not_used_elsewhere(federated_crd_names(&ftcs), &other_ftcs);
    for name in &crd_names {
        if resources::delete(host, &Resource::crd(), None, name).await? {
            report(change_line(
                &Resource::crd().reference(name),
                Change::Deleted,
                false,
            ));
        }
    }

    // 4. Member registrations: member cleanup (best effort), then the credentials and the KubeFedCluster.
    let kfc_res = Resource::kubefed_cluster();
    for kfc in resources::list(host, &kfc_res, Some(ns)).await? {
        let cluster = name_of(&kfc).to_string();
        match members.get(&cluster) {
            Some(Ok(member)) => {
                let names = registration_names(host, member, &kfc, opts).await;
                match unjoin::clean_member(member, host, &names, false, true, report).await {
                    Ok(failures) if failures.is_empty() => {}
                    Ok(failures) => out
                        .member_failures
                        .push((cluster.clone(), failures.join("; "))),
                    Err(e) => out
                        .member_failures
                        .push((cluster.clone(), format!("{e:#}"))),
                }
            }
            Some(Err(why)) => out.member_failures.push((cluster.clone(), why.clone())),
            None => out.member_failures.push((
                cluster.clone(),
                "no kubeconfig context reaches this cluster".to_string(),
            )),
        }
        unjoin::remove_registration(host, &kfc, &opts.host_label, false, report).await?;
    }

    // 5. The config, 6. the control-plane CRDs, 7. the namespace.
    if resources::delete(
        host,
        &Resource::kubefed_config(),
        Some(ns),
        KUBEFED_CONFIG_NAME,
    )
    .await?
    {
        report(change_line(
            &Resource::kubefed_config().reference(KUBEFED_CONFIG_NAME),
            Change::Deleted,
            false,
        ));
    }
    if !others.is_empty() {
        report(format!(
            "control-plane CRDs kept: still used by the control plane in namespace(s) {}",
            others.join(", ")
        ));
    }
    for crd in crds::control_plane_crds()
        .iter()
        .filter(|_| others.is_empty())
    {
        let name = name_of(crd).to_string();
        if resources::delete(host, &Resource::crd(), None, &name).await? {
            report(change_line(
                &Resource::crd().reference(&name),
                Change::Deleted,
                false,
            ));
        }
        crd_names.push(name);
    }
    let ns_deleted = resources::delete(host, &Resource::namespace(), None, ns).await?;
    if ns_deleted {
        report(change_line(
            &Resource::namespace().reference(ns),
            Change::Deleted,
            false,
        ));
    }
    wait_gone(host, &crd_names, ns, opts.gone_timeout).await?;
    Ok(out)
}

/// Waits for the deleted federated objects to disappear, giving the engine a pass each round; what
/// remains at the deadline loses our finalizer (so no namespace or CRD is left stuck on it).
async fn release_federated_objects(
    host: &kube::Client,
    opts: &TeardownOptions,
    ftcs: &[Value],
    within: Option<&str>,
    out: &mut TeardownReport,
    report: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + opts.release_timeout;
    let mut delay = Duration::from_millis(50);
    let mut announced = false;
    loop {
        let engine_ran = engine_pass(host, &opts.namespace).await?;
        let remaining: Vec<(Resource, Value)> = federated_objects(host, ftcs, within)
            .await?
            .into_iter()
            .flat_map(|(res, objs)| objs.into_iter().map(move |o| (res.clone(), o)))
            .collect();
        if remaining.is_empty() {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            for (res, obj) in &remaining {
                strip_finalizer(host, res, obj, SYNC_FINALIZER).await?;
                out.released_without_engine.push(resources::qualified(
                    ns_of(obj),
                    &res.reference(name_of(obj)),
                ));
            }
            return Ok(());
        }
        if !announced && !engine_ran {
            report(format!(
                "waiting up to {}s for the propagation engine to release {} federated object(s)",
                opts.release_timeout.as_secs(),
                remaining.len()
            ));
            announced = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_millis(500));
    }
}

/// The names join used for a registration: the ServiceAccount is read back from the stored token
/// (a TokenReview in the member), falling back to `<cluster>-<host>` when the token no longer works.
async fn registration_names(
    host: &kube::Client,
    member: &kube::Client,
    kfc: &Value,
    opts: &TeardownOptions,
) -> JoinNames {
    let cluster = name_of(kfc);
    let fallback = JoinNames::new(cluster, &opts.host_label, &opts.namespace);
    let Some(secret) = kfc["spec"]["secretRef"]["name"].as_str() else {
        return fallback;
    };
    let Ok(Some(secret)) =
        resources::get(host, &Resource::secret(), Some(&opts.namespace), secret).await
    else {
        return fallback;
    };
    let Some(token) = secret["data"]["token"]
        .as_str()
        .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
        .and_then(|t| String::from_utf8(t).ok())
    else {
        return fallback;
    };
    let review = json!({
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "metadata": {},
        "spec": {"token": token}
    });
    let status = resources::review(member, &Resource::token_review(), &review).await;
    match status
        .ok()
        .filter(|s| s["authenticated"] == true)
        .and_then(|s| s["user"]["username"].as_str().and_then(service_account_of))
    {
        Some((sa_ns, sa)) if sa_ns == opts.namespace => {
            // The ServiceAccount is `<cluster>-<host>`; what follows the cluster name is the host name.
            match sa.strip_prefix(&format!("{cluster}-")) {
                Some(host_name) if !host_name.is_empty() => {
                    JoinNames::new(cluster, host_name, &opts.namespace)
                }
                _ => fallback,
            }
        }
        _ => fallback,
    }
}

/// Waits until the deleted CRDs and the namespace are gone.
async fn wait_gone(
    host: &kube::Client,
    crds: &[String],
    ns: &str,
    timeout: Duration,
) -> anyhow::Result<()> {
    let mut objects: Vec<(Resource, Option<&str>, &str)> = crds
        .iter()
        .map(|name| (Resource::crd(), None, name.as_str()))
        .collect();
    objects.push((Resource::namespace(), None, ns));
    let left = resources::wait_gone(host, &objects, timeout).await?;
    if left.is_empty() {
        return Ok(());
    }
    Err(error::failure(format!(
        "still being deleted after {}s: {}",
        timeout.as_secs(),
        left.join(", ")
    ))
    .with_hint(
        "look for finalizers on what remains (`kubectl get ns NAME -o yaml`); run `kubefedctl teardown` again to finish",
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contexts() -> Vec<(String, String)> {
        vec![
            ("host".into(), "https://127.0.0.1:1000".into()),
            ("member1".into(), "https://127.0.0.1:2000".into()),
            ("m1-admin".into(), "https://127.0.0.1:2000/".into()),
            ("elsewhere".into(), "https://127.0.0.1:3000".into()),
        ]
    }

    #[test]
    fn context_named_like_the_cluster_is_preferred_when_it_reaches_the_endpoint() {
        assert_eq!(
            pick_context(&contexts(), "member1", "https://127.0.0.1:2000"),
            Some("member1".into())
        );
    }

    #[test]
    fn any_context_reaching_the_endpoint_is_used_otherwise() {
        assert_eq!(
            pick_context(&contexts(), "renamed", "https://127.0.0.1:2000"),
            Some("member1".into())
        );
        assert_eq!(
            pick_context(&contexts(), "self", "https://127.0.0.1:1000/"),
            Some("host".into())
        );
    }

    #[test]
    fn context_named_like_the_cluster_but_pointing_elsewhere_is_not_used() {
        assert_eq!(
            pick_context(&contexts(), "elsewhere", "https://10.0.0.1:6443"),
            None
        );
    }

    #[test]
    fn service_account_user_names_are_split() {
        assert_eq!(
            service_account_of("system:serviceaccount:fed:member1-host"),
            Some(("fed".into(), "member1-host".into()))
        );
        assert_eq!(service_account_of("admin"), None);
        assert_eq!(service_account_of("system:serviceaccount:fed"), None);
    }

    #[test]
    fn finalizer_is_removed_keeping_the_others() {
        let obj = json!({"metadata": {"finalizers": ["a", SYNC_FINALIZER, "b"]}});
        assert_eq!(
            without_finalizer(&obj, SYNC_FINALIZER),
            Some(vec![json!("a"), json!("b")])
        );
        assert_eq!(without_finalizer(&obj, "c"), None);
        assert_eq!(without_finalizer(&json!({"metadata": {}}), "a"), None);
    }

    #[test]
    fn federated_crd_names_come_from_the_type_configs() {
        let ftcs: Vec<Value> = crate::kubefed::typeconfig::default_types()
            .iter()
            .take(2)
            .map(|t| {
                crate::kubefed::typeconfig::federated_type_config(
                    t,
                    "types.kubefed.io",
                    "v1beta1",
                    "fed",
                )
            })
            .collect();
        assert_eq!(
            federated_crd_names(&ftcs),
            [
                "federatedclusterroles.types.kubefed.io",
                "federatedconfigmaps.types.kubefed.io"
            ]
        );
    }

    fn config(ns: &str, scope: &str) -> Value {
        json!({"metadata": {"name": "kubefed", "namespace": ns}, "spec": {"scope": scope}})
    }

    #[test]
    fn other_control_planes_are_found_by_their_kubefed_configs() {
        let configs = [
            config("fed2", "Namespaced"),
            config("kube-federation-system", "Cluster"),
        ];
        assert_eq!(other_planes(&configs, "fed2"), ["kube-federation-system"]);
        assert!(other_planes(&configs[..1], "fed2").is_empty());
    }

    #[test]
    fn a_namespaced_plane_deletes_only_objects_of_its_namespace() {
        let configs = [
            config("fed2", "Namespaced"),
            config("kube-federation-system", "Cluster"),
        ];
        assert!(is_namespaced_plane(&configs, "fed2"));
        assert!(!is_namespaced_plane(&configs, "kube-federation-system"));
        assert!(!is_namespaced_plane(&[], "fed2"));
    }

    #[test]
    fn federated_crds_another_plane_uses_are_kept() {
        let types = crate::kubefed::typeconfig::default_types();
        let other = vec![crate::kubefed::typeconfig::federated_type_config(
            &types[1],
            "types.kubefed.io",
            "v1beta1",
            "kube-federation-system",
        )];
        let names = vec![
            "federatedclusterroles.types.kubefed.io".to_string(),
            "federatedconfigmaps.types.kubefed.io".to_string(),
        ];
        assert_eq!(
            crds_not_used_elsewhere(names.clone(), &other),
            ["federatedclusterroles.types.kubefed.io"]
        );
        assert_eq!(crds_not_used_elsewhere(names.clone(), &[]), names);
    }
}
