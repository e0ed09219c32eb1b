//! Turning QuickJS exceptions into `RuntimeError`s with a file:line:column location.

use rquickjs::{Ctx, Value};

use crate::error::{Location, RuntimeError};

/// The name the prelude is evaluated under, so its frames can be skipped in stack traces.
pub const PRELUDE_NAME: &str = "llmspell-prelude.js";

/// Converts an error of an rquickjs call, taking the pending exception when there is one.
pub fn from_js_error(ctx: &Ctx<'_>, error: rquickjs::Error) -> RuntimeError {
    if error.is_exception() {
        from_exception(&ctx.catch())
    } else {
        RuntimeError::script(error.to_string())
    }
}

/// Describes a thrown value: an Error's name and message, or the value itself, located at the
/// first stack frame outside the prelude.
pub fn from_exception(value: &Value<'_>) -> RuntimeError {
    if let Some(text) = value.as_string().and_then(|s| s.to_string().ok()) {
        return RuntimeError::script(text);
    }
    let Some(object) = value.as_object() else {
        return RuntimeError::script(format!("script threw {}", value.type_name()));
    };
    let message: String = object
        .get::<_, Option<String>>("message")
        .ok()
        .flatten()
        .unwrap_or_default();
    let name: String = object
        .get::<_, Option<String>>("name")
        .ok()
        .flatten()
        .unwrap_or_default();
    let stack: String = object
        .get::<_, Option<String>>("stack")
        .ok()
        .flatten()
        .unwrap_or_default();
    let text = if name.is_empty() && message.is_empty() {
        // A plain object was thrown: show its contents.
        value
            .ctx()
            .json_stringify(value.clone())
            .ok()
            .flatten()
            .and_then(|s| s.to_string().ok())
            .map(|json| format!("error object: {json}"))
            .unwrap_or_else(|| "script threw an object".into())
    } else if let Some(refusal) = message
        .find("import '")
        .filter(|_| message.contains("llmspell sandbox"))
    {
        // QuickJS wraps the loader's refusal in "Error resolving module ... from ...": the
        // refusal itself says it all.
        message[refusal..].to_owned()
    } else if name == "Error" || name.is_empty() {
        message
    } else {
        format!("{name}: {message}")
    };
    match first_script_frame(&stack) {
        Some((location, column)) => RuntimeError::Script {
            message: format!("{}:{}:{column}: {text}", location.file, location.line),
            location: Some(location),
        },
        None => RuntimeError::script(text),
    }
}

/// The first `(file:line:column)` of a QuickJS stack trace that is not in the prelude.
fn first_script_frame(stack: &str) -> Option<(Location, u32)> {
    stack.lines().find_map(|line| {
        let inside = line.trim().strip_prefix("at ")?;
        let place = match (inside.rfind('('), inside.rfind(')')) {
            (Some(open), Some(close)) if open < close => &inside[open + 1..close],
            _ => inside,
        };
        let mut parts = place.rsplitn(3, ':');
        let column: u32 = parts.next()?.parse().ok()?;
        let line_number: u32 = parts.next()?.parse().ok()?;
        let file = parts.next()?;
        (file != PRELUDE_NAME && !file.starts_with('<')).then(|| {
            (
                Location {
                    file: file.to_owned(),
                    line: line_number,
                },
                column,
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_frame_of_the_script() {
        let stack =
            "    at <anonymous> (llmspell-prelude.js:4:13)\n    at main (scripts/a.js:12:5)\n";
        let (location, column) = first_script_frame(stack).unwrap();
        assert_eq!(
            (location.file.as_str(), location.line, column),
            ("scripts/a.js", 12, 5)
        );
        assert!(first_script_frame("    at <eval> (<input>:1:1)").is_none());
    }
}
