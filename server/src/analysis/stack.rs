//! Large stacks for the parsers. full_moon and swc recurse once per nesting level (and drop
//! their trees the same way), so they run on threads with a large stack, behind each front
//! end's nesting cap.
//!
//! A thread spawned here is marked as having that stack. Work asked for on such a thread runs
//! inline: `llmspell lint` parses thousands of files on its own large-stack workers, and a new
//! thread per file (its stack mapped, faulted in page by page and unmapped) cost it more than
//! a fifth of its time.

use std::cell::Cell;
use std::thread::{Scope, ScopedJoinHandle};

/// The stack size of a parser thread: full_moon handles about 2,000 nesting levels with it,
/// ten times the analysis' cap.
pub const PARSER_STACK: usize = 64 << 20;

thread_local! {
    static HAS_LARGE_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Spawns `f` within scope `s` on a new thread with a [`PARSER_STACK`]-sized stack, marked as
/// such; `None` when the thread cannot be created.
pub fn spawn_scoped<'scope, T: Send + 'scope>(
    s: &'scope Scope<'scope, '_>,
    name: &str,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Option<ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(PARSER_STACK)
        .spawn_scoped(s, move || {
            HAS_LARGE_STACK.with(|flag| flag.set(true));
            f()
        })
        .ok()
}

/// Runs `f` with a large stack: right here when this thread has one, else on a new thread.
/// `None` when `f` panicked (a parser bug) or no thread could be created.
pub fn with_large_stack<T: Send>(name: &str, f: impl FnOnce() -> T + Send) -> Option<T> {
    if HAS_LARGE_STACK.with(Cell::get) {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    }
    std::thread::scope(|s| spawn_scoped(s, name, f)?.join().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_runs_inline_only_on_a_large_stack_thread() {
        let caller = std::thread::current().id();
        let elsewhere = with_large_stack("t", || std::thread::current().id());
        assert_ne!(elsewhere, Some(caller));
        std::thread::scope(|s| {
            let worker = spawn_scoped(s, "w", || {
                let me = std::thread::current().id();
                (me, with_large_stack("t", || std::thread::current().id()))
            })
            .expect("thread");
            let (me, inner) = worker.join().expect("join");
            assert_eq!(inner, Some(me));
        });
        assert_eq!(
            with_large_stack("t", || -> u8 { panic!("parser bug") }),
            None
        );
    }
}
