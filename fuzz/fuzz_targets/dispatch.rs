#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quickmcp_fuzz::dispatch(data));
