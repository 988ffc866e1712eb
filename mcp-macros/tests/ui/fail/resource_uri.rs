use quickmcp::prelude::*;

// No URI at all.
#[resource]
fn no_uri() -> String {
    String::new()
}

// Keys, but no URI.
#[resource(name = "readme")]
fn keys_only() -> String {
    String::new()
}

// The URI after the keys.
#[resource(name = "readme", "docs://readme")]
fn uri_last() -> String {
    String::new()
}

// An empty URI.
#[resource("")]
fn empty_uri() -> String {
    String::new()
}

// Two URIs.
#[resource("docs://readme", "docs://other")]
fn two_uris() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x")
        .resource(no_uri)
        .resource(keys_only)
        .resource(uri_last)
        .resource(empty_uri)
        .resource(two_uris);
}
