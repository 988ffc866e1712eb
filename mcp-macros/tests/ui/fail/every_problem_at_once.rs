use quickmcp::prelude::*;

// Every misuse is reported, in source order: a bad key, a bad value, a bad
// name and a generic signature.
#[tool(nme = "x", read_only = "yes", name = "get weather")]
fn hello<T>(name: String, #[arg(desc = "Who.")] other: T) -> String {
    let _ = other;
    name
}

fn main() {
    let _ = Server::new("x").tool(hello);
}
