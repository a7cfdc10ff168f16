//! Installing, removing and (un)registering members of the control plane: what `init`, `teardown`,
//! `join` and `unjoin` do, as plain-data plans plus the few requests that carry them out.

pub mod install;
pub mod join;
pub mod resources;
pub mod teardown;
pub mod unjoin;

/// Field manager of every server-side apply kubefedctl sends.
pub const FIELD_MANAGER: &str = "kubefedctl";

/// What a write did (or, with `--dry-run`, would do) to one object, in kubectl's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Configured,
    Unchanged,
    Deleted,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Configured => "configured",
            Change::Unchanged => "unchanged",
            Change::Deleted => "deleted",
        }
    }
}

/// How a member cluster is reached for cleanup: a client from the operator's kubeconfig, or why
/// there is none.
pub type MemberAccess = Result<kube::Client, String>;

/// One line of a command's report, kubectl style: `<kind[.group]>/<name> <change>[ (dry run)]`.
pub fn change_line(reference: &str, change: Change, dry_run: bool) -> String {
    // An unchanged object is unchanged whether or not the run was a dry run.
    let suffix = if dry_run && change != Change::Unchanged {
        " (dry run)"
    } else {
        ""
    };
    format!("{reference} {}{suffix}", change.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_lines_read_like_kubectl_apply() {
        assert_eq!(
            change_line("namespace/fed", Change::Created, false),
            "namespace/fed created"
        );
        assert_eq!(
            change_line("namespace/fed", Change::Configured, true),
            "namespace/fed configured (dry run)"
        );
    }

    #[test]
    fn unchanged_objects_carry_no_dry_run_suffix() {
        assert_eq!(
            change_line("namespace/fed", Change::Unchanged, true),
            "namespace/fed unchanged"
        );
    }
}
