//! `POST /mcp` on the stateless 2026-07-28 wire: validate `_meta` and the standard headers in
//! the order the spec's clients expect, then serve the request on its own response stream.
//! Closing that stream drops the call (cancellation on the 2026 wire).

use std::sync::Arc;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use quickmcp_core::error::code;
use quickmcp_core::jsonrpc::{self, Message};
use quickmcp_core::protocol::headers::decode_header_value;
use quickmcp_core::protocol::v2026::{
    self, header_mismatch, ParamsProbe, RequestMeta, HEADER_MISMATCH, MISSING_CLIENT_CAPABILITY,
    UNSUPPORTED_VERSION,
};
use quickmcp_core::{Inbound, McpError, McpServer, MessageSink};
use serde_json::value::RawValue;

use super::post::single;
use super::VERSION_HEADER;
use crate::response::HttpError;
use crate::router::HttpState;
use crate::sse::{self, ChannelSink, RequestBody, RequestStream, SessionStream};
use tokio::sync::mpsc;

const METHOD_HEADER: &str = "mcp-method";
const NAME_HEADER: &str = "mcp-name";

/// Whether a session-less message belongs to the 2026 wire: its `_meta` says so, or the
/// `MCP-Protocol-Version` header names 2026-07-28 (an `initialize` without `_meta` stays legacy).
/// When it does, what its params told (read once, for [`serve`]).
pub(crate) fn probe(headers: &HeaderMap, message: &Message) -> Option<ParamsProbe> {
    let header_modern = || {
        headers
            .get(VERSION_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == v2026::VERSION)
    };
    let (params, initialize) = match message {
        Message::Request(r) => (r.params.as_deref(), &*r.method == "initialize"),
        Message::Notification(n) => (n.params.as_deref(), false),
        Message::Response(_) => return None,
    };
    let probe = ParamsProbe::read(params);
    (probe.declared() || (!initialize && header_modern())).then_some(probe)
}

/// The HTTP status of a modern error.
fn status(error: &McpError) -> StatusCode {
    match error.code {
        code::METHOD_NOT_FOUND => StatusCode::NOT_FOUND,
        HEADER_MISMATCH | MISSING_CLIENT_CAPABILITY | UNSUPPORTED_VERSION => {
            StatusCode::BAD_REQUEST
        }
        _ => StatusCode::OK,
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .map(|v| v.to_str().map(str::trim).unwrap_or("\u{0}"))
}

/// `Mcp-Method` must equal the method; `Mcp-Name` (after `=?base64?…?=` decoding) the tool or
/// prompt name, resource URI or task id (`tasks/get|update|cancel`); a `tools/call`'s
/// `Mcp-Param-*` headers its arguments.
fn check_headers(
    server: &McpServer,
    headers: &HeaderMap,
    method: &str,
    params: Option<&RawValue>,
    probe: &ParamsProbe,
) -> Result<(), McpError> {
    match header(headers, METHOD_HEADER) {
        None => return Err(header_mismatch("the Mcp-Method header is missing")),
        Some(value) if value != method => {
            return Err(header_mismatch(format!(
                "the Mcp-Method header `{value}` does not match the method `{method}`"
            )))
        }
        Some(_) => {}
    }
    let expected = match method {
        "tools/call" | "prompts/get" => probe.name(),
        "resources/read" => probe.uri(),
        "tasks/get" | "tasks/update" | "tasks/cancel" => probe.task_id(),
        _ => return Ok(()),
    };
    let Some(sent) = header(headers, NAME_HEADER) else {
        return Err(header_mismatch("the Mcp-Name header is missing"));
    };
    let sent = decode_header_value(sent)
        .map_err(|e| header_mismatch(format!("the Mcp-Name header is malformed: {e}")))?;
    if let Some(expected) = expected.filter(|expected| *expected != sent) {
        return Err(header_mismatch(format!(
            "the Mcp-Name header `{sent}` does not match `{expected}`"
        )));
    }
    match (method, probe.name()) {
        ("tools/call", Some(tool)) => server.check_param_headers(tool, params, headers),
        _ => Ok(()),
    }
}

/// Validates a modern request: `_meta` (-32602), then `MCP-Protocol-Version` against it
/// (-32020), then the version (-32022), then the standard headers (-32020).
fn validate(
    server: &McpServer,
    headers: &HeaderMap,
    request: &jsonrpc::Request,
    probe: ParamsProbe,
) -> Result<RequestMeta, HttpError> {
    let reject = |error: McpError| {
        HttpError::new(StatusCode::BAD_REQUEST, error).with_id(Some(request.id.clone()))
    };
    let meta = probe.meta().map_err(|e| reject(e.clone()))?;
    match header(headers, VERSION_HEADER) {
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
    check_headers(
        server,
        headers,
        &request.method,
        request.params.as_deref(),
        &probe,
    )
    .map_err(reject)?;
    probe.into_meta().map_err(reject)
}

/// Serves one message of the 2026 wire.
pub(crate) async fn serve(
    state: &HttpState,
    parts: Parts,
    message: Message,
    probe: ParamsProbe,
) -> Result<Response, HttpError> {
    let request = match message {
        Message::Request(request) => request,
        // The 2026 wire defines no client notifications over HTTP: accept and ignore them.
        Message::Notification(_) | Message::Response(_) => {
            return Ok(StatusCode::ACCEPTED.into_response())
        }
    };
    let meta = validate(&state.server, &parts.headers, &request, probe)?;
    if &*request.method == "subscriptions/listen" {
        return listen(state, &parts, &request);
    }
    let id = request.id.clone();
    let server = state.server.clone();
    let stream = Arc::new(RequestStream::closable(false));
    let inbound = Inbound {
        session: None,
        sink: (!state.json_response).then(|| stream.clone() as Arc<dyn MessageSink>),
        http: Some(parts),
        modern: Some(Arc::new(meta)),
    };
    let mut reply = Box::pin(async move { server.handle_modern(request, inbound).await });
    let error = |e: McpError| HttpError::new(status(&e), e).with_id(Some(id.clone()));
    if state.json_response {
        return match reply.await {
            Some(Ok(bytes)) => Ok(crate::response::json_body(bytes)),
            Some(Err(e)) => Err(error(e)),
            None => Ok(StatusCode::ACCEPTED.into_response()),
        };
    }
    match (&mut reply).now_or_never() {
        Some(Some(Ok(bytes))) => Ok(single(state, bytes, Some(&stream))),
        Some(Some(Err(e))) if status(&e) != StatusCode::OK || stream.is_empty() => Err(error(e)),
        Some(Some(Err(e))) => Ok(single(
            state,
            jsonrpc::error_response(Some(&id), &e),
            Some(&stream),
        )),
        Some(None) => Ok(StatusCode::ACCEPTED.into_response()),
        None => {
            let id = id.clone();
            let reply = Box::pin(async move {
                reply
                    .await
                    .map(|r| r.unwrap_or_else(|e| jsonrpc::error_response(Some(&id), &e)))
            });
            Ok(sse::response(Body::from_stream(RequestBody::new(
                reply, stream,
            ))))
        }
    }
}

/// `subscriptions/listen`: an SSE stream that starts with the acknowledgement and carries the
/// matching notifications, with keep-alive comments, until the client closes it (or the
/// server shuts down), which ends the subscription.
fn listen(
    state: &HttpState,
    parts: &Parts,
    request: &jsonrpc::Request,
) -> Result<Response, HttpError> {
    let reject = |e: McpError| HttpError::new(status(&e), e).with_id(Some(request.id.clone()));
    if !state.server.serves_modern(&request.method) {
        return Err(reject(McpError::method_not_found(&request.method)));
    }
    let (tx, rx) = mpsc::unbounded_channel();
    let sink = Arc::new(ChannelSink::plain(tx));
    let subscription = state
        .server
        .listen(&request.id, request.params.as_deref(), sink)
        .map_err(reject)?;
    let body = SessionStream::new(
        rx,
        state.keep_alive,
        super::get::shutdown(parts),
        move || drop(subscription),
    );
    Ok(sse::response(Body::from_stream(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::value::RawValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn method_and_name_headers_must_match_the_body() {
        let server = McpServer::new("demo");
        let raw = RawValue::from_string(r#"{"name":"echo"}"#.into()).unwrap();
        let params = ParamsProbe::read(Some(&raw));
        let ok = headers(&[("mcp-method", "tools/call"), ("mcp-name", " echo ")]);
        assert!(check_headers(&server, &ok, "tools/call", Some(&raw), &params).is_ok());
        let encoded = headers(&[
            ("mcp-method", "tools/call"),
            ("mcp-name", "=?base64?ZWNobw==?="),
        ]);
        assert!(check_headers(&server, &encoded, "tools/call", Some(&raw), &params).is_ok());
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
            let err = check_headers(&server, &bad, "tools/call", Some(&raw), &params).unwrap_err();
            assert_eq!(err.code, HEADER_MISMATCH);
        }
        let list = headers(&[("mcp-method", "tools/list")]);
        let none = ParamsProbe::read(None);
        assert!(check_headers(&server, &list, "tools/list", None, &none).is_ok());
    }

    #[test]
    fn statuses_follow_the_2026_transport() {
        assert_eq!(
            status(&McpError::method_not_found("x")),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(&v2026::unsupported_version("v9")),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(&McpError::invalid_params("unknown tool")),
            StatusCode::OK
        );
    }
}
