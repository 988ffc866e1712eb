use quickmcp::prelude::*;

/// A struct.
#[prompt]
struct Review;

// A function declaration without a body.
extern "C" {
    #[prompt]
    fn declared() -> String;
}

fn main() {}
