//! What authorization costs one `tools/call` POST through the router, in process (no socket),
//! stateless, JSON answer: without authorization; with it and the token in the verified-token
//! cache (every request after a token's first); and a cold verification each time (cache off:
//! header and claims parsed, ES256 signature checked against a static key, claims validated).
//! The issue's target: the cached case within 1.15x of the unauthorized one.
//!
//! Run with `cargo bench -p quickmcp-http --features auth --bench auth`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::Router;
use criterion::{criterion_group, criterion_main, Criterion};
use http::Request;
use http_body_util::BodyExt;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use quickmcp_core::{Arguments, CallContext, McpServer, ToolDefinition, ToolFuture, ToolHandler};
use quickmcp_http::auth::{AuthConfig, JwtVerifier, VerificationKey};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};
use tower::ServiceExt;

const CALL: &str =
    r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ping","arguments":{}}}"#;
const ISSUER: &str = "https://as.example.com";
const RESOURCE: &str = "http://127.0.0.1/mcp";

/// `ping() -> "pong"`.
struct Ping;

impl ToolHandler for Ping {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ping", "Answer pong.")
    }

    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready("pong")
    }
}

/// The test AS's first key (tests/auth/keys.json): its private PEM and public JWK.
fn keys() -> (EncodingKey, VerificationKey) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/auth/keys.json");
    let keys: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("keys.json")).expect("JSON");
    let key = &keys["as_key_1"];
    let private =
        EncodingKey::from_ec_pem(key["pem"].as_str().expect("pem").as_bytes()).expect("PEM");
    let mut public = key["jwk"].clone();
    public.as_object_mut().expect("object").remove("d");
    (
        private,
        VerificationKey::jwk(&public.to_string()).expect("JWK"),
    )
}

/// A token like oidc-provider's: at+jwt, ES256, with a kid, scope and client_id.
fn token(key: &EncodingKey) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let mut header = Header::new(Algorithm::ES256);
    header.typ = Some("at+jwt".into());
    header.kid = Some("as-key-1".into());
    let claims = json!({"iss": ISSUER, "sub": "bench-client", "aud": RESOURCE, "exp": now + 3600,
        "iat": now, "jti": "bench", "scope": "tools:read", "client_id": "bench-client"});
    jsonwebtoken::encode(&header, &claims, key).expect("sign")
}

fn app(auth: Option<AuthConfig>) -> Router {
    let server = McpServer::new("bench");
    server.add_tool(Arc::new(Ping)).expect("registers once");
    let mut options = HttpOptions::new().stateless(true).json_response(true);
    if let Some(auth) = auth {
        options = options.auth(auth);
    }
    router(server, Vec::new(), options)
}

fn config(verifier: VerificationKey, cache: bool) -> AuthConfig {
    let builder = AuthConfig::builder(RESOURCE)
        .authorization_server(ISSUER)
        .verifier(JwtVerifier::with_keys(
            ISSUER,
            [verifier.with_kid("as-key-1")],
        ));
    let builder = if cache {
        builder
    } else {
        builder.no_token_cache()
    };
    builder.build().expect("config")
}

async fn post(app: &Router, token: Option<&str>) -> bytes::Bytes {
    let mut request = Request::post("/mcp")
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request.body(Body::from(black_box(CALL))).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert!(response.status().is_success(), "{}", response.status());
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
}

fn auth_bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (private, public) = keys();
    let token = token(&private);
    for (name, app, token) in [
        ("without authorization", app(None), None),
        (
            "authorized, token cached",
            app(Some(config(public.clone(), true))),
            Some(token.as_str()),
        ),
        (
            "authorized, cold verification (ES256)",
            app(Some(config(public.clone(), false))),
            Some(token.as_str()),
        ),
    ] {
        let body = runtime.block_on(post(&app, token));
        assert!(String::from_utf8_lossy(&body).contains("pong"));
        c.bench_function(&format!("POST tools/call ping, {name}"), |b| {
            b.iter(|| runtime.block_on(post(&app, token)));
        });
    }
}

// `criterion_group!` generates an undocumented `pub fn`.
#[allow(missing_docs)]
mod group {
    use super::*;

    criterion_group! {
        name = benches;
        config = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        targets = auth_bench
    }
}
criterion_main!(group::benches);
