//! The lecture's numbers, reproduced with the crate's own losses. The book
//! quotes these values; each test names the claim it pins.
//!
//! The running example: three classes (cat, dog, lion) and two images,
//! both cats, with scores (6.5, 2.0, 3.3) and (3.3, −1.5, 4.3).

use approx::assert_abs_diff_eq;
use autograd::{Graph, Var};
use losses::Reduction;
use tensor::{Tensor, sigmoid};

const CAT: usize = 0;
const FIRST: [f64; 3] = [6.5, 2.0, 3.3];
const SECOND: [f64; 3] = [3.3, -1.5, 4.3];

/// `x` rounded to `decimals` places, as a slide would print it.
fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

fn rounded<const N: usize>(xs: [f64; N], decimals: i32) -> [f64; N] {
    xs.map(|x| round(x, decimals))
}

/// The softmax of one row of scores, through the autograd op.
fn softmax(scores: [f64; 3]) -> [f64; 3] {
    let g = Graph::inference();
    let p = g.input(Tensor::from([scores])).softmax(1).value().to_vec();
    [p[0], p[1], p[2]]
}

/// Cross-entropy of one row of scores with true class `class`.
fn cross_entropy(scores: [f64; 3], class: usize) -> f64 {
    let g = Graph::inference();
    losses::cross_entropy(g.input(Tensor::from([scores])), &[class]).item()
}

// ----- softmax: exponentiate, normalise --------------------------------------

#[test]
fn softmax_of_the_first_example_6_5_2_0_3_3() {
    let exp = FIRST.map(f64::exp);
    assert_abs_diff_eq!(exp[0], 665.141_633, epsilon = 1e-6);
    assert_abs_diff_eq!(exp[1], 7.389_056, epsilon = 1e-6);
    assert_abs_diff_eq!(exp[2], 27.112_639, epsilon = 1e-6);
    assert_eq!(rounded(exp, 1), [665.1, 7.4, 27.1]);
    let p = softmax(FIRST);
    assert_abs_diff_eq!(p[0], 0.950_686_74, epsilon = 1e-8);
    assert_abs_diff_eq!(p[1], 0.010_561_18, epsilon = 1e-8);
    assert_abs_diff_eq!(p[2], 0.038_752_09, epsilon = 1e-8);
    assert_eq!(rounded(p, 2), [0.95, 0.01, 0.04]);
}

#[test]
fn softmax_of_the_second_example_3_3_minus_1_5_4_3() {
    let exp = SECOND.map(f64::exp);
    assert_eq!(rounded(exp, 1), [27.1, 0.2, 73.7]);
    let p = softmax(SECOND);
    assert_abs_diff_eq!(p[0], 0.268_347_48, epsilon = 1e-8);
    assert_abs_diff_eq!(p[1], 0.002_208_43, epsilon = 1e-8);
    assert_abs_diff_eq!(p[2], 0.729_444_09, epsilon = 1e-8);
    assert_eq!(rounded(p, 2), [0.27, 0.00, 0.73]);
}

// ----- the erratum: the slides' losses are base-10 logarithms ----------------

/// The usual slides print −log(0.95) = 0.022 and −log(0.27) = 0.57: those are
/// base-10 logarithms of the rounded probabilities.
#[test]
fn slides_losses_0_022_and_0_57_are_base_10_logarithms() {
    assert_abs_diff_eq!(-0.95f64.log10(), 0.022_276, epsilon = 1e-6);
    assert_abs_diff_eq!(-0.27f64.log10(), 0.568_636, epsilon = 1e-6);
    assert_eq!(round(-0.95f64.log10(), 3), 0.022);
    assert_eq!(round(-0.27f64.log10(), 2), 0.57);
    // The exact probabilities give the same printed values: 0.02196, 0.5713.
    assert_eq!(round(-softmax(FIRST)[CAT].log10(), 3), 0.022);
    assert_eq!(round(-softmax(SECOND)[CAT].log10(), 2), 0.57);
}

/// With the natural logarithm, which every framework uses: 0.051 and 1.31.
#[test]
fn natural_log_losses_of_the_rounded_probabilities_are_0_051_and_1_31() {
    assert_abs_diff_eq!(-0.95f64.ln(), 0.051_293, epsilon = 1e-6);
    assert_abs_diff_eq!(-0.27f64.ln(), 1.309_333, epsilon = 1e-6);
    assert_eq!(round(-0.95f64.ln(), 3), 0.051);
    assert_eq!(round(-0.27f64.ln(), 2), 1.31);
}

/// The exact cross-entropy on the logits, −ln(665.14 / (665.14 + 7.39 +
/// 27.11)) = ln(1 + e^−4.5 + e^−3.2) = 0.050571: it also prints as 0.051 (the
/// rounded probability 0.95 gives 0.0513, slightly more).
#[test]
fn exact_cross_entropy_of_the_first_example_is_0_050571() {
    let loss = cross_entropy(FIRST, CAT);
    assert_abs_diff_eq!(loss, 0.050_570_674, epsilon = 1e-9);
    assert_abs_diff_eq!(
        loss,
        (1.0 + (-4.5f64).exp() + (-3.2f64).exp()).ln(),
        epsilon = 1e-15
    );
    assert_eq!(round(loss, 3), 0.051);
}

/// The exact cross-entropy of the second example (true class cat, p =
/// 0.2683) is 1.315473, which prints as 1.32: the slide's 1.31 is −ln of the
/// probability already rounded to 0.27.
#[test]
fn exact_cross_entropy_of_the_second_example_is_1_315473() {
    let loss = cross_entropy(SECOND, CAT);
    assert_abs_diff_eq!(loss, 1.315_472_562, epsilon = 1e-9);
    assert_eq!(round(loss, 2), 1.32);
    assert_eq!(round(-round(softmax(SECOND)[CAT], 2).ln(), 2), 1.31);
}

/// Only the cat, the true class of both images, gives the slide's loss of
/// about 1.31 on the second example: the dog would cost 6.12, the lion 0.32.
#[test]
fn the_second_example_loss_belongs_to_the_cat() {
    let losses = [0, 1, 2].map(|class| cross_entropy(SECOND, class));
    assert_eq!(rounded(losses, 2), [1.32, 6.12, 0.32]);
    let near_slide: Vec<usize> = (0..3)
        .filter(|&c| (losses[c] - 1.31).abs() < 0.01)
        .collect();
    assert_eq!(near_slide, vec![CAT]);
}

// ----- the extremes: probability 1 and probability 0 -------------------------

/// Probability 1 for the true class: −ln 1 = 0.
#[test]
fn probability_one_for_the_true_class_costs_zero() {
    let g = Graph::new();
    let log_probs = g.input(Tensor::from([[0.0, f64::NEG_INFINITY, f64::NEG_INFINITY]]));
    assert_eq!(losses::nll(log_probs, &[CAT]).item(), 0.0);
    // Through logits: a gap of 1000 makes the probability 1 to the last bit.
    let logits = g.input(Tensor::from([[1000.0, 0.0, 0.0]]));
    assert_eq!(losses::cross_entropy(logits, &[CAT]).item(), 0.0);
}

/// Probability 0 for the true class: −ln 0 = ∞ if computed naively from the
/// softmax, but log_softmax on the logits gives the finite loss 1000 (the
/// logit gap) and the gradient softmax − one-hot = (−1, 1).
#[test]
fn probability_zero_is_infinite_naively_and_finite_through_log_softmax() {
    let naive = -softmax([0.0, 1000.0, 0.0])[CAT].ln();
    assert_eq!(naive, f64::INFINITY);
    let g = Graph::new();
    let logits = g.leaf(Tensor::from([[0.0, 1000.0]]));
    let naive_var = -logits.softmax(1).log().pick(&[CAT]).mean();
    assert_eq!(naive_var.item(), f64::INFINITY);
    let loss = losses::cross_entropy(logits, &[CAT]);
    assert_eq!(loss.item(), 1000.0);
    assert_eq!(loss.backward().wrt(logits).to_vec(), vec![-1.0, 1.0]);
}

// ----- gradients at the output --------------------------------------------------

/// ∂CE/∂z = (softmax(z) − onehot(y)) / N, element by element.
#[test]
fn cross_entropy_gradient_is_softmax_minus_onehot_over_n() {
    let g = Graph::new();
    let logits = g.leaf(Tensor::from([FIRST, SECOND, [0.1, -0.2, 0.3]]));
    let classes = [CAT, CAT, 2];
    let p = logits.softmax(1).value();
    let grads = losses::cross_entropy(logits, &classes).backward();
    let d = grads.wrt(logits);
    for (i, &y) in classes.iter().enumerate() {
        for j in 0..3 {
            let one_hot = if j == y { 1.0 } else { 0.0 };
            assert_abs_diff_eq!(
                d.at([i, j]),
                (p.at([i, j]) - one_hot) / 3.0,
                epsilon = 1e-15
            );
        }
    }
}

/// ∂BCE/∂z = σ(z) − y for binary cross-entropy on logits (Sum reduction;
/// the mean divides by N).
#[test]
fn bce_with_logits_gradient_is_sigmoid_minus_target() {
    let z = [-3.0, -0.5, 0.0, 0.0, 2.0, 10.0];
    let y = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
    let g = Graph::new();
    let logits = g.leaf(Tensor::from(z));
    let loss =
        losses::binary_cross_entropy_with_logits_with(logits, &Tensor::from(y), Reduction::Sum);
    let d = loss.backward().wrt(logits).to_vec();
    for i in 0..z.len() {
        assert_abs_diff_eq!(d[i], sigmoid(z[i]) - y[i], epsilon = 1e-15);
    }
    assert_eq!(d[2], -0.5); // z = 0, y = 1: exactly σ(0) − 1
    assert_eq!(d[3], 0.5);
}

/// Gradients with respect to the sigmoid's input z, for one sample with
/// label y: MSE on σ(z), and binary cross-entropy on the logit z.
fn mse_and_ce_gradients(z: f64, y: f64) -> (f64, f64) {
    let g = Graph::new();
    let target = Tensor::from([y]);
    let logit = g.leaf(Tensor::from([z]));
    let mse = losses::mse(logit.sigmoid(), &target)
        .backward()
        .wrt(logit)
        .item();
    let logit = g.leaf(Tensor::from([z]));
    let ce = losses::binary_cross_entropy_with_logits(logit, &target)
        .backward()
        .wrt(logit)
        .item();
    (mse, ce)
}

/// MSE on a sigmoid output: ∂/∂z = 2(σ(z) − y)·σ'(z) / N. At z = 0, y = 1:
/// 2 · (−0.5) · 0.25 = −0.25, half of the cross-entropy's σ(0) − 1 = −0.5.
#[test]
fn mse_on_a_sigmoid_carries_the_sigmoid_derivative() {
    let (mse, ce) = mse_and_ce_gradients(0.0, 1.0);
    assert_eq!(mse, -0.25);
    assert_eq!(ce, -0.5);
    for z in [-4.0, -1.0, 0.3, 2.5] {
        let (mse, ce) = mse_and_ce_gradients(z, 1.0);
        let s = sigmoid(z);
        assert_abs_diff_eq!(mse, 2.0 * (s - 1.0) * s * (1.0 - s), epsilon = 1e-15);
        assert_abs_diff_eq!(ce, s - 1.0, epsilon = 1e-15);
    }
}

/// σ'(z) ≤ ¼, so the MSE gradient is at most 2 · ¼ = ½ of the
/// cross-entropy's in magnitude (the 2 comes from the square), with equality
/// only at z = 0.
#[test]
fn mse_gradient_is_at_most_half_the_cross_entropy_gradient() {
    for i in -100..=100 {
        let z = f64::from(i) / 10.0;
        for y in [0.0, 1.0] {
            let (mse, ce) = mse_and_ce_gradients(z, y);
            assert!(mse.abs() <= 0.5 * ce.abs() + 1e-15, "z = {z}, y = {y}");
            assert_abs_diff_eq!(
                mse / ce,
                2.0 * sigmoid(z) * (1.0 - sigmoid(z)),
                epsilon = 1e-12
            );
        }
    }
}

/// A saturated wrong output, z = −10 with y = 1 (σ(z) = 4.54e-5): the MSE
/// gradient almost vanishes (−9.08e-5) while the cross-entropy's stays
/// near −1 (−0.99995): CE keeps learning where MSE stalls.
#[test]
fn saturated_sigmoid_stalls_mse_but_not_cross_entropy() {
    let (mse, ce) = mse_and_ce_gradients(-10.0, 1.0);
    assert_abs_diff_eq!(mse, -9.078_749e-5, epsilon = 1e-11);
    assert_abs_diff_eq!(ce, -0.999_954_602, epsilon = 1e-9);
    assert!(mse.abs() < 1e-4);
    assert!(ce.abs() > 0.9999);
}

// ----- MSE and outliers; the hinge loss ------------------------------------------

/// The best constant prediction c under each loss, found on a grid: MSE
/// follows the outlier to the mean (22), MAE stays at the median (3).
#[test]
fn mse_follows_the_outlier_mae_does_not() {
    let targets = Tensor::from([1.0, 2.0, 3.0, 4.0, 100.0]);
    let best = |loss: for<'g> fn(Var<'g, f64>, &Tensor<f64>) -> Var<'g, f64>| {
        let g = Graph::inference();
        let grid = (0..=1000).map(|i| f64::from(i) / 10.0);
        grid.map(|c| {
            g.clear();
            (c, loss(g.input(Tensor::full([5], c)), &targets).item())
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a non-empty grid")
        .0
    };
    assert_eq!(best(losses::mse), 22.0);
    assert_eq!(best(losses::mae), 3.0);
}

/// The multiclass SVM loss on three images (cat, car, frog), scores as
/// columns (cat, car, frog): per-sample losses 2.9, 0 and 12.9, mean 5.27.
#[test]
fn multiclass_hinge_of_three_images() {
    let g = Graph::new();
    let scores = g.input(Tensor::from([
        [3.2, 5.1, -1.7],
        [1.3, 4.9, 2.0],
        [2.2, 2.5, -3.1],
    ]));
    let classes = [0, 1, 2];
    let per_sample = losses::multiclass_hinge_with(scores, &classes, Reduction::None).value();
    assert_eq!(
        rounded(per_sample.to_vec().try_into().unwrap(), 10),
        [2.9, 0.0, 12.9]
    );
    let mean = losses::multiclass_hinge(scores, &classes).item();
    assert_abs_diff_eq!(mean, 15.8 / 3.0, epsilon = 1e-12);
    assert_eq!(round(mean, 2), 5.27);
}
