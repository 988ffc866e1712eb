use quickmcp::prelude::*;

/// The schema as a string literal.
#[tool(input_schema = "{\"type\": \"object\"}")]
fn literal(Args(args): Args<serde_json::Value>) -> String {
    args.to_string()
}

/// The schema as a call.
#[tool(input_schema = schema())]
fn called(Args(args): Args<serde_json::Value>) -> String {
    args.to_string()
}

/// A flag.
#[tool(input_schema)]
fn flag(Args(args): Args<serde_json::Value>) -> String {
    args.to_string()
}

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object"})
}

fn main() {}
