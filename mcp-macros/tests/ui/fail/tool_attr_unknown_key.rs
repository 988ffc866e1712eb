use quickmcp::prelude::*;

/// Says hello.
#[tool(nme = "hello", readonly)]
fn hello(name: String) -> String {
    name
}

fn main() {
    let _ = Server::new("x").tool(hello);
}
