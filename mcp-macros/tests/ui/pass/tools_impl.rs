use quickmcp::prelude::*;
use quickmcp::ToolBox;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

struct Calculator {
    offset: i64,
    calls: AtomicI64,
}

#[tools]
impl Calculator {
    /// Add two integers.
    #[tool(read_only)]
    fn add(&self, a: i64, b: i64) -> i64 {
        self.calls.fetch_add(1, Ordering::Relaxed);
        a + b + self.offset
    }

    /// Slowly add two integers.
    #[tool]
    async fn slow_add(&self, a: i64, #[arg(description = "The other one.")] b: i64) -> i64 {
        tokio::task::yield_now().await;
        self.add(a, b)
    }

    /// A result borrowed from the instance.
    #[tool]
    fn label(&self) -> &str {
        "calculator"
    }

    /// An async result borrowed from the instance: converted before the borrow ends.
    #[tool]
    async fn async_label(&self) -> &str {
        "calculator"
    }

    /// No receiver: an associated function.
    #[tool(name = "version")]
    fn version() -> &'static str {
        "1.0"
    }

    /// Typed `&Self` receiver, with injected state.
    #[tool]
    fn calls(self: &Self, ctx: Context) -> i64 {
        let _ = ctx;
        self.calls.load(Ordering::Relaxed)
    }

    /// Not a tool: stays an ordinary method.
    fn helper(&self) -> i64 {
        self.offset
    }
}

fn main() {
    let calculator = Calculator { offset: 1, calls: AtomicI64::new(0) };
    assert_eq!(calculator.helper(), 1);
    let tools = Arc::new(calculator).tools();
    let names: Vec<String> = tools.iter().map(|t| t.definition().name.to_string()).collect();
    assert_eq!(names, ["add", "slow_add", "label", "async_label", "version", "calls"]);
    let _ = Server::new("x").tools(Calculator { offset: 0, calls: AtomicI64::new(0) });
    // An `Arc` works too, so the caller keeps a handle on the shared instance.
    let shared = Arc::new(Calculator { offset: 0, calls: AtomicI64::new(0) });
    let server = Server::new("y").tools(Arc::clone(&shared));
    assert!(Arc::strong_count(&shared) > 1, "the server's tools share the instance");
    drop(server);
}
