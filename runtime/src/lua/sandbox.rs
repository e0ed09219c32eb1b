//! The Lua sandbox: which standard libraries a script gets, which functions are replaced by
//! refusals, and the hook that enforces the wall-clock limit and cancellation.

use std::sync::Arc;

use mlua::{Function, HookTriggers, Lua, LuaOptions, StdLib, Table, VmState};

use crate::definition::StdLib as StdLibDefinition;
use crate::limits::RunLimits;

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
