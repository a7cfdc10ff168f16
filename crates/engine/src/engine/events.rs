//! What `reconcile --watch` tells as it runs ([`WatchEvent`]), and to whom ([`Observer`]): the leader
//! election (`watch`) and the controller both report through it.

use super::runner::Report;

/// Name of the Lease several `reconcile --watch` replicas compete for, in the kubefed namespace.
pub const LEASE_NAME: &str = "kubefedctl-reconcile";

/// What `reconcile --watch` has to say as it runs: leadership, each reported pass, and what went wrong on
/// the way (retried or waited out, never fatal). Its text ([`Display`](std::fmt::Display)) is the line the
/// command prints; each is also a `tracing` event ([`WatchEvent::trace`]), so `-v` shows it among the
/// engine's spans.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// Another replica holds a live lease (said again only when the holder changes).
    WaitingToLead { namespace: String, holder: String },
    /// This replica holds the lease and reconciles from now on.
    Leading { namespace: String, identity: String },
    /// The lease went to another replica, or could not be renewed in time: reconciling stopped.
    LostLease,
    /// The lease could not be read or written; tried again every retry period.
    LeaseUnreadable { namespace: String, error: String },
    /// On shutdown the lease could not be given up: another replica leads once it expires.
    LeaseNotReleased { namespace: String, error: String },
    /// What the reconciles since the last report did (when the queue drains, and every few seconds under
    /// load); only reported when something was written or failed.
    Pass { report: Box<Report>, dry_run: bool },
    /// The members could not be probed (their configuration could not be read): the last health stands.
    HealthCheckFailed { error: String },
    /// A member was probed, but what the probe found could not be recorded on its KubeFedCluster.
    HealthNotRecorded { cluster: String, error: String },
    /// The federated types could not be selected (`--type` names no enabled type): none is reconciled.
    TypesNotSelected { error: String },
    /// The control plane's configuration could not be read: what the reconciles share was not rebuilt.
    ControlPlaneUnreadable { error: String },
    /// A member's stored credentials lack a permission a type needs there (said when first found): that
    /// type is not attempted in that cluster.
    PermissionDenied {
        cluster: String,
        type_name: String,
        message: String,
    },
    /// Multi-cluster DNS wrote (or in a dry run would write) record statuses and DNSEndpoints.
    DnsWritten { writes: usize, dry_run: bool },
    /// A step of multi-cluster DNS failed.
    DnsFailed { error: String },
}

impl std::fmt::Display for WatchEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WatchEvent::WaitingToLead { namespace, holder } => write!(
                f,
                "lease {namespace}/{LEASE_NAME} is held by {holder:?}; waiting to lead"
            ),
            WatchEvent::Leading {
                namespace,
                identity,
            } => write!(
                f,
                "leading as {identity:?} (lease {namespace}/{LEASE_NAME})"
            ),
            WatchEvent::LostLease => {
                f.write_str("lost the lease; stopped reconciling and waiting to lead again")
            }
            WatchEvent::LeaseUnreadable { namespace, error } => {
                write!(f, "cannot read lease {namespace}/{LEASE_NAME}: {error}")
            }
            WatchEvent::LeaseNotReleased { namespace, error } => {
                write!(f, "cannot release lease {namespace}/{LEASE_NAME}: {error}")
            }
            WatchEvent::Pass { report, dry_run } => f.write_str(&report.summary_line(*dry_run)),
            WatchEvent::HealthCheckFailed { error } => write!(f, "health check failed: {error}"),
            WatchEvent::HealthNotRecorded { error, .. }
            | WatchEvent::TypesNotSelected { error }
            | WatchEvent::DnsFailed { error } => f.write_str(error),
            WatchEvent::ControlPlaneUnreadable { error } => {
                write!(f, "cannot read the control plane: {error}")
            }
            WatchEvent::PermissionDenied { message, .. } => f.write_str(message),
            WatchEvent::DnsWritten { writes, dry_run } => {
                let verb = if *dry_run { "would write" } else { "wrote" };
                write!(
                    f,
                    "multi-cluster DNS: {verb} {writes} record status(es) and DNSEndpoint(s)"
                )
            }
        }
    }
}

impl WatchEvent {
    /// Something failed or stopped (the rest is progress).
    pub fn is_problem(&self) -> bool {
        match self {
            WatchEvent::WaitingToLead { .. }
            | WatchEvent::Leading { .. }
            | WatchEvent::DnsWritten { .. } => false,
            WatchEvent::Pass { report, .. } => {
                report.outcome() != super::runner::PassOutcome::Converged
            }
            WatchEvent::LostLease
            | WatchEvent::LeaseUnreadable { .. }
            | WatchEvent::LeaseNotReleased { .. }
            | WatchEvent::HealthCheckFailed { .. }
            | WatchEvent::HealthNotRecorded { .. }
            | WatchEvent::TypesNotSelected { .. }
            | WatchEvent::ControlPlaneUnreadable { .. }
            | WatchEvent::PermissionDenied { .. }
            | WatchEvent::DnsFailed { .. } => true,
        }
    }

    /// The event in the diagnostic log, within the current spans. At debug level (`-vv`): the command
    /// prints every event anyway, so at `-v` the log would only repeat its lines.
    pub fn trace(&self) {
        if self.is_problem() {
            tracing::debug!(problem = true, "{self}");
        } else {
            tracing::debug!("{self}");
        }
    }
}

/// Where `reconcile --watch` tells what happens.
pub type Observer<'a> = &'a (dyn Fn(&WatchEvent) + Send + Sync);

/// Traces `event` and hands it to the observer.
pub(crate) fn tell(observer: Observer<'_>, event: WatchEvent) {
    event.trace();
    observer(&event);
}
