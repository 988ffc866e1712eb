//! `POST /mcp`: one JSON-RPC message in; a JSON body, an SSE stream, or 202 out.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use futures_util::FutureExt;
use quickmcp_core::jsonrpc::{self, Message};
use quickmcp_core::{Inbound, MessageSink, SessionMode};

use super::modern;
use super::resume::Target;
use super::{accepts_each, check_version, find_session, has_session, is_json, SESSION_HEADER};
use crate::response::{json_body, HttpError};
use crate::router::HttpState;
use crate::sse::{self, RequestBody, RequestStream};

pub(crate) async fn handle(State(state): State<Arc<HttpState>>, request: Request) -> Response {
    serve(state, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn serve(state: Arc<HttpState>, request: Request) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    state.guard.check(&parts)?;
    if !accepts_each(&parts.headers, ["application/json", "text/event-stream"]) {
        return Err(HttpError::not_acceptable(
            "both application/json and text/event-stream",
        ));
    }
    if !is_json(&parts.headers) {
        return Err(HttpError::unsupported_media_type());
    }
    let bytes = read_body(body, state.body_limit).await?;
    let message = Message::parse(&bytes).map_err(|failure| {
        HttpError::new(StatusCode::BAD_REQUEST, failure.error).with_id(failure.id)
    })?;
    // A known session is the 2025 wire; without one, `_meta` (or the 2026 version header)
    // selects the stateless 2026 wire.
    if !has_session(&parts.headers) {
        if let Some(probe) = modern::probe(&parts.headers, &message) {
            return modern::serve(&state, parts, message, probe).await;
        }
    }
    check_version(&parts.headers)?;
    if let Message::Request(request) = &message {
        if &*request.method == "initialize" {
            return Ok(initialize(&state, request));
        }
    }
    let session = if state.stateless {
        None
    } else {
        Some(find_session(&state, &parts.headers)?)
    };
    match message {
        Message::Request(request) => Ok(respond(
            &state,
            request,
            Inbound {
                session,
                sink: None,
                http: Some(parts),
                modern: None,
            },
        )
        .await),
        Message::Notification(notification) => {
            state
                .server
                .handle_notification(&notification, session.as_deref());
            Ok(StatusCode::ACCEPTED.into_response())
        }
        Message::Response(response) => {
            state.server.handle_response(response, session.as_deref());
            Ok(StatusCode::ACCEPTED.into_response())
        }
    }
}

pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, HttpError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let inner = e.into_inner();
        if inner
            .downcast_ref::<http_body_util::LengthLimitError>()
            .is_some()
        {
            HttpError::payload_too_large(limit)
        } else {
            HttpError::unreadable_body(inner)
        }
    })
}

fn initialize(state: &HttpState, request: &jsonrpc::Request) -> Response {
    let mode = if state.stateless {
        SessionMode::None
    } else {
        SessionMode::Stored
    };
    match state.server.initialize(request, mode) {
        Ok(done) => {
            let mut response = single(state, done.response, None);
            if let Some(session) = done.session {
                if let Ok(id) = HeaderValue::from_str(session.id()) {
                    response.headers_mut().insert(SESSION_HEADER, id);
                }
            }
            response
        }
        Err(refused) => {
            let mut response = json_body(refused.response);
            *response.status_mut() = if refused.overloaded {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::BAD_REQUEST
            };
            response
        }
    }
}

/// Runs the request. A handler that finishes on its first poll (most do) is answered with one
/// body written in one flush; one still running gets a stream of its messages and the reply.
async fn respond(state: &HttpState, request: jsonrpc::Request, mut inbound: Inbound) -> Response {
    let server = state.server.clone();
    if state.json_response {
        return reply_json(server.handle_request(request, inbound).await);
    }
    let resume = Target::of(state, inbound.session.as_ref());
    let closable = resume.as_ref().is_some_and(|target| target.priming);
    let stream = Arc::new(RequestStream::closable(closable));
    inbound.sink = Some(stream.clone() as Arc<dyn MessageSink>);
    let mut reply = Box::pin(async move { server.handle_request(request, inbound).await });
    match ((&mut reply).now_or_never(), resume) {
        (Some(reply), _) => single(state, reply.unwrap_or_default(), Some(&stream)),
        (None, Some(target)) => target.respond(state, reply, stream),
        (None, None) => sse::response(Body::from_stream(RequestBody::new(reply, stream))),
    }
}

fn reply_json(reply: Option<Bytes>) -> Response {
    match reply {
        Some(bytes) => json_body(bytes),
        None => StatusCode::ACCEPTED.into_response(),
    }
}

/// One finished reply: a JSON body, or an SSE body holding any queued messages and the reply.
pub(super) fn single(state: &HttpState, reply: Bytes, queued: Option<&RequestStream>) -> Response {
    if state.json_response {
        return reply_json((!reply.is_empty()).then_some(reply));
    }
    // Written in place: the events' framing adds about 25 bytes to the reply.
    let mut out = BytesMut::with_capacity(reply.len() + 32);
    if let Some(queued) = queued {
        queued.drain_events(&mut out);
    }
    if !reply.is_empty() {
        sse::put_named_event(&mut out, "message", &reply);
    }
    sse::response(Body::from(out.freeze()))
}
