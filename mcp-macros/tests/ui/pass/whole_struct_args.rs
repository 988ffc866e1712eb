use quickmcp::prelude::*;
use quickmcp::ToolHandler;

/// What to search for.
#[derive(Deserialize, JsonSchema)]
struct Search {
    /// Words to look for.
    query: String,
    /// At most this many hits.
    limit: Option<u32>,
}

/// Searches; the whole arguments object is one struct, its field docs the descriptions.
#[tool]
fn search(Args(input): Args<Search>) -> String {
    format!("{} {:?}", input.query, input.limit)
}

/// The same, bound by a name instead of a pattern, next to an injected value.
#[tool]
fn search_named(args: Args<Search>, ctx: Context) -> String {
    let _ = ctx;
    args.0.query
}

fn main() {
    for tool in [search.definition(), search_named.definition()] {
        let definition = serde_json::to_value(tool).unwrap();
        let schema = &definition["inputSchema"];
        assert_eq!(schema["properties"]["query"]["description"], "Words to look for.");
        assert_eq!(schema["properties"]["limit"]["description"], "At most this many hits.");
        assert_eq!(schema["required"], serde_json::json!(["query"]));
    }
    let _ = Server::new("x").tool(search).tool(search_named);
}
