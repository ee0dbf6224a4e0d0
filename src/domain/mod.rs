//! The domain: a copy job and its status, what the user asks to see (filters,
//! times), and the service's constraints. No I/O here.

pub mod account;
pub mod column;
/// The service's constraints live in a crate of their own, shared with the
/// endpoint; here under their old name, so the client's paths hold.
pub use copyjobs_contract as constraints;
pub mod copy;
pub mod copy_regions;
pub mod custom_model;
pub mod failures;
pub mod filter_draft;
pub mod filter_text;
pub mod job;
pub mod matrix;
pub mod plan;
pub mod policy;
pub mod promises;
pub mod query;
pub mod region;
pub mod stats;
