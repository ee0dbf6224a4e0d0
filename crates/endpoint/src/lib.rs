//! The local Bedrock endpoint: a faithful emulator of the model copy-job API.
//!
//! A crate of its own, so the compiler keeps it apart from the client: it
//! shares only the service's constraints (`copyjobs-contract`), and any
//! program or test can run it (`Emulator::new`, then `Server::start`).
//! copyjobs' `serve` runs it alone; `demo` and the tests run it in-process on
//! a free loopback port and talk to it through the real SDK, as another
//! project's tests could:
//!
//! ```
//! use copyjobs_endpoint::{Emulator, EmulatorOptions, Server};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let options = EmulatorOptions {
//!     jobs: 50,
//!     frozen: true,
//!     now: Some(1_748_779_200_000), // 2025-06-01T12:00:00Z
//!     ..EmulatorOptions::default()
//! };
//! let server = Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into()).await?;
//! // Point any SDK at `server.url()`, with any credentials and region.
//! assert!(server.url().starts_with("http://127.0.0.1:"));
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod account;
pub mod api;
pub mod catalogue;
pub mod clock;
pub mod cursor;
pub mod dataset;
pub mod durations;
pub mod emulator;
mod exchange;
pub mod faults;
pub mod identity;
pub mod model;
pub mod models;
pub mod models_api;
pub mod names;
pub mod options;
pub mod org;
pub mod organizations;
mod postings;
pub mod seeds;
pub mod server;
pub mod sigv4;
pub mod sources;
pub mod sso;
pub mod store;
pub mod sts;
pub mod thin;

#[cfg(test)]
mod shape_tests;

pub use emulator::Emulator;
pub use options::{
    EmulatorOptions, Ignored, JobIds, ListOrder, TieOrder, TimeBounds, TimePrecision, TimeStyle,
};
pub use server::Server;
