//! # Chapter 4 — `losses`: what the network minimises
//!
//! A loss turns the network's output and the label into one number that
//! gradient descent makes smaller. Every loss here is a function of
//! [`autograd::Var`]s: it records its operations on the tape, so
//! `loss.backward()` reaches every parameter. Targets that are data are
//! plain [`Tensor`](tensor::Tensor)s or class indices (`&[usize]`).
//!
//! | loss | use it for | gradient at the output (mean over N) |
//! |------|------------|--------------------------------------|
//! | [`mse`] | regression | 2(ŷ − y) / N |
//! | [`mae`] | regression with outliers | sign(ŷ − y) / N |
//! | [`cross_entropy`] | one of K classes, from logits | (softmax(z) − onehot(y)) / N |
//! | [`cross_entropy_soft`] | soft or one-hot targets t | (softmax(z) − t) / N |
//! | [`nll`] | log-probabilities (after `log_softmax`) | −onehot(y) / N |
//! | [`binary_cross_entropy_with_logits`] | yes/no or multi-label, from logits | (σ(z) − y) / N |
//! | [`binary_cross_entropy`] | yes/no, from probabilities p | (p − y) / (p(1 − p)N), clamped |
//! | [`gaussian_nll`] | regression as likelihood, variance 1 | (μ − y) / N |
//! | [`gaussian_nll_learned`] | regression with a predicted variance | (μ − y) / (σ²N), and for σ²: (1/σ² − (y − μ)²/σ⁴) / 2N |
//! | [`multiclass_hinge`] | one of K classes, SVM-style margins | +1 per violating class, minus their count at y, / N |
//!
//! N is the batch size for the classification losses and the number of
//! elements for the element-wise ones. Each loss averages by default
//! ([`Reduction::Mean`], as in PyTorch); its `_with` form takes a
//! [`Reduction`] (`Sum`, or `None` for the unreduced terms).
//!
//! Three habits run through the crate:
//!
//! - **Stable from logits.** Cross-entropy goes through
//!   [`Var::log_softmax`](autograd::Var::log_softmax) and binary
//!   cross-entropy through softplus, never through `ln` of a probability
//!   that may have rounded to 0: logits of ±1000 give finite losses and
//!   gradients. On probabilities, [`binary_cross_entropy`] clamps to
//!   `[BCE_EPSILON, 1 − BCE_EPSILON]`.
//! - **No silent broadcasting.** Prediction and target must have the same
//!   shape: a `[N, 1]` prediction against a `[N]` target would otherwise
//!   broadcast to `[N, N]` and train on nonsense without a word.
//! - **Loud misuse.** Shape errors panic at the caller's line with the loss
//!   and both shapes: `mse: prediction [4, 1] and target [4] differ in shape`.
//!
//! ```
//! use autograd::Graph;
//! use tensor::Tensor;
//! // Two samples, three classes: logits from the network, labels from the data.
//! let g = Graph::new();
//! let logits = g.leaf(Tensor::from([[6.5, 2.0, 3.3], [3.3, -1.5, 4.3]]));
//! let loss = losses::cross_entropy(logits, &[0, 0]);
//! approx::assert_abs_diff_eq!(loss.item(), (0.050_570_67 + 1.315_472_56) / 2.0, epsilon = 1e-8);
//! // The gradient at the logits: (softmax − one-hot) / 2.
//! let p = logits.softmax(1).value();
//! let grads = loss.backward();
//! approx::assert_abs_diff_eq!(grads.wrt(logits).at([1, 0]), (p.at([1, 0]) - 1.0) / 2.0, epsilon = 1e-12);
//! ```
//!
//! The book's chapter 4 (`book/src/04-losses.md`) is compiled and run as
//! doctests of this crate.

mod binary_cross_entropy;
mod check;
mod cross_entropy;
mod gaussian_nll;
mod hinge;
mod mae;
mod mse;
mod nll;
mod reduction;

pub use binary_cross_entropy::{
    BCE_EPSILON, binary_cross_entropy, binary_cross_entropy_with, binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_with,
};
pub use cross_entropy::{
    cross_entropy, cross_entropy_soft, cross_entropy_soft_with, cross_entropy_with,
};
pub use gaussian_nll::{
    GAUSSIAN_NLL_EPSILON, gaussian_nll, gaussian_nll_learned, gaussian_nll_learned_with,
    gaussian_nll_with,
};
pub use hinge::{multiclass_hinge, multiclass_hinge_with};
pub use mae::{mae, mae_with};
pub use mse::{mse, mse_with};
pub use nll::{nll, nll_with};
pub use reduction::Reduction;

// Every Rust snippet of the book's chapter 4 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/04-losses.md")]
struct Chapter4Book;
