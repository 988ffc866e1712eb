//! [`McpService`]: the one entry into the engine that every transport calls.
//!
//! A transport hands in the bytes of one message and what it knows about them ([`Inbound`]);
//! [`McpService::prepare`] parses them once, decides the era by one rule for every transport,
//! finds the session, and answers client notifications and responses at once. A request comes
//! out as an [`McpRequest`], which [`McpService::call`] runs through the server's MCP-level
//! layers ([`McpServer::layer`](crate::McpServer::layer)) to the engine, and which comes back
//! as an [`Outgoing`]: ready (most calls: one body in one flush), running (a future the
//! transport polls beside its reader), or accepted (nothing to answer).
//!
//! `McpService` is also a [`tower::Service`] over [`McpRequest`]s, for in-process clients and
//! tests.

mod engine;
mod era;
mod finish;
mod invoke;
mod methods;
mod router;
mod stack;
#[cfg(feature = "otel")]
mod telemetry;
mod trace;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use serde_json::value::RawValue;

pub(crate) use engine::Engine;
pub use stack::BoxMcpService;

use crate::error::Rejection;
use crate::handler::RequestCx;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::Era;
use crate::session::{MaybeReady, Session, SessionRef};
use crate::sink::MessageSink;

/// What a transport knows about one incoming message, besides its bytes.
#[derive(Default)]
pub struct Inbound {
    /// How the transport names the session the message belongs to.
    pub session: SessionRef,
    /// Where the messages a request emits before its response go (its SSE stream, stdout);
    /// `None` drops them (a JSON response).
    pub sink: Option<Arc<dyn MessageSink>>,
    /// The HTTP request's head, over HTTP: its headers (the `MCP-Protocol-Version` that takes
    /// part in choosing the era, and what tools may read) and extensions (what HTTP middleware
    /// attached, such as an authenticated principal).
    pub http: Option<http::request::Parts>,
}

/// One MCP request on its way through the layers to the engine: the parsed JSON-RPC request
/// and what is known about it.
pub struct McpRequest {
    pub(crate) request: jsonrpc::Request,
    pub(crate) cx: RequestCx,
}

impl McpRequest {
    /// The JSON-RPC id.
    pub fn id(&self) -> &RequestId {
        &self.request.id
    }

    /// The method, e.g. `tools/call`.
    pub fn method(&self) -> &str {
        &self.request.method
    }

    /// The params, as raw JSON.
    pub fn params(&self) -> Option<&RawValue> {
        self.request.params.as_deref()
    }

    /// Which wire the request came on.
    pub fn era(&self) -> Era {
        self.cx.era
    }

    /// What is known about the request (session, HTTP head, extensions).
    pub fn cx(&self) -> &RequestCx {
        &self.cx
    }

    /// What is known about the request, to change (attach extensions for handlers).
    pub fn cx_mut(&mut self) -> &mut RequestCx {
        &mut self.cx
    }

    /// The tool or prompt `name`, or the resource `uri`, the request targets (read from the
    /// params on each call; `None` for other methods).
    pub fn target(&self) -> Option<String> {
        methods::target(self.method(), self.params())
    }
}

impl std::fmt::Debug for McpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpRequest")
            .field("id", &self.request.id)
            .field("method", &self.request.method)
            .field("cx", &self.cx)
            .finish_non_exhaustive()
    }
}

/// What a request produced: its serialized JSON-RPC response (a result or an error), or
/// nothing when the client cancelled it.
#[derive(Debug, Default)]
pub struct McpResponse {
    body: Bytes,
    session: Option<Arc<Session>>,
}

impl McpResponse {
    pub(crate) fn new(body: Bytes) -> Self {
        Self {
            body,
            session: None,
        }
    }

    /// No response: the request was cancelled.
    pub(crate) fn none() -> Self {
        Self::default()
    }

    /// The serialized response; `None` when there is nothing to send.
    pub fn body(&self) -> Option<&Bytes> {
        (!self.body.is_empty()).then_some(&self.body)
    }

    /// The serialized response, empty when there is nothing to send.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The session an `initialize` opened and the transport must name to the client
    /// (Streamable HTTP's `Mcp-Session-Id`).
    pub fn opened_session(&self) -> Option<&Arc<Session>> {
        self.session.as_ref()
    }
}

/// What a request's answer is once a future would not run further without waiting.
pub(crate) type Reply = Result<McpResponse, Rejection>;

/// The message that carries a request's answer to the client: its response, or the JSON-RPC
/// error of a rejection; `None` when there is nothing to send (a cancelled request). What a
/// transport without HTTP statuses (stdio, a legacy SSE stream) writes.
///
/// ```
/// use quickmcp_core::{answer_message, McpError, Rejection};
///
/// let refused = Err(Rejection::new(McpError::internal("no")));
/// assert!(answer_message(refused).unwrap().starts_with(br#"{"jsonrpc":"2.0","id":null,"error""#));
/// ```
pub fn answer_message(reply: Reply) -> Option<Bytes> {
    match reply {
        Ok(response) => response.body().cloned(),
        Err(rejection) => Some(rejection.to_response()),
    }
}

/// A request still running: poll it to its answer.
pub type Running = Pin<Box<dyn Future<Output = Reply> + Send>>;

/// What [`McpService::call`] gives back: no task and no channel per request.
pub enum Outgoing {
    /// Answered already: write it in one flush.
    Ready(Reply),
    /// Still running (a slow tool, a layer waiting for capacity): poll it beside the reader,
    /// which keeps reading answers, cancellations and the next requests meanwhile.
    Running(Running),
    /// A notification or a response: nothing to answer (HTTP 202).
    Accepted,
}

impl Outgoing {
    /// Waits for the answer; `None` for [`Outgoing::Accepted`].
    pub async fn resolve(self) -> Option<Reply> {
        match self {
            Self::Ready(reply) => Some(reply),
            Self::Running(running) => Some(running.await),
            Self::Accepted => None,
        }
    }
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Ready(reply) => f.debug_tuple("Ready").field(reply).finish(),
            Self::Running(_) => f.write_str("Running"),
            Self::Accepted => f.write_str("Accepted"),
        }
    }
}

/// What [`McpService::prepare`] made of a message.
#[expect(
    clippy::large_enum_variant,
    reason = "a request is what it usually is; boxing it would cost an allocation per request"
)]
pub enum Prepared {
    /// A request to [`call`](McpService::call).
    Request(McpRequest),
    /// A notification or a response, handled already.
    Accepted,
    /// A message refused before any layer saw it (unparsable, an unknown session...).
    Rejected(Rejection),
    /// A request for a session this process does not hold, whose record the session store
    /// is still loading: await it for the request (or its rejection). Only Streamable HTTP
    /// names sessions this way; never on stdio or legacy SSE.
    Loading(Loading),
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Request(request) => f.debug_tuple("Request").field(request).finish(),
            Self::Accepted => f.write_str("Accepted"),
            Self::Rejected(rejection) => f.debug_tuple("Rejected").field(rejection).finish(),
            Self::Loading(_) => f.write_str("Loading"),
        }
    }
}

/// A request waiting for its session's record (see [`Prepared::Loading`]).
pub type Loading = Pin<Box<dyn Future<Output = Result<McpRequest, Rejection>> + Send>>;

/// The entry into one server's engine, shared by all its transports and connections. Cheap
/// to clone: every clone is the same server, with the same layered stack.
///
/// ```
/// use quickmcp_core::{McpServer, Outgoing, Inbound};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let service = McpServer::new("demo").service();
/// let ping = br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
/// let Outgoing::Ready(Ok(response)) = service.handle(ping, Inbound::default()) else {
///     unreachable!("a ping is answered at once")
/// };
/// assert_eq!(response.body().unwrap().as_ref(), br#"{"jsonrpc":"2.0","id":1,"result":{}}"#);
/// # }
/// ```
#[derive(Clone)]
pub struct McpService {
    engine: Arc<Engine>,
}

impl McpService {
    pub(crate) fn new(engine: Arc<Engine>) -> Self {
        Self { engine }
    }

    /// Parses one message, decides its era, finds its session; answers notifications and
    /// responses at once.
    pub fn prepare(&self, bytes: &[u8], inbound: Inbound) -> Prepared {
        self.engine.prepare(bytes, inbound)
    }

    /// Runs a request through the layers to the engine.
    pub fn call(&self, request: McpRequest) -> Outgoing {
        stack::call(&self.engine, request)
    }

    /// [`prepare`](Self::prepare), then [`call`](Self::call) for a request.
    pub fn handle(&self, bytes: &[u8], inbound: Inbound) -> Outgoing {
        match self.prepare(bytes, inbound) {
            Prepared::Request(request) => self.call(request),
            Prepared::Accepted => Outgoing::Accepted,
            Prepared::Rejected(rejection) => Outgoing::Ready(Err(rejection)),
            Prepared::Loading(loading) => {
                let service = self.clone();
                Outgoing::Running(Box::pin(async move {
                    match service.call(loading.await?) {
                        Outgoing::Ready(reply) => reply,
                        Outgoing::Running(running) => running.await,
                        Outgoing::Accepted => Ok(McpResponse::none()),
                    }
                }))
            }
        }
    }

    /// The stored session `id`, held by this process or loaded from the session store, if
    /// it is live (and marks it used).
    pub fn session(&self, id: &str) -> MaybeReady<Option<Arc<Session>>> {
        self.engine.sessions.open(id)
    }

    /// Ends the stored session `id` (Streamable HTTP's DELETE): its record is deleted, its
    /// running calls here are cancelled, its requests to the client fail, its stream closes.
    /// `false` if unknown.
    pub fn end_session(&self, id: &str) -> MaybeReady<bool> {
        self.engine.end_session(id)
    }

    /// Tells the engine that a connection-bound transport's client (stdio, legacy SSE) is
    /// gone: the requests its calls sent it fail at once. Its calls run on until the transport
    /// drops them or closes the connection ([`Connection::close`](crate::session::Connection::close)).
    pub fn client_gone(&self, connection: &crate::session::Connection) {
        if let Some(session) = connection.session() {
            self.engine.pending.close_session(session.id());
        }
    }
}

impl std::fmt::Debug for McpService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpService").finish_non_exhaustive()
    }
}

impl tower::Service<McpRequest> for McpService {
    type Response = McpResponse;
    type Error = Rejection;
    type Future = Running;

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Rejection>> {
        // Readiness is the layers' business, inside `call`: a caller never waits on it.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: McpRequest) -> Running {
        match McpService::call(self, request) {
            Outgoing::Ready(reply) => Box::pin(std::future::ready(reply)),
            Outgoing::Running(running) => running,
            Outgoing::Accepted => Box::pin(std::future::ready(Ok(McpResponse::none()))),
        }
    }
}
