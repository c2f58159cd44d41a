//! Binary cross-entropy: the loss of yes/no (and multi-label) outputs, from
//! logits (stable, preferred) or from probabilities (clamped).

use autograd::Var;
use tensor::{Float, Tensor};

use crate::{Reduction, check};

/// How far [`binary_cross_entropy`] keeps probabilities from 0 and 1: they
/// are clamped to `[ε, 1 − ε]` with ε = 10⁻⁷ before taking logarithms.
///
/// Why: ln 0 = −∞, so a probability of exactly 0 for the true label (or 1
/// for the wrong one) would give an infinite loss and an infinite or NaN
/// gradient, and one such sample poisons the whole batch. A sigmoid does
/// reach these values in floating point: σ(z) rounds to exactly 1 once z
/// exceeds about 17 in f32 (37 in f64), and to exactly 0 below about −104
/// (−745). With the clamp the worst term is −ln ε ≈ 16.12, and a perfect
/// prediction (p = 1, y = 1) costs −ln(1 − ε) ≈ 10⁻⁷, not exactly 0.
///
/// This is the choice of Keras (whose default epsilon is 10⁻⁷). PyTorch's
/// `BCELoss` does not clamp p; it clamps each log term at −100 instead, so
/// its worst term is 100, and its gradient (p − y) / max(p(1 − p), 10⁻¹²)
/// stays nonzero at p = 0 or 1. Here, outside `[ε, 1 − ε]` the clamp passes
/// no gradient at all: a sigmoid saturated at the wrong answer stops
/// learning. Prefer [`binary_cross_entropy_with_logits`], which needs no ε.
pub const BCE_EPSILON: f64 = 1e-7;

/// Binary cross-entropy of logits: a sigmoid and the Bernoulli negative
/// log-likelihood fused into one stable step (PyTorch's
/// `BCEWithLogitsLoss`). Targets are 0 or 1 (or soft, in `[0, 1]`).
///
/// ```text
/// with p = σ(z):  −[y ln p + (1 − y) ln(1 − p)] = softplus(z) − z·y
///                 (softplus(z) = ln(1 + eᶻ), computed as max(z, 0) + ln(1 + e^−|z|))
/// L = 1/N Σᵢ (softplus(zᵢ) − zᵢ yᵢ)      ∂L/∂zᵢ = (σ(zᵢ) − yᵢ) / N
/// ```
///
/// The identity follows from ln σ(z) = −softplus(−z) = z − softplus(z) and
/// ln(1 − σ(z)) = −softplus(z). The gradient is exactly σ(z) − y (over N):
/// no σ'(z) factor that vanishes when the sigmoid saturates, and finite loss
/// and gradient for logits of ±1000 (where σ(z) rounds to 0 or 1 and the
/// naive formula meets ln 0).
///
/// Shapes: `logits` and `targets` have the same shape (any; `[batch]` or
/// `[batch, labels]`); the result is 0-d. N counts every element. See
/// [`binary_cross_entropy_with_logits_with`] for the other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let z = g.leaf(Tensor::from([0.0, 1000.0, -1000.0]));
/// let y = Tensor::from([1.0, 1.0, 1.0]);
/// let loss = losses::binary_cross_entropy_with_logits(z, &y);
/// // ln 2, 0 and 1000 (a confident mistake costs its logit, finitely).
/// approx::assert_abs_diff_eq!(loss.item(), (std::f64::consts::LN_2 + 1000.0) / 3.0, epsilon = 1e-12);
/// let grads = loss.backward(); // (σ(z) − y) / 3
/// assert_eq!(grads.wrt(z).to_vec(), vec![-0.5 / 3.0, 0.0, -1.0 / 3.0]);
/// ```
///
/// # Panics
/// If the shapes differ (no broadcasting, which would turn `[N, 1]` logits
/// and `[N]` targets into an `[N, N]` comparison):
/// `binary_cross_entropy_with_logits: logits [4, 1] and targets [4] differ in shape`.
#[track_caller]
pub fn binary_cross_entropy_with_logits<'g, T: Float>(
    logits: Var<'g, T>,
    targets: &Tensor<T>,
) -> Var<'g, T> {
    binary_cross_entropy_with_logits_with(logits, targets, Reduction::Mean)
}

/// [`binary_cross_entropy_with_logits`] with a chosen [`Reduction`]: `Sum`
/// gives the total, `None` the per-element losses (the shape of `logits`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, binary_cross_entropy_with_logits_with as bce};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let z = g.leaf(Tensor::from([[0.0], [0.0]]));
/// let y = Tensor::from([[1.0], [0.0]]);
/// assert_eq!(bce(z, &y, Reduction::None).shape(), vec![2, 1]);
/// approx::assert_abs_diff_eq!(bce(z, &y, Reduction::Sum).item(), 2.0 * std::f64::consts::LN_2, epsilon = 1e-12);
/// ```
///
/// # Panics
/// As [`binary_cross_entropy_with_logits`].
#[track_caller]
pub fn binary_cross_entropy_with_logits_with<'g, T: Float>(
    logits: Var<'g, T>,
    targets: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    check::same_shape(
        "binary_cross_entropy_with_logits",
        ("logits", &logits.shape()),
        ("targets", targets.shape()),
    );
    let y = logits.graph().input(targets.clone());
    reduction.reduce(logits.softplus() - logits * y)
}

/// Binary cross-entropy of probabilities (a sigmoid's output), the
/// Bernoulli negative log-likelihood (PyTorch's `BCELoss`, Keras's
/// `binary_crossentropy`). Targets are 0 or 1 (or soft, in `[0, 1]`).
///
/// ```text
/// p̃ = clamp(p, ε, 1 − ε)                    (ε = BCE_EPSILON = 1e-7)
/// L = 1/N Σᵢ −[yᵢ ln p̃ᵢ + (1 − yᵢ) ln(1 − p̃ᵢ)]
/// ∂L/∂pᵢ = (p̃ᵢ − yᵢ) / (p̃ᵢ(1 − p̃ᵢ)) / N   inside [ε, 1 − ε], 0 outside
/// ```
///
/// Probabilities of exactly 0 or 1 give a finite loss (at most −ln ε ≈
/// 16.12 per element) and a finite gradient; see [`BCE_EPSILON`] for the
/// choice of ε, how PyTorch differs, and why the gradient is 0 where the
/// clamp is active. Behind a sigmoid, the gradient with respect to its
/// input is σ(z) − y either way, but [`binary_cross_entropy_with_logits`]
/// computes it without ε and without ever rounding σ(z) to 0 or 1: prefer it.
///
/// Shapes: `probs` and `targets` have the same shape (any); the result is
/// 0-d. N counts every element. See [`binary_cross_entropy_with`] for the
/// other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let p = g.leaf(Tensor::from([0.9, 0.2, 1.0, 0.0]));
/// let y = Tensor::from([1.0, 0.0, 1.0, 1.0]);
/// let per_element = losses::binary_cross_entropy_with(p, &y, losses::Reduction::None).value();
/// approx::assert_abs_diff_eq!(per_element.at([0]), 0.105_360_5, epsilon = 1e-7); // −ln 0.9
/// approx::assert_abs_diff_eq!(per_element.at([1]), 0.223_143_6, epsilon = 1e-7); // −ln 0.8
/// assert!(per_element.at([2]) < 1.1e-7); // −ln(1 − ε): almost 0
/// approx::assert_abs_diff_eq!(per_element.at([3]), 16.118_095_7, epsilon = 1e-6); // −ln ε, not ∞
/// let grads = losses::binary_cross_entropy(p, &y).backward();
/// assert!(grads.wrt(p).to_vec().into_iter().all(f64::is_finite));
/// ```
///
/// # Panics
/// If the shapes differ (no broadcasting):
/// `binary_cross_entropy: probabilities [4, 1] and targets [4] differ in shape`.
#[track_caller]
pub fn binary_cross_entropy<'g, T: Float>(probs: Var<'g, T>, targets: &Tensor<T>) -> Var<'g, T> {
    binary_cross_entropy_with(probs, targets, Reduction::Mean)
}

/// [`binary_cross_entropy`] with a chosen [`Reduction`]: `Sum` gives the
/// total, `None` the per-element losses (the shape of `probs`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, binary_cross_entropy_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let p = g.leaf(Tensor::from([0.5, 0.5]));
/// let y = Tensor::from([1.0, 0.0]);
/// let total = binary_cross_entropy_with(p, &y, Reduction::Sum).item();
/// approx::assert_abs_diff_eq!(total, 2.0 * std::f64::consts::LN_2, epsilon = 1e-12);
/// ```
///
/// # Panics
/// As [`binary_cross_entropy`].
#[track_caller]
pub fn binary_cross_entropy_with<'g, T: Float>(
    probs: Var<'g, T>,
    targets: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    check::same_shape(
        "binary_cross_entropy",
        ("probabilities", &probs.shape()),
        ("targets", targets.shape()),
    );
    let g = probs.graph();
    let eps = T::from_f64(BCE_EPSILON);
    let p = probs.clamp(eps, T::one() - eps);
    let y = g.input(targets.clone());
    let not_y = g.input(targets.map(|v| T::one() - v));
    let one_minus_p = p.neg().add_scalar(T::one());
    reduction.reduce(-(p.log() * y + one_minus_p.log() * not_y))
}
