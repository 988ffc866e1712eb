//! What the 2026-07-28 wire asks of HTTP: the headers that mirror the body
//! (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`, `Mcp-Param-*`) checked in the order the
//! spec's clients expect, and `subscriptions/listen` as a long-lived SSE stream. Closing a
//! response stream drops its call (cancellation on the 2026 wire).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use quickmcp_core::protocol::headers::decode_header_value;
use quickmcp_core::protocol::v2026::{self, header_mismatch, RequestMeta};
use quickmcp_core::{McpError, McpRequest, McpServer, Outgoing};
use serde_json::value::RawValue;

use crate::response::HttpError;
use crate::sse::{self, ChannelSink, SessionStream};
use crate::state::HttpState;
use crate::streamable::VERSION_HEADER_NAME;

// Looked up by a parsed name: a `&str` is parsed and validated again on every lookup.
static METHOD_HEADER: HeaderName = HeaderName::from_static("mcp-method");
static NAME_HEADER: HeaderName = HeaderName::from_static("mcp-name");

fn header<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h str> {
    headers
        .get(name)
        .map(|v| v.to_str().map(str::trim).unwrap_or("\u{0}"))
}

/// `Mcp-Method` must equal the method; `Mcp-Name` (after `=?base64?…?=` decoding) the tool or
/// prompt name, resource URI or task id (`tasks/get|update|cancel`); a `tools/call`'s
/// `Mcp-Param-*` headers its arguments.
fn check_standard_headers(
    server: &McpServer,
    headers: &HeaderMap,
    method: &str,
    params: Option<&RawValue>,
    meta: &RequestMeta,
) -> Result<(), McpError> {
    match header(headers, &METHOD_HEADER) {
        None => return Err(header_mismatch("the Mcp-Method header is missing")),
        Some(value) if value != method => {
            return Err(header_mismatch(format!(
                "the Mcp-Method header `{value}` does not match the method `{method}`"
            )))
        }
        Some(_) => {}
    }
    let expected = match method {
        "tools/call" | "prompts/get" => meta.name(),
        "resources/read" => meta.uri(),
        "tasks/get" | "tasks/update" | "tasks/cancel" => meta.task_id(),
        _ => return Ok(()),
    };
    let Some(sent) = header(headers, &NAME_HEADER) else {
        return Err(header_mismatch("the Mcp-Name header is missing"));
    };
    let sent = decode_header_value(sent)
        .map_err(|e| header_mismatch(format!("the Mcp-Name header is malformed: {e}")))?;
    if let Some(expected) = expected.filter(|expected| *expected != sent) {
        return Err(header_mismatch(format!(
            "the Mcp-Name header `{sent}` does not match `{expected}`"
        )));
    }
    match (method, meta.name()) {
        ("tools/call", Some(tool)) => server.check_param_headers(tool, params, headers),
        _ => Ok(()),
    }
}

/// Checks what the HTTP request says against its body, in the order the spec's clients
/// expect: `MCP-Protocol-Version` against `_meta` (-32020), the version (-32022), then the
/// standard headers (-32020). Each failure is HTTP 400.
pub(crate) fn check_headers(server: &McpServer, request: &McpRequest) -> Result<(), HttpError> {
    let reject = |error: McpError| {
        HttpError::new(StatusCode::BAD_REQUEST, error).with_id(Some(request.id().clone()))
    };
    let meta = request
        .cx()
        .v2026_meta()
        .expect("a request of the 2026 wire carries its _meta");
    let headers = request.cx().headers().expect("an HTTP request");
    match header(headers, &VERSION_HEADER_NAME) {
        Some(v) if v == meta.protocol_version => {}
        Some(v) => {
            return Err(reject(header_mismatch(format!(
                "MCP-Protocol-Version `{v}` does not match `_meta` `{}`",
                meta.protocol_version
            ))))
        }
        None => {
            return Err(reject(header_mismatch(
                "the MCP-Protocol-Version header is missing",
            )))
        }
    }
    if meta.protocol_version != v2026::VERSION {
        return Err(reject(v2026::unsupported_version(&meta.protocol_version)));
    }
    check_standard_headers(server, headers, request.method(), request.params(), meta)
        .map_err(reject)
}

/// `subscriptions/listen`: an SSE stream that starts with the acknowledgement and carries the
/// matching notifications, with keep-alive comments, until the client closes it (or the
/// server shuts down), which ends the subscription.
pub(crate) fn listen(state: &HttpState, mut request: McpRequest) -> Result<Response, HttpError> {
    let slot = state.streams.open()?;
    let (tx, rx) = sse::channel(state.stream_backlog);
    request
        .cx_mut()
        .set_sink(Some(Arc::new(ChannelSink::plain(tx))));
    let shutdown = crate::state::shutdown_of(request.cx().extensions());
    match state.service.call(request) {
        Outgoing::Ready(Err(rejection)) => Err(rejection.into()),
        Outgoing::Ready(Ok(_)) | Outgoing::Accepted => Ok(StatusCode::ACCEPTED.into_response()),
        Outgoing::Running(running) => {
            let body = SessionStream::new(rx, state.keep_alive, shutdown, || {})
                .holding(slot)
                .driving(Box::pin(async move {
                    running.await.ok();
                }));
            Ok(sse::response(Body::from_stream(body)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use quickmcp_core::protocol::v2026::{ParamsProbe, HEADER_MISMATCH};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn meta(params: &str) -> (Box<RawValue>, RequestMeta) {
        let raw = RawValue::from_string(params.into()).unwrap();
        let meta = ParamsProbe::read(Some(&raw)).into_meta().unwrap();
        (raw, meta)
    }

    const META: &str = r#""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#;

    #[test]
    fn method_and_name_headers_must_match_the_body() {
        let server = McpServer::new("demo");
        let (raw, params) = meta(&format!(r#"{{"name":"echo",{META}}}"#));
        let check =
            |h: &HeaderMap| check_standard_headers(&server, h, "tools/call", Some(&raw), &params);
        assert!(check(&headers(&[
            ("mcp-method", "tools/call"),
            ("mcp-name", " echo ")
        ]))
        .is_ok());
        let encoded = headers(&[
            ("mcp-method", "tools/call"),
            ("mcp-name", "=?base64?ZWNobw==?="),
        ]);
        assert!(check(&encoded).is_ok());
        for bad in [
            headers(&[("mcp-name", "echo")]),
            headers(&[("mcp-method", "TOOLS/CALL"), ("mcp-name", "echo")]),
            headers(&[("mcp-method", "tools/call")]),
            headers(&[("mcp-method", "tools/call"), ("mcp-name", "other")]),
            headers(&[
                ("mcp-method", "tools/call"),
                ("mcp-name", "=?base64?ZWNobw?="),
            ]),
            headers(&[
                ("mcp-method", "tools/call"),
                ("mcp-name", "=?base64?b3RoZXI=?="),
            ]),
        ] {
            assert_eq!(check(&bad).unwrap_err().code, HEADER_MISMATCH);
        }
        let (_, none) = meta(&format!("{{{META}}}"));
        let list = headers(&[("mcp-method", "tools/list")]);
        assert!(check_standard_headers(&server, &list, "tools/list", None, &none).is_ok());
    }
}
