//! # Chapter 2 — `autograd`: computational graphs and back-propagation
//!
//! Two engines, in reading order:
//!
//! 1. [`scalar::Value`], the warm-up: single numbers that remember how they
//!    were computed, a topological sort, and the chain rule with `+=`.
//! 2. [`Graph`], the real one, on tensors: a tape (Wengert list) of nodes in
//!    creation order, [`Var`]s that are indices into it, one closed set of
//!    operations whose local gradient rules all live in one `match`
//!    (`op.rs`), [`unbroadcast`] as the adjoint of broadcasting, parameters
//!    ([`Param`]) that persist across steps and a [`Gradients`] store
//!    returned by [`Var::backward`].
//!
//! [`gradcheck`] compares any gradient with central differences in f64.
//!
//! ```
//! use autograd::{Graph, Param};
//! use tensor::Tensor;
//! // One training step of y = x W + b on a minibatch, in four lines.
//! let mut w = Param::new(Tensor::from([[0.5], [-0.5]]));
//! let b = Param::new(Tensor::from([0.0]));
//! let g = Graph::new();
//! let x = g.input(Tensor::from([[1.0, 2.0], [3.0, 4.0]])); // sample a batch
//! let target = g.input(Tensor::from([[1.0], [2.0]]));
//! let y = x.matmul(g.param(&w)) + g.param(&b); // forward
//! let loss = (y - target).powi(2).mean();
//! let grads = loss.backward(); // backward
//! let dw = &grads[&w];
//! w.value_mut().scaled_add(-0.1, dw); // update: w -= lr · dw
//! assert_eq!(grads[&w].shape(), &[2, 1]);
//! ```
//!
//! The book's chapter 2 (`book/src/02-autograd.md`) is compiled and run as
//! doctests of this crate.

mod gradcheck;
mod gradients;
mod graph;
mod op;
mod ops;
mod param;
mod pool;
pub mod scalar;
mod unbroadcast;

pub use gradcheck::{GradcheckConfig, GradcheckReport, Worst, gradcheck, gradcheck_with};
pub use gradients::Gradients;
pub use graph::{Graph, Var};
pub use param::{Param, ParamId};
pub use unbroadcast::unbroadcast;

// Every Rust snippet of the book's chapter 2 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/02-autograd.md")]
struct Chapter2Book;
