//! Multi-cluster DNS, as KubeFed's servicedns, ingressdns and DNSEndpoint controllers did it until v0.7:
//! each ServiceDNSRecord (IngressDNSRecord) gathers the load-balancer addresses of the same-named Service
//! (Ingress) in every ready member into its `status.dns`, and a DNSEndpoint `service-<name>`
//! (`ingress-<name>`) beside it lists the DNS records external-dns should program. The record building
//! is pure (first half); the pass reads and writes through the host and member clients (second half).
//!
//! Deliberate differences from KubeFed: a load-balancer hostname becomes a CNAME target instead of being
//! resolved to addresses when the endpoints are built (that made the records depend on the resolver of
//! the controller); a cluster without a region (or zones) contributes to the global name only, where
//! KubeFed refused to build any record; Services count whether or not they have ready Endpoints (the
//! Endpoints check needs a permission least-privilege members do not grant, and the sandbox runs no pods).

use std::collections::{BTreeMap, BTreeSet};

use kube::api::{Api, DynamicObject, Patch, PatchParams};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::controlplane::resources::{self, Resource};
use crate::controlplane::FIELD_MANAGER;
use crate::kubefed::{DNS_API_VERSION, DNS_GROUP, DNS_VERSION};

/// TTL of the records when the DNS record object sets none (KubeFed's `defaultDNSTTL`).
pub const DEFAULT_TTL: i64 = 180;
pub const RECORD_TYPE_A: &str = "A";
pub const RECORD_TYPE_CNAME: &str = "CNAME";
/// DNSEndpoint names are the DNS record's name with this prefix (KubeFed's DNS object kind).
pub const SERVICE_ENDPOINT_PREFIX: &str = "service-";
pub const INGRESS_ENDPOINT_PREFIX: &str = "ingress-";

/// One `status.loadBalancer.ingress` item of a Service or Ingress.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LbIngress {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
}

/// `corev1.LoadBalancerStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancer {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<LbIngress>,
}

impl LoadBalancer {
    /// The load balancer of an object's `status.loadBalancer`, ingress sorted by IP then hostname as
    /// KubeFed sorted it, so that statuses compare.
    pub fn of(obj: &Value) -> LoadBalancer {
        let mut lb: LoadBalancer = obj
            .pointer("/status/loadBalancer")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        lb.ingress.sort();
        lb
    }

    /// Its addresses: IPs and hostnames, in order (KubeFed's `ExtractLoadBalancerTargets`).
    pub fn targets(&self) -> Vec<String> {
        let mut out = Vec::new();
        for i in &self.ingress {
            if !i.ip.is_empty() {
                out.push(i.ip.clone());
            }
            if !i.hostname.is_empty() {
                out.push(i.hostname.clone());
            }
        }
        out
    }
}

/// One cluster's entry of a DNS record's `status.dns` (`ClusterDNS`; an IngressDNSRecord's has no zones
/// nor region).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterDns {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    #[serde(default)]
    pub load_balancer: LoadBalancer,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
}

/// A DNS record object's `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordStatus {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<ClusterDns>,
}

impl RecordStatus {
    pub fn of(obj: &Value) -> RecordStatus {
        obj.get("status")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }
}

/// One DNS record of a DNSEndpoint, as external-dns reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    #[serde(default)]
    pub dns_name: String,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub record_type: String,
    #[serde(default, rename = "recordTTL")]
    pub record_ttl: i64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A member as a DNS record sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberDns {
    pub cluster: String,
    pub ready: bool,
    /// `status.zones` and `status.region` of its KubeFedCluster.
    pub zones: Vec<String>,
    pub region: String,
    /// The load balancer of the record's Service (Ingress) there; empty when it has none or no such
    /// object (ignored for members that are not ready).
    pub load_balancer: LoadBalancer,
}

/// What a ServiceDNSRecord's `status.dns` becomes: an entry per ready member with its load balancer,
/// plus the previous entries of members that are not ready, kept without load balancer so that their
/// zone and region names point one level up; sorted by cluster (KubeFed's servicedns controller).
pub fn service_cluster_dns(members: &[MemberDns], previous: &[ClusterDns]) -> Vec<ClusterDns> {
    let mut out: Vec<ClusterDns> = members
        .iter()
        .filter(|m| m.ready)
        .map(|m| ClusterDns {
            cluster: m.cluster.clone(),
            load_balancer: m.load_balancer.clone(),
            zones: m.zones.clone(),
            region: m.region.clone(),
        })
        .collect();
    for m in members.iter().filter(|m| !m.ready) {
        if let Some(p) = previous.iter().find(|p| p.cluster == m.cluster) {
            out.push(ClusterDns {
                load_balancer: LoadBalancer::default(),
                ..p.clone()
            });
        }
    }
    out.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    out
}

/// What an IngressDNSRecord's `status.dns` becomes: an entry per ready member with its load balancer,
/// sorted by cluster (KubeFed's ingressdns controller keeps nothing of members that are not ready).
pub fn ingress_cluster_dns(members: &[MemberDns]) -> Vec<ClusterDns> {
    let mut out: Vec<ClusterDns> = members
        .iter()
        .filter(|m| m.ready)
        .map(|m| ClusterDns {
            cluster: m.cluster.clone(),
            load_balancer: m.load_balancer.clone(),
            ..ClusterDns::default()
        })
        .collect();
    out.sort_by(|a, b| a.cluster.cmp(&b.cluster));
    out
}

/// The TTL a record's `spec.recordTTL` asks for, [`DEFAULT_TTL`] when unset or zero.
pub fn ttl_of(spec: &Value) -> i64 {
    match spec.get("recordTTL").and_then(Value::as_i64) {
        Some(t) if t != 0 => t,
        _ => DEFAULT_TTL,
    }
}

/// An endpoint for `targets`: A records for the IPs; without IPs, a CNAME to the hostnames; without
/// either, a CNAME to `uplevel` (the name one level up; empty = no record).
fn endpoint_for(
    name: String,
    targets: &[String],
    uplevel: &str,
    ttl: i64,
    labels: &BTreeMap<String, String>,
) -> Endpoint {
    let (ips, hosts): (Vec<String>, Vec<String>) = targets
        .iter()
        .cloned()
        .partition(|t| t.parse::<std::net::IpAddr>().is_ok());
    let (record_type, targets) = if !ips.is_empty() {
        (RECORD_TYPE_A, ips)
    } else if !hosts.is_empty() {
        (RECORD_TYPE_CNAME, hosts)
    } else {
        (RECORD_TYPE_CNAME, vec![uplevel.to_string()])
    };
    Endpoint {
        dns_name: name,
        targets,
        record_type: record_type.to_string(),
        record_ttl: ttl,
        labels: labels.clone(),
    }
}

/// The endpoints of a ServiceDNSRecord `name` in `namespace` with `spec` and (computed) `status`:
/// `<svc>.<ns>.<domainRef>.svc.<domain>` (global), `…svc.<region>.<domain>` and
/// `…svc.<zone>.<region>.<domain>` for each cluster, with its addresses or, without any, a CNAME one
/// level up; plus `<dnsPrefix>.<domain>` as a CNAME to the global name when asked for
/// (KubeFed's `getServiceDNSEndpoints`).
pub fn service_endpoints(
    name: &str,
    namespace: &str,
    spec: &Value,
    status: &RecordStatus,
) -> Vec<Endpoint> {
    let s = |k: &str| spec.get(k).and_then(Value::as_str).unwrap_or_default();
    let domain_ref = s("domainRef");
    let external_name = s("externalName");
    let mut labels = BTreeMap::new();
    let service = if external_name.is_empty() {
        name
    } else {
        labels.insert("serviceName".to_string(), name.to_string());
        external_name
    };
    let prefix = [service, namespace, domain_ref, "svc"].join(".");
    let ttl = ttl_of(spec);
    let domain = status.domain.as_str();
    let global = format!("{prefix}.{domain}");
    let mut endpoints = Vec::new();
    for c in &status.dns {
        let targets = c.load_balancer.targets();
        if !c.region.is_empty() {
            let region = format!("{prefix}.{}.{domain}", c.region);
            for zone in c.zones.iter().filter(|z| !z.is_empty()) {
                let zone_name = format!("{prefix}.{zone}.{}.{domain}", c.region);
                endpoints.push(endpoint_for(zone_name, &targets, &region, ttl, &labels));
            }
            endpoints.push(endpoint_for(region, &targets, &global, ttl, &labels));
        }
        endpoints.push(endpoint_for(global.clone(), &targets, "", ttl, &labels));
    }
    let dns_prefix = s("dnsPrefix");
    if !dns_prefix.is_empty() {
        endpoints.push(Endpoint {
            dns_name: format!("{dns_prefix}.{domain}"),
            targets: vec![global.clone()],
            record_type: RECORD_TYPE_CNAME.to_string(),
            record_ttl: ttl,
            labels: BTreeMap::new(),
        });
    }
    dedupe_and_merge(endpoints)
}

/// The endpoints of an IngressDNSRecord: for each of `spec.hosts`, the addresses of every cluster's
/// load balancer (no record while there is none), KubeFed's `getIngressDNSEndpoints`.
pub fn ingress_endpoints(spec: &Value, status: &RecordStatus) -> Vec<Endpoint> {
    let ttl = ttl_of(spec);
    let targets: Vec<String> = status
        .dns
        .iter()
        .flat_map(|c| c.load_balancer.targets())
        .collect();
    if targets.is_empty() {
        return Vec::new();
    }
    let hosts = spec
        .get("hosts")
        .and_then(Value::as_array)
        .map(|h| h.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .unwrap_or_default();
    let endpoints = hosts
        .into_iter()
        .map(|h| endpoint_for(h.to_string(), &targets, "", ttl, &BTreeMap::new()))
        .collect();
    dedupe_and_merge(endpoints)
}

/// KubeFed's `DedupeAndMergeEndpoints`: sorted by name, empty targets and endpoints without targets
/// dropped; for one name, an A record wins over a CNAME, and records of the same type merge their
/// targets (sorted, without duplicates).
pub fn dedupe_and_merge(endpoints: Vec<Endpoint>) -> Vec<Endpoint> {
    let mut endpoints: Vec<Endpoint> = endpoints
        .into_iter()
        .map(|mut e| {
            e.targets.retain(|t| !t.is_empty());
            e.targets = sorted_unique(e.targets);
            e
        })
        .filter(|e| !e.targets.is_empty())
        .collect();
    endpoints.sort_by(|a, b| a.dns_name.cmp(&b.dns_name));
    let mut out: Vec<Endpoint> = Vec::with_capacity(endpoints.len());
    for e in endpoints {
        match out.last_mut() {
            Some(last) if last.dns_name == e.dns_name => {
                if last.record_type == e.record_type {
                    let mut merged = std::mem::take(&mut last.targets);
                    merged.extend(e.targets);
                    last.targets = sorted_unique(merged);
                } else if last.record_type == RECORD_TYPE_CNAME {
                    *last = e;
                }
            }
            _ => out.push(e),
        }
    }
    out
}

fn sorted_unique(targets: Vec<String>) -> Vec<String> {
    targets
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The two kinds of DNS record objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Service,
    Ingress,
}

impl RecordKind {
    pub fn resource(self) -> Resource {
        match self {
            RecordKind::Service => Resource::new(
                DNS_GROUP,
                DNS_VERSION,
                "ServiceDNSRecord",
                "servicednsrecords",
                true,
            ),
            RecordKind::Ingress => Resource::new(
                DNS_GROUP,
                DNS_VERSION,
                "IngressDNSRecord",
                "ingressdnsrecords",
                true,
            ),
        }
    }

    /// The member type whose load balancer the record publishes.
    pub fn source(self) -> Resource {
        match self {
            RecordKind::Service => Resource::new("", "v1", "Service", "services", true),
            RecordKind::Ingress => {
                Resource::new("networking.k8s.io", "v1", "Ingress", "ingresses", true)
            }
        }
    }

    /// Name of the DNSEndpoint holding the records of the DNS record object `name`.
    pub fn endpoint_name(self, name: &str) -> String {
        match self {
            RecordKind::Service => format!("{SERVICE_ENDPOINT_PREFIX}{name}"),
            RecordKind::Ingress => format!("{INGRESS_ENDPOINT_PREFIX}{name}"),
        }
    }
}

pub fn domain_resource() -> Resource {
    Resource::new(DNS_GROUP, DNS_VERSION, "Domain", "domains", true)
}

pub fn dns_endpoint_resource() -> Resource {
    Resource::new(DNS_GROUP, DNS_VERSION, "DNSEndpoint", "dnsendpoints", true)
}

/// The DNSEndpoint of a DNS record object: owned by it, so that deleting the record deletes it.
pub fn dns_endpoint_object(kind: RecordKind, record: &Value, endpoints: &[Endpoint]) -> Value {
    let m = &record["metadata"];
    let name = m["name"].as_str().unwrap_or_default();
    json!({
        "apiVersion": DNS_API_VERSION,
        "kind": "DNSEndpoint",
        "metadata": {
            "name": kind.endpoint_name(name),
            "namespace": m["namespace"],
            "ownerReferences": [{
                "apiVersion": DNS_API_VERSION,
                "kind": kind.resource().kind,
                "name": name,
                "uid": m["uid"],
                "controller": true,
                "blockOwnerDeletion": true
            }]
        },
        "spec": {"endpoints": endpoints}
    })
}

/// The endpoints a stored DNSEndpoint lists.
pub fn endpoints_of(dns_endpoint: &Value) -> Vec<Endpoint> {
    dns_endpoint
        .pointer("/spec/endpoints")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// A member as the pass hands it to [`reconcile_dns`].
#[derive(Clone)]
pub struct DnsMember {
    pub name: String,
    pub ready: bool,
    pub zones: Vec<String>,
    pub region: String,
    pub client: Option<kube::Client>,
}

/// What [`reconcile_dns`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DnsOutcome {
    /// Writes sent (or, in a dry run, that would be sent) to the host.
    pub writes: usize,
    /// One line per record that could not be brought up to date: which, and why.
    pub errors: Vec<String>,
}

/// The DNS objects of the host a pass works from: each record with its kind, the Domains of the
/// control plane's namespace, and the DNSEndpoints by `(namespace, name)`.
#[derive(Debug, Default, Clone)]
pub struct HostDns {
    pub records: Vec<(RecordKind, Value)>,
    pub domains: Vec<Value>,
    pub endpoints: BTreeMap<(String, String), Value>,
}

/// Lists the host's DNS objects for a `--once` pass (in `namespace`, or all): nothing more than the
/// records when there are none, and nothing at all where the DNS CRDs are not installed.
pub async fn list_host_dns(
    host: &kube::Client,
    kubefed_namespace: &str,
    namespace: Option<&str>,
) -> (HostDns, Vec<String>) {
    let mut out = HostDns::default();
    let mut errors = Vec::new();
    for kind in [RecordKind::Service, RecordKind::Ingress] {
        match resources::list(host, &kind.resource(), namespace).await {
            Ok(r) => out.records.extend(r.into_iter().map(|v| (kind, v))),
            Err(e) => errors.push(crate::error::chain_text(&e)),
        }
    }
    if out.records.is_empty() {
        return (out, errors);
    }
    if out.records.iter().any(|(k, _)| *k == RecordKind::Service) {
        match resources::list(host, &domain_resource(), Some(kubefed_namespace)).await {
            Ok(d) => out.domains = d,
            Err(e) => errors.push(crate::error::chain_text(&e)),
        }
    }
    match resources::list(host, &dns_endpoint_resource(), namespace).await {
        Ok(eps) => {
            out.endpoints = eps
                .into_iter()
                .map(|e| {
                    let m = &e["metadata"];
                    let key = (
                        m["namespace"].as_str().unwrap_or_default().to_string(),
                        m["name"].as_str().unwrap_or_default().to_string(),
                    );
                    (key, e)
                })
                .collect();
        }
        Err(e) => errors.push(crate::error::chain_text(&e)),
    }
    (out, errors)
}

/// How a pass finds a member's Service (Ingress) of a record's name: a GET under `--once`, the watch
/// cache under `--watch`.
pub type MemberLookup<'a> = dyn Fn(
        &DnsMember,
        RecordKind,
        &str,
        &str,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<Option<Value>>>
    + Send
    + Sync
    + 'a;

/// The lookup of a `--once` pass: a GET of the object in the member.
pub fn get_from_member<'a>(
    m: &DnsMember,
    kind: RecordKind,
    ns: &str,
    name: &str,
) -> futures::future::BoxFuture<'a, anyhow::Result<Option<Value>>> {
    let client = m.client.clone();
    let (ns, name, cluster) = (ns.to_string(), name.to_string(), m.name.clone());
    Box::pin(async move {
        let Some(client) = client else {
            return Ok(None);
        };
        let source = kind.source();
        resources::get(&client, &source, Some(&ns), &name)
            .await
            .map_err(|e| {
                e.context(format!(
                    "cannot read {} {ns}/{name} in cluster {cluster:?}",
                    source.kind
                ))
            })
    })
}

/// What a DNS pass last wrote, so that a watcher whose caches have not yet seen its own write does not
/// send it again. A `--once` pass starts without one.
#[derive(Debug, Default)]
pub struct DnsMemo {
    statuses: BTreeMap<(String, String, String), RecordStatus>,
    endpoints: BTreeMap<(String, String), Vec<Endpoint>>,
}

impl DnsMemo {
    /// Forgets what was written, so the next pass compares with the caches alone (a resync).
    pub fn clear(&mut self) {
        self.statuses.clear();
        self.endpoints.clear();
    }
}

/// Brings every DNS record of `host_dns` up to date: its status from the members, then its DNSEndpoint
/// from the status. Writes only what changed.
pub async fn reconcile_dns(
    host: &kube::Client,
    kubefed_namespace: &str,
    host_dns: &HostDns,
    members: &[DnsMember],
    lookup: &MemberLookup<'_>,
    memo: &mut DnsMemo,
    dry_run: bool,
) -> DnsOutcome {
    let mut outcome = DnsOutcome::default();
    for (kind, record) in &host_dns.records {
        let input = RecordInput {
            kind: *kind,
            record,
            host_dns,
            kubefed_namespace,
        };
        if let Err(e) = reconcile_record(
            host,
            &input,
            members,
            lookup,
            memo,
            dry_run,
            &mut outcome.writes,
        )
        .await
        {
            outcome.errors.push(crate::error::chain_text(&e));
        }
    }
    outcome
}

struct RecordInput<'a> {
    kind: RecordKind,
    record: &'a Value,
    host_dns: &'a HostDns,
    kubefed_namespace: &'a str,
}

async fn reconcile_record(
    host: &kube::Client,
    input: &RecordInput<'_>,
    members: &[DnsMember],
    lookup: &MemberLookup<'_>,
    memo: &mut DnsMemo,
    dry_run: bool,
    writes: &mut usize,
) -> anyhow::Result<()> {
    let (kind, record) = (input.kind, input.record);
    let name = record["metadata"]["name"].as_str().unwrap_or_default();
    let ns = record["metadata"]["namespace"].as_str().unwrap_or_default();
    let res = kind.resource();
    let what = format!("{} {ns}/{name}", res.kind);
    if record
        .pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
    {
        return Ok(());
    }
    let spec = record.get("spec").cloned().unwrap_or(Value::Null);
    let previous = RecordStatus::of(record);
    let domain = match kind {
        RecordKind::Service => {
            let domain_ref = spec["domainRef"].as_str().unwrap_or_default();
            let found = input
                .host_dns
                .domains
                .iter()
                .find(|d| d["metadata"]["name"].as_str() == Some(domain_ref));
            match found.and_then(|d| d["domain"].as_str()) {
                Some(d) => d.to_string(),
                None => anyhow::bail!(
                    "{what}: Domain {domain_ref:?} not found in namespace {:?}; \
                     create it (apiVersion {DNS_API_VERSION}, kind Domain, name {domain_ref}, \
                     domain: <your zone>) or fix spec.domainRef",
                    input.kubefed_namespace
                ),
            }
        }
        RecordKind::Ingress => String::new(),
    };
    let mut seen = Vec::with_capacity(members.len());
    for m in members {
        let mut load_balancer = LoadBalancer::default();
        if m.ready {
            let obj = lookup(m, kind, ns, name)
                .await
                .map_err(|e| e.context(what.clone()))?;
            if let Some(obj) = obj {
                load_balancer = LoadBalancer::of(&obj);
            }
        }
        seen.push(MemberDns {
            cluster: m.name.clone(),
            ready: m.ready && m.client.is_some(),
            zones: m.zones.clone(),
            region: m.region.clone(),
            load_balancer,
        });
    }
    let status = RecordStatus {
        domain,
        dns: match kind {
            RecordKind::Service => service_cluster_dns(&seen, &previous.dns),
            RecordKind::Ingress => ingress_cluster_dns(&seen),
        },
    };
    let status_key = (res.kind.clone(), ns.to_string(), name.to_string());
    if status != previous && memo.statuses.get(&status_key) != Some(&status) {
        *writes += 1;
        if !dry_run {
            let api: Api<DynamicObject> =
                Api::namespaced_with(host.clone(), ns, &res.api_resource());
            let patch = json!({"status": {
                "domain": (!status.domain.is_empty()).then_some(&status.domain),
                "dns": (!status.dns.is_empty()).then_some(&status.dns),
            }});
            let params = PatchParams {
                field_manager: Some(FIELD_MANAGER.to_string()),
                ..Default::default()
            };
            api.patch_status(name, &params, &Patch::Merge(&patch))
                .await
                .map_err(|e| {
                    anyhow::Error::new(e).context(format!("cannot update {what} status"))
                })?;
            memo.statuses.insert(status_key, status.clone());
        }
    }
    let endpoints = match kind {
        RecordKind::Service => service_endpoints(name, ns, &spec, &status),
        RecordKind::Ingress => ingress_endpoints(&spec, &status),
    };
    let ep_name = kind.endpoint_name(name);
    let ep_key = (ns.to_string(), ep_name.clone());
    let live = input.host_dns.endpoints.get(&ep_key);
    if live.map(endpoints_of).as_ref() == Some(&endpoints)
        || memo.endpoints.get(&ep_key) == Some(&endpoints)
    {
        return Ok(());
    }
    *writes += 1;
    if dry_run {
        return Ok(());
    }
    let obj = dns_endpoint_object(kind, record, &endpoints);
    let api: Api<DynamicObject> =
        Api::namespaced_with(host.clone(), ns, &dns_endpoint_resource().api_resource());
    api.patch(
        &ep_name,
        &PatchParams::apply(FIELD_MANAGER).force(),
        &Patch::Apply(&obj),
    )
    .await
    .map_err(|e| {
        anyhow::Error::new(e).context(format!("cannot write DNSEndpoint {ns}/{ep_name} of {what}"))
    })?;
    memo.endpoints.insert(ep_key, endpoints);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lb(addrs: &[&str]) -> LoadBalancer {
        LoadBalancer {
            ingress: addrs
                .iter()
                .map(|a| {
                    if a.parse::<std::net::IpAddr>().is_ok() {
                        LbIngress {
                            ip: a.to_string(),
                            ..LbIngress::default()
                        }
                    } else {
                        LbIngress {
                            hostname: a.to_string(),
                            ..LbIngress::default()
                        }
                    }
                })
                .collect(),
        }
    }

    fn cluster(name: &str, region: &str, zones: &[&str], addrs: &[&str]) -> ClusterDns {
        ClusterDns {
            cluster: name.into(),
            load_balancer: lb(addrs),
            zones: zones.iter().map(|z| z.to_string()).collect(),
            region: region.into(),
        }
    }

    fn status(dns: Vec<ClusterDns>) -> RecordStatus {
        RecordStatus {
            domain: "example.com".into(),
            dns,
        }
    }

    fn ep(name: &str, ty: &str, targets: &[&str], ttl: i64) -> Endpoint {
        Endpoint {
            dns_name: name.into(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            record_type: ty.into(),
            record_ttl: ttl,
            labels: BTreeMap::new(),
        }
    }

    const G: &str = "web.app.fed.svc.example.com";

    #[test]
    fn ips_become_a_records_at_zone_region_and_global_level() {
        let spec = json!({"domainRef": "fed"});
        let s = status(vec![
            cluster("c1", "eu", &["eu-a"], &["192.0.2.1"]),
            cluster("c2", "us", &["us-a"], &["192.0.2.2"]),
        ]);
        assert_eq!(
            service_endpoints("web", "app", &spec, &s),
            // Sorted by name, as KubeFed sorted them.
            vec![
                ep(
                    "web.app.fed.svc.eu-a.eu.example.com",
                    "A",
                    &["192.0.2.1"],
                    180
                ),
                ep("web.app.fed.svc.eu.example.com", "A", &["192.0.2.1"], 180),
                ep(G, "A", &["192.0.2.1", "192.0.2.2"], 180),
                ep(
                    "web.app.fed.svc.us-a.us.example.com",
                    "A",
                    &["192.0.2.2"],
                    180
                ),
                ep("web.app.fed.svc.us.example.com", "A", &["192.0.2.2"], 180),
            ]
        );
    }

    #[test]
    fn a_cluster_without_addresses_gets_cnames_one_level_up() {
        let spec = json!({"domainRef": "fed", "recordTTL": 60});
        let s = status(vec![
            cluster("c1", "eu", &["eu-a"], &["192.0.2.1"]),
            cluster("c2", "eu", &["eu-b"], &[]),
            cluster("c3", "us", &["us-a"], &[]),
        ]);
        assert_eq!(
            service_endpoints("web", "app", &spec, &s),
            vec![
                ep(
                    "web.app.fed.svc.eu-a.eu.example.com",
                    "A",
                    &["192.0.2.1"],
                    60
                ),
                ep(
                    "web.app.fed.svc.eu-b.eu.example.com",
                    "CNAME",
                    &["web.app.fed.svc.eu.example.com"],
                    60
                ),
                // The region has an address from c1: A wins over c2's CNAME.
                ep("web.app.fed.svc.eu.example.com", "A", &["192.0.2.1"], 60),
                ep(G, "A", &["192.0.2.1"], 60),
                ep(
                    "web.app.fed.svc.us-a.us.example.com",
                    "CNAME",
                    &["web.app.fed.svc.us.example.com"],
                    60
                ),
                ep("web.app.fed.svc.us.example.com", "CNAME", &[G], 60),
            ]
        );
    }

    #[test]
    fn hostnames_become_cnames_and_addresses_win_over_them() {
        let spec = json!({"domainRef": "fed"});
        let s = status(vec![cluster("c1", "", &[], &["lb.example.net"])]);
        assert_eq!(
            service_endpoints("web", "app", &spec, &s),
            vec![ep(G, "CNAME", &["lb.example.net"], 180)]
        );
        let s = status(vec![
            cluster("c1", "", &[], &["lb.example.net"]),
            cluster("c2", "", &[], &["192.0.2.7"]),
        ]);
        assert_eq!(
            service_endpoints("web", "app", &spec, &s),
            vec![ep(G, "A", &["192.0.2.7"], 180)]
        );
    }

    #[test]
    fn ttl_defaults_to_kubefeds_180_seconds() {
        assert_eq!(ttl_of(&json!({})), 180);
        assert_eq!(ttl_of(&json!({"recordTTL": 0})), 180);
        assert_eq!(ttl_of(&json!({"recordTTL": 30})), 30);
    }

    #[test]
    fn dns_prefix_and_external_name_as_kubefed_named_them() {
        let spec = json!({"domainRef": "fed", "dnsPrefix": "www", "externalName": "shop"});
        let s = status(vec![cluster("c1", "", &[], &["192.0.2.1"])]);
        let got = service_endpoints("web", "app", &spec, &s);
        let mut labels = BTreeMap::new();
        labels.insert("serviceName".to_string(), "web".to_string());
        assert_eq!(
            got,
            vec![
                Endpoint {
                    labels,
                    ..ep("shop.app.fed.svc.example.com", "A", &["192.0.2.1"], 180)
                },
                ep(
                    "www.example.com",
                    "CNAME",
                    &["shop.app.fed.svc.example.com"],
                    180
                ),
            ]
        );
    }

    #[test]
    fn no_cluster_means_no_record() {
        let spec = json!({"domainRef": "fed"});
        assert_eq!(
            service_endpoints("web", "app", &spec, &status(vec![])),
            vec![]
        );
    }

    fn member(name: &str, ready: bool, addrs: &[&str]) -> MemberDns {
        MemberDns {
            cluster: name.into(),
            ready,
            zones: vec!["z".into()],
            region: "r".into(),
            load_balancer: lb(addrs),
        }
    }

    #[test]
    fn unready_members_keep_their_previous_entry_without_load_balancer_and_unknown_ones_drop_out() {
        let previous = vec![
            cluster("c2", "r-old", &["z-old"], &["192.0.2.2"]),
            cluster("c9", "r", &["z"], &["192.0.2.9"]),
        ];
        let got = service_cluster_dns(
            &[
                member("c3", false, &[]),
                member("c2", false, &["192.0.2.2"]),
                member("c1", true, &["192.0.2.1"]),
            ],
            &previous,
        );
        assert_eq!(
            got,
            vec![
                cluster("c1", "r", &["z"], &["192.0.2.1"]),
                cluster("c2", "r-old", &["z-old"], &[]),
            ]
        );
        let ingress =
            ingress_cluster_dns(&[member("b", true, &[]), member("a", false, &["192.0.2.3"])]);
        assert_eq!(ingress.len(), 1);
        assert_eq!(ingress[0].cluster, "b");
        assert!(ingress[0].zones.is_empty());
    }

    #[test]
    fn ingress_hosts_get_every_clusters_addresses_or_no_record() {
        let spec = json!({"hosts": ["shop.example.com", "www.example.com"], "recordTTL": 20});
        let s = RecordStatus {
            domain: String::new(),
            dns: vec![
                cluster("c2", "", &[], &["192.0.2.2"]),
                cluster("c1", "", &[], &["192.0.2.1", "192.0.2.2"]),
            ],
        };
        assert_eq!(
            ingress_endpoints(&spec, &s),
            vec![
                ep("shop.example.com", "A", &["192.0.2.1", "192.0.2.2"], 20),
                ep("www.example.com", "A", &["192.0.2.1", "192.0.2.2"], 20),
            ]
        );
        let empty = RecordStatus {
            domain: String::new(),
            dns: vec![cluster("c1", "", &[], &[])],
        };
        assert_eq!(ingress_endpoints(&spec, &empty), vec![]);
    }

    #[test]
    fn status_round_trips_through_json_as_kubefed_spells_it() {
        let s = status(vec![cluster("c1", "eu", &["eu-a"], &["192.0.2.1"])]);
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(
            v,
            json!({"domain": "example.com", "dns": [{"cluster": "c1", "region": "eu", "zones": ["eu-a"],
                "loadBalancer": {"ingress": [{"ip": "192.0.2.1"}]}}]})
        );
        assert_eq!(RecordStatus::of(&json!({"status": v})), s);
        let e = serde_json::to_value(ep(G, "A", &["192.0.2.1"], 180)).unwrap();
        assert_eq!(
            e,
            json!({"dnsName": G, "targets": ["192.0.2.1"], "recordType": "A", "recordTTL": 180})
        );
    }

    #[test]
    fn load_balancer_ingress_is_sorted_so_statuses_compare() {
        let obj = json!({"status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.9"}, {"ip": "192.0.2.1"}]}}});
        assert_eq!(LoadBalancer::of(&obj).targets(), ["192.0.2.1", "192.0.2.9"]);
        assert_eq!(LoadBalancer::of(&json!({})), LoadBalancer::default());
    }
}
