use std::sync::Arc;

use parking_lot::Mutex;
use tower::Layer;

use super::{Counts, InFlightLimit};

/// Caps the requests in flight per session and in all (see the [module](super)).
///
/// Clones share their counts, so one clone can be installed and another read
/// ([`in_flight`](Self::in_flight)).
///
/// ```
/// use quickmcp_core::layer::in_flight::InFlightLimitLayer;
/// use quickmcp_core::McpServer;
///
/// let limit = InFlightLimitLayer::new(16, 256);
/// let server = McpServer::new("demo");
/// server.layer(limit.clone());
/// assert_eq!(limit.in_flight(), (0, 0));
/// ```
#[derive(Debug, Clone)]
pub struct InFlightLimitLayer {
    counts: Arc<Counts>,
}

impl InFlightLimitLayer {
    /// At most `per_session` requests at once in any one session, and `total` in all.
    ///
    /// # Panics
    /// If either is zero: every request would be refused.
    pub fn new(per_session: usize, total: usize) -> Self {
        assert!(
            per_session > 0 && total > 0,
            "an in-flight limit of zero refuses every request: give positive limits"
        );
        Self {
            counts: Arc::new(Counts {
                per_session,
                total,
                running: Mutex::default(),
            }),
        }
    }

    /// The requests running now, and the sessions they belong to.
    pub fn in_flight(&self) -> (usize, usize) {
        self.counts.in_flight()
    }
}

impl<S> Layer<S> for InFlightLimitLayer {
    type Service = InFlightLimit<S>;

    fn layer(&self, inner: S) -> InFlightLimit<S> {
        InFlightLimit {
            inner,
            counts: self.counts.clone(),
        }
    }
}
