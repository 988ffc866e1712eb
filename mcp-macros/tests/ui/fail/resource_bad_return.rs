use quickmcp::prelude::*;

struct Page;

#[resource("docs://readme")]
fn readme() -> Page {
    Page
}

#[resource("docs://{id}")]
async fn page(id: u32) -> Result<Page, String> {
    let _ = id;
    Ok(Page)
}

// No return type.
#[resource("docs://nothing")]
fn nothing() {}

fn main() {}
