//! The mass-deletion budget: how many member objects the engine may delete in one cluster before it stops
//! and asks for consent (`reconcile --max-deletions`, `--allow-mass-deletion`), so one bad commit (a
//! deleted namespace of federated objects, a placement that selects nothing) cannot empty a cluster.
//!
//! `--once` counts first: a pass holds every deletion while it reconciles everything else, then lets the
//! clusters within their budget delete what was held (a second reconcile of the types concerned) and
//! reports the others. `--watch` cannot know what is coming, so it counts deletions per cluster over a
//! window: the first deletion that would go over the budget stops deletions in that cluster until the
//! engine is restarted with consent.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

/// The per-record status of a deletion the budget held back (a report value only: never written to a
/// federated object's status).
pub const HELD_STATUS: &str = "DeletionBudgetExceeded";

/// The objects `--max-deletions` allows when not given: 10 % of a cluster's managed objects, but never
/// fewer than this, so deleting a few objects in a small federation needs no flag.
pub const DEFAULT_MINIMUM: usize = 10;
/// The default share of a cluster's managed objects.
pub const DEFAULT_PERCENT: u32 = 10;

/// How many deletions one cluster may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaxDeletions {
    /// 10 % of the cluster's managed objects, at least 10.
    #[default]
    Default,
    /// Exactly this many.
    Count(usize),
    /// This share of the cluster's managed objects, rounded up.
    Percent(u32),
    /// No limit (`--allow-mass-deletion`, `teardown`).
    Unlimited,
}

impl MaxDeletions {
    /// The budget for a cluster holding `managed` managed objects; `None` when unlimited.
    pub fn allowed(self, managed: usize) -> Option<usize> {
        let share = |p: u32| (managed * p as usize).div_ceil(100);
        match self {
            MaxDeletions::Default => Some(share(DEFAULT_PERCENT).max(DEFAULT_MINIMUM)),
            MaxDeletions::Count(n) => Some(n),
            MaxDeletions::Percent(p) => Some(share(p)),
            MaxDeletions::Unlimited => None,
        }
    }
}

impl FromStr for MaxDeletions {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%') {
            return match p.trim().parse::<u32>() {
                Ok(p) if p <= 100 => Ok(MaxDeletions::Percent(p)),
                _ => Err(format!(
                    "{s:?} is not a percentage from 0% to 100% (or give a number of objects)"
                )),
            };
        }
        s.parse::<usize>().map(MaxDeletions::Count).map_err(|_| {
            format!("{s:?} is not a number of objects or a percentage such as 10% or 25%")
        })
    }
}

impl fmt::Display for MaxDeletions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaxDeletions::Default => write!(
                f,
                "{DEFAULT_PERCENT}% of its managed objects, at least {DEFAULT_MINIMUM}"
            ),
            MaxDeletions::Count(n) => write!(f, "{n} objects"),
            MaxDeletions::Percent(p) => write!(f, "{p}% of its managed objects"),
            MaxDeletions::Unlimited => write!(f, "unlimited"),
        }
    }
}

/// What a pass planned to delete in one cluster, against its budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterDeletions {
    pub cluster: String,
    /// Member objects the pass would delete there.
    pub deletions: usize,
    /// Managed objects the pass saw there (of the types and namespaces it covered).
    pub managed: usize,
    /// The budget; `None` when unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<usize>,
    /// Over the budget: the deletions are held back (with `--dry-run`: would be).
    pub over_budget: bool,
}

impl ClusterDeletions {
    /// The warning that tells the operator what was held and how to let it through.
    pub fn warning(&self, dry_run: bool) -> String {
        let budget = self
            .budget
            .map_or("unlimited".to_string(), |b| b.to_string());
        let (counted, outcome) = if dry_run {
            (
                "would delete",
                "reconcile would stop and delete nothing there",
            )
        } else {
            ("has to delete", "nothing was deleted there")
        };
        format!(
            "cluster {:?}: this pass {counted} {} of its {} managed objects, over the deletion budget of \
             {budget}; {outcome}. If that is intended, run again with --max-deletions {} or \
             --allow-mass-deletion",
            self.cluster, self.deletions, self.managed, self.deletions
        )
    }
}

enum Mode {
    /// Every deletion goes through (still counted, for the report).
    Unlimited,
    /// `--once`, first round (and `--dry-run`): deletions are counted; held unless `dry_run`.
    Count { dry_run: bool },
    /// `--once`, second round: each cluster may delete this many more; the rest is held.
    Allow(HashMap<String, usize>),
    /// `--watch`: at most the budget per cluster within `period`; going over stops that cluster's deletions.
    Window { period: Duration },
}

#[derive(Default)]
struct Counts {
    managed: HashMap<String, usize>,
    /// Deletions asked for, by cluster.
    planned: BTreeMap<String, usize>,
    /// Types in which a deletion was held.
    held_types: BTreeSet<String>,
    held: usize,
    /// `--watch`: when each recent deletion was let through, by cluster.
    recent: HashMap<String, VecDeque<Instant>>,
    /// `--watch`: clusters whose deletions stay held until the engine restarts.
    stopped: BTreeSet<String>,
    /// `--watch`: what to tell the operator about clusters stopped since last asked.
    stop_messages: Vec<String>,
}

/// Decides, deletion by deletion, whether the engine may send it.
pub struct DeletionGate {
    budget: MaxDeletions,
    mode: Mutex<Mode>,
    counts: Mutex<Counts>,
}

impl DeletionGate {
    fn with(budget: MaxDeletions, mode: Mode) -> Self {
        DeletionGate {
            budget,
            mode: Mutex::new(mode),
            counts: Mutex::new(Counts::default()),
        }
    }

    /// Lets every deletion through.
    pub fn unlimited() -> Self {
        Self::with(MaxDeletions::Unlimited, Mode::Unlimited)
    }

    /// A `--once` pass: counts, and holds (unless `dry_run`), every deletion until [`Self::settle`].
    pub fn counting(budget: MaxDeletions, dry_run: bool) -> Self {
        if budget == MaxDeletions::Unlimited && !dry_run {
            return Self::unlimited();
        }
        Self::with(budget, Mode::Count { dry_run })
    }

    /// `--watch`: deletions within budget per `period`, per cluster.
    pub fn windowed(budget: MaxDeletions, period: Duration) -> Self {
        if budget == MaxDeletions::Unlimited {
            return Self::unlimited();
        }
        Self::with(budget, Mode::Window { period })
    }

    /// Adds `n` managed objects seen in `cluster` (the base of a percentage budget).
    pub fn count_managed(&self, cluster: &str, n: usize) {
        *self
            .counts
            .lock()
            .unwrap()
            .managed
            .entry(cluster.to_string())
            .or_default() += n;
    }

    /// Sets the managed objects of `cluster` (`--watch`, from its caches).
    pub fn set_managed(&self, cluster: &str, n: usize) {
        self.counts
            .lock()
            .unwrap()
            .managed
            .insert(cluster.to_string(), n);
    }

    /// Whether a deletion of an object of `type_name` in `cluster` may be sent now.
    pub fn admit(&self, cluster: &str, type_name: &str) -> bool {
        let mut mode = self.mode.lock().unwrap();
        let mut counts = self.counts.lock().unwrap();
        *counts.planned.entry(cluster.to_string()).or_default() += 1;
        let go = match &mut *mode {
            Mode::Unlimited | Mode::Count { dry_run: true } => true,
            Mode::Count { dry_run: false } => false,
            Mode::Allow(left) => match left.get_mut(cluster) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            },
            Mode::Window { period } => {
                let period = *period;
                let managed = counts.managed.get(cluster).copied().unwrap_or(0);
                let budget = self.budget.allowed(managed).unwrap_or(usize::MAX);
                let now = Instant::now();
                let counts = &mut *counts;
                let recent = counts.recent.entry(cluster.to_string()).or_default();
                while recent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > period)
                {
                    recent.pop_front();
                }
                if counts.stopped.contains(cluster) {
                    false
                } else if recent.len() < budget {
                    recent.push_back(now);
                    true
                } else {
                    counts.stopped.insert(cluster.to_string());
                    counts.stop_messages.push(format!(
                        "cluster {cluster:?}: {} deletions within {} would go over the deletion budget of \
                         {budget} ({managed} managed objects there); deletions in that cluster are held \
                         from now on. If that is intended, restart reconcile --watch with a higher \
                         --max-deletions or --allow-mass-deletion",
                        recent.len() + 1,
                        crate::kubefed::duration::format_go_duration(period.as_nanos() as i64),
                    ));
                    false
                }
            }
        };
        if !go {
            counts.held += 1;
            counts.held_types.insert(type_name.to_string());
        }
        go
    }

    /// `--watch`: the messages about clusters whose deletions were stopped since the last call.
    pub fn take_stop_messages(&self) -> Vec<String> {
        std::mem::take(&mut self.counts.lock().unwrap().stop_messages)
    }

    /// Deletions held so far.
    pub fn held(&self) -> usize {
        self.counts.lock().unwrap().held
    }

    /// The types in which deletions were held.
    pub fn held_types(&self) -> BTreeSet<String> {
        self.counts.lock().unwrap().held_types.clone()
    }

    /// What was planned per cluster, against each budget.
    pub fn planned(&self) -> Vec<ClusterDeletions> {
        let counts = self.counts.lock().unwrap();
        counts
            .planned
            .iter()
            .map(|(cluster, &deletions)| {
                let managed = counts.managed.get(cluster).copied().unwrap_or(0);
                let budget = self.budget.allowed(managed);
                ClusterDeletions {
                    cluster: cluster.clone(),
                    deletions,
                    managed,
                    budget,
                    over_budget: budget.is_some_and(|b| deletions > b),
                }
            })
            .collect()
    }

    /// After a `--once` pass's first round: lets the clusters within budget delete what was held (the
    /// caller reconciles the held types again), and clears the counts for that round. Returns what was
    /// planned per cluster; the clusters over budget keep their deletions held.
    pub fn settle(&self) -> Vec<ClusterDeletions> {
        let planned = self.planned();
        let allow: HashMap<String, usize> = planned
            .iter()
            .filter(|p| !p.over_budget)
            .map(|p| (p.cluster.clone(), p.budget.unwrap_or(usize::MAX)))
            .collect();
        *self.mode.lock().unwrap() = Mode::Allow(allow);
        let mut counts = self.counts.lock().unwrap();
        counts.planned.clear();
        counts.held = 0;
        counts.held_types.clear();
        planned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_as_counts_or_percentages() {
        assert_eq!("25".parse(), Ok(MaxDeletions::Count(25)));
        assert_eq!("0".parse(), Ok(MaxDeletions::Count(0)));
        assert_eq!("10%".parse(), Ok(MaxDeletions::Percent(10)));
        assert_eq!(" 100% ".parse(), Ok(MaxDeletions::Percent(100)));
        for bad in ["", "-1", "ten", "101%", "1.5", "%", "5%%"] {
            let e = bad.parse::<MaxDeletions>().unwrap_err();
            assert!(e.contains("percentage"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn the_default_budget_is_ten_percent_but_never_below_ten() {
        assert_eq!(MaxDeletions::Default.allowed(0), Some(10));
        assert_eq!(MaxDeletions::Default.allowed(99), Some(10));
        assert_eq!(MaxDeletions::Default.allowed(1000), Some(100));
        assert_eq!(MaxDeletions::Default.allowed(1001), Some(101));
        assert_eq!(MaxDeletions::Percent(10).allowed(5), Some(1));
        assert_eq!(MaxDeletions::Percent(0).allowed(5), Some(0));
        assert_eq!(MaxDeletions::Count(3).allowed(1000), Some(3));
        assert_eq!(MaxDeletions::Unlimited.allowed(1000), None);
    }

    #[test]
    fn a_counting_round_holds_everything_then_lets_through_only_clusters_within_budget() {
        let gate = DeletionGate::counting(MaxDeletions::Count(2), false);
        gate.count_managed("a", 10);
        gate.count_managed("b", 10);
        for _ in 0..2 {
            assert!(!gate.admit("a", "configmaps"));
        }
        for _ in 0..3 {
            assert!(!gate.admit("b", "secrets"));
        }
        assert_eq!(gate.held(), 5);
        assert_eq!(
            gate.held_types().into_iter().collect::<Vec<_>>(),
            ["configmaps", "secrets"]
        );
        let planned = gate.settle();
        assert_eq!(
            planned
                .iter()
                .map(|p| (p.cluster.as_str(), p.deletions, p.over_budget))
                .collect::<Vec<_>>(),
            [("a", 2, false), ("b", 3, true)]
        );
        // Second round: a may delete its two (and no more), b nothing.
        assert!(gate.admit("a", "configmaps"));
        assert!(gate.admit("a", "configmaps"));
        assert!(!gate.admit("a", "configmaps"));
        assert!(!gate.admit("b", "secrets"));
    }

    #[test]
    fn a_dry_run_counts_without_holding() {
        let gate = DeletionGate::counting(MaxDeletions::Count(1), true);
        assert!(gate.admit("a", "t"));
        assert!(gate.admit("a", "t"));
        let p = gate.planned();
        assert_eq!((p[0].deletions, p[0].over_budget), (2, true));
        assert_eq!(gate.held(), 0);
    }

    #[test]
    fn a_watch_window_stops_a_cluster_at_the_first_deletion_over_budget() {
        let gate = DeletionGate::windowed(MaxDeletions::Count(2), Duration::from_secs(60));
        gate.set_managed("a", 100);
        assert!(gate.admit("a", "t"));
        assert!(gate.admit("a", "t"));
        assert!(!gate.admit("a", "t"));
        let m = gate.take_stop_messages();
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("3 deletions within 1m0s"), "{}", m[0]);
        assert!(m[0].contains("budget of 2 (100 managed"), "{}", m[0]);
        assert!(!gate.admit("a", "t"));
        assert!(gate.take_stop_messages().is_empty(), "said once");
        // Another cluster is not affected.
        assert!(gate.admit("b", "t"));
    }

    #[test]
    fn deletions_older_than_the_window_no_longer_count() {
        let gate = DeletionGate::windowed(MaxDeletions::Count(1), Duration::from_millis(30));
        assert!(gate.admit("a", "t"));
        std::thread::sleep(Duration::from_millis(60));
        assert!(gate.admit("a", "t"));
    }

    #[test]
    fn unlimited_lets_everything_through() {
        let gate = DeletionGate::counting(MaxDeletions::Unlimited, false);
        for _ in 0..1000 {
            assert!(gate.admit("a", "t"));
        }
    }
}
