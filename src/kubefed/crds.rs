//! CRD manifests of the KubeFed control plane.
