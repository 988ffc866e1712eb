//! [`serve`]: axum's server with `TCP_NODELAY` and a graceful shutdown that also ends
//! long-lived SSE streams.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use axum::{Extension, Router};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::state::Shutdown;

/// How long in-flight requests may run after the shutdown signal.
pub const GRACE_PERIOD: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, closes the
/// open SSE streams, and waits up to [`GRACE_PERIOD`] for in-flight requests.
///
/// Every accepted socket gets `TCP_NODELAY`: an SSE response written in pieces would
/// otherwise wait for the client's delayed ACK (about 40 ms per call on Linux).
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
/// let app = axum::Router::new();
/// quickmcp_http::serve(listener, app, async { let _ = tokio::signal::ctrl_c().await; }).await
/// # }
/// ```
pub async fn serve<F>(listener: TcpListener, app: Router, shutdown: F) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let closing = CancellationToken::new();
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::trace!(error = %e, "could not set TCP_NODELAY");
        }
    });
    let app = app.layer(Extension(Shutdown(Arc::new(closing.clone()))));
    let signal = closing.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        signal.cancel();
    });
    let grace = async {
        closing.cancelled().await;
        tokio::time::sleep(GRACE_PERIOD).await;
        tracing::warn!("grace period over: dropping the connections still open");
    };
    tokio::select! {
        served = server => served,
        () = grace => Ok(()),
    }
}
