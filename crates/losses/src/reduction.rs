//! How the individual terms of a loss become the one number that
//! `backward` needs.

use autograd::Var;
use tensor::Float;

/// How a loss combines its terms (one per sample, or one per element).
///
/// Back-propagation needs the total loss to be a sum (or mean) of
/// per-sample losses, each depending only on that sample's output and label:
/// then the gradient of the total is the sum (or mean) of the per-sample
/// gradients, and a minibatch estimates it.
///
/// - [`Mean`](Reduction::Mean) (the default, as in PyTorch): the average. Its
///   scale does not change with the batch size, so neither must the learning
///   rate.
/// - [`Sum`](Reduction::Sum): the total, N times the mean.
/// - [`None`](Reduction::None): no reduction, the terms themselves: one per
///   sample (`[batch]`) for the classification losses (cross-entropy, NLL,
///   hinge), one per element (the prediction's shape) for the element-wise
///   losses (MSE, MAE, binary cross-entropy, Gaussian NLL). Reduce them
///   yourself before calling `backward` (e.g. to weight samples).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, mse_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let pred = g.leaf(Tensor::from([1.0, 2.0, 3.0]));
/// let target = Tensor::from([0.0, 2.0, 5.0]);
/// // Squared errors 1, 0, 4.
/// assert_eq!(mse_with(pred, &target, Reduction::Mean).item(), 5.0 / 3.0);
/// assert_eq!(mse_with(pred, &target, Reduction::Sum).item(), 5.0);
/// assert_eq!(mse_with(pred, &target, Reduction::None).value().to_vec(), vec![1.0, 0.0, 4.0]);
/// assert_eq!(Reduction::default(), Reduction::Mean);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Reduction {
    /// The average of the terms (a 0-d result).
    #[default]
    Mean,
    /// The sum of the terms (a 0-d result).
    Sum,
    /// The terms themselves, unreduced.
    None,
}

impl Reduction {
    /// Applies this reduction to a variable holding the terms of a loss.
    ///
    /// ```
    /// use autograd::Graph;
    /// use losses::Reduction;
    /// use tensor::Tensor;
    /// let g = Graph::new();
    /// let terms = g.input(Tensor::from([1.0, 2.0, 6.0]));
    /// assert_eq!(Reduction::Mean.reduce(terms).item(), 3.0);
    /// assert_eq!(Reduction::Sum.reduce(terms).item(), 9.0);
    /// assert_eq!(Reduction::None.reduce(terms).shape(), vec![3]);
    /// ```
    ///
    /// # Panics
    /// With [`Reduction::Mean`], if there are no terms (an empty batch).
    #[track_caller]
    pub fn reduce<'g, T: Float>(self, terms: Var<'g, T>) -> Var<'g, T> {
        match self {
            Reduction::Mean => terms.mean(),
            Reduction::Sum => terms.sum(),
            Reduction::None => terms,
        }
    }
}
