//! Dropout: the masks (rate, reproducibility), both scaling conventions and
//! their common expectation, the gradient, train/eval through a
//! `Sequential`, and the checks on p.

use autograd::Graph;
use layers::{Activation, Linear, Module, Sequential};
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::{Dropout, DropoutScaling};
use tensor::Tensor;

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

fn dropout(p: f64, seed: u64) -> Dropout<f64> {
    Dropout::new(p, &mut StdRng::seed_from_u64(seed))
}

#[test]
fn the_same_seed_gives_the_same_masks_and_another_seed_others() {
    let (a, b, c) = (dropout(0.5, 1), dropout(0.5, 1), dropout(0.5, 2));
    for _ in 0..3 {
        let (ma, mb, mc) = (
            a.sample_mask(&[4, 25]),
            b.sample_mask(&[4, 25]),
            c.sample_mask(&[4, 25]),
        );
        assert_eq!(ma, mb);
        assert_ne!(ma, mc);
    }
    // Successive masks differ: each step trains another sub-network.
    assert_ne!(a.sample_mask(&[4, 25]), a.sample_mask(&[4, 25]));
}

#[test]
fn masks_drop_about_p_of_the_values_and_scale_the_rest() {
    for p in [0.1, 0.5, 0.8] {
        let n = 100_000;
        let inverted = dropout(p, 3).sample_mask(&[n]).to_vec();
        let at_test = dropout(p, 3)
            .scaling(DropoutScaling::AtTest)
            .sample_mask(&[n])
            .to_vec();
        let dropped = inverted.iter().filter(|&&v| v == 0.0).count() as f64 / n as f64;
        // 5 standard deviations of a binomial proportion.
        let sd = (p * (1.0 - p) / n as f64).sqrt();
        assert!((dropped - p).abs() < 5.0 * sd, "p = {p}: dropped {dropped}");
        assert!(inverted.iter().all(|&v| v == 0.0 || v == 1.0 / (1.0 - p)));
        assert!(at_test.iter().all(|&v| v == 0.0 || v == 1.0));
        // Same generator, same draws: the masks differ only by the scale.
        for (i, t) in inverted.iter().zip(&at_test) {
            assert_eq!(*i == 0.0, *t == 0.0);
        }
    }
}

/// The claim of the chapter: both conventions give, in expectation over
/// the masks, the output that evaluation gives — x for inverted dropout,
/// (1 − p)·x for the lecture's. Averaged over 20 000 masks, each output is
/// within 5 standard errors of that value.
#[test]
fn both_scalings_match_their_test_time_output_in_expectation() {
    let p = 0.3;
    let x = Tensor::from([[1.0, -2.0, 0.5, 4.0]]);
    for scaling in [DropoutScaling::Inverted, DropoutScaling::AtTest] {
        let mut layer = dropout(p, 5).scaling(scaling);
        let samples = 20_000;
        let g = Graph::new();
        let mut sum = Tensor::zeros([1, 4]);
        for _ in 0..samples {
            sum += &layer.forward(g.input(x.clone())).value();
            g.clear();
        }
        let mean = sum * (1.0 / samples as f64);
        layer.eval();
        let test = layer.forward(g.input(x.clone())).value();
        let (keep, scale) = match scaling {
            DropoutScaling::Inverted => (1.0 - p, 1.0 / (1.0 - p)),
            DropoutScaling::AtTest => (1.0 - p, 1.0),
        };
        for ((m, t), xi) in mean.to_vec().iter().zip(test.to_vec()).zip(x.to_vec()) {
            // One output is scale·x·Bernoulli(keep): its standard deviation.
            let sd = scale * xi.abs() * (keep * (1.0 - keep)).sqrt();
            let standard_error = sd / (samples as f64).sqrt();
            assert!(
                (m - t).abs() < 5.0 * standard_error,
                "{scaling:?}: mean {m} vs test {t}"
            );
        }
        let expected_test = match scaling {
            DropoutScaling::Inverted => x.clone(),
            DropoutScaling::AtTest => &x * (1.0 - p),
        };
        assert_eq!(test, expected_test);
    }
}

#[test]
fn the_gradient_is_the_mask() {
    let layer = dropout(0.5, 9);
    let replay = dropout(0.5, 9); // the same generator: the mask forward will draw
    let g = Graph::new();
    let x = g.leaf(Tensor::from([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]));
    let y = layer.forward(x);
    let grads = y.sum().backward();
    let mask = replay.sample_mask(&[1, 8]);
    assert_eq!(grads.wrt(x), &mask);
    assert_eq!(y.value(), mask * &x.value());
}

#[test]
fn eval_is_deterministic_and_p_zero_is_the_identity() {
    let mut layer = dropout(0.5, 1);
    layer.eval();
    assert!(!layer.is_training());
    let g = Graph::new();
    let x = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(layer.forward(g.input(x.clone())).value(), x);
    let zero = dropout(0.0, 1);
    assert_eq!(zero.forward(g.input(x.clone())).value(), x);
    let zero_lecture = dropout(0.0, 1).scaling(DropoutScaling::AtTest);
    assert_eq!(zero_lecture.forward(g.input(x.clone())).value(), x);
}

#[test]
fn train_and_eval_reach_dropout_inside_a_sequential() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut net: Sequential<f64> = Sequential::new()
        .with(Linear::new(3, 50, &mut rng))
        .with(Activation::Relu)
        .with(Dropout::new(0.5, &mut rng))
        .with(Linear::new(50, 2, &mut rng));
    assert_eq!(
        net.param_names(),
        ["0.weight", "0.bias", "3.weight", "3.bias"]
    );
    assert!(net.named_buffers().is_empty()); // dropout keeps no state
    let x: Tensor<f64> = Tensor::randn([4, 3], &mut rng);
    let g = Graph::new();
    let a = net.forward(g.input(x.clone())).value();
    let b = net.forward(g.input(x.clone())).value();
    assert_ne!(a, b, "training: two passes, two masks");
    net.eval();
    let a = net.forward(g.input(x.clone())).value();
    let b = net.forward(g.input(x.clone())).value();
    assert_eq!(a, b, "evaluation: deterministic");
    net.train();
    let c = net.forward(g.input(x.clone())).value();
    assert_ne!(a, c);
}

#[test]
fn p_outside_0_1_panics_at_the_callers_line() {
    let mut rng = StdRng::seed_from_u64(0);
    let (panic, line) = panic_site!(Dropout::<f32>::new(1.0, &mut rng));
    assert_eq!(panic.0, "Dropout: p must be in [0, 1), got 1");
    assert_here!(panic.clone(), line);
    assert_panics_here!(Dropout::<f32>::new(-0.1, &mut rng));
    assert_panics_here!(Dropout::<f32>::new(f64::NAN, &mut rng));
}
