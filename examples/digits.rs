//! The capstone: a real classifier trained on real data, in a few seconds.
//!
//! The bundled handwritten digits (1797 images of 8×8 pixels, UCI / Alpaydin
//! and Kaynak) are split, per digit, into 60 % for training, 20 % for
//! validation and 20 % for the final test; the pixels are standardised with
//! the training split's statistics. The model is the lecture's recipe
//! (chapter 7): 64 → 256 → 256 → 10 with batch normalisation and ReLU
//! between the layers, dropout 0.2, He initialisation, Adam with a cosine
//! learning-rate decay, trained by the `Trainer` of chapter 8 with early
//! stopping on the validation loss (patience 10, best weights restored).
//!
//! The example prints one line per epoch (with a progress bar on a
//! terminal), the test accuracy and the confusion matrix; writes the loss
//! and accuracy curves (`digits_curves.svg`) and the trained model as a
//! safetensors checkpoint (`digits.safetensors`) into the output folder;
//! then loads the checkpoint into a freshly built network and checks that
//! its predictions are identical. It checks a test accuracy of at least
//! 97 % (95 % with `--quick`, which trains at most 15 epochs).
//!
//! ```text
//! cargo run --release --example digits                # ≈ 1 s of training
//! cargo run --release --example digits -- --quick
//! cargo run --release --example digits -- --out DIR   # where the figure and the checkpoint go
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::{COLORS, LineChart, Options, Series};
use gradschool::optim::Cosine;
use gradschool::prelude::*;
use gradschool::regularize::Recipe;
use gradschool::train::{self, ConfusionMatrix, Progress, Standardizer, Trainer, checkpoint};
use plotters::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

fn example(options: &Options) -> common::Result {
    let (epochs, target) = if options.quick {
        (15, 0.95)
    } else {
        (60, 0.97)
    };
    let mut rng = StdRng::seed_from_u64(0);

    // ANCHOR: data
    let digits = train::digits();
    let parts = digits.split(&[0.6, 0.2, 0.2], &mut rng); // stratified, seeded
    let scaler = Standardizer::fit(parts[0].features()); // training statistics only
    let [train_set, val_set, test_set] =
        [&parts[0], &parts[1], &parts[2]].map(|p| p.with_features(scaler.transform(p.features())));
    // ANCHOR_END: data
    println!(
        "digits: {} training, {} validation, {} test images of 8×8 pixels",
        train_set.len(),
        val_set.len(),
        test_set.len()
    );

    // ANCHOR: model
    let recipe = Recipe::new(&[64, 256, 256, 10]).dropout(0.2);
    let mut model: Sequential = recipe.build(&mut rng);
    let lr = 0.003;
    let mut opt = recipe.optimizer(lr); // Adam
    let trainer = Trainer::new(epochs)
        .batch_size(32)
        .schedule(Cosine {
            initial: lr,
            min: lr / 100.0,
            total: epochs,
        })
        .patience(10) // early stopping on the validation loss
        .seed(1)
        .progress(Progress::Auto);
    let start = Instant::now();
    let history = trainer.fit(&mut model, &mut opt, &train_set, Some(&val_set))?;
    let seconds = start.elapsed().as_secs_f64();
    // ANCHOR_END: model

    // ANCHOR: test
    let predicted = train::predict(&model, test_set.features()); // the model is in eval mode
    let labels = test_set.labels().expect("a classification set");
    let confusion = ConfusionMatrix::new(&predicted, labels, 10);
    // ANCHOR_END: test
    let accuracy = confusion.accuracy();
    let best = history.best().expect("at least one epoch");
    println!(
        "\ntrained {} epochs in {seconds:.2} s{}; weights of epoch {} (validation accuracy {:.1} %)",
        history.epochs.len(),
        if history.stopped_early {
            " (stopped early)"
        } else {
            ""
        },
        history.best_epoch,
        100.0 * best.val_accuracy.unwrap_or(0.0)
    );
    println!(
        "test accuracy: {:.2} % ({} of {})\n",
        100.0 * accuracy,
        (accuracy * labels.len() as f64).round(),
        labels.len()
    );
    print!("{confusion}");
    if let Some((truth, guess, count)) = confusion.worst_confusion() {
        println!("most frequent confusion: {count} × a {truth} taken for a {guess}");
    }

    // The checkpoint, reloaded into a network with other random weights.
    let path = options.figure("digits.safetensors")?;
    checkpoint::save_with_metadata(
        &model,
        &path,
        &[
            ("data", "digits 8x8"),
            ("test_accuracy", &format!("{accuracy:.4}")),
        ],
    )?;
    let mut reloaded: Sequential = recipe.build(&mut StdRng::seed_from_u64(99));
    checkpoint::load(&mut reloaded, &path)?;
    reloaded.eval();
    let g = Graph::inference();
    let logits = model.forward(g.input(test_set.features().clone())).value();
    let again = reloaded
        .forward(g.input(test_set.features().clone()))
        .value();
    if logits != again {
        return Err("the reloaded checkpoint does not reproduce the model's outputs".into());
    }
    println!(
        "\nwrote {} and reloaded it: identical outputs on all {} test images",
        path.display(),
        labels.len()
    );

    if accuracy < target {
        return Err(format!(
            "test accuracy {:.2} % is below the {:.0} % the README promises",
            100.0 * accuracy,
            100.0 * target
        )
        .into());
    }
    println!("checked: test accuracy ≥ {:.0} %", 100.0 * target);

    let curve = |f: &dyn Fn(&train::EpochRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .epochs
            .iter()
            .filter_map(|e| f(e).map(|v| (e.epoch as f64, v)))
            .collect()
    };
    let loss = LineChart {
        title: "loss".into(),
        x_label: "epoch".into(),
        y_label: "cross-entropy".into(),
        series: vec![
            Series::new(
                "training (during the epoch)",
                curve(&|e| Some(e.train_loss)),
                COLORS[0],
            )
            .dashed(),
            Series::new("validation", curve(&|e| e.val_loss), COLORS[1]),
        ],
        legend: SeriesLabelPosition::UpperRight,
        y_range: None,
    };
    let accuracy_chart = LineChart {
        title: "accuracy".into(),
        x_label: "epoch".into(),
        y_label: "fraction correct".into(),
        series: vec![
            Series::new(
                "training (during the epoch)",
                curve(&|e| e.train_accuracy),
                COLORS[0],
            )
            .dashed(),
            Series::new("validation", curve(&|e| e.val_accuracy), COLORS[1]),
        ],
        legend: SeriesLabelPosition::LowerRight,
        y_range: None,
    };
    let figure = options.figure("digits_curves.svg")?;
    common::save_panels(&figure, (1000, 420), &[loss, accuracy_chart])?;
    println!("wrote {}", figure.display());
    Ok(())
}
