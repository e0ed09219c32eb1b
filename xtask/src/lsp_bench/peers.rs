//! The peer language servers the completion figures are compared with: emmylua_ls for Lua
//! (crates.io) and typescript-language-server with TypeScript's tsserver for JavaScript (npm).
//!
//! Each is installed once, at a pinned version, into `~/.cache/llmspell-bench/`, through its
//! registry's own client (`cargo install`, `npm install`), and reused by later runs. Pinned, so
//! ratios from different days compare the same peer; outside the repository, so `cargo clean`
//! does not throw away a ten-minute build. A peer that cannot be installed is reported in the
//! table with the reason, and the rest of the benchmark goes on.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::session::Launch;
use crate::process;

pub const EMMYLUA_LS: &str = "emmylua_ls";
pub const EMMYLUA_LS_VERSION: &str = "0.25.1";
pub const TYPESCRIPT_LANGUAGE_SERVER: &str = "typescript-language-server";
/// The newest 5.x: 6.x needs Node 22, and the machine has Node 20 (DESIGN §8).
pub const TYPESCRIPT_LANGUAGE_SERVER_VERSION: &str = "5.3.0";
/// The newest 5.x TypeScript: TypeScript 7 (the native port) ships no tsserver for
/// typescript-language-server to drive.
pub const TYPESCRIPT_VERSION: &str = "5.9.3";
/// typescript-language-server 5.x's `engines.node`.
const MIN_NODE_MAJOR: u32 = 20;

/// `~/.cache/llmspell-bench` (or under `$XDG_CACHE_HOME`).
fn cache_dir() -> Result<PathBuf, String> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .ok_or("neither XDG_CACHE_HOME nor HOME is set")?;
    Ok(base.join("llmspell-bench"))
}

/// emmylua_ls, installed with `cargo install` on first use.
pub fn emmylua_ls() -> Result<Launch, String> {
    let root = cache_dir()?.join(EMMYLUA_LS);
    let binary = root
        .join("bin")
        .join(format!("{EMMYLUA_LS}{}", std::env::consts::EXE_SUFFIX));
    // cargo records what it installed under --root; the binary alone could be another version.
    let installed = std::fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
    let wanted = format!("\"{EMMYLUA_LS} {EMMYLUA_LS_VERSION} (registry");
    if !(binary.is_file() && installed.contains(&wanted)) {
        println!(
            "installing {EMMYLUA_LS} {EMMYLUA_LS_VERSION} into {} (once; later runs reuse it; \
             a release build of it takes several minutes)...",
            root.display()
        );
        // The `cargo` running this benchmark, so the peer is built by the same toolchain.
        let mut install = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        install
            .args(["install", EMMYLUA_LS, "--version", EMMYLUA_LS_VERSION])
            .args(["--locked", "--root"])
            .arg(&root)
            // Outside the workspace, so its .cargo/config.toml and target dir play no part.
            .current_dir(std::env::temp_dir())
            .env_remove("CARGO_TARGET_DIR");
        run_install(&mut install)?;
    }
    if !binary.is_file() {
        return Err(format!(
            "{EMMYLUA_LS}: `cargo install` succeeded but {} is missing",
            binary.display()
        ));
    }
    Ok(Launch {
        label: format!("{EMMYLUA_LS} {EMMYLUA_LS_VERSION}"),
        program: binary,
        args: Vec::new(),
        initialization_options: Value::Null,
    })
}

/// typescript-language-server and TypeScript, installed with `npm install` on first use.
pub fn typescript_language_server() -> Result<Launch, String> {
    let node_version = process::stdout_of("node", &["--version"])
        .ok_or("node is not installed (typescript-language-server runs on Node.js)")?;
    let major = node_version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(0);
    if major < MIN_NODE_MAJOR {
        return Err(format!(
            "node {node_version} is too old for {TYPESCRIPT_LANGUAGE_SERVER} \
             {TYPESCRIPT_LANGUAGE_SERVER_VERSION} (needs >= {MIN_NODE_MAJOR})"
        ));
    }
    let dir = cache_dir()?.join("tsls");
    let modules = dir.join("node_modules");
    let server = modules.join(TYPESCRIPT_LANGUAGE_SERVER).join("lib/cli.mjs");
    let tsserver = modules.join("typescript/lib/tsserver.js");
    let ready = installed_npm_version(&modules, TYPESCRIPT_LANGUAGE_SERVER).as_deref()
        == Some(TYPESCRIPT_LANGUAGE_SERVER_VERSION)
        && installed_npm_version(&modules, "typescript").as_deref() == Some(TYPESCRIPT_VERSION)
        && server.is_file()
        && tsserver.is_file();
    if !ready {
        println!(
            "installing {TYPESCRIPT_LANGUAGE_SERVER} {TYPESCRIPT_LANGUAGE_SERVER_VERSION} and \
             typescript {TYPESCRIPT_VERSION} into {} (once; later runs reuse it)...",
            dir.display()
        );
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // Exact versions: npm then writes a lockfile pinning the whole tree, which later
        // installs into this folder follow.
        let manifest = json!({
            "name": "llmspell-bench-tsls",
            "private": true,
            "description": "Peer language server for `cargo xtask bench`; installed by it.",
            "dependencies": {
                TYPESCRIPT_LANGUAGE_SERVER: TYPESCRIPT_LANGUAGE_SERVER_VERSION,
                "typescript": TYPESCRIPT_VERSION,
            },
        });
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        std::fs::write(dir.join("package.json"), format!("{text}\n"))
            .map_err(|e| format!("cannot write {}/package.json: {e}", dir.display()))?;
        let mut install = Command::new("npm");
        install
            .args(["install", "--no-audit", "--no-fund"])
            .current_dir(&dir);
        run_install(&mut install)?;
    }
    if !server.is_file() || !tsserver.is_file() {
        return Err(format!(
            "{TYPESCRIPT_LANGUAGE_SERVER}: `npm install` succeeded but {} or {} is missing",
            server.display(),
            tsserver.display()
        ));
    }
    Ok(Launch {
        label: format!(
            "{TYPESCRIPT_LANGUAGE_SERVER} {TYPESCRIPT_LANGUAGE_SERVER_VERSION} (TypeScript {TYPESCRIPT_VERSION})"
        ),
        program: PathBuf::from("node"),
        args: vec![server.into_os_string(), "--stdio".into()],
        // The tsserver installed next to it, rather than whatever the workspace might hold.
        initialization_options: json!({ "tsserver": { "path": tsserver } }),
    })
}

/// The `version` of an installed npm package, if it is there.
fn installed_npm_version(modules: &Path, package: &str) -> Option<String> {
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
