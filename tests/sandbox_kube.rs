//! Conformance of the sandbox API server as seen by the `kube` crate over HTTPS.

mod common;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::discovery::Discovery;
use serde_json::json;

#[tokio::test]
async fn discovery_run_and_aggregated_find_core_and_groups() {
    let sb = common::start(&["c1"]).await;
    let client = common::client(&sb, "c1").await;
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
    let sb = common::start(&["c1"]).await;
    let client = common::client(&sb, "c1").await;
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
    let sb = common::start(&["c1"]).await;
    let client = common::client(&sb, "c1").await;
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
    for _ in 0..100 {
        if nss.get_opt("gone").await.unwrap().is_none() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("namespace still present");
}
