#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quickmcp_fuzz::last_event_id(data));
