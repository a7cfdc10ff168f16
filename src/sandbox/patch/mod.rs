//! Patch semantics of the sandbox API server: JSON merge, JSON patch, strategic merge patch, server-side apply and managedFields.
