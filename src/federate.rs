//! Conversion of ordinary Kubernetes objects into KubeFed federated objects (`federate`).
