//! CustomResourceDefinition validation and the structural-schema engine (pruning, defaulting, validation of custom resources).
