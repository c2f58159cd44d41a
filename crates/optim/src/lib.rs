//! # Chapter 6 — `optim`: gradient descent and its variants
//!
//! Gradient descent moves the parameters a small step against the
//! gradient of the loss, w ← w − lr·∇L(w), and repeats. This crate gives
//! the update rules of the lecture, each in its own file with its rule
//! written next to the code, and the learning-rate schedules that lower lr
//! as training goes.
//!
//! | optimizer | update of each weight w with gradient g | state per weight |
//! |-----------|------------------------------------------|------------------|
//! | [`Sgd`] | w ← w − lr·g | — |
//! | [`Momentum`] | v ← μv − lr·g; w ← w + v | velocity v |
//! | [`Nesterov`] | v ← μv − lr·g; w ← w − μ·v_prev + (1 + μ)·v | velocity v |
//! | [`AdaGrad`] | c ← c + g²; w ← w − lr·g/(√c + ε) | sum of squares c |
//! | [`RmsProp`] | c ← ρc + (1 − ρ)g²; w ← w − lr·g/√(c + ε) | running mean c |
//! | [`Adam`] | m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; w ← w − lr·m̂/(√v̂ + ε) | m, v, step count t |
//! | [`AdamW`] | w ← w − lr·wd·w, then the Adam step | m, v, step count t |
//!
//! Every optimizer implements [`Optimizer`]: `update` steps one parameter
//! in place; `step` steps every parameter of a module that has a gradient.
//! State (velocities, running averages) is kept per parameter by its
//! stable id in a [`ParamState`], created on the first update and reused:
//! at steady state a step allocates nothing.
//!
//! Hyperparameters are `f64` and checked at once: a learning rate that is
//! not positive, a momentum or β outside [0, 1), a negative weight decay
//! panic at the learner's line with a message naming the optimizer,
//! `Sgd: learning rate must be positive and finite, got 0`.
//!
//! Schedules implement [`Schedule`] — `lr(t)` for epoch or step t — and
//! drive any optimizer through
//! [`set_learning_rate`](Optimizer::set_learning_rate): [`Constant`],
//! [`StepDecay`], [`Exponential`], [`InverseTime`], [`Cosine`] and a linear
//! [`Warmup`] in front of any of them.
//!
//! The training loop in four lines — sample, forward, backward, update:
//!
//! ```
//! use autograd::Graph;
//! use layers::{Mlp, Module, Sequential};
//! use optim::{Adam, Optimizer, Schedule, StepDecay};
//! use rand::{SeedableRng, rngs::StdRng};
//! use tensor::Tensor;
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut net: Sequential = Mlp::new(&[2, 16, 2]).build(&mut rng);
//! // XOR: the label is 1 when exactly one input is 1.
//! let x = Tensor::from([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
//! let labels = [0, 1, 1, 0];
//! let mut opt = Adam::new(0.05);
//! let schedule = StepDecay { initial: 0.05, every: 100, gamma: 0.5 };
//! let g = Graph::new();
//! for epoch in 0..300 {
//!     opt.set_learning_rate(schedule.lr(epoch));
//!     let logits = net.forward(g.input(x.clone())); // forward (the whole data set is one batch)
//!     let loss = losses::cross_entropy(logits, &labels);
//!     let grads = loss.backward(); // backward
//!     opt.step(&mut net, &grads); // update
//! }
//! let predicted = net.forward(Graph::inference().input(x)).value().argmax_axis(1);
//! assert_eq!(predicted, vec![0, 1, 1, 0]);
//! ```
//!
//! The book's chapter 6 (`book/src/06-optim.md`) is compiled and run as
//! doctests of this crate.

mod adagrad;
mod adam;
mod adamw;
mod check;
mod momentum;
mod nesterov;
mod optimizer;
mod rmsprop;
mod schedule;
mod sgd;
mod state;

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use adamw::AdamW;
pub use momentum::Momentum;
pub use nesterov::Nesterov;
pub use optimizer::Optimizer;
pub use rmsprop::RmsProp;
pub use schedule::{Constant, Cosine, Exponential, InverseTime, Schedule, StepDecay, Warmup};
pub use sgd::Sgd;
pub use state::ParamState;

// Every Rust snippet of the book's chapter 6 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/06-optim.md")]
struct Chapter6Book;
