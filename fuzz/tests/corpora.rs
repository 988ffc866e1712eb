//! Replays every committed corpus input and every crash found through its target's function
//! on stable: a crash once found stays fixed.

use std::fs;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            run(&fs::read(&path).unwrap());
            count += 1;
        }
    }
    assert!(count > 0, "no corpus for {target}: run scripts/fuzz.sh");
}

#[test]
fn dispatch() {
    replay("dispatch", quickmcp_fuzz::dispatch);
}

#[test]
fn tool_arguments() {
    replay("tool_arguments", quickmcp_fuzz::tool_arguments);
}

#[test]
fn last_event_id() {
    replay("last_event_id", quickmcp_fuzz::last_event_id);
}

#[test]
fn header_value() {
    replay("header_value", quickmcp_fuzz::header_value);
}

#[test]
fn uri_template() {
    replay("uri_template", quickmcp_fuzz::uri_template);
}
