use quickmcp::prelude::*;

struct Calculator;

#[tools(name = "calc", crate = 1)]
impl Calculator {
    /// Adds.
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

struct Other;

#[tools(crate = )]
impl Other {
    /// Subtracts.
    #[tool]
    fn sub(&self, a: i64, b: i64) -> i64 {
        a - b
    }
}

fn main() {
    let _ = Server::new("x").tools(Calculator);
}
