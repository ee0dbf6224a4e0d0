//! Command-line definitions: one binary, several verbs.

use crate::emulator::EmulatorOptions;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(name = "copyjobs", version, about = "A terminal dashboard for Amazon Bedrock model copy jobs", long_about = None)]
pub struct Cli {
    /// More log output on stderr (-v debug, -vv trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the local Bedrock endpoint alone, for the AWS CLI, SDKs and scripts.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:4566")]
        addr: SocketAddr,
        #[command(flatten)]
        emulator: EmulatorOptions,
    },
    /// Try copyjobs without an AWS account: the local endpoint with demo data.
    Demo {
        #[command(flatten)]
        emulator: EmulatorOptions,
    },
}
