//! The plain random schemes: a normal and a uniform distribution with
//! parameters chosen by hand.

use rand::Rng;
use tensor::{Float, Tensor};

/// Samples from the normal distribution N(mean, std²), with a standard
/// deviation chosen by hand (PyTorch's `nn.init.normal_`).
///
/// The lecture's first two experiments use this: N(0, 0.01²), "small
/// random numbers", makes the activations of a deep tanh network shrink
/// to zero layer by layer; N(0, 1) saturates them at ±1. The right std
/// depends on the layer's width, which is what [`lecun_normal`],
/// [`glorot_normal`] and [`he_normal`] compute.
///
/// [`lecun_normal`]: crate::lecun_normal
/// [`glorot_normal`]: crate::glorot_normal
/// [`he_normal`]: crate::he_normal
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let mut rng = StdRng::seed_from_u64(0);
/// let w: Tensor = init::normal([500, 500], 0.0, 0.01, &mut rng);
/// let std = w.powi(2).mean().sqrt(); // mean 0: the RMS is the std
/// assert!((std - 0.01).abs() < 1e-4);
/// ```
///
/// # Panics
/// If `mean` is not finite or `std` is negative or not finite:
/// `normal: std must be finite and >= 0, got -0.01`.
#[track_caller]
pub fn normal<T: Float, R: Rng + ?Sized>(
    shape: impl AsRef<[usize]>,
    mean: T,
    std: T,
    rng: &mut R,
) -> Tensor<T> {
    check_normal("normal", mean, std);
    Tensor::rand_normal(shape, mean, std, rng)
}

/// Samples uniformly from `[low, high)` (PyTorch's `nn.init.uniform_`).
/// Its standard deviation is (high − low)/√12: a symmetric interval
/// [−b, b) has std b/√3.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::uniform([100, 10], -0.1, 0.1, &mut StdRng::seed_from_u64(0));
/// assert!(w.to_vec().iter().all(|&v| (-0.1..0.1).contains(&v)));
/// ```
///
/// # Panics
/// If `low >= high` or a bound is not finite:
/// `uniform: needs finite low < high, got [1, -1)`.
#[track_caller]
pub fn uniform<T: Float, R: Rng + ?Sized>(
    shape: impl AsRef<[usize]>,
    low: T,
    high: T,
    rng: &mut R,
) -> Tensor<T> {
    check_uniform("uniform", low, high);
    Tensor::rand_uniform(shape, low, high, rng)
}

/// # Panics
/// If `mean` is not finite or `std` is negative or not finite.
#[track_caller]
pub(crate) fn check_normal<T: Float>(op: &str, mean: T, std: T) {
    if !mean.is_finite() {
        panic!("{op}: mean must be finite, got {mean}");
    }
    if !(std >= T::zero() && std.is_finite()) {
        panic!("{op}: std must be finite and >= 0, got {std}");
    }
}

/// # Panics
/// Unless `low < high`, both finite (and their difference too).
#[track_caller]
pub(crate) fn check_uniform<T: Float>(op: &str, low: T, high: T) {
    if !(low < high && (high - low).is_finite()) {
        panic!("{op}: needs finite low < high, got [{low}, {high})");
    }
}
