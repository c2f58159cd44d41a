//! Overfitting, and three remedies measured against it. A deliberately
//! large 64-512-512-10 ReLU MLP (about 300 000 weights) learns the bundled
//! handwritten digits from only 300 training images (30 of each digit);
//! the other 1497 images are the validation set. The digits are easy: on
//! the correct labels the network reaches about 96 % on validation with a
//! gap of a few points, and none of the remedies narrows that gap
//! reliably (tried over five seeds: dropout and batch norm land a fraction
//! of a point above or below the plain network, depending on the seed; the
//! L2 penalty, with the λ below, costs a point or more). To make
//! memorising visible, a fifth of the training labels (60 of 300) are
//! replaced by a wrong digit; the validation labels stay right. A network
//! that learns the digits and not the noise gets about 80 % of the
//! *training* labels "right"; one that reaches 100 % has learnt the 60
//! wrong labels by heart.
//!
//! Four networks start from the same weights and see the same mini-batches
//! (32 images, Adam, lr 10⁻³, 100 epochs): (a) with no regularisation,
//! (b) with the L2 penalty λ·ΣW² added to the loss (`regularize::l2`,
//! λ = 10⁻²), (c) with dropout after each hidden ReLU (p = 0.6: with 512
//! units for 300 images there is capacity to spare; at 0.5 the effect is
//! smaller and not robust across seeds), (d) with batch normalisation
//! between each hidden `Linear` and its ReLU. After every epoch each is
//! measured in evaluation mode (`model.eval()`: no dropout, batch norm's
//! running statistics) on the training set, against the labels it was
//! given, and on the validation set.
//!
//! The example prints, for each network, the final training and validation
//! accuracy, their gap, how many of the 60 wrong labels it has learnt, the
//! first epoch at which it was right on 99 % of its training labels, and
//! its best validation accuracy and when it was reached. It checks that
//! (a) overfits: at least 99 % on the training labels and a gap of at least
//! 10 points; that (b) and (c) each end with a smaller gap *and* a higher
//! validation accuracy than (a); and that (d) does not prevent memorising
//! (at least 99 % on the training labels): batch normalisation helps
//! optimisation (see `07_batchnorm`), it is not a regulariser to count on.
//! What the curves also show, and the example prints but does not check:
//! the L2 penalty holds the training accuracy near 80 % throughout, while
//! dropout only slows the memorising down (its validation accuracy peaks
//! and then falls as it learns the wrong labels too), and each network's
//! validation accuracy peaks well before the last epoch (the idea behind
//! early stopping). It draws the training (dashed) and validation (solid)
//! accuracy of each network, epoch by epoch.
//!
//! The full run then trains the same four networks on the correct labels
//! (the same 300 images, none mislabelled, the same seeds) and prints the
//! same table. It checks that there the unregularised network's gap is
//! under 10 points and that no remedy raises the validation accuracy, or
//! narrows the gap, by more than a point. Last, it checks every number of
//! both tables, and the number of parameters, against the ones chapter 7
//! prints (`BOOK`, `BOOK_CLEAN`, `BOOK_PARAMETERS`), so that a change in
//! the results cannot leave the book stale.
//!
//! With `--quick` it trains for 40 epochs instead of 100 and checks the
//! claims on the mislabelled digits only: no run on the correct labels, and
//! not the book's numbers.
//!
//! ```text
//! cargo run --release --example 07_overfitting               # writes target/figures/07_overfitting.svg
//! cargo run --release --example 07_overfitting -- --quick
//! cargo run --release --example 07_overfitting -- --out DIR
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{COLORS, LineChart, Options, Series};
use gradschool::layers::Activation;
use gradschool::prelude::*;
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

fn main() -> ExitCode {
    common::run(example)
}

/// The layer sizes: 64 pixels in, two hidden layers of 512 units, 10 digits out.
const SIZES: [usize; 4] = [64, 512, 512, 10];
/// Training images of each digit.
const PER_CLASS: usize = 30;
/// The fraction of the training labels replaced by a wrong digit.
const WRONG: f64 = 0.2;
/// Images per mini-batch.
const BATCH: usize = 32;
/// Adam's learning rate.
const LR: f64 = 1e-3;
/// The weight of the L2 penalty.
const LAMBDA: f64 = 1e-2;
/// The dropout probability.
const P: f64 = 0.6;
/// "Right on all its training labels", wrong ones included: at least this.
const MEMORISED: f64 = 0.99;
/// On the correct labels, no remedy beats the unregularised network by more
/// than this many points, in validation accuracy or in gap.
const CLEAN_MARGIN: f64 = 1.0;

/// The four networks, in the order of the tables and of the figure's panels.
const VARIANTS: [Variant; 4] = [
    Variant::Plain,
    Variant::L2(LAMBDA),
    Variant::Dropout(P),
    Variant::BatchNorm,
];

/// One row of a table as chapter 7 prints it: the final training and
/// validation accuracy (%), the gap (points), the first epoch at 99 % on the
/// training labels (`None`: never), and the best validation accuracy (%)
/// with its epoch.
type BookRow = (f64, f64, f64, Option<usize>, f64, usize);

/// The full run's table on the mislabelled digits, as chapter 7 prints it,
/// in the order of [`VARIANTS`], each row with the number of wrong labels
/// learnt.
const BOOK: [(BookRow, usize); 4] = [
    ((100.0, 83.0, 17.0, Some(18), 90.8, 7), 60),
    ((80.3, 89.2, -8.8, None, 91.7, 7), 6),
    ((99.3, 89.1, 10.2, Some(93), 92.7, 32), 58),
    ((100.0, 83.6, 16.4, Some(6), 88.2, 5), 60),
];

/// The parameters of the network, as chapter 7 prints them.
const BOOK_PARAMETERS: usize = 301_066;

/// The full run's table on the correct labels, as chapter 7 prints it.
const BOOK_CLEAN: [BookRow; 4] = [
    (100.0, 96.3, 3.7, Some(5), 96.4, 84),
    (98.3, 93.5, 4.9, Some(7), 94.9, 34),
    (100.0, 95.9, 4.1, Some(14), 96.5, 82),
    (100.0, 96.7, 3.3, Some(2), 96.9, 85),
];

/// The four networks compared.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Variant {
    Plain,
    L2(f64),
    Dropout(f64),
    BatchNorm,
}

impl Variant {
    fn name(self) -> String {
        match self {
            Variant::Plain => "no regularisation".into(),
            Variant::L2(lambda) => format!("L2 penalty, λ = {lambda}"),
            Variant::Dropout(p) => format!("dropout, p = {p}"),
            Variant::BatchNorm => "batch norm".into(),
        }
    }
}

// ANCHOR: network
/// The 64-512-512-10 ReLU network of `variant`. Its weights are He-normal
/// (biases zero) drawn from a generator with the same seed for every
/// variant, so all four start from the same weights; dropout's masks come
/// from a generator of their own, so that adding dropout changes no weight.
fn network(variant: Variant) -> Sequential {
    let mut weights = StdRng::seed_from_u64(1);
    let mut masks = StdRng::seed_from_u64(3);
    let mut net = Sequential::new();
    let hidden = SIZES.len() - 2;
    for (i, pair) in SIZES.windows(2).enumerate() {
        let (fan_in, fan_out) = (pair[0], pair[1]);
        let w = gradschool::init::he_normal([fan_in, fan_out], &mut weights);
        net.push(Linear::from_tensors(w, Some(Tensor::zeros([fan_out]))));
        if i < hidden {
            if variant == Variant::BatchNorm {
                net.push(BatchNorm1d::new(fan_out)); // between Linear and ReLU
            }
            net.push(Activation::Relu);
            if let Variant::Dropout(p) = variant {
                net.push(Dropout::new(p, &mut masks)); // after the ReLU
            }
        }
    }
    net
}
// ANCHOR_END: network

/// The training and validation sets: images `[n, 64]` and labels, with the
/// positions of the training labels that were made wrong.
struct Data {
    x_train: Tensor,
    y_train: Vec<usize>,
    wrong: Vec<usize>,
    x_val: Tensor,
    y_val: Vec<usize>,
}

impl Data {
    /// 30 images of each digit for training, the rest for validation; then a
    /// `fraction` of the training labels (a fifth, [`WRONG`], or
    /// none), chosen at random, each replaced by one of the nine other
    /// digits. The split is the same whatever `fraction`.
    fn load(fraction: f64) -> common::Result<Data> {
        let (x, y) = common::digits()?;
        let mut rng = StdRng::seed_from_u64(0);
        let (train, val) = common::stratified_split(&y, PER_CLASS, &mut rng);
        let mut y_train: Vec<usize> = train.iter().map(|&i| y[i]).collect();
        let mut wrong: Vec<usize> = (0..train.len()).collect();
        wrong.shuffle(&mut rng);
        wrong.truncate((fraction * train.len() as f64).round() as usize);
        wrong.sort_unstable();
        for &i in &wrong {
            y_train[i] = (y_train[i] + rng.random_range(1..10)) % 10;
        }
        Ok(Data {
            x_train: x.select_rows(&train),
            y_train,
            wrong,
            x_val: x.select_rows(&val),
            y_val: val.iter().map(|&i| y[i]).collect(),
        })
    }
}

/// One network's run: accuracy on the training labels and on the
/// validation set after every epoch, and how many of the wrong training
/// labels it predicts at the end.
struct Run {
    variant: Variant,
    train: Vec<f64>,
    val: Vec<f64>,
    learnt: usize,
    seconds: f64,
}

impl Run {
    fn final_train(&self) -> f64 {
        *self.train.last().expect("at least one epoch")
    }

    fn final_val(&self) -> f64 {
        *self.val.last().expect("at least one epoch")
    }

    /// The best validation accuracy and the epoch (from 1) it was reached.
    fn best_val(&self) -> (f64, usize) {
        let mut best = (0.0, 0);
        for (i, &a) in self.val.iter().enumerate() {
            if a > best.0 {
                best = (a, i + 1);
            }
        }
        best
    }

    /// Training minus validation accuracy, in points.
    fn gap(&self) -> f64 {
        100.0 * (self.final_train() - self.final_val())
    }

    /// The first epoch (from 1) at which it was right on at least
    /// [`MEMORISED`] of its training labels; `None` if it never was.
    fn memorised(&self) -> Option<usize> {
        self.train
            .iter()
            .position(|&a| a >= MEMORISED)
            .map(|i| i + 1)
    }

    /// Checks the numbers of its row against the book's `row` of `table`:
    /// the accuracies and the gap to the decimal printed, the epochs exactly.
    fn check_book(&self, table: &str, row: BookRow) -> common::Result {
        let (train, val, gap, memorised, best, best_epoch) = row;
        let name = format!("{table}, {}", self.variant.name());
        let (computed_best, computed_epoch) = self.best_val();
        let checks = [
            ("training accuracy", 100.0 * self.final_train(), train),
            ("validation accuracy", 100.0 * self.final_val(), val),
            ("gap", self.gap(), gap),
            ("best validation accuracy", 100.0 * computed_best, best),
        ];
        for (what, computed, book) in checks {
            common::check_book(&format!("{name}: {what}"), computed, book, 1)?;
        }
        let epochs = [
            ("first epoch at 99 %", self.memorised(), memorised),
            (
                "epoch of the best validation accuracy",
                Some(computed_epoch),
                Some(best_epoch),
            ),
        ];
        for (what, computed, book) in epochs {
            if computed != book {
                return Err(format!(
                    "{name}: {what}: computed {computed:?}, but the book prints {book:?}; \
                     if the change is intended, update the book and this example together"
                )
                .into());
            }
        }
        Ok(())
    }
}

/// The predicted digit of each image, `x` `[n, 64]`, with no graph recorded.
fn predict(model: &Sequential, x: &Tensor) -> Vec<usize> {
    let g = Graph::inference();
    model.forward(g.input(x.clone())).value().argmax_axis(1)
}

// ANCHOR: train
/// Trains `variant`'s network for `epochs` epochs of mini-batches (the same
/// shuffles for every variant), measuring it after each epoch; an error if
/// the loss stops being a number.
fn train(variant: Variant, data: &Data, epochs: usize) -> common::Result<Run> {
    let start = Instant::now();
    let mut model = network(variant);
    let mut opt = Adam::new(LR);
    let mut shuffle = StdRng::seed_from_u64(2);
    let mut order: Vec<usize> = (0..data.y_train.len()).collect();
    let (mut train, mut val, mut predicted) = (Vec::new(), Vec::new(), Vec::new());
    let g = Graph::new();
    for epoch in 1..=epochs {
        model.train(); // dropout drops, batch norm uses the batch's statistics
        order.shuffle(&mut shuffle);
        for (step, batch) in order.chunks(BATCH).enumerate() {
            let xb = data.x_train.select_rows(batch);
            let yb: Vec<usize> = batch.iter().map(|&i| data.y_train[i]).collect();
            let mut loss = losses::cross_entropy(model.forward(g.input(xb)), &yb);
            if let Variant::L2(lambda) = variant {
                loss = loss + gradschool::regularize::l2(&g, &model).mul_scalar(lambda as f32);
            }
            let value = loss.item();
            if !value.is_finite() {
                let (name, step) = (variant.name(), step + 1);
                return Err(format!(
                    "{name}: the loss became {value} at epoch {epoch}, step {step}"
                )
                .into());
            }
            let grads = loss.backward();
            opt.step(&mut model, &grads);
        }
        model.eval(); // the whole network, batch norm's running statistics
        predicted = predict(&model, &data.x_train);
        train.push(common::accuracy(&predicted, &data.y_train));
        val.push(common::accuracy(&predict(&model, &data.x_val), &data.y_val));
    }
    let learnt = data
        .wrong
        .iter()
        .filter(|&&i| predicted[i] == data.y_train[i])
        .count();
    Ok(Run {
        variant,
        train,
        val,
        learnt,
        seconds: start.elapsed().as_secs_f64(),
    })
}
// ANCHOR_END: train

/// Trains the four networks on `data` for `epochs` epochs and prints a row
/// for each (with the wrong labels learnt only if there are wrong labels).
fn compare(data: &Data, epochs: usize) -> common::Result<Vec<Run>> {
    let wrong = data.wrong.len();
    let learnt_header = if wrong > 0 {
        format!(" {:>21}", "wrong labels learnt")
    } else {
        String::new()
    };
    println!(
        "{:<22} {:>9} {:>11} {:>7}{learnt_header} {:>11} {:>20}",
        "network", "training", "validation", "gap", "≥ 99 % at", "best validation"
    );
    let mut runs = Vec::new();
    for variant in VARIANTS {
        let run = train(variant, data, epochs)?;
        let learnt = if wrong > 0 {
            format!(" {:>15} of {wrong}", run.learnt)
        } else {
            String::new()
        };
        let memorised = match run.memorised() {
            Some(epoch) => format!("epoch {epoch:>3}"),
            None => "never".into(),
        };
        let (best, best_epoch) = run.best_val();
        println!(
            "{:<22} {:>7.1} % {:>9.1} % {:>7.1}{learnt} {memorised:>11} {:>7.1} % (epoch {:>3})   ({:.1} s)",
            run.variant.name(),
            100.0 * run.final_train(),
            100.0 * run.final_val(),
            run.gap(),
            100.0 * best,
            best_epoch,
            run.seconds
        );
        runs.push(run);
    }
    Ok(runs)
}

fn example(options: &Options) -> common::Result {
    let epochs = if options.quick { 40 } else { 100 };
    let data = Data::load(WRONG)?;
    let wrong = data.wrong.len();
    let parameters = network(Variant::Plain).num_params();
    println!(
        "64-512-512-10 ReLU MLP ({parameters} parameters), {} training digits ({wrong} with a \
         wrong label), {} validation digits;\nAdam lr {LR}, batches of {BATCH}, {epochs} epochs\n",
        data.y_train.len(),
        data.y_val.len()
    );
    let runs = compare(&data, epochs)?;

    let plain = &runs[0];
    let mut failed = Vec::new();
    if plain.final_train() < MEMORISED || plain.gap() < 10.0 {
        failed.push(format!(
            "the unregularised network does not overfit: {:.1} % on the training labels, a gap of {:.1} points",
            100.0 * plain.final_train(),
            plain.gap()
        ));
    }
    for run in &runs[1..3] {
        if run.gap() >= plain.gap() || run.final_val() <= plain.final_val() {
            failed.push(format!(
                "{}: gap {:.1} and validation {:.1} %, not a smaller gap and a higher validation \
                 accuracy than without regularisation ({:.1}, {:.1} %)",
                run.variant.name(),
                run.gap(),
                100.0 * run.final_val(),
                plain.gap(),
                100.0 * plain.final_val()
            ));
        }
    }
    let bn = &runs[3];
    if bn.final_train() < MEMORISED {
        failed.push(format!(
            "batch norm: {:.1} % on the training labels, below the 99 % of a network that memorises them",
            100.0 * bn.final_train()
        ));
    }
    if !failed.is_empty() {
        return Err(failed.join("; ").into());
    }
    println!(
        "\nchecked: without regularisation the network learns the training labels, wrong ones \
         included (≥ 99 %), with a gap of at least 10 points;\n\
         \x20        the L2 penalty and dropout each narrow the gap and raise the validation accuracy;\n\
         \x20        batch norm alone does not stop the memorising (≥ 99 % on the training labels)"
    );

    if !options.quick {
        // The same networks, seeds and images, with every label right.
        let clean = Data::load(0.0)?;
        println!("\nthe same four networks on the correct labels:\n");
        let clean_runs = compare(&clean, epochs)?;
        let plain = &clean_runs[0];
        if plain.gap() >= 10.0 {
            failed.push(format!(
                "on the correct labels the unregularised network's gap is {:.1} points, not under 10",
                plain.gap()
            ));
        }
        for run in &clean_runs[1..] {
            let gain = 100.0 * (run.final_val() - plain.final_val());
            let narrowed = plain.gap() - run.gap();
            if gain > CLEAN_MARGIN || narrowed > CLEAN_MARGIN {
                failed.push(format!(
                    "on the correct labels, {}: {gain:+.1} points of validation accuracy and a gap \
                     narrowed by {narrowed:.1} points, more than {CLEAN_MARGIN}",
                    run.variant.name()
                ));
            }
        }
        if !failed.is_empty() {
            return Err(failed.join("; ").into());
        }
        println!(
            "\nchecked: on the correct labels the gap is under 10 points without regularisation, \
             and no remedy raises the validation accuracy or narrows the gap by more than \
             {CLEAN_MARGIN} point"
        );
        if parameters != BOOK_PARAMETERS {
            return Err(format!(
                "the network has {parameters} parameters, but the book prints {BOOK_PARAMETERS}"
            )
            .into());
        }
        for (run, (row, learnt)) in runs.iter().zip(BOOK) {
            run.check_book("mislabelled digits", row)?;
            if run.learnt != learnt {
                return Err(format!(
                    "mislabelled digits, {}: wrong labels learnt: computed {}, but the book \
                     prints {learnt}; if the change is intended, update the book and this \
                     example together",
                    run.variant.name(),
                    run.learnt
                )
                .into());
            }
        }
        for (run, row) in clean_runs.iter().zip(BOOK_CLEAN) {
            run.check_book("correct labels", row)?;
        }
        println!("         every number of both tables is the one chapter 7 prints");
    }

    // One panel per network, on the same axes.
    let lowest = runs
        .iter()
        .flat_map(|r| r.train.iter().chain(&r.val))
        .fold(1.0f64, |lo, &a| lo.min(a));
    let y_range = ((10.0 * lowest).floor() / 10.0, 1.01);
    let curve = |values: &[f64]| -> Vec<(f64, f64)> {
        let points = values.iter().enumerate();
        points.map(|(e, &a)| ((e + 1) as f64, a)).collect()
    };
    let right = 1.0 - wrong as f64 / data.y_train.len() as f64;
    let charts: Vec<LineChart> = runs
        .iter()
        .zip(COLORS)
        .enumerate()
        .map(|(i, (run, color))| LineChart {
            title: format!("({}) {}", ['a', 'b', 'c', 'd'][i], run.variant.name()),
            x_label: if i >= 2 {
                "epoch".into()
            } else {
                String::new()
            },
            y_label: if i % 2 == 0 {
                "accuracy".into()
            } else {
                String::new()
            },
            series: vec![
                Series::new("training labels", curve(&run.train), color).dashed(),
                Series::new("validation", curve(&run.val), color),
                Series::new(
                    format!("{:.0} %: the right training labels", 100.0 * right),
                    vec![(1.0, right), (epochs as f64, right)],
                    RGBColor(150, 150, 150),
                )
                .dashed(),
            ],
            legend: SeriesLabelPosition::LowerRight,
            y_range: Some(y_range),
        })
        .collect();
    let path = options.figure("07_overfitting.svg")?;
    common::save_grid(
        &path,
        (1000, 760),
        (2, 2),
        &format!(
            "300 digits, {wrong} of them mislabelled: training (dashed) and validation (solid) accuracy"
        ),
        &charts,
    )?;
    println!("wrote {}", path.display());
    Ok(())
}
