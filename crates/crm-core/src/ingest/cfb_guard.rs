//! A pre-check of OLE2 compound files (`.xls`) before calamine opens them.
//!
//! calamine's xls reader does, while *opening* the file, three things that a
//! hostile or damaged file turns into a hang or an allocation it cannot
//! survive (an allocation failure aborts the process; `catch_unwind` cannot
//! catch it):
//!
//! - it follows sector chains without a bound: a chain that loops back on
//!   itself makes it read the same sectors forever, the directory chain
//!   growing a buffer until memory runs out;
//! - it builds the sector table from every entry of the DIFAT, so a DIFAT
//!   naming one sector a million times makes a table 128 times the file;
//! - for every sheet it reserves room for the area its `Dimensions` record
//!   declares and lays out its cells as a dense rectangle from the smallest to
//!   the largest row and column used: two cells at `A1` and at row 65 536,
//!   column 65 536 make a rectangle of four billion cells; sheets that point
//!   at the same records are read again and again.
//!
//! [`check_cfb`] mirrors those steps on the bytes, without allocating more
//! than the file's size, and refuses such files; what calamine would reject
//! by itself (a bad signature, a chain leaving the file...) is left to it.
//! The mirror follows calamine 0.38 (`cfb.rs`, `xls.rs`).

/// Marks the end of a sector chain.
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Sector ids from here on are markers, not sectors.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// DIFAT entries at or above this name no FAT sector.
const DIFSECT: u32 = 0xFFFF_FFFC;
/// The size of a mini sector.
const MINI_SECTOR: usize = 64;
/// Streams shorter than this live in the mini stream.
const MINI_STREAM_CUTOFF: usize = 4096;

/// Why [`check_cfb`] refused a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CfbProblem {
    /// The container is damaged in a way the reader cannot survive; the text
    /// says how, for the user.
    Corrupt(&'static str),
    /// Laying out the sheets would take more than the cell limit.
    TooManyCells,
}

/// What the mirror of one calamine step found.
enum Step<T> {
    /// The step succeeds with this value.
    Ok(T),
    /// calamine fails (an error or a panic, which the caller catches) at or
    /// before this step without any of the harm checked for here.
    CalamineFails,
}

/// Unwraps a [`Step`], returning `Ok(Step::CalamineFails)` from the
/// function when calamine fails.
macro_rules! step {
    ($e:expr) => {
        match $e {
            Step::Ok(v) => v,
            Step::CalamineFails => return Ok(Step::CalamineFails),
        }
    };
}

/// Checks an OLE2 file before calamine's xls reader opens it: sector chains
/// must not loop, the sector table must not be larger than the file, and the
/// cells every sheet would lay out (dense rectangles, and the room reserved
/// for declared dimensions) must stay within `max_cells` in all.
pub(crate) fn check_cfb(bytes: &[u8], max_cells: usize) -> Result<(), CfbProblem> {
    let Step::Ok(cfb) = Container::open(bytes)? else {
        return Ok(());
    };
    // calamine falls back to `Book` (BIFF5) when `Workbook` cannot be read.
    let stream = match cfb.stream("Workbook")? {
        Step::Ok(s) => s,
        Step::CalamineFails => match cfb.stream("Book")? {
            Step::Ok(s) => s,
            Step::CalamineFails => return Ok(()),
        },
    };
    check_biff(&stream, max_cells)
}

/// Little-endian `u16` at `at`, if the bytes are there.
fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// Little-endian `u32` at `at`, if the bytes are there.
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Little-endian `u64` at `at`, if the bytes are there.
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// calamine's `to_u32`: a slice of whole `u32`s. calamine asserts (panics)
/// on a length that is not a multiple of 4, which a sector cut short by the
/// end of the file can have: refused here instead.
fn to_u32(s: &[u8]) -> Result<impl Iterator<Item = u32> + '_, CfbProblem> {
    if !s.len().is_multiple_of(4) {
        return Err(CfbProblem::Corrupt(
            "it is cut short: a sector table ends mid-entry",
        ));
    }
    Ok(s.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
}

/// One directory entry: name, first sector, length.
struct Directory {
    /// The name, cut at its first NUL.
    name: String,
    /// The first sector (or mini sector).
    start: u32,
    /// The stream length in bytes.
    len: usize,
}

/// The parts of a compound file that calamine reads when opening it.
struct Container<'a> {
    /// The whole file.
    bytes: &'a [u8],
    /// 512 or 4096.
    sector_size: usize,
    /// The largest sector id calamine accepts.
    maxid: u32,
    /// The sector table.
    fats: Vec<u32>,
    /// The mini sector table.
    mini_fats: Vec<u32>,
    /// The mini stream.
    ministream: Vec<u8>,
    /// The directory entries.
    dirs: Vec<Directory>,
    /// Reads of sectors cut short by the end of the file (see [`Container::sector`]).
    short_reads: std::cell::Cell<u32>,
}

impl<'a> Container<'a> {
    /// Mirrors calamine's `Cfb::new`, refusing loops and oversized tables.
    fn open(bytes: &'a [u8]) -> Result<Step<Container<'a>>, CfbProblem> {
        if bytes.len() < 512 || !bytes.starts_with(super::excel::CFB_MAGIC) {
            return Ok(Step::CalamineFails);
        }
        let version = u16_at(bytes, 26).unwrap_or(0);
        let sector_size = match u16_at(bytes, 30) {
            Some(0x0009) => 512,
            Some(0x000C) if bytes.len() >= 4096 => 4096,
            _ => return Ok(Step::CalamineFails),
        };
        if u16_at(bytes, 32) != Some(0x0006) {
            return Ok(Step::CalamineFails);
        }
        let field = |at: usize| u32_at(bytes, at).unwrap_or(0);
        let (dir_start, mini_fat_start, mini_fat_len, difat_start) =
            (field(48), field(60), field(64) as usize, field(68));
        let maxid = u32::try_from(bytes.len() / sector_size).unwrap_or(u32::MAX);
        let mut cfb = Container {
            bytes,
            sector_size,
            maxid,
            fats: Vec::new(),
            mini_fats: Vec::new(),
            ministream: Vec::new(),
            dirs: Vec::new(),
            short_reads: std::cell::Cell::new(0),
        };

        // The DIFAT: 109 entries in the header, then a chain of DIFAT sectors
        // (calamine bounds that chain itself).
        let mut difat: Vec<u32> = to_u32(&bytes[76..512])?.collect();
        let mut sector_id = difat_start;
        let mut difat_sectors = 0usize;
        while sector_id < RESERVED_SECTORS {
            difat_sectors += 1;
            if difat_sectors > (maxid as usize).saturating_add(1) {
                return Ok(Step::CalamineFails);
            }
            let Some(sector) = cfb.sector(sector_id)? else {
                return Ok(Step::CalamineFails);
            };
            difat.extend(to_u32(sector)?);
            let Some(next) = difat.pop() else {
                return Ok(Step::CalamineFails);
            };
            sector_id = next;
        }

        // The FAT: one sector per DIFAT entry. A real file names each FAT
        // sector once, so there are never more than the file has sectors.
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
        if fat_sectors.len() > (maxid as usize).saturating_add(1) {
            return Err(CfbProblem::Corrupt(
                "its sector table names more sectors than the file holds",
            ));
        }
        let mut fats = Vec::new();
        for id in fat_sectors {
            let Some(sector) = cfb.sector(id)? else {
                return Ok(Step::CalamineFails);
            };
            fats.extend(to_u32(sector)?);
        }
        if has_cycle(&fats) {
            return Err(CfbProblem::Corrupt("its sector chains loop"));
        }
        cfb.fats = fats;

        // The directory.
        let dir_bytes = step!(cfb.chain(dir_start, usize::MAX)?);
        let large = sector_size == 4096;
        cfb.dirs = dir_bytes
            .chunks(128)
            .filter(|c| c.len() == 128)
            .map(|c| Directory::from_slice(c, large))
            .collect();
        let Some(root) = cfb.dirs.first() else {
            return Ok(Step::CalamineFails);
        };
        if version != 3 && root.start == ENDOFCHAIN {
            return Ok(Step::CalamineFails);
        }

        // The mini stream and its table.
        if mini_fat_len > 0 {
            let (root_start, root_len) = (root.start, root.len);
            cfb.ministream = step!(cfb.chain(root_start, root_len)?);
            let table = step!(cfb.chain(mini_fat_start, mini_fat_len.saturating_mul(sector_size))?);
            cfb.mini_fats = to_u32(&table)?.collect();
            if has_cycle(&cfb.mini_fats) {
                return Err(CfbProblem::Corrupt("its mini sector chains loop"));
            }
        }
        Ok(Step::Ok(cfb))
    }

    /// Sector `id` as calamine reads it: the bytes after the header block,
    /// cut short at the end of the file; `Ok(None)` past `maxid` (an error).
    ///
    /// calamine reads a sector cut short by the end of the file as it is the
    /// first time, but zero-padded to a whole sector the next time, which
    /// would shift everything after it in a stream: a file that reads such
    /// a sector twice (no real file does) is refused, and so is one that
    /// reads a sector starting past the end of the file.
    fn sector(&self, id: u32) -> Result<Option<&'a [u8]>, CfbProblem> {
        if id > self.maxid {
            return Ok(None);
        }
        let start = (id as usize + 1).saturating_mul(self.sector_size);
        if start > self.bytes.len() {
            // calamine slices its buffer from this offset, past what it
            // could read: a panic (caught, but printed), or zeros.
            return Err(CfbProblem::Corrupt(
                "it is cut short: a sector lies past the end of the file",
            ));
        }
        let end = (start + self.sector_size).min(self.bytes.len());
        if end - start < self.sector_size {
            self.short_reads.set(self.short_reads.get() + 1);
            if self.short_reads.get() > 1 {
                return Err(CfbProblem::Corrupt(
                    "it is cut short: its streams run past the end of the file",
                ));
            }
        }
        Ok(Some(&self.bytes[start..end]))
    }

    /// A chain of sectors of at most `len` bytes (calamine's `get_chain`).
    /// The FAT has no cycle, so it ends within `fats.len()` steps.
    fn chain(&self, start: u32, len: usize) -> Result<Step<Vec<u8>>, CfbProblem> {
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            let Some(sector) = self.sector(id)? else {
                return Ok(Step::CalamineFails);
            };
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            // calamine indexes the table without a check: out of range panics.
            let Some(&next) = self.fats.get(id as usize) else {
                return Ok(Step::CalamineFails);
            };
            id = next;
        }
        Ok(Step::Ok(out))
    }

    /// A chain of mini sectors of at most `len` bytes. calamine reads a mini
    /// sector past the end of the mini stream from wherever its file reader
    /// stands; no real file does that, and it cannot be mirrored, so such a
    /// chain is refused.
    fn mini_chain(&self, start: u32, len: usize) -> Result<Step<Vec<u8>>, CfbProblem> {
        let mut out = Vec::new();
        let mut id = start;
        let max_mini = (self.maxid as usize).saturating_mul(8);
        while id != ENDOFCHAIN {
            if id as usize > max_mini {
                return Ok(Step::CalamineFails);
            }
            let begin = id as usize * MINI_SECTOR;
            let Some(sector) = self.ministream.get(begin..begin + MINI_SECTOR) else {
                return Err(CfbProblem::Corrupt(
                    "a stream points past the end of its mini stream",
                ));
            };
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            let Some(&next) = self.mini_fats.get(id as usize) else {
                return Ok(Step::CalamineFails);
            };
            id = next;
        }
        Ok(Step::Ok(out))
    }

    /// The stream of the first directory entry named `name` (ASCII case
    /// ignored), read as calamine's `get_stream` does.
    fn stream(&self, name: &str) -> Result<Step<Vec<u8>>, CfbProblem> {
        let Some(d) = self
            .dirs
            .iter()
            .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        else {
            return Ok(Step::CalamineFails);
        };
        if d.len < MINI_STREAM_CUTOFF {
            self.mini_chain(d.start, d.len)
        } else {
            self.chain(d.start, d.len)
        }
    }
}

impl Directory {
    /// calamine's `Directory::from_slice` on a 128-byte entry.
    fn from_slice(buf: &[u8], large: bool) -> Directory {
        let units: Vec<u16> = buf[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let mut name = String::from_utf16_lossy(&units);
        if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
            name.truncate(l);
        }
        let start = u32_at(buf, 116).unwrap_or(0);
        let len = if large {
            usize::try_from(u64_at(buf, 120).unwrap_or(0)).unwrap_or(usize::MAX)
        } else {
            u32_at(buf, 120).unwrap_or(0) as usize
        };
        Directory { name, start, len }
    }
}

/// True when following `table[i]` from some index comes back to an index
/// already on the path (ids outside the table end a chain).
fn has_cycle(table: &[u32]) -> bool {
    // 0: not seen, 1: on the current path, 2: known to end.
    let n = table.len();
    let mut state = vec![0u8; n];
    let mut path = Vec::new();
    for first in 0..n {
        if state[first] != 0 {
            continue;
        }
        let mut i = first;
        loop {
            state[i] = 1;
            path.push(i);
            let next = table[i] as usize;
            if next >= n {
                break;
            }
            match state[next] {
                0 => i = next,
                1 => return true,
                _ => break,
            }
        }
        for p in path.drain(..) {
            state[p] = 2;
        }
    }
    false
}

/// One BIFF record: type, data, and the data of the CONTINUE records after it.
struct Record<'a> {
    /// The record type.
    typ: u16,
    /// The record's own data.
    data: &'a [u8],
}

/// calamine's `RecordIter`: records one after another, CONTINUE records
/// (0x003C) folded into the one before; `Err` where calamine reports a
/// truncated record.
struct Records<'a> {
    /// What is left of the stream.
    rest: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ()>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.len() < 4 {
            return if self.rest.is_empty() {
                None
            } else {
                Some(Err(()))
            };
        }
        let typ = u16::from_le_bytes([self.rest[0], self.rest[1]]);
        let len = u16::from_le_bytes([self.rest[2], self.rest[3]]) as usize;
        if self.rest.len() < len + 4 {
            return Some(Err(()));
        }
        let (record, next) = self.rest.split_at(len + 4);
        self.rest = next;
        if next.len() > 4 && u16_at(next, 0) == Some(0x003C) {
            while self.rest.len() > 4 && u16_at(self.rest, 0) == Some(0x003C) {
                let l = u16_at(self.rest, 2).unwrap_or(0) as usize;
                if self.rest.len() < l + 4 {
                    return Some(Err(()));
                }
                self.rest = &self.rest[l + 4..];
            }
        }
        Some(Ok(Record {
            typ,
            data: &record[4..],
        }))
    }
}

/// The smallest rectangle holding some cells.
#[derive(Default)]
struct Bounds {
    /// `(first row, last row, first column, last column)`, once a cell is seen.
    span: Option<(u32, u32, u32, u32)>,
}

impl Bounds {
    /// Takes in a cell.
    fn add(&mut self, row: u32, col: u32) {
        self.span = Some(match self.span {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    /// The rectangle's area, in cells.
    fn area(&self) -> u64 {
        self.span.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1))
        })
    }
}

/// Mirrors calamine's `parse_workbook` on the workbook stream: the
/// `BoundSheet8` records of the globals give where each sheet's records
/// start; each sheet is read from there to its `EOF`. Refuses a workbook
/// whose sheets together would lay out more than `max_cells` cells, whose
/// `Dimensions` would reserve more, or whose sheets overlap so that reading
/// them would take more than twice the stream.
fn check_biff(stream: &[u8], max_cells: usize) -> Result<(), CfbProblem> {
    let max = max_cells as u64;
    let mut positions = Vec::new();
    for record in (Records { rest: stream }) {
        let Ok(r) = record else { return Ok(()) };
        match r.typ {
            // FilePass: calamine reports the password.
            0x002F if u16_at(r.data, 0) != Some(0) => return Ok(()),
            // BoundSheet8: the sheet's records start at this offset
            // (calamine indexes the record without a check: panics if short).
            0x0085 => match u32_at(r.data, 0) {
                Some(pos) if r.data.len() > 4 => positions.push(pos as usize),
                _ => return Err(CfbProblem::Corrupt("a sheet record is cut short")),
            },
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    let mut scanned: u64 = 0;
    let scan_limit = (stream.len() as u64).saturating_mul(2);
    for pos in positions {
        let Some(sheet) = stream.get(pos..) else {
            // calamine slices the stream from there: a panic.
            return Err(CfbProblem::Corrupt(
                "a sheet starts past the end of the workbook stream",
            ));
        };
        let mut cells = Bounds::default();
        let mut formulas = Bounds::default();
        let mut formula_pos = (0u32, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        let mut records = Records { rest: sheet };
        let mut failed = false;
        for record in records.by_ref() {
            let Ok(r) = record else {
                failed = true;
                break;
            };
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |i: usize| u16_at(r.data, i).map(u32::from);
            match r.typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                // Dimensions: calamine reserves rows × columns cells.
                0x0200 => {
                    let Some(area) = dimensions_area(r.data) else {
                        failed = true;
                        break;
                    };
                    if area > max {
                        return Err(CfbProblem::TooManyCells);
                    }
                }
                // Number, Label, RString, BoolErr, Rk, LabelSst: a cell at (row, col).
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let (Some(row), Some(col)) = (at(0), at(2)) {
                        cells.add(row, col);
                    }
                }
                // String (a formula's text result): at the last formula's place.
                0x0207 => cells.add(formula_pos.0, formula_pos.1),
                // MulRk: cells from the first to the last column.
                0x00BD => {
                    let last = r.data.len().checked_sub(2).and_then(|i| u16_at(r.data, i));
                    if let (Some(row), Some(first), Some(last)) = (at(0), at(2), last) {
                        cells.add(row, first);
                        cells.add(row, u32::from(last));
                    }
                }
                // Formula: its value (maybe) and its text.
                0x0006 => {
                    if let (Some(row), Some(col)) = (at(0), at(2)) {
                        formula_pos = (row, col);
                        cells.add(row, col);
                        formulas.add(row, col);
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        scanned = scanned.saturating_add((sheet.len() - records.rest.len()) as u64);
        if scanned > scan_limit {
            return Err(CfbProblem::Corrupt(
                "its sheets point at the same records again and again",
            ));
        }
        total = total
            .saturating_add(cells.area())
            .saturating_add(formulas.area());
        if total > max {
            return Err(CfbProblem::TooManyCells);
        }
        if failed {
            // calamine stops with an error here, having laid out the sheets so far.
            return Ok(());
        }
    }
    Ok(())
}

/// The area calamine reserves for a `Dimensions` record (its
/// `parse_dimensions`, then `rows × cols` with the wrapping arithmetic of a
/// release build); `None` for a record calamine rejects.
fn dimensions_area(r: &[u8]) -> Option<u64> {
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0)?),
            u32::from(u16_at(r, 2)?),
            u32::from(u16_at(r, 4)?),
            u32::from(u16_at(r, 6)?),
        ),
        14 | 16 => (
            u32_at(r, 0)?,
            u32_at(r, 4)?,
            u32::from(u16_at(r, 8)?),
            u32::from(u16_at(r, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
    Some(rows.saturating_mul(cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        assert!(!has_cycle(&[]));
        assert!(!has_cycle(&[1, 2, ENDOFCHAIN]));
        assert!(!has_cycle(&[1, ENDOFCHAIN, 1, 2]));
        assert!(has_cycle(&[0]));
        assert!(has_cycle(&[1, 2, 0]));
        assert!(has_cycle(&[ENDOFCHAIN, 2, 3, 1]));
        // Many chains ending in one: linear, no cycle.
        let many: Vec<u32> = (0..10_000u32)
            .map(|i| if i == 0 { ENDOFCHAIN } else { i / 2 })
            .collect();
        assert!(!has_cycle(&many));
    }

    #[test]
    fn dimensions_wrap_like_calamine() {
        // rows 0..=9, columns 0..=4.
        let mut d = Vec::new();
        d.extend(0u32.to_le_bytes());
        d.extend(10u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(5u16.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        assert_eq!(dimensions_area(&d), Some(50));
        // A first row after the last one wraps to about four billion rows.
        d[0..4].copy_from_slice(&20u32.to_le_bytes());
        assert!(dimensions_area(&d).is_some_and(|a| a > 1 << 32));
        assert_eq!(dimensions_area(&d[..9]), None);
    }
}
