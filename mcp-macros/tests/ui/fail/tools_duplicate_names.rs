use quickmcp::prelude::*;

struct Calculator;

#[tools]
impl Calculator {
    /// Adds.
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }

    /// Also adds, under the same tool name.
    #[tool(name = "add")]
    fn plus(&self, a: i64, b: i64) -> i64 {
        a + b
    }

    /// Subtracts.
    #[tool(name = "minus")]
    fn sub(&self, a: i64, b: i64) -> i64 {
        a - b
    }

    /// Named like the tool above.
    #[tool]
    fn minus(&self, a: i64, b: i64) -> i64 {
        a - b
    }
}

fn main() {
    let _ = Server::new("x").tools(Calculator);
}
