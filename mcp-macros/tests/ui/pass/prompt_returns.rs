// A prompt may return each of these.
use quickmcp::prelude::*;
use quickmcp::PromptHandler;
use std::fmt;

/// Text: one user message.
#[prompt]
fn text() -> String {
    "Summarize.".into()
}

/// Static text.
#[prompt]
fn static_text() -> &'static str {
    "Summarize."
}

/// One message.
#[prompt]
fn message() -> PromptMessage {
    PromptMessage::assistant("I will summarize.")
}

/// A conversation.
#[prompt]
fn conversation() -> Vec<PromptMessage> {
    vec![
        PromptMessage::user("Summarize this image."),
        PromptMessage::new(Role::User, Content::image("AAAA", "image/png")),
    ]
}

/// The whole result.
#[prompt]
fn whole() -> GetPromptResult {
    GetPromptResult::new(vec![PromptMessage::user("Summarize.")])
}

#[derive(Debug)]
struct Unavailable;

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unavailable")
    }
}

/// Fails with any `Display` error.
#[prompt]
fn fallible() -> Result<Vec<PromptMessage>, Unavailable> {
    Err(Unavailable)
}

/// Async.
#[prompt]
async fn later(ctx: Context) -> Result<String, String> {
    ctx.info("rendering").await;
    Ok("Summarize.".into())
}

fn main() {
    let definition = text.definition();
    assert_eq!(definition.name, "text");
    assert_eq!(
        definition.description.as_deref(),
        Some("Text: one user message.")
    );
    assert!(later.definition().arguments.is_empty());
    assert_eq!(text::call(), "Summarize.");
    let _ = Server::new("x")
        .prompt(text)
        .prompt(static_text)
        .prompt(message)
        .prompt(conversation)
        .prompt(whole)
        .prompt(fallible)
        .prompt(later);
}
