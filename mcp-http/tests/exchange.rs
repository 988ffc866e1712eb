//! Server→client requests over real sockets: a tool asks the client (sampling, elicitation,
//! roots) on its POST SSE stream, the client POSTs the answer back (202), and the tool's
//! result follows on the same stream. Plus capability checks, timeouts, unknown ids,
//! cancellation, JSON-response mode (GET stream) and the legacy SSE transport. Prompts and
//! resources ask the same way.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{event_channel, read_events, spawn, Client};
use quickmcp_core::{
    Arguments, CallContext, Context, Elicitation, FromCallContext, GetPromptResult, McpServer,
    PromptArguments, PromptDefinition, PromptHandler, PromptMessage, ReadResourceResult, Reply,
    ResourceContents, ResourceDefinition, ResourceHandler, ToolDefinition, ToolFuture, ToolHandler,
};
use quickmcp_http::{router, HttpOptions, Transport};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedReceiver;

#[derive(Deserialize, JsonSchema)]
struct Contact {
    /// Your name.
    name: String,
    subscribe: bool,
}

/// `ask(what)`: asks the client for `sample`, `elicit`, `roots` or `url`, and tells what came.
struct Ask;

impl ToolHandler for Ask {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ask", "Ask the client something.")
    }
    fn call(&self, mut args: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let what: String = args
            .take("what")
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_default();
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let answer = match &*what {
                "sample" => ctx
                    .sample_text("What is 2+2?", 100)
                    .await
                    .map(|text| format!("LLM response: {text}")),
                "elicit" => {
                    ctx.elicit::<Contact>("Who are you?")
                        .await
                        .map(|answer| match answer {
                            Elicitation::Accept(c) => {
                                format!("{} (subscribe: {})", c.name, c.subscribe)
                            }
                            other => format!("{:?}", other.action()),
                        })
                }
                "roots" => ctx.list_roots().await.map(|roots| {
                    let uris: Vec<String> = roots.into_iter().map(|r| r.uri).collect();
                    uris.join(",")
                }),
                "url" => ctx
                    .elicit_url("Sign in", "https://example.com/login", "login-1")
                    .await
                    .map(|action| format!("{action:?}")),
                _ => Ok("nothing to ask".into()),
            };
            answer.map_err(|e| e.to_string())
        })
    }
}

/// Asks the user for a name through `ctx`, the same way from a prompt and a resource.
async fn ask_name(ctx: Context) -> Result<String, quickmcp_core::ExchangeError> {
    let answer = ctx.elicit::<Contact>("Who?").await?;
    Ok(answer.accepted().map_or_else(String::new, |c| c.name))
}

/// The prompt `greeting`, which asks whom to greet.
struct Greeting;

impl PromptHandler for Greeting {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new("greeting", "Asks whom to greet.")
    }
    fn get(&self, _: PromptArguments, cx: &CallContext<'_>) -> Reply<GetPromptResult> {
        let name = ask_name(Context::from_call_context(cx).unwrap());
        Reply::pending(async move {
            let text = format!("Greet {}", name.await?);
            Ok(GetPromptResult::new(vec![PromptMessage::user(text)]))
        })
    }
}

/// The resource `test://whoami`, which asks who is reading.
struct WhoAmI;

impl ResourceHandler for WhoAmI {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new("test://whoami", "whoami")
    }
    fn read(&self, uri: &str, cx: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let name = ask_name(Context::from_call_context(cx).unwrap());
        let uri = uri.to_owned();
        Reply::pending(async move {
            let text = name.await?;
            let contents = vec![ResourceContents::Text {
                uri,
                mime_type: None,
                text,
            }];
            Ok(ReadResourceResult { contents })
        })
    }
}

fn server() -> McpServer {
    let server = McpServer::new("exchange-test");
    server.add_tool(Arc::new(Ask)).unwrap();
    server.add_prompt(Arc::new(Greeting)).unwrap();
    server.add_resource(Arc::new(WhoAmI)).unwrap();
    server
}

async fn start(server: McpServer, options: HttpOptions) -> String {
    let addr = spawn(router(server, Vec::new(), options)).await;
    format!("http://{addr}/mcp")
}

async fn client(url: &str, capabilities: Value) -> Client {
    let mut client = Client::new(url.to_owned());
    client.initialize_with(capabilities).await;
    client
}

fn call(id: i64, what: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": "ask", "arguments": {"what": what}}})
}

/// Starts `ask(what)` and returns the events of its SSE stream.
async fn start_call(client: &Client, id: i64, what: &str) -> UnboundedReceiver<(String, String)> {
    let resp = client.post(&call(id, what)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()[CONTENT_TYPE], "text/event-stream");
    event_channel(resp)
}

async fn next(events: &mut UnboundedReceiver<(String, String)>) -> Value {
    let (name, data) = tokio::time::timeout(Duration::from_secs(5), events.recv())
        .await
        .expect("an event in time")
        .expect("the stream is open");
    assert_eq!(name, "message");
    serde_json::from_str(&data).unwrap()
}

/// POSTs the client's answer to `request` and expects 202.
async fn answer(client: &Client, request: &Value, result: Value) {
    let (status, body) = client
        .send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": result}))
        .await;
    assert_eq!((status, body), (202, Vec::new()));
}

fn tool_text(response: &Value) -> &str {
    response["result"]["content"][0]["text"].as_str().unwrap()
}

#[tokio::test]
async fn sampling_round_trip_on_the_post_stream() {
    let url = start(server(), HttpOptions::new()).await;
    let client = client(&url, json!({"sampling": {}})).await;
    let mut events = start_call(&client, 2, "sample").await;
    let request = next(&mut events).await;
    assert_eq!(request["method"], "sampling/createMessage");
    assert!(request["id"].is_i64(), "{request}");
    assert_eq!(
        request["params"],
        json!({"messages": [{"role": "user", "content": {"type": "text", "text": "What is 2+2?"}}],
               "maxTokens": 100})
    );
    answer(
        &client,
        &request,
        json!({"role": "assistant", "content": {"type": "text", "text": "4"}, "model": "test-model"}),
    )
    .await;
    let result = next(&mut events).await;
    assert_eq!(result["id"], 2);
    assert_eq!(tool_text(&result), "LLM response: 4");
}

#[tokio::test]
async fn elicitation_and_roots_round_trips() {
    let url = start(server(), HttpOptions::new()).await;
    let client = client(
        &url,
        json!({"elicitation": {}, "roots": {"listChanged": true}}),
    )
    .await;

    let mut events = start_call(&client, 2, "elicit").await;
    let request = next(&mut events).await;
    assert_eq!(request["method"], "elicitation/create");
    assert_eq!(
        request["params"],
        json!({"message": "Who are you?", "requestedSchema": {"type": "object", "properties": {
            "name": {"type": "string", "description": "Your name."},
            "subscribe": {"type": "boolean"}}, "required": ["name", "subscribe"]}})
    );
    answer(
        &client,
        &request,
        json!({"action": "accept", "content": {"name": "Ada", "subscribe": true}}),
    )
    .await;
    assert_eq!(tool_text(&next(&mut events).await), "Ada (subscribe: true)");

    let mut events = start_call(&client, 3, "elicit").await;
    let request = next(&mut events).await;
    answer(&client, &request, json!({"action": "cancel"})).await;
    assert_eq!(tool_text(&next(&mut events).await), "Cancel");

    let mut events = start_call(&client, 4, "roots").await;
    let request = next(&mut events).await;
    assert_eq!(request["method"], "roots/list");
    answer(
        &client,
        &request,
        json!({"roots": [{"uri": "file:///a", "name": "A"}, {"uri": "file:///b"}]}),
    )
    .await;
    assert_eq!(tool_text(&next(&mut events).await), "file:///a,file:///b");
}

#[tokio::test]
async fn url_elicitation_needs_the_url_mode() {
    let url = start(server(), HttpOptions::new()).await;
    let form_only = client(&url, json!({"elicitation": {}})).await;
    let result = form_only
        .request(2, "tools/call", call(2, "url")["params"].clone())
        .await;
    assert_eq!(result["result"]["isError"], true);
    assert!(tool_text(&result).contains("elicitation.url"), "{result}");

    let both = client(&url, json!({"elicitation": {"form": {}, "url": {}}})).await;
    let mut events = start_call(&both, 3, "url").await;
    let request = next(&mut events).await;
    assert_eq!(
        request["params"],
        json!({"mode": "url", "message": "Sign in", "url": "https://example.com/login",
               "elicitationId": "login-1"})
    );
    answer(&both, &request, json!({"action": "accept"})).await;
    assert_eq!(tool_text(&next(&mut events).await), "Accept");
}

#[tokio::test]
async fn a_missing_capability_is_an_error_and_nothing_is_sent() {
    let url = start(server(), HttpOptions::new()).await;
    let client = client(&url, json!({})).await;
    for (id, what, capability) in [
        (2, "sample", "sampling"),
        (3, "elicit", "elicitation"),
        (4, "roots", "roots"),
    ] {
        let (status, messages) = client.send(&call(id, what)).await;
        assert_eq!(status, 200);
        assert_eq!(messages.len(), 1, "only the result: {messages:?}");
        assert_eq!(messages[0]["result"]["isError"], true);
        let text = tool_text(&messages[0]);
        assert!(
            text.contains(&format!("`{capability}` capability")),
            "{text}"
        );
    }
}

#[tokio::test]
async fn unanswered_requests_time_out_and_unknown_ids_are_ignored() {
    let server = server();
    server.set_client_request_timeout(Duration::from_millis(300));
    let url = start(server.clone(), HttpOptions::new()).await;
    let client = client(&url, json!({"roots": {}})).await;
    let mut events = start_call(&client, 2, "roots").await;
    let request = next(&mut events).await;
    let stray = json!({"id": request["id"].as_i64().unwrap() + 1000});
    answer(&client, &stray, json!({"roots": []})).await;
    let result = next(&mut events).await;
    assert_eq!(result["id"], 2);
    assert_eq!(result["result"]["isError"], true);
    assert!(
        tool_text(&result).contains("did not answer within"),
        "{result}"
    );
    assert!(server.pending_requests().is_empty());
}

#[tokio::test]
async fn a_client_error_answer_reaches_the_tool() {
    let url = start(server(), HttpOptions::new()).await;
    let client = client(&url, json!({"sampling": {}})).await;
    let mut events = start_call(&client, 2, "sample").await;
    let request = next(&mut events).await;
    let (status, _) = client
        .send(&json!({"jsonrpc": "2.0", "id": request["id"],
                      "error": {"code": -1, "message": "User rejected sampling request"}}))
        .await;
    assert_eq!(status, 202);
    let text = tool_text(&next(&mut events).await).to_owned();
    assert!(text.contains("User rejected sampling request"), "{text}");
}

#[tokio::test]
async fn cancelling_the_call_forgets_its_request() {
    let server = server();
    let url = start(server.clone(), HttpOptions::new()).await;
    let client = client(&url, json!({"roots": {}})).await;
    let mut events = start_call(&client, 2, "roots").await;
    next(&mut events).await;
    assert_eq!(server.pending_requests().len(), 1);
    let (status, _) = client
        .send(&json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 2}}))
        .await;
    assert_eq!(status, 202);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.pending_requests().is_empty());

    // Ending the session does the same.
    let mut events = start_call(&client, 3, "roots").await;
    next(&mut events).await;
    let deleted = client
        .http
        .delete(&url)
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(server.pending_requests().is_empty());
}

#[tokio::test]
async fn json_responses_ask_on_the_get_stream() {
    let url = start(server(), HttpOptions::new().json_response(true)).await;
    let client = client(&url, json!({"sampling": {}})).await;

    let (status, messages) = client.send(&call(2, "sample")).await;
    assert_eq!(status, 200);
    assert!(
        tool_text(&messages[0]).contains("no GET stream open"),
        "{messages:?}"
    );

    let get = client
        .http
        .get(&url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 200);
    let mut stream = event_channel(get);
    let pending_call = tokio::spawn({
        let request = client.post(&call(3, "sample"));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    });
    let request = next(&mut stream).await;
    assert_eq!(request["method"], "sampling/createMessage");
    answer(
        &client,
        &request,
        json!({"role": "assistant", "content": {"type": "text", "text": "via GET"}, "model": "m"}),
    )
    .await;
    let result = pending_call.await.unwrap();
    assert_eq!(tool_text(&result), "LLM response: via GET");
}

#[tokio::test]
async fn legacy_sse_asks_on_the_session_stream() {
    let addr = spawn(router(
        server(),
        Vec::new(),
        HttpOptions::new().transport(Transport::Sse),
    ))
    .await;
    let http = reqwest::Client::new();
    let stream = http
        .get(format!("http://{addr}/sse"))
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .unwrap();
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(read_events(stream, move |events| {
        tx.send(events.last().cloned().unwrap()).is_err()
    }));
    let (_, endpoint) = events.recv().await.unwrap();
    let post = |body: Value| {
        let request = http
            .post(format!("http://{addr}{endpoint}"))
            .header(CONTENT_TYPE, "application/json")
            .json(&body);
        async move { assert_eq!(request.send().await.unwrap().status(), 202) }
    };
    post(common::initialize_body_with(
        "2024-11-05",
        json!({"sampling": {}}),
    ))
    .await;
    next(&mut events).await;
    post(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    post(call(2, "sample")).await;
    let request = next(&mut events).await;
    assert_eq!(request["method"], "sampling/createMessage");
    post(json!({"jsonrpc": "2.0", "id": request["id"], "result":
        {"role": "assistant", "content": {"type": "text", "text": "legacy"}, "model": "m"}}))
    .await;
    let result = next(&mut events).await;
    assert_eq!(result["id"], 2);
    assert_eq!(tool_text(&result), "LLM response: legacy");
}

#[tokio::test]
async fn concurrent_calls_get_their_own_answers() {
    let url = start(server(), HttpOptions::new()).await;
    let client = client(&url, json!({"sampling": {}})).await;
    let mut first = start_call(&client, 2, "sample").await;
    let mut second = start_call(&client, 3, "sample").await;
    let (a, b) = (next(&mut first).await, next(&mut second).await);
    assert_ne!(a["id"], b["id"], "ids are unique in the session");
    let reply = |text: &str| json!({"role": "assistant", "content": {"type": "text", "text": text}, "model": "m"});
    answer(&client, &b, reply("second")).await;
    answer(&client, &a, reply("first")).await;
    let (ra, rb) = (next(&mut first).await, next(&mut second).await);
    assert_eq!(
        (ra["id"].clone(), tool_text(&ra)),
        (json!(2), "LLM response: first")
    );
    assert_eq!(
        (rb["id"].clone(), tool_text(&rb)),
        (json!(3), "LLM response: second")
    );

    // Another session cannot answer for this one.
    let other = self::client(&url, json!({"sampling": {}})).await;
    let mut third = start_call(&client, 4, "sample").await;
    let c = next(&mut third).await;
    answer(&other, &c, reply("intruder")).await;
    answer(&client, &c, reply("owner")).await;
    assert_eq!(tool_text(&next(&mut third).await), "LLM response: owner");
}

#[tokio::test]
async fn stateless_servers_cannot_ask_the_client() {
    let url = start(server(), HttpOptions::new().stateless(true)).await;
    let client = client(&url, json!({"sampling": {}})).await;
    assert!(client.session.is_none());
    let (status, messages) = client.send(&call(2, "sample")).await;
    assert_eq!(status, 200);
    assert_eq!(messages.len(), 1, "nothing but the result: {messages:?}");
    let text = tool_text(&messages[0]);
    assert!(text.contains("no session"), "{text}");
}

#[tokio::test]
async fn prompts_and_resources_ask_on_the_post_stream_too() {
    let url = start(server(), HttpOptions::new()).await;
    let client = client(&url, json!({"elicitation": {}})).await;
    let requests = [
        ("prompts/get", json!({"name": "greeting"})),
        ("resources/read", json!({"uri": "test://whoami"})),
    ];
    for (id, (method, params)) in (2..).zip(requests) {
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let resp = client.post(&body).send().await.unwrap();
        assert_eq!(
            resp.headers()[CONTENT_TYPE],
            "text/event-stream",
            "{method}"
        );
        let mut events = event_channel(resp);
        let request = next(&mut events).await;
        assert_eq!(
            request["method"], "elicitation/create",
            "{method}: {request}"
        );
        assert_eq!(request["params"]["message"], "Who?");
        let accept = json!({"action": "accept", "content": {"name": "Ada", "subscribe": false}});
        answer(&client, &request, accept).await;
        let result = next(&mut events).await;
        assert_eq!(result["id"], id, "{result}");
        let text = match method {
            "prompts/get" => &result["result"]["messages"][0]["content"]["text"],
            _ => &result["result"]["contents"][0]["text"],
        };
        let expected = if method == "prompts/get" {
            "Greet Ada"
        } else {
            "Ada"
        };
        assert_eq!(text, expected, "{method}: {result}");
    }
}
