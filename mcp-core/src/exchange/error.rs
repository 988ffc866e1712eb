//! [`ExchangeError`]: why a server→client request got no usable answer.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde_json::json;

use crate::error::McpError;
use crate::schema::elicitation::ElicitSchemaError;

/// `MissingRequiredClientCapability` (defined by MCP 2026-07-28, used here on every wire).
const MISSING_CLIENT_CAPABILITY: i32 = -32021;

/// Why `ctx.sample`, `ctx.elicit` or `ctx.list_roots` failed. Converts into [`McpError`], and
/// displays as a sentence, so a tool can `?` it into `Result<_, McpError>` or
/// `Result<_, String>`.
///
/// ```
/// use quickmcp_core::{ExchangeError, McpError};
///
/// let err = ExchangeError::MissingCapability("sampling");
/// let mcp: McpError = err.into();
/// assert_eq!(mcp.code, -32021);
/// assert_eq!(mcp.data.unwrap()["requiredCapabilities"], serde_json::json!({"sampling": {}}));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The client did not declare this capability (`sampling`, `elicitation`, `elicitation.url`,
    /// `roots`); nothing was sent.
    MissingCapability(&'static str),
    /// There is no way to reach the client: no session (stateless HTTP), or a JSON response
    /// and no standalone GET stream open.
    Unavailable(Cow<'static, str>),
    /// The stream closed, or the session ended, before the answer came.
    Disconnected,
    /// No answer within the timeout.
    Timeout(Duration),
    /// The tool's request was cancelled while waiting.
    Cancelled,
    /// The client answered with a JSON-RPC error.
    Rejected(McpError),
    /// The client's answer is not what the method returns.
    InvalidResult(String),
    /// The elicitation type cannot be expressed as a form.
    InvalidSchema(ElicitSchemaError),
}

impl fmt::Display for ExchangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingCapability(cap) => write!(
                f,
                "the client does not support this: it did not declare the `{cap}` capability"
            ),
            Self::Unavailable(why) => write!(f, "cannot reach the client: {why}"),
            Self::Disconnected => f.write_str("the client went away before answering"),
            Self::Timeout(after) => write!(f, "the client did not answer within {after:?}"),
            Self::Cancelled => {
                f.write_str("the request was cancelled while waiting for the client")
            }
            Self::Rejected(error) => write!(f, "the client answered with an error: {error}"),
            Self::InvalidResult(why) => write!(f, "the client's answer is malformed: {why}"),
            Self::InvalidSchema(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ExchangeError {}

impl From<ExchangeError> for McpError {
    fn from(error: ExchangeError) -> Self {
        match error {
            ExchangeError::Rejected(error) => error,
            ExchangeError::MissingCapability(cap) => {
                let mut required = json!({});
                let path: Vec<&str> = cap.split('.').collect();
                let mut at = &mut required;
                for part in path {
                    at = &mut at[part];
                    *at = json!({});
                }
                let message = ExchangeError::MissingCapability(cap).to_string();
                McpError::new(MISSING_CLIENT_CAPABILITY, message)
                    .with_data(json!({"requiredCapabilities": required}))
            }
            other => McpError::internal(other.to_string()),
        }
    }
}

impl From<ElicitSchemaError> for ExchangeError {
    fn from(error: ElicitSchemaError) -> Self {
        Self::InvalidSchema(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_capabilities_nest() {
        let mcp = McpError::from(ExchangeError::MissingCapability("elicitation.url"));
        assert_eq!(
            mcp.data.unwrap()["requiredCapabilities"],
            json!({"elicitation": {"url": {}}})
        );
    }
}
