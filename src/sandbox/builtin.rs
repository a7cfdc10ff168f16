//! Built-in type semantics of the sandbox: defaults, validation, unknown-field pruning, immutable fields.
