//! Batch normalisation rescues a network that cannot train. A deep tanh MLP
//! (64 pixels in, 8 hidden layers of 128 units, 10 digits out) starts from
//! a poor initialisation, every weight drawn from N(0, 1): chapter 5's
//! experiment showed that this saturates almost every tanh unit (each sums
//! 128 inputs, so its input has a standard deviation of about 11). Each
//! layer then passes on little more than the signs of its inputs, and the
//! gradients, far from vanishing, grow on their way back to the first layer
//! (chapter 5's erratum). Two copies of it, with the same weights,
//! learn the bundled digits (1000 training images, 100 of each digit; the
//! other 797 for validation) by SGD on the same mini-batches of 32 at the
//! same learning rate, 0.1: one plain, one with batch normalisation between
//! each hidden `Linear` and its tanh. Batch norm rescales every unit's
//! input to mean 0 and variance 1 (then by a learned γ and β) whatever the
//! weights, so its tanh units start in their steep middle.
//!
//! Before training and after every epoch the example measures, in
//! evaluation mode, the cross-entropy and the accuracy on the training set
//! and the validation accuracy. (Before training, batch norm's running
//! statistics are still mean 0 and variance 1, so in evaluation mode the
//! two networks are the same function: they start from the same loss.) A
//! run whose loss stops being a number is stopped there and reported as
//! diverged, and its curve ends there. It prints, for each network, the
//! loss before training, the lowest and the final loss and the final
//! accuracies; the loss and the validation accuracy after epochs 1, 5, 10
//! and 30; and the epoch from which batch norm's loss stays below 0.1.
//!
//! The trouble is the start, not the learning rate: the example also trains
//! the plain network at lr 0.01 and 0.001, on the same batches. It checks
//! that the plain network does not train at 0.1 — its loss never gets
//! below 2 (chance is ln 10 ≈ 2.30) and it is right on at most 20 % of the
//! training images, or it diverges — nor at the lower rates (at most 30 %
//! of the training images); that the batch-normalised one gets the
//! training loss below 0.1 and the training accuracy to 95 %; and, in a
//! full run, that every number it prints (but the times) is the one
//! chapter 7 prints (`BOOK`, `BOOK_MARKS`, `BOOK_BELOW_FROM`). It draws
//! both loss curves at lr 0.1 (logarithmic axis) and both validation
//! accuracies.
//!
//! With `--quick` it trains for 10 epochs instead of 30 and checks the same
//! claims, but not the book's numbers.
//!
//! ```text
//! cargo run --release --example 07_batchnorm               # writes target/figures/07_batchnorm.svg
//! cargo run --release --example 07_batchnorm -- --quick
//! cargo run --release --example 07_batchnorm -- --out DIR
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{COLORS, LineChart, Options, Series};
use gradschool::layers::Activation;
use gradschool::prelude::*;
use plotters::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

fn main() -> ExitCode {
    common::run(example)
}

/// Units per hidden layer.
const WIDTH: usize = 128;
/// Hidden layers.
const DEPTH: usize = 8;
/// The standard deviation of the initial weights: 1, about 11 times
/// LeCun's 1/√128.
const STD: f32 = 1.0;
/// Training images of each digit.
const PER_CLASS: usize = 100;
/// Images per mini-batch.
const BATCH: usize = 32;
/// SGD's learning rate, the same for both networks.
const LR: f64 = 0.1;
/// Lower learning rates at which the plain network is trained too: the
/// trouble is its start, not the rate.
const LOWER_LRS: [f64; 2] = [0.01, 0.001];
/// At the lower rates the plain network stays at most this right on the
/// training images.
const LOWER_ACCURACY: f64 = 0.3;
/// The epochs after which the loss and the validation accuracy are printed
/// (those up to the run's last).
const MARKS: [usize; 4] = [1, 5, 10, 30];

/// The full run's table as chapter 7 prints it, row by row (plain and
/// batch norm at lr 0.1, then plain at 0.01 and 0.001): the loss before
/// training, the lowest and the final loss, the final training and
/// validation accuracy (%). None of the four diverges.
const BOOK: [(f64, f64, f64, f64, f64); 4] = [
    (16.139, 2.5571, 4.1884, 10.0, 10.4),
    (16.139, 0.0007, 0.0007, 100.0, 95.4),
    (16.139, 2.3031, 2.3157, 10.2, 10.5),
    (16.139, 3.0017, 3.1434, 16.7, 17.1),
];

/// The training loss and the validation accuracy (%) after the epochs of
/// [`MARKS`], as chapter 7 prints them: plain, then batch norm.
const BOOK_MARKS: [([f64; 4], [f64; 4]); 2] = [
    ([3.3196, 3.1055, 4.1431, 4.1884], [10.3, 9.3, 10.4, 10.4]),
    ([0.7400, 0.0357, 0.0121, 0.0007], [77.2, 91.7, 92.6, 95.4]),
];

/// The epoch from which the batch-normalised network's training loss stays
/// below 0.1, as chapter 7 prints it.
const BOOK_BELOW_FROM: usize = 4;
/// The plain network "does not train": its loss never gets below this...
const STALLED_LOSS: f64 = 2.0;
/// ... and its training accuracy stays at most this.
const STALLED_ACCURACY: f64 = 0.2;
/// The batch-normalised network trains: its final loss is below this...
const TRAINED_LOSS: f64 = 0.1;
/// ... and its training accuracy at least this.
const TRAINED_ACCURACY: f64 = 0.95;

// ANCHOR: network
/// The deep tanh network, every weight drawn from N(0, 1) (from the same
/// seed, so both networks start with the same weights) and every bias 0,
/// with batch normalisation before each tanh if `batch_norm`.
fn network(batch_norm: bool) -> Sequential {
    let mut rng = StdRng::seed_from_u64(1);
    let mut sizes = vec![64];
    sizes.extend([WIDTH; DEPTH]);
    sizes.push(10);
    let mut net = Sequential::new();
    for (i, pair) in sizes.windows(2).enumerate() {
        let (fan_in, fan_out) = (pair[0], pair[1]);
        let w = gradschool::init::normal([fan_in, fan_out], 0.0, STD, &mut rng);
        net.push(Linear::from_tensors(w, Some(Tensor::zeros([fan_out]))));
        if i < DEPTH {
            if batch_norm {
                net.push(BatchNorm1d::new(fan_out));
            }
            net.push(Activation::Tanh);
        }
    }
    net
}
// ANCHOR_END: network

/// One network's run: the training-set loss and accuracy and the
/// validation accuracy before training and after every epoch (fewer if it
/// diverged), and where it diverged.
struct Run {
    name: String,
    loss: Vec<f64>,
    train: Vec<f64>,
    val: Vec<f64>,
    diverged: Option<(usize, usize)>,
    seconds: f64,
}

impl Run {
    /// The lowest training loss measured, before training included.
    fn lowest_loss(&self) -> f64 {
        self.loss.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The highest training accuracy measured.
    fn best_train(&self) -> f64 {
        self.train.iter().copied().fold(0.0, f64::max)
    }

    /// The last training loss measured.
    fn final_loss(&self) -> f64 {
        *self.loss.last().expect("measured before training")
    }

    /// The last training accuracy measured.
    fn final_train(&self) -> f64 {
        *self.train.last().expect("measured before training")
    }

    /// The last validation accuracy measured.
    fn final_val(&self) -> f64 {
        *self.val.last().expect("measured before training")
    }

    /// The first epoch after which the training loss stays below `level`
    /// to the end; `None` if it does not end below it.
    fn below_from(&self, level: f64) -> Option<usize> {
        let above = self.loss.iter().rposition(|&l| l >= level);
        match above {
            None => Some(0),
            Some(i) if i + 1 < self.loss.len() => Some(i + 1),
            Some(_) => None,
        }
    }

    /// Prints its row of the table: the loss before training, the lowest
    /// and the last loss, the last training and validation accuracy.
    fn print_row(&self) {
        let end = match self.diverged {
            Some((epoch, step)) => {
                format!("   diverged: the loss is not finite at epoch {epoch}, step {step}")
            }
            None => String::new(),
        };
        println!(
            "{:<18} {:>10.3} {:>11.4} {:>9.4} {:>9.1} % {:>9.1} %   ({:.1} s){end}",
            self.name,
            self.loss[0],
            self.lowest_loss(),
            self.final_loss(),
            100.0 * self.final_train(),
            100.0 * self.final_val(),
            self.seconds
        );
    }
}

/// Prints the header of the table [`Run::print_row`] fills.
fn print_header() {
    println!(
        "{:<18} {:>10} {:>11} {:>9} {:>11} {:>11}",
        "network", "loss at 0", "lowest loss", "final", "training", "validation"
    );
}

/// Checks `computed` against the `book`'s value for `what`, exactly (an
/// epoch, or whether the run diverged).
fn check_book_exact<T: PartialEq + std::fmt::Debug>(
    what: &str,
    computed: T,
    book: T,
) -> common::Result {
    if computed == book {
        Ok(())
    } else {
        Err(format!(
            "{what}: computed {computed:?}, but the book prints {book:?}; if the change is \
             intended, update the book and this example together"
        )
        .into())
    }
}

/// The training and validation images `[n, 64]` and their labels.
struct Data {
    x_train: Tensor,
    y_train: Vec<usize>,
    x_val: Tensor,
    y_val: Vec<usize>,
}

// ANCHOR: train
/// Trains a fresh network for `epochs` epochs of SGD on mini-batches (the
/// same shuffles for both), measuring it in evaluation mode before training
/// and after every epoch. Stops at the first mini-batch whose loss is not
/// finite.
fn train(name: String, batch_norm: bool, lr: f64, data: &Data, epochs: usize) -> Run {
    let start = Instant::now();
    let mut model = network(batch_norm);
    let mut opt = Sgd::new(lr);
    let mut shuffle = StdRng::seed_from_u64(2);
    let mut order: Vec<usize> = (0..data.y_train.len()).collect();
    let mut run = Run {
        name,
        loss: Vec::new(),
        train: Vec::new(),
        val: Vec::new(),
        diverged: None,
        seconds: 0.0,
    };
    let measure = |model: &mut Sequential, run: &mut Run| {
        model.eval(); // batch norm: the running statistics
        let g = Graph::inference();
        let logits = model.forward(g.input(data.x_train.clone()));
        run.train.push(common::accuracy(
            &logits.value().argmax_axis(1),
            &data.y_train,
        ));
        run.loss
            .push(losses::cross_entropy(logits, &data.y_train).item() as f64);
        let predicted = model
            .forward(g.input(data.x_val.clone()))
            .value()
            .argmax_axis(1);
        run.val.push(common::accuracy(&predicted, &data.y_val));
        model.train();
    };
    measure(&mut model, &mut run);
    let g = Graph::new();
    'epochs: for epoch in 1..=epochs {
        order.shuffle(&mut shuffle);
        for (step, batch) in order.chunks(BATCH).enumerate() {
            let xb = data.x_train.select_rows(batch);
            let yb: Vec<usize> = batch.iter().map(|&i| data.y_train[i]).collect();
            let loss = losses::cross_entropy(model.forward(g.input(xb)), &yb);
            if !loss.item().is_finite() {
                run.diverged = Some((epoch, step + 1));
                break 'epochs;
            }
            let grads = loss.backward();
            opt.step(&mut model, &grads);
        }
        measure(&mut model, &mut run);
    }
    run.seconds = start.elapsed().as_secs_f64();
    run
}
// ANCHOR_END: train

fn example(options: &Options) -> common::Result {
    let epochs = if options.quick { 10 } else { 30 };
    let (x, y) = common::digits()?;
    let (train_rows, val_rows) =
        common::stratified_split(&y, PER_CLASS, &mut StdRng::seed_from_u64(0));
    let data = Data {
        x_train: x.select_rows(&train_rows),
        y_train: train_rows.iter().map(|&i| y[i]).collect(),
        x_val: x.select_rows(&val_rows),
        y_val: val_rows.iter().map(|&i| y[i]).collect(),
    };
    println!(
        "64-{WIDTH}×{DEPTH}-10 tanh MLP, weights N(0, 1), on {} training digits ({} for \
         validation); SGD lr {LR}, batches of {BATCH}, {epochs} epochs\n",
        data.y_train.len(),
        data.y_val.len()
    );
    print_header();
    let mut runs = Vec::new();
    for (name, batch_norm) in [("plain", false), ("batch norm", true)] {
        let run = train(name.into(), batch_norm, LR, &data, epochs);
        run.print_row();
        runs.push(run);
    }
    let marks: Vec<usize> = MARKS.into_iter().filter(|&e| e <= epochs).collect();
    let columns: Vec<String> = marks.iter().map(|e| format!("{e:>8}")).collect();
    println!("\n{:<29}{}", "after epoch", columns.join(""));
    for run in &runs {
        let at = |values: &[f64], e: usize| values.get(e).copied().unwrap_or(f64::NAN);
        let losses: Vec<String> = marks
            .iter()
            .map(|&e| format!("{:>8.4}", at(&run.loss, e)))
            .collect();
        let accuracies: Vec<String> = marks
            .iter()
            .map(|&e| format!("{:>6.1} %", 100.0 * at(&run.val, e)))
            .collect();
        println!(
            "{:<12} {:<16}{}",
            run.name,
            "training loss",
            losses.join("")
        );
        println!("{:<12} {:<16}{}", "", "validation", accuracies.join(""));
    }
    let bn_below = runs[1].below_from(TRAINED_LOSS);
    match bn_below {
        Some(epoch) => println!(
            "batch norm: the training loss is below {TRAINED_LOSS} from epoch {epoch} to the end"
        ),
        None => println!("batch norm: the training loss does not end below {TRAINED_LOSS}"),
    }
    println!("\nthe plain network at lower learning rates:\n");
    print_header();
    let mut lower = Vec::new();
    for lr in LOWER_LRS {
        let run = train(format!("plain, lr {lr}"), false, lr, &data, epochs);
        run.print_row();
        lower.push(run);
    }

    let (plain, bn) = (&runs[0], &runs[1]);
    let mut failed = Vec::new();
    let stalled = plain.lowest_loss() >= STALLED_LOSS && plain.best_train() <= STALLED_ACCURACY;
    if !(stalled || plain.diverged.is_some()) {
        failed.push(format!(
            "the plain network trained: its loss got down to {:.3} and its training accuracy up \
             to {:.1} %",
            plain.lowest_loss(),
            100.0 * plain.best_train()
        ));
    }
    let (bn_loss, bn_train) = (bn.final_loss(), bn.final_train());
    if bn.diverged.is_some() || bn_loss >= TRAINED_LOSS || bn_train < TRAINED_ACCURACY {
        failed.push(format!(
            "the batch-normalised network did not train: final loss {bn_loss:.4}, training \
             accuracy {:.1} %{}",
            100.0 * bn_train,
            if bn.diverged.is_some() {
                ", diverged"
            } else {
                ""
            }
        ));
    }
    for run in &lower {
        if run.best_train() > LOWER_ACCURACY {
            failed.push(format!(
                "{}: the plain network got to {:.1} % on the training digits, more than {:.0} %",
                run.name,
                100.0 * run.best_train(),
                100.0 * LOWER_ACCURACY
            ));
        }
    }
    if !failed.is_empty() {
        return Err(failed.join("; ").into());
    }
    let plain_outcome = match plain.diverged {
        Some((epoch, step)) => format!("diverges (epoch {epoch}, step {step})"),
        None => format!(
            "stalls: its loss never gets below {STALLED_LOSS} and it is right on at most {:.0} % \
             of the training digits",
            100.0 * STALLED_ACCURACY
        ),
    };
    let rates: Vec<String> = LOWER_LRS.iter().map(|lr| lr.to_string()).collect();
    println!(
        "\nchecked: at lr {LR} the plain network {plain_outcome};\n\
         \x20        with batch norm the same network gets the training loss below {TRAINED_LOSS} \
         and the training accuracy to {:.0} % or more;\n\
         \x20        at lr {} the plain network is right on at most {:.0} % of the training digits",
        100.0 * TRAINED_ACCURACY,
        rates.join(" and "),
        100.0 * LOWER_ACCURACY
    );

    if !options.quick {
        let table = runs.iter().chain(&lower).zip(BOOK);
        for (run, (loss0, lowest, last, train, val)) in table {
            let name = &run.name;
            check_book_exact(&format!("{name}: diverged"), run.diverged, None)?;
            common::check_book(&format!("{name}: loss at 0"), run.loss[0], loss0, 3)?;
            common::check_book(
                &format!("{name}: lowest loss"),
                run.lowest_loss(),
                lowest,
                4,
            )?;
            common::check_book(&format!("{name}: final loss"), run.final_loss(), last, 4)?;
            let (computed_train, computed_val) =
                (100.0 * run.final_train(), 100.0 * run.final_val());
            common::check_book(
                &format!("{name}: training accuracy"),
                computed_train,
                train,
                1,
            )?;
            common::check_book(
                &format!("{name}: validation accuracy"),
                computed_val,
                val,
                1,
            )?;
        }
        for (run, (losses, accuracies)) in runs.iter().zip(BOOK_MARKS) {
            for ((&e, loss), accuracy) in marks.iter().zip(losses).zip(accuracies) {
                let name = format!("{}, after epoch {e}", run.name);
                common::check_book(&format!("{name}: training loss"), run.loss[e], loss, 4)?;
                let computed = 100.0 * run.val[e];
                common::check_book(
                    &format!("{name}: validation accuracy"),
                    computed,
                    accuracy,
                    1,
                )?;
            }
        }
        check_book_exact(
            "batch norm: first epoch of the training loss below 0.1 to the end",
            bn_below,
            Some(BOOK_BELOW_FROM),
        )?;
        println!("         every number printed above is the one chapter 7 prints");
    }

    let curve = |values: &[f64]| -> Vec<(f64, f64)> {
        let points = values.iter().enumerate();
        points.map(|(e, &v)| (e as f64, v)).collect()
    };
    let label = |run: &Run| match run.diverged {
        Some((epoch, _)) => format!("{} (diverged in epoch {epoch})", run.name),
        None => run.name.clone(),
    };
    let chance = std::f64::consts::LN_10;
    let mut loss_series: Vec<Series> = runs
        .iter()
        .zip(COLORS)
        .map(|(run, color)| Series::new(label(run), curve(&run.loss), color))
        .collect();
    loss_series.push(
        Series::new(
            "ln 10: a uniform guess",
            vec![(0.0, chance), (epochs as f64, chance)],
            RGBColor(150, 150, 150),
        )
        .dashed(),
    );
    let loss = LineChart {
        title: "training loss".into(),
        x_label: "epoch".into(),
        y_label: "cross-entropy on the training set".into(),
        series: loss_series,
        legend: SeriesLabelPosition::LowerLeft,
        y_range: None,
    };
    let accuracy = LineChart {
        title: "validation accuracy".into(),
        x_label: "epoch".into(),
        y_label: "accuracy".into(),
        series: runs
            .iter()
            .zip(COLORS)
            .map(|(run, color)| Series::new(label(run), curve(&run.val), color))
            .collect(),
        legend: SeriesLabelPosition::MiddleRight,
        y_range: Some((0.0, 1.0)),
    };
    let path = options.figure("07_batchnorm.svg")?;
    // Side by side, the loss on a logarithmic axis.
    let root = SVGBackend::new(&path, (1100, 440)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((1, 2));
    loss.draw_log_y(&panels[0])?;
    accuracy.draw(&panels[1])?;
    root.present()?;
    println!("wrote {}", path.display());
    Ok(())
}
