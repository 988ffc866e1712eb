use quickmcp::prelude::*;

/// Returns an opaque type.
#[tool]
fn opaque() -> impl std::fmt::Display {
    42
}

/// Returns a nested opaque type.
#[tool]
fn nested() -> Result<impl std::fmt::Display, String> {
    Ok::<_, String>(42)
}

fn main() {}
