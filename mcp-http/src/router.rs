//! Builds the app: the MCP endpoint(s), the custom routes, the user's layers.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use quickmcp_core::McpServer;

use crate::layer::host_guard::{HostGuard, HostGuardLayer};
use crate::options::{HttpOptions, Transport};
use crate::route::Route;
use crate::state::HttpState;
use crate::{sse_legacy, streamable};

/// The HTTP app of `server`: the MCP endpoint for `options.transport`, plus `routes`, with
/// `options`' layers around both. Nothing needs starting: mount it with `Router::nest` or
/// serve it as is.
///
/// ```
/// use quickmcp_core::McpServer;
/// use quickmcp_http::{router, HttpOptions};
///
/// let app: axum::Router = axum::Router::new()
///     .route("/status", axum::routing::get(|| async { "up" }))
///     .nest("/mcp-server", router(McpServer::new("demo"), Vec::new(), HttpOptions::new()));
/// ```
///
/// # Panics
/// If a custom route uses the path of one of the MCP endpoints (Streamable HTTP, legacy SSE,
/// legacy messages), or two of those share a path.
pub fn router(server: McpServer, routes: Vec<Route>, mut options: HttpOptions) -> Router {
    let endpoint = options.endpoint_path().to_owned();
    let guard = HostGuardLayer(Arc::new(HostGuard::new(&options)));
    let state = Arc::new(HttpState {
        service: server.service(),
        server,
        json_response: options.json_response,
        stateless: options.stateless,
        body_limit: options.body_limit,
        keep_alive: options.keep_alive,
        message_path: options.message_path.clone(),
        legacy: sse_legacy::connections::Connections::default(),
        resumable: options.resumable
            && options.transport == Transport::StreamableHttp
            && !options.stateless,
        retry: options.retry,
        live: Arc::default(),
        streams: Arc::new(crate::sse::Streams::new(options.max_streams)),
        stream_backlog: options.stream_backlog,
    });
    let mut reserved = Vec::new();
    let mut app = match options.transport {
        Transport::StreamableHttp => Router::new().route(
            reserve(&mut reserved, &endpoint),
            post(streamable::post::handle)
                .get(streamable::get::handle)
                .delete(streamable::delete::handle),
        ),
        Transport::Sse => legacy_routes(Router::new(), &endpoint, &options, &mut reserved),
    };
    if let Some(sse_path) = options.legacy_sse_path() {
        app = legacy_routes(app, sse_path, &options, &mut reserved);
    }
    // Before the custom routes: those stay as the user wrote them. The host guard goes
    // around the authorization, so that a foreign host is refused before any token is read.
    #[cfg(feature = "auth")]
    if let Some(auth) = options.auth.take() {
        app = app.route_layer(crate::auth::endpoint_layer(auth, &state.server));
    }
    let mut app = app.route_layer(guard).with_state(state);
    for route in routes {
        let (path, handler) = route.into_parts();
        assert!(
            !reserved.contains(&path),
            "the custom route `{path}` clashes with the MCP endpoint: give one of them another path"
        );
        app = app.route(&path, handler);
    }
    for apply in std::mem::take(&mut options.layers) {
        app = apply(app);
    }
    app
}

/// Adds the 2024-11-05 transport: the stream at `sse_path`, the message endpoint it announces.
fn legacy_routes(
    app: Router<Arc<HttpState>>,
    sse_path: &str,
    options: &HttpOptions,
    reserved: &mut Vec<String>,
) -> Router<Arc<HttpState>> {
    app.route(reserve(reserved, sse_path), get(sse_legacy::connect))
        .route(
            reserve(reserved, &options.message_path),
            post(sse_legacy::message),
        )
}

/// Claims `path` for one of the app's own endpoints.
#[track_caller]
fn reserve<'p>(reserved: &mut Vec<String>, path: &'p str) -> &'p str {
    assert!(
        !reserved.iter().any(|taken| taken == path),
        "the MCP endpoints clash at `{path}`: give the Streamable HTTP path, the legacy SSE path \
         and the message path different values"
    );
    reserved.push(path.to_owned());
    path
}
