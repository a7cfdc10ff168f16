//! Generator of FederatedTypeConfigs and Federated<Kind> CRDs.
