//! The schemes that draw nothing: zeros and a constant.

use tensor::{Float, Tensor};

/// A tensor of zeros: the usual start for a bias.
///
/// Zero is the right start for biases and the wrong one for weights: with
/// every weight of a layer equal, every unit of the layer computes the
/// same output and receives the same gradient, so they stay equal forever
/// (the *symmetry* is never broken; the tests train such a network and
/// check that its hidden units remain copies of each other).
///
/// ```
/// use tensor::Tensor;
/// let b: Tensor = init::zeros([256]);
/// assert!(b.to_vec().iter().all(|&v| v == 0.0));
/// ```
pub fn zeros<T: Float>(shape: impl AsRef<[usize]>) -> Tensor<T> {
    Tensor::zeros(shape)
}

/// A tensor with every element equal to `value` (PyTorch's
/// `nn.init.constant_`). A small positive bias such as 0.01 is sometimes
/// used in front of a ReLU so that every unit starts active; for weights, a
/// constant has the same symmetry problem as [`zeros`].
///
/// ```
/// use tensor::Tensor;
/// let b: Tensor = init::constant([3], 0.01);
/// assert_eq!(b.to_vec(), vec![0.01; 3]);
/// ```
///
/// # Panics
/// If `value` is not finite: `constant: value must be finite, got NaN`.
#[track_caller]
pub fn constant<T: Float>(shape: impl AsRef<[usize]>, value: T) -> Tensor<T> {
    check_constant("constant", value);
    Tensor::full(shape, value)
}

/// # Panics
/// If `value` is not finite.
#[track_caller]
pub(crate) fn check_constant<T: Float>(op: &str, value: T) {
    if !value.is_finite() {
        panic!("{op}: value must be finite, got {value}");
    }
}
