//! Fuzz target `header`: see `crm_core_fuzz::header` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crm_core_fuzz::header(data);
});
