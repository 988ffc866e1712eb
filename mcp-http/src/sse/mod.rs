//! Server-sent events: framing, and the two kinds of streams the transports return.
//!
//! - [`RequestStream`]: the messages one request emits before its response, then the response.
//! - [`SessionStream`]: a long-lived stream (the GET stream, the legacy SSE stream) fed by a
//!   channel, with keep-alive comments, closed at server shutdown.
//!
//! A request stream the client may resume switches to
//! [`Resumable`] once its handler proves slow.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::{BufMut, Bytes, BytesMut};
use futures_util::Stream;
use parking_lot::Mutex;
use quickmcp_core::session::{EventId, EventStore, MaybeReady};
use quickmcp_core::MessageSink;
use tokio::sync::mpsc;
use tokio::time::Interval;
use tokio_util::sync::WaitForCancellationFutureOwned;

mod resumable;

pub(crate) use resumable::{LiveStreams, Resumable, StreamBody};

/// One `message` event carrying a JSON-RPC message, written as a single chunk.
pub(crate) fn message_event(json: &[u8]) -> Bytes {
    named_event("message", json)
}

/// One event of any name.
pub(crate) fn named_event(name: &str, data: &[u8]) -> Bytes {
    let mut buf = BytesMut::with_capacity(data.len() + name.len() + 16);
    put_named_event(&mut buf, name, data);
    buf.freeze()
}

/// Appends one event of any name to `buf`.
pub(crate) fn put_named_event(buf: &mut BytesMut, name: &str, data: &[u8]) {
    buf.put_slice(b"event: ");
    buf.put_slice(name.as_bytes());
    buf.put_slice(b"\n");
    put_data(buf, data);
}

/// Appends `data` and the blank line that ends the event. Serialized JSON is one line, but
/// JSON text kept as written (a `RawValue`) may hold line breaks: each line then gets its own
/// `data:` field, which the client joins back with `\n`.
fn put_data(buf: &mut BytesMut, data: &[u8]) {
    // The usual one line, found with two memchr scans rather than a byte-by-byte split.
    if !data.contains(&b'\n') && !data.contains(&b'\r') {
        buf.put_slice(b"data: ");
        buf.put_slice(data);
        buf.put_slice(b"\n\n");
        return;
    }
    let mut rest = data;
    loop {
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
        buf.put_slice(b"data: ");
        buf.put_slice(&rest[..end.unwrap_or(rest.len())]);
        buf.put_slice(b"\n");
        let Some(end) = end else { break };
        // `\r\n` is one line break, as the client reads it.
        let skip = if rest[end..].starts_with(b"\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
    }
    buf.put_slice(b"\n");
}

/// A `message` event with an `id`, so that the client can resume after it.
pub(crate) fn message_event_with_id(id: EventId, json: &[u8]) -> Bytes {
    let mut buf = BytesMut::with_capacity(json.len() + 48);
    put_message_event(&mut buf, id, json);
    buf.freeze()
}

/// Appends a `message` event with an `id` to `buf`.
pub(crate) fn put_message_event(buf: &mut BytesMut, id: EventId, json: &[u8]) {
    buf.put_slice(b"event: message\nid: ");
    // Formatted in place (BytesMut grows as needed, so this cannot fail).
    let _ = write!(buf, "{id}");
    buf.put_slice(b"\n");
    put_data(buf, json);
}

/// The priming event of a resumable stream (MCP 2025-11-25): an `id` to resume from, the
/// reconnection delay, and empty data that clients do not dispatch.
pub(crate) fn priming_event(id: EventId, retry: Duration) -> Bytes {
    Bytes::from(format!(
        "id: {id}\nretry: {}\ndata: \n\n",
        retry.as_millis()
    ))
}

const KEEP_ALIVE: &[u8] = b": keep-alive\n\n";

// Built once: `from_static` checks a name that is not a standard header on every call.
static ACCEL_BUFFERING: header::HeaderName = header::HeaderName::from_static("x-accel-buffering");

/// A `text/event-stream` response around `body`.
pub(crate) fn response(body: Body) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (ACCEL_BUFFERING.clone(), HeaderValue::from_static("no")),
        ],
        body,
    )
        .into_response()
}

/// A running request's answer as the bytes to send: its response, or the JSON-RPC error of a
/// rejection; `None` when there is nothing to send (the client cancelled).
pub(crate) type Reply = Pin<Box<dyn Future<Output = Option<Bytes>> + Send>>;

/// A running request of the service, as a [`Reply`].
pub(crate) fn reply(running: quickmcp_core::Running) -> Reply {
    Box::pin(async move { quickmcp_core::answer_message(running.await) })
}

/// The stream of one request: notifications queued by the running handler, then its response.
#[derive(Default)]
pub(crate) struct RequestStream {
    state: Mutex<Queue>,
    /// Whether [`MessageSink::close`] may close it (the client can resume it).
    closable: AtomicBool,
}

#[derive(Default)]
struct Queue {
    messages: VecDeque<Bytes>,
    waker: Option<Waker>,
    closed: bool,
    close_asked: bool,
    resumable: Option<Arc<Resumable>>,
}

impl MessageSink for RequestStream {
    fn send(&self, message: Bytes) -> bool {
        let mut state = self.state.lock();
        if let Some(resumable) = state.resumable.clone() {
            drop(state);
            return resumable.send(message);
        }
        if state.closed {
            return false;
        }
        state.messages.push_back(message);
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
        true
    }

    fn close(&self) -> bool {
        if !self.closable.load(Ordering::Relaxed) {
            return false;
        }
        let mut state = self.state.lock();
        match state.resumable.clone() {
            Some(resumable) => {
                drop(state);
                resumable.close();
            }
            None => state.close_asked = true,
        }
        true
    }
}

impl RequestStream {
    /// Lets the handler close the stream early (see [`MessageSink::close`]): set once the
    /// request's session is known, before the handler runs.
    pub(crate) fn set_closable(&self, closable: bool) {
        self.closable.store(closable, Ordering::Relaxed);
    }

    /// From now on the handler's messages go through `resumable` (and its store), the ones
    /// already queued first, so nothing is lost or reordered.
    pub(crate) fn make_resumable(&self, resumable: Arc<Resumable>) {
        let mut state = self.state.lock();
        for message in state.messages.drain(..) {
            resumable.send(message);
        }
        if std::mem::take(&mut state.close_asked) {
            resumable.close();
        }
        state.resumable = Some(resumable);
    }

    /// Whether nothing is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.state.lock().messages.is_empty()
    }

    fn take(&self) -> Option<Bytes> {
        self.state.lock().messages.pop_front()
    }

    /// Drains what is already queued into one chunk (the fast path writes it in one flush).
    pub(crate) fn drain_events(&self, out: &mut BytesMut) {
        for message in self.state.lock().messages.drain(..) {
            put_named_event(out, "message", &message);
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

/// One event for a [`SessionStream`]: framed, with its sequence number in the store (0 if
/// not stored); or still being stored, framed once the store gives its id.
pub(crate) enum Framed {
    Ready(u64, Bytes),
    Storing(MaybeReady<Option<EventId>>, Bytes),
}

impl Framed {
    fn size(&self) -> usize {
        match self {
            Self::Ready(_, event) => event.len(),
            Self::Storing(_, message) => message.len(),
        }
    }
}

/// A long-lived stream's channel, bounded in bytes: past `limit` bytes queued for a client
/// that does not read, a message is refused (`send` is `false`) rather than held. A stored
/// message stays in the event store, so the client gets it back by resuming with
/// `Last-Event-ID`; a message larger than the limit still goes through an empty backlog.
pub(crate) fn channel(limit: usize) -> (StreamSender, StreamReceiver) {
    let (tx, rx) = mpsc::unbounded_channel();
    let backlog = Arc::new(Backlog {
        bytes: AtomicUsize::new(0),
        limit,
    });
    (
        StreamSender {
            tx,
            backlog: backlog.clone(),
        },
        StreamReceiver { rx, backlog },
    )
}

struct Backlog {
    bytes: AtomicUsize,
    limit: usize,
}

/// The sending half of [`channel`].
pub(crate) struct StreamSender {
    tx: mpsc::UnboundedSender<Framed>,
    backlog: Arc<Backlog>,
}

impl StreamSender {
    fn send(&self, item: Framed) -> bool {
        let size = item.size();
        let before = self.backlog.bytes.fetch_add(size, Ordering::AcqRel);
        if before > 0 && before + size > self.backlog.limit {
            self.backlog.bytes.fetch_sub(size, Ordering::AcqRel);
            return false;
        }
        self.tx.send(item).is_ok()
    }

    fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

/// The receiving half of [`channel`].
pub(crate) struct StreamReceiver {
    rx: mpsc::UnboundedReceiver<Framed>,
    backlog: Arc<Backlog>,
}

impl StreamReceiver {
    fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Framed>> {
        let polled = self.rx.poll_recv(cx);
        if let Poll::Ready(Some(item)) = &polled {
            self.backlog.bytes.fetch_sub(item.size(), Ordering::AcqRel);
        }
        polled
    }

    /// Whether every sender is gone and nothing is left to read.
    fn is_done(&self) -> bool {
        self.rx.is_closed() && self.rx.is_empty()
    }
}

/// A message as an event: with the id the store gave it, else without.
fn framed(stored: Option<EventId>, message: &[u8]) -> (u64, Bytes) {
    match stored {
        Some(id) => (id.seq, message_event_with_id(id, message)),
        None => (0, message_event(message)),
    }
}

/// A long-lived stream's sending half, given to the session. With a store, every message is
/// stored (as the session's standalone stream) and sent with its id.
pub(crate) struct ChannelSink {
    tx: StreamSender,
    store: Option<(Arc<dyn EventStore>, Box<str>)>,
}

impl ChannelSink {
    /// Sends messages as they are, without ids (the legacy SSE stream).
    pub(crate) fn plain(tx: StreamSender) -> Self {
        Self { tx, store: None }
    }

    /// Stores each message as an event of `session`'s standalone stream before sending it.
    pub(crate) fn stored(tx: StreamSender, store: Arc<dyn EventStore>, session: &str) -> Self {
        Self {
            tx,
            store: Some((store, session.into())),
        }
    }
}

impl MessageSink for ChannelSink {
    fn send(&self, message: Bytes) -> bool {
        if self.tx.is_closed() {
            return false;
        }
        let Some((store, session)) = &self.store else {
            return self.tx.send(Framed::Ready(0, message_event(&message)));
        };
        // Sent once stored: an id goes out only after the store committed it.
        let item = match store
            .append(session, EventId::STANDALONE, message.clone())
            .now()
        {
            Ok(stored) => {
                let (seq, event) = framed(stored, &message);
                Framed::Ready(seq, event)
            }
            Err(storing) => Framed::Storing(storing, message),
        };
        self.tx.send(item)
    }
}

/// A long-lived stream's body: channel messages as `message` events, keep-alive comments, an
/// optional first event, and `on_close` run when the stream ends for any reason.
pub(crate) struct SessionStream {
    first: Option<Bytes>,
    /// Stored events up to this sequence number were already sent (replayed): skip them.
    skip_through: u64,
    messages: StreamReceiver,
    /// The message at the head of the channel, waiting for the store to give its id.
    storing: Option<(MaybeReady<Option<EventId>>, Bytes)>,
    keep_alive: Interval,
    shutdown: Option<Pin<Box<WaitForCancellationFutureOwned>>>,
    /// Work that lives as long as the stream and feeds it (a listen subscription, the calls
    /// of a legacy SSE connection); the stream ends when it does.
    driving: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
    on_close: Option<Box<dyn FnOnce() + Send>>,
    /// Its place among the app's open streams, given back when it is dropped.
    slot: Option<StreamSlot>,
}

/// The long-lived streams an app has open, and how many it may.
#[derive(Debug)]
pub(crate) struct Streams {
    open: AtomicUsize,
    max: usize,
}

impl Streams {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            open: AtomicUsize::new(0),
            max,
        }
    }

    /// A place for one more stream, or 503 when there is none.
    pub(crate) fn open(self: &Arc<Self>) -> Result<StreamSlot, crate::response::HttpError> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .map(|_| StreamSlot(self.clone()))
            .map_err(|_| crate::response::HttpError::too_many_streams(self.max))
    }
}

/// One open stream's place in [`Streams`].
#[derive(Debug)]
pub(crate) struct StreamSlot(Arc<Streams>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

impl SessionStream {
    /// Holds `slot` for as long as the stream lives.
    pub(crate) fn holding(mut self, slot: StreamSlot) -> Self {
        self.slot = Some(slot);
        self
    }

    pub(crate) fn new(
        messages: StreamReceiver,
        keep_alive: Duration,
        shutdown: Option<WaitForCancellationFutureOwned>,
        on_close: impl FnOnce() + Send + 'static,
    ) -> Self {
        let mut keep_alive = tokio::time::interval(keep_alive);
        keep_alive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        keep_alive.reset();
        Self {
            first: None,
            skip_through: 0,
            messages,
            storing: None,
            keep_alive,
            shutdown: shutdown.map(Box::pin),
            driving: None,
            on_close: Some(Box::new(on_close)),
            slot: None,
        }
    }

    /// Polls `work` with the stream, which ends when it does and drops it when it ends.
    pub(crate) fn driving(mut self, work: Pin<Box<dyn Future<Output = ()> + Send>>) -> Self {
        self.driving = Some(work);
        self
    }

    pub(crate) fn starting_with(mut self, event: Bytes) -> Self {
        self.first = Some(event);
        self
    }

    /// Skips channel events already replayed (stored sequence numbers up to `seq`).
    pub(crate) fn skipping_through(mut self, seq: u64) -> Self {
        self.skip_through = seq;
        self
    }
}

impl SessionStream {
    /// The next message of the channel, in order, once stored; `None` when none is ready.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Option<(u64, Bytes)> {
        if let Some((storing, _)) = &mut self.storing {
            let stored = match Pin::new(storing).poll(cx) {
                Poll::Ready(stored) => stored,
                Poll::Pending => return None,
            };
            let (_, message) = self.storing.take()?;
            return Some(framed(stored, &message));
        }
        match self.messages.poll_recv(cx) {
            Poll::Ready(Some(Framed::Ready(seq, event))) => Some((seq, event)),
            Poll::Ready(Some(Framed::Storing(storing, message))) => {
                self.storing = Some((storing, message));
                self.poll_message(cx)
            }
            Poll::Ready(None) | Poll::Pending => None,
        }
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
        let finished = self
            .driving
            .as_mut()
            .is_some_and(|work| work.as_mut().poll(cx).is_ready());
        while let Some((seq, event)) = self.poll_message(cx) {
            if seq == 0 || seq > self.skip_through {
                self.keep_alive.reset();
                return Poll::Ready(Some(Ok(event)));
            }
        }
        if self.messages.is_done() && self.storing.is_none() {
            return Poll::Ready(None);
        }
        if finished {
            return Poll::Ready(None);
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

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use quickmcp_core::session::MemoryEventStore;

    #[tokio::test]
    async fn standalone_events_are_stored_with_ids_and_replayed_ones_skipped() {
        let store = Arc::new(MemoryEventStore::default());
        store.open_standalone("s").await;
        let (tx, rx) = channel(usize::MAX);
        let sink = ChannelSink::stored(tx, store.clone(), "s");
        assert!(sink.send(Bytes::from_static(b"{\"n\":1}")));
        assert!(sink.send(Bytes::from_static(b"{\"n\":2}")));
        let mut body =
            SessionStream::new(rx, Duration::from_secs(60), None, || {}).skipping_through(1);
        let next = body.next().await.unwrap().unwrap();
        assert_eq!(&next[..], b"event: message\nid: 0-2\ndata: {\"n\":2}\n\n");
        let stored = store.read_after("s", EventId::start(0)).await.unwrap();
        assert_eq!(stored.events.len(), 2, "both went through the store");
    }

    #[test]
    fn line_breaks_in_a_message_become_data_lines_the_client_joins() {
        let pretty = b"{\n  \"a\": 1,\r\n  \"b\": [2]\n}";
        let event = message_event_with_id(EventId { stream: 1, seq: 3 }, pretty);
        assert_eq!(
            &event[..],
            &b"event: message\nid: 1-3\ndata: {\ndata:   \"a\": 1,\ndata:   \"b\": [2]\ndata: }\n\n"[..]
        );
        // What an SSE client dispatches: the data lines joined with "\n", still the same JSON.
        let data: Vec<&str> = std::str::from_utf8(&event)
            .unwrap()
            .lines()
            .filter_map(|line| line.strip_prefix("data: "))
            .collect();
        let joined: serde_json::Value = serde_json::from_str(&data.join("\n")).unwrap();
        assert_eq!(joined, serde_json::json!({"a": 1, "b": [2]}));
        assert_eq!(
            &message_event(b"{}")[..],
            b"event: message\ndata: {}\n\n",
            "one-line JSON is one data line"
        );
    }

    #[test]
    fn priming_events_have_an_id_a_retry_and_empty_data() {
        let event = priming_event(EventId { stream: 4, seq: 0 }, Duration::from_millis(1500));
        assert_eq!(&event[..], b"id: 4-0\nretry: 1500\ndata: \n\n");
    }

    /// The data of each event in `stream`, read as the SSE spec's client does: lines end at
    /// `\r\n`, `\n` or `\r`, and an event's `data` fields are joined with `\n`.
    fn client_data(stream: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(stream).unwrap();
        let (mut events, mut data) = (Vec::new(), None::<Vec<&str>>);
        for line in text.split("\r\n").flat_map(|l| l.split(['\n', '\r'])) {
            if line.is_empty() {
                events.extend(data.take().map(|fields| fields.join("\n")));
            } else if let Some(value) = line.strip_prefix("data:") {
                let value = value.strip_prefix(' ').unwrap_or(value);
                data.get_or_insert_with(Vec::new).push(value);
            }
        }
        events
    }

    #[test]
    fn a_stream_queues_up_to_its_backlog_then_refuses_until_read() {
        let (tx, mut rx) = channel(100);
        let event = || Framed::Ready(0, Bytes::from(vec![b'x'; 60]));
        assert!(tx.send(event()), "an empty backlog takes any message");
        assert!(
            !tx.send(event()),
            "120 bytes queued would pass the 100-byte limit"
        );
        let mut cx = Context::from_waker(Waker::noop());
        assert!(matches!(rx.poll_recv(&mut cx), Poll::Ready(Some(_))));
        assert!(tx.send(event()), "read: room again");
        let huge = Framed::Ready(0, Bytes::from(vec![b'x'; 500]));
        assert!(
            !tx.send(huge),
            "a message past the limit waits for an empty backlog"
        );
        assert!(matches!(rx.poll_recv(&mut cx), Poll::Ready(Some(_))));
        assert!(tx.send(Framed::Ready(0, Bytes::from(vec![b'x'; 500]))));
    }

    proptest::proptest! {
        /// Any text, line breaks of any kind included, reaches the client as it was written,
        /// with its line breaks as `\n`.
        #[test]
        fn any_data_survives_the_framing(data in "[a-z{}\":, \r\n]{0,40}", name in "[a-z]{1,8}") {
            let stream = named_event(&name, data.as_bytes());
            let want = data.replace("\r\n", "\n").replace('\r', "\n");
            proptest::prop_assert_eq!(client_data(&stream), vec![want]);
        }

        /// Any JSON message in a `message` event with an id parses back to itself.
        #[test]
        fn any_message_round_trips(text in ".{0,60}", id in 0u64..1_000_000) {
            let message = serde_json::json!({"jsonrpc": "2.0", "method": "m", "params": {"text": text}});
            let json = serde_json::to_vec(&message).unwrap();
            let stream = message_event_with_id(EventId::start(id), &json);
            let data = client_data(&stream);
            proptest::prop_assert_eq!(data.len(), 1);
            let back: serde_json::Value = serde_json::from_str(&data[0]).unwrap();
            proptest::prop_assert_eq!(back, message);
        }
    }
}
