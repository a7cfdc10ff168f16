//! Watch streams: synthetic ADDED events or a replay from a resourceVersion, then live events filtered by
//! namespace and selectors (with ADDED/DELETED on selector transitions), bookmarks, in-stream 410, timeouts.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{json, Value};
use tokio::sync::{broadcast, mpsc};

use super::api::{parse_selectors, printer, table_version, Ctx, Reply};
use super::objects;
use super::status::ApiError;
use super::store::{Event, EventType};
use kubefedctl_apimachinery::selector::{FieldSelector, LabelSelector};

/// How often a long watch gets a bookmark (the real cacher's bookmarkFrequency).
const BOOKMARK_EVERY: Duration = Duration::from_secs(60);

struct Filter {
    group: String,
    resource: String,
    namespace: Option<String>,
    /// The one object watched through the deprecated /watch/ path.
    name: Option<String>,
    labels: LabelSelector,
    fields: FieldSelector,
}

impl Filter {
    fn matches(&self, obj: &Value) -> bool {
        if let Some(ns) = &self.namespace {
            if objects::namespace(obj) != ns {
                return false;
            }
        }
        if let Some(name) = &self.name {
            if objects::name(obj) != name {
                return false;
            }
        }
        self.labels.matches_object(obj) && self.fields.matches(obj)
    }
}

fn line(kind: &str, obj: &Value) -> Bytes {
    let mut v = serde_json::to_vec(&json!({"type": kind, "object": obj})).unwrap_or_default();
    v.push(b'\n');
    Bytes::from(v)
}

pub async fn start(ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    let (labels, fields) = parse_selectors(ctx)?;
    super::api::validate_list_options(ctx, true)?;
    let filter = Filter {
        group: ctx.rt.group.clone(),
        resource: ctx.rt.plural.clone(),
        namespace: if ctx.rt.namespaced && !ctx.namespace.is_empty() {
            Some(ctx.namespace.clone())
        } else {
            None
        },
        name: Some(ctx.name.clone()).filter(|n| !n.is_empty()),
        labels,
        fields,
    };
    let bookmarks = ctx.query.flag("allowWatchBookmarks");
    let initial_events = ctx.query.flag("sendInitialEvents");
    let timeout = ctx
        .query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(1800);
    let rv_param = ctx
        .query
        .get("resourceVersion")
        .filter(|s| !s.is_empty())
        .map(String::from);
    let api_version = ctx.api_version();
    let kind = ctx.rt.kind.clone();
    // kubectl get -w asks for Tables: each event then carries a one-row Table.
    let table = table_version(ctx).map(|tv| {
        (
            tv,
            printer(ctx),
            ctx.query.get("includeObject").unwrap_or("").to_string(),
        )
    });
    let (group, version, crd) = (ctx.rt.group.clone(), ctx.version.clone(), ctx.rt.is_crd());
    let present = move |obj: &Value| -> Value {
        let mut o = if crd {
            obj.clone()
        } else {
            super::builtin::convert::from_storage(&group, &kind, &version, obj)
        };
        o["apiVersion"] = json!(api_version);
        o["kind"] = json!(kind);
        match &table {
            Some((tv, p, include)) => {
                let meta = json!({"resourceVersion": o["metadata"]["resourceVersion"]});
                super::table::render(tv, p, &[o], meta, include)
            }
            None => o,
        }
    };
    let (tx, rx) = mpsc::channel::<Bytes>(256);
    let store = &ctx.c.store;
    let mut first: Vec<Bytes> = Vec::new();
    let (start_rv, receiver) = match rv_param.as_deref() {
        None | Some("0") => {
            let (w, items) = store.watch_with_snapshot(&filter.group, &filter.resource);
            for obj in items.iter().filter(|o| filter.matches(o)) {
                first.push(line("ADDED", &present(obj)));
            }
            // The end of the initial events is marked only to a client that accepts bookmarks.
            if initial_events && bookmarks {
                first.push(line(
                    "BOOKMARK",
                    &json!({"kind": ctx.rt.kind, "apiVersion": ctx.api_version(), "metadata": {
                        "resourceVersion": w.rv.to_string(),
                        "annotations": {"k8s.io/initial-events-end": "true"}}}),
                ));
                // The real cacher keeps the watcher scheduled for an immediate bookmark until it has sent
                // that one, so a plain bookmark follows it.
                first.push(line(
                    "BOOKMARK",
                    &json!({"kind": ctx.rt.kind, "apiVersion": ctx.api_version(), "metadata": {
                        "resourceVersion": w.rv.to_string()}}),
                ));
            }
            (w.rv, Some(w.receiver))
        }
        Some(rv) => {
            // Not a number: the real server's cacher fails to parse it, a 500 without a reason.
            let rv: u64 = rv.parse().map_err(|_| {
                ApiError::new(
                    500,
                    "",
                    format!(
                        "resourceVersion: Invalid value: {rv:?}: strconv.ParseUint: parsing {rv:?}: invalid syntax"
                    ),
                )
            })?;
            let current = store.current_rv();
            if rv > current {
                // A version the server has not reached: it waits up to 3 s for it, then ends the stream
                // with the 504 a list would get; a shorter watch just ends empty.
                let wait = Duration::from_secs(timeout.min(3));
                let (tx, rx) = mpsc::channel::<Bytes>(1);
                let err = super::api::too_large_rv(rv, current).to_status();
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    if timeout > 3 {
                        let _ = tx.send(line("ERROR", &err)).await;
                    }
                });
                return Ok(Reply::Stream(rx));
            }
            match store.watch(Some(rv)) {
                Ok(w) => {
                    for ev in w
                        .backlog
                        .iter()
                        .filter(|e| e.group == filter.group && e.resource == filter.resource)
                    {
                        if let Some(b) = render(&filter, ev, &present) {
                            first.push(b);
                        }
                    }
                    (w.rv, Some(w.receiver))
                }
                Err(oldest) => {
                    let err = ApiError::gone(format!("too old resource version: {rv} ({oldest})"));
                    first.push(line("ERROR", &err.to_status()));
                    (0, None)
                }
            }
        }
    };
    let kind = ctx.rt.kind.clone();
    let api_version = ctx.api_version();
    // Whether the stream already carries a bookmark (the initial-events ones).
    let mut bookmarked =
        initial_events && bookmarks && matches!(rv_param.as_deref(), None | Some("0"));
    tokio::spawn(async move {
        for b in first {
            if tx.send(b).await.is_err() {
                return;
            }
        }
        let Some(mut receiver) = receiver else { return };
        let mut last_rv = start_rv;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
        let mut tick =
            tokio::time::interval_at(tokio::time::Instant::now() + BOOKMARK_EVERY, BOOKMARK_EVERY);
        // The real cacher sends a bookmark 2 s before the deadline, from one-second buckets: it usually
        // goes out when its bucket opens (up to a second early) and again when it is due.
        let now = tokio::time::Instant::now();
        let mut before_deadline: Vec<tokio::time::Instant> =
            match deadline.checked_sub(Duration::from_secs(2)) {
                Some(due) if due > now => {
                    let early = due
                        .checked_sub(Duration::from_secs(1))
                        .filter(|e| *e > now)
                        .unwrap_or(now);
                    vec![due, early]
                }
                _ => vec![],
            };
        let bookmark = |rv: u64| {
            line(
                "BOOKMARK",
                &json!({"kind": kind, "apiVersion": api_version, "metadata": {"resourceVersion": rv.to_string()}}),
            )
        };
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => {
                    // A watch too short for the pre-timeout bookmark still gets one before it closes, so
                    // a client that allows bookmarks always learns a resourceVersion to resume from.
                    if bookmarks && !bookmarked {
                        let _ = tx.send(bookmark(last_rv)).await;
                    }
                    return;
                }
                _ = tokio::time::sleep_until(before_deadline.last().copied().unwrap_or(deadline)), if !before_deadline.is_empty() => {
                    before_deadline.pop();
                    if bookmarks {
                        bookmarked = true;
                        if tx.send(bookmark(last_rv)).await.is_err() {
                            return;
                        }
                    }
                }
                _ = tick.tick() => {
                    if bookmarks {
                        bookmarked = true;
                        if tx.send(bookmark(last_rv)).await.is_err() {
                            return;
                        }
                    }
                }
                _ = tx.closed() => return,
                ev = receiver.recv() => match ev {
                    Ok(ev) => {
                        if ev.rv <= start_rv {
                            continue;
                        }
                        last_rv = ev.rv;
                        if ev.group != filter.group || ev.resource != filter.resource {
                            continue;
                        }
                        if let Some(b) = render(&filter, &ev, &present) {
                            if tx.send(b).await.is_err() {
                                return;
                            }
                        }
                    }
                    // A watcher that fell behind is closed; the client re-watches from its last RV.
                    Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    });
    Ok(Reply::Stream(rx))
}

fn render(filter: &Filter, ev: &Arc<Event>, present: &impl Fn(&Value) -> Value) -> Option<Bytes> {
    let now = filter.matches(&ev.object);
    let before = ev.previous.as_ref().is_some_and(|p| filter.matches(p));
    let kind = match ev.kind {
        EventType::Added if now => "ADDED",
        EventType::Modified if now && before => "MODIFIED",
        EventType::Modified if now => "ADDED",
        EventType::Modified if before => "DELETED",
        EventType::Deleted if before || now => "DELETED",
        _ => return None,
    };
    Some(line(kind, &present(&ev.object)))
}
