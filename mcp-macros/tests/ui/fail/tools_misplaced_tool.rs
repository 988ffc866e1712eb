use quickmcp::prelude::*;

struct Calculator;

#[tools]
impl Calculator {
    /// A constant is not a tool.
    #[tool]
    const VERSION: &'static str = "1.0";

    /// Twice.
    #[tool]
    #[tool(read_only)]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }

    /// `crate` goes on the block.
    #[tool(crate = ::quickmcp)]
    fn sub(&self, a: i64, b: i64) -> i64 {
        a - b
    }

    /// Not a list of keys.
    #[tool = "mul"]
    fn mul(&self, a: i64, b: i64) -> i64 {
        a * b
    }

    /// A syntax error.
    #[tool(name = )]
    fn div(&self, a: i64, b: i64) -> i64 {
        a / b
    }
}

fn main() {}
