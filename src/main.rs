//! crm-report: turns a sales team's customer spreadsheets into management
//! reports. `main` parses the command line, dispatches, and maps errors to
//! exit codes — nothing else.

mod cli;
mod cmd;
mod error;
mod export;
mod metrics;
mod output;
mod pipeline;
mod report;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Report(args) => cmd::report::run(args),
        cli::Command::Clean(args) => cmd::clean::run(args),
        cli::Command::Inspect(args) => cmd::inspect::run(args),
        cli::Command::Sample(args) => cmd::sample::run(args),
        cli::Command::Validate(args) => cmd::validate::run(args),
        cli::Command::InitConfig(args) => cmd::init_config::run(args),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            eprintln!("  caused by: {cause}");
            source = cause.source();
        }
        std::process::exit(e.exit_code());
    }
}
