//! What a tool may return: [`IntoToolResult`] and the [`Structured`] marker.

mod prompt;
mod resource;

use std::fmt::Display;

use schemars::{JsonSchema, SchemaGenerator};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::protocol::content::{CallToolResult, Content};
use crate::schema;

pub use prompt::IntoGetPromptResult;
pub use resource::{read_result, IntoResourceContents};

/// Turns a tool's return value into a `tools/call` result.
///
/// Implemented for text (`String`, `&str`), numbers and `bool` (as text), [`Content`] and
/// `Vec<Content>`, [`Structured<T>`], [`CallToolResult`], `()`, and `Result<T, E: Display>`
/// (an `Err` becomes `isError: true` with the error's message).
#[diagnostic::on_unimplemented(
    message = "a #[tool] function cannot return `{Self}`",
    note = "return text (String, &str), a number, Content, Vec<Content>, CallToolResult, or Structured<T> for a typed JSON result",
    note = "to fail, return Result<T, E> where E: Display"
)]
pub trait IntoToolResult {
    /// The result sent to the client.
    fn into_tool_result(self) -> CallToolResult;

    /// The tool's `outputSchema`, if its result is structured.
    fn output_schema(_generator: &mut SchemaGenerator) -> Option<Value> {
        None
    }
}

impl IntoToolResult for CallToolResult {
    fn into_tool_result(self) -> CallToolResult {
        self
    }
}

impl IntoToolResult for String {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![Content::text(self)])
    }
}

impl IntoToolResult for &str {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![Content::text(self)])
    }
}

impl IntoToolResult for () {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(Vec::new())
    }
}

impl IntoToolResult for Content {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(vec![self])
    }
}

impl IntoToolResult for Vec<Content> {
    fn into_tool_result(self) -> CallToolResult {
        CallToolResult::success(self)
    }
}

macro_rules! as_text {
    ($($t:ty)*) => {$(
        impl IntoToolResult for $t {
            fn into_tool_result(self) -> CallToolResult {
                CallToolResult::success(vec![Content::text(self.to_string())])
            }
        }
    )*};
}
as_text!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char);

impl<T: IntoToolResult, E: Display> IntoToolResult for Result<T, E> {
    fn into_tool_result(self) -> CallToolResult {
        match self {
            Ok(value) => value.into_tool_result(),
            Err(error) => CallToolResult::error(error.to_string()),
        }
    }

    fn output_schema(generator: &mut SchemaGenerator) -> Option<Value> {
        T::output_schema(generator)
    }
}

/// A typed JSON result: sent as `structuredContent` (and as JSON text for older clients), with
/// `T`'s schema as the tool's `outputSchema`. A value that is not a JSON object is wrapped as
/// `{"result": value}`, since clients expect an object.
///
/// ```
/// use quickmcp_core::{IntoToolResult, Structured};
/// use schemars::JsonSchema;
/// use serde::Serialize;
///
/// #[derive(Serialize, JsonSchema)]
/// struct Weather { celsius: f64 }
///
/// let result = Structured(Weather { celsius: 21.5 }).into_tool_result();
/// assert_eq!(result.structured_content.unwrap().get(), r#"{"celsius":21.5}"#);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Structured<T>(pub T);

impl<T: Serialize + JsonSchema> IntoToolResult for Structured<T> {
    fn into_tool_result(self) -> CallToolResult {
        let text = match serde_json::to_string(&self.0) {
            Ok(text) => text,
            Err(e) => {
                return CallToolResult::error(format!("the result could not be serialized: {e}"))
            }
        };
        let structured = if text.starts_with('{') {
            text.clone()
        } else {
            // Without `format!`: its machinery costs more than the copy.
            let mut wrapped = String::with_capacity(text.len() + 11);
            wrapped.push_str(r#"{"result":"#);
            wrapped.push_str(&text);
            wrapped.push('}');
            wrapped
        };
        CallToolResult {
            content: vec![Content::text(text)],
            structured_content: RawValue::from_string(structured).ok(),
            is_error: false,
        }
    }

    fn output_schema(generator: &mut SchemaGenerator) -> Option<Value> {
        let inner = schema::root_schema::<T>(generator);
        Some(if schema::is_object_schema(&inner) {
            inner
        } else {
            schema::wrap_result_schema(inner)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_is_error_results() {
        let result = Err::<String, _>("boom").into_tool_result();
        assert!(result.is_error);
        assert_eq!(result.content, vec![Content::text("boom")]);
    }

    #[test]
    fn non_object_structured_results_are_wrapped() {
        let result = Structured(vec![1, 2]).into_tool_result();
        assert_eq!(
            result.structured_content.unwrap().get(),
            r#"{"result":[1,2]}"#
        );
        let schema = Structured::<Vec<i32>>::output_schema(&mut schema::generator()).unwrap();
        assert_eq!(schema["properties"]["result"]["type"], "array");
    }
}
