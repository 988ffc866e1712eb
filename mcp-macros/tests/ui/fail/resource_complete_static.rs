use quickmcp::prelude::*;

fn names(prefix: &str) -> Vec<String> {
    vec![prefix.to_owned()]
}

// A static resource has nothing to complete.
#[resource("docs://readme", complete(name = names))]
fn readme() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x").resource(readme);
}
