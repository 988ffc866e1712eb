use quickmcp::prelude::*;

#[derive(Deserialize, JsonSchema)]
struct Query {
    words: String,
}

/// The parameter has the function's name.
#[tool]
fn search(search: String) -> String {
    search
}

/// Inside a pattern too.
#[tool]
fn lookup(Args(lookup): Args<Query>) -> String {
    lookup.words
}

#[custom_route("/health")]
async fn health(health: String) -> String {
    health
}

fn main() {
    let _ = Server::new("x").tool(search).tool(lookup).route(health);
}
