use quickmcp::prelude::*;

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object"})
}

/// Header names that are no header names, and two that are the same ignoring case.
#[tool]
fn names(
    #[arg(header = "")] a: String,
    #[arg(header = "My Region")] b: String,
    #[arg(header = "Zone:1")] c: String,
    #[arg(header = "Region")] d: String,
    #[arg(header = "REGION")] e: String,
    #[arg(header = 5)] f: String,
) -> String {
    a + &b + &c + &d + &e + &f
}

/// A pattern has no property to mirror.
#[tool]
fn pattern(#[arg(header = "Whole")] Args(args): Args<serde_json::Value>) -> String {
    args.to_string()
}

/// A hand-written schema replaces the generated one, header and all.
#[tool(input_schema = schema)]
fn hand_written(#[arg(header = "Region")] region: String) -> String {
    region
}

/// Resources and prompts have no headers.
#[resource("docs://{id}")]
fn page(#[arg(header = "Id")] id: String) -> String {
    id
}

/// A prompt.
#[prompt]
fn greet(#[arg(header = "Name")] name: String) -> String {
    name
}

fn main() {}
