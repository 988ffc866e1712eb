use quickmcp::prelude::*;

fn ids() -> Vec<String> {
    Vec::new()
}

fn numbers(prefix: &str) -> Vec<u32> {
    let _ = prefix;
    Vec::new()
}

#[resource("docs://{id}/{n}", complete(id = ids, n = numbers))]
fn page(id: String, n: u32) -> String {
    format!("{id}{n}")
}

fn main() {}
