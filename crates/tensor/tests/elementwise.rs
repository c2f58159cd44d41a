//! Element-wise functions, the sigmoid, and comparison masks.

use approx::assert_relative_eq;
use tensor::{Tensor, sigmoid};

#[test]
fn exp_log_sqrt() {
    let x = Tensor::from([0.0, 1.0, 2.0]);
    assert_eq!(
        x.exp().to_vec(),
        vec![1.0, std::f64::consts::E, 2.0f64.exp()]
    );
    let y = Tensor::from([1.0, std::f64::consts::E, 0.0, -1.0]).log();
    assert_eq!(y.at([0]), 0.0);
    assert_eq!(y.at([1]), 1.0);
    assert_eq!(y.at([2]), f64::NEG_INFINITY);
    assert!(y.at([3]).is_nan());
    let s = Tensor::from([4.0f32, 0.25, 0.0, -1.0]).sqrt();
    assert_eq!(&s.to_vec()[..3], &[2.0f32, 0.5, 0.0]);
    assert!(s.at([3]).is_nan());
    // exp and log are inverse.
    let z = Tensor::from([[-3.0, 0.5], [7.0, 1e-3]]);
    assert_relative_eq!(z.exp().log(), z, max_relative = 1e-15);
}

#[test]
fn powers_and_abs() {
    let x = Tensor::from([-2.0, 0.0, 3.0]);
    assert_eq!(x.powi(2).to_vec(), vec![4.0, 0.0, 9.0]);
    assert_eq!(x.powi(3).to_vec(), vec![-8.0, 0.0, 27.0]);
    assert_eq!(x.powi(0).to_vec(), vec![1.0, 1.0, 1.0]);
    assert_eq!(x.powi(-1).at([0]), -0.5);
    assert_eq!(x.abs().to_vec(), vec![2.0, 0.0, 3.0]);
    let p = Tensor::from([4.0f32, 9.0]).powf(0.5);
    assert_eq!(p.to_vec(), vec![2.0f32, 3.0]);
    assert!(Tensor::from([-8.0f64]).powf(1.0 / 3.0).at([0]).is_nan());
    assert_eq!(Tensor::from([2.0]).powf(10.0).to_vec(), vec![1024.0]);
}

#[test]
fn tanh_values() {
    let x = Tensor::from([0.0, 1.0, -1.0, 1000.0, -1000.0]).tanh();
    assert_eq!(x.at([0]), 0.0);
    assert_eq!(x.at([1]), 1.0f64.tanh());
    assert_eq!(x.at([2]), -(1.0f64.tanh()));
    assert_eq!(x.at([3]), 1.0);
    assert_eq!(x.at([4]), -1.0);
    // tanh x = 2 σ(2x) − 1
    let z = Tensor::from([-2.0, -0.5, 0.3, 4.0]);
    assert_relative_eq!(z.tanh(), (&z * 2.0).sigmoid() * 2.0 - 1.0, epsilon = 1e-15);
}

#[test]
fn sigmoid_values() {
    let s = Tensor::from([0.0, 1.0, -1.0, 2.0]).sigmoid();
    assert_eq!(s.at([0]), 0.5);
    assert_relative_eq!(
        s.at([1]),
        1.0 / (1.0 + (-1.0f64).exp()),
        max_relative = 1e-15
    );
    assert_relative_eq!(s.at([2]), 1.0 / (1.0 + 1.0f64.exp()), max_relative = 1e-15);
    assert_relative_eq!(s.at([3]), 0.8807970779778823, max_relative = 1e-15);
    // The free function agrees with the tensor method.
    assert_eq!(sigmoid(2.0f64), s.at([3]));
    assert_eq!(sigmoid(0.0f32), 0.5);
}

#[test]
fn sigmoid_is_stable_at_plus_and_minus_1000() {
    let x = Tensor::from([-1000.0, 1000.0]);
    assert_eq!(x.sigmoid().to_vec(), vec![0.0, 1.0]);
    let x = Tensor::from([-1000.0f32, 1000.0]);
    assert_eq!(x.sigmoid().to_vec(), vec![0.0f32, 1.0]);
    assert!(x.sigmoid().all_finite());
    assert_eq!(sigmoid(-1000.0f64), 0.0);
    assert_eq!(sigmoid(1000.0f32), 1.0);
    assert_eq!(sigmoid(f64::INFINITY), 1.0);
    assert_eq!(sigmoid(f64::NEG_INFINITY), 0.0);
    // Far in the left tail the tiny value is still resolved, not rounded to 0:
    // σ(−700) ≈ e^−700.
    assert_relative_eq!(sigmoid(-700.0f64), (-700.0f64).exp(), max_relative = 1e-15);
    assert!(sigmoid(f64::NAN).is_nan());
}

#[test]
fn relu_values() {
    let x = Tensor::from([[-2.0, -0.0], [0.5, 3.0]]);
    assert_eq!(x.relu(), Tensor::from([[0.0, 0.0], [0.5, 3.0]]));
    let f = Tensor::from([-1.0f32, 1.0]).relu();
    assert_eq!(f.to_vec(), vec![0.0f32, 1.0]);
}

#[test]
fn clamp_limits_to_the_interval() {
    let x = Tensor::from([-5.0, -1.0, 0.0, 1.0, 5.0]);
    assert_eq!(x.clamp(-1.0, 2.0).to_vec(), vec![-1.0, -1.0, 0.0, 1.0, 2.0]);
    assert_eq!(x.clamp(0.0, 0.0).to_vec(), vec![0.0; 5]);
    let p = Tensor::from([0.0f32, 0.5, 1.0]).clamp(1e-7, 1.0 - 1e-7);
    assert_eq!(p.to_vec(), vec![1e-7f32, 0.5, 1.0 - 1e-7]);
}

#[test]
fn nan_propagates_through_relu_clamp_max_min() {
    // A NaN must not be turned into a number: that would hide a diverging
    // training run.
    let x = Tensor::from([f64::NAN, 1.0, -1.0]);
    assert!(x.relu().at([0]).is_nan());
    assert!(x.clamp(-0.5, 0.5).at([0]).is_nan());
    assert_eq!(&x.clamp(-0.5, 0.5).to_vec()[1..], &[0.5, -0.5]);
    assert!(x.max().is_nan());
    assert!(x.min().is_nan());
    assert!(x.exp().at([0]).is_nan());
    assert!(x.sigmoid().at([0]).is_nan());
    let f = Tensor::from([1.0f32, f32::NAN]);
    assert!(f.relu().at([1]).is_nan());
    assert!(f.clamp(0.0, 1.0).at([1]).is_nan());
}

#[test]
fn all_finite_detects_nan_and_infinity() {
    assert!(Tensor::from([1.0, -2.0, 0.0]).all_finite());
    assert!(!Tensor::from([1.0, f64::NAN]).all_finite());
    assert!(!Tensor::from([f32::INFINITY, 1.0]).all_finite());
    assert!(!Tensor::from([f32::NEG_INFINITY]).all_finite());
    let e: Tensor = Tensor::zeros([0]);
    assert!(e.all_finite());
    assert!(!Tensor::from([0.0]).log().all_finite());
}

// ----- comparisons ---------------------------------------------------------

#[test]
fn comparison_masks_against_tensors() {
    let x = Tensor::from([1.0, 2.0, 3.0]);
    let y = Tensor::from([3.0, 2.0, 1.0]);
    assert_eq!(x.gt(&y).to_vec(), vec![0.0, 0.0, 1.0]);
    assert_eq!(x.ge(&y).to_vec(), vec![0.0, 1.0, 1.0]);
    assert_eq!(x.lt(&y).to_vec(), vec![1.0, 0.0, 0.0]);
    assert_eq!(x.le(&y).to_vec(), vec![1.0, 1.0, 0.0]);
    assert_eq!(x.eq_mask(&y).to_vec(), vec![0.0, 1.0, 0.0]);
}

#[test]
fn comparison_masks_broadcast() {
    let m = Tensor::from([[1.0f32, 5.0], [3.0, 2.0]]);
    let threshold = Tensor::from([2.0f32, 4.0]); // per column
    assert_eq!(m.gt(&threshold), Tensor::from([[0.0f32, 1.0], [1.0, 0.0]]));
    assert_eq!(m.le(&threshold), Tensor::from([[1.0f32, 0.0], [0.0, 1.0]]));
    let col = Tensor::from([[2.0f32], [3.0]]); // per row
    assert_eq!(m.ge(&col), Tensor::from([[0.0f32, 1.0], [1.0, 0.0]]));
    assert_eq!(m.lt(&col), Tensor::from([[1.0f32, 0.0], [0.0, 1.0]]));
    assert_eq!(m.eq_mask(&col), Tensor::from([[0.0f32, 0.0], [1.0, 0.0]]));
    assert_eq!(
        m.gt(&Tensor::scalar(2.0)),
        Tensor::from([[0.0f32, 1.0], [1.0, 0.0]])
    );
}

#[test]
fn comparison_masks_against_scalars() {
    let x = Tensor::from([[-1.0, 0.0], [1.0, 2.0]]);
    assert_eq!(x.gt_scalar(0.0), Tensor::from([[0.0, 0.0], [1.0, 1.0]]));
    assert_eq!(x.ge_scalar(0.0), Tensor::from([[0.0, 1.0], [1.0, 1.0]]));
    assert_eq!(x.lt_scalar(0.0), Tensor::from([[1.0, 0.0], [0.0, 0.0]]));
    assert_eq!(x.le_scalar(0.0), Tensor::from([[1.0, 1.0], [0.0, 0.0]]));
}

#[test]
fn comparisons_with_nan_are_false() {
    let x = Tensor::from([f64::NAN]);
    let one = Tensor::from([1.0]);
    for mask in [
        x.gt(&one),
        x.ge(&one),
        x.lt(&one),
        x.le(&one),
        x.eq_mask(&x),
    ] {
        assert_eq!(mask.to_vec(), vec![0.0]);
    }
    assert_eq!(x.gt_scalar(0.0).to_vec(), vec![0.0]);
    assert_eq!(x.le_scalar(0.0).to_vec(), vec![0.0]);
}

#[test]
fn mask_times_gradient_is_the_relu_derivative() {
    let x = Tensor::from([-1.0, 0.5, 2.0]);
    let dy = Tensor::from([10.0, 20.0, 30.0]);
    assert_eq!((&dy * &x.gt_scalar(0.0)).to_vec(), vec![0.0, 20.0, 30.0]);
}
