// Prompt arguments: required, optional, any `FromStr` type, described and renamed, next to
// injected values; completers of both shapes; every key of #[prompt(...)].
use quickmcp::prelude::*;
use quickmcp::PromptHandler;
use serde_json::json;
use std::str::FromStr;

#[derive(Clone)]
struct Styles(Vec<String>);

enum Tone {
    Kind,
    Blunt,
}

impl FromStr for Tone {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "kind" => Ok(Tone::Kind),
            "blunt" => Ok(Tone::Blunt),
            _ => Err(format!("`{s}` is not a tone: kind or blunt")),
        }
    }
}

/// By value only.
fn languages(prefix: &str) -> Vec<String> {
    ["rust", "python"]
        .iter()
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.to_string())
        .collect()
}

/// With the arguments given so far.
fn files(prefix: &str, context: &CompletionContext) -> Vec<String> {
    let language = context.arguments.get("lang").cloned().unwrap_or_default();
    vec![format!("{prefix}.{language}")]
}

/// Ask for a code review.
#[prompt(
    name = "code_review",
    title = "Review code",
    icons = ["https://example.com/review.png"],
    complete(lang = languages, file = files),
)]
fn review(
    #[arg(description = "The code to review")] code: String,
    #[arg(rename = "lang", description = "Its language")] language: Option<String>,
    file: String,
    tone: Option<Tone>,
    max_comments: u32,
    State(styles): State<Styles>,
    ctx: Context,
) -> String {
    let _ = (ctx, styles);
    let tone = match tone {
        Some(Tone::Kind) | None => "kindly",
        Some(Tone::Blunt) => "bluntly",
    };
    format!(
        "Review {file} ({}) {tone}, at most {max_comments} comments:\n{code}",
        language.unwrap_or_default()
    )
}

fn main() {
    let definition = serde_json::to_value(review.definition()).unwrap();
    assert_eq!(
        definition,
        json!({
            "name": "code_review",
            "title": "Review code",
            "description": "Ask for a code review.",
            "arguments": [
                {"name": "code", "description": "The code to review", "required": true},
                {"name": "lang", "description": "Its language", "required": false},
                {"name": "file", "required": true},
                {"name": "tone", "required": false},
                {"name": "max_comments", "required": true}
            ],
            "icons": [{"src": "https://example.com/review.png"}]
        })
    );
    assert!(review.has_completions());
    let mut context = CompletionContext::default();
    assert_eq!(review.complete("lang", "py", &context).unwrap(), ["python"]);
    context.arguments.insert("lang".into(), "rs".into());
    assert_eq!(
        review.complete("file", "main", &context).unwrap(),
        ["main.rs"]
    );
    assert!(review.complete("code", "", &context).is_none());
    let _ = Server::new("x").state(Styles(Vec::new())).prompt(review);
}
