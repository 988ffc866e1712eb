use quickmcp::prelude::*;

/// A space.
#[tool(name = "get weather")]
fn spaced() -> String {
    String::new()
}

/// Empty.
#[tool(name = "")]
fn empty() -> String {
    String::new()
}

/// Too long.
#[tool(name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
fn long() -> String {
    String::new()
}

/// Not ASCII, from the function's name.
#[tool]
fn café() -> String {
    String::new()
}

fn main() {}
