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
    /// A resource URI is unknown (2025 wire).
    pub const RESOURCE_NOT_FOUND: i32 = -32002;
    /// `HeaderMismatch` (2026 wire): an HTTP header disagrees with the body (HTTP 400).
    pub const HEADER_MISMATCH: i32 = -32020;
    /// `MissingRequiredClientCapability` (2026 wire, HTTP 400).
    pub const MISSING_CLIENT_CAPABILITY: i32 = -32021;
    /// `UnsupportedProtocolVersion` (2026 wire, HTTP 400).
    pub const UNSUPPORTED_VERSION: i32 = -32022;
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
