use quickmcp::prelude::*;

struct Text;

/// Returns something that is not a prompt.
#[prompt]
fn review() -> Text {
    Text
}

/// The same, inside a Result, from an async fn.
#[prompt]
async fn later() -> Result<Text, String> {
    Ok(Text)
}

/// No return type.
#[prompt]
fn nothing() {}

fn main() {}
