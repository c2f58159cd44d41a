//! # Chapter 3 — `layers`: from the perceptron to the multi-layer perceptron
//!
//! - [`Perceptron`]: a weighted sum and a step, trained by the perceptron
//!   rule without gradients. It learns AND and OR and never XOR.
//! - [`Module`]: what every layer has — a forward pass on a graph variable,
//!   named parameters, a training/evaluation switch.
//! - [`Linear`]: the affine layer y = x W + b over a minibatch.
//! - [`Activation`] (step, sigmoid, tanh, ReLU, leaky ReLU), [`Softmax`] and
//!   [`LogSoftmax`]: the nonlinearities, as modules and as curves with their
//!   derivatives.
//! - [`Sequential`] and the [`Mlp`] builder: networks.
//! - [`gradcheck_module`]: gradient checking of a whole module.
//!
//! ```
//! use autograd::Graph;
//! use layers::{Mlp, Module, Sequential};
//! use rand::{SeedableRng, rngs::StdRng};
//! use tensor::Tensor;
//! let net: Sequential = Mlp::new(&[2, 100, 3]).build(&mut StdRng::seed_from_u64(0));
//! let g = Graph::new();
//! let logits = net.forward(g.input(Tensor::zeros([300, 2])));
//! assert_eq!(logits.shape(), vec![300, 3]);
//! ```
//!
//! The book's chapter 3 (`book/src/03-layers.md`) is compiled and run as
//! doctests of this crate.

mod activation;
mod gradcheck;
mod linear;
mod module;
mod perceptron;
mod sequential;

pub use activation::{Activation, LogSoftmax, Softmax};
pub use gradcheck::gradcheck_module;
pub use linear::{Linear, linear};
pub use module::{Module, param_name};
pub use perceptron::{Perceptron, PerceptronFit};
pub use sequential::{Mlp, Sequential};

// Every Rust snippet of the book's chapter 3 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/03-layers.md")]
struct Chapter3Book;
