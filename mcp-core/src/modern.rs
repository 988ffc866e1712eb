//! The stateless 2026-07-28 wire ("modern" era): per-request `_meta`, `server/discover`,
//! `resultType` and caching hints on results. The same registry and tool bodies serve it and
//! the 2025 session wire; the transport picks the era per message (see [`declares_v2026`]).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use bytes::{BufMut, Bytes, BytesMut};
use serde_json::json;
use tracing::{field, Instrument};

use crate::error::{code, McpError};
use crate::exchange::{ClientExchange, ClientRequest, ExchangeError, ExchangeFuture, Inbound};
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::initialize::ServerCapabilities;
use crate::protocol::v2026::{
    self, unsupported_version, CacheHint, CacheScope, DiscoverCapabilities, DiscoverResult,
};
use crate::server::McpServer;

/// The 2026 wire sends no requests on a response stream, and only `tools/call` and
/// `prompts/get` ask through MRTR (`input_required`): elsewhere (`resources/read`,
/// completions) `ctx.sample`/`elicit`/`list_roots` fail with this, after the capability check.
struct NoStreamRequests;

impl ClientExchange for NoStreamRequests {
    fn request(&self, request: ClientRequest) -> ExchangeFuture {
        let method = request.method;
        Box::pin(async move {
            Err(ExchangeError::Unavailable(
                format!("`{method}` cannot be sent here on the 2026-07-28 wire: only `tools/call` and `prompts/get` can return `input_required`")
                    .into(),
            ))
        })
    }
}

pub(crate) fn exchange() -> Arc<dyn ClientExchange> {
    // Shared: a 2026 call should not allocate for the exchange it most likely never uses.
    static NO_STREAM_REQUESTS: LazyLock<Arc<dyn ClientExchange>> =
        LazyLock::new(|| Arc::new(NoStreamRequests));
    NO_STREAM_REQUESTS.clone()
}

/// How long clients may cache discover, list and read results (`ttlMs`, `cacheScope`).
#[derive(Debug)]
pub(crate) struct CacheHints {
    ttl_ms: AtomicU64,
    private: AtomicBool,
}

impl Default for CacheHints {
    fn default() -> Self {
        Self {
            ttl_ms: AtomicU64::new(0),
            private: AtomicBool::new(false),
        }
    }
}

impl CacheHints {
    /// Writes `,"ttlMs":..,"cacheScope":..`: the server's hints, or `resource`'s where set.
    fn put(&self, buf: &mut BytesMut, resource: CacheHint) {
        let ttl_ms = resource
            .ttl_ms
            .unwrap_or_else(|| self.ttl_ms.load(Ordering::Relaxed));
        let private = resource.scope.map_or_else(
            || self.private.load(Ordering::Relaxed),
            |scope| scope == CacheScope::Private,
        );
        buf.put_slice(br#","ttlMs":"#);
        buf.put_slice(ttl_ms.to_string().as_bytes());
        buf.put_slice(if private {
            br#","cacheScope":"private""#
        } else {
            br#","cacheScope":"public""#
        });
    }
}

/// Whether `method` is answered on the 2026 wire, given what the server offers. Checks only
/// what the method needs (cheap registry flags), not the whole capability set.
fn served(server: &McpServer, method: &str) -> bool {
    let inner = &server.inner;
    let resources = || inner.resources.has_entries() || inner.templates.has_entries();
    match method {
        "server/discover" => true,
        "tools/list" | "tools/call" => inner.tools.has_entries(),
        "resources/list" | "resources/templates/list" | "resources/read" => resources(),
        "prompts/list" | "prompts/get" => inner.prompts.has_entries(),
        "completion/complete" => server.capabilities().completions.is_some(),
        "tasks/get" | "tasks/update" | "tasks/cancel" => server.offers_tasks(),
        "subscriptions/listen" => {
            inner.tools.has_entries() || inner.prompts.has_entries() || resources()
        }
        _ => false,
    }
}

fn cacheable(method: &str) -> bool {
    matches!(
        method,
        "server/discover"
            | "tools/list"
            | "prompts/list"
            | "resources/list"
            | "resources/templates/list"
            | "resources/read"
    )
}

impl McpServer {
    /// Serves one request of the 2026 wire whose `_meta` was read into `inbound.modern`.
    /// Checks the version, then the method; an error is returned unserialized so that the
    /// transport can pick its HTTP status. `None`: the client cancelled.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quickmcp_core::jsonrpc::Message;
    /// use quickmcp_core::{Inbound, McpServer, RequestMeta};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = McpServer::new("demo");
    /// let line = br#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{
    ///     "io.modelcontextprotocol/protocolVersion":"2026-07-28",
    ///     "io.modelcontextprotocol/clientCapabilities":{}}}}"#;
    /// let Ok(Message::Request(request)) = Message::parse(line) else { unreachable!() };
    /// let meta = RequestMeta::from_params(request.params.as_deref()).unwrap();
    /// let inbound = Inbound { modern: Some(Arc::new(meta)), ..Inbound::default() };
    /// let reply = server.handle_modern(request, inbound).await.unwrap().unwrap();
    /// assert!(std::str::from_utf8(&reply).unwrap().contains(r#""resultType":"complete""#));
    /// # }
    /// ```
    pub async fn handle_modern(
        &self,
        request: Request,
        inbound: Inbound,
    ) -> Option<Result<Bytes, McpError>> {
        let span = tracing::debug_span!(
            "mcp.request",
            method = &*request.method,
            id = %request.id,
            era = v2026::VERSION,
            tool = field::Empty,
            resource = field::Empty,
            prompt = field::Empty,
        );
        self.serve_modern(request, inbound).instrument(span).await
    }

    async fn serve_modern(
        &self,
        request: Request,
        inbound: Inbound,
    ) -> Option<Result<Bytes, McpError>> {
        let meta = inbound.modern.clone()?;
        if meta.protocol_version != v2026::VERSION {
            return Some(Err(unsupported_version(&meta.protocol_version)));
        }
        let method = request.method.clone();
        if !served(self, &method) {
            return Some(Err(McpError::method_not_found(&method)));
        }
        let id = request.id.clone();
        let outcome = if &*method == "server/discover" {
            Ok(self.discover(&id, &self.capabilities()))
        } else if &*method == "subscriptions/listen" {
            return self.listen_until_cancelled(&request, inbound).await;
        } else if method.starts_with("tasks/") {
            self.serve_task_method(&request, &meta).await
        } else {
            self.dispatch(request, inbound).await?
        };
        // A call that failed for want of a capability the client did not declare is answered
        // with -32021, whatever the tool made of the failure (2026: the server MUST NOT rely on
        // undeclared capabilities and says which it needed).
        let missing = meta
            .missing_capability()
            .map(ExchangeError::MissingCapability);
        Some(match (outcome, missing) {
            (Err(_), Some(missing)) => Err(missing.into()),
            (Ok(_), Some(missing)) if meta.had_error_result() => Err(missing.into()),
            (Ok(bytes), _) => {
                let cache = cacheable(&method).then(|| meta.resource_cache());
                Ok(self.finish_modern(bytes, cache))
            }
            // 2026-07-28 replaced -32002 with -32602 (`data.uri` is already there).
            (Err(e), _) if e.code == code::RESOURCE_NOT_FOUND => Err(McpError {
                code: code::INVALID_PARAMS,
                ..e
            }),
            (Err(e), _) => Err(e),
        })
    }

    /// Like [`handle_modern`](Self::handle_modern), with errors serialized.
    pub async fn handle_modern_bytes(&self, request: Request, inbound: Inbound) -> Option<Bytes> {
        let id = request.id.clone();
        self.handle_modern(request, inbound)
            .await
            .map(|outcome| outcome.unwrap_or_else(|e| jsonrpc::error_response(Some(&id), &e)))
    }

    /// Whether `method` is served on the 2026 wire (else `-32601`, HTTP 404).
    ///
    /// ```
    /// let server = quickmcp_core::McpServer::new("demo");
    /// assert!(server.serves_modern("server/discover"));
    /// assert!(!server.serves_modern("ping"), "removed in 2026-07-28");
    /// assert!(!server.serves_modern("tools/list"), "no tools registered");
    /// ```
    pub fn serves_modern(&self, method: &str) -> bool {
        served(self, method)
    }

    /// `subscriptions/listen` for a transport that streams the call's messages (stdio): the
    /// subscription lives as long as the call, which ends only when cancelled.
    async fn listen_until_cancelled(
        &self,
        request: &Request,
        inbound: Inbound,
    ) -> Option<Result<Bytes, McpError>> {
        let Some(sink) = inbound.sink.clone() else {
            return Some(Err(McpError::invalid_request(
                "`subscriptions/listen` needs a streamed response",
            )));
        };
        let _subscription = match self.listen(&request.id, request.params.as_deref(), sink) {
            Ok(subscription) => subscription,
            Err(e) => return Some(Err(e)),
        };
        let cancel = tokio_util::sync::CancellationToken::new();
        if let Some(session) = &inbound.session {
            session.track(request.id.clone(), cancel.clone());
        }
        cancel.cancelled().await;
        if let Some(session) = &inbound.session {
            session.untrack(&request.id);
        }
        None
    }

    /// `serverInfo` as JSON, serialized once until the identity changes.
    fn server_info_json(&self) -> Arc<Bytes> {
        if let Some(json) = self.inner.info_json.load_full() {
            return json;
        }
        // Stored under the read lock, so that a change (under the write lock) clears it after.
        let info = self.inner.info.read();
        let json = Arc::new(Bytes::from(
            serde_json::to_vec(&info.implementation).unwrap_or_default(),
        ));
        self.inner.info_json.store(Some(json.clone()));
        json
    }

    fn discover(&self, id: &RequestId, caps: &ServerCapabilities) -> Bytes {
        let info = self.inner.info.read();
        jsonrpc::response(
            id,
            &DiscoverResult {
                supported_versions: [v2026::VERSION],
                capabilities: DiscoverCapabilities {
                    core: caps,
                    extensions: self
                        .offers_tasks()
                        .then(|| json!({ crate::tasks::EXTENSION: {} })),
                },
                instructions: info.instructions.as_deref(),
            },
        )
    }

    /// Splices `resultType`, `_meta.serverInfo` and (when `cache` is some: the result is
    /// cacheable, with these overrides of the server's hints) the caching hints into a
    /// serialized result response, without parsing it.
    fn finish_modern(&self, response: Bytes, cache: Option<CacheHint>) -> Bytes {
        const RESULT: &[u8] = br#","result":{"#;
        let Some(at) = find(&response, RESULT).map(|i| i + RESULT.len()) else {
            return response;
        };
        let info = self.server_info_json();
        let mut out = BytesMut::with_capacity(response.len() + info.len() + 128);
        out.put_slice(&response[..at]);
        let rest = &response[at..];
        // A result that says its own type (`input_required`, which comes first) keeps it.
        if !rest.starts_with(br#""resultType""#) {
            out.put_slice(br#""resultType":"complete","#);
        }
        out.put_slice(br#""_meta":{"io.modelcontextprotocol/serverInfo":"#);
        out.put_slice(&info);
        out.put_u8(b'}');
        if let Some(resource) = cache {
            self.inner.cache.put(&mut out, resource);
        }
        if !rest.starts_with(b"}") {
            out.put_u8(b',');
        }
        out.put_slice(rest);
        out.freeze()
    }

    /// Sets the caching hints (`ttlMs`, `cacheScope`) sent with `server/discover`, the four
    /// lists and `resources/read` on the 2026 wire. Default: `0` ms, public. A resource's own
    /// [`CacheHint`] replaces them on its reads.
    ///
    /// ```
    /// use quickmcp_core::{CacheScope, McpServer};
    ///
    /// McpServer::new("demo").set_cache_hints(60_000, CacheScope::Public);
    /// ```
    pub fn set_cache_hints(&self, ttl_ms: u64, scope: CacheScope) {
        self.inner.cache.ttl_ms.store(ttl_ms, Ordering::Relaxed);
        self.inner
            .cache
            .private
            .store(scope == CacheScope::Private, Ordering::Relaxed);
    }
}

impl McpServer {
    /// Sets the key that signs `requestState` on the 2026 wire (MRTR, HMAC-SHA256). By default
    /// each server picks a random key at start, so a state is valid only with the process that
    /// issued it: set the same key on every replica behind a load balancer, and keep it secret.
    ///
    /// ```
    /// quickmcp_core::McpServer::new("demo").set_request_state_key(b"a long random secret");
    /// ```
    pub fn set_request_state_key(&self, key: &[u8]) {
        *self.inner.state_key.lock() = crate::exchange::StateKey::new(key);
    }

    /// Sets how long a `requestState` stays valid on the 2026 wire (MRTR; default 10 minutes).
    /// The state carries the time it was issued, under the signature; a retry that echoes an
    /// older one gets `-32602` ("`requestState` expired", `data.reason: "expired"`) and must
    /// start the request again without it. [`Duration::ZERO`](std::time::Duration::ZERO)
    /// refuses every retry. Replicas behind a load balancer need roughly synchronized clocks.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// quickmcp_core::McpServer::new("demo").set_request_state_max_age(Duration::from_secs(120));
    /// ```
    pub fn set_request_state_max_age(&self, max_age: std::time::Duration) {
        let ms = u64::try_from(max_age.as_millis()).unwrap_or(u64::MAX);
        self.inner.state_max_age_ms.store(ms, Ordering::Relaxed);
    }

    /// How long a `requestState` stays valid (see
    /// [`set_request_state_max_age`](Self::set_request_state_max_age)).
    pub fn request_state_max_age(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.inner.state_max_age_ms.load(Ordering::Relaxed))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;
    use serde_json::Value;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    #[test]
    fn results_get_result_type_server_info_and_cache_hints() {
        let server = McpServer::new("demo");
        let id = RequestId::Number(7);
        let out = server.finish_modern(
            jsonrpc::response_raw(&id, &raw("{}")),
            Some(CacheHint::default()),
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["resultType"], "complete");
        assert_eq!(v["result"]["ttlMs"], 0);
        assert_eq!(v["result"]["cacheScope"], "public");
        assert_eq!(v["result"]["_meta"][META_SERVER_INFO]["name"], "demo");
        server.configure_info(|info| info.implementation.name = "renamed".into());
        let out = server.finish_modern(jsonrpc::response_raw(&id, &raw("{}")), None);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["_meta"][META_SERVER_INFO]["name"], "renamed");
        let out = server.finish_modern(jsonrpc::response_raw(&id, &raw(r#"{"a":1}"#)), None);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["a"], 1);
        assert!(v["result"].get("ttlMs").is_none());
    }

    #[test]
    fn a_resource_hint_overrides_the_server_hints_it_sets() {
        let server = McpServer::new("demo");
        server.set_cache_hints(5_000, CacheScope::Public);
        let id = RequestId::Number(7);
        let finish = |hint| {
            let out = server.finish_modern(jsonrpc::response_raw(&id, &raw("{}")), Some(hint));
            serde_json::from_slice::<Value>(&out).unwrap()["result"].clone()
        };
        let ttl_only = finish(CacheHint {
            ttl_ms: Some(60_000),
            scope: None,
        });
        assert_eq!(
            (&ttl_only["ttlMs"], &ttl_only["cacheScope"]),
            (&json!(60_000), &json!("public"))
        );
        let scope_only = finish(CacheHint {
            ttl_ms: None,
            scope: Some(CacheScope::Private),
        });
        assert_eq!(
            (&scope_only["ttlMs"], &scope_only["cacheScope"]),
            (&json!(5_000), &json!("private"))
        );
    }

    #[test]
    fn typed_results_keep_their_type() {
        let server = McpServer::new("demo");
        let id = RequestId::Number(7);
        let typed = raw(r#"{"resultType":"input_required","inputRequests":{}}"#);
        let out = server.finish_modern(jsonrpc::response_raw(&id, &typed), None);
        let text = std::str::from_utf8(&out).unwrap();
        assert_eq!(text.matches("resultType").count(), 1, "{text}");
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["resultType"], "input_required");
        assert_eq!(v["result"]["_meta"][META_SERVER_INFO]["name"], "demo");
    }

    const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
}
