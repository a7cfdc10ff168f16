//! Kubeconfig loading with kubectl's precedence and merge rules, and one API client per context.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use anyhow::Context as _;
use base64::Engine as _;
use kube::config::{KubeConfigOptions, Kubeconfig as RawKubeconfig};

use crate::error::precondition;

/// Where the kubeconfig came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--kubeconfig PATH`.
    Flag(PathBuf),
    /// `$KUBECONFIG`: the files that existed, in order.
    Env(Vec<PathBuf>),
    /// `~/.kube/config`.
    Default(PathBuf),
    /// Built in memory (tests, the demo).
    Memory,
}

/// A cluster as a context reaches it: what `join` records in a `KubeFedCluster`. Holds no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    pub context: String,
    pub cluster_name: String,
    /// `server`, verbatim.
    pub server: String,
    /// Decoded `certificate-authority-data` (PEM), when present.
    pub certificate_authority_data: Option<Vec<u8>>,
    /// `certificate-authority` file (absolute), when present.
    pub certificate_authority: Option<PathBuf>,
    pub insecure_skip_tls_verify: bool,
    pub proxy_url: Option<String>,
    pub tls_server_name: Option<String>,
    /// The context's namespace, else `default`.
    pub namespace: String,
}

/// The merged kubeconfig of one invocation, with a cache of clients per context.
pub struct Kubeconfig {
    raw: RawKubeconfig,
    source: Source,
    clients: Mutex<HashMap<String, kube::Client>>,
}

impl std::fmt::Debug for Kubeconfig {
    // The raw kubeconfig holds credentials; only names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kubeconfig")
            .field("source", &self.source)
            .field("contexts", &self.context_names())
            .field("current_context", &self.current_context())
            .finish()
    }
}

fn read_file(path: &Path) -> anyhow::Result<RawKubeconfig> {
    std::fs::read(path)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| parse_kubeconfig(&bytes, path.parent()))
        .with_context(|| format!("cannot load kubeconfig {}", path.display()))
}

/// Parses a kubeconfig file's bytes as kubectl reads them: UTF-8, or UTF-8/UTF-16 with a byte-order mark;
/// several YAML documents merge (the first to set a name wins). File references (`certificate-authority`,
/// `client-certificate`, `client-key`, `tokenFile`, an exec `command` with a path separator) that are
/// relative are made absolute against `dir`, the file's directory.
///
/// This is `kube`'s `Kubeconfig::read_from` without the file read, so that the bytes can be tested and
/// fuzzed directly, and without its panic on a UTF-16 file of odd length.
pub fn parse_kubeconfig(bytes: &[u8], dir: Option<&Path>) -> anyhow::Result<RawKubeconfig> {
    let text = decode_kubeconfig_text(bytes)?;
    let mut raw = RawKubeconfig::from_yaml(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(dir) = dir {
        make_file_references_absolute(&mut raw, dir);
    }
    Ok(raw)
}

/// The text of a kubeconfig file, honouring a UTF-8 or UTF-16 (LE/BE) byte-order mark.
fn decode_kubeconfig_text(bytes: &[u8]) -> anyhow::Result<String> {
    let utf16 = |body: &[u8], unit: fn([u8; 2]) -> u16, name: &str| {
        if body.len() % 2 != 0 {
            anyhow::bail!("invalid {name}: an odd number of bytes after the byte-order mark");
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|pair| unit([pair[0], pair[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| anyhow::anyhow!("invalid {name}"))
    };
    match bytes {
        [0xFF, 0xFE, body @ ..] => utf16(body, u16::from_le_bytes, "UTF-16 LE"),
        [0xFE, 0xFF, body @ ..] => utf16(body, u16::from_be_bytes, "UTF-16 BE"),
        [0xEF, 0xBB, 0xBF, body @ ..] => String::from_utf8(body.to_vec())
            .map_err(|_| anyhow::anyhow!("invalid UTF-8 after the byte-order mark")),
        _ => String::from_utf8(bytes.to_vec()).map_err(|_| anyhow::anyhow!("invalid UTF-8")),
    }
}

fn make_file_references_absolute(raw: &mut RawKubeconfig, dir: &Path) {
    let absolute = |file: &mut String| {
        let path = Path::new(file.as_str());
        if path.is_relative() {
            if let Some(abs) = dir.join(path).to_str() {
                *file = abs.to_string();
            }
        }
    };
    for cluster in raw.clusters.iter_mut().filter_map(|c| c.cluster.as_mut()) {
        cluster.certificate_authority.as_mut().map(absolute);
    }
    for user in raw
        .auth_infos
        .iter_mut()
        .filter_map(|a| a.auth_info.as_mut())
    {
        user.client_certificate.as_mut().map(absolute);
        user.client_key.as_mut().map(absolute);
        user.token_file.as_mut().map(absolute);
        // Like client-go, a bare command name is looked up on PATH, not next to the file.
        if let Some(command) = user.exec.as_mut().and_then(|e| e.command.as_mut()) {
            if command.contains(std::path::MAIN_SEPARATOR) {
                absolute(command);
            }
        }
    }
}

impl Kubeconfig {
    /// Loads as kubectl does: `--kubeconfig` (one file, must exist), else every existing file of
    /// `$KUBECONFIG` merged (the first to set a name or current-context wins), else `~/.kube/config`.
    pub fn load(flag: Option<&Path>) -> anyhow::Result<Self> {
        let env = std::env::var_os("KUBECONFIG");
        Self::load_from(flag, env.as_deref(), dirs::home_dir().as_deref())
    }

    /// [`Kubeconfig::load`] with the environment passed in.
    pub fn load_from(
        flag: Option<&Path>,
        kubeconfig_env: Option<&OsStr>,
        home: Option<&Path>,
    ) -> anyhow::Result<Self> {
        if let Some(path) = flag {
            if !path.is_file() {
                // A kubeconfig that is not there is the same mistake whichever way it was named: exit 1
                // with a hint, as for $KUBECONFIG (and as kubectl exits).
                return Err(precondition(
                    format!(
                        "kubeconfig file {} given by --kubeconfig does not exist",
                        path.display()
                    ),
                    "check the path, or leave --kubeconfig out to use $KUBECONFIG or ~/.kube/config",
                )
                .into());
            }
            return Ok(Self::from_raw(
                read_file(path)?,
                Source::Flag(path.to_path_buf()),
            ));
        }
        let listed: Vec<PathBuf> = kubeconfig_env
            .map(|v| {
                std::env::split_paths(v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if !listed.is_empty() {
            let (present, missing): (Vec<PathBuf>, Vec<PathBuf>) =
                listed.into_iter().partition(|p| p.is_file());
            if present.is_empty() {
                let missing: Vec<String> =
                    missing.iter().map(|p| p.display().to_string()).collect();
                return Err(precondition(
                    format!(
                        "none of the kubeconfig files in $KUBECONFIG exists: {}",
                        missing.join(", ")
                    ),
                    "fix $KUBECONFIG or pass --kubeconfig PATH",
                )
                .into());
            }
            let mut merged = RawKubeconfig::default();
            for path in &present {
                merged = merged
                    .merge(read_file(path)?)
                    .with_context(|| format!("cannot merge kubeconfig {}", path.display()))?;
            }
            return Ok(Self::from_raw(merged, Source::Env(present)));
        }
        let default = home
            .map(|h| h.join(".kube").join("config"))
            .filter(|p| p.is_file())
            .ok_or_else(|| {
                precondition(
                    "no kubeconfig found: --kubeconfig not given, $KUBECONFIG unset and ~/.kube/config missing",
                    "pass --kubeconfig PATH, or start local clusters with `kubefedctl sandbox up --clusters host,member1 --kubeconfig PATH`",
                )
            })?;
        Ok(Self::from_raw(
            read_file(&default)?,
            Source::Default(default),
        ))
    }

    /// Wraps a kubeconfig built in memory.
    pub fn from_raw(raw: RawKubeconfig, source: Source) -> Self {
        Kubeconfig {
            raw,
            source,
            clients: Mutex::new(HashMap::new()),
        }
    }

    pub fn raw(&self) -> &RawKubeconfig {
        &self.raw
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Context names in kubeconfig order.
    pub fn context_names(&self) -> Vec<&str> {
        self.raw.contexts.iter().map(|c| c.name.as_str()).collect()
    }

    pub fn current_context(&self) -> Option<&str> {
        self.raw
            .current_context
            .as_deref()
            .filter(|c| !c.is_empty())
    }

    /// The named context, or the current context when `None`; an unknown name is an error listing
    /// the available contexts.
    pub fn resolve_context<'a>(&'a self, requested: Option<&'a str>) -> anyhow::Result<&'a str> {
        let name = match requested.or(self.current_context()) {
            Some(name) => name,
            None => return Err(precondition(
                "no context given and the kubeconfig has no current-context",
                "pass --host-cluster-context CTX, or set one with `kubectl config use-context CTX`",
            )
            .into()),
        };
        if self.raw.contexts.iter().any(|c| c.name == name) {
            return Ok(name);
        }
        let available = self.context_names();
        let available = if available.is_empty() {
            "none".to_string()
        } else {
            available.join(", ")
        };
        Err(precondition(
            format!("context \"{name}\" not found in kubeconfig (available contexts: {available})"),
            "pick one of the available contexts, or list them with `kubectl config get-contexts`",
        )
        .into())
    }

    fn context_entry(&self, name: &str) -> Option<&kube::config::Context> {
        self.raw
            .contexts
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.context.as_ref())
    }

    /// The namespace of a context (`default` when it sets none).
    pub fn namespace_of(&self, context: Option<&str>) -> anyhow::Result<String> {
        let name = self.resolve_context(context)?;
        Ok(namespace_or_default(self.context_entry(name)))
    }

    /// The cluster a context points at, resolved from the kubeconfig alone.
    pub fn config_for(&self, context: Option<&str>) -> anyhow::Result<ClusterConfig> {
        let name = self.resolve_context(context)?;
        let ctx = self.context_entry(name).ok_or_else(|| {
            precondition(
                format!("context \"{name}\" in kubeconfig is empty"),
                "fix the context's cluster and user in the kubeconfig",
            )
        })?;
        let cluster = self
            .raw
            .clusters
            .iter()
            .find(|c| c.name == ctx.cluster)
            .and_then(|c| c.cluster.as_ref())
            .ok_or_else(|| {
                precondition(
                    format!(
                        "cluster \"{}\" of context \"{name}\" not found in kubeconfig",
                        ctx.cluster
                    ),
                    "add the cluster to the kubeconfig or pick another context",
                )
            })?;
        let server = cluster
            .server
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                precondition(
                    format!(
                        "cluster \"{}\" of context \"{name}\" has no server",
                        ctx.cluster
                    ),
                    "set the cluster's server URL in the kubeconfig",
                )
            })?;
        let certificate_authority_data = cluster
            .certificate_authority_data
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| {
                base64::engine::general_purpose::STANDARD
                    .decode(d.trim())
                    .map_err(|e| {
                        precondition(
                            format!(
                                "certificate-authority-data of cluster \"{}\" is not valid base64: {e}",
                                ctx.cluster
                            ),
                            "fix the cluster's certificate-authority-data in the kubeconfig",
                        )
                    })
            })
            .transpose()?;
        Ok(ClusterConfig {
            context: name.to_string(),
            cluster_name: ctx.cluster.clone(),
            server,
            certificate_authority_data,
            certificate_authority: cluster.certificate_authority.as_ref().map(PathBuf::from),
            insecure_skip_tls_verify: cluster.insecure_skip_tls_verify.unwrap_or(false),
            proxy_url: cluster.proxy_url.clone().filter(|p| !p.is_empty()),
            tls_server_name: cluster.tls_server_name.clone(),
            namespace: namespace_or_default(Some(ctx)),
        })
    }

    /// The `kube::Config` (server, TLS, credentials) for a context.
    pub async fn kube_config_for(&self, context: Option<&str>) -> anyhow::Result<kube::Config> {
        let name = self.resolve_context(context)?;
        let options = KubeConfigOptions {
            context: Some(name.to_string()),
            ..Default::default()
        };
        kube::Config::from_custom_kubeconfig(self.raw.clone(), &options)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot use kubeconfig context \"{name}\""))
    }

    /// The API client for a context, built on first use and shared afterwards.
    pub async fn client_for(&self, context: Option<&str>) -> anyhow::Result<kube::Client> {
        let name = self.resolve_context(context)?.to_string();
        if let Some(client) = self.clients.lock().unwrap().get(&name) {
            return Ok(client.clone());
        }
        install_crypto_provider();
        let config = self.kube_config_for(Some(&name)).await?;
        let client = kube::Client::try_from(config)
            .with_context(|| format!("cannot build a client for context \"{name}\""))?;
        Ok(self
            .clients
            .lock()
            .unwrap()
            .entry(name)
            .or_insert(client)
            .clone())
    }
}

/// A context's namespace, or `default` as kubectl uses when it sets none.
fn namespace_or_default(context: Option<&kube::config::Context>) -> String {
    context
        .and_then(|c| c.namespace.clone())
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

pub use kubefedctl_apimachinery::kubeconfig::{admin_kubeconfig, AdminEntry};

/// Installs rustls's ring provider for the process; clients need exactly one.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    // "Already installed" (by a library or a test) is fine: any installed provider works.
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn kubeconfig_yaml(contexts: &[(&str, &str, &str)], current: Option<&str>) -> String {
        let mut s = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
        for (_, cluster, server) in contexts {
            s += &format!("- name: {cluster}\n  cluster:\n    server: {server}\n");
        }
        s += "users:\n";
        for (ctx, _, _) in contexts {
            s += &format!("- name: {ctx}\n  user:\n    token: token-{ctx}\n");
        }
        s += "contexts:\n";
        for (ctx, cluster, _) in contexts {
            s += &format!("- name: {ctx}\n  context:\n    cluster: {cluster}\n    user: {ctx}\n");
        }
        if let Some(c) = current {
            s += &format!("current-context: {c}\n");
        }
        s
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, text).unwrap();
        p
    }

    fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn join_paths(paths: &[&Path]) -> std::ffi::OsString {
        std::env::join_paths(paths).unwrap()
    }

    #[test]
    fn env_list_merges_with_first_file_winning() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig_yaml(&[("host", "host", "https://a.example:6443")], Some("host")),
        );
        let b = write(
            dir.path(),
            "b",
            &kubeconfig_yaml(
                &[
                    ("host", "host", "https://b.example:6443"),
                    ("member", "member", "https://m.example:6443"),
                ],
                Some("member"),
            ),
        );
        let kc = Kubeconfig::load_from(None, Some(&join_paths(&[&a, &b])), None).unwrap();
        assert_eq!(kc.context_names(), ["host", "member"]);
        assert_eq!(kc.current_context(), Some("host"));
        assert_eq!(
            kc.config_for(Some("host")).unwrap().server,
            "https://a.example:6443"
        );
        assert_eq!(
            kc.config_for(Some("member")).unwrap().server,
            "https://m.example:6443"
        );
    }

    #[test]
    fn current_context_comes_from_a_later_file_when_earlier_ones_lack_it() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig_yaml(&[("x", "x", "https://x")], None),
        );
        let b = write(
            dir.path(),
            "b",
            &kubeconfig_yaml(&[("y", "y", "https://y")], Some("y")),
        );
        let kc = Kubeconfig::load_from(None, Some(&join_paths(&[&a, &b])), None).unwrap();
        assert_eq!(kc.current_context(), Some("y"));
    }

    #[test]
    fn missing_files_in_env_list_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig_yaml(&[("x", "x", "https://x")], Some("x")),
        );
        let missing = dir.path().join("missing");
        let kc = Kubeconfig::load_from(None, Some(&join_paths(&[&missing, &a])), None).unwrap();
        assert_eq!(kc.context_names(), ["x"]);
        assert_eq!(kc.source(), &Source::Env(vec![a]));
    }

    #[test]
    fn env_list_of_only_missing_files_is_an_error_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let err = Kubeconfig::load_from(None, Some(missing.as_os_str()), None).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 1);
        assert!(
            err.to_string().contains(&missing.display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn flag_overrides_env() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig_yaml(&[("x", "x", "https://x")], Some("x")),
        );
        let b = write(
            dir.path(),
            "b",
            &kubeconfig_yaml(&[("y", "y", "https://y")], Some("y")),
        );
        let kc = Kubeconfig::load_from(Some(&b), Some(a.as_os_str()), None).unwrap();
        assert_eq!(kc.context_names(), ["y"]);
    }

    #[test]
    fn a_missing_kubeconfig_is_the_same_failure_from_the_flag_or_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let err = Kubeconfig::load_from(Some(&dir.path().join("nope")), None, None).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 1);
        assert!(crate::error::render(&err).contains("hint: "));
        let env = dir.path().join("also-nope");
        let from_env = Kubeconfig::load_from(None, Some(env.as_os_str()), None).unwrap_err();
        assert_eq!(crate::error::exit_code(&from_env), 1);
        assert!(crate::error::render(&from_env).contains("hint: "));
        assert!(err
            .to_string()
            .contains("given by --kubeconfig does not exist"));
    }

    #[test]
    fn falls_back_to_home_kube_config() {
        let home = tempfile::tempdir().unwrap();
        fs::create_dir(home.path().join(".kube")).unwrap();
        write(
            &home.path().join(".kube"),
            "config",
            &kubeconfig_yaml(&[("home", "home", "https://h")], Some("home")),
        );
        let kc = Kubeconfig::load_from(None, None, Some(home.path())).unwrap();
        assert_eq!(kc.current_context(), Some("home"));
        // An empty $KUBECONFIG counts as unset, as in kubectl.
        let kc = Kubeconfig::load_from(None, Some(OsStr::new("")), Some(home.path())).unwrap();
        assert_eq!(kc.current_context(), Some("home"));
    }

    #[test]
    fn no_kubeconfig_anywhere_is_a_failure_with_a_hint() {
        let home = tempfile::tempdir().unwrap();
        let err = Kubeconfig::load_from(None, None, Some(home.path())).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 1);
        assert!(crate::error::render(&err).contains("hint: pass --kubeconfig PATH"));
    }

    #[test]
    fn malformed_kubeconfig_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "bad", "clusters: [");
        let err = Kubeconfig::load_from(Some(&a), None, None).unwrap_err();
        assert!(err.to_string().contains("bad"), "{err}");
        assert_eq!(crate::error::exit_code(&err), 1);
    }

    fn parsed(yaml: &str) -> Kubeconfig {
        Kubeconfig::from_raw(RawKubeconfig::from_yaml(yaml).unwrap(), Source::Memory)
    }

    #[test]
    fn unknown_context_error_lists_available_contexts() {
        let kc = parsed(&kubeconfig_yaml(
            &[("host", "h", "https://h"), ("member1", "m", "https://m")],
            Some("host"),
        ));
        let err = kc.resolve_context(Some("nope")).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 1);
        assert_eq!(
            err.to_string(),
            "context \"nope\" not found in kubeconfig (available contexts: host, member1)"
        );
    }

    #[test]
    fn current_context_is_the_default() {
        let kc = parsed(&kubeconfig_yaml(
            &[("host", "h", "https://h"), ("member1", "m", "https://m")],
            Some("member1"),
        ));
        assert_eq!(kc.resolve_context(None).unwrap(), "member1");
        assert_eq!(kc.config_for(None).unwrap().server, "https://m");
    }

    #[test]
    fn no_current_context_and_none_requested_is_an_error() {
        let kc = parsed(&kubeconfig_yaml(&[("host", "h", "https://h")], None));
        let err = kc.resolve_context(None).unwrap_err();
        assert!(crate::error::render(&err).contains("--host-cluster-context"));
    }

    #[test]
    fn config_for_resolves_tls_proxy_and_namespace() {
        let ca = base64::engine::general_purpose::STANDARD.encode("-----BEGIN CERTIFICATE-----\n");
        let kc = parsed(&format!(
            "clusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: {ca}\n    insecure-skip-tls-verify: true\n    proxy-url: http://proxy:3128\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    namespace: team-a\ncurrent-context: ctx\n"
        ));
        let c = kc.config_for(Some("ctx")).unwrap();
        assert_eq!(c.cluster_name, "c");
        assert_eq!(c.server, "https://10.0.0.1:6443");
        assert_eq!(
            c.certificate_authority_data.as_deref(),
            Some(&b"-----BEGIN CERTIFICATE-----\n"[..])
        );
        assert!(c.insecure_skip_tls_verify);
        assert_eq!(c.proxy_url.as_deref(), Some("http://proxy:3128"));
        assert_eq!(c.namespace, "team-a");
        assert_eq!(kc.namespace_of(Some("ctx")).unwrap(), "team-a");
    }

    #[test]
    fn namespace_defaults_to_default() {
        let kc = parsed(&kubeconfig_yaml(
            &[("host", "h", "https://h")],
            Some("host"),
        ));
        assert_eq!(kc.namespace_of(None).unwrap(), "default");
        let c = kc.config_for(None).unwrap();
        assert!(!c.insecure_skip_tls_verify);
        assert_eq!(c.certificate_authority_data, None);
    }

    #[test]
    fn context_pointing_at_missing_cluster_is_an_error() {
        let kc =
            parsed("contexts:\n- name: ctx\n  context:\n    cluster: gone\ncurrent-context: ctx\n");
        let err = kc.config_for(None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cluster \"gone\" of context \"ctx\" not found in kubeconfig"
        );
    }

    #[test]
    fn debug_output_shows_no_credentials() {
        let kc = parsed(&kubeconfig_yaml(
            &[("host", "h", "https://h")],
            Some("host"),
        ));
        let text = format!("{kc:?}");
        assert!(!text.contains("token-host"), "{text}");
        assert!(text.contains("host"));
    }

    #[test]
    fn a_utf16_kubeconfig_of_odd_length_is_an_error_not_a_panic() {
        // kube's own reader indexes past the last byte of an odd-length UTF-16 file and panics.
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("le", &[0xFF, 0xFE, b'a'][..]),
            ("be", &[0xFE, 0xFF, 0, b'a', 0][..]),
        ] {
            let path = write_bytes(dir.path(), name, bytes);
            let err = Kubeconfig::load_from(Some(&path), None, None).unwrap_err();
            let text = format!("{err:#}");
            assert!(text.contains("cannot load kubeconfig"), "{text}");
            assert!(text.contains("odd number of bytes"), "{text}");
        }
    }

    #[test]
    fn utf16_and_utf8_byte_order_marks_are_honoured() {
        let yaml = kubeconfig_yaml(&[("a", "a", "https://127.0.0.1:1")], Some("a"));
        let le: Vec<u8> = yaml.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = yaml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [
            [&[0xFF, 0xFE][..], &le].concat(),
            [&[0xFE, 0xFF][..], &be].concat(),
            [&[0xEF, 0xBB, 0xBF][..], yaml.as_bytes()].concat(),
        ] {
            let raw = parse_kubeconfig(&bytes, None).unwrap();
            assert_eq!(raw.current_context.as_deref(), Some("a"));
        }
        assert!(parse_kubeconfig(&[0xFF, 0xFE, 0x00, 0xD8], None).is_err());
        assert!(parse_kubeconfig(&[b'a', 0xFF], None).is_err());
    }

    #[test]
    fn relative_file_references_are_resolved_against_the_file_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "config",
            "clusters:\n- name: c\n  cluster: {server: https://c, certificate-authority: ca.crt}\n\
             users:\n- name: u\n  user: {client-certificate: u.crt, client-key: /abs/u.key, tokenFile: t,\n\
             \x20   exec: {command: ./bin/auth, apiVersion: client.authentication.k8s.io/v1}}\n\
             - name: path-lookup\n  user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}}\n",
        );
        let kc = Kubeconfig::load_from(Some(&path), None, None).unwrap();
        let in_dir = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
        let cluster = kc.raw().clusters[0].cluster.as_ref().unwrap();
        assert_eq!(cluster.certificate_authority, Some(in_dir("ca.crt")));
        let user = kc.raw().auth_infos[0].auth_info.as_ref().unwrap();
        assert_eq!(user.client_certificate, Some(in_dir("u.crt")));
        assert_eq!(user.client_key.as_deref(), Some("/abs/u.key"));
        assert_eq!(user.token_file, Some(in_dir("t")));
        assert_eq!(
            user.exec.as_ref().unwrap().command,
            Some(in_dir("./bin/auth"))
        );
        let bare = kc.raw().auth_infos[1].auth_info.as_ref().unwrap();
        assert_eq!(bare.exec.as_ref().unwrap().command.as_deref(), Some("aws"));
    }

    #[tokio::test]
    async fn clients_are_cached_per_context() {
        let kc = parsed(&kubeconfig_yaml(
            &[
                ("a", "a", "https://127.0.0.1:1"),
                ("b", "b", "https://127.0.0.1:2"),
            ],
            Some("a"),
        ));
        kc.client_for(None).await.unwrap();
        kc.client_for(Some("a")).await.unwrap();
        kc.client_for(Some("b")).await.unwrap();
        assert_eq!(kc.clients.lock().unwrap().len(), 2);
        let config = kc.kube_config_for(Some("b")).await.unwrap();
        assert_eq!(config.cluster_url.to_string(), "https://127.0.0.1:2/");
    }

    #[tokio::test]
    async fn client_for_unknown_context_fails_before_connecting() {
        let kc = parsed(&kubeconfig_yaml(
            &[("a", "a", "https://127.0.0.1:1")],
            Some("a"),
        ));
        let Err(err) = kc.client_for(Some("zzz")).await else {
            panic!("a client for an unknown context");
        };
        assert!(err.to_string().contains("available contexts: a"));
    }
}
