use quickmcp::prelude::*;

/// Says hello.
#[tool(icons = "https://example.com/icon.png")]
fn hello(name: String) -> String {
    name
}

/// Says goodbye.
#[tool(icons = ["https://example.com/icon.png", 42])]
fn goodbye(name: String) -> String {
    name
}

fn main() {}
