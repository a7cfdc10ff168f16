//! `kubefedctl dns`: the DNS records reconcile wrote into DNSEndpoints for federated Services and
//! Ingresses (multi-cluster DNS), one row per DNS name.

use serde::Serialize;
use serde_json::Value;

use super::{Context, Outcome};
use crate::cli::OutputArgs;
use crate::controlplane::resources::{self, Resource};
use crate::engine::dns::{self, Endpoint};
use crate::engine::runner;
use crate::error;
use crate::output::{Column, Row};

/// Show the DNS records of federated Services and Ingresses (multi-cluster DNS)
///
/// KubeFed's multi-cluster DNS, as it was until v0.7. Install its CRDs with `kubefedctl init
/// --enable-dns`, create a Domain in the kubefed namespace and a ServiceDNSRecord named like a
/// federated Service of type LoadBalancer (or an IngressDNSRecord named like a federated Ingress).
/// Each reconcile pass then gathers the load-balancer addresses of that Service in every ready member
/// into the record's status.dns, and writes the DNSEndpoint service-<name> (ingress-<name>) beside it
/// for external-dns (`--source=crd --crd-source-apiversion=multiclusterdns.kubefed.io/v1alpha1
/// --crd-source-kind=DNSEndpoint`) to program into your DNS provider.
///
/// A ServiceDNSRecord web in namespace shop with domainRef fed, and Domain fed with domain
/// example.com, gives these names (A records of the addresses; where a level has none, a CNAME to
/// the level above):
///   web.shop.fed.svc.example.com                   every cluster
///   web.shop.fed.svc.<region>.example.com          clusters of a region
///   web.shop.fed.svc.<zone>.<region>.example.com   clusters of a zone
/// Region and zones are the KubeFedCluster's status.region and status.zones. The TTL is the record's
/// spec.recordTTL, 180 seconds when unset. This command lists what the DNSEndpoints hold now.
///
/// Examples:
///   kubefedctl dns -n shop
///   kubefedctl dns -A -o yaml
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Namespace (default: the host context's namespace)
    #[arg(short, long, value_name = "NS", conflicts_with = "all_namespaces", add = crate::completion::namespaces())]
    pub namespace: Option<String>,

    /// Every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// One DNS name of a DNSEndpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsRow {
    pub namespace: String,
    /// The DNSEndpoint holding the record.
    pub dns_endpoint: String,
    pub name: String,
    #[serde(rename = "type")]
    pub record_type: String,
    pub ttl: i64,
    pub targets: Vec<String>,
}

impl Row for DnsRow {
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.record_type.clone(),
            self.ttl.to_string(),
            self.targets.join(","),
            format!("{}/{}", self.namespace, self.dns_endpoint),
        ]
    }
}

const COLUMNS: [Column; 5] = [
    Column::new("name"),
    Column::new("type"),
    Column::new("ttl"),
    Column::new("targets"),
    Column::wide("dnsendpoint"),
];

/// The rows of one stored DNSEndpoint.
pub fn rows_of(dns_endpoint: &Value) -> Vec<DnsRow> {
    let s = |p: &str| {
        dns_endpoint
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    dns::endpoints_of(dns_endpoint)
        .into_iter()
        .map(|e: Endpoint| DnsRow {
            namespace: s("/metadata/namespace"),
            dns_endpoint: s("/metadata/name"),
            name: e.dns_name,
            record_type: e.record_type,
            ttl: e.record_ttl,
            targets: e.targets,
        })
        .collect()
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    if let Some(n) = &args.namespace {
        let problems = crate::validation::is_dns1123_label(n);
        if !problems.is_empty() {
            return Err(error::invalid_input(format!(
                "namespace {n:?} is not a valid namespace name: {}",
                problems.join("; ")
            ))
            .into());
        }
    }
    let host = ctx.host_client().await?;
    let ns = ctx.kubefed_namespace();
    // Without a control plane this fails with a message that says to run init.
    let config = runner::read_kubefed_config(&host, ns).await?;
    let crd = format!("dnsendpoints.{}", crate::kubefed::DNS_GROUP);
    if resources::get(&host, &Resource::crd(), None, &crd)
        .await?
        .is_none()
    {
        return Err(error::precondition(
            format!("multi-cluster DNS is not installed in the control plane (no CRD {crd})"),
            "run `kubefedctl init --enable-dns`",
        )
        .into());
    }
    let plane_namespace = config.is_namespaced().then(|| ns.to_string());
    let context_namespace = if args.all_namespaces || args.namespace.is_some() {
        String::new()
    } else {
        ctx.kubeconfig()?
            .namespace_of(ctx.global.host_cluster_context.as_deref())?
    };
    let namespace = match super::status::namespace_to_read(
        args.namespace.as_deref(),
        args.all_namespaces,
        &context_namespace,
        plane_namespace.as_deref(),
    ) {
        Some(namespace) => namespace,
        None => {
            ctx.printer.warn(&format!(
                "the control plane in namespace {ns:?} is Namespaced: it federates only objects of that namespace"
            ));
            return ctx
                .printer
                .print_rows::<DnsRow>(&COLUMNS, &[], args.output.output)
                .map(|_| Outcome::Success);
        }
    };
    let mut rows: Vec<DnsRow> =
        resources::list(&host, &dns::dns_endpoint_resource(), namespace.as_deref())
            .await?
            .iter()
            .flat_map(rows_of)
            .collect();
    rows.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    ctx.printer
        .print_rows(&COLUMNS, &rows, args.output.output)?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_row_per_dns_name_with_targets_comma_separated() {
        let ep = json!({"metadata": {"name": "service-web", "namespace": "shop"}, "spec": {"endpoints": [
            {"dnsName": "web.shop.fed.svc.example.com", "recordType": "A", "recordTTL": 180,
             "targets": ["192.0.2.1", "192.0.2.2"]}]}});
        let rows = rows_of(&ep);
        assert_eq!(
            rows[0].cells(),
            [
                "web.shop.fed.svc.example.com",
                "A",
                "180",
                "192.0.2.1,192.0.2.2",
                "shop/service-web"
            ]
        );
        assert_eq!(
            serde_json::to_value(&rows[0]).unwrap(),
            json!({"namespace": "shop", "dnsEndpoint": "service-web", "name": "web.shop.fed.svc.example.com",
                "type": "A", "ttl": 180, "targets": ["192.0.2.1", "192.0.2.2"]})
        );
        assert!(rows_of(&json!({"metadata": {"name": "x"}})).is_empty());
    }
}
