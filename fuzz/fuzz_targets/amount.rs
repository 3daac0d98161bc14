//! Fuzz target `amount`: see `crm_core_fuzz::amount` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crm_core_fuzz::amount(data);
});
