use quickmcp::prelude::*;

/// An empty name.
#[prompt(name = "")]
fn empty_name() -> String {
    String::new()
}

// No doc comment, no description.
#[prompt]
fn undocumented() -> String {
    String::new()
}

/// A blank description wins over the doc comment, and counts as none.
#[prompt(description = "  ")]
fn blank() -> String {
    String::new()
}

// Renamed, undocumented: the error points at the name.
#[prompt(name = "renamed")]
fn renamed_undocumented() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x")
        .prompt(empty_name)
        .prompt(undocumented)
        .prompt(blank)
        .prompt(renamed_undocumented);
}
