//! The domain: a copy job and its status, what the user asks to see (filters,
//! times), and the service's constraints. No I/O here.

pub mod column;
pub mod constraints;
pub mod copy;
pub mod copy_regions;
pub mod failures;
pub mod filter_text;
pub mod job;
pub mod matrix;
pub mod query;
pub mod region;
pub mod stats;
