//! `kubefedctl reconcile --once`, `status` and `clusters` as a user runs them: the real binary against sandbox
//! clusters, checked by exit code, output and what the clusters hold afterwards.

mod support;

use serde_json::{json, Value};
use support::*;

async fn two_members_with_a_configmap() -> Plane {
    let p = plane(&["m1", "m2"], &[("m1", &[("env", "prod")])]).await;
    p.federate_namespace("app", json!({"clusterSelector": {}}))
        .await;
    p.federated_configmap(
        "app",
        "web",
        json!({"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reconcile_once_prints_a_row_per_object_and_cluster_and_exits_0_when_converged() {
    let p = two_members_with_a_configmap().await;
    let (code, out, err) = p.cli(&["reconcile", "--once"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["CLUSTER", "NAMESPACE/NAME", "TYPE", "ACTION", "STATUS"]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["m1", "app/web", "configmaps", "create", "OK"]),
        "{out}"
    );
    // A namespace is named once, not app/app (its FederatedNamespace lives in itself).
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["m1", "app", "namespaces", "create", "OK"]),
        "{out}"
    );
    assert!(err.contains("2/2 clusters ready"), "{err}");
    assert!(p.configmap("m2", "app", "web").await.is_some());

    // Second run: nothing to do, still exit 0.
    let (code, out, _) = p.cli(&["reconcile", "--once", "-o", "json"]).await;
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).expect("json report");
    let records = report["records"].as_array().unwrap();
    assert!(records.iter().all(|r| r["action"] == "none"), "{out}");
    assert!(records.iter().any(|r| r["cluster"] == "m1"
        && r["name"] == "web"
        && r["type"] == "configmaps"
        && r["status"] == ""));
}

/// `kubectl delete` of a federated object returns at once, but the object stays until a reconcile releases
/// it: `status` says so instead of showing it OK.
/// `-v` adds the listings with their timings, `-vv` each write with its object and cluster; without it,
/// stderr holds none of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn verbose_levels_show_listings_then_each_write() {
    let p = two_members_with_a_configmap().await;
    let (code, out, err) = p.cli(&["reconcile", "--once", "-vv"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let written = err
        .lines()
        .find(|l| l.contains("written") && l.contains("key=app/web") && l.contains("cluster=m1"))
        .unwrap_or_else(|| panic!("a line for the write to m1:\n{err}"));
    assert!(written.contains("action=Create"), "{written}");
    assert!(
        err.lines()
            .any(|l| l.contains("listed managed objects") && l.contains("cluster=m2")),
        "{err}"
    );

    // A change, so that this pass writes: -v still shows no write.
    merge(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "web",
        json!({"spec": {"template": {"data": {"a": "c"}}}}),
    )
    .await;
    let (code, out, err) = p.cli(&["reconcile", "--once", "-v"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("update"), "the pass wrote: {out}");
    assert!(err.contains("listed managed objects"), "{err}");
    assert!(!err.contains("written"), "-v shows no writes: {err}");

    let (code, _, err) = p.cli(&["reconcile", "--once"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("listed managed objects"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn status_shows_a_deleted_object_waiting_for_reconcile() {
    let p = two_members_with_a_configmap().await;
    assert_eq!(p.cli(&["reconcile", "--once"]).await.0, 0);
    kube::Api::<kube::api::DynamicObject>::namespaced_with(
        p.host.clone(),
        "app",
        &federated("ConfigMap"),
    )
    .delete("web", &Default::default())
    .await
    .unwrap();
    let (code, out, err) = p.cli(&["status", "configmaps", "web", "-n", "app"]).await;
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows.iter()
            .all(|l| l.contains("Deleting (waiting for reconcile)")),
        "{out}"
    );
    assert!(
        err.contains("until `kubefedctl reconcile` removes what it propagated"),
        "{err}"
    );
    assert_eq!(p.cli(&["reconcile", "--once"]).await.0, 0);
    assert!(get(&p.host, &federated("ConfigMap"), Some("app"), "web")
        .await
        .is_none());
    assert!(p.configmap("m1", "app", "web").await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unreachable_member_does_not_stop_the_others_and_exits_3_with_status_recorded() {
    let mut p = two_members_with_a_configmap().await;
    assert_eq!(p.cli(&["reconcile", "--once"]).await.0, 0);
    p.federated_configmap(
        "app",
        "later",
        json!({"template": {"data": {"x": "1"}}, "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.sb.stop("m2").await.unwrap();

    let (code, out, err) = p.cli(&["reconcile", "--once", "-o", "json"]).await;
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(err.contains("cluster \"m2\" is not ready"), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let m2_later = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["cluster"] == "m2" && r["name"] == "later")
        .unwrap();
    assert_eq!(m2_later["status"], "ClusterNotReady");
    assert!(
        p.configmap("m1", "app", "later").await.is_some(),
        "m1 converged"
    );
    let f = get(&p.host, &federated("ConfigMap"), Some("app"), "later")
        .await
        .unwrap();
    assert_eq!(
        f["status"]["clusters"],
        json!([{"name": "m1"}, {"name": "m2", "status": "ClusterNotReady"}])
    );
    let kfc = get(
        &p.host,
        &kubefedctl::kubefed::types::KubeFedCluster::api_resource(),
        Some(NS),
        "m2",
    )
    .await
    .unwrap();
    assert_eq!(kfc["status"]["conditions"][0]["type"], "Offline");
    assert_eq!(
        kfc["status"]["conditions"][0]["reason"],
        "ClusterNotReachable"
    );

    p.sb.resume("m2").await.unwrap();
    // Nothing was deleted from m2 while it was away; a rerun converges.
    assert!(p.configmap("m2", "app", "web").await.is_some());
    let (code, _, err) = p.cli(&["reconcile", "--once"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(p.configmap("m2", "app", "later").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reconcile_dry_run_says_what_it_would_do_and_writes_nothing() {
    let p = two_members_with_a_configmap().await;
    let before = p.writes();
    let (code, out, err) = p.cli(&["reconcile", "--once", "--dry-run"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("create"), "{out}");
    assert!(err.contains("dry run: nothing was written"), "{err}");
    assert!(err.contains("would be created"), "{err}");
    assert_eq!(p.writes(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_type_is_a_usage_error_and_nothing_is_written() {
    let p = two_members_with_a_configmap().await;
    let before = p.writes();
    let (code, out, err) = p.cli(&["reconcile", "--once", "--type", "widgets"]).await;
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("type \"widgets\" matches no enabled FederatedTypeConfig"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(p.writes(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_deletion_budgets_and_deadlines_are_usage_errors_and_nothing_is_written() {
    let p = two_members_with_a_configmap().await;
    let before = p.writes();
    for (args, says) in [
        (
            &["--max-deletions", "ten"][..],
            "is not a number of objects or a percentage",
        ),
        (
            &["--max-deletions", "150%"],
            "is not a percentage from 0% to 100%",
        ),
        (&["--max-deletions=-3"], "is not a number of objects"),
        (
            &["--max-deletions", "5", "--allow-mass-deletion"],
            "cannot be used with",
        ),
        (&["--timeout", "0s"], "must be greater than 0"),
    ] {
        let mut all = vec!["reconcile", "--once"];
        all.extend(args);
        let (code, out, err) = p.cli(&all).await;
        assert_eq!(code, 2, "{args:?}: {out}\n{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, _, err) = p.cli(&["reconcile", "--watch", "--timeout", "1m"]).await;
    assert_eq!(code, 2, "--timeout is for --once: {err}");
    assert_eq!(p.writes(), before);
}

/// A template whose apiVersion or kind is not the federated type's target is refused once, before any
/// member sees it, with a status that names the field; the other objects propagate.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_template_of_another_api_version_or_kind_is_refused_naming_the_field() {
    let p = two_members_with_a_configmap().await;
    p.federated_configmap(
        "app",
        "wrong-version",
        json!({"template": {"apiVersion": "apps/v1", "data": {"a": "b"}},
            "placement": {"clusterSelector": {}}}),
    )
    .await;
    p.federated_configmap(
        "app",
        "wrong-kind",
        json!({"template": {"kind": "Secret", "data": {"a": "b"}},
            "placement": {"clusterSelector": {}}}),
    )
    .await;
    let (code, out, err) = p.cli(&["reconcile", "--once", "-o", "json"]).await;
    assert_eq!(code, 3, "{out}\n{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let of = |name: &str| -> Vec<Value> {
        report["records"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["name"] == name && r["cluster"] == "m1")
            .cloned()
            .collect()
    };
    let v = &of("wrong-version")[0];
    assert_eq!(v["status"], "ComputeResourceFailed");
    assert!(
        v["error"].as_str().unwrap().starts_with(
            "spec.template.apiVersion: \"apps/v1\" does not match the federated type's target v1"
        ),
        "{v}"
    );
    let k = &of("wrong-kind")[0];
    assert!(
        k["error"]
            .as_str()
            .unwrap()
            .starts_with("spec.template.kind: \"Secret\" does not match"),
        "{k}"
    );
    assert!(err.contains("spec.template.apiVersion"), "{err}");
    for m in ["m1", "m2"] {
        assert!(p.configmap(m, "app", "wrong-version").await.is_none());
        assert!(p.configmap(m, "app", "wrong-kind").await.is_none());
        assert!(p.configmap(m, "app", "web").await.is_some());
    }
    let f = get(
        &p.host,
        &federated("ConfigMap"),
        Some("app"),
        "wrong-version",
    )
    .await
    .unwrap();
    assert_eq!(
        f["status"]["clusters"],
        json!([{"name": "m1", "status": "ComputeResourceFailed"},
               {"name": "m2", "status": "ComputeResourceFailed"}])
    );
    // Refused again without a request to any member, and without rewriting the status. Under -q only
    // the errors are printed, so the exit code still comes with its reason.
    let before = p.writes();
    let (code, out, err) = p.cli(&["-q", "reconcile", "--once"]).await;
    assert_eq!(code, 3);
    assert_eq!(p.writes(), before);
    assert!(
        out.contains("ComputeResourceFailed"),
        "the report is data: {out}"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "one per object and cluster: {err}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("Error: configmaps app/wrong-")),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn missing_control_plane_is_a_precondition_failure() {
    let sb = start(&["host"]).await;
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kc");
    sb.write_kubeconfig(&kc).unwrap();
    for command in [
        &["reconcile", "--once"][..],
        &["status", "-A"],
        &["clusters"],
    ] {
        let out = run_kubefedctl(&kc, command).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("A KubeFedConfig named \"kubefed\" was not found in namespace \"kube-federation-system\""), "{err}");
        assert!(err.contains("kubefedctl init"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn status_shows_one_row_per_object_and_cluster_from_the_recorded_status() {
    let mut p = two_members_with_a_configmap().await;
    p.cli(&["reconcile", "--once"]).await;
    p.sb.stop("m2").await.unwrap();
    p.cli(&["reconcile", "--once"]).await;
    p.sb.resume("m2").await.unwrap();

    let (code, out, err) = p.cli(&["status", "configmaps", "-n", "app"]).await;
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        ["CLUSTER", "TYPE", "NAMESPACE", "NAME", "STATUS", "AGE"]
    );
    assert_eq!(rows[1][..5], ["m1", "configmaps", "app", "web", "OK"]);
    assert_eq!(
        rows[2][..5],
        ["m2", "configmaps", "app", "web", "ClusterNotReady"]
    );

    let (code, out, _) = p
        .cli(&[
            "status",
            "FederatedConfigMap",
            "web",
            "-n",
            "app",
            "-o",
            "wide",
        ])
        .await;
    assert_eq!(code, 0);
    assert!(out.lines().next().unwrap().contains("REASON"), "{out}");
    assert!(out.contains("CheckClusters"), "{out}");

    let (code, out, _) = p.cli(&["status", "-A", "-o", "json"]).await;
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["type"] == "namespaces" && r["name"] == "app"));

    let (code, _, err) = p.cli(&["status", "configmaps", "nope", "-n", "app"]).await;
    assert_eq!(code, 1);
    assert!(
        err.contains("FederatedConfigMap \"nope\" not found in namespace \"app\""),
        "{err}"
    );
    let (code, _, _) = p.cli(&["status", "widgets"]).await;
    assert_eq!(code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clusters_probes_members_with_stored_credentials_and_records_their_health() {
    let mut p = two_members_with_a_configmap().await;
    let (code, _, err) = p.cli(&["clusters"]).await;
    assert_eq!(code, 0, "every member ready: {err}");
    p.sb.stop("m2").await.unwrap();
    let (code, out, err) = p.cli(&["clusters"]).await;
    assert_eq!(code, 3, "one member not ready, as reconcile: {err}");
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "NAME",
            "READY",
            "KUBERNETES-VERSION",
            "ENDPOINT",
            "LABELS",
            "AGE"
        ]
    );
    let m1 = p.sb.cluster("m1").unwrap().server_url();
    assert_eq!(rows[1][0], "m1");
    assert_eq!(rows[1][1], "True");
    assert!(rows[1][2].starts_with('v'), "{out}");
    assert_eq!(rows[1][3], m1);
    assert_eq!(rows[1][4], "env=prod");
    assert_eq!(rows[2][..2], ["m2", "False"]);
    assert_eq!(rows[2][4], "<none>");

    let kfc_ar = kubefedctl::kubefed::types::KubeFedCluster::api_resource();
    let m1_kfc = get(&p.host, &kfc_ar, Some(NS), "m1").await.unwrap();
    let cond = &m1_kfc["status"]["conditions"][0];
    assert_eq!(cond["type"], "Ready");
    assert_eq!(cond["reason"], "ClusterReady");
    assert_eq!(cond["message"], "/healthz responded with ok");
    assert_eq!(m1_kfc["status"]["kubernetesVersion"], rows[1][2]);
    let m2_kfc = get(&p.host, &kfc_ar, Some(NS), "m2").await.unwrap();
    assert_eq!(m2_kfc["status"]["conditions"][0]["type"], "Offline");
    assert!(m2_kfc["status"]["conditions"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("cluster is not reachable: "));

    // Probing again with nothing changed writes nothing.
    let before = p.writes();
    let (_, out, _) = p.cli(&["clusters", "-o", "json"]).await;
    assert_eq!(p.writes(), before);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["name"], "m1");
    assert_eq!(v[0]["ready"], true);
    assert_eq!(v[1]["ready"], false);
}

/// A member that refuses the stored token (revoked, rotated) is offline with a message that says so and
/// what to do, not "/healthz responded without ok".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rejected_credentials_are_named_as_such() {
    let p = two_members_with_a_configmap().await;
    let kfc_ar = kubefedctl::kubefed::types::KubeFedCluster::api_resource();
    let m2 = get(&p.host, &kfc_ar, Some(NS), "m2").await.unwrap();
    let secret = m2["spec"]["secretRef"]["name"].as_str().unwrap();
    merge(
        &p.host,
        &core("Secret", "secrets"),
        Some(NS),
        secret,
        json!({"data": {"token": "bm90LWEtdG9rZW4tYW55b25lLWlzc3VlZA=="}}), // "not-a-token-anyone-issued"
    )
    .await;
    let (code, out, err) = p.cli(&["clusters", "-o", "wide"]).await;
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(
        out.contains("credentials rejected (401 Unauthorized)"),
        "{out}"
    );
    let m2 = get(&p.host, &kfc_ar, Some(NS), "m2").await.unwrap();
    let cond = &m2["status"]["conditions"][0];
    assert_eq!(
        (&cond["type"], &cond["reason"]),
        (&json!("Offline"), &json!("ClusterNotReachable"))
    );
    let message = cond["message"].as_str().unwrap();
    assert!(
        message.starts_with("cluster is not reachable: credentials rejected (401 Unauthorized)")
            && message.ends_with("join the cluster again to renew them"),
        "{message}"
    );
    assert!(!out.contains("not-a-token") && !err.contains("not-a-token"));
}

/// A member CA that does not match the member's serving certificate is named as such, and a CA bundle that
/// is not a certificate is a malformed configuration (as KubeFed reports it), not an unreachable cluster.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tls_problems_say_what_is_wrong_with_the_certificate() {
    let p = two_members_with_a_configmap().await;
    let kfc_ar = kubefedctl::kubefed::types::KubeFedCluster::api_resource();
    let m2 = get(&p.host, &kfc_ar, Some(NS), "m2").await.unwrap();
    let other_ca = m2["spec"]["caBundle"].as_str().unwrap().to_string();
    merge(
        &p.host,
        &kfc_ar,
        Some(NS),
        "m1",
        json!({"spec": {"caBundle": other_ca}}),
    )
    .await;
    // "not a cert", base64-encoded.
    merge(
        &p.host,
        &kfc_ar,
        Some(NS),
        "m2",
        json!({"spec": {"caBundle": "bm90IGEgY2VydA=="}}),
    )
    .await;
    let (code, out, err) = p.cli(&["clusters", "-o", "wide"]).await;
    assert_eq!(code, 1, "no member is ready: {out}\n{err}");
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    assert!(
        line("m1").contains("ClusterNotReachable")
            && line("m1").contains(
                "TLS: the member's serving certificate is not signed by the CA in spec.caBundle"
            ),
        "{out}"
    );
    assert!(
        line("m2").contains("ClusterConfigMalformed")
            && line("m2").contains("spec.caBundle holds no PEM certificate"),
        "{out}"
    );
    let m2 = get(&p.host, &kfc_ar, Some(NS), "m2").await.unwrap();
    assert_eq!(m2["status"]["conditions"][0]["type"], "ConfigMalformed");
    let (code, _, err) = p.cli(&["reconcile", "--once"]).await;
    assert_ne!(code, 0);
    assert!(
        err.contains("spec.caBundle holds no PEM certificate"),
        "{err}"
    );
    assert!(
        err.contains("not signed by the CA in spec.caBundle"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cluster_with_a_bad_secret_is_config_malformed_and_its_token_never_printed() {
    let p = two_members_with_a_configmap().await;
    let token = p.sb.cluster("m1").unwrap().admin_token.clone();
    merge(
        &p.host,
        &kubefedctl::kubefed::types::KubeFedCluster::api_resource(),
        Some(NS),
        "m2",
        json!({"spec": {"secretRef": {"name": "missing"}}}),
    )
    .await;
    let (code, out, err) = p.cli(&["-vvv", "reconcile", "--once"]).await;
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(err.contains("ClusterConfigMalformed"), "{err}");
    assert!(!out.contains(&token) && !err.contains(&token));
    let m2 = get(
        &p.host,
        &kubefedctl::kubefed::types::KubeFedCluster::api_resource(),
        Some(NS),
        "m2",
    )
    .await
    .unwrap();
    assert_eq!(m2["status"]["conditions"][0]["type"], "ConfigMalformed");
    assert_eq!(
        m2["status"]["conditions"][0]["message"],
        "cluster's configuration may be malformed"
    );
    assert!(p.configmap("m1", "app", "web").await.is_some());
    // What is malformed is told: typed in the engine, in words on stderr.
    use kubefedctl::engine::clusters::{self, MalformedConfig};
    let members = clusters::load_members(&p.host, NS, &clusters::ClientCache::new())
        .await
        .unwrap();
    let m2 = members.iter().find(|m| m.name == "m2").unwrap();
    let missing = MalformedConfig::SecretNotFound {
        namespace: NS.into(),
        name: "missing".into(),
    };
    assert_eq!(m2.client.as_ref().err(), Some(&missing));
    assert!(
        err.contains(&format!("secret {NS}/missing not found in the host")),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_join_then_reconcile_reaches_members_with_their_joined_service_account_tokens() {
    let sb = start(&["host", "m1", "m2"]).await;
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kc");
    sb.write_kubeconfig(&kc).unwrap();
    for args in [
        vec!["init"],
        vec!["join", "m1", "--label", "env=prod"],
        vec!["join", "m2"],
    ] {
        let out = run_kubefedctl(&kc, &args).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let host = client(&sb, "host").await;
    create(
        &host,
        &core("Namespace", "namespaces"),
        None,
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "app"}}),
    )
    .await;
    create(&host, &federated("Namespace"), Some("app"), json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedNamespace", "metadata": {"name": "app", "namespace": "app"}, "spec": {"placement": {"clusterSelector": {}}}})).await;
    create(&host, &federated("ConfigMap"), Some("app"), json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedConfigMap", "metadata": {"name": "web", "namespace": "app"}, "spec": {"template": {"data": {"a": "b"}}, "placement": {"clusterSelector": {"matchLabels": {"env": "prod"}}}}})).await;

    let out = run_kubefedctl(&kc, &["reconcile", "--once"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let m1 = client(&sb, "m1").await;
    let m2 = client(&sb, "m2").await;
    assert!(get(&m1, &configmaps(), Some("app"), "web").await.is_some());
    assert!(get(&m2, &core("Namespace", "namespaces"), None, "app")
        .await
        .is_some());
    assert!(get(&m2, &configmaps(), Some("app"), "web").await.is_none());
}
