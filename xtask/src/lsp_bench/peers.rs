//! The peer language servers the completion figures are compared with: emmylua_ls for Lua
//! (crates.io) and typescript-language-server with TypeScript's tsserver for JavaScript (npm).
//!
//! Each is installed once, at a pinned version, into `~/.cache/llmspell-bench/`, through its
//! registry's own client (`cargo install`, `npm install`; see [`crate::peer_install`]), and
//! reused by later runs. A peer that cannot be installed is reported in the table with the
//! reason, and the rest of the benchmark goes on.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::session::Launch;
use crate::peer_install::{CargoPeer, NpmPeers, cache_dir};

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

/// emmylua_ls, installed with `cargo install` on first use.
pub fn emmylua_ls() -> Result<Launch, String> {
    let binary = CargoPeer {
        krate: EMMYLUA_LS,
        version: EMMYLUA_LS_VERSION,
        binary: EMMYLUA_LS,
        root: cache_dir()?.join(EMMYLUA_LS),
        flags: &[],
    }
    .ensure()?;
    Ok(Launch {
        label: format!("{EMMYLUA_LS} {EMMYLUA_LS_VERSION}"),
        program: binary,
        args: Vec::new(),
        initialization_options: Value::Null,
    })
}

/// typescript-language-server and TypeScript, installed with `npm install` on first use.
pub fn typescript_language_server() -> Result<Launch, String> {
    let modules = NpmPeers {
        name: "llmspell-bench-tsls",
        description: "Peer language server for `cargo xtask bench`; installed by it.",
        dir: cache_dir()?.join("tsls"),
        packages: &[
            (
                TYPESCRIPT_LANGUAGE_SERVER,
                TYPESCRIPT_LANGUAGE_SERVER_VERSION,
            ),
            ("typescript", TYPESCRIPT_VERSION),
        ],
        min_node_major: MIN_NODE_MAJOR,
    }
    .ensure()?;
    let server = modules.join(TYPESCRIPT_LANGUAGE_SERVER).join("lib/cli.mjs");
    let tsserver = modules.join("typescript/lib/tsserver.js");
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
