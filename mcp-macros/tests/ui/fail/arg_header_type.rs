use quickmcp::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Query {
    region: String,
}

/// Only string, integer and boolean arguments can be headers.
#[tool]
fn floats(#[arg(header = "Ratio")] ratio: f64) -> String {
    ratio.to_string()
}

/// Not a list.
#[tool]
fn lists(#[arg(header = "Regions")] regions: Vec<String>) -> String {
    regions.join(",")
}

/// Not an injected value.
#[tool]
fn injected(#[arg(header = "Ctx")] ctx: Context) -> String {
    let _ = ctx;
    String::new()
}

/// Not the whole arguments: declare it on the struct's field with schemars' `extend`.
#[tool]
fn whole(#[arg(header = "Query")] query: Args<Query>) -> String {
    query.0.region
}

fn main() {}
