//! The one place where an error becomes an exit code and the text printed on stderr.
//!
//! Commands return `anyhow::Error`s; a [`UserError`] anywhere in the chain decides the exit code and
//! may carry a hint. Everything else is a failure (exit 1). Exit codes are CONTRACT §1's.

use std::io;
use std::sync::LazyLock;

use regex::Regex;

pub use kubefedctl_apimachinery::error::{
    failure, invalid_input, partial, precondition, usage, ErrorKind, UserError, EXIT_FAILURE,
    EXIT_PARTIAL, EXIT_SUCCESS, EXIT_USAGE,
};

/// The outermost [`UserError`] in the chain, if any.
pub fn user_error(err: &anyhow::Error) -> Option<&UserError> {
    err.chain().find_map(|e| e.downcast_ref::<UserError>())
}

/// The exit code for an error: its [`UserError`]'s kind, malformed YAML = 2, else 1.
/// Field errors (`validation::FieldError`) reach here wrapped in [`invalid_input`].
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(user) = user_error(err) {
        return user.kind.exit_code();
    }
    if err.chain().any(|e| e.is::<crate::yaml::YamlError>()) {
        EXIT_USAGE
    } else {
        EXIT_FAILURE
    }
}

/// True when the error is only stdout having been closed by its reader (`kubefedctl … | head`),
/// which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The text printed on stderr: `Error: <msg>`, one `  caused by: <cause>` line per cause, then
/// `hint: <hint>`. Credentials are redacted.
pub fn render(err: &anyhow::Error) -> String {
    let mut chain = err.chain().map(own_text);
    let mut previous = chain.next().unwrap_or_default();
    let mut out = format!("Error: {previous}\n");
    for cause in chain {
        // Many library errors repeat their source in their own message; print each text once.
        if cause.is_empty() || previous.contains(&cause) {
            continue;
        }
        out.push_str(&format!("  caused by: {cause}\n"));
        previous = cause;
    }
    if let Some(hint) = user_error(err).and_then(|u| u.hint.as_deref()) {
        out.push_str(&format!("hint: {hint}\n"));
    }
    redact(&out)
}

/// The text of one error of a chain. A Kubernetes API error is the server's message with its reason and
/// code (`namespaces "x" not found (NotFound, 404)`), not the client's dump of the whole `Status`.
pub fn own_text(e: &(dyn std::error::Error + 'static)) -> String {
    if let Some(kube::Error::Api(status)) = e.downcast_ref::<kube::Error>() {
        return api_status_text(status);
    }
    // The Status is also its kube::Error's source: the same text, so it is printed once.
    if let Some(status) = e.downcast_ref::<Box<kube::core::Status>>() {
        return api_status_text(status);
    }
    match e.downcast_ref::<kube::core::Status>() {
        Some(status) => api_status_text(status),
        None => e.to_string(),
    }
}

/// A server's `Status` as a user reads it: its message, then reason and code.
pub fn api_status_text(status: &kube::core::Status) -> String {
    let what = match (status.reason.as_str(), status.code) {
        ("", 0) => String::new(),
        ("", code) => format!(" ({code})"),
        (reason, 0) => format!(" ({reason})"),
        (reason, code) => format!(" ({reason}, {code})"),
    };
    let message = if status.message.is_empty() {
        "the server refused the request"
    } else {
        status.message.as_str()
    };
    format!("{message}{what}")
}

/// The whole chain on one line, outermost first, as `{:#}` prints it but with [`own_text`] for each
/// error and a text already contained in its parent's printed once. Credentials are redacted.
pub fn chain_text(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for text in err.chain().map(own_text) {
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    redact(&out)
}

/// An error and its sources on one line, each text once (a source already quoted by its parent is
/// skipped), credentials redacted: `client error (Connect): invalid peer certificate: UnknownIssuer`
/// rather than the bare `client error (Connect)`.
pub fn source_chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = String::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        let text = own_text(err);
        if !text.is_empty() && !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
        next = err.source();
    }
    redact(&out)
}

static SECRETS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    vec![
        (
            Regex::new(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+").unwrap(),
            "$1 <redacted>",
        ),
        (
            Regex::new(
                r#"(?i)("?\b(?:token|password|client-key-data|client_key_data)"?\s*[:=]\s*)"?[^\s",}]+"?"#,
            )
            .unwrap(),
            "$1<redacted>",
        ),
        (
            Regex::new(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----")
                .unwrap(),
            "<redacted private key>",
        ),
    ]
});

/// Removes bearer tokens, `token:`/`password:` values and private keys from text meant for a log
/// or an error message.
pub fn redact(text: &str) -> String {
    SECRETS.iter().fold(text.to_string(), |acc, (re, with)| {
        re.replace_all(&acc, *with).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn invalid_input_exits_2() {
        let err = anyhow::Error::new(invalid_input("bad override"));
        assert_eq!(exit_code(&err), 2);
    }

    #[test]
    fn precondition_exits_1_and_prints_its_hint_last() {
        let err = anyhow::Error::new(precondition(
            "no KubeFedConfig",
            "run `kubefedctl init` first",
        ))
        .context("joining cluster1");
        assert_eq!(exit_code(&err), 1);
        assert_eq!(
            render(&err),
            "Error: joining cluster1\n  caused by: no KubeFedConfig\nhint: run `kubefedctl init` first\n"
        );
    }

    #[test]
    fn partial_exits_3() {
        assert_eq!(exit_code(&anyhow::Error::new(partial("2 of 3 failed"))), 3);
    }

    #[test]
    fn user_error_kind_is_found_under_context() {
        let err = anyhow::Error::new(usage("--once or --watch")).context("reconcile");
        assert_eq!(exit_code(&err), 2);
    }

    #[test]
    fn plain_errors_exit_1() {
        let err = anyhow::anyhow!("connection refused");
        assert_eq!(exit_code(&err), 1);
        assert_eq!(render(&err), "Error: connection refused\n");
    }

    #[test]
    fn yaml_errors_exit_2() {
        let err = anyhow::Error::new(crate::yaml::parse_documents("a: [").unwrap_err());
        assert_eq!(exit_code(&err), 2);
    }

    #[test]
    fn broken_pipe_is_recognised_under_context() {
        let err =
            anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe)).context("printing");
        assert!(is_broken_pipe(&err));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }

    #[test]
    fn cause_repeated_in_its_parent_message_is_printed_once() {
        let err = Err::<(), _>(io::Error::other("refused"))
            .context("connect: refused")
            .unwrap_err();
        assert_eq!(render(&err), "Error: connect: refused\n");
    }

    #[test]
    fn api_errors_print_the_servers_message_not_a_status_dump() {
        let status = kube::core::Status {
            message: "namespace kube-federation-system is being terminated".into(),
            reason: "Forbidden".into(),
            code: 403,
            ..Default::default()
        };
        let err = anyhow::Error::new(kube::Error::Api(Box::new(status)))
            .context("cannot create secret kube-federation-system/m1");
        let text = chain_text(&err);
        assert_eq!(
            text,
            "cannot create secret kube-federation-system/m1: namespace kube-federation-system is \
             being terminated (Forbidden, 403)"
        );
        let rendered = render(&err);
        assert!(!rendered.contains("Status {"), "{rendered}");
        assert!(
            rendered.contains(
                "caused by: namespace kube-federation-system is being terminated (Forbidden, 403)"
            ),
            "{rendered}"
        );
    }

    #[test]
    fn bearer_tokens_are_redacted() {
        let err = anyhow::anyhow!("request failed: Authorization: Bearer eyJhbGciOi.abc-def_123");
        let text = render(&err);
        assert!(!text.contains("eyJhbGciOi"), "{text}");
        assert!(text.contains("Bearer <redacted>"), "{text}");
    }

    #[test]
    fn token_and_password_values_are_redacted() {
        let text = redact(r#"user: {token: s3cr3t, "password": "hunter2"} token=abc"#);
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("abc"), "{text}");
        assert!(text.contains("token: <redacted>"), "{text}");
    }

    #[test]
    fn private_keys_are_redacted() {
        let text = redact(
            "key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n",
        );
        assert!(!text.contains("MHcCAQEE"), "{text}");
    }

    #[test]
    fn text_without_credentials_is_unchanged() {
        let text = "federated cluster member1 already exists in host cluster";
        assert_eq!(redact(text), text);
    }
}
