//! The engine's error: what went wrong talking to a cluster (or in what a federated object asks for), kept
//! typed through the engine so that a caller can still tell a 404 from a 409 from a deadline after the first
//! call, and one policy (here) says what each becomes. Its text is what users read in records, status and
//! logs: the server's message (credentials redacted), after the context that names what was being done.

use std::fmt;

use super::timeout;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// The API server answered with a failure Status.
    Api { code: u16, reason: String },
    /// No answer in time: the request's deadline (`--request-timeout`) or the pass's (`--timeout`).
    TimedOut,
    /// The request did not reach the server, or its answer could not be read.
    Transport,
    /// The federated object asks for something that cannot be done.
    Invalid,
    /// Not attempted: the member role lacks a permission the work needs (found by the preflight review).
    Denied,
    /// Not attempted: the cluster is not ready.
    NotReady,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub cause: Cause,
    /// What was being done ("cannot list configmaps"), when the message alone would not say.
    context: Option<String>,
    message: String,
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.context {
            Some(c) => write!(f, "{c}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for EngineError {}

impl From<kube::Error> for EngineError {
    fn from(e: kube::Error) -> Self {
        let (cause, message) = match e {
            kube::Error::Api(s) => {
                let s = *s;
                (
                    Cause::Api {
                        code: s.code,
                        reason: s.reason,
                    },
                    s.message,
                )
            }
            other => {
                let timed_out = std::iter::successors(
                    Some(&other as &(dyn std::error::Error + 'static)),
                    |e| e.source(),
                )
                .any(|e| e.is::<timeout::TimedOut>());
                let text = other.to_string();
                let cause = if timed_out || timeout::in_text(&text) {
                    Cause::TimedOut
                } else {
                    Cause::Transport
                };
                (cause, text)
            }
        };
        EngineError {
            cause,
            context: None,
            message: crate::error::redact(&message),
        }
    }
}

impl EngineError {
    /// A federated object asks for something that cannot be done.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::of(Cause::Invalid, message)
    }

    /// Not attempted: the member role lacks a permission (`message` names it).
    pub fn denied(message: impl Into<String>) -> Self {
        Self::of(Cause::Denied, message)
    }

    /// Not attempted: the cluster is not ready.
    pub fn not_ready(message: impl Into<String>) -> Self {
        Self::of(Cause::NotReady, message)
    }

    fn of(cause: Cause, message: impl Into<String>) -> Self {
        EngineError {
            cause,
            context: None,
            message: message.into(),
        }
    }

    /// Says what was being done; an existing context stays closest to the message.
    pub fn context(mut self, what: impl Into<String>) -> Self {
        let what = crate::error::redact(&what.into());
        self.context = Some(match self.context.take() {
            Some(inner) => format!("{what}: {inner}"),
            None => what,
        });
        self
    }

    pub fn code(&self) -> Option<u16> {
        match &self.cause {
            Cause::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.code() == Some(404)
    }

    pub fn is_conflict(&self) -> bool {
        self.code() == Some(409)
    }

    /// Reported with KubeFed's `*TimedOut` statuses rather than `*Failed`.
    pub fn timed_out(&self) -> bool {
        self.cause == Cause::TimedOut
    }
}

/// Why no client can be built from what the host stores for a member: KubeFed's ClusterConfigMalformed.
/// KubeFed's condition message does not say what is malformed; this text does (`clusters`, a not-ready
/// cluster's reason, teardown's plan).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MalformedConfig {
    #[error("spec.secretRef.name is empty")]
    NoSecretRef,
    #[error("secret {namespace}/{name} not found in the host")]
    SecretNotFound { namespace: String, name: String },
    #[error("cannot read secret {namespace}/{name}: {error}")]
    SecretUnreadable {
        namespace: String,
        name: String,
        error: String,
    },
    #[error("secret {namespace}/{name} has no data.token")]
    NoToken { namespace: String, name: String },
    #[error("spec.apiEndpoint is empty")]
    NoEndpoint,
    #[error("spec.apiEndpoint {endpoint:?} is not a valid URL: {error}")]
    BadEndpoint { endpoint: String, error: String },
    #[error("spec.caBundle is not valid base64: {0}")]
    CaNotBase64(String),
    /// A PEM block (numbered from 1) that cannot be read.
    #[error("spec.caBundle: PEM block {block} cannot be read: {error}")]
    CaUnreadable { block: usize, error: String },
    /// A certificate (numbered from 1) that cannot be a trust anchor.
    #[error("spec.caBundle: certificate {certificate} is not a valid CA certificate: {error}")]
    CaInvalid { certificate: usize, error: String },
    #[error("spec.caBundle holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    CaEmpty,
    /// The kubeconfig made of the stored configuration cannot be read, used, or turned into a client.
    #[error("cannot read the stored configuration: {0}")]
    KubeconfigUnreadable(String),
    #[error("cannot use the stored configuration: {0}")]
    KubeconfigUnusable(String),
    #[error("cannot build a client: {0}")]
    ClientUnbuildable(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: u16, reason: &str, message: &str) -> kube::Error {
        kube::Error::Api(
            kube::core::Status::failure(message, reason)
                .with_code(code)
                .boxed(),
        )
    }

    #[test]
    fn api_errors_keep_their_code_and_read_as_the_server_message() {
        let e = EngineError::from(api(409, "Conflict", "the object has been modified"));
        assert!(e.is_conflict());
        assert!(!e.is_not_found());
        assert_eq!(e.to_string(), "the object has been modified");
        let e = EngineError::from(api(404, "NotFound", "configmaps \"x\" not found"))
            .context("cannot read ConfigMap ns/x");
        assert!(e.is_not_found());
        assert_eq!(
            e.to_string(),
            "cannot read ConfigMap ns/x: configmaps \"x\" not found"
        );
    }

    #[test]
    fn contexts_nest_outside_in() {
        let e = EngineError::invalid("bad path")
            .context("inner")
            .context("outer");
        assert_eq!(e.to_string(), "outer: inner: bad path");
        assert_eq!(e.cause, Cause::Invalid);
    }

    #[test]
    fn a_deadline_is_told_apart_from_other_transport_failures() {
        let e = EngineError::from(kube::Error::Service(Box::new(timeout::TimedOut::new(
            format!("{}: no answer within 2s", timeout::STOPPED_ANSWERING),
        ))));
        assert!(e.timed_out(), "{e}");
        let e = EngineError::from(kube::Error::Service("connection refused".into()));
        assert_eq!(e.cause, Cause::Transport);
        assert!(!e.timed_out());
    }
}
