//! Fuzzes `kubefedctl::fuzzing::kubeconfig`; `tests/fuzz_corpus.rs` replays this target's corpus on stable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kubefedctl::fuzzing::kubeconfig(data));
