//! How the server answers: timeouts of requests to the client, caching hints and
//! `requestState` of the 2026 wire, the tasks extension's store and timing.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::McpServer;
use crate::exchange::{PendingRequests, StateKey};
use crate::protocol::v2026::CacheScope;
use crate::session::EventStore;
use crate::tasks::TaskStore;

impl McpServer {
    /// How long a tool waits for the client to answer `ctx.sample`, `ctx.elicit` or
    /// `ctx.list_roots` (default 60 s).
    ///
    /// ```
    /// let server = quickmcp_core::McpServer::new("demo");
    /// server.set_client_request_timeout(std::time::Duration::from_secs(300));
    /// assert_eq!(server.pending_requests().timeout().as_secs(), 300);
    /// ```
    pub fn set_client_request_timeout(&self, timeout: Duration) {
        self.engine.pending.set_timeout(timeout);
    }

    /// The server→client requests awaiting an answer.
    pub fn pending_requests(&self) -> &Arc<PendingRequests> {
        &self.engine.pending
    }

    /// Where the events of resumable SSE streams are kept (default: a
    /// [`MemoryEventStore`](crate::session::MemoryEventStore) with its default bounds, 1 MiB
    /// per session and 64 MiB in all). A session's events are freed when it ends or expires.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quickmcp_core::session::{EventStoreLimits, MemoryEventStore};
    ///
    /// let store = MemoryEventStore::new(EventStoreLimits { per_session: 64 << 10, total: 16 << 20 });
    /// quickmcp_core::McpServer::new("demo").set_event_store(Arc::new(store));
    /// ```
    pub fn set_event_store(&self, store: Arc<dyn EventStore>) {
        self.engine.sessions.set_event_store(Some(store));
    }

    /// Records the OpenTelemetry metrics (`mcp.server.operation.duration`,
    /// `mcp.server.session.duration`; feature `otel`) with instruments from `meter`. Without
    /// it, the server takes the global meter provider's `quickmcp` meter on its first request:
    /// install that provider before serving, or call this. Takes effect for the requests and
    /// sessions that start after it.
    ///
    /// ```
    /// let server = quickmcp_core::McpServer::new("demo");
    /// server.set_meter(&opentelemetry::global::meter("my-server"));
    /// ```
    #[cfg(feature = "otel")]
    pub fn set_meter(&self, meter: &opentelemetry::metrics::Meter) {
        self.engine.telemetry.set_meter(meter);
    }

    /// Sets the caching hints (`ttlMs`, `cacheScope`) sent with `server/discover`, the four
    /// lists and `resources/read` on the 2026 wire. Default: `0` ms, public. A resource's own
    /// [`CacheHint`](crate::CacheHint) replaces them on its reads.
    ///
    /// ```
    /// use quickmcp_core::{CacheScope, McpServer};
    ///
    /// McpServer::new("demo").set_cache_hints(60_000, CacheScope::Public);
    /// ```
    pub fn set_cache_hints(&self, ttl_ms: u64, scope: CacheScope) {
        self.engine.cache.set(ttl_ms, scope);
    }

    /// Sets the key that signs `requestState` on the 2026 wire (MRTR, HMAC-SHA256). By default
    /// each server picks a random key at start, so a state is valid only with the process that
    /// issued it: set the same key on every replica behind a load balancer, and keep it secret.
    ///
    /// ```
    /// quickmcp_core::McpServer::new("demo").set_request_state_key(b"a long random secret");
    /// ```
    pub fn set_request_state_key(&self, key: &[u8]) {
        *self.engine.state_key.lock() = StateKey::new(key);
    }

    /// Sets how long a `requestState` stays valid on the 2026 wire (MRTR; default 10 minutes).
    /// The state carries the time it was issued, under the signature; a retry that echoes an
    /// older one gets `-32602` ("`requestState` expired", `data.reason: "expired"`) and must
    /// start the request again without it. [`Duration::ZERO`] refuses every retry. Replicas
    /// behind a load balancer need roughly synchronized clocks.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// quickmcp_core::McpServer::new("demo").set_request_state_max_age(Duration::from_secs(120));
    /// ```
    pub fn set_request_state_max_age(&self, max_age: Duration) {
        let ms = u64::try_from(max_age.as_millis()).unwrap_or(u64::MAX);
        self.engine.state_max_age_ms.store(ms, Ordering::Relaxed);
    }

    /// How long a `requestState` stays valid (see
    /// [`set_request_state_max_age`](Self::set_request_state_max_age)).
    pub fn request_state_max_age(&self) -> Duration {
        self.engine.request_state_max_age()
    }

    /// Replaces the store that keeps task records (default: a
    /// [`MemoryTaskStore`](crate::tasks::MemoryTaskStore)). Tasks in the old store are
    /// forgotten.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quickmcp_core::tasks::MemoryTaskStore;
    ///
    /// quickmcp_core::McpServer::new("demo").set_task_store(Arc::new(MemoryTaskStore::new()));
    /// ```
    pub fn set_task_store(&self, store: Arc<dyn TaskStore>) {
        self.engine.tasks.set_store(store);
    }

    /// Sets the `ttlMs` (how long a task stays readable after its creation; `None`: forever)
    /// and `pollIntervalMs` of new tasks. Default: one hour, one second.
    ///
    /// ```
    /// quickmcp_core::McpServer::new("demo").set_task_timing(Some(600_000), 500);
    /// ```
    pub fn set_task_timing(&self, ttl_ms: Option<u64>, poll_interval_ms: u64) {
        self.engine.tasks.set_timing(ttl_ms, poll_interval_ms);
    }
}
