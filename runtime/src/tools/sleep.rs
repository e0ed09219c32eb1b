//! The `sleep` tool: waits for a number of milliseconds, for pacing calls to rate-limited
//! services and for polling; it stops early when the run is cancelled.

use std::time::Duration;

use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

/// Ten minutes: a longer wait is more likely a unit mistake (seconds for milliseconds) than a
/// real need.
const MAX_MS: u64 = 600_000;

pub struct Sleep {
    schema: ToolSchema,
}

impl Sleep {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "sleep",
            "Waits for the given number of milliseconds (at most 600000, ten minutes). Stops \
             early with an error if the run is cancelled.",
        )
        .param(
            ParamSchema::new(
                "ms",
                ParamType::Integer,
                "How long to wait, in milliseconds, from 0 to 600000.",
            )
            .range(0.0, MAX_MS as f64)
            .required(),
        )
        .returns(ParamSchema::new(
            "slept_ms",
            ParamType::Integer,
            "The number of milliseconds waited, which equals ms.",
        ));
        Sleep { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Sleep {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, ctx: &ToolContext) -> Result<Value, String> {
        let ms = params
            .get("ms")
            .and_then(Value::as_f64)
            .ok_or("missing parameter 'ms'")?;
        // Validation checked the range and that it is a whole number, so the cast is exact.
        let ms = ms as u64;
        tokio::select! {
            // Cancellation is checked first so that an already-cancelled run does not sleep.
            biased;
            () = ctx.cancel.cancelled() => Err("cancelled".into()),
            () = tokio::time::sleep(Duration::from_millis(ms)) => Ok(json!({ "slept_ms": ms })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::execute_tool;
    use super::*;
    use std::time::Instant;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    #[tokio::test]
    async fn sleeps_for_the_requested_time() {
        let started = Instant::now();
        let out = execute_tool(&Sleep::new(), &json!({"ms": 50}), &ctx()).await;
        assert_eq!(out, Ok(json!({"slept_ms": 50})));
        assert!(
            started.elapsed() >= Duration::from_millis(50),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn zero_is_allowed() {
        assert_eq!(
            execute_tool(&Sleep::new(), &json!({"ms": 0}), &ctx()).await,
            Ok(json!({"slept_ms": 0}))
        );
    }

    #[tokio::test]
    async fn cancellation_stops_the_wait_early() {
        let ctx = ctx();
        let cancel = ctx.cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            cancel.cancel();
        });
        let started = Instant::now();
        let out = execute_tool(&Sleep::new(), &json!({"ms": 60_000}), &ctx).await;
        assert_eq!(out, Err("tool 'sleep': cancelled".into()));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn already_cancelled_runs_do_not_sleep() {
        let ctx = ctx();
        ctx.cancel.cancel();
        assert_eq!(
            execute_tool(&Sleep::new(), &json!({"ms": 0}), &ctx).await,
            Err("tool 'sleep': cancelled".into())
        );
    }

    #[tokio::test]
    async fn out_of_range_and_fractional_values_are_refused() {
        assert_eq!(
            execute_tool(&Sleep::new(), &json!({"ms": 600_001}), &ctx()).await,
            Err("tool 'sleep': parameter 'ms' must be between 0 and 600000, got 600001".into())
        );
        assert_eq!(
            execute_tool(&Sleep::new(), &json!({"ms": -5}), &ctx()).await,
            Err("tool 'sleep': parameter 'ms' must be between 0 and 600000, got -5".into())
        );
        assert_eq!(
            execute_tool(&Sleep::new(), &json!({"ms": 1.5}), &ctx()).await,
            Err("tool 'sleep': parameter 'ms' must be integer, got number".into())
        );
    }
}
