// `timeout` on tools, methods, resources, templates and prompts: carried on the definitions,
// never listed.
use quickmcp::prelude::*;
use quickmcp::{PromptHandler, ResourceHandler, ResourceTemplateHandler, ToolBox, ToolHandler};
use std::time::Duration;

/// Exports, for up to five minutes.
#[tool(timeout = "5m")]
async fn export() -> &'static str {
    "done"
}

struct Jobs;

#[tools]
impl Jobs {
    /// Runs on the blocking pool, for up to 500 ms.
    #[tool(blocking, timeout = "500ms")]
    fn run(&self) -> &'static str {
        "ran"
    }
}

/// The readme.
#[resource("docs://readme", timeout = "30s")]
fn readme() -> String {
    String::new()
}

/// One note.
#[resource("notes://{id}", timeout = "1h")]
fn note(id: String) -> String {
    id
}

/// Review.
#[prompt(timeout = "2s")]
fn review() -> String {
    String::new()
}

fn main() {
    let export_def = ToolHandler::definition(&export);
    assert_eq!(export_def.timeout, Some(Duration::from_secs(300)));
    assert!(!serde_json::to_string(&export_def).unwrap().contains("timeout"));
    let jobs = std::sync::Arc::new(Jobs).tools();
    assert_eq!(jobs[0].definition().timeout, Some(Duration::from_millis(500)));
    assert_eq!(ResourceHandler::definition(&readme).timeout, Some(Duration::from_secs(30)));
    assert_eq!(ResourceTemplateHandler::definition(&note).timeout, Some(Duration::from_secs(3600)));
    assert_eq!(PromptHandler::definition(&review).timeout, Some(Duration::from_secs(2)));
    let _ = Server::new("x").tool(export).tools(Jobs).resource(readme).resource(note).prompt(review);
}
