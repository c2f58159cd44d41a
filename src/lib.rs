//! # gradschool — deep learning from first principles
//!
//! One crate per lecture, each paired with a chapter of the book:
//!
//! | chapter | crate | teaches |
//! |---|---|---|
//! | 1 | [`tensor`] | vectors, matrices, affine maps, minibatches, broadcasting |
//! | 2 | [`autograd`] | computational graphs, back-propagation, gradient checking |
//! | 3 | [`layers`] | the perceptron, activations, `Linear`, `Sequential`, the MLP |
//! | 4 | [`losses`] | MSE, MAE, cross-entropy, NLL, BCE, Gaussian NLL, hinge |
//! | 5 | [`init`] | zeros, normal, uniform, LeCun, Glorot/Xavier, He; the activation-statistics experiment |
//! | 6 | [`optim`] | SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam, AdamW, learning-rate schedules |
//! | 7 | [`regularize`] | L1/L2/elastic-net penalties, dropout, batch normalisation, the standard recipe |
//! | 8 | [`train`] | datasets and batches, the training loop, metrics, search, plots, checkpoints |
//!
//! This facade re-exports them, and [`prelude`] gathers the names that
//! almost every program uses.
//!
//! ```
//! use gradschool::prelude::*;
//! let g = Graph::new();
//! let x = g.leaf(Tensor::from([3.0]));
//! let y = (x * x).sum();
//! let grads = y.backward();
//! assert_eq!(grads.wrt(x).to_vec(), vec![6.0]); // d(x²)/dx = 2x
//! ```

pub use autograd;
pub use init;
pub use layers;
pub use losses;
pub use optim;
pub use regularize;
pub use tensor;
pub use train;

/// The names almost every gradschool program uses.
pub mod prelude {
    pub use autograd::{Gradients, Graph, Param, Var, gradcheck};
    pub use layers::{Activation, Linear, Mlp, Module, Sequential};
    pub use optim::{Adam, Optimizer, Schedule, Sgd};
    pub use regularize::{BatchNorm1d, Dropout};
    pub use tensor::{Float, Tensor};
}

// Every Rust snippet of the book's introduction runs as a doctest of this package.
#[cfg(doctest)]
#[doc = include_str!("../book/src/00-introduction.md")]
struct IntroductionBook;

// And every Rust snippet of Appendix A (gradient checking).
#[cfg(doctest)]
#[doc = include_str!("../book/src/appendix-a-gradcheck.md")]
struct AppendixAGradcheck;

// And of Appendix B (from gradschool to PyTorch).
#[cfg(doctest)]
#[doc = include_str!("../book/src/appendix-b-pytorch.md")]
struct AppendixBPytorch;

// And of Appendix D (errata of the usual lecture material).
#[cfg(doctest)]
#[doc = include_str!("../book/src/appendix-d-errata.md")]
struct AppendixDErrata;
