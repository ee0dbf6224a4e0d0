//! copyjobs: a terminal dashboard for Amazon Bedrock model copy jobs, and the
//! local Bedrock endpoint it is developed and tested against.

pub mod cli;
pub mod constraints;
pub mod emulator;
