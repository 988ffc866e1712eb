use quickmcp::prelude::*;

/// Waits, then answers.
#[tool]
async fn slow(millis: u64) -> String {
    tokio::time::sleep(std::time::Duration::from_millis(millis)).await;
    format!("waited {millis}ms")
}

/// Fails asynchronously.
#[tool]
async fn fails() -> Result<String, String> {
    Err("nope".into())
}

fn main() {
    let _ = Server::new("x").tool(slow).tool(fails);
}
