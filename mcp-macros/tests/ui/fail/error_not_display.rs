use quickmcp::prelude::*;

#[derive(Debug)]
struct Failure;

/// Fails with an error that is not `Display`.
#[tool]
fn fails() -> Result<String, Failure> {
    Err(Failure)
}

fn main() {}
