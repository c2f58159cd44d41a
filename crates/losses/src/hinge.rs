//! The multiclass hinge loss of support vector machines.

use autograd::Var;
use tensor::{Float, Tensor};

use crate::{Reduction, check};

/// Multiclass hinge loss (the multiclass SVM loss of Weston and Watkins,
/// PyTorch's `MultiMarginLoss` without its division by the number of
/// classes): every wrong class whose score comes within a margin of 1 of the
/// true class's score pays the shortfall.
///
/// ```text
/// Lᵢ = Σ_{j ≠ yᵢ} max(0, sᵢⱼ − sᵢ,yᵢ + 1)       L = 1/N Σᵢ Lᵢ
/// ∂Lᵢ/∂sᵢⱼ = [sᵢⱼ − sᵢ,yᵢ + 1 > 0]  for j ≠ yᵢ,   ∂Lᵢ/∂sᵢ,yᵢ = −(number of such j)
/// ```
///
/// Unlike cross-entropy, the loss is exactly 0 once the true class wins by
/// the margin: correctly classified samples then contribute no gradient at
/// all. The scores are raw (no softmax). At a margin of exactly 0 the kink
/// has gradient 0.
///
/// Shapes: `scores` `[batch, classes]`, `classes` one index per sample, each
/// `< classes`; the result is 0-d. See [`multiclass_hinge_with`] for the
/// other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// // Scores for (cat, car, frog) of a cat image: the car comes too close.
/// let scores = g.leaf(Tensor::from([[3.2, 5.1, -1.7]]));
/// let loss = losses::multiclass_hinge(scores, &[0]);
/// // max(0, 5.1 − 3.2 + 1) + max(0, −1.7 − 3.2 + 1) = 2.9 + 0
/// approx::assert_abs_diff_eq!(loss.item(), 2.9, epsilon = 1e-12);
/// assert_eq!(loss.backward().wrt(scores).to_vec(), vec![-1.0, 1.0, 0.0]);
/// ```
///
/// # Panics
/// If `scores` is not 2-d, if there is not one class index per sample, or if
/// a class index is out of range:
/// `multiclass_hinge: 3 class indices for a batch of 2 (scores [2, 5])`,
/// `multiclass_hinge: class 7 out of range for 5 classes (sample 2)`.
#[track_caller]
pub fn multiclass_hinge<'g, T: Float>(scores: Var<'g, T>, classes: &[usize]) -> Var<'g, T> {
    multiclass_hinge_with(scores, classes, Reduction::Mean)
}

/// [`multiclass_hinge`] with a chosen [`Reduction`]: `Sum` gives Σᵢ Lᵢ,
/// `None` the per-sample losses Lᵢ (shape `[batch]`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, multiclass_hinge_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let scores = g.leaf(Tensor::from([[3.0, 1.0], [0.5, 0.0]]));
/// // Sample 0 wins by 2 (> 1): no loss. Sample 1's true class 1 loses by 0.5: 1.5.
/// let per_sample = multiclass_hinge_with(scores, &[0, 1], Reduction::None);
/// assert_eq!(per_sample.value().to_vec(), vec![0.0, 1.5]);
/// ```
///
/// # Panics
/// As [`multiclass_hinge`].
#[track_caller]
pub fn multiclass_hinge_with<'g, T: Float>(
    scores: Var<'g, T>,
    classes: &[usize],
    reduction: Reduction,
) -> Var<'g, T> {
    let shape = scores.shape();
    check::class_indices("multiclass_hinge", "scores", &shape, classes);
    let (batch, n) = (shape[0], shape[1]);
    let true_scores = scores.pick(classes).reshape([batch, 1]);
    let margins = (scores - true_scores).add_scalar(T::one()).relu();
    // The true class's own term is max(0, 1) = 1 for every sample; the sum
    // leaves it out by a constant mask rather than subtracting 1 afterwards
    // (which would round).
    let mut others = vec![T::one(); batch * n];
    for (i, &c) in classes.iter().enumerate() {
        others[i * n + c] = T::zero();
    }
    let others = Tensor::from_vec(others, [batch, n]);
    reduction.reduce(margins.mul_mask(&others).sum_axis(1))
}
