//! Shared test support for the integration tests of every crate in the
//! workspace: the proptest configuration, and the capture of a panic's
//! message and location for the `#[track_caller]` tests.
//!
//! This file is not a test target (cargo builds only `tests/*.rs`). An
//! integration test includes it as a module, at the root of the test file
//! and before the first use of its macros, by a path relative to that file:
//!
//! ```text
//! #[macro_use]
//! #[path = "../../../tests/support/mod.rs"]
//! mod support;
//! ```
//!
//! `#[macro_use]` makes `panic_site!`, `assert_here!` and
//! `assert_panics_here!` usable in the rest of the file; they name
//! `$crate::support::panic_of`, so the module must be called `support`.

// Each test crate uses a different part.
#![allow(dead_code, unused_macros)]

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use proptest::test_runner::Config;

/// 32 cases per property unless `PROPTEST_CASES` asks for more (a long
/// run); no regression files are written.
pub fn proptest_config() -> Config {
    let default = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            32
        },
        failure_persistence: None,
        ..default
    }
}

thread_local! {
    /// Whether this thread is inside `panic_of` (its panics are recorded, not printed).
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The location of the last panic recorded on this thread.
    static LOCATION: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// Runs `f`, which must panic; returns the panic message and where it was
/// reported (file and line). Installs, once, a panic hook that records the
/// location on threads inside `panic_of` and defers to the default hook on
/// every other thread (tests run in parallel).
pub fn panic_of(f: impl FnOnce()) -> (String, (String, u32)) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let location = info.location().map(|l| (l.file().to_string(), l.line()));
                LOCATION.with(|cell| *cell.borrow_mut() = location);
            } else {
                default(info);
            }
        }));
    });
    LOCATION.with(|cell| cell.borrow_mut().take());
    CAPTURING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    let payload = result.expect_err("the closure should panic");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    let location = LOCATION
        .with(|cell| cell.borrow_mut().take())
        .expect("the hook recorded a location");
    (message, location)
}

/// `(panic_of(...), line)`: how `$call` panics and the line where
/// `panic_site!` is written.
macro_rules! panic_site {
    ($call:expr) => {
        (
            $crate::support::panic_of(|| {
                let _ = $call;
            }),
            line!(),
        )
    };
}

/// Asserts that `$panic`, as returned by `panic_of`, was reported at line
/// `$line` of the file where `assert_here!` is written. A macro, not a
/// function: `file!()` must expand in the calling test file, not here.
macro_rules! assert_here {
    ($panic:expr, $line:expr) => {{
        let (message, (file, at)): (String, (String, u32)) = $panic;
        assert_eq!(
            (file.as_str(), at),
            (file!(), $line),
            "the panic `{message}` is not reported at the caller's line"
        );
    }};
}

/// Asserts that `$call` panics and that the panic is reported at the line
/// where `assert_panics_here!` is written, in the calling file.
macro_rules! assert_panics_here {
    ($call:expr) => {{
        let (panic, line) = panic_site!($call);
        assert_here!(panic, line);
    }};
}
