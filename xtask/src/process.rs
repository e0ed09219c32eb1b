//! Running other programs: where the repository is, which `cargo` to call, and small wrappers
//! around `std::process::Command` that turn failures into messages naming what failed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// The workspace root. xtask lives at `<root>/xtask`, and the path is baked in at compile time
/// so the tasks work from any current directory (`cargo xtask` can be run from a subfolder).
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The `cargo` that started us. `cargo run` sets `CARGO`; calling that one (rather than whatever
/// `cargo` is first on PATH) keeps nested builds on the same toolchain as the outer one.
pub fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(program);
    command.current_dir(repo_root());
    command
}

/// `--locked` when the workspace has a lockfile: CI must build exactly the dependency versions
/// that were reviewed, and fail rather than silently resolve new ones.
pub fn locked_flag() -> Option<&'static str> {
    repo_root()
        .join("Cargo.lock")
        .is_file()
        .then_some("--locked")
}

/// Runs a command with the terminal's stdin/stdout/stderr, so its own output (cargo's
/// "test result:" lines, compiler errors) appears in the log unchanged.
pub fn run_inherited(command: &mut Command) -> Result<ExitStatus, String> {
    command
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", display(command)))
}

/// Runs a command and returns its trimmed stdout, or `None` when it cannot start or fails. For
/// optional facts (a version string, a commit id) where absence is reported, not fatal.
pub fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The full path of `program` if it is on PATH, as `which` reports it.
pub fn which(program: &str) -> Option<PathBuf> {
    stdout_of("which", &[program])
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// A command as a user would type it, for messages.
pub fn display(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    let args = command.get_args().map(OsStr::to_string_lossy);
    std::iter::once(program.into())
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}
