use quickmcp::prelude::*;

/// Every problem of the attribute's keys, in source order.
#[prompt(
    nam = "review",
    title = Review,
    title = "Again",
    name = review,
    description = 1,
    icons = ["https://example.com/icon.png", 2],
)]
fn review(code: String) -> String {
    code
}

/// A syntax error.
#[prompt(name = )]
fn syntax(code: String) -> String {
    code
}

fn main() {
    let _ = Server::new("x").prompt(review).prompt(syntax);
}
