//! A network that a line cannot replace: three interleaved spiral arms
//! (300 points, CS231n's data set), which no linear classifier separates,
//! learned by a 2-100-3 MLP with ReLU hidden units. Training is CS231n's
//! recipe, full batch: logits, softmax cross-entropy (`losses::cross_entropy`)
//! plus an L2 penalty ½·λ·ΣW² on the weights (λ = 10⁻³), backward, and the
//! gradient-descent update w ← w − lr·∂L/∂w with lr = 1, for 10 000 steps.
//! The example prints the loss every 1000 steps and the final training
//! accuracy, checks that it reaches at least 98 %, and draws the decision
//! regions: curved bands that follow the arms.
//!
//! With `--quick` it runs 2000 steps and checks at least 95 %.
//!
//! ```text
//! cargo run --release --example 03_spiral                # 10 000 steps, ≥ 98 %
//! cargo run --release --example 03_spiral -- --quick     # 2000 steps, ≥ 95 %
//! cargo run --release --example 03_spiral -- --out DIR   # where the SVG goes
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{DecisionRegions, Options};
use gradschool::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

fn example(options: &Options) -> common::Result {
    let (steps, target) = if options.quick {
        (2000, 0.95)
    } else {
        (10_000, 0.98)
    };
    let mut rng = StdRng::seed_from_u64(0);
    let (x, y) = common::spiral(100, &mut rng);

    // ANCHOR: train
    let mut model: Sequential = Mlp::new(&[2, 100, 3]).build(&mut rng); // ReLU hidden layer
    let (lr, reg) = (1.0, 1e-3);

    let start = Instant::now();
    let g = Graph::new();
    for step in 1..=steps {
        let logits = model.forward(g.input(x.clone())); // [300, 3]
        let data_loss = losses::cross_entropy(logits, &y);
        // L2 penalty on the weights (not the biases): ½·λ·ΣW².
        let mut penalty = g.input(Tensor::scalar(0.0));
        for (name, param) in model.named_params() {
            if name.ends_with("weight") {
                penalty = penalty + g.param(param).powi(2).sum();
            }
        }
        let loss = data_loss + penalty.mul_scalar(0.5 * reg);
        let value = loss.item();
        if !value.is_finite() {
            return Err(format!("the loss became {value} at step {step}").into());
        }
        if step == 1 || step % 1000 == 0 {
            println!("step {step:>5}: loss {value:.4}");
        }
        let grads = loss.backward();
        model.visit_params_mut("", &mut |_, param| {
            if let Some(grad) = grads.by_id(param.id()) {
                param.value_mut().scaled_add(-lr, grad);
            }
        });
    }
    // ANCHOR_END: train
    let seconds = start.elapsed().as_secs_f64();

    let classify = |points: &Tensor| {
        let g = Graph::inference();
        model
            .forward(g.input(points.clone()))
            .value()
            .argmax_axis(1)
    };
    let accuracy = common::accuracy(&classify(&x), &y);
    println!(
        "training accuracy after {steps} steps: {:.1} % ({seconds:.2} s)",
        100.0 * accuracy
    );
    if accuracy < target {
        return Err(format!(
            "training accuracy {:.1} % is below the {:.0} % the book claims",
            100.0 * accuracy,
            100.0 * target
        )
        .into());
    }
    println!("checked: training accuracy ≥ {:.0} %", 100.0 * target);

    let path = options.figure("03_spiral_regions.svg")?;
    DecisionRegions {
        title: "Spiral: decision regions of a 2-100-3 ReLU MLP".into(),
        x_range: (-1.1, 1.1),
        y_range: (-1.1, 1.1),
        points: &x,
        labels: &y,
        class_names: &["class 0", "class 1", "class 2"],
        point_size: 4,
    }
    .save(&path, (600, 580), classify)?;
    println!("wrote {}", path.display());
    Ok(())
}
