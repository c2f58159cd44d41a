//! Mean absolute error (L1 loss): regression that outliers do not dominate.

use autograd::Var;
use tensor::{Float, Tensor};

use crate::{Reduction, check};

/// Mean absolute error, or L1 loss: the absolute difference of prediction
/// and target, averaged over all elements (PyTorch's `L1Loss`).
///
/// ```text
/// MAE = 1/N Σᵢ |ŷᵢ − yᵢ|          ∂MAE/∂ŷᵢ = sign(ŷᵢ − yᵢ) / N   (0 where ŷᵢ = yᵢ)
/// ```
///
/// Every error pulls with the same force, whatever its size, so an outlier
/// counts no more than any other wrong sample: the best constant prediction
/// is the median of the targets, not their mean. The price: the gradient
/// does not shrink as the prediction approaches the target, and |x| has a
/// kink at 0 (where the gradient is taken to be 0).
///
/// Shapes: `pred` and `target` have the same shape (any); the result is
/// 0-d. See [`mae_with`] for the other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let pred = g.leaf(Tensor::from([2.5, 0.0, 12.0]));
/// let target = Tensor::from([3.0, -0.5, 2.0]);
/// let loss = losses::mae(pred, &target); // (0.5 + 0.5 + 10) / 3
/// approx::assert_abs_diff_eq!(loss.item(), 11.0 / 3.0, epsilon = 1e-12);
/// let grads = loss.backward(); // sign(ŷ − y) / 3: the outlier pulls no harder
/// assert_eq!(grads.wrt(pred).to_vec(), vec![-1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
/// ```
///
/// # Panics
/// If the shapes differ (no broadcasting, as for [`mse`](crate::mse)):
/// `mae: prediction [4, 1] and target [4] differ in shape`.
#[track_caller]
pub fn mae<'g, T: Float>(pred: Var<'g, T>, target: &Tensor<T>) -> Var<'g, T> {
    mae_with(pred, target, Reduction::Mean)
}

/// [`mae`] with a chosen [`Reduction`]: `Sum` gives Σᵢ |ŷᵢ − yᵢ|, `None`
/// the absolute errors themselves (the shape of `pred`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, mae_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let pred = g.leaf(Tensor::from([1.0, 4.0]));
/// let target = Tensor::from([0.0, 6.0]);
/// assert_eq!(mae_with(pred, &target, Reduction::Sum).item(), 3.0);
/// assert_eq!(mae_with(pred, &target, Reduction::None).value().to_vec(), vec![1.0, 2.0]);
/// ```
///
/// # Panics
/// If the shapes differ: `mae: prediction [4, 1] and target [4] differ in shape`.
#[track_caller]
pub fn mae_with<'g, T: Float>(
    pred: Var<'g, T>,
    target: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    check::same_shape(
        "mae",
        ("prediction", &pred.shape()),
        ("target", target.shape()),
    );
    let y = pred.graph().input(target.clone());
    reduction.reduce((pred - y).abs())
}
