//! The fuzz targets' short run on stable: every committed corpus file and crash regression goes through the
//! same entry points the cargo-fuzz targets in `fuzz/` call (`kubefedctl::fuzzing`), and then a bounded
//! number of mutations of them, drawn from a fixed seed so that a failure reproduces exactly.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use kubefedctl::fuzzing::{Entry, TARGETS};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Mutated inputs per target: a few seconds for all targets in a debug build.
const MUTATIONS_PER_TARGET: usize = 4000;
const SEED: u64 = 0x6b75_6265_6665_6400;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, sorted by name; none when the folder does not exist.
fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// Runs one input, naming it (and how to keep it) when the target panics.
fn run(target: &str, entry: Entry, data: &[u8], origin: &str) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| entry(data))) {
        let shown = String::from_utf8_lossy(&data[..data.len().min(2000)]);
        eprintln!(
            "fuzz target {target} failed on {origin} ({} bytes): {shown:?}\n\
             keep the input as fuzz/regressions/{target}/<behaviour> and add a unit test for it",
            data.len()
        );
        resume_unwind(panic);
    }
}

#[test]
fn every_fuzz_target_has_a_corpus_and_a_cargo_fuzz_binary() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (target, _) in TARGETS {
        assert!(
            fuzz_dir()
                .join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "fuzz/fuzz_targets/{target}.rs is missing"
        );
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "fuzz/Cargo.toml has no [[bin]] {target}"
        );
        assert!(
            !inputs("corpus", target).is_empty(),
            "fuzz/corpus/{target}/ has no seed inputs"
        );
    }
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind)) else {
            continue;
        };
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name),
                "fuzz/{kind}/{name}/ belongs to no fuzz target"
            );
        }
    }
}

#[test]
fn the_committed_corpus_and_crash_regressions_pass_every_target() {
    for (target, entry) in TARGETS {
        for kind in ["corpus", "regressions"] {
            for (path, data) in inputs(kind, target) {
                run(target, entry, &data, &path.display().to_string());
            }
        }
    }
}

/// Bytes that matter to at least one grammar: selector operators, pointer escapes, YAML indicators,
/// digits and units, separators.
const INTERESTING: &[u8] =
    b" \t\n\r\0,=!()<>/\\~-.:'\"#&*[]{}|>?@%0123456789aeinostuzhmsy\xc2\xb5\xff\xfe";

/// One random edit of `data`: flip, insert, delete, duplicate a slice, or splice in part of `other`.
fn mutate(rng: &mut StdRng, data: &mut Vec<u8>, other: &[u8]) {
    let at = |rng: &mut StdRng, len: usize| rng.random_range(0..=len);
    match rng.random_range(0..6) {
        0 if !data.is_empty() => {
            let i = rng.random_range(0..data.len());
            data[i] ^= 1 << rng.random_range(0..8);
        }
        1 => {
            let i = at(rng, data.len());
            let b = INTERESTING[rng.random_range(0..INTERESTING.len())];
            data.insert(i, b);
        }
        2 if !data.is_empty() => {
            let start = rng.random_range(0..data.len());
            let end = (start + rng.random_range(1..=16)).min(data.len());
            data.drain(start..end);
        }
        3 if !data.is_empty() => {
            let start = rng.random_range(0..data.len());
            let end = (start + rng.random_range(1..=32)).min(data.len());
            let chunk = data[start..end].to_vec();
            let i = at(rng, data.len());
            data.splice(i..i, chunk);
        }
        4 if !other.is_empty() => {
            let start = rng.random_range(0..other.len());
            let end = (start + rng.random_range(1..=64)).min(other.len());
            let i = at(rng, data.len());
            data.splice(i..i, other[start..end].iter().copied());
        }
        _ => {
            let i = at(rng, data.len());
            data.truncate(i);
        }
    }
}

#[test]
fn seeded_mutations_of_the_corpus_pass_every_target() {
    for (n, (target, entry)) in TARGETS.into_iter().enumerate() {
        let seeds: Vec<Vec<u8>> = inputs("corpus", target)
            .into_iter()
            .chain(inputs("regressions", target))
            .map(|(_, data)| data)
            .collect();
        let mut rng = StdRng::seed_from_u64(SEED + n as u64);
        for i in 0..MUTATIONS_PER_TARGET {
            let mut data = seeds[rng.random_range(0..seeds.len())].clone();
            let other = &seeds[rng.random_range(0..seeds.len())];
            for _ in 0..rng.random_range(1..=4) {
                mutate(&mut rng, &mut data, other);
            }
            run(
                target,
                entry,
                &data,
                &format!("mutation {i} (seed {SEED:#x} + {n})"),
            );
        }
    }
}
