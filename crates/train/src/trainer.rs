//! The training loop of the lecture — sample a batch, forward, loss,
//! backward, step — run for a number of epochs, with validation, a
//! learning-rate schedule, early stopping, a guard against NaN, and a log.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::time::Instant;

use autograd::Graph;
use layers::Module;
use optim::{Optimizer, Schedule};
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::Penalty;
use tensor::Tensor;

use crate::{Dataset, Targets, accuracy, batches};

/// How the loop reports its progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A bar that fills during each epoch when standard output is a
    /// terminal, and one line per epoch either way (CI and pipes get the
    /// lines only).
    Auto,
    /// One line per epoch.
    Lines,
    /// Nothing.
    Quiet,
}

/// What happened in one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochRecord {
    /// The epoch, from 1.
    pub epoch: usize,
    /// The mean loss of the epoch's training batches (measured in training
    /// mode, as the batches were trained: with dropout, and before each
    /// step), without the penalty.
    pub train_loss: f64,
    /// The fraction of the epoch's training samples classified correctly
    /// as they were trained on (classification only).
    pub train_accuracy: Option<f64>,
    /// The loss on the validation data after the epoch, in evaluation mode.
    pub val_loss: Option<f64>,
    /// The validation accuracy after the epoch (classification only).
    pub val_accuracy: Option<f64>,
    /// The learning rate used during the epoch.
    pub lr: f64,
    /// Seconds spent in the epoch, validation included.
    pub seconds: f64,
}

/// The record of a run: one [`EpochRecord`] per epoch run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// The epochs, in order.
    pub epochs: Vec<EpochRecord>,
    /// The epoch whose weights the model holds at the end: the one with
    /// the lowest validation loss when early stopping is on, else the last.
    pub best_epoch: usize,
    /// Whether early stopping ended the run before its last epoch.
    pub stopped_early: bool,
}

impl History {
    /// The record of the epoch the model's weights come from.
    pub fn best(&self) -> Option<&EpochRecord> {
        self.epochs.iter().find(|e| e.epoch == self.best_epoch)
    }

    /// The last epoch run.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }
}

/// Why a run stopped with an error.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// The loss became NaN or infinite.
    NonFinite {
        /// The epoch, from 1.
        epoch: usize,
        /// The step within the epoch, from 1.
        step: usize,
        /// The value of the loss.
        loss: f64,
    },
    /// The data does not fit the loop (e.g. no samples, or validation data
    /// of another kind).
    Data(String),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::NonFinite { epoch, step, loss } => write!(
                f,
                "the loss became {loss} at epoch {epoch}, step {step}. The usual causes: a \
                 learning rate too high for this model (try it ten times smaller); inputs that \
                 are not standardised (features in the hundreds); the log or division of a \
                 hand-written loss meeting 0 (use the stable losses of chapter 4); or \
                 exploding gradients in a deep network (lower the learning rate, add batch \
                 normalisation)"
            ),
            TrainError::Data(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for TrainError {}

/// The training loop, configured once and run with [`Trainer::fit`].
///
/// Classification data (class labels) is trained with the cross-entropy of
/// the model's logits; regression data (target values) with the mean
/// squared error. Each epoch reshuffles the training samples with a
/// generator seeded by [`seed`](Trainer::seed), so a run is reproducible
/// bit for bit on one thread.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use optim::Adam;
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::{Progress, Trainer};
/// let mut rng = StdRng::seed_from_u64(0);
/// let data = train::synthetic::spiral(100, 3, &mut rng);
/// let mut model: Sequential = Mlp::new(&[2, 64, 3]).build(&mut rng);
/// let history = Trainer::new(60)
///     .batch_size(32)
///     .progress(Progress::Quiet)
///     .fit(&mut model, &mut Adam::new(0.02), &data, None)
///     .unwrap();
/// let last = history.last().unwrap();
/// assert!(last.train_accuracy.unwrap() > 0.9, "{last:?}");
/// ```
pub struct Trainer {
    epochs: usize,
    batch_size: usize,
    drop_last: bool,
    seed: u64,
    patience: Option<usize>,
    schedule: Option<Box<dyn Schedule>>,
    penalty: Option<(Penalty, f64)>,
    progress: Progress,
}

impl Trainer {
    /// A loop of `epochs` epochs, batches of 32, seed 0, no schedule, no
    /// penalty, no early stopping, [`Progress::Auto`].
    ///
    /// # Panics
    /// If `epochs` is 0.
    #[track_caller]
    pub fn new(epochs: usize) -> Self {
        if epochs == 0 {
            panic!("Trainer: epochs must be positive");
        }
        Trainer {
            epochs,
            batch_size: 32,
            drop_last: false,
            seed: 0,
            patience: None,
            schedule: None,
            penalty: None,
            progress: Progress::Auto,
        }
    }

    /// Samples per batch.
    ///
    /// # Panics
    /// If `batch_size` is 0.
    #[track_caller]
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        if batch_size == 0 {
            panic!("Trainer: batch_size must be positive");
        }
        self.batch_size = batch_size;
        self
    }

    /// Drops the last, smaller batch of each epoch.
    pub fn drop_last(mut self, drop_last: bool) -> Self {
        self.drop_last = drop_last;
        self
    }

    /// The seed of the shuffling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Early stopping: stop when the validation loss has not improved for
    /// `patience` epochs, and put back the weights (and buffers) of the
    /// epoch where it was lowest. Needs validation data.
    pub fn patience(mut self, patience: usize) -> Self {
        self.patience = Some(patience);
        self
    }

    /// The learning rate of each epoch (counted from 0), set on the
    /// optimizer before the epoch starts.
    pub fn schedule(mut self, schedule: impl Schedule + 'static) -> Self {
        self.schedule = Some(Box::new(schedule));
        self
    }

    /// Adds λ·R(W) to every batch's loss.
    pub fn penalty(mut self, penalty: Penalty, lambda: f64) -> Self {
        self.penalty = Some((penalty, lambda));
        self
    }

    /// How progress is reported.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Trains `model` on `train` with `opt`, evaluating on `val` after every
    /// epoch. Leaves the model in evaluation mode, holding the best weights
    /// if early stopping is on, else the last.
    ///
    /// # Errors
    /// [`TrainError::NonFinite`] as soon as a batch's loss is NaN or
    /// infinite; [`TrainError::Data`] for an empty training set, or
    /// validation data of another kind, or early stopping without
    /// validation data.
    pub fn fit(
        &self,
        model: &mut dyn Module,
        opt: &mut dyn Optimizer,
        train: &Dataset,
        val: Option<&Dataset>,
    ) -> Result<History, TrainError> {
        self.check_data(train, val)?;
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut history = History::default();
        let mut best: Option<(f64, Snapshot)> = None;
        let mut since_best = 0;
        let bar = self.progress == Progress::Auto && std::io::stdout().is_terminal();
        let g = Graph::new();
        for epoch in 1..=self.epochs {
            let start = Instant::now();
            if let Some(schedule) = &self.schedule {
                opt.set_learning_rate(schedule.lr(epoch - 1));
            }
            model.train();
            let order = batches(train.len(), self.batch_size, self.drop_last, &mut rng);
            let (mut loss_sum, mut correct, mut seen) = (0.0, 0usize, 0usize);
            for (step, indices) in order.iter().enumerate() {
                let batch = train.select(indices);
                let output = model.forward(g.input(batch.features().clone()));
                if let Some(labels) = batch.labels() {
                    let predicted = output.value().argmax_axis(1);
                    correct += predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
                }
                let data_loss = objective(output, batch.targets());
                let value = f64::from(data_loss.item());
                if !value.is_finite() {
                    model.eval();
                    return Err(TrainError::NonFinite {
                        epoch,
                        step: step + 1,
                        loss: value,
                    });
                }
                let loss = match &self.penalty {
                    Some((penalty, lambda)) => {
                        data_loss + penalty.on(&g, &*model).mul_scalar(*lambda as f32)
                    }
                    None => data_loss,
                };
                let grads = loss.backward();
                opt.step(model, &grads);
                loss_sum += value * indices.len() as f64;
                seen += indices.len();
                if bar {
                    draw_bar(
                        epoch,
                        self.epochs,
                        step + 1,
                        order.len(),
                        loss_sum / seen as f64,
                    );
                }
            }
            model.eval();
            let (val_loss, val_accuracy) = match val {
                Some(v) => {
                    let (l, a) = evaluate(model, v);
                    (Some(l), a)
                }
                None => (None, None),
            };
            let record = EpochRecord {
                epoch,
                train_loss: loss_sum / seen.max(1) as f64,
                train_accuracy: train.labels().map(|_| correct as f64 / seen.max(1) as f64),
                val_loss,
                val_accuracy,
                lr: opt.learning_rate(),
                seconds: start.elapsed().as_secs_f64(),
            };
            if self.progress != Progress::Quiet {
                if bar {
                    print!("\r\x1b[2K");
                }
                println!("{}", epoch_line(&record, self.epochs));
            }
            history.epochs.push(record);
            history.best_epoch = epoch;

            if let (Some(patience), Some(loss)) = (self.patience, val_loss) {
                if best.as_ref().is_none_or(|(b, _)| loss < *b) {
                    best = Some((loss, Snapshot::take(model, epoch)));
                    since_best = 0;
                } else {
                    since_best += 1;
                    if since_best >= patience {
                        history.stopped_early = epoch < self.epochs;
                        break;
                    }
                }
            }
        }
        if let Some((_, snapshot)) = best {
            history.best_epoch = snapshot.epoch;
            snapshot.restore(model);
        }
        model.eval();
        Ok(history)
    }

    fn check_data(&self, train: &Dataset, val: Option<&Dataset>) -> Result<(), TrainError> {
        if train.is_empty() {
            return Err(TrainError::Data(
                "Trainer::fit: the training set is empty".into(),
            ));
        }
        if let Some(v) = val
            && (v.is_empty()
                || v.dim() != train.dim()
                || v.labels().is_some() != train.labels().is_some())
        {
            return Err(TrainError::Data(format!(
                "Trainer::fit: the validation set ({} samples of {} features, {}) does not \
                 match the training set ({} features, {})",
                v.len(),
                v.dim(),
                kind(v),
                train.dim(),
                kind(train)
            )));
        }
        if self.patience.is_some() && val.is_none() {
            return Err(TrainError::Data(
                "Trainer::fit: early stopping (patience) needs validation data".into(),
            ));
        }
        Ok(())
    }
}

fn kind(data: &Dataset) -> &'static str {
    if data.labels().is_some() {
        "classes"
    } else {
        "values"
    }
}

/// The loss of an output for its targets: cross-entropy of logits for
/// classes, mean squared error for values.
fn objective<'g>(output: autograd::Var<'g, f32>, targets: &Targets) -> autograd::Var<'g, f32> {
    match targets {
        Targets::Classes { labels, .. } => losses::cross_entropy(output, labels),
        Targets::Values(values) => losses::mse(output, values),
    }
}

/// The loss (cross-entropy or MSE, as in training) and, for classes, the
/// accuracy of `model` on `data`, in whatever mode the model is in (call
/// `model.eval()` first to measure a trained model), in chunks of 1024
/// samples.
pub fn evaluate(model: &dyn Module, data: &Dataset) -> (f64, Option<f64>) {
    let g = Graph::inference();
    let (mut loss_sum, mut correct) = (0.0, 0usize);
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(1024) {
        let batch = data.select(chunk);
        let output = model.forward(g.input(batch.features().clone()));
        if let Some(labels) = batch.labels() {
            let predicted = output.value().argmax_axis(1);
            correct += predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
        }
        loss_sum += f64::from(objective(output, batch.targets()).item()) * chunk.len() as f64;
        g.clear();
    }
    let n = data.len().max(1) as f64;
    (loss_sum / n, data.labels().map(|_| correct as f64 / n))
}

/// The predicted class of each row of `features` (the largest logit), in
/// chunks of 1024 rows, in whatever mode the model is in.
pub fn predict(model: &dyn Module, features: &Tensor) -> Vec<usize> {
    let g = Graph::inference();
    let indices: Vec<usize> = (0..features.dim(0)).collect();
    let mut out = Vec::with_capacity(indices.len());
    for chunk in indices.chunks(1024) {
        out.extend(
            model
                .forward(g.input(features.select_rows(chunk)))
                .value()
                .argmax_axis(1),
        );
        g.clear();
    }
    out
}

/// The accuracy of `model`'s predictions on a classification set (0 for a
/// regression set).
pub fn accuracy_on(model: &dyn Module, data: &Dataset) -> f64 {
    data.labels().map_or(0.0, |labels| {
        accuracy(&predict(model, data.features()), labels)
    })
}

/// A copy of a model's parameters and buffers, to put back later.
struct Snapshot {
    epoch: usize,
    params: Vec<Tensor>,
    buffers: Vec<Tensor>,
}

impl Snapshot {
    fn take(model: &dyn Module, epoch: usize) -> Self {
        let params = model
            .params()
            .into_iter()
            .map(|p| p.value().clone())
            .collect();
        let mut buffers = Vec::new();
        model.visit_buffers("", &mut |_, b| buffers.push(b.clone()));
        Snapshot {
            epoch,
            params,
            buffers,
        }
    }

    fn restore(self, model: &mut dyn Module) {
        let mut params = self.params.into_iter();
        model.visit_params_mut("", &mut |_, p| {
            p.set(params.next().expect("the snapshot has every parameter"));
        });
        let mut buffers = self.buffers.into_iter();
        model.visit_buffers_mut("", &mut |_, b| {
            *b = buffers.next().expect("the snapshot has every buffer");
        });
    }
}

fn percent(x: Option<f64>) -> String {
    x.map_or(String::new(), |a| format!(" acc {:5.1} %", 100.0 * a))
}

fn epoch_line(r: &EpochRecord, epochs: usize) -> String {
    let width = epochs.to_string().len();
    let mut line = format!(
        "epoch {:>width$}/{epochs}  loss {:.4}{}",
        r.epoch,
        r.train_loss,
        percent(r.train_accuracy)
    );
    if let Some(v) = r.val_loss {
        line += &format!("  | val loss {v:.4}{}", percent(r.val_accuracy));
    }
    line += &format!("  | lr {:.3e}  {:.2} s", r.lr, r.seconds);
    line
}

fn draw_bar(epoch: usize, epochs: usize, step: usize, steps: usize, loss: f64) {
    const WIDTH: usize = 30;
    let filled = WIDTH * step / steps.max(1);
    print!(
        "\repoch {epoch}/{epochs} [{}{}] {step}/{steps} loss {loss:.4}",
        "=".repeat(filled),
        " ".repeat(WIDTH - filled)
    );
    let _ = std::io::stdout().flush();
}
