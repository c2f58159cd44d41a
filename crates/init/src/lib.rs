//! # Chapter 5 — `init`: weight initialisation
//!
//! Where training starts decides whether it starts at all. Weights that
//! are all equal never stop being equal (every unit computes the same
//! thing and gets the same gradient); weights that are too small make the
//! signal shrink to nothing through a deep network, too large ones push
//! every tanh unit into saturation — in both cases the gradients vanish.
//! The fix is to scale the random weights by the layer's width.
//!
//! - [`fans`]: fan-in and fan-out of a weight `[in, out]`.
//! - The schemes, named as in the literature, each a function returning a
//!   new tensor:
//!
//!   | function | distribution, weight `[fan_in, fan_out]` | from |
//!   |---|---|---|
//!   | [`zeros`], [`constant`] | every element equal | — |
//!   | [`normal`], [`uniform`] | N(mean, std²), U[low, high) chosen by hand | — |
//!   | [`lecun_normal`], [`lecun_uniform`] | variance 1/fan_in — the slides' "Xavier" | LeCun et al. 1998 |
//!   | [`glorot_normal`], [`glorot_uniform`] | variance 2/(fan_in + fan_out) — Xavier Glorot's own | Glorot & Bengio 2010 |
//!   | [`he_normal`], [`he_uniform`] | variance 2/fan_in — "Kaiming", for ReLU | He et al. 2015 |
//!
//! - [`Init`]: a scheme as a value; [`init_weights`] applies it to every
//!   weight matrix of a module (and zeroes the biases), [`init_matching`]
//!   to the parameters whose names match a pattern such as `"*.bias"`.
//! - [`experiment`]: the lecture's experiment — 10 layers of 500 units,
//!   unit-Gaussian input — returning per-layer activation statistics,
//!   histograms and weight-gradient sizes for any activation and scheme.
//!
//! ```
//! use init::Init;
//! use layers::{Mlp, Module, Sequential};
//! use rand::{SeedableRng, rngs::StdRng};
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut net: Sequential = Mlp::new(&[784, 256, 256, 10]).build(&mut rng);
//! init::init_weights(&mut net, Init::HeNormal, &mut rng); // a ReLU network
//! let w1 = net.named_params()[0].1.value().clone();
//! let std = w1.powi(2).mean().sqrt();
//! assert!((std / (2.0f32 / 784.0).sqrt() - 1.0).abs() < 0.02);
//! ```
//!
//! The book's chapter 5 (`book/src/05-init.md`) is compiled and run as
//! doctests of this crate.

mod apply;
mod constant;
pub mod experiment;
mod fans;
mod glorot;
mod he;
mod lecun;
mod random;
mod scheme;

pub use apply::{init_matching, init_weights, matches_pattern};
pub use constant::{constant, zeros};
pub use fans::fans;
pub use glorot::{glorot_normal, glorot_uniform};
pub use he::{he_normal, he_uniform};
pub use lecun::{lecun_normal, lecun_uniform};
pub use random::{normal, uniform};
pub use scheme::Init;

// Every Rust snippet of the book's chapter 5 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/05-init.md")]
struct Chapter5Book;
