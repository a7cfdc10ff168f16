//! `kubefedctl orphaning-deletion enable|disable|status`: the `kubefed.io/orphan` annotation that makes
//! deleting a federated object leave its member-cluster objects in place (unlabelled).

use anyhow::Context as _;
use clap::Subcommand;
use kube::api::{Api, DynamicObject, PostParams};
use serde_json::Value;

use super::{Context, Outcome};
use crate::error;
use crate::kubefed::typeconfig::{is_federated_type, TargetType};
use crate::kubefed::ORPHAN_ANNOTATION;

pub mod disable;
pub mod enable;
pub mod status;

/// Keep or delete member-cluster objects when a federated object is deleted
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: OrphaningCommand,
}

/// One-line help of each subcommand: the first line of its `Args` doc comment.
#[derive(Debug, Subcommand)]
pub enum OrphaningCommand {
    Enable(enable::Args),
    Disable(disable::Args),
    Status(status::Args),
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    match &args.command {
        OrphaningCommand::Enable(a) => enable::run(ctx, a).await,
        OrphaningCommand::Disable(a) => disable::run(ctx, a).await,
        OrphaningCommand::Status(a) => status::run(ctx, a).await,
    }
}

/// The arguments every orphaning-deletion subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ObjectArgs {
    /// The federated type (e.g. FederatedDeployment, federateddeployments.types.kubefed.io, fdeploy)
    #[arg(value_name = "TYPE")]
    pub type_name: Option<String>,

    /// The federated object's name
    #[arg(value_name = "NAME")]
    pub name: Option<String>,

    /// Namespace of the federated object (default: the context's namespace, else `default`)
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
}

/// Whether orphaning is enabled on a federated object: its annotation is exactly `"true"`, as KubeFed reads it.
pub fn is_orphaning_enabled(obj: &Value) -> bool {
    obj["metadata"]["annotations"][ORPHAN_ANNOTATION] == "true"
}

/// Sets or removes the annotation; returns whether the object changed.
pub fn set_orphaning(obj: &mut Value, enabled: bool) -> bool {
    if is_orphaning_enabled(obj) == enabled
        && (enabled
            || obj["metadata"]["annotations"]
                .get(ORPHAN_ANNOTATION)
                .is_none())
    {
        return false;
    }
    let meta = &mut obj["metadata"];
    if enabled {
        if !meta["annotations"].is_object() {
            meta["annotations"] = serde_json::json!({});
        }
        meta["annotations"][ORPHAN_ANNOTATION] = Value::String("true".into());
    } else if let Some(annotations) = meta["annotations"].as_object_mut() {
        annotations.remove(ORPHAN_ANNOTATION);
    }
    true
}

/// KubeFed's warning for a type that does not look like a generated federated type.
pub fn not_federated_warning(t: &TargetType) -> Option<String> {
    (!is_federated_type(&t.kind, &t.group)).then(|| {
        format!(
            "{}/{} might not be a federated resource",
            t.group_qualified_name(),
            t.version
        )
    })
}

/// A federated object found from the command line, with what is needed to write it back.
pub struct FederatedObject {
    pub target: TargetType,
    pub api: Api<DynamicObject>,
    pub object: Value,
    /// `namespace/name` or `name`.
    pub qualified_name: String,
}

impl FederatedObject {
    /// `<kind>.<group>/<name>` for result lines.
    pub fn label(&self) -> String {
        let name = self.object["metadata"]["name"].as_str().unwrap_or_default();
        if self.target.group.is_empty() {
            format!("{}/{name}", self.target.kind.to_lowercase())
        } else {
            format!(
                "{}.{}/{name}",
                self.target.kind.to_lowercase(),
                self.target.group
            )
        }
    }
}

/// Resolves TYPE (warning when it is not a federated type, as KubeFed does) and reads the object.
pub async fn load(ctx: &Context, args: &ObjectArgs) -> anyhow::Result<FederatedObject> {
    let Some(type_name) = args.type_name.as_deref().filter(|t| !t.is_empty()) else {
        return Err(error::usage("resource type is required")
            .with_hint("kubefedctl orphaning-deletion status FederatedDeployment NAME -n NS")
            .into());
    };
    let Some(name) = args.name.as_deref().filter(|n| !n.is_empty()) else {
        return Err(error::usage("resource name is required").into());
    };
    let client = ctx.host_client().await?;
    let (target, _) = crate::commands::resolve_type(&client, &ctx.printer, type_name, None).await?;
    if let Some(warning) = not_federated_warning(&target) {
        ctx.printer.warn(&warning);
    }
    let resource = target.api_resource().to_kube();
    let (api, qualified_name) = if target.namespaced {
        let ns = match &args.namespace {
            Some(ns) => ns.clone(),
            None => ctx
                .kubeconfig()?
                .namespace_of(ctx.global.host_cluster_context.as_deref())?,
        };
        (
            Api::namespaced_with(client, &ns, &resource),
            format!("{ns}/{name}"),
        )
    } else {
        (Api::all_with(client, &resource), name.to_string())
    };
    let object = crate::controlplane::resources::get_opt(&api, name)
        .await
        .with_context(|| format!("cannot read {} {qualified_name:?}", target.kind))?
        .ok_or_else(|| {
            error::precondition(
                format!(
                    "{} {qualified_name:?} not found in the host cluster",
                    target.kind
                ),
                "check the name and the namespace (-n)",
            )
        })?;
    Ok(FederatedObject {
        target,
        api,
        object: serde_json::to_value(object)?,
        qualified_name,
    })
}

/// enable/disable: sets the annotation with a full update (as KubeFed does) unless it already says so.
pub async fn set(
    ctx: &Context,
    args: &ObjectArgs,
    enabled: bool,
    dry_run: bool,
) -> anyhow::Result<Outcome> {
    let mut fed = load(ctx, args).await?;
    let changed = set_orphaning(&mut fed.object, enabled);
    let state = if enabled { "enabled" } else { "disabled" };
    let outcome = if !changed {
        format!("orphaning deletion already {state}")
    } else {
        if !dry_run {
            let body: DynamicObject = serde_json::from_value(fed.object.clone())?;
            let name = fed.object["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            fed.api
                .replace(&name, &PostParams::default(), &body)
                .await
                .with_context(|| {
                    format!("cannot update {} {:?}", fed.target.kind, fed.qualified_name)
                })?;
        }
        format!("orphaning deletion {state}")
    };
    let suffix = if dry_run && changed { " (dry run)" } else { "" };
    ctx.printer
        .write_stdout(&format!("{} {outcome}{suffix}\n", fed.label()))?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_exact_string_true_enables_orphaning() {
        assert!(is_orphaning_enabled(
            &json!({"metadata": {"annotations": {"kubefed.io/orphan": "true"}}})
        ));
        assert!(!is_orphaning_enabled(
            &json!({"metadata": {"annotations": {"kubefed.io/orphan": "True"}}})
        ));
        assert!(!is_orphaning_enabled(&json!({"metadata": {}})));
    }

    #[test]
    fn enabling_adds_the_annotation_once() {
        let mut obj = json!({"metadata": {"name": "web"}});
        assert!(set_orphaning(&mut obj, true));
        assert_eq!(
            obj["metadata"]["annotations"],
            json!({"kubefed.io/orphan": "true"})
        );
        assert!(!set_orphaning(&mut obj, true));
    }

    #[test]
    fn enabling_overwrites_a_value_other_than_true() {
        let mut obj =
            json!({"metadata": {"annotations": {"kubefed.io/orphan": "yes", "keep": "x"}}});
        assert!(set_orphaning(&mut obj, true));
        assert_eq!(
            obj["metadata"]["annotations"],
            json!({"kubefed.io/orphan": "true", "keep": "x"})
        );
    }

    #[test]
    fn disabling_removes_the_key_and_keeps_other_annotations() {
        let mut obj =
            json!({"metadata": {"annotations": {"kubefed.io/orphan": "true", "keep": "x"}}});
        assert!(set_orphaning(&mut obj, false));
        assert_eq!(obj["metadata"]["annotations"], json!({"keep": "x"}));
        assert!(!set_orphaning(&mut obj, false));
        let mut odd = json!({"metadata": {"annotations": {"kubefed.io/orphan": "false"}}});
        assert!(set_orphaning(&mut odd, false));
        assert_eq!(odd["metadata"]["annotations"], json!({}));
        let mut none = json!({"metadata": {}});
        assert!(!set_orphaning(&mut none, false));
    }

    #[test]
    fn non_federated_types_get_kubefeds_warning() {
        let dep = TargetType::new("apps", "v1", "Deployment", "deployments", true);
        assert_eq!(
            not_federated_warning(&dep).as_deref(),
            Some("deployments.apps/v1 might not be a federated resource")
        );
        let fed = TargetType::new(
            "types.kubefed.io",
            "v1beta1",
            "FederatedDeployment",
            "federateddeployments",
            true,
        );
        assert_eq!(not_federated_warning(&fed), None);
    }
}
