//! `#[track_caller]`: a shape error points at the learner's line, not at a
//! line inside the tensor crate.
//!
//! A panic hook records `PanicHookInfo::location()` of the panicking thread;
//! this file is its own test binary, so the hook sees only these panics.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

use tensor::Tensor;

thread_local! {
    static LOCATION: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// Runs `f`, which must panic, and returns the file and line the panic
/// reported.
fn panic_location(f: impl FnOnce()) -> (String, u32) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
            let location = info.location().map(|l| (l.file().to_string(), l.line()));
            LOCATION.with(|cell| *cell.borrow_mut() = location);
        }));
    });
    LOCATION.with(|cell| cell.borrow_mut().take());
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    assert!(result.is_err(), "the closure did not panic");
    LOCATION
        .with(|cell| cell.borrow_mut().take())
        .expect("the hook saw a location")
}

/// Asserts that the panic was reported at `line` of this file.
#[track_caller]
fn assert_here((file, line): (String, u32), expected_line: u32) {
    assert_eq!(file, file!(), "the panic points into {file}:{line}");
    assert!(!file.contains("src/"), "{file}");
    assert_eq!(line, expected_line);
}

fn m(rows: usize, cols: usize) -> Tensor<f64> {
    Tensor::zeros([rows, cols])
}

#[test]
fn matmul_points_at_the_caller() {
    let (a, b) = (m(128, 784), m(256, 10));
    let location = panic_location(|| drop(a.matmul(&b)));
    assert_here(location, line!() - 1);
}

#[test]
fn the_add_operator_points_at_the_caller() {
    let (a, b) = (m(2, 3), Tensor::zeros([4]));
    let location = panic_location(|| drop(&a + &b));
    assert_here(location, line!() - 1);
    // Owned operands go through another impl of `Add`.
    let location = panic_location(|| drop(a.clone() + b.clone()));
    assert_here(location, line!() - 1);
}

#[test]
fn other_operators_point_at_the_caller() {
    let (a, b) = (m(2, 3), Tensor::zeros([4]));
    let location = panic_location(|| drop(&a - &b));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(&a * b.clone()));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.clone() / &b));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.gt(&b)));
    assert_here(location, line!() - 1);
}

#[test]
fn in_place_operators_point_at_the_caller() {
    let b: Tensor<f64> = Tensor::zeros([4]);
    let mut a = m(2, 3);
    let location = panic_location(|| a += &b);
    assert_here(location, line!() - 1);
    let location = panic_location(|| a -= &b);
    assert_here(location, line!() - 1);
    let location = panic_location(|| a.scaled_add(1.0, &b));
    assert_here(location, line!() - 1);
    let location = panic_location(|| a.assign(&b));
    assert_here(location, line!() - 1);
}

#[test]
fn methods_point_at_the_caller() {
    let a = m(3, 4);
    let location = panic_location(|| drop(a.reshape([5])));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.t().reshape([5])));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.sum_axis(2)));
    assert_here(location, line!() - 1);
    // mean_keepdims calls mean_axis and keep_axis inside the crate.
    let location = panic_location(|| drop(a.mean_keepdims(2)));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(m(0, 2).mean_keepdims(0)));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.argmax_axis(7)));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.select_rows(&[12])));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.permute([0])));
    assert_here(location, line!() - 1);
    let location = panic_location(|| _ = a.at([3, 0]));
    assert_here(location, line!() - 1);
    let location = panic_location(|| _ = a.item());
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(a.clamp(1.0, 0.0)));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(Tensor::concat(&[a.clone(), m(3, 5)], 0)));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(Tensor::stack(&[a.clone(), m(3, 5)], 0)));
    assert_here(location, line!() - 1);
    let location = panic_location(|| drop(Tensor::from_vec(vec![1.0; 3], [2, 2])));
    assert_here(location, line!() - 1);
    let mut out = m(3, 3);
    let location = panic_location(|| a.matmul_into(&a, 1.0, 0.0, &mut out));
    assert_here(location, line!() - 1);
}
