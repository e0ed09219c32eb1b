//! Workflows: sequential, parallel, conditional and loop, built from validated config tables
//! and run step by step with placeholders substituted and each step reported as it runs.

use std::sync::Arc;
use std::time::Instant;

use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use indexmap::IndexMap;

use crate::agent::Agent;
use crate::api_context::ApiContext;
use crate::error::{Result, RuntimeError};
use crate::events::{RunEvent, StepStatus};
use crate::tools::ToolHandle;
use crate::value::{ScriptFunction, ScriptValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowKind {
    Sequential,
    Parallel,
    Conditional,
    Loop,
}

impl WorkflowKind {
    pub const ALL: [WorkflowKind; 4] = [
        WorkflowKind::Sequential,
        WorkflowKind::Parallel,
        WorkflowKind::Conditional,
        WorkflowKind::Loop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowKind::Sequential => "sequential",
            WorkflowKind::Parallel => "parallel",
            WorkflowKind::Conditional => "conditional",
            WorkflowKind::Loop => "loop",
        }
    }

    /// The definition's type for this kind's config table.
    pub fn config_type(self) -> &'static str {
        match self {
            WorkflowKind::Sequential => "SequentialConfig",
            WorkflowKind::Parallel => "ParallelConfig",
            WorkflowKind::Conditional => "ConditionalConfig",
            WorkflowKind::Loop => "LoopConfig",
        }
    }
}

pub struct Workflow {
    pub name: String,
    pub kind: WorkflowKind,
    body: Body,
}

enum Body {
    Sequential(Vec<Step>),
    Parallel {
        branches: Vec<Step>,
        max_concurrency: usize,
    },
    Conditional {
        branches: Vec<(Arc<dyn ScriptFunction>, Vec<Step>)>,
        default: Vec<Step>,
    },
    Loop {
        steps: Vec<Step>,
        max_iterations: u32,
        stop_when: Option<Arc<dyn ScriptFunction>>,
    },
}

struct Step {
    name: String,
    action: Action,
}

enum Action {
    Agent {
        agent: Arc<Agent>,
        input: String,
    },
    Tool {
        tool: ToolHandle,
        params: ScriptValue,
    },
    Workflow {
        workflow: Arc<Workflow>,
        input: Option<String>,
    },
    Run(Arc<dyn ScriptFunction>),
}

/// What the steps of one run share: the values placeholders and `ctx` read.
#[derive(Clone)]
struct RunState {
    input: ScriptValue,
    prev: ScriptValue,
    steps: IndexMap<String, ScriptValue>,
    vars: ScriptValue,
    results: Vec<ScriptValue>,
}

impl RunState {
    fn context(&self) -> ScriptValue {
        let mut ctx = IndexMap::new();
        ctx.insert("input".to_owned(), self.input.clone());
        ctx.insert("prev".to_owned(), self.prev.clone());
        ctx.insert("steps".to_owned(), ScriptValue::Map(self.steps.clone()));
        ctx.insert("vars".to_owned(), self.vars.clone());
        ScriptValue::Map(ctx)
    }
}

impl Workflow {
    /// Builds a workflow from a config table that passed the definition's checks. Agents and
    /// tools given by name are looked up now, so a misspelt name fails where it is written.
    pub fn build(
        api: &ApiContext,
        call: &str,
        kind: WorkflowKind,
        config: &ScriptValue,
    ) -> Result<Workflow> {
        let steps_of = |field: &str| -> Result<Vec<Step>> {
            match config.get(field) {
                ScriptValue::List(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| build_step(api, call, &format!("{field}[{}]", i + 1), i, s))
                    .collect(),
                _ => Ok(Vec::new()),
            }
        };
        let body = match kind {
            WorkflowKind::Sequential => Body::Sequential(steps_of("steps")?),
            WorkflowKind::Parallel => {
                let branches = steps_of("branches")?;
                let max_concurrency = config
                    .get("max_concurrency")
                    .as_i64()
                    .map(|n| n as usize)
                    .unwrap_or(branches.len())
                    .max(1);
                Body::Parallel {
                    branches,
                    max_concurrency,
                }
            }
            WorkflowKind::Conditional => {
                let mut branches = Vec::new();
                if let ScriptValue::List(items) = config.get("branches") {
                    for (i, branch) in items.iter().enumerate() {
                        let ScriptValue::Function(when) = branch.get("when") else {
                            continue;
                        };
                        let ScriptValue::List(steps) = branch.get("steps") else {
                            continue;
                        };
                        let steps = steps
                            .iter()
                            .enumerate()
                            .map(|(j, s)| {
                                build_step(
                                    api,
                                    call,
                                    &format!("branches[{}].steps[{}]", i + 1, j + 1),
                                    j,
                                    s,
                                )
                            })
                            .collect::<Result<Vec<_>>>()?;
                        branches.push((Arc::clone(when), steps));
                    }
                }
                Body::Conditional {
                    branches,
                    default: steps_of("default")?,
                }
            }
            WorkflowKind::Loop => Body::Loop {
                steps: steps_of("steps")?,
                max_iterations: config.get("max_iterations").as_i64().unwrap_or(10) as u32,
                stop_when: match config.get("stop_when") {
                    ScriptValue::Function(f) => Some(Arc::clone(f)),
                    _ => None,
                },
            },
        };
        check_steps(call, &body)?;
        let name = config
            .get("name")
            .as_str()
            .unwrap_or(kind.as_str())
            .to_owned();
        Ok(Workflow { name, kind, body })
    }

    /// Runs the workflow and returns its `WorkflowResult` table.
    pub fn execute<'a>(
        &'a self,
        api: &'a ApiContext,
        input: ScriptValue,
    ) -> BoxFuture<'a, Result<ScriptValue>> {
        Box::pin(async move {
            let mut state = RunState {
                prev: input.clone(),
                input,
                steps: IndexMap::new(),
                vars: ScriptValue::Map(IndexMap::new()),
                results: Vec::new(),
            };
            let mut iterations = None;
            let output = match &self.body {
                Body::Sequential(steps) => self.run_steps(api, steps, &mut state).await?,
                Body::Parallel {
                    branches,
                    max_concurrency,
                } => {
                    self.run_parallel(api, branches, *max_concurrency, &mut state)
                        .await?
                }
                Body::Conditional { branches, default } => {
                    let mut chosen = None;
                    for (i, (when, steps)) in branches.iter().enumerate() {
                        let decision = when.call(state.context()).await.map_err(|e| {
                            callback_failed(&self.name, &format!("`when` of branch {}", i + 1), e)
                        })?;
                        if decision.is_truthy() {
                            chosen = Some(steps);
                            break;
                        }
                    }
                    let steps = chosen.unwrap_or(default);
                    if steps.is_empty() {
                        ScriptValue::Nil
                    } else {
                        self.run_steps(api, steps, &mut state).await?
                    }
                }
                Body::Loop {
                    steps,
                    max_iterations,
                    stop_when,
                } => {
                    let mut count = 0;
                    while count < *max_iterations {
                        count += 1;
                        let output = self.run_steps(api, steps, &mut state).await?;
                        state.prev = output;
                        let stop = match stop_when {
                            Some(stop) => stop
                                .call(state.context())
                                .await
                                .map_err(|e| callback_failed(&self.name, "`stop_when`", e))?,
                            None => ScriptValue::Nil,
                        };
                        if stop.is_truthy() {
                            break;
                        }
                    }
                    iterations = Some(count);
                    state.prev.clone()
                }
            };
            let mut result = IndexMap::new();
            result.insert("output".to_owned(), output);
            result.insert(
                "steps".to_owned(),
                ScriptValue::List(std::mem::take(&mut state.results)),
            );
            if let Some(n) = iterations {
                result.insert("iterations".to_owned(), ScriptValue::Integer(i64::from(n)));
            }
            Ok(ScriptValue::Map(result))
        })
    }

    async fn run_steps(
        &self,
        api: &ApiContext,
        steps: &[Step],
        state: &mut RunState,
    ) -> Result<ScriptValue> {
        for (index, step) in steps.iter().enumerate() {
            let (outcome, result) = self.run_step(api, step, index, state.clone()).await;
            state.results.push(result);
            let (output, vars) = outcome?;
            if let Some(vars) = vars {
                state.vars = vars;
            }
            state.steps.insert(step.name.clone(), output.clone());
            state.prev = output;
        }
        Ok(state.prev.clone())
    }

    async fn run_parallel(
        &self,
        api: &ApiContext,
        branches: &[Step],
        max_concurrency: usize,
        state: &mut RunState,
    ) -> Result<ScriptValue> {
        let shared = state.clone();
        let runs: Vec<_> = branches
            .iter()
            .enumerate()
            .map(|(index, step)| self.run_step(api, step, index, shared.clone()))
            .collect();
        let outcomes: Vec<_> = stream::iter(runs).buffered(max_concurrency).collect().await;
        let mut outputs = Vec::new();
        let mut first_error = None;
        for (step, (outcome, result)) in branches.iter().zip(outcomes) {
            state.results.push(result);
            match outcome {
                Ok((output, _)) => {
                    state.steps.insert(step.name.clone(), output.clone());
                    outputs.push(output);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(ScriptValue::List(outputs)),
        }
    }

    /// Runs one step, reporting it, and returns its outcome (output and changed vars) with its
    /// `StepResult` table.
    async fn run_step(
        &self,
        api: &ApiContext,
        step: &Step,
        index: usize,
        state: RunState,
    ) -> (Result<(ScriptValue, Option<ScriptValue>)>, ScriptValue) {
        let event = |status, output: Option<&ScriptValue>, duration_ms, error: Option<String>| {
            RunEvent::Step {
                workflow: self.name.clone(),
                step: step.name.clone(),
                index: index + 1,
                status,
                output: output.map(ScriptValue::to_json),
                duration_ms,
                error,
            }
        };
        api.events
            .emit(event(StepStatus::Running, None, None, None));
        let started = Instant::now();
        let outcome = run_action(api, &step.action, &state).await;
        let duration_ms = started.elapsed().as_millis() as u64;
        let mut result = IndexMap::new();
        result.insert("name".to_owned(), ScriptValue::String(step.name.clone()));
        let outcome = match outcome {
            Ok((output, vars)) => {
                api.events.emit(event(
                    StepStatus::Ok,
                    Some(&output),
                    Some(duration_ms),
                    None,
                ));
                result.insert("status".to_owned(), "ok".into());
                result.insert("output".to_owned(), output.clone());
                Ok((output, vars))
            }
            Err(error) => {
                api.events.emit(event(
                    StepStatus::Error,
                    None,
                    Some(duration_ms),
                    Some(error.to_string()),
                ));
                result.insert("status".to_owned(), "error".into());
                result.insert("error".to_owned(), ScriptValue::String(error.to_string()));
                Err(step_failed(&self.name, &step.name, error))
            }
        };
        result.insert(
            "duration_ms".to_owned(),
            ScriptValue::Integer(duration_ms as i64),
        );
        (outcome, ScriptValue::Map(result))
    }
}

/// Refuses workflows that cannot do what was meant: no steps at all, or two steps with one
/// name (which would make `{{steps.NAME}}` ambiguous).
fn check_steps(call: &str, body: &Body) -> Result<()> {
    let groups: Vec<(&str, &[Step])> = match body {
        Body::Sequential(steps) => vec![("steps", steps)],
        Body::Parallel { branches, .. } => vec![("branches", branches)],
        Body::Loop { steps, .. } => vec![("steps", steps)],
        Body::Conditional { branches, default } => {
            if branches.is_empty() {
                return Err(RuntimeError::api(
                    call,
                    "field 'branches' must not be empty",
                ));
            }
            let mut groups: Vec<(&str, &[Step])> = branches
                .iter()
                .map(|(_, s)| ("branches[].steps", s.as_slice()))
                .collect();
            if !default.is_empty() {
                groups.push(("default", default));
            }
            groups
        }
    };
    // Only one group of a conditional runs, so names need only be unique within a group.
    for (field, steps) in groups {
        let mut seen = std::collections::HashSet::new();
        if steps.is_empty() {
            return Err(RuntimeError::api(
                call,
                format!("field '{field}' must not be empty"),
            ));
        }
        for step in steps {
            if !seen.insert(step.name.as_str()) {
                return Err(RuntimeError::api(
                    call,
                    format!(
                        "two steps are named '{}'; step names must be unique",
                        step.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Wraps the error of a `when` or `stop_when` callback with the workflow's name.
fn callback_failed(workflow: &str, callback: &str, error: RuntimeError) -> RuntimeError {
    match error {
        RuntimeError::Script { message, location } => RuntimeError::Script {
            message: format!("workflow '{workflow}': {callback} failed: {message}"),
            location,
        },
        other => other,
    }
}

/// Wraps a step's error with the workflow and step names; limits and cancellation pass through
/// unchanged so they keep their meaning.
fn step_failed(workflow: &str, step: &str, error: RuntimeError) -> RuntimeError {
    match error {
        RuntimeError::Script { message, location } => RuntimeError::Script {
            message: format!("workflow '{workflow}': step '{step}' failed: {message}"),
            location,
        },
        other => other,
    }
}

async fn run_action(
    api: &ApiContext,
    action: &Action,
    state: &RunState,
) -> Result<(ScriptValue, Option<ScriptValue>)> {
    match action {
        Action::Agent { agent, input } => {
            let prompt = substitute(input, state)?;
            let result = agent
                .execute(&ScriptValue::String(prompt), &api.tool_runner())
                .await
                .map_err(RuntimeError::script)?;
            Ok((result.get("text").clone(), None))
        }
        Action::Tool { tool, params } => {
            let params = substitute_value(params, state)?;
            Ok((api.tool_execute("tool step", tool, &params).await?, None))
        }
        Action::Workflow { workflow, input } => {
            let input = match input {
                Some(template) => ScriptValue::String(substitute(template, state)?),
                None => state.prev.clone(),
            };
            let result = workflow.execute(api, input).await?;
            Ok((result.get("output").clone(), None))
        }
        Action::Run(function) => function.call_with_context(state.context()).await,
    }
}

fn build_step(
    api: &ApiContext,
    call: &str,
    path: &str,
    index: usize,
    spec: &ScriptValue,
) -> Result<Step> {
    let name = spec
        .get("name")
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("step{}", index + 1));
    let input = spec.get("input").as_str().map(str::to_owned);
    let action = match (
        spec.get("agent"),
        spec.get("tool"),
        spec.get("workflow"),
        spec.get("run"),
    ) {
        (ScriptValue::Agent(agent), ..) => Action::Agent {
            agent: Arc::clone(agent),
            input: input.unwrap_or_else(|| "{{prev}}".into()),
        },
        (ScriptValue::String(agent_name), ..) => {
            let agent = api.agent_get(agent_name).ok_or_else(|| {
                RuntimeError::api(
                    call,
                    format!("{path}.agent: no agent named '{agent_name}' was created"),
                )
            })?;
            Action::Agent {
                agent,
                input: input.unwrap_or_else(|| "{{prev}}".into()),
            }
        }
        (_, tool @ (ScriptValue::String(_) | ScriptValue::Tool(_)), ..) => Action::Tool {
            tool: api.resolve_tool(&format!("{call}: {path}.tool"), tool)?,
            params: spec.get("params").clone(),
        },
        (_, _, ScriptValue::Workflow(workflow), _) => Action::Workflow {
            workflow: Arc::clone(workflow),
            input,
        },
        (_, _, _, ScriptValue::Function(function)) => Action::Run(Arc::clone(function)),
        _ => {
            return Err(RuntimeError::api(
                call,
                format!("{path} needs one of agent, tool, workflow, run"),
            ));
        }
    };
    Ok(Step { name, action })
}

/// Substitutes `{{input}}`, `{{prev}}`, `{{steps.NAME}}` and `{{vars.NAME}}`, each optionally
/// followed by a path into the value (`{{steps.search.result}}`, `{{prev.items.1}}`). A
/// placeholder with one of these roots that does not resolve is an error naming it; other
/// `{{...}}` text is left alone, so a `template` tool's own placeholders pass through to it.
fn substitute(text: &str, state: &RunState) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        let key = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        match resolve_placeholder(key, state) {
            Some(value) => out.push_str(&value?.to_text()),
            None => out.push_str(&rest[start..start + 4 + len]),
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The value of a placeholder, `None` when `key` is not one of the workflow's roots.
fn resolve_placeholder<'a>(key: &str, state: &'a RunState) -> Option<Result<&'a ScriptValue>> {
    let mut parts = key.split('.');
    let root = parts.next()?;
    let fail = |what: String| RuntimeError::script(format!("placeholder {{{{{key}}}}}: {what}"));
    let (mut value, mut walked) = match root {
        "input" => (&state.input, "input".to_owned()),
        "prev" => (&state.prev, "prev".to_owned()),
        "vars" => (&state.vars, "vars".to_owned()),
        "steps" => {
            let Some(name) = parts.next() else {
                return Some(Err(fail("name the step: {{steps.NAME}}".into())));
            };
            match state.steps.get(name) {
                Some(value) => (value, format!("steps.{name}")),
                None => return Some(Err(fail(format!("no step named '{name}' has run yet")))),
            }
        }
        _ => return None,
    };
    for part in parts {
        let next = match value {
            ScriptValue::Map(map) => map.get(part),
            ScriptValue::List(items) => part
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i.checked_sub(1)?)),
            _ => None,
        };
        value = match next {
            Some(next) => next,
            None => {
                let known = match value {
                    ScriptValue::Map(map) if !map.is_empty() => {
                        format!(
                            " (it has: {})",
                            map.keys().cloned().collect::<Vec<_>>().join(", ")
                        )
                    }
                    ScriptValue::List(items) => {
                        format!(" (a list of {} items, numbered from 1)", items.len())
                    }
                    other => format!(" (it is {})", other.type_name()),
                };
                return Some(Err(fail(format!("no '{part}' in {walked}{known}"))));
            }
        };
        walked.push('.');
        walked.push_str(part);
    }
    Some(Ok(value))
}

fn substitute_value(value: &ScriptValue, state: &RunState) -> Result<ScriptValue> {
    Ok(match value {
        ScriptValue::String(s) => ScriptValue::String(substitute(s, state)?),
        ScriptValue::List(items) => ScriptValue::List(
            items
                .iter()
                .map(|v| substitute_value(v, state))
                .collect::<Result<_>>()?,
        ),
        ScriptValue::Map(map) => ScriptValue::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute_value(v, state)?)))
                .collect::<Result<_>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> RunState {
        let mut steps = IndexMap::new();
        steps.insert("draft".to_owned(), ScriptValue::from("a haiku"));
        let mut vars = IndexMap::new();
        vars.insert("n".to_owned(), ScriptValue::Integer(3));
        RunState {
            input: "autumn".into(),
            prev: ScriptValue::Integer(7),
            steps,
            vars: ScriptValue::Map(vars),
            results: Vec::new(),
        }
    }

    #[test]
    fn substitutes_every_placeholder_kind() {
        let text = "{{input}}|{{ prev }}|{{steps.draft}}|{{vars.n}}|{{name}}";
        assert_eq!(
            substitute(text, &state()).unwrap(),
            "autumn|7|a haiku|3|{{name}}"
        );
    }

    #[test]
    fn a_missing_step_is_an_error_naming_it() {
        let err = substitute("{{steps.nope}}", &state())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "placeholder {{steps.nope}}: no step named 'nope' has run yet"
        );
    }

    #[test]
    fn paths_reach_into_values_and_missing_parts_are_named() {
        let mut state = state();
        let mut result = IndexMap::new();
        result.insert("result".to_owned(), ScriptValue::from("HI"));
        state
            .steps
            .insert("up".to_owned(), ScriptValue::Map(result));
        state.prev = ScriptValue::List(vec!["a".into(), "b".into()]);
        assert_eq!(
            substitute("{{steps.up.result}} {{prev.2}}", &state).unwrap(),
            "HI b"
        );
        let err = substitute("{{steps.up.titel}}", &state)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "placeholder {{steps.up.titel}}: no 'titel' in steps.up (it has: result)"
        );
        let err = substitute("{{vars.missing}}", &state)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "placeholder {{vars.missing}}: no 'missing' in vars (it has: n)"
        );
        let err = substitute("{{prev.3}}", &state).unwrap_err().to_string();
        assert_eq!(
            err,
            "placeholder {{prev.3}}: no '3' in prev (a list of 2 items, numbered from 1)"
        );
    }

    #[test]
    fn unterminated_braces_are_left_alone() {
        assert_eq!(substitute("a {{input", &state()).unwrap(), "a {{input");
    }
}
