//! Glorot (Xavier) initialisation: variance 2/(fan_in + fan_out).

use rand::Rng;
use tensor::{Float, Tensor};

use crate::fans::positive_fans;

/// Glorot normal (PyTorch's `xavier_normal_`): W ~ N(0, 2/(fan_in + fan_out)).
///
/// ```text
/// std = √(2 / (fan_in + fan_out))
/// ```
///
/// Proposed by Xavier Glorot and Yoshua Bengio, "Understanding the
/// difficulty of training deep feedforward neural networks" (AISTATS
/// 2010). Keeping the variance of the activations in the forward pass asks
/// for Var(W) = 1/fan_in; keeping the variance of the gradients in the
/// backward pass asks for Var(W) = 1/fan_out. Unless the layer is square
/// both cannot hold, and Glorot and Bengio take the compromise
/// 2/(fan_in + fan_out), the inverse of the average fan.
///
/// For a square layer (fan_in = fan_out = n) this is 1/n, the same as
/// [`lecun_normal`](crate::lecun_normal) — the scheme the usual slides
/// call "Xavier". Their paper itself used the uniform form,
/// [`glorot_uniform`].
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::glorot_normal([500, 300], &mut StdRng::seed_from_u64(0));
/// let std = w.powi(2).mean().sqrt();
/// assert!((std / (2.0f32 / 800.0).sqrt() - 1.0).abs() < 0.01);
/// ```
///
/// # Panics
/// If the shape is not `[fan_in, fan_out]` with both positive:
/// `glorot_normal: needs a 2-d weight shape [in, out] with positive sizes, got [3, 4, 5]`.
#[track_caller]
pub fn glorot_normal<T: Float, R: Rng + ?Sized>(
    shape: impl AsRef<[usize]>,
    rng: &mut R,
) -> Tensor<T> {
    let shape = shape.as_ref();
    let (fan_in, fan_out) = positive_fans("glorot_normal", shape);
    let std = T::from_f64(glorot_std(fan_in, fan_out));
    Tensor::rand_normal(shape, T::zero(), std, rng)
}

/// Glorot uniform (PyTorch's `xavier_uniform_`, Keras's default for dense
/// layers): W ~ U[−limit, limit) with the variance of [`glorot_normal`].
///
/// ```text
/// limit = √(6 / (fan_in + fan_out))      std = limit / √3 = √(2 / (fan_in + fan_out))
/// ```
///
/// This is the "normalized initialization" of Glorot & Bengio (2010,
/// equation 16), the form their paper used.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::glorot_uniform([784, 256], &mut StdRng::seed_from_u64(0));
/// let limit = (6.0f32 / (784.0 + 256.0)).sqrt();
/// assert!(w.to_vec().iter().all(|v| v.abs() <= limit));
/// ```
///
/// # Panics
/// If the shape is not `[fan_in, fan_out]` with both positive:
/// `glorot_uniform: needs a 2-d weight shape [in, out] with positive sizes, got [10]`.
#[track_caller]
pub fn glorot_uniform<T: Float, R: Rng + ?Sized>(
    shape: impl AsRef<[usize]>,
    rng: &mut R,
) -> Tensor<T> {
    let shape = shape.as_ref();
    let (fan_in, fan_out) = positive_fans("glorot_uniform", shape);
    let limit = T::from_f64((6.0 / (fan_in + fan_out) as f64).sqrt());
    Tensor::rand_uniform(shape, -limit, limit, rng)
}

/// √(2/(fan_in + fan_out)).
pub(crate) fn glorot_std(fan_in: usize, fan_out: usize) -> f64 {
    (2.0 / (fan_in + fan_out) as f64).sqrt()
}
