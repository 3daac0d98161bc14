//! Fuzz target `csv_read`: see `crm_core_fuzz::csv_read` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crm_core_fuzz::csv_read(data);
});
