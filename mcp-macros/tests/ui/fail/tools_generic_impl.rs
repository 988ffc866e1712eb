use quickmcp::prelude::*;

struct Calculator<T>(T);

#[tools]
impl<T: Send + Sync + 'static> Calculator<T> {
    /// Adds.
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

struct Bounded<T>(T);

#[tools]
impl Bounded<u64>
where
    u64: Copy,
{
    /// Adds.
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

fn main() {}
