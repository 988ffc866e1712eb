use quickmcp::prelude::*;

struct Code;

/// `Code` is neither `FromStr` nor injectable.
#[prompt]
fn review(code: Code) -> String {
    let _ = code;
    String::new()
}

fn main() {}
