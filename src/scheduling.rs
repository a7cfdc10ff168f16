//! ReplicaSchedulingPreference planning: how many replicas each member cluster gets.
