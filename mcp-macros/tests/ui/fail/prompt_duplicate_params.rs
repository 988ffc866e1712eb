use quickmcp::prelude::*;

/// Two arguments named `code`.
#[prompt]
fn review(code: String, #[arg(rename = "code")] source: String) -> String {
    code + &source
}

fn main() {
    let _ = Server::new("x").prompt(review);
}
