//! Multi-round-trip requests (MRTR) on the 2026-07-28 wire over real sockets: a tool's and a
//! prompt's questions to the client come back as `input_required` results, and the retried
//! call gets the answers; concurrent asks, several rounds, the tool's own state, tampered
//! state, capabilities, and lists that never ask.

mod common;

use std::sync::Arc;

use common::{mcp_headers, messages, spawn};
use quickmcp_core::{
    Context, ExchangeError, FromCallContext, GetPromptResult, McpServer, PromptArguments,
    PromptDefinition, PromptHandler, PromptMessage, Reply, RequestContext, ToolDefinition,
    ToolFuture, ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};

/// `ask_all`: asks a form (keyed `name`), the model and the roots at once (numbered).
struct AskAll;

impl ToolHandler for AskAll {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ask_all", "Asks three things at once.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &RequestContext) -> ToolFuture {
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
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &RequestContext) -> ToolFuture {
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
    fn get(&self, _: PromptArguments, cx: &RequestContext) -> Reply<GetPromptResult> {
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

async fn start() -> (String, McpServer) {
    let server = common::server();
    server.add_tool(Arc::new(AskAll)).unwrap();
    server.add_tool(Arc::new(Steps)).unwrap();
    server.add_prompt(Arc::new(ContextPrompt)).unwrap();
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    (format!("http://{addr}/mcp"), server)
}

const ALL: &str = r#"{"sampling": {}, "elicitation": {}, "roots": {}}"#;

/// Sends a 2026 request declaring `caps`, and returns (status, the response).
async fn call(url: &str, method: &str, name: &str, mut params: Value, caps: &str) -> (u16, Value) {
    let caps: Value = serde_json::from_str(caps).unwrap();
    params["name"] = json!(name);
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
    let status = resp.status().as_u16();
    let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
    let mut all = messages(&ct, &resp.text().await.unwrap());
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
        let (_, body) = call(&url, "tools/call", "steps", retry, ALL).await;
        assert_eq!(body["error"]["code"], -32602, "{body}");
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
