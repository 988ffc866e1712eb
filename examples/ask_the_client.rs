//! Run with: cargo run --example ask_the_client
//!
//! Tools that ask the client mid-call and await the answer like a function call: its model
//! (`ctx.sample_text`, `sampling/createMessage`), its user through a form derived from a struct
//! (`ctx.elicit::<T>`, `elicitation/create`), and the directories it shares (`ctx.list_roots`,
//! `roots/list`). Served at http://127.0.0.1:8000/mcp (`--host`/`--port`).
//!
//! Try it in the inspector (`npx @modelcontextprotocol/inspector`, transport "Streamable HTTP",
//! URL http://127.0.0.1:8000/mcp): calling `summarize` pops up the sampling request, `sign_up`
//! the form. A client that did not declare `sampling` (or `elicitation`, `roots`) gets an error
//! result naming the missing capability, and nothing is sent to it. (The `everything` example
//! has more: hand-written form schemas with defaults and every kind of enum.)

use quickmcp::prelude::*;

/// Summarize a text with the client's model.
#[tool]
async fn summarize(ctx: Context, text: String) -> Result<String, ExchangeError> {
    ctx.sample_text(format!("Summarize in one sentence:\n\n{text}"), 200)
        .await
}

/// Who is signing up.
#[derive(Deserialize, JsonSchema)]
struct SignUp {
    /// Your name.
    name: String,
    /// Your email address.
    #[schemars(email)]
    email: String,
    /// Send me the newsletter.
    #[serde(default)]
    newsletter: bool,
}

/// Sign the user up, asking them for their details.
#[tool]
async fn sign_up(ctx: Context) -> Result<String, ExchangeError> {
    Ok(match ctx.elicit::<SignUp>("Please sign up").await? {
        Elicitation::Accept(user) => format!(
            "Signed up {} <{}> (newsletter: {})",
            user.name, user.email, user.newsletter
        ),
        Elicitation::Decline => "The user declined".into(),
        Elicitation::Cancel => "The user cancelled".into(),
    })
}

/// List the directories the client shares.
#[tool]
async fn show_roots(ctx: Context) -> Result<String, ExchangeError> {
    let roots = ctx.list_roots().await?;
    let uris: Vec<String> = roots.into_iter().map(|root| root.uri).collect();
    Ok(uris.join("\n"))
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    Server::new("ask-the-client")
        .tool(summarize)
        .tool(sign_up)
        .tool(show_roots)
        .run_http(&quickmcp::listen_addr())
        .await
}
