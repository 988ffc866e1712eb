use quickmcp::prelude::*;

#[resource("docs://{id}}")]
fn unmatched_close(id: String) -> String {
    id
}

#[resource("docs://{id")]
fn unmatched_open(id: String) -> String {
    id
}

#[resource("docs://{a}{b}")]
fn adjacent(a: String, b: String) -> String {
    a + &b
}

#[resource("docs://{+path}")]
fn reserved(path: String) -> String {
    path
}

#[resource("docs://{}")]
fn empty_placeholder() -> String {
    String::new()
}

#[resource("docs://{id}/{id}")]
fn twice(id: String) -> String {
    id
}

#[resource("docs://{*}")]
fn operator_only() -> String {
    String::new()
}

fn main() {}
