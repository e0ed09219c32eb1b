//! Workflow behaviour that a transcript cannot pin down: parallel branches really overlap,
//! `max_concurrency` bounds how many do, and step events arrive while the workflow runs.

use std::time::{Duration, Instant};

use futures::StreamExt;
use llmspell_runtime::events::StepStatus;
use llmspell_runtime::{ExecutionContext, RunEvent, Script, ScriptRuntime};

/// Runs `source` and returns each event with the time it arrived.
async fn timed_events(source: &str) -> Vec<(Duration, RunEvent)> {
    let runtime = ScriptRuntime::new_with_lua(ExecutionContext::default()).expect("Lua runtime");
    let started = Instant::now();
    runtime
        .execute_script_streaming(Script::new("wf.lua", source))
        .map(|e| (started.elapsed(), e))
        .collect()
        .await
}

/// The most steps that were running at the same time.
fn max_in_flight(events: &[(Duration, RunEvent)]) -> usize {
    let (mut now, mut max) = (0usize, 0usize);
    for (_, event) in events {
        if let RunEvent::Step { status, .. } = event {
            match status {
                StepStatus::Running => now += 1,
                StepStatus::Ok | StepStatus::Error => now -= 1,
            }
            max = max.max(now);
        }
    }
    max
}

fn parallel_sleeps(max_concurrency: Option<u32>) -> String {
    let limit = max_concurrency
        .map(|n| format!(", max_concurrency = {n}"))
        .unwrap_or_default();
    format!(
        r#"local branch = {{ tool = "sleep", params = {{ ms = 200 }} }}
local wf = Workflow.parallel{{ branches = {{ branch, branch, branch, branch }}{limit} }}
return #wf:execute().output"#
    )
}

fn finished_at(events: &[(Duration, RunEvent)]) -> Duration {
    events
        .iter()
        .find_map(|(at, e)| matches!(e, RunEvent::Result { .. }).then_some(*at))
        .unwrap_or_else(|| panic!("no result in {events:?}"))
}

#[tokio::test]
async fn parallel_branches_run_concurrently() {
    let events = timed_events(&parallel_sleeps(None)).await;
    assert_eq!(max_in_flight(&events), 4);
    let took = finished_at(&events);
    assert!(
        took < Duration::from_millis(700),
        "four 200 ms branches took {took:?}"
    );
}

#[tokio::test]
async fn max_concurrency_bounds_the_branches_in_flight() {
    let events = timed_events(&parallel_sleeps(Some(2))).await;
    assert_eq!(max_in_flight(&events), 2);
    let took = finished_at(&events);
    assert!(
        took >= Duration::from_millis(400),
        "two rounds of 200 ms took only {took:?}"
    );
    let serial = timed_events(&parallel_sleeps(Some(1))).await;
    assert_eq!(max_in_flight(&serial), 1);
    assert!(finished_at(&serial) >= Duration::from_millis(800));
}

#[tokio::test]
async fn step_events_stream_while_the_workflow_runs() {
    let events = timed_events(
        r#"local wf = Workflow.sequential{ steps = {
  { name = "first", tool = "sleep", params = { ms = 10 } },
  { name = "second", tool = "sleep", params = { ms = 300 } },
}}
wf:execute()"#,
    )
    .await;
    let first_done = events
        .iter()
        .find_map(|(at, e)| match e {
            RunEvent::Step {
                step,
                status: StepStatus::Ok,
                ..
            } if step == "first" => Some(*at),
            _ => None,
        })
        .expect("first step finished");
    let end = finished_at(&events);
    assert!(
        end - first_done >= Duration::from_millis(250),
        "step event came at {first_done:?}, end at {end:?}"
    );
}
