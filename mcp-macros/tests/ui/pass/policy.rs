// `timeout` and `scopes` on tools, methods, resources, templates and prompts: carried on the
// definitions, never listed.
use quickmcp::prelude::*;
use quickmcp::{PromptHandler, ResourceHandler, ResourceTemplateHandler, ToolBox, ToolHandler};
use std::time::Duration;

/// Exports, for up to five minutes.
#[tool(timeout = "5m", scopes = ["catalogue:export", "https://example.com/x.y"])]
async fn export() -> &'static str {
    "done"
}

struct Jobs;

#[tools]
impl Jobs {
    /// Runs on the blocking pool, for up to 500 ms.
    #[tool(blocking, scopes = ["jobs:run"], timeout = "500ms")]
    fn run(&self) -> &'static str {
        "ran"
    }
}

/// The readme.
#[resource("docs://readme", timeout = "30s", scopes = ["docs:read"])]
fn readme() -> String {
    String::new()
}

/// One note.
#[resource("notes://{id}", scopes = ["notes:read"], timeout = "1h")]
fn note(id: String) -> String {
    id
}

/// Review.
#[prompt(timeout = "2s", scopes = ["!#[]~"])]
fn review() -> String {
    String::new()
}

fn main() {
    let export_def = ToolHandler::definition(&export);
    assert_eq!(export_def.timeout, Some(Duration::from_secs(300)));
    assert_eq!(export_def.scopes, ["catalogue:export", "https://example.com/x.y"]);
    let listed = serde_json::to_string(&export_def).unwrap();
    assert!(!listed.contains("timeout") && !listed.contains("catalogue:export"), "{listed}");
    let jobs = std::sync::Arc::new(Jobs).tools();
    assert_eq!(jobs[0].definition().timeout, Some(Duration::from_millis(500)));
    assert_eq!(jobs[0].definition().scopes, ["jobs:run"]);
    assert_eq!(ResourceHandler::definition(&readme).scopes, ["docs:read"]);
    assert_eq!(ResourceTemplateHandler::definition(&note).scopes, ["notes:read"]);
    assert_eq!(PromptHandler::definition(&review).scopes, ["!#[]~"]);
    assert_eq!(ResourceHandler::definition(&readme).timeout, Some(Duration::from_secs(30)));
    assert_eq!(ResourceTemplateHandler::definition(&note).timeout, Some(Duration::from_secs(3600)));
    assert_eq!(PromptHandler::definition(&review).timeout, Some(Duration::from_secs(2)));
    let _ = Server::new("x").tool(export).tools(Jobs).resource(readme).resource(note).prompt(review);
}
