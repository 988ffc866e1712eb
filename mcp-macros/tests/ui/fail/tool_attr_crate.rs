use quickmcp::prelude::*;

/// Says hello.
#[tool(crate = 42)]
fn hello(name: String) -> String {
    name
}

/// Says goodbye.
#[tool(crate = "not a path")]
fn goodbye(name: String) -> String {
    name
}

fn main() {}
