//! Caching hints on the 2026-07-28 wire over real sockets: a resource's (or template's) own
//! `ttlMs`/`cacheScope` replace the server's on its `resources/read`, and only there.

mod common;

use std::sync::Arc;

use common::{mcp_headers, reply, spawn};
use quickmcp_core::{
    CacheScope, CallContext, McpServer, ReadResourceResult, Reply, ResourceContents,
    ResourceDefinition, ResourceHandler, ResourceTemplateDefinition, ResourceTemplateHandler,
    UriVars,
};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};

fn text(uri: &str) -> Reply<ReadResourceResult> {
    Reply::ready(Ok(ReadResourceResult {
        contents: vec![ResourceContents::Text {
            uri: uri.into(),
            mime_type: None,
            text: "x".into(),
        }],
    }))
}

/// A static resource, with or without its own hints.
struct Doc(ResourceDefinition);

impl ResourceHandler for Doc {
    fn definition(&self) -> ResourceDefinition {
        self.0.clone()
    }
    fn read(&self, uri: &str, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        text(uri)
    }
}

/// `docs://users/{id}`: private to the asking client, the server's TTL.
struct Basket;

impl ResourceTemplateHandler for Basket {
    fn definition(&self) -> ResourceTemplateDefinition {
        ResourceTemplateDefinition::new("docs://users/{id}", "basket")
            .cache_scope(CacheScope::Private)
    }
    fn read(&self, uri: &str, _: &UriVars, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        text(uri)
    }
}

async fn start() -> String {
    let server = McpServer::new("cache-test");
    server.set_cache_hints(5_000, CacheScope::Public);
    let prices = ResourceDefinition::new("docs://prices", "prices").cache_ttl(60_000);
    let about = ResourceDefinition::new("docs://about", "about");
    server.add_resource(Arc::new(Doc(prices))).unwrap();
    server.add_resource(Arc::new(Doc(about))).unwrap();
    server.add_resource_template(Arc::new(Basket)).unwrap();
    let addr = spawn(router(server, Vec::new(), HttpOptions::new())).await;
    format!("http://{addr}/mcp")
}

/// A 2026 request with matching standard headers; its result.
async fn modern(url: &str, method: &str, mut params: Value) -> Value {
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    });
    let mut builder = reqwest::Client::new()
        .post(url)
        .headers(mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", method);
    if let Some(uri) = params["uri"].as_str() {
        builder = builder.header("mcp-name", uri);
    }
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (status, mut all) = reply(builder.json(&body).send().await.unwrap()).await;
    assert_eq!(status, 200);
    all.pop().expect("a response")["result"].clone()
}

fn hints(result: &Value) -> (Value, Value) {
    (result["ttlMs"].clone(), result["cacheScope"].clone())
}

#[tokio::test]
async fn a_resource_s_hints_replace_the_server_s_on_its_read() {
    let url = start().await;
    let read = |uri: &'static str| modern(&url, "resources/read", json!({"uri": uri}));
    assert_eq!(
        hints(&read("docs://prices").await),
        (json!(60_000), json!("public"))
    );
    assert_eq!(
        hints(&read("docs://users/7").await),
        (json!(5_000), json!("private"))
    );
    assert_eq!(
        hints(&read("docs://about").await),
        (json!(5_000), json!("public"))
    );
    // The lists keep the server's hints.
    let list = modern(&url, "resources/list", json!({})).await;
    assert_eq!(hints(&list), (json!(5_000), json!("public")));
    let templates = modern(&url, "resources/templates/list", json!({})).await;
    assert_eq!(hints(&templates), (json!(5_000), json!("public")));
}

#[tokio::test]
async fn the_2025_wire_has_no_cache_hints() {
    let url = start().await;
    let mut client = common::Client::new(url);
    client.initialize().await;
    let reply = client
        .request(2, "resources/read", json!({"uri": "docs://prices"}))
        .await;
    assert!(reply["result"].get("ttlMs").is_none(), "{reply}");
    assert_eq!(reply["result"]["contents"][0]["uri"], "docs://prices");
}
