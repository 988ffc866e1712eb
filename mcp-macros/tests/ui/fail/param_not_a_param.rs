use quickmcp::prelude::*;

struct Opaque;

/// Takes something that is neither an argument nor injectable.
#[tool]
fn take(name: String, thing: Opaque) -> String {
    let _ = thing;
    name
}

fn main() {}
