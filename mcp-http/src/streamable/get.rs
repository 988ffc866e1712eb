//! `GET /mcp`: the session's standalone SSE stream, for messages not tied to a request; with
//! `Last-Event-ID`, the resumption of a stream the client lost (standalone or POST).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use quickmcp_core::session::{EventId, EventStore, ReplayError};
use quickmcp_core::{McpError, MessageSink, ProtocolVersion, Session};
use tokio_util::sync::WaitForCancellationFutureOwned;

use super::{accepts, check_version, find_session};
use crate::response::HttpError;
use crate::sse::{self, ChannelSink, SessionStream};
use crate::sse::{Resumable, StreamBody};
use crate::state::HttpState;

const LAST_EVENT_ID: &str = "last-event-id";

pub(crate) async fn handle(State(state): State<Arc<HttpState>>, request: Request) -> Response {
    open(&state, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn open(state: &HttpState, request: Request) -> Result<Response, HttpError> {
    let (parts, _) = request.into_parts();
    if state.stateless {
        return Err(HttpError::method_not_allowed(
            "this server is stateless: it has no standalone stream (POST only)",
        ));
    }
    if !accepts(&parts.headers, "text/event-stream") {
        return Err(HttpError::not_acceptable("text/event-stream"));
    }
    if !parts.headers.contains_key(super::SESSION_HEADER) {
        return Err(super::delete::no_session());
    }
    check_version(&parts.headers)?;
    let session = find_session(state, &parts.headers).await?;
    let store = if state.resumable {
        state.server.sessions().event_store()
    } else {
        None
    };
    let Some(store) = store else {
        return standalone(state, &parts, session, None).await;
    };
    let Some(last) = parts.headers.get(LAST_EVENT_ID) else {
        return standalone(state, &parts, session, Some((store, None))).await;
    };
    let last = last
        .to_str()
        .ok()
        .and_then(EventId::parse)
        .ok_or_else(|| unknown_event(ReplayError::Unknown))?;
    if last.stream == EventId::STANDALONE {
        standalone(state, &parts, session, Some((store, Some(last)))).await
    } else {
        resume_post_stream(state, &parts, &session, store, last).await
    }
}

/// Opens the standalone stream. With a store its events carry ids, and it starts with a
/// priming event (2025-11-25), or, when the client resumes after an id, with what it missed.
async fn standalone(
    state: &HttpState,
    parts: &Parts,
    session: Arc<Session>,
    from: Option<(Arc<dyn EventStore>, Option<EventId>)>,
) -> Result<Response, HttpError> {
    let slot = state.streams.open()?;
    let (tx, rx) = sse::channel(state.stream_backlog);
    let mut last = None;
    let sink: Arc<dyn MessageSink> = match &from {
        Some((store, _)) => {
            last = Some(store.open_standalone(session.id()).await);
            Arc::new(ChannelSink::stored(tx, store.clone(), session.id()))
        }
        None => Arc::new(ChannelSink::plain(tx)),
    };
    if !session.try_attach_stream(sink.clone()) {
        return Err(HttpError::conflict(
            "this session already has a standalone stream open",
        ));
    }
    // Attached first, replayed second: what is sent meanwhile is in both, and skipped once.
    let mut first = None;
    let mut skip_through = 0;
    match (&from, last) {
        (Some((_, None)), Some(last)) => {
            let primes = session.protocol_version() >= ProtocolVersion::V2025_11_25;
            first = primes.then(|| sse::priming_event(last, state.retry));
        }
        (Some((store, Some(after))), _) => {
            let events = match store.read_after(session.id(), *after).await {
                Ok(replay) => replay.events,
                Err(error) => {
                    session.detach_stream_if(&sink);
                    return Err(unknown_event(error));
                }
            };
            let mut chunk = bytes::BytesMut::new();
            for (id, message) in &events {
                sse::put_message_event(&mut chunk, *id, message);
                skip_through = id.seq;
            }
            first = (!chunk.is_empty()).then(|| chunk.freeze());
        }
        _ => {}
    }
    let mut body = SessionStream::new(rx, state.keep_alive, shutdown(parts), move || {
        session.detach_stream_if(&sink)
    })
    .skipping_through(skip_through)
    .holding(slot);
    if let Some(first) = first {
        body = body.starting_with(first);
    }
    Ok(sse::response(Body::from_stream(body)))
}

/// Resumes a POST stream: its events after `last`, then the rest of its call as it runs.
async fn resume_post_stream(
    state: &HttpState,
    parts: &Parts,
    session: &Session,
    store: Arc<dyn EventStore>,
    last: EventId,
) -> Result<Response, HttpError> {
    store
        .read_after(session.id(), last)
        .await
        .map_err(unknown_event)?;
    let stream = state
        .live
        .get(session.id(), last.stream)
        .unwrap_or_else(|| Resumable::stored(store, session.id(), last.stream));
    tracing::debug!(session = session.id(), stream = last.stream, after = %last, "stream resumed");
    let body = StreamBody::resume(stream, last, shutdown(parts));
    Ok(sse::response(Body::from_stream(body)))
}

fn shutdown(parts: &Parts) -> Option<WaitForCancellationFutureOwned> {
    crate::state::shutdown_of(&parts.extensions)
}

fn unknown_event(error: ReplayError) -> HttpError {
    let why = match error {
        ReplayError::Unknown => "this server never issued it in this session, or forgot its stream",
        ReplayError::Evicted => {
            "events after it were evicted to keep within the event store's bounds"
        }
    };
    HttpError::new(
        StatusCode::BAD_REQUEST,
        McpError::new(
            -32000,
            format!("cannot resume from Last-Event-ID: {why}; open a new stream without it (and retry the request if its answer is lost)"),
        ),
    )
}
