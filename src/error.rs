//! Typed errors of the application and the one place that maps them to
//! exit codes: 0 reports written, 1 nothing usable read or an output not
//! written, 2 usage errors, 3 validation errors found (`validate`).

use std::path::PathBuf;

/// Everything that can end a run.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A flag value that makes no sense.
    #[error("{0}")]
    Usage(String),
    /// The config file is missing or invalid.
    #[error(transparent)]
    Config(#[from] crm_core::config::ConfigError),
    /// No input gave a usable table.
    #[error("nothing usable was read: {0}")]
    NothingRead(String),
    /// An input could not be read and `--strict` was given.
    #[error("{0} (--strict makes this fatal)")]
    Strict(String),
    /// An output file could not be written.
    #[error("cannot write {path}: {message}")]
    Output {
        /// The output path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A metric computation failed (a bug: please report it).
    #[error("metric computation failed: {0}")]
    Metrics(#[from] polars::prelude::PolarsError),
    /// `validate` found findings at the failing severity.
    #[error("validation failed: {0} finding(s) at the failing severity (see above)")]
    Invalid(usize),
    /// Generating sample data failed.
    #[error("cannot write sample data: {0}")]
    Sample(String),
}

impl AppError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Usage(_) | AppError::Config(_) => 2,
            AppError::Invalid(_) => 3,
            AppError::NothingRead(_)
            | AppError::Strict(_)
            | AppError::Output { .. }
            | AppError::Metrics(_)
            | AppError::Sample(_) => 1,
        }
    }

    /// An output error for a path.
    pub fn output(path: &std::path::Path, e: impl std::fmt::Display) -> AppError {
        AppError::Output {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}
