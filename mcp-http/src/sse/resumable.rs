//! Resumable POST streams: once a handler proves slow, its messages go through the session's
//! [`EventStore`] and are read back from it, by the POST response or, after that connection
//! closed, by a GET carrying `Last-Event-ID`. The handler outlives its POST connection.
//!
//! Only slow calls get here: a handler that answers on its first poll is written in one flush
//! without ids (there is nothing to resume), and idle sessions hold nothing.
//!
//! The store's calls may answer later (a networked store): the handler's messages are queued
//! as writes, polled in order by whoever drives the stream (its reader, or the task the
//! handler moves to once its connection is gone), and a reader awaits its reads in the
//! stream's poll, never blocking. With the in-memory store every call is ready at once and no
//! write is ever queued.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use parking_lot::Mutex;
use quickmcp_core::session::{EventId, EventStore, MaybeReady, Replay, ReplayError};
use tokio_util::sync::WaitForCancellationFutureOwned;

use super::Reply;

/// The resumable streams of one app whose handler is still running, so that a GET resuming
/// one is woken by its new events.
#[derive(Default)]
pub(crate) struct LiveStreams(Mutex<HashMap<StreamKey, Arc<Resumable>>>);

/// A stream of a session: the session id and the stream's number.
type StreamKey = (Box<str>, u64);

impl LiveStreams {
    pub(crate) fn get(&self, session: &str, stream: u64) -> Option<Arc<Resumable>> {
        self.0.lock().get(&(session.into(), stream)).cloned()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.lock().len()
    }
}

/// One resumable stream: where its events are stored, and who reads them now.
pub(crate) struct Resumable {
    store: Arc<dyn EventStore>,
    session: Box<str>,
    stream: u64,
    live: Mutex<Reader>,
    writes: Mutex<Writes>,
    registry: Option<Arc<LiveStreams>>,
}

#[derive(Default)]
struct Reader {
    /// Bumped by each new reader; an older one ends.
    current: u64,
    /// Bumped by each wake: a read that began before a bump may have missed an event.
    wakes: u64,
    waker: Option<Waker>,
    close: bool,
}

/// The store writes not yet done, in call order.
#[derive(Default)]
struct Writes {
    pending: VecDeque<MaybeReady<()>>,
    /// The handler answered: once the writes are done, the stream leaves the registry.
    completed: bool,
}

/// What a reader gets from one poll.
pub(crate) enum Read {
    Events(Bytes),
    End,
    Pending,
}

/// A reader's read in flight: the store's answer, and the wakes seen when it began.
pub(crate) type Reading = Option<(u64, MaybeReady<Result<Replay, ReplayError>>)>;

impl Resumable {
    /// Opens a new stream of `session` in `store`, registered in `registry` until it completes.
    pub(crate) async fn open(
        store: Arc<dyn EventStore>,
        session: &str,
        registry: Arc<LiveStreams>,
    ) -> Arc<Self> {
        let stream = store.open_stream(session).await;
        let this = Arc::new(Self::new(store, session, stream, Some(registry.clone())));
        registry
            .0
            .lock()
            .insert((session.into(), stream), this.clone());
        this
    }

    /// A stream no running handler feeds any more (it completed, or lives elsewhere): a reader
    /// replays what is stored and ends.
    pub(crate) fn stored(store: Arc<dyn EventStore>, session: &str, stream: u64) -> Arc<Self> {
        Arc::new(Self::new(store, session, stream, None))
    }

    fn new(
        store: Arc<dyn EventStore>,
        session: &str,
        stream: u64,
        registry: Option<Arc<LiveStreams>>,
    ) -> Self {
        Self {
            store,
            session: session.into(),
            stream,
            live: Mutex::default(),
            writes: Mutex::default(),
            registry,
        }
    }

    pub(crate) fn stream(&self) -> u64 {
        self.stream
    }

    fn wake(&self) {
        let mut live = self.live.lock();
        live.wakes += 1;
        if let Some(waker) = live.waker.take() {
            waker.wake();
        }
    }

    /// Queues a store write behind the ones not done yet (done at once when it is ready and
    /// none waits).
    fn write(&self, write: MaybeReady<()>) {
        let mut writes = self.writes.lock();
        if writes.pending.is_empty() {
            if let Err(pending) = write.now() {
                writes.pending.push_back(pending);
            }
        } else {
            writes.pending.push_back(write);
        }
    }

    /// Stores one message of the handler and wakes the reader; `false` when the store
    /// refused it at once (the session ended).
    pub(crate) fn send(&self, message: Bytes) -> bool {
        let append = self.store.append(&self.session, self.stream, message);
        let stored = match append.now() {
            Ok(id) => id.is_some(),
            Err(pending) => {
                self.write(pending.map(drop));
                true
            }
        };
        self.wake();
        stored
    }

    /// Ends the current reader's connection after what it has read (the handler goes on).
    pub(crate) fn close(&self) {
        let mut live = self.live.lock();
        live.close = true;
        if let Some(waker) = live.waker.take() {
            waker.wake();
        }
    }

    /// Stores the response (if the call was not cancelled) and marks the stream finished;
    /// the stream leaves the registry once the store has both.
    pub(crate) fn complete(&self, response: Option<Bytes>) {
        if let Some(response) = response {
            let append = self.store.append(&self.session, self.stream, response);
            self.write(append.map(drop));
        }
        self.write(self.store.finish(&self.session, self.stream));
        self.writes.lock().completed = true;
        let _ = self.poll_writes(&mut Context::from_waker(Waker::noop()));
    }

    /// Whether writes are still to be done.
    fn has_writes(&self) -> bool {
        !self.writes.lock().pending.is_empty()
    }

    /// Drives the queued writes in order; ready once none is left (and then, after the
    /// handler answered, the stream leaves the registry).
    fn poll_writes(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut writes = self.writes.lock();
        let mut progressed = false;
        while let Some(front) = writes.pending.front_mut() {
            if Pin::new(front).poll(cx).is_pending() {
                break;
            }
            writes.pending.pop_front();
            progressed = true;
        }
        let done = writes.pending.is_empty();
        let leave = done && std::mem::take(&mut writes.completed);
        drop(writes);
        if leave {
            if let Some(registry) = &self.registry {
                registry
                    .0
                    .lock()
                    .remove(&(self.session.clone(), self.stream));
            }
        }
        if progressed || leave {
            self.wake();
        }
        if done {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// Runs the handler's `reply` (if it still runs) to its end and the writes to theirs,
    /// once no connection reads the stream.
    async fn drive(self: Arc<Self>, reply: Option<Reply>) {
        if let Some(mut reply) = reply {
            let response = poll_fn(|cx| {
                let _ = self.poll_writes(cx);
                reply.as_mut().poll(cx)
            })
            .await;
            self.complete(response);
        }
        poll_fn(|cx| self.poll_writes(cx)).await;
    }

    /// Makes a new reader current; the previous one, if any, ends.
    pub(crate) fn attach(&self) -> u64 {
        let mut live = self.live.lock();
        live.current += 1;
        live.close = false;
        if let Some(waker) = live.waker.take() {
            waker.wake();
        }
        live.current
    }

    /// The stored events after `after`, framed as one chunk, for reader `reader`; a read the
    /// store answers later waits in `reading`.
    pub(crate) fn poll_read(
        &self,
        reader: u64,
        after: &mut EventId,
        reading: &mut Reading,
        cx: &mut Context<'_>,
    ) -> Read {
        loop {
            if self.live.lock().current != reader {
                return Read::End;
            }
            let _ = self.poll_writes(cx);
            let (seen, mut read) = match reading.take() {
                Some(read) => read,
                None => {
                    let seen = self.live.lock().wakes;
                    (seen, self.store.read_after(&self.session, *after))
                }
            };
            let replay = match Pin::new(&mut read).poll(cx) {
                Poll::Ready(replay) => replay,
                Poll::Pending => {
                    *reading = Some((seen, read));
                    return Read::Pending;
                }
            };
            let replay = match replay {
                Ok(replay) => replay,
                Err(error) => {
                    tracing::debug!(stream = self.stream, %error, "resumable stream lost events");
                    return Read::End;
                }
            };
            if let Some((last, _)) = replay.events.last() {
                *after = *last;
                let mut chunk = BytesMut::new();
                for (id, message) in &replay.events {
                    super::put_message_event(&mut chunk, *id, message);
                }
                return Read::Events(chunk.freeze());
            }
            if replay.finished || self.registry.is_none() {
                return Read::End;
            }
            let mut live = self.live.lock();
            if std::mem::take(&mut live.close) {
                return Read::End;
            }
            // An event stored after the read began is read now, not missed.
            if live.wakes == seen {
                live.waker = Some(cx.waker().clone());
                return Read::Pending;
            }
        }
    }
}

/// The body of a resumable stream: the POST response (with the handler, a priming event
/// first), or a GET resuming it (without).
pub(crate) struct StreamBody {
    head: Option<Bytes>,
    reply: Option<Reply>,
    stream: Arc<Resumable>,
    reader: u64,
    after: EventId,
    reading: Reading,
    shutdown: Option<Pin<Box<WaitForCancellationFutureOwned>>>,
    done: bool,
}

impl StreamBody {
    /// The POST response of a slow handler, starting with `head` (priming) when given.
    pub(crate) fn post(head: Option<Bytes>, reply: Reply, stream: Arc<Resumable>) -> Self {
        let reader = stream.attach();
        let after = EventId::start(stream.stream());
        Self {
            head,
            reply: Some(reply),
            stream,
            reader,
            after,
            reading: None,
            shutdown: None,
            done: false,
        }
    }

    /// A GET resuming `stream` after `after`, ending at server shutdown.
    pub(crate) fn resume(
        stream: Arc<Resumable>,
        after: EventId,
        shutdown: Option<WaitForCancellationFutureOwned>,
    ) -> Self {
        let reader = stream.attach();
        Self {
            head: None,
            reply: None,
            stream,
            reader,
            after,
            reading: None,
            shutdown: shutdown.map(Box::pin),
            done: false,
        }
    }
}

impl Stream for StreamBody {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(head) = self.head.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        if self.done
            || self
                .shutdown
                .as_mut()
                .is_some_and(|s| s.as_mut().poll(cx).is_ready())
        {
            self.done = true;
            return Poll::Ready(None);
        }
        if let Some(reply) = self.reply.as_mut() {
            if let Poll::Ready(response) = reply.as_mut().poll(cx) {
                self.reply = None;
                self.stream.complete(response);
            }
        }
        let this = &mut *self;
        let read = this
            .stream
            .poll_read(this.reader, &mut this.after, &mut this.reading, cx);
        match read {
            Read::Events(chunk) => Poll::Ready(Some(Ok(chunk))),
            Read::End => {
                this.done = true;
                Poll::Ready(None)
            }
            Read::Pending => Poll::Pending,
        }
    }
}

impl Drop for StreamBody {
    /// The connection closed (by the server or the client) while the handler runs or its
    /// writes are still to be done: they go on in a task of their own, storing what the
    /// handler sends for a resuming GET.
    fn drop(&mut self) {
        let reply = self.reply.take();
        if reply.is_none() && !self.stream.has_writes() {
            return;
        }
        let stream = self.stream.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(stream.drive(reply));
            }
            Err(_) if reply.is_some() => stream.complete(None),
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use quickmcp_core::session::MemoryEventStore;

    fn text(chunk: &Bytes) -> &str {
        std::str::from_utf8(chunk).unwrap()
    }

    #[tokio::test]
    async fn a_closed_post_stream_resumes_on_another_reader_without_loss_or_duplicates() {
        let store: Arc<dyn EventStore> = Arc::new(MemoryEventStore::default());
        let registry = Arc::new(LiveStreams::default());
        let stream = Resumable::open(store.clone(), "s", registry.clone()).await;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let reply: Reply = Box::pin(async move {
            rx.await.ok();
            Some(Bytes::from_static(b"{\"result\":1}"))
        });
        let mut post = StreamBody::post(None, reply, stream.clone());
        stream.send(Bytes::from_static(b"{\"n\":1}"));
        let first = post.next().await.unwrap().unwrap();
        assert!(text(&first).contains("id: 1-1\ndata: {\"n\":1}"));
        stream.close();
        assert!(post.next().await.is_none(), "closed by the server");
        drop(post);
        stream.send(Bytes::from_static(b"{\"n\":2}"));
        let mut get = StreamBody::resume(
            registry.get("s", stream.stream()).unwrap(),
            EventId { stream: 1, seq: 1 },
            None,
        );
        let replayed = get.next().await.unwrap().unwrap();
        assert_eq!(
            text(&replayed),
            "event: message\nid: 1-2\ndata: {\"n\":2}\n\n"
        );
        tx.send(()).unwrap();
        let last = get.next().await.unwrap().unwrap();
        assert!(text(&last).contains("id: 1-3\ndata: {\"result\":1}"));
        assert!(get.next().await.is_none(), "finished");
        assert_eq!(registry.len(), 0);
    }
}
