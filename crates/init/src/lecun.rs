//! LeCun initialisation: variance 1/fan_in — what the usual slides call
//! "Xavier".

use rand::Rng;
use tensor::{Float, Tensor};

use crate::fans::positive_fans;

/// LeCun normal: W ~ N(0, 1/fan_in), for a weight `[fan_in, fan_out]`.
///
/// ```text
/// std = 1 / √fan_in          W = randn(n_in, n_out) / sqrt(n_in)
/// ```
///
/// Proposed by LeCun, Bottou, Orr and Müller, "Efficient BackProp" (1998,
/// section 4.6): a unit summing `fan_in` inputs of unit variance, each
/// multiplied by a weight of variance 1/fan_in, has an output of unit
/// variance — the scale of the signal is kept from layer to layer, as long
/// as the activation does not shrink it (tanh near 0 does not; ReLU halves
/// the variance: see [`he_normal`](crate::he_normal)).
///
/// **This is what the usual lecture slides call "Xavier initialisation"**,
/// `W = np.random.randn(n_in, n_out) / np.sqrt(n_in)`. Xavier Glorot's own
/// scheme (Glorot & Bengio 2010) averages fan-in and fan-out:
/// [`glorot_normal`](crate::glorot_normal). The two agree when
/// fan_in = fan_out, as in the lecture's 500 → 500 experiment, which is
/// why the mix-up goes unnoticed there. Keras's `lecun_normal` draws from a
/// truncated normal with this std; this one, like the slides, does not
/// truncate.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::lecun_normal([500, 300], &mut StdRng::seed_from_u64(0));
/// let std = w.powi(2).mean().sqrt();
/// assert!((std / (1.0 / 500f32.sqrt()) - 1.0).abs() < 0.01);
/// // The slides' "Xavier", term for term: randn(n_in, n_out) / sqrt(n_in).
/// let slides: Tensor = Tensor::randn([500, 300], &mut StdRng::seed_from_u64(0)) / 500f32.sqrt();
/// approx::assert_relative_eq!(w, slides, max_relative = 1e-6);
/// ```
///
/// # Panics
/// If the shape is not `[fan_in, fan_out]` with both positive:
/// `lecun_normal: needs a 2-d weight shape [in, out] with positive sizes, got [300]`.
#[track_caller]
pub fn lecun_normal<T: Float, R: Rng + ?Sized>(
    shape: impl AsRef<[usize]>,
    rng: &mut R,
) -> Tensor<T> {
    let shape = shape.as_ref();
    let (fan_in, _) = positive_fans("lecun_normal", shape);
    Tensor::rand_normal(shape, T::zero(), T::from_f64(lecun_std(fan_in)), rng)
}

/// LeCun uniform: W ~ U[−√(3/fan_in), √(3/fan_in)), the uniform
/// distribution with LeCun's variance 1/fan_in (a uniform on [−b, b) has
/// variance b²/3).
///
/// ```text
/// limit = √(3 / fan_in)      std = 1 / √fan_in
/// ```
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let w: Tensor = init::lecun_uniform([300, 100], &mut StdRng::seed_from_u64(0));
/// let limit = (3.0f32 / 300.0).sqrt();
/// assert!(w.to_vec().iter().all(|v| v.abs() <= limit));
/// ```
///
/// # Panics
/// If the shape is not `[fan_in, fan_out]` with both positive:
/// `lecun_uniform: needs a 2-d weight shape [in, out] with positive sizes, got [0, 5]`.
#[track_caller]
pub fn lecun_uniform<T: Float, R: Rng + ?Sized>(
    shape: impl AsRef<[usize]>,
    rng: &mut R,
) -> Tensor<T> {
    let shape = shape.as_ref();
    let (fan_in, _) = positive_fans("lecun_uniform", shape);
    let limit = T::from_f64((3.0 / fan_in as f64).sqrt());
    Tensor::rand_uniform(shape, -limit, limit, rng)
}

/// 1/√fan_in.
pub(crate) fn lecun_std(fan_in: usize) -> f64 {
    1.0 / (fan_in as f64).sqrt()
}
