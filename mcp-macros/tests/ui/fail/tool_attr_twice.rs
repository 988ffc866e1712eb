use quickmcp::prelude::*;

/// Says hello.
#[tool(name = "hello", read_only, name = "hi", read_only = false)]
fn hello(name: String) -> String {
    name
}

fn main() {}
