use quickmcp::prelude::*;
use quickmcp::ToolHandler;

/// Optional arguments are not required.
#[tool]
fn search(query: String, limit: Option<u32>, filters: Option<Vec<String>>) -> String {
    format!("{query} {limit:?} {filters:?}")
}

fn main() {
    let definition = serde_json::to_value(search.definition()).unwrap();
    assert_eq!(definition["inputSchema"]["required"], serde_json::json!(["query"]));
    let _ = Server::new("x").tool(search);
}
