//! How the server answers: how long handlers may run, timeouts of requests to the client,
//! caching hints and `requestState` of the 2026 wire, the tasks extension's store and timing.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use super::McpServer;
use crate::exchange::{PendingRequests, StateKey};
use crate::protocol::v2026::CacheScope;
use crate::session::EventStore;
use crate::tasks::TaskStore;

impl McpServer {
    /// How long a handler call may run by default: a `tools/call`, `resources/read` or
    /// `prompts/get` still running after `timeout` is stopped (its future dropped, the
    /// requests it sent the client forgotten, its cancellation token cancelled). Default: no
    /// limit. A handler's own timeout (`#[tool(timeout = "2m")]`, `#[resource(..)]`,
    /// `#[prompt(..)]`, or the definitions' `.timeout(..)`) replaces it for that handler, up
    /// or down.
    ///
    /// A timed-out resource or prompt answers the JSON-RPC error `-32001` naming it and the
    /// timeout ("the prompt `review` did not finish within 2s"). A timed-out tool answers an
    /// error result (`isError: true`) with that text, as a tool that panics does: the tool ran
    /// and failed, and the model is told why. A task tool's body is bounded by the tool's own
    /// timeout only (a task exists to outlive its request); past it the task's result is that
    /// error result. A sync body (`ToolFuture::ready`) has finished before any timeout can
    /// apply; a `#[tool(blocking)]` body's thread runs on, its result dropped.
    ///
    /// This is per handler and knows its name; a `tower::timeout::TimeoutLayer` given to
    /// [`layer`](Self::layer) bounds every request the same way, before any handler is found.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use quickmcp_core::{Arguments, CallContext, Inbound, McpServer, ToolDefinition, ToolFuture, ToolHandler};
    ///
    /// struct Slow;
    ///
    /// impl ToolHandler for Slow {
    ///     fn definition(&self) -> ToolDefinition {
    ///         ToolDefinition::new("slow", "Takes its time.")
    ///     }
    ///     fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
    ///         ToolFuture::pending(async {
    ///             tokio::time::sleep(Duration::from_secs(3600)).await;
    ///             "done"
    ///         })
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let server = McpServer::new("demo");
    /// server.add_tool(Arc::new(Slow)).unwrap();
    /// server.call_timeout(Duration::from_millis(50));
    ///
    /// let call = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow"}}"#;
    /// let reply = server.service().handle(call, Inbound::default()).resolve().await;
    /// let body = reply.unwrap().unwrap().into_body();
    /// let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    /// assert_eq!(answer["result"]["isError"], true);
    /// assert_eq!(
    ///     answer["result"]["content"][0]["text"],
    ///     "the tool `slow` did not finish within 50ms"
    /// );
    /// assert_eq!(server.stats().running_calls, 0);
    /// # }
    /// ```
    ///
    /// # Panics
    /// On a zero duration, which would fail every call (a builder misuse, as for a
    /// definition's timeout).
    #[track_caller]
    pub fn call_timeout(&self, timeout: Duration) {
        assert!(
            !timeout.is_zero(),
            "a call timeout of zero would fail every call: give a positive duration"
        );
        // Kept in whole milliseconds, at least one: zero stands for no limit.
        let ms = u64::try_from(timeout.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        self.engine.call_timeout_ms.store(ms, Ordering::Relaxed);
    }

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
