//! In-process controllers of a sandbox cluster: namespace deletion, CRD instance cleanup and owner-reference
//! garbage collection (background, foreground and orphan). They write through the same pipeline as requests.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::api::{delete_object, update_object};
use super::cluster::{Cluster, CRD_GROUP};
use super::hooks::{SystemRequest, CRD_FINALIZER};
use super::objects;

const MANAGER: &str = "kube-controller-manager";

/// Runs until the cluster is dropped (the task holds only a weak reference).
pub async fn run(cluster: std::sync::Weak<Cluster>) {
    loop {
        let Some(c) = cluster.upgrade() else { return };
        let woken = tokio::time::timeout(Duration::from_millis(500), c.controllers.notified())
            .await
            .is_ok();
        // Settle briefly so a burst of deletions is handled in one pass.
        if woken {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let c2 = c.clone();
        let _ = tokio::task::spawn_blocking(move || pass(&c2)).await;
    }
}

/// One pass of every controller; returns whether anything was written.
pub fn pass(c: &Arc<Cluster>) -> bool {
    let mut wrote = false;
    wrote |= namespaces(c);
    wrote |= crds(c);
    wrote |= garbage_collect(c);
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
    let sys = SystemRequest::new(MANAGER);
    let Some(mut ctx) = sys.ctx(
        c,
        group,
        plural,
        objects::namespace(old),
        objects::name(old),
    ) else {
        return false;
    };
    ctx.subresource = sub.to_string();
    update_object(&ctx, old, new, false).is_ok()
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

fn owner_uids(obj: &Value) -> Vec<String> {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["uid"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn garbage_collect(c: &Arc<Cluster>) -> bool {
    let mut wrote = false;
    let all = c.store.all_objects();
    // uid → (group, resource, object)
    let by_uid: BTreeMap<String, (String, String, Arc<Value>)> = all
        .iter()
        .map(|(g, r, o)| {
            (
                objects::uid(o).to_string(),
                (g.clone(), r.clone(), o.clone()),
            )
        })
        .collect();
    let mut referenced: BTreeSet<String> = BTreeSet::new();
    for (g, r, obj) in all.iter().filter(|(_, _, o)| {
        o["metadata"]["ownerReferences"]
            .as_array()
            .is_some_and(|refs| !refs.is_empty())
    }) {
        let owners = owner_uids(obj);
        referenced.extend(owners.iter().cloned());
        let mut keep = Vec::new();
        let mut delete = false;
        let mut foreground = false;
        for uid in &owners {
            match by_uid.get(uid) {
                None => {}
                Some((_, _, owner))
                    if objects::is_terminating(owner)
                        && objects::finalizers(owner).iter().any(|f| f == "orphan") => {}
                Some((_, _, owner)) => {
                    if objects::is_terminating(owner)
                        && objects::finalizers(owner)
                            .iter()
                            .any(|f| f == "foregroundDeletion")
                    {
                        foreground = true;
                    }
                    keep.push(uid.clone());
                }
            }
        }
        if keep.is_empty() {
            let orphaned_by_policy = owners.iter().any(|u| by_uid.contains_key(u));
            if orphaned_by_policy {
                // Every remaining owner is orphaning: strip the references, keep the object.
                let mut new = obj.as_ref().clone();
                objects::meta_mut(&mut new).remove("ownerReferences");
                wrote |= write(c, g, r, obj, new, "");
            } else {
                delete = true;
            }
        } else if keep.len() != owners.len() {
            let mut new = obj.as_ref().clone();
            let refs: Vec<Value> = obj["metadata"]["ownerReferences"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|r| keep.iter().any(|k| r["uid"] == json!(k)))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            objects::meta_mut(&mut new).insert("ownerReferences".into(), json!(refs));
            wrote |= write(c, g, r, obj, new, "");
        }
        if foreground
            && keep.iter().all(|u| {
                by_uid
                    .get(u)
                    .is_some_and(|(_, _, o)| objects::is_terminating(o))
            })
        {
            delete = true;
        }
        if delete && !objects::is_terminating(obj) {
            wrote |= delete_one(
                c,
                g,
                r,
                obj,
                &json!({"propagationPolicy": if foreground {"Foreground"} else {"Background"}}),
            );
        }
    }
    // Owners waiting on their dependents: drop `orphan` / `foregroundDeletion` when no dependent refers to them.
    for (g, r, obj) in all.iter().filter(|(_, _, o)| objects::is_terminating(o)) {
        let fins = objects::finalizers(obj);
        if !fins
            .iter()
            .any(|f| f == "orphan" || f == "foregroundDeletion")
        {
            continue;
        }
        let uid = objects::uid(obj);
        let still_referenced = c
            .store
            .all_objects()
            .iter()
            .any(|(_, _, o)| owner_uids(o).iter().any(|u| u == uid));
        if !still_referenced {
            let rest: Vec<String> = fins
                .into_iter()
                .filter(|f| f != "orphan" && f != "foregroundDeletion")
                .collect();
            if let Some(cur) = c
                .store
                .get(g, r, objects::namespace(obj), objects::name(obj))
            {
                let mut new = cur.as_ref().clone();
                objects::set_finalizers(&mut new, &rest);
                wrote |= write(c, g, r, &cur, new, "");
            }
        }
    }
    let _ = referenced;
    wrote
}
