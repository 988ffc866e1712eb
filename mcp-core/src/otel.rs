//! OpenTelemetry metrics (feature `otel`): the two server histograms of the semantic
//! conventions for MCP, `mcp.server.operation.duration` and `mcp.server.session.duration`,
//! in seconds with the conventions' bucket boundaries.
//!
//! The instruments come from the meter given to
//! [`McpServer::set_meter`](crate::McpServer::set_meter), else, on the first request, from
//! the global meter provider (`opentelemetry::global::meter_with_scope`, scope `quickmcp`):
//! install the provider before serving, or pass a meter.

use std::sync::Arc;
use std::time::Instant;

use arc_swap::ArcSwapOption;
use opentelemetry::metrics::{Histogram, Meter};
use opentelemetry::{InstrumentationScope, KeyValue};
use parking_lot::Mutex;

/// The explicit bucket boundaries (seconds) the conventions give both histograms.
const BUCKETS: [f64; 14] = [
    0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
];

/// The instrumentation scope of the global meter.
const SCOPE: &str = "quickmcp";

/// The instruments of one server.
pub(crate) struct Instruments {
    operation: Histogram<f64>,
    session: Histogram<f64>,
}

impl Instruments {
    /// `mcp.server.operation.duration`.
    pub(crate) fn operation(&self) -> &Histogram<f64> {
        &self.operation
    }

    fn new(meter: &Meter) -> Self {
        let histogram = |name: &'static str, description: &'static str| {
            meter
                .f64_histogram(name)
                .with_unit("s")
                .with_description(description)
                .with_boundaries(BUCKETS.to_vec())
                .build()
        };
        Self {
            operation: histogram(
                "mcp.server.operation.duration",
                "MCP request duration as observed on the server, from its receipt until its \
                 result is sent.",
            ),
            session: histogram(
                "mcp.server.session.duration",
                "The duration of the MCP session as observed on the MCP server.",
            ),
        }
    }
}

/// Where one server's instruments come from: a meter the user set, or the global one.
#[derive(Default)]
pub(crate) struct Telemetry(ArcSwapOption<Instruments>);

impl Telemetry {
    /// Records with instruments from `meter` from now on.
    pub(crate) fn set_meter(&self, meter: &Meter) {
        self.0.store(Some(Arc::new(Instruments::new(meter))));
    }

    /// The instruments; made from the global meter provider on first use.
    pub(crate) fn instruments(&self) -> Arc<Instruments> {
        if let Some(instruments) = self.0.load_full() {
            return instruments;
        }
        let scope = InstrumentationScope::builder(SCOPE)
            .with_version(env!("CARGO_PKG_VERSION"))
            .build();
        let made = Arc::new(Instruments::new(&opentelemetry::global::meter_with_scope(
            scope,
        )));
        // A meter set meanwhile wins.
        let before = self
            .0
            .compare_and_swap(&None::<Arc<Instruments>>, Some(made.clone()));
        before.as_ref().map_or(made, Arc::clone)
    }
}

/// When a session started, and how to record its duration when it ends (armed by
/// `initialize`, which knows the transport).
pub(crate) struct SessionTimer {
    opened: Instant,
    armed: Mutex<Option<(Arc<Instruments>, Vec<KeyValue>)>>,
}

impl SessionTimer {
    pub(crate) fn new() -> Self {
        Self {
            opened: Instant::now(),
            armed: Mutex::new(None),
        }
    }

    /// Records `mcp.server.session.duration` with `attributes` when the session ends.
    pub(crate) fn arm(&self, instruments: Arc<Instruments>, attributes: Vec<KeyValue>) {
        *self.armed.lock() = Some((instruments, attributes));
    }

    /// The session ended: records its duration, once.
    pub(crate) fn stop(&self) {
        if let Some((instruments, attributes)) = self.armed.lock().take() {
            let seconds = self.opened.elapsed().as_secs_f64();
            instruments.session.record(seconds, &attributes);
        }
    }
}
