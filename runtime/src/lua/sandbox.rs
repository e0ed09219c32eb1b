//! The Lua sandbox: which standard libraries a script gets, which functions are replaced by
//! refusals, and the hook that enforces the wall-clock limit and cancellation.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use mlua::{Function, HookTriggers, Lua, LuaOptions, StdLib, Table, VmState};
use tokio_util::sync::CancellationToken;

use crate::definition::StdLib as StdLibDefinition;
use crate::error::{LimitKind, RuntimeError};

/// How many VM instructions run between two checks of the clock and the cancel flag: small
/// enough that a tight loop is stopped within a few milliseconds, large enough to cost nothing.
const CHECK_EVERY_INSTRUCTIONS: u32 = 10_000;

/// Creates a Lua state with only the safe standard libraries.
pub fn new_state() -> mlua::Result<Lua> {
    Lua::new_with(
        StdLib::COROUTINE
            | StdLib::TABLE
            | StdLib::STRING
            | StdLib::UTF8
            | StdLib::MATH
            | StdLib::OS,
        LuaOptions::default(),
    )
}

/// Trims the standard library to what `stdlib` declares and installs refusals for what it
/// disables.
pub fn restrict(lua: &Lua, helpers: &Table, stdlib: &StdLibDefinition) -> mlua::Result<()> {
    let globals = lua.globals();
    let refuse: Function = helpers.get("refuse")?;
    let refuse_all: Function = helpers.get("refuse_all")?;
    let raw_load: Function = globals.get("load")?;
    let text_only: Function = helpers.get("text_only_load")?;
    globals.set("load", text_only.call::<Function>(raw_load)?)?;
    // Keep only the declared members of each library table. The tables are trimmed in place,
    // because the string metatable's `__index` points at the original `string` table; `io`
    // starts empty because its only member, `write`, is provided by the engine.
    for (table_name, members) in &stdlib.tables {
        match globals.get::<Option<Table>>(table_name.as_str())? {
            Some(table) => {
                let keys: Vec<String> = table
                    .pairs::<String, mlua::Value>()
                    .filter_map(|p| p.ok().map(|(k, _)| k))
                    .collect();
                for key in keys {
                    if !members.contains(&key) {
                        table.raw_set(key, mlua::Value::Nil)?;
                    }
                }
            }
            None => globals.set(table_name.as_str(), lua.create_table()?)?,
        }
    }
    for (name, why) in &stdlib.disabled {
        match name.split_once('.') {
            Some((lib, "*")) => globals.set(lib, refuse_all.call::<Table>((lib, why.as_str()))?)?,
            Some((lib, member)) => {
                let table = match globals.get::<Option<Table>>(lib)? {
                    Some(t) => t,
                    None => {
                        let t = lua.create_table()?;
                        globals.set(lib, &t)?;
                        t
                    }
                };
                table.set(
                    member,
                    refuse.call::<Function>((name.as_str(), why.as_str()))?,
                )?;
            }
            None => globals.set(
                name.as_str(),
                refuse.call::<Function>((name.as_str(), why.as_str()))?,
            )?,
        }
    }
    Ok(())
}

/// The limits of the current run, shared with the instruction hook.
#[derive(Debug, Default)]
pub struct RunLimits {
    state: Mutex<LimitState>,
}

#[derive(Debug, Default)]
struct LimitState {
    deadline: Option<(Instant, u64)>,
    cancel: CancellationToken,
    /// The first limit the run hit. Kept so that a script which catches the limit's error with
    /// `pcall` still ends with it.
    hit: Option<RuntimeError>,
}

impl RunLimits {
    pub fn start(&self, timeout_ms: u64, cancel: CancellationToken) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.deadline = Some((
            Instant::now() + std::time::Duration::from_millis(timeout_ms),
            timeout_ms,
        ));
        state.cancel = cancel;
        state.hit = None;
    }

    /// Records a limit hit outside the hook (memory, output, the async timeout).
    pub fn record(&self, error: RuntimeError) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.hit.get_or_insert(error);
    }

    pub fn hit(&self) -> Option<RuntimeError> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .hit
            .clone()
    }

    /// The error to raise now, if the run is over its time or cancelled.
    pub fn check(&self) -> Option<RuntimeError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.hit.is_none() {
            if state.cancel.is_cancelled() {
                state.hit = Some(RuntimeError::Cancelled);
            } else if let Some((deadline, ms)) = state.deadline
                && Instant::now() >= deadline
            {
                state.hit = Some(time_limit_error(ms));
            }
        }
        state.hit.clone()
    }
}

pub fn time_limit_error(timeout_ms: u64) -> RuntimeError {
    RuntimeError::Limit {
        kind: LimitKind::Time,
        what: format!("time limit of {timeout_ms} ms exceeded"),
    }
}

/// Installs the hook that stops runaway scripts. It runs in every coroutine, so loops inside
/// workflow callbacks and iterators are stopped too.
pub fn install_hook(lua: &Lua, limits: Arc<RunLimits>) -> mlua::Result<()> {
    lua.set_global_hook(
        HookTriggers::new().every_nth_instruction(CHECK_EVERY_INSTRUCTIONS),
        move |_, _| match limits.check() {
            Some(error) => Err(mlua::Error::external(error)),
            None => Ok(VmState::Continue),
        },
    )
}
