//! `reconcile --watch`: leader election on a `coordination.k8s.io/v1` Lease, watchers on the host (FTCs,
//! KubeFedClusters, KubeFedConfig, federated objects incl. FederatedNamespaces) and on managed objects in
//! members that trigger passes, a periodic resync and health checks, and a graceful shutdown that releases
//! the lease. Every pass is [`runner::reconcile_pass`], so both drivers share one reconcile.

use std::future::Future;
use std::time::{Duration, Instant};

use kube::api::{Api, DynamicObject, PostParams};
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use super::controller::Controller;
use super::events::tell;
pub use super::events::{Observer, WatchEvent, LEASE_NAME};
use super::runner::{self, RunOptions};
use crate::kubefed::duration::parse_go_duration;
use crate::kubefed::types::KubeFedConfig;

/// How `--watch` runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Full pass at least this often.
    pub resync_period: Duration,
    /// This replica's name in the Lease.
    pub identity: String,
    /// Quiet time after a change before the pass starts, so a burst of events makes one pass.
    pub settle: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        let host = std::env::var("HOSTNAME")
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "kubefedctl".into());
        WatchOptions {
            resync_period: Duration::from_secs(300),
            identity: format!("{host}_{}", uuid::Uuid::new_v4()),
            settle: Duration::from_millis(200),
        }
    }
}

/// Leader-election timings (`KubeFedConfig.spec.leaderElect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseTimings {
    pub lease_duration: Duration,
    pub renew_deadline: Duration,
    pub retry_period: Duration,
}

impl Default for LeaseTimings {
    fn default() -> Self {
        LeaseTimings {
            lease_duration: Duration::from_secs(15),
            renew_deadline: Duration::from_secs(10),
            retry_period: Duration::from_secs(5),
        }
    }
}

fn duration_or(text: Option<&String>, default: Duration) -> Duration {
    text.and_then(|t| parse_go_duration(t).ok())
        .filter(|n| *n > 0)
        .map(|n| Duration::from_nanos(n as u64))
        .unwrap_or(default)
}

/// The config's leader-election timings, defaulted as KubeFed does.
pub fn lease_timings(config: &KubeFedConfig) -> LeaseTimings {
    let d = LeaseTimings::default();
    let Some(le) = config.spec.leader_elect.as_ref() else {
        return d;
    };
    LeaseTimings {
        lease_duration: duration_or(le.lease_duration.as_ref(), d.lease_duration),
        renew_deadline: duration_or(le.renew_deadline.as_ref(), d.renew_deadline),
        retry_period: duration_or(le.retry_period.as_ref(), d.retry_period),
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn lease_resource() -> kube::core::ApiResource {
    kube::core::ApiResource {
        group: "coordination.k8s.io".into(),
        version: "v1".into(),
        api_version: "coordination.k8s.io/v1".into(),
        kind: "Lease".into(),
        plural: "leases".into(),
    }
}

fn micro_time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// What the Lease says about who leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseDecision {
    /// Nobody holds it, or the holder let it expire: take it.
    Acquire,
    /// We hold it: renew it.
    Renew,
    /// Someone else holds a live lease.
    HeldBy(String),
}

/// Decides from a Lease's spec whether `identity` may lead at `now`.
pub fn decide_lease(spec: &Value, identity: &str, now: jiff::Timestamp) -> LeaseDecision {
    let holder = spec
        .get("holderIdentity")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if holder == identity {
        return LeaseDecision::Renew;
    }
    if holder.is_empty() {
        return LeaseDecision::Acquire;
    }
    let duration = spec
        .get("leaseDurationSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let renewed = spec
        .get("renewTime")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    match renewed {
        Some(r) if r + jiff::SignedDuration::from_secs(duration) > now => {
            LeaseDecision::HeldBy(holder.to_string())
        }
        _ => LeaseDecision::Acquire,
    }
}

/// One attempt to acquire or renew the lease; `Ok(None)` means we lead, `Ok(Some(holder))` that another does.
async fn try_lead(
    api: &Api<DynamicObject>,
    identity: &str,
    timings: LeaseTimings,
) -> anyhow::Result<Option<String>> {
    let now = jiff::Timestamp::now();
    let duration_secs = timings.lease_duration.as_secs().max(1) as i64;
    let Some(lease) = api.get_opt(LEASE_NAME).await? else {
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": LEASE_NAME},
            "spec": {
                "holderIdentity": identity,
                "leaseDurationSeconds": duration_secs,
                "acquireTime": micro_time(now),
                "renewTime": micro_time(now),
                "leaseTransitions": 0,
            }
        }))?;
        return match api.create(&PostParams::default(), &obj).await {
            Ok(_) => Ok(None),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(Some("another replica".into())),
            Err(e) => Err(e.into()),
        };
    };
    let mut value = serde_json::to_value(&lease)?;
    let spec = value.get("spec").cloned().unwrap_or(json!({}));
    let mut new_spec = spec.as_object().cloned().unwrap_or_default();
    match decide_lease(&spec, identity, now) {
        LeaseDecision::HeldBy(h) => return Ok(Some(h)),
        LeaseDecision::Renew => {
            new_spec.insert("renewTime".into(), json!(micro_time(now)));
            new_spec.insert("leaseDurationSeconds".into(), json!(duration_secs));
        }
        LeaseDecision::Acquire => {
            let transitions = spec
                .get("leaseTransitions")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let had_holder = spec
                .get("holderIdentity")
                .and_then(Value::as_str)
                .is_some_and(|h| !h.is_empty());
            new_spec.insert("holderIdentity".into(), json!(identity));
            new_spec.insert("leaseDurationSeconds".into(), json!(duration_secs));
            new_spec.insert("acquireTime".into(), json!(micro_time(now)));
            new_spec.insert("renewTime".into(), json!(micro_time(now)));
            new_spec.insert(
                "leaseTransitions".into(),
                json!(transitions + i64::from(had_holder)),
            );
        }
    }
    value["spec"] = Value::Object(new_spec);
    let obj: DynamicObject = serde_json::from_value(value)?;
    match api.replace(LEASE_NAME, &PostParams::default(), &obj).await {
        Ok(_) => Ok(None),
        // Someone else wrote the lease first; look again on the next try.
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(Some("another replica".into())),
        Err(e) => Err(e.into()),
    }
}

/// Gives the lease up (as client-go does: empty holder, 1 s duration) so another replica takes over at once.
async fn release(api: &Api<DynamicObject>, identity: &str) -> anyhow::Result<()> {
    let Some(lease) = api.get_opt(LEASE_NAME).await? else {
        return Ok(());
    };
    let mut value = serde_json::to_value(&lease)?;
    if value
        .pointer("/spec/holderIdentity")
        .and_then(Value::as_str)
        != Some(identity)
    {
        return Ok(());
    }
    let now = micro_time(jiff::Timestamp::now());
    value["spec"]["holderIdentity"] = json!("");
    value["spec"]["leaseDurationSeconds"] = json!(1);
    value["spec"]["renewTime"] = json!(now);
    value["spec"]["acquireTime"] = json!(now);
    let obj: DynamicObject = serde_json::from_value(value)?;
    api.replace(LEASE_NAME, &PostParams::default(), &obj)
        .await?;
    Ok(())
}

/// Runs until `shutdown` resolves: waits to lead, then reconciles on every change, every resync period and
/// whenever a member's readiness changes; releases the lease on the way out. `observer` is told what
/// happens: leadership, each pass's report, what failed on the way.
#[tracing::instrument(level = "info", name = "watch", skip_all, fields(identity = %wopts.identity))]
pub async fn run(
    host: &kube::Client,
    opts: &RunOptions,
    wopts: &WatchOptions,
    shutdown: impl Future<Output = ()>,
    observer: Observer<'_>,
) -> anyhow::Result<()> {
    let ns = opts.kubefed_namespace.as_str();
    let config = runner::read_kubefed_config(host, ns).await?;
    let timings = lease_timings(&config);
    let health_period = runner::health_settings(&config).period;
    let leases: Api<DynamicObject> = Api::namespaced_with(host.clone(), ns, &lease_resource());
    tokio::pin!(shutdown);

    loop {
        // Wait to lead.
        let mut last_holder = String::new();
        loop {
            match try_lead(&leases, &wopts.identity, timings).await {
                Ok(None) => break,
                Ok(Some(holder)) => {
                    if holder != last_holder {
                        tell(
                            observer,
                            WatchEvent::WaitingToLead {
                                namespace: ns.to_string(),
                                holder: holder.clone(),
                            },
                        );
                        last_holder = holder;
                    }
                }
                Err(e) => tell(
                    observer,
                    WatchEvent::LeaseUnreadable {
                        namespace: ns.to_string(),
                        error: crate::error::chain_text(&e),
                    },
                ),
            }
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                _ = tokio::time::sleep(timings.retry_period) => {}
            }
        }
        tell(
            observer,
            WatchEvent::Leading {
                namespace: ns.to_string(),
                identity: wopts.identity.clone(),
            },
        );
        let lost = lead(
            host,
            opts,
            wopts,
            timings,
            health_period,
            &leases,
            &mut shutdown,
            observer,
        )
        .await?;
        if !lost {
            if let Err(e) = release(&leases, &wopts.identity).await {
                tell(
                    observer,
                    WatchEvent::LeaseNotReleased {
                        namespace: ns.to_string(),
                        error: crate::error::chain_text(&e),
                    },
                );
            }
            return Ok(());
        }
        tell(observer, WatchEvent::LostLease);
    }
}

/// The leader's loop; returns `Ok(true)` when leadership was lost, `Ok(false)` on shutdown.
#[allow(clippy::too_many_arguments)]
async fn lead<F: Future<Output = ()>>(
    host: &kube::Client,
    opts: &RunOptions,
    wopts: &WatchOptions,
    timings: LeaseTimings,
    health_period: Duration,
    leases: &Api<DynamicObject>,
    shutdown: &mut std::pin::Pin<&mut F>,
    observer: Observer<'_>,
) -> anyhow::Result<bool> {
    // Renewal runs on its own so a long pass cannot let the lease expire.
    let (lost_tx, mut lost_rx) = tokio::sync::watch::channel(false);
    let renewer = {
        let leases = leases.clone();
        let identity = wopts.identity.clone();
        tokio::spawn(async move {
            let mut last_renewed = Instant::now();
            loop {
                tokio::time::sleep(timings.retry_period).await;
                match try_lead(&leases, &identity, timings).await {
                    Ok(None) => last_renewed = Instant::now(),
                    Ok(Some(_)) => {
                        let _ = lost_tx.send(true);
                        return;
                    }
                    Err(_) if last_renewed.elapsed() > timings.renew_deadline => {
                        let _ = lost_tx.send(true);
                        return;
                    }
                    Err(_) => {}
                }
            }
        })
    };
    struct AbortOnDrop(JoinHandle<()>);
    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let _renewer = AbortOnDrop(renewer);

    let (controller, changes) = tokio::select! {
        _ = shutdown.as_mut() => return Ok(false),
        _ = lost_rx.changed() => return Ok(true),
        started = Controller::start(host, opts, wopts.resync_period, observer) => started?,
    };
    let lost = async move {
        let _ = lost_rx.changed().await;
    };
    tokio::pin!(lost);
    let mut lost_now = false;
    {
        let stop = async {
            tokio::select! {
                _ = shutdown.as_mut() => {}
                _ = lost.as_mut() => lost_now = true,
            }
        };
        tokio::pin!(stop);
        controller
            .run(changes, wopts.resync_period, health_period, stop, observer)
            .await;
    }
    Ok(lost_now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn empty_lease_is_acquired() {
        assert_eq!(
            decide_lease(&json!({}), "me", at("2024-01-01T00:00:00Z")),
            LeaseDecision::Acquire
        );
        assert_eq!(
            decide_lease(
                &json!({"holderIdentity": ""}),
                "me",
                at("2024-01-01T00:00:00Z")
            ),
            LeaseDecision::Acquire
        );
    }

    #[test]
    fn own_lease_is_renewed() {
        let spec = json!({"holderIdentity": "me", "leaseDurationSeconds": 15, "renewTime": "2024-01-01T00:00:00.000000Z"});
        assert_eq!(
            decide_lease(&spec, "me", at("2024-01-01T00:00:05Z")),
            LeaseDecision::Renew
        );
    }

    #[test]
    fn live_lease_of_another_is_respected_until_it_expires() {
        let spec = json!({"holderIdentity": "other", "leaseDurationSeconds": 15, "renewTime": "2024-01-01T00:00:00.000000Z"});
        assert_eq!(
            decide_lease(&spec, "me", at("2024-01-01T00:00:14Z")),
            LeaseDecision::HeldBy("other".into())
        );
        assert_eq!(
            decide_lease(&spec, "me", at("2024-01-01T00:00:16Z")),
            LeaseDecision::Acquire
        );
    }

    #[test]
    fn lease_timings_follow_the_kubefed_config() {
        let mut c = KubeFedConfig::with_defaults("Cluster", "kube-federation-system");
        assert_eq!(lease_timings(&c), LeaseTimings::default());
        let le = c.spec.leader_elect.as_mut().unwrap();
        le.lease_duration = Some("1500ms".into());
        le.renew_deadline = Some("1s".into());
        le.retry_period = Some("500ms".into());
        assert_eq!(
            lease_timings(&c),
            LeaseTimings {
                lease_duration: Duration::from_millis(1500),
                renew_deadline: Duration::from_secs(1),
                retry_period: Duration::from_millis(500),
            }
        );
    }

    #[test]
    fn events_read_as_the_lines_the_command_prints() {
        let ns = || "kube-federation-system".to_string();
        let lines = [
            (
                WatchEvent::WaitingToLead {
                    namespace: ns(),
                    holder: "other_1".into(),
                },
                "lease kube-federation-system/kubefedctl-reconcile is held by \"other_1\"; waiting to lead",
            ),
            (
                WatchEvent::Leading {
                    namespace: ns(),
                    identity: "me_2".into(),
                },
                "leading as \"me_2\" (lease kube-federation-system/kubefedctl-reconcile)",
            ),
            (
                WatchEvent::LostLease,
                "lost the lease; stopped reconciling and waiting to lead again",
            ),
            (
                WatchEvent::LeaseUnreadable {
                    namespace: ns(),
                    error: "boom".into(),
                },
                "cannot read lease kube-federation-system/kubefedctl-reconcile: boom",
            ),
            (
                WatchEvent::LeaseNotReleased {
                    namespace: ns(),
                    error: "boom".into(),
                },
                "cannot release lease kube-federation-system/kubefedctl-reconcile: boom",
            ),
            (
                WatchEvent::HealthCheckFailed {
                    error: "boom".into(),
                },
                "health check failed: boom",
            ),
            (
                WatchEvent::ControlPlaneUnreadable {
                    error: "boom".into(),
                },
                "cannot read the control plane: boom",
            ),
            (
                WatchEvent::DnsWritten {
                    writes: 3,
                    dry_run: true,
                },
                "multi-cluster DNS: would write 3 record status(es) and DNSEndpoint(s)",
            ),
            (
                WatchEvent::PermissionDenied {
                    cluster: "c1".into(),
                    type_name: "configmaps".into(),
                    message: "as it is".into(),
                },
                "as it is",
            ),
            (
                WatchEvent::Pass {
                    report: Box::default(),
                    dry_run: false,
                },
                "0 federated objects, 0/0 clusters ready: 0 created, 0 updated, 0 adopted, 0 deleted, \
                 0 unlabelled, 0 failed",
            ),
        ];
        for (event, line) in lines {
            assert_eq!(event.to_string(), line, "{event:?}");
        }
        assert!(WatchEvent::LostLease.is_problem());
        assert!(!WatchEvent::Pass {
            report: Box::default(),
            dry_run: false
        }
        .is_problem());
    }

    #[test]
    fn micro_time_has_six_fraction_digits() {
        assert_eq!(
            micro_time(at("2024-01-01T00:00:01.5Z")),
            "2024-01-01T00:00:01.500000Z"
        );
    }
}

/// Compile-time check: the drivers' futures can be spawned (a borrowed argument in a stream closure once made
/// the pass future non-`Send`, which only shows where it is spawned).
#[cfg(test)]
mod send_check {
    fn assert_send<T: Send>(_: T) {}
    #[allow(dead_code)]
    fn futures_are_send(
        host: kube::Client,
        members: Vec<crate::engine::clusters::Member>,
        opts: super::RunOptions,
        leases: super::Api<super::DynamicObject>,
    ) {
        let state = crate::engine::runner::PassState::watching();
        assert_send(crate::engine::clusters::check_health(
            &host,
            "ns",
            &members,
            Default::default(),
            state.debounce.as_ref(),
            false,
        ));
        assert_send(super::runner::reconcile_once(&host, &opts));
        assert_send(super::try_lead(&leases, "x", Default::default()));
        assert_send(super::release(&leases, "x"));
        let wopts = super::WatchOptions::default();
        assert_send(super::run(&host, &opts, &wopts, async {}, &|_| {}));
    }
}
