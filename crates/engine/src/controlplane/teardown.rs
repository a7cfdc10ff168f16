//! `teardown`: removing the whole control plane from the host in dependency order — federated
//! objects, type configs and their CRDs, member registrations, the config, the control-plane CRDs
//! and the namespace — without leaving anything stuck on our finalizers.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::engine::actions::ADOPTED_ANNOTATION;
use crate::error;
use crate::kubefed::types::FederatedTypeConfigSpec;
use crate::kubefed::{crds, FTC_FINALIZER, KUBEFED_CONFIG_NAME, ORPHAN_ANNOTATION, SYNC_FINALIZER};

use super::join::JoinNames;
use super::resources::{self, Resource};
use super::unjoin;
use super::{change_line, Change};

pub use super::MemberAccess;

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
    /// Delete adopted member objects (the host's own originals among them) instead of releasing them.
    pub delete_adopted: bool,
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

/// What a teardown would do to the objects it propagated in one member cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberPlan {
    pub cluster: String,
    /// Managed objects the engine would delete.
    pub delete: usize,
    /// Managed objects it would release (unlabel and leave): orphaned, adopted, not owned by a
    /// federated object, or the host's own namespace.
    pub release: usize,
    /// The adopted objects among those released (or deleted, with `--delete-adopted`): objects that
    /// existed before they were federated, such as the host's own originals.
    pub adopted: Vec<String>,
    /// Why the cluster could not be read (its objects are then neither counted nor touched until it is).
    pub error: Option<String>,
}

impl MemberPlan {
    /// `cluster "m1": 12 objects will be deleted, 3 released (adopted, released: configmaps shop/a, …)`.
    pub fn summary(&self, delete_adopted: bool) -> String {
        if let Some(e) = &self.error {
            return format!(
                "cluster {:?}: cannot be read ({e}); nothing there is counted",
                self.cluster
            );
        }
        let mut out = format!(
            "cluster {:?}: {} will be deleted, {} released",
            self.cluster,
            count(self.delete, "object"),
            self.release
        );
        if !self.adopted.is_empty() {
            const SHOWN: usize = 5;
            let mut names: Vec<String> = self.adopted.iter().take(SHOWN).cloned().collect();
            if self.adopted.len() > SHOWN {
                names.push(format!("and {} more", self.adopted.len() - SHOWN));
            }
            let fate = if delete_adopted {
                "deleted"
            } else {
                "released"
            };
            out.push_str(&format!(" (adopted, {fate}: {})", names.join(", ")));
        }
        out
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// What a teardown would remove, counted before anything is: federated objects by type, and per
/// member what the propagation engine would delete or release there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeardownPlan {
    /// `(federated type reference, objects)`.
    pub federated: Vec<(String, usize)>,
    pub members: Vec<MemberPlan>,
    pub type_configs: usize,
}

impl TeardownPlan {
    /// The lines shown before confirming (and on stderr with `--yes`).
    pub fn summary_lines(&self, delete_adopted: bool) -> Vec<String> {
        let total: usize = self.federated.iter().map(|(_, n)| n).sum();
        let mut lines = vec![format!(
            "{} and {} will be removed from the host",
            count(total, "federated object"),
            count(self.type_configs, "federated type")
        )];
        lines.extend(self.members.iter().map(|m| m.summary(delete_adopted)));
        lines
    }
}

/// How the engine would treat one managed member object at teardown.
fn member_fate(
    obj: &Value,
    owned: bool,
    orphan: bool,
    delete_adopted: bool,
    host_namespace: bool,
) -> (bool, bool) {
    let adopted = obj["metadata"]["annotations"][ADOPTED_ANNOTATION] == "true";
    let released = orphan || !owned || host_namespace || (adopted && !delete_adopted);
    (!released, adopted)
}

/// Counts, without changing anything, what a teardown would delete and release: the federated objects,
/// and in each member (read with the credentials the engine uses) the managed objects of every
/// federated type.
pub async fn plan(
    host: &kube::Client,
    opts: &TeardownOptions,
    delete_adopted: bool,
) -> anyhow::Result<TeardownPlan> {
    let ns = opts.namespace.as_str();
    let ftcs = resources::list(host, &Resource::federated_type_config(), Some(ns)).await?;
    let configs = resources::list(host, &Resource::kubefed_config(), None).await?;
    let within = is_namespaced_plane(&configs, ns).then_some(ns);
    let federated = federated_objects(host, &ftcs, within).await?;
    let mut plan = TeardownPlan {
        federated: federated
            .iter()
            .map(|(res, objs)| (res.reference(""), objs.len()))
            .map(|(r, n)| (r.trim_end_matches('/').to_string(), n))
            .collect(),
        type_configs: ftcs.len(),
        ..Default::default()
    };
    // Federated objects by target type: the `(namespace, name)` each one propagates.
    let mut owned: BTreeMap<String, std::collections::BTreeSet<(String, String)>> = BTreeMap::new();
    let specs: Vec<FederatedTypeConfigSpec> = ftcs
        .iter()
        .filter_map(|f| serde_json::from_value(f["spec"].clone()).ok())
        .collect();
    for (spec, (_, objs)) in specs.iter().zip(&federated) {
        let target = &spec.target_type;
        let is_namespace = target.group.is_empty() && target.plural_name == "namespaces";
        let keys = owned
            .entry(target.plural_name.clone() + "." + &target.group)
            .or_default();
        for o in objs {
            let (ons, name) = (ns_of(o).unwrap_or_default(), name_of(o));
            keys.insert(if is_namespace {
                (String::new(), name.to_string())
            } else if target.scope == "Namespaced" {
                (ons.to_string(), name.to_string())
            } else {
                (String::new(), name.to_string())
            });
        }
    }
    let host_namespaces: BTreeMap<String, String> =
        resources::list(host, &Resource::namespace(), None)
            .await?
            .iter()
            .map(|n| {
                (
                    name_of(n).to_string(),
                    n["metadata"]["uid"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
    let members = crate::engine::clusters::load_members(
        host,
        ns,
        &crate::engine::clusters::ClientCache::new(),
    )
    .await?;
    for member in members {
        let mut mp = MemberPlan {
            cluster: member.name.clone(),
            ..Default::default()
        };
        let client = match &member.client {
            Ok(c) => c.clone(),
            Err(e) => {
                mp.error = Some(e.to_string());
                plan.members.push(mp);
                continue;
            }
        };
        for spec in &specs {
            let target = &spec.target_type;
            let res = Resource::new(
                &target.group,
                &target.version,
                &target.kind,
                &target.plural_name,
                target.scope == "Namespaced",
            );
            let is_namespace = target.group.is_empty() && target.plural_name == "namespaces";
            let listed = resources::list_selected(
                &client,
                &res,
                within,
                Some(&format!("{}=true", crate::engine::desired::MANAGED_LABEL)),
            )
            .await;
            let objs = match listed {
                Ok(o) => o,
                Err(e) => {
                    mp.error = Some(crate::error::chain_text(&e));
                    break;
                }
            };
            let keys = owned.get(&(target.plural_name.clone() + "." + &target.group));
            for o in &objs {
                let key = (
                    ns_of(o).unwrap_or_default().to_string(),
                    name_of(o).to_string(),
                );
                let is_owned = keys.is_some_and(|k| k.contains(&key));
                let host_namespace = is_namespace
                    && host_namespaces.get(name_of(o)).map(String::as_str)
                        == o["metadata"]["uid"].as_str();
                let (deleted, adopted) =
                    member_fate(o, is_owned, opts.orphan, delete_adopted, host_namespace);
                if deleted {
                    mp.delete += 1;
                } else {
                    mp.release += 1;
                }
                if adopted && is_owned && !opts.orphan {
                    mp.adopted.push(format!(
                        "{} {}",
                        res.plural,
                        resources::qualified(ns_of(o), name_of(o))
                    ));
                }
            }
        }
        if mp.error.is_some() {
            mp.delete = 0;
            mp.release = 0;
            mp.adopted.clear();
        }
        plan.members.push(mp);
    }
    Ok(plan)
}

/// Every object a teardown would remove from the host, as `<kind>/<name> deleted (dry run)` lines, in the
/// order it removes them; member cleanup is one line per registered cluster.
pub async fn dry_run_lines(
    host: &kube::Client,
    opts: &TeardownOptions,
) -> anyhow::Result<Vec<String>> {
    let ns = opts.namespace.as_str();
    let line = |reference: String| change_line(&reference, Change::Deleted, true);
    let ftc_res = Resource::federated_type_config();
    let ftcs = resources::list(host, &ftc_res, Some(ns)).await?;
    let configs = resources::list(host, &Resource::kubefed_config(), None).await?;
    let others = other_planes(&configs, ns);
    let within = is_namespaced_plane(&configs, ns).then_some(ns);
    let other_ftcs: Vec<Value> = resources::list(host, &ftc_res, None)
        .await?
        .into_iter()
        .filter(|f| ns_of(f) != Some(ns))
        .collect();
    let mut out = Vec::new();
    for (res, objs) in federated_objects(host, &ftcs, within).await? {
        for o in objs {
            out.push(line(resources::qualified(
                ns_of(&o),
                &res.reference(name_of(&o)),
            )));
        }
    }
    out.extend(ftcs.iter().map(|f| line(ftc_res.reference(name_of(f)))));
    for name in crds_not_used_elsewhere(federated_crd_names(&ftcs), &other_ftcs) {
        out.push(line(Resource::crd().reference(&name)));
    }
    let kfc_res = Resource::kubefed_cluster();
    for kfc in resources::list(host, &kfc_res, Some(ns)).await? {
        let cluster = name_of(&kfc);
        out.push(format!(
            "cluster {cluster:?}: its kubefed namespace, ServiceAccount and roles would be removed (dry run)"
        ));
        if let Some(secret) = kfc["spec"]["secretRef"]["name"].as_str() {
            out.push(line(Resource::secret().reference(secret)));
        }
        out.push(line(kfc_res.reference(cluster)));
    }
    if configs.iter().any(|c| ns_of(c) == Some(ns)) {
        out.push(line(
            Resource::kubefed_config().reference(KUBEFED_CONFIG_NAME),
        ));
    }
    if others.is_empty() {
        for crd in crds::control_plane_crds() {
            out.push(line(Resource::crd().reference(name_of(&crd))));
        }
    }
    out.push(line(Resource::namespace().reference(ns)));
    Ok(out)
}

/// Gives the propagation engine a pass so it deletes (or, for orphaned objects, unlabels) what the
/// deleted federated objects propagated and releases their finalizer. Objects it cannot release
/// (a placed member is unreachable) are released by [`teardown`] after the wait, and reported.
async fn engine_pass(host: &kube::Client, ns: &str, delete_adopted: bool) -> anyhow::Result<bool> {
    let opts = crate::engine::runner::RunOptions {
        kubefed_namespace: ns.to_string(),
        delete_adopted,
        // Deleting everything is what teardown was confirmed for.
        max_deletions: crate::engine::deletions::MaxDeletions::Unlimited,
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
                        .push((cluster.clone(), crate::error::chain_text(&e))),
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
    // The multi-cluster DNS CRDs are there only when init ran with --enable-dns.
    for crd in crds::dns_crds().iter().filter(|_| others.is_empty()) {
        let name = name_of(crd).to_string();
        if resources::delete(host, &Resource::crd(), None, &name).await? {
            report(change_line(
                &Resource::crd().reference(&name),
                Change::Deleted,
                false,
            ));
            crd_names.push(name);
        }
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
    // Said once, the first time a round finds objects left and no engine ran in-process.
    let report = std::sync::Mutex::new((report, false));
    let released = crate::wait::poll(opts.release_timeout, Duration::from_millis(500), || async {
        let engine_ran = engine_pass(host, &opts.namespace, opts.delete_adopted).await?;
        let remaining: Vec<(Resource, Value)> = federated_objects(host, ftcs, within)
            .await?
            .into_iter()
            .flat_map(|(res, objs)| objs.into_iter().map(move |o| (res.clone(), o)))
            .collect();
        if remaining.is_empty() {
            return Ok(Ok(()));
        }
        let mut said = report.lock().unwrap_or_else(|p| p.into_inner());
        if !said.1 && !engine_ran {
            (said.0)(format!(
                "waiting up to {}s for the propagation engine to release {} federated object(s)",
                opts.release_timeout.as_secs(),
                remaining.len()
            ));
            said.1 = true;
        }
        Ok(Err(remaining))
    })
    .await?;
    if let Err(remaining) = released {
        for (res, obj) in &remaining {
            strip_finalizer(host, res, obj, SYNC_FINALIZER).await?;
            out.released_without_engine.push(resources::qualified(
                ns_of(obj),
                &res.reference(name_of(obj)),
            ));
        }
    }
    Ok(())
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
