//! Gaussian negative log-likelihood: regression as maximum likelihood, with
//! a fixed variance (MSE in disguise) or a learned one.

use autograd::Var;
use tensor::{Float, Tensor};

use crate::{Reduction, check};

/// The smallest variance [`gaussian_nll_learned`] uses: the predicted
/// variance is clamped to at least 10⁻⁶ (PyTorch's `GaussianNLLLoss`
/// default `eps`), because ln σ² and (y − μ)²/σ² blow up as σ² → 0 (and a
/// network that predicts the variance can drive it there to fit a point
/// exactly).
///
/// One difference from PyTorch: PyTorch clamps the variance outside the
/// autograd graph, so its gradient flows as if there were no clamp; here the
/// clamp is an ordinary operation and passes no gradient to a variance
/// below ε (it pushes it neither up nor down). Make the variance positive by
/// construction, e.g. `softplus(raw) + ε` or `exp(raw)`, and the clamp never acts.
pub const GAUSSIAN_NLL_EPSILON: f64 = 1e-6;

/// ½ ln 2π, the normalising constant of the unit Gaussian in the log domain.
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Gaussian negative log-likelihood with the variance fixed at 1: the loss
/// of regression read as maximum likelihood, y ~ N(μ, 1) with the network
/// predicting the mean μ.
///
/// ```text
/// −ln N(y; μ, 1) = ½(y − μ)² + ½ ln 2π        (per element)
/// L = 1/N Σᵢ [½(yᵢ − μᵢ)² + ½ ln 2π] = ½·MSE + ½ ln 2π     ∂L/∂μᵢ = (μᵢ − yᵢ) / N
/// ```
///
/// This is the maximum-likelihood link: minimising the MSE *is* maximising
/// the likelihood of the targets under a Gaussian of fixed variance around
/// the prediction (the two losses differ by a factor ½ and a constant, so
/// they have the same minimiser and proportional gradients). The constant
/// ½ ln 2π ≈ 0.919 is kept, unlike in [`gaussian_nll_learned`], so that the
/// loss is exactly the negative log-density and can be compared with it; it
/// changes no gradient.
///
/// Shapes: `mean` and `target` have the same shape (any); the result is
/// 0-d. N counts every element. See [`gaussian_nll_with`] for the other
/// reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let mean = g.leaf(Tensor::from([1.0, 2.0]));
/// let target = Tensor::from([1.0, 4.0]);
/// let loss = losses::gaussian_nll(mean, &target);
/// let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
/// let half_mse = 0.5 * losses::mse(mean, &target).item(); // ½ · (0 + 4) / 2
/// approx::assert_abs_diff_eq!(loss.item(), half_mse + half_ln_2pi, epsilon = 1e-12);
/// assert_eq!(loss.backward().wrt(mean).to_vec(), vec![0.0, -1.0]); // (μ − y) / 2
/// ```
///
/// # Panics
/// If the shapes differ (no broadcasting):
/// `gaussian_nll: mean [4, 1] and target [4] differ in shape`.
#[track_caller]
pub fn gaussian_nll<'g, T: Float>(mean: Var<'g, T>, target: &Tensor<T>) -> Var<'g, T> {
    gaussian_nll_with(mean, target, Reduction::Mean)
}

/// [`gaussian_nll`] with a chosen [`Reduction`]: `Sum` gives the total,
/// `None` the per-element terms (the shape of `mean`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, gaussian_nll_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let mean = g.leaf(Tensor::from([0.0, 0.0]));
/// let terms = gaussian_nll_with(mean, &Tensor::from([0.0, 2.0]), Reduction::None).value();
/// let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
/// approx::assert_abs_diff_eq!(terms.at([1]) - terms.at([0]), 2.0, epsilon = 1e-12); // ½ · 2²
/// approx::assert_abs_diff_eq!(terms.at([0]), half_ln_2pi, epsilon = 1e-12);
/// ```
///
/// # Panics
/// As [`gaussian_nll`].
#[track_caller]
pub fn gaussian_nll_with<'g, T: Float>(
    mean: Var<'g, T>,
    target: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    check::same_shape(
        "gaussian_nll",
        ("mean", &mean.shape()),
        ("target", target.shape()),
    );
    let y = mean.graph().input(target.clone());
    let half = T::from_f64(0.5);
    let terms = (mean - y).powi(2).mul_scalar(half) + T::from_f64(HALF_LN_2PI);
    reduction.reduce(terms)
}

/// Gaussian negative log-likelihood with a learned variance: the network
/// predicts a mean μ and a variance σ² for each target, and pays for being
/// wrong *and* for being unsure (PyTorch's `GaussianNLLLoss` with its
/// defaults, `full = False`, `eps = 1e-6`).
///
/// ```text
/// s = max(σ², ε)                              (ε = GAUSSIAN_NLL_EPSILON = 1e-6)
/// per element: ½ (ln s + (y − μ)² / s)        (−ln N(y; μ, s) without ½ ln 2π)
/// ∂/∂μ = (μ − y) / s      ∂/∂σ² = ½ (1/s − (y − μ)²/s²)   (each over N for the mean)
/// ```
///
/// For a fixed error the loss is smallest at σ² = (y − μ)²: the network
/// learns to predict its own squared error. A large error can be excused by
/// a large variance, at the cost ½ ln σ². The constant ½ ln 2π is left out,
/// as in PyTorch, so that the numbers agree with PyTorch's; add it for the
/// exact negative log-density (it changes no gradient). Variances below ε are
/// clamped; see [`GAUSSIAN_NLL_EPSILON`].
///
/// Shapes: `mean` and `target` have the same shape; `var` has that shape
/// too (one variance per element, heteroscedastic) or a shape that
/// broadcasts to it, such as `[]` or `[1]` (one shared variance,
/// homoscedastic) or `[batch, 1]` (one per sample). The result is 0-d;
/// N counts the elements of `mean`. See [`gaussian_nll_learned_with`] for
/// the other reductions.
///
/// ```
/// use autograd::Graph;
/// use tensor::Tensor;
/// let g = Graph::new();
/// let mean = g.leaf(Tensor::from([0.0, 0.0]));
/// let var = g.leaf(Tensor::from([1.0, 4.0]));
/// let target = Tensor::from([1.0, 2.0]);
/// // ½(ln 1 + 1/1) and ½(ln 4 + 4/4): the second error is matched by its variance.
/// let loss = losses::gaussian_nll_learned(mean, var, &target);
/// let expected = (0.5 * (0.0 + 1.0) + 0.5 * (4.0f64.ln() + 1.0)) / 2.0;
/// approx::assert_abs_diff_eq!(loss.item(), expected, epsilon = 1e-12);
/// let grads = loss.backward();
/// // ∂/∂σ² = ½(1/σ² − (y − μ)²/σ⁴) / 2 = 0 for both: each variance is optimal.
/// assert_eq!(grads.wrt(var).to_vec(), vec![0.0, 0.0]);
/// ```
///
/// # Panics
/// If `mean` and `target` differ in shape, or `var` does not broadcast to
/// the shape of `mean`:
/// `gaussian_nll_learned: mean [4, 1] and target [4] differ in shape`,
/// `gaussian_nll_learned: variance [3] does not broadcast to the shape of the mean [4, 2]`.
#[track_caller]
pub fn gaussian_nll_learned<'g, T: Float>(
    mean: Var<'g, T>,
    var: Var<'g, T>,
    target: &Tensor<T>,
) -> Var<'g, T> {
    gaussian_nll_learned_with(mean, var, target, Reduction::Mean)
}

/// [`gaussian_nll_learned`] with a chosen [`Reduction`]: `Sum` gives the
/// total, `None` the per-element terms (the shape of `mean`).
///
/// ```
/// use autograd::Graph;
/// use losses::{Reduction, gaussian_nll_learned_with};
/// use tensor::Tensor;
/// let g = Graph::new();
/// let mean = g.leaf(Tensor::from([[0.0, 1.0], [2.0, 3.0]]));
/// let var = g.leaf(Tensor::scalar(1.0)); // one shared variance
/// let target = Tensor::from([[1.0, 1.0], [2.0, 3.0]]);
/// let terms = gaussian_nll_learned_with(mean, var, &target, Reduction::None);
/// assert_eq!(terms.value(), Tensor::from([[0.5, 0.0], [0.0, 0.0]]));
/// ```
///
/// # Panics
/// As [`gaussian_nll_learned`].
#[track_caller]
pub fn gaussian_nll_learned_with<'g, T: Float>(
    mean: Var<'g, T>,
    var: Var<'g, T>,
    target: &Tensor<T>,
    reduction: Reduction,
) -> Var<'g, T> {
    let shape = mean.shape();
    check::same_shape(
        "gaussian_nll_learned",
        ("mean", &shape),
        ("target", target.shape()),
    );
    let var_shape = var.shape();
    if tensor::broadcast_shape(&var_shape, &shape).as_deref() != Some(shape.as_slice()) {
        panic!(
            "gaussian_nll_learned: variance {var_shape:?} does not broadcast to the shape of the mean {shape:?}"
        );
    }
    let y = mean.graph().input(target.clone());
    let s = var.clamp(T::from_f64(GAUSSIAN_NLL_EPSILON), T::infinity());
    let terms = (s.log() + (mean - y).powi(2) / s).mul_scalar(T::from_f64(0.5));
    reduction.reduce(terms)
}
