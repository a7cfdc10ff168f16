//! KubeFed API types, CRD manifests and the federated-type generator.
//!
//! Every string here is a wire name KubeFed users already have in their manifests and scripts;
//! changing one breaks compatibility with existing control planes.

pub mod crds;
pub mod duration;
pub mod typeconfig;
pub mod types;

/// Namespace of the control plane unless `--kubefed-namespace` says otherwise.
pub const DEFAULT_KUBEFED_NAMESPACE: &str = "kube-federation-system";

/// Group of KubeFedCluster, KubeFedConfig, FederatedTypeConfig (v1beta1) and PropagatedVersion (v1alpha1).
pub const CORE_GROUP: &str = "core.kubefed.io";
pub const CORE_VERSION: &str = "v1beta1";
pub const CORE_API_VERSION: &str = "core.kubefed.io/v1beta1";
/// Version of the status-only bookkeeping types (PropagatedVersion, ClusterPropagatedVersion).
pub const CORE_ALPHA_VERSION: &str = "v1alpha1";
pub const CORE_ALPHA_API_VERSION: &str = "core.kubefed.io/v1alpha1";

/// Default group and version of generated `Federated<Kind>` types.
pub const TYPES_GROUP: &str = "types.kubefed.io";
pub const TYPES_VERSION: &str = "v1beta1";

pub const SCHEDULING_GROUP: &str = "scheduling.kubefed.io";
pub const SCHEDULING_VERSION: &str = "v1alpha1";
pub const SCHEDULING_API_VERSION: &str = "scheduling.kubefed.io/v1alpha1";

/// Group of KubeFed's multi-cluster DNS types (Domain, ServiceDNSRecord, IngressDNSRecord, DNSEndpoint).
pub const DNS_GROUP: &str = "multiclusterdns.kubefed.io";
pub const DNS_VERSION: &str = "v1alpha1";
pub const DNS_API_VERSION: &str = "multiclusterdns.kubefed.io/v1alpha1";

/// Label the engine puts on every object it writes to a member cluster.
pub const MANAGED_LABEL: &str = "kubefed.io/managed";
pub const MANAGED_LABEL_VALUE: &str = "true";
/// Annotation on a federated object: on delete, leave member objects in place (unlabelled).
pub const ORPHAN_ANNOTATION: &str = "kubefed.io/orphan";
/// Annotation on a federated object holding JSON `metav1.DeleteOptions` for member deletions.
pub const DELETE_OPTION_ANNOTATION: &str = "kubefed.io/deleteoption";
/// Finalizer on every reconciled federated object.
pub const SYNC_FINALIZER: &str = "kubefed.io/sync-controller";
/// Finalizer on FederatedTypeConfigs.
pub const FTC_FINALIZER: &str = "core.kubefed.io/federated-type-config";

/// The one KubeFedConfig a control plane reads.
pub const KUBEFED_CONFIG_NAME: &str = "kubefed";
/// FTC name of the namespaces type; it must exist before any namespaced type propagates.
pub const NAMESPACE_FTC_NAME: &str = "namespaces";
/// Kind prefix of generated federated types.
pub const FEDERATED_KIND_PREFIX: &str = "Federated";
/// Field of `Federated<Kind>.spec` that keeps member `spec.replicas` (HPA-managed workloads).
pub const RETAIN_REPLICAS_FIELD: &str = "retainReplicas";

/// Feature gate names accepted in `KubeFedConfig.spec.featureGates`.
pub const FEATURE_PUSH_RECONCILER: &str = "PushReconciler";
pub const FEATURE_RAW_RESOURCE_STATUS_COLLECTION: &str = "RawResourceStatusCollection";
pub const FEATURE_SCHEDULER_PREFERENCES: &str = "SchedulerPreferences";

pub const ENABLED: &str = "Enabled";
pub const DISABLED: &str = "Disabled";
pub const SCOPE_CLUSTER: &str = "Cluster";
pub const SCOPE_NAMESPACED: &str = "Namespaced";
