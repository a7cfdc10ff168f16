//! Conformance of the sandbox API server as seen by the `kube` crate over HTTPS.

mod support;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::discovery::Discovery;
use serde_json::json;
use support::eventually;

#[tokio::test]
async fn discovery_run_and_aggregated_find_core_and_groups() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let d = Discovery::new(client.clone())
        .run()
        .await
        .expect("legacy discovery");
    let groups: Vec<String> = d.groups().map(|g| g.name().to_string()).collect();
    for g in [
        "",
        "apps",
        "rbac.authorization.k8s.io",
        "apiextensions.k8s.io",
    ] {
        assert!(groups.iter().any(|x| x == g), "{g} missing from {groups:?}");
    }
    let d = Discovery::new(client)
        .run_aggregated()
        .await
        .expect("aggregated discovery");
    let groups: Vec<String> = d.groups().map(|g| g.name().to_string()).collect();
    assert!(groups.iter().any(|x| x == "apps"), "{groups:?}");
    assert!(groups.iter().any(|x| x.is_empty()), "{groups:?}");
}

#[tokio::test]
async fn configmap_crud_with_conflicts_and_not_found() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let cm: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "a"}, "data": {"k": "v"}})).unwrap();
    let created = cms
        .create(&PostParams::default(), &cm)
        .await
        .expect("create");
    assert!(created.metadata.uid.is_some());
    let err = cms.create(&PostParams::default(), &cm).await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.reason == "AlreadyExists" && s.code == 409),
        "{err:?}"
    );
    let mut stale = created.clone();
    let patched = cms
        .patch(
            "a",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"k": "w"}})),
        )
        .await
        .unwrap();
    assert_eq!(patched.data.unwrap()["k"], "w");
    stale.data = Some([("k".to_string(), "x".to_string())].into());
    let err = cms
        .replace("a", &PostParams::default(), &stale)
        .await
        .unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 409 && s.reason == "Conflict"),
        "{err:?}"
    );
    let list = cms.list(&ListParams::default()).await.unwrap();
    assert!(list
        .items
        .iter()
        .any(|c| c.metadata.name.as_deref() == Some("a")));
    cms.delete("a", &DeleteParams::default()).await.unwrap();
    let err = cms.get("a").await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 404),
        "{err:?}"
    );
}

#[tokio::test]
async fn namespace_deletion_removes_contents_then_the_namespace() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let nss: Api<Namespace> = Api::all(client.clone());
    nss.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": "gone"}})).unwrap(),
    )
    .await
    .unwrap();
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "gone");
    cms.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": "x"}})).unwrap(),
    )
    .await
    .unwrap();
    nss.delete("gone", &DeleteParams::default()).await.unwrap();
    eventually(5, "the namespace to be gone", || async {
        nss.get_opt("gone").await.unwrap().is_none().then_some(())
    })
    .await;
}

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{DynamicObject, GroupVersionKind};
use kube::runtime::watcher;
use std::time::Duration;

fn cm(name: &str, labels: serde_json::Value) -> ConfigMap {
    serde_json::from_value(
        json!({"metadata": {"name": name, "labels": labels}, "data": {"k": "v"}}),
    )
    .unwrap()
}

#[tokio::test]
async fn server_side_apply_conflicts_then_force_takes_ownership() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let a = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ssa"}, "data": {"x": "1"}});
    let created = cms
        .patch("ssa", &PatchParams::apply("alice"), &Patch::Apply(&a))
        .await
        .unwrap();
    let rv = created.metadata.resource_version.clone();
    // Same apply again: nothing changes, not even the resourceVersion.
    let again = cms
        .patch("ssa", &PatchParams::apply("alice"), &Patch::Apply(&a))
        .await
        .unwrap();
    assert_eq!(again.metadata.resource_version, rv);
    let b = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ssa"}, "data": {"x": "2"}});
    let err = cms
        .patch("ssa", &PatchParams::apply("bob"), &Patch::Apply(&b))
        .await
        .unwrap_err();
    match err {
        kube::Error::Api(s) => {
            assert_eq!(s.code, 409);
            assert!(
                s.message.contains("conflict with \"alice\""),
                "{}",
                s.message
            );
        }
        other => panic!("{other:?}"),
    }
    let forced = cms
        .patch("ssa", &PatchParams::apply("bob").force(), &Patch::Apply(&b))
        .await
        .unwrap();
    assert_eq!(forced.data.unwrap()["x"], "2");
    let managers: Vec<String> = forced
        .metadata
        .managed_fields
        .unwrap()
        .iter()
        .filter_map(|m| m.manager.clone())
        .collect();
    assert!(managers.contains(&"bob".to_string()), "{managers:?}");
}

#[tokio::test]
async fn list_selectors_pagination_and_dry_run() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    for i in 0..5 {
        cms.create(
            &PostParams::default(),
            &cm(
                &format!("p{i}"),
                json!({"tier": if i % 2 == 0 {"a"} else {"b"}}),
            ),
        )
        .await
        .unwrap();
    }
    let a = cms
        .list(&ListParams::default().labels("tier=a"))
        .await
        .unwrap();
    assert_eq!(a.items.len(), 3);
    let not_a = cms
        .list(&ListParams::default().labels("tier notin (a)"))
        .await
        .unwrap();
    assert!(not_a.items.iter().all(|c| c
        .metadata
        .labels
        .as_ref()
        .is_none_or(|l| l.get("tier").map(|s| s.as_str()) != Some("a"))));
    let by_name = cms
        .list(&ListParams::default().fields("metadata.name=p3"))
        .await
        .unwrap();
    assert_eq!(by_name.items.len(), 1);
    let page = cms
        .list(&ListParams::default().labels("tier").limit(2))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    let token = page.metadata.continue_.clone().expect("continue token");
    let rest = cms
        .list(
            &ListParams::default()
                .labels("tier")
                .limit(10)
                .continue_token(&token),
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 3);
    let bad = cms
        .list(&ListParams::default().labels("tier in (a"))
        .await
        .unwrap_err();
    assert!(
        matches!(bad, kube::Error::Api(ref s) if s.code == 400),
        "{bad:?}"
    );
    // dryRun=All: validated, answered, not stored.
    let pp = PostParams {
        dry_run: true,
        ..Default::default()
    };
    cms.create(&pp, &cm("dry", json!({}))).await.unwrap();
    assert!(cms.get_opt("dry").await.unwrap().is_none());
}

#[tokio::test]
async fn watcher_sees_added_modified_deleted() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let mut events =
        watcher::watcher(cms.clone(), watcher::Config::default().labels("w=1")).boxed();
    // Initial list (empty) completes first.
    loop {
        match events.try_next().await.unwrap().unwrap() {
            watcher::Event::InitDone => break,
            _ => continue,
        }
    }
    cms.create(&PostParams::default(), &cm("w1", json!({"w": "1"})))
        .await
        .unwrap();
    cms.patch(
        "w1",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"k": "v2"}})),
    )
    .await
    .unwrap();
    cms.delete("w1", &DeleteParams::default()).await.unwrap();
    let mut seen = Vec::new();
    while seen.len() < 3 {
        let ev = tokio::time::timeout(Duration::from_secs(5), events.try_next())
            .await
            .expect("event in time")
            .unwrap()
            .unwrap();
        match ev {
            watcher::Event::Apply(c) => seen.push(format!("apply:{}", c.data.unwrap()["k"])),
            watcher::Event::Delete(c) => seen.push(format!("delete:{}", c.metadata.name.unwrap())),
            _ => {}
        }
    }
    assert_eq!(seen, ["apply:v", "apply:v2", "delete:w1"]);
}

#[tokio::test]
async fn watch_from_a_compacted_resource_version_gets_an_in_stream_410() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let params = kube::api::WatchParams::default();
    let mut stream = cms.watch(&params, "1").await.unwrap().boxed();
    let first = stream.next().await.unwrap();
    match first {
        Ok(kube::api::WatchEvent::Error(e)) => {
            assert_eq!((e.code, e.reason.as_str()), (410, "Expired"))
        }
        Err(kube::Error::Api(e)) => assert_eq!(e.code, 410),
        other => panic!("expected 410, got {other:?}"),
    }
}

/// An Exact list at a resourceVersion the store no longer reaches is refused 410 Expired, as etcd's
/// "required revision has been compacted" makes a real server answer. (Not in the fidelity corpus: a fresh
/// real cluster has compacted nothing for its first five minutes.)
#[tokio::test]
async fn an_exact_list_at_a_compacted_resource_version_is_410() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let params = ListParams::default()
        .at("1")
        .matching(kube::api::VersionMatch::Exact);
    match cms.list(&params).await {
        Err(kube::Error::Api(e)) => {
            assert_eq!((e.code, e.reason.as_str()), (410, "Expired"));
            assert_eq!(
                e.message,
                "The resourceVersion for the provided list is too old."
            );
        }
        other => panic!("expected 410, got {other:?}"),
    }
}

#[tokio::test]
async fn finalizers_hold_deletion_until_removed() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let obj: ConfigMap = serde_json::from_value(
        json!({"metadata": {"name": "f", "finalizers": ["example.com/hold"]}}),
    )
    .unwrap();
    cms.create(&PostParams::default(), &obj).await.unwrap();
    cms.delete("f", &DeleteParams::default()).await.unwrap();
    let held = cms.get("f").await.unwrap();
    assert!(held.metadata.deletion_timestamp.is_some());
    let err = cms
        .patch(
            "f",
            &PatchParams::default(),
            &Patch::Merge(
                json!({"metadata": {"finalizers": ["example.com/hold", "example.com/new"]}}),
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 422),
        "{err:?}"
    );
    cms.patch(
        "f",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": null}})),
    )
    .await
    .unwrap();
    assert!(cms.get_opt("f").await.unwrap().is_none());
}

#[tokio::test]
async fn owner_reference_garbage_collection_background_and_orphan() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client, "default");
    let owner = cms
        .create(&PostParams::default(), &cm("owner", json!({})))
        .await
        .unwrap();
    let uid = owner.metadata.uid.clone().unwrap();
    let dep = |name: &str| -> ConfigMap {
        serde_json::from_value(json!({"metadata": {"name": name, "ownerReferences": [
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": uid}]}}))
        .unwrap()
    };
    cms.create(&PostParams::default(), &dep("child"))
        .await
        .unwrap();
    cms.delete("owner", &DeleteParams::background())
        .await
        .unwrap();
    eventually(5, "child collected", || async {
        (cms.get_opt("child").await.unwrap().is_none()).then_some(())
    })
    .await;

    let owner = cms
        .create(&PostParams::default(), &cm("owner", json!({})))
        .await
        .unwrap();
    let uid = owner.metadata.uid.clone().unwrap();
    let kept: ConfigMap =
        serde_json::from_value(json!({"metadata": {"name": "kept", "ownerReferences": [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": uid}]}}))
        .unwrap();
    cms.create(&PostParams::default(), &kept).await.unwrap();
    cms.delete("owner", &DeleteParams::orphan()).await.unwrap();
    eventually(5, "owner gone", || async {
        (cms.get_opt("owner").await.unwrap().is_none()).then_some(())
    })
    .await;
    let kept = cms.get("kept").await.unwrap();
    assert!(kept
        .metadata
        .owner_references
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn service_account_token_secret_is_filled_and_rbac_checked() {
    let sb = support::start(&["c1"]).await;
    let admin = support::client(&sb, "c1").await;
    let sas: Api<ServiceAccount> = Api::namespaced(admin.clone(), "default");
    sas.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": "robot"}})).unwrap(),
    )
    .await
    .unwrap();
    let secrets: Api<Secret> = Api::namespaced(admin.clone(), "default");
    let s: Secret = serde_json::from_value(json!({"metadata": {"name": "robot-token", "annotations": {
        "kubernetes.io/service-account.name": "robot"}}, "type": "kubernetes.io/service-account-token"}))
    .unwrap();
    secrets.create(&PostParams::default(), &s).await.unwrap();
    let token = eventually(5, "the token controller to fill the Secret", || async {
        let s = secrets.get("robot-token").await.unwrap();
        let t = s.data?.get("token")?.0.clone();
        Some(String::from_utf8(t).unwrap()).filter(|t| !t.is_empty())
    })
    .await;
    let robot = support::client_with_token(&sb, "c1", &token).await;
    let robot_cms: Api<ConfigMap> = Api::namespaced(robot.clone(), "default");
    let err = robot_cms.list(&ListParams::default()).await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403 && s.message.contains("system:serviceaccount:default:robot")),
        "{err:?}"
    );
    let rbs: Api<DynamicObject> = Api::namespaced_with(
        admin.clone(),
        "default",
        &kube::api::ApiResource::from_gvk(&GroupVersionKind::gvk(
            "rbac.authorization.k8s.io",
            "v1",
            "RoleBinding",
        )),
    );
    let rb: DynamicObject = serde_json::from_value(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "robot-view"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "ServiceAccount", "name": "robot", "namespace": "default"}]}))
    .unwrap();
    rbs.create(&PostParams::default(), &rb).await.unwrap();
    robot_cms
        .list(&ListParams::default())
        .await
        .expect("allowed after the binding");
    // Deleting the ServiceAccount revokes the token.
    sas.delete("robot", &DeleteParams::default()).await.unwrap();
    let err = robot_cms.list(&ListParams::default()).await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 401),
        "{err:?}"
    );
}

#[tokio::test]
async fn crd_registers_a_served_type_with_status_subresource_and_generation() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let crd: CustomResourceDefinition = serde_json::from_value(json!({
        "metadata": {"name": "things.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
            "names": {"plural": "things", "singular": "thing", "kind": "Thing", "shortNames": ["th"]},
            "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                    "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}}}}}]}
    }))
    .unwrap();
    crds.create(&PostParams::default(), &crd).await.unwrap();
    eventually(5, "established", || async {
        (crds
            .get("things.example.com")
            .await
            .unwrap()
            .status
            .and_then(|s| s.conditions)
            .is_some_and(|c| {
                c.iter()
                    .any(|c| c.type_ == "Established" && c.status == "True")
            }))
        .then_some(())
    })
    .await;
    let d = Discovery::new(client.clone()).run().await.unwrap();
    assert!(d.groups().any(|g| g.name() == "example.com"));
    let ar = kube::api::ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("example.com", "v1", "Thing"),
        "things",
    );
    let things: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
    let t: DynamicObject =
        serde_json::from_value(json!({"apiVersion": "example.com/v1", "kind": "Thing",
        "metadata": {"name": "t1"}, "spec": {"size": 1}, "status": {"ready": true}}))
        .unwrap();
    let created = things.create(&PostParams::default(), &t).await.unwrap();
    assert_eq!(created.metadata.generation, Some(1));
    assert!(
        created.data.get("status").is_none(),
        "status is dropped on create"
    );
    let p = things
        .patch(
            "t1",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"size": 2}})),
        )
        .await
        .unwrap();
    assert_eq!(p.metadata.generation, Some(2));
    let s = things
        .patch_status(
            "t1",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"ready": true}})),
        )
        .await
        .unwrap();
    assert_eq!(s.metadata.generation, Some(2));
    assert_eq!(s.data["status"]["ready"], true);
    let bad = things
        .patch(
            "t1",
            &PatchParams::default(),
            &Patch::Strategic(json!({"spec": {"size": 3}})),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(bad, kube::Error::Api(ref s) if s.code == 415),
        "{bad:?}"
    );
    crds.delete("things.example.com", &DeleteParams::default())
        .await
        .unwrap();
    eventually(5, "crd gone", || async {
        (crds.get_opt("things.example.com").await.unwrap().is_none()).then_some(())
    })
    .await;
    let err = things.get("t1").await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 404),
        "{err:?}"
    );
}

#[tokio::test]
async fn deployment_scale_subresource_and_metrics() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let deps: Api<Deployment> = Api::namespaced(client, "default");
    let d: Deployment = serde_json::from_value(json!({"metadata": {"name": "web"}, "spec": {"replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}))
    .unwrap();
    deps.create(&PostParams::default(), &d).await.unwrap();
    let before = sb.cluster("c1").unwrap().metrics.total(&["PATCH"]);
    let sc = deps
        .patch_scale(
            "web",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 4}})),
        )
        .await
        .unwrap();
    assert_eq!(sc.spec.unwrap().replicas, Some(4));
    let d = deps.get("web").await.unwrap();
    assert_eq!(d.spec.unwrap().replicas, Some(4));
    assert_eq!(d.metadata.generation, Some(2));
    assert_eq!(
        sb.cluster("c1").unwrap().metrics.total(&["PATCH"]),
        before + 1
    );
    assert!(sb.cluster("c1").unwrap().metrics.render().contains(
        "apiserver_request_total{code=\"201\",component=\"apiserver\",dry_run=\"\",group=\"apps\",resource=\"deployments\",scope=\"resource\",subresource=\"\",verb=\"POST\",version=\"v1\"} 1"
    ));
}

#[tokio::test]
async fn custom_resources_are_pruned_by_schema_and_strict_validation_rejects_unknown_fields() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let crd: CustomResourceDefinition = serde_json::from_value(json!({
        "metadata": {"name": "boxes.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
            "names": {"plural": "boxes", "singular": "box", "kind": "Box"},
            "versions": [{"name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {
                        "size": {"type": "integer", "default": 1},
                        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}}}]}
    }))
    .unwrap();
    crds.create(&PostParams::default(), &crd).await.unwrap();
    let ar = kube::api::ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("example.com", "v1", "Box"),
        "boxes",
    );
    let boxes: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
    eventually(5, "served", || async {
        (boxes.list(&ListParams::default()).await.is_ok()).then_some(())
    })
    .await;
    let b: DynamicObject =
        serde_json::from_value(json!({"apiVersion": "example.com/v1", "kind": "Box",
        "metadata": {"name": "b1"}, "spec": {"unknown": 1, "extra": {"anything": {"goes": true}}}}))
        .unwrap();
    let created = boxes.create(&PostParams::default(), &b).await.unwrap();
    assert!(
        created.data["spec"].get("unknown").is_none(),
        "unknown field pruned: {}",
        created.data
    );
    assert_eq!(
        created.data["spec"]["extra"]["anything"]["goes"], true,
        "preserved subtree kept"
    );
    assert_eq!(created.data["spec"]["size"], 1, "default applied");
    let strict: DynamicObject =
        serde_json::from_value(json!({"apiVersion": "example.com/v1", "kind": "Box",
        "metadata": {"name": "b2"}, "spec": {"unknown": 1}}))
        .unwrap();
    // kube's PostParams has no fieldValidation: send the strict request by hand.
    let body = serde_json::to_vec(&strict).unwrap();
    let r =
        http::Request::post("/apis/example.com/v1/namespaces/default/boxes?fieldValidation=Strict")
            .header("content-type", "application/json")
            .body(body)
            .unwrap();
    let err = client.request_text(r).await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 400 && s.message.contains("unknown field \"spec.unknown\"")),
        "{err:?}"
    );
    let bad: DynamicObject =
        serde_json::from_value(json!({"apiVersion": "example.com/v1", "kind": "Box",
        "metadata": {"name": "b3"}, "spec": {"size": "big"}}))
        .unwrap();
    let err = boxes
        .create(&PostParams::default(), &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 422 && s.message.contains("spec.size")),
        "{err:?}"
    );
}

#[tokio::test]
async fn generate_name_and_bookmarks() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let g: ConfigMap =
        serde_json::from_value(json!({"metadata": {"generateName": "gen-"}})).unwrap();
    let made = cms.create(&PostParams::default(), &g).await.unwrap();
    let name = made.metadata.name.unwrap();
    assert!(name.starts_with("gen-") && name.len() == 9, "{name}");
    let none: ConfigMap = serde_json::from_value(json!({"metadata": {}})).unwrap();
    let err = cms.create(&PostParams::default(), &none).await.unwrap_err();
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 422 && s.message.contains("name or generateName is required")),
        "{err:?}"
    );
    // A watch with bookmarks allowed sends one before closing at its timeout.
    let rv = cms
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut params = kube::api::WatchParams::default().timeout(1);
    params.bookmarks = true;
    let events: Vec<_> = cms.watch(&params, &rv).await.unwrap().collect().await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Ok(kube::api::WatchEvent::Bookmark(_)))),
        "{events:?}"
    );
}

#[tokio::test]
async fn deleted_root_ca_configmap_and_default_service_account_come_back() {
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), "default");
    let old_cm = cms.get("kube-root-ca.crt").await.unwrap();
    let old_sa = sas.get("default").await.unwrap();
    cms.delete("kube-root-ca.crt", &DeleteParams::default())
        .await
        .unwrap();
    sas.delete("default", &DeleteParams::default())
        .await
        .unwrap();
    let new_cm = cms.get("kube-root-ca.crt").await.unwrap();
    let new_sa = sas.get("default").await.unwrap();
    assert_ne!(new_cm.metadata.uid, old_cm.metadata.uid);
    assert_eq!(new_cm.data, old_cm.data);
    assert_ne!(new_sa.metadata.uid, old_sa.metadata.uid);
    // Other objects stay deleted.
    cms.create(
        &PostParams::default(),
        &serde_json::from_value(json!({"metadata": {"name": "plain"}})).unwrap(),
    )
    .await
    .unwrap();
    cms.delete("plain", &DeleteParams::default()).await.unwrap();
    assert!(cms.get_opt("plain").await.unwrap().is_none());
}

#[tokio::test]
async fn created_pod_is_pending_with_its_qos_class_whatever_status_was_sent() {
    use k8s_openapi::api::core::v1::Pod;
    let sb = support::start(&["c1"]).await;
    let client = support::client(&sb, "c1").await;
    let pods: Api<Pod> = Api::namespaced(client, "default");
    let pod: Pod = serde_json::from_value(json!({"metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a", "image": "nginx",
            "resources": {"limits": {"cpu": "1", "memory": "64Mi"}}}]},
        "status": {"phase": "Running", "podIP": "10.0.0.9"}}))
    .unwrap();
    let created = pods.create(&PostParams::default(), &pod).await.unwrap();
    let status = created.status.unwrap();
    assert_eq!(status.phase.as_deref(), Some("Pending"));
    assert_eq!(status.qos_class.as_deref(), Some("Guaranteed"));
    assert_eq!(status.pod_ip, None);
}
