//! Batch normalisation: the forward pass on hand-computed numbers, the
//! backward pass through the batch statistics against central differences
//! (f64), the running statistics and PyTorch's convention for them,
//! evaluation mode, buffers, and the errors.

use autograd::Graph;
use layers::{Activation, Linear, Module, Sequential, gradcheck_module};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::BatchNorm1d;
use tensor::Tensor;

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

const EPS: f64 = 1e-5;

/// x = [[1, 10], [3, 10], [5, 40]]: batch means [3, 20], biased variances
/// [8/3, 200], unbiased [4, 300].
fn known_batch() -> Tensor<f64> {
    Tensor::from([[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]])
}

#[test]
fn training_forward_on_a_known_batch() {
    let bn: BatchNorm1d<f64> = BatchNorm1d::new(2);
    let y = bn.forward(Graph::new().input(known_batch())).value();
    let (s0, s1) = ((8.0 / 3.0 + EPS).sqrt(), (200.0 + EPS).sqrt());
    let expected = Tensor::from([
        [-2.0 / s0, -10.0 / s1],
        [0.0, -10.0 / s1],
        [2.0 / s0, 20.0 / s1],
    ]);
    approx::assert_abs_diff_eq!(y, expected, epsilon = 1e-12);
}

#[test]
fn gamma_and_beta_scale_and_shift_each_feature() {
    let mut bn: BatchNorm1d<f64> = BatchNorm1d::new(2);
    let plain = bn.forward(Graph::new().input(known_batch())).value();
    bn.visit_params_mut("", &mut |name, p| match name {
        "weight" => p.set(Tensor::from([2.0, -1.0])),
        "bias" => p.set(Tensor::from([0.5, 3.0])),
        other => panic!("unexpected parameter {other}"),
    });
    let y = bn.forward(Graph::new().input(known_batch())).value();
    let expected = plain * &Tensor::from([[2.0, -1.0]]) + &Tensor::from([[0.5, 3.0]]);
    approx::assert_abs_diff_eq!(y, expected, epsilon = 1e-12);
}

/// The running statistics after one batch, as PyTorch's `BatchNorm1d`
/// computes them (momentum 0.1, unbiased variance):
/// running_mean = 0.9·0 + 0.1·[3, 20] = [0.3, 2],
/// running_var = 0.9·1 + 0.1·[4, 300] = [1.3, 30.9].
#[test]
fn running_statistics_follow_pytorchs_convention() {
    let bn: BatchNorm1d<f64> = BatchNorm1d::new(2);
    assert_eq!(bn.running_mean(), Tensor::from([0.0, 0.0]));
    assert_eq!(bn.running_var(), Tensor::from([1.0, 1.0]));
    bn.forward(Graph::new().input(known_batch()));
    approx::assert_abs_diff_eq!(bn.running_mean(), Tensor::from([0.3, 2.0]), epsilon = 1e-12);
    approx::assert_abs_diff_eq!(bn.running_var(), Tensor::from([1.3, 30.9]), epsilon = 1e-12);
    // A second batch: another step of the same average.
    bn.forward(Graph::new().input(known_batch()));
    approx::assert_abs_diff_eq!(
        bn.running_mean(),
        Tensor::from([0.57, 3.8]),
        epsilon = 1e-12
    );
    approx::assert_abs_diff_eq!(
        bn.running_var(),
        Tensor::from([1.57, 57.81]),
        epsilon = 1e-12
    );

    let slow: BatchNorm1d<f64> = BatchNorm1d::new(2).momentum(0.5);
    slow.forward(Graph::new().input(known_batch()));
    approx::assert_abs_diff_eq!(
        slow.running_mean(),
        Tensor::from([1.5, 10.0]),
        epsilon = 1e-12
    );
    approx::assert_abs_diff_eq!(
        slow.running_var(),
        Tensor::from([2.5, 150.5]),
        epsilon = 1e-12
    );
}

/// Why the unbiased variance: over many small batches from N(2, 3²), the
/// running variance settles near the true 9, where averaging the biased
/// batch variances of batches of 4 would settle near 9·3/4 = 6.75.
#[test]
fn running_statistics_estimate_the_population() {
    let bn: BatchNorm1d<f64> = BatchNorm1d::new(3).momentum(0.01);
    let mut rng = StdRng::seed_from_u64(11);
    let g = Graph::inference();
    let (mut mean_sum, mut var_sum, mut n) = (0.0, 0.0, 0.0);
    for step in 0..6000 {
        let x = Tensor::<f64>::randn([4, 3], &mut rng) * 3.0 + 2.0;
        bn.forward(g.input(x));
        g.clear();
        if step >= 1000 {
            // Average the running estimates over time to remove their jitter.
            mean_sum += bn.running_mean().mean();
            var_sum += bn.running_var().mean();
            n += 1.0;
        }
    }
    let (mean, var) = (mean_sum / n, var_sum / n);
    assert!((mean - 2.0).abs() < 0.1, "running mean {mean}");
    assert!(
        (var - 9.0).abs() < 0.5,
        "running var {var}, not 9 (biased would be 6.75)"
    );
}

#[test]
fn eval_normalises_with_the_running_statistics_and_leaves_them_alone() {
    let mut bn: BatchNorm1d<f64> = BatchNorm1d::new(2);
    bn.visit_buffers_mut("", &mut |name, b| match name {
        "running_mean" => *b = Tensor::from([1.0, -2.0]),
        "running_var" => *b = Tensor::from([4.0, 0.25]),
        other => panic!("unexpected buffer {other}"),
    });
    bn.visit_params_mut("", &mut |name, p| {
        if name == "weight" {
            p.set(Tensor::from([3.0, 1.0]));
        }
    });
    bn.eval();
    assert!(!bn.is_training());
    // One sample: fine in evaluation.
    let y = bn
        .forward(Graph::new().input(Tensor::from([[5.0, -1.0]])))
        .value();
    let expected = Tensor::from([[3.0 * 4.0 / (4.0 + EPS).sqrt(), 1.0 / (0.25 + EPS).sqrt()]]);
    approx::assert_abs_diff_eq!(y, expected, epsilon = 1e-12);
    // Each sample's output does not depend on the rest of the batch.
    let batch = bn
        .forward(Graph::new().input(Tensor::from([[5.0, -1.0], [100.0, 7.0]])))
        .value();
    approx::assert_abs_diff_eq!(batch.select_rows(&[0]), expected, epsilon = 1e-12);
    assert_eq!(bn.running_mean(), Tensor::from([1.0, -2.0]));
    assert_eq!(bn.running_var(), Tensor::from([4.0, 0.25]));
}

proptest! {
    #![proptest_config(support::proptest_config())]

    /// The classic hard case: the gradient with respect to the input flows
    /// through the batch mean and variance too. Checked against central
    /// differences for the input, γ and β, in training mode.
    #[test]
    fn training_mode_passes_gradcheck(
        batch in 2usize..7,
        features in 1usize..5,
        seed in any::<u64>(),
    ) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x = Tensor::<f64>::randn([batch, features], &mut rng) * 2.0 + 0.5;
        // Batches whose feature is (nearly) constant have a variance of ε
        // and gradients of 1/√ε: not a case central differences can check.
        let var = (&x - &x.mean_axis(0)).powi(2).mean_axis(0);
        prop_assume!(var.to_vec().iter().all(|&v| v > 1e-2));
        let mut bn: BatchNorm1d<f64> = BatchNorm1d::new(features);
        let gamma = Tensor::randn([features], &mut rng);
        let beta = Tensor::randn([features], &mut rng);
        bn.visit_params_mut("", &mut |name, p| {
            p.set(if name == "weight" { gamma.clone() } else { beta.clone() })
        });
        let report = gradcheck_module(&mut bn, &x);
        prop_assert!(report.max_rel_error < 1e-6, "{report:?}");
    }

    /// In evaluation mode the layer is an affine map per feature.
    #[test]
    fn eval_mode_passes_gradcheck(batch in 1usize..5, features in 1usize..5, seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut bn: BatchNorm1d<f64> = BatchNorm1d::new(features);
        for _ in 0..3 {
            bn.forward(Graph::new().input(Tensor::randn([8, features], &mut rng)));
        }
        bn.eval();
        let x = Tensor::randn([batch, features], &mut rng);
        let report = gradcheck_module(&mut bn, &x);
        prop_assert!(report.max_rel_error < 1e-6, "{report:?}");
    }

    /// Training-mode output does not change when a feature is shifted or
    /// scaled by a positive factor (up to ε): what the layer removes.
    #[test]
    fn training_output_ignores_shift_and_scale(
        shift in -10.0..10.0f64,
        scale in 0.5..4.0f64,
        seed in any::<u64>(),
    ) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x = Tensor::<f64>::randn([6, 3], &mut rng);
        let bn: BatchNorm1d<f64> = BatchNorm1d::new(3).eps(1e-12);
        let y = bn.forward(Graph::new().input(x.clone())).value();
        let moved = bn.forward(Graph::new().input(x * scale + shift)).value();
        prop_assert!((y - moved).abs().max() < 1e-6);
    }
}

#[test]
fn buffers_are_named_and_visited_in_order_inside_a_sequential() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut net: Sequential<f64> = Sequential::new()
        .with(Linear::new(3, 4, &mut rng))
        .with(BatchNorm1d::new(4))
        .with(Activation::Relu)
        .with(Linear::new(4, 2, &mut rng));
    assert_eq!(
        net.param_names(),
        [
            "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"
        ]
    );
    let names: Vec<String> = net.named_buffers().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["1.running_mean", "1.running_var"]);
    // Buffers are not parameters: an optimizer never sees them.
    assert_eq!(net.num_params(), 3 * 4 + 4 + 4 + 4 + 4 * 2 + 2);
    // Loading buffers (as a checkpoint does) changes evaluation.
    net.eval();
    let x = Tensor::randn([2, 3], &mut rng);
    let before = net.forward(Graph::new().input(x.clone())).value();
    net.visit_buffers_mut("", &mut |name, b| {
        if name == "1.running_mean" {
            *b = Tensor::full([4], 100.0);
        }
    });
    let after = net.forward(Graph::new().input(x)).value();
    assert_ne!(before, after);
    assert_eq!(net.named_buffers()[0].1, Tensor::full([4], 100.0));
}

#[test]
fn a_training_batch_of_one_panics_with_a_clear_message() {
    let bn: BatchNorm1d<f64> = BatchNorm1d::new(4);
    let g = Graph::new();
    let (panic, line) = panic_site!(bn.forward(g.input(Tensor::zeros([1, 4]))));
    assert_eq!(
        panic.0,
        "BatchNorm1d(4): a training batch needs at least 2 samples, got 1 (one sample has no \
         variance; use eval() to normalise single samples with the running statistics)"
    );
    assert_here!(panic.clone(), line);
}

#[test]
fn a_wrong_input_shape_panics_naming_the_shapes() {
    let bn: BatchNorm1d<f64> = BatchNorm1d::new(4);
    let g = Graph::new();
    let (panic, line) = panic_site!(bn.forward(g.input(Tensor::zeros([8, 3]))));
    assert_eq!(
        panic.0,
        "BatchNorm1d(4): input has shape [8, 3], expected [batch, 4]"
    );
    assert_here!(panic.clone(), line);
    assert_panics_here!(bn.forward(g.input(Tensor::zeros([4]))));
}

#[test]
fn bad_hyperparameters_panic_at_the_callers_line() {
    let (panic, line) = panic_site!(BatchNorm1d::<f32>::new(0));
    assert_eq!(panic.0, "BatchNorm1d: features must be positive, got 0");
    assert_here!(panic.clone(), line);
    let (panic, line) = panic_site!(BatchNorm1d::<f32>::new(3).momentum(1.5));
    assert_eq!(panic.0, "BatchNorm1d: momentum must be in [0, 1], got 1.5");
    assert_here!(panic.clone(), line);
    let (panic, line) = panic_site!(BatchNorm1d::<f32>::new(3).eps(0.0));
    assert_eq!(
        panic.0,
        "BatchNorm1d: eps must be positive and finite, got 0"
    );
    assert_here!(panic.clone(), line);
}
