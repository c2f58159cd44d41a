//! # Chapter 5 — `init`: weight initialisation

// Every Rust snippet of the book's chapter 5 runs as a doctest of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../../book/src/05-init.md")]
struct Chapter5Book;
