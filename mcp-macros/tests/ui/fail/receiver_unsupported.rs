use quickmcp::prelude::*;
use std::sync::Arc;

struct Counter;

#[tools]
impl Counter {
    /// By value.
    #[tool]
    fn consume(self) -> u32 {
        1
    }

    /// Mutable by value.
    #[tool]
    fn consume_mut(mut self) -> u32 {
        let _ = &mut self;
        1
    }

    /// Exclusive.
    #[tool]
    fn bump(&mut self) -> u32 {
        1
    }

    /// Exclusive, typed.
    #[tool]
    fn bump_typed(self: &mut Self) -> u32 {
        1
    }

    /// A smart pointer.
    #[tool]
    fn shared(self: Arc<Self>) -> u32 {
        1
    }
}

fn main() {
    let _ = Server::new("x").tools(Counter);
}
