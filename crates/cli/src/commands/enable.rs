//! `kubefedctl enable`: the FederatedTypeConfig and generated `Federated<Kind>` CRD for an API type, written
//! with server-side apply after KubeFed's conflict checks, or printed as YAML.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::core::ApiResource as KubeApiResource;
use serde_json::Value;

use crate::cli::DryRunArgs;
use crate::commands::{Context, Outcome};
use crate::error::{self, UserError};
use crate::kubefed::typeconfig::{
    are_equivalent, federated_crd, federated_type_config, TargetType,
};
use crate::kubefed::types::{ApiResource, EnableTypeDirective, FederatedTypeConfig};
use crate::kubefed::{CORE_GROUP, TYPES_GROUP, TYPES_VERSION};
use crate::output::Printer;
use crate::typelookup::ApiDiscovery;

/// Field manager of every server-side apply kubefedctl sends.
pub const FIELD_MANAGER: &str = "kubefedctl";

/// How long `enable` waits for the generated CRD to be Established before giving up.
pub const ESTABLISH_TIMEOUT: Duration = Duration::from_secs(30);

/// Enable federation of an API type: create its FederatedTypeConfig and Federated<Kind> CRD.
///
/// TARGET is looked up in the host cluster's discovery like KubeFed does: plural, singular, kind, short
/// name or plural.group, in any case; the core group wins; a name matching several groups must be given as
/// plural.group. Works for built-in types and CRDs (a CRD whose spec.replicas is an int32 gets
/// spec.retainReplicas). Both objects are written with server-side apply (field manager `kubefedctl`), the
/// CRD first; the command waits until the CRD is Established. Re-running it changes nothing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kubefedctl enable deployments.apps\n  kubefedctl enable widgets.example.com --federated-group fed.example.com\n  kubefedctl enable configmaps -o yaml > federated-configmaps.yaml\n  kubefedctl enable -f config/enabletypedirectives/deployments.apps.yaml"
)]
pub struct Args {
    /// The type to federate (e.g. deployments.apps, deploy, Deployment)
    #[arg(value_name = "TARGET", add = crate::completion::served_types())]
    pub target: Option<String>,

    /// API group of the generated federated type
    #[arg(long, value_name = "G", default_value = TYPES_GROUP)]
    pub federated_group: String,

    /// API version of the generated federated type
    #[arg(long, value_name = "V", default_value = TYPES_VERSION)]
    pub federated_version: String,

    /// Look TARGET up in this API version only (default: the version the server prefers)
    #[arg(long, value_name = "V")]
    pub version: Option<String>,

    /// Print the FederatedTypeConfig and the CRD as YAML instead of creating them (only `yaml`)
    #[arg(short, long, value_name = "FORMAT")]
    pub output: Option<String>,

    /// Read an EnableTypeDirective (apiVersion core.kubefed.io/v1beta1) instead of TARGET and flags
    #[arg(
        short = 'f',
        long = "filename",
        value_name = "FILE",
        conflicts_with_all = ["target", "version"]
    )]
    pub filename: Option<PathBuf>,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

/// What `enable` was asked for, from the command line or an EnableTypeDirective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnableRequest {
    pub target_name: String,
    pub target_version: Option<String>,
    pub federated_group: String,
    pub federated_version: String,
}

impl EnableRequest {
    pub fn from_directive(d: &EnableTypeDirective) -> Self {
        EnableRequest {
            target_name: d.target_name().to_string(),
            target_version: d.target_version().map(str::to_string),
            federated_group: d.federated_group().to_string(),
            federated_version: d.federated_version().to_string(),
        }
    }
}

/// Parses an EnableTypeDirective file's text; `source` names it in errors.
pub fn parse_directive(text: &str, source: &str) -> Result<EnableRequest, anyhow::Error> {
    let docs = crate::yaml::parse_documents(text).with_context(|| format!("reading {source}"))?;
    let [doc] = docs.as_slice() else {
        return Err(error::invalid_input(format!(
            "{source}: expected one EnableTypeDirective document, found {}",
            docs.len()
        ))
        .into());
    };
    let kind = doc["kind"].as_str().unwrap_or("");
    if kind != "EnableTypeDirective" {
        return Err(error::invalid_input(format!(
            "{source}: kind is {kind:?}, expected \"EnableTypeDirective\" (apiVersion core.kubefed.io/v1beta1)"
        ))
        .into());
    }
    let mut directive: EnableTypeDirective = serde_json::from_value(doc.clone())
        .map_err(|e| error::invalid_input(format!("{source}: not an EnableTypeDirective: {e}")))?;
    directive.fill_defaults();
    if directive.target_name().is_empty() {
        return Err(error::invalid_input(format!(
            "{source}: metadata.name is required: it names the target type (e.g. deployments.apps)"
        ))
        .into());
    }
    Ok(EnableRequest::from_directive(&directive))
}

fn request_from_args(args: &Args) -> anyhow::Result<EnableRequest> {
    if let Some(path) = &args.filename {
        let text = std::fs::read_to_string(path).map_err(|e| {
            error::invalid_input(format!("Failed to load yaml from file {path:?}: {e}"))
        })?;
        return parse_directive(&text, &path.display().to_string());
    }
    let Some(target) = args.target.clone().filter(|t| !t.is_empty()) else {
        return Err(error::usage("NAME is required")
            .with_hint("name the type to federate, e.g. `kubefedctl enable deployments.apps`")
            .into());
    };
    Ok(EnableRequest {
        target_name: target,
        target_version: args.version.clone().filter(|v| !v.is_empty()),
        federated_group: args.federated_group.clone(),
        federated_version: args.federated_version.clone(),
    })
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let print_yaml = match args.output.as_deref() {
        None => false,
        Some("yaml") => true,
        Some(other) => {
            return Err(error::usage(format!("Invalid value for --output: {other}"))
                .with_hint("the only output format of enable is yaml")
                .into())
        }
    };
    let request = request_from_args(args)?;
    let client = ctx.host_client().await?;
    let (target, discovery) = super::resolve_type(
        &client,
        &ctx.printer,
        &request.target_name,
        request.target_version.as_deref(),
    )
    .await?;
    let schema = target_schema(&client, &target).await?;
    let ftc = federated_type_config(
        &target,
        &request.federated_group,
        &request.federated_version,
        ctx.kubefed_namespace(),
    );
    let crd = federated_crd(
        &target,
        schema.as_ref(),
        &request.federated_group,
        &request.federated_version,
    );
    if print_yaml {
        ctx.printer
            .print_objects(&[ftc, crd], crate::output::ObjectFormat::Yaml)?;
        return Ok(Outcome::Success);
    }
    apply_type(
        &client,
        &ctx.printer,
        &discovery,
        ctx.kubefed_namespace(),
        &ftc,
        &crd,
        args.dry_run.dry_run,
    )
    .await?;
    ctx.refresh_member_roles(&client, args.dry_run.dry_run)
        .await
}

/// The schema of a CRD target (the version being federated, else the CRD's first), so `retainReplicas` is
/// offered exactly when its `spec.replicas` is an int32; None for built-in and aggregated types.
pub async fn target_schema(
    client: &kube::Client,
    target: &TargetType,
) -> anyhow::Result<Option<Value>> {
    if target.group.is_empty() {
        return Ok(None);
    }
    let crds: Api<DynamicObject> = Api::all_with(client.clone(), &crd_resource());
    let name = target.group_qualified_name();
    let Some(crd) = crds
        .get_opt(&name)
        .await
        .with_context(|| format!("cannot read CustomResourceDefinition {name:?}"))?
    else {
        return Ok(None);
    };
    Ok(crd_version_schema(
        &serde_json::to_value(crd)?,
        &target.version,
    ))
}

/// A CRD version's `openAPIV3Schema`: the named version's, else the first version's.
pub fn crd_version_schema(crd: &Value, version: &str) -> Option<Value> {
    let versions = crd["spec"]["versions"].as_array()?;
    let chosen = versions
        .iter()
        .find(|v| v["name"] == version)
        .or_else(|| versions.first())?;
    chosen["schema"]["openAPIV3Schema"]
        .is_object()
        .then(|| chosen["schema"]["openAPIV3Schema"].clone())
}

/// `customresourcedefinitions.apiextensions.k8s.io/v1`.
pub fn crd_resource() -> KubeApiResource {
    KubeApiResource {
        group: "apiextensions.k8s.io".into(),
        version: "v1".into(),
        api_version: "apiextensions.k8s.io/v1".into(),
        kind: "CustomResourceDefinition".into(),
        plural: "customresourcedefinitions".into(),
    }
}

/// What applying an object amounted to (shared with `init`).
pub use crate::controlplane::Change as ApplyOutcome;

/// kubectl's result line: `<resource>.<group>/<name> <outcome>[ in namespace <ns>][ (dry run)]`.
pub fn result_line(
    resource: &str,
    name: &str,
    outcome: &str,
    namespace: Option<&str>,
    dry_run: bool,
) -> String {
    let mut line = format!("{resource}/{name} {outcome}");
    if let Some(ns) = namespace {
        line.push_str(&format!(" in namespace {ns}"));
    }
    if dry_run {
        line.push_str(" (dry run)");
    }
    line
}

pub use crate::controlplane::install::is_subset;

/// Server-side applies `obj` (field manager `kubefedctl`, forced: enable owns these objects as KubeFed's
/// update did). Created when absent before, unchanged when the resourceVersion did not move. With
/// `dry_run` nothing is sent but the read: the outcome is predicted from the live object.
pub async fn apply_object(
    client: &kube::Client,
    resource: &KubeApiResource,
    obj: &Value,
    dry_run: bool,
) -> anyhow::Result<ApplyOutcome> {
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let api: Api<DynamicObject> = match obj["metadata"]["namespace"].as_str() {
        Some(ns) => Api::namespaced_with(client.clone(), ns, resource),
        None => Api::all_with(client.clone(), resource),
    };
    let describe = || format!("{} {name:?}", resource.kind);
    let live = api
        .get_opt(name)
        .await
        .with_context(|| format!("cannot read {}", describe()))?;
    let live_value = live.as_ref().map(serde_json::to_value).transpose()?;
    if dry_run {
        return Ok(match live_value {
            None => ApplyOutcome::Created,
            Some(l) if is_subset(obj, &l) => ApplyOutcome::Unchanged,
            Some(_) => ApplyOutcome::Configured,
        });
    }
    let applied = api
        .patch(
            name,
            &PatchParams::apply(FIELD_MANAGER).force(),
            &Patch::Apply(obj),
        )
        .await
        .with_context(|| format!("cannot apply {}", describe()))?;
    Ok(match live {
        None => ApplyOutcome::Created,
        Some(l) if l.metadata.resource_version == applied.metadata.resource_version => {
            ApplyOutcome::Unchanged
        }
        Some(_) => ApplyOutcome::Configured,
    })
}

/// `plural[.group]/version`, as KubeFed names types in its conflict messages.
pub fn qualified_api_resource_name(r: &ApiResource) -> String {
    format!("{}/{}", r.group_qualified_name(), r.version)
}

/// KubeFed refuses to switch an enabled type to another federated type: the objects of the old one would
/// be stranded.
pub fn check_federated_type_change(
    existing: &FederatedTypeConfig,
    wanted: &FederatedTypeConfig,
) -> Result<(), UserError> {
    let (old, new) = (&existing.spec.federated_type, &wanted.spec.federated_type);
    if old.plural_name == new.plural_name && old.version == new.version && old.group == new.group {
        return Ok(());
    }
    Err(error::precondition(
        format!(
            "Federation is already enabled for {:?} with federated type {:?}. Changing the federated type to {:?} is not supported.",
            qualified_api_resource_name(&existing.spec.target_type),
            qualified_api_resource_name(old),
            qualified_api_resource_name(new),
        ),
        format!(
            "disable the type first (`kubefedctl disable {}`), or keep --federated-group {} --federated-version {}",
            existing.metadata.name.as_deref().unwrap_or_default(),
            old.group,
            old.version
        ),
    ))
}

/// KubeFed's checks against the other FTCs: an equivalent API (same resource through a deprecated group or
/// version) may be federated only once, and a federated CRD name belongs to one FTC.
pub fn check_conflicts(
    wanted: &FederatedTypeConfig,
    crd_name: &str,
    existing: &[FederatedTypeConfig],
) -> Result<(), UserError> {
    let wanted_name = wanted.metadata.name.as_deref().unwrap_or_default();
    for ftc in existing {
        let ftc_name = ftc.metadata.name.as_deref().unwrap_or_default();
        if are_equivalent(&ftc.spec.target_type, &wanted.spec.target_type) {
            return Err(error::precondition(
                format!(
                    "Failed to enable {:?}. Federation of this type is already enabled for equivalent type {:?} by FederatedTypeConfig {:?}",
                    qualified_api_resource_name(&wanted.spec.target_type),
                    qualified_api_resource_name(&ftc.spec.target_type),
                    format!("{}/{ftc_name}", ftc.metadata.namespace.as_deref().unwrap_or_default()),
                ),
                format!("only one of the equivalent APIs can be federated; disable {ftc_name} first to switch"),
            ));
        }
        if ftc_name == wanted_name {
            continue;
        }
        let referenced = ftc.spec.federated_type.group_qualified_name();
        if referenced == crd_name {
            return Err(error::precondition(
                format!(
                    "Failed to enable federation of {wanted_name:?} due to the FederatedTypeConfig for {ftc_name:?} already referencing a federated type CRD named {referenced:?}. If these target types are distinct despite sharing the same kind, specifying a non-default --federated-group should allow {wanted_name:?} to be enabled."
                ),
                format!("kubefedctl enable {wanted_name} --federated-group <another group, e.g. fed.example.com>"),
            ));
        }
    }
    Ok(())
}

/// The precondition error when the kubefed namespace is missing (KubeFed's message).
pub fn missing_namespace(ns: &str) -> UserError {
    error::precondition(
        format!("KubeFed system namespace {ns:?} does not exist"),
        "install the control plane with `kubefedctl init` (or pass the right --kubefed-namespace)",
    )
}

/// The precondition error when the host serves no FederatedTypeConfig API.
pub fn missing_control_plane() -> UserError {
    error::precondition(
        "the host cluster serves no FederatedTypeConfig API (federatedtypeconfigs.core.kubefed.io): the KubeFed control plane is not installed",
        "install the control plane with `kubefedctl init`",
    )
}

/// Checks that the control plane is there to hold FTCs: the kubefed namespace and the FTC API.
pub async fn check_control_plane(
    client: &kube::Client,
    discovery: &ApiDiscovery,
    kubefed_ns: &str,
) -> anyhow::Result<()> {
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    if namespaces
        .get_opt(kubefed_ns)
        .await
        .with_context(|| format!("cannot read namespace {kubefed_ns:?}"))?
        .is_none()
    {
        return Err(missing_namespace(kubefed_ns).into());
    }
    if !discovery.serves(CORE_GROUP, FederatedTypeConfig::PLURAL) {
        return Err(missing_control_plane().into());
    }
    Ok(())
}

/// Writes a type's CRD then its FTC after KubeFed's checks, printing one result line each on stdout, and
/// waits until the CRD is Established (not with `dry_run`, which sends no write).
pub async fn apply_type(
    client: &kube::Client,
    printer: &Printer,
    discovery: &ApiDiscovery,
    kubefed_ns: &str,
    ftc: &Value,
    crd: &Value,
    dry_run: bool,
) -> anyhow::Result<()> {
    check_control_plane(client, discovery, kubefed_ns).await?;
    let wanted: FederatedTypeConfig = serde_json::from_value(ftc.clone())?;
    let ftc_name = wanted.metadata.name.clone().unwrap_or_default();
    let crd_name = crd["metadata"]["name"].as_str().unwrap_or_default();
    let ftcs: Api<FederatedTypeConfig> = Api::namespaced(client.clone(), kubefed_ns);
    let existing = ftcs
        .list(&Default::default())
        .await
        .with_context(|| format!("cannot list FederatedTypeConfigs in namespace {kubefed_ns:?}"))?
        .items;
    if let Some(current) = existing
        .iter()
        .find(|f| f.metadata.name.as_deref() == Some(ftc_name.as_str()))
    {
        check_federated_type_change(current, &wanted)?;
    }
    check_conflicts(&wanted, crd_name, &existing)?;

    let outcome = apply_object(client, &crd_resource(), crd, dry_run).await?;
    printer.write_stdout(&format!(
        "{}\n",
        result_line(
            "customresourcedefinition.apiextensions.k8s.io",
            crd_name,
            outcome.as_str(),
            None,
            dry_run
        )
    ))?;
    if !dry_run {
        crate::controlplane::install::wait_established(
            client,
            &[crd_name.to_string()],
            ESTABLISH_TIMEOUT,
        )
        .await?;
    }
    let outcome = apply_object(client, &FederatedTypeConfig::api_resource(), ftc, dry_run).await?;
    printer.write_stdout(&format!(
        "{}\n",
        result_line(
            "federatedtypeconfig.core.kubefed.io",
            &ftc_name,
            outcome.as_str(),
            Some(kubefed_ns),
            dry_run
        )
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::kubefed::typeconfig::default_types;
    use serde_json::json;

    fn ftc_for(name: &str, fed_group: &str) -> FederatedTypeConfig {
        let t = default_types()
            .into_iter()
            .find(|t| t.group_qualified_name() == name)
            .unwrap();
        serde_json::from_value(federated_type_config(
            &t,
            fed_group,
            TYPES_VERSION,
            "kube-federation-system",
        ))
        .unwrap()
    }

    #[test]
    fn same_federated_type_is_not_a_change() {
        let a = ftc_for("deployments.apps", TYPES_GROUP);
        assert!(check_federated_type_change(&a, &a.clone()).is_ok());
    }

    #[test]
    fn changing_the_federated_group_is_refused_with_kubefed_message() {
        let old = ftc_for("deployments.apps", TYPES_GROUP);
        let new = ftc_for("deployments.apps", "fed.example.com");
        let err = check_federated_type_change(&old, &new).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Precondition);
        assert_eq!(
            err.message,
            "Federation is already enabled for \"deployments.apps/v1\" with federated type \"federateddeployments.types.kubefed.io/v1beta1\". Changing the federated type to \"federateddeployments.fed.example.com/v1beta1\" is not supported."
        );
        assert!(err
            .hint
            .unwrap()
            .contains("kubefedctl disable deployments.apps"));
    }

    #[test]
    fn equivalent_deprecated_api_is_refused() {
        let existing = ftc_for("deployments.apps", TYPES_GROUP);
        let target = TargetType::new("extensions", "v1beta1", "Deployment", "deployments", true);
        let wanted: FederatedTypeConfig = serde_json::from_value(federated_type_config(
            &target,
            TYPES_GROUP,
            TYPES_VERSION,
            "kube-federation-system",
        ))
        .unwrap();
        let err = check_conflicts(
            &wanted,
            "federateddeployments.types.kubefed.io",
            &[existing],
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "Failed to enable \"deployments.extensions/v1beta1\". Federation of this type is already enabled for equivalent type \"deployments.apps/v1\" by FederatedTypeConfig \"kube-federation-system/deployments.apps\""
        );
    }

    #[test]
    fn a_federated_crd_name_belongs_to_one_ftc() {
        let existing = ftc_for("configmaps", TYPES_GROUP);
        let target = TargetType::new("example.com", "v1", "ConfigMap", "configmaps", true);
        let wanted: FederatedTypeConfig = serde_json::from_value(federated_type_config(
            &target,
            TYPES_GROUP,
            TYPES_VERSION,
            "kube-federation-system",
        ))
        .unwrap();
        let err = check_conflicts(&wanted, "federatedconfigmaps.types.kubefed.io", &[existing])
            .unwrap_err();
        assert!(
            err.message.starts_with("Failed to enable federation of \"configmaps.example.com\" due to the FederatedTypeConfig for \"configmaps\" already referencing a federated type CRD named \"federatedconfigmaps.types.kubefed.io\"."),
            "{}",
            err.message
        );
        assert!(err.hint.unwrap().contains("--federated-group"));
    }

    #[test]
    fn re_enabling_the_same_type_has_no_conflict() {
        let existing = ftc_for("deployments.apps", TYPES_GROUP);
        let others = [existing.clone(), ftc_for("configmaps", TYPES_GROUP)];
        assert!(
            check_conflicts(&existing, "federateddeployments.types.kubefed.io", &others).is_ok()
        );
    }

    #[test]
    fn result_lines_follow_kubectl() {
        assert_eq!(
            result_line(
                "customresourcedefinition.apiextensions.k8s.io",
                "x.g",
                "created",
                None,
                false
            ),
            "customresourcedefinition.apiextensions.k8s.io/x.g created"
        );
        assert_eq!(
            result_line(
                "federatedtypeconfig.core.kubefed.io",
                "jobs.batch",
                "unchanged",
                Some("kf"),
                true
            ),
            "federatedtypeconfig.core.kubefed.io/jobs.batch unchanged in namespace kf (dry run)"
        );
    }

    #[test]
    fn subset_ignores_fields_the_server_added() {
        let desired = json!({"spec": {"a": 1, "list": [{"x": 1}]}});
        let live =
            json!({"metadata": {"uid": "u"}, "spec": {"a": 1, "b": 2, "list": [{"x": 1, "y": 0}]}});
        assert!(is_subset(&desired, &live));
        assert!(!is_subset(&json!({"spec": {"a": 2}}), &live));
        assert!(!is_subset(&json!({"spec": {"list": []}}), &live));
        assert!(!is_subset(&json!({"spec": {"c": null}}), &live));
    }

    #[test]
    fn crd_schema_of_the_federated_version_else_the_first() {
        let crd = json!({"spec": {"versions": [
            {"name": "v1", "schema": {"openAPIV3Schema": {"type": "object", "description": "one"}}},
            {"name": "v2", "schema": {"openAPIV3Schema": {"type": "object", "description": "two"}}}
        ]}});
        assert_eq!(
            crd_version_schema(&crd, "v2").unwrap()["description"],
            "two"
        );
        assert_eq!(
            crd_version_schema(&crd, "v9").unwrap()["description"],
            "one"
        );
        assert_eq!(
            crd_version_schema(&json!({"spec": {"versions": [{"name": "v1"}]}}), "v1"),
            None
        );
    }

    #[test]
    fn directive_fills_kubefed_defaults() {
        let req = parse_directive(
            "apiVersion: core.kubefed.io/v1beta1\nkind: EnableTypeDirective\nmetadata:\n  name: deployments.apps\n",
            "d.yaml",
        )
        .unwrap();
        assert_eq!(
            req,
            EnableRequest {
                target_name: "deployments.apps".into(),
                target_version: None,
                federated_group: TYPES_GROUP.into(),
                federated_version: TYPES_VERSION.into(),
            }
        );
        let req = parse_directive(
            "kind: EnableTypeDirective\nmetadata: {name: widgets.example.com}\nspec: {targetVersion: v2, federatedGroup: fed.io, federatedVersion: v1}\n",
            "d.yaml",
        )
        .unwrap();
        assert_eq!(req.target_version.as_deref(), Some("v2"));
        assert_eq!(req.federated_group, "fed.io");
        assert_eq!(req.federated_version, "v1");
    }

    #[test]
    fn malformed_directives_are_invalid_input_naming_the_file() {
        let err =
            parse_directive("kind: EnableTypeDirective\nmetadata: [\n", "d.yaml").unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(
            format!("{err:#}").contains("invalid YAML in document 1 at line"),
            "{err:#}"
        );
        let err = parse_directive("kind: ConfigMap\nmetadata: {name: x}\n", "d.yaml").unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(
            err.to_string().starts_with("d.yaml: kind is \"ConfigMap\""),
            "{err}"
        );
        let err = parse_directive("kind: EnableTypeDirective\n", "d.yaml").unwrap_err();
        assert!(
            err.to_string().contains("metadata.name is required"),
            "{err}"
        );
        let err = parse_directive("", "d.yaml").unwrap_err();
        assert!(err.to_string().contains("found 0"), "{err}");
    }
}
