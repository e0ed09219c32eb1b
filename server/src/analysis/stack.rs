//! Large stacks for the parsers. full_moon and swc recurse once per nesting level (and drop
//! their trees the same way), so they run on threads with a large stack, behind each front
//! end's nesting cap.
//!
//! A thread spawned here is marked as having that stack. Work asked for on such a thread runs
//! inline: `llmspell lint` parses thousands of files on its own large-stack workers, and a new
//! thread per file (its stack mapped, faulted in page by page and unmapped) cost it more than
//! a fifth of its time.

use std::any::Any;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::sync::{Mutex, OnceLock};
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

/// `f` over `items` on up to `workers` large-stack threads, each taking the next item, with
/// the results in the items' order. The workers share one queue, so any that start do all the
/// work; if none can, this thread does it.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let workers = workers.clamp(1, items.len().max(1));
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = f(item);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
        }
    };
    std::thread::scope(|s| {
        let started = (0..workers)
            .filter(|_| spawn_scoped(s, "worker", work).is_some())
            .count();
        if started == 0 {
            with_large_stack("worker", work);
        }
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

/// How many values may wait for [`drop_in_background`]'s thread before callers drop their own.
const DROPS_WAITING: usize = 4;

/// Drops `value` on a background thread with a large stack, so the caller does not wait for
/// it: a parsed tree of a large file is hundreds of thousands of allocations, and freeing them
/// took a fifth of the time from an edit to its diagnostics. When that thread already has
/// [`DROPS_WAITING`] values queued, or could not be started, `value` is dropped right here, so
/// memory never piles up behind it: call this only where a deep value may be dropped.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    static QUEUE: OnceLock<Option<SyncSender<Box<dyn Any + Send>>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = sync_channel::<Box<dyn Any + Send>>(DROPS_WAITING);
        std::thread::Builder::new()
            .name("drop".to_owned())
            .stack_size(PARSER_STACK)
            .spawn(move || {
                lowest_priority();
                // A panicking destructor must not end the thread that later drops wait for.
                for value in receiver {
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(value)));
                }
            })
            .ok()
            .map(|_| sender)
    });
    let Some(queue) = queue else {
        drop(value);
        return;
    };
    match queue.try_send(Box::new(value)) {
        Ok(()) => {}
        Err(TrySendError::Full(value) | TrySendError::Disconnected(value)) => drop(value),
    }
}

/// Makes this thread run only when a core would otherwise idle (Linux's SCHED_IDLE; the
/// lowest priority elsewhere): freeing a tree must not slow the analysis that follows the
/// parse, and while the cores stay busy, callers free their own values instead (the queue
/// is full). Where the system refuses, the thread keeps its priority.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    let _ = thread_priority::set_thread_priority_and_policy(
        thread_priority::thread_native_id(),
        thread_priority::ThreadPriority::Min,
        thread_priority::ThreadSchedulePolicy::Normal(
            thread_priority::NormalThreadSchedulePolicy::Idle,
        ),
    );
    #[cfg(not(target_os = "linux"))]
    let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
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

    #[test]
    fn values_dropped_in_background_are_dropped() {
        struct Signal(std::sync::mpsc::Sender<usize>, usize);
        impl Drop for Signal {
            fn drop(&mut self) {
                let _ = self.0.send(self.1);
            }
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        // More than can wait at once: the rest are dropped by the caller, none is lost.
        for k in 0..3 * DROPS_WAITING {
            drop_in_background(Signal(sender.clone(), k));
        }
        let mut dropped: Vec<usize> = (0..3 * DROPS_WAITING)
            .map(|_| {
                receiver
                    .recv_timeout(std::time::Duration::from_secs(10))
                    .expect("every value is dropped")
            })
            .collect();
        dropped.sort_unstable();
        assert_eq!(dropped, (0..3 * DROPS_WAITING).collect::<Vec<_>>());
    }

    #[test]
    fn parallel_map_keeps_the_items_order() {
        let items: Vec<u32> = (0..1000).collect();
        for workers in [0, 1, 2, 8] {
            let squares = parallel_map(&items, workers, |x| x * x);
            assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        }
    }
}
