//! Injected values from the server ([`State`]) and from the HTTP request ([`Extension`], headers).

use http::HeaderMap;

use super::FromCallContext;
use crate::error::McpError;
use crate::handler::CallContext;

/// Shared application state registered with `.state(value)` on the server.
///
/// ```
/// use quickmcp_core::State;
///
/// #[derive(Clone)]
/// struct Db { url: String }
///
/// fn where_am_i(State(db): State<Db>) -> String {
///     db.url
/// }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct State<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromCallContext for State<T> {
    type Rejection = McpError;

    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, McpError> {
        cx.state().get::<T>().cloned().map(State).ok_or_else(|| {
            McpError::internal(format!(
                "no state of type `{}`: register it with `.state(value)` on the server",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// A value your tower middleware put in the HTTP request's extensions (an authenticated user,
/// a tenant...). Missing (or not over HTTP) is a JSON-RPC error.
///
/// ```
/// use quickmcp_core::Extension;
///
/// #[derive(Clone)]
/// struct User(String);
///
/// fn whoami(Extension(user): Extension<User>) -> String {
///     user.0
/// }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Extension<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromCallContext for Extension<T> {
    type Rejection = McpError;

    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, McpError> {
        cx.extensions().get::<T>().cloned().map(Extension).ok_or_else(|| {
            McpError::internal(format!(
                "no request extension of type `{}`: is the middleware that inserts it applied to the MCP routes?",
                std::any::type_name::<T>()
            ))
        })
    }
}

impl<T: FromCallContext> FromCallContext for Option<T> {
    type Rejection = std::convert::Infallible;

    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, Self::Rejection> {
        Ok(T::from_call_context(cx).ok())
    }
}

/// The HTTP request's headers; empty on stdio.
impl FromCallContext for HeaderMap {
    type Rejection = std::convert::Infallible;

    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, Self::Rejection> {
        Ok(cx.headers().cloned().unwrap_or_default())
    }
}

impl From<std::convert::Infallible> for McpError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
