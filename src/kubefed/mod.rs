//! KubeFed API types, CRD manifests and the federated-type generator.
