//! [`MaybeReady`]: what the [`SessionStore`](super::SessionStore) and
//! [`EventStore`](super::EventStore) calls return. An in-memory store answers at once with no
//! allocation; a networked one (Redis, a database) boxes its future.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A store call's answer: ready at once, or a boxed future. It owns what it needs (`'static`),
/// so a transport can keep it across polls of a stream, or spawn it.
///
/// A caller that holds a write (an append, a save) polls it to completion in call order; a
/// store may apply a write when it is called or when it is first polled, and must keep the
/// order of the calls of one session.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use quickmcp_core::session::MaybeReady;
///
/// let ready = MaybeReady::ready(7);
/// assert_eq!(ready.now().ok(), Some(7), "no waiting, no allocation");
/// let later = MaybeReady::new(async { tokio::task::yield_now().await; 8 });
/// let later = later.now().expect_err("a boxed future is never taken as ready");
/// assert_eq!(later.await, 8);
/// # }
/// ```
#[must_use = "a store call does nothing until it is awaited, unless it is ready"]
pub struct MaybeReady<T>(State<T>);

enum State<T> {
    Ready(Option<T>),
    Boxed(Pin<Box<dyn Future<Output = T> + Send + 'static>>),
}

impl<T> MaybeReady<T> {
    /// The answer, known now.
    pub fn ready(value: T) -> Self {
        Self(State::Ready(Some(value)))
    }

    /// An answer still to come.
    pub fn new(future: impl Future<Output = T> + Send + 'static) -> Self {
        Self(State::Boxed(Box::pin(future)))
    }

    /// The answer if it is known without waiting; else the future, to await.
    pub fn now(self) -> Result<T, Self> {
        match self.0 {
            State::Ready(Some(value)) => Ok(value),
            state => Err(Self(state)),
        }
    }

    /// Whether the answer is known without waiting.
    pub fn is_ready(&self) -> bool {
        matches!(self.0, State::Ready(Some(_)))
    }

    /// The answer turned into another.
    pub fn map<U>(self, f: impl FnOnce(T) -> U + Send + 'static) -> MaybeReady<U>
    where
        T: Send + 'static,
    {
        match self.now() {
            Ok(value) => MaybeReady::ready(f(value)),
            Err(pending) => MaybeReady::new(async move { f(pending.await) }),
        }
    }
}

// Nothing is pinned in place: the ready value is only moved out, the future is boxed.
impl<T> Unpin for MaybeReady<T> {}

impl<T> Future for MaybeReady<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match &mut self.get_mut().0 {
            State::Ready(value) => Poll::Ready(value.take().expect("polled after completion")),
            State::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> fmt::Debug for MaybeReady<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            State::Ready(_) => f.write_str("MaybeReady::Ready"),
            State::Boxed(_) => f.write_str("MaybeReady::Pending"),
        }
    }
}
