//! Cross-entropy: softmax followed by the negative log-likelihood of the
//! true class, computed in one stable step from the logits.

use autograd::Var;
use tensor::{Float, Tensor};

use crate::{Reduction, check};

/// Cross-entropy of raw scores (logits) against class indices: the loss of
/// multiclass classification (PyTorch's `CrossEntropyLoss`).
///
/// ```text
/// pᵢ = softmax(zᵢ)                      (zᵢ: the logits of sample i)
/// Lᵢ = −ln pᵢ,yᵢ = −log_softmax(zᵢ)_yᵢ = ln Σⱼ e^zᵢⱼ − zᵢ,yᵢ
/// L  = 1/N Σᵢ Lᵢ                        ∂L/∂zᵢⱼ = (pᵢⱼ − [j = yᵢ]) / N
/// ```
///
/// The gradient at the logits is simply softmax minus one-hot (over N): no
/// factor that vanishes when the softmax saturates. A probability of 1 for
/// the true class costs 0; a probability near 0 costs a lot, and exactly 0
/// would cost −ln 0 = ∞. Computing `softmax` and then `ln` meets that
/// infinity as soon as e^(z_y − z_max) underflows; this function uses
/// [`Var::log_softmax`] (`z − logsumexp(z)` with the largest logit taken out)
/// instead, so logits of ±1000 give a finite loss and gradient (a true
/// class whose logit is 2000 below the largest costs 2000, not ∞).
///
/// Shapes: `logits` `[batch, classes]`, `classes` one index per sample, each
/// `< classes`; the result is 0-d. See [`cross_entropy_with`] for the other
/// reductions and [`cross_entropy_soft`] for probability targets.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// // The lecture's example: scores (cat, dog, lion) = (6.5, 2.0, 3.3), a cat.
/// let g = Graph::new();
/// let logits = g.leaf(Tensor::from([[6.5, 2.0, 3.3]]));
/// let loss = losses::cross_entropy(logits, &[0]);
/// approx::assert_abs_diff_eq!(loss.item(), 0.050_570_67, epsilon = 1e-8); // −ln 0.9507
/// let p = logits.softmax(1).value();
/// let grads = loss.backward();
/// let expected = &p - &Tensor::from([[1.0, 0.0, 0.0]]); // softmax − one-hot
/// approx::assert_abs_diff_eq!(grads.wrt(logits), &expected, epsilon = 1e-12);
/// ```
///
/// # Panics
/// If `logits` is not 2-d, if there is not one class index per sample, or if
/// a class index is out of range:
/// `cross_entropy: 3 class indices for a batch of 2 (logits [2, 5])`,
/// `cross_entropy: class 7 out of range for 5 classes (sample 2)`.
#[track_caller]
pub fn cross_entropy<'g, T: Float>(logits: Var<'g, T>, classes: &[usize]) -> Var<'g, T> {
    cross_entropy_with(logits, classes, Reduction::Mean)
}

/// [`cross_entropy`] with a chosen [`Reduction`]: `Sum` gives Σᵢ Lᵢ, `None`
/// the per-sample losses Lᵢ (shape `[batch]`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, cross_entropy_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// // Two equal logits: −ln ½ = ln 2 each; the second sample is certain.
/// let logits = g.leaf(Tensor::from([[0.0, 0.0], [50.0, -50.0]]));
/// let per_sample = cross_entropy_with(logits, &[1, 0], Reduction::None).value();
/// approx::assert_abs_diff_eq!(per_sample.at([0]), std::f64::consts::LN_2, epsilon = 1e-12);
/// assert!(per_sample.at([1]) < 1e-40);
/// ```
///
/// # Panics
/// As [`cross_entropy`].
#[track_caller]
pub fn cross_entropy_with<'g, T: Float>(
    logits: Var<'g, T>,
    classes: &[usize],
    reduction: Reduction,
) -> Var<'g, T> {
    check::class_indices("cross_entropy", "logits", &logits.shape(), classes);
    match reduction {
        // The common case is one fused node, whose backward is the
        // textbook (softmax − onehot)/N ("Making it fast", chapter 2).
        // (An empty batch takes the general path, which names the problem.)
        Reduction::Mean if !classes.is_empty() => logits.softmax_cross_entropy(classes),
        _ => reduction.reduce(-logits.log_softmax(1).pick(classes)),
    }
}

/// Cross-entropy of logits against target probabilities: one-hot rows (then
/// equal to [`cross_entropy`]) or soft ones, as in label smoothing or
/// distillation (PyTorch's `CrossEntropyLoss` with probability targets).
///
/// ```text
/// Lᵢ = −Σⱼ tᵢⱼ log_softmax(zᵢ)ⱼ      L = 1/N Σᵢ Lᵢ
/// ∂L/∂zᵢⱼ = (pᵢⱼ Σₖ tᵢₖ − tᵢⱼ) / N  = (pᵢⱼ − tᵢⱼ) / N when the row of t sums to 1
/// ```
///
/// The targets are not checked: rows that do not sum to 1 are used as given.
/// Stable for logits of ±1000, like [`cross_entropy`].
///
/// Shapes: `logits` and `targets` both `[batch, classes]`; the result is
/// 0-d. See [`cross_entropy_soft_with`] for the other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let logits = g.leaf(Tensor::from([[6.5, 2.0, 3.3]]));
/// // A one-hot row gives the same loss as the class index 0.
/// let one_hot = Tensor::from([[1.0, 0.0, 0.0]]);
/// let a = losses::cross_entropy_soft(logits, &one_hot).item();
/// let b = losses::cross_entropy(logits, &[0]).item();
/// approx::assert_abs_diff_eq!(a, b, epsilon = 1e-15);
/// // Label smoothing: 0.9 on the cat, 0.05 on the others.
/// let smooth = Tensor::from([[0.9, 0.05, 0.05]]);
/// assert!(losses::cross_entropy_soft(logits, &smooth).item() > a);
/// ```
///
/// # Panics
/// If `logits` is not 2-d or the shapes differ:
/// `cross_entropy_soft: logits [2, 3] and targets [2, 4] differ in shape`.
#[track_caller]
pub fn cross_entropy_soft<'g, T: Float>(logits: Var<'g, T>, targets: &Tensor<T>) -> Var<'g, T> {
    cross_entropy_soft_with(logits, targets, Reduction::Mean)
}

/// [`cross_entropy_soft`] with a chosen [`Reduction`]: `Sum` gives Σᵢ Lᵢ,
/// `None` the per-sample losses Lᵢ (shape `[batch]`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, cross_entropy_soft_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let logits = g.leaf(Tensor::from([[0.0, 0.0], [0.0, 0.0]]));
/// let targets = Tensor::from([[0.5, 0.5], [1.0, 0.0]]);
/// let per_sample = cross_entropy_soft_with(logits, &targets, Reduction::None);
/// assert_eq!(per_sample.shape(), vec![2]); // ln 2 each
/// ```
///
/// # Panics
/// As [`cross_entropy_soft`].
#[track_caller]
pub fn cross_entropy_soft_with<'g, T: Float>(
    logits: Var<'g, T>,
    targets: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    let shape = logits.shape();
    if shape.len() != 2 {
        panic!("cross_entropy_soft: expects logits of shape [batch, classes], got {shape:?}");
    }
    check::same_shape(
        "cross_entropy_soft",
        ("logits", &shape),
        ("targets", targets.shape()),
    );
    let t = logits.graph().input(targets.clone());
    reduction.reduce(-(logits.log_softmax(1) * t).sum_axis(1))
}
