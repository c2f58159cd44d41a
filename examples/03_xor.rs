//! Why one layer is not enough, and two are. Rosenblatt's perceptron learns
//! AND and OR — a line separates their 1s from their 0s — and its rule
//! stops after a few epochs; on XOR no line exists, and after 1000 epochs it
//! is still making mistakes. A multi-layer perceptron 2-4-1 (tanh hidden
//! units, a sigmoid output giving the probability that XOR is 1) learns it:
//! its hidden layer bends the plane so that the output unit can separate
//! it. The network is trained by full-batch gradient descent written out by
//! hand (forward, loss, backward, w ← w − lr·∂L/∂w), with binary
//! cross-entropy, the loss that matches a sigmoid output (chapter 4; its
//! example 04_mse_vs_ce shows what goes wrong with squared error). The
//! example prints the truth table with the network's outputs, checks that
//! all four are on the right side of ½, and draws the decision regions.
//!
//! ```text
//! cargo run --release --example 03_xor                  # writes target/figures/03_xor_regions.svg
//! cargo run --release --example 03_xor -- --out DIR     # (--quick changes nothing here)
//! ```

mod common;

use std::process::ExitCode;

use common::{DecisionRegions, Options};
use gradschool::layers::Perceptron;
use gradschool::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

/// The four inputs of a two-input truth table.
const INPUTS: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];

fn example(options: &Options) -> common::Result {
    let tables = [
        ("AND", [0.0, 0.0, 0.0, 1.0]),
        ("OR", [0.0, 1.0, 1.0, 1.0]),
        ("XOR", [0.0, 1.0, 1.0, 0.0]),
    ];
    println!("The perceptron rule (lr 1, at most 1000 epochs):");
    for (name, targets) in tables {
        // ANCHOR: perceptron
        let mut perceptron = Perceptron::new(2);
        let fit = perceptron.fit(&INPUTS, &targets, 1.0, 1000); // lr 1, at most 1000 epochs
        // ANCHOR_END: perceptron
        let last = fit.mistakes_per_epoch.last().copied().unwrap_or(0);
        if fit.converged {
            println!(
                "  {name:<3}: converged after {} epochs: w = {:?}, b = {}",
                fit.epochs, perceptron.weights, perceptron.bias
            );
        } else {
            println!(
                "  {name:<3}: not converged after {} epochs ({last} mistakes in the last)",
                fit.epochs
            );
        }
        // The chapter's claim: AND and OR are learned, XOR is not.
        let separable = name != "XOR";
        if fit.converged != separable {
            return Err(format!(
                "the perceptron should {}converge on {name}",
                if separable { "" } else { "not " }
            )
            .into());
        }
        let predicted = INPUTS.map(|x| perceptron.predict(&x));
        if separable && predicted != targets {
            return Err(format!("the perceptron predicts {predicted:?} for {name}").into());
        }
    }

    // ANCHOR: mlp
    let mut rng = StdRng::seed_from_u64(0);
    let mut model: Sequential = Mlp::new(&[2, 4, 1])
        .activation(Activation::Tanh)
        .output_activation(Activation::Sigmoid)
        .build(&mut rng);
    let x = Tensor::from(INPUTS.map(|row| row.map(|v| v as f32)));
    let y = Tensor::from([[0.0], [1.0], [1.0], [0.0]]); // XOR, [4, 1]
    let (lr, steps) = (0.5, 1000);

    println!();
    println!("A 2-4-1 MLP (tanh, sigmoid output), binary cross-entropy, lr {lr}, full batch:");
    let g = Graph::new();
    for step in 1..=steps {
        let p = model.forward(g.input(x.clone())); // [4, 1] probabilities
        let loss = losses::binary_cross_entropy(p, &y);
        let value = loss.item();
        if !value.is_finite() {
            return Err(format!("the loss became {value} at step {step}").into());
        }
        if step == 1 || step % 250 == 0 {
            println!("  step {step:>4}: loss {value:.4}");
        }
        let grads = loss.backward();
        model.visit_params_mut("", &mut |_, param| {
            if let Some(grad) = grads.by_id(param.id()) {
                param.value_mut().scaled_add(-lr, grad); // w ← w − lr · ∂L/∂w
            }
        });
    }
    // ANCHOR_END: mlp

    let inference = Graph::inference();
    let p = model.forward(inference.input(x.clone())).value().to_vec();
    println!();
    println!("x₁  x₂  XOR  network");
    for ((input, target), p) in INPUTS.iter().zip(y.to_vec()).zip(&p) {
        println!("{}   {}   {}    {p:.3}", input[0], input[1], target);
    }
    // The claim: the network computes XOR (output above ½ exactly for the 1s).
    let correct = p
        .iter()
        .zip(y.to_vec())
        .all(|(&p, t)| (p > 0.5) == (t == 1.0));
    if !correct {
        return Err(format!("the MLP did not learn XOR: outputs {p:?}").into());
    }
    println!("checked: all four outputs are on the right side of 0.5");

    let path = options.figure("03_xor_regions.svg")?;
    let labels = y.to_vec().iter().map(|&t| t as usize).collect::<Vec<_>>();
    DecisionRegions {
        title: "XOR: decision regions of a 2-4-1 MLP".into(),
        x_range: (-0.5, 1.5),
        y_range: (-0.5, 1.5),
        points: &x,
        labels: &labels,
        class_names: &["XOR = 0", "XOR = 1"],
        point_size: 9,
    }
    .save(&path, (600, 580), |grid| {
        let g = Graph::inference();
        let p = model.forward(g.input(grid.clone())).value();
        p.to_vec().iter().map(|&p| usize::from(p > 0.5)).collect()
    })?;
    println!("wrote {}", path.display());
    Ok(())
}
