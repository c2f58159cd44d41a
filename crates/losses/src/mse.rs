//! Mean squared error: the loss of regression.

use autograd::Var;
use tensor::{Float, Tensor};

use crate::{Reduction, check};

/// Mean squared error: the squared difference of prediction and target,
/// averaged over all elements (PyTorch's `MSELoss` with reduction `'mean'`).
///
/// ```text
/// MSE = 1/N Σᵢ (ŷᵢ − yᵢ)²          ∂MSE/∂ŷᵢ = 2(ŷᵢ − yᵢ) / N
/// ```
///
/// N counts every element, not only the samples. Squaring makes large
/// errors dominate: one outlier 10 away costs as much as 100 samples 1 away,
/// so the fit bends towards outliers (the minimiser of a constant prediction
/// is the mean of the targets); see [`mae`](crate::mae) for the robust
/// alternative. MSE is the negative log-likelihood of a Gaussian with fixed
/// variance, up to scale and a constant ([`gaussian_nll`](crate::gaussian_nll)).
///
/// Shapes: `pred` and `target` have the same shape (any); the result is
/// 0-d. See [`mse_with`] for the other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let pred = g.leaf(Tensor::from([2.5, 0.0, 2.0]));
/// let target = Tensor::from([3.0, -0.5, 2.0]);
/// let loss = losses::mse(pred, &target); // (0.25 + 0.25 + 0) / 3
/// approx::assert_abs_diff_eq!(loss.item(), 1.0 / 6.0, epsilon = 1e-12);
/// let grads = loss.backward(); // 2(ŷ − y) / 3
/// assert_eq!(grads.wrt(pred).to_vec(), vec![-1.0 / 3.0, 1.0 / 3.0, 0.0]);
/// ```
///
/// # Panics
/// If the shapes differ (there is no broadcasting, which would turn a
/// `[N, 1]` prediction and a `[N]` target into an `[N, N]` comparison of
/// every prediction with every target):
/// `mse: prediction [4, 1] and target [4] differ in shape`.
#[track_caller]
pub fn mse<'g, T: Float>(pred: Var<'g, T>, target: &Tensor<T>) -> Var<'g, T> {
    mse_with(pred, target, Reduction::Mean)
}

/// [`mse`] with a chosen [`Reduction`]: `Sum` gives Σᵢ (ŷᵢ − yᵢ)², `None`
/// the squared errors themselves (the shape of `pred`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, mse_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let pred = g.leaf(Tensor::from([[1.0], [4.0]]));
/// let target = Tensor::from([[0.0], [2.0]]);
/// assert_eq!(mse_with(pred, &target, Reduction::Sum).item(), 5.0);
/// assert_eq!(mse_with(pred, &target, Reduction::None).value(), Tensor::from([[1.0], [4.0]]));
/// ```
///
/// # Panics
/// If the shapes differ: `mse: prediction [4, 1] and target [4] differ in shape`.
#[track_caller]
pub fn mse_with<'g, T: Float>(
    pred: Var<'g, T>,
    target: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    check::same_shape(
        "mse",
        ("prediction", &pred.shape()),
        ("target", target.shape()),
    );
    let y = pred.graph().input(target.clone());
    reduction.reduce((pred - y).powi(2))
}
