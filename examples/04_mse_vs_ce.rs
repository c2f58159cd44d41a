//! Why classifiers are trained with cross-entropy, not squared error. A
//! sigmoid unit p = σ(w·x + b) (logistic regression) on two Gaussian blobs
//! starts from a deliberately bad initialisation: its weights are large and
//! point the wrong way, so almost every point gets a logit of 5 to 10 on the
//! wrong side, where the sigmoid is flat. It is then trained twice from that
//! same start, with the same learning rate and number of steps: once with
//! the mean squared error (p − y)², once with binary cross-entropy.
//!
//! The gradients with respect to the logit z explain the difference:
//!
//! ```text
//! MSE:  ∂/∂z (p − y)²  = 2 (p − y) · σ′(z)     σ′(z) = p(1 − p) ≤ ¼, ≈ e^−|z| when saturated
//! BCE:  ∂/∂z −[y ln p + (1 − y) ln(1 − p)] = p − y
//! ```
//!
//! A confidently wrong point has p − y ≈ ±1: cross-entropy pushes it with
//! full force, squared error with a factor σ′(z) of 10⁻³ or less. Both runs
//! are measured with the same yardstick — the training cross-entropy and
//! the training accuracy, whichever loss was minimised — and the example
//! checks that cross-entropy reaches 95 % accuracy in at most half the
//! steps that squared error needs. The figure shows both curves.
//!
//! ```text
//! cargo run --release --example 04_mse_vs_ce                 # writes target/figures/04_mse_vs_ce.svg
//! cargo run --release --example 04_mse_vs_ce -- --out DIR    # (--quick changes nothing here)
//! ```

mod common;

use std::process::ExitCode;

use common::{COLORS, LegendPosition, LineChart, Options, Series};
use gradschool::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

/// The accuracy both runs must reach.
const TARGET: f64 = 0.95;
/// Learning rate and number of gradient steps, the same for both runs.
const LR: f32 = 0.5;
const STEPS: usize = 250;

/// The training curves of one run, measured before each update and after
/// the last: entry k is after k updates.
struct Curves {
    cross_entropy: Vec<f64>,
    accuracy: Vec<f64>,
    /// The mean of σ′(z) = p(1 − p) over the points, at the start.
    initial_slope: f64,
}

impl Curves {
    /// The number of updates after which the accuracy first reaches `target`.
    fn steps_to(&self, target: f64) -> Option<usize> {
        self.accuracy.iter().position(|&a| a >= target)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Loss {
    SquaredError,
    CrossEntropy,
}

fn example(options: &Options) -> common::Result {
    let mut rng = StdRng::seed_from_u64(0);
    let (x, y) = blobs(100, &mut rng);

    // ANCHOR: runs
    let mse = train(Loss::SquaredError, &x, &y)?;
    let ce = train(Loss::CrossEntropy, &x, &y)?;
    // ANCHOR_END: runs

    println!("logistic regression on two blobs, bad start, lr {LR}, {STEPS} steps, full batch");
    println!(
        "start: accuracy {:.1} %, cross-entropy {:.3}, mean σ′(z) {:.4} (σ′ is at most 0.25)",
        100.0 * ce.accuracy[0],
        ce.cross_entropy[0],
        ce.initial_slope
    );
    let describe = |c: &Curves| match c.steps_to(TARGET) {
        Some(n) => format!("{n} steps"),
        None => format!("not within {STEPS} steps"),
    };
    println!();
    println!(
        "trained with     steps to {:.0} %      final accuracy   final cross-entropy",
        100.0 * TARGET
    );
    for (name, c) in [("squared error", &mse), ("cross-entropy", &ce)] {
        println!(
            "{name:<16} {:<20} {:>5.1} %          {:.4}",
            describe(c),
            100.0 * c.accuracy[STEPS],
            c.cross_entropy[STEPS]
        );
    }

    // The claim: cross-entropy needs at most half the steps of squared error.
    let Some(ce_steps) = ce.steps_to(TARGET) else {
        return Err(format!(
            "cross-entropy did not reach {:.0} % accuracy in {STEPS} steps",
            100.0 * TARGET
        )
        .into());
    };
    match mse.steps_to(TARGET) {
        Some(mse_steps) if 2 * ce_steps > mse_steps => {
            return Err(format!(
                "cross-entropy needed {ce_steps} steps, squared error {mse_steps}: not at most half"
            )
            .into());
        }
        Some(mse_steps) => println!(
            "checked: cross-entropy needs {ce_steps} steps, at most half of squared error's {mse_steps} ({:.0}× fewer)",
            mse_steps as f64 / ce_steps.max(1) as f64
        ),
        None => println!(
            "checked: cross-entropy needs {ce_steps} steps, squared error more than {STEPS}"
        ),
    }

    let path = options.figure("04_mse_vs_ce.svg")?;
    let curve = |values: &[f64]| {
        values
            .iter()
            .enumerate()
            .map(|(k, &v)| (k as f64, v))
            .collect()
    };
    let (red, blue) = (COLORS[3], COLORS[0]);
    let loss_chart = LineChart {
        title: "Training cross-entropy".into(),
        x_label: "gradient steps".into(),
        y_label: "binary cross-entropy (nats)".into(),
        series: vec![
            Series::new("trained with squared error", curve(&mse.cross_entropy), red),
            Series::new("trained with cross-entropy", curve(&ce.cross_entropy), blue),
        ],
        legend: LegendPosition::UpperRight,
        y_range: None,
    };
    let target_line = vec![(0.0, TARGET), (STEPS as f64, TARGET)];
    let accuracy_chart = LineChart {
        title: "Training accuracy".into(),
        x_label: "gradient steps".into(),
        y_label: "accuracy".into(),
        series: vec![
            Series::new("trained with squared error", curve(&mse.accuracy), red),
            Series::new("trained with cross-entropy", curve(&ce.accuracy), blue),
            Series::new(
                format!("target {:.0} %", 100.0 * TARGET),
                target_line,
                COLORS[5],
            )
            .dashed(),
        ],
        legend: LegendPosition::LowerRight,
        y_range: Some((0.0, 1.02)),
    };
    common::save_panels(&path, (1000, 440), &[loss_chart, accuracy_chart])?;
    println!("wrote {}", path.display());
    Ok(())
}

// ANCHOR: train
/// Trains p = σ(x w + b) from the bad start with the given loss, recording
/// the training cross-entropy and accuracy at every step.
fn train(loss: Loss, x: &Tensor, y: &Tensor) -> common::Result<Curves> {
    // The bad start: w = (−2.5, −2.5), b = 0. The blobs sit around ±(1.5, 1.5),
    // so the logits are about ∓7.5: confidently wrong.
    let linear = Linear::from_tensors(Tensor::from([[-2.5], [-2.5]]), Some(Tensor::from([0.0])));
    let mut model: Sequential = Sequential::new().with(linear).with(Activation::Sigmoid);

    let mut curves = Curves {
        cross_entropy: Vec::new(),
        accuracy: Vec::new(),
        initial_slope: 0.0,
    };
    let g = Graph::new();
    for step in 0..=STEPS {
        let p = model.forward(g.input(x.clone())); // [n, 1] probabilities
        let cross_entropy = losses::binary_cross_entropy(p, y);
        curves.cross_entropy.push(f64::from(cross_entropy.item()));
        curves.accuracy.push(accuracy(&p.value(), y));
        if step == 0 {
            let p = p.value().to_vec();
            let slopes = p.iter().map(|&p| f64::from(p * (1.0 - p)));
            curves.initial_slope = slopes.sum::<f64>() / p.len() as f64;
        }
        if step == STEPS {
            break; // measured after the last update
        }
        let objective = match loss {
            Loss::SquaredError => losses::mse(p, y),
            Loss::CrossEntropy => cross_entropy,
        };
        if !objective.item().is_finite() {
            return Err(format!("the loss became {} at step {step}", objective.item()).into());
        }
        let grads = objective.backward();
        model.visit_params_mut("", &mut |_, param| {
            if let Some(grad) = grads.by_id(param.id()) {
                param.value_mut().scaled_add(-LR, grad);
            }
        });
    }
    Ok(curves)
}
// ANCHOR_END: train

/// The fraction of probabilities on the right side of ½.
fn accuracy(p: &Tensor, y: &Tensor) -> f64 {
    let (p, y) = (p.to_vec(), y.to_vec());
    let correct = p
        .iter()
        .zip(&y)
        .filter(|&(&p, &y)| (p > 0.5) == (y == 1.0))
        .count();
    correct as f64 / y.len() as f64
}

/// Two Gaussian blobs of `n` points each, standard deviation 1: class 0
/// around (−1.5, −1.5), class 1 around (1.5, 1.5). Returns the points
/// `[2n, 2]` and the targets `[2n, 1]` (0 or 1).
fn blobs(n: usize, rng: &mut StdRng) -> (Tensor, Tensor) {
    let noise = Tensor::<f32>::randn([2 * n, 2], rng);
    let mut xy = Vec::with_capacity(4 * n);
    let mut targets = Vec::with_capacity(2 * n);
    for i in 0..2 * n {
        let (class, centre) = if i < n { (0.0, -1.5) } else { (1.0, 1.5) };
        xy.extend([centre + noise.at([i, 0]), centre + noise.at([i, 1])]);
        targets.push(class);
    }
    (
        Tensor::from_vec(xy, [2 * n, 2]),
        Tensor::from_vec(targets, [2 * n, 1]),
    )
}
