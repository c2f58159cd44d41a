//! The standard recipe: its layers, its initialisation, and its checks.

use autograd::Graph;
use layers::{Module, Sequential};
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::Recipe;
use tensor::Tensor;

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

#[test]
fn hidden_layers_get_batch_norm_and_the_output_layer_does_not() {
    let net: Sequential = Recipe::new(&[10, 20, 30, 5]).build(&mut StdRng::seed_from_u64(0));
    assert_eq!(net.len(), 3 + 3 + 1); // (Linear, BN, ReLU) × 2, Linear
    assert_eq!(
        net.param_names(),
        [
            "0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight", "4.bias",
            "6.weight", "6.bias"
        ]
    );
    let shapes: Vec<Vec<usize>> = net.params().iter().map(|p| p.shape().to_vec()).collect();
    assert_eq!(
        shapes,
        [
            vec![10, 20],
            vec![20],
            vec![20],
            vec![20],
            vec![20, 30],
            vec![30],
            vec![30],
            vec![30],
            vec![30, 5],
            vec![5]
        ]
    );
    let plain: Sequential = Recipe::new(&[10, 20, 30, 5])
        .without_batch_norm()
        .build(&mut StdRng::seed_from_u64(0));
    assert_eq!(plain.len(), 2 + 2 + 1);
    assert!(plain.named_buffers().is_empty());
    let single: Sequential = Recipe::new(&[10, 5])
        .dropout(0.5)
        .build(&mut StdRng::seed_from_u64(0));
    assert_eq!(
        single.len(),
        1,
        "no hidden layer: a single Linear, no BN, no dropout"
    );
}

#[test]
fn weights_are_he_normal_and_biases_zero() {
    let net: Sequential<f64> = Recipe::new(&[400, 300, 10]).build(&mut StdRng::seed_from_u64(1));
    for (name, p) in net.named_params() {
        let values = p.value().to_vec();
        match name.as_str() {
            "0.weight" | "3.weight" => {
                let fan_in = p.shape()[0] as f64;
                let n = values.len() as f64;
                let mean = values.iter().sum::<f64>() / n;
                let std = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
                let he = (2.0 / fan_in).sqrt();
                assert!((std / he - 1.0).abs() < 0.05, "{name}: std {std}, He {he}");
            }
            "1.weight" => assert!(values.iter().all(|&v| v == 1.0), "γ starts at 1"),
            _ => assert!(values.iter().all(|&v| v == 0.0), "{name} starts at 0"),
        }
    }
}

#[test]
fn dropout_makes_training_passes_random_and_eval_passes_not() {
    let mut rng = StdRng::seed_from_u64(2);
    let mut net: Sequential<f64> = Recipe::new(&[4, 16, 3]).dropout(0.5).build(&mut rng);
    let x = Tensor::randn([8, 4], &mut rng);
    let g = Graph::new();
    assert_ne!(
        net.forward(g.input(x.clone())).value(),
        net.forward(g.input(x.clone())).value()
    );
    net.eval();
    assert_eq!(
        net.forward(g.input(x.clone())).value(),
        net.forward(g.input(x.clone())).value()
    );
}

#[test]
fn bad_sizes_and_dropout_panic_at_the_callers_line() {
    let (panic, line) = panic_site!(Recipe::new(&[10]));
    assert_eq!(
        panic.0,
        "Recipe: needs at least an input and an output size, all positive, got [10]"
    );
    assert_here!(panic.clone(), line);
    assert_panics_here!(Recipe::new(&[10, 0, 3]));
    let (panic, line) = panic_site!(Recipe::new(&[10, 3]).dropout(1.0));
    assert_eq!(panic.0, "Recipe: dropout p must be in [0, 1), got 1");
    assert_here!(panic.clone(), line);
}

#[test]
fn dropout_does_not_change_the_initial_weights_of_a_seed() {
    let with: Sequential = Recipe::new(&[8, 16, 16, 3])
        .dropout(0.5)
        .build(&mut StdRng::seed_from_u64(3));
    let without: Sequential = Recipe::new(&[8, 16, 16, 3]).build(&mut StdRng::seed_from_u64(3));
    let values = |net: &Sequential| -> Vec<Tensor> {
        net.params().iter().map(|p| p.value().clone()).collect()
    };
    assert_eq!(values(&with), values(&without));
}
