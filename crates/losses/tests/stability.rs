//! Extreme inputs give finite losses and finite gradients: logits of ±1000
//! (in f64 and in f32, the training type), probabilities of exactly 0 and
//! 1, a variance of 0. And the reductions relate as they should: the sum is
//! N times the mean, `None` keeps one term per sample (classification) or
//! per element (element-wise losses).

use approx::assert_abs_diff_eq;
use autograd::{Graph, Var};
use losses::{BCE_EPSILON, Reduction};
use tensor::{Float, Tensor};

/// Every element finite.
fn all_finite<T: Float>(t: &Tensor<T>) -> bool {
    t.to_vec().into_iter().all(T::is_finite)
}

/// Logits with ±1000 entries: [batch 2, classes 3].
fn huge_logits<T: Float>() -> Tensor<T> {
    Tensor::from_vec(
        [1000.0, -1000.0, 0.0, -1000.0, 1000.0, 0.0]
            .map(T::from_f64)
            .to_vec(),
        [2, 3],
    )
}

/// The loss of `f` at `x` and its gradient with respect to `x`.
fn loss_and_grad<T: Float>(
    x: Tensor<T>,
    f: impl for<'g> Fn(Var<'g, T>) -> Var<'g, T>,
) -> (T, Tensor<T>) {
    let g = Graph::new();
    let x = g.leaf(x);
    let loss = f(x);
    let value = loss.item();
    (value, loss.backward().wrt(x).clone())
}

// ----- logits of ±1000 ---------------------------------------------------------

/// Sample 0's true class (1) is 2000 below the best logit: loss 2000.
/// Sample 1's true class wins by 1000: loss 0. Mean 1000; gradient
/// (softmax − one-hot) / 2, finite.
fn check_cross_entropy<T: Float>() {
    let (loss, grad) = loss_and_grad(huge_logits::<T>(), |z| losses::cross_entropy(z, &[1, 1]));
    assert_eq!(loss.to_f64(), 1000.0);
    assert!(all_finite(&grad));
    let expected = [0.5, -0.5, 0.0, 0.0, 0.0, 0.0];
    assert_eq!(grad.to_vec(), expected.map(T::from_f64).to_vec());
}

#[test]
fn cross_entropy_at_logits_plus_minus_1000() {
    check_cross_entropy::<f64>();
    check_cross_entropy::<f32>();
}

fn check_cross_entropy_soft<T: Float>() {
    let one_hot = Tensor::from_vec(
        [0.0, 1.0, 0.0, 0.0, 1.0, 0.0].map(T::from_f64).to_vec(),
        [2, 3],
    );
    let (loss, grad) = loss_and_grad(huge_logits::<T>(), |z| {
        losses::cross_entropy_soft(z, &one_hot)
    });
    assert_eq!(loss.to_f64(), 1000.0);
    assert!(all_finite(&grad));
    // Soft targets: half on each of the first two classes.
    let soft = Tensor::from_vec(
        [0.5, 0.5, 0.0, 0.5, 0.5, 0.0].map(T::from_f64).to_vec(),
        [2, 3],
    );
    let (loss, grad) = loss_and_grad(huge_logits::<T>(), |z| losses::cross_entropy_soft(z, &soft));
    assert_eq!(loss.to_f64(), 1000.0); // each sample: ½ · 0 + ½ · 2000
    assert!(all_finite(&grad));
}

#[test]
fn cross_entropy_soft_at_logits_plus_minus_1000() {
    check_cross_entropy_soft::<f64>();
    check_cross_entropy_soft::<f32>();
}

fn check_nll_of_log_softmax<T: Float>() {
    let (loss, grad) = loss_and_grad(huge_logits::<T>(), |z| {
        losses::nll(z.log_softmax(1), &[1, 1])
    });
    assert_eq!(loss.to_f64(), 1000.0);
    assert!(all_finite(&grad));
}

#[test]
fn nll_of_log_softmax_at_logits_plus_minus_1000() {
    check_nll_of_log_softmax::<f64>();
    check_nll_of_log_softmax::<f32>();
}

/// softplus(z) − z·y: 0, 1000, 1000, 0; gradient (σ(z) − y) / 4.
fn check_bce_with_logits<T: Float>() {
    let z = Tensor::from_vec(
        [1000.0, -1000.0, 1000.0, -1000.0].map(T::from_f64).to_vec(),
        [4],
    );
    let y = Tensor::from_vec([1.0, 1.0, 0.0, 0.0].map(T::from_f64).to_vec(), [4]);
    let (loss, grad) = loss_and_grad(z, |z| losses::binary_cross_entropy_with_logits(z, &y));
    assert_eq!(loss.to_f64(), 500.0);
    let expected = [0.0, -0.25, 0.25, 0.0];
    assert_eq!(grad.to_vec(), expected.map(T::from_f64).to_vec());
}

#[test]
fn bce_with_logits_at_logits_plus_minus_1000() {
    check_bce_with_logits::<f64>();
    check_bce_with_logits::<f32>();
}

// ----- probabilities of exactly 0 and 1, a variance of 0 -------------------

/// p = 0 and 1 against y = 1 and 0: every term finite, at most −ln ε; the
/// gradient is finite (and 0: the clamp is active, see `BCE_EPSILON`).
fn check_binary_cross_entropy<T: Float>() {
    let p = Tensor::from_vec([0.0, 1.0, 1.0, 0.0].map(T::from_f64).to_vec(), [4]);
    let y = Tensor::from_vec([1.0, 1.0, 0.0, 0.0].map(T::from_f64).to_vec(), [4]);
    let (loss, grad) = loss_and_grad(p.clone(), |p| losses::binary_cross_entropy(p, &y));
    assert!(loss.is_finite());
    assert!(all_finite(&grad));
    assert!(grad.to_vec().iter().all(|&d| d == T::zero()));
    let g = Graph::new();
    let terms = losses::binary_cross_entropy_with(g.input(p), &y, Reduction::None).value();
    assert!(all_finite(&terms));
    assert!(terms.max().to_f64() <= -BCE_EPSILON.ln() + 1e-5);
}

#[test]
fn binary_cross_entropy_of_probabilities_0_and_1() {
    check_binary_cross_entropy::<f64>();
    check_binary_cross_entropy::<f32>();
}

/// In f64: −ln ε = 16.118 for the confident mistakes, −ln(1 − ε) ≈ 1e-7
/// for the confident successes (p = 1, y = 1 costs almost nothing).
#[test]
fn binary_cross_entropy_at_0_and_1_costs_minus_ln_epsilon_or_almost_nothing() {
    let g = Graph::new();
    let p = g.input(Tensor::from([0.0, 1.0, 1.0, 0.0]));
    let y = Tensor::from([1.0, 1.0, 0.0, 0.0]);
    let terms = losses::binary_cross_entropy_with(p, &y, Reduction::None)
        .value()
        .to_vec();
    let worst = -BCE_EPSILON.ln();
    let best = -(1.0 - BCE_EPSILON).ln();
    assert_abs_diff_eq!(worst, 16.118_095_65, epsilon = 1e-8);
    assert_abs_diff_eq!(best, 1.000_000_05e-7, epsilon = 1e-15);
    for (term, expected) in terms.iter().zip([worst, best, worst, best]) {
        assert_abs_diff_eq!(*term, expected, epsilon = 1e-9);
    }
}

/// A variance of 0 (or below ε) is clamped to ε = 1e-6: finite loss, finite
/// gradient; no gradient flows into the clamped variance.
#[test]
fn gaussian_nll_learned_at_variance_zero() {
    let g = Graph::new();
    let mean = g.leaf(Tensor::from([0.0, 1.0]));
    let var = g.leaf(Tensor::from([0.0, -1.0]));
    let target = Tensor::from([0.001, 1.0]);
    let loss = losses::gaussian_nll_learned(mean, var, &target);
    let eps = losses::GAUSSIAN_NLL_EPSILON;
    let expected = (0.5 * (eps.ln() + 1e-6 / eps) + 0.5 * eps.ln()) / 2.0;
    assert_abs_diff_eq!(loss.item(), expected, epsilon = 1e-9);
    let grads = loss.backward();
    assert!(all_finite(grads.wrt(mean)));
    assert_eq!(grads.wrt(var).to_vec(), vec![0.0, 0.0]);
}

// ----- reductions ------------------------------------------------------------

/// For a loss given as `f(reduction)`: the `Mean` and `Sum` values and the
/// `None` terms agree (sum = Σ terms = N × mean), the `None` shape is as
/// expected, and the default function equals `Mean`.
fn check_reductions(
    name: &str,
    default: impl for<'g> Fn(&'g Graph<f64>) -> Var<'g, f64>,
    with: impl for<'g> Fn(&'g Graph<f64>, Reduction) -> Var<'g, f64>,
    terms_shape: &[usize],
) {
    let g = Graph::new();
    let mean = with(&g, Reduction::Mean).item();
    let sum = with(&g, Reduction::Sum).item();
    let terms = with(&g, Reduction::None).value();
    assert_eq!(terms.shape(), terms_shape, "{name}: shape of the terms");
    let n = terms.len() as f64;
    assert_abs_diff_eq!(sum, mean * n, epsilon = 1e-12);
    assert_abs_diff_eq!(sum, terms.sum(), epsilon = 1e-12);
    assert_eq!(default(&g).item(), mean, "{name}: the default is the mean");
    assert_eq!(Reduction::default(), Reduction::Mean);
}

#[test]
fn reductions_sum_is_n_times_mean_and_none_keeps_the_terms() {
    // A batch of 3 samples: 4 outputs each (element-wise), 4 classes (classification).
    let pred = Tensor::from([
        [0.1, -0.4, 0.9, 0.3],
        [1.5, 0.2, -0.7, 0.0],
        [-1.1, 0.6, 0.4, 2.0],
    ]);
    let target = Tensor::from([
        [0.0, 0.1, 1.0, 0.0],
        [1.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 1.0],
    ]);
    let probs = pred.sigmoid();
    let var = pred.abs() + &Tensor::scalar(0.5);
    let soft = &target / &target.sum_keepdims(1);
    let classes = [2, 0, 3];
    let elems = [3, 4];
    let batch = [3];

    check_reductions(
        "mse",
        |g| losses::mse(g.input(pred.clone()), &target),
        |g, r| losses::mse_with(g.input(pred.clone()), &target, r),
        &elems,
    );
    check_reductions(
        "mae",
        |g| losses::mae(g.input(pred.clone()), &target),
        |g, r| losses::mae_with(g.input(pred.clone()), &target, r),
        &elems,
    );
    check_reductions(
        "binary_cross_entropy_with_logits",
        |g| losses::binary_cross_entropy_with_logits(g.input(pred.clone()), &target),
        |g, r| losses::binary_cross_entropy_with_logits_with(g.input(pred.clone()), &target, r),
        &elems,
    );
    check_reductions(
        "binary_cross_entropy",
        |g| losses::binary_cross_entropy(g.input(probs.clone()), &target),
        |g, r| losses::binary_cross_entropy_with(g.input(probs.clone()), &target, r),
        &elems,
    );
    check_reductions(
        "gaussian_nll",
        |g| losses::gaussian_nll(g.input(pred.clone()), &target),
        |g, r| losses::gaussian_nll_with(g.input(pred.clone()), &target, r),
        &elems,
    );
    check_reductions(
        "gaussian_nll_learned",
        |g| losses::gaussian_nll_learned(g.input(pred.clone()), g.input(var.clone()), &target),
        |g, r| {
            losses::gaussian_nll_learned_with(
                g.input(pred.clone()),
                g.input(var.clone()),
                &target,
                r,
            )
        },
        &elems,
    );
    check_reductions(
        "cross_entropy",
        |g| losses::cross_entropy(g.input(pred.clone()), &classes),
        |g, r| losses::cross_entropy_with(g.input(pred.clone()), &classes, r),
        &batch,
    );
    check_reductions(
        "cross_entropy_soft",
        |g| losses::cross_entropy_soft(g.input(pred.clone()), &soft),
        |g, r| losses::cross_entropy_soft_with(g.input(pred.clone()), &soft, r),
        &batch,
    );
    check_reductions(
        "nll",
        |g| losses::nll(g.input(pred.clone()).log_softmax(1), &classes),
        |g, r| losses::nll_with(g.input(pred.clone()).log_softmax(1), &classes, r),
        &batch,
    );
    check_reductions(
        "multiclass_hinge",
        |g| losses::multiclass_hinge(g.input(pred.clone()), &classes),
        |g, r| losses::multiclass_hinge_with(g.input(pred.clone()), &classes, r),
        &batch,
    );
}
