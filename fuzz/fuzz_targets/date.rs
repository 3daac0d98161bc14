//! Fuzz target `date`: see `crm_core_fuzz::date` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crm_core_fuzz::date(data);
});
