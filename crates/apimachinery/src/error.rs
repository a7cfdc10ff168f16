//! Errors meant for the user, and the exit codes they map to (CONTRACT §1): the sandbox's refusals and the
//! product's share one type, so `kubefedctl sandbox up` exits 2 on invalid input just as every other command does.
//! How an error chain becomes an exit code and the text on stderr is the product's (`kubefedctl::error`).

use std::fmt;

/// Exit code: success.
pub const EXIT_SUCCESS: u8 = 0;
/// Exit code: failure (cluster/API error, precondition not met).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: usage error or invalid input; nothing was written.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: partial failure.
pub const EXIT_PARTIAL: u8 = 3;

/// What kind of mistake an error reports, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad flag or argument combination, or `--yes` missing where no prompt is possible (exit 2).
    Usage,
    /// Malformed or invalid input: YAML, override, selector, names (exit 2).
    InvalidInput,
    /// A precondition in the clusters or the environment is not met (exit 1).
    Precondition,
    /// Anything else that failed (exit 1).
    Failure,
    /// Some clusters or objects failed, the rest succeeded (exit 3).
    Partial,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage | ErrorKind::InvalidInput => EXIT_USAGE,
            ErrorKind::Precondition | ErrorKind::Failure => EXIT_FAILURE,
            ErrorKind::Partial => EXIT_PARTIAL,
        }
    }
}

/// An error meant for the user: a kind, a message and, when there is a next step, a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl UserError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        UserError {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// A usage error (exit 2), e.g. conflicting arguments that clap cannot express.
pub fn usage(message: impl Into<String>) -> UserError {
    UserError::new(ErrorKind::Usage, message)
}

/// Invalid input (exit 2): nothing was written.
pub fn invalid_input(message: impl Into<String>) -> UserError {
    UserError::new(ErrorKind::InvalidInput, message)
}

/// A precondition not met (exit 1), with the next step to take.
pub fn precondition(message: impl Into<String>, hint: impl Into<String>) -> UserError {
    UserError::new(ErrorKind::Precondition, message).with_hint(hint)
}

/// A failure (exit 1).
pub fn failure(message: impl Into<String>) -> UserError {
    UserError::new(ErrorKind::Failure, message)
}

/// Some clusters or objects failed, the rest succeeded (exit 3).
pub fn partial(message: impl Into<String>) -> UserError {
    UserError::new(ErrorKind::Partial, message)
}
