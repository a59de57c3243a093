//! Temporary names inside a run directory: hidden, and tagged with the host and process that made
//! them (`.<what>.<n>~<host>~<pid>`), so a later run on the same host removes what a killed one left
//! ([`sweep`]) and never touches what a live process on another node of a shared file system is
//! still writing.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// This machine's name (`/proc/sys/kernel/hostname`), made safe for a file name.
pub fn host() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        let name = fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        let name: String =
            name.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        if name.is_empty() { "localhost".into() } else { name }
    })
}

/// A temporary name for `what`, unique to this process and call (`.<what>.<n>~<host>~<pid>`):
/// threads of one process never share one.
pub fn name(what: &str) -> String {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    format!(".{what}.{n}~{}~{}", host(), std::process::id())
}

/// Remove the temporaries in `dir` that processes of this host left when they were killed: those
/// whose process no longer exists. Only where `/proc` tells; elsewhere nothing.
pub fn sweep(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(abandoned_pid) else { continue };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) };
        }
    }
}

/// The process id of a temporary name of this host, if `name` is one.
fn abandoned_pid(name: &str) -> Option<u32> {
    let mut parts = name.rsplitn(3, '~');
    let (pid, host_part, what) = (parts.next()?, parts.next()?, parts.next()?);
    (what.starts_with('.') && what.len() > 1 && host_part == host()).then_some(())?;
    pid.parse().ok()
}

/// True if `name` is a temporary of some bmu-sim process (any host).
pub fn is_temporary(name: &str) -> bool {
    let mut parts = name.rsplitn(3, '~');
    matches!((parts.next(), parts.next(), parts.next()), (Some(pid), Some(_), Some(what))
        if what.starts_with('.') && pid.parse::<u32>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::super::scratch::Scratch;
    use super::*;

    #[test]
    fn only_this_hosts_dead_processes_temporaries_are_swept() {
        let root = Scratch::new();
        // PIDs above the kernel's maximum (4 194 304) never belong to a live process.
        let dead = format!(".assemble~{}~4999999", host());
        let live = name("assemble");
        let other_host = ".assemble~some-other-node~4999999";
        for n in [dead.as_str(), live.as_str(), other_host, "timeseries.csv", ".hidden~x"] {
            fs::write(root.path(n), "x").expect("write");
        }
        sweep(&root.path(""));
        let mut want = vec![live.clone(), other_host.to_string(), "timeseries.csv".into(), ".hidden~x".into()];
        want.sort();
        assert_eq!(root.entries(), want);
        assert!(is_temporary(&live) && is_temporary(other_host) && !is_temporary("timeseries.csv"));
        assert!(!is_temporary(".hidden~x") && !is_temporary("a~b~1"));
    }
}
