//! Fuzzing: arbitrary and near-valid input thrown at every parser, one module
//! per family. Each property says the parser never panics and, where it
//! refuses, refuses with the error the code means to give; where a formatter
//! exists, what it writes reads back the same.
//!
//! A short, fixed-seed run is part of `cargo test`. A longer search (the
//! README's "Fuzzing" says what was last run):
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --test fuzz
//! PROPTEST_CASES=100000 PROPTEST_RNG_SEED=7 cargo test --release --test fuzz   # other inputs
//! ```
//!
//! Bugs these found are kept as plain `#[test]`s beside the property that
//! found them (`…_regression`).

mod support;

mod auth;
mod config;
mod endpoint;
mod failures;
mod sanitize;
mod time;
mod token;
mod wire;
