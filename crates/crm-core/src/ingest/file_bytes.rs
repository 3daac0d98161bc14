//! The bytes of an input file: read into memory, or, for a big file, mapped.
//!
//! Reading a file copies it into memory the process has never touched, and
//! every page of that memory is faulted in and zeroed first. On the 2-core
//! benchmark machine (a VM that hands its freed memory back to the host),
//! that took 1.4–1.7 s for a 524 MB follow-up log, against 0.04 s to map it
//! and touch every page: a mapped file is read from the page cache where it
//! already is. Files from [`MAP_MIN_BYTES`] up are mapped, read-only; the
//! input is never written.
//!
//! A mapped file that another program shortens while it is read ends the
//! run with a bus error, as in every tool that maps its input (ripgrep,
//! git). Nothing read from the mapping is trusted: text is parsed from it
//! as from any bytes, each field checked as it is cut, so a file changed
//! under the run gives wrong cells, never invalid text.

use std::io::Read;
use std::ops::Deref;
use std::path::Path;

/// Files of at least this many bytes are mapped instead of read.
pub const MAP_MIN_BYTES: u64 = 4 << 20;

/// The bytes of a file, read or mapped; either way a byte slice.
pub enum FileBytes {
    /// Read into memory (small files, and big ones that could not be mapped).
    Read(Vec<u8>),
    /// Mapped read-only.
    Mapped(memmap2::Mmap),
}

impl FileBytes {
    /// The bytes in memory of their own (a copy of a mapped file).
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            FileBytes::Read(bytes) => bytes,
            FileBytes::Mapped(map) => map.to_vec(),
        }
    }
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(bytes) => bytes,
            FileBytes::Mapped(map) => map,
        }
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(bytes: Vec<u8>) -> FileBytes {
        FileBytes::Read(bytes)
    }
}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self {
            FileBytes::Read(_) => "Read",
            FileBytes::Mapped(_) => "Mapped",
        };
        write!(f, "FileBytes::{how}({} bytes)", self.len())
    }
}

/// The bytes of the file at `path`: mapped when it holds at least
/// `map_from` bytes (and mapping works), else read. At most `limit + 1`
/// bytes are read, one more than allowed, so that a file that grew past
/// the limit after its size was checked is noticed by the caller.
pub fn file_bytes(path: &Path, limit: u64, map_from: u64) -> std::io::Result<FileBytes> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0).min(limit);
    if size >= map_from && size > 0 {
        // SAFETY: the map is read-only (nothing here writes through it);
        // what another process writes to the file meanwhile is seen as
        // changed bytes, which every reader of the map takes as untrusted
        // input (see the module documentation). Only a file shortened
        // under the map can fault, and that stops the process, as in any
        // tool that maps its input.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            return Ok(FileBytes::Mapped(map));
        }
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(FileBytes::Read(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file is the same bytes mapped or read, whatever its size.
    #[test]
    fn mapped_and_read_bytes_are_the_file() {
        let dir = std::env::temp_dir().join(format!("crm-file-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("rows.csv");
        let text: Vec<u8> = (0..100_000u32)
            .flat_map(|i| format!("{i},客户{i}\n").into_bytes())
            .collect();
        std::fs::write(&path, &text).expect("written");
        let mapped = file_bytes(&path, u64::MAX, 0).expect("mapped");
        let read = file_bytes(&path, u64::MAX, u64::MAX).expect("read");
        assert!(matches!(mapped, FileBytes::Mapped(_)), "{mapped:?}");
        assert!(matches!(read, FileBytes::Read(_)), "{read:?}");
        assert_eq!(&mapped[..], &text[..]);
        assert_eq!(&read[..], &text[..]);
        assert_eq!(mapped.into_vec(), text);
        // A read stops one byte past the limit; an empty file is read.
        let capped = file_bytes(&path, 10, u64::MAX).expect("read");
        assert_eq!(&capped[..], &text[..11]);
        std::fs::write(&path, b"").expect("emptied");
        assert!(file_bytes(&path, u64::MAX, 0).expect("read").is_empty());
        std::fs::remove_dir_all(&dir).expect("cleaned");
    }
}
