//! Fan-in and fan-out: how many numbers flow into and out of a unit.

/// The fan-in and fan-out of a weight matrix: `(fan_in, fan_out)`.
///
/// Every scheme of this chapter scales the weights by the number of inputs
/// a unit sums over (its *fan-in*), the number of units each input feeds
/// (its *fan-out*), or both.
///
/// This library's [`Linear`](layers::Linear) stores its weight as
/// `[in, out]` (the minibatch is multiplied on the left, y = x W), so for a
/// shape `[a, b]`:
///
/// ```text
/// fan_in = a = shape[0]        fan_out = b = shape[1]
/// ```
///
/// PyTorch stores the transpose, `[out, in]`, and its
/// `_calculate_fan_in_and_fan_out` reads the shape the other way round:
/// `fan_in = shape[1]`. Passing a PyTorch-shaped matrix here swaps the
/// fans — which matters for LeCun and He, not for Glorot (symmetric in the
/// two).
///
/// Only matrices have fans: a bias (1-d) is not scaled by any of these
/// schemes (biases start at zero), and this library has no convolution
/// kernels (PyTorch multiplies both fans by the receptive field size for
/// those). A sum of zero elements is still a matrix, so `[0, 5]` gives
/// `(0, 5)`; the schemes themselves reject zero fans.
///
/// ```
/// // The first layer of an MNIST network, 784 → 256: each hidden unit sums
/// // 784 inputs, each input feeds 256 units.
/// assert_eq!(init::fans(&[784, 256]), (784, 256));
/// # use rand::{SeedableRng, rngs::StdRng};
/// let layer: layers::Linear = layers::Linear::new(3, 2, &mut StdRng::seed_from_u64(0));
/// assert_eq!(init::fans(layer.weight.shape()), (3, 2));
/// ```
///
/// # Panics
/// If the shape is not 2-d:
/// `fans: needs a 2-d weight shape [in, out], got [256]`.
#[track_caller]
pub fn fans(shape: &[usize]) -> (usize, usize) {
    match *shape {
        [fan_in, fan_out] => (fan_in, fan_out),
        _ => panic!("fans: needs a 2-d weight shape [in, out], got {shape:?}"),
    }
}

/// The fans of a weight shape for the scheme `op`, which divides by them.
///
/// # Panics
/// If the shape is not 2-d or has a zero size:
/// `he_normal: needs a 2-d weight shape [in, out] with positive sizes, got [4]`.
#[track_caller]
pub(crate) fn positive_fans(op: &str, shape: &[usize]) -> (usize, usize) {
    match *shape {
        [fan_in, fan_out] if fan_in > 0 && fan_out > 0 => (fan_in, fan_out),
        _ => panic!("{op}: {}, got {shape:?}", NEEDS_MATRIX),
    }
}

/// What a fan-based scheme asks of a shape, for the error messages.
pub(crate) const NEEDS_MATRIX: &str = "needs a 2-d weight shape [in, out] with positive sizes";

/// Whether a shape is one that [`positive_fans`] accepts.
pub(crate) fn has_positive_fans(shape: &[usize]) -> bool {
    matches!(*shape, [a, b] if a > 0 && b > 0)
}
