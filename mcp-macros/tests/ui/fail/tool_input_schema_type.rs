use quickmcp::prelude::*;

fn schema() -> u32 {
    1
}

/// The schema function returns neither `Value` nor JSON text.
#[tool(input_schema = schema)]
fn search(Args(args): Args<serde_json::Value>) -> String {
    args.to_string()
}

fn main() {}
