//! Turning mlua errors into `RuntimeError`s: limit errors keep their kind, script errors keep
//! their message and gain a file:line location.

use crate::error::{LimitKind, Location, RuntimeError};

pub fn from_lua_error(error: mlua::Error) -> RuntimeError {
    match error {
        mlua::Error::ExternalError(inner) => match inner.downcast_ref::<RuntimeError>() {
            Some(runtime_error) => runtime_error.clone(),
            None => RuntimeError::script(inner.to_string()),
        },
        mlua::Error::CallbackError { cause, .. } => from_lua_error((*cause).clone()),
        mlua::Error::WithContext { cause, .. } => from_lua_error((*cause).clone()),
        mlua::Error::RuntimeError(message) => RuntimeError::script(without_traceback(&message)),
        mlua::Error::SyntaxError { message, .. } => RuntimeError::script(message),
        mlua::Error::MemoryError(_) => memory_limit_error(),
        other => RuntimeError::script(other.to_string()),
    }
}

/// Lua appends a stack traceback to errors that cross a coroutine; the script author needs
/// the message and its line, which come first.
fn without_traceback(message: &str) -> String {
    match message.find("\nstack traceback:") {
        Some(end) => message[..end].to_owned(),
        None => message.to_owned(),
    }
}

pub fn memory_limit_error() -> RuntimeError {
    RuntimeError::Limit {
        kind: LimitKind::Memory,
        what: "memory limit exceeded".into(),
    }
}

/// Finds the `file:line:` Lua puts in front of error messages raised in `chunk` and moves it
/// into the error's location.
pub fn locate(error: RuntimeError, chunk: &str) -> RuntimeError {
    let RuntimeError::Script {
        message,
        location: None,
    } = error
    else {
        return error;
    };
    let location = message
        .strip_prefix(chunk)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let line = digits.parse().ok()?;
            rest[digits.len()..].starts_with(':').then(|| Location {
                file: chunk.to_owned(),
                line,
            })
        });
    RuntimeError::Script { message, location }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_the_script() {
        let e = locate(RuntimeError::script("ex/a.lua:12: boom"), "ex/a.lua");
        assert_eq!(
            e.location(),
            Some(&Location {
                file: "ex/a.lua".into(),
                line: 12
            })
        );
        assert_eq!(e.to_string(), "ex/a.lua:12: boom");
        let e = locate(RuntimeError::script("other.lua:1: x"), "ex/a.lua");
        assert_eq!(e.location(), None);
    }
}
