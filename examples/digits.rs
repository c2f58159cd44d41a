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
//! and accuracy curves (`digits_curves.svg`), the confusion matrix as a heat
//! map (`digits_confusion.svg`) and the trained model as a
//! safetensors checkpoint (`digits.safetensors`) into the output folder;
//! then loads the checkpoint into a freshly built network and checks that
//! its predictions are identical. It checks a test accuracy of at least
//! 97 % (95 % with `--quick`, which trains at most 15 epochs). The full run
//! also checks the numbers chapter 8 quotes from its output.
//!
//! ```text
//! cargo run --release --example digits                # ≈ 1 s of training
//! cargo run --release --example digits -- --quick
//! cargo run --release --example digits -- --out DIR   # where the figure and the checkpoint go
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use common::Options;
use gradschool::optim::Cosine;
use gradschool::prelude::*;
use gradschool::regularize::Recipe;
use gradschool::train::{self, ConfusionMatrix, Progress, Standardizer, Trainer, plot};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn main() -> ExitCode {
    common::run(example)
}

/// The full run's numbers as chapter 8 quotes them: the sizes of the
/// training, validation and test splits.
const BOOK_SIZES: [usize; 3] = [1078, 362, 357];
/// The epoch lines quoted: epoch, training loss and accuracy (%),
/// validation loss and accuracy (%), learning rate × 1000.
const BOOK_EPOCHS: [(usize, f64, f64, f64, f64, f64); 3] = [
    (1, 0.7912, 75.1, 0.2198, 94.2, 3.000),
    (7, 0.0436, 98.8, 0.1123, 97.5, 2.927),
    (17, 0.0149, 99.7, 0.1447, 97.2, 2.509),
];
/// The epochs run (the run stops early), the epoch whose weights the model
/// keeps, the test images classified correctly, and the test accuracy (%).
const BOOK_RUN: (usize, usize, usize, f64) = (17, 7, 349, 97.76);
/// The confusion matrix on the test split, as printed.
const BOOK_CONFUSION: &[&str] = &[
    "true\\pred   0   1   2   3   4   5   6   7   8   9   precision  recall",
    "        0  34   0   0   0   1   0   0   0   0   0      100.0 %   97.1 %",
    "        1   0  36   0   0   0   0   0   0   0   0       94.7 %  100.0 %",
    "        2   0   1  33   1   0   0   0   0   0   0      100.0 %   94.3 %",
    "        3   0   0   0  36   0   0   0   0   0   0       94.7 %  100.0 %",
    "        4   0   0   0   0  36   0   0   0   0   0       97.3 %  100.0 %",
    "        5   0   0   0   0   0  36   0   0   0   0      100.0 %  100.0 %",
    "        6   0   0   0   0   0   0  36   0   0   0       94.7 %  100.0 %",
    "        7   0   0   0   0   0   0   0  36   0   0      100.0 %  100.0 %",
    "        8   0   0   0   0   0   0   2   0  33   0       97.1 %   94.3 %",
    "        9   0   1   0   1   0   0   0   0   1  33      100.0 %   91.7 %",
];

/// Checks the full run's numbers against the ones chapter 8 quotes.
fn check_quoted(
    sizes: [usize; 3],
    history: &train::History,
    confusion: &ConfusionMatrix,
) -> common::Result {
    let mismatch = |what: &str, computed: String, book: String| -> common::Result {
        if computed == book {
            Ok(())
        } else {
            Err(format!(
                "{what}: computed\n{computed}\nbut the book prints\n{book}\n\
                 if the change is intended, update the book and this example together"
            )
            .into())
        }
    };
    mismatch(
        "the split sizes",
        format!("{sizes:?}"),
        format!("{BOOK_SIZES:?}"),
    )?;
    for (epoch, loss, acc, val_loss, val_acc, lr) in BOOK_EPOCHS {
        let e = history
            .epochs
            .get(epoch - 1)
            .ok_or(format!("the run has no epoch {epoch}"))?;
        let what = |name: &str| format!("epoch {epoch}: {name}");
        common::check_book(&what("training loss"), e.train_loss, loss, 4)?;
        let train_acc = 100.0 * e.train_accuracy.unwrap_or(f64::NAN);
        common::check_book(&what("training accuracy"), train_acc, acc, 1)?;
        let v_loss = e.val_loss.unwrap_or(f64::NAN);
        common::check_book(&what("validation loss"), v_loss, val_loss, 4)?;
        let v_acc = 100.0 * e.val_accuracy.unwrap_or(f64::NAN);
        common::check_book(&what("validation accuracy"), v_acc, val_acc, 1)?;
        common::check_book(&what("learning rate × 1000"), 1e3 * e.lr, lr, 3)?;
    }
    let (epochs, best_epoch, correct, accuracy) = BOOK_RUN;
    let run = (
        history.epochs.len(),
        history.best_epoch,
        history.stopped_early,
        (0..10).map(|k| confusion.count(k, k)).sum::<usize>(),
    );
    mismatch(
        "epochs run, best epoch, stopped early, test images right",
        format!("{run:?}"),
        format!("{:?}", (epochs, best_epoch, true, correct)),
    )?;
    common::check_book("test accuracy", 100.0 * confusion.accuracy(), accuracy, 2)?;
    mismatch(
        "the confusion matrix",
        confusion.to_string(),
        BOOK_CONFUSION
            .iter()
            .map(|line| format!("{line}\n"))
            .collect(),
    )?;
    println!("checked: the numbers chapter 8 quotes");
    Ok(())
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
    let accuracy_text = format!("{accuracy:.4}");
    common::save_and_reload(
        &model,
        recipe.build(&mut StdRng::seed_from_u64(99)),
        &options.figure("digits.safetensors")?,
        &[("data", "digits 8x8"), ("test_accuracy", &accuracy_text)],
        test_set.features(),
    )?;

    if accuracy < target {
        return Err(format!(
            "test accuracy {:.2} % is below the {:.0} % the README promises",
            100.0 * accuracy,
            100.0 * target
        )
        .into());
    }
    println!("checked: test accuracy ≥ {:.0} %", 100.0 * target);
    if !options.quick {
        let sizes = [train_set.len(), val_set.len(), test_set.len()];
        check_quoted(sizes, &history, &confusion)?;
    }

    let figure = options.figure("digits_curves.svg")?;
    plot::save_history(&history, &figure, (1000, 420))?;
    println!("wrote {}", figure.display());
    let figure = options.figure("digits_confusion.svg")?;
    plot::save_confusion(
        &confusion,
        "test set: true class against predicted class",
        &figure,
        (520, 520),
    )?;
    println!("wrote {}", figure.display());
    Ok(())
}
