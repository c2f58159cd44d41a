//! # Chapter 7 — `regularize`: fighting overfitting and unstable gradients
//!
//! A network large enough to learn a task is usually large enough to learn
//! its training set by heart, noise included. This crate gives the
//! lecture's three remedies, and its recipe that combines them:
//!
//! - **Penalties** ([`l1`], [`l2`], [`elastic_net`], [`Penalty`]): a number
//!   R(W) of the weights added to the loss as λ·R(W), so the optimizer also
//!   pulls the weights towards 0. L2 shrinks every weight in proportion to
//!   itself (with plain SGD it is exactly weight decay); L1 pulls each by the
//!   same amount, and drives many exactly to (near) zero.
//! - **Dropout** ([`Dropout`]): while training, zero each unit with
//!   probability p; at test time use every unit, scaled to the training
//!   average. Inverted scaling by default, the lecture's form as an option
//!   ([`DropoutScaling`]).
//! - **Batch normalisation** ([`BatchNorm1d`]): normalise each feature with
//!   its batch mean and variance, then scale and shift by learned γ and β;
//!   at test time use running averages of the statistics, kept as the
//!   module's *buffers* (state that a checkpoint saves, not parameters).
//! - **The recipe** ([`Recipe`]): ReLU, He init, zero biases, batch
//!   normalisation between the hidden layers, optional dropout, Adam.
//!
//! Dropout and batch normalisation behave differently in training and in
//! evaluation: call `model.train()` before training steps and
//! `model.eval()` before measuring, as with any `layers::Module`.
//!
//! ```
//! use autograd::Graph;
//! use layers::{Module, Sequential};
//! use optim::Optimizer;
//! use rand::{SeedableRng, rngs::StdRng};
//! use regularize::Recipe;
//! use tensor::Tensor;
//! let mut rng = StdRng::seed_from_u64(0);
//! let recipe = Recipe::new(&[2, 32, 32, 2]).dropout(0.1);
//! let mut net: Sequential = recipe.build(&mut rng);
//! let mut opt = recipe.optimizer(0.01);
//! // XOR, four points repeated to make a batch for the batch statistics.
//! let x = Tensor::from([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
//! let labels = [0, 1, 1, 0];
//! let g = Graph::new();
//! for _ in 0..200 {
//!     let loss = losses::cross_entropy(net.forward(g.input(x.clone())), &labels)
//!         + regularize::l2(&g, &net).mul_scalar(1e-4); // + λ·ΣW²
//!     let grads = loss.backward();
//!     opt.step(&mut net, &grads);
//! }
//! net.eval(); // running statistics, no dropout
//! let predicted = net.forward(Graph::inference().input(x)).value().argmax_axis(1);
//! assert_eq!(predicted, vec![0, 1, 1, 0]);
//! ```
//!
//! The book's chapter 7 (`book/src/07-regularize.md`) is compiled and run
//! as doctests of this crate.

mod batch_norm;
mod dropout;
mod penalty;
mod recipe;

pub use batch_norm::BatchNorm1d;
pub use dropout::{Dropout, DropoutScaling};
pub use penalty::{Norm, Penalty, count_near_zero, elastic_net, l1, l2};
pub use recipe::Recipe;

// Every Rust snippet of the book's chapter 7 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/07-regularize.md")]
struct Chapter7Book;
