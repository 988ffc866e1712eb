// Every key of #[resource(...)].
mod reexport {
    pub use quickmcp as mcp;
}

use quickmcp::prelude::*;
use quickmcp::ResourceTemplateHandler;
use serde_json::json;

fn languages(prefix: &str) -> Vec<String> {
    ["rust", "ruby"]
        .iter()
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.to_string())
        .collect()
}

/// Ignored: `description` wins over the doc comment.
#[resource(
    "code://{language}/readme",
    name = "readme",
    title = "Project readme",
    description = "The readme of one language's project.",
    mime_type = "text/markdown",
    icons = ["https://example.com/readme.png", "data:image/png;base64,AAAA"],
    annotations(audience = ["user", "assistant"], priority = 0.25),
    complete(language = languages),
    crate = reexport::mcp,
)]
fn readme_for(language: String) -> String {
    format!("# {language}")
}

/// A whole-number priority.
#[resource("code://{language}/logo", annotations(priority = 1), complete(language = languages))]
fn logo(language: String) -> Vec<u8> {
    language.into_bytes()
}

fn main() {
    let definition = serde_json::to_value(readme_for.definition()).unwrap();
    assert_eq!(
        definition,
        json!({
            "uriTemplate": "code://{language}/readme",
            "name": "readme",
            "title": "Project readme",
            "description": "The readme of one language's project.",
            "mimeType": "text/markdown",
            "icons": [{"src": "https://example.com/readme.png"}, {"src": "data:image/png;base64,AAAA"}],
            "annotations": {"audience": ["user", "assistant"], "priority": 0.25}
        })
    );
    assert!(readme_for.has_completions());
    let completions = readme_for.complete("language", "ru", &CompletionContext::default());
    assert_eq!(completions.unwrap(), ["rust", "ruby"]);
    assert!(readme_for
        .complete("other", "", &CompletionContext::default())
        .is_none());
    let logo_definition = serde_json::to_value(logo.definition()).unwrap();
    assert_eq!(logo_definition["annotations"], json!({"priority": 1.0}));
    let _ = Server::new("x").resource(readme_for).resource(logo);
}
