//! The 2026-07-28 wire ("stateless" era): the request `_meta` that carries what a 2025
//! session negotiated (protocol version, client capabilities, log level), the one read of a
//! request's params that selects the era ([`ParamsProbe`]), caching hints, `server/discover`'s
//! result and the wire's error codes.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use parking_lot::Mutex;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::json;
use serde_json::value::RawValue;

pub use crate::error::code::{HEADER_MISMATCH, MISSING_CLIENT_CAPABILITY, UNSUPPORTED_VERSION};
use crate::error::McpError;
use crate::jsonrpc::{borrowed_str, RequestId};
use crate::protocol::initialize::{ClientCapabilities, ServerCapabilities};
use crate::protocol::LoggingLevel;

/// The revision of the stateless era this server speaks.
pub const VERSION: &str = "2026-07-28";

const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// Methods of the 2025 wire that the 2026 wire removed: sent with modern `_meta`, they are
/// unknown methods (`-32601`, HTTP 404).
pub const V2025_ONLY_METHODS: [&str; 5] = [
    "initialize",
    "ping",
    "logging/setLevel",
    "resources/subscribe",
    "resources/unsubscribe",
];

/// What a modern request says about its client in `params._meta`, and what the call learned
/// while it ran.
#[derive(Debug)]
pub struct RequestMeta {
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
    /// The `name` param, when it is a string and no call head holds it.
    name: Option<String>,
    /// The `uri` param, when it is a string.
    uri: Option<String>,
    /// The `taskId` param, when it is a string.
    task_id: Option<String>,
}

/// A `tools/call`'s params as [`ParamsProbe`] read them: exactly what dispatch's own read
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
/// use quickmcp_core::protocol::v2026::declares_v2026;
/// use serde_json::value::RawValue;
///
/// let modern = RawValue::from_string(
///     r#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#.into(),
/// ).unwrap();
/// assert!(declares_v2026(Some(&modern)));
/// assert!(!declares_v2026(None));
/// ```
pub fn declares_v2026(params: Option<&RawValue>) -> bool {
    params
        .and_then(|raw| serde_json::from_str::<Probe>(raw.get()).ok())
        .and_then(|p| p.meta)
        .is_some_and(|m| m.version.is_some() || m.capabilities.is_some())
}

/// The parts of a request's params that the 2026 wire reads before dispatch — whether `_meta`
/// selects the era, the `_meta` fields, and the `name` / `uri` that `Mcp-Name` must match —
/// read in one pass. Each answer is exactly what [`declares_v2026`], [`RequestMeta::from_params`]
/// and a separate read of `name` / `uri` would give.
///
/// ```
/// use quickmcp_core::protocol::v2026::ParamsProbe;
/// use serde_json::value::RawValue;
///
/// let params = RawValue::from_string(r#"{"name":"add","_meta":{
///     "io.modelcontextprotocol/protocolVersion":"2026-07-28",
///     "io.modelcontextprotocol/clientCapabilities":{}}}"#.into()).unwrap();
/// let probe = ParamsProbe::read(Some(&params));
/// assert!(probe.declared());
/// assert_eq!(probe.name(), Some("add"));
/// assert_eq!(probe.into_meta().unwrap().protocol_version, "2026-07-28");
/// ```
#[derive(Debug)]
pub struct ParamsProbe {
    declared: bool,
    meta: Result<RequestMeta, McpError>,
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
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", borrow, default)]
    #[serde(deserialize_with = "borrowed_str")]
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
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    uri: Option<Cow<'a, str>>,
}

/// `taskId` as `Mcp-Name` compares it on `tasks/get|update|cancel`: unknown unless a string.
#[derive(Deserialize)]
struct TaskNamed<'a> {
    #[serde(rename = "taskId", borrow, default, deserialize_with = "borrowed_str")]
    task_id: Option<Cow<'a, str>>,
}

/// The string a raw JSON value holds. One without escapes is the text between its quotes (the
/// value was validated when it was read); any other goes through the parser.
fn string_of(raw: &RawValue) -> Result<Cow<'_, str>, serde_json::Error> {
    let text = raw.get();
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Ok(Cow::Borrowed(inner)),
        _ => serde_json::from_str(text),
    }
}

impl ParamsProbe {
    /// Reads `params` (of a request or a notification).
    pub fn read(params: Option<&RawValue>) -> Self {
        let text = params.map_or("{}", RawValue::get);
        match serde_json::from_str::<Envelope<'_>>(text) {
            Ok(envelope) => Self::from_envelope(envelope),
            Err(_) => Self::read_separately(params),
        }
    }

    fn from_envelope(envelope: Envelope<'_>) -> Self {
        fn as_str(raw: Option<&RawValue>) -> Result<Option<Cow<'_, str>>, serde_json::Error> {
            raw.map(string_of).transpose()
        }
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
                RequestMeta::from_fields(
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
            declared: declares_v2026(params),
            meta: RequestMeta::from_params(params),
            name,
            call: None,
            uri,
            task_id,
        }
    }

    /// Whether `_meta` names the 2026 protocol version or client capabilities (see [`declares_v2026`]).
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

    /// The `_meta` fields, or the error [`RequestMeta::from_params`] gives.
    pub fn meta(&self) -> Result<&RequestMeta, &McpError> {
        self.meta.as_ref()
    }

    /// The `_meta` fields, or the error [`RequestMeta::from_params`] gives, by value.
    pub fn into_meta(self) -> Result<RequestMeta, McpError> {
        let mut meta = self.meta?;
        meta.uri = self.uri;
        meta.task_id = self.task_id;
        // Only a string `name` is a call dispatch would accept.
        match (self.name, self.call) {
            (Some(name), Some((arguments, progress_token, has_round))) => {
                meta.call = Some(CallHead {
                    name,
                    arguments,
                    progress_token,
                    has_round,
                });
            }
            (name, _) => meta.name = name,
        }
        Ok(meta)
    }
}

impl RequestMeta {
    /// Reads the required `_meta` fields; a missing one is `-32602` (HTTP 400).
    ///
    /// ```
    /// use quickmcp_core::RequestMeta;
    /// use serde_json::value::RawValue;
    ///
    /// let params = RawValue::from_string(r#"{"_meta":{}}"#.into()).unwrap();
    /// assert_eq!(RequestMeta::from_params(Some(&params)).unwrap_err().code, -32602);
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
            name: None,
            uri: None,
            task_id: None,
        })
    }

    /// The request's `name` param (a tool's or a prompt's), when it is a string.
    pub fn name(&self) -> Option<&str> {
        match &self.call {
            Some(call) => Some(&call.name),
            None => self.name.as_deref(),
        }
    }

    /// The request's `uri` param (a resource's), when it is a string.
    pub fn uri(&self) -> Option<&str> {
        self.uri.as_deref()
    }

    /// The request's `taskId` param (`tasks/get|update|cancel`), when it is a string.
    pub fn task_id(&self) -> Option<&str> {
        self.task_id.as_deref()
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

    /// Whether the tool answered with an error result.
    pub(crate) fn had_error_result(&self) -> bool {
        self.error_result.load(Ordering::Relaxed)
    }

    /// The caching hints recorded for the resource read.
    pub(crate) fn resource_cache(&self) -> CacheHint {
        *self.resource_cache.lock()
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
/// let e = quickmcp_core::protocol::v2026::unsupported_version("v999.0.0");
/// assert_eq!(e.data.unwrap()["requested"], "v999.0.0");
/// ```
pub fn unsupported_version(requested: &str) -> McpError {
    McpError::new(
        UNSUPPORTED_VERSION,
        format!("unsupported protocol version `{requested}`: this server speaks {VERSION}"),
    )
    .with_data(json!({ "supported": [VERSION], "requested": requested }))
}

/// `-32020`: a header that disagrees with the body.
///
/// ```
/// assert_eq!(quickmcp_core::protocol::v2026::header_mismatch("Mcp-Method differs").code, -32020);
/// ```
pub fn header_mismatch(message: impl Into<String>) -> McpError {
    McpError::new(HEADER_MISMATCH, message.into())
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DiscoverResult<'a> {
    pub(crate) supported_versions: [&'static str; 1],
    pub(crate) capabilities: DiscoverCapabilities<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) instructions: Option<&'a str>,
}

/// The server's capabilities plus the extensions it offers on the 2026 wire.
#[derive(Serialize)]
pub(crate) struct DiscoverCapabilities<'a> {
    #[serde(flatten)]
    pub(crate) core: &'a ServerCapabilities,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) extensions: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_string_reads_as_the_parser_reads_it() {
        for text in [
            r#""add""#,
            r#""a\u0064d""#,
            r#""""#,
            r#""\"q\"""#,
            "5",
            "null",
            "{}",
        ] {
            let raw: Box<RawValue> = serde_json::from_str(text).unwrap();
            let parsed = serde_json::from_str::<String>(text).map_err(|e| e.to_string());
            let read = string_of(&raw)
                .map(Cow::into_owned)
                .map_err(|e| e.to_string());
            assert_eq!(read, parsed, "{text}");
        }
    }

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
            let err = RequestMeta::from_params(Some(&raw(params))).unwrap_err();
            assert_eq!(err.code, -32602, "{params}");
        }
        let ok = RequestMeta::from_params(Some(&raw(
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
            let probe = ParamsProbe::read(params);
            assert_eq!(probe.declared(), declares_v2026(params), "{case:?}");
            let separate = ParamsProbe::read_separately(params);
            assert_eq!(probe.name(), separate.name(), "{case:?}");
            assert_eq!(probe.uri(), separate.uri(), "{case:?}");
            let describe = |meta: Result<RequestMeta, McpError>| match meta {
                Ok(m) => format!(
                    "{} {:?} {:?}",
                    m.protocol_version, m.client_capabilities, m.log_level
                ),
                Err(e) => format!("{} {} {:?}", e.code, e.message, e.data),
            };
            assert_eq!(
                describe(probe.into_meta()),
                describe(RequestMeta::from_params(params)),
                "{case:?}"
            );
        }
        let uri = ParamsProbe::read(Some(&raw(r#"{"uri":"file:///a\u0062"}"#)));
        assert_eq!(uri.uri(), Some("file:///ab"));
        let not_a_string = ParamsProbe::read(Some(&raw(r#"{"name":5,"uri":"x"}"#)));
        assert_eq!((not_a_string.name(), not_a_string.uri()), (None, None));
    }

    #[test]
    fn unsupported_versions_name_the_supported_ones() {
        let e = unsupported_version("v999.0.0");
        assert_eq!(e.code, -32022);
        assert_eq!(e.data.unwrap()["supported"][0], VERSION);
    }
}
