//! `kubefedctl federate`: turn objects of the host cluster (or manifests, offline) into `Federated<Kind>`
//! objects with KubeFed's conversion, and create them or print them.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::time::Duration;

use anyhow::Context as _;
use kube::api::{Api, DynamicObject, PostParams};
use serde_json::Value;

use crate::cli::DryRunArgs;
use crate::commands::enable::{self, missing_control_plane};
use crate::commands::{Context, Outcome};
use crate::controlplane::{change_line, Change};
use crate::conversion::{
    federate_all, federate_object, made_by_the_cluster, qualified, skipped_warnings, Conversion,
    Federated, Skipped,
};
use crate::customization::Customization;
use crate::error::{self, UserError};
use crate::kubefed::typeconfig::{federated_crd, federated_type_config, TargetType};
use crate::kubefed::types::{ApiResource, FederatedTypeConfig};
use crate::kubefed::{CORE_GROUP, TYPES_GROUP, TYPES_VERSION};
use crate::output::ObjectFormat;
use crate::typelookup::ApiDiscovery;

/// How long a create keeps retrying NotFound, for a federated CRD that was just created.
const CREATE_RETRY: Duration = Duration::from_secs(10);

/// Federate an object of the host cluster: create its Federated<Kind>, placed in every member cluster.
///
/// The template is the object minus what the API server or member clusters own (status, metadata other
/// than labels, a Service's cluster IPs and node ports, a ServiceAccount's token secrets, a Namespace's
/// finalizers); annotations are dropped with a warning. The placement is an empty cluster selector, which
/// selects all clusters, unless --clusters or --cluster-selector is given. The type must be enabled (a
/// FederatedTypeConfig must exist) unless --enable-type is given. With -o the objects are printed instead
/// and no type needs to be enabled.
///
/// `federate namespaces NAME --contents` also federates every namespaced object inside the namespace,
/// except objects of group extensions, federated types, endpoints, events, events.events.k8s.io,
/// propagatedversions.core.kubefed.io, and the types or groups given with --skip-api-resources.
///
/// `federate -f FILE` (or `-f -` for stdin) converts a multi-document YAML file offline, with no cluster,
/// and prints the federated objects.
///
/// Placement and overrides are flags, so no YAML needs editing: --clusters a,b places the objects in exactly
/// those member clusters (spec.placement.clusters; '' for none), --cluster-selector region=eu,tier=web in
/// the clusters whose KubeFedCluster has all those labels (spec.placement.clusterSelector.matchLabels).
/// --override, repeatable, changes one field of the object in one cluster (spec.overrides):
/// CLUSTER:PATH=VALUE sets the field at the JSON pointer PATH (op replace); VALUE is YAML, so 4 is a number,
/// '"4"' a string and '{a: b}' an object, and nothing after = is the empty string. CLUSTER:PATH- removes the
/// field (op remove). CLUSTER:OP:PATH[=VALUE] names the op: add, replace or remove (add with PATH ending in
/// /- appends to a list). Overrides are checked as reconcile applies them: a forbidden path
/// (/metadata/name, ...) or one that does not fit the object (its parent does not exist) is refused, exit 2,
/// before anything is written. These flags apply to every object federated: with --contents to each object
/// of the namespace, with -f to each manifest.
///
/// Run again, federate leaves a federated object that already exists unchanged when its template and
/// placement (and, with --override, its overrides) are what it would make, and warns when they differ.
/// --overwrite replaces them and keeps the rest of its spec, overrides included unless --override is given.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kubefedctl federate configmaps app-settings -n shop\n  kubefedctl federate deploy web -n shop --enable-type\n  kubefedctl federate deploy web -n shop --clusters m1,m2 --override m2:/spec/replicas=4\n  kubefedctl federate cm cfg -n shop --cluster-selector region=eu --override m1:/data/color-\n  kubefedctl federate namespaces shop --contents --skip-api-resources secrets,apps\n  kubefedctl federate services api -n shop -o yaml\n  kubectl get cm app-settings -n shop -o yaml | kubefedctl federate -f - --clusters m1"
)]
pub struct Args {
    /// The type of the object (plural, singular, kind, short name or plural.group)
    #[arg(value_name = "TYPE", add = crate::completion::served_types())]
    pub type_name: Option<String>,

    /// The name of the object
    #[arg(value_name = "NAME", add = crate::completion::object_names())]
    pub name: Option<String>,

    /// Namespace of the object (default: the context's namespace, else `default`; ignored for namespaces)
    #[arg(short = 'n', long, value_name = "NS", add = crate::completion::namespaces())]
    pub namespace: Option<String>,

    /// With TYPE namespaces: also federate every namespaced object inside the namespace
    #[arg(short = 'c', long)]
    pub contents: bool,

    /// Enable the type first (FederatedTypeConfig + CRD) when it is not enabled yet
    #[arg(short = 't', long)]
    pub enable_type: bool,

    /// With --contents: types (any name the type lookup accepts) or API groups not to federate
    #[arg(short = 's', long, value_delimiter = ',', value_name = "LIST")]
    pub skip_api_resources: Vec<String>,

    /// Print the federated objects instead of creating them
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<ObjectFormat>,

    /// Convert the objects of this multi-document YAML file (`-` for stdin) offline and print them
    #[arg(
        short = 'f',
        long = "filename",
        value_name = "FILE",
        value_hint = clap::ValueHint::FilePath,
        conflicts_with_all = ["namespace", "contents", "enable_type", "skip_api_resources", "overwrite"]
    )]
    pub filename: Option<String>,

    /// Place the objects in exactly these member clusters (spec.placement.clusters; '' for none)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "CLUSTER,...",
        conflicts_with = "cluster_selector",
        add = crate::completion::clusters()
    )]
    pub clusters: Option<Vec<String>>,

    /// Place the objects in the member clusters labelled with all of these
    /// (spec.placement.clusterSelector.matchLabels)
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "KEY=VALUE,...",
        add = crate::completion::cluster_labels()
    )]
    pub cluster_selector: Option<Vec<String>>,

    /// Override a field in one cluster (repeatable): CLUSTER:PATH=VALUE sets it (VALUE is YAML),
    /// CLUSTER:PATH- removes it, CLUSTER:add:PATH=VALUE adds it
    #[arg(
        long = "override",
        value_name = "CLUSTER:PATH=VALUE",
        add = crate::completion::override_clusters()
    )]
    pub overrides: Vec<String>,

    /// Replace the template and placement (and, with --override, the overrides) of federated objects that
    /// already exist and differ, keeping the rest of their spec; without it such objects are left as they
    /// are, with a warning
    #[arg(long)]
    pub overwrite: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,
}

/// What the command line asks for, once KubeFed's flag rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Offline { file: String },
    Online { type_name: String, name: String },
}

/// KubeFed's argument checks, with its messages.
pub fn check_args(args: &Args) -> Result<Mode, UserError> {
    let positional: Vec<&str> = [&args.type_name, &args.name]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if let Some(file) = &args.filename {
        if !positional.is_empty() {
            return Err(error::usage(format!(
                "Flag '--filename' does not take any args. Got args: [{}]",
                positional.join(" ")
            )));
        }
        return Ok(Mode::Offline { file: file.clone() });
    }
    let Some(type_name) = args.type_name.clone().filter(|t| !t.is_empty()) else {
        return Err(error::usage("TYPE-NAME is required")
            .with_hint("kubefedctl federate TYPE NAME, e.g. `kubefedctl federate configmaps app-settings -n shop`"));
    };
    let Some(name) = args.name.clone().filter(|n| !n.is_empty()) else {
        return Err(error::usage("RESOURCE-NAME is required")
            .with_hint(format!("kubefedctl federate {type_name} NAME")));
    };
    // A name no object can have is a typo, not a missing object: say so before asking the cluster.
    if let Some(why) = invalid_name(&name) {
        return Err(error::invalid_input(format!(
            "{name:?} is not a valid object name to federate: {why}"
        )));
    }
    if let Some(ns) = &args.namespace {
        let errs = crate::validation::is_dns1123_label(ns);
        if !errs.is_empty() {
            return Err(error::invalid_input(format!(
                "{ns:?} is not a valid namespace name: {}",
                errs.join("; ")
            )));
        }
    }
    if let (true, Some(format)) = (args.enable_type, args.output) {
        let format = match format {
            ObjectFormat::Yaml => "yaml",
            ObjectFormat::Json => "json",
        };
        return Err(error::usage(format!(
            "Flag '--enable-type' cannot be used with '--output [{format}]'"
        ))
        .with_hint("-o only prints: no type needs to be enabled for it"));
    }
    Ok(Mode::Online { type_name, name })
}

/// The warning for annotations a template cannot carry.
pub fn dropped_annotations_warning(kind: &str, qualified_name: &str, dropped: &[String]) -> String {
    format!(
        "annotations of {kind} {qualified_name:?} are not copied to the template of its federated object: {}",
        dropped.join(", ")
    )
}

/// Why an object cannot be federated under its name, if it cannot: federated objects take the source's
/// name, and a generated CRD's objects need DNS-1123 subdomain names.
pub fn invalid_name(name: &str) -> Option<String> {
    let errs = crate::validation::is_dns1123_subdomain(name);
    (!errs.is_empty()).then(|| errs.join("; "))
}

/// kubectl's `<kind>.<group>` for result lines (`federatedconfigmap.types.kubefed.io`).
pub fn resource_label(fed: &ApiResource) -> String {
    format!("{}.{}", fed.kind.to_lowercase(), fed.group)
}

/// The precondition error for types with no FederatedTypeConfig (KubeFed's message, plus the hint).
pub fn not_enabled(ns: &str, ftc_names: &[String]) -> UserError {
    let not_found: Vec<String> = ftc_names
        .iter()
        .map(|n| format!("federatedtypeconfigs.core.kubefed.io {n:?} not found"))
        .collect();
    let enable: Vec<String> = ftc_names
        .iter()
        .map(|n| format!("kubefedctl enable {n}"))
        .collect();
    error::precondition(
        format!(
            "{} in namespace {ns:?}. Consider using '--enable-type' to optionally enable type while federating the resource",
            not_found.join(", ")
        ),
        format!(
            "run again with --enable-type, or enable the type first: {}",
            enable.join("; ")
        ),
    )
}

/// The placement and overrides the flags ask for, checked before any request.
pub fn customization(args: &Args) -> Result<Customization, UserError> {
    Customization::from_flags(
        args.clusters.as_deref(),
        args.cluster_selector.as_deref(),
        &args.overrides,
    )
}

pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<Outcome> {
    let mode = check_args(args)?;
    let custom = customization(args)?;
    match mode {
        Mode::Offline { file } => run_offline(
            ctx,
            &file,
            args.output.unwrap_or(ObjectFormat::Yaml),
            &custom,
        ),
        Mode::Online { type_name, name } => run_online(ctx, args, &custom, &type_name, &name).await,
    }
}

/// Reads manifests from a file or stdin and prints their federated objects; touches no cluster.
fn run_offline(
    ctx: &Context,
    file: &str,
    format: ObjectFormat,
    custom: &Customization,
) -> anyhow::Result<Outcome> {
    let (text, source) = if file == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| error::invalid_input(format!("cannot read stdin: {e}")))?;
        (text, "stdin".to_string())
    } else {
        let text = std::fs::read_to_string(file)
            .map_err(|e| error::invalid_input(format!("cannot read {file}: {e}")))?;
        (text, file.to_string())
    };
    let Conversion {
        mut federated,
        skipped,
    } = convert_manifests(&text, &source)?;
    if federated.is_empty() && skipped.is_empty() {
        // As kubectl apply says of empty input: an empty pipe is almost always a mistake upstream.
        return Err(error::invalid_input(format!(
            "nothing to convert: {source} holds no object (no YAML document, or only empty ones)"
        ))
        .into());
    }
    for f in &mut federated {
        custom.apply(&mut f.object, &f.target)?;
    }
    for w in skipped_warnings(&skipped) {
        ctx.printer.warn(&w);
    }
    for f in &federated {
        let kind = f.object["kind"].as_str().unwrap_or_default();
        let kind = kind.strip_prefix("Federated").unwrap_or(kind);
        warn_dropped(ctx, kind, &f.object, &f.dropped_annotations);
    }
    let objects: Vec<&Value> = federated.iter().map(|f| &f.object).collect();
    ctx.printer.print_objects(&objects, format)?;
    Ok(Outcome::Success)
}

/// Parses a YAML stream and converts every object in it; errors name the source, document and line.
pub fn convert_manifests(text: &str, source: &str) -> anyhow::Result<Conversion> {
    let docs = crate::yaml::parse_documents(text).with_context(|| format!("reading {source}"))?;
    federate_all(&docs).map_err(|e| error::invalid_input(format!("{source}: {e}")).into())
}

fn warn_dropped(ctx: &Context, kind: &str, federated: &Value, dropped: &[String]) {
    if !dropped.is_empty() {
        ctx.printer.warn(&dropped_annotations_warning(
            kind,
            &qualified(federated),
            dropped,
        ));
    }
}

/// How each target type is federated: its FTC's federated type, or the default one (printed with -o, or
/// enabled first with --enable-type).
#[derive(Debug, Clone)]
struct TypePlan {
    federated: ApiResource,
    enable: bool,
}

async fn run_online(
    ctx: &Context,
    args: &Args,
    custom: &Customization,
    type_name: &str,
    name: &str,
) -> anyhow::Result<Outcome> {
    let dry_run = args.dry_run.dry_run;
    let kubefed_ns = ctx.kubefed_namespace();
    let client = ctx.host_client().await?;
    let (target, discovery) = super::resolve_type(&client, &ctx.printer, type_name, None).await?;
    if args.contents && !target.is_namespace() {
        return Err(
            error::usage("Flag '--contents' can only be used with type 'namespaces'.").into(),
        );
    }
    let namespace = match &args.namespace {
        Some(ns) => ns.clone(),
        None => ctx
            .kubeconfig()?
            .namespace_of(ctx.global.host_cluster_context.as_deref())?,
    };

    let source = get_source(&client, &target, &namespace, name).await?;
    let mut sources: Vec<(TargetType, Value)> = vec![(target.clone(), source)];
    if args.contents {
        let mut skipped = Vec::new();
        for t in discovery.contents_types(&args.skip_api_resources) {
            for obj in list_in_namespace(&client, &t, name).await? {
                let obj_name = obj["metadata"]["name"].as_str().unwrap_or_default();
                if let Some(why) = invalid_name(obj_name) {
                    ctx.printer.warn(&format!(
                        "skipped {} {:?}: its name is not valid for a federated object: {why}",
                        t.kind,
                        qualified(&obj)
                    ));
                    continue;
                }
                if let Some(why) = made_by_the_cluster(&t, &obj) {
                    skipped.push(Skipped {
                        kind: t.kind.clone(),
                        name: qualified(&obj),
                        why,
                    });
                    continue;
                }
                sources.push((t.clone(), obj));
            }
        }
        for w in skipped_warnings(&skipped) {
            ctx.printer.warn(&w);
        }
    }

    let plans = plan_types(&client, &discovery, kubefed_ns, args, &sources).await?;
    let mut converted: Vec<(TargetType, Federated)> = Vec::new();
    for (t, obj) in &sources {
        let plan = &plans[&t.group_qualified_name()];
        let mut f = federate_object(obj, t, &plan.federated.group, &plan.federated.version);
        custom.apply(&mut f.object, t)?;
        warn_dropped(ctx, &t.kind, &f.object, &f.dropped_annotations);
        converted.push((t.clone(), f));
    }

    if let Some(format) = args.output {
        let objects: Vec<&Value> = converted.iter().map(|(_, f)| &f.object).collect();
        ctx.printer.print_objects(&objects, format)?;
        return Ok(Outcome::Success);
    }

    let mut enabled: Vec<String> = Vec::new();
    for (t, _) in &converted {
        let key = t.group_qualified_name();
        if plans[&key].enable && !enabled.contains(&key) {
            let schema = enable::target_schema(&client, t).await?;
            let ftc = federated_type_config(t, TYPES_GROUP, TYPES_VERSION, kubefed_ns);
            let crd = federated_crd(t, schema.as_ref(), TYPES_GROUP, TYPES_VERSION);
            enable::apply_type(
                &client,
                &ctx.printer,
                &discovery,
                kubefed_ns,
                &ftc,
                &crd,
                dry_run,
            )
            .await?;
            enabled.push(key);
        }
    }

    let mut failures: Vec<anyhow::Error> = Vec::new();
    for (t, f) in &converted {
        let plan = &plans[&t.group_qualified_name()];
        let compared = Compared {
            overrides: custom.sets_overrides(),
        };
        match create(
            &client,
            &plan.federated,
            &f.object,
            compared,
            args.overwrite,
            dry_run,
        )
        .await
        {
            Ok(done) => {
                let reference = format!(
                    "{}/{}",
                    resource_label(&plan.federated),
                    f.object["metadata"]["name"].as_str().unwrap_or_default()
                );
                let change = match &done {
                    Federation::Created => Some(Change::Created),
                    Federation::Unchanged => Some(Change::Unchanged),
                    Federation::Replaced { .. } => Some(Change::Configured),
                    Federation::Differs { .. } => None,
                };
                if let Some(change) = change {
                    let mut line = change_line(&reference, change, false);
                    if let Federation::Replaced { kept } = &done {
                        if !kept.is_empty() {
                            line.push_str(&format!(" ({} kept)", kept.join(", ")));
                        }
                    }
                    if dry_run && change != Change::Unchanged {
                        line.push_str(" (dry run)");
                    }
                    ctx.printer.write_stdout(&format!("{line}\n"))?;
                }
                if let Federation::Differs { what } = &done {
                    ctx.printer.warn(&format!(
                        "{} {:?} already exists with a different {}: left as it is; --overwrite replaces \
                         its {} and keeps {}",
                        plan.federated.kind,
                        qualified(&f.object),
                        what.join(" and "),
                        compared.parts().join(" and "),
                        if compared.overrides {
                            "the rest of its spec"
                        } else {
                            "its overrides"
                        }
                    ));
                }
            }
            Err(e) if converted.len() == 1 => return Err(e),
            Err(e) => {
                ctx.printer.error(&error::render(&e));
                failures.push(e);
            }
        }
    }
    match failures.len() {
        0 => Ok(Outcome::Success),
        n if n == converted.len() => {
            Err(error::failure(format!("none of the {n} objects could be federated")).into())
        }
        n => Err(error::partial(format!(
            "{n} of {} objects could not be federated; the others were",
            converted.len()
        ))
        .into()),
    }
}

async fn get_source(
    client: &kube::Client,
    target: &TargetType,
    namespace: &str,
    name: &str,
) -> anyhow::Result<Value> {
    let resource = target.api_resource().to_kube();
    let api: Api<DynamicObject> = if target.namespaced {
        Api::namespaced_with(client.clone(), namespace, &resource)
    } else {
        Api::all_with(client.clone(), &resource)
    };
    let where_ = if target.namespaced {
        format!("{} \"{namespace}/{name}\"", target.kind)
    } else {
        format!("{} {name:?}", target.kind)
    };
    let obj = api
        .get_opt(name)
        .await
        .with_context(|| format!("cannot read {where_} from the host cluster"))?
        .ok_or_else(|| {
            error::precondition(
                format!("{where_} not found in the host cluster"),
                if target.namespaced {
                    format!("check the name and the namespace (-n); `kubectl get {} -n {namespace}` lists them", target.group_qualified_name())
                } else {
                    format!("check the name; `kubectl get {}` lists them", target.group_qualified_name())
                },
            )
        })?;
    let mut value = serde_json::to_value(obj)?;
    value["apiVersion"] = Value::String(target.api_version());
    value["kind"] = Value::String(target.kind.clone());
    Ok(value)
}

async fn list_in_namespace(
    client: &kube::Client,
    t: &TargetType,
    namespace: &str,
) -> anyhow::Result<Vec<Value>> {
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), namespace, &t.api_resource().to_kube());
    let list = api.list(&Default::default()).await.with_context(|| {
        format!(
            "cannot list {} in namespace {namespace:?}",
            t.group_qualified_name()
        )
    })?;
    list.items
        .into_iter()
        .map(|o| {
            let mut v = serde_json::to_value(o)?;
            v["apiVersion"] = Value::String(t.api_version());
            v["kind"] = Value::String(t.kind.clone());
            Ok(v)
        })
        .collect()
}

/// Finds each type's FederatedTypeConfig. Types without one are federated with the default federated type
/// when printing (-o) or enabling (--enable-type); otherwise they are all reported before anything is written.
async fn plan_types(
    client: &kube::Client,
    discovery: &ApiDiscovery,
    kubefed_ns: &str,
    args: &Args,
    sources: &[(TargetType, Value)],
) -> anyhow::Result<BTreeMap<String, TypePlan>> {
    let ftc_api_served = discovery.serves(CORE_GROUP, FederatedTypeConfig::PLURAL);
    if !ftc_api_served && args.output.is_none() && !args.enable_type {
        return Err(missing_control_plane().into());
    }
    let ftcs: Api<FederatedTypeConfig> = Api::namespaced(client.clone(), kubefed_ns);
    let mut plans = BTreeMap::new();
    let mut missing = Vec::new();
    for (t, _) in sources {
        let key = t.group_qualified_name();
        if plans.contains_key(&key) {
            continue;
        }
        let existing = if ftc_api_served {
            ftcs.get_opt(&key).await.with_context(|| {
                format!("cannot read FederatedTypeConfig \"{kubefed_ns}/{key}\"")
            })?
        } else {
            None
        };
        let plan = match existing {
            Some(ftc) => TypePlan {
                federated: ftc.spec.federated_type,
                enable: false,
            },
            None => {
                if args.output.is_none() && !args.enable_type {
                    missing.push(key.clone());
                }
                TypePlan {
                    federated: t.federated_api_resource(TYPES_GROUP, TYPES_VERSION),
                    enable: args.output.is_none(),
                }
            }
        };
        plans.insert(key, plan);
    }
    if !missing.is_empty() {
        return Err(not_enabled(kubefed_ns, &missing).into());
    }
    Ok(plans)
}

/// What `federate` did with one federated object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Federation {
    Created,
    /// It existed with the same template and placement.
    Unchanged,
    /// It existed with another template or placement (`what`), and was left as it is.
    Differs {
        what: Vec<&'static str>,
    },
    /// `--overwrite`: template and placement replaced; `kept` names what else its spec had.
    Replaced {
        kept: Vec<String>,
    },
}

/// Which parts of `spec` a re-run compares with an existing federated object and `--overwrite` replaces:
/// always the template and placement, and the overrides when `--override` gave some.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compared {
    pub overrides: bool,
}

impl Compared {
    pub fn parts(self) -> Vec<&'static str> {
        let mut parts = vec!["template", "placement"];
        if self.overrides {
            parts.push("overrides");
        }
        parts
    }
}

/// The compared parts of `spec` that differ between an existing federated object and `new`.
pub fn generated_differences(
    existing: &Value,
    new: &Value,
    compared: Compared,
) -> Vec<&'static str> {
    compared
        .parts()
        .into_iter()
        .filter(|k| existing["spec"][k] != new["spec"][k])
        .collect()
}

/// `existing` with the compared parts of `new`; also what else its spec holds (overrides…), which is kept.
pub fn overwritten(existing: &Value, new: &Value, compared: Compared) -> (Value, Vec<String>) {
    let parts = compared.parts();
    let mut out = existing.clone();
    let kept: Vec<String> = existing["spec"]
        .as_object()
        .map(|m| {
            m.keys()
                .filter(|k| !parts.contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for k in parts {
        match new["spec"].get(k) {
            Some(v) => out["spec"][k] = v.clone(),
            None => {
                if let Some(spec) = out["spec"].as_object_mut() {
                    spec.remove(k);
                }
            }
        }
    }
    (out, kept)
}

/// Creates a federated object, or compares it with the one that exists: equal is `Unchanged`, different is
/// left alone unless `overwrite` (then its template and placement are replaced, with the
/// resourceVersion read, so a concurrent edit is not lost). NotFound is retried for a while in case the
/// CRD was just created.
async fn create(
    client: &kube::Client,
    federated: &ApiResource,
    obj: &Value,
    compared: Compared,
    overwrite: bool,
    dry_run: bool,
) -> anyhow::Result<Federation> {
    let resource = federated.to_kube();
    let api: Api<DynamicObject> = match obj["metadata"]["namespace"].as_str() {
        Some(ns) if federated.is_namespaced() => {
            Api::namespaced_with(client.clone(), ns, &resource)
        }
        _ => Api::all_with(client.clone(), &resource),
    };
    let describe = format!("{} {:?}", federated.kind, qualified(obj));
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let deadline = tokio::time::Instant::now() + CREATE_RETRY;
    loop {
        let existing = match crate::controlplane::resources::get_opt(&api, name).await {
            Ok(found) => found,
            // The type may not be served yet (just enabled; or, in a dry run, not enabled at all).
            Err(kube::Error::Api(s)) if s.code == 404 => None,
            Err(e) => return Err(anyhow::Error::new(e).context(format!("cannot read {describe}"))),
        };
        if let Some(existing) = existing {
            let existing = serde_json::to_value(existing)?;
            let what = generated_differences(&existing, obj, compared);
            if what.is_empty() {
                return Ok(Federation::Unchanged);
            }
            if !overwrite {
                return Ok(Federation::Differs { what });
            }
            let (replaced, kept) = overwritten(&existing, obj, compared);
            if !dry_run {
                let body: DynamicObject = serde_json::from_value(replaced)?;
                match api.replace(name, &PostParams::default(), &body).await {
                    Ok(_) => {}
                    // Changed since it was read: compare again.
                    Err(kube::Error::Api(s)) if s.code == 409 => continue,
                    Err(e) => {
                        return Err(
                            anyhow::Error::new(e).context(format!("cannot replace {describe}"))
                        )
                    }
                }
            }
            return Ok(Federation::Replaced { kept });
        }
        if dry_run {
            return Ok(Federation::Created);
        }
        let body: DynamicObject = serde_json::from_value(obj.clone())?;
        match api.create(&PostParams::default(), &body).await {
            Ok(_) => return Ok(Federation::Created),
            // Created meanwhile: compare with it.
            Err(kube::Error::Api(s)) if s.code == 409 && s.reason == "AlreadyExists" => continue,
            Err(kube::Error::Api(s)) if s.code == 404 && tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!("cannot create {describe}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use serde_json::json;

    fn args(positional: &[&str]) -> Args {
        Args {
            type_name: positional.first().map(|s| s.to_string()),
            name: positional.get(1).map(|s| s.to_string()),
            namespace: None,
            contents: false,
            enable_type: false,
            skip_api_resources: vec![],
            output: None,
            filename: None,
            clusters: None,
            cluster_selector: None,
            overrides: vec![],
            overwrite: false,
            dry_run: DryRunArgs::default(),
        }
    }

    #[test]
    fn invalid_names_and_namespaces_are_invalid_input_before_any_request() {
        let e = check_args(&args(&["configmaps", "Bad_Name!"])).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(
            e.message
                .starts_with("\"Bad_Name!\" is not a valid object name"),
            "{}",
            e.message
        );
        let mut a = args(&["configmaps", "ok"]);
        a.namespace = Some("Bad NS".into());
        let e = check_args(&a).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(
            e.message
                .starts_with("\"Bad NS\" is not a valid namespace name"),
            "{}",
            e.message
        );
    }

    #[test]
    fn only_template_and_placement_are_compared_and_overwritten() {
        let existing = json!({"metadata": {"name": "a", "resourceVersion": "7"},
            "spec": {"template": {"data": {"k": "old"}}, "placement": {"clusterSelector": {}},
                "overrides": [{"clusterName": "m1", "clusterOverrides": []}]}});
        let same = json!({"spec": {"template": {"data": {"k": "old"}}, "placement": {"clusterSelector": {}}}});
        let plain = Compared::default();
        assert!(
            generated_differences(&existing, &same, plain).is_empty(),
            "overrides are not compared"
        );
        let new = json!({"spec": {"template": {"data": {"k": "new"}}, "placement": {"clusterSelector": {}}}});
        assert_eq!(generated_differences(&existing, &new, plain), ["template"]);
        let (replaced, kept) = overwritten(&existing, &new, plain);
        assert_eq!(kept, ["overrides"]);
        assert_eq!(replaced["spec"]["template"]["data"]["k"], "new");
        assert_eq!(replaced["spec"]["overrides"], existing["spec"]["overrides"]);
        assert_eq!(
            replaced["metadata"]["resourceVersion"], "7",
            "a compare-and-swap"
        );
    }

    #[test]
    fn with_override_flags_overrides_are_compared_and_replaced_too() {
        let existing = json!({"spec": {"template": {}, "placement": {"clusters": []},
            "overrides": [{"clusterName": "m1", "clusterOverrides": []}], "retainReplicas": true}});
        let with = Compared { overrides: true };
        let same = existing.clone();
        assert!(generated_differences(&existing, &same, with).is_empty());
        let new = json!({"spec": {"template": {}, "placement": {"clusters": []},
            "overrides": [{"clusterName": "m2", "clusterOverrides": []}]}});
        assert_eq!(generated_differences(&existing, &new, with), ["overrides"]);
        let (replaced, kept) = overwritten(&existing, &new, with);
        assert_eq!(kept, ["retainReplicas"]);
        assert_eq!(replaced["spec"]["overrides"], new["spec"]["overrides"]);
        assert_eq!(replaced["spec"]["retainReplicas"], true);
    }

    #[test]
    fn placement_and_override_flags_are_checked_before_any_request() {
        let mut a = args(&["deploy", "web"]);
        a.overrides = vec!["m1:/metadata/namespace=x".into()];
        let e = customization(&a).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(
            e.message
                .starts_with("invalid --override \"m1:/metadata/namespace=x\": Forbidden"),
            "{}",
            e.message
        );
        a.overrides = vec!["m1:/spec/replicas=2".into()];
        a.clusters = Some(vec!["m1".into()]);
        let c = customization(&a).unwrap();
        assert!(c.sets_overrides());
        assert_eq!(c.placement, Some(json!({"clusters": [{"name": "m1"}]})));
    }

    #[test]
    fn clusters_and_cluster_selector_conflict() {
        use clap::Parser;
        #[derive(Debug, Parser)]
        struct Probe {
            #[command(flatten)]
            args: Args,
        }
        let err = Probe::try_parse_from([
            "p",
            "cm",
            "x",
            "--clusters",
            "a",
            "--cluster-selector",
            "r=eu",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        let p = Probe::try_parse_from([
            "p",
            "cm",
            "x",
            "--clusters",
            "",
            "--override",
            "a:/x=1",
            "--override",
            "b:/y-",
        ])
        .unwrap();
        assert_eq!(p.args.clusters, Some(vec![String::new()]));
        assert_eq!(p.args.overrides, ["a:/x=1", "b:/y-"]);
    }

    #[test]
    fn filename_takes_no_positional_args() {
        let mut a = args(&["configmaps", "x"]);
        a.filename = Some("in.yaml".into());
        let err = check_args(&a).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Usage);
        assert_eq!(
            err.message,
            "Flag '--filename' does not take any args. Got args: [configmaps x]"
        );
        let mut a = args(&[]);
        a.filename = Some("-".into());
        assert_eq!(check_args(&a).unwrap(), Mode::Offline { file: "-".into() });
    }

    #[test]
    fn type_and_name_are_required() {
        assert_eq!(
            check_args(&args(&[])).unwrap_err().message,
            "TYPE-NAME is required"
        );
        assert_eq!(
            check_args(&args(&["cm"])).unwrap_err().message,
            "RESOURCE-NAME is required"
        );
        assert_eq!(
            check_args(&args(&["cm", "x"])).unwrap(),
            Mode::Online {
                type_name: "cm".into(),
                name: "x".into()
            }
        );
    }

    #[test]
    fn enable_type_cannot_be_combined_with_output() {
        let mut a = args(&["cm", "x"]);
        a.enable_type = true;
        a.output = Some(ObjectFormat::Yaml);
        assert_eq!(
            check_args(&a).unwrap_err().message,
            "Flag '--enable-type' cannot be used with '--output [yaml]'"
        );
        a.output = None;
        assert!(check_args(&a).is_ok());
    }

    #[test]
    fn not_enabled_error_has_kubefed_text_and_enable_hint() {
        let err = not_enabled("kube-federation-system", &["configmaps".into()]);
        assert_eq!(err.kind, ErrorKind::Precondition);
        assert_eq!(
            err.message,
            "federatedtypeconfigs.core.kubefed.io \"configmaps\" not found in namespace \"kube-federation-system\". Consider using '--enable-type' to optionally enable type while federating the resource"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("run again with --enable-type, or enable the type first: kubefedctl enable configmaps")
        );
    }

    #[test]
    fn invalid_names_are_explained() {
        assert!(invalid_name("app-settings").is_none());
        assert!(invalid_name("system:reader")
            .unwrap()
            .contains("RFC 1123 subdomain"));
    }

    #[test]
    fn qualified_names_omit_empty_namespaces() {
        assert_eq!(
            qualified(&json!({"metadata": {"name": "a", "namespace": "n"}})),
            "n/a"
        );
        assert_eq!(qualified(&json!({"metadata": {"name": "a"}})), "a");
    }

    #[test]
    fn result_label_is_lowercase_kind_and_group() {
        let t = TargetType::new("", "v1", "ConfigMap", "configmaps", true);
        assert_eq!(
            resource_label(&t.federated_api_resource(TYPES_GROUP, TYPES_VERSION)),
            "federatedconfigmap.types.kubefed.io"
        );
    }

    #[test]
    fn malformed_manifests_name_document_and_line() {
        let err = convert_manifests("kind: ConfigMap\n---\ndata: [1,\n", "in.yaml").unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        let text = format!("{err:#}");
        assert!(
            text.starts_with("reading in.yaml: invalid YAML in document 2 at line"),
            "{text}"
        );
    }

    #[test]
    fn unconvertible_manifests_are_invalid_input_naming_the_source() {
        let err =
            convert_manifests("apiVersion: v1\nmetadata: {name: x}\n", "in.yaml").unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert_eq!(
            err.to_string(),
            "in.yaml: document 1: missing required field \"kind\""
        );
    }

    #[test]
    fn dropped_annotations_are_listed() {
        assert_eq!(
            dropped_annotations_warning("ConfigMap", "shop/cfg", &["a".into(), "b".into()]),
            "annotations of ConfigMap \"shop/cfg\" are not copied to the template of its federated object: a, b"
        );
    }
}
