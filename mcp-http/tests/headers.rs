//! The 2026-07-28 wire's headers that mirror the body, over real sockets: `Mcp-Param-*` for
//! arguments declared with `x-mcp-header` (matching, mismatched, missing, unexpected,
//! `=?base64?…?=`-encoded), `Mcp-Name` encoded the same way, and the 2025 wire, which has no
//! such headers.

mod common;

use std::sync::Arc;

use common::{mcp_headers, reply, spawn, Client};
use quickmcp_core::{Arguments, CallContext, McpServer, ToolDefinition, ToolFuture, ToolHandler};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};

/// `execute_sql`: mirrors `region` (string), `shard` (integer) and `dry_run` (boolean).
struct ExecuteSql;

impl ToolHandler for ExecuteSql {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("execute_sql", "Runs a query in a region.").input_schema(json!({
            "type": "object",
            "properties": {
                "region": {"type": "string", "x-mcp-header": "Region"},
                "shard": {"type": ["integer", "null"], "x-mcp-header": "Shard"},
                "dry_run": {"type": "boolean", "x-mcp-header": "Dry-Run"},
                "query": {"type": "string"},
            },
        }))
    }
    fn call(&self, args: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let args: Value = serde_json::from_str(args.raw().get()).unwrap_or_default();
        ToolFuture::ready(format!("ran in {}", args["region"]))
    }
}

async fn start() -> (String, McpServer) {
    let server = common::server();
    server.add_tool(Arc::new(ExecuteSql)).unwrap();
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    (format!("http://{addr}/mcp"), server)
}

/// One header sent: its name and raw value.
type Sent<'a> = (&'a str, &'a [u8]);

/// A 2026 `tools/call` of `execute_sql` with matching standard headers plus `extra`.
async fn call(url: &str, arguments: Value, extra: &[Sent<'_>]) -> (u16, Value) {
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {
        "name": "execute_sql",
        "arguments": arguments,
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        },
    }});
    let mut builder = reqwest::Client::new()
        .post(url)
        .headers(mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", "execute_sql")
        .json(&body);
    for (name, value) in extra {
        let value = reqwest::header::HeaderValue::from_bytes(value).unwrap();
        builder = builder.header(*name, value);
    }
    let (status, mut all) = reply(builder.send().await.unwrap()).await;
    (status, all.pop().expect("a response"))
}

fn text(body: &Value) -> &str {
    body["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn matching_param_headers_are_accepted() {
    let (url, _) = start().await;
    let args = json!({"region": "us-west1", "shard": 42, "dry_run": true, "query": "SELECT 1"});
    let sent: &[(&str, &[u8])] = &[
        ("Mcp-Param-Region", b" us-west1 "),
        ("MCP-PARAM-SHARD", b"42.0"),
        ("mcp-param-dry-run", b"true"),
    ];
    let (status, body) = call(&url, args, sent).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(text(&body), "ran in \"us-west1\"", "{body}");
    // Absent and null arguments need no header.
    let (status, body) = call(
        &url,
        json!({"region": "eu", "shard": null}),
        &[("mcp-param-region", b"eu")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(&url, json!({}), &[]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn base64_encoded_values_are_decoded_before_comparing() {
    let (url, _) = start().await;
    let cases: [(&str, &[u8]); 3] = [
        ("Hello, 世界", b"=?base64?SGVsbG8sIOS4lueVjA==?="),
        (" padded ", b"=?base64?IHBhZGRlZCA=?="),
        ("=?base64?literal?=", b"=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?="),
    ];
    for (region, header) in cases {
        let (status, body) = call(
            &url,
            json!({"region": region}),
            &[("mcp-param-region", header)],
        )
        .await;
        assert_eq!(status, 200, "{region}: {body}");
        assert_eq!(text(&body), format!("ran in {}", json!(region)));
    }
    // Without both markers a value is literal.
    let (status, body) = call(
        &url,
        json!({"region": "SGVsbG8="}),
        &[("mcp-param-region", b"SGVsbG8=")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn mismatched_missing_and_malformed_param_headers_are_400_header_mismatch() {
    let (url, _) = start().await;
    let region = json!({"region": "Hello"});
    let cases: [(Value, &[Sent], &str); 8] = [
        (
            region.clone(),
            &[("mcp-param-region", b"World")],
            "value `World` does not match",
        ),
        (region.clone(), &[], "is missing"),
        (
            json!({}),
            &[("mcp-param-region", b"Hello")],
            "not in the body",
        ),
        (
            region.clone(),
            &[("mcp-param-region", b"=?base64?SGVsbG8?=")],
            "not valid Base64",
        ),
        (
            region.clone(),
            &[("mcp-param-region", b"=?base64?SGVs!!!bG8=?=")],
            "not valid Base64",
        ),
        (
            region,
            &[("mcp-param-region", "Hello é".as_bytes())],
            "characters a header value cannot hold",
        ),
        (
            json!({"shard": 42}),
            &[("mcp-param-shard", b"43")],
            "does not match",
        ),
        (
            json!({"dry_run": false}),
            &[("mcp-param-dry-run", b"False")],
            "does not match",
        ),
    ];
    for (args, sent, expected) in cases {
        let (status, body) = call(&url, args.clone(), sent).await;
        assert_eq!(status, 400, "{args}: {body}");
        assert_eq!(body["id"], 7);
        assert_eq!(body["error"]["code"], -32020, "{args}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{args}: {message}");
        assert!(
            message.contains("Mcp-Param-") && message.contains("of tool `execute_sql`"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn mcp_name_may_be_base64_encoded() {
    let (url, _) = start().await;
    let body = |id: i64| {
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
            "name": "echo", "arguments": {"text": "hi"},
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
            },
        }})
    };
    let post = |name: &'static str, id: i64| {
        reqwest::Client::new()
            .post(&url)
            .headers(mcp_headers())
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", name)
            .json(&body(id))
            .send()
    };
    // "echo", then "other", then "echo" without its padding.
    let cases = [
        ("=?base64?ZWNobw==?=", 200),
        ("=?base64?b3RoZXI=?=", 400),
        ("=?base64?ZWNobw?=", 400),
    ];
    for (i, (name, expected)) in cases.into_iter().enumerate() {
        let resp = post(name, i as i64).await.unwrap();
        assert_eq!(resp.status().as_u16(), expected, "{name}");
    }
}

#[tokio::test]
async fn the_2025_wire_has_no_param_headers() {
    let (url, _) = start().await;
    let mut client = Client::new(url);
    client.initialize().await;
    let reply = client
        .request(
            3,
            "tools/call",
            json!({"name": "execute_sql", "arguments": {"region": "eu"}}),
        )
        .await;
    assert_eq!(text(&reply), "ran in \"eu\"", "{reply}");
}

#[test]
fn invalid_declarations_are_refused_at_registration() {
    struct Bad;
    impl ToolHandler for Bad {
        fn definition(&self) -> ToolDefinition {
            ToolDefinition::new("bad", "Mirrors a float.").input_schema(json!({
                "type": "object",
                "properties": {"ratio": {"type": "number", "x-mcp-header": "Ratio"}},
            }))
        }
        fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
            ToolFuture::ready("never")
        }
    }
    let error = McpServer::new("demo").add_tool(Arc::new(Bad)).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("tool `bad` declares an invalid `x-mcp-header`"),
        "{error}"
    );
}
