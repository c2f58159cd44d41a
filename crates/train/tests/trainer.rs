//! The training loop: the sanity checks every practitioner runs, early
//! stopping, reproducibility, the NaN guard, metrics and the data checks.

use layers::{Mlp, Module, Sequential};
use optim::{Adam, Optimizer, Sgd, StepDecay};
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::{Penalty, Recipe};
use train::{ConfusionMatrix, Dataset, Progress, TrainError, Trainer, evaluate, synthetic};

fn digits_split() -> (Dataset, Dataset) {
    let parts = train::digits().split(&[0.7, 0.3], &mut StdRng::seed_from_u64(0));
    (parts[0].clone(), parts[1].clone())
}

/// Before training, a classifier's logits are small and its softmax close
/// to uniform, so its cross-entropy is close to ln C: ln 10 ≈ 2.303 for the
/// digits. A value far from it points at a bug in the data or the loss.
#[test]
fn an_untrained_classifier_starts_near_ln_of_the_number_of_classes() {
    let (train, _) = digits_split();
    let mut model: Sequential = Mlp::new(&[64, 64, 10]).build(&mut StdRng::seed_from_u64(1));
    model.eval();
    let (loss, accuracy) = evaluate(&model, &train);
    let ln10 = 10f64.ln();
    assert!(
        (loss - ln10).abs() < 0.1,
        "initial loss {loss}, ln 10 = {ln10}"
    );
    assert!(accuracy.unwrap() < 0.25, "untrained accuracy {accuracy:?}");
}

/// The second sanity check: a network that can learn anything can learn 20
/// samples by heart. If the loss on such a tiny set does not go to almost
/// zero, the loop is broken.
#[test]
fn a_small_network_drives_the_loss_on_20_samples_to_almost_zero() {
    let (train, _) = digits_split();
    let tiny = train.select(&(0..20).collect::<Vec<_>>());
    let mut model: Sequential = Mlp::new(&[64, 64, 10]).build(&mut StdRng::seed_from_u64(2));
    let history = Trainer::new(200)
        .batch_size(20)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut Adam::new(0.01), &tiny, None)
        .unwrap();
    let (loss, accuracy) = evaluate(&model, &tiny);
    assert!(loss < 1e-2, "loss on 20 samples {loss}");
    assert_eq!(accuracy, Some(1.0));
    assert_eq!(history.epochs.len(), 200);
    assert!(!history.stopped_early);
}

#[test]
fn a_run_is_reproducible_bit_for_bit_and_the_seed_matters() {
    let (train, val) = digits_split();
    let run = |seed: u64| {
        let recipe = Recipe::new(&[64, 32, 10]).dropout(0.2);
        let mut model: Sequential = recipe.build(&mut StdRng::seed_from_u64(3));
        let history = Trainer::new(3)
            .seed(seed)
            .progress(Progress::Quiet)
            .fit(&mut model, &mut recipe.optimizer(0.01), &train, Some(&val))
            .unwrap();
        let params: Vec<Vec<u32>> = model
            .params()
            .iter()
            .map(|p| p.value().to_vec().iter().map(|v| v.to_bits()).collect())
            .collect();
        (
            history
                .epochs
                .iter()
                .map(|e| e.train_loss)
                .collect::<Vec<_>>(),
            params,
        )
    };
    let (a, b, c) = (run(7), run(7), run(8));
    assert_eq!(a, b);
    assert_ne!(a.0, c.0);
}

#[test]
fn early_stopping_restores_the_weights_of_the_best_epoch() {
    // A large network on 100 digits overfits: the validation loss turns up.
    let (train, val) = digits_split();
    let small = train.select(&(0..100).collect::<Vec<_>>());
    let mut model: Sequential = Mlp::new(&[64, 256, 10]).build(&mut StdRng::seed_from_u64(4));
    let history = Trainer::new(300)
        .batch_size(10)
        .patience(5)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut Adam::new(0.01), &small, Some(&val))
        .unwrap();
    assert!(history.stopped_early, "{} epochs", history.epochs.len());
    let best = history.best().unwrap();
    let lowest = history
        .epochs
        .iter()
        .map(|e| e.val_loss.unwrap())
        .fold(f64::INFINITY, f64::min);
    assert_eq!(best.val_loss.unwrap(), lowest);
    assert_eq!(history.epochs.len(), history.best_epoch + 5);
    // The model holds the best epoch's weights: its validation loss is that epoch's.
    let (loss, accuracy) = evaluate(&model, &val);
    approx::assert_relative_eq!(loss, lowest, max_relative = 1e-6);
    assert_eq!(accuracy, best.val_accuracy);
}

#[test]
fn early_stopping_also_restores_buffers() {
    let (train, val) = digits_split();
    let small = train.select(&(0..100).collect::<Vec<_>>());
    let recipe = Recipe::new(&[64, 128, 10]);
    let mut model: Sequential = recipe.build(&mut StdRng::seed_from_u64(5));
    let history = Trainer::new(200)
        .batch_size(10)
        .patience(3)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut recipe.optimizer(0.01), &small, Some(&val))
        .unwrap();
    assert!(history.stopped_early);
    let (loss, _) = evaluate(&model, &val); // eval mode: uses the running statistics
    approx::assert_relative_eq!(
        loss,
        history.best().unwrap().val_loss.unwrap(),
        max_relative = 1e-6
    );
}

#[test]
fn a_loss_that_explodes_stops_the_run_naming_epoch_and_step() {
    // Regression with a learning rate far too high: every step overshoots
    // further, and the squared error overflows f32 within a few epochs.
    let data = synthetic::noisy_sine(200, 0.05, &mut StdRng::seed_from_u64(0));
    let mut model: Sequential = Mlp::new(&[1, 32, 1]).build(&mut StdRng::seed_from_u64(6));
    let error = Trainer::new(50)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut Sgd::new(10.0), &data, None)
        .unwrap_err();
    let TrainError::NonFinite { epoch, step, loss } = error.clone() else {
        panic!("expected NonFinite, got {error:?}");
    };
    assert!(!loss.is_finite());
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "the loss became {loss} at epoch {epoch}, step {step}."
        )),
        "{message}"
    );
    assert!(message.contains("learning rate too high"));
}

#[test]
fn schedules_and_penalties_reach_the_loop() {
    let (train, _) = digits_split();
    let mut model: Sequential = Mlp::new(&[64, 16, 10]).build(&mut StdRng::seed_from_u64(7));
    let mut opt = Sgd::new(0.1);
    let history = Trainer::new(4)
        .schedule(StepDecay {
            initial: 0.1,
            every: 2,
            gamma: 0.5,
        })
        .penalty(Penalty::l2(), 1e-3)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut opt, &train, None)
        .unwrap();
    let rates: Vec<f64> = history.epochs.iter().map(|e| e.lr).collect();
    assert_eq!(rates, [0.1, 0.1, 0.05, 0.05]);
    assert_eq!(opt.learning_rate(), 0.05);
}

#[test]
fn regression_trains_with_mse() {
    let data = synthetic::noisy_sine(200, 0.05, &mut StdRng::seed_from_u64(0));
    let mut model: Sequential = Mlp::new(&[1, 32, 1])
        .activation(layers::Activation::Tanh)
        .build(&mut StdRng::seed_from_u64(8));
    let history = Trainer::new(300)
        .batch_size(20)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut Adam::new(0.01), &data, None)
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.train_accuracy, None);
    let (mse, accuracy) = evaluate(&model, &data);
    assert!(mse < 0.01, "mse {mse}"); // the noise alone is 0.0025
    assert_eq!(accuracy, None);
}

#[test]
fn bad_data_is_an_error_not_a_panic() {
    let (train, val) = digits_split();
    let mut model: Sequential = Mlp::new(&[64, 10]).build(&mut StdRng::seed_from_u64(9));
    let empty = train.select(&[]);
    let t = Trainer::new(1).progress(Progress::Quiet);
    let e = t
        .fit(&mut model, &mut Sgd::new(0.1), &empty, None)
        .unwrap_err();
    assert_eq!(e.to_string(), "Trainer::fit: the training set is empty");
    let sine = synthetic::noisy_sine(10, 0.0, &mut StdRng::seed_from_u64(0));
    let e = t
        .fit(&mut model, &mut Sgd::new(0.1), &train, Some(&sine))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Trainer::fit: the validation set (10 samples of 1 features, values) does not match \
         the training set (64 features, classes)"
    );
    let e = Trainer::new(1)
        .patience(2)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut Sgd::new(0.1), &train, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Trainer::fit: early stopping (patience) needs validation data"
    );
    let _ = val;
}

#[test]
fn confusion_matrix_agrees_with_accuracy_precision_and_recall() {
    let labels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
    let predicted = [0, 0, 1, 1, 1, 2, 2, 2, 0, 1];
    let m = ConfusionMatrix::new(&predicted, &labels, 3);
    assert_eq!(m.total(), 10);
    assert_eq!(m.accuracy(), train::accuracy(&predicted, &labels));
    assert_eq!(m.accuracy(), 0.7);
    assert_eq!((m.precision(0), m.recall(0)), (2.0 / 3.0, 2.0 / 3.0));
    assert_eq!((m.precision(1), m.recall(1)), (0.5, 1.0));
    assert_eq!((m.precision(2), m.recall(2)), (1.0, 0.6));
    assert_eq!(m.worst_confusion(), Some((0, 1, 1))); // ties: the first in row order
    assert_eq!(
        m.to_string(),
        "true\\pred   0   1   2   precision  recall\n\
         \x20       0   2   1   0       66.7 %   66.7 %\n\
         \x20       1   0   2   0       50.0 %  100.0 %\n\
         \x20       2   1   1   3      100.0 %   60.0 %\n"
    );
}
