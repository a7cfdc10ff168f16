//! Diagnostic logging for `-v`: the engine's spans (pass, type, object, cluster) and events (listings with
//! their timings, each write) on stderr, through `tracing`. What a command reports to its user goes through
//! the printer; this is for finding out why a pass is slow or what it sent.

use std::io::IsTerminal;

/// The environment variable that replaces the `-v` levels with a filter of its own
/// (`tracing_subscriber::EnvFilter` syntax, e.g. `kubefedctl=debug,kube_client=trace`).
pub const ENV: &str = "KUBEFEDCTL_LOG";

/// What `-v` shows: nothing by default; `-v` passes, types and listings with their timings; `-vv` each
/// object, cluster and write; `-vvv` also the HTTP requests of the Kubernetes client.
pub fn filter_for(verbosity: u8, quiet: bool) -> &'static str {
    match (quiet, verbosity) {
        (true, _) | (false, 0) => "off",
        // A directive names a target prefix: `kubefedctl` covers the engine and cli crates (`kubefedctl_engine::…`).
        (false, 1) => "kubefedctl=info",
        (false, 2) => "kubefedctl=debug",
        (false, _) => "kubefedctl=trace,kube=debug,kube_client=debug,kube_runtime=debug",
    }
}

/// Installs the stderr subscriber for the process (once, from `main`).
pub fn init(verbosity: u8, quiet: bool) {
    let from_env = std::env::var(ENV).ok().filter(|f| !f.trim().is_empty());
    let filter = match from_env
        .as_deref()
        .map(tracing_subscriber::EnvFilter::try_new)
    {
        Some(Ok(f)) => f,
        Some(Err(e)) => {
            eprintln!("Warning: {ENV} is not a valid filter ({e}); using the -v level");
            tracing_subscriber::EnvFilter::new(filter_for(verbosity, quiet))
        }
        None => tracing_subscriber::EnvFilter::new(filter_for(verbosity, quiet)),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_timer(tracing_subscriber::fmt::time::uptime())
        .with_target(false)
        .compact()
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_v_shows_more_and_quiet_shows_nothing() {
        assert_eq!(filter_for(0, false), "off");
        assert_eq!(filter_for(3, true), "off");
        assert_eq!(filter_for(1, false), "kubefedctl=info");
        assert_eq!(filter_for(2, false), "kubefedctl=debug");
        assert!(filter_for(5, false).contains("kube_client=debug"));
        for v in 0..5 {
            assert!(tracing_subscriber::EnvFilter::try_new(filter_for(v, false)).is_ok());
        }
    }
}
