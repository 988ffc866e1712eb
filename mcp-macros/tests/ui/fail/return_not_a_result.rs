use quickmcp::prelude::*;

struct Opaque;

/// Returns something that is not a tool result.
#[tool]
fn give() -> Opaque {
    Opaque
}

fn main() {}
