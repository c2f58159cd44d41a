//! # Chapter 6 — `optim`: gradient descent and its variants

// Every Rust snippet of the book's chapter 6 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/06-optim.md")]
struct Chapter6Book;
