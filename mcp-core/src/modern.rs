//! The stateless 2026-07-28 wire ("modern" era): per-request `_meta`, `server/discover`,
//! `resultType` and caching hints on results. The same registry and tool bodies serve it and
//! the 2025 session wire; the transport picks the era per message (see [`is_modern`]).

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

use bytes::{BufMut, Bytes, BytesMut};
use parking_lot::Mutex;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::json;
use serde_json::value::RawValue;
use tracing::{field, Instrument};

use crate::error::{code, McpError};
use crate::exchange::{ClientExchange, ClientRequest, ExchangeError, ExchangeFuture, Inbound};
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::initialize::{ClientCapabilities, ServerCapabilities};
use crate::protocol::LoggingLevel;
use crate::server::McpServer;

/// The revision of the stateless era this server speaks.
pub const MODERN_VERSION: &str = "2026-07-28";

/// `HeaderMismatch`: an HTTP header disagrees with the body (HTTP 400).
pub const HEADER_MISMATCH: i32 = -32020;
/// `MissingRequiredClientCapability` (HTTP 400).
pub const MISSING_CLIENT_CAPABILITY: i32 = -32021;
/// `UnsupportedProtocolVersion` (HTTP 400).
pub const UNSUPPORTED_VERSION: i32 = -32022;

const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// Methods of the 2025 wire that the 2026 wire removed: sent with modern `_meta`, they are
/// unknown methods (`-32601`, HTTP 404).
pub const LEGACY_ONLY_METHODS: [&str; 5] = [
    "initialize",
    "ping",
    "logging/setLevel",
    "resources/subscribe",
    "resources/unsubscribe",
];

/// What a modern request says about its client in `params._meta`, and what the call learned
/// while it ran.
#[derive(Debug)]
pub struct ModernMeta {
    /// `io.modelcontextprotocol/protocolVersion`.
    pub protocol_version: String,
    /// `io.modelcontextprotocol/clientCapabilities`.
    pub client_capabilities: ClientCapabilities,
    /// `io.modelcontextprotocol/logLevel`: without it the call sends no log messages.
    pub log_level: Option<LoggingLevel>,
    missing: OnceLock<&'static str>,
    /// The caching hints of the resource a `resources/read` read.
    resource_cache: Mutex<CacheHint>,
    /// The tool's result was an error result (`isError: true`).
    error_result: AtomicBool,
    /// What the probe read of a `tools/call`'s params, for dispatch not to read them again.
    call: Option<CallHead>,
}

/// A `tools/call`'s params as [`ModernProbe`] read them: exactly what dispatch's own read
/// would give, known only when that read would succeed.
#[derive(Debug)]
pub(crate) struct CallHead {
    pub(crate) name: String,
    pub(crate) arguments: Option<Box<RawValue>>,
    pub(crate) progress_token: Option<RequestId>,
    /// `inputResponses` or `requestState` is present (not null).
    pub(crate) has_round: bool,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "_meta")]
    meta: Option<ProbeMeta>,
}

#[derive(Deserialize)]
struct ProbeMeta {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion")]
    version: Option<IgnoredAny>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities")]
    capabilities: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct WithMeta {
    #[serde(rename = "_meta")]
    meta: Option<WireMeta>,
}

#[derive(Deserialize)]
struct WireMeta {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion")]
    version: Option<String>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities")]
    capabilities: Option<ClientCapabilities>,
    #[serde(rename = "io.modelcontextprotocol/logLevel")]
    log_level: Option<LoggingLevel>,
}

/// Whether a request's params carry the 2026 `_meta` (its protocol version or client
/// capabilities), which selects the stateless era.
///
/// ```
/// use quickmcp_core::modern::is_modern;
/// use serde_json::value::RawValue;
///
/// let modern = RawValue::from_string(
///     r#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#.into(),
/// ).unwrap();
/// assert!(is_modern(Some(&modern)));
/// assert!(!is_modern(None));
/// ```
pub fn is_modern(params: Option<&RawValue>) -> bool {
    params
        .and_then(|raw| serde_json::from_str::<Probe>(raw.get()).ok())
        .and_then(|p| p.meta)
        .is_some_and(|m| m.version.is_some() || m.capabilities.is_some())
}

/// The parts of a request's params that the 2026 wire reads before dispatch — whether `_meta`
/// selects the era, the `_meta` fields, and the `name` / `uri` that `Mcp-Name` must match —
/// read in one pass. Each answer is exactly what [`is_modern`], [`ModernMeta::from_params`]
/// and a separate read of `name` / `uri` would give.
///
/// ```
/// use quickmcp_core::modern::ModernProbe;
/// use serde_json::value::RawValue;
///
/// let params = RawValue::from_string(r#"{"name":"add","_meta":{
///     "io.modelcontextprotocol/protocolVersion":"2026-07-28",
///     "io.modelcontextprotocol/clientCapabilities":{}}}"#.into()).unwrap();
/// let probe = ModernProbe::read(Some(&params));
/// assert!(probe.declared());
/// assert_eq!(probe.name(), Some("add"));
/// assert_eq!(probe.into_meta().unwrap().protocol_version, "2026-07-28");
/// ```
#[derive(Debug)]
pub struct ModernProbe {
    declared: bool,
    meta: Result<ModernMeta, McpError>,
    name: Option<String>,
    /// The rest of a [`CallHead`], read in the same pass.
    call: Option<(Option<Box<RawValue>>, Option<RequestId>, bool)>,
    uri: Option<String>,
    task_id: Option<String>,
}

/// The whole probe as one typed read; any failure falls back to the separate reads, whose
/// answers (and error messages) are the reference.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "_meta", borrow)]
    meta: Option<EnvelopeMeta<'a>>,
    #[serde(borrow)]
    name: Option<&'a RawValue>,
    #[serde(borrow)]
    uri: Option<&'a RawValue>,
    #[serde(rename = "taskId", borrow)]
    task_id: Option<&'a RawValue>,
    #[serde(borrow)]
    arguments: Option<&'a RawValue>,
    #[serde(rename = "inputResponses")]
    input_responses: Option<IgnoredAny>,
    #[serde(rename = "requestState")]
    request_state: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct EnvelopeMeta<'a> {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities")]
    capabilities: Option<ClientCapabilities>,
    #[serde(rename = "io.modelcontextprotocol/logLevel")]
    log_level: Option<LoggingLevel>,
    #[serde(rename = "progressToken")]
    progress_token: Option<RequestId>,
}

/// `name` and `uri` as `Mcp-Name` compares them: both unknown when either is not a string.
#[derive(Deserialize)]
struct Named<'a> {
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    uri: Option<Cow<'a, str>>,
}

/// `taskId` as `Mcp-Name` compares it on `tasks/get|update|cancel`: unknown unless a string.
#[derive(Deserialize)]
struct TaskNamed<'a> {
    #[serde(rename = "taskId", borrow, default)]
    task_id: Option<Cow<'a, str>>,
}

impl ModernProbe {
    /// Reads `params` (of a request or a notification).
    pub fn read(params: Option<&RawValue>) -> Self {
        let text = params.map_or("{}", RawValue::get);
        match serde_json::from_str::<Envelope<'_>>(text) {
            Ok(envelope) => Self::from_envelope(envelope),
            Err(_) => Self::read_separately(params),
        }
    }

    fn from_envelope(envelope: Envelope<'_>) -> Self {
        let as_str = |raw: Option<&RawValue>| {
            raw.map(|raw| serde_json::from_str::<Cow<'_, str>>(raw.get()))
                .transpose()
        };
        let (name, uri) = match (as_str(envelope.name), as_str(envelope.uri)) {
            (Ok(name), Ok(uri)) => (name.map(Cow::into_owned), uri.map(Cow::into_owned)),
            _ => (None, None),
        };
        let task_id = as_str(envelope.task_id).ok().flatten().map(Cow::into_owned);
        let declared = envelope
            .meta
            .as_ref()
            .is_some_and(|m| m.version.is_some() || m.capabilities.is_some());
        let has_round = envelope.input_responses.is_some() || envelope.request_state.is_some();
        let (meta, progress_token) = match envelope.meta {
            None => (
                Err(McpError::invalid_params("the request has no `_meta`")),
                None,
            ),
            Some(meta) => (
                ModernMeta::from_fields(
                    meta.version.map(Cow::into_owned),
                    meta.capabilities,
                    meta.log_level,
                ),
                meta.progress_token,
            ),
        };
        let arguments = envelope.arguments.map(ToOwned::to_owned);
        Self {
            declared,
            meta,
            name,
            call: Some((arguments, progress_token, has_round)),
            uri,
            task_id,
        }
    }

    fn read_separately(params: Option<&RawValue>) -> Self {
        let named: Option<Named<'_>> = params.and_then(|p| serde_json::from_str(p.get()).ok());
        let (name, uri) = named.map_or((None, None), |n| {
            (n.name.map(Cow::into_owned), n.uri.map(Cow::into_owned))
        });
        let task_id = params
            .and_then(|p| serde_json::from_str::<TaskNamed<'_>>(p.get()).ok())
            .and_then(|t| t.task_id.map(Cow::into_owned));
        Self {
            declared: is_modern(params),
            meta: ModernMeta::from_params(params),
            name,
            call: None,
            uri,
            task_id,
        }
    }

    /// Whether `_meta` names the 2026 protocol version or client capabilities (see [`is_modern`]).
    pub fn declared(&self) -> bool {
        self.declared
    }

    /// The `name` param, when it is a string (and `uri`, if present, is one too).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The `uri` param, when it is a string (and `name`, if present, is one too).
    pub fn uri(&self) -> Option<&str> {
        self.uri.as_deref()
    }

    /// The `taskId` param (of `tasks/get`, `tasks/update`, `tasks/cancel`), when it is a string.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
    }

    /// The `_meta` fields, or the error [`ModernMeta::from_params`] gives.
    pub fn meta(&self) -> Result<&ModernMeta, &McpError> {
        self.meta.as_ref()
    }

    /// The `_meta` fields, or the error [`ModernMeta::from_params`] gives, by value.
    pub fn into_meta(self) -> Result<ModernMeta, McpError> {
        let mut meta = self.meta?;
        // Only a string `name` is a call dispatch would accept.
        if let (Some(name), Some((arguments, progress_token, has_round))) = (self.name, self.call) {
            meta.call = Some(CallHead {
                name,
                arguments,
                progress_token,
                has_round,
            });
        }
        Ok(meta)
    }
}

impl ModernMeta {
    /// Reads the required `_meta` fields; a missing one is `-32602` (HTTP 400).
    ///
    /// ```
    /// use quickmcp_core::ModernMeta;
    /// use serde_json::value::RawValue;
    ///
    /// let params = RawValue::from_string(r#"{"_meta":{}}"#.into()).unwrap();
    /// assert_eq!(ModernMeta::from_params(Some(&params)).unwrap_err().code, -32602);
    /// ```
    pub fn from_params(params: Option<&RawValue>) -> Result<Self, McpError> {
        let text = params.map_or("{}", RawValue::get);
        let wire: WithMeta = serde_json::from_str(text)
            .map_err(|e| McpError::invalid_params(format!("invalid request `_meta`: {e}")))?;
        let meta = wire
            .meta
            .ok_or_else(|| McpError::invalid_params("the request has no `_meta`"))?;
        Self::from_fields(meta.version, meta.capabilities, meta.log_level)
    }

    fn from_fields(
        version: Option<String>,
        capabilities: Option<ClientCapabilities>,
        log_level: Option<LoggingLevel>,
    ) -> Result<Self, McpError> {
        let missing = |key: &str| {
            McpError::invalid_params(format!("`_meta` lacks the required `{key}`"))
                .with_data(json!({ "missing": key }))
        };
        Ok(Self {
            protocol_version: version.ok_or_else(|| missing(META_VERSION))?,
            client_capabilities: capabilities.ok_or_else(|| missing(META_CAPABILITIES))?,
            log_level,
            missing: OnceLock::new(),
            resource_cache: Mutex::new(CacheHint::default()),
            error_result: AtomicBool::new(false),
            call: None,
        })
    }

    /// The `tools/call` params read with `_meta` (over HTTP), if they were.
    pub(crate) fn call_head(&self) -> Option<&CallHead> {
        self.call.as_ref()
    }

    /// Records that the call needed a capability the client did not declare.
    pub(crate) fn record_missing(&self, capability: &'static str) {
        // The first one is reported.
        let _ = self.missing.set(capability);
    }

    /// Records the caching hints of the resource being read.
    pub(crate) fn record_resource_cache(&self, hint: CacheHint) {
        *self.resource_cache.lock() = hint;
    }

    /// Records that the tool answered with an error result (`isError: true`).
    pub(crate) fn record_error_result(&self) {
        self.error_result.store(true, Ordering::Relaxed);
    }

    /// The first capability the call needed but the client did not declare.
    pub fn missing_capability(&self) -> Option<&'static str> {
        self.missing.get().copied()
    }

    /// Whether a log message at `level` may be sent for this call.
    pub fn log_enabled(&self, level: LoggingLevel) -> bool {
        self.log_level.is_some_and(|min| level >= min)
    }
}

/// `-32022` naming the versions this server speaks.
///
/// ```
/// let e = quickmcp_core::modern::unsupported_version("v999.0.0");
/// assert_eq!(e.data.unwrap()["requested"], "v999.0.0");
/// ```
pub fn unsupported_version(requested: &str) -> McpError {
    McpError::new(
        UNSUPPORTED_VERSION,
        format!("unsupported protocol version `{requested}`: this server speaks {MODERN_VERSION}"),
    )
    .with_data(json!({ "supported": [MODERN_VERSION], "requested": requested }))
}

/// `-32020`: a header that disagrees with the body.
///
/// ```
/// assert_eq!(quickmcp_core::modern::header_mismatch("Mcp-Method differs").code, -32020);
/// ```
pub fn header_mismatch(message: impl Into<String>) -> McpError {
    McpError::new(HEADER_MISMATCH, message.into())
}

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

/// Who may reuse a cached result (`cacheScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheScope {
    /// Any client may reuse it.
    Public,
    /// Only the client that asked (e.g. it depends on its authorization).
    Private,
}

/// One resource's caching hints for `resources/read` on the 2026 wire: each one set replaces
/// the server's ([`McpServer::set_cache_hints`]). Set with
/// [`ResourceDefinition::cache_ttl`](crate::ResourceDefinition::cache_ttl) and
/// [`cache_scope`](crate::ResourceDefinition::cache_scope), or `#[resource(ttl_ms = ..,
/// cache_scope = "..")]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheHint {
    /// `ttlMs`: how long (ms) a client may consider the result fresh.
    pub ttl_ms: Option<u64>,
    /// `cacheScope`: who may reuse it.
    pub scope: Option<CacheScope>,
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiscoverResult<'a> {
    supported_versions: [&'static str; 1],
    capabilities: DiscoverCapabilities<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
}

/// The server's capabilities plus the extensions it offers on the 2026 wire.
#[derive(Serialize)]
struct DiscoverCapabilities<'a> {
    #[serde(flatten)]
    core: &'a ServerCapabilities,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<serde_json::Value>,
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
    /// use quickmcp_core::{Inbound, McpServer, ModernMeta};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = McpServer::new("demo");
    /// let line = br#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{
    ///     "io.modelcontextprotocol/protocolVersion":"2026-07-28",
    ///     "io.modelcontextprotocol/clientCapabilities":{}}}}"#;
    /// let Ok(Message::Request(request)) = Message::parse(line) else { unreachable!() };
    /// let meta = ModernMeta::from_params(request.params.as_deref()).unwrap();
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
            era = MODERN_VERSION,
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
        if meta.protocol_version != MODERN_VERSION {
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
            (Ok(_), Some(missing)) if meta.error_result.load(Ordering::Relaxed) => {
                Err(missing.into())
            }
            (Ok(bytes), _) => {
                let cache = cacheable(&method).then(|| *meta.resource_cache.lock());
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
                supported_versions: [MODERN_VERSION],
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
    /// use quickmcp_core::{modern::CacheScope, McpServer};
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
    use serde_json::Value;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    #[test]
    fn missing_meta_fields_are_invalid_params() {
        for params in [
            "{}",
            r#"{"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}"#,
            r#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#,
        ] {
            let err = ModernMeta::from_params(Some(&raw(params))).unwrap_err();
            assert_eq!(err.code, -32602, "{params}");
        }
        let ok = ModernMeta::from_params(Some(&raw(
            r#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"x","io.modelcontextprotocol/clientCapabilities":{"sampling":{}},"io.modelcontextprotocol/logLevel":"info"}}"#,
        )))
        .unwrap();
        assert!(ok.client_capabilities.sampling);
        assert!(ok.log_enabled(LoggingLevel::Warning) && !ok.log_enabled(LoggingLevel::Debug));
    }

    #[test]
    fn the_probe_reads_what_the_separate_reads_do() {
        let cases = [
            None,
            Some("{}"),
            Some("[]"),
            Some(r#"{"_meta":null}"#),
            Some(r#"{"_meta":[]}"#),
            Some(
                r#"{"name":"add","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}},"io.modelcontextprotocol/logLevel":"debug"}}"#,
            ),
            Some(
                r#"{"uri":"file:///a\u0062","_meta":{"io.modelcontextprotocol/protocolVersion":"v9"}}"#,
            ),
            Some(
                r#"{"_meta":{"io.modelcontextprotocol/protocolVersion":7,"io.modelcontextprotocol/clientCapabilities":{}}}"#,
            ),
            Some(
                r#"{"_meta":{"io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"loud"}}"#,
            ),
            Some(
                r#"{"name":5,"uri":"x","_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}"#,
            ),
            Some(
                r#"{"name":"a","name":"b","_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}"#,
            ),
            Some(r#"{"_meta":{},"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}"#),
            Some(r#"{"name":null,"arguments":{"a":1},"_meta":{"other":1}}"#),
        ];
        for case in cases {
            let params = case.map(raw);
            let params = params.as_deref();
            let probe = ModernProbe::read(params);
            assert_eq!(probe.declared(), is_modern(params), "{case:?}");
            let separate = ModernProbe::read_separately(params);
            assert_eq!(probe.name(), separate.name(), "{case:?}");
            assert_eq!(probe.uri(), separate.uri(), "{case:?}");
            let describe = |meta: Result<ModernMeta, McpError>| match meta {
                Ok(m) => format!(
                    "{} {:?} {:?}",
                    m.protocol_version, m.client_capabilities, m.log_level
                ),
                Err(e) => format!("{} {} {:?}", e.code, e.message, e.data),
            };
            assert_eq!(
                describe(probe.into_meta()),
                describe(ModernMeta::from_params(params)),
                "{case:?}"
            );
        }
        let uri = ModernProbe::read(Some(&raw(r#"{"uri":"file:///a\u0062"}"#)));
        assert_eq!(uri.uri(), Some("file:///ab"));
        let not_a_string = ModernProbe::read(Some(&raw(r#"{"name":5,"uri":"x"}"#)));
        assert_eq!((not_a_string.name(), not_a_string.uri()), (None, None));
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

    #[test]
    fn unsupported_versions_name_the_supported_ones() {
        let e = unsupported_version("v999.0.0");
        assert_eq!(e.code, -32022);
        assert_eq!(e.data.unwrap()["supported"][0], MODERN_VERSION);
    }
}
