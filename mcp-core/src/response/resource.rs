//! What a resource may return: [`IntoResourceContents`].

use std::fmt::Display;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::Structured;
use crate::error::McpError;
use crate::protocol::content::ResourceContents;
use crate::protocol::resources::ReadResourceResult;

/// Turns a resource function's return value into `resources/read` contents.
///
/// Implemented for text (`String`, `&str`: `text`, `text/plain`), bytes (`Vec<u8>`, `Bytes`:
/// base64 `blob`, `application/octet-stream`), JSON (`serde_json::Value`, [`Structured<T>`]:
/// `text`, `application/json`), [`ResourceContents`] and `Vec<ResourceContents>` (as they
/// are), and `Result<T, E: Display>` (an `Err` is a `-32603` error with the message). A
/// `mime_type` set on the resource replaces the default.
///
/// ```
/// use quickmcp_core::IntoResourceContents;
///
/// let contents = "hi".into_contents("memo://1", None).unwrap();
/// assert_eq!(
///     serde_json::to_string(&contents).unwrap(),
///     r#"[{"uri":"memo://1","mimeType":"text/plain","text":"hi"}]"#
/// );
/// ```
#[diagnostic::on_unimplemented(
    message = "a #[resource] function cannot return `{Self}`",
    note = "return text (String, &str), bytes (Vec<u8>, Bytes), JSON (serde_json::Value, Structured<T>), ResourceContents or Vec<ResourceContents>",
    note = "to fail, return Result<T, E> where E: Display"
)]
pub trait IntoResourceContents {
    /// The MIME type listed when the resource does not set one.
    const MIME_TYPE: Option<&'static str> = None;

    /// The contents of `uri`; `mime_type` is the resource's, when set.
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError>;
}

fn mime(given: Option<&str>, default: Option<&'static str>) -> Option<String> {
    given.or(default).map(str::to_owned)
}

fn text<T: IntoResourceContents>(
    uri: &str,
    mime_type: Option<&str>,
    text: String,
) -> ResourceContents {
    ResourceContents::Text {
        uri: uri.into(),
        mime_type: mime(mime_type, T::MIME_TYPE),
        text,
    }
}

impl IntoResourceContents for String {
    const MIME_TYPE: Option<&'static str> = Some("text/plain");

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        Ok(vec![text::<Self>(uri, mime_type, self)])
    }
}

impl IntoResourceContents for &str {
    const MIME_TYPE: Option<&'static str> = Some("text/plain");

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        Ok(vec![text::<Self>(uri, mime_type, self.to_owned())])
    }
}

fn blob(uri: &str, mime_type: Option<&str>, bytes: &[u8]) -> Vec<ResourceContents> {
    vec![ResourceContents::Blob {
        uri: uri.into(),
        mime_type: mime(mime_type, Some("application/octet-stream")),
        blob: STANDARD.encode(bytes),
    }]
}

impl IntoResourceContents for Vec<u8> {
    const MIME_TYPE: Option<&'static str> = Some("application/octet-stream");

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        Ok(blob(uri, mime_type, &self))
    }
}

impl IntoResourceContents for Bytes {
    const MIME_TYPE: Option<&'static str> = Some("application/octet-stream");

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        Ok(blob(uri, mime_type, &self))
    }
}

impl IntoResourceContents for Value {
    const MIME_TYPE: Option<&'static str> = Some("application/json");

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        Ok(vec![text::<Self>(uri, mime_type, self.to_string())])
    }
}

impl<T: Serialize> IntoResourceContents for Structured<T> {
    const MIME_TYPE: Option<&'static str> = Some("application/json");

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        let json = serde_json::to_string(&self.0).map_err(|e| {
            McpError::internal(format!("the resource could not be serialized: {e}"))
        })?;
        Ok(vec![text::<Self>(uri, mime_type, json)])
    }
}

impl IntoResourceContents for ResourceContents {
    fn into_contents(self, _: &str, _: Option<&str>) -> Result<Vec<ResourceContents>, McpError> {
        Ok(vec![self])
    }
}

impl IntoResourceContents for Vec<ResourceContents> {
    fn into_contents(self, _: &str, _: Option<&str>) -> Result<Vec<ResourceContents>, McpError> {
        Ok(self)
    }
}

impl<T: IntoResourceContents, E: Display> IntoResourceContents for Result<T, E> {
    const MIME_TYPE: Option<&'static str> = T::MIME_TYPE;

    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<ResourceContents>, McpError> {
        match self {
            Ok(value) => value.into_contents(uri, mime_type),
            Err(error) => Err(McpError::internal(error.to_string())),
        }
    }
}

/// The `resources/read` result for `value` read at `uri`; generated code calls this.
pub fn read_result<T: IntoResourceContents>(
    value: T,
    uri: &str,
    mime_type: Option<&str>,
) -> Result<ReadResourceResult, McpError> {
    let contents = value.into_contents(uri, mime_type)?;
    if contents.is_empty() {
        return Err(McpError::internal(format!(
            "the resource `{uri}` returned no contents"
        )));
    }
    Ok(ReadResourceResult { contents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_base64_blobs() {
        let contents = vec![1u8, 2, 3]
            .into_contents("b://1", Some("image/png"))
            .unwrap();
        assert_eq!(
            contents,
            vec![ResourceContents::Blob {
                uri: "b://1".into(),
                mime_type: Some("image/png".into()),
                blob: "AQID".into()
            }]
        );
    }

    #[test]
    fn json_is_text_and_errors_are_internal() {
        let contents = Structured(serde_json::json!({"a": 1}))
            .into_contents("j://", None)
            .unwrap();
        assert_eq!(
            serde_json::to_string(&contents).unwrap(),
            r#"[{"uri":"j://","mimeType":"application/json","text":"{\"a\":1}"}]"#
        );
        let error = read_result(Err::<String, _>("gone"), "x://", None).unwrap_err();
        assert_eq!((error.code, &*error.message), (-32603, "gone"));
        assert_eq!(
            read_result(Vec::<ResourceContents>::new(), "x://", None)
                .unwrap_err()
                .code,
            -32603
        );
    }
}
