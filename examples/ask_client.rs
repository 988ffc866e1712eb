//! Run with: cargo run --example ask_client
//!
//! Tools that ask the client mid-call and await the answer like a function call: the client's
//! model (`ctx.sample_text`), the user through a form (`ctx.elicit::<T>` derives the form from
//! a struct; `ctx.elicit_schema` sends a hand-written one), and the client's roots
//! (`ctx.list_roots`). The tool names are those the MCP conformance suite calls, so this
//! serves its `tools-call-sampling`, `tools-call-elicitation`, `elicitation-sep1034-defaults`
//! and `elicitation-sep1330-enums` scenarios:
//!
//! ```text
//! CONFORMANCE_SCENARIOS="tools-call-sampling tools-call-elicitation elicitation-sep1034-defaults elicitation-sep1330-enums" \
//!     scripts/conformance.sh http://localhost:8000/mcp
//! ```
//!
//! Or try it in the inspector (`npx @modelcontextprotocol/inspector`, Streamable HTTP,
//! `http://localhost:8000/mcp`): calling `test_sampling` pops up the sampling request.
//! A client that did not declare `sampling` (or `elicitation`, `roots`) gets an error result
//! naming the missing capability, and nothing is sent to it.

use quickmcp::prelude::*;

/// Ask the client's model to answer a prompt.
#[tool]
async fn test_sampling(ctx: Context, prompt: String) -> Result<String, ExchangeError> {
    let text = ctx.sample_text(prompt, 100).await?;
    Ok(format!("LLM response: {text}"))
}

/// Who the user is.
#[derive(Deserialize, JsonSchema)]
struct UserInfo {
    /// Your name.
    username: String,
    /// Your email address.
    #[schemars(email)]
    email: String,
}

/// Ask the user for their name and email.
#[tool]
async fn test_elicitation(ctx: Context, message: String) -> Result<String, ExchangeError> {
    Ok(match ctx.elicit::<UserInfo>(message).await? {
        Elicitation::Accept(user) => format!(
            "User response: action=accept, content={{\"username\":{:?},\"email\":{:?}}}",
            user.username, user.email
        ),
        other => format!("User response: action={:?}", other.action()),
    })
}

#[derive(Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
enum Status {
    #[default]
    Active,
    Inactive,
    Pending,
}

/// A form whose every field has a default, from `#[serde(default)]` and `Default`.
#[derive(Deserialize, Serialize, JsonSchema)]
#[serde(default)]
struct Defaults {
    name: String,
    age: u32,
    score: f64,
    status: Status,
    verified: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            name: "John Doe".into(),
            age: 30,
            score: 95.5,
            status: Status::Active,
            verified: true,
        }
    }
}

/// Ask for a form whose fields have defaults (SEP-1034).
#[tool]
async fn test_elicitation_sep1034_defaults(ctx: Context) -> Result<String, ExchangeError> {
    let answer = ctx.elicit::<Defaults>("Please review your details").await?;
    let content = match &answer {
        Elicitation::Accept(d) => serde_json::to_string(d).unwrap_or_default(),
        _ => "{}".into(),
    };
    Ok(format!(
        "Elicitation completed: action={:?}, content={content}",
        answer.action()
    ))
}

/// Ask for a form with every kind of enum (SEP-1330), written by hand.
#[tool]
async fn test_elicitation_sep1330_enums(ctx: Context) -> Result<String, ExchangeError> {
    let schema = serde_json::json!({"type": "object", "properties": {
        "untitledSingle": {"type": "string", "enum": ["option1", "option2", "option3"]},
        "titledSingle": {"type": "string", "oneOf": [
            {"const": "value1", "title": "First Option"},
            {"const": "value2", "title": "Second Option"},
            {"const": "value3", "title": "Third Option"}]},
        "legacyEnum": {"type": "string", "enum": ["opt1", "opt2", "opt3"],
            "enumNames": ["Option One", "Option Two", "Option Three"]},
        "untitledMulti": {"type": "array",
            "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
        "titledMulti": {"type": "array", "items": {"anyOf": [
            {"const": "value1", "title": "First Choice"},
            {"const": "value2", "title": "Second Choice"},
            {"const": "value3", "title": "Third Choice"}]}}
    }});
    let answer = ctx.elicit_schema("Pick some options", schema).await?;
    let content = serde_json::to_string(&answer.content).unwrap_or_default();
    Ok(format!(
        "Elicitation completed: action={:?}, content={content}",
        answer.action
    ))
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

    let mcp = Server::new("AskClient")
        .tool(test_sampling)
        .tool(test_elicitation)
        .tool(test_elicitation_sep1034_defaults)
        .tool(test_elicitation_sep1330_enums)
        .tool(show_roots);

    let addr = quickmcp::listen_addr();
    println!("MCP endpoint: http://{addr}/mcp");
    mcp.run_http(&addr).await
}
