//! What a transport hands the core with each request, and how the core talks back mid-request:
//! notifications through a [`MessageSink`], server→client requests through a
//! [`ClientExchange`].

mod error;
mod mrtr;
mod pending;
mod stream;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use http::request::Parts;
use http::{Extensions, HeaderMap};
use serde_json::value::RawValue;
use tokio_util::sync::CancellationToken;

use crate::jsonrpc::RequestId;
use crate::protocol::initialize::ClientCapabilities;
use crate::protocol::v2026::RequestMeta;
use crate::session::Session;
pub use crate::sink::MessageSink;

pub use error::ExchangeError;
pub(crate) use mrtr::{InputRound, StateKey, DEFAULT_MAX_AGE as DEFAULT_STATE_MAX_AGE};
pub use pending::{PendingRequests, DEFAULT_TIMEOUT};
pub(crate) use stream::StreamExchange;

/// A request the server sends the client: `sampling/createMessage`, `elicitation/create`,
/// `roots/list`.
#[derive(Debug)]
pub struct ClientRequest {
    /// The method.
    pub method: &'static str,
    /// The params, serialized.
    pub params: Box<RawValue>,
    /// The key naming this request in an MRTR round (`inputRequests`, `inputResponses`), as
    /// chosen with [`Context::input_key`](crate::Context::input_key); `None`: numbered in call
    /// order. Other exchanges ignore it.
    pub key: Option<String>,
}

/// What [`ClientExchange::request`] returns: the client's `result`, as raw JSON.
pub type ExchangeFuture =
    Pin<Box<dyn Future<Output = Result<Box<RawValue>, ExchangeError>> + Send>>;

/// How a running call gets answers from the client. `Context::sample`, `elicit` and
/// `list_roots` all go through it, so a tool body is written once for every wire:
///
/// - the 2025 wire (the default): the request is written on the call's stream and the answer
///   arrives later as a JSON-RPC response, with a timeout;
/// - the 2026 wire (MRTR, on `tools/call` and `prompts/get`) answers from the retried call's
///   `inputResponses` (and the answers of earlier rounds, carried in the signed
///   `requestState`), or records the request and stops the call so that the dispatcher
///   returns `input_required` with every request gathered so far. Requests are keyed by
///   [`ClientRequest::key`] or else by their order in the call, so a retried call finds its
///   answers in the same places.
///
/// Capabilities are checked before the exchange is asked, against
/// [`RequestContext::client_capabilities`].
///
/// ```
/// use quickmcp_core::exchange::{ClientExchange, ClientRequest, ExchangeFuture};
/// use serde_json::value::RawValue;
///
/// /// Answers every `roots/list` with no roots: a stand-in client for tests.
/// struct NoRoots;
///
/// impl ClientExchange for NoRoots {
///     fn request(&self, request: ClientRequest) -> ExchangeFuture {
///         assert_eq!(request.method, "roots/list");
///         Box::pin(async { Ok(RawValue::from_string(r#"{"roots":[]}"#.into()).unwrap()) })
///     }
/// }
/// ```
pub trait ClientExchange: Send + Sync + 'static {
    /// Sends `request` and resolves with the client's result.
    fn request(&self, request: ClientRequest) -> ExchangeFuture;
}

/// What a transport knows about an incoming request.
#[derive(Default)]
pub struct Inbound {
    /// The session the request belongs to, if any.
    pub session: Option<Arc<Session>>,
    /// Where related notifications go; `None` drops them (e.g. a JSON response).
    pub sink: Option<Arc<dyn MessageSink>>,
    /// The HTTP request's head (headers, extensions set by middleware), over HTTP.
    pub http: Option<Parts>,
    /// The request's 2026 `_meta`, when it came on the stateless wire.
    pub modern: Option<Arc<RequestMeta>>,
}

/// Everything the core knows about one request while serving it.
pub struct RequestContext {
    pub(crate) id: RequestId,
    pub(crate) inbound: Inbound,
    pub(crate) progress_token: Option<RequestId>,
    pub(crate) cancel: CancellationToken,
    pub(crate) state: Arc<Extensions>,
    pub(crate) pending: Option<Arc<PendingRequests>>,
    pub(crate) exchange: Option<Arc<dyn ClientExchange>>,
    pub(crate) capabilities: Option<ClientCapabilities>,
    /// The server serving the call, for what a tool may change (per-session visibility).
    pub(crate) server: Option<crate::McpServer>,
    /// The MRTR round, on the 2026 wire's `tools/call`, `prompts/get` and `resources/read`.
    pub(crate) round: Option<Arc<InputRound>>,
    /// The exchange of a task tool's call, for `Context::start_task`.
    pub(crate) task: Option<Arc<crate::tasks::TaskExchange>>,
}

impl RequestContext {
    pub(crate) fn new(
        id: RequestId,
        inbound: Inbound,
        progress_token: Option<RequestId>,
        state: Arc<Extensions>,
    ) -> Self {
        let modern = inbound.modern.as_ref();
        let capabilities = modern.map(|m| m.client_capabilities);
        let exchange = modern.map(|_| crate::modern::exchange());
        Self {
            id,
            inbound,
            progress_token,
            cancel: CancellationToken::new(),
            state,
            pending: None,
            exchange,
            capabilities,
            server: None,
            round: None,
            task: None,
        }
    }

    /// Answers the call's server→client requests from an MRTR round (2026 wire).
    pub(crate) fn with_round(mut self, round: Arc<InputRound>) -> Self {
        self.exchange = Some(round.clone());
        self.round = Some(round);
        self
    }

    /// Where the 2025 wire registers the call's server→client requests.
    pub(crate) fn with_pending(mut self, pending: Arc<PendingRequests>) -> Self {
        self.pending = Some(pending);
        self
    }

    /// The server serving the call.
    pub(crate) fn with_server(mut self, server: crate::McpServer) -> Self {
        self.server = Some(server);
        self
    }

    /// Answers the call's server→client requests with `exchange` instead of the session's
    /// streams (the 2026 wire, in-process clients, tests).
    #[must_use]
    pub fn with_exchange(mut self, exchange: Arc<dyn ClientExchange>) -> Self {
        self.exchange = Some(exchange);
        self
    }

    /// Declares what the client supports for this call, instead of what its session declared
    /// (the 2026 wire sends them with each request).
    #[must_use]
    pub fn with_client_capabilities(mut self, capabilities: ClientCapabilities) -> Self {
        self.capabilities = Some(capabilities);
        self
    }

    /// What the client supports: set for this call, else what its session declared; `None`
    /// when neither is known.
    pub fn client_capabilities(&self) -> Option<ClientCapabilities> {
        self.capabilities
            .or_else(|| self.session().map(|s| s.client_capabilities()))
    }

    /// A context for calling a handler outside any transport (tests, in-process clients).
    pub fn detached(id: RequestId) -> Self {
        Self::new(id, Inbound::default(), None, Arc::default())
    }

    /// The JSON-RPC id of the request.
    pub fn request_id(&self) -> &RequestId {
        &self.id
    }

    /// The session, when the transport has one.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.inbound.session.as_ref()
    }

    /// The HTTP request headers, over HTTP.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inbound.http.as_ref().map(|p| &p.headers)
    }

    /// The HTTP request extensions (what tower middleware attached), over HTTP.
    pub fn extensions(&self) -> Option<&Extensions> {
        self.inbound.http.as_ref().map(|p| &p.extensions)
    }

    /// The server's shared state (`State<T>`).
    pub fn state(&self) -> &Extensions {
        &self.state
    }

    /// Closes the SSE stream carrying this request's messages, as
    /// [`Context::close_sse_stream`](crate::Context::close_sse_stream) does.
    pub fn close_sse_stream(&self) -> bool {
        self.inbound.sink.as_ref().is_some_and(|sink| sink.close())
    }

    /// Fires when the client cancels the request.
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }
}
