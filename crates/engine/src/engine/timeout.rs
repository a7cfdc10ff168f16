//! A per-request deadline on member clients, so a member that stops answering (frozen, black-holed) cannot
//! hold a pass: each request that is not a watch must get its response within the deadline. After one times
//! out, the member's further requests fail at once for the same length of time instead of each waiting it
//! out, then requests are tried again.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

/// KubeFed's deadline for one operation in a member.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens the message of every request failed by the deadline; the engine's error texts keep it, and
/// [`in_text`] recognises it to report KubeFed's `*TimedOut` statuses.
pub const STOPPED_ANSWERING: &str = "the cluster stopped answering";

/// Opens the message of every request the pass deadline (`reconcile --once --timeout`) cut short or
/// refused to start.
pub const PASS_DEADLINE: &str = "the pass deadline (--timeout) passed";

/// Whether an error text is that of a request failed by a deadline (the request's or the pass's).
pub fn in_text(text: &str) -> bool {
    text.contains(STOPPED_ANSWERING) || text.contains(PASS_DEADLINE)
}

/// What a timed-out (or short-circuited) request fails with.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TimedOut(String);

impl TimedOut {
    pub fn new(message: String) -> Self {
        TimedOut(message)
    }
}

#[derive(Clone)]
pub struct RequestTimeoutLayer {
    timeout: Duration,
    /// When the whole pass must be over: no request outlives it.
    deadline: Option<Instant>,
    /// Until when requests fail fast after a timeout; shared by every request of one client.
    tripped_until: Arc<Mutex<Option<Instant>>>,
}

impl RequestTimeoutLayer {
    pub fn new(timeout: Duration) -> Self {
        RequestTimeoutLayer {
            timeout,
            deadline: None,
            tripped_until: Arc::new(Mutex::new(None)),
        }
    }

    /// Requests also end at `deadline` (those after it fail at once).
    pub fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }
}

impl<S> tower::Layer<S> for RequestTimeoutLayer {
    type Service = RequestTimeout<S>;
    fn layer(&self, inner: S) -> RequestTimeout<S> {
        RequestTimeout {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct RequestTimeout<S> {
    inner: S,
    layer: RequestTimeoutLayer,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn is_watch(uri: &http::Uri) -> bool {
    uri.query()
        .is_some_and(|q| q.split('&').any(|p| p == "watch=true" || p == "watch=1"))
}

impl<S, B> tower::Service<http::Request<B>> for RequestTimeout<S>
where
    S: tower::Service<http::Request<B>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let timeout = self.layer.timeout;
        if is_watch(req.uri()) {
            let fut = self.inner.call(req);
            return Box::pin(async move { fut.await.map_err(Into::into) });
        }
        let tripped = self.layer.tripped_until.clone();
        let now = Instant::now();
        let deadline = self.layer.deadline;
        if deadline.is_some_and(|d| now >= d) {
            return Box::pin(async move {
                Err(Box::new(TimedOut(format!("{PASS_DEADLINE}: request not sent"))) as BoxError)
            });
        }
        if tripped.lock().unwrap().is_some_and(|until| now < until) {
            return Box::pin(async move {
                Err(Box::new(TimedOut(format!(
                    "{STOPPED_ANSWERING} (an earlier request got no response within {}s)",
                    timeout.as_secs_f64()
                ))) as BoxError)
            });
        }
        let fut = self.inner.call(req);
        let own_end = now + timeout;
        let end = deadline.map_or(own_end, |d| d.min(own_end));
        Box::pin(async move {
            match tokio::time::timeout_at(end, fut).await {
                Ok(r) => r.map_err(Into::into),
                Err(_) if end < own_end => Err(Box::new(TimedOut(format!(
                    "{PASS_DEADLINE} before the cluster answered"
                ))) as BoxError),
                Err(_) => {
                    *tripped.lock().unwrap() = Some(Instant::now() + timeout);
                    Err(Box::new(TimedOut(format!(
                        "{STOPPED_ANSWERING}: no response within {}s",
                        timeout.as_secs_f64()
                    ))) as BoxError)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, Service};

    /// A service whose responses take `delay`.
    #[derive(Clone)]
    struct Slow(Duration);
    impl tower::Service<http::Request<()>> for Slow {
        type Response = &'static str;
        type Error = std::convert::Infallible;
        type Future = Pin<Box<dyn Future<Output = Result<&'static str, Self::Error>> + Send>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: http::Request<()>) -> Self::Future {
            let d = self.0;
            Box::pin(async move {
                tokio::time::sleep(d).await;
                Ok("answer")
            })
        }
    }

    fn req(uri: &str) -> http::Request<()> {
        http::Request::get(uri).body(()).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_without_answer_times_out_then_the_cluster_fails_fast_until_the_cooldown() {
        let layer = RequestTimeoutLayer::new(Duration::from_secs(2));
        let mut slow = layer.layer(Slow(Duration::from_secs(60)));
        let started = Instant::now();
        let e = slow.call(req("/api/v1/configmaps")).await.unwrap_err();
        assert!(in_text(&e.to_string()), "{e}");
        assert_eq!(started.elapsed(), Duration::from_secs(2));

        let mut fast = layer.layer(Slow(Duration::from_millis(1)));
        let e = fast.call(req("/api/v1/configmaps")).await.unwrap_err();
        assert!(in_text(&e.to_string()), "{e}");
        assert!(e.to_string().contains("an earlier request"), "{e}");
        assert_eq!(started.elapsed(), Duration::from_secs(2), "failed at once");

        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(
            fast.call(req("/api/v1/configmaps")).await.unwrap(),
            "answer"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_pass_deadline_cuts_requests_short_and_refuses_later_ones() {
        let started = Instant::now();
        let layer = RequestTimeoutLayer::new(Duration::from_secs(30))
            .with_deadline(Some(started + Duration::from_secs(3)));
        let mut slow = layer.layer(Slow(Duration::from_secs(60)));
        let e = slow.call(req("/api/v1/configmaps")).await.unwrap_err();
        assert!(e.to_string().starts_with(PASS_DEADLINE), "{e}");
        assert!(in_text(&e.to_string()));
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        // Past the deadline nothing is sent, however fast the cluster.
        let mut fast = layer.layer(Slow(Duration::from_millis(1)));
        let e = fast.call(req("/api/v1/configmaps")).await.unwrap_err();
        assert!(e.to_string().contains("not sent"), "{e}");
        assert_eq!(started.elapsed(), Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn a_far_deadline_leaves_the_request_timeout_in_charge() {
        let started = Instant::now();
        let layer = RequestTimeoutLayer::new(Duration::from_secs(2))
            .with_deadline(Some(started + Duration::from_secs(600)));
        let mut slow = layer.layer(Slow(Duration::from_secs(60)));
        let e = slow.call(req("/api/v1/configmaps")).await.unwrap_err();
        assert!(e.to_string().starts_with(STOPPED_ANSWERING), "{e}");
        assert_eq!(started.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn watches_are_not_cut_short() {
        let layer = RequestTimeoutLayer::new(Duration::from_secs(2));
        let mut slow = layer.layer(Slow(Duration::from_secs(60)));
        assert_eq!(
            slow.call(req("/api/v1/configmaps?watch=true&resourceVersion=5"))
                .await
                .unwrap(),
            "answer"
        );
    }
}
