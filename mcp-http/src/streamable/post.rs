//! `POST /mcp`: one JSON-RPC message in, on either era (the service decides which); a JSON
//! body, an SSE stream, or 202 out.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;
use http_body_util::BodyExt;
use quickmcp_core::session::EventId;
use quickmcp_core::{
    Era, Inbound, McpResponse, MessageSink, Outgoing, Prepared, ProtocolVersion, Session,
    SessionRef,
};

use super::{
    accepts_each, check_version, has_session, is_json, SESSION_HEADER, SESSION_HEADER_NAME,
};
use crate::response::{json_body, HttpError};
use crate::sse::{self, Reply, RequestBody, RequestStream, Resumable, StreamBody};
use crate::state::HttpState;
use crate::v2026;

pub(crate) async fn handle(State(state): State<Arc<HttpState>>, request: Request) -> Response {
    serve(state, request)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn serve(state: Arc<HttpState>, request: Request) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    if !accepts_each(&parts.headers, ["application/json", "text/event-stream"]) {
        return Err(HttpError::not_acceptable(
            "both application/json and text/event-stream",
        ));
    }
    if !is_json(&parts.headers) {
        return Err(HttpError::unsupported_media_type());
    }
    // A request naming a session is on the 2025 wire: its version is checked before the
    // session is looked up.
    let named = has_session(&parts.headers);
    if named {
        check_version(&parts.headers)?;
    }
    let bytes = read_body(body, state.body_limit).await?;
    let session = if state.stateless {
        SessionRef::None
    } else {
        SessionRef::Named(parts.headers.get(&SESSION_HEADER_NAME).cloned())
    };
    let stream = (!state.json_response).then(|| Arc::new(RequestStream::default()));
    let inbound = Inbound {
        session,
        sink: stream.clone().map(|s| s as Arc<dyn MessageSink>),
        http: Some(parts),
    };
    let request = match state.service.prepare(&bytes, inbound) {
        Prepared::Request(request) => request,
        Prepared::Accepted => return Ok(StatusCode::ACCEPTED.into_response()),
        Prepared::Rejected(rejection) => return Err(rejection.into()),
        Prepared::Loading(loading) => loading.await?,
    };
    let target = match request.era() {
        Era::V2026 => {
            v2026::check_headers(&state.server, &request)?;
            if request.method() == "subscriptions/listen" {
                return v2026::listen(&state, request);
            }
            None
        }
        Era::V2025 => {
            if !named {
                let headers = request.cx().headers();
                check_version(headers.expect("an HTTP request"))?;
            }
            Target::of(&state, request.cx().session())
        }
    };
    if let (Some(stream), Some(target)) = (&stream, &target) {
        stream.set_closable(target.priming);
    }
    let opens = request.method() == "initialize";
    let mut outgoing = state.service.call(request);
    if let (true, Outgoing::Running(running)) = (opens, &mut outgoing) {
        // An `initialize` is awaited whole, held back by a layer (a rate limit) or waiting for
        // the session store: the session it opens is named in the response's headers, which a
        // stream would send before it.
        outgoing = Outgoing::Ready(running.await);
    }
    Ok(respond(&state, outgoing, stream, target).await)
}

pub(crate) async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, HttpError> {
    // The usual body arrives as one frame: handed on as it is, without `collect`'s list of
    // buffers; later frames are joined. Trailers are ignored, as `to_bytes` does.
    let mut whole: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| HttpError::unreadable_body(e.into_inner()))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let read = whole.as_ref().map_or(0, Bytes::len) + joined.len() + data.len();
        if read > limit {
            return Err(HttpError::payload_too_large(limit));
        }
        match whole.take() {
            None if joined.is_empty() => whole = Some(data),
            first => {
                joined.extend_from_slice(first.as_deref().unwrap_or_default());
                joined.extend_from_slice(&data);
            }
        }
    }
    Ok(whole.unwrap_or_else(|| joined.freeze()))
}

/// Answers a request: one that finished on its first poll (most do) with one body written in
/// one flush; one still running with a stream of its messages and the reply (or, in JSON
/// mode, with the reply once it comes).
async fn respond(
    state: &HttpState,
    outgoing: Outgoing,
    stream: Option<Arc<RequestStream>>,
    target: Option<Target>,
) -> Response {
    let Some(stream) = stream else {
        return match outgoing.resolve().await {
            Some(Ok(response)) => answered(state, response, None),
            Some(Err(rejection)) => HttpError::from(rejection).into_response(),
            None => StatusCode::ACCEPTED.into_response(),
        };
    };
    match outgoing {
        Outgoing::Ready(Ok(response)) => answered(state, response, Some(&stream)),
        // A rejection with a status of its own, or before anything was streamed, is a plain
        // HTTP error; one after messages went out ends the stream as a JSON-RPC error.
        Outgoing::Ready(Err(rejection)) if rejection.status().is_some() || stream.is_empty() => {
            HttpError::from(rejection).into_response()
        }
        Outgoing::Ready(Err(rejection)) => single(state, rejection.to_response(), Some(&stream)),
        Outgoing::Running(running) => {
            let reply = sse::reply(running);
            match target {
                Some(target) => target.respond(state, reply, stream).await,
                None => sse::response(Body::from_stream(RequestBody::new(reply, stream))),
            }
        }
        Outgoing::Accepted => StatusCode::ACCEPTED.into_response(),
    }
}

/// A finished response, naming the session an `initialize` opened.
fn answered(state: &HttpState, response: McpResponse, queued: Option<&RequestStream>) -> Response {
    let session = response.opened_session().cloned();
    let mut reply = single(state, response.into_body(), queued);
    if let Some(session) = session {
        if let Ok(id) = HeaderValue::from_str(session.id()) {
            reply.headers_mut().insert(SESSION_HEADER, id);
        }
    }
    reply
}

fn reply_json(reply: Bytes) -> Response {
    if reply.is_empty() {
        return StatusCode::ACCEPTED.into_response();
    }
    json_body(reply)
}

/// One finished reply: a JSON body, or an SSE body holding any queued messages and the reply.
pub(super) fn single(state: &HttpState, reply: Bytes, queued: Option<&RequestStream>) -> Response {
    if state.json_response {
        return reply_json(reply);
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

/// Whether a slow POST of `session` gets a resumable stream, and with a priming event.
pub(crate) struct Target {
    session: Arc<Session>,
    /// 2025-11-25 and later: a priming event first, and the handler may close the stream.
    pub(crate) priming: bool,
}

impl Target {
    /// Streams are resumable when the app keeps events and the session speaks Streamable HTTP
    /// (2025-03-26 and later); only 2025-11-25 clients get priming events, as older ones fail
    /// on their empty data. Cheap: it runs before every call, the fast ones included.
    pub(crate) fn of(state: &HttpState, session: Option<&Arc<Session>>) -> Option<Self> {
        let session = session?;
        let version = session.protocol_version();
        if !state.resumable || state.json_response || version < ProtocolVersion::V2025_03_26 {
            return None;
        }
        Some(Self {
            session: session.clone(),
            priming: version >= ProtocolVersion::V2025_11_25,
        })
    }

    /// The SSE response of a slow handler: what it queued so far, then the rest, through the
    /// store (a plain stream if the sessions have no store after all).
    pub(crate) async fn respond(
        self,
        state: &HttpState,
        reply: Reply,
        queued: Arc<RequestStream>,
    ) -> Response {
        let Some(store) = state.server.sessions().event_store() else {
            return sse::response(Body::from_stream(RequestBody::new(reply, queued)));
        };
        let stream = Resumable::open(store, self.session.id(), state.live.clone()).await;
        let head = self
            .priming
            .then(|| sse::priming_event(EventId::start(stream.stream()), state.retry));
        // The reader first: a close the handler asked for on its first poll applies to it.
        let body = StreamBody::post(head, reply, stream.clone());
        queued.make_resumable(stream);
        sse::response(Body::from_stream(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(chunks: &[&'static str]) -> Body {
        let frames = chunks
            .iter()
            .map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c.as_bytes())));
        Body::from_stream(futures_util::stream::iter(frames.collect::<Vec<_>>()))
    }

    #[tokio::test]
    async fn a_body_is_read_whole_from_one_frame_or_many() {
        let one = read_body(chunked(&[r#"{"a":1}"#]), 64).await.unwrap();
        assert_eq!(one, r#"{"a":1}"#);
        let many = read_body(chunked(&["", r#"{"a""#, ":", "1}"]), 64)
            .await
            .unwrap();
        assert_eq!(many, r#"{"a":1}"#);
        assert!(read_body(chunked(&[]), 64).await.unwrap().is_empty());
        assert_eq!(
            read_body(chunked(&["1234", "5678"]), 8).await.unwrap(),
            "12345678"
        );
        for over in [&["123456789"][..], &["1234", "56789"]] {
            let refused = read_body(chunked(over), 8).await.unwrap_err();
            assert_eq!(
                refused.into_response().status(),
                StatusCode::PAYLOAD_TOO_LARGE
            );
        }
    }
}
