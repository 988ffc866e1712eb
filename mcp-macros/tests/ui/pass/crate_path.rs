// `crate = path` when quickmcp is re-exported under another name.
mod reexport {
    pub use quickmcp as mcp;
}

use quickmcp::prelude::{custom_route, tool, tools};

/// Says hello.
#[tool(crate = reexport::mcp)]
fn hello(name: String) -> String {
    name
}

/// Says hello, the path given as a string.
#[tool(crate = "reexport::mcp")]
fn hello_str(name: String) -> String {
    name
}

struct Greeter;

#[tools(crate = reexport::mcp)]
impl Greeter {
    /// Greets.
    #[tool]
    fn greet(&self) -> &'static str {
        "hi"
    }
}

#[custom_route("/health", crate = reexport::mcp)]
async fn health() -> &'static str {
    "ok"
}

fn main() {
    let _ = quickmcp::Server::new("x").tool(hello).tool(hello_str).tools(Greeter).route(health);
}
