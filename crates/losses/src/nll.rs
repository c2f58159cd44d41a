//! Negative log-likelihood of log-probabilities.

use autograd::Var;
use tensor::Float;

use crate::{Reduction, check};

/// Negative log-likelihood: minus the log-probability of the true class,
/// for a network whose last operation already is [`Var::log_softmax`]
/// (PyTorch's `NLLLoss`).
///
/// ```text
/// Lᵢ = −log_probsᵢ,yᵢ         L = 1/N Σᵢ Lᵢ         ∂L/∂log_probsᵢⱼ = −[j = yᵢ] / N
/// ```
///
/// `nll(logits.log_softmax(1), y)` equals [`cross_entropy`](crate::cross_entropy)`(logits, y)`:
/// cross-entropy *is* softmax followed by the negative log-likelihood. Pass
/// log-probabilities, not probabilities: the function does not take the
/// logarithm (taking `ln` of a softmax yourself loses the stability of
/// `log_softmax`, and of a probability of exactly 0 gives −∞).
///
/// Shapes: `log_probs` `[batch, classes]`, `classes` one index per sample,
/// each `< classes`; the result is 0-d. See [`nll_with`] for the other
/// reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// // Probability 1 for the true class costs nothing: ln 1 = 0.
/// let certain = g.input(Tensor::from([[0.0, f64::NEG_INFINITY]]));
/// assert_eq!(losses::nll(certain, &[0]).item(), 0.0);
/// // The same as cross-entropy on the logits.
/// let logits = g.leaf(Tensor::from([[6.5, 2.0, 3.3], [3.3, -1.5, 4.3]]));
/// let a = losses::nll(logits.log_softmax(1), &[0, 0]).item();
/// let b = losses::cross_entropy(logits, &[0, 0]).item();
/// assert_eq!(a, b);
/// ```
///
/// # Panics
/// If `log_probs` is not 2-d, if there is not one class index per sample,
/// or if a class index is out of range:
/// `nll: 3 class indices for a batch of 2 (log_probs [2, 5])`,
/// `nll: class 7 out of range for 5 classes (sample 2)`.
#[track_caller]
pub fn nll<'g, T: Float>(log_probs: Var<'g, T>, classes: &[usize]) -> Var<'g, T> {
    nll_with(log_probs, classes, Reduction::Mean)
}

/// [`nll`] with a chosen [`Reduction`]: `Sum` gives Σᵢ Lᵢ, `None` the
/// per-sample losses Lᵢ (shape `[batch]`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, nll_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let log_probs = g.leaf(Tensor::from([[-0.5, -1.0], [-2.0, -0.1]]));
/// assert_eq!(nll_with(log_probs, &[1, 0], Reduction::None).value().to_vec(), vec![1.0, 2.0]);
/// assert_eq!(nll_with(log_probs, &[1, 0], Reduction::Sum).item(), 3.0);
/// ```
///
/// # Panics
/// As [`nll`].
#[track_caller]
pub fn nll_with<'g, T: Float>(
    log_probs: Var<'g, T>,
    classes: &[usize],
    reduction: Reduction,
) -> Var<'g, T> {
    check::class_indices("nll", "log_probs", &log_probs.shape(), classes);
    reduction.reduce(-log_probs.pick(classes))
}
