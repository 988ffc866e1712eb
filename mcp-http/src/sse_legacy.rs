//! The HTTP+SSE transport of MCP 2024-11-05: `GET /sse` opens a stream whose first event,
//! `endpoint`, tells the client where to POST; answers travel back on the stream.
//!
//! The endpoint is derived from the request's original URI, so it stays right however deep
//! the app is nested.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use quickmcp_core::jsonrpc::Message;
use quickmcp_core::session::new_session_id;
use quickmcp_core::{Inbound, MessageSink, Principal, PrincipalId, Session, SessionMode};
use tokio::sync::mpsc;

use crate::response::HttpError;
use crate::router::{HttpState, Shutdown};
use crate::sse::{self, ChannelSink, SessionStream};
use crate::streamable::is_json;
use crate::streamable::post::read_body;

/// One open SSE connection: its stream, and the session `initialize` creates on it.
pub(crate) struct Connection {
    sink: Arc<dyn MessageSink>,
    session: OnceLock<Arc<Session>>,
    /// The principal that opened the stream (authorization on): only it may POST to it.
    owner: Option<PrincipalId>,
}

/// The open connections of one app, by the id in their endpoint URL.
#[derive(Default)]
pub(crate) struct Connections(Mutex<HashMap<Box<str>, Arc<Connection>>>);

pub(crate) async fn connect(
    State(state): State<Arc<HttpState>>,
    OriginalUri(original): OriginalUri,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    if let Err(rejected) = state.guard.check(&parts) {
        return rejected.into_response();
    }
    let id = new_session_id();
    let prefix = original.path().strip_suffix(parts.uri.path()).unwrap_or("");
    let endpoint = format!("{prefix}{}?session_id={id}", state.message_path);
    let (tx, rx) = mpsc::unbounded_channel();
    let connection = Arc::new(Connection {
        sink: Arc::new(ChannelSink::plain(tx)),
        session: OnceLock::new(),
        owner: Principal::from_extensions(&parts.extensions).map(Principal::id),
    });
    state.legacy.0.lock().insert(id.clone(), connection);
    tracing::debug!(connection = &*id, endpoint, "legacy SSE connection opened");
    let shutdown = parts
        .extensions
        .get::<Shutdown>()
        .map(|s| s.0.clone().cancelled_owned());
    let closing = state.clone();
    let body = SessionStream::new(rx, state.keep_alive, shutdown, move || {
        let gone = closing.legacy.0.lock().remove(&id);
        // Whatever the session's tools asked the client can no longer be answered.
        if let Some(session) = gone.as_ref().and_then(|c| c.session.get()) {
            closing
                .server
                .pending_requests()
                .close_session(session.id());
        }
    })
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
    state.guard.check(&parts)?;
    let id = connection_id(parts.uri.query()).ok_or_else(|| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            quickmcp_core::McpError::invalid_request(
                "missing session_id query parameter: POST to the endpoint the SSE stream announced",
            ),
        )
    })?;
    let connection = state
        .legacy
        .0
        .lock()
        .get(id)
        .cloned()
        .filter(|c| owned_by(c, &parts))
        .ok_or_else(HttpError::session_not_found)?;
    if !is_json(&parts.headers) {
        return Err(HttpError::unsupported_media_type());
    }
    let bytes = read_body(body, state.body_limit).await?;
    let message = Message::parse(&bytes).map_err(|failure| {
        HttpError::new(StatusCode::BAD_REQUEST, failure.error).with_id(failure.id)
    })?;
    let session = connection.session.get().cloned();
    match message {
        Message::Request(request) if &*request.method == "initialize" && session.is_none() => {
            let reply = match state.server.initialize(&request, SessionMode::Local) {
                Ok(done) => {
                    if let Some(session) = done.session {
                        session.try_attach_stream(connection.sink.clone());
                        let _ = connection.session.set(session);
                    }
                    done.response
                }
                Err(refused) => refused.response,
            };
            connection.sink.send(reply);
        }
        Message::Request(request) => {
            let server = state.server.clone();
            let inbound = Inbound {
                session,
                sink: Some(connection.sink.clone()),
                http: Some(parts),
                modern: None,
            };
            tokio::spawn(async move {
                if let Some(reply) = server.handle_request(request, inbound).await {
                    connection.sink.send(reply);
                }
            });
        }
        Message::Notification(notification) => state
            .server
            .handle_notification(&notification, session.as_deref()),
        Message::Response(response) => state.server.handle_response(response, session.as_deref()),
    }
    Ok((StatusCode::ACCEPTED, "Accepted").into_response())
}

/// Whether the request comes from the principal that opened the connection (any request
/// does when the stream was opened without authorization).
fn owned_by(connection: &Connection, parts: &axum::http::request::Parts) -> bool {
    connection.owner.as_ref().is_none_or(|owner| {
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
