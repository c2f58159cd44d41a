//! # Chapter 1 — `tensor`: vectors, matrices, affine maps, minibatches
//!
//! A [`Tensor`] is an n-dimensional array of numbers. This crate gives it
//! the operations a neural network is made of:
//!
//! - constructors ([`Tensor::from`], [`Tensor::zeros`], [`Tensor::randn`], ...),
//! - element-wise arithmetic with NumPy broadcasting ([`broadcast_shape`]),
//! - the matrix product [`Tensor::matmul`]: a matrix is a linear map, and a
//!   minibatch of `B` inputs stacked as rows is pushed through it by one product,
//! - reductions along an axis ([`Tensor::sum_axis`], [`Tensor::argmax_axis`], ...),
//! - element-wise functions ([`Tensor::exp`], [`Tensor::sigmoid`], ...),
//! - minibatch selection ([`Tensor::select_rows`]) and joining ([`Tensor::concat`]).
//!
//! The element type is `f32` or `f64` through the sealed [`Float`] trait.
//! Misuse (a shape mismatch, an axis out of range) panics at once with a
//! message naming the operation and the shapes, pointing at the caller's line.
//!
//! ```
//! use tensor::Tensor;
//! // An affine map y = x W + b over a minibatch of 2 inputs in R³, to R².
//! let x = Tensor::from([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]]); // [batch 2, in 3]
//! let w = Tensor::from([[1.0, 0.5], [0.0, 1.0], [2.0, -1.0]]); // [in 3, out 2]
//! let b = Tensor::from([0.1, 0.2]); // [out 2], broadcast over the rows
//! let y = x.matmul(&w) + &b;
//! assert_eq!(y.shape(), &[2, 2]);
//! approx::assert_relative_eq!(y, Tensor::from([[5.1, -1.3], [2.1, 0.2]]), epsilon = 1e-12);
//! ```
//!
//! The book's chapter 1 (`book/src/01-tensor.md`) is compiled and run as
//! doctests of this crate.
//!
//! Dependencies beyond the workspace's base: `num-traits` for the numeric
//! traits of [`Float`], and [rayon](https://docs.rs/rayon), Rust's standard
//! thread pool, which splits the large products of the crate's own packed
//! matrix product (an option, `GRADSCHOOL_MATMUL=packed`) over
//! `MATMUL_NUM_THREADS` threads (see the book's appendix E).

mod broadcast;
mod elementwise;
mod float;
// The packed product is only called where the CPU has fused multiply-add.
#[cfg_attr(not(target_feature = "fma"), allow(dead_code))]
mod gemm;
mod linalg;
mod reduce;
mod select;
mod tensor;

pub use broadcast::broadcast_shape;
pub use elementwise::{relu, sigmoid};
pub use float::Float;
pub use tensor::Tensor;

/// Re-exported so that users and later chapters name the same versions.
pub use ndarray;
pub use rand;
pub use rand_distr;

// Every Rust snippet of the book's chapter 1 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/01-tensor.md")]
struct Chapter1Book;
