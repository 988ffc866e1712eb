//! [`Server`]: the builder users hold, and how it runs.

mod lists;

use std::sync::Arc;
use std::time::Duration;

use quickmcp_core::{
    CacheScope, Icon, IntoToolBox, McpServer, PromptHandler, SessionConfig, ToolHandler,
};

/// An MCP server: register tools (and custom routes), then run it or mount its HTTP app.
///
/// A `Server` is a cheap handle: clones share the same tools and sessions.
///
/// ```no_run
/// use quickmcp::prelude::*;
///
/// /// Add two integers.
/// #[tool]
/// fn add(a: i64, b: i64) -> i64 {
///     a + b
/// }
///
/// # async fn run() -> quickmcp::Result<()> {
/// Server::new("calculator").version("1.0.0").tool(add).run().await
/// # }
/// ```
#[derive(Clone)]
pub struct Server {
    core: McpServer,
    #[cfg(feature = "http")]
    routes: Vec<quickmcp_http::Route>,
}

impl Server {
    /// A server named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            core: McpServer::new(name),
            #[cfg(feature = "http")]
            routes: Vec::new(),
        }
    }

    /// Sets `serverInfo.version`.
    #[must_use]
    pub fn version(self, version: impl Into<String>) -> Self {
        self.core
            .configure_info(|info| info.implementation.version = version.into());
        self
    }

    /// Sets `serverInfo.title`, the display name.
    #[must_use]
    pub fn title(self, title: impl Into<String>) -> Self {
        self.core
            .configure_info(|info| info.implementation.title = Some(title.into()));
        self
    }

    /// Sets `serverInfo.websiteUrl`.
    #[must_use]
    pub fn website_url(self, url: impl Into<String>) -> Self {
        self.core
            .configure_info(|info| info.implementation.website_url = Some(url.into()));
        self
    }

    /// Adds an icon to `serverInfo`.
    #[must_use]
    pub fn icon(self, icon: Icon) -> Self {
        self.core.add_icon(icon);
        self
    }

    /// Sets the `instructions` the client may give the model.
    #[must_use]
    pub fn instructions(self, instructions: impl Into<String>) -> Self {
        self.core
            .configure_info(|info| info.instructions = Some(instructions.into()));
        self
    }

    /// Registers a tool: a `#[tool]` function, or any [`ToolHandler`].
    ///
    /// # Panics
    /// If a tool with the same name is registered, the name is not 1 to 128 of
    /// `A-Z a-z 0-9 _ - .`, or its input schema declares an invalid `x-mcp-header`.
    #[must_use]
    #[track_caller]
    pub fn tool(self, tool: impl ToolHandler) -> Self {
        if let Err(e) = self.core.add_tool(Arc::new(tool)) {
            panic!("{e}");
        }
        self
    }

    /// Registers every `#[tool]` method of a `#[tools]` impl block; the instance is shared by
    /// all calls (pass an `Arc` to keep a handle yourself).
    ///
    /// # Panics
    /// As [`Server::tool`].
    #[must_use]
    #[track_caller]
    pub fn tools(self, toolbox: impl IntoToolBox) -> Self {
        if let Err(e) = self.core.add_tools(toolbox.into_shared()) {
            panic!("{e}");
        }
        self
    }

    /// Registers a resource: a `#[resource]` function (a static URI, or a template with
    /// `{placeholders}`), or any [`ResourceHandler`](quickmcp_core::ResourceHandler) or
    /// [`ResourceTemplateHandler`](quickmcp_core::ResourceTemplateHandler).
    ///
    /// ```no_run
    /// use quickmcp::prelude::*;
    ///
    /// /// The project's readme.
    /// #[resource("docs://readme", mime_type = "text/markdown")]
    /// fn readme() -> &'static str {
    ///     "# Hello"
    /// }
    ///
    /// /// One user's profile, as JSON.
    /// #[resource("users://{id}/profile")]
    /// fn profile(id: u32) -> Structured<serde_json::Value> {
    ///     Structured(serde_json::json!({ "id": id }))
    /// }
    ///
    /// # async fn run() -> quickmcp::Result<()> {
    /// Server::new("docs").resource(readme).resource(profile).run().await
    /// # }
    /// ```
    ///
    /// # Panics
    /// If a resource with the same URI (or a template with the same URI template) is
    /// registered, or the template is not RFC 6570 level 1.
    #[must_use]
    #[track_caller]
    pub fn resource<M>(self, resource: impl crate::Resource<M>) -> Self {
        if let Err(e) = resource.register(&self.core) {
            panic!("{e}");
        }
        self
    }

    /// Registers a prompt: a `#[prompt]` function, or any [`PromptHandler`].
    ///
    /// ```no_run
    /// use quickmcp::prelude::*;
    ///
    /// /// Ask for a code review.
    /// #[prompt]
    /// fn review(#[arg(description = "The code to review")] code: String) -> String {
    ///     format!("Please review this code:\n\n{code}")
    /// }
    ///
    /// # async fn run() -> quickmcp::Result<()> {
    /// Server::new("reviews").prompt(review).run().await
    /// # }
    /// ```
    ///
    /// # Panics
    /// If a prompt with the same name is registered.
    #[must_use]
    #[track_caller]
    pub fn prompt(self, prompt: impl PromptHandler) -> Self {
        if let Err(e) = self.core.add_prompt(Arc::new(prompt)) {
            panic!("{e}");
        }
        self
    }

    /// Makes `value` available to tools as `State<T>`.
    #[must_use]
    pub fn state<T: Clone + Send + Sync + 'static>(self, value: T) -> Self {
        self.core.insert_state(value);
        self
    }

    /// Splits `tools/list`, `resources/list`, `resources/templates/list` and `prompts/list`
    /// into pages of `size` (default: everything in one page).
    #[must_use]
    pub fn page_size(self, size: usize) -> Self {
        self.core.set_page_size(size);
        self
    }

    /// Serves only what has at least one of `tags` (FastMCP's `include_tags`): tools,
    /// resources, templates and prompts without one are neither listed nor callable. A
    /// session can still be shown them ([`Context::show`](crate::Context::show)). Change it
    /// at runtime with [`set_include_tags`](Self::set_include_tags).
    ///
    /// ```
    /// use quickmcp::prelude::*;
    ///
    /// /// Public.
    /// #[tool(tags = ["public"])]
    /// fn ping() -> &'static str { "pong" }
    ///
    /// /// Internal.
    /// #[tool]
    /// fn debug_dump() -> &'static str { "..." }
    ///
    /// let server = Server::new("demo").tool(ping).tool(debug_dump).include_tags(["public"]);
    /// ```
    #[must_use]
    pub fn include_tags<I, S>(self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.include_tags(tags);
        self
    }

    /// Hides everything that has any of `tags` (FastMCP's `exclude_tags`); it wins over
    /// [`include_tags`](Self::include_tags). A session can be shown them again, e.g. by a
    /// `login` tool calling [`ctx.show(Selector::tag("admin"))`](crate::Context::show).
    /// Change it at runtime with [`set_exclude_tags`](Self::set_exclude_tags).
    ///
    /// ```
    /// use quickmcp::prelude::*;
    ///
    /// /// Drop everything.
    /// #[tool(tags = ["admin"], destructive)]
    /// fn drop_all() -> &'static str { "dropped" }
    ///
    /// /// Unlock the admin tools for this session.
    /// #[tool]
    /// fn login(password: String, ctx: Context) -> Result<&'static str, String> {
    ///     if password != "hunter2" {
    ///         return Err("wrong password".into());
    ///     }
    ///     ctx.show(Selector::tag("admin"));
    ///     Ok("admin tools unlocked")
    /// }
    ///
    /// let server = Server::new("demo").tool(drop_all).tool(login).exclude_tags(["admin"]);
    /// ```
    #[must_use]
    pub fn exclude_tags<I, S>(self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.exclude_tags(tags);
        self
    }

    /// How long clients of the 2026-07-28 wire may cache `server/discover`, the four lists and
    /// `resources/read` (`ttlMs`), and whether only the asking client may (`cacheScope`).
    /// Default: 0 ms, public. A resource can set its own for its reads:
    /// `#[resource("uri", ttl_ms = 60000, cache_scope = "private")]`, or
    /// [`ResourceDefinition::cache_ttl`](crate::ResourceDefinition::cache_ttl) and
    /// [`cache_scope`](crate::ResourceDefinition::cache_scope).
    ///
    /// ```
    /// use quickmcp::{CacheScope, Server};
    ///
    /// let server = Server::new("docs").cache_hints(60_000, CacheScope::Public);
    /// ```
    #[must_use]
    pub fn cache_hints(self, ttl_ms: u64, scope: CacheScope) -> Self {
        self.core.set_cache_hints(ttl_ms, scope);
        self
    }

    /// Keeps task records (the tasks extension, 2026-07-28) in `store` instead of the default
    /// in-memory one (see [`quickmcp_core::tasks`]).
    ///
    /// ```
    /// use quickmcp::core::tasks::MemoryTaskStore;
    /// use quickmcp::Server;
    ///
    /// let server = Server::new("jobs").task_store(MemoryTaskStore::new().max_tasks(1_000));
    /// ```
    #[must_use]
    pub fn task_store(self, store: impl quickmcp_core::tasks::TaskStore) -> Self {
        self.core.set_task_store(std::sync::Arc::new(store));
        self
    }

    /// Sets the `ttlMs` (how long a task stays readable; `None`: forever) and `pollIntervalMs`
    /// of new tasks. Default: one hour, one second.
    ///
    /// ```
    /// let server = quickmcp::Server::new("jobs").task_timing(Some(600_000), 500);
    /// ```
    #[must_use]
    pub fn task_timing(self, ttl_ms: Option<u64>, poll_interval_ms: u64) -> Self {
        self.core.set_task_timing(ttl_ms, poll_interval_ms);
        self
    }

    /// Drops sessions idle for longer than `timeout` (default 30 minutes).
    #[must_use]
    pub fn session_idle_timeout(self, timeout: Duration) -> Self {
        let config = SessionConfig {
            idle_timeout: timeout,
            ..self.core.sessions().config()
        };
        self.core.configure_sessions(config);
        self
    }

    /// Refuses new sessions beyond `max` (default 100,000).
    #[must_use]
    pub fn max_sessions(self, max: usize) -> Self {
        let config = SessionConfig {
            max_sessions: max,
            ..self.core.sessions().config()
        };
        self.core.configure_sessions(config);
        self
    }

    /// How long a `requestState` of the 2026 wire stays valid (default 10 minutes): an MRTR
    /// retry echoing an older one gets `-32602` ("`requestState` expired") and must start again.
    /// See [`McpServer::set_request_state_max_age`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use quickmcp::Server;
    ///
    /// let server = Server::new("booking").request_state_max_age(Duration::from_secs(120));
    /// ```
    #[must_use]
    pub fn request_state_max_age(self, max_age: Duration) -> Self {
        self.core.set_request_state_max_age(max_age);
        self
    }

    /// How long a handler call may run unless it sets its own `timeout`
    /// (`#[tool(timeout = "2m")]`); default: no limit. A timed-out tool answers an error
    /// result naming it, a resource or prompt the JSON-RPC error `-32001`. See
    /// [`McpServer::call_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use quickmcp::Server;
    ///
    /// let server = Server::new("demo").call_timeout(Duration::from_secs(30));
    /// ```
    #[must_use]
    pub fn call_timeout(self, timeout: Duration) -> Self {
        self.core.call_timeout(timeout);
        self
    }

    /// Records the OpenTelemetry metrics (feature `otel`: `mcp.server.operation.duration`,
    /// `mcp.server.session.duration`) with instruments from `meter` instead of the global
    /// meter provider's `quickmcp` meter. See [`McpServer::set_meter`] and
    /// `docs/observability.md`.
    ///
    /// ```
    /// use quickmcp::Server;
    ///
    /// let server = Server::new("demo").meter(&opentelemetry::global::meter("demo"));
    /// ```
    #[cfg(feature = "otel")]
    #[must_use]
    pub fn meter(self, meter: &opentelemetry::metrics::Meter) -> Self {
        self.core.set_meter(meter);
        self
    }

    /// Applies a [`tower::Layer`] to every MCP request on every transport (see
    /// [`McpServer::layer`]): timeouts, concurrency and rate limits, load shedding, your own
    /// middleware. The layer added last sees a request first.
    ///
    /// ```
    /// use std::time::Duration;
    /// use quickmcp::prelude::*;
    ///
    /// let server = Server::new("demo")
    ///     .layer(tower::timeout::TimeoutLayer::new(Duration::from_secs(30)))
    ///     .layer(tower::limit::ConcurrencyLimitLayer::new(64));
    /// ```
    #[must_use]
    pub fn layer<L>(self, layer: L) -> Self
    where
        L: tower::Layer<quickmcp_core::BoxMcpService> + Send + Sync + 'static,
        L::Service: tower::Service<quickmcp_core::McpRequest, Response = quickmcp_core::McpResponse>
            + Send
            + 'static,
        <L::Service as tower::Service<quickmcp_core::McpRequest>>::Error:
            Into<tower::BoxError> + 'static,
        <L::Service as tower::Service<quickmcp_core::McpRequest>>::Future: Send + 'static,
    {
        self.core.layer(layer);
        self
    }

    /// The engine, for hand-written transports and runtime changes.
    pub fn core(&self) -> &McpServer {
        &self.core
    }

    /// Serves one client over stdin/stdout until stdin closes or the process gets Ctrl-C or
    /// SIGTERM. Logs must go to stderr: stdout carries only MCP messages.
    ///
    /// When stdin and stdout are pipes (a client spawned the server) they are driven by the
    /// runtime's reactor. A current-thread runtime (`#[tokio::main(flavor = "current_thread")]`)
    /// suits this single client best: on a multi-thread runtime every message also wakes
    /// another worker thread, which costs about 40% of the round trips (`bench/README.md`).
    pub async fn run(&self) -> crate::Result<()> {
        let service = self.core.service();
        tokio::select! {
            served = quickmcp_core::serve_stdio(&service) => Ok(served?),
            () = shutdown_signal() => Ok(()),
        }
    }
}

#[cfg(feature = "http")]
mod http {
    use quickmcp_http::{CustomRoute, HttpOptions};
    use tokio::net::TcpListener;

    use super::{shutdown_signal, Server};

    impl Server {
        /// Adds a custom route (a `#[custom_route]` function or a [`quickmcp_http::Route`]),
        /// served beside the MCP endpoint wherever the app is mounted.
        #[must_use]
        pub fn route(mut self, route: impl CustomRoute) -> Self {
            self.routes.push(route.into_route());
            self
        }

        /// The HTTP app with default options: Streamable HTTP at `/mcp`, plus custom routes.
        /// Mount it anywhere with `Router::nest`; nothing else needs starting.
        pub fn http_app(&self) -> axum::Router {
            self.http_app_with(HttpOptions::new())
        }

        /// The HTTP app with `options` (path, transport, middleware, JSON responses, stateless
        /// mode, allowed hosts and origins).
        pub fn http_app_with(&self, options: HttpOptions) -> axum::Router {
            quickmcp_http::router(self.core.clone(), self.routes.clone(), options)
        }

        /// Serves [`Server::http_app`] on `addr` until Ctrl-C or SIGTERM, then shuts down
        /// gracefully.
        pub async fn run_http(&self, addr: &str) -> crate::Result<()> {
            self.run_http_with(addr, HttpOptions::new()).await
        }

        /// Serves [`Server::http_app_with`] on `addr` until Ctrl-C or SIGTERM. With
        /// [`HttpOptions::auth`] (feature `auth`), the Protected Resource Metadata is served
        /// too, at the host's root.
        pub async fn run_http_with(&self, addr: &str, options: HttpOptions) -> crate::Result<()> {
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|source| crate::Error::Bind {
                    addr: addr.to_owned(),
                    source,
                })?;
            let local = listener.local_addr()?;
            let path = options.endpoint_path().to_owned();
            let legacy = options
                .legacy_sse_path()
                .map(|sse| format!("http://{local}{sse}"));
            #[cfg(feature = "auth")]
            let well_known = options
                .auth_config()
                .map(quickmcp_http::auth::well_known_router);
            #[allow(unused_mut)]
            let mut app = self.http_app_with(options.bound_to(local));
            #[cfg(feature = "auth")]
            if let Some(well_known) = well_known {
                app = app.merge(well_known);
            }
            tracing::info!(
                endpoint = %format!("http://{local}{path}"),
                legacy_sse = legacy.as_deref().map(tracing::field::display),
                "serving MCP"
            );
            quickmcp_http::serve(listener, app, shutdown_signal()).await?;
            Ok(())
        }
    }
}

/// Completes on Ctrl-C or SIGTERM: the signal [`Server::run`] and [`Server::run_http`] stop on,
/// for apps that serve the router themselves.
///
/// ```no_run
/// # async fn serve(app: axum::Router) -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
/// quickmcp::http::serve(listener, app, quickmcp::shutdown_signal()).await
/// # }
/// ```
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
