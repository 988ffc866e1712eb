//! Transport errors as HTTP responses: a status plus a JSON-RPC error body naming the problem.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use quickmcp_core::jsonrpc::{self, RequestId};
use quickmcp_core::{McpError, Rejection};

/// A rejected HTTP request: the status and the JSON-RPC error sent as the body.
///
/// ```
/// use axum::response::IntoResponse;
/// use quickmcp_http::HttpError;
///
/// let response = HttpError::session_not_found().into_response();
/// assert_eq!(response.status(), 404);
/// ```
#[derive(Debug)]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON-RPC error in the body.
    pub error: McpError,
    /// The request id, when it could be read.
    pub id: Option<RequestId>,
    /// Headers to send with it (`Retry-After`, `WWW-Authenticate`...); boxed, as most errors
    /// have none.
    pub headers: Option<Box<axum::http::HeaderMap>>,
}

/// Code of a request on an unknown or ended session (as the TypeScript SDK uses).
const SESSION_NOT_FOUND: i32 = -32001;
/// Generic transport-level rejection (as the TypeScript SDK uses).
const BAD_REQUEST: i32 = -32000;

impl HttpError {
    /// Any status and error.
    pub fn new(status: StatusCode, error: McpError) -> Self {
        Self {
            status,
            error,
            id: None,
            headers: None,
        }
    }

    /// Echoes the request id in the body.
    #[must_use]
    pub fn with_id(mut self, id: Option<RequestId>) -> Self {
        self.id = id;
        self
    }

    fn bad(status: StatusCode, message: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        Self::new(status, McpError::new(BAD_REQUEST, message))
    }

    /// 400: a stateful request without `Mcp-Session-Id`.
    pub fn missing_session() -> Self {
        Self::bad(
            StatusCode::BAD_REQUEST,
            "missing Mcp-Session-Id header: send `initialize` first and echo the id it returns",
        )
    }

    /// 404: the session is unknown, expired or deleted.
    pub fn session_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            McpError::new(
                SESSION_NOT_FOUND,
                "session not found: it expired or was deleted; initialize a new one",
            ),
        )
    }

    /// 406: the `Accept` header does not list what the response may be.
    pub fn not_acceptable(needed: &'static str) -> Self {
        Self::bad(
            StatusCode::NOT_ACCEPTABLE,
            format!("not acceptable: the Accept header must list {needed}"),
        )
    }

    /// 415: the body is not JSON.
    pub fn unsupported_media_type() -> Self {
        Self::bad(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type: Content-Type must be application/json",
        )
    }

    /// 413: the body is over the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::bad(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body over the limit of {limit} bytes (HttpOptions::body_limit)"),
        )
    }

    /// 400: the body could not be read.
    pub fn unreadable_body(reason: impl std::fmt::Display) -> Self {
        Self::bad(
            StatusCode::BAD_REQUEST,
            format!("could not read the request body: {reason}"),
        )
    }

    /// 400: an unsupported `MCP-Protocol-Version` header.
    pub fn unsupported_version(version: &str) -> Self {
        Self::bad(
            StatusCode::BAD_REQUEST,
            format!(
                "unsupported MCP-Protocol-Version `{version}`: this server speaks 2024-11-05, 2025-03-26, 2025-06-18 and 2025-11-25"
            ),
        )
    }

    /// 405: the method is not served here.
    pub fn method_not_allowed(message: &'static str) -> Self {
        Self::bad(StatusCode::METHOD_NOT_ALLOWED, message)
    }

    /// 409: a second standalone stream for the same session.
    pub fn conflict(message: &'static str) -> Self {
        Self::bad(StatusCode::CONFLICT, message)
    }

    /// 503 with `Retry-After: 1`: the server has as many long-lived streams open as it may.
    pub(crate) fn too_many_streams(max: usize) -> Self {
        let message = format!(
            "the server has {max} streams open, its limit (HttpOptions::max_streams): retry later"
        );
        let error = McpError::new(quickmcp_core::error::code::LIMIT_EXCEEDED, message);
        Rejection::retry_later(error, StatusCode::SERVICE_UNAVAILABLE).into()
    }

    /// 403: Host or Origin refused.
    pub fn forbidden(message: String) -> Self {
        Self::bad(StatusCode::FORBIDDEN, message)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        tracing::trace!(status = %self.status, code = self.error.code, message = %self.error.message, "rejected");
        let mut response =
            json_body(jsonrpc::error_response(self.id.as_ref(), &self.error)).into_response();
        *response.status_mut() = self.status;
        if let Some(headers) = self.headers {
            response.headers_mut().extend(*headers);
        }
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST, DELETE"));
        }
        response
    }
}

impl From<Rejection> for HttpError {
    /// A rejection with its own status and headers, or HTTP 200 (a JSON-RPC error, as the
    /// 2025 wire answers every one).
    fn from(rejection: Rejection) -> Self {
        Self {
            status: rejection.status().unwrap_or(StatusCode::OK),
            error: rejection.error().clone(),
            id: rejection.id().cloned(),
            headers: (!rejection.headers().is_empty())
                .then(|| Box::new(rejection.headers().clone())),
        }
    }
}

/// A JSON body with its content type.
pub(crate) fn json_body(bytes: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}
