use quickmcp::prelude::*;

/// Says hello.
#[tool(read_only = "yes", destructive(true), idempotent = 1, open_world = no)]
fn hello(name: String) -> String {
    name
}

fn main() {}
