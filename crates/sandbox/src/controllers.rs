//! In-process controllers of a sandbox cluster: namespace deletion, CRD instance cleanup and owner-reference
//! garbage collection (background, foreground and orphan). They write through the same pipeline as requests.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::api::{delete_object, update_object};
use super::cluster::{Cluster, CRD_GROUP};
use super::hooks::{SystemRequest, CRD_FINALIZER};
use super::objects;
use super::owners::{owner_uids, waits_for_dependents};

const MANAGER: &str = "kube-controller-manager";

/// Runs until the cluster is dropped (the task holds only a weak reference). A pass runs when a deletion
/// wakes it, or every 500 ms when something was written since the last pass: an idle cluster costs nothing.
pub async fn run(cluster: std::sync::Weak<Cluster>) {
    let mut seen_rv = None;
    loop {
        let Some(c) = cluster.upgrade() else { return };
        let woken = tokio::time::timeout(Duration::from_millis(500), c.controllers.notified())
            .await
            .is_ok();
        // Settle briefly so a burst of deletions is handled in one pass.
        if woken {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let rv = c.store.current_rv();
        if !woken && seen_rv == Some(rv) && !c.store.has_owner_work() {
            continue;
        }
        let c2 = c.clone();
        let wrote = tokio::task::spawn_blocking(move || pass(&c2))
            .await
            .unwrap_or(false);
        // What a pass wrote may need another pass (a dependent deleted, then its owner's finalizer).
        seen_rv = (!wrote).then_some(rv);
    }
}

/// One pass of every controller; returns whether anything was written.
pub fn pass(c: &Arc<Cluster>) -> bool {
    let mut wrote = false;
    wrote |= namespaces(c);
    wrote |= crds(c);
    wrote |= garbage_collect(c);
    // Simulated node and workload controllers (`sandbox up --workloads`); nothing otherwise.
    wrote |= super::workloads::pass(c);
    wrote
}

fn delete_one(c: &Arc<Cluster>, group: &str, plural: &str, obj: &Value, opts: &Value) -> bool {
    let sys = SystemRequest::new(MANAGER);
    match sys.ctx(
        c,
        group,
        plural,
        objects::namespace(obj),
        objects::name(obj),
    ) {
        Some(ctx) => delete_object(&ctx, objects::name(obj), opts).is_ok(),
        // The type is no longer served (its CRD is gone): remove the object directly.
        None => c
            .store
            .delete(
                group,
                plural,
                objects::namespace(obj),
                objects::name(obj),
                0,
            )
            .is_ok(),
    }
}

fn write(c: &Arc<Cluster>, group: &str, plural: &str, old: &Value, new: Value, sub: &str) -> bool {
    update_as(c, MANAGER, group, plural, old, new, sub).is_some()
}

/// Updates `old` to `new` (through subresource `sub`, when not empty) as a controller named `manager`,
/// through the same pipeline as requests. `None` when the write failed or the type is not served;
/// otherwise whether anything changed.
pub(super) fn update_as(
    c: &Arc<Cluster>,
    manager: &str,
    group: &str,
    plural: &str,
    old: &Value,
    new: Value,
    sub: &str,
) -> Option<bool> {
    let sys = SystemRequest::new(manager);
    let mut ctx = sys.ctx(
        c,
        group,
        plural,
        objects::namespace(old),
        objects::name(old),
    )?;
    ctx.subresource = sub.to_string();
    update_object(&ctx, old, new, false)
        .ok()
        .map(|(_, changed, _)| changed)
}

fn namespaces(c: &Arc<Cluster>) -> bool {
    let mut wrote = false;
    let (_, all) = c.store.list("", "namespaces", None);
    for ns in all.iter().filter(|n| objects::is_terminating(n)) {
        let name = objects::name(ns);
        let contents = c.store.objects_in_namespace(name);
        let mut remaining = 0;
        for (g, r, obj) in &contents {
            remaining += 1;
            if !objects::is_terminating(obj) {
                wrote |= delete_one(c, g, r, obj, &json!({"propagationPolicy": "Background"}));
            }
        }
        let still: Vec<_> = c.store.objects_in_namespace(name);
        let mut new = ns.as_ref().clone();
        let conds = if still.is_empty() {
            vec![]
        } else {
            let with_finalizers: BTreeSet<String> = still
                .iter()
                .flat_map(|(_, _, o)| objects::finalizers(o))
                .collect();
            vec![
                json!({"type": "NamespaceFinalizersRemaining", "status": if with_finalizers.is_empty() {"False"} else {"True"},
                "reason": if with_finalizers.is_empty() {"ContentHasNoFinalizers"} else {"SomeFinalizersRemain"},
                "message": if with_finalizers.is_empty() {"All content-preserving finalizers finished".to_string()} else {
                    format!("Some content in the namespace has finalizers remaining: {}", with_finalizers.into_iter().collect::<Vec<_>>().join(", "))},
                "lastTransitionTime": objects::now_rfc3339()}),
                json!({"type": "NamespaceContentRemaining", "status": "True", "reason": "SomeResourcesRemain",
                "message": format!("Some resources are remaining: {remaining} objects"), "lastTransitionTime": objects::now_rfc3339()}),
            ]
        };
        if still.is_empty() {
            let fins: Vec<Value> = new["spec"]["finalizers"]
                .as_array()
                .map(|a| a.iter().filter(|f| *f != "kubernetes").cloned().collect())
                .unwrap_or_default();
            new["spec"]["finalizers"] = json!(fins);
            wrote |= write(c, "", "namespaces", ns, new, "finalize");
        } else if new["status"]["conditions"].as_array().map(|a| a.len()) != Some(conds.len()) {
            new["status"]["conditions"] = json!(conds);
            wrote |= write(c, "", "namespaces", ns, new, "status");
        }
    }
    wrote
}

fn crds(c: &Arc<Cluster>) -> bool {
    let mut wrote = false;
    let (_, all) = c.store.list(CRD_GROUP, "customresourcedefinitions", None);
    for crd in all.iter().filter(|d| objects::is_terminating(d)) {
        let group = crd["spec"]["group"].as_str().unwrap_or("");
        let plural = crd["spec"]["names"]["plural"].as_str().unwrap_or("");
        let (_, items) = c.store.list(group, plural, None);
        for obj in items.iter().filter(|o| !objects::is_terminating(o)) {
            wrote |= delete_one(c, group, plural, obj, &json!({}));
        }
        if c.store.count(group, plural) == 0 {
            let fins: Vec<String> = objects::finalizers(crd)
                .into_iter()
                .filter(|f| f != CRD_FINALIZER)
                .collect();
            let mut new = crd.as_ref().clone();
            objects::set_finalizers(&mut new, &fins);
            wrote |= write(c, CRD_GROUP, "customresourcedefinitions", crd, new, "");
        }
    }
    wrote
}

fn has_owner_references(obj: &Value) -> bool {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .is_some_and(|refs| !refs.is_empty())
}

/// Owner-reference garbage collection. Its cost follows what changed: the store's owner graph names the
/// objects to look at again (new or changed dependents, dependents of owners that went or are terminating,
/// owners whose dependents went) and finds owners by uid.
fn garbage_collect(c: &Arc<Cluster>) -> bool {
    let mut wrote = false;
    for (g, r, obj) in c.store.take_owner_work() {
        let done = if has_owner_references(&obj) {
            collect_dependent(c, &g, &r, &obj, &mut wrote)
        } else {
            true
        };
        // An owner waiting on its dependents: drop `orphan` / `foregroundDeletion` once none refers to it
        // (a dependent deleted just now has the owner looked at again in the next pass).
        let done = done
            && (!waits_for_dependents(&obj) || c.store.has_dependents(objects::uid(&obj)) || {
                let rest: Vec<String> = objects::finalizers(&obj)
                    .into_iter()
                    .filter(|f| f != "orphan" && f != "foregroundDeletion")
                    .collect();
                let mut new = obj.as_ref().clone();
                objects::set_finalizers(&mut new, &rest);
                let ok = write(c, &g, &r, &obj, new, "");
                wrote |= ok;
                ok
            });
        if !done {
            c.store.retry_owner_work((
                g,
                r,
                objects::namespace(&obj).to_string(),
                objects::name(&obj).to_string(),
            ));
        }
    }
    wrote
}

/// Deletes a dependent whose owners are gone, strips references to owners that orphan it, and deletes it
/// in the foreground when its owners are. Returns false when a write failed (to be tried again).
fn collect_dependent(
    c: &Arc<Cluster>,
    g: &str,
    r: &str,
    obj: &Arc<Value>,
    wrote: &mut bool,
) -> bool {
    let owners: Vec<(String, Option<Arc<Value>>)> = owner_uids(obj)
        .into_iter()
        .map(|uid| (uid.to_string(), c.store.by_uid(uid).map(|(_, _, o)| o)))
        .collect();
    let mut keep = Vec::new();
    let mut foreground = false;
    for (uid, owner) in &owners {
        let Some(owner) = owner else { continue };
        let terminating = objects::is_terminating(owner);
        let fins = objects::finalizers(owner);
        if terminating && fins.iter().any(|f| f == "orphan") {
            continue;
        }
        if terminating && fins.iter().any(|f| f == "foregroundDeletion") {
            foreground = true;
        }
        keep.push((uid.clone(), terminating));
    }
    let mut ok = true;
    let mut delete = false;
    if keep.is_empty() {
        if owners.iter().any(|(_, o)| o.is_some()) {
            // Every remaining owner is orphaning: strip the references, keep the object.
            let mut new = obj.as_ref().clone();
            objects::meta_mut(&mut new).remove("ownerReferences");
            ok = write(c, g, r, obj, new, "");
            *wrote |= ok;
        } else {
            delete = true;
        }
    } else if keep.len() != owners.len() {
        let mut new = obj.as_ref().clone();
        let refs: Vec<Value> = obj["metadata"]["ownerReferences"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|r| keep.iter().any(|(k, _)| r["uid"] == json!(k)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        objects::meta_mut(&mut new).insert("ownerReferences".into(), json!(refs));
        ok = write(c, g, r, obj, new, "");
        *wrote |= ok;
    }
    if foreground && keep.iter().all(|(_, terminating)| *terminating) {
        delete = true;
    }
    if delete && !objects::is_terminating(obj) {
        let policy = if foreground {
            "Foreground"
        } else {
            "Background"
        };
        let deleted = delete_one(c, g, r, obj, &json!({ "propagationPolicy": policy }));
        *wrote |= deleted;
        ok &= deleted;
    }
    ok
}
