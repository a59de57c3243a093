//! Build facts for the manifest: the versions of the crates that shape results (from
//! Cargo.lock), and the git commit of the checkout being built, with a flag for uncommitted
//! changes. Outside a git checkout of this crate (a source tarball, no git installed) the commit
//! is simply not recorded: nothing here can fail a build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take())
            && ["bevy_ecs", "rand", "rand_distr", "rand_pcg", "rayon", "toml"].contains(&n.as_str())
        {
            found.push(format!("{n}={}", v.trim_matches('"')));
        }
    }
    println!("cargo:rustc-env=BMU_SIM_CRATES={}", found.join(","));
    git_commit();
}

/// `git` with `args` in the crate's directory: its trimmed stdout, if it succeeded.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Sets `BMU_SIM_GIT_COMMIT` and `BMU_SIM_GIT_DIRTY` when this crate is the top of a git
/// checkout (not merely unpacked inside some other repository).
fn git_commit() {
    let top = git(&["rev-parse", "--show-toplevel"]);
    let ours = top.is_some_and(|t| {
        Path::new(&t).canonicalize().ok() == Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().ok()
    });
    let Some(commit) = git(&["rev-parse", "HEAD"]).filter(|_| ours) else { return };
    // `--no-optional-locks`: a plain `git status` refreshes and rewrites the index, which the
    // rerun check below watches, so the next build would run this script again.
    let dirty =
        git(&["--no-optional-locks", "status", "--porcelain", "--untracked-files=no"]).is_none_or(|s| !s.is_empty());
    println!("cargo:rustc-env=BMU_SIM_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=BMU_SIM_GIT_DIRTY={dirty}");
    // Rerun when the checked-out commit, the index or any tracked source may have changed.
    // A path that does not exist (no packed-refs yet) would make cargo rerun this on every build.
    let head_ref = git(&["symbolic-ref", "-q", "HEAD"]);
    for path in ["HEAD", "index", "packed-refs"].into_iter().chain(head_ref.as_deref()) {
        if let Some(p) = git(&["rev-parse", "--git-path", path]).filter(|p| Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    for dir in ["src", "configs", "tests", "benches", "Cargo.toml", "build.rs", "README.md"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
