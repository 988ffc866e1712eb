//! [`HttpOptions`]: how the HTTP app is shaped (path, transport, middleware, security).

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;

/// Which HTTP transport the app serves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    /// Streamable HTTP (MCP 2025-03-26 and later) at one endpoint, `/mcp` by default.
    #[default]
    StreamableHttp,
    /// The legacy HTTP+SSE transport (MCP 2024-11-05): `GET /sse` opens the stream, and the
    /// client POSTs to the endpoint the stream announces.
    Sse,
}

type ApplyLayer = Box<dyn FnOnce(Router) -> Router + Send>;

/// Options of [`router`](crate::router).
///
/// ```
/// use quickmcp_http::{HttpOptions, Transport};
/// use tower_http::cors::CorsLayer;
///
/// let options = HttpOptions::new()
///     .path("/custom-mcp-path")
///     .transport(Transport::StreamableHttp)
///     .json_response(true)
///     .layer(CorsLayer::permissive());
/// assert_eq!(options.endpoint_path(), "/custom-mcp-path");
/// ```
pub struct HttpOptions {
    pub(crate) path: Option<String>,
    pub(crate) message_path: String,
    pub(crate) transport: Transport,
    pub(crate) legacy_sse: bool,
    pub(crate) sse_path: Option<String>,
    pub(crate) json_response: bool,
    pub(crate) stateless: bool,
    pub(crate) allowed_hosts: Vec<String>,
    pub(crate) allowed_origins: Vec<String>,
    pub(crate) rebinding_protection: Option<bool>,
    pub(crate) body_limit: usize,
    pub(crate) keep_alive: Duration,
    pub(crate) max_streams: usize,
    pub(crate) stream_backlog: usize,
    pub(crate) retry: Duration,
    pub(crate) resumable: bool,
    pub(crate) bound: Option<SocketAddr>,
    pub(crate) layers: Vec<ApplyLayer>,
    #[cfg(feature = "auth")]
    pub(crate) auth: Option<crate::auth::AuthConfig>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            path: None,
            message_path: "/messages".into(),
            transport: Transport::default(),
            legacy_sse: false,
            sse_path: None,
            json_response: false,
            stateless: false,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            rebinding_protection: None,
            body_limit: 4 << 20,
            keep_alive: Duration::from_secs(15),
            max_streams: 10_000,
            stream_backlog: 1 << 20,
            retry: Duration::from_secs(1),
            resumable: true,
            bound: None,
            layers: Vec::new(),
            #[cfg(feature = "auth")]
            auth: None,
        }
    }
}

impl HttpOptions {
    /// The defaults: Streamable HTTP at `/mcp`, SSE responses, sessions, DNS-rebinding
    /// protection for local hosts, 4 MiB body limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// The endpoint's path (default `/mcp`, or `/sse` for [`Transport::Sse`]).
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Where legacy SSE clients POST their messages (default `/messages`).
    #[must_use]
    pub fn message_path(mut self, path: impl Into<String>) -> Self {
        self.message_path = path.into();
        self
    }

    /// The transport.
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Also serve the legacy HTTP+SSE transport (MCP 2024-11-05) beside Streamable HTTP, on
    /// the same server state: `GET /sse` (see [`sse_path`](Self::sse_path)) opens a legacy
    /// stream whose `endpoint` event points at [`message_path`](Self::message_path), while the
    /// Streamable HTTP endpoint keeps serving 2025 sessions and the 2026-07-28 stateless wire.
    /// One app then reaches clients of every era. Off by default; it has no effect with
    /// [`Transport::Sse`], which serves only the legacy transport.
    ///
    /// ```
    /// use quickmcp_http::HttpOptions;
    ///
    /// // `/mcp` (2025 sessions and the 2026 wire), `/sse` + `/messages` (2024-11-05).
    /// let options = HttpOptions::new().legacy_sse(true);
    /// assert_eq!(options.endpoint_path(), "/mcp");
    /// assert_eq!(options.legacy_sse_path(), Some("/sse"));
    /// ```
    #[must_use]
    pub fn legacy_sse(mut self, on: bool) -> Self {
        self.legacy_sse = on;
        self
    }

    /// Where legacy SSE clients open their stream when [`legacy_sse`](Self::legacy_sse) is on
    /// (default `/sse`).
    #[must_use]
    pub fn sse_path(mut self, path: impl Into<String>) -> Self {
        self.sse_path = Some(path.into());
        self
    }

    /// Answer requests with one `application/json` body instead of an SSE stream. Progress
    /// and log messages of a call are then not delivered.
    #[must_use]
    pub fn json_response(mut self, json: bool) -> Self {
        self.json_response = json;
        self
    }

    /// Serve without sessions: no `Mcp-Session-Id`, every POST stands alone, GET and DELETE
    /// answer 405.
    #[must_use]
    pub fn stateless(mut self, stateless: bool) -> Self {
        self.stateless = stateless;
        self
    }

    /// Also admit these `Host` values (`example.com`, `example.com:8443`); a name without a
    /// port admits any port.
    #[must_use]
    pub fn allowed_hosts<I: IntoIterator<Item = S>, S: Into<String>>(mut self, hosts: I) -> Self {
        self.allowed_hosts.extend(hosts.into_iter().map(Into::into));
        self
    }

    /// Also admit these `Origin` values (`https://app.example.com`), or `"*"` for any.
    #[must_use]
    pub fn allowed_origins<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        origins: I,
    ) -> Self {
        self.allowed_origins
            .extend(origins.into_iter().map(Into::into));
        self
    }

    /// Forces DNS-rebinding protection on or off. By default it is on, except when the
    /// server was bound (by `run_http`) to a non-loopback address with no allow-list.
    #[must_use]
    pub fn dns_rebinding_protection(mut self, enabled: bool) -> Self {
        self.rebinding_protection = Some(enabled);
        self
    }

    /// The largest request body accepted (default 4 MiB); larger ones get 413.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How often idle SSE streams get a keep-alive comment (default 15 s).
    #[must_use]
    pub fn keep_alive(mut self, every: Duration) -> Self {
        self.keep_alive = every;
        self
    }

    /// The most long-lived SSE streams open at once, in all: standalone GET streams, legacy
    /// SSE connections and `subscriptions/listen` streams (default 10,000). One more is
    /// answered 503 with `Retry-After: 1` and `-32010` naming the limit.
    ///
    /// ```
    /// use quickmcp_http::HttpOptions;
    ///
    /// let options = HttpOptions::new().max_streams(500);
    /// ```
    ///
    /// # Panics
    /// If `max` is zero: every stream would be refused.
    #[must_use]
    pub fn max_streams(mut self, max: usize) -> Self {
        assert!(
            max > 0,
            "max_streams(0) refuses every stream: give a positive limit"
        );
        self.max_streams = max;
        self
    }

    /// The bytes a long-lived stream (GET, legacy SSE, `subscriptions/listen`) may queue for a
    /// client that stops reading (default 1 MiB). Past it the stream's messages are dropped,
    /// not held: memory stays bounded whatever the client does. On a session with an event
    /// store (the default), the dropped messages stay in the store, and the client gets them by
    /// resuming with `Last-Event-ID`; once it reads again, new messages flow.
    ///
    /// ```
    /// use quickmcp_http::HttpOptions;
    ///
    /// let options = HttpOptions::new().stream_backlog(256 << 10);
    /// ```
    #[must_use]
    pub fn stream_backlog(mut self, bytes: usize) -> Self {
        self.stream_backlog = bytes;
        self
    }

    /// Turns resumable streams on or off (default on). When on, a call that does not answer at
    /// once streams events with ids through the event store, a client reconnecting with
    /// `Last-Event-ID` gets what it missed, and a tool may close its stream to make the client
    /// poll ([`Context::close_sse_stream`](quickmcp_core::Context::close_sse_stream)).
    #[must_use]
    pub fn resumable(mut self, on: bool) -> Self {
        self.resumable = on;
        self
    }

    /// The reconnection delay resumable streams announce in their `retry` field (default 1 s):
    /// how long a client waits before reconnecting after the server closed a stream.
    #[must_use]
    pub fn retry(mut self, after: Duration) -> Self {
        self.retry = after;
        self
    }

    /// Applies a tower layer (CORS, auth, tracing, timeouts...) to the MCP endpoint and the
    /// custom routes. Layers apply in the order given, the last outermost.
    #[must_use]
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Error:
            Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.layers
            .push(Box::new(move |router: Router| router.layer(layer)));
        self
    }

    /// Records the address the server is bound to, which decides the default of
    /// DNS-rebinding protection.
    #[must_use]
    pub fn bound_to(mut self, addr: SocketAddr) -> Self {
        self.bound = Some(addr);
        self
    }

    /// The endpoint path clients connect to.
    pub fn endpoint_path(&self) -> &str {
        match (&self.path, self.transport) {
            (Some(path), _) => path,
            (None, Transport::StreamableHttp) => "/mcp",
            (None, Transport::Sse) => "/sse",
        }
    }

    /// The path of the legacy SSE stream served beside Streamable HTTP, when
    /// [`legacy_sse`](Self::legacy_sse) is on.
    pub fn legacy_sse_path(&self) -> Option<&str> {
        match self.transport {
            Transport::StreamableHttp if self.legacy_sse => {
                Some(self.sse_path.as_deref().unwrap_or("/sse"))
            }
            _ => None,
        }
    }
}

impl std::fmt::Debug for HttpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpOptions")
            .field("path", &self.endpoint_path())
            .field("transport", &self.transport)
            .field("legacy_sse", &self.legacy_sse_path())
            .field("json_response", &self.json_response)
            .field("stateless", &self.stateless)
            .field("resumable", &self.resumable)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "auth")]
impl HttpOptions {
    /// Protects the MCP endpoints with OAuth: every request needs a bearer token that
    /// `config`'s verifier accepts for its resource, 2025 sessions are bound to the principal
    /// that created them, and tools get the [`Principal`](quickmcp_core::Principal). Custom
    /// routes are not covered (put an [`AuthLayer`](crate::auth::AuthLayer) on them if they need it). Serve
    /// [`well_known_router`](crate::auth::well_known_router) beside the app (`Server::run_http_with` does).
    ///
    /// ```
    /// use quickmcp_http::auth::{AuthConfig, StaticTokenVerifier};
    /// use quickmcp_http::HttpOptions;
    /// use quickmcp_core::Principal;
    ///
    /// let auth = AuthConfig::builder("http://127.0.0.1:8000/mcp")
    ///     .authorization_server("http://127.0.0.1:9000")
    ///     .verifier(StaticTokenVerifier::new().token("dev", Principal::new("dev", "me")))
    ///     .build()
    ///     .unwrap();
    /// let options = HttpOptions::new().auth(auth);
    /// assert!(options.auth_config().is_some());
    /// ```
    #[must_use]
    pub fn auth(mut self, config: crate::auth::AuthConfig) -> Self {
        self.auth = Some(config);
        self
    }

    /// The authorization set with [`auth`](Self::auth), if any.
    pub fn auth_config(&self) -> Option<&crate::auth::AuthConfig> {
        self.auth.as_ref()
    }
}
