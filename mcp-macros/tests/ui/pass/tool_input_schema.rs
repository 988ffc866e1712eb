// `#[tool(input_schema = path)]`: a hand-written input schema, as a `serde_json::Value` or as
// JSON text served byte for byte.
use quickmcp::prelude::*;
use quickmcp::ToolHandler;
use serde_json::{json, Value};

fn search_schema() -> Value {
    json!({"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]})
}

mod schemas {
    pub fn lookup() -> &'static str {
        r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"id":{"type":"integer"}}}"#
    }
}

/// Searches.
#[tool(input_schema = search_schema)]
fn search(Args(args): Args<Value>) -> String {
    args["q"].as_str().unwrap_or_default().to_owned()
}

/// Looks one up.
#[tool(input_schema = schemas::lookup, read_only)]
fn lookup(Args(args): Args<Value>) -> String {
    args["id"].to_string()
}

fn main() {
    assert_eq!(search.definition().input_schema, search_schema());
    let json = serde_json::to_string(&lookup.definition()).unwrap();
    assert!(
        json.contains(&format!(r#""inputSchema":{}"#, schemas::lookup())),
        "{json}"
    );
    let _ = Server::new("x").tool(search).tool(lookup);
}
