use quickmcp::prelude::*;

struct Calculator;

impl Calculator {
    /// Needs #[tools] on the block.
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

fn main() {}
