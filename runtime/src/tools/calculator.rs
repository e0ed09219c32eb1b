//! The `calculator` tool: evaluates an arithmetic expression, so scripts and agents do not have to
//! trust a language model with sums.

use serde_json::{Value, json};

use super::{JsonMap, ParamSchema, ParamType, Tool, ToolContext, ToolSchema};

/// Longest expression accepted. evalexpr parses and evaluates recursively, so an expression
/// such as four thousand `-` signs in a row needs several megabytes of stack; the cap bounds that
/// need, and real arithmetic is far shorter.
const MAX_EXPRESSION_CHARS: usize = 4096;

/// Stack for the evaluation thread: comfortably more than the longest accepted expression needs
/// (measured at under 8 MiB for the worst shapes in an unoptimised build). Only address space is
/// reserved; pages are used as the recursion actually reaches them.
const EVAL_STACK_BYTES: usize = 32 * 1024 * 1024;

/// Largest magnitude at which every whole `f64` is exactly representable; whole results up to
/// this size are returned as JSON integers.
const MAX_EXACT_F64_INT: f64 = 9_007_199_254_740_992.0;

pub struct Calculator {
    schema: ToolSchema,
}

impl Calculator {
    pub fn new() -> Self {
        let schema = ToolSchema::new(
            "calculator",
            "Evaluates an arithmetic expression such as `17 * 23`, `2^10` or `(1 + 2) * 3`. \
             Supports + - * / % ^ (power), parentheses, comparisons, and functions such as \
             math::sqrt(x), math::ln(x), math::log(x, base), math::sin(x), math::pow(x, y), \
             math::abs(x), floor(x), round(x), ceil(x), min(a, b, ...) and max(a, b, ...). \
             Division of two integers truncates (7 / 2 = 3); write 7.0 / 2 for 3.5.",
        )
        .param(
            ParamSchema::new(
                "expression",
                ParamType::String,
                "The expression to evaluate, e.g. \"(1 + 2) * 3\" or \"math::sqrt(2)\".",
            )
            .required(),
        )
        .returns(ParamSchema::new(
            "result",
            ParamType::Number,
            "The value of the expression: an integer when the value is a whole number, \
             otherwise a floating-point number.",
        ));
        Calculator { schema }
    }
}

#[async_trait::async_trait]
impl Tool for Calculator {
    fn schema(&self) -> &ToolSchema {
        &self.schema
    }

    async fn run(&self, params: JsonMap, _ctx: &ToolContext) -> Result<Value, String> {
        let expression = params
            .get("expression")
            .and_then(Value::as_str)
            .ok_or("missing parameter 'expression'")?;
        let count = expression.chars().count();
        if count > MAX_EXPRESSION_CHARS {
            return Err(format!(
                "expression is {count} characters long; at most {MAX_EXPRESSION_CHARS} are allowed"
            ));
        }
        let result = evaluate_on_own_stack(expression.to_owned()).await?;
        Ok(json!({ "result": result }))
    }
}

/// Evaluates on a thread with a large stack of its own. A deeply nested expression on a runtime
/// worker's small stack would overflow it and abort the whole process, and a hostile or confused
/// model can easily write one; on this thread the length cap keeps the depth within bounds.
async fn evaluate_on_own_stack(expression: String) -> Result<Value, String> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("calculator".into())
        .stack_size(EVAL_STACK_BYTES)
        .spawn(move || {
            // The receiver is gone only if the calling task was dropped, and then nobody is
            // waiting for the answer.
            let _ = sender.send(evaluate(&expression));
        })
        .map_err(|e| format!("cannot start the evaluation: {e}"))?;
    // The sender is dropped without sending only if evaluation panicked.
    receiver
        .await
        .map_err(|_| "the evaluation failed unexpectedly".to_owned())?
}

/// Evaluates `expression` to a JSON number, naming the expression in every error.
fn evaluate(expression: &str) -> Result<Value, String> {
    if expression.trim().is_empty() {
        return Err("expression is empty".into());
    }
    let value = evalexpr::eval(expression).map_err(|e| describe_error(expression, &e))?;
    match value {
        evalexpr::Value::Int(n) => Ok(Value::from(n)),
        evalexpr::Value::Float(f) => float_result(expression, f),
        other => Err(format!(
            "expression '{expression}' evaluated to {}, not a number",
            kind_of(&other)
        )),
    }
}

/// Turns a float result into JSON. evalexpr computes `^` and the math functions in floating
/// point even for integer operands, so `2^10` comes back as 1024.0; whole values are therefore
/// returned as integers, which is what a reader of `2^10` expects.
fn float_result(expression: &str, f: f64) -> Result<Value, String> {
    if !f.is_finite() {
        return Err(if f.is_nan() {
            format!("expression '{expression}' has no numeric result (it is not a number)")
        } else {
            format!("expression '{expression}' is infinite (division by zero or overflow)")
        });
    }
    if f.fract() == 0.0 && f.abs() <= MAX_EXACT_F64_INT {
        // The magnitude check above makes this conversion exact.
        return Ok(Value::from(f as i64));
    }
    Ok(Value::from(f))
}

fn describe_error(expression: &str, error: &evalexpr::EvalexprError) -> String {
    match error {
        evalexpr::EvalexprError::DivisionError { .. } => {
            format!("expression '{expression}' divides by zero or overflows")
        }
        evalexpr::EvalexprError::ModulationError { .. } => {
            format!("expression '{expression}' takes a remainder by zero or overflows")
        }
        other => format!("cannot evaluate expression '{expression}': {other}"),
    }
}

fn kind_of(value: &evalexpr::Value) -> &'static str {
    match value {
        evalexpr::Value::String(_) => "a string",
        evalexpr::Value::Boolean(_) => "a boolean",
        evalexpr::Value::Tuple(_) => "a tuple",
        evalexpr::Value::Empty => "nothing",
        evalexpr::Value::Int(_) | evalexpr::Value::Float(_) => "a number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ToolContext {
        ToolContext::new(std::env::temp_dir(), false, false)
    }

    async fn calc(expression: &str) -> Result<Value, String> {
        let tool = Calculator::new();
        super::super::execute_tool(&tool, &json!({ "expression": expression }), &ctx())
            .await
            .map(|v| v["result"].clone())
    }

    #[tokio::test]
    async fn integer_arithmetic_gives_json_integers() {
        assert_eq!(calc("17 * 23").await, Ok(json!(391)));
        assert_eq!(calc("(1+2)*3").await, Ok(json!(9)));
        assert_eq!(calc("10 - 25").await, Ok(json!(-15)));
        assert_eq!(calc("7 / 2").await, Ok(json!(3)));
        assert_eq!(calc("7 % 3").await, Ok(json!(1)));
    }

    #[tokio::test]
    async fn power_of_integers_is_an_integer() {
        let result = calc("2^10").await.expect("evaluates");
        assert_eq!(result, json!(1024));
        assert!(
            result.is_i64(),
            "2^10 should be a JSON integer, got {result}"
        );
    }

    #[tokio::test]
    async fn floats_stay_floats() {
        assert_eq!(calc("1.5 * 3").await, Ok(json!(4.5)));
        assert_eq!(calc("7.0 / 2").await, Ok(json!(3.5)));
        assert_eq!(calc("0.1 + 0.2").await, Ok(json!(0.1 + 0.2)));
    }

    #[tokio::test]
    async fn math_functions_are_available() {
        assert_eq!(calc("math::sqrt(16)").await, Ok(json!(4)));
        assert_eq!(
            calc("math::sqrt(2)").await,
            Ok(json!(std::f64::consts::SQRT_2))
        );
        assert_eq!(calc("max(3, 9, 4)").await, Ok(json!(9)));
        assert_eq!(calc("floor(2.7)").await, Ok(json!(2)));
    }

    #[tokio::test]
    async fn division_by_zero_names_the_expression() {
        assert_eq!(
            calc("1 / 0").await,
            Err("tool 'calculator': expression '1 / 0' divides by zero or overflows".into())
        );
        assert_eq!(
            calc("1.0 / 0").await,
            Err("tool 'calculator': expression '1.0 / 0' is infinite (division by zero or overflow)"
                .into())
        );
        let err = calc("5 % 0").await.unwrap_err();
        assert!(
            err.contains("expression '5 % 0' takes a remainder by zero"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn parse_errors_name_the_expression() {
        let err = calc("2 +* 3").await.unwrap_err();
        assert!(
            err.starts_with("tool 'calculator': cannot evaluate expression '2 +* 3': "),
            "{err}"
        );
        let err = calc("unknown_var + 1").await.unwrap_err();
        assert!(
            err.contains("cannot evaluate expression 'unknown_var + 1'"),
            "{err}"
        );
        assert_eq!(
            calc("  ").await,
            Err("tool 'calculator': expression is empty".into())
        );
    }

    #[tokio::test]
    async fn non_numeric_results_are_refused() {
        assert_eq!(
            calc("1 < 2").await,
            Err(
                "tool 'calculator': expression '1 < 2' evaluated to a boolean, not a number".into()
            )
        );
    }

    #[tokio::test]
    async fn deeply_nested_expressions_do_not_overflow_the_stack() {
        // Each of these would overflow a two-megabyte runtime worker stack.
        let negations = format!("{}1", "-".repeat(MAX_EXPRESSION_CHARS - 1));
        assert_eq!(calc(&negations).await, Ok(json!(-1)));
        let depth = MAX_EXPRESSION_CHARS / 2 - 1;
        let parens = format!("{}7{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(calc(&parens).await, Ok(json!(7)));
    }

    #[tokio::test]
    async fn overlong_expressions_are_refused() {
        let long = format!("1{}", "+1".repeat(MAX_EXPRESSION_CHARS / 2));
        assert_eq!(
            calc(&long).await,
            Err(format!(
                "tool 'calculator': expression is {} characters long; at most \
                 {MAX_EXPRESSION_CHARS} are allowed",
                MAX_EXPRESSION_CHARS + 1
            ))
        );
    }

    #[tokio::test]
    async fn expression_is_required() {
        let tool = Calculator::new();
        let err = super::super::execute_tool(&tool, &json!({}), &ctx())
            .await
            .unwrap_err();
        assert_eq!(
            err,
            "tool 'calculator': missing required parameter 'expression' (string)"
        );
    }
}
