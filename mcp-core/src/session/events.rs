//! Resumable streams: [`EventId`]s and the [`EventStore`] every replayable SSE event goes
//! through before it is written, so that a client reconnecting with `Last-Event-ID` gets what
//! it missed on that stream (MCP 2025-03-26 resumability, 2025-11-25 SSE polling).
//!
//! Streams are numbered per session: [`EventId::STANDALONE`] (0) is the session's GET stream,
//! POST streams get 1, 2, 3... from [`EventStore::open_stream`]. An event id is
//! `<stream>-<seq>`; `seq` counts the events of that stream from 1, and `<stream>-0` is the id
//! of a POST stream's priming event (nothing stored under it).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use parking_lot::Mutex;

use super::ready::MaybeReady;

/// The id of one SSE event: which stream of its session, and its place in that stream.
///
/// ```
/// use quickmcp_core::session::EventId;
///
/// let id = EventId { stream: 3, seq: 7 };
/// assert_eq!(id.to_string(), "3-7");
/// assert_eq!(EventId::parse("3-7"), Some(id));
/// assert_eq!(EventId::parse("3-x"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId {
    /// The stream: [`EventId::STANDALONE`] or a POST stream.
    pub stream: u64,
    /// The event's number within the stream, from 1 (0: before the first event).
    pub seq: u64,
}

impl EventId {
    /// The number of a session's standalone (GET) stream.
    pub const STANDALONE: u64 = 0;

    /// The position before the first event of `stream` (a priming event's id).
    pub const fn start(stream: u64) -> Self {
        Self { stream, seq: 0 }
    }

    /// Reads a `Last-Event-ID` this module wrote; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (stream, seq) = text.trim().split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(stream) || !digits(seq) {
            return None;
        }
        Some(Self {
            stream: stream.parse().ok()?,
            seq: seq.parse().ok()?,
        })
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.stream, self.seq)
    }
}

/// Why a stream cannot be resumed from an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The store never issued the id, or has forgotten its stream (or its session).
    #[error("unknown event id: no such stream in this session")]
    Unknown,
    /// Events after the id were evicted to keep within the store's bounds.
    #[error("events after this id were evicted")]
    Evicted,
}

/// What [`EventStore::read_after`] found: the stored events after the id, in order, and
/// whether the stream is finished (a reader may end after them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replay {
    /// The events after the id, oldest first.
    pub events: Vec<(EventId, Bytes)>,
    /// Whether the stream's last event is stored.
    pub finished: bool,
}

/// Where the replayable events of resumable streams are kept. The default is
/// [`MemoryEventStore`]; a shared store (e.g. for a cluster) implements the same calls.
///
/// Every call returns a [`MaybeReady`]: the in-memory store answers at once, a networked one
/// with a future the transport awaits without holding up its reader. An event's id is only
/// sent once its [`append`](Self::append) resolved, so a store commits before it answers.
/// Nothing is stored for a session until one of its streams is opened, so idle sessions cost
/// nothing.
pub trait EventStore: Send + Sync + 'static {
    /// Registers a new POST stream of `session` and returns its number (never `STANDALONE`).
    fn open_stream(&self, session: &str) -> MaybeReady<u64>;
    /// Registers the session's standalone stream if needed; returns the id of its last event
    /// (seq 0 if none), which a fresh GET stream announces as its priming id.
    fn open_standalone(&self, session: &str) -> MaybeReady<EventId>;
    /// Stores the next event of `stream` and returns its id; `None` if the stream is not open
    /// (e.g. the session ended), in which case nothing is stored. The appends of one stream
    /// are applied in call order.
    fn append(&self, session: &str, stream: u64, message: Bytes) -> MaybeReady<Option<EventId>>;
    /// Marks `stream` complete: its last event is stored, a reader may end after it.
    fn finish(&self, session: &str, stream: u64) -> MaybeReady<()>;
    /// Every stored event of `after.stream` that follows `after`, in order, and whether the
    /// stream is finished.
    fn read_after(&self, session: &str, after: EventId) -> MaybeReady<Result<Replay, ReplayError>>;
    /// Drops everything stored for `session` (it ended or expired).
    fn forget_session(&self, session: &str) -> MaybeReady<()>;
}

/// Bounds of [`MemoryEventStore`], in bytes of stored messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventStoreLimits {
    /// At most this much per session; beyond it the session's oldest events go (default 1 MiB).
    pub per_session: usize,
    /// At most this much in all; beyond it the oldest events of any session go (default 64 MiB).
    pub total: usize,
}

impl Default for EventStoreLimits {
    fn default() -> Self {
        Self {
            per_session: 1 << 20,
            total: 64 << 20,
        }
    }
}

/// Events in memory, bounded per session and in total; the oldest are evicted first, and a
/// session's events are freed when it ends.
///
/// ```
/// use bytes::Bytes;
/// use quickmcp_core::session::{EventId, EventStore, MemoryEventStore};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let store = MemoryEventStore::default();
/// let stream = store.open_stream("session-a").await;
/// let first = store.append("session-a", stream, Bytes::from_static(b"{}")).await.unwrap();
/// let missed = store.read_after("session-a", EventId::start(stream)).await.unwrap();
/// assert_eq!(missed.events[0].0, first);
/// assert!(store.forget_session("session-a").is_ready(), "in memory, every call is");
/// assert_eq!(store.stored_bytes(), 0);
/// # }
/// ```
#[derive(Default)]
pub struct MemoryEventStore {
    limits: EventStoreLimits,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    sessions: HashMap<Arc<str>, SessionEvents>,
    /// Every stored event by global age, to evict the oldest across sessions.
    age: BTreeMap<u64, Arc<str>>,
    next_age: u64,
    bytes: usize,
}

struct SessionEvents {
    name: Arc<str>,
    next_stream: u64,
    streams: HashMap<u64, StreamState>,
    bytes: usize,
}

/// One stream's events; their sequence numbers run without gaps from `evicted_through + 1`.
#[derive(Default)]
struct StreamState {
    events: VecDeque<Stored>,
    last_seq: u64,
    evicted_through: u64,
    finished: bool,
}

struct Stored {
    age: u64,
    message: Bytes,
}

impl MemoryEventStore {
    /// A store with these bounds.
    pub fn new(limits: EventStoreLimits) -> Self {
        Self {
            limits,
            inner: Mutex::default(),
        }
    }

    /// The bytes of messages held now.
    pub fn stored_bytes(&self) -> usize {
        self.inner.lock().bytes
    }

    /// How many sessions have something stored.
    pub fn sessions(&self) -> usize {
        self.inner.lock().sessions.len()
    }
}

impl Inner {
    fn session_mut(&mut self, session: &str) -> &mut SessionEvents {
        if !self.sessions.contains_key(session) {
            let name: Arc<str> = session.into();
            let events = SessionEvents {
                name: name.clone(),
                next_stream: 0,
                streams: HashMap::new(),
                bytes: 0,
            };
            self.sessions.insert(name, events);
        }
        self.sessions.get_mut(session).expect("inserted above")
    }

    /// Evicts the oldest event of `session`; `false` if it has none.
    fn evict_from(&mut self, session: &str) -> bool {
        match self.sessions.get_mut(session) {
            Some(events) => evict_front(&mut self.age, &mut self.bytes, events, u64::MAX),
            None => false,
        }
    }

    fn evict_oldest(&mut self) -> bool {
        let Some((_, session)) = self.age.first_key_value() else {
            return false;
        };
        let session = session.clone();
        self.evict_from(&session)
    }
}

// The calls, answered under the lock; the trait wraps them as ready at once.
impl MemoryEventStore {
    fn open_stream_now(&self, session: &str) -> u64 {
        let mut inner = self.inner.lock();
        let events = inner.session_mut(session);
        events.next_stream += 1;
        let stream = events.next_stream;
        events.streams.insert(stream, StreamState::default());
        stream
    }

    fn open_standalone_now(&self, session: &str) -> EventId {
        let mut inner = self.inner.lock();
        let stream = inner
            .session_mut(session)
            .streams
            .entry(EventId::STANDALONE)
            .or_default();
        stream.finished = false;
        EventId {
            stream: EventId::STANDALONE,
            seq: stream.last_seq,
        }
    }

    fn append_now(&self, session: &str, stream: u64, message: Bytes) -> Option<EventId> {
        let mut guard = self.inner.lock();
        let inner = &mut *guard;
        let events = inner.sessions.get_mut(session)?;
        let state = events.streams.get_mut(&stream)?;
        state.last_seq += 1;
        let id = EventId {
            stream,
            seq: state.last_seq,
        };
        let key = events.name.clone();
        let len = message.len();
        let age = inner.next_age;
        inner.next_age += 1;
        state.events.push_back(Stored { age, message });
        events.bytes += len;
        inner.bytes += len;
        inner.age.insert(age, key);
        while events.bytes > self.limits.per_session
            && evict_front(&mut inner.age, &mut inner.bytes, events, stream)
        {}
        while inner.bytes > self.limits.total && inner.evict_oldest() {}
        Some(id)
    }

    fn finish_now(&self, session: &str, stream: u64) {
        let mut inner = self.inner.lock();
        if let Some(events) = inner.sessions.get_mut(session) {
            if let Some(state) = events.streams.get_mut(&stream) {
                state.finished = true;
                if state.events.is_empty() && stream != EventId::STANDALONE {
                    events.streams.remove(&stream);
                }
            }
        }
    }

    fn read_after_now(&self, session: &str, after: EventId) -> Result<Replay, ReplayError> {
        let inner = self.inner.lock();
        let events = inner.sessions.get(session).ok_or(ReplayError::Unknown)?;
        let state = events
            .streams
            .get(&after.stream)
            .ok_or(ReplayError::Unknown)?;
        if after.seq > state.last_seq {
            return Err(ReplayError::Unknown);
        }
        if after.seq < state.evicted_through {
            return Err(ReplayError::Evicted);
        }
        let skip = (after.seq - state.evicted_through) as usize;
        let events = state.events.iter().skip(skip).zip(after.seq + 1..);
        let events = events.map(|(e, seq)| {
            let id = EventId {
                stream: after.stream,
                seq,
            };
            (id, e.message.clone())
        });
        Ok(Replay {
            events: events.collect(),
            finished: state.finished,
        })
    }

    fn forget_session_now(&self, session: &str) {
        let mut inner = self.inner.lock();
        if let Some(events) = inner.sessions.remove(session) {
            inner.bytes -= events.bytes;
            for event in events.streams.values().flat_map(|s| &s.events) {
                inner.age.remove(&event.age);
            }
        }
        if inner.sessions.capacity() > 4 * inner.sessions.len().max(16) {
            inner.sessions.shrink_to_fit();
        }
    }
}

impl EventStore for MemoryEventStore {
    fn open_stream(&self, session: &str) -> MaybeReady<u64> {
        MaybeReady::ready(self.open_stream_now(session))
    }

    fn open_standalone(&self, session: &str) -> MaybeReady<EventId> {
        MaybeReady::ready(self.open_standalone_now(session))
    }

    fn append(&self, session: &str, stream: u64, message: Bytes) -> MaybeReady<Option<EventId>> {
        MaybeReady::ready(self.append_now(session, stream, message))
    }

    fn finish(&self, session: &str, stream: u64) -> MaybeReady<()> {
        self.finish_now(session, stream);
        MaybeReady::ready(())
    }

    fn read_after(&self, session: &str, after: EventId) -> MaybeReady<Result<Replay, ReplayError>> {
        MaybeReady::ready(self.read_after_now(session, after))
    }

    fn forget_session(&self, session: &str) -> MaybeReady<()> {
        self.forget_session_now(session);
        MaybeReady::ready(())
    }
}

/// Evicts the oldest event of one session, but never the newest event of `keep` (the one just
/// appended); `false` if there is nothing to evict.
fn evict_front(
    age: &mut BTreeMap<u64, Arc<str>>,
    bytes: &mut usize,
    events: &mut SessionEvents,
    keep: u64,
) -> bool {
    let oldest = events
        .streams
        .iter()
        .filter(|(id, s)| s.events.len() > usize::from(**id == keep))
        .filter_map(|(id, s)| Some((s.events.front()?.age, *id)))
        .min();
    let Some((_, stream)) = oldest else {
        return false;
    };
    let Some(state) = events.streams.get_mut(&stream) else {
        return false;
    };
    let Some(gone) = state.events.pop_front() else {
        return false;
    };
    state.evicted_through += 1;
    events.bytes -= gone.message.len();
    *bytes -= gone.message.len();
    age.remove(&gone.age);
    let drained = state.finished && state.events.is_empty();
    if drained && stream != EventId::STANDALONE {
        events.streams.remove(&stream);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    fn read(
        store: &MemoryEventStore,
        s: &str,
        after: EventId,
    ) -> Result<Vec<EventId>, ReplayError> {
        let replay = store.read_after_now(s, after)?;
        Ok(replay.events.into_iter().map(|(id, _)| id).collect())
    }

    #[test]
    fn ids_encode_the_stream_and_are_unique_per_session() {
        let store = MemoryEventStore::default();
        let (a, b) = (store.open_stream_now("s"), store.open_stream_now("s"));
        assert_ne!(a, b);
        assert_ne!(a, EventId::STANDALONE);
        let ea = store.append_now("s", a, msg(1)).unwrap();
        let eb = store.append_now("s", b, msg(1)).unwrap();
        assert_eq!((ea.stream, eb.stream), (a, b));
        assert_ne!(ea.to_string(), eb.to_string());
        assert_eq!(EventId::parse(&ea.to_string()), Some(ea));
    }

    #[test]
    fn replays_only_that_stream_in_order_after_the_id() {
        let store = MemoryEventStore::default();
        let (a, b) = (store.open_stream_now("s"), store.open_stream_now("s"));
        let a1 = store.append_now("s", a, msg(1)).unwrap();
        store.append_now("s", b, msg(1)).unwrap();
        let a2 = store.append_now("s", a, msg(1)).unwrap();
        let a3 = store.append_now("s", a, msg(1)).unwrap();
        assert_eq!(read(&store, "s", EventId::start(a)).unwrap(), [a1, a2, a3]);
        assert_eq!(read(&store, "s", a1).unwrap(), [a2, a3]);
        assert_eq!(read(&store, "s", a3).unwrap(), []);
        assert!(!store.read_after_now("s", a3).unwrap().finished);
        store.finish_now("s", a);
        assert!(store.read_after_now("s", a3).unwrap().finished, "finished");
    }

    #[test]
    fn unknown_ids_and_sessions_are_errors() {
        let store = MemoryEventStore::default();
        let a = store.open_stream_now("s");
        assert_eq!(
            read(&store, "other", EventId::start(a)),
            Err(ReplayError::Unknown)
        );
        assert_eq!(
            read(&store, "s", EventId::start(a + 7)),
            Err(ReplayError::Unknown)
        );
        assert_eq!(
            read(&store, "s", EventId { stream: a, seq: 5 }),
            Err(ReplayError::Unknown),
            "never issued"
        );
        assert_eq!(store.append_now("other", a, msg(1)), None, "not opened");
    }

    #[test]
    fn per_session_bound_evicts_the_oldest() {
        let store = MemoryEventStore::new(EventStoreLimits {
            per_session: 100,
            total: 1000,
        });
        let a = store.open_stream_now("s");
        let ids: Vec<_> = (0..5)
            .map(|_| store.append_now("s", a, msg(30)).unwrap())
            .collect();
        assert_eq!(store.stored_bytes(), 90);
        assert_eq!(read(&store, "s", ids[1]).unwrap(), [ids[2], ids[3], ids[4]]);
        assert_eq!(read(&store, "s", ids[0]), Err(ReplayError::Evicted));
        assert_eq!(
            read(&store, "s", EventId::start(a)),
            Err(ReplayError::Evicted)
        );
    }

    #[test]
    fn global_bound_evicts_the_oldest_of_any_session() {
        let store = MemoryEventStore::new(EventStoreLimits {
            per_session: 1000,
            total: 100,
        });
        let (a, b) = (store.open_stream_now("a"), store.open_stream_now("b"));
        let a1 = store.append_now("a", a, msg(40)).unwrap();
        let b1 = store.append_now("b", b, msg(40)).unwrap();
        let a2 = store.append_now("a", a, msg(40)).unwrap();
        assert_eq!(store.stored_bytes(), 80);
        assert_eq!(read(&store, "a", a1).unwrap(), [a2]);
        assert_eq!(
            read(&store, "a", EventId::start(a)),
            Err(ReplayError::Evicted)
        );
        assert_eq!(read(&store, "b", EventId::start(b)).unwrap(), [b1]);
    }

    #[test]
    fn interleaved_streams_evict_in_age_order_and_stay_consistent() {
        let store = MemoryEventStore::new(EventStoreLimits {
            per_session: 50,
            total: 80,
        });
        let (a, b) = (store.open_stream_now("s"), store.open_stream_now("s"));
        let c = store.open_stream_now("t");
        let mut ids = Vec::new();
        for round in 0..20 {
            let (session, stream) = [("s", a), ("s", b), ("t", c)][round % 3];
            ids.push((session, store.append_now(session, stream, msg(10)).unwrap()));
            let inner = store.inner.lock();
            let stored: usize = inner
                .sessions
                .values()
                .flat_map(|s| s.streams.values())
                .map(|s| s.events.len())
                .sum();
            assert_eq!(inner.age.len(), stored, "one age entry per stored event");
            assert_eq!(inner.bytes, stored * 10);
            assert!(inner.bytes <= 80);
            assert!(inner.sessions.values().all(|s| s.bytes <= 50));
        }
        // The newest events of each stream survive, readable from just before them.
        for (session, id) in ids.iter().rev().take(3) {
            let before = EventId {
                seq: id.seq - 1,
                ..*id
            };
            assert_eq!(read(&store, session, before).unwrap(), [*id]);
        }
    }

    #[test]
    fn finished_drained_streams_are_dropped() {
        let store = MemoryEventStore::new(EventStoreLimits {
            per_session: 10,
            total: 1000,
        });
        let a = store.open_stream_now("s");
        store.append_now("s", a, msg(10)).unwrap();
        store.finish_now("s", a);
        let b = store.open_stream_now("s");
        store.append_now("s", b, msg(10)).unwrap();
        assert_eq!(
            read(&store, "s", EventId::start(a)),
            Err(ReplayError::Unknown)
        );
    }

    #[test]
    fn standalone_stream_continues_its_numbering() {
        let store = MemoryEventStore::default();
        assert_eq!(store.open_standalone_now("s"), EventId::start(0));
        let e1 = store.append_now("s", EventId::STANDALONE, msg(1)).unwrap();
        assert_eq!(
            store.open_standalone_now("s"),
            e1,
            "a new GET primes after e1"
        );
        let e2 = store.append_now("s", EventId::STANDALONE, msg(1)).unwrap();
        assert_eq!(read(&store, "s", e1).unwrap(), [e2]);
    }

    #[test]
    fn forgetting_a_session_frees_its_events() {
        let store = MemoryEventStore::default();
        let a = store.open_stream_now("s");
        store.append_now("s", a, msg(64)).unwrap();
        let b = store.open_stream_now("t");
        store.append_now("t", b, msg(64)).unwrap();
        store.forget_session_now("s");
        assert_eq!((store.stored_bytes(), store.sessions()), (64, 1));
        assert_eq!(
            read(&store, "s", EventId::start(a)),
            Err(ReplayError::Unknown)
        );
        store.forget_session_now("t");
        assert_eq!((store.stored_bytes(), store.sessions()), (0, 0));
        assert!(store.inner.lock().age.is_empty());
    }
}
