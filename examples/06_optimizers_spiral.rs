//! The race of the bowl on a real problem: the 2-100-3 ReLU MLP of chapter 3
//! trained on the three-arm spiral (300 points) by each optimizer of
//! chapter 6, from the same initial weights, on the same mini-batches
//! (32 points, so ⌈300/32⌉ = 10 iterations per epoch, reshuffled every
//! epoch with the same seed for every optimizer). After every epoch the
//! example measures the cross-entropy on the whole training set; it prints,
//! for each optimizer, its learning rate, the first epoch at which that
//! loss is below 0.25, the final loss, the final training accuracy and the
//! largest rise of the loss from one epoch to the next (how much the curve
//! wobbles). It checks that every optimizer gets below 0.25 and above 90 %
//! accuracy; that AdaGrad, RMSProp and Adam get below 0.25 in under half
//! the epochs SGD needs; and that momentum and Nesterov, whose steps add up
//! to the same 10·lr = 0.5 as SGD's, wobble less than SGD. It draws the six
//! training curves on a logarithmic axis.
//!
//! The learning rates are each optimizer's usual order of magnitude, not
//! tuned for the race: plain SGD takes the largest (its steps are lr·g),
//! momentum and Nesterov a tenth of it (their steps add up to
//! lr/(1 − μ) = 10·lr), and the adaptive methods, whose steps are about lr
//! per weight whatever the gradient's size, 0.01 (AdaGrad 0.1, since its
//! steps shrink as it accumulates squares).
//!
//! The full run also checks every number of the table against the one
//! chapter 6 prints. With `--quick` it runs 60 epochs instead of 300 and
//! checks the claims, not the book's table.
//!
//! ```text
//! cargo run --release --example 06_optimizers_spiral               # writes target/figures/06_optimizers_spiral.svg
//! cargo run --release --example 06_optimizers_spiral -- --quick
//! cargo run --release --example 06_optimizers_spiral -- --out DIR
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{COLORS, LineChart, Options, Series};
use gradschool::optim::{AdaGrad, Momentum, Nesterov, RmsProp};
use gradschool::prelude::*;
use plotters::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

fn main() -> ExitCode {
    common::run(example)
}

/// Points per mini-batch.
const BATCH: usize = 32;
/// "Trained": the loss on the whole training set below this.
const TARGET_LOSS: f64 = 0.25;
/// The accuracy every optimizer must reach.
const TARGET_ACCURACY: f64 = 0.90;

/// The optimizers, each with its usual order of magnitude of learning rate.
fn contestants() -> Vec<Box<dyn Optimizer>> {
    vec![
        Box::new(Sgd::new(0.5)),
        Box::new(Momentum::new(0.05, 0.9)),
        Box::new(Nesterov::new(0.05, 0.9)),
        Box::new(AdaGrad::new(0.1)),
        Box::new(RmsProp::new(0.01)),
        Box::new(Adam::new(0.01)),
    ]
}

/// The full run's table as chapter 6 prints it, row by row: epochs to a
/// loss below 0.25, final loss, accuracy (%), largest rise.
const BOOK: [(usize, f64, f64, f64); 6] = [
    (38, 0.0589, 97.7, 3.04),
    (36, 0.0467, 99.3, 1.10),
    (36, 0.0466, 99.0, 1.06),
    (11, 0.0319, 99.3, 1.10),
    (11, 0.0146, 99.3, 3.92),
    (14, 0.0162, 99.3, 1.29),
];

/// One optimizer's run: the training-set loss before training and after
/// every epoch, and the final accuracy.
struct Run {
    losses: Vec<f64>,
    accuracy: f64,
}

impl Run {
    /// The largest rise of the loss from one epoch to the next, as a
    /// factor: how much the curve wobbles.
    fn largest_rise(&self) -> f64 {
        self.losses
            .windows(2)
            .map(|w| w[1] / w[0])
            .fold(1.0, f64::max)
    }
}

// ANCHOR: train
/// Trains a fresh network (the same initial weights every time: the same
/// seed) with `opt` for `epochs` epochs of mini-batches, shuffled by a
/// generator with the same seed every time.
fn train(opt: &mut dyn Optimizer, (x, y): (&Tensor, &[usize]), epochs: usize) -> Run {
    let mut model: Sequential = Mlp::new(&[2, 100, 3]).build(&mut StdRng::seed_from_u64(1));
    let mut shuffle = StdRng::seed_from_u64(2);
    let mut order: Vec<usize> = (0..y.len()).collect();
    let full_loss = |model: &Sequential| {
        let g = Graph::inference();
        losses::cross_entropy(model.forward(g.input(x.clone())), y).item() as f64
    };

    let mut losses = vec![full_loss(&model)];
    let g = Graph::new();
    for _epoch in 0..epochs {
        order.shuffle(&mut shuffle);
        for batch in order.chunks(BATCH) {
            let xb = x.select_rows(batch);
            let yb: Vec<usize> = batch.iter().map(|&i| y[i]).collect();
            let loss = losses::cross_entropy(model.forward(g.input(xb)), &yb);
            let grads = loss.backward();
            opt.step(&mut model, &grads);
        }
        losses.push(full_loss(&model));
    }
    let g = Graph::inference();
    let predicted = model.forward(g.input(x.clone())).value().argmax_axis(1);
    Run {
        losses,
        accuracy: common::accuracy(&predicted, y),
    }
}
// ANCHOR_END: train

fn example(options: &Options) -> common::Result {
    let epochs = if options.quick { 60 } else { 300 };
    let mut rng = StdRng::seed_from_u64(0);
    let (x, y) = common::spiral(100, &mut rng);

    println!("2-100-3 ReLU MLP on the spiral (300 points), batches of {BATCH}, {epochs} epochs\n");
    println!(
        "{:<20} {:>6} {:>18} {:>11} {:>9} {:>13}",
        "optimizer", "lr", "epochs to L<0.25", "final loss", "accuracy", "largest rise"
    );
    let mut series = Vec::new();
    let mut failures = Vec::new();
    let (mut firsts, mut rises) = (Vec::new(), Vec::new());
    for (i, mut opt) in contestants().into_iter().enumerate() {
        let start = Instant::now();
        let run = train(opt.as_mut(), (&x, &y), epochs);
        let seconds = start.elapsed().as_secs_f64();
        let reached = run.losses.iter().position(|&l| l < TARGET_LOSS);
        let last = *run.losses.last().expect("one loss per epoch");
        println!(
            "{:<20} {:>6} {:>18} {:>11.4} {:>7.1} % {:>12.2}×   ({seconds:.2} s)",
            opt.name(),
            opt.learning_rate(),
            reached.map_or("never".to_string(), |e| e.to_string()),
            last,
            100.0 * run.accuracy,
            run.largest_rise(),
        );
        if !options.quick {
            let (epochs_book, loss_book, accuracy_book, rise_book) = BOOK[i];
            let name = opt.name();
            if reached != Some(epochs_book) {
                return Err(format!(
                    "{name}: reached {TARGET_LOSS} at epoch {reached:?}, but the book prints {epochs_book}"
                )
                .into());
            }
            common::check_book(&format!("{name}: final loss"), last, loss_book, 4)?;
            common::check_book(
                &format!("{name}: accuracy"),
                100.0 * run.accuracy,
                accuracy_book,
                1,
            )?;
            common::check_book(
                &format!("{name}: largest rise"),
                run.largest_rise(),
                rise_book,
                2,
            )?;
        }
        firsts.push(reached.unwrap_or(usize::MAX));
        rises.push(run.largest_rise());
        if reached.is_none() || run.accuracy < TARGET_ACCURACY {
            failures.push(opt.name());
        }
        let label = format!("{}, lr {}", opt.name(), opt.learning_rate());
        let points = run
            .losses
            .iter()
            .enumerate()
            .map(|(epoch, &l)| (epoch as f64, l))
            .collect();
        series.push(Series::new(label, points, COLORS[i]));
    }
    if !failures.is_empty() {
        return Err(format!(
            "{} did not reach a loss below {TARGET_LOSS} and {:.0} % accuracy in {epochs} epochs",
            failures.join(", "),
            100.0 * TARGET_ACCURACY
        )
        .into());
    }
    // The order is that of `contestants`: SGD, momentum, Nesterov, AdaGrad,
    // RMSProp, Adam.
    let sgd = firsts[0];
    if let Some(slow) = firsts[3..].iter().find(|&&e| 2 * e > sgd) {
        return Err(format!(
            "an adaptive method needed {slow} epochs to reach {TARGET_LOSS}, not under half of SGD's {sgd}"
        )
        .into());
    }
    if rises[1] >= rises[0] || rises[2] >= rises[0] {
        return Err(format!(
            "momentum's curve (largest rise ×{:.2}) or Nesterov's (×{:.2}) is not smoother than SGD's (×{:.2})",
            rises[1], rises[2], rises[0]
        )
        .into());
    }
    println!(
        "\nchecked: every optimizer gets the loss below {TARGET_LOSS} and the accuracy to {:.0} %;\n\
         \x20        AdaGrad, RMSProp and Adam get there in under half SGD's {sgd} epochs;\n\
         \x20        momentum and Nesterov (lr 0.05, steps adding up to 10·lr = SGD's 0.5) wobble less than SGD",
        100.0 * TARGET_ACCURACY
    );

    let path = options.figure("06_optimizers_spiral.svg")?;
    LineChart {
        title: "Six optimizers on the spiral, 2-100-3 ReLU MLP, batches of 32".into(),
        x_label: "epoch".into(),
        y_label: "cross-entropy on the training set".into(),
        series,
        legend: SeriesLabelPosition::UpperRight,
        y_range: None,
    }
    .save_log_y(&path, (900, 520))?;
    println!("wrote {}", path.display());
    Ok(())
}
