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
mod xlsx_text;

use clap::Parser;

fn main() {
    pipeline::use_small_pages();
    pipeline::keep_freed_memory();
    quiet_guarded_panics();
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

/// A panic inside a guarded workbook read is caught and reported as a
/// corrupt file; its message would only confuse, so the hook skips it.
/// Every other panic (a bug) is printed as usual.
fn quiet_guarded_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crm_core::ingest::excel::in_guarded_read() {
            default(info);
        }
    }));
}
