//! [`InFlightLimitLayer`]: a cap on the requests running at once, per session and in all.
//!
//! Past a cap a request is refused at once, never queued: `-32010` (`LIMIT_EXCEEDED`) naming
//! the limit, over HTTP with 429 (the session's cap) or 503 (the server's) and
//! `Retry-After: 1`. Notifications and the client's answers to server requests never reach a
//! layer, so a full cap cannot stop a call that waits on its client. A request counts from
//! the moment it is accepted until its answer is written or it is dropped (cancelled, timed
//! out, its connection gone). A session is a 2025 session or a stdio or legacy SSE connection;
//! the 2026-07-28 wire has none, so its requests count toward the server's cap only.

mod future;
mod layer;

use std::collections::HashMap;
use std::sync::Arc;
use std::task::{Context, Poll};

use parking_lot::Mutex;
use tower::{BoxError, Service};

pub use future::ResponseFuture;
pub use layer::InFlightLimitLayer;

use crate::error::{code, McpError, Rejection};
use crate::service::{McpRequest, McpResponse};

/// The service of [`InFlightLimitLayer`].
#[derive(Debug)]
pub struct InFlightLimit<S> {
    inner: S,
    counts: Arc<Counts>,
}

impl<S> Service<McpRequest> for InFlightLimit<S>
where
    S: Service<McpRequest, Response = McpResponse, Error = BoxError>,
{
    type Response = McpResponse;
    type Error = BoxError;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: McpRequest) -> Self::Future {
        match Counts::acquire(&self.counts, request.cx().session_id()) {
            Ok(permit) => ResponseFuture::admitted(self.inner.call(request), permit),
            Err(refusal) => ResponseFuture::refused(refusal.with_id(Some(request.id().clone()))),
        }
    }
}

/// The caps and what is running now.
#[derive(Debug)]
pub(crate) struct Counts {
    per_session: usize,
    total: usize,
    running: Mutex<Running>,
}

#[derive(Debug, Default)]
struct Running {
    total: usize,
    by_session: HashMap<Box<str>, usize>,
}

impl Counts {
    fn acquire(counts: &Arc<Self>, session: Option<&str>) -> Result<Permit, Rejection> {
        let mut running = counts.running.lock();
        if running.total >= counts.total {
            return Err(refusal(
                format!(
                    "the server has {} requests in flight, its limit: retry later",
                    counts.total
                ),
                http::StatusCode::SERVICE_UNAVAILABLE,
            ));
        }
        if let Some(session) = session {
            let mine = running.by_session.get(session).copied().unwrap_or(0);
            if mine >= counts.per_session {
                return Err(refusal(
                    format!(
                        "this session has {} requests in flight, its limit: wait for one to finish",
                        counts.per_session
                    ),
                    http::StatusCode::TOO_MANY_REQUESTS,
                ));
            }
            *running.by_session.entry(session.into()).or_default() += 1;
        }
        running.total += 1;
        Ok(Permit {
            counts: counts.clone(),
            session: session.map(Into::into),
        })
    }

    fn in_flight(&self) -> (usize, usize) {
        let running = self.running.lock();
        (running.total, running.by_session.len())
    }
}

fn refusal(message: String, status: http::StatusCode) -> Rejection {
    Rejection::retry_later(McpError::new(code::LIMIT_EXCEEDED, message), status)
}

/// One admitted request's place in the counts, given back when it ends.
#[derive(Debug)]
pub(crate) struct Permit {
    counts: Arc<Counts>,
    session: Option<Box<str>>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut running = self.counts.running.lock();
        running.total -= 1;
        if let Some(session) = &self.session {
            if let Some(count) = running.by_session.get_mut(session) {
                *count -= 1;
                if *count == 0 {
                    running.by_session.remove(session);
                }
            }
        }
    }
}
