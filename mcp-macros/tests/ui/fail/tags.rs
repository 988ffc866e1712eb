use quickmcp::prelude::*;

/// A string, not a list.
#[tool(tags = "admin")]
fn one(name: String) -> String {
    name
}

/// Identifiers, not strings.
#[resource("logs://audit", tags = [admin])]
fn audit() -> String {
    "log".into()
}

/// An empty tag.
#[prompt(tags = ["beta", ""])]
fn review(code: String) -> String {
    code
}

fn main() {}
