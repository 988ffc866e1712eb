use quickmcp::prelude::*;

/// A struct.
#[tools]
struct Calculator;

/// A function.
#[tools]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn main() {}
