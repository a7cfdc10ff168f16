//! `kubefedctl disable`: stop propagating a type and remove its FederatedTypeConfig (and, with
//! `--delete-crd`, its `Federated<Kind>` CRD once no federated object is left).

use std::time::Duration;

use anyhow::Context as _;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use serde_json::json;

use crate::cli::DryRunArgs;
use crate::commands::enable::crd_resource;
use crate::commands::{Context, Outcome};
use crate::controlplane::resources;
use crate::error::{self, UserError};
use crate::kubefed::typeconfig::federated_plural;
use crate::kubefed::types::FederatedTypeConfig;
use crate::kubefed::{DISABLED, FTC_FINALIZER, TYPES_GROUP};

/// Disable federation of an API type: stop its propagation and delete its FederatedTypeConfig.
///
/// NAME is the FederatedTypeConfig's name when it contains a dot (deployments.apps), so a type whose API
/// is gone can still be disabled; otherwise it is looked up like `enable` does (configmaps, cm, Service).
/// Propagation is set to Disabled first (a running `reconcile --watch` stops handling the type), then the
/// FTC is deleted. There is no controller deployment to wait for, unlike KubeFed's "verifying propagation
/// controller is stopped" step. Federated objects already propagated stay in member clusters.
///
/// With --delete-crd the Federated<Kind> CRD is deleted too, refused while federated objects of the type
/// exist anywhere in the host.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kubefedctl disable deployments.apps\n  kubefedctl disable cm --delete-crd\n  kubefedctl disable widgets.example.com --delete-crd --federated-group fed.example.com"
)]
pub struct Args {
    /// The type to stop federating (FTC name such as deployments.apps, or a type name)
    #[arg(value_name = "NAME", add = crate::completion::enabled_types())]
    pub name: Option<String>,

    /// Also delete the Federated<Kind> CRD (refused while federated objects of the type exist)
    #[arg(long)]
    pub delete_crd: bool,

    /// API group of the federated type, to find its CRD when the FTC is already gone (with --delete-crd)
    #[arg(long, value_name = "G", default_value = TYPES_GROUP)]
    pub federated_group: String,

    /// Look NAME up in this API version only (with --delete-crd)
    #[arg(long, value_name = "V")]
    pub version: Option<String>,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

/// KubeFed's flag checks: `--version` and a non-default `--federated-group` only make sense when the CRD
/// is to be deleted.
pub fn check_flags(args: &Args) -> Result<String, UserError> {
    let Some(name) = args.name.clone().filter(|n| !n.is_empty()) else {
        return Err(error::usage("NAME is required")
            .with_hint("name the type to disable, e.g. `kubefedctl disable deployments.apps`"));
    };
    if !args.delete_crd {
        if args.version.is_some() {
            return Err(error::usage("--version flag valid only with --delete-crd"));
        }
        if args.federated_group != TYPES_GROUP {
            return Err(error::usage(
                "--federated-group flag valid only with --delete-crd",
            ));
        }
    }
    Ok(name)
}

/// KubeFed's refusal to delete a CRD that still has instances.
pub fn instances_exist(crd_name: &str) -> UserError {
    error::precondition(
        format!("Cannot delete CRD {crd_name:?} while resource instances exist. Please try kubefedctl disable again after removing the resource instances or without the '--delete-crd' option"),
        format!("list them with `kubectl get {crd_name} --all-namespaces`"),
    )
}

/// The federated CRD's name when no FTC says it: `federated<plural>.<group>`, the plural being the FTC
/// name up to its first dot.
pub fn crd_name_without_ftc(ftc_name: &str, federated_group: &str) -> String {
    let plural = ftc_name.split('.').next().unwrap_or(ftc_name);
    format!("{}.{federated_group}", federated_plural(plural))
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let name = check_flags(args)?;
    let dry_run = args.dry_run.dry_run;
    let ns = ctx.kubefed_namespace();
    let client = ctx.host_client().await?;
    let ftc_name = if name.contains('.') {
        name.clone()
    } else {
        super::resolve_type(&client, &ctx.printer, &name, args.version.as_deref())
            .await?
            .0
            .group_qualified_name()
    };
    let out = |line: String| ctx.printer.write_stdout(&format!("{line}\n"));
    let suffix = if dry_run { " (dry run)" } else { "" };

    let ftcs: Api<FederatedTypeConfig> = Api::namespaced(client.clone(), ns);
    let ftc = match resources::get_opt(&ftcs, &ftc_name).await {
        Ok(found) => found,
        // No FTC API at all: nothing is enabled.
        Err(kube::Error::Api(s)) if s.code == 404 => None,
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!(
                "cannot read FederatedTypeConfig \"{ns}/{ftc_name}\""
            )))
        }
    };
    let crd_name = match &ftc {
        Some(f) => f.spec.federated_type.group_qualified_name(),
        None => crd_name_without_ftc(&ftc_name, &args.federated_group),
    };
    if ftc.is_none() {
        out(format!(
            "FederatedTypeConfig \"{ns}/{ftc_name}\" does not exist"
        ))?;
    }

    let crds: Api<DynamicObject> = Api::all_with(client.clone(), &crd_resource());
    let crd = if args.delete_crd {
        crds.get_opt(&crd_name)
            .await
            .with_context(|| format!("cannot read CustomResourceDefinition {crd_name:?}"))?
    } else {
        None
    };
    // Deleting a CRD deletes every object of its type: refuse while any exists, FTC or not.
    let instances_type = match (&ftc, &crd) {
        (Some(f), _) => Some(f.spec.federated_type.to_kube()),
        (None, Some(c)) => served_resource(&serde_json::to_value(c)?),
        (None, None) => None,
    };
    if let (true, Some(resource)) = (args.delete_crd, instances_type) {
        let federated: Api<DynamicObject> = Api::all_with(client.clone(), &resource);
        match federated
            .list_metadata(&ListParams::default().limit(1))
            .await
        {
            Ok(list) if !list.items.is_empty() => return Err(instances_exist(&crd_name).into()),
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.code == 404 => {}
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("cannot list the instances of {crd_name:?}")))
            }
        }
    }

    if let Some(f) = &ftc {
        if f.is_propagation_enabled() {
            if !dry_run {
                ftcs.patch(
                    &ftc_name,
                    &PatchParams::default(),
                    &Patch::Merge(json!({"spec": {"propagation": DISABLED}})),
                )
                .await
                .with_context(|| {
                    format!("cannot disable propagation of FederatedTypeConfig \"{ns}/{ftc_name}\"")
                })?;
            }
            out(format!(
                "Disabled propagation for FederatedTypeConfig \"{ns}/{ftc_name}\"{suffix}"
            ))?;
        }
    }

    if args.delete_crd {
        if crd.is_none() {
            out(format!(
                "customresourcedefinition {crd_name:?} does not exist"
            ))?;
        } else {
            if !dry_run {
                delete_ignoring_absence(&crds, &crd_name)
                    .await
                    .with_context(|| {
                        format!("cannot delete CustomResourceDefinition {crd_name:?}")
                    })?;
                wait_deleted(&client, &crd_name, CRD_DELETE_TIMEOUT).await?;
            }
            out(format!(
                "customresourcedefinition {crd_name:?} deleted{suffix}"
            ))?;
        }
    }

    if ftc.is_some() {
        if !dry_run {
            delete_ignoring_absence(&ftcs, &ftc_name)
                .await
                .with_context(|| {
                    format!("cannot delete FederatedTypeConfig \"{ns}/{ftc_name}\"")
                })?;
            release_ftc_finalizer(&ftcs, &ftc_name)
                .await
                .with_context(|| {
                    format!("cannot finish deleting FederatedTypeConfig \"{ns}/{ftc_name}\"")
                })?;
        }
        out(format!(
            "federatedtypeconfig \"{ns}/{ftc_name}\" deleted{suffix}"
        ))?;
        // The dry run still counts the FTC in: the roles would change once it is gone.
        if !dry_run {
            return ctx.refresh_member_roles(&client, dry_run).await;
        }
    }
    Ok(Outcome::Success)
}

/// The type a CRD serves (its storage version, else its first), to look for its instances.
pub fn served_resource(crd: &serde_json::Value) -> Option<kube::core::ApiResource> {
    let spec = &crd["spec"];
    let versions = spec["versions"].as_array()?;
    let version = versions
        .iter()
        .find(|v| v["storage"] == true)
        .or_else(|| versions.first())?["name"]
        .as_str()?;
    let group = spec["group"].as_str()?;
    Some(kube::core::ApiResource {
        group: group.to_string(),
        version: version.to_string(),
        api_version: format!("{group}/{version}"),
        kind: spec["names"]["kind"].as_str()?.to_string(),
        plural: spec["names"]["plural"].as_str()?.to_string(),
    })
}

/// How long `disable --delete-crd` waits for the API server to finish removing the CRD.
pub const CRD_DELETE_TIMEOUT: Duration = Duration::from_secs(30);

/// Waits until a deleted CRD is gone: the API server first removes its objects (finalizer
/// `customresourcecleanup.apiextensions.k8s.io`), and re-enabling the type meanwhile would fail.
async fn wait_deleted(
    client: &kube::Client,
    crd_name: &str,
    timeout: Duration,
) -> anyhow::Result<()> {
    let left = resources::wait_gone(
        client,
        &[(resources::Resource::crd(), None, crd_name)],
        timeout,
    )
    .await
    .with_context(|| format!("cannot read CustomResourceDefinition {crd_name:?}"))?;
    if left.is_empty() {
        return Ok(());
    }
    Err(error::precondition(
        format!(
            "CustomResourceDefinition {crd_name:?} is still being deleted after {}s",
            timeout.as_secs()
        ),
        format!("check what holds it: kubectl get crd {crd_name} -o yaml"),
    )
    .into())
}

/// The finalizers left once KubeFed's FTC finalizer is released, or None when it is not there.
pub fn without_ftc_finalizer(ftc: &serde_json::Value) -> Option<Vec<String>> {
    let finalizers: Vec<String> = ftc["metadata"]["finalizers"]
        .as_array()?
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    finalizers.iter().any(|f| f == FTC_FINALIZER).then(|| {
        finalizers
            .into_iter()
            .filter(|f| f != FTC_FINALIZER)
            .collect()
    })
}

/// An FTC written by KubeFed's controller manager carries its finalizer, which that controller released
/// once the type's sync controller had stopped. kubefedctl is the propagation engine now, and nothing
/// propagates a deleted type, so it releases the finalizer itself; the deletion would hang otherwise.
async fn release_ftc_finalizer(
    ftcs: &Api<FederatedTypeConfig>,
    name: &str,
) -> Result<(), kube::Error> {
    let Some(ftc) = resources::get_opt(ftcs, name).await? else {
        return Ok(());
    };
    let Some(remaining) = without_ftc_finalizer(&serde_json::to_value(&ftc).unwrap_or_default())
    else {
        return Ok(());
    };
    let patch = json!({"metadata": {
        "finalizers": remaining,
        "resourceVersion": ftc.metadata.resource_version,
    }});
    match ftcs
        .patch(name, &PatchParams::default(), &Patch::Merge(patch))
        .await
    {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
        Err(e) => Err(e),
    }
}

async fn delete_ignoring_absence<K>(api: &Api<K>, name: &str) -> Result<(), kube::Error>
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api.delete(name, &DeleteParams::default()).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn args(name: &str) -> Args {
        Args {
            name: Some(name.into()),
            delete_crd: false,
            federated_group: TYPES_GROUP.into(),
            version: None,
            dry_run: DryRunArgs::default(),
        }
    }

    #[test]
    fn version_needs_delete_crd() {
        let mut a = args("deployments.apps");
        a.version = Some("v1".into());
        let err = check_flags(&a).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Usage);
        assert_eq!(err.message, "--version flag valid only with --delete-crd");
        a.delete_crd = true;
        assert_eq!(check_flags(&a).unwrap(), "deployments.apps");
    }

    #[test]
    fn non_default_group_needs_delete_crd() {
        let mut a = args("widgets.example.com");
        a.federated_group = "fed.example.com".into();
        assert_eq!(
            check_flags(&a).unwrap_err().message,
            "--federated-group flag valid only with --delete-crd"
        );
    }

    #[test]
    fn a_name_is_required() {
        let mut a = args("");
        assert_eq!(check_flags(&a).unwrap_err().message, "NAME is required");
        a.name = None;
        assert_eq!(check_flags(&a).unwrap_err().kind, ErrorKind::Usage);
    }

    #[test]
    fn crd_name_is_recomputed_from_the_ftc_name() {
        assert_eq!(
            crd_name_without_ftc("deployments.apps", TYPES_GROUP),
            "federateddeployments.types.kubefed.io"
        );
        assert_eq!(
            crd_name_without_ftc("configmaps", "fed.example.com"),
            "federatedconfigmaps.fed.example.com"
        );
    }

    #[test]
    fn instances_are_looked_up_in_the_crd_storage_version() {
        let crd = serde_json::json!({"spec": {"group": "types.kubefed.io",
            "names": {"kind": "FederatedWidget", "plural": "federatedwidgets"},
            "versions": [{"name": "v1alpha1", "storage": false}, {"name": "v1beta1", "storage": true}]}});
        let r = served_resource(&crd).unwrap();
        assert_eq!(r.api_version, "types.kubefed.io/v1beta1");
        assert_eq!(r.plural, "federatedwidgets");
        assert!(served_resource(&serde_json::json!({"spec": {}})).is_none());
    }

    #[test]
    fn only_kubefeds_ftc_finalizer_is_released() {
        let ftc = serde_json::json!({"metadata": {"finalizers": ["core.kubefed.io/federated-type-config", "example.com/keep"]}});
        assert_eq!(
            without_ftc_finalizer(&ftc),
            Some(vec!["example.com/keep".to_string()])
        );
        let other = serde_json::json!({"metadata": {"finalizers": ["example.com/keep"]}});
        assert_eq!(without_ftc_finalizer(&other), None);
        assert_eq!(
            without_ftc_finalizer(&serde_json::json!({"metadata": {}})),
            None
        );
    }

    #[test]
    fn refusal_to_delete_a_used_crd_is_kubefeds() {
        let err = instances_exist("federatedconfigmaps.types.kubefed.io");
        assert_eq!(err.kind, ErrorKind::Precondition);
        assert_eq!(
            err.message,
            "Cannot delete CRD \"federatedconfigmaps.types.kubefed.io\" while resource instances exist. Please try kubefedctl disable again after removing the resource instances or without the '--delete-crd' option"
        );
    }
}
