//! Multi-round-trip requests (MRTR) on the 2026-07-28 wire over real sockets: a tool's and a
//! prompt's questions to the client come back as `input_required` results, and the retried
//! call gets the answers; concurrent asks, several rounds, the tool's own state, tampered and
//! expired state, capabilities, resources that ask, side effects guarded across retries, and
//! lists that never ask.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{mcp_headers, reply, spawn};
use quickmcp_core::{
    CallContext, Context, ExchangeError, FromCallContext, GetPromptResult, McpServer,
    PromptArguments, PromptDefinition, PromptHandler, PromptMessage, ReadResourceResult, Reply,
    ResourceContents, ResourceDefinition, ResourceHandler, ToolDefinition, ToolFuture, ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};

/// `ask_all`: asks a form (keyed `name`), the model and the roots at once (numbered).
struct AskAll;

impl ToolHandler for AskAll {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ask_all", "Asks three things at once.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let keyed = ctx.input_key("name");
            let schema = json!({"type": "object", "properties": {"name": {"type": "string"}}});
            let (name, text, roots) = tokio::join!(
                keyed.elicit_schema("Name?", schema),
                ctx.sample_text("Greet", 10),
                ctx.list_roots(),
            );
            let name = name?.content.unwrap_or_default()["name"].clone();
            let out: Result<String, ExchangeError> =
                Ok(format!("{text} {name} {}", roots?.len(), text = text?));
            out
        })
    }
}

/// `steps`: asks one question, then another, and counts its rounds in its own state.
struct Steps;

impl ToolHandler for Steps {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("steps", "Two questions in turn.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let round = ctx.request_state::<u32>().unwrap_or(0) + 1;
            ctx.set_request_state(round);
            let schema = json!({"type": "object"});
            let first = ctx.elicit_schema("First?", schema.clone()).await?;
            let second = ctx.elicit_schema("Second?", schema).await?;
            let out: Result<String, ExchangeError> = Ok(format!(
                "{:?} {:?} after {round} rounds",
                first.action, second.action
            ));
            out
        })
    }
}

/// `context_prompt`: asks the user before it renders.
struct ContextPrompt;

impl PromptHandler for ContextPrompt {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new("context_prompt", "Asks for context.")
    }
    fn get(&self, _: PromptArguments, cx: &CallContext<'_>) -> Reply<GetPromptResult> {
        let ctx = Context::from_call_context(cx).unwrap();
        Reply::pending(async move {
            let answer = ctx
                .input_key("ctx")
                .elicit_schema("Context?", json!({"type": "object"}))
                .await?;
            let text = answer.content.unwrap_or_default()["context"].to_string();
            Ok(GetPromptResult::new(vec![PromptMessage::user(text)]))
        })
    }
}

/// `test://secret`: asks the user for a password before it is read.
struct Secret;

impl ResourceHandler for Secret {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new("test://secret", "secret")
    }
    fn read(&self, uri: &str, cx: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let ctx = Context::from_call_context(cx).unwrap();
        let uri = uri.to_owned();
        Reply::pending(async move {
            let answer = ctx
                .input_key("password")
                .elicit_schema("Password?", json!({"type": "object"}))
                .await?;
            let text = format!("unlocked with {}", answer.content.unwrap_or_default()["pw"]);
            let contents = vec![ResourceContents::Text {
                uri,
                mime_type: None,
                text,
            }];
            Ok(ReadResourceResult { contents })
        })
    }
}

/// How often `book` ran its body, and how often it reserved a seat.
#[derive(Default)]
struct Bookings {
    runs: AtomicU32,
    reservations: AtomicU32,
}

/// `book`: reserves a seat once, guarded by its request state, then asks to confirm it.
struct Book(Arc<Bookings>);

impl ToolHandler for Book {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("book", "Reserves a seat, then asks.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        let bookings = self.0.clone();
        ToolFuture::pending(async move {
            bookings.runs.fetch_add(1, Ordering::SeqCst);
            let seat = match ctx.request_state::<u32>() {
                Some(seat) => seat,
                None => {
                    let seat = bookings.reservations.fetch_add(1, Ordering::SeqCst) + 1;
                    ctx.set_request_state(seat);
                    seat
                }
            };
            let answer = ctx
                .elicit_schema("Book it?", json!({"type": "object"}))
                .await?;
            let out: Result<String, ExchangeError> =
                Ok(format!("seat {seat}: {:?}", answer.action));
            out
        })
    }
}

async fn start() -> (String, McpServer) {
    let (url, server, _) = start_with_bookings().await;
    (url, server)
}

async fn start_with_bookings() -> (String, McpServer, Arc<Bookings>) {
    let server = common::server();
    let bookings = Arc::new(Bookings::default());
    server.add_tool(Arc::new(AskAll)).unwrap();
    server.add_tool(Arc::new(Steps)).unwrap();
    server.add_tool(Arc::new(Book(bookings.clone()))).unwrap();
    server.add_prompt(Arc::new(ContextPrompt)).unwrap();
    server.add_resource(Arc::new(Secret)).unwrap();
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    (format!("http://{addr}/mcp"), server, bookings)
}

const ALL: &str = r#"{"sampling": {}, "elicitation": {}, "roots": {}}"#;

/// Sends a 2026 request declaring `caps`, and returns (status, the response). `name` is the
/// tool's or prompt's name, or the URI of `resources/read`.
async fn call(url: &str, method: &str, name: &str, mut params: Value, caps: &str) -> (u16, Value) {
    let caps: Value = serde_json::from_str(caps).unwrap();
    let field = if method == "resources/read" {
        "uri"
    } else {
        "name"
    };
    params[field] = json!(name);
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": caps,
    });
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let resp = reqwest::Client::new()
        .post(url)
        .headers(mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", method)
        .header("mcp-name", name)
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, mut all) = reply(resp).await;
    (status, all.pop().expect("a response"))
}

fn accept(content: Value) -> Value {
    json!({"action": "accept", "content": content})
}

#[tokio::test]
async fn concurrent_asks_come_together_and_the_retry_completes() {
    let (url, _) = start().await;
    let (status, body) = call(&url, "tools/call", "ask_all", json!({}), ALL).await;
    assert_eq!(status, 200, "{body}");
    let result = &body["result"];
    assert_eq!(result["resultType"], "input_required", "{body}");
    let requests = result["inputRequests"].as_object().unwrap();
    assert_eq!(requests.len(), 3, "{body}");
    assert_eq!(requests["name"]["method"], "elicitation/create");
    assert_eq!(requests["name"]["params"]["message"], "Name?");
    assert_eq!(requests["sampling-1"]["method"], "sampling/createMessage");
    assert_eq!(requests["roots-2"]["method"], "roots/list");
    let state = result["requestState"].as_str().unwrap();
    assert!(result.get("content").is_none());
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "test-server"
    );

    // A partial answer: the rest is asked again, not an error.
    let partial = json!({"inputResponses": {"name": accept(json!({"name": "Ada"}))},
                         "requestState": state});
    let (_, body) = call(&url, "tools/call", "ask_all", partial, ALL).await;
    let result = &body["result"];
    assert_eq!(result["resultType"], "input_required", "{body}");
    let keys: Vec<&String> = result["inputRequests"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["roots-2", "sampling-1"]);

    // The rest, against the new state (which carries the name).
    let rest = json!({
        "inputResponses": {
            "sampling-1": {"role": "assistant", "content": {"type": "text", "text": "Hi"},
                           "model": "m"},
            "roots-2": {"roots": [{"uri": "file:///a"}]},
            "unknown": {"ignored": true},
        },
        "requestState": result["requestState"],
    });
    let (_, body) = call(&url, "tools/call", "ask_all", rest, ALL).await;
    assert_eq!(body["result"]["resultType"], "complete", "{body}");
    assert_eq!(body["result"]["content"][0]["text"], "Hi \"Ada\" 1");
}

#[tokio::test]
async fn rounds_follow_each_other_and_the_tool_keeps_its_state() {
    let (url, _) = start().await;
    let (_, body) = call(&url, "tools/call", "steps", json!({}), ALL).await;
    let r1 = &body["result"];
    assert_eq!(
        r1["inputRequests"]["elicitation-1"]["params"]["message"],
        "First?"
    );
    let retry = json!({"inputResponses": {"elicitation-1": accept(json!({}))},
                       "requestState": r1["requestState"]});
    let (_, body) = call(&url, "tools/call", "steps", retry, ALL).await;
    let r2 = &body["result"];
    assert_eq!(r2["resultType"], "input_required", "{body}");
    assert_eq!(
        r2["inputRequests"]["elicitation-2"]["params"]["message"],
        "Second?"
    );
    assert_ne!(r1["requestState"], r2["requestState"]);
    let retry = json!({"inputResponses": {"elicitation-2": {"action": "decline"}},
                       "requestState": r2["requestState"]});
    let (_, body) = call(&url, "tools/call", "steps", retry, ALL).await;
    assert_eq!(
        body["result"]["content"][0]["text"], "Accept Decline after 3 rounds",
        "{body}"
    );
}

#[tokio::test]
async fn tampered_or_foreign_state_is_rejected() {
    let (url, server) = start().await;
    let (_, body) = call(&url, "tools/call", "steps", json!({}), ALL).await;
    let state = body["result"]["requestState"].as_str().unwrap().to_owned();
    let answers = json!({"elicitation-1": accept(json!({}))});
    for bad in [format!("{state}-TAMPERED"), format!("A{state}")] {
        let retry = json!({"inputResponses": answers, "requestState": bad});
        let (status, body) = call(&url, "tools/call", "steps", retry, ALL).await;
        // A params error, like an unknown tool: 200 with -32602 (400 is for the envelope).
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["error"]["code"], -32602, "{body}");
        assert_eq!(body["error"]["data"]["reason"], "integrity", "{body}");
    }
    // Bound to its tool.
    let retry = json!({"inputResponses": answers, "requestState": state});
    let (_, body) = call(&url, "tools/call", "ask_all", retry.clone(), ALL).await;
    assert_eq!(body["error"]["code"], -32602, "{body}");
    // And to the server's key.
    server.set_request_state_key(b"rotated");
    let (_, body) = call(&url, "tools/call", "steps", retry, ALL).await;
    assert_eq!(body["error"]["code"], -32602, "{body}");
}

#[tokio::test]
async fn capabilities_still_apply_and_lists_never_ask() {
    let (url, _) = start().await;
    // Only what the client declared is asked...
    let roots_only = r#"{"roots": {}}"#;
    let (_, body) = call(&url, "tools/call", "ask_all", json!({}), roots_only).await;
    let requests = body["result"]["inputRequests"].as_object().unwrap();
    let keys: Vec<&String> = requests.keys().collect();
    assert_eq!(keys, ["roots-1"], "{body}");
    // ...and a tool that fails for want of the rest is -32021.
    let retry = json!({"inputResponses": {"roots-1": {"roots": []}},
                       "requestState": body["result"]["requestState"]});
    let (status, body) = call(&url, "tools/call", "ask_all", retry, roots_only).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!(-32021)),
        "{body}"
    );
    for method in ["tools/list", "prompts/list"] {
        let (_, body) = call(&url, method, method, json!({}), ALL).await;
        assert_eq!(body["result"]["resultType"], "complete", "{method}: {body}");
    }
}

#[tokio::test]
async fn prompts_ask_too() {
    let (url, _) = start().await;
    let (_, body) = call(&url, "prompts/get", "context_prompt", json!({}), ALL).await;
    assert_eq!(body["result"]["resultType"], "input_required", "{body}");
    assert_eq!(
        body["result"]["inputRequests"]["ctx"]["method"],
        "elicitation/create"
    );
    let retry = json!({"inputResponses": {"ctx": accept(json!({"context": "tests"}))}});
    let (_, body) = call(&url, "prompts/get", "context_prompt", retry, ALL).await;
    assert_eq!(body["result"]["resultType"], "complete", "{body}");
    assert_eq!(
        body["result"]["messages"][0]["content"]["text"],
        "\"tests\""
    );
}

#[tokio::test]
async fn expired_state_is_rejected() {
    let (url, server) = start().await;
    assert_eq!(server.request_state_max_age(), Duration::from_secs(600));
    let (_, body) = call(&url, "tools/call", "steps", json!({}), ALL).await;
    let retry = json!({"inputResponses": {"elicitation-1": accept(json!({}))},
                       "requestState": body["result"]["requestState"]});
    // Every state is at least zero seconds old: a zero maximum age refuses them all.
    server.set_request_state_max_age(Duration::ZERO);
    let (status, body) = call(&url, "tools/call", "steps", retry.clone(), ALL).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["error"]["code"], -32602, "{body}");
    assert_eq!(body["error"]["data"]["reason"], "expired", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("`requestState` expired"), "{message}");
    // The same state within the age limit goes through.
    server.set_request_state_max_age(Duration::from_secs(600));
    let (_, body) = call(&url, "tools/call", "steps", retry, ALL).await;
    assert_eq!(body["result"]["resultType"], "input_required", "{body}");
    assert!(body["result"]["inputRequests"]["elicitation-2"].is_object());
}

#[tokio::test]
async fn resources_ask_too() {
    let (url, _) = start().await;
    let (status, body) = call(&url, "resources/read", "test://secret", json!({}), ALL).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["resultType"], "input_required", "{body}");
    let request = &body["result"]["inputRequests"]["password"];
    assert_eq!(request["method"], "elicitation/create", "{body}");
    // Bound to the URI: the state of this read is no good for a tool.
    let retry = json!({"inputResponses": {"password": accept(json!({"pw": "sesame"}))},
                       "requestState": body["result"]["requestState"]});
    let (_, wrong) = call(&url, "tools/call", "steps", retry.clone(), ALL).await;
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    let (_, body) = call(&url, "resources/read", "test://secret", retry, ALL).await;
    assert_eq!(body["result"]["resultType"], "complete", "{body}");
    assert_eq!(
        body["result"]["contents"][0]["text"], "unlocked with \"sesame\"",
        "{body}"
    );
}

#[tokio::test]
async fn the_body_reruns_and_request_state_guards_its_side_effects() {
    let (url, _, bookings) = start_with_bookings().await;
    let (_, body) = call(&url, "tools/call", "book", json!({}), ALL).await;
    assert_eq!(body["result"]["resultType"], "input_required", "{body}");
    let retry = json!({"inputResponses": {"elicitation-1": accept(json!({}))},
                       "requestState": body["result"]["requestState"]});
    let (_, body) = call(&url, "tools/call", "book", retry, ALL).await;
    assert_eq!(
        body["result"]["content"][0]["text"], "seat 1: Accept",
        "{body}"
    );
    // Two runs of the body, one reservation.
    assert_eq!(bookings.runs.load(Ordering::SeqCst), 2);
    assert_eq!(bookings.reservations.load(Ordering::SeqCst), 1);
}
