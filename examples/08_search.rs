//! Hyperparameter search, coarse to fine: which learning rate (and dropout
//! rate) should Adam use for the lecture's recipe on the digits?
//!
//! The bundled handwritten digits are split, per digit, into 60 % for
//! training, 20 % for validation and 20 % for a final test that this
//! example never touches: hyperparameters are chosen on the validation
//! data, so that the test set stays an honest estimate for the model one
//! finally trains. The network is the recipe of chapter 7
//! (64 → 128 → 128 → 10 with batch normalisation, ReLU and dropout), every
//! trial starting from the same weights and seeing the same batches, so
//! that only the hyperparameters differ.
//!
//! Stage 1 (coarse) draws 20 trials from a wide space — the learning rate
//! log-uniformly, 10^U(−4, −1), and the dropout rate uniformly in
//! [0, 0.5] — and trains each for only 5 epochs. Stage 2 (fine) narrows the
//! space around the 3 best coarse trials (their span, widened on each side
//! by a tenth of the original range: `Space::narrowed`) and draws 10
//! trials there, each trained for 20 epochs. The example prints both
//! stages' results, best first, and draws validation accuracy against the
//! learning rate on a log axis (`08_search.svg`): the coarse trials, the
//! narrowed range and the fine trials in it.
//!
//! It checks that the best fine trial is at least as good as the best
//! coarse one and reaches at least 95 % validation accuracy (90 % with
//! `--quick`, which runs 8 coarse trials of 2 epochs and 4 fine ones of 6).
//! The full run also checks its tables (without the times), the narrowed
//! space and the best trial against the ones chapter 8 quotes.
//!
//! ```text
//! cargo run --release --example 08_search                # writes target/figures/08_search.svg
//! cargo run --release --example 08_search -- --quick
//! cargo run --release --example 08_search -- --out DIR
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{COLORS, FONT, Options};
use gradschool::prelude::*;
use gradschool::regularize::Recipe;
use gradschool::train::search::{
    CoarseToFine, CoarseToFineResults, Domain, Outcome, Params, Space, Stage, coarse_to_fine,
};
use gradschool::train::{self, Dataset, Progress, Standardizer, TrainError, Trainer};
use plotters::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

/// The layer sizes: 64 pixels in, two hidden layers of 128 units, 10 digits out.
const SIZES: [usize; 4] = [64, 128, 128, 10];

// ANCHOR: objective
/// One trial: the recipe's network with the trial's dropout rate, trained
/// by Adam with the trial's learning rate for the stage's epochs; its
/// validation accuracy and loss after the last epoch. The weights (seed 1)
/// and the batches (seed 2) are the same in every trial.
fn trial(
    params: &Params,
    stage: Stage,
    train_set: &Dataset,
    val_set: &Dataset,
) -> Result<Outcome, TrainError> {
    let recipe = Recipe::new(&SIZES).dropout(params.get("dropout"));
    let mut model: Sequential = recipe.build(&mut StdRng::seed_from_u64(1));
    let mut opt = recipe.optimizer(params.get("lr")); // Adam
    let history = Trainer::new(stage.epochs)
        .batch_size(32)
        .seed(2)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut opt, train_set, Some(val_set))?;
    Outcome::from_history(&history)
}
// ANCHOR_END: objective

fn example(options: &Options) -> common::Result {
    let (plan, target) = if options.quick {
        (CoarseToFine::new().coarse(8, 2).fine(4, 6), 0.90)
    } else {
        (CoarseToFine::new().coarse(20, 5).fine(10, 20), 0.95)
    };
    let plan = plan.keep(3).widen(0.1);
    let [coarse, fine] = plan.stages();

    // ANCHOR: data
    let mut rng = StdRng::seed_from_u64(0);
    let parts = train::digits().split(&[0.6, 0.2, 0.2], &mut rng); // stratified, seeded
    let scaler = Standardizer::fit(parts[0].features()); // training statistics only
    let [train_set, val_set] =
        [&parts[0], &parts[1]].map(|p| p.with_features(scaler.transform(p.features())));
    // parts[2], the test split, is left alone: it plays no part in choosing.
    // ANCHOR_END: data
    println!(
        "digits: {} training and {} validation images; {} test images held out, unused",
        train_set.len(),
        val_set.len(),
        parts[2].len()
    );

    // ANCHOR: search
    let space = Space::new()
        .log_uniform("lr", 1e-4, 1e-1)
        .uniform("dropout", 0.0, 0.5);
    let start = Instant::now();
    let run = coarse_to_fine(&space, &plan, &mut StdRng::seed_from_u64(3), |p, stage| {
        trial(p, stage, &train_set, &val_set)
    });
    let seconds = start.elapsed().as_secs_f64();
    // ANCHOR_END: search

    println!(
        "network {SIZES:?} (recipe: batch norm, ReLU, dropout), Adam, batches of 32\n\n\
         stage 1 (coarse): {} trials of {} epochs in {space}\n",
        coarse.trials, coarse.epochs
    );
    print!("{}", run.coarse.sorted());
    println!(
        "\nstage 2 (fine): {} trials of {} epochs in {}\n\
         (narrowed around the {} best coarse trials, {}: their span, widened on each side by a \
         tenth of the first range)\n",
        fine.trials,
        fine.epochs,
        run.narrowed,
        run.around.len(),
        run.around
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    print!("{}", run.fine.sorted());

    let failures = run.coarse.failures() + run.fine.failures();
    let (Some(best_coarse), Some(best_fine)) = (run.coarse.best(), run.fine.best()) else {
        return Err("a stage of the search has no trial that succeeded".into());
    };
    println!(
        "\nbest: trial {} ({}): validation accuracy {:.2} % after {} epochs; \
         {} trials{} in {seconds:.1} s",
        best_fine.number,
        best_fine.params,
        100.0 * best_fine.val_accuracy,
        best_fine.epochs,
        run.coarse.trials.len() + run.fine.trials.len(),
        if failures > 0 {
            format!(" ({failures} failed)")
        } else {
            String::new()
        }
    );

    let path = options.figure("08_search.svg")?;
    draw(&path, &run, coarse, fine)?;
    println!("wrote {}", path.display());

    if !options.quick {
        check_quoted(&run, [train_set.len(), val_set.len(), parts[2].len()])?;
    }

    let mut failed = Vec::new();
    if best_fine.val_accuracy < best_coarse.val_accuracy {
        failed.push(format!(
            "the best fine trial ({:.2} %) is worse than the best coarse one ({:.2} %)",
            100.0 * best_fine.val_accuracy,
            100.0 * best_coarse.val_accuracy
        ));
    }
    if best_fine.val_accuracy < target {
        failed.push(format!(
            "the best fine trial reaches {:.2} % validation accuracy, below {:.0} %",
            100.0 * best_fine.val_accuracy,
            100.0 * target
        ));
    }
    if !failed.is_empty() {
        return Err(failed.join("; ").into());
    }
    println!(
        "checked: the best fine trial is at least as good as the best coarse one \
         ({:.2} % ≥ {:.2} %) and reaches ≥ {:.0} % validation accuracy",
        100.0 * best_fine.val_accuracy,
        100.0 * best_coarse.val_accuracy,
        100.0 * target
    );
    Ok(())
}

/// The sizes of the training, validation and test splits, as chapter 8
/// quotes them.
const BOOK_SIZES: [usize; 3] = [1078, 362, 357];

/// The full run's tables as chapter 8 quotes them, best first, without the
/// time column (which depends on the machine): stage 1, the narrowed space,
/// stage 2, and the best trial.
const BOOK_COARSE: &[&str] = &[
    " #       lr  dropout  val acc  val loss  epochs",
    "14  1.76e-2    0.299  98.07 %    0.0874       5",
    "18  3.07e-2    0.076  98.07 %    0.1224       5",
    "19  3.30e-2    0.289  97.79 %    0.0853       5",
    " 6  3.68e-3    0.273  97.51 %    0.1074       5",
    " 9  1.82e-2    0.350  97.24 %    0.1330       5",
    "17  3.07e-3    0.356  97.24 %    0.1363       5",
    "11  5.42e-3    0.447  96.69 %    0.1174       5",
    "13  2.94e-2    0.381  96.69 %    0.1199       5",
    "10  5.13e-2    0.161  96.69 %    0.1876       5",
    " 7  6.43e-2    0.459  95.86 %    0.1694       5",
    " 5  2.76e-3    0.481  94.48 %    0.2064       5",
    "16  5.05e-2    0.401  94.48 %    0.2301       5",
    " 4  1.16e-3    0.321  93.09 %    0.2972       5",
    " 3  5.27e-4    0.202  91.16 %    0.4935       5",
    "12  3.64e-4    0.125  89.50 %    0.6186       5",
    " 2  3.56e-4    0.213  87.85 %    0.7205       5",
    "20  3.82e-4    0.365  84.53 %    0.9027       5",
    " 8  2.96e-4    0.306  81.49 %    0.9784       5",
    " 1  1.93e-4    0.176  79.01 %    1.1065       5",
    "15  1.13e-4    0.218  60.50 %    1.5675       5",
];
const BOOK_NARROWED: &str = "lr ~ 10^U(-2.055, -1.182), dropout ~ U(0.02616, 0.3488)";
const BOOK_FINE: &[&str] = &[
    " #     lr  dropout  val acc  val loss  epochs",
    "29  0.022    0.273  98.07 %    0.1601      20",
    "30  0.017    0.269  97.51 %    0.1357      20",
    "23  0.026    0.322  97.51 %    0.1422      20",
    "26  0.050    0.306  96.96 %    0.1492      20",
    "25  0.034    0.325  96.69 %    0.2447      20",
    "28  0.052    0.241  96.41 %    0.2570      20",
    "27  0.023    0.109  96.41 %    0.4222      20",
    "21  0.012    0.314  95.86 %    0.2097      20",
    "22  0.056    0.337  95.58 %    0.3669      20",
    "24  0.021    0.214  95.30 %    0.2163      20",
];
const BOOK_BEST: &str =
    "trial 29 (lr = 0.02154, dropout = 0.2729): validation accuracy 98.07 % after 20 epochs";

/// Checks the full run's output against the numbers chapter 8 quotes.
fn check_quoted(run: &CoarseToFineResults, sizes: [usize; 3]) -> common::Result {
    let best = run
        .fine
        .best()
        .ok_or("stage 2 has no trial that succeeded")?;
    let best = format!(
        "trial {} ({}): validation accuracy {:.2} % after {} epochs",
        best.number,
        best.params,
        100.0 * best.val_accuracy,
        best.epochs
    );
    let computed = [
        (
            "the split sizes",
            format!("{sizes:?}"),
            format!("{BOOK_SIZES:?}"),
        ),
        (
            "the stage 1 table",
            without_times(&run.coarse.sorted().to_string()),
            BOOK_COARSE.join("\n"),
        ),
        (
            "the narrowed space",
            run.narrowed.to_string(),
            BOOK_NARROWED.to_string(),
        ),
        (
            "the stage 2 table",
            without_times(&run.fine.sorted().to_string()),
            BOOK_FINE.join("\n"),
        ),
        ("the best trial", best, BOOK_BEST.to_string()),
    ];
    for (what, computed, book) in computed {
        if computed != book {
            return Err(format!(
                "{what} differs from the book's:\ncomputed:\n{computed}\nbook:\n{book}\n\
                 if the change is intended, update the book and this example together"
            )
            .into());
        }
    }
    println!("checked: the tables, the narrowed space and the best trial are the book's");
    Ok(())
}

/// A results table without its last column, the time of each trial.
fn without_times(table: &str) -> String {
    table
        .lines()
        .map(|line| line.rsplitn(3, ' ').last().unwrap_or(line).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Validation accuracy against the learning rate, on a logarithmic axis:
/// the coarse trials as open circles, the fine ones as filled circles, the
/// narrowed learning-rate range shaded, the best trial ringed.
fn draw(
    path: &std::path::Path,
    run: &CoarseToFineResults,
    coarse: Stage,
    fine: Stage,
) -> common::Result {
    let points = |trials: &[gradschool::train::search::Trial]| -> Vec<(f64, f64)> {
        trials
            .iter()
            .filter(|t| !t.failed())
            .map(|t| (t.params.get("lr"), 100.0 * t.val_accuracy))
            .collect()
    };
    let (coarse_points, fine_points) = (points(&run.coarse.trials), points(&run.fine.trials));
    let lowest = coarse_points
        .iter()
        .chain(&fine_points)
        .fold(100.0f64, |lo, p| lo.min(p.1));
    let y0 = ((lowest - 2.0) / 10.0).floor() * 10.0;
    // The searched decades, with a little room so that 10⁻⁴ and 10⁻¹ get their ticks.
    let (x0, x1) = (10f64.powf(-4.05), 10f64.powf(-0.95));

    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Coarse-to-fine search of Adam's learning rate on the digits",
            (FONT, 24),
        )
        .margin(12)
        .margin_right(24)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d((x0..x1).log_scale(), y0.max(0.0)..100.0)?;
    chart
        .configure_mesh()
        .x_desc("learning rate (log scale)")
        .y_desc("validation accuracy (%)")
        .x_label_formatter(&power_of_ten)
        .y_label_formatter(&common::tick)
        .label_style((FONT, 15))
        .axis_desc_style((FONT, 18))
        .max_light_lines(4)
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;

    let (blue, orange) = (COLORS[0], COLORS[1]);
    if let Some(Domain::LogUniform { low, high }) = run.narrowed.domain("lr") {
        let band = orange.mix(0.15);
        chart
            .draw_series([Rectangle::new(
                [(*low, y0.max(0.0)), (*high, 100.0)],
                band.filled(),
            )])?
            .label("stage 2 range of the learning rate")
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], band.filled()));
    }
    chart
        .draw_series(
            coarse_points
                .iter()
                .map(|&p| Circle::new(p, 5, blue.stroke_width(2))),
        )?
        .label(format!("stage 1: {} epochs per trial", coarse.epochs))
        .legend(move |(x, y)| Circle::new((x + 10, y), 5, blue.stroke_width(2)));
    chart
        .draw_series(fine_points.iter().map(|&p| {
            EmptyElement::at(p)
                + Circle::new((0, 0), 5, orange.filled())
                + Circle::new((0, 0), 5, BLACK.stroke_width(1))
        }))?
        .label(format!("stage 2: {} epochs per trial", fine.epochs))
        .legend(move |(x, y)| Circle::new((x + 10, y), 5, orange.filled()));
    if let Some(best) = run.best() {
        let at = (best.params.get("lr"), 100.0 * best.val_accuracy);
        chart
            .draw_series([Circle::new(at, 10, BLACK.stroke_width(1))])?
            .label("the best trial")
            .legend(|(x, y)| Circle::new((x + 10, y), 8, BLACK.stroke_width(1)));
    }
    chart
        .configure_series_labels()
        .position(common::LegendPosition::LowerRight)
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .draw()?;
    root.present()?;
    Ok(())
}

/// A tick of the logarithmic axis: 10⁻⁴, 10⁻³, … at the powers of ten,
/// the value itself in between (2e-3).
fn power_of_ten(v: &f64) -> String {
    let exponent = v.log10().round();
    if (v.log10() - exponent).abs() < 1e-9 {
        const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        let e = exponent as i32;
        let digits: String = e
            .unsigned_abs()
            .to_string()
            .chars()
            .map(|d| DIGITS[d as usize - '0' as usize])
            .collect();
        format!("10{}{digits}", if e < 0 { "⁻" } else { "" })
    } else {
        format!("{v:.0e}")
    }
}
