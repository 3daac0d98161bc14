//! A zip package written from parts already compressed: the container of
//! the spliced workbook (`long_table`), whose biggest part is deflated in
//! pieces while rust_xlsxwriter saves the rest. Every part gets the fixed
//! time rust_xlsxwriter gives (1980-01-01 00:00) and Unix mode 0600, so
//! the same parts make the same bytes.

use rust_xlsxwriter::XlsxError;

/// The compression method of a part, as the zip format numbers it.
pub(super) const STORED: u16 = 0;
/// Deflate.
pub(super) const DEFLATED: u16 = 8;

/// 1980-01-01 in MS-DOS date form (the time is 00:00, 0).
const DOS_DATE_1980: u16 = (1 << 5) | 1;
/// "Made by" Unix, zip format 2.0; and the version needed to extract.
const MADE_BY_UNIX: u16 = (3 << 8) | 20;
const VERSION_NEEDED: u16 = 20;
/// A regular file readable and writable by its owner, in the high half of
/// the external attributes.
const UNIX_FILE_0600: u32 = 0o100_600 << 16;

/// A part's description: what the local header and the central directory
/// say of it.
pub(super) struct PartInfo<'a> {
    /// Its name in the package.
    pub name: &'a str,
    /// [`STORED`] or [`DEFLATED`].
    pub method: u16,
    /// CRC-32 of the uncompressed bytes.
    pub crc: u32,
    /// Uncompressed size.
    pub size: u64,
}

/// A zip package being written, part by part.
pub(super) struct Package {
    out: Vec<u8>,
    central: Vec<u8>,
    parts: u16,
}

impl Package {
    /// An empty package, with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Package {
        Package {
            out: Vec::with_capacity(capacity),
            central: Vec::new(),
            parts: 0,
        }
    }

    /// Adds a part whose compressed bytes are `pieces`, in order.
    pub fn add(&mut self, part: &PartInfo, pieces: &[&[u8]]) -> Result<(), XlsxError> {
        let compressed: usize = pieces.iter().map(|p| p.len()).sum();
        let offset = small(self.out.len() as u64)?;
        let (compressed, size) = (small(compressed as u64)?, small(part.size)?);
        let name = part.name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        self.parts = self.parts.checked_add(1).ok_or_else(too_big)?;
        let out = &mut self.out;
        put32(out, 0x0403_4b50);
        put16(out, VERSION_NEEDED);
        put16(out, 0); // flags
        put16(out, part.method);
        put16(out, 0); // time
        put16(out, DOS_DATE_1980);
        put32(out, part.crc);
        put32(out, compressed);
        put32(out, size);
        put16(out, name_len);
        put16(out, 0); // extra field
        out.extend_from_slice(name);
        for piece in pieces {
            out.extend_from_slice(piece);
        }
        let c = &mut self.central;
        put32(c, 0x0201_4b50);
        put16(c, MADE_BY_UNIX);
        put16(c, VERSION_NEEDED);
        put16(c, 0); // flags
        put16(c, part.method);
        put16(c, 0); // time
        put16(c, DOS_DATE_1980);
        put32(c, part.crc);
        put32(c, compressed);
        put32(c, size);
        put16(c, name_len);
        put16(c, 0); // extra field
        put16(c, 0); // comment
        put16(c, 0); // disk
        put16(c, 0); // internal attributes
        put32(c, UNIX_FILE_0600);
        put32(c, offset);
        c.extend_from_slice(name);
        Ok(())
    }

    /// The package: its parts, the central directory and its end record.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let offset = small(self.out.len() as u64)?;
        let size = small(self.central.len() as u64)?;
        self.out.append(&mut self.central);
        let out = &mut self.out;
        put32(out, 0x0605_4b50);
        put16(out, 0); // this disk
        put16(out, 0); // the directory's disk
        put16(out, self.parts);
        put16(out, self.parts);
        put32(out, size);
        put32(out, offset);
        put16(out, 0); // comment
        Ok(self.out)
    }
}

fn put16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// A size or offset within the 4 GiB a zip without its 64-bit extension
/// holds (a workbook of 100,000 listed findings is a few MB).
fn small(n: u64) -> Result<u32, XlsxError> {
    u32::try_from(n).map_err(|_| too_big())
}

fn too_big() -> XlsxError {
    XlsxError::ParameterError("the workbook is too big for a zip without zip64".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// What the zip crate reads back: each part's name and bytes.
    #[test]
    fn reads_back_with_the_zip_crate() {
        let text = b"<sheet>hello hello hello</sheet>".repeat(50);
        let mut deflate = flate2::Compress::new(flate2::Compression::new(2), false);
        let mut compressed = Vec::with_capacity(text.len() + 64);
        deflate
            .compress_vec(&text, &mut compressed, flate2::FlushCompress::Finish)
            .unwrap();
        let (first, second) = compressed.split_at(compressed.len() / 2);
        let mut package = Package::with_capacity(0);
        let part = |name, method, bytes: &[u8]| PartInfo {
            name,
            method,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u64,
        };
        package
            .add(&part("a/stored.xml", STORED, b"plain"), &[b"plain"])
            .unwrap();
        package
            .add(&part("b/deflated.xml", DEFLATED, &text), &[first, second])
            .unwrap();
        let bytes = package.finish().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), 2);
        let mut read = |name: &str| {
            let mut file = zip.by_name(name).unwrap();
            assert_eq!(file.unix_mode(), Some(0o100_600));
            let mut out = Vec::new();
            file.read_to_end(&mut out).unwrap();
            out
        };
        assert_eq!(read("a/stored.xml"), b"plain");
        assert_eq!(read("b/deflated.xml"), text);
    }
}
