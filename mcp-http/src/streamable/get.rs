//! `GET /mcp`: the session's standalone SSE stream, for messages not tied to a request.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use quickmcp_core::MessageSink;
use tokio::sync::mpsc;

use super::{accepts, check_version, find_session};
use crate::response::HttpError;
use crate::router::{HttpState, Shutdown};
use crate::sse::{self, ChannelSink, SessionStream};

pub(crate) async fn handle(State(state): State<Arc<HttpState>>, request: Request) -> Response {
    open(&state, request).unwrap_or_else(IntoResponse::into_response)
}

fn open(state: &HttpState, request: Request) -> Result<Response, HttpError> {
    let (parts, _) = request.into_parts();
    state.guard.check(&parts)?;
    if state.stateless {
        return Err(HttpError::method_not_allowed(
            "this server is stateless: it has no standalone stream (POST only)",
        ));
    }
    if !accepts(&parts.headers, "text/event-stream") {
        return Err(HttpError::not_acceptable("text/event-stream"));
    }
    check_version(&parts.headers)?;
    let session = find_session(state, &parts.headers)?;
    let (tx, rx) = mpsc::unbounded_channel();
    let sink: Arc<dyn MessageSink> = Arc::new(ChannelSink(tx));
    if !session.try_attach_stream(sink.clone()) {
        return Err(HttpError::conflict(
            "this session already has a standalone stream open",
        ));
    }
    let shutdown = parts
        .extensions
        .get::<Shutdown>()
        .map(|s| s.0.clone().cancelled_owned());
    let body = SessionStream::new(rx, state.keep_alive, shutdown, move || {
        session.detach_stream_if(&sink)
    });
    Ok(sse::response(Body::from_stream(body)))
}
