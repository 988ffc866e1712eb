//! What a handler sees of the request it serves: [`RequestCx`], what the transport and the
//! layers know about the request, and [`CallContext`], that plus what the engine set up for
//! this one call (cancellation, the way to ask the client, visibility control).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, LazyLock};

use http::{Extensions, HeaderMap};
use tokio_util::sync::CancellationToken;

use crate::error::Rejection;
use crate::exchange::{ClientExchange, InputRound, PendingRequests};
use crate::jsonrpc::RequestId;
use crate::principal::{Principal, ScopeGate};
use crate::protocol::initialize::ClientCapabilities;
use crate::protocol::v2026::RequestMeta;
use crate::protocol::Era;
use crate::session::{Session, SessionRef};
use crate::sink::MessageSink;
use crate::visibility::Selector;

/// What is known about one request before any handler runs: its era, its session, where its
/// messages go, and what the HTTP request carried. Built by the service for every transport;
/// middleware (tower layers over [`McpRequest`](crate::McpRequest)) reads it and may attach
/// [`extensions`](Self::extensions_mut) for handlers.
#[derive(Default)]
pub struct RequestCx {
    pub(crate) era: Era,
    pub(crate) session: Option<Arc<Session>>,
    pub(crate) binding: SessionRef,
    pub(crate) sink: Option<Arc<dyn MessageSink>>,
    pub(crate) http: Option<http::request::Parts>,
    pub(crate) extensions: Extensions,
    pub(crate) v2026: Option<Arc<RequestMeta>>,
    pub(crate) principal: Option<Arc<Principal>>,
}

impl RequestCx {
    /// A context outside any transport, on the 2025 wire with no session (tests, in-process
    /// calls of a handler).
    ///
    /// ```
    /// use quickmcp_core::{Era, RequestCx};
    ///
    /// let cx = RequestCx::detached();
    /// assert_eq!(cx.era(), Era::V2025);
    /// assert!(cx.session().is_none());
    /// ```
    pub fn detached() -> Self {
        Self::default()
    }

    /// Which wire the request came on.
    pub fn era(&self) -> Era {
        self.era
    }

    /// The session the request belongs to (2025 wire), once the service has found it.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.session.as_ref()
    }

    /// The session's id (`Mcp-Session-Id` over HTTP).
    pub fn session_id(&self) -> Option<&str> {
        self.session.as_deref().map(Session::id)
    }

    /// The protocol revision the request speaks: its session's, or the one its 2026 `_meta`
    /// names. `None` before `initialize` has negotiated one.
    pub fn protocol_version(&self) -> Option<&str> {
        match (&self.v2026, &self.session) {
            (Some(meta), _) => Some(&meta.protocol_version),
            (None, Some(session)) => Some(session.protocol_version().as_str()),
            (None, None) => None,
        }
    }

    /// What the client declared it supports: with the request (2026 wire), else in its
    /// session's `initialize`; `None` when neither is known.
    pub fn client_capabilities(&self) -> Option<ClientCapabilities> {
        match (&self.v2026, &self.session) {
            (Some(meta), _) => Some(meta.client_capabilities),
            (None, Some(session)) => Some(session.client_capabilities()),
            (None, None) => None,
        }
    }

    /// Sends the messages the request emits before its response to `sink` instead (a
    /// transport that picks its stream only once it knows the method, such as the long-lived
    /// stream of `subscriptions/listen`).
    pub fn set_sink(&mut self, sink: Option<Arc<dyn MessageSink>>) {
        self.sink = sink;
    }

    /// Who the request is from, once authenticated (by the HTTP authorization layer, or by an
    /// MCP-level layer with [`set_principal`](Self::set_principal)).
    pub fn principal(&self) -> Option<&Principal> {
        self.principal.as_deref()
    }

    /// Sets who the request is from (an MCP-level authentication layer).
    pub fn set_principal(&mut self, principal: Option<Arc<Principal>>) {
        self.principal = principal;
    }

    /// The answer for an operation that declares `required` scopes, when the endpoint checks
    /// scopes ([`ScopeGate`](crate::ScopeGate)) and the principal lacks some; `None` to go on.
    pub(crate) fn scope_refusal(&self, required: &[String]) -> Option<Rejection> {
        if required.is_empty() {
            return None;
        }
        let gate = self.scope_gate()?;
        let missing = gate.missing(self.principal(), required);
        (!missing.is_empty()).then(|| gate.0.refuse(required, &missing))
    }

    /// The scope gate of the endpoint that authenticated the request, if it checks scopes.
    pub(crate) fn scope_gate(&self) -> Option<&ScopeGate> {
        self.extensions.get::<ScopeGate>()
    }

    /// The 2026 wire's `_meta` of the request.
    pub fn v2026_meta(&self) -> Option<&RequestMeta> {
        self.v2026.as_deref()
    }

    /// The HTTP request's headers, over HTTP.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.http.as_ref().map(|parts| &parts.headers)
    }

    /// The HTTP request's head (method, URI, headers), over HTTP.
    pub fn http(&self) -> Option<&http::request::Parts> {
        self.http.as_ref()
    }

    /// What HTTP middleware and MCP layers attached to the request (empty on stdio).
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// Attaches values for handlers (`Extension<T>`) or later layers.
    pub fn extensions_mut(&mut self) -> &mut Extensions {
        &mut self.extensions
    }
}

impl std::fmt::Debug for RequestCx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestCx")
            .field("era", &self.era)
            .field("session", &self.session_id())
            .finish_non_exhaustive()
    }
}

/// What a running call may change beyond its answer, implemented by the engine: the
/// per-session visibility of [`Context::show`](crate::Context::show) and friends.
pub trait CallControl: Send + Sync + 'static {
    /// Adds the rule `selector → shown` to `session`, with `list_changed` where it changes
    /// something.
    fn set_visible(&self, session: &Session, selector: Selector, shown: bool);
    /// Drops `session`'s visibility rules.
    fn reset_visibility(&self, session: &Session);
}

/// A task tool's way to become a task mid-call ([`Context::start_task`](crate::Context::start_task)).
pub trait TaskControl: Send + Sync + 'static {
    /// Resolves once the call runs as a task.
    fn start_task(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// What the engine sets up for one call, besides the request: owned by the invoker.
#[derive(Default)]
pub(crate) struct CallState {
    pub(crate) cancel: CancellationToken,
    pub(crate) progress_token: Option<RequestId>,
    /// The 2025 wire: where a request to the client waits for its answer.
    pub(crate) pending: Option<Arc<PendingRequests>>,
    /// How the call asks the client when not through `pending` (MRTR, a task, no way at all).
    pub(crate) exchange: Option<Arc<dyn ClientExchange>>,
    /// The 2026 wire's MRTR round.
    pub(crate) round: Option<Arc<InputRound>>,
    pub(crate) control: Option<Arc<dyn CallControl>>,
    pub(crate) task: Option<Arc<dyn TaskControl>>,
}

/// Everything a handler can learn about the call it serves: the request's [`RequestCx`], the
/// server's shared state, and what the engine set up for the call. Handlers receive it by
/// reference; injected parameters ([`FromCallContext`](crate::FromCallContext)) read it.
pub struct CallContext<'a> {
    pub(crate) id: &'a RequestId,
    pub(crate) request: &'a RequestCx,
    pub(crate) state: &'a Extensions,
    pub(crate) call: &'a CallState,
}

static DETACHED_STATE: LazyLock<Extensions> = LazyLock::new(Extensions::new);
static DETACHED_CALL: LazyLock<CallState> = LazyLock::new(CallState::default);

impl<'a> CallContext<'a> {
    pub(crate) fn new(
        id: &'a RequestId,
        request: &'a RequestCx,
        state: &'a Extensions,
        call: &'a CallState,
    ) -> Self {
        Self {
            id,
            request,
            state,
            call,
        }
    }

    /// A context for calling a handler outside any server (tests, in-process calls).
    ///
    /// ```
    /// use quickmcp_core::jsonrpc::RequestId;
    /// use quickmcp_core::{CallContext, RequestCx};
    ///
    /// let (id, request) = (RequestId::Number(1), RequestCx::detached());
    /// let cx = CallContext::detached(&id, &request);
    /// assert_eq!(cx.request_id(), &RequestId::Number(1));
    /// ```
    pub fn detached(id: &'a RequestId, request: &'a RequestCx) -> Self {
        Self::new(id, request, &DETACHED_STATE, &DETACHED_CALL)
    }

    /// The JSON-RPC id of the request.
    pub fn request_id(&self) -> &RequestId {
        self.id
    }

    /// What the transport and the layers know about the request.
    pub fn request(&self) -> &RequestCx {
        self.request
    }

    /// The session, when the transport has one.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.request.session()
    }

    /// The HTTP request headers, over HTTP.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.request.headers()
    }

    /// What HTTP middleware and MCP layers attached to the request.
    pub fn extensions(&self) -> &Extensions {
        &self.request.extensions
    }

    /// The server's shared state (`State<T>`).
    pub fn state(&self) -> &Extensions {
        self.state
    }

    /// Who the request is from, once authenticated.
    pub fn principal(&self) -> Option<&Principal> {
        self.request.principal()
    }

    /// What the client supports (see [`RequestCx::client_capabilities`]).
    pub fn client_capabilities(&self) -> Option<ClientCapabilities> {
        self.request.client_capabilities()
    }

    /// Fires when the client cancels the request (or the call is stopped).
    pub fn cancellation(&self) -> &CancellationToken {
        &self.call.cancel
    }

    /// Closes the SSE stream carrying this request's messages, as
    /// [`Context::close_sse_stream`](crate::Context::close_sse_stream) does.
    pub fn close_sse_stream(&self) -> bool {
        self.request.sink.as_ref().is_some_and(|sink| sink.close())
    }
}
