//! He (Kaiming) initialisation: variance 2/fan_in, for ReLU networks.

use rand::Rng;
use tensor::{Float, Tensor};

use crate::fans::positive_fans;

/// He normal (PyTorch's `kaiming_normal_` with its defaults): W ~ N(0, 2/fan_in).
///
/// ```text
/// std = √(2 / fan_in)        W = randn(n_in, n_out) / sqrt(n_in / 2)
/// ```
///
/// Proposed by Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun,
/// "Delving Deep into Rectifiers: Surpassing Human-Level Performance on
/// ImageNet Classification" (ICCV 2015). A ReLU sets half of its inputs to
/// zero, so E[relu(z)²] = Var(z)/2 for a symmetric z: with LeCun's
/// 1/fan_in the variance halves at every layer and the activations of a
/// deep ReLU network collapse. Doubling the weight variance makes up for
/// the lost half. This is the default for ReLU networks. Keras's
/// `he_normal` draws from a truncated normal with this std; this one, like
/// PyTorch's, does not truncate.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::he_normal([500, 300], &mut StdRng::seed_from_u64(0));
/// let std = w.powi(2).mean().sqrt();
/// assert!((std / (2.0f32 / 500.0).sqrt() - 1.0).abs() < 0.01);
/// ```
///
/// # Panics
/// If the shape is not `[fan_in, fan_out]` with both positive:
/// `he_normal: needs a 2-d weight shape [in, out] with positive sizes, got [4]`.
#[track_caller]
pub fn he_normal<T: Float, R: Rng + ?Sized>(shape: impl AsRef<[usize]>, rng: &mut R) -> Tensor<T> {
    let shape = shape.as_ref();
    let (fan_in, _) = positive_fans("he_normal", shape);
    Tensor::rand_normal(shape, T::zero(), T::from_f64(he_std(fan_in)), rng)
}

/// He uniform (PyTorch's `kaiming_uniform_` with a = 0): W ~ U[−limit,
/// limit) with the variance of [`he_normal`].
///
/// ```text
/// limit = √(6 / fan_in)      std = limit / √3 = √(2 / fan_in)
/// ```
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::he_uniform([600, 100], &mut StdRng::seed_from_u64(0));
/// assert!(w.to_vec().iter().all(|v| v.abs() <= 0.1)); // √(6/600)
/// ```
///
/// # Panics
/// If the shape is not `[fan_in, fan_out]` with both positive:
/// `he_uniform: needs a 2-d weight shape [in, out] with positive sizes, got [4]`.
#[track_caller]
pub fn he_uniform<T: Float, R: Rng + ?Sized>(shape: impl AsRef<[usize]>, rng: &mut R) -> Tensor<T> {
    let shape = shape.as_ref();
    let (fan_in, _) = positive_fans("he_uniform", shape);
    let limit = T::from_f64((6.0 / fan_in as f64).sqrt());
    Tensor::rand_uniform(shape, -limit, limit, rng)
}

/// √(2/fan_in).
pub(crate) fn he_std(fan_in: usize) -> f64 {
    (2.0 / fan_in as f64).sqrt()
}
