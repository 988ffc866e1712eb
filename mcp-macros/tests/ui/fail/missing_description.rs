use quickmcp::prelude::*;

#[tool]
fn undocumented(name: String) -> String {
    name
}

///
#[tool]
fn empty_doc(name: String) -> String {
    name
}

/// The doc comment does not count when `description` is given.
#[tool(description = "  ")]
fn blank_description(name: String) -> String {
    name
}

struct Calculator;

#[tools]
impl Calculator {
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

fn main() {
    let _ = Server::new("x").tool(undocumented).tool(empty_doc).tool(blank_description).tools(Calculator);
}
