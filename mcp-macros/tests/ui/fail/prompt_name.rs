use quickmcp::prelude::*;

/// An empty name.
#[prompt(name = "")]
fn empty_name() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x").prompt(empty_name);
}
