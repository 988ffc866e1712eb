use quickmcp::prelude::*;

struct Calculator;

#[tools]
impl Default for Calculator {
    /// Makes one.
    #[tool]
    fn default() -> Self {
        Calculator
    }
}

fn main() {}
