//! The stateless 2026-07-28 wire over real sockets, beside the 2025 session wire on the same
//! endpoint: era dispatch, validation order and codes, discover, result decoration, logging,
//! progress, missing capabilities and cancellation (MRTR itself: tests/mrtr.rs).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{mcp_headers, read_events, reply, spawn, Client};
use quickmcp_core::{
    CallContext, CallToolResult, Content, Context, ExchangeError, FromCallContext, McpServer,
    ReadResourceResult, Reply, ResourceContents, ResourceDefinition, ResourceHandler,
    ToolDefinition, ToolFuture, ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};

/// `needs_sampling`: asks the client's model, so it needs `sampling`.
struct NeedsSampling;

impl ToolHandler for NeedsSampling {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("needs_sampling", "Asks the client's model.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let text: Result<String, ExchangeError> = ctx.sample_text("hi", 10).await;
            text
        })
    }
}

/// `sampling_or_not`: asks the client's model, and on failure answers anyway with a
/// successful result whose data happens to hold `"isError":true`.
struct SamplingOrNot;

impl ToolHandler for SamplingOrNot {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("sampling_or_not", "Asks the client's model if it can.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let sampled = ctx.sample_text("hi", 10).await.is_ok();
            let data = format!(r#"{{"sampled":{sampled},"isError":true}}"#);
            CallToolResult {
                content: vec![Content::text(data.clone())],
                structured_content: Some(serde_json::value::RawValue::from_string(data).unwrap()),
                is_error: false,
            }
        })
    }
}

/// `forever`: runs until dropped, and says so.
struct Forever(Arc<AtomicBool>);

struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl ToolHandler for Forever {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("forever", "Never ends.")
    }
    fn call(&self, _: quickmcp_core::Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let guard = SetOnDrop(self.0.clone());
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let _guard = guard;
            loop {
                ctx.report_progress(1.0, None, None).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            #[allow(unreachable_code)]
            "never"
        })
    }
}

struct Readme;

impl ResourceHandler for Readme {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new("test://readme", "readme").mime_type("text/plain")
    }
    fn read(&self, uri: &str, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        Reply::ready(Ok(ReadResourceResult {
            contents: vec![ResourceContents::Text {
                uri: uri.into(),
                mime_type: Some("text/plain".into()),
                text: "read me".into(),
            }],
        }))
    }
}

async fn start() -> (String, McpServer, Arc<AtomicBool>) {
    let server = common::server();
    let dropped = Arc::new(AtomicBool::new(false));
    server.add_tool(Arc::new(NeedsSampling)).unwrap();
    server.add_tool(Arc::new(SamplingOrNot)).unwrap();
    server.add_tool(Arc::new(Forever(dropped.clone()))).unwrap();
    server.add_resource(Arc::new(Readme)).unwrap();
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    (format!("http://{addr}/mcp"), server, dropped)
}

fn meta(caps: Value) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": caps,
    })
}

/// A modern request with matching standard headers.
fn modern(
    url: &str,
    id: i64,
    method: &str,
    mut params: Value,
    name: Option<&str>,
) -> reqwest::RequestBuilder {
    if params.get("_meta").is_none() {
        params["_meta"] = meta(json!({}));
    }
    let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
    let mut builder = reqwest::Client::new()
        .post(url)
        .headers(mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", method)
        .json(&body);
    if let Some(name) = name {
        builder = builder.header("mcp-name", name);
    }
    builder
}

/// One header, to replace a default one (`RequestBuilder::headers` replaces, `header` appends).
fn one(name: &'static str, value: &'static str) -> reqwest::header::HeaderMap {
    let mut map = reqwest::header::HeaderMap::new();
    map.insert(name, reqwest::header::HeaderValue::from_static(value));
    map
}

async fn answer(builder: reqwest::RequestBuilder) -> (u16, Vec<Value>) {
    reply(builder.send().await.unwrap()).await
}

/// The last message (the response) of an answer, with its status.
async fn last(builder: reqwest::RequestBuilder) -> (u16, Value) {
    let (status, mut all) = answer(builder).await;
    (status, all.pop().expect("a response"))
}

#[tokio::test]
async fn discover_describes_the_server_and_results_are_decorated() {
    let (url, server, _) = start().await;
    server.set_cache_hints(5_000, quickmcp_core::CacheScope::Private);
    let (status, body) = last(modern(&url, 1, "server/discover", json!({}), None)).await;
    assert_eq!(status, 200);
    let result = &body["result"];
    assert_eq!(body["id"], 1);
    assert_eq!(result["supportedVersions"], json!(["2026-07-28"]));
    assert!(result["capabilities"]["tools"].is_object());
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["ttlMs"], 5_000);
    assert_eq!(result["cacheScope"], "private");
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "test-server"
    );
    for method in ["tools/list", "resources/list", "resources/templates/list"] {
        let (status, body) = last(modern(&url, 2, method, json!({}), None)).await;
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(body["result"]["resultType"], "complete", "{method}");
        assert_eq!(body["result"]["ttlMs"], 5_000, "{method}");
    }
    let call = json!({"name": "echo", "arguments": {"text": "hi"}});
    let (_, body) = last(modern(&url, 3, "tools/call", call, Some("echo"))).await;
    assert_eq!(body["result"]["content"][0]["text"], "hi");
    assert_eq!(body["result"]["resultType"], "complete");
    assert!(
        body["result"].get("ttlMs").is_none(),
        "tool results are not cached"
    );
    let read = json!({"uri": "test://readme"});
    let (_, body) = last(modern(
        &url,
        4,
        "resources/read",
        read,
        Some("test://readme"),
    ))
    .await;
    assert_eq!(body["result"]["contents"][0]["text"], "read me");
    assert_eq!(body["result"]["cacheScope"], "private");
}

#[tokio::test]
async fn meta_header_version_and_method_are_checked_in_order() {
    let (url, _, _) = start().await;
    let no_meta = modern(&url, 11, "server/discover", json!({"_meta": {}}), None);
    let (status, body) = last(no_meta).await;
    assert_eq!(
        (status, body["error"]["code"].clone(), body["id"].clone()),
        (400, json!(-32602), json!(11))
    );
    let no_caps = json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}});
    let (status, body) = last(modern(&url, 12, "server/discover", no_caps, None)).await;
    assert_eq!(
        (status, body["error"]["code"].clone(), body["id"].clone()),
        (400, json!(-32602), json!(12))
    );
    let v999 = json!({"_meta": {
        "io.modelcontextprotocol/protocolVersion": "v999.0.0",
        "io.modelcontextprotocol/clientCapabilities": {}}});
    let (status, body) = last(modern(&url, 13, "server/discover", v999.clone(), None)).await;
    assert_eq!(
        (status, body["error"]["code"].clone(), body["id"].clone()),
        (400, json!(-32020), json!(13))
    );
    let both = modern(&url, 14, "server/discover", v999, None)
        .headers(one("mcp-protocol-version", "v999.0.0"));
    let (status, body) = last(both).await;
    assert_eq!(
        (status, body["error"]["code"].clone(), body["id"].clone()),
        (400, json!(-32022), json!(14))
    );
    assert_eq!(body["error"]["data"]["supported"], json!(["2026-07-28"]));
    assert_eq!(body["error"]["data"]["requested"], "v999.0.0");
    let (status, body) = last(modern(&url, 15, "unknown/method", json!({}), None)).await;
    assert_eq!(
        (status, body["error"]["code"].clone(), body["id"].clone()),
        (404, json!(-32601), json!(15))
    );
}

#[tokio::test]
async fn legacy_only_methods_with_modern_meta_are_unknown() {
    let (url, _, _) = start().await;
    for (i, method) in quickmcp_core::protocol::v2026::V2025_ONLY_METHODS
        .iter()
        .enumerate()
    {
        let id = 20 + i as i64;
        let (status, body) = last(modern(&url, id, method, json!({}), None)).await;
        assert_eq!(status, 404, "{method}");
        assert_eq!(body["error"]["code"], -32601, "{method}");
        assert_eq!(body["id"], id, "{method}");
    }
}

#[tokio::test]
async fn standard_headers_must_match_the_body() {
    let (url, _, _) = start().await;
    let call = json!({"name": "echo", "arguments": {"text": "hi"}});
    let cases = [
        modern(&url, 31, "tools/call", call.clone(), None),
        modern(&url, 32, "tools/call", call.clone(), Some("other")),
        modern(&url, 33, "tools/call", call.clone(), Some("echo"))
            .headers(one("mcp-method", "TOOLS/CALL")),
    ];
    for (i, case) in cases.into_iter().enumerate() {
        let (status, body) = last(case).await;
        assert_eq!(status, 400, "case {i}: {body}");
        assert_eq!(body["error"]["code"], -32020, "case {i}");
        assert_eq!(body["id"], 31 + i as i64);
    }
    let padded = modern(&url, 34, "tools/call", call, None).header("MCP-NAME", "  echo ");
    let (status, body) = last(padded).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn an_undeclared_capability_is_a_400_with_the_capabilities_needed() {
    let (url, _, _) = start().await;
    let call = json!({"name": "needs_sampling"});
    let (status, body) = last(modern(&url, 41, "tools/call", call, Some("needs_sampling"))).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["id"], 41);
    assert_eq!(body["error"]["code"], -32021);
    assert_eq!(
        body["error"]["data"]["requiredCapabilities"],
        json!({"sampling": {}})
    );
    // Declared, the request is never sent on the stream: it comes back as `input_required`.
    let call = json!({"name": "needs_sampling", "_meta": meta(json!({"sampling": {}}))});
    let (status, all) = answer(modern(&url, 42, "tools/call", call, Some("needs_sampling"))).await;
    assert_eq!(status, 200);
    assert!(
        all.iter()
            .all(|m| m.get("method").is_none() || m.get("id").is_none()),
        "{all:?}"
    );
    let result = &all.last().unwrap()["result"];
    assert_eq!(result["resultType"], "input_required", "{result}");
    assert_eq!(
        result["inputRequests"]["sampling-1"]["method"],
        "sampling/createMessage"
    );
}

#[tokio::test]
async fn a_successful_result_after_an_undeclared_capability_is_kept() {
    let (url, _, _) = start().await;
    let call = json!({"name": "sampling_or_not"});
    let (status, body) = last(modern(
        &url,
        43,
        "tools/call",
        call,
        Some("sampling_or_not"),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["structuredContent"]["sampled"], false,
        "{body}"
    );
    assert_eq!(
        body["result"]["structuredContent"]["isError"], true,
        "{body}"
    );
}

#[tokio::test]
async fn logs_need_a_meta_level_and_progress_streams_with_result_type() {
    let (url, _, _) = start().await;
    let mut params = json!({"name": "slow", "arguments": {"steps": 3}});
    params["_meta"] = meta(json!({}));
    params["_meta"]["progressToken"] = json!("p1");
    let (_, all) = answer(modern(&url, 51, "tools/call", params.clone(), Some("slow"))).await;
    let methods: Vec<_> = all.iter().filter_map(|m| m["method"].as_str()).collect();
    assert_eq!(
        methods, ["notifications/progress"; 3],
        "no logs without a level"
    );
    assert_eq!(all.last().unwrap()["result"]["resultType"], "complete");
    params["_meta"]["io.modelcontextprotocol/logLevel"] = json!("info");
    let (_, all) = answer(modern(&url, 52, "tools/call", params, Some("slow"))).await;
    let logs = all
        .iter()
        .filter(|m| m["method"] == "notifications/message")
        .count();
    assert_eq!(logs, 3);
}

#[tokio::test]
async fn resource_not_found_is_invalid_params_with_the_uri() {
    let (url, _, _) = start().await;
    let read = json!({"uri": "test://missing"});
    let (status, body) = last(modern(
        &url,
        61,
        "resources/read",
        read,
        Some("test://missing"),
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["error"]["code"], -32602);
    assert_eq!(body["error"]["data"]["uri"], "test://missing");
    assert_eq!(body["id"], 61);
}

#[tokio::test]
async fn both_eras_share_the_endpoint() {
    let (url, _, _) = start().await;
    let mut client = Client::new(url.clone());
    let init = client.initialize().await;
    assert_eq!(init["result"]["protocolVersion"], "2025-11-25");
    let legacy = client.request(2, "ping", json!({})).await;
    assert_eq!(legacy["result"], json!({}), "2025 results stay bare");
    let (status, body) = last(modern(&url, 3, "tools/list", json!({}), None)).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["resultType"], "complete");
    let http = reqwest::Client::new();
    assert_eq!(http.get(&url).send().await.unwrap().status(), 405);
    assert_eq!(http.delete(&url).send().await.unwrap().status(), 405);
    let unknown = http
        .get(&url)
        .header("mcp-session-id", "nope")
        .header("accept", "text/event-stream");
    assert_eq!(unknown.send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn closing_the_stream_cancels_the_call() {
    let (url, _, dropped) = start().await;
    let mut params = json!({"name": "forever"});
    params["_meta"] = meta(json!({}));
    params["_meta"]["progressToken"] = json!(1);
    let resp = modern(&url, 71, "tools/call", params, Some("forever"))
        .send()
        .await
        .unwrap();
    let events = read_events(resp, |events| !events.is_empty()).await;
    assert!(!events.is_empty(), "progress arrived");
    for _ in 0..100 {
        if dropped.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the tool kept running after the client closed the stream");
}

#[tokio::test]
async fn listen_acknowledges_first_and_tags_what_was_asked_for() {
    let (url, server, _) = start().await;
    let params = json!({"notifications": {"toolsListChanged": true, "resourceSubscriptions": ["test://readme"]}});
    let resp = modern(&url, 81, "subscriptions/listen", params, None)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mut events = common::event_channel(resp);
    let (_, ack) = events.recv().await.unwrap();
    let ack: Value = serde_json::from_str(&ack).unwrap();
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(
        ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        81
    );
    assert_eq!(ack["params"]["notifications"]["toolsListChanged"], true);
    server.notify_list_changed(quickmcp_core::ListKind::Prompts);
    server.notify_list_changed(quickmcp_core::ListKind::Tools);
    server.notify_resource_updated("test://other");
    server.notify_resource_updated("test://readme");
    let (_, first) = events.recv().await.unwrap();
    let first: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        first["method"], "notifications/tools/list_changed",
        "prompts were not asked for"
    );
    assert_eq!(
        first["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        81
    );
    let (_, second) = events.recv().await.unwrap();
    let second: Value = serde_json::from_str(&second).unwrap();
    assert_eq!(second["method"], "notifications/resources/updated");
    assert_eq!(second["params"]["uri"], "test://readme");
    drop(events);
}

#[tokio::test]
async fn json_responses_and_stateless_servers_keep_the_2026_statuses() {
    for options in [
        HttpOptions::new().json_response(true),
        HttpOptions::new().stateless(true),
    ] {
        let addr = spawn(router(common::server(), Vec::new(), options)).await;
        let url = format!("http://{addr}/mcp");
        let (status, body) = last(modern(&url, 91, "tools/list", json!({}), None)).await;
        assert_eq!(status, 200);
        assert_eq!(body["result"]["resultType"], "complete");
        let (status, body) = last(modern(&url, 92, "ping", json!({}), None)).await;
        assert_eq!((status, body["id"].clone()), (404, json!(92)));
        let mut params = json!({"name": "slow", "arguments": {"steps": 2}});
        params["_meta"] = meta(json!({}));
        let (status, body) = last(modern(&url, 93, "tools/call", params, Some("slow"))).await;
        assert_eq!(status, 200);
        assert_eq!(body["result"]["resultType"], "complete", "{body}");
    }
}
