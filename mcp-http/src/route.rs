//! Custom routes: plain HTTP endpoints served beside the MCP endpoint (`#[custom_route]`).

use axum::routing::MethodRouter;

/// A plain HTTP route: a path and an axum [`MethodRouter`].
///
/// ```
/// use quickmcp_http::Route;
///
/// let route = Route::new("/health", axum::routing::get(|| async { "ok" }));
/// assert_eq!(route.path(), "/health");
/// ```
#[derive(Clone)]
pub struct Route {
    path: String,
    handler: MethodRouter,
}

impl Route {
    /// A route serving `handler` at `path`.
    pub fn new(path: impl Into<String>, handler: MethodRouter) -> Self {
        Self {
            path: path.into(),
            handler,
        }
    }

    /// The path, relative to where the app is mounted.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn into_parts(self) -> (String, MethodRouter) {
        (self.path, self.handler)
    }
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Something that becomes a [`Route`]: `#[custom_route]` implements it for the function's
/// type, and [`Route`] itself for hand-built routes.
pub trait CustomRoute {
    /// The route.
    fn into_route(self) -> Route;
}

impl CustomRoute for Route {
    fn into_route(self) -> Route {
        self
    }
}
