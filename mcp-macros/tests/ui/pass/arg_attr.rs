use quickmcp::prelude::*;
use quickmcp::ToolHandler;

/// Searches the catalogue.
#[tool]
fn search(
    #[arg(description = "Words to look for.")] query: String,
    #[arg(rename = "max", description = "At most this many hits.")] limit: Option<u32>,
    #[arg(rename = "type")] kind: Option<String>,
) -> String {
    format!("{query} {limit:?} {kind:?}")
}

fn main() {
    let definition = serde_json::to_value(search.definition()).unwrap();
    let properties = &definition["inputSchema"]["properties"];
    assert_eq!(properties["query"]["description"], "Words to look for.");
    assert_eq!(properties["max"]["description"], "At most this many hits.");
    assert!(properties["type"].is_object());
    assert!(properties.get("limit").is_none());
    let _ = Server::new("x").tool(search);
}
