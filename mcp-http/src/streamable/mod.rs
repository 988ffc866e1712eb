//! Streamable HTTP (MCP 2025-03-26 to 2025-11-25): one endpoint, POST for messages, GET for
//! the session's standalone stream, DELETE to end a session.

pub(crate) mod delete;
pub(crate) mod get;
pub(crate) mod post;

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderName};
use quickmcp_core::{ProtocolVersion, Session};

use crate::response::HttpError;
use crate::state::HttpState;

pub(crate) const SESSION_HEADER: &str = "mcp-session-id";
pub(crate) const VERSION_HEADER: &str = "mcp-protocol-version";
// As parsed names: a lookup by `&str` parses and validates the name on every request.
pub(crate) static SESSION_HEADER_NAME: HeaderName = HeaderName::from_static(SESSION_HEADER);
pub(crate) static VERSION_HEADER_NAME: HeaderName = HeaderName::from_static(VERSION_HEADER);

/// Whether the request names a session (`Mcp-Session-Id`).
pub(crate) fn has_session(headers: &HeaderMap) -> bool {
    headers.contains_key(&SESSION_HEADER_NAME)
}

/// Whether `Accept` admits `mime` (exactly, as `type/*`, or as `*/*`).
pub(crate) fn accepts(headers: &HeaderMap, mime: &str) -> bool {
    accepts_each(headers, [mime])
}

/// Whether `Accept` admits every one of `mimes`, read in one pass over the header.
pub(crate) fn accepts_each<const N: usize>(headers: &HeaderMap, mimes: [&str; N]) -> bool {
    let mut admitted = [false; N];
    for value in headers.get_all(header::ACCEPT) {
        let bytes = value.as_bytes();
        // What `to_str` takes (visible ASCII and tab), checked without a branch per byte.
        if !bytes.iter().fold(true, |ok, &b| ok & visible(b)) {
            continue;
        }
        // Split as bytes: `str::split` with a char pattern costs a searcher per item.
        for item in bytes.split(|&b| b == b',') {
            let end = item.iter().position(|&b| b == b';').unwrap_or(item.len());
            let range = item[..end].trim_ascii();
            for (mime, admitted) in mimes.iter().zip(&mut admitted) {
                *admitted = *admitted || admits(range, mime);
            }
            if admitted.iter().all(|a| *a) {
                return true;
            }
        }
    }
    false
}

fn visible(b: u8) -> bool {
    b == b'\t' || (b' '..=b'~').contains(&b)
}

fn admits(range: &[u8], mime: &str) -> bool {
    let mime = mime.as_bytes();
    // Exactly as written first: clients send the lowercase types.
    if range == mime {
        return true;
    }
    let kind = &mime[..mime.iter().position(|&b| b == b'/').unwrap_or(mime.len())];
    range.eq_ignore_ascii_case(mime)
        || range == b"*/*"
        || range
            .strip_suffix(b"/*")
            .is_some_and(|k| k.eq_ignore_ascii_case(kind))
}

/// Whether the body is declared as JSON.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.as_bytes())
        .is_some_and(|v| {
            let end = v.iter().position(|&b| b == b';').unwrap_or(v.len());
            v[..end]
                .trim_ascii()
                .eq_ignore_ascii_case(b"application/json")
        })
}

/// Rejects an `MCP-Protocol-Version` this server does not speak (absent is fine: 2025-03-26).
pub(crate) fn check_version(headers: &HeaderMap) -> Result<(), HttpError> {
    match headers.get(&VERSION_HEADER_NAME) {
        None => Ok(()),
        Some(value) => {
            let text = value.to_str().unwrap_or("");
            ProtocolVersion::parse(text.trim())
                .map(|_| ())
                .ok_or_else(|| HttpError::unsupported_version(text))
        }
    }
}

/// The session named by `Mcp-Session-Id` (held here, or loaded from the session store): 400
/// without one, 404 if unknown.
pub(crate) async fn find_session(
    state: &HttpState,
    headers: &HeaderMap,
) -> Result<Arc<Session>, HttpError> {
    let id = headers
        .get(&SESSION_HEADER_NAME)
        .ok_or_else(HttpError::missing_session)?;
    let id = id.to_str().map_err(|_| HttpError::session_not_found())?;
    state
        .service
        .session(id)
        .await
        .ok_or_else(HttpError::session_not_found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
        h
    }

    #[test]
    fn reads_accept_lists() {
        let h = headers("application/json, text/event-stream;q=0.9");
        assert!(accepts(&h, "application/json") && accepts(&h, "text/event-stream"));
        assert!(accepts_each(&h, ["application/json", "text/event-stream"]));
        let json_only = headers("application/json");
        assert!(!accepts_each(
            &json_only,
            ["application/json", "text/event-stream"]
        ));
        assert!(accepts_each(
            &headers("*/*"),
            ["application/json", "text/event-stream"]
        ));
        assert!(!accepts(&headers("application/json"), "text/event-stream"));
        assert!(accepts(&headers("*/*"), "text/event-stream"));
        assert!(accepts(&headers("text/*"), "text/event-stream"));
        assert!(accepts_each(
            &headers(" Application/JSON ;q=1,TEXT/Event-Stream"),
            ["application/json", "text/event-stream"]
        ));
        assert!(!accepts(
            &headers("text/event-streams"),
            "text/event-stream"
        ));
        assert!(!accepts(&headers("application/*"), "text/event-stream"));
        let mut invalid = headers("application/json, text/event-stream");
        let bad = HeaderValue::from_bytes(b"application/json, text/event-stream, \xff").unwrap();
        invalid.insert(header::ACCEPT, bad);
        assert!(
            !accepts(&invalid, "application/json"),
            "a value that is not text is skipped"
        );
    }

    #[test]
    fn json_content_type_may_have_parameters() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(is_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(" Application/JSON "),
        );
        assert!(is_json(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/jsonl"),
        );
        assert!(!is_json(&h));
    }
}
