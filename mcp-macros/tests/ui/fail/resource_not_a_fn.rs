use quickmcp::prelude::*;

/// A struct.
#[resource("docs://readme")]
struct Readme;

// A function declaration without a body.
extern "C" {
    #[resource("docs://readme")]
    fn declared() -> String;
}

fn main() {}
