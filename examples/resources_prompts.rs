//! Run with: cargo run --example resources_prompts
//!
//! Resources, a resource template with completion, and prompts, over Streamable HTTP at
//! http://127.0.0.1:8000/mcp. Try `resources/list`, `resources/templates/list`,
//! `resources/read` of `notes://today` or `users://42/profile`, `prompts/get` of `review` with
//! `{"code": "fn main() {}"}`, and `completion/complete` on `users://{id}/profile`. Subscribe
//! to `notes://today` and watch `notifications/resources/updated` arrive every 5 seconds on
//! the GET stream.

use std::time::Duration;

use quickmcp::prelude::*;

/// Today's notes.
#[resource("notes://today", mime_type = "text/markdown")]
fn today() -> String {
    "# Today\n- write docs".into()
}

/// One user's profile.
#[resource("users://{id}/profile", complete(id = user_ids))]
fn profile(id: u32) -> Structured<serde_json::Value> {
    Structured(serde_json::json!({ "id": id, "name": format!("user {id}") }))
}

fn user_ids(prefix: &str) -> Vec<String> {
    (1..=50)
        .map(|i| i.to_string())
        .filter(|i| i.starts_with(prefix))
        .collect()
}

/// Ask for a code review.
#[prompt(complete(language = languages))]
fn review(
    #[arg(description = "The code to review")] code: String,
    #[arg(description = "Its language")] language: Option<String>,
) -> Vec<PromptMessage> {
    let language = language.unwrap_or_else(|| "rust".into());
    vec![
        PromptMessage::user(format!("Please review this {language} code:\n\n{code}")),
        PromptMessage::assistant("Sure, let me read it."),
    ]
}

fn languages(prefix: &str) -> Vec<String> {
    ["rust", "python", "typescript"]
        .into_iter()
        .filter(|l| l.starts_with(prefix))
        .map(String::from)
        .collect()
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let server = Server::new("notes")
        .resource(today)
        .resource(profile)
        .prompt(review);
    let ticker = server.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            ticker.notify_resource_updated("notes://today");
        }
    });
    server.run_http(&quickmcp::listen_addr()).await
}
