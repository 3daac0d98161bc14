//! Fuzz target `xlsx_read`: see `crm_core_fuzz::xlsx_read` (fuzz/src/lib.rs).
//!
//! crm-core runs calamine under `catch_unwind` and turns its panics into a
//! "cannot read the workbook" error, by design. libFuzzer's panic hook
//! aborts on every panic, caught or not, so the init block restores the
//! standard hook: a panic caught inside crm-core is then only printed, and
//! one that escapes `xlsx_read` still aborts (libfuzzer-sys checks for it).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: {
        drop(std::panic::take_hook());
    },
    |data: &[u8]| {
        crm_core_fuzz::xlsx_read(data);
    }
);
