// `#[tool(blocking)]` on sync functions and methods, with injected values, results
// and `crate = path`.
mod reexport {
    pub use quickmcp as mcp;
}

use quickmcp::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone)]
struct Root(String);

/// Reads a file under the root.
#[tool(blocking, read_only)]
fn read_file(path: String, State(root): State<Root>) -> Result<String, std::io::Error> {
    std::fs::read_to_string(format!("{}/{path}", root.0))
}

/// Not blocking after all.
#[tool(blocking = false)]
fn inline() -> &'static str {
    "inline"
}

/// Through a re-export.
#[tool(blocking, crate = reexport::mcp)]
fn reexported(n: u8) -> u8 {
    n
}

struct Counter {
    hits: AtomicU64,
}

#[derive(Serialize, JsonSchema)]
struct Hits {
    hits: u64,
}

#[tools]
impl Counter {
    /// Counts, slowly.
    #[tool(blocking)]
    fn hit(&self, by: Option<u64>, _ctx: Context) -> Structured<Hits> {
        let hits = self.hits.fetch_add(by.unwrap_or(1), Ordering::Relaxed);
        Structured(Hits { hits })
    }

    /// No receiver.
    #[tool(blocking, name = "version")]
    fn version() -> &'static str {
        "1"
    }
}

fn main() {
    assert_eq!(inline::call(), "inline");
    let _ = Server::new("x")
        .state(Root(".".into()))
        .tool(read_file)
        .tool(inline)
        .tool(reexported)
        .tools(Counter { hits: AtomicU64::new(0) });
}
