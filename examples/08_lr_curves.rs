//! Reading a loss curve: the shapes that a learning rate too low, good,
//! high and too high draw. The same 64-64-10 ReLU MLP (the same initial
//! weights every time) is trained on the bundled digits (the 1078 images of
//! the capstone's training split, standardised) by the same `Trainer`
//! (batches of 32, the same shuffling seed) with Adam at four learning
//! rates: 10⁻⁵, 10⁻³, 10⁻¹ and 1. Only the learning rate differs.
//!
//! - **Too low** (10⁻⁵): the loss falls along a nearly straight line, and
//!   slowly: each epoch removes about as much as the one before, the steps
//!   being too small for the curvature of the loss to show.
//! - **Good** (10⁻³): it falls fast, then flattens out near zero.
//! - **High** (10⁻¹): it falls faster than the good rate in the first
//!   epoch, then stalls: the steps are too large to go down into the
//!   valley, so the loss jumps around on a plateau well above the good
//!   run's.
//! - **Too high** (1): it explodes in the first epoch, far above the ln 10
//!   of a network that guesses, and stays up. (A run whose loss becomes
//!   NaN or infinite stops with `TrainError::NonFinite`; the example then
//!   draws the epochs before the failure, which it gets by running the same
//!   reproducible run again for that many epochs.)
//!
//! The example prints, for each rate, the training loss before training and
//! after epochs 1, 3, 10 and the last (each epoch's loss is the mean over
//! its batches, as the `Trainer` records it), the median over the last
//! third of the epochs, and how much more the loss fell in the first half
//! of the run than in the second. It checks the shapes: the too-low run's
//! two halves fall by about as much (a ratio between 0.8 and 1.25) and it
//! keeps 90 % of its initial loss; the good run falls at least 4 times more
//! in its first half than in its second; the high run is below the good one
//! after the first epoch, above it at every epoch from the second on, rises
//! in at least 3 epochs, and ends on a plateau at least 3 times higher; the
//! too-high run fails or ends above ln 10; and the medians are ordered
//! good < high < too low < too high. It draws the four curves on a
//! logarithmic axis (`08_lr_curves.svg`).
//!
//! The full run (30 epochs) also checks these numbers against the ones
//! chapter 8 prints. With `--quick` it trains 10 epochs and checks the
//! shapes, not the book's numbers.
//!
//! ```text
//! cargo run --release --example 08_lr_curves               # writes target/figures/08_lr_curves.svg
//! cargo run --release --example 08_lr_curves -- --quick
//! cargo run --release --example 08_lr_curves -- --out DIR
//! ```

mod common;

use std::process::ExitCode;

use common::{COLORS, LegendPosition, LineChart, Options, Series};
use gradschool::prelude::*;
use gradschool::train::{self, Dataset, Progress, Standardizer, TrainError, Trainer, evaluate};
use plotters::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

/// The four learning rates of Adam, named by what they turn out to be.
const RATES: [(&str, f64); 4] = [
    ("too low", 1e-5),
    ("good", 1e-3),
    ("high", 1e-1),
    ("too high", 1.0),
];

/// The epochs after which the example prints the loss (and the last one).
const MARKS: [usize; 3] = [1, 3, 10];

/// The full run's numbers as chapter 8 prints them, one row per rate: the
/// loss at epochs 0, 1, 3, 10 and 30, the median of epochs 21–30, and the
/// first half's fall over the second half's (none for the too-high run,
/// whose loss rose).
const BOOK: [([f64; 5], f64, usize, Option<f64>); 4] = [
    (
        [2.3204, 2.3172, 2.3037, 2.2574, 2.1288],
        2.1575,
        0,
        Some(0.99),
    ),
    (
        [2.3204, 2.0171, 0.8723, 0.1356, 0.0198],
        0.0276,
        0,
        Some(42.16),
    ),
    ([2.3204, 1.8825, 1.3511, 0.9908, 0.2705], 0.3476, 12, None),
    (
        [2.3204, 205.9657, 139.9268, 174.5645, 0.8522],
        30.3333,
        11,
        None,
    ),
];

// ANCHOR: run
/// One run: a fresh 64-64-10 MLP (the same initial weights every run)
/// trained by Adam at `lr` for `epochs` epochs on the same batches. Returns
/// the training loss before training and after every epoch, up to the
/// failure if the loss stopped being finite, and the failure.
fn run(lr: f64, epochs: usize, data: &Dataset) -> Result<Curve, TrainError> {
    let build = || -> Sequential { Mlp::new(&[64, 64, 10]).build(&mut StdRng::seed_from_u64(1)) };
    let trainer = |epochs| {
        Trainer::new(epochs)
            .batch_size(32)
            .seed(2)
            .progress(Progress::Quiet)
    };
    let mut model = build();
    model.eval();
    let mut losses = vec![evaluate(&model, data).0]; // before training: epoch 0
    match trainer(epochs).fit(&mut model, &mut Adam::new(lr), data, None) {
        Ok(history) => {
            losses.extend(history.epochs.iter().map(|e| e.train_loss));
            Ok(Curve {
                losses,
                failure: None,
            })
        }
        Err(failure @ TrainError::NonFinite { epoch, .. }) => {
            // The run is reproducible: the same run stopped one epoch
            // earlier gives the epochs before the failure.
            if epoch > 1 {
                let mut model = build();
                let history = trainer(epoch - 1).fit(&mut model, &mut Adam::new(lr), data, None)?;
                losses.extend(history.epochs.iter().map(|e| e.train_loss));
            }
            Ok(Curve {
                losses,
                failure: Some(failure),
            })
        }
        Err(other) => Err(other),
    }
}
// ANCHOR_END: run

/// The losses of one run: `losses[e]` after epoch e (0: before training).
struct Curve {
    losses: Vec<f64>,
    failure: Option<TrainError>,
}

/// What the example measures on one curve.
struct Shape {
    /// The median loss of the last third of the epochs (infinite if the run
    /// failed before it ended).
    median: f64,
    /// The number of epochs whose loss is higher than the one before.
    rises: usize,
    /// For a curve that falls every epoch: how much it fell in the first
    /// half of the run over how much it fell in the second (about 1 for a
    /// straight line, large for a curve that falls fast and then flattens).
    fall_ratio: Option<f64>,
}

impl Shape {
    fn of(curve: &Curve, epochs: usize) -> Shape {
        let l = &curve.losses;
        let rises = l.windows(2).filter(|w| w[1] > w[0]).count();
        if curve.failure.is_some() || l.len() != epochs + 1 {
            return Shape {
                median: f64::INFINITY,
                rises,
                fall_ratio: None,
            };
        }
        let half = epochs / 2;
        Shape {
            median: common::median(&l[epochs + 1 - epochs / 3..]),
            rises,
            fall_ratio: (rises == 0).then(|| (l[0] - l[half]) / (l[half] - l[epochs])),
        }
    }
}

/// A learning rate as the book writes it: 1e-5, 1e-3, 1e-1, 1.
fn rate(lr: f64) -> String {
    if lr >= 1.0 {
        format!("{lr}")
    } else {
        format!("{lr:.0e}")
    }
}

fn example(options: &Options) -> common::Result {
    let epochs = if options.quick { 10 } else { 30 };
    let ln10 = 10f64.ln();

    // The capstone's split and standardisation (examples/digits.rs).
    let mut rng = StdRng::seed_from_u64(0);
    let parts = train::digits().split(&[0.6, 0.2, 0.2], &mut rng);
    let scaler = Standardizer::fit(parts[0].features());
    let train_set = parts[0].with_features(scaler.transform(parts[0].features()));
    println!(
        "Adam on {} training digits (standardised), a 64-64-10 ReLU MLP, batches of 32, \
         {epochs} epochs;\nthe same initial weights and the same batches in every run\n",
        train_set.len()
    );
    let marks: Vec<usize> = std::iter::once(0)
        .chain(MARKS.into_iter().filter(|&m| m < epochs))
        .chain([epochs])
        .collect();
    let last_third = format!("{}–{epochs}", epochs + 1 - epochs / 3);
    let mut header = format!("{:<9} {:>6}", "", "lr");
    for m in &marks {
        header += &format!("  {:>9}", format!("epoch {m}"));
    }
    header += &format!(
        "  {:>13}  {:>5}  {:>10}",
        format!("median {last_third}"),
        "rises",
        "fall ratio"
    );
    println!("{header}");

    let mut curves = Vec::new();
    let mut shapes = Vec::new();
    for (k, (name, lr)) in RATES.into_iter().enumerate() {
        let curve = run(lr, epochs, &train_set)?;
        let shape = Shape::of(&curve, epochs);
        let mut line = format!("{name:<9} {:>6}", rate(lr));
        for &m in &marks {
            line += &match curve.losses.get(m) {
                Some(l) => format!("  {l:>9.4}"),
                None => format!("  {:>9}", "-"),
            };
        }
        line += &format!(
            "  {:>13.4}  {:>5}  {:>10}",
            shape.median,
            shape.rises,
            shape
                .fall_ratio
                .map_or("-".to_string(), |r| format!("{r:.2}"))
        );
        println!("{line}");
        if let Some(failure) = &curve.failure {
            println!("{:<16} stopped: {failure}", "");
        }
        if !options.quick {
            let (at, median_book, rises_book, ratio_book) = BOOK[k];
            for (&m, book) in marks.iter().zip(at) {
                let computed = curve.losses.get(m).copied().unwrap_or(f64::NAN);
                common::check_book(&format!("{name}: loss at epoch {m}"), computed, book, 4)?;
            }
            common::check_book(&format!("{name}: median"), shape.median, median_book, 4)?;
            if shape.rises != rises_book {
                return Err(format!(
                    "{name}: the loss rose in {} epochs, but the book prints {rises_book}; \
                     update the book and this example together",
                    shape.rises
                )
                .into());
            }
            match (shape.fall_ratio, ratio_book) {
                (Some(r), Some(book)) => {
                    common::check_book(&format!("{name}: fall ratio"), r, book, 2)?
                }
                (None, None) => {}
                (r, book) => {
                    return Err(format!(
                        "{name}: fall ratio {r:?}, but the book prints {book:?}; \
                         update the book and this example together"
                    )
                    .into());
                }
            }
        }
        curves.push(curve);
        shapes.push(shape);
    }

    let [too_low, good, high, too_high] = [0, 1, 2, 3].map(|k| (&curves[k], &shapes[k]));
    let mut failed = Vec::new();
    match too_low.1.fall_ratio {
        Some(r) if (0.8..=1.25).contains(&r) => {}
        r => failed.push(format!(
            "the too-low run does not fall every epoch in a straight line: fall ratio {r:?}, \
             expected between 0.8 and 1.25"
        )),
    }
    let kept = too_low.0.losses[epochs] / too_low.0.losses[0];
    if kept < 0.9 {
        failed.push(format!(
            "the too-low run lost more than 10 % of its loss ({:.1} % left)",
            100.0 * kept
        ));
    }
    match good.1.fall_ratio {
        Some(r) if r >= 4.0 => {}
        r => failed.push(format!(
            "the good run does not fall every epoch, fast and then flat: fall ratio {r:?}, \
             expected ≥ 4"
        )),
    }
    if high.1.rises < 3 {
        failed.push(format!(
            "the high run's loss rose in only {} epochs; expected it to jump (at least 3)",
            high.1.rises
        ));
    }
    if high.0.losses[1] >= good.0.losses[1] {
        failed.push(format!(
            "after one epoch the high run ({:.4}) is not below the good one ({:.4})",
            high.0.losses[1], good.0.losses[1]
        ));
    }
    let behind = (2..=epochs).find(|&e| {
        let (g, h) = (good.0.losses.get(e), high.0.losses.get(e));
        g.zip(h).is_none_or(|(g, h)| g >= h)
    });
    if let Some(e) = behind {
        failed.push(format!(
            "the good run is not below the high one at epoch {e}; expected it from epoch 2 on"
        ));
    }
    if high.1.median < 3.0 * good.1.median {
        failed.push(format!(
            "the high run's plateau ({:.4}) is not at least 3 times the good run's ({:.4})",
            high.1.median, good.1.median
        ));
    }
    if too_high.0.failure.is_none() && too_high.1.median <= ln10 {
        failed.push(format!(
            "the too-high run neither failed nor stayed above ln 10 (median {:.4})",
            too_high.1.median
        ));
    }
    let order = [
        good.1.median,
        high.1.median,
        too_low.1.median,
        too_high.1.median,
    ];
    if !order.windows(2).all(|w| w[0] < w[1]) {
        failed.push(format!(
            "the medians are not ordered good < high < too low < too high: {order:.4?}"
        ));
    }
    if !failed.is_empty() {
        return Err(failed.join("; ").into());
    }
    println!(
        "\nchecked: too low falls in a nearly straight line (ratio {:.2}) and keeps {:.0} % of \
         its loss; good falls {:.0} times more in its first half than in its second; high is \
         ahead after one epoch, behind from epoch 2 on, and jumps (up in {} epochs) on a plateau \
         {:.1} times above good; \
         too high {}; the medians are ordered good < high < too low < too high",
        too_low.1.fall_ratio.unwrap_or(f64::NAN),
        100.0 * kept,
        good.1.fall_ratio.unwrap_or(f64::NAN),
        high.1.rises,
        high.1.median / good.1.median,
        match &too_high.0.failure {
            Some(_) => "failed with a non-finite loss".to_string(),
            None => format!("ends above ln 10 (median {:.2})", too_high.1.median),
        }
    );

    // Left: all four runs on a logarithmic axis, with ln 10 for reference.
    // Right: the three that stay below ln 10, on a linear axis, where the
    // straight line of the too-low rate and the bend of the good one show.
    let colors = [COLORS[0], COLORS[2], COLORS[1], COLORS[3]];
    let series = |runs: &[usize]| -> Vec<Series> {
        runs.iter()
            .map(|&k| {
                let curve = &curves[k];
                let (name, lr) = RATES[k];
                let points = curve
                    .losses
                    .iter()
                    .enumerate()
                    .map(|(e, &l)| (e as f64, l))
                    .collect();
                let failed = match &curve.failure {
                    Some(TrainError::NonFinite { epoch, .. }) => {
                        format!(", non-finite in epoch {epoch}")
                    }
                    _ => String::new(),
                };
                Series::new(
                    format!("{name}: lr {}{failed}", rate(lr)),
                    points,
                    colors[k],
                )
            })
            .collect()
    };
    let mut all = series(&[0, 1, 2, 3]);
    all.push(
        Series::new(
            "ln 10: a network that guesses",
            vec![(0.0, ln10), (epochs as f64, ln10)],
            RGBColor(120, 120, 120),
        )
        .dashed(),
    );
    let log_chart = LineChart {
        title: "all four (log scale)".into(),
        x_label: "epoch".into(),
        y_label: "training loss (cross-entropy)".into(),
        series: all,
        legend: LegendPosition::LowerRight,
        y_range: Some((1e-4, 1e3)),
    };
    let linear_chart = LineChart {
        title: "below ln 10 (linear scale)".into(),
        x_label: "epoch".into(),
        y_label: String::new(),
        series: series(&[0, 1, 2]),
        legend: LegendPosition::UpperRight,
        y_range: Some((0.0, 3.0)),
    };
    let path = options.figure("08_lr_curves.svg")?;
    let root = SVGBackend::new(&path, (1100, 540)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((1, 2));
    log_chart.draw_log_y(&panels[0])?;
    linear_chart.draw(&panels[1])?;
    root.present()?;
    println!("wrote {}", path.display());
    Ok(())
}
