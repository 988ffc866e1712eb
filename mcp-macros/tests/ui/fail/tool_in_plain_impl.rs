use quickmcp::prelude::*;

struct Calculator;

impl Calculator {
    /// Needs #[tools] on the block, even without `self`.
    #[tool]
    fn version() -> &'static str {
        "1.0"
    }
}

fn main() {}
