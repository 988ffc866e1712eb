//! Server-sent events: framing, and the two kinds of streams the transports return.
//!
//! - [`RequestStream`]: the messages one request emits before its response, then the response.
//! - [`SessionStream`]: a long-lived stream (the GET stream, the legacy SSE stream) fed by a
//!   channel, with keep-alive comments, closed at server shutdown.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::{BufMut, Bytes, BytesMut};
use futures_util::Stream;
use parking_lot::Mutex;
use quickmcp_core::MessageSink;
use tokio::sync::mpsc;
use tokio::time::Interval;
use tokio_util::sync::WaitForCancellationFutureOwned;

/// One `message` event carrying a JSON-RPC message, written as a single chunk.
pub(crate) fn message_event(json: &[u8]) -> Bytes {
    named_event("message", json)
}

/// One event of any name; `data` must be a single line (serialized JSON always is).
pub(crate) fn named_event(name: &str, data: &[u8]) -> Bytes {
    let mut buf = BytesMut::with_capacity(data.len() + name.len() + 16);
    buf.put_slice(b"event: ");
    buf.put_slice(name.as_bytes());
    buf.put_slice(b"\ndata: ");
    buf.put_slice(data);
    buf.put_slice(b"\n\n");
    buf.freeze()
}

const KEEP_ALIVE: &[u8] = b": keep-alive\n\n";

/// A `text/event-stream` response around `body`.
pub(crate) fn response(body: Body) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::HeaderName::from_static("x-accel-buffering"),
                HeaderValue::from_static("no"),
            ),
        ],
        body,
    )
        .into_response()
}

type Reply = Pin<Box<dyn Future<Output = Option<Bytes>> + Send>>;

/// The stream of one request: notifications queued by the running handler, then its response.
#[derive(Default)]
pub(crate) struct RequestStream {
    state: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    messages: VecDeque<Bytes>,
    waker: Option<Waker>,
    closed: bool,
}

impl MessageSink for RequestStream {
    fn send(&self, message: Bytes) -> bool {
        let mut state = self.state.lock();
        if state.closed {
            return false;
        }
        state.messages.push_back(message);
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
        true
    }
}

impl RequestStream {
    fn take(&self) -> Option<Bytes> {
        self.state.lock().messages.pop_front()
    }

    /// Drains what is already queued into one chunk (the fast path writes it in one flush).
    pub(crate) fn drain_events(&self, out: &mut BytesMut) {
        for message in self.state.lock().messages.drain(..) {
            out.put_slice(&message_event(&message));
        }
    }
}

/// The body of a request whose handler is still running: forwards its messages as they come,
/// then the response, then ends. Dropping it (the client went away) drops the handler.
pub(crate) struct RequestBody {
    reply: Option<Reply>,
    stream: Arc<RequestStream>,
}

impl RequestBody {
    pub(crate) fn new(reply: Reply, stream: Arc<RequestStream>) -> Self {
        Self {
            reply: Some(reply),
            stream,
        }
    }
}

impl Stream for RequestBody {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(message) = self.stream.take() {
            return Poll::Ready(Some(Ok(message_event(&message))));
        }
        let Some(reply) = self.reply.as_mut() else {
            return Poll::Ready(None);
        };
        match reply.as_mut().poll(cx) {
            Poll::Ready(response) => {
                self.reply = None;
                let mut out = BytesMut::new();
                self.stream.drain_events(&mut out);
                if let Some(response) = response {
                    out.put_slice(&message_event(&response));
                }
                Poll::Ready((!out.is_empty()).then(|| Ok(out.freeze())))
            }
            Poll::Pending => {
                let mut state = self.stream.state.lock();
                if let Some(message) = state.messages.pop_front() {
                    return Poll::Ready(Some(Ok(message_event(&message))));
                }
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Drop for RequestBody {
    fn drop(&mut self) {
        self.stream.state.lock().closed = true;
    }
}

/// A long-lived stream's sending half, given to the session.
pub(crate) struct ChannelSink(pub(crate) mpsc::UnboundedSender<Bytes>);

impl MessageSink for ChannelSink {
    fn send(&self, message: Bytes) -> bool {
        self.0.send(message).is_ok()
    }
}

/// A long-lived stream's body: channel messages as `message` events, keep-alive comments, an
/// optional first event, and `on_close` run when the stream ends for any reason.
pub(crate) struct SessionStream {
    first: Option<Bytes>,
    messages: mpsc::UnboundedReceiver<Bytes>,
    keep_alive: Interval,
    shutdown: Option<Pin<Box<WaitForCancellationFutureOwned>>>,
    on_close: Option<Box<dyn FnOnce() + Send>>,
}

impl SessionStream {
    pub(crate) fn new(
        messages: mpsc::UnboundedReceiver<Bytes>,
        keep_alive: Duration,
        shutdown: Option<WaitForCancellationFutureOwned>,
        on_close: impl FnOnce() + Send + 'static,
    ) -> Self {
        let mut keep_alive = tokio::time::interval(keep_alive);
        keep_alive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        keep_alive.reset();
        Self {
            first: None,
            messages,
            keep_alive,
            shutdown: shutdown.map(Box::pin),
            on_close: Some(Box::new(on_close)),
        }
    }

    pub(crate) fn starting_with(mut self, event: Bytes) -> Self {
        self.first = Some(event);
        self
    }
}

impl Stream for SessionStream {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(first)));
        }
        if self
            .shutdown
            .as_mut()
            .is_some_and(|s| s.as_mut().poll(cx).is_ready())
        {
            return Poll::Ready(None);
        }
        match self.messages.poll_recv(cx) {
            Poll::Ready(Some(message)) => {
                self.keep_alive.reset();
                return Poll::Ready(Some(Ok(message_event(&message))));
            }
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        match self.keep_alive.poll_tick(cx) {
            Poll::Ready(_) => Poll::Ready(Some(Ok(Bytes::from_static(KEEP_ALIVE)))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for SessionStream {
    fn drop(&mut self) {
        if let Some(on_close) = self.on_close.take() {
            on_close();
        }
    }
}
