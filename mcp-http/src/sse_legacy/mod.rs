//! The HTTP+SSE transport of MCP 2024-11-05: `GET /sse` opens a stream whose first event,
//! `endpoint`, tells the client where to POST; answers travel back on the stream.
//!
//! The stream is the connection, and the session `initialize` opens on it. A POSTed request
//! runs through the service like any other; one still running is polled by the stream itself
//! (no task per request), so closing the stream drops the calls whose answers it would carry.
//! The endpoint is derived from the request's original URI, so it stays right however deep
//! the app is nested.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use quickmcp_core::session::new_session_id;
use quickmcp_core::{
    answer_message, Connection, Inbound, McpResponse, MessageSink, Outgoing, Prepared, Principal,
    Rejection, SessionRef,
};

use crate::response::HttpError;
use crate::sse::{self, ChannelSink, SessionStream};
use crate::state::{shutdown_of, HttpState};
use crate::streamable::is_json;
use crate::streamable::post::read_body;

pub(crate) mod connections;

use connections::Legacy;

pub(crate) async fn connect(
    State(state): State<Arc<HttpState>>,
    OriginalUri(original): OriginalUri,
    request: Request,
) -> Response {
    let slot = match state.streams.open() {
        Ok(slot) => slot,
        Err(full) => return full.into_response(),
    };
    let (parts, _) = request.into_parts();
    let id = new_session_id();
    let prefix = original.path().strip_suffix(parts.uri.path()).unwrap_or("");
    let endpoint = format!("{prefix}{}?session_id={id}", state.message_path);
    let (tx, rx) = sse::channel(state.stream_backlog);
    let legacy = Arc::new(Legacy {
        connection: Connection::new(Arc::new(ChannelSink::plain(tx))),
        calls: Arc::default(),
        owner: Principal::from_extensions(&parts.extensions).map(Principal::id),
    });
    state.legacy.0.lock().insert(id.clone(), legacy.clone());
    tracing::debug!(connection = &*id, endpoint, "legacy SSE connection opened");
    let closing = state.clone();
    let connection = legacy.connection.clone();
    let body = SessionStream::new(
        rx,
        state.keep_alive,
        shutdown_of(&parts.extensions),
        move || {
            closing.legacy.0.lock().remove(&id);
            // Whatever the session's tools asked the client can no longer be answered.
            closing.service.client_gone(&connection);
            connection.close();
        },
    )
    .holding(slot)
    .driving(legacy.calls.clone().drive())
    .starting_with(sse::named_event("endpoint", endpoint.as_bytes()));
    sse::response(Body::from_stream(body))
}

pub(crate) async fn message(State(state): State<Arc<HttpState>>, request: Request) -> Response {
    deliver(state, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

fn connection_id(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| match pair.split_once('=') {
            Some(("session_id" | "sessionId", value)) => Some(value),
            _ => None,
        })
}

async fn deliver(state: Arc<HttpState>, request: Request) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    let id = connection_id(parts.uri.query()).ok_or_else(|| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            quickmcp_core::McpError::invalid_request(
                "missing session_id query parameter: POST to the endpoint the SSE stream announced",
            ),
        )
    })?;
    let legacy = state
        .legacy
        .0
        .lock()
        .get(id)
        .cloned()
        .filter(|legacy| owned_by(legacy, &parts))
        .ok_or_else(HttpError::session_not_found)?;
    if !is_json(&parts.headers) {
        return Err(HttpError::unsupported_media_type());
    }
    let bytes = read_body(body, state.body_limit).await?;
    let sink = legacy.connection.sink().clone();
    let inbound = Inbound {
        session: SessionRef::Connection(legacy.connection.clone()),
        sink: Some(sink.clone()),
        http: Some(parts),
    };
    let request = match state.service.prepare(&bytes, inbound) {
        Prepared::Request(request) => request,
        Prepared::Accepted => return Ok(accepted()),
        Prepared::Rejected(rejection) => return Err(rejection.into()),
        Prepared::Loading(loading) => loading.await?,
    };
    match state.service.call(request) {
        // Refused before dispatch with an HTTP status (a missing scope, a limit): the POST
        // itself answers, as it does for a bad request.
        Outgoing::Ready(Err(rejection)) if rejection.status().is_some() => {
            return Err(rejection.into());
        }
        Outgoing::Ready(reply) => send(&*sink, reply),
        Outgoing::Running(running) => legacy.calls.push(Box::pin(async move {
            send(&*sink, running.await);
        })),
        Outgoing::Accepted => {}
    }
    Ok(accepted())
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, "Accepted").into_response()
}

/// Sends a request's answer on the stream.
fn send(sink: &dyn MessageSink, reply: Result<McpResponse, Rejection>) {
    if let Some(message) = answer_message(reply) {
        sink.send(message);
    }
}

/// Whether the request comes from the principal that opened the connection (any request
/// does when the stream was opened without authorization).
fn owned_by(legacy: &Legacy, parts: &axum::http::request::Parts) -> bool {
    legacy.owner.as_ref().is_none_or(|owner| {
        Principal::from_extensions(&parts.extensions).is_some_and(|p| p.is(owner))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_both_query_spellings() {
        assert_eq!(super::connection_id(Some("session_id=abc")), Some("abc"));
        assert_eq!(super::connection_id(Some("x=1&sessionId=def")), Some("def"));
        assert_eq!(super::connection_id(Some("x=1")), None);
        assert_eq!(super::connection_id(None), None);
    }
}
