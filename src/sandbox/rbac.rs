//! RBAC authorization as the Kubernetes API server evaluates it, and the bootstrap policy.
