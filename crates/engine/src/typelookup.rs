//! Type names as users type them (`deploy`, `Deployment`, `deployments.apps`, …) resolved against the host
//! cluster's discovery with KubeFed's target lookup rules, and the type list `federate --contents` walks.
//!
//! kube's `Discovery` drops the singular and short names KubeFed's lookup matches on, so the resource lists
//! are read with the client's discovery calls and kept whole.

use std::collections::BTreeMap;

use anyhow::Context as _;
use futures::future::join_all;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;

use crate::error::{self, UserError};
use crate::kubefed::typeconfig::{is_federated_type, lookup_target, LookupError, TargetType};

/// Resources `federate --contents` never federates, whatever the user asks (KubeFed's list): they are
/// written by the system in each cluster, or are KubeFed's own bookkeeping.
pub const CONTENTS_ALWAYS_SKIPPED: &[&str] = &[
    "endpoints",
    "events",
    "events.events.k8s.io",
    "propagatedversions.core.kubefed.io",
];

/// The group `federate --contents` skips: everything it serves is served by a newer group too.
pub const CONTENTS_SKIPPED_GROUP: &str = "extensions";

/// One resource served by the host in one group/version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedType {
    pub target: TargetType,
    pub verbs: Vec<String>,
    /// Served in its group's preferred version (or only in other versions, the first that serves it).
    pub preferred: bool,
}

impl ServedType {
    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }
}

/// What discovery of the host found: every served resource in discovery order (core group first, then
/// `/apis` order; versions preferred first), and the group/versions that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiscovery {
    pub types: Vec<ServedType>,
    /// `group/version: error` for each resource list that failed to load.
    pub failures: Vec<String>,
}

/// One group as `/api` or `/apis` lists it: name and versions, preferred first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupVersions {
    pub group: String,
    pub versions: Vec<String>,
}

impl ApiDiscovery {
    /// Reads the host's discovery: `/api`, `/apis`, then every group/version's resource list. A group/version
    /// that fails is recorded in `failures`; only failing to list the groups at all is an error.
    pub async fn of(client: &kube::Client) -> anyhow::Result<Self> {
        let core = client
            .list_core_api_versions()
            .await
            .context("cannot read the host's API discovery (/api)")?;
        let groups = client
            .list_api_groups()
            .await
            .context("cannot read the host's API discovery (/apis)")?;
        let mut all = vec![GroupVersions {
            group: String::new(),
            versions: core.versions.clone(),
        }];
        for g in groups.groups {
            let mut versions: Vec<String> = Vec::new();
            if let Some(p) = &g.preferred_version {
                versions.push(p.version.clone());
            }
            for v in g.versions {
                if !versions.contains(&v.version) {
                    versions.push(v.version);
                }
            }
            all.push(GroupVersions {
                group: g.name,
                versions,
            });
        }
        let fetches = all.iter().flat_map(|g| {
            g.versions.iter().map(move |v| {
                let group = g.group.clone();
                let version = v.clone();
                async move {
                    let list = if group.is_empty() {
                        client.list_core_api_resources(&version).await
                    } else {
                        client
                            .list_api_group_resources(&format!("{group}/{version}"))
                            .await
                    };
                    ((group, version), list)
                }
            })
        });
        let mut lists = BTreeMap::new();
        let mut failures = Vec::new();
        for ((group, version), result) in join_all(fetches).await {
            match result {
                Ok(list) => {
                    lists.insert((group, version), list);
                }
                Err(e) => failures.push(format!("{}: {e}", api_version(&group, &version))),
            }
        }
        let mut discovery = Self::from_lists(&all, &lists);
        discovery.failures = failures;
        Ok(discovery)
    }

    /// Builds the served types from group listings and the resource lists that loaded (pure).
    pub fn from_lists(
        groups: &[GroupVersions],
        lists: &BTreeMap<(String, String), APIResourceList>,
    ) -> Self {
        let mut types = Vec::new();
        for g in groups {
            let mut seen: Vec<String> = Vec::new();
            for version in &g.versions {
                let Some(list) = lists.get(&(g.group.clone(), version.clone())) else {
                    continue;
                };
                for r in list.resources.iter().filter(|r| !r.name.contains('/')) {
                    // client-go's "server preferred resources": the first version of the group (preferred
                    // first) that serves a resource is the one a bare name resolves to.
                    let preferred = !seen.contains(&r.name);
                    if preferred {
                        seen.push(r.name.clone());
                    }
                    types.push(ServedType {
                        target: TargetType {
                            group: g.group.clone(),
                            version: version.clone(),
                            kind: r.kind.clone(),
                            plural: r.name.clone(),
                            singular: if r.singular_name.is_empty() {
                                r.kind.to_lowercase()
                            } else {
                                r.singular_name.clone()
                            },
                            namespaced: r.namespaced,
                            short_names: r.short_names.clone().unwrap_or_default(),
                        },
                        verbs: r.verbs.clone(),
                        preferred,
                    });
                }
            }
        }
        ApiDiscovery {
            types,
            failures: Vec::new(),
        }
    }

    /// The server-preferred resources, in discovery order: what a bare type name can resolve to.
    pub fn preferred(&self) -> Vec<TargetType> {
        self.types
            .iter()
            .filter(|t| t.preferred)
            .map(|t| t.target.clone())
            .collect()
    }

    /// Resolves a type name with KubeFed's rules (any case; plural, singular, kind, short name or
    /// `plural.group`; core group first; `version` restricts to one version). Unknown and ambiguous names
    /// are invalid input (exit 2) with KubeFed's messages; when some group/versions could not be read, an
    /// unknown name is a failure (exit 1) naming them, since the type may be among them.
    pub fn lookup(&self, name: &str, version: Option<&str>) -> Result<TargetType, UserError> {
        let found = match version {
            // A version other than the preferred one can only be found among all served versions.
            Some(v) => {
                let in_version: Vec<TargetType> = self
                    .types
                    .iter()
                    .filter(|t| t.target.version == v)
                    .map(|t| t.target.clone())
                    .collect();
                lookup_target(&in_version, name, Some(v))
            }
            None => lookup_target(&self.preferred(), name, None),
        };
        found.map_err(|e| match e {
            LookupError::NotFound(_) if !self.failures.is_empty() => error::failure(format!(
                "{e} Discovery of some API groups failed: {}",
                self.failures.join("; ")
            )),
            LookupError::NotFound(_) => {
                let hint = match self.similar_names(name).as_slice() {
                    [] => {
                        "name the type by its plural, singular, kind, short name or plural.group; \
                           `kubectl api-resources` lists what the host serves"
                            .to_string()
                    }
                    names => format!(
                        "did you mean {}? (`kubectl api-resources` lists what the host serves)",
                        names.join(" or ")
                    ),
                };
                error::invalid_input(e.to_string()).with_hint(hint)
            }
            LookupError::Ambiguous { ref matches, .. } => error::invalid_input(e.to_string())
                .with_hint(format!("use one of: {}", matches.join(", "))),
        })
    }

    /// The types a mistyped `name` most likely meant, as `plural[.group]` (the name that always resolves):
    /// those with a plural, singular, kind, short name or `plural.group` closest to `name` by edit distance
    /// (a swap of two neighbouring letters counts as one edit), within a distance that grows with the
    /// name's length. Ties are all returned, at most three, in discovery order.
    pub fn similar_names(&self, name: &str) -> Vec<String> {
        let typed = name.trim().to_lowercase();
        let budget = (typed.chars().count() / 4).clamp(1, 3);
        let mut best: Option<usize> = None;
        let mut found: Vec<String> = Vec::new();
        for t in self.preferred() {
            let mut aliases = vec![t.plural.clone(), t.singular.clone(), t.kind.to_lowercase()];
            aliases.extend(t.short_names.iter().map(|s| s.to_lowercase()));
            if !t.group.is_empty() {
                aliases.push(format!("{}.{}", t.plural, t.group));
            }
            let Some(d) = aliases.iter().map(|a| edit_distance(&typed, a)).min() else {
                continue;
            };
            if d == 0 || d > budget || best.is_some_and(|b| d > b) {
                continue;
            }
            if best.is_none_or(|b| d < b) {
                best = Some(d);
                found.clear();
            }
            let suggestion = t.group_qualified_name();
            if !found.contains(&suggestion) {
                found.push(suggestion);
            }
        }
        found.truncate(3);
        found
    }

    /// Whether `group`/`plural` is served at all (any version).
    pub fn serves(&self, group: &str, plural: &str) -> bool {
        self.types
            .iter()
            .any(|t| t.target.group == group && t.target.plural == plural)
    }

    /// The namespaced types `federate namespaces NAME --contents` federates: every listable namespaced
    /// type in its newest version, minus KubeFed's skips (group `extensions`, generated federated types,
    /// [`CONTENTS_ALWAYS_SKIPPED`]) and the user's `skips` (type names matched like the target lookup, or
    /// a bare group name). In discovery order.
    pub fn contents_types(&self, skips: &[String]) -> Vec<TargetType> {
        let mut newest: Vec<TargetType> = Vec::new();
        for served in self
            .types
            .iter()
            .filter(|t| t.target.namespaced && t.has_verb("list") && t.has_verb("get"))
        {
            let t = &served.target;
            if let Some(existing) = newest
                .iter_mut()
                .find(|e| e.group == t.group && e.plural == t.plural)
            {
                if version_priority(&t.version) > version_priority(&existing.version) {
                    *existing = t.clone();
                }
                continue;
            }
            newest.push(t.clone());
        }
        newest
            .into_iter()
            .filter(|t| !is_skipped_for_contents(t, skips))
            .collect()
    }
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: the distance between the first i characters of a and the first j of b.
    let mut d: Vec<Vec<usize>> = (0..=a.len())
        .map(|i| (0..=b.len()).map(|j| if i == 0 { j } else { i }).collect())
        .collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

fn version_priority(version: &str) -> impl Ord {
    kube::core::Version::parse(version).priority()
}

/// KubeFed's `--contents` skip rules for one type.
pub fn is_skipped_for_contents(t: &TargetType, skips: &[String]) -> bool {
    t.group == CONTENTS_SKIPPED_GROUP
        || is_federated_type(&t.kind, &t.group)
        || CONTENTS_ALWAYS_SKIPPED.contains(&t.group_qualified_name().as_str())
        || skips.iter().any(|s| {
            let s = s.trim();
            !s.is_empty() && (t.matches_name(s) || (!t.group.is_empty() && s == t.group))
        })
}

fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use serde_json::json;

    fn list(group_version: &str, resources: serde_json::Value) -> APIResourceList {
        serde_json::from_value(json!({"groupVersion": group_version, "resources": resources}))
            .unwrap()
    }

    fn res(name: &str, kind: &str, namespaced: bool, shorts: &[&str]) -> serde_json::Value {
        let singular = kind.to_lowercase();
        json!({"name": name, "singularName": singular, "kind": kind, "namespaced": namespaced,
               "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
               "shortNames": shorts})
    }

    /// A host like a small real cluster: core, apps (v1), extensions (v1beta1), a CRD group served in two
    /// versions (v1beta1 preferred), and two CRD groups that both serve `widgets`.
    fn discovery() -> ApiDiscovery {
        let groups = vec![
            GroupVersions {
                group: "".into(),
                versions: vec!["v1".into()],
            },
            GroupVersions {
                group: "apps".into(),
                versions: vec!["v1".into()],
            },
            GroupVersions {
                group: "extensions".into(),
                versions: vec!["v1beta1".into()],
            },
            GroupVersions {
                group: "events.k8s.io".into(),
                versions: vec!["v1".into()],
            },
            GroupVersions {
                group: "example.com".into(),
                versions: vec!["v1beta1".into(), "v1".into(), "v1alpha1".into()],
            },
            GroupVersions {
                group: "a.example.org".into(),
                versions: vec!["v1".into()],
            },
            GroupVersions {
                group: "b.example.org".into(),
                versions: vec!["v1".into()],
            },
            GroupVersions {
                group: "types.kubefed.io".into(),
                versions: vec!["v1beta1".into()],
            },
        ];
        let mut lists = BTreeMap::new();
        let mut add = |g: &str, v: &str, l: APIResourceList| {
            lists.insert((g.to_string(), v.to_string()), l);
        };
        let mut binding = res("bindings", "Binding", true, &[]);
        binding["verbs"] = json!(["create"]);
        add(
            "",
            "v1",
            list(
                "v1",
                json!([
                    binding,
                    res("configmaps", "ConfigMap", true, &["cm"]),
                    res("endpoints", "Endpoints", true, &["ep"]),
                    res("events", "Event", true, &["ev"]),
                    res("namespaces", "Namespace", false, &["ns"]),
                    res("namespaces/status", "Namespace", false, &[]),
                    res("services", "Service", true, &["svc"]),
                ]),
            ),
        );
        add(
            "apps",
            "v1",
            list(
                "apps/v1",
                json!([
                    res("deployments", "Deployment", true, &["deploy"]),
                    res("deployments/scale", "Scale", true, &[]),
                ]),
            ),
        );
        add(
            "extensions",
            "v1beta1",
            list(
                "extensions/v1beta1",
                json!([res("ingresses", "Ingress", true, &["ing"])]),
            ),
        );
        add(
            "events.k8s.io",
            "v1",
            list(
                "events.k8s.io/v1",
                json!([res("events", "Event", true, &["ev"])]),
            ),
        );
        add(
            "example.com",
            "v1beta1",
            list(
                "example.com/v1beta1",
                json!([res("gadgets", "Gadget", true, &["gd"])]),
            ),
        );
        add(
            "example.com",
            "v1",
            list(
                "example.com/v1",
                json!([
                    res("gadgets", "Gadget", true, &["gd"]),
                    res("cogs", "Cog", true, &[])
                ]),
            ),
        );
        add(
            "example.com",
            "v1alpha1",
            list(
                "example.com/v1alpha1",
                json!([res("gadgets", "Gadget", true, &["gd"])]),
            ),
        );
        add(
            "a.example.org",
            "v1",
            list(
                "a.example.org/v1",
                json!([res("widgets", "Widget", false, &[])]),
            ),
        );
        add(
            "b.example.org",
            "v1",
            list(
                "b.example.org/v1",
                json!([res("widgets", "Widget", true, &[])]),
            ),
        );
        add(
            "types.kubefed.io",
            "v1beta1",
            list(
                "types.kubefed.io/v1beta1",
                json!([res(
                    "federatedconfigmaps",
                    "FederatedConfigMap",
                    true,
                    &["fcm"]
                )]),
            ),
        );
        ApiDiscovery::from_lists(&groups, &lists)
    }

    fn gq(t: &TargetType) -> String {
        format!("{}/{}", t.group_qualified_name(), t.version)
    }

    #[test]
    fn subresources_are_not_types() {
        let d = discovery();
        assert!(d.types.iter().all(|t| !t.target.plural.contains('/')));
        assert!(d.serves("apps", "deployments"));
        assert!(!d.serves("apps", "deployments/scale"));
    }

    #[test]
    fn every_alias_resolves_case_insensitively() {
        let d = discovery();
        for name in [
            "deployments",
            "deployment",
            "Deployment",
            "DEPLOY",
            "deployments.apps",
        ] {
            assert_eq!(
                gq(&d.lookup(name, None).unwrap()),
                "deployments.apps/v1",
                "{name}"
            );
        }
        assert_eq!(d.lookup("cm", None).unwrap().kind, "ConfigMap");
        let ns = d.lookup("ns", None).unwrap();
        assert!(!ns.namespaced);
        assert_eq!(ns.short_names, vec!["ns"]);
    }

    #[test]
    fn core_group_wins_over_other_groups() {
        let d = discovery();
        let ev = d.lookup("events", None).unwrap();
        assert_eq!(ev.group, "");
        assert_eq!(
            gq(&d.lookup("events.events.k8s.io", None).unwrap()),
            "events.events.k8s.io/v1"
        );
    }

    #[test]
    fn bare_name_resolves_to_the_preferred_version() {
        let d = discovery();
        assert_eq!(
            gq(&d.lookup("gadgets", None).unwrap()),
            "gadgets.example.com/v1beta1"
        );
        assert_eq!(gq(&d.lookup("cogs", None).unwrap()), "cogs.example.com/v1");
    }

    #[test]
    fn version_selects_a_non_preferred_version() {
        let d = discovery();
        assert_eq!(
            gq(&d.lookup("gd", Some("v1alpha1")).unwrap()),
            "gadgets.example.com/v1alpha1"
        );
        let err = d.lookup("deployments", Some("v1beta2")).unwrap_err();
        assert_eq!(
            err.message,
            "Unable to find api resource named \"deployments\"."
        );
    }

    #[test]
    fn ambiguous_names_are_invalid_input_listing_candidates() {
        let err = discovery().lookup("widget", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert_eq!(
            err.message,
            "Multiple resources are matched by \"widget\": widgets.a.example.org, widgets.b.example.org. A group-qualified plural name must be provided."
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("use one of: widgets.a.example.org, widgets.b.example.org")
        );
    }

    #[test]
    fn unknown_names_are_invalid_input_with_kubefed_message() {
        let err = discovery().lookup("gizmos", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidInput);
        assert_eq!(err.message, "Unable to find api resource named \"gizmos\".");
        assert!(err.hint.unwrap().contains("kubectl api-resources"));
    }

    #[test]
    fn a_mistyped_name_suggests_the_closest_types() {
        let d = discovery();
        for typo in [
            "deploymnets",
            "deploymets",
            "Deploymnt",
            "deployments.app",
            "depoly",
        ] {
            let err = d.lookup(typo, None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidInput, "{typo}");
            assert_eq!(
                err.message,
                format!("Unable to find api resource named \"{typo}\"."),
                "KubeFed's message is kept"
            );
            assert_eq!(
                err.hint.as_deref(),
                Some("did you mean deployments.apps? (`kubectl api-resources` lists what the host serves)"),
                "{typo}"
            );
        }
        assert_eq!(
            d.similar_names("configmap"),
            Vec::<String>::new(),
            "an exact alias is no typo"
        );
        assert_eq!(d.similar_names("confgmaps"), ["configmaps"]);
        assert_eq!(
            d.similar_names("widget5"),
            ["widgets.a.example.org", "widgets.b.example.org"]
        );
        assert!(
            d.similar_names("gizmos").is_empty(),
            "nothing close: no guess"
        );
        assert!(d.similar_names("qq").is_empty());
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one_edit() {
        assert_eq!(edit_distance("deplyoments", "deployments"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn unknown_name_with_failed_groups_is_a_failure_naming_them() {
        let mut d = discovery();
        d.failures = vec!["metrics.k8s.io/v1beta1: 503 Service Unavailable".into()];
        let err = d.lookup("gizmos", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Failure);
        assert!(
            err.message.contains("metrics.k8s.io/v1beta1: 503"),
            "{}",
            err.message
        );
        assert!(d.lookup("cm", None).is_ok());
    }

    #[test]
    fn contents_apply_kubefed_skip_rules() {
        let names: Vec<String> = discovery().contents_types(&[]).iter().map(gq).collect();
        assert_eq!(
            names,
            vec![
                "configmaps/v1",
                "services/v1",
                "deployments.apps/v1",
                "gadgets.example.com/v1",
                "cogs.example.com/v1",
                "widgets.b.example.org/v1",
            ]
        );
    }

    #[test]
    fn contents_keep_the_newest_version_of_each_type() {
        let gadgets: Vec<String> = discovery()
            .contents_types(&[])
            .iter()
            .filter(|t| t.plural == "gadgets")
            .map(|t| t.version.clone())
            .collect();
        assert_eq!(gadgets, vec!["v1"]);
    }

    #[test]
    fn user_skips_match_like_lookup_or_a_group() {
        let skips = vec!["svc".to_string(), "Deployment".into(), "example.com".into()];
        let names: Vec<String> = discovery().contents_types(&skips).iter().map(gq).collect();
        assert_eq!(names, vec!["configmaps/v1", "widgets.b.example.org/v1"]);
    }

    #[test]
    fn an_empty_skip_entry_skips_nothing() {
        let t = TargetType::new("", "v1", "ConfigMap", "configmaps", true);
        assert!(!is_skipped_for_contents(&t, &["".to_string(), " ".into()]));
        assert!(is_skipped_for_contents(&t, &[" configmap ".to_string()]));
    }
}
