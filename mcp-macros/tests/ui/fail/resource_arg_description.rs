use quickmcp::prelude::*;

/// One page; `{id}` is its number.
#[resource("docs://{id}")]
fn page(#[arg(description = "The page number")] id: u32) -> String {
    id.to_string()
}

fn main() {
    let _ = Server::new("x").resource(page);
}
