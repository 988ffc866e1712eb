//! Run with: cargo run --example everything
//!
//! The "everything" server of the MCP conformance suite, written with quickmcp's macros as a
//! user would: every fixture tool, resource and prompt the suite's server scenarios call, on
//! both wires served at one endpoint (2025-11-25 sessions and the stateless 2026-07-28 wire,
//! with its diagnostic tools), at http://127.0.0.1:8000/mcp (`--port`/`--host`, or
//! `PORT`/`HOST`). It prints `MCP endpoint: http://ADDR/mcp` once bound. `scripts/test.sh` runs
//! the conformance suite against it (`scripts/conformance.sh`: 2025-11-25, 0.1.16, and
//! 2026-07-28 with its baseline); to run it by hand:
//!
//! ```text
//! cargo run --example everything -- --port 3000
//! scripts/conformance.sh http://localhost:3000/mcp
//! ```
//!
//! It is also a tour of what a tool can do: return images, audio and embedded resources, log
//! and report progress while it runs, fail with `isError`, ask the client's model
//! (`sampling/createMessage`) and user (`elicitation/create`) mid-call, and close its SSE
//! stream so the client polls for the rest (`test_reconnection`), and change the server's own
//! tool and prompt lists while it runs (`test_trigger_tool_change`). `test://watched-resource`
//! changes every 3 seconds: subscribe to it and watch `notifications/resources/updated` arrive
//! on the GET stream.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use quickmcp::prelude::*;
use tokio::net::TcpListener;

/// A 1x1 PNG, base64.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
/// A short silent WAV (8 kHz, 16-bit mono), base64.
const WAV: &str = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQgAAAAAAAAAAAAAAA==";

// ---- Tools: content types -------------------------------------------------------------------

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

/// Answers with text, an image and an embedded resource.
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

/// Fails: an error result (`isError: true`), not a protocol error.
#[tool]
fn test_error_handling() -> Result<String, String> {
    Err("This tool intentionally returns an error for testing".into())
}

// ---- Tools: while running -------------------------------------------------------------------

/// Logs three messages while it runs (`notifications/message`, as `logging/setLevel` allows).
#[tool]
async fn test_tool_with_logging(ctx: Context) -> &'static str {
    ctx.info("Tool execution started").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    ctx.info("Tool processing data").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    ctx.info("Tool execution completed").await;
    "Tool with logging executed successfully"
}

/// Reports progress 0, 50 and 100 of 100 (when the call carries a `progressToken`).
#[tool]
async fn test_tool_with_progress(ctx: Context) -> &'static str {
    for (step, progress) in [0.0, 50.0, 100.0].into_iter().enumerate() {
        if step > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ctx.report_progress(progress, Some(100.0), None).await;
    }
    "Progress test completed"
}

/// Closes its SSE stream mid-call; the client reconnects (GET with `Last-Event-ID`) and
/// receives the progress and the result there (SSE polling, MCP 2025-11-25).
#[tool]
async fn test_reconnection(ctx: Context) -> &'static str {
    ctx.report_progress(1.0, Some(2.0), Some("closing the stream"))
        .await;
    ctx.close_sse_stream();
    tokio::time::sleep(Duration::from_millis(800)).await;
    ctx.report_progress(2.0, Some(2.0), Some("finishing")).await;
    "Reconnection test completed"
}

/// Logs three messages while it runs. On the 2026-07-28 wire a call logs only when its
/// `_meta` asks for a log level: without one, nothing is sent.
#[tool]
async fn test_logging_tool(ctx: Context) -> &'static str {
    ctx.info("Tool execution started").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    ctx.info("Tool execution completed").await;
    "Logging tool completed"
}

// ---- Tools: changing the server's lists -----------------------------------------------------

/// A tool that only exists for a moment, while `test_trigger_tool_change` runs.
#[tool]
fn test_dynamic_tool() -> &'static str {
    "This tool comes and goes."
}

/// A prompt that only exists for a moment, while `test_trigger_prompt_change` runs.
#[prompt]
fn test_dynamic_prompt() -> &'static str {
    "This prompt comes and goes."
}

/// Adds `test_dynamic_tool`, then removes it: clients listening for tool list changes hear
/// about both, and the list ends as it was.
#[tool]
fn test_trigger_tool_change(State(server): State<Server>) -> &'static str {
    let added = server.add_tool(test_dynamic_tool).is_ok();
    server.remove_tool("test_dynamic_tool");
    if added {
        "Tool list changed twice: test_dynamic_tool added, then removed"
    } else {
        "test_dynamic_tool was already there"
    }
}

/// Adds `test_dynamic_prompt`, then removes it: clients listening for prompt list changes hear
/// about both, and the list ends as it was.
#[tool]
fn test_trigger_prompt_change(State(server): State<Server>) -> &'static str {
    let added = server.add_prompt(test_dynamic_prompt).is_ok();
    server.remove_prompt("test_dynamic_prompt");
    if added {
        "Prompt list changed twice: test_dynamic_prompt added, then removed"
    } else {
        "test_dynamic_prompt was already there"
    }
}

// ---- Tools: asking the client ---------------------------------------------------------------

/// Asks the client's model to answer a prompt (`sampling/createMessage`).
#[tool]
async fn test_sampling(
    ctx: Context,
    #[arg(description = "The prompt to send to the LLM")] prompt: String,
) -> Result<String, ExchangeError> {
    let text = ctx.sample_text(prompt, 100).await?;
    Ok(format!("LLM response: {text}"))
}

/// Who the user is.
#[derive(Deserialize, Serialize, JsonSchema)]
struct UserInfo {
    /// Your username.
    username: String,
    /// Your email address.
    #[schemars(email)]
    email: String,
}

/// Asks the user for their username and email (`elicitation/create`, a form derived from a
/// struct).
#[tool]
async fn test_elicitation(
    ctx: Context,
    #[arg(description = "The message to show the user")] message: String,
) -> Result<String, ExchangeError> {
    let answer = ctx.elicit::<UserInfo>(message).await?;
    let content = match &answer {
        Elicitation::Accept(user) => serde_json::to_string(user).unwrap_or_default(),
        _ => "{}".into(),
    };
    Ok(format!(
        "User response: action={:?}, content={content}",
        answer.action()
    ))
}

#[derive(Deserialize, Serialize, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
enum Status {
    #[default]
    Active,
    Inactive,
    Pending,
}

/// A form whose every field has a default, from `#[serde(default)]` and `Default` (SEP-1034).
#[derive(Deserialize, Serialize, JsonSchema)]
#[serde(default)]
struct Defaults {
    /// User name.
    name: String,
    /// User age.
    age: u32,
    /// User score.
    score: f64,
    /// User status.
    status: Status,
    /// Verification status.
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

/// Asks for a form whose fields have defaults (SEP-1034).
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

/// Asks for a form with every kind of enum (SEP-1330), written by hand.
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

/// Needs the client's `sampling` capability. On the 2026-07-28 wire a client that did not
/// declare it gets `-32021` (HTTP 400) with `requiredCapabilities: {sampling: {}}`.
#[tool]
async fn test_missing_capability(ctx: Context) -> Result<String, ExchangeError> {
    let text = ctx.sample_text("Say hello", 20).await?;
    Ok(format!("LLM response: {text}"))
}

/// Asks the user mid-call: on the 2025-11-25 wire an ordinary `elicitation/create` on the
/// call's stream; on the 2026-07-28 wire an `input_required` result (the wire sends no request
/// of the server's own on a call's stream), and the client's retry gets the answer.
#[tool]
async fn test_streaming_elicitation(ctx: Context) -> String {
    ctx.info("Asking the user for their name").await;
    let schema = serde_json::json!({"type": "object", "properties": {"name": {"type": "string"}}});
    match ctx.elicit_schema("What is your name?", schema).await {
        Ok(answer) => format!("Elicitation completed: action={:?}", answer.action),
        Err(e) => format!("Elicitation not available on this wire: {e}"),
    }
}

// ---- Tools: input-required results (MRTR, 2026-07-28) ---------------------------------------
//
// On the 2026-07-28 wire a tool's questions to the client come back as `resultType:
// "input_required"`: the tool is stopped at its first unanswered question and re-run when the
// client retries with the answers (`inputResponses`), until it completes. The same bodies work
// on the 2025-11-25 wire, where each question is a request on the call's stream.
// `ctx.input_key` names a question in `inputRequests` (else they are numbered in call order).

/// A name, asked for in a form.
#[derive(Deserialize, JsonSchema)]
struct Name {
    name: String,
}

/// A favourite color.
#[derive(Deserialize, JsonSchema)]
struct Color {
    color: String,
}

/// A yes or no.
#[derive(Deserialize, JsonSchema)]
struct Confirm {
    ok: bool,
}

/// Who a form answer names, or "stranger".
fn name_of(answer: Elicitation<Name>) -> String {
    answer
        .accepted()
        .map_or_else(|| "stranger".into(), |n| n.name)
}

/// Asks the user's name, then greets them.
#[tool]
async fn test_input_required_result_elicitation(ctx: Context) -> Result<String, ExchangeError> {
    let answer = ctx
        .input_key("user_name")
        .elicit::<Name>("What is your name?")
        .await?;
    Ok(format!("Hello, {}!", name_of(answer)))
}

/// Asks the client's model a question.
#[tool]
async fn test_input_required_result_sampling(ctx: Context) -> Result<String, ExchangeError> {
    let ctx = ctx.input_key("capital_question");
    let text = ctx
        .sample_text("What is the capital of France?", 100)
        .await?;
    Ok(format!("The model says: {text}"))
}

/// Lists the client's roots.
#[tool]
async fn test_input_required_result_list_roots(ctx: Context) -> Result<String, ExchangeError> {
    let roots = ctx.input_key("client_roots").list_roots().await?;
    let uris: Vec<&str> = roots.iter().map(|r| r.uri.as_str()).collect();
    Ok(format!("Client roots: {}", uris.join(", ")))
}

// ---- Tools: tasks (the io.modelcontextprotocol/tasks extension, 2026-07-28 wire) ----------

/// Greets someone; never a task.
#[tool]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

/// Computes for `seconds` seconds; a task for clients of the tasks extension.
#[tool(task = "optional")]
async fn slow_compute(seconds: u64, label: Option<String>) -> String {
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let label = label.unwrap_or_else(|| "job".into());
    format!("Computed {label} in {seconds}s")
}

/// Fails after a second, as a tool error (`isError`: the task still completes).
#[tool(task = "required")]
async fn failing_job() -> Result<String, String> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    Err("the job failed".into())
}

/// Fails after a moment with a JSON-RPC error (a protocol error, not an error result): the
/// task fails. Written by hand, as a `#[tool]` function's errors are error results.
struct ProtocolErrorJob;

impl quickmcp::core::ToolHandler for ProtocolErrorJob {
    fn definition(&self) -> quickmcp::core::ToolDefinition {
        quickmcp::core::ToolDefinition::new(
            "protocol_error_job",
            "Fails after a moment with a JSON-RPC error: the task fails.",
        )
        .task_support(quickmcp::core::tasks::TaskSupport::Optional)
    }

    fn call(
        &self,
        _: quickmcp::core::Arguments<'_>,
        _: &quickmcp::core::CallContext<'_>,
    ) -> quickmcp::core::ToolFuture {
        quickmcp::core::ToolFuture::Pending(Box::pin(async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Err(quickmcp::core::McpError::internal(
                "protocol_error_job always fails",
            ))
        }))
    }
}

/// Asks the user to confirm deleting a file (the task waits in `input_required`).
#[tool(task = "optional")]
async fn confirm_delete(ctx: Context, filename: String) -> Result<String, ExchangeError> {
    let answer = ctx
        .input_key("confirm")
        .elicit::<Confirmation>(format!("Delete {filename}?"))
        .await?;
    Ok(match answer.accepted() {
        Some(Confirmation { confirm: true }) => format!("Deleted {filename}"),
        _ => format!("Kept {filename}"),
    })
}

/// A yes or no, as `confirm_delete` and `multi_input` ask it.
#[derive(Deserialize, JsonSchema)]
struct Confirmation {
    confirm: bool,
}

/// Asks two questions at once: both wait in `inputRequests` together.
#[tool(task = "optional")]
async fn multi_input(ctx: Context) -> Result<String, ExchangeError> {
    let first = ctx.input_key("first");
    let second = ctx.input_key("second");
    let (a, b) = tokio::join!(
        first.elicit::<Name>("First name?"),
        second.elicit::<Name>("Second name?")
    );
    Ok(format!("Got {} and {}", name_of(a?), name_of(b?)))
}

/// Asks the user's name through MRTR, then becomes a task that greets them.
#[tool(task = "required", defer_task)]
async fn test_tool_with_task(ctx: Context) -> Result<String, ExchangeError> {
    let answer = ctx
        .input_key("user_name")
        .elicit::<Name>("What is your name?")
        .await?;
    ctx.start_task().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    Ok(format!("Hello, {}!", name_of(answer)))
}

/// Keeps its own state across rounds: what it set before asking, it reads back after.
#[tool]
async fn test_input_required_result_request_state(ctx: Context) -> Result<String, ExchangeError> {
    let before = ctx.request_state::<String>();
    ctx.set_request_state("awaiting-confirmation");
    let answer = ctx
        .input_key("confirm")
        .elicit::<Confirm>("Please confirm")
        .await?;
    let ok = answer.accepted().is_some_and(|c| c.ok);
    let state = match before.as_deref() {
        Some("awaiting-confirmation") => "state-ok",
        _ => "no state (single round)",
    };
    Ok(format!("confirmed={ok}, {state}"))
}

/// Asks three things at once: all three are in one `input_required` result.
#[tool]
async fn test_input_required_result_multiple_inputs(ctx: Context) -> Result<String, ExchangeError> {
    let (asker, sampler, lister) = (
        ctx.input_key("user_name"),
        ctx.input_key("greeting"),
        ctx.input_key("client_roots"),
    );
    let (name, greeting, roots) = tokio::join!(
        asker.elicit::<Name>("What is your name?"),
        sampler.sample_text("Generate a greeting", 50),
        lister.list_roots(),
    );
    let (name, greeting, roots) = (name_of(name?), greeting?, roots?);
    Ok(format!("{greeting} {name} ({} roots)", roots.len()))
}

/// Asks one question, then another that depends on it: two rounds of input.
#[tool]
async fn test_input_required_result_multi_round(ctx: Context) -> Result<String, ExchangeError> {
    let name = ctx
        .input_key("step1")
        .elicit::<Name>("Step 1: What is your name?")
        .await?;
    let name = name_of(name);
    let color = ctx
        .input_key("step2")
        .elicit::<Color>("Step 2: What is your favorite color?")
        .await?;
    let color = color.accepted().map_or_else(|| "none".into(), |c| c.color);
    Ok(format!("{name} likes {color}"))
}

/// Its `requestState` is signed: a client that alters it gets `-32602`.
#[tool]
async fn test_input_required_result_tampered_state(ctx: Context) -> Result<String, ExchangeError> {
    ctx.set_request_state("signed");
    let answer = ctx
        .input_key("confirm")
        .elicit::<Confirm>("Please confirm")
        .await?;
    Ok(format!(
        "confirmed={}",
        answer.accepted().is_some_and(|c| c.ok)
    ))
}

/// Asks only what the client declared it supports (`_meta.clientCapabilities`).
#[tool]
async fn test_input_required_result_capabilities(ctx: Context) -> Result<String, ExchangeError> {
    let caps = ctx.client_capabilities().unwrap_or_default();
    let mut out = Vec::new();
    if caps.elicitation {
        let asker = ctx.input_key("user_name");
        let answer = asker.elicit::<Name>("What is your name?").await?;
        out.push(format!("name: {}", name_of(answer)));
    }
    if caps.sampling {
        let sampler = ctx.input_key("greeting");
        let text = sampler.sample_text("Generate a greeting", 50).await?;
        out.push(format!("greeting: {text}"));
    }
    Ok(out.join("; "))
}

// ---- Tools: a hand-written input schema -----------------------------------------------------

/// The fixture's JSON Schema 2020-12 input schema, listed exactly as written.
fn json_schema_2020_12() -> &'static str {
    r##"{
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {
            "address": {
                "$anchor": "addressDef",
                "type": "object",
                "properties": {"street": {"type": "string"}, "city": {"type": "string"}}
            }
        },
        "properties": {
            "name": {"type": "string"},
            "address": {"$ref": "#/$defs/address"},
            "contactMethod": {"type": "string", "enum": ["phone", "email"]},
            "phone": {"type": "string"},
            "email": {"type": "string"}
        },
        "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
        "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
        "then": {"required": ["phone"]},
        "else": {"required": ["email"]},
        "additionalProperties": false
    }"##
}

/// Tool with JSON Schema 2020-12 features.
#[tool(input_schema = json_schema_2020_12)]
fn json_schema_2020_12_tool(Args(args): Args<serde_json::Value>) -> String {
    format!("JSON Schema 2020-12 tool called with: {args}")
}

// ---- Tools: arguments mirrored into HTTP headers ----------------------------------------------

/// Runs a query in a region; the region is also sent as the `Mcp-Param-Region` header on the
/// 2026-07-28 wire (`x-mcp-header`), where a gateway can route on it.
#[tool]
fn test_x_mcp_header(
    #[arg(header = "Region", description = "The region to run the query in.")] region: String,
    #[arg(description = "The query.")] query: Option<String>,
) -> String {
    let query = query.unwrap_or_default();
    format!("Ran `{query}` in region {region}")
}

// ---- Resources ------------------------------------------------------------------------------

/// A static text resource.
#[resource("test://static-text", mime_type = "text/plain")]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource (a PNG).
#[resource("test://static-binary", mime_type = "image/png")]
fn static_binary() -> ResourceContents {
    ResourceContents::Blob {
        uri: "test://static-binary".into(),
        mime_type: Some("image/png".into()),
        blob: PNG.into(),
    }
}

/// Data for one id.
#[resource("test://template/{id}/data", mime_type = "application/json")]
fn template_data(id: String) -> serde_json::Value {
    serde_json::json!({"id": id, "templateTest": true, "data": format!("Data for ID: {id}")})
}

/// How many times the watched resource changed; the ticker in `main` bumps it.
#[derive(Clone, Default)]
struct Ticks(Arc<AtomicU64>);

/// A resource that changes every 3 seconds: subscribe to it.
#[resource("test://watched-resource", mime_type = "text/plain")]
fn watched_resource(State(ticks): State<Ticks>) -> String {
    let n = ticks.0.load(Ordering::Relaxed);
    format!("Watched resource content, version {n}")
}

// ---- Prompts --------------------------------------------------------------------------------

/// A simple prompt without arguments.
#[prompt]
fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// A prompt with two arguments; `arg1` completes.
#[prompt(complete(arg1 = arg1_values))]
fn test_prompt_with_arguments(
    #[arg(description = "First test argument")] arg1: String,
    #[arg(description = "Second test argument")] arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

/// Suggestions for `arg1` that start with what the user typed.
fn arg1_values(prefix: &str) -> Vec<String> {
    ["paris", "park", "party", "testValue1"]
        .into_iter()
        .filter(|v| v.starts_with(prefix))
        .map(String::from)
        .collect()
}

/// A prompt embedding the resource it is given.
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

/// A prompt that asks the user for context before it is rendered.
#[prompt]
async fn test_input_required_result_prompt(ctx: Context) -> Result<Vec<PromptMessage>, McpError> {
    /// What the prompt should use.
    #[derive(Deserialize, JsonSchema)]
    struct UserContext {
        context: String,
    }
    let answer = ctx
        .input_key("user_context")
        .elicit::<UserContext>("What context should the prompt use?")
        .await?;
    let context = answer.accepted().map_or_else(String::new, |c| c.context);
    Ok(vec![PromptMessage::user(format!(
        "Use this context: {context}"
    ))])
}

// ---- Serving --------------------------------------------------------------------------------

/// The tools the conformance suite's scenarios call, by their names there.
fn conformance_tools(server: Server) -> Server {
    server
        .tool(test_simple_text)
        .tool(test_image_content)
        .tool(test_audio_content)
        .tool(test_embedded_resource)
        .tool(test_multiple_content_types)
        .tool(test_error_handling)
        .tool(test_tool_with_logging)
        .tool(test_logging_tool)
        .tool(test_tool_with_progress)
        .tool(test_reconnection)
        .tool(test_sampling)
        .tool(test_elicitation)
        .tool(test_elicitation_sep1034_defaults)
        .tool(test_elicitation_sep1330_enums)
        .tool(test_missing_capability)
        .tool(test_streaming_elicitation)
        .tool(json_schema_2020_12_tool)
        .tool(test_x_mcp_header)
        .tool(test_trigger_tool_change)
        .tool(test_trigger_prompt_change)
        .tool(test_input_required_result_elicitation)
        .tool(test_input_required_result_sampling)
        .tool(test_input_required_result_list_roots)
        .tool(test_input_required_result_request_state)
        .tool(test_input_required_result_multiple_inputs)
        .tool(test_input_required_result_multi_round)
        .tool(test_input_required_result_tampered_state)
        .tool(test_input_required_result_capabilities)
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let ticks = Ticks::default();
    let server = conformance_tools(Server::new("everything").version(env!("CARGO_PKG_VERSION")))
        .tool(greet)
        .tool(slow_compute)
        .tool(failing_job)
        .tool(ProtocolErrorJob)
        .tool(confirm_delete)
        .tool(multi_input)
        .tool(test_tool_with_task)
        .resource(static_text)
        .resource(static_binary)
        .resource(template_data)
        .resource(watched_resource)
        .prompt(test_simple_prompt)
        .prompt(test_prompt_with_arguments)
        .prompt(test_prompt_with_embedded_resource)
        .prompt(test_prompt_with_image)
        .prompt(test_input_required_result_prompt)
        .state(ticks.clone());
    // The trigger tools change the lists of the running server: they get a handle to it.
    let server = server.clone().state(server);

    // The watched resource changes every 3 seconds; subscribers hear about it.
    let ticker = server.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(3)).await;
            ticks.0.fetch_add(1, Ordering::Relaxed);
            ticker.notify_resource_updated("test://watched-resource");
        }
    });

    // Clients told to reconnect (test_reconnection) wait half a second.
    let options = HttpOptions::new().retry(Duration::from_millis(500));
    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    let addr = listener.local_addr()?;
    let app = server.http_app_with(options.bound_to(addr));
    println!("MCP endpoint: http://{addr}/mcp");
    quickmcp::http::serve(listener, app, quickmcp::shutdown_signal()).await?;
    Ok(())
}
