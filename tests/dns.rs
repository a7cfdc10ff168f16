//! Multi-cluster DNS on sandbox clusters: `init --enable-dns`, a federated LoadBalancer Service in two
//! members, a Domain and a ServiceDNSRecord; reconcile fills the record's status and the DNSEndpoint
//! `service-<name>`, writes nothing the second time, and drops a member that is no longer ready.

mod engine_common;

use engine_common::*;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::core::ApiResource;
use serde_json::{json, Value};

fn dns(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "multiclusterdns.kubefed.io".into(),
        version: "v1alpha1".into(),
        api_version: "multiclusterdns.kubefed.io/v1alpha1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

async fn set_topology(p: &Plane, cluster: &str, region: &str, zones: &[&str]) {
    let ar = kubefedctl::kubefed::types::KubeFedCluster::api_resource();
    let api: Api<DynamicObject> = Api::namespaced_with(p.host.clone(), NS, &ar);
    api.patch_status(
        cluster,
        &PatchParams::default(),
        &Patch::Merge(&json!({"status": {"region": region, "zones": zones}})),
    )
    .await
    .expect("status patch");
}

fn lb_ip(svc: &Value) -> String {
    svc.pointer("/status/loadBalancer/ingress/0/ip")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no load balancer address: {svc}"))
        .to_string()
}

fn endpoints(ep: &Value) -> Vec<(String, String, i64, Vec<String>)> {
    ep["spec"]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["dnsName"].as_str().unwrap().to_string(),
                e["recordType"].as_str().unwrap().to_string(),
                e["recordTTL"].as_i64().unwrap(),
                e["targets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn rec(name: &str, ty: &str, targets: &[&str]) -> (String, String, i64, Vec<String>) {
    (
        name.to_string(),
        ty.to_string(),
        60,
        targets.iter().map(|t| t.to_string()).collect(),
    )
}

/// A plane with DNS installed by `init --enable-dns`, m1 in eu/eu-a and m2 in us/us-a, and a federated
/// LoadBalancer Service `web` in `shop` placed on both.
async fn service_plane() -> Plane {
    let p = plane(&["m1", "m2"], &[]).await;
    let (code, out, err) = p.cli(&["dns", "-A"]).await;
    assert_eq!(code, 1, "no DNS CRDs yet: {out}{err}");
    assert!(err.contains("kubefedctl init --enable-dns"), "{err}");

    let (code, out, err) = p.cli(&["init", "--enable-dns"]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("customresourcedefinition.apiextensions.k8s.io/servicednsrecords.multiclusterdns.kubefed.io"),
        "{out}"
    );
    // A status needs its conditions first: probing the members writes them.
    let (code, _, err) = p.cli(&["clusters"]).await;
    assert_eq!(code, 0, "{err}");
    set_topology(&p, "m1", "eu", &["eu-a"]).await;
    set_topology(&p, "m2", "us", &["us-a"]).await;
    p.federate_namespace("shop", json!({"clusterSelector": {}}))
        .await;
    create(
        &p.host,
        &fed("Service"),
        Some("shop"),
        json!({"apiVersion": "types.kubefed.io/v1beta1", "kind": "FederatedService",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"template": {"spec": {"type": "LoadBalancer", "ports": [{"port": 80, "protocol": "TCP"}]}},
                     "placement": {"clusters": [{"name": "m1"}, {"name": "m2"}]}}}),
    )
    .await;
    create(
        &p.host,
        &dns("Domain", "domains"),
        Some(NS),
        json!({"apiVersion": "multiclusterdns.kubefed.io/v1alpha1", "kind": "Domain",
            "metadata": {"name": "fed", "namespace": NS}, "domain": "example.com"}),
    )
    .await;
    create(
        &p.host,
        &dns("ServiceDNSRecord", "servicednsrecords"),
        Some("shop"),
        json!({"apiVersion": "multiclusterdns.kubefed.io/v1alpha1", "kind": "ServiceDNSRecord",
            "metadata": {"name": "web", "namespace": "shop"}, "spec": {"domainRef": "fed", "recordTTL": 60}}),
    )
    .await;
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn init_enable_dns_is_idempotent() {
    let p = plane(&[], &[]).await;
    let (code, _, err) = p.cli(&["init", "--enable-dns"]).await;
    assert_eq!(code, 0, "{err}");
    let before = p.writes();
    let (code, out, err) = p.cli(&["init", "--enable-dns"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("domains.multiclusterdns.kubefed.io unchanged"),
        "{out}"
    );
    assert!(err.contains("up to date"), "{err}");
    assert_eq!(p.writes(), before, "a second init wrote");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn service_dns_record_publishes_member_load_balancers_and_drops_an_unready_member() {
    let mut p = service_plane().await;
    let report = p.once().await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    let svc = core("Service", "services");
    let ip1 = lb_ip(
        &get(&p.member("m1").await, &svc, Some("shop"), "web")
            .await
            .unwrap(),
    );
    let ip2 = lb_ip(
        &get(&p.member("m2").await, &svc, Some("shop"), "web")
            .await
            .unwrap(),
    );
    assert!(ip1.starts_with("192.0.2.") && ip2.starts_with("192.0.2."));
    assert_ne!(ip1, ip2, "members hand out distinct addresses");

    let record = get(
        &p.host,
        &dns("ServiceDNSRecord", "servicednsrecords"),
        Some("shop"),
        "web",
    )
    .await
    .unwrap();
    assert_eq!(
        record["status"],
        json!({"domain": "example.com", "dns": [
            {"cluster": "m1", "region": "eu", "zones": ["eu-a"], "loadBalancer": {"ingress": [{"ip": ip1}]}},
            {"cluster": "m2", "region": "us", "zones": ["us-a"], "loadBalancer": {"ingress": [{"ip": ip2}]}}
        ]})
    );
    let endpoint_ar = dns("DNSEndpoint", "dnsendpoints");
    let ep = get(&p.host, &endpoint_ar, Some("shop"), "service-web")
        .await
        .expect("DNSEndpoint service-web");
    let mut both = vec![ip1.as_str(), ip2.as_str()];
    both.sort();
    assert_eq!(
        endpoints(&ep),
        vec![
            rec("web.shop.fed.svc.eu-a.eu.example.com", "A", &[&ip1]),
            rec("web.shop.fed.svc.eu.example.com", "A", &[&ip1]),
            rec("web.shop.fed.svc.example.com", "A", &both),
            rec("web.shop.fed.svc.us-a.us.example.com", "A", &[&ip2]),
            rec("web.shop.fed.svc.us.example.com", "A", &[&ip2]),
        ]
    );
    assert_eq!(ep["metadata"]["ownerReferences"][0]["name"], "web");

    // Converged: a second pass writes nothing anywhere.
    let before = p.writes();
    let report = p.once().await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.dns_writes, 0);
    assert_eq!(p.writes(), before, "a second pass wrote");

    // The table and JSON of `kubefedctl dns`.
    let (code, out, err) = p.cli(&["dns", "-n", "shop"]).await;
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], ["NAME", "TYPE", "TTL", "TARGETS"]);
    assert!(
        lines.contains(&vec![
            "web.shop.fed.svc.example.com",
            "A",
            "60",
            &format!("{},{}", both[0], both[1])
        ]),
        "{out}"
    );
    let (code, out, _) = p.cli(&["dns", "-A", "-o", "json"]).await;
    assert_eq!(code, 0);
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 5);
    assert_eq!(rows[0]["dnsEndpoint"], "service-web");
    let (code, _, err) = p.cli(&["dns", "-n", "Not_A_Namespace"]).await;
    assert_eq!(code, 2, "{err}");

    // m2 goes away: its address leaves every name, its zone and region point one level up.
    p.sb.stop("m2").await.unwrap();
    let report = p.once().await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let ep = get(&p.host, &endpoint_ar, Some("shop"), "service-web")
        .await
        .unwrap();
    assert_eq!(
        endpoints(&ep),
        vec![
            rec("web.shop.fed.svc.eu-a.eu.example.com", "A", &[&ip1]),
            rec("web.shop.fed.svc.eu.example.com", "A", &[&ip1]),
            rec("web.shop.fed.svc.example.com", "A", &[&ip1]),
            rec(
                "web.shop.fed.svc.us-a.us.example.com",
                "CNAME",
                &["web.shop.fed.svc.us.example.com"]
            ),
            rec(
                "web.shop.fed.svc.us.example.com",
                "CNAME",
                &["web.shop.fed.svc.example.com"]
            ),
        ]
    );
    let record = get(
        &p.host,
        &dns("ServiceDNSRecord", "servicednsrecords"),
        Some("shop"),
        "web",
    )
    .await
    .unwrap();
    assert_eq!(
        record["status"]["dns"][1],
        json!({"cluster": "m2", "region": "us", "zones": ["us-a"], "loadBalancer": {}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_record_whose_domain_is_missing_is_reported_and_gets_no_endpoint() {
    let p = service_plane().await;
    delete(&p.host, &dns("Domain", "domains"), Some(NS), "fed").await;
    let report = p.once().await;
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0].contains("Domain \"fed\" not found"),
        "{:?}",
        report.errors
    );
    let ep = get(
        &p.host,
        &dns("DNSEndpoint", "dnsendpoints"),
        Some("shop"),
        "service-web",
    )
    .await;
    assert!(ep.is_none());
}
