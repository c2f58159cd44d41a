//! The likelihood view, checked numerically: minimising a loss is
//! maximising the likelihood of the targets under the distribution the
//! network's output describes.
//!
//! - Gaussian with variance 1 around the prediction → ½·MSE + constant;
//! - Bernoulli with probability p → binary cross-entropy;
//! - categorical with probabilities softmax(z) → cross-entropy.
//!
//! Each likelihood is computed here from its density or probability mass,
//! as a product over the samples, independently of the crate's code.

use std::f64::consts::PI;

use approx::assert_abs_diff_eq;
use autograd::{Graph, Var};
use tensor::Tensor;

/// The density of N(μ, 1) at y.
fn unit_gaussian_density(y: f64, mu: f64) -> f64 {
    (-(y - mu).powi(2) / 2.0).exp() / (2.0 * PI).sqrt()
}

fn targets() -> Tensor<f64> {
    Tensor::from([0.3, -1.2, 2.5, 0.8, 1.0, -0.4])
}

fn means() -> Tensor<f64> {
    Tensor::from([0.1, -0.8, 1.9, 1.0, 0.0, -0.5])
}

/// −ln of the Gaussian likelihood ∏ N(yᵢ; μᵢ, 1), over N, is the
/// Gaussian NLL; per element it is ½(y − μ)² + ½ ln 2π.
#[test]
fn gaussian_nll_is_the_negative_log_likelihood_of_a_unit_gaussian() {
    let (y, mu) = (targets(), means());
    let likelihood: f64 = y
        .to_vec()
        .iter()
        .zip(mu.to_vec())
        .map(|(&y, mu)| unit_gaussian_density(y, mu))
        .product();
    let n = y.len() as f64;
    let g = Graph::new();
    let loss = losses::gaussian_nll(g.input(mu.clone()), &y).item();
    assert_abs_diff_eq!(loss, -likelihood.ln() / n, epsilon = 1e-12);

    let terms = losses::gaussian_nll_with(g.input(mu.clone()), &y, losses::Reduction::None).value();
    let half_ln_2pi = 0.5 * (2.0 * PI).ln();
    for i in 0..y.len() {
        let squared_error = (y.at([i]) - mu.at([i])).powi(2);
        assert_abs_diff_eq!(
            terms.at([i]),
            0.5 * squared_error + half_ln_2pi,
            epsilon = 1e-14
        );
    }
    // Averaged: ½·MSE + ½ ln 2π.
    let mse = losses::mse(g.input(mu), &y).item();
    assert_abs_diff_eq!(loss, 0.5 * mse + half_ln_2pi, epsilon = 1e-14);
}

/// The best constant prediction on a grid is the same under the Gaussian
/// NLL and under MSE (the mean of the targets, 0.5), and the two losses are
/// related by the same affine map at every grid point.
#[test]
fn gaussian_nll_and_mse_have_the_same_minimiser() {
    let y = targets();
    let g = Graph::inference();
    let grid: Vec<f64> = (-300..=300).map(|i| f64::from(i) / 100.0).collect();
    let at = |loss: for<'g> fn(Var<'g, f64>, &Tensor<f64>) -> Var<'g, f64>| -> Vec<f64> {
        grid.iter()
            .map(|&c| {
                g.clear();
                loss(g.input(Tensor::full([y.len()], c)), &y).item()
            })
            .collect()
    };
    let (nll, mse) = (at(losses::gaussian_nll), at(losses::mse));
    let argmin = |v: &[f64]| grid[(0..v.len()).min_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap()];
    assert_eq!(argmin(&nll), argmin(&mse));
    assert_abs_diff_eq!(argmin(&mse), y.mean(), epsilon = 1e-12); // 3.0 / 6 = 0.5
    let half_ln_2pi = 0.5 * (2.0 * PI).ln();
    for (a, b) in nll.iter().zip(&mse) {
        assert_abs_diff_eq!(*a, 0.5 * b + half_ln_2pi, epsilon = 1e-12);
    }
}

/// −ln of the Bernoulli likelihood ∏ pᵢ^yᵢ (1 − pᵢ)^(1 − yᵢ), over N, is the
/// binary cross-entropy; on the logits, with pᵢ = σ(zᵢ), it is the
/// cross-entropy with logits.
#[test]
fn binary_cross_entropy_is_the_negative_log_likelihood_of_a_bernoulli() {
    let p: Tensor<f64> = Tensor::from([0.9, 0.2, 0.65, 0.05, 0.5, 0.99]);
    let y = Tensor::from([1.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
    let likelihood: f64 = p
        .to_vec()
        .iter()
        .zip(y.to_vec())
        .map(|(&p, y)| p.powf(y) * (1.0 - p).powf(1.0 - y))
        .product();
    let n = p.len() as f64;
    let g = Graph::new();
    let bce = losses::binary_cross_entropy(g.input(p.clone()), &y).item();
    assert_abs_diff_eq!(bce, -likelihood.ln() / n, epsilon = 1e-12);

    // The same samples as logits z = ln(p / (1 − p)), so that σ(z) = p.
    let z = p.map(|p| (p / (1.0 - p)).ln());
    let with_logits = losses::binary_cross_entropy_with_logits(g.input(z), &y).item();
    assert_abs_diff_eq!(with_logits, -likelihood.ln() / n, epsilon = 1e-12);
}

/// −ln of the categorical likelihood ∏ pᵢ,yᵢ with pᵢ = softmax(zᵢ), over N,
/// is the cross-entropy on the logits (and the NLL of the log-probabilities).
#[test]
fn cross_entropy_is_the_negative_log_likelihood_of_a_categorical() {
    let logits: Tensor<f64> = Tensor::from([
        [6.5, 2.0, 3.3],
        [3.3, -1.5, 4.3],
        [0.2, 0.1, -0.3],
        [-1.0, 2.0, 0.5],
    ]);
    let classes = [0, 0, 2, 1];
    let likelihood: f64 = classes
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            let row: Vec<f64> = (0..3).map(|j| logits.at([i, j]).exp()).collect();
            row[y] / row.iter().sum::<f64>()
        })
        .product();
    let n = classes.len() as f64;
    let g = Graph::new();
    let z = g.input(logits);
    let ce = losses::cross_entropy(z, &classes).item();
    assert_abs_diff_eq!(ce, -likelihood.ln() / n, epsilon = 1e-12);
    let nll = losses::nll(z.log_softmax(1), &classes).item();
    assert_abs_diff_eq!(nll, -likelihood.ln() / n, epsilon = 1e-12);
}

/// With a learned variance, the loss is the Gaussian negative log-density
/// minus ½ ln 2π (PyTorch's `full = False`), and for a fixed error e it is
/// smallest at σ² = e².
#[test]
fn gaussian_nll_learned_is_the_gaussian_likelihood_without_its_constant() {
    let (y, mu) = (targets(), means());
    let var = Tensor::from([0.5, 1.0, 2.0, 0.25, 1.5, 0.8]);
    let likelihood: f64 = (0..y.len())
        .map(|i| {
            let (y, mu, v) = (y.at([i]), mu.at([i]), var.at([i]));
            (-(y - mu).powi(2) / (2.0 * v)).exp() / (2.0 * PI * v).sqrt()
        })
        .product();
    let n = y.len() as f64;
    let g = Graph::new();
    let loss = losses::gaussian_nll_learned(g.input(mu), g.input(var), &y).item();
    let half_ln_2pi = 0.5 * (2.0 * PI).ln();
    assert_abs_diff_eq!(loss + half_ln_2pi, -likelihood.ln() / n, epsilon = 1e-12);

    // One sample with error 0.7: the best variance on a grid is 0.49.
    let grid: Vec<f64> = (1..=200).map(|i| f64::from(i) / 100.0).collect();
    let cost = |v: f64| {
        let g = Graph::inference();
        let var = g.input(Tensor::from([v]));
        losses::gaussian_nll_learned(g.input(Tensor::from([0.0])), var, &Tensor::from([0.7])).item()
    };
    let best = grid
        .iter()
        .copied()
        .min_by(|&a, &b| cost(a).total_cmp(&cost(b)))
        .unwrap();
    assert_eq!(best, 0.49);
}
