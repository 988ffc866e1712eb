use quickmcp::prelude::*;

/// Says hello.
#[tool(name = hello, title = 1, description)]
fn hello(name: String) -> String {
    name
}

fn main() {}
