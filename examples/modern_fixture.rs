//! Run with: cargo run --example modern_fixture
//!
//! The conformance fixture for the stateless 2026-07-28 wire, served beside the 2025-11-25
//! one on http://127.0.0.1:8000/mcp: content, logging and progress tools, the 2026
//! diagnostic tools (`test_missing_capability`, `test_streaming_elicitation`,
//! `test_logging_tool`, `test_trigger_tool_change`, `test_trigger_prompt_change`), and the
//! resources and prompts of the lists scenarios. Then:
//!
//! ```text
//! conformance server --url http://localhost:8000/mcp --requirements 2026-07-28
//! conformance server --url http://localhost:8000/mcp --requirements 2025-11-25
//! ```

use std::time::Duration;

use quickmcp::prelude::*;
use quickmcp::{ListKind, McpServer};

/// A 1x1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
/// A tiny WAV file.
const WAV: &str = "UklGRiQAAABXQVZFZm10IBAAAAABAAEARKwAAIhYAQACABAAZGF0YQAAAAA=";

/// Answers with a simple text.
#[tool]
fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

/// Answers with an image.
#[tool]
fn test_image_content() -> Content {
    Content::image(PNG, "image/png")
}

/// Answers with audio.
#[tool]
fn test_audio_content() -> Content {
    Content::audio(WAV, "audio/wav")
}

/// Answers with an embedded resource.
#[tool]
fn test_embedded_resource() -> Content {
    Content::embedded_text(
        "test://embedded-resource",
        "text/plain",
        "This is an embedded resource content.",
    )
}

/// Answers with text, an image and a resource.
#[tool]
fn test_multiple_content_types() -> Vec<Content> {
    vec![
        Content::text("Multiple content types test:"),
        Content::image(PNG, "image/png"),
        Content::embedded_text(
            "test://mixed-content-resource",
            "application/json",
            r#"{"test":"data","value":123}"#,
        ),
    ]
}

/// Fails on purpose.
#[tool]
fn test_error_handling() -> Result<String, String> {
    Err("This tool intentionally returns an error for testing".into())
}

async fn three_logs(ctx: &Context) {
    for message in [
        "Tool execution started",
        "Tool processing data",
        "Tool execution completed",
    ] {
        ctx.info(message).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Logs three messages (2025: per `logging/setLevel`; 2026: only with a `_meta` log level).
#[tool]
async fn test_tool_with_logging(ctx: Context) -> &'static str {
    three_logs(&ctx).await;
    "Logging completed"
}

/// Logs three messages: the 2026 diagnostic for `_meta` log levels.
#[tool]
async fn test_logging_tool(ctx: Context) -> &'static str {
    three_logs(&ctx).await;
    "Logging completed"
}

/// Reports progress 0, 50 and 100 of 100.
#[tool]
async fn test_tool_with_progress(ctx: Context) -> &'static str {
    for step in [0.0, 50.0, 100.0] {
        ctx.report_progress(step, Some(100.0), None).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    "Progress completed"
}

/// Needs the client's `sampling` capability: without it the 2026 wire answers `-32021`.
#[tool]
async fn test_missing_capability(ctx: Context) -> Result<String, ExchangeError> {
    let text = ctx.sample_text("Say hello", 20).await?;
    Ok(format!("LLM response: {text}"))
}

/// Asks the user mid-call. On the 2026 wire nothing is sent on the stream (no MRTR yet): the
/// tool reports that instead.
#[tool]
async fn test_streaming_elicitation(ctx: Context) -> String {
    ctx.info("asking the user").await;
    match ctx
        .elicit_schema(
            "What is your name?",
            serde_json::json!({"type": "object", "properties": {"name": {"type": "string"}}}),
        )
        .await
    {
        Ok(answer) => format!("action={:?}", answer.action),
        Err(e) => format!("elicitation not available here: {e}"),
    }
}

/// Asks the client's model to answer a prompt (2025 wire).
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

fn fixture_schema() -> &'static str {
    r##"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},"properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},"contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},"email":{"type":"string"}},"allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],"if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},"then":{"required":["phone"]},"else":{"required":["email"]},"additionalProperties":false}"##
}

/// Tool with JSON Schema 2020-12 features.
#[tool(input_schema = fixture_schema)]
fn json_schema_2020_12_tool(Args(_): Args<serde_json::Value>) -> &'static str {
    "ok"
}

/// A tool that comes and goes.
#[tool]
fn test_dynamic_tool() -> &'static str {
    "dynamic"
}

/// Adds or removes `test_dynamic_tool`: the tools list changes.
#[tool]
fn test_trigger_tool_change(State(server): State<McpServer>) -> &'static str {
    if !server.remove_tool("test_dynamic_tool") {
        let _ = server.add_tool(std::sync::Arc::new(test_dynamic_tool));
    }
    "tools changed"
}

/// Announces a prompts list change.
#[tool]
fn test_trigger_prompt_change(State(server): State<McpServer>) -> &'static str {
    server.notify_list_changed(ListKind::Prompts);
    "prompts changed"
}

#[resource("test://static-text", mime_type = "text/plain")]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource.
#[resource("test://static-binary", mime_type = "image/png")]
fn static_binary() -> ResourceContents {
    ResourceContents::Blob {
        uri: "test://static-binary".into(),
        mime_type: Some("image/png".into()),
        blob: PNG.into(),
    }
}

/// A resource to subscribe to.
#[resource("test://watched-resource")]
fn watched() -> &'static str {
    "Watched resource content"
}

/// Data for one id.
#[resource("test://template/{id}/data", mime_type = "application/json")]
fn template_data(id: String) -> serde_json::Value {
    serde_json::json!({"id": id, "templateTest": true, "data": format!("Data for ID: {id}")})
}

/// A simple prompt without arguments.
#[prompt]
fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// A prompt with arguments.
#[prompt(complete(arg1 = no_values))]
fn test_prompt_with_arguments(
    #[arg(description = "First test argument")] arg1: String,
    #[arg(description = "Second test argument")] arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

fn no_values(_: &str) -> Vec<String> {
    Vec::new()
}

/// A prompt with an embedded resource.
#[prompt]
fn test_prompt_with_embedded_resource(
    #[arg(rename = "resourceUri", description = "URI of the resource to embed")] uri: String,
) -> Vec<PromptMessage> {
    vec![
        PromptMessage::new(
            Role::User,
            Content::embedded_text(&uri, "text/plain", "Embedded resource content for testing."),
        ),
        PromptMessage::user("Please process the embedded resource above."),
    ]
}

/// A prompt with an image.
#[prompt]
fn test_prompt_with_image() -> Vec<PromptMessage> {
    vec![
        PromptMessage::new(Role::User, Content::image(PNG, "image/png")),
        PromptMessage::user("Please analyze the image above."),
    ]
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    let server = Server::new("modern-fixture");
    let core = server.core().clone();
    server
        .state(core)
        .tool(test_simple_text)
        .tool(test_image_content)
        .tool(test_audio_content)
        .tool(test_embedded_resource)
        .tool(test_multiple_content_types)
        .tool(test_error_handling)
        .tool(test_tool_with_logging)
        .tool(test_logging_tool)
        .tool(test_tool_with_progress)
        .tool(test_missing_capability)
        .tool(test_streaming_elicitation)
        .tool(test_sampling)
        .tool(test_elicitation)
        .tool(test_elicitation_sep1034_defaults)
        .tool(test_elicitation_sep1330_enums)
        .tool(json_schema_2020_12_tool)
        .tool(test_trigger_tool_change)
        .tool(test_trigger_prompt_change)
        .resource(static_text)
        .resource(static_binary)
        .resource(watched)
        .resource(template_data)
        .prompt(test_simple_prompt)
        .prompt(test_prompt_with_arguments)
        .prompt(test_prompt_with_embedded_resource)
        .prompt(test_prompt_with_image)
        .run_http(&quickmcp::listen_addr())
        .await
}
