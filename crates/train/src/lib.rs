//! # Chapter 8 — `train`: putting it together
//!
//! Data, the training loop, metrics, hyperparameter search, plots and
//! checkpoints: what turns the pieces of chapters 1–7 into models trained
//! on real data.

mod batches;
pub mod checkpoint;
mod data;
mod digits;
pub mod idx;
pub mod synthetic;

pub use batches::{batches, iterations_per_epoch};
pub use data::{Dataset, Standardizer, Targets};
pub use digits::{DIGITS_LEN, digits, parse_digits};
mod metrics;
pub use metrics::{ConfusionMatrix, accuracy};
mod trainer;
pub use trainer::{
    EpochRecord, History, Progress, TrainError, Trainer, accuracy_on, evaluate, predict,
};
pub use idx::{load_mnist_dir, mnist_t10k};
