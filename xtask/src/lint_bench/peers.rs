//! The peer linters `llmspell lint` is compared with, each at a pinned version, installed once
//! through its registry's client ([`crate::peer_install`]): selene and emmylua_check for Lua
//! (crates.io), eslint and oxlint for JavaScript (npm).

use std::path::PathBuf;

use crate::peer_install::{CargoPeer, NpmPeers, cache_dir, user_cache_dir};

pub const SELENE_VERSION: &str = "0.31.0";
/// selene's own default features are only `roblox`, and its `selene-lib` dependency is built
/// without default features, so a plain `--no-default-features` build parses Lua 5.1 alone
/// and has no standard library past `lua51`. These features give it the Lua 5.2-5.4 parser
/// flags and the `lua52`/`lua53` standard libraries the corpus's std builds on (selene 0.31
/// ships no `lua54` std).
const SELENE_FEATURES: &str = "selene-lib/lua52,selene-lib/lua53,selene-lib/lua54";
pub const EMMYLUA_CHECK_VERSION: &str = "0.25.1";
/// The newest 9.x: eslint 10 is out, but 9 is what most projects run, and its `engines.node`
/// (^20.9.0) accepts the Node 20 this benchmark runs on.
pub const ESLINT_VERSION: &str = "9.39.5";
/// `js.configs.recommended`, released with eslint itself.
pub const ESLINT_JS_VERSION: &str = "9.39.5";
/// `engines.node` ^20.19.0 || >=22.12.0.
pub const OXLINT_VERSION: &str = "1.96.0";
/// The oldest Node.js major both npm peers accept (eslint ^20.9.0, oxlint ^20.19.0; the minor
/// is not checked, Node 20 releases before 20.19 being long out of support).
const MIN_NODE_MAJOR: u32 = 20;

/// selene, built with the Lua 5.2-5.4 features.
pub fn selene() -> Result<PathBuf, String> {
    CargoPeer {
        krate: "selene",
        version: SELENE_VERSION,
        binary: "selene",
        root: cache_dir()?.join(format!("selene-{SELENE_VERSION}-lua54")),
        flags: &["--no-default-features", "--features", SELENE_FEATURES],
    }
    .ensure()
}

/// emmylua_check, in the folder the server's `defs_emmylua` test installs it into, so the
/// test and the benchmark share one build.
pub fn emmylua_check() -> Result<PathBuf, String> {
    CargoPeer {
        krate: "emmylua_check",
        version: EMMYLUA_CHECK_VERSION,
        binary: "emmylua_check",
        root: user_cache_dir()?
            .join("llmspell")
            .join(format!("emmylua_check-{EMMYLUA_CHECK_VERSION}")),
        flags: &[],
    }
    .ensure()
}

/// The npm peers' `node_modules`, with eslint, `@eslint/js` and oxlint.
pub fn js_linters() -> Result<PathBuf, String> {
    NpmPeers {
        name: "llmspell-bench-jslint",
        description: "Peer linters for `cargo xtask bench`; installed by it.",
        dir: cache_dir()?.join("jslint"),
        packages: &[
            ("eslint", ESLINT_VERSION),
            ("@eslint/js", ESLINT_JS_VERSION),
            ("oxlint", OXLINT_VERSION),
        ],
        min_node_major: MIN_NODE_MAJOR,
    }
    .ensure()
}
