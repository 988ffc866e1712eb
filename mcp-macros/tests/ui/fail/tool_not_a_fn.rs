use quickmcp::prelude::*;

/// A struct.
#[tool]
struct Hello;

// A function declaration without a body.
extern "C" {
    #[tool]
    fn declared(name: String) -> String;
}

fn main() {}
