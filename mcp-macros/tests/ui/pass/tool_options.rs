use quickmcp::prelude::*;
use quickmcp::ToolHandler;

/// Ignored: `description` wins over the doc comment.
#[tool(
    name = "catalogue.delete-item",
    title = "Delete an item",
    description = "Deletes an item from the catalogue.",
    read_only = false,
    destructive,
    idempotent = true,
    open_world = false,
    icons = ["https://example.com/delete.png", "data:image/png;base64,AA=="],
)]
fn delete(id: u64) -> String {
    format!("deleted {id}")
}

/// A description from `include_str!`-style macros works too:
#[doc = concat!("line ", "two")]
#[tool]
fn documented() {}

struct Catalogue;

#[tools]
impl Catalogue {
    /// Lists the items.
    #[tool(name = "catalogue.list", title = "List", read_only, idempotent, open_world)]
    fn list(&self) -> String {
        String::new()
    }
}

impl Catalogue {
    fn unused(&self) {}
}

fn main() {
    Catalogue.unused();
    let definition = serde_json::to_value(delete.definition()).unwrap();
    assert_eq!(definition["name"], "catalogue.delete-item");
    assert_eq!(definition["title"], "Delete an item");
    assert_eq!(definition["description"], "Deletes an item from the catalogue.");
    assert_eq!(
        definition["annotations"],
        serde_json::json!({
            "readOnlyHint": false,
            "destructiveHint": true,
            "idempotentHint": true,
            "openWorldHint": false
        })
    );
    assert_eq!(definition["icons"][0]["src"], "https://example.com/delete.png");
    assert_eq!(
        documented.definition().description.as_deref(),
        Some("A description from `include_str!`-style macros works too:\nline two")
    );
    let _ = Server::new("x").tool(delete).tool(documented).tools(Catalogue);
}
