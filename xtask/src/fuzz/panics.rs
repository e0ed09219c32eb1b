//! Recording panics from every thread. A hook rather than `catch_unwind` alone, because both
//! parsers run on their own big-stack threads (full_moon for Lua, swc for JavaScript) and turn a
//! panic there into an empty analysis: only the hook sees those, and they are bugs all the same.

use std::any::Any;
use std::backtrace::Backtrace;
use std::panic;
use std::sync::Mutex;

/// One panic, or one broken invariant reported in the same shape.
pub struct RecordedPanic {
    pub thread: String,
    pub message: String,
    /// The source location (`file:line:col`), or `invariant: ...` for a broken invariant. Two
    /// failures with the same location are taken to be the same bug.
    pub location: String,
    pub backtrace: String,
}

/// Panics seen since the last [`take_recorded_panics`], from any thread.
static PANICS: Mutex<Vec<RecordedPanic>> = Mutex::new(Vec::new());

/// Replaces the default hook (which would print every expected-to-be-caught panic) with one that
/// records the panic with a backtrace.
pub fn install_panic_recorder() {
    panic::set_hook(Box::new(|info| {
        let recorded = RecordedPanic {
            thread: std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_owned(),
            message: payload_message(info.payload()),
            location: info
                .location()
                .map_or_else(|| "unknown".to_owned(), ToString::to_string),
            backtrace: Backtrace::force_capture().to_string(),
        };
        if let Ok(mut panics) = PANICS.lock() {
            panics.push(recorded);
        }
    }));
}

pub fn take_recorded_panics() -> Vec<RecordedPanic> {
    PANICS
        .lock()
        .map(|mut panics| std::mem::take(&mut *panics))
        .unwrap_or_default()
}

pub fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a non-string panic payload".to_owned()
    }
}
