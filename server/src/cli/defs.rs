//! `llmspell defs --lua|--ts`: prints declarations of the llmspell API for other language
//! servers, generated from the same API definition the engines inject and the linter checks
//! against: a LuaCATS `---@meta` file for LuaLS and emmylua, or ambient TypeScript declarations
//! for TypeScript-aware editors checking JavaScript scripts.

use std::io::Write;

use clap::{ArgGroup, Args};
use llmspell_runtime::ApiDefinition;
use llmspell_runtime::definition::{luacats, typescript};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("language").required(true).args(["lua", "ts"])))]
pub struct DefsArgs {
    /// Print a LuaCATS `---@meta` file (`llmspell defs --lua > llmspell.d.lua`).
    #[arg(long)]
    lua: bool,
    /// Print TypeScript declarations (`llmspell defs --ts > llmspell.d.ts`).
    #[arg(long)]
    ts: bool,
}

/// Prints the declarations and returns the exit code. The group makes clap reject no flag or
/// both flags as a usage error (exit 2) before this runs.
pub fn run(args: DefsArgs) -> i32 {
    let def = ApiDefinition::get();
    let text = if args.lua {
        luacats::render(def)
    } else {
        typescript::render(def)
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => 0,
        // A closed pipe (`llmspell defs --ts | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write the declarations: {e}"
            );
            1
        }
    }
}
