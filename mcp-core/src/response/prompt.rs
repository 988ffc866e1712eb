//! What a prompt may return: [`IntoGetPromptResult`].

use std::fmt::Display;

use crate::error::McpError;
use crate::protocol::prompts::{GetPromptResult, PromptMessage};

/// Turns a prompt function's return value into a `prompts/get` result.
///
/// Implemented for text (`String`, `&str`: one user message), [`PromptMessage`],
/// `Vec<PromptMessage>`, [`GetPromptResult`], and `Result<T, E: Display>` (an `Err` is a
/// `-32603` error with the message).
///
/// ```
/// use quickmcp_core::IntoGetPromptResult;
///
/// let result = "Summarize the report.".into_prompt_result().unwrap();
/// assert_eq!(result.messages.len(), 1);
/// ```
#[diagnostic::on_unimplemented(
    message = "a #[prompt] function cannot return `{Self}`",
    note = "return text (String, &str), a PromptMessage, Vec<PromptMessage> or GetPromptResult",
    note = "to fail, return Result<T, E> where E: Display"
)]
pub trait IntoGetPromptResult {
    /// The result sent to the client.
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError>;
}

impl IntoGetPromptResult for GetPromptResult {
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError> {
        Ok(self)
    }
}

impl IntoGetPromptResult for String {
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError> {
        Ok(GetPromptResult::new(vec![PromptMessage::user(self)]))
    }
}

impl IntoGetPromptResult for &str {
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError> {
        Ok(GetPromptResult::new(vec![PromptMessage::user(self)]))
    }
}

impl IntoGetPromptResult for PromptMessage {
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError> {
        Ok(GetPromptResult::new(vec![self]))
    }
}

impl IntoGetPromptResult for Vec<PromptMessage> {
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError> {
        Ok(GetPromptResult::new(self))
    }
}

impl<T: IntoGetPromptResult, E: Display> IntoGetPromptResult for Result<T, E> {
    fn into_prompt_result(self) -> Result<GetPromptResult, McpError> {
        match self {
            Ok(value) => value.into_prompt_result(),
            Err(error) => Err(McpError::internal(error.to_string())),
        }
    }
}
