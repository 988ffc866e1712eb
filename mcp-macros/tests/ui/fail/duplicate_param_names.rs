use quickmcp::prelude::*;

/// Two parameters, one property name.
#[tool]
fn clash(query: String, #[arg(rename = "query")] q: String) -> String {
    query + &q
}

/// Raw identifiers are the same name.
#[tool]
fn raw(r#type: String, #[arg(rename = "type")] kind: String) -> String {
    r#type + &kind
}

fn main() {}
