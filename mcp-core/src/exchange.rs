//! What a transport hands the core with each request, and how the core talks back mid-request.

use std::sync::Arc;

use bytes::Bytes;
use http::request::Parts;
use http::{Extensions, HeaderMap};
use tokio_util::sync::CancellationToken;

use crate::jsonrpc::RequestId;
use crate::session::Session;

/// Where the messages a request emits before its response go: its SSE stream, stdout, or the
/// session's legacy SSE stream. Implemented by each transport.
pub trait MessageSink: Send + Sync + 'static {
    /// Queues one serialized JSON-RPC notification or request. `false` once the stream is gone.
    fn send(&self, message: Bytes) -> bool;

    /// Closes the stream now, while the request keeps running, so that the client reconnects
    /// and resumes it (SSE polling, MCP 2025-11-25). `false` (the default) when this stream
    /// cannot be resumed, in which case it stays open.
    fn close(&self) -> bool {
        false
    }
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
}

/// Everything the core knows about one request while serving it.
pub struct RequestContext {
    pub(crate) id: RequestId,
    pub(crate) inbound: Inbound,
    pub(crate) progress_token: Option<RequestId>,
    pub(crate) cancel: CancellationToken,
    pub(crate) state: Arc<Extensions>,
}

impl RequestContext {
    pub(crate) fn new(
        id: RequestId,
        inbound: Inbound,
        progress_token: Option<RequestId>,
        state: Arc<Extensions>,
    ) -> Self {
        Self {
            id,
            inbound,
            progress_token,
            cancel: CancellationToken::new(),
            state,
        }
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
