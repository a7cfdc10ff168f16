//! CRD manifests of the KubeFed control plane (apiextensions.k8s.io/v1), with KubeFed's names,
//! short names and printer columns, and structural schemas covering every v0.10 field — an
//! omitted field would be pruned by the API server.

use serde_json::{json, Map, Value};

use super::*;

/// Every CRD `init` installs, in a stable order.
pub fn control_plane_crds() -> Vec<Value> {
    vec![
        kubefedclusters_crd(),
        kubefedconfigs_crd(),
        federatedtypeconfigs_crd(),
        propagated_versions_crd(true),
        propagated_versions_crd(false),
        replicaschedulingpreferences_crd(),
    ]
}

struct CrdNames<'a> {
    group: &'a str,
    version: &'a str,
    kind: &'a str,
    plural: &'a str,
    short_names: &'a [&'a str],
    namespaced: bool,
}

fn crd(names: CrdNames, schema: Value, status_subresource: bool, columns: Option<Value>) -> Value {
    let mut n = Map::new();
    n.insert("plural".into(), json!(names.plural));
    n.insert("singular".into(), json!(names.kind.to_lowercase()));
    n.insert("kind".into(), json!(names.kind));
    n.insert("listKind".into(), json!(format!("{}List", names.kind)));
    if !names.short_names.is_empty() {
        n.insert("shortNames".into(), json!(names.short_names));
    }
    let mut version = Map::new();
    version.insert("name".into(), json!(names.version));
    version.insert("served".into(), json!(true));
    version.insert("storage".into(), json!(true));
    if let Some(columns) = columns {
        version.insert("additionalPrinterColumns".into(), columns);
    }
    version.insert("schema".into(), json!({"openAPIV3Schema": schema}));
    if status_subresource {
        version.insert("subresources".into(), json!({"status": {}}));
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": format!("{}.{}", names.plural, names.group)},
        "spec": {
            "group": names.group,
            "names": n,
            "scope": if names.namespaced { SCOPE_NAMESPACED } else { SCOPE_CLUSTER },
            "versions": [version]
        }
    })
}

/// Root object schema: apiVersion, kind, metadata, plus the given properties.
fn root(props: Value, required: &[&str]) -> Value {
    let mut properties = Map::new();
    properties.insert("apiVersion".into(), json!({"type": "string"}));
    properties.insert("kind".into(), json!({"type": "string"}));
    properties.insert("metadata".into(), json!({"type": "object"}));
    if let Value::Object(extra) = props {
        properties.extend(extra);
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    schema.insert("properties".into(), Value::Object(properties));
    Value::Object(schema)
}

fn string() -> Value {
    json!({"type": "string"})
}

fn int64() -> Value {
    json!({"type": "integer", "format": "int64"})
}

fn date_time() -> Value {
    json!({"type": "string", "format": "date-time"})
}

fn kubefedclusters_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "required": ["apiEndpoint", "secretRef"],
                "properties": {
                    "apiEndpoint": string(),
                    "caBundle": {"type": "string", "format": "byte"},
                    "secretRef": {"type": "object", "required": ["name"], "properties": {"name": string()}},
                    "disabledTLSValidations": {"type": "array", "items": string()},
                    "proxyURL": string()
                }
            },
            "status": {
                "type": "object",
                "required": ["conditions"],
                "properties": {
                    "conditions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "status", "lastProbeTime"],
                            "properties": {
                                "type": string(),
                                "status": string(),
                                "lastProbeTime": date_time(),
                                "lastTransitionTime": date_time(),
                                "reason": string(),
                                "message": string()
                            }
                        }
                    },
                    "kubernetesVersion": string(),
                    "zones": {"type": "array", "items": string()},
                    "region": string()
                }
            }
        }),
        &["spec"],
    );
    let columns = json!([
        {"name": "age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
        {"name": "ready", "type": "string", "jsonPath": ".status.conditions[?(@.type=='Ready')].status"},
        {"name": "kubernetes-version", "type": "string", "jsonPath": ".status.kubernetesVersion"}
    ]);
    crd(
        CrdNames {
            group: CORE_GROUP,
            version: CORE_VERSION,
            kind: "KubeFedCluster",
            plural: "kubefedclusters",
            short_names: &["kfc"],
            namespaced: true,
        },
        schema,
        true,
        Some(columns),
    )
}

fn kubefedconfigs_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "required": ["scope"],
                "properties": {
                    "scope": string(),
                    "controllerDuration": {
                        "type": "object",
                        "properties": {
                            "availableDelay": string(),
                            "unavailableDelay": string(),
                            "cacheSyncTimeout": string()
                        }
                    },
                    "leaderElect": {
                        "type": "object",
                        "properties": {
                            "leaseDuration": string(),
                            "renewDeadline": string(),
                            "retryPeriod": string(),
                            "resourceLock": string()
                        }
                    },
                    "featureGates": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "configuration"],
                            "properties": {"name": string(), "configuration": string()}
                        }
                    },
                    "clusterHealthCheck": {
                        "type": "object",
                        "properties": {
                            "period": string(),
                            "failureThreshold": int64(),
                            "successThreshold": int64(),
                            "timeout": string()
                        }
                    },
                    "syncController": {
                        "type": "object",
                        "properties": {
                            "maxConcurrentReconciles": int64(),
                            "adoptResources": string()
                        }
                    },
                    "statusController": {
                        "type": "object",
                        "properties": {"maxConcurrentReconciles": int64()}
                    }
                }
            }
        }),
        &["spec"],
    );
    crd(
        CrdNames {
            group: CORE_GROUP,
            version: CORE_VERSION,
            kind: "KubeFedConfig",
            plural: "kubefedconfigs",
            short_names: &[],
            namespaced: true,
        },
        schema,
        false,
        None,
    )
}

fn api_resource_schema() -> Value {
    json!({
        "type": "object",
        "required": ["version", "kind", "pluralName", "scope"],
        "properties": {
            "group": string(),
            "version": string(),
            "kind": string(),
            "pluralName": string(),
            "scope": string()
        }
    })
}

fn federatedtypeconfigs_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "required": ["targetType", "propagation", "federatedType"],
                "properties": {
                    "targetType": api_resource_schema(),
                    "propagation": string(),
                    "federatedType": api_resource_schema(),
                    "statusType": api_resource_schema(),
                    "statusCollection": string()
                }
            },
            "status": {
                "type": "object",
                "required": ["observedGeneration", "propagationController"],
                "properties": {
                    "observedGeneration": int64(),
                    "propagationController": string(),
                    "statusController": string()
                }
            }
        }),
        &["spec"],
    );
    crd(
        CrdNames {
            group: CORE_GROUP,
            version: CORE_VERSION,
            kind: "FederatedTypeConfig",
            plural: "federatedtypeconfigs",
            short_names: &["ftc"],
            namespaced: true,
        },
        schema,
        true,
        None,
    )
}

/// PropagatedVersion (namespaced) or ClusterPropagatedVersion: what was last written per cluster.
fn propagated_versions_crd(namespaced: bool) -> Value {
    let schema = root(
        json!({
            "status": {
                "type": "object",
                "required": ["templateVersion", "overridesVersion"],
                "properties": {
                    "templateVersion": string(),
                    "overridesVersion": string(),
                    "clusterVersions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["clusterName", "version"],
                            "properties": {"clusterName": string(), "version": string()}
                        }
                    }
                }
            }
        }),
        &[],
    );
    let (kind, plural) = if namespaced {
        ("PropagatedVersion", "propagatedversions")
    } else {
        ("ClusterPropagatedVersion", "clusterpropagatedversions")
    };
    crd(
        CrdNames {
            group: CORE_GROUP,
            version: CORE_ALPHA_VERSION,
            kind,
            plural,
            short_names: &[],
            namespaced,
        },
        schema,
        true,
        None,
    )
}

fn replicaschedulingpreferences_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "required": ["targetKind", "totalReplicas"],
                "properties": {
                    "targetKind": string(),
                    "totalReplicas": {"type": "integer", "format": "int32"},
                    "rebalance": {"type": "boolean"},
                    "intersectWithClusterSelector": {"type": "boolean"},
                    "clusters": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "properties": {
                                "minReplicas": int64(),
                                "maxReplicas": int64(),
                                "weight": int64()
                            }
                        }
                    }
                }
            },
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
        }),
        &[],
    );
    crd(
        CrdNames {
            group: SCHEDULING_GROUP,
            version: SCHEDULING_VERSION,
            kind: "ReplicaSchedulingPreference",
            plural: "replicaschedulingpreferences",
            short_names: &["rsp"],
            namespaced: true,
        },
        schema,
        false,
        None,
    )
}

/// The multi-cluster DNS CRDs `init --enable-dns` installs (KubeFed's `multiclusterdns.kubefed.io`
/// v1alpha1, removed from KubeFed in v0.7): Domain, ServiceDNSRecord, IngressDNSRecord, and the
/// DNSEndpoint external-dns reads through its CRD source.
pub fn dns_crds() -> Vec<Value> {
    vec![
        dnsendpoints_crd(),
        domains_crd(),
        ingressdnsrecords_crd(),
        servicednsrecords_crd(),
    ]
}

fn dns_names<'a>(kind: &'a str, plural: &'a str) -> CrdNames<'a> {
    CrdNames {
        group: DNS_GROUP,
        version: DNS_VERSION,
        kind,
        plural,
        short_names: &[],
        namespaced: true,
    }
}

fn string_array() -> Value {
    json!({"type": "array", "items": string()})
}

/// `corev1.LoadBalancerStatus` as KubeFed's DNS records embed it.
fn load_balancer_status() -> Value {
    json!({
        "type": "object",
        "properties": {
            "ingress": {
                "type": "array",
                "items": {"type": "object", "properties": {"hostname": string(), "ip": string()}}
            }
        }
    })
}

fn dnsendpoints_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "properties": {
                    "endpoints": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "dnsName": string(),
                                "labels": {"type": "object", "additionalProperties": string()},
                                "recordTTL": int64(),
                                "recordType": string(),
                                "targets": string_array()
                            }
                        }
                    }
                }
            },
            "status": {"type": "object", "properties": {"observedGeneration": int64()}}
        }),
        &[],
    );
    crd(dns_names("DNSEndpoint", "dnsendpoints"), schema, true, None)
}

fn domains_crd() -> Value {
    // No spec: `domain` and `nameServer` sit at the top level, as KubeFed defined Domain.
    let schema = root(
        json!({"domain": string(), "nameServer": string()}),
        &["domain"],
    );
    crd(dns_names("Domain", "domains"), schema, false, None)
}

fn ingressdnsrecords_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "properties": {"hosts": string_array(), "recordTTL": int64()}
            },
            "status": {
                "type": "object",
                "properties": {
                    "dns": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"cluster": string(), "loadBalancer": load_balancer_status()}
                        }
                    }
                }
            }
        }),
        &[],
    );
    crd(
        dns_names("IngressDNSRecord", "ingressdnsrecords"),
        schema,
        true,
        None,
    )
}

fn servicednsrecords_crd() -> Value {
    let schema = root(
        json!({
            "spec": {
                "type": "object",
                "required": ["domainRef"],
                "properties": {
                    "allowServiceWithoutEndpoints": {"type": "boolean"},
                    "dnsPrefix": string(),
                    "domainRef": string(),
                    "externalName": string(),
                    "recordTTL": int64()
                }
            },
            "status": {
                "type": "object",
                "properties": {
                    "dns": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "cluster": string(),
                                "loadBalancer": load_balancer_status(),
                                "region": string(),
                                "zones": string_array()
                            }
                        }
                    },
                    "domain": string()
                }
            }
        }),
        &[],
    );
    crd(
        dns_names("ServiceDNSRecord", "servicednsrecords"),
        schema,
        true,
        None,
    )
}

/// Paths in an openAPIV3Schema that break the structural rule: the root must be `type: object`,
/// and every node needs a `type` unless it preserves unknown fields or is int-or-string.
pub fn structural_violations(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if schema["type"] != "object" {
        out.push("<root>: must be type object".to_string());
    }
    walk(schema, "", &mut out);
    out
}

fn walk(node: &Value, path: &str, out: &mut Vec<String>) {
    let exempt = node["x-kubernetes-preserve-unknown-fields"] == true
        || node["x-kubernetes-int-or-string"] == true;
    if node.get("type").is_none() && !exempt {
        out.push(format!(
            "{}: missing type",
            if path.is_empty() { "<root>" } else { path }
        ));
    }
    if let Some(Value::Object(props)) = node.get("properties") {
        for (name, child) in props {
            walk(child, &format!("{path}.{name}"), out);
        }
    }
    if let Some(items) = node.get("items") {
        walk(items, &format!("{path}[]"), out);
    }
    if let Some(additional @ Value::Object(_)) = node.get("additionalProperties") {
        walk(additional, &format!("{path}{{}}"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_name(name: &str) -> Value {
        control_plane_crds()
            .into_iter()
            .find(|c| c["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no CRD {name}"))
    }

    fn schema_of(crd: &Value) -> &Value {
        &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    }

    #[test]
    fn every_control_plane_crd_is_structural() {
        for crd in control_plane_crds() {
            assert_eq!(
                structural_violations(schema_of(&crd)),
                Vec::<String>::new(),
                "{}",
                crd["metadata"]["name"]
            );
        }
    }

    #[test]
    fn dns_crds_are_structural_namespaced_kubefed_names() {
        let names: Vec<String> = dns_crds()
            .iter()
            .map(|c| c["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "dnsendpoints.multiclusterdns.kubefed.io",
                "domains.multiclusterdns.kubefed.io",
                "ingressdnsrecords.multiclusterdns.kubefed.io",
                "servicednsrecords.multiclusterdns.kubefed.io"
            ]
        );
        for crd in dns_crds() {
            assert_eq!(structural_violations(schema_of(&crd)), Vec::<String>::new());
            assert_eq!(crd["spec"]["scope"], "Namespaced");
            assert_eq!(crd["spec"]["versions"][0]["name"], "v1alpha1");
        }
        let domain = &dns_crds()[1];
        assert_eq!(schema_of(domain)["required"], json!(["domain"]));
        assert!(domain["spec"]["versions"][0]["subresources"].is_null());
    }

    #[test]
    fn crd_names_are_plural_dot_group() {
        let names: Vec<String> = control_plane_crds()
            .iter()
            .map(|c| {
                let spec = &c["spec"];
                assert_eq!(
                    c["metadata"]["name"],
                    format!(
                        "{}.{}",
                        spec["names"]["plural"].as_str().unwrap(),
                        spec["group"].as_str().unwrap()
                    )
                );
                c["metadata"]["name"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(
            names,
            vec![
                "kubefedclusters.core.kubefed.io",
                "kubefedconfigs.core.kubefed.io",
                "federatedtypeconfigs.core.kubefed.io",
                "propagatedversions.core.kubefed.io",
                "clusterpropagatedversions.core.kubefed.io",
                "replicaschedulingpreferences.scheduling.kubefed.io"
            ]
        );
    }

    #[test]
    fn short_names_match_kubefed() {
        assert_eq!(
            by_name("kubefedclusters.core.kubefed.io")["spec"]["names"]["shortNames"],
            json!(["kfc"])
        );
        assert_eq!(
            by_name("federatedtypeconfigs.core.kubefed.io")["spec"]["names"]["shortNames"],
            json!(["ftc"])
        );
        assert_eq!(
            by_name("replicaschedulingpreferences.scheduling.kubefed.io")["spec"]["names"]
                ["shortNames"],
            json!(["rsp"])
        );
        assert!(by_name("kubefedconfigs.core.kubefed.io")["spec"]["names"]
            .get("shortNames")
            .is_none());
    }

    #[test]
    fn kubefedcluster_printer_columns_match_kubefed() {
        let crd = by_name("kubefedclusters.core.kubefed.io");
        assert_eq!(
            crd["spec"]["versions"][0]["additionalPrinterColumns"],
            json!([
                {"name": "age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                {"name": "ready", "type": "string", "jsonPath": ".status.conditions[?(@.type=='Ready')].status"},
                {"name": "kubernetes-version", "type": "string", "jsonPath": ".status.kubernetesVersion"}
            ])
        );
    }

    #[test]
    fn status_subresources_where_kubefed_has_them() {
        let has = |n: &str| {
            by_name(n)["spec"]["versions"][0]
                .get("subresources")
                .is_some()
        };
        assert!(has("kubefedclusters.core.kubefed.io"));
        assert!(has("federatedtypeconfigs.core.kubefed.io"));
        assert!(has("propagatedversions.core.kubefed.io"));
        assert!(!has("kubefedconfigs.core.kubefed.io"));
    }

    #[test]
    fn cluster_propagated_versions_are_cluster_scoped() {
        assert_eq!(
            by_name("clusterpropagatedversions.core.kubefed.io")["spec"]["scope"],
            "Cluster"
        );
        assert_eq!(
            by_name("propagatedversions.core.kubefed.io")["spec"]["scope"],
            "Namespaced"
        );
    }

    #[test]
    fn schemas_keep_every_field_the_types_serialise() {
        use crate::kubefed::types::*;
        // A fully defaulted KubeFedConfig must survive pruning: every key it emits is declared.
        let config = serde_json::to_value(KubeFedConfig::with_defaults("Cluster", "ns")).unwrap();
        let schema = schema_of(&by_name("kubefedconfigs.core.kubefed.io")).clone();
        assert_eq!(
            undeclared(&config["spec"], &schema["properties"]["spec"], "spec"),
            Vec::<String>::new()
        );

        let rsp = json!({"targetKind": "FederatedDeployment", "totalReplicas": 3, "rebalance": true,
            "intersectWithClusterSelector": true, "clusters": {"a": {"minReplicas": 1, "maxReplicas": 2, "weight": 3}}});
        let schema = schema_of(&by_name(
            "replicaschedulingpreferences.scheduling.kubefed.io",
        ))
        .clone();
        assert_eq!(
            undeclared(&rsp, &schema["properties"]["spec"], "spec"),
            Vec::<String>::new()
        );

        let cluster = json!({"apiEndpoint": "https://x", "caBundle": "Zm9v", "secretRef": {"name": "s"},
            "disabledTLSValidations": ["*"], "proxyURL": "http://p"});
        let schema = schema_of(&by_name("kubefedclusters.core.kubefed.io")).clone();
        assert_eq!(
            undeclared(&cluster, &schema["properties"]["spec"], "spec"),
            Vec::<String>::new()
        );
        let status = json!({"conditions": [{"type": "Ready", "status": "True", "lastProbeTime": "t",
            "lastTransitionTime": "t", "reason": "r", "message": "m"}], "kubernetesVersion": "v1", "zones": ["z"], "region": "r"});
        assert_eq!(
            undeclared(&status, &schema["properties"]["status"], "status"),
            Vec::<String>::new()
        );
    }

    /// Keys of `value` that `schema` would prune.
    fn undeclared(value: &Value, schema: &Value, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        if schema["x-kubernetes-preserve-unknown-fields"] == true {
            return out;
        }
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let child = schema["properties"]
                        .get(k)
                        .or_else(|| schema.get("additionalProperties"));
                    match child {
                        Some(c) => out.extend(undeclared(v, c, &format!("{path}.{k}"))),
                        None => out.push(format!("{path}.{k}")),
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    out.extend(undeclared(v, &schema["items"], &format!("{path}[{i}]")));
                }
            }
            _ => {}
        }
        out
    }

    #[test]
    fn structural_check_reports_untyped_nodes() {
        let bad = json!({"type": "object", "properties": {"a": {"properties": {"b": {"type": "string"}}},
            "c": {"x-kubernetes-preserve-unknown-fields": true}, "d": {"type": "array", "items": {}}}});
        assert_eq!(
            structural_violations(&bad),
            vec![".a: missing type", ".d[]: missing type"]
        );
        assert_eq!(
            structural_violations(&json!({"type": "string"})),
            vec!["<root>: must be type object"]
        );
    }
}
