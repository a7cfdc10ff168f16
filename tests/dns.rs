//! Multi-cluster DNS on every backend (sandbox clusters and real kube-apiservers): `init --enable-dns`, a
//! federated LoadBalancer Service and Ingress in two members whose load balancers are set as a cloud
//! controller sets them, a Domain, a ServiceDNSRecord and an IngressDNSRecord. `reconcile --once` fills the
//! records' status and the DNSEndpoints `service-<name>` and `ingress-<name>`, writes nothing the second
//! time, reports a record whose Domain is missing without holding up the others, and drops a member that
//! is no longer ready; `reconcile --watch` follows load balancers, Domains and records as they change.

mod support;

use serde_json::{json, Value};
use support::*;

const NS: &str = "kube-federation-system";

fn dns(kind: &str, plural: &str) -> kube::core::ApiResource {
    ar("multiclusterdns.kubefed.io", "v1alpha1", kind, plural)
}

fn service_records() -> kube::core::ApiResource {
    dns("ServiceDNSRecord", "servicednsrecords")
}

fn ingress_records() -> kube::core::ApiResource {
    dns("IngressDNSRecord", "ingressdnsrecords")
}

fn dns_endpoints() -> kube::core::ApiResource {
    dns("DNSEndpoint", "dnsendpoints")
}

fn ingresses() -> kube::core::ApiResource {
    ar("networking.k8s.io", "v1", "Ingress", "ingresses")
}

/// Sets a status through the status subresource, as a cloud or cluster controller does.
async fn set_status(
    bed: &Bed,
    cluster: &str,
    ar: &kube::core::ApiResource,
    ns: &str,
    name: &str,
    status: Value,
) {
    let client = bed.client(cluster).await;
    api(&client, ar, Some(ns))
        .patch_status(
            name,
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&json!({ "status": status })),
        )
        .await
        .unwrap_or_else(|e| panic!("status of {} {ns}/{name} in {cluster}: {e}", ar.kind));
}

/// A member's load balancer for the Service and the Ingress `web` in `shop`.
async fn set_load_balancers(bed: &Bed, cluster: &str, service_ip: &str, ingress_ip: &str) {
    set_status(
        bed,
        cluster,
        &core("Service", "services"),
        "shop",
        "web",
        json!({"loadBalancer": {"ingress": [{"ip": service_ip}]}}),
    )
    .await;
    set_status(
        bed,
        cluster,
        &ingresses(),
        "shop",
        "web",
        json!({"loadBalancer": {"ingress": [{"ip": ingress_ip}]}}),
    )
    .await;
}

type Rec = (String, String, i64, Vec<String>);

fn endpoints(ep: &Value) -> Vec<Rec> {
    ep["spec"]["endpoints"]
        .as_array()
        .unwrap_or_else(|| panic!("no endpoints: {ep}"))
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

fn rec(name: &str, ty: &str, ttl: i64, targets: &[&str]) -> Rec {
    (
        name.to_string(),
        ty.to_string(),
        ttl,
        targets.iter().map(|t| t.to_string()).collect(),
    )
}

/// The records of `web` when member1 (eu/eu-a) has `ip1` and member2 (us/us-a) has `ip2`.
fn service_records_of(domain: &str, ttl: i64, ip1: &str, ip2: &str) -> Vec<Rec> {
    let mut both = vec![ip1, ip2];
    both.sort();
    vec![
        rec(
            &format!("web.shop.fed.svc.eu-a.eu.{domain}"),
            "A",
            ttl,
            &[ip1],
        ),
        rec(&format!("web.shop.fed.svc.eu.{domain}"), "A", ttl, &[ip1]),
        rec(&format!("web.shop.fed.svc.{domain}"), "A", ttl, &both),
        rec(
            &format!("web.shop.fed.svc.us-a.us.{domain}"),
            "A",
            ttl,
            &[ip2],
        ),
        rec(&format!("web.shop.fed.svc.us.{domain}"), "A", ttl, &[ip2]),
    ]
}

async fn endpoint_records(bed: &Bed, name: &str) -> Option<Vec<Rec>> {
    bed.get("host", &dns_endpoints(), Some("shop"), name)
        .await
        .map(|ep| endpoints(&ep))
}

/// Waits until `--watch` has brought the DNSEndpoint `name` to `want`.
async fn watch_brings(bed: &Bed, name: &str, want: Vec<Rec>, what: &str) {
    eventually(60, what, || async {
        (endpoint_records(bed, name).await.as_ref() == Some(&want)).then_some(())
    })
    .await;
}

/// The Domain `fed` (zone `example.com`) and a ServiceDNSRecord `name` in `shop` pointing at `domain_ref`.
async fn domain_and_record(bed: &Bed, name: &str, domain_ref: &str, spec: Value) {
    bed.apply(
        "host",
        &dns("Domain", "domains"),
        json!({"apiVersion": "multiclusterdns.kubefed.io/v1alpha1",
        "kind": "Domain", "metadata": {"name": "fed", "namespace": NS}, "domain": "example.com"}),
    )
    .await;
    let mut spec = spec;
    spec["domainRef"] = json!(domain_ref);
    bed.apply(
        "host",
        &service_records(),
        json!({"apiVersion": "multiclusterdns.kubefed.io/v1alpha1",
        "kind": "ServiceDNSRecord", "metadata": {"name": name, "namespace": "shop"}, "spec": spec}),
    )
    .await;
}

async fn dns_records_follow_the_members(backend: Backend) {
    let mut bed = Bed::start(&backend, &["host", "member1", "member2"]).await;
    let label = bed.label();

    // A control plane without DNS: `dns` says how to add it.
    bed.expect(bed.run(&["init"]).await, 0, "init");
    let before_init = bed.run(&["dns", "-A"]).await;
    assert_eq!(
        before_init.status.code(),
        Some(1),
        "dns before init on {label}"
    );
    assert!(
        stderr(&before_init).contains("kubefedctl init --enable-dns"),
        "{}",
        stderr(&before_init)
    );
    let out = bed.expect(
        bed.run(&["init", "--enable-dns"]).await,
        0,
        "init --enable-dns",
    );
    assert!(
        out.contains("customresourcedefinition.apiextensions.k8s.io/servicednsrecords.multiclusterdns.kubefed.io"),
        "{out}"
    );
    let before = bed.writes().await;
    let out = bed.expect(
        bed.run(&["init", "--enable-dns"]).await,
        0,
        "init --enable-dns again",
    );
    assert!(
        out.contains("domains.multiclusterdns.kubefed.io unchanged"),
        "{out}"
    );
    assert_eq!(
        bed.writes().await,
        before,
        "a second init --enable-dns wrote on {label}"
    );

    bed.join(&["member1", "member2"]).await;
    // A KubeFedCluster's status needs its conditions first: probing the members writes them. Zones and
    // region are what KubeFed's cluster controller read from the members' nodes.
    bed.expect(bed.run(&["clusters"]).await, 0, "clusters");
    let kfc = ar(
        "core.kubefed.io",
        "v1beta1",
        "KubeFedCluster",
        "kubefedclusters",
    );
    set_status(
        &bed,
        "host",
        &kfc,
        NS,
        "member1",
        json!({"region": "eu", "zones": ["eu-a"]}),
    )
    .await;
    set_status(
        &bed,
        "host",
        &kfc,
        NS,
        "member2",
        json!({"region": "us", "zones": ["us-a"]}),
    )
    .await;

    federated_namespace(&bed, "shop").await;
    let both = json!({"clusters": [{"name": "member1"}, {"name": "member2"}]});
    bed.apply(
        "host",
        &federated("Service"),
        json!({"apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedService", "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"template": {"spec": {"type": "LoadBalancer", "selector": {"app": "web"},
            "ports": [{"port": 80, "protocol": "TCP"}]}}, "placement": both}}),
    )
    .await;
    bed.apply(
        "host",
        &ar(
            "types.kubefed.io",
            "v1beta1",
            "FederatedIngress",
            "federatedingresses",
        ),
        json!({"apiVersion": "types.kubefed.io/v1beta1",
        "kind": "FederatedIngress", "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"template": {"spec": {"rules": [{"host": "shop.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}},
            "placement": both}}),
    )
    .await;
    domain_and_record(&bed, "web", "fed", json!({"recordTTL": 60})).await;
    bed.apply(
        "host",
        &ingress_records(),
        json!({"apiVersion": "multiclusterdns.kubefed.io/v1alpha1",
        "kind": "IngressDNSRecord", "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"hosts": ["shop.example.com"], "recordTTL": 60}}),
    )
    .await;

    // The first pass propagates; the members' load balancers come up afterwards.
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "first pass");
    set_load_balancers(&bed, "member1", "198.51.100.1", "203.0.113.1").await;
    set_load_balancers(&bed, "member2", "198.51.100.2", "203.0.113.2").await;
    bed.expect(
        bed.run(&["reconcile", "--once"]).await,
        0,
        "a pass after the load balancers",
    );

    let record = bed
        .get("host", &service_records(), Some("shop"), "web")
        .await
        .unwrap();
    assert_eq!(
        record["status"],
        json!({"domain": "example.com", "dns": [
            {"cluster": "member1", "region": "eu", "zones": ["eu-a"],
             "loadBalancer": {"ingress": [{"ip": "198.51.100.1"}]}},
            {"cluster": "member2", "region": "us", "zones": ["us-a"],
             "loadBalancer": {"ingress": [{"ip": "198.51.100.2"}]}}
        ]}),
        "on {label}"
    );
    let ep = bed
        .get("host", &dns_endpoints(), Some("shop"), "service-web")
        .await
        .unwrap();
    assert_eq!(
        endpoints(&ep),
        service_records_of("example.com", 60, "198.51.100.1", "198.51.100.2"),
        "on {label}"
    );
    assert_eq!(
        ep["metadata"]["ownerReferences"][0]["kind"],
        "ServiceDNSRecord"
    );
    assert_eq!(
        endpoint_records(&bed, "ingress-web").await,
        Some(vec![rec(
            "shop.example.com",
            "A",
            60,
            &["203.0.113.1", "203.0.113.2"]
        )]),
        "on {label}"
    );

    // Converged: a second pass writes nothing anywhere, DNS included.
    let before = bed.writes().await;
    let out = bed.expect(
        bed.run(&["reconcile", "--once", "-o", "json"]).await,
        0,
        "second pass",
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(report.get("dnsWrites").is_none(), "{out}");
    assert_eq!(bed.writes().await, before, "a second pass wrote on {label}");

    // `kubefedctl dns`: a table per name, JSON rows, and bad input refused.
    let out = bed.expect(bed.run(&["dns", "-n", "shop"]).await, 0, "dns");
    let lines: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], ["NAME", "TYPE", "TTL", "TARGETS"], "{out}");
    assert!(
        lines.contains(&vec![
            "web.shop.fed.svc.example.com",
            "A",
            "60",
            "198.51.100.1,198.51.100.2"
        ]),
        "{out}"
    );
    assert!(
        lines.contains(&vec![
            "shop.example.com",
            "A",
            "60",
            "203.0.113.1,203.0.113.2"
        ]),
        "{out}"
    );
    let out = bed.expect(
        bed.run(&["dns", "-A", "-o", "json"]).await,
        0,
        "dns -o json",
    );
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 6, "{out}");
    let bad = bed.run(&["dns", "-n", "Not_A_Namespace"]).await;
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));

    // A record whose Domain does not exist is reported by name and gets no DNSEndpoint; the others are
    // kept up to date all the same.
    domain_and_record(&bed, "other", "nope", json!({})).await;
    let o = bed.run(&["reconcile", "--once"]).await;
    assert_eq!(
        o.status.code(),
        Some(3),
        "a record without its Domain on {label}"
    );
    assert!(
        stderr(&o).contains("ServiceDNSRecord shop/other: Domain \"nope\" not found"),
        "{}",
        stderr(&o)
    );
    assert!(endpoint_records(&bed, "service-other").await.is_none());
    let client = bed.client("host").await;
    api(&client, &service_records(), Some("shop"))
        .delete("other", &Default::default())
        .await
        .unwrap();

    // Under --watch, from its caches: a member's new load balancer, a changed Domain, a changed record.
    let lists_at_start = bed.lists().await;
    let watch = bed.spawn(&["reconcile", "--watch"]);
    // Once the watcher has listed what it watches, DNS costs no LIST: it works from its caches.
    eventually(60, "the watcher to list its caches", || async {
        let lists = bed.lists().await;
        (lists["member2"] > lists_at_start["member2"]).then_some(())
    })
    .await;
    let (_, lists_before) = bed.quiet_counts().await;
    set_load_balancers(&bed, "member2", "198.51.100.3", "203.0.113.3").await;
    watch_brings(
        &bed,
        "service-web",
        service_records_of("example.com", 60, "198.51.100.1", "198.51.100.3"),
        "member2's new Service load balancer in the records",
    )
    .await;
    watch_brings(
        &bed,
        "ingress-web",
        vec![rec(
            "shop.example.com",
            "A",
            60,
            &["203.0.113.1", "203.0.113.3"],
        )],
        "member2's new Ingress load balancer in the records",
    )
    .await;
    bed.merge(
        "host",
        &dns("Domain", "domains"),
        Some(NS),
        "fed",
        json!({"domain": "example.org"}),
    )
    .await;
    watch_brings(
        &bed,
        "service-web",
        service_records_of("example.org", 60, "198.51.100.1", "198.51.100.3"),
        "the records under the Domain's new zone",
    )
    .await;
    bed.merge(
        "host",
        &ingress_records(),
        Some("shop"),
        "web",
        json!({"spec": {"hosts": ["shop.example.com", "www.example.com"], "recordTTL": 30}}),
    )
    .await;
    watch_brings(
        &bed,
        "ingress-web",
        vec![
            rec("shop.example.com", "A", 30, &["203.0.113.1", "203.0.113.3"]),
            rec("www.example.com", "A", 30, &["203.0.113.1", "203.0.113.3"]),
        ],
        "the IngressDNSRecord's new hosts and TTL",
    )
    .await;
    assert_eq!(
        bed.lists().await,
        lists_before,
        "LISTs while --watch followed DNS changes on {label}"
    );
    terminate(watch.id());
    let out = finish(watch).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "watch stops cleanly on {label}:\n{}",
        stderr(&out)
    );

    // member2 goes away: its address leaves every name, and its zone and region names point one level up.
    bed.kill("member2").await;
    let o = bed.run(&["reconcile", "--once"]).await;
    assert_eq!(
        o.status.code(),
        Some(3),
        "a pass with member2 down on {label}: {}",
        stderr(&o)
    );
    assert_eq!(
        endpoint_records(&bed, "service-web").await.unwrap(),
        vec![
            rec(
                "web.shop.fed.svc.eu-a.eu.example.org",
                "A",
                60,
                &["198.51.100.1"]
            ),
            rec(
                "web.shop.fed.svc.eu.example.org",
                "A",
                60,
                &["198.51.100.1"]
            ),
            rec("web.shop.fed.svc.example.org", "A", 60, &["198.51.100.1"]),
            rec(
                "web.shop.fed.svc.us-a.us.example.org",
                "CNAME",
                60,
                &["web.shop.fed.svc.us.example.org"]
            ),
            rec(
                "web.shop.fed.svc.us.example.org",
                "CNAME",
                60,
                &["web.shop.fed.svc.example.org"]
            ),
        ],
        "on {label}"
    );
    assert_eq!(
        endpoint_records(&bed, "ingress-web").await.unwrap(),
        vec![
            rec("shop.example.com", "A", 30, &["203.0.113.1"]),
            rec("www.example.com", "A", 30, &["203.0.113.1"]),
        ],
        "on {label}"
    );
    let record = bed
        .get("host", &service_records(), Some("shop"), "web")
        .await
        .unwrap();
    assert_eq!(
        record["status"]["dns"][1],
        json!({"cluster": "member2", "region": "us", "zones": ["us-a"], "loadBalancer": {}}),
        "on {label}"
    );
}
on_every_backend!(dns_records_follow_the_members);

/// The sandbox plays the cloud controller: a `type: LoadBalancer` Service gets an address of 192.0.2.0/24
/// that no other Service of the process has, so DNS works end to end in the demo without setting any
/// status by hand; a Service of another type gets none.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sandbox_members_hand_out_load_balancer_addresses() {
    let bed = Bed::start(&Backend::Sandbox, &["host", "member1", "member2"]).await;
    bed.expect(bed.run(&["init", "--enable-dns"]).await, 0, "init");
    bed.join(&["member1", "member2"]).await;
    federated_namespace(&bed, "shop").await;
    let both = json!({"clusters": [{"name": "member1"}, {"name": "member2"}]});
    for (name, ty) in [("web", "LoadBalancer"), ("internal", "ClusterIP")] {
        bed.apply(
            "host",
            &federated("Service"),
            json!({"apiVersion": "types.kubefed.io/v1beta1",
            "kind": "FederatedService", "metadata": {"name": name, "namespace": "shop"},
            "spec": {"template": {"spec": {"type": ty, "ports": [{"port": 80, "protocol": "TCP"}]}},
                     "placement": both}}),
        )
        .await;
    }
    domain_and_record(&bed, "web", "fed", json!({})).await;
    bed.expect(bed.run(&["reconcile", "--once"]).await, 0, "a pass");

    let svc = core("Service", "services");
    let mut addresses = Vec::new();
    for m in ["member1", "member2"] {
        let web = bed.get(m, &svc, Some("shop"), "web").await.unwrap();
        let ip = web
            .pointer("/status/loadBalancer/ingress/0/ip")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no load balancer in {m}: {web}"))
            .to_string();
        assert!(ip.starts_with("192.0.2."), "{ip}");
        addresses.push(ip);
        let internal = bed.get(m, &svc, Some("shop"), "internal").await.unwrap();
        assert!(
            internal.pointer("/status/loadBalancer/ingress").is_none(),
            "{internal}"
        );
    }
    assert_ne!(
        addresses[0], addresses[1],
        "members hand out distinct addresses"
    );
    addresses.sort();
    let records = endpoint_records(&bed, "service-web")
        .await
        .expect("DNSEndpoint service-web");
    let global = records
        .iter()
        .find(|r| r.0 == "web.shop.fed.svc.example.com")
        .unwrap_or_else(|| panic!("{records:?}"));
    assert_eq!(global.1, "A");
    assert_eq!(global.2, 180, "KubeFed's default TTL");
    assert_eq!(global.3, addresses);
}
