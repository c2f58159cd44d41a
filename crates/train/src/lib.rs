//! # Chapter 8 — `train`: putting it together
//!
//! Data, the training loop, metrics, hyperparameter search, plots and
//! checkpoints: what turns the pieces of chapters 1–7 into models trained
//! on real data.

pub mod checkpoint;
pub mod idx;
pub mod plot;
pub mod search;
pub mod synthetic;

mod batches;
mod data;
mod digits;
mod metrics;
mod trainer;

pub use batches::{batches, iterations_per_epoch};
pub use data::{Dataset, Standardizer, Targets};
pub use digits::{DIGITS_LEN, digits, parse_digits};
pub use idx::{load_mnist_dir, mnist_t10k};
pub use metrics::{ConfusionMatrix, accuracy};
pub use trainer::{
    EpochRecord, History, Progress, TrainError, Trainer, accuracy_on, evaluate, predict,
};

// Every Rust snippet of the book's chapter 8 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/08-train.md")]
struct Chapter8Book;
