//! Every example binary, run as a user runs it (`target/debug/examples/NAME --port P`) and
//! spoken to over real sockets: the tools and routes each one promises, the transport errors
//! of the README's table (each followed by a call that still works), and graceful shutdown.

mod support;

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HOST, ORIGIN};
use serde_json::{json, Value};
use support::{
    check_tool_list, http, initialize_message, tool_text, Example, LegacySession, Mcp, PortFrom,
    Reply, SseReader, StdioExample, PROTOCOL,
};

/// The body limit the README documents (`HttpOptions::body_limit`).
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// GETs `path` on the example.
async fn get(example: &Example, path: &str) -> Reply {
    let response = http()
        .get(example.url(path))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    Reply::read(response).await
}

/// `GET path` answers `{"status": "healthy"}`.
async fn check_health(example: &Example, path: &str) {
    let reply = get(example, path).await;
    assert_eq!(reply.status, 200, "GET {path}: {reply}");
    assert_eq!(reply.json(), json!({"status": "healthy"}), "GET {path}");
}

/// POSTs an `initialize` to `path`, without any session.
async fn initialize_at(example: &Example, path: &str) -> Reply {
    Mcp::new(example.url(path))
        .send_json(&initialize_message())
        .await
}

/// The Streamable HTTP endpoint at `mcp_path` initializes, lists and calls both tools, and the
/// health route answers at `health_path`.
async fn check_streamable(example: &Example, mcp_path: &str, health_path: &str) {
    assert_eq!(
        example.endpoint,
        example.url(mcp_path),
        "the announced endpoint"
    );
    let mut client = Mcp::new(example.url(mcp_path));
    let init = client.initialize().await;
    assert_eq!(init["protocolVersion"], PROTOCOL, "{init}");
    assert_eq!(init["serverInfo"]["name"], "MyServer", "{init}");
    assert!(init["capabilities"]["tools"].is_object(), "{init}");
    check_tool_list(&client.result("tools/list", json!({})).await);
    assert_eq!(
        client.tool_text("hello", json!({"name": "World"})).await,
        "Hello, World!"
    );
    assert_eq!(client.tool_text("add", json!({"a": 2, "b": 3})).await, "5");
    assert_eq!(
        client.tool_text("add", json!({"a": -7, "b": 2})).await,
        "-5"
    );
    check_health(example, health_path).await;
}

/// The legacy SSE stream at `sse_path` announces `{prefix}/messages?session_id=...`, and
/// POSTs there get 202 while their answers arrive on the stream.
async fn check_legacy_sse(example: &Example, sse_path: &str, prefix: &str) {
    assert_eq!(
        example.endpoint,
        example.url(sse_path),
        "the announced endpoint"
    );
    let mut session = LegacySession::open(&example.url(""), sse_path).await;
    let announced = format!("{prefix}/messages?session_id=");
    assert!(
        session.endpoint.starts_with(&announced) && session.endpoint.len() > announced.len(),
        "the endpoint event should name {announced}...: {:?}",
        session.endpoint
    );
    let init = session.initialize().await;
    assert_eq!(init["result"]["protocolVersion"], "2024-11-05", "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "MyServer", "{init}");
    let list = session.request("tools/list", json!({})).await;
    check_tool_list(&list["result"]);
    let hello = session
        .request(
            "tools/call",
            json!({"name": "hello", "arguments": {"name": "SSE"}}),
        )
        .await;
    assert_eq!(tool_text(&hello["result"]), "Hello, SSE!");
    let add = session
        .request(
            "tools/call",
            json!({"name": "add", "arguments": {"a": 2, "b": 3}}),
        )
        .await;
    assert_eq!(tool_text(&add["result"]), "5");
    let unknown = session
        .request("tools/call", json!({"name": "nope", "arguments": {}}))
        .await;
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
}

#[tokio::test]
async fn quickstart_serves_both_tools_and_health() {
    let example = Example::start("quickstart").await;
    check_streamable(&example, "/mcp", "/health").await;
}

#[tokio::test]
async fn quickstart_takes_host_and_port_from_the_environment() {
    let example = Example::start_with("quickstart", PortFrom::Environment).await;
    check_streamable(&example, "/mcp", "/health").await;
}

#[tokio::test]
async fn bench_server_serves_what_the_bench_kit_validates() {
    let example = Example::start("bench_server").await;
    let mut client = Mcp::new(example.url("/mcp"));
    client.initialize().await;
    let sum = client.call_tool("add", json!({"a": 40, "b": 2})).await;
    assert_eq!(sum["structuredContent"]["result"], 42, "{sum}");
    assert_eq!(tool_text(&sum), "42");
    assert_eq!(client.tool_text("echo", json!({"text": "hi"})).await, "hi");
    let report = client.call_tool("report", json!({})).await;
    let size = report["structuredContent"].to_string().len();
    assert!((10_000..10_600).contains(&size), "report is {size} bytes");
}

#[tokio::test]
async fn custom_path_serves_its_path_and_not_mcp() {
    let example = Example::start("custom_path").await;
    check_streamable(&example, "/custom-mcp-path", "/health").await;
    let old = initialize_at(&example, "/mcp").await;
    assert_eq!(old.status, 404, "POST /mcp: {old}");
}

#[tokio::test]
async fn cors_serves_both_tools_and_health() {
    let example = Example::start("cors").await;
    check_streamable(&example, "/mcp", "/health").await;
}

/// The value of a comma-separated header, lowercased, as a list.
fn header_list(reply: &Reply, name: &str) -> Vec<String> {
    let value = reply.header(name).unwrap_or("").to_ascii_lowercase();
    value
        .split(',')
        .map(|item| item.trim().to_owned())
        .collect()
}

/// `Access-Control-Allow-Origin` admits the page at http://localhost:3000.
fn admits_the_page(reply: &Reply) -> bool {
    matches!(
        reply.header("access-control-allow-origin"),
        Some("*" | "http://localhost:3000")
    )
}

#[tokio::test]
async fn cors_answers_the_preflight_a_browser_sends() {
    let example = Example::start("cors").await;
    let preflight = http()
        .request(reqwest::Method::OPTIONS, example.url("/mcp"))
        .header(ORIGIN, "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, mcp-session-id, mcp-protocol-version",
        )
        .send()
        .await
        .expect("OPTIONS /mcp");
    let preflight = Reply::read(preflight).await;
    assert!(
        (200..300).contains(&preflight.status),
        "preflight: {preflight}"
    );
    assert!(admits_the_page(&preflight), "allow-origin: {preflight}");
    let methods = header_list(&preflight, "access-control-allow-methods");
    assert!(methods.iter().any(|m| m == "post"), "methods: {preflight}");
    let headers = header_list(&preflight, "access-control-allow-headers");
    for wanted in ["content-type", "mcp-session-id", "mcp-protocol-version"] {
        assert!(
            headers.iter().any(|h| h == wanted),
            "allow-headers lacks {wanted}: {preflight}"
        );
    }
}

#[tokio::test]
async fn cors_exposes_the_session_id_to_the_page() {
    let example = Example::start("cors").await;
    // A browser reads Access-Control-Expose-Headers on the actual response, not the preflight.
    let client = Mcp::new(example.url("/mcp"));
    let init = client
        .send(
            client
                .post(&initialize_message())
                .header(ORIGIN, "http://localhost:3000"),
        )
        .await;
    assert_eq!(init.status, 200, "initialize from a page: {init}");
    assert!(init.header("mcp-session-id").is_some(), "{init}");
    assert!(admits_the_page(&init), "allow-origin: {init}");
    let exposed = header_list(&init, "access-control-expose-headers");
    assert!(
        exposed.iter().any(|h| h == "mcp-session-id"),
        "Mcp-Session-Id must be exposed to the page: {init}"
    );
}

#[tokio::test]
async fn mount_serves_the_app_routes_and_mcp_under_the_prefix() {
    let example = Example::start("mount").await;
    check_streamable(&example, "/mcp-server/mcp", "/mcp-server/health").await;
    let root = get(&example, "/").await;
    assert_eq!(root.status, 200, "GET /: {root}");
    assert!(root.body.contains("/mcp-server/mcp"), "GET /: {root}");
    let status = get(&example, "/status").await;
    assert_eq!(status.status, 200, "GET /status: {status}");
    assert_eq!(
        status.json(),
        json!({"status": "ok", "mcp": "/mcp-server/mcp"})
    );
    assert_eq!(initialize_at(&example, "/mcp").await.status, 404);
    assert_eq!(get(&example, "/health").await.status, 404);
}

#[tokio::test]
async fn nested_serves_mcp_two_levels_deep() {
    let example = Example::start("nested").await;
    check_streamable(&example, "/outer/inner/mcp", "/outer/inner/health").await;
    let status = get(&example, "/status").await;
    assert_eq!(status.status, 200, "GET /status: {status}");
    assert_eq!(
        status.json(),
        json!({"status": "ok", "mcp": "/outer/inner/mcp"})
    );
    for wrong in ["/mcp", "/outer/mcp", "/inner/mcp"] {
        let reply = initialize_at(&example, wrong).await;
        assert_eq!(reply.status, 404, "POST {wrong}: {reply}");
    }
}

#[tokio::test]
async fn sse_announces_its_endpoint_and_answers_on_the_stream() {
    let example = Example::start("sse").await;
    check_legacy_sse(&example, "/sse", "").await;
    check_health(&example, "/health").await;
}

#[tokio::test]
async fn mount_sse_announces_the_mount_prefix() {
    let example = Example::start("mount_sse").await;
    check_legacy_sse(&example, "/mcp-server/sse", "/mcp-server").await;
    check_health(&example, "/mcp-server/health").await;
    let status = get(&example, "/status").await;
    assert_eq!(
        status.json(),
        json!({"status": "ok", "mcp": "/mcp-server/sse"}),
        "GET /status: {status}"
    );
    assert_eq!(get(&example, "/sse").await.status, 404);
}

#[tokio::test]
async fn all_eras_serves_every_era_from_one_app() {
    let example = Example::start("all_eras").await;
    assert_eq!(
        example.endpoint,
        example.url("/mcp"),
        "the announced endpoint"
    );
    let logged = example.stderr();
    assert!(logged.contains("legacy_sse"), "{logged}");
    assert!(logged.contains(&example.url("/sse")), "{logged}");

    // A 2025 session.
    let session = Mcp::connect(example.url("/mcp")).await;
    check_tool_list(&session.result("tools/list", json!({})).await);
    assert_eq!(
        session.tool_text("wire", json!({})).await,
        "session 2025-11-25"
    );
    assert_eq!(session.tool_text("add", json!({"a": 2, "b": 3})).await, "5");

    // The 2026-07-28 wire on the same endpoint: no session, `_meta` on the request.
    let modern = Mcp::new(example.url("/mcp"));
    let meta = json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                      "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}}});
    let call = |name: &str| {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                          "params": {"name": name, "arguments": {}, "_meta": meta}});
        modern
            .post(&body)
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", name)
    };
    let reply = modern.send(call("wire")).await;
    assert_eq!(reply.status, 200, "{reply}");
    assert!(reply.header("mcp-session-id").is_none(), "{reply}");
    let result = reply.messages().remove(0)["result"].clone();
    assert_eq!(tool_text(&result), "stateless 2026-07-28", "{result}");
    // `greet` asks the user first: on this wire that is an `input_required` result.
    let reply = modern.send(call("greet")).await;
    let result = reply.messages().remove(0)["result"].clone();
    assert_eq!(result["resultType"], "input_required", "{result}");

    // The 2024-11-05 HTTP+SSE transport of the same app.
    let mut legacy = LegacySession::open(&example.url(""), "/sse").await;
    assert!(
        legacy.endpoint.starts_with("/messages?session_id="),
        "{}",
        legacy.endpoint
    );
    let init = legacy.initialize().await;
    assert_eq!(init["result"]["protocolVersion"], "2024-11-05", "{init}");
    let wire = legacy
        .request("tools/call", json!({"name": "wire", "arguments": {}}))
        .await;
    assert_eq!(tool_text(&wire["result"]), "session 2024-11-05");
}

#[tokio::test]
async fn stdio_speaks_only_json_rpc_and_exits_when_stdin_closes() {
    let mut stdio = StdioExample::start();
    let init = stdio
        .request(
            1,
            "initialize",
            json!({"protocolVersion": PROTOCOL, "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"}}),
        )
        .await;
    assert_eq!(init["result"]["protocolVersion"], PROTOCOL, "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "MyServer", "{init}");
    stdio
        .write(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        .await;
    let list = stdio.request(2, "tools/list", json!({})).await;
    check_tool_list(&list["result"]);
    let hello = stdio
        .request(
            3,
            "tools/call",
            json!({"name": "hello", "arguments": {"name": "stdio"}}),
        )
        .await;
    assert_eq!(tool_text(&hello["result"]), "Hello, stdio!");
    let add = stdio
        .request(
            4,
            "tools/call",
            json!({"name": "add", "arguments": {"a": 2, "b": 3}}),
        )
        .await;
    assert_eq!(tool_text(&add["result"]), "5");
    let unknown = stdio
        .request(5, "tools/call", json!({"name": "nope", "arguments": {}}))
        .await;
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");

    let status = stdio.close().await;
    assert!(status.success(), "exit status after stdin closed: {status}");
    assert_eq!(
        stdio.lines.len(),
        5,
        "one line per answer: {:?}",
        stdio.lines
    );
    assert!(
        !stdio.stderr().is_empty(),
        "RUST_LOG=trace logs something, on stderr and not stdout"
    );
}

// ---------------------------------------------------------------------------------------------
// Transport errors on the quickstart, each followed by a call that works.

/// Calls `hello` on `client`: the server still serves after `after`.
async fn still_serving(client: &Mcp, after: &str) {
    let text = client.tool_text("hello", json!({"name": "again"})).await;
    assert_eq!(text, "Hello, again!", "after {after}");
}

/// `reply` has `status`, the JSON-RPC `code` (when given) and names each of `words`; then the
/// server still serves `client`.
async fn assert_rejected(
    client: &Mcp,
    what: &str,
    reply: Reply,
    status: u16,
    code: Option<i64>,
    words: &[&str],
) {
    assert_eq!(reply.status, status, "{what}: {reply}");
    if let Some(code) = code {
        assert_eq!(reply.error_code(), Some(code), "{what}: {reply}");
    }
    for word in words {
        assert!(
            reply.body.contains(word),
            "{what} should name {word}: {reply}"
        );
    }
    still_serving(client, what).await;
}

/// A POST of a ping on the client's session, without MCP's headers: the test adds its own.
fn bare_post(client: &Mcp) -> reqwest::RequestBuilder {
    client
        .http
        .post(&client.url)
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .body(json!({"jsonrpc": "2.0", "id": 9, "method": "ping"}).to_string())
}

#[tokio::test]
async fn quickstart_rejects_bad_accept_content_type_and_version() {
    let example = Example::start("quickstart").await;
    let client = Mcp::connect(example.endpoint.clone()).await;

    for accept in ["application/json", "text/event-stream"] {
        let reply = client
            .send(
                bare_post(&client)
                    .header(ACCEPT, accept)
                    .header(CONTENT_TYPE, "application/json"),
            )
            .await;
        let what = format!("Accept: {accept}");
        assert_rejected(&client, &what, reply, 406, Some(-32000), &["Accept"]).await;
    }

    let reply = client
        .send(
            bare_post(&client)
                .header(ACCEPT, "application/json, text/event-stream")
                .header(CONTENT_TYPE, "text/plain"),
        )
        .await;
    assert_rejected(
        &client,
        "Content-Type: text/plain",
        reply,
        415,
        Some(-32000),
        &["Content-Type"],
    )
    .await;

    let reply = client
        .send(
            bare_post(&client)
                .header(ACCEPT, "application/json, text/event-stream")
                .header(CONTENT_TYPE, "application/json")
                .header("mcp-protocol-version", "1999-01-01"),
        )
        .await;
    assert_rejected(
        &client,
        "MCP-Protocol-Version: 1999-01-01",
        reply,
        400,
        Some(-32000),
        &["1999-01-01"],
    )
    .await;
}

#[tokio::test]
async fn quickstart_rejects_other_methods_and_foreign_hosts() {
    let example = Example::start("quickstart").await;
    let client = Mcp::connect(example.endpoint.clone()).await;
    let ping = json!({"jsonrpc": "2.0", "id": 9, "method": "ping"});

    let reply = client.send(client.http.put(&client.url).body("{}")).await;
    assert!(
        reply.header("allow").unwrap_or("").contains("POST"),
        "405 names the allowed methods: {reply}"
    );
    assert_rejected(&client, "PUT", reply, 405, None, &[]).await;

    let reply = client
        .send(client.post(&ping).header(HOST, "evil.example.com"))
        .await;
    assert_rejected(
        &client,
        "Host: evil.example.com",
        reply,
        403,
        Some(-32000),
        &["evil.example.com", "allowed_hosts"],
    )
    .await;

    let reply = client
        .send(client.post(&ping).header(ORIGIN, "http://evil.example.com"))
        .await;
    assert_rejected(
        &client,
        "Origin: http://evil.example.com",
        reply,
        403,
        Some(-32000),
        &["allowed_origins"],
    )
    .await;
}

#[tokio::test]
async fn quickstart_rejects_bad_bodies_and_keeps_serving() {
    let example = Example::start("quickstart").await;
    let client = Mcp::connect(example.endpoint.clone()).await;
    let raw = |body: &str| client.post(&Value::Null).body(body.to_owned());

    let reply = client.send(raw("{nope")).await;
    assert_rejected(
        &client,
        "a body that is not JSON",
        reply,
        400,
        Some(-32700),
        &[],
    )
    .await;
    let cases = [
        ("JSON but not JSON-RPC", r#"{"hello": 1}"#),
        (
            "a batch",
            r#"[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]"#,
        ),
        (
            "a null id",
            r#"{"jsonrpc": "2.0", "id": null, "method": "ping"}"#,
        ),
    ];
    for (what, body) in cases {
        let reply = client.send(raw(body)).await;
        assert_rejected(&client, what, reply, 400, Some(-32600), &[]).await;
    }

    // A tools/call of exactly `size` bytes, and the length of its `name`.
    let call_of = |size: usize| {
        let shell = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
            "params": {"name": "hello", "arguments": {"name": ""}}})
        .to_string();
        let name = "x".repeat(size - shell.len());
        let body = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
            "params": {"name": "hello", "arguments": {"name": name}}});
        assert_eq!(body.to_string().len(), size);
        (body, name.len())
    };
    let (body, name_len) = call_of(BODY_LIMIT);
    let at_limit = client.send_json(&body).await;
    assert_eq!(at_limit.status, 200, "a body of exactly 4 MiB: {at_limit}");
    let answer = at_limit.messages().remove(0);
    assert_eq!(
        tool_text(&answer["result"]).len(),
        "Hello, !".len() + name_len,
        "the 4 MiB call is answered in full"
    );
    let over = client.send_json(&call_of(BODY_LIMIT + 1).0).await;
    assert_rejected(
        &client,
        "a body over 4 MiB",
        over,
        413,
        Some(-32000),
        &["body_limit"],
    )
    .await;
}

#[tokio::test]
async fn quickstart_rejects_missing_unknown_and_deleted_sessions() {
    let example = Example::start("quickstart").await;
    let client = Mcp::connect(example.endpoint.clone()).await;
    let ping = json!({"jsonrpc": "2.0", "id": 9, "method": "ping"});

    let anonymous = Mcp::new(example.endpoint.clone());
    let reply = anonymous.send_json(&ping).await;
    assert_rejected(
        &client,
        "no Mcp-Session-Id",
        reply,
        400,
        Some(-32000),
        &["Mcp-Session-Id"],
    )
    .await;

    let mut stranger = Mcp::new(example.endpoint.clone());
    stranger.session = Some("0123456789abcdef0123456789abcdef".into());
    let reply = stranger.send_json(&ping).await;
    assert_rejected(&client, "an unknown session", reply, 404, Some(-32001), &[]).await;

    let doomed = Mcp::connect(example.endpoint.clone()).await;
    let deleted = doomed
        .send(
            doomed
                .http
                .delete(&doomed.url)
                .header("mcp-session-id", doomed.session.as_deref().unwrap()),
        )
        .await;
    assert!(
        (200..300).contains(&deleted.status),
        "DELETE the session: {deleted}"
    );
    let reply = doomed.send_json(&ping).await;
    assert_rejected(&client, "a deleted session", reply, 404, Some(-32001), &[]).await;
}

#[tokio::test]
async fn quickstart_reports_tool_errors_in_the_answer() {
    let example = Example::start("quickstart").await;
    let client = Mcp::connect(example.endpoint.clone()).await;

    let unknown = client
        .request("tools/call", json!({"name": "nope", "arguments": {}}))
        .await;
    assert_eq!(unknown["error"]["code"], -32602, "unknown tool: {unknown}");
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nope"),
        "the error names the tool: {unknown}"
    );
    still_serving(&client, "an unknown tool").await;

    let method = client.request("no/such/method", json!({})).await;
    assert_eq!(method["error"]["code"], -32601, "unknown method: {method}");
    still_serving(&client, "an unknown method").await;

    let bad = client.call_tool("add", json!({"a": "two", "b": 3})).await;
    assert_eq!(bad["isError"], true, "add with a string: {bad}");
    assert!(
        bad["content"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("`a`"),
        "the error names the argument: {bad}"
    );
    still_serving(&client, "bad arguments").await;

    // Neither example tool takes no argument: a call without `arguments` must name the
    // missing one, as a tool error rather than a protocol error.
    let bare = client.result("tools/call", json!({"name": "hello"})).await;
    assert_eq!(bare["isError"], true, "hello without arguments: {bare}");
    assert!(
        bare["content"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("name"),
        "the error names the argument: {bare}"
    );
    still_serving(&client, "a call without arguments").await;
}

#[tokio::test]
async fn quickstart_shuts_down_gracefully_on_sigterm() {
    shuts_down_gracefully_on_sigterm("quickstart").await;
}

/// Opens the session's standalone SSE stream (GET).
async fn standalone_stream(client: &Mcp) -> SseReader {
    let stream = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .header("mcp-protocol-version", PROTOCOL)
        .send()
        .await
        .expect("GET the standalone stream");
    assert_eq!(stream.status(), 200, "GET /mcp: {stream:?}");
    SseReader::new(stream)
}

#[tokio::test]
async fn everything_changes_its_watched_resource_and_tells_subscribers() {
    let example = Example::start("everything").await;
    let client = Mcp::connect(example.endpoint.clone()).await;
    let uri = "test://watched-resource";
    let read = json!({"uri": uri});
    let before = client.result("resources/read", read.clone()).await;
    client
        .result("resources/subscribe", json!({"uri": uri}))
        .await;
    let mut events = standalone_stream(&client).await;
    // It changes every 3 seconds.
    let update = events
        .next_message(Duration::from_secs(5))
        .await
        .expect("the stream stays open");
    assert_eq!(
        update,
        json!({"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": uri}})
    );
    let after = client.result("resources/read", read).await;
    assert_ne!(after, before, "the contents changed");
}

#[tokio::test]
async fn examples_that_serve_their_own_router_shut_down_gracefully_too() {
    for name in ["cors", "mount", "everything"] {
        shuts_down_gracefully_on_sigterm(name).await;
    }
}

/// SIGTERM with a standalone SSE stream open: the example exits 0 and ends the stream cleanly.
async fn shuts_down_gracefully_on_sigterm(name: &str) {
    let mut example = Example::start(name).await;
    let client = Mcp::connect(example.endpoint.clone()).await;
    let mut events = standalone_stream(&client).await;

    // Well within the server's 10 s grace period: the open stream must not hold it up.
    let status = example.terminate(Duration::from_secs(5)).await;
    assert_eq!(
        status.code(),
        Some(0),
        "{name}: exit status after SIGTERM: {status}; stderr:\n{}",
        example.stderr()
    );
    events.until_end(Duration::from_secs(2)).await;
    assert_eq!(
        events.broken, None,
        "{name}: the server ends the stream (the last chunk), the connection does not just drop"
    );
}

#[tokio::test]
async fn everything_trigger_tools_change_the_lists_and_leave_them_as_they_were() {
    let example = Example::start("everything").await;
    let client = Mcp::connect(example.endpoint.clone()).await;
    let mut events = standalone_stream(&client).await;
    for (tool, list, kind) in [
        ("test_trigger_tool_change", "tools/list", "tools"),
        ("test_trigger_prompt_change", "prompts/list", "prompts"),
    ] {
        let before = client.result(list, json!({})).await;
        let text = client.tool_text(tool, json!({})).await;
        assert!(text.contains("added, then removed"), "{tool}: {text}");
        // Added, then removed: two notifications.
        for _ in 0..2 {
            let change = events
                .next_message(Duration::from_secs(5))
                .await
                .expect("the stream stays open");
            assert_eq!(
                change["method"],
                format!("notifications/{kind}/list_changed"),
                "{tool}: {change}"
            );
        }
        assert_eq!(client.result(list, json!({})).await, before, "{tool}");
    }
}
