//! Protocol errors: JSON-RPC error objects with named constructors.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// The JSON-RPC error codes quickmcp emits.
pub mod code {
    /// The message is not valid JSON.
    pub const PARSE_ERROR: i32 = -32700;
    /// The JSON is not a valid JSON-RPC message.
    pub const INVALID_REQUEST: i32 = -32600;
    /// The method does not exist or is not available.
    pub const METHOD_NOT_FOUND: i32 = -32601;
    /// The params are invalid (unknown tool, bad cursor, bad log level...).
    pub const INVALID_PARAMS: i32 = -32602;
    /// The server failed while handling the request.
    pub const INTERNAL_ERROR: i32 = -32603;
    /// A limit of the server is reached (requests in flight, streams...): the message names
    /// it; over HTTP with 429 or 503 and `Retry-After`.
    pub const LIMIT_EXCEEDED: i32 = -32010;
    /// A resource URI is unknown (2025 wire).
    pub const RESOURCE_NOT_FOUND: i32 = -32002;
    /// `HeaderMismatch` (2026 wire): an HTTP header disagrees with the body (HTTP 400).
    pub const HEADER_MISMATCH: i32 = -32020;
    /// `MissingRequiredClientCapability` (2026 wire, HTTP 400).
    pub const MISSING_CLIENT_CAPABILITY: i32 = -32021;
    /// `UnsupportedProtocolVersion` (2026 wire, HTTP 400).
    pub const UNSUPPORTED_VERSION: i32 = -32022;
    /// The request ran out of time (the TypeScript SDK's `RequestTimeout`).
    pub const REQUEST_TIMEOUT: i32 = -32001;
}

/// A JSON-RPC error object: `{code, message, data?}`.
///
/// Protocol failures (unknown method, unknown tool, malformed params) are `McpError`s; a tool
/// that fails while running returns a result with `isError: true` instead.
///
/// ```
/// use quickmcp_core::McpError;
///
/// let err = McpError::invalid_params("unknown tool `nope`");
/// assert_eq!(err.code, -32602);
/// assert_eq!(err.to_string(), "unknown tool `nope` (-32602)");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McpError {
    /// The JSON-RPC error code.
    pub code: i32,
    /// A short, human-readable description naming what was wrong.
    pub message: Cow<'static, str>,
    /// Structured details, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl McpError {
    /// An error with any code.
    pub fn new(code: i32, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// Attaches structured `data`.
    #[must_use]
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// `-32700`: the body is not valid JSON.
    pub fn parse_error(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::PARSE_ERROR, message)
    }

    /// `-32600`: valid JSON, but not a JSON-RPC message we accept.
    pub fn invalid_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::INVALID_REQUEST, message)
    }

    /// `-32601`: no such method.
    pub fn method_not_found(method: &str) -> Self {
        Self::new(
            code::METHOD_NOT_FOUND,
            format!("method not found: `{method}`"),
        )
    }

    /// `-32602`: the params are wrong.
    pub fn invalid_params(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::INVALID_PARAMS, message)
    }

    /// The resource at `uri` does not exist: `-32002` with `data: {"uri": uri}` (2025 wire).
    pub fn resource_not_found(uri: &str) -> Self {
        Self::new(
            code::RESOURCE_NOT_FOUND,
            format!("resource not found: `{uri}`"),
        )
        .with_data(serde_json::json!({ "uri": uri }))
    }

    /// `-32603`: the server failed.
    pub fn internal(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code::INTERNAL_ERROR, message)
    }
}

/// A request refused before or instead of an answer: a JSON-RPC error, plus what HTTP says
/// about it (a status such as 429, 503, 401 or 403, and headers such as `Retry-After` or
/// `WWW-Authenticate`). Over HTTP it renders with them; on stdio as the plain JSON-RPC error.
///
/// MCP-level layers reject with it; so does the engine where the HTTP status matters (the
/// 2026-07-28 wire's 400 and 404).
///
/// ```
/// use quickmcp_core::{McpError, Rejection};
///
/// let limited = Rejection::new(McpError::internal("too many requests: retry in 2 s"))
///     .with_status(http::StatusCode::TOO_MANY_REQUESTS)
///     .with_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("2"));
/// assert_eq!(limited.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
/// assert_eq!(limited.error().code, -32603);
/// ```
#[derive(Debug, Clone)]
pub struct Rejection {
    error: McpError,
    id: Option<crate::jsonrpc::RequestId>,
    /// Boxed: most rejections have neither, and results carrying one stay small.
    http: Option<Box<HttpAnswer>>,
}

#[derive(Debug, Clone, Default)]
struct HttpAnswer {
    status: Option<http::StatusCode>,
    headers: http::HeaderMap,
}

impl Rejection {
    /// A rejection carrying `error`, with no HTTP status of its own (HTTP 200 on the 2025
    /// wire, as any JSON-RPC error there).
    pub fn new(error: McpError) -> Self {
        Self {
            error,
            id: None,
            http: None,
        }
    }

    fn http_mut(&mut self) -> &mut HttpAnswer {
        self.http.get_or_insert_with(Box::default)
    }

    /// A refusal the client may retry in a second (a limit, an overload): `error` with HTTP
    /// `status` (429 or 503) and `Retry-After: 1`.
    ///
    /// ```
    /// use quickmcp_core::{McpError, Rejection};
    ///
    /// let busy = Rejection::retry_later(McpError::internal("busy"), http::StatusCode::SERVICE_UNAVAILABLE);
    /// assert_eq!(busy.headers()["retry-after"], "1");
    /// ```
    pub fn retry_later(error: McpError, status: http::StatusCode) -> Self {
        Self::new(error).with_status(status).with_header(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("1"),
        )
    }

    /// Sets the HTTP status it is answered with.
    #[must_use]
    pub fn with_status(mut self, status: http::StatusCode) -> Self {
        self.http_mut().status = Some(status);
        self
    }

    /// Adds an HTTP header to the answer.
    #[must_use]
    pub fn with_header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
        self.http_mut().headers.append(name, value);
        self
    }

    /// Sets the id of the request it answers (the service does it for layers' rejections).
    #[must_use]
    pub fn with_id(mut self, id: Option<crate::jsonrpc::RequestId>) -> Self {
        self.id = id;
        self
    }

    /// The JSON-RPC error.
    pub fn error(&self) -> &McpError {
        &self.error
    }

    /// The id of the request it answers, if known.
    pub fn id(&self) -> Option<&crate::jsonrpc::RequestId> {
        self.id.as_ref()
    }

    /// The HTTP status it asks for.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.http.as_ref().and_then(|http| http.status)
    }

    /// The HTTP headers it adds.
    pub fn headers(&self) -> &http::HeaderMap {
        static NONE: std::sync::LazyLock<http::HeaderMap> =
            std::sync::LazyLock::new(http::HeaderMap::new);
        self.http.as_ref().map_or(&NONE, |http| &http.headers)
    }

    /// The JSON-RPC error response, serialized.
    pub fn to_response(&self) -> bytes::Bytes {
        crate::jsonrpc::error_response(self.id.as_ref(), &self.error)
    }

    /// What a layer's error becomes: a [`Rejection`] as it is, tower's `Elapsed`
    /// (`timeout`) as `-32001` (HTTP 504), tower's `Overloaded` (`load_shed`) as HTTP 503 with
    /// `Retry-After: 1`, anything else as `-32603` naming it.
    pub fn from_error(error: tower::BoxError) -> Self {
        let error = match error.downcast::<Rejection>() {
            Ok(rejection) => return *rejection,
            Err(other) => other,
        };
        if error.is::<tower::timeout::error::Elapsed>() {
            return Self::new(McpError::new(
                code::REQUEST_TIMEOUT,
                "the request timed out (a timeout layer)",
            ))
            .with_status(http::StatusCode::GATEWAY_TIMEOUT);
        }
        if error.is::<tower::load_shed::error::Overloaded>() {
            return Self::retry_later(
                McpError::internal("the server is overloaded (a load-shedding layer): retry later"),
                http::StatusCode::SERVICE_UNAVAILABLE,
            );
        }
        Self::new(McpError::internal(format!("the request failed: {error}")))
    }
}

impl From<McpError> for Rejection {
    fn from(error: McpError) -> Self {
        Self::new(error)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status() {
            Some(status) => write!(f, "{} (HTTP {status})", self.error),
            None => self.error.fmt(f),
        }
    }
}

impl std::error::Error for Rejection {}

impl fmt::Display for McpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for McpError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_without_absent_data() {
        let json = serde_json::to_string(&McpError::method_not_found("x/y")).unwrap();
        assert_eq!(
            json,
            r#"{"code":-32601,"message":"method not found: `x/y`"}"#
        );
    }
}
