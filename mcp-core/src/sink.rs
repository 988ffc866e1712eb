//! [`MessageSink`]: where a request's messages go before its response, or a session's
//! messages outside any request. Each transport implements it.

use bytes::Bytes;

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
