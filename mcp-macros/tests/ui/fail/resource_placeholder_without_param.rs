use quickmcp::prelude::*;

// `{section}` has no parameter; `{id}` is bound through #[arg(rename)].
#[resource("docs://{id}/{section}")]
fn page(#[arg(rename = "id")] page_id: u32) -> String {
    page_id.to_string()
}

fn main() {
    let _ = Server::new("x").resource(page);
}
