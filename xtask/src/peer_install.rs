//! Installing the benchmark's peer tools (other linters and language servers) at pinned
//! versions, once per machine, through their registries' own clients: `cargo install` for
//! crates.io and `npm install` for npm. Shared by the language-server and the lint benchmarks.
//!
//! Pinned, so ratios from different days compare the same peer; cached outside the repository
//! (`~/.cache/llmspell-bench/`), so `cargo clean` does not throw away a ten-minute build. Every
//! function returns the reason as an `Err` instead of failing: a peer that cannot be installed
//! becomes a table row saying why, and the rest of the benchmark goes on.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::process;

/// `~/.cache/llmspell-bench` (or under `$XDG_CACHE_HOME`).
pub fn cache_dir() -> Result<PathBuf, String> {
    Ok(user_cache_dir()?.join("llmspell-bench"))
}

/// `~/.cache` (or `$XDG_CACHE_HOME`), where per-user caches of installed tools live.
pub fn user_cache_dir() -> Result<PathBuf, String> {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .ok_or_else(|| "neither XDG_CACHE_HOME nor HOME is set".to_owned())
}

/// A crates.io binary at a pinned version under `root` (`root/bin/<binary>`), installed with
/// `cargo install --locked` when it is missing or another version.
pub struct CargoPeer<'a> {
    pub krate: &'a str,
    pub version: &'a str,
    pub binary: &'a str,
    pub root: PathBuf,
    /// Extra `cargo install` flags (`--no-default-features`).
    pub flags: &'a [&'a str],
}

impl CargoPeer<'_> {
    /// The installed binary, installing it first when needed.
    pub fn ensure(&self) -> Result<PathBuf, String> {
        let CargoPeer {
            krate,
            version,
            binary,
            root,
            flags,
        } = self;
        let path = root
            .join("bin")
            .join(format!("{binary}{}", std::env::consts::EXE_SUFFIX));
        // cargo records what it installed under --root; the binary alone could be another
        // version.
        let installed = std::fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
        let wanted = format!("\"{krate} {version} (registry");
        if !(path.is_file() && installed.contains(&wanted)) {
            println!(
                "installing {krate} {version} into {} (once; later runs reuse it; a release \
                 build of it can take several minutes)...",
                root.display()
            );
            // The `cargo` running this benchmark, so the peer is built by the same toolchain.
            let mut install =
                Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            install
                .args(["install", krate, "--version", version])
                .args(*flags)
                .args(["--locked", "--root"])
                .arg(root)
                // Outside the workspace, so its .cargo/config.toml and target dir play no part.
                .current_dir(std::env::temp_dir())
                .env_remove("CARGO_TARGET_DIR");
            run_install(&mut install)?;
        }
        if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{krate}: `cargo install` succeeded but {} is missing",
                path.display()
            ))
        }
    }
}

/// npm packages at exact versions in their own folder (`dir/node_modules`), installed with
/// `npm install` from a generated package.json when any is missing or another version.
pub struct NpmPeers<'a> {
    /// The package.json `name` of the folder.
    pub name: &'a str,
    pub description: &'a str,
    pub dir: PathBuf,
    /// `(package, exact version)`.
    pub packages: &'a [(&'a str, &'a str)],
    /// The oldest Node.js major version every package's `engines.node` accepts.
    pub min_node_major: u32,
}

impl NpmPeers<'_> {
    /// `dir/node_modules`, installing the packages first when needed.
    pub fn ensure(&self) -> Result<PathBuf, String> {
        let node_version = process::stdout_of("node", &["--version"])
            .ok_or_else(|| format!("node is not installed (needed by {})", self.listed()))?;
        if node_major(&node_version) < self.min_node_major {
            return Err(format!(
                "node {node_version} is too old for {} (needs >= {})",
                self.listed(),
                self.min_node_major
            ));
        }
        let modules = self.dir.join("node_modules");
        let ready = self.packages.iter().all(|(package, version)| {
            installed_npm_version(&modules, package).as_deref() == Some(*version)
        });
        if !ready {
            println!(
                "installing {} into {} (once; later runs reuse it)...",
                self.listed(),
                self.dir.display()
            );
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
            // Exact versions: npm then writes a lockfile pinning the whole tree, which later
            // installs into this folder follow.
            let dependencies: serde_json::Map<String, Value> = self
                .packages
                .iter()
                .map(|(package, version)| ((*package).to_owned(), json!(version)))
                .collect();
            let manifest = json!({
                "name": self.name,
                "private": true,
                "description": self.description,
                "dependencies": dependencies,
            });
            let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
            std::fs::write(self.dir.join("package.json"), format!("{text}\n"))
                .map_err(|e| format!("cannot write {}/package.json: {e}", self.dir.display()))?;
            let mut install = Command::new("npm");
            install
                .args(["install", "--no-audit", "--no-fund"])
                .current_dir(&self.dir);
            run_install(&mut install)?;
        }
        for (package, version) in self.packages {
            let found = installed_npm_version(&modules, package);
            if found.as_deref() != Some(*version) {
                return Err(format!(
                    "`npm install` succeeded but {package} is {} rather than {version}",
                    found.as_deref().unwrap_or("missing")
                ));
            }
        }
        Ok(modules)
    }

    /// "eslint 9.39.5 and oxlint 1.96.0", for messages.
    fn listed(&self) -> String {
        let names: Vec<String> = self
            .packages
            .iter()
            .map(|(package, version)| format!("{package} {version}"))
            .collect();
        names.join(" and ")
    }
}

/// The major version in `node --version`'s "v20.20.2" (0 when unreadable).
fn node_major(version: &str) -> u32 {
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

/// The `version` of an installed npm package, if it is there.
pub fn installed_npm_version(modules: &Path, package: &str) -> Option<String> {
    let text = std::fs::read_to_string(modules.join(package).join("package.json")).ok()?;
    let manifest: Value = serde_json::from_str(&text).ok()?;
    manifest["version"].as_str().map(str::to_owned)
}

/// Runs an installer with its output shown (a long build should show progress), turning a
/// failure into the reason the table prints.
fn run_install(command: &mut Command) -> Result<(), String> {
    let shown = process::display(command);
    let status = command
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions() {
        assert_eq!(node_major("v20.20.2\n"), 20);
        assert_eq!(node_major("v8.1.0"), 8);
        assert_eq!(node_major("garbage"), 0);
    }
}
