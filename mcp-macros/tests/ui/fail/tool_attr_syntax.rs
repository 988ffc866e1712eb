use quickmcp::prelude::*;

/// Says hello.
#[tool(name = )]
fn hello(name: String) -> String {
    name
}

fn main() {
    let _ = Server::new("x").tool(hello);
}
