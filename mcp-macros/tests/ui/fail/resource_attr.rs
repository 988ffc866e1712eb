use quickmcp::prelude::*;

// Every problem of the attribute's keys, in source order: an unknown key, a key given twice,
// strings where a string literal or a list of them belongs, and an empty name.
#[resource(
    "docs://readme",
    mime = "text/plain",
    name = "",
    name = "again",
    title = 1,
    description = true,
    mime_type = text_plain,
    icons = "https://example.com/icon.png",
)]
fn readme() -> String {
    String::new()
}

#[resource("docs://other", name = other, crate = 42)]
fn other() -> String {
    String::new()
}

#[resource("docs://syntax", name = )]
fn syntax() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x").resource(readme).resource(other).resource(syntax);
}
