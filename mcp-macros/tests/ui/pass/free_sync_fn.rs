use quickmcp::prelude::*;
use quickmcp::ToolHandler;

/// Say hello to someone.
#[tool]
fn hello(name: String) -> String {
    format!("Hello, {name}!")
}

/// Answers pong; no arguments, a `&'static str` result.
#[tool]
pub fn ping() -> &'static str {
    "pong"
}

/// Returns nothing.
#[tool]
fn noop() {}

fn main() {
    // The function stays callable as `NAME::call`.
    assert_eq!(hello::call("x".into()), "Hello, x!");
    assert_eq!(hello.definition().name, "hello");
    let _ = Server::new("x").tool(hello).tool(ping).tool(noop);
}
