use quickmcp::prelude::*;

/// Says hello.
#[tool]
fn hello(
    #[arg] name: String,
    #[arg(desc = "The greeting.")] greeting: String,
    #[arg(description = 5)] times: u32,
    #[arg(rename = "")] shout: bool,
    #[arg(rename = "a", rename = "b")] punctuation: String,
    #[arg = "x"] suffix: String,
    #[arg(description = )] prefix: String,
) -> String {
    let _ = (greeting, times, shout, punctuation, suffix, prefix);
    name
}

fn main() {}
