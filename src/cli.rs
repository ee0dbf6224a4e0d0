//! Command-line definitions: one binary, several verbs, one set of filter flags.

use crate::emulator::EmulatorOptions;
use crate::filter_args::FilterArgs;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "copyjobs",
    version,
    about = "A terminal dashboard for Amazon Bedrock model copy jobs",
    long_about = "A terminal dashboard for Amazon Bedrock model copy jobs.\n\nWithout a command it opens the dashboard against your AWS account (the AWS CLI's default chain: environment, profiles, SSO). `copyjobs demo` tries it without an account.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// More log output on stderr for serve (-v debug, -vv trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where to look: as the AWS CLI resolves it.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectArgs {
    /// AWS profile (default: AWS_PROFILE, then "default").
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Region (default: AWS_REGION, then the profile's).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Another endpoint, such as `copyjobs serve` (default: AWS_ENDPOINT_URL_BEDROCK, AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

/// What the dashboard shows and how it pages and refreshes.
#[derive(Debug, Clone, Args)]
pub struct ViewArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Seconds between live refreshes (p pauses, + and - change it live).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub refresh: u32,
    /// Jobs per page request, 1 to 1000.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: u16,
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
    /// The dashboard against the local endpoint with demo data: no AWS account needed.
    Demo {
        #[command(flatten)]
        emulator: EmulatorOptions,
        #[command(flatten)]
        view: ViewArgs,
    },
}
