use quickmcp::prelude::*;

#[derive(Deserialize)]
struct Query {
    words: String,
}

/// Searches.
#[tool]
fn search(query: Query) -> String {
    query.words
}

/// Searches with the whole arguments.
#[tool]
fn search_all(Args(query): Args<Query>) -> String {
    query.words
}

fn main() {}
