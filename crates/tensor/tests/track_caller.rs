//! `#[track_caller]`: a shape error points at the learner's line, not at a
//! line inside the tensor crate.
//!
//! `panic_of` (the shared test support, `tests/support/mod.rs`) records the
//! location a panic reports, from a panic hook; `assert_here!` checks that it
//! is this file, at the given line.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;
use support::panic_of;

use tensor::Tensor;

fn m(rows: usize, cols: usize) -> Tensor<f64> {
    Tensor::zeros([rows, cols])
}

#[test]
fn matmul_points_at_the_caller() {
    let (a, b) = (m(128, 784), m(256, 10));
    let panic = panic_of(|| drop(a.matmul(&b)));
    assert_here!(panic, line!() - 1);
}

#[test]
fn the_add_operator_points_at_the_caller() {
    let (a, b) = (m(2, 3), Tensor::zeros([4]));
    let panic = panic_of(|| drop(&a + &b));
    assert_here!(panic, line!() - 1);
    // Owned operands go through another impl of `Add`.
    let panic = panic_of(|| drop(a.clone() + b.clone()));
    assert_here!(panic, line!() - 1);
}

#[test]
fn other_operators_point_at_the_caller() {
    let (a, b) = (m(2, 3), Tensor::zeros([4]));
    let panic = panic_of(|| drop(&a - &b));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(&a * b.clone()));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.clone() / &b));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.gt(&b)));
    assert_here!(panic, line!() - 1);
}

#[test]
fn in_place_operators_point_at_the_caller() {
    let b: Tensor<f64> = Tensor::zeros([4]);
    let mut a = m(2, 3);
    let panic = panic_of(|| a += &b);
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| a -= &b);
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| a.scaled_add(1.0, &b));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| a.assign(&b));
    assert_here!(panic, line!() - 1);
}

#[test]
fn methods_point_at_the_caller() {
    let a = m(3, 4);
    let panic = panic_of(|| drop(a.reshape([5])));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.t().reshape([5])));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.sum_axis(2)));
    assert_here!(panic, line!() - 1);
    // mean_keepdims calls mean_axis and keep_axis inside the crate.
    let panic = panic_of(|| drop(a.mean_keepdims(2)));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(m(0, 2).mean_keepdims(0)));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.argmax_axis(7)));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.select_rows(&[12])));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.permute([0])));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| _ = a.at([3, 0]));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| _ = a.item());
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(a.clamp(1.0, 0.0)));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(Tensor::concat(&[a.clone(), m(3, 5)], 0)));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(Tensor::stack(&[a.clone(), m(3, 5)], 0)));
    assert_here!(panic, line!() - 1);
    let panic = panic_of(|| drop(Tensor::from_vec(vec![1.0; 3], [2, 2])));
    assert_here!(panic, line!() - 1);
    let mut out = m(3, 3);
    let panic = panic_of(|| a.matmul_into(&a, 1.0, 0.0, &mut out));
    assert_here!(panic, line!() - 1);
}
