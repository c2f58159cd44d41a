//! Undoing broadcasting in the backward pass.

use tensor::{Float, Tensor};

/// Sums `grad` down to `shape`: the adjoint of broadcasting.
///
/// When the forward pass broadcast an input of shape `shape` (say a bias
/// `[3]`) to a larger shape (`[4, 3]`), each input element was used once per
/// copy, so its gradient is the *sum* of the gradients of its copies: sum
/// over the leading axes broadcasting added, then over every axis where the
/// input had length 1.
///
/// ```
/// use autograd::unbroadcast;
/// use tensor::Tensor;
/// let dy = Tensor::from([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]]); // [2, 3]
/// assert_eq!(unbroadcast(&dy, &[3]).to_vec(), vec![11.0, 22.0, 33.0]); // a bias
/// assert_eq!(unbroadcast(&dy, &[2, 1]).to_vec(), vec![6.0, 60.0]); // a column
/// assert_eq!(unbroadcast(&dy, &[]).to_vec(), vec![66.0]); // a scalar
/// ```
///
/// # Panics
/// If `shape` does not broadcast to `grad`'s shape.
#[track_caller]
pub fn unbroadcast<T: Float>(grad: &Tensor<T>, shape: &[usize]) -> Tensor<T> {
    if grad.shape() == shape {
        return grad.clone();
    }
    if tensor::broadcast_shape(grad.shape(), shape).as_deref() != Some(grad.shape()) {
        panic!(
            "unbroadcast: a gradient of shape {:?} cannot come from an input of shape {shape:?}",
            grad.shape()
        );
    }
    // The common case, a bias added to every row of a batch: the gradient
    // is the column sum, taken row by row in one pass (the same order of
    // additions as the general path below).
    // ANCHOR: column_sum
    if let (Some(rows), [k]) = (grad.as_slice(), shape)
        && grad.ndim() == 2
        && grad.shape()[1] == *k
    {
        let mut sum = vec![T::zero(); *k];
        for row in rows.chunks_exact(*k) {
            for (s, &v) in sum.iter_mut().zip(row) {
                *s += v;
            }
        }
        return Tensor::from_vec(sum, [*k]);
    }
    // ANCHOR_END: column_sum
    let mut g = grad.clone();
    // Axes that broadcasting added in front.
    while g.ndim() > shape.len() {
        g = g.sum_axis(0);
    }
    // Axes where the input had length 1.
    for (axis, &len) in shape.iter().enumerate() {
        if len == 1 && g.shape()[axis] != 1 {
            g = g.sum_keepdims(axis);
        }
    }
    g
}
