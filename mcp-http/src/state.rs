//! What every handler of one app shares, and the shutdown signal `serve` hands them.

use std::sync::Arc;
use std::time::Duration;

use quickmcp_core::{McpServer, McpService};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

use crate::sse::{LiveStreams, Streams};
use crate::sse_legacy::connections::Connections;

/// What every handler of one app shares.
pub(crate) struct HttpState {
    pub(crate) server: McpServer,
    pub(crate) service: McpService,
    pub(crate) json_response: bool,
    pub(crate) stateless: bool,
    pub(crate) body_limit: usize,
    pub(crate) keep_alive: Duration,
    pub(crate) message_path: String,
    pub(crate) legacy: Connections,
    /// Whether slow calls get resumable streams (the sessions have an event store).
    pub(crate) resumable: bool,
    /// The `retry` announced on resumable streams.
    pub(crate) retry: Duration,
    pub(crate) live: Arc<LiveStreams>,
    /// The long-lived streams open now (GET, legacy SSE, `subscriptions/listen`).
    pub(crate) streams: Arc<Streams>,
    /// The bytes a long-lived stream may hold for a client that does not read.
    pub(crate) stream_backlog: usize,
}

/// Set on requests by [`serve`](crate::serve): fires when the server shuts down, so that
/// long-lived streams end and graceful shutdown can complete. Behind an `Arc`: every request
/// gets a clone, and a token's own clone and drop each take the token tree's lock.
#[derive(Clone)]
pub(crate) struct Shutdown(pub(crate) Arc<CancellationToken>);

/// What fires when the server shuts down, if it was served by [`serve`](crate::serve).
pub(crate) fn shutdown_of(extensions: &http::Extensions) -> Option<WaitForCancellationFutureOwned> {
    extensions
        .get::<Shutdown>()
        .map(|s| CancellationToken::clone(&s.0).cancelled_owned())
}
