//! One subcommand per file: its `run` orchestrates the pipeline stages and
//! writes or prints the result.

pub mod clean;
pub mod init_config;
pub mod inspect;
pub mod report;
pub mod sample;
pub mod validate;
