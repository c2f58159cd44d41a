//! Learning-rate decay on a network. Three overlapping Gaussian blobs
//! (600 points; the classes overlap, so the loss has a floor above 0) and
//! a 2-16-3 ReLU MLP trained by plain SGD on mini-batches of 32 points,
//! twice from the same weights on the same batches: once with a constant
//! learning rate of 1, once with the same rate divided by 10 every third of
//! the run (step decay, set once per epoch). With the constant rate each
//! mini-batch's step is as large at the end as at the start, so the loss
//! keeps jumping around above the floor; after each decay the steps are
//! ten times smaller and the loss settles lower.
//!
//! The example prints the training-set loss at each third of the run and,
//! over the last sixth, its median and its largest value over the median;
//! it checks that the decayed run ends with the lower median and jumps
//! less; and it draws both training curves, whole and zoomed in on the
//! epochs after the first decay.
//!
//! The full run also checks these numbers against the ones chapter 6
//! prints. With `--quick` it runs 90 epochs instead of 300 and checks the
//! claims, not the book's numbers.
//!
//! ```text
//! cargo run --release --example 06_lr_decay               # writes target/figures/06_lr_decay.svg
//! cargo run --release --example 06_lr_decay -- --quick
//! cargo run --release --example 06_lr_decay -- --out DIR
//! ```

mod common;

use std::process::ExitCode;

use common::{COLORS, LineChart, Options, Series};
use gradschool::optim::{Constant, Schedule, StepDecay};
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
/// The initial learning rate of both runs.
const LR: f64 = 1.0;

// ANCHOR: train
/// Trains a fresh 2-16-3 MLP (the same initial weights every time) with SGD
/// at the rate `schedule` gives for each epoch; returns the training-set
/// loss before training and after every epoch.
fn train(schedule: &dyn Schedule, (x, y): (&Tensor, &[usize]), epochs: usize) -> Vec<f64> {
    let mut model: Sequential = Mlp::new(&[2, 16, 3]).build(&mut StdRng::seed_from_u64(1));
    let mut shuffle = StdRng::seed_from_u64(2);
    let mut order: Vec<usize> = (0..y.len()).collect();
    let full_loss = |model: &Sequential| {
        let g = Graph::inference();
        losses::cross_entropy(model.forward(g.input(x.clone())), y).item() as f64
    };

    let mut opt = Sgd::new(schedule.lr(0));
    let mut losses = vec![full_loss(&model)];
    let g = Graph::new();
    for epoch in 0..epochs {
        opt.set_learning_rate(schedule.lr(epoch)); // once per epoch
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
    losses
}
// ANCHOR_END: train

/// The full run's numbers as chapter 6 prints them, for the constant and
/// the decayed run: the loss at epochs 0, 100, 200 and 300, then the median
/// and largest/median of the last 50 epochs.
const BOOK: [([f64; 4], f64, f64); 2] = [
    ([1.1551, 0.2010, 0.1770, 0.1788], 0.1862, 1.363),
    ([1.1551, 0.2010, 0.1658, 0.1655], 0.1656, 1.000),
];

/// One run's curve and what the example measures on its last sixth.
struct Outcome {
    name: &'static str,
    losses: Vec<f64>,
    median: f64,
    jump: f64,
}

fn example(options: &Options) -> common::Result {
    let epochs = if options.quick { 90 } else { 300 };
    let tail = epochs / 6;
    let every = epochs / 3;
    let mut rng = StdRng::seed_from_u64(0);
    let (x, y) = common::blobs(200, 1.0, &mut rng);

    let constant = Constant(LR);
    let step = StepDecay {
        initial: LR,
        every,
        gamma: 0.1,
    };
    let runs: [(&'static str, &dyn Schedule); 2] = [
        ("constant", &constant),
        ("step decay ×0.1 every third", &step),
    ];
    println!(
        "SGD on three overlapping blobs (600 points), 2-16-3 ReLU MLP, batches of {BATCH}, \
         {epochs} epochs, lr {LR}\n"
    );
    let mut outcomes = Vec::new();
    for (name, schedule) in runs {
        let losses = train(schedule, (&x, &y), epochs);
        let last = &losses[losses.len() - tail..];
        let median = common::median(last);
        let jump = last.iter().copied().fold(f64::MIN, f64::max) / median;
        let marks: Vec<String> = [0, every, 2 * every, epochs]
            .iter()
            .map(|&e| format!("epoch {e:>3}: {:.4}", losses[e]))
            .collect();
        println!("{name:<28} {}", marks.join("  "));
        if !options.quick {
            let (at, median_book, jump_book) = BOOK[outcomes.len()];
            for (e, book) in [0, every, 2 * every, epochs].into_iter().zip(at) {
                common::check_book(&format!("{name}: loss at epoch {e}"), losses[e], book, 4)?;
            }
            common::check_book(&format!("{name}: median"), median, median_book, 4)?;
            common::check_book(&format!("{name}: largest/median"), jump, jump_book, 3)?;
        }
        println!(
            "{:<28} last {tail} epochs: median {median:.4}, largest/median {jump:.3}",
            ""
        );
        outcomes.push(Outcome {
            name,
            losses,
            median,
            jump,
        });
    }

    let (constant, decayed) = (&outcomes[0], &outcomes[1]);
    let mut failed = Vec::new();
    if decayed.median >= constant.median {
        failed.push(format!(
            "the decayed run's median loss {:.4} is not below the constant run's {:.4}",
            decayed.median, constant.median
        ));
    }
    if decayed.jump >= constant.jump {
        failed.push(format!(
            "the decayed run jumps as much ({:.3}) as the constant one ({:.3})",
            decayed.jump, constant.jump
        ));
    }
    if !failed.is_empty() {
        return Err(failed.join("; ").into());
    }
    println!(
        "\nchecked: over the last {tail} epochs the decayed run's median loss is {:.1} % lower \
         and its largest loss is {:.1} % above its median (constant: {:.1} %)",
        100.0 * (1.0 - decayed.median / constant.median),
        100.0 * (decayed.jump - 1.0),
        100.0 * (constant.jump - 1.0),
    );

    let curve = |o: &Outcome, from: usize, color| {
        let points = o.losses[from..]
            .iter()
            .enumerate()
            .map(|(i, &l)| ((from + i) as f64, l))
            .collect();
        Series::new(format!("lr {}", o.name), points, color)
    };
    let whole = LineChart {
        title: "the whole run".into(),
        x_label: "epoch".into(),
        y_label: "cross-entropy on the training set".into(),
        series: outcomes
            .iter()
            .zip(COLORS)
            .map(|(o, c)| curve(o, 0, c))
            .collect(),
        legend: SeriesLabelPosition::UpperRight,
        y_range: None,
    };
    let zoom = LineChart {
        title: format!("after the first decay (epoch {every} on)"),
        x_label: "epoch".into(),
        y_label: String::new(),
        series: outcomes
            .iter()
            .zip(COLORS)
            .map(|(o, c)| curve(o, every, c))
            .collect(),
        legend: SeriesLabelPosition::UpperRight,
        y_range: None,
    };
    let path = options.figure("06_lr_decay.svg")?;
    common::save_panels(&path, (1000, 420), &[whole, zoom])?;
    println!("wrote {}", path.display());
    Ok(())
}
