//! Fuzz target `phone`: see `crm_core_fuzz::phone` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crm_core_fuzz::phone(data);
});
