//! The `datetime` tool: the current time, formatting and parsing of dates and times, and date
//! arithmetic, so scripts and agents do not guess at calendars.

use std::fmt::Write as _;

use chrono::format::{Item, ParseErrorKind, StrftimeItems};
use chrono::{
    FixedOffset, Local, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, TimeZone,
    Utc,
};
use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

type Instant = chrono::DateTime<Utc>;

pub struct DateTime {
    schema: ToolSchema,
}

impl DateTime {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "datetime",
            "Gives the current date and time, formats or parses a date-time, or adds a number of \
             seconds to one. Date-times are exchanged as RFC 3339 text such as \
             \"2024-05-01T12:30:00Z\" unless a strftime format is given.",
        )
        .param(
            ParamSchema::new(
                "operation",
                ParamType::String,
                "What to do: now (the current time), format (write value using format), parse \
                 (read value, written in format if given, and return it as RFC 3339), add (add \
                 seconds to value, or to the current time when value is not given).",
            )
            .required()
            .one_of(&["now", "format", "parse", "add"]),
        )
        .param(ParamSchema::new(
            "format",
            ParamType::String,
            "A strftime format such as \"%Y-%m-%d %H:%M\". For now, format and add it is how the \
             result is written; for parse it is how value is written. Defaults to RFC 3339.",
        ))
        .param(ParamSchema::new(
            "value",
            ParamType::String,
            "The date-time to work on, as RFC 3339 text (or, for parse, in format). Required by \
             format and parse; optional for add; not allowed with now.",
        ))
        .param(ParamSchema::new(
            "seconds",
            ParamType::Number,
            "add only, and required there: the number of seconds to add; negative to go back, \
             fractions allowed.",
        ))
        .param(
            ParamSchema::new(
                "timezone",
                ParamType::String,
                "The time zone the result is written in: utc, or local (this machine's zone). \
                 parse also reads a value that has no UTC offset as being in this zone.",
            )
            .one_of(&["utc", "local"])
            .default(Value::from("utc")),
        )
        .returns(ParamSchema::new(
            "result",
            ParamType::String,
            "The date-time as text: in format when one applies, otherwise RFC 3339.",
        ))
        .returns(ParamSchema::new(
            "unix",
            ParamType::Integer,
            "The same instant as whole seconds since 1970-01-01T00:00:00Z (Unix time).",
        ));
        DateTime { schema }
    }
}

#[async_trait::async_trait]
impl Tool for DateTime {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let operation = params
            .get("operation")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'operation'")?;
        let format = params.get("format").and_then(Value::as_str);
        let value = params.get("value").and_then(Value::as_str);
        let seconds = params.get("seconds").and_then(Value::as_f64);
        let local = params.get("timezone").and_then(Value::as_str) == Some("local");

        // Parameters that an operation would silently ignore point at a mistake in the call, so
        // they are reported.
        if seconds.is_some() && operation != "add" {
            return Err(format!(
                "parameter 'seconds' is only used by add, not {operation}"
            ));
        }
        if value.is_some() && operation == "now" {
            return Err(
                "operation 'now' takes no 'value'; use format to write a given time".into(),
            );
        }

        let (instant, output_format) = match operation {
            "now" => (Utc::now(), format),
            "format" => {
                let value = value.ok_or("operation 'format' needs the 'value' parameter")?;
                (parse_rfc3339(value)?, format)
            }
            "parse" => {
                let value = value.ok_or("operation 'parse' needs the 'value' parameter")?;
                let instant = match format {
                    Some(format) => parse_with_format(value, format, local)?,
                    None => parse_rfc3339(value)?,
                };
                // The format described the input, so the result is written as RFC 3339.
                (instant, None)
            }
            "add" => {
                let seconds = seconds.ok_or("operation 'add' needs the 'seconds' parameter")?;
                let start = match value {
                    Some(value) => parse_rfc3339(value)?,
                    None => Utc::now(),
                };
                let delta = seconds_to_delta(seconds)?;
                let instant = start
                    .checked_add_signed(delta)
                    .ok_or_else(|| format!("adding {seconds} seconds goes out of range"))?;
                (instant, format)
            }
            other => return Err(format!("unknown operation '{other}'")),
        };

        let result = if local {
            render(&instant.with_timezone(&Local), output_format)?
        } else {
            render(&instant, output_format)?
        };
        Ok(json!({ "result": result, "unix": instant.timestamp() }))
    }
}

fn parse_rfc3339(value: &str) -> Result<Instant, String> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|dt| dt.with_timezone(&Utc))
        .map_err(|e| {
            format!("value '{value}' is not an RFC 3339 date-time (like 2024-05-01T12:30:00Z): {e}")
        })
}

/// Reads `value` written in the strftime `format`. The format may describe a full date-time
/// with an offset, a date-time without one (taken in the requested zone), or only a date
/// (taken as midnight), so each is tried in that order.
fn parse_with_format(value: &str, format: &str, local: bool) -> Result<Instant, String> {
    check_format(format)?;
    let mut errors = Vec::new();
    match chrono::DateTime::<FixedOffset>::parse_from_str(value, format) {
        Ok(dt) => return Ok(dt.with_timezone(&Utc)),
        Err(e) => errors.push(e),
    }
    let naive = match NaiveDateTime::parse_from_str(value, format) {
        Ok(naive) => Some(naive),
        Err(e) => {
            errors.push(e);
            match NaiveDate::parse_from_str(value, format) {
                Ok(date) => Some(date.and_time(chrono::NaiveTime::MIN)),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        }
    };
    if let Some(naive) = naive {
        if !local {
            return Ok(naive.and_utc());
        }
        return match Local.from_local_datetime(&naive) {
            LocalResult::Single(dt) => Ok(dt.with_timezone(&Utc)),
            LocalResult::Ambiguous(..) => Err(format!(
                "value '{value}' is ambiguous in the local time zone (a clock change repeats it)"
            )),
            LocalResult::None => Err(format!(
                "value '{value}' does not exist in the local time zone (a clock change skips it)"
            )),
        };
    }
    // "Not enough" only says that a less complete reading was needed, so an error about the
    // text itself (a wrong character, a value out of range) is the one worth showing.
    let reason = errors
        .iter()
        .find(|e| e.kind() != ParseErrorKind::NotEnough)
        .or(errors.last())
        .map(ToString::to_string)
        .unwrap_or_default();
    Err(format!(
        "value '{value}' does not match format '{format}': {reason}"
    ))
}

/// Refuses a malformed strftime format up front: chrono's formatter would otherwise fail (or,
/// through `to_string`, panic) in the middle of writing.
fn check_format(format: &str) -> Result<Vec<Item<'_>>, String> {
    StrftimeItems::new(format)
        .parse()
        .map_err(|_| format!("format '{format}' is not a valid strftime format"))
}

fn render<Tz: TimeZone>(
    instant: &chrono::DateTime<Tz>,
    format: Option<&str>,
) -> Result<String, String>
where
    Tz::Offset: std::fmt::Display,
{
    let Some(format) = format else {
        return Ok(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    };
    let items = check_format(format)?;
    let mut out = String::new();
    write!(out, "{}", instant.format_with_items(items.iter()))
        .map_err(|_| format!("format '{format}' cannot be applied to this date-time"))?;
    Ok(out)
}

/// Converts a possibly fractional number of seconds to a `TimeDelta`, keeping nanosecond
/// precision for the fraction without overflowing for large whole numbers.
fn seconds_to_delta(seconds: f64) -> Result<TimeDelta, String> {
    // Roughly 31 million years; chrono's own limits are far beyond any calendar date it accepts.
    const LIMIT: f64 = 1e15;
    if !seconds.is_finite() || seconds.abs() > LIMIT {
        return Err(format!(
            "seconds must be a finite number of at most {LIMIT:e} in size"
        ));
    }
    let whole = seconds.trunc();
    let nanos = ((seconds - whole) * 1e9).round();
    // Both conversions are exact: `whole` is within ±1e15 and `nanos` within ±1e9.
    let delta = TimeDelta::try_seconds(whole as i64)
        .ok_or_else(|| format!("{seconds} seconds is out of range"))?;
    Ok(delta + TimeDelta::nanoseconds(nanos as i64))
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn run(params: Value) -> Result<Value, String> {
        execute_tool(&DateTime::new(), &params, &ctx()).await
    }

    #[tokio::test]
    async fn now_is_rfc3339_utc_and_close_to_the_clock() {
        let before = Utc::now().timestamp();
        let out = run(json!({"operation": "now"})).await.expect("now works");
        let after = Utc::now().timestamp();
        let unix = out["unix"].as_i64().expect("unix is an integer");
        assert!(
            before <= unix && unix <= after,
            "{unix} not in {before}..={after}"
        );
        let text = out["result"].as_str().expect("result is a string");
        assert!(text.ends_with('Z'), "{text}");
        assert_eq!(parse_rfc3339(text).expect("parses back").timestamp(), unix);
    }

    #[tokio::test]
    async fn now_with_a_format() {
        let out = run(json!({"operation": "now", "format": "%Y"}))
            .await
            .expect("now works");
        assert_eq!(out["result"], json!(Utc::now().format("%Y").to_string()));
    }

    #[tokio::test]
    async fn format_writes_a_given_time() {
        let out = run(json!({
            "operation": "format",
            "value": "2024-05-01T12:30:45+02:00",
            "format": "%Y-%m-%d %H:%M:%S"
        }))
        .await;
        assert_eq!(
            out,
            Ok(json!({"result": "2024-05-01 10:30:45", "unix": 1_714_559_445}))
        );
    }

    #[tokio::test]
    async fn format_without_a_format_normalises_to_utc() {
        let out = run(json!({"operation": "format", "value": "2024-05-01T12:30:45.5+02:00"})).await;
        assert_eq!(
            out,
            Ok(json!({"result": "2024-05-01T10:30:45.500Z", "unix": 1_714_559_445}))
        );
    }

    #[tokio::test]
    async fn local_timezone_describes_the_same_instant() {
        let out = run(json!({
            "operation": "format",
            "value": "2024-05-01T10:30:45Z",
            "timezone": "local"
        }))
        .await
        .expect("format works");
        assert_eq!(out["unix"], json!(1_714_559_445));
        let text = out["result"].as_str().expect("result is a string");
        assert_eq!(
            parse_rfc3339(text).expect("parses back").timestamp(),
            1_714_559_445
        );
    }

    #[tokio::test]
    async fn parse_rfc3339_and_custom_formats() {
        assert_eq!(
            run(json!({"operation": "parse", "value": "1970-01-02T00:00:00Z"})).await,
            Ok(json!({"result": "1970-01-02T00:00:00Z", "unix": 86_400}))
        );
        assert_eq!(
            run(json!({"operation": "parse", "value": "02/01/1970 01:00", "format": "%d/%m/%Y %H:%M"}))
                .await,
            Ok(json!({"result": "1970-01-02T01:00:00Z", "unix": 90_000}))
        );
        assert_eq!(
            run(json!({"operation": "parse", "value": "1970-01-03", "format": "%Y-%m-%d"})).await,
            Ok(json!({"result": "1970-01-03T00:00:00Z", "unix": 172_800}))
        );
        assert_eq!(
            run(json!({
                "operation": "parse",
                "value": "1970-01-02 00:00 +0100",
                "format": "%Y-%m-%d %H:%M %z"
            }))
            .await,
            Ok(json!({"result": "1970-01-01T23:00:00Z", "unix": 82_800}))
        );
    }

    #[tokio::test]
    async fn parse_errors_are_clear() {
        let err = run(json!({"operation": "parse", "value": "yesterday"}))
            .await
            .unwrap_err();
        assert!(
            err.starts_with("tool 'datetime': value 'yesterday' is not an RFC 3339 date-time"),
            "{err}"
        );
        let err = run(json!({"operation": "parse", "value": "2024-13-01", "format": "%Y-%m-%d"}))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            "tool 'datetime': value '2024-13-01' does not match format '%Y-%m-%d': input is out \
             of range"
        );
        assert_eq!(
            run(json!({"operation": "parse"})).await,
            Err("tool 'datetime': operation 'parse' needs the 'value' parameter".into())
        );
    }

    #[tokio::test]
    async fn invalid_format_strings_are_errors_not_panics() {
        assert_eq!(
            run(json!({"operation": "now", "format": "%Q"})).await,
            Err("tool 'datetime': format '%Q' is not a valid strftime format".into())
        );
    }

    #[tokio::test]
    async fn add_seconds_forwards_and_backwards() {
        assert_eq!(
            run(json!({"operation": "add", "value": "2024-02-28T23:00:00Z", "seconds": 7200}))
                .await,
            Ok(json!({"result": "2024-02-29T01:00:00Z", "unix": 1_709_168_400}))
        );
        assert_eq!(
            run(json!({"operation": "add", "value": "1970-01-01T00:00:10Z", "seconds": -2.5}))
                .await,
            Ok(json!({"result": "1970-01-01T00:00:07.500Z", "unix": 7}))
        );
    }

    #[tokio::test]
    async fn add_without_a_value_starts_from_now() {
        let before = Utc::now().timestamp();
        let out = run(json!({"operation": "add", "seconds": 3600}))
            .await
            .expect("add works");
        let unix = out["unix"].as_i64().expect("unix is an integer");
        assert!((before + 3600..=before + 3602).contains(&unix), "{unix}");
    }

    #[tokio::test]
    async fn add_needs_seconds_and_other_operations_refuse_them() {
        assert_eq!(
            run(json!({"operation": "add", "value": "2024-01-01T00:00:00Z"})).await,
            Err("tool 'datetime': operation 'add' needs the 'seconds' parameter".into())
        );
        assert_eq!(
            run(json!({"operation": "now", "seconds": 5})).await,
            Err("tool 'datetime': parameter 'seconds' is only used by add, not now".into())
        );
        let err = run(json!({"operation": "add", "seconds": 1e300}))
            .await
            .unwrap_err();
        assert!(err.contains("seconds must be a finite number"), "{err}");
    }
}
