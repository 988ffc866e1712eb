//! The exchange of a call that cannot ask the client anything.

use std::sync::{Arc, LazyLock};

use super::{ClientExchange, ClientRequest, ExchangeError, ExchangeFuture};

/// The 2026 wire sends no requests on a response stream, and only `tools/call` and
/// `prompts/get` ask through MRTR (`input_required`): elsewhere (`resources/read`,
/// completions) `ctx.sample`/`elicit`/`list_roots` fail with this, after the capability check.
struct NoStreamRequests;

impl ClientExchange for NoStreamRequests {
    fn request(&self, request: ClientRequest) -> ExchangeFuture {
        let method = request.method;
        Box::pin(async move {
            Err(ExchangeError::Unavailable(
                format!("`{method}` cannot be sent here on the 2026-07-28 wire: only `tools/call` and `prompts/get` can return `input_required`")
                    .into(),
            ))
        })
    }
}

pub(crate) fn no_stream_requests() -> Arc<dyn ClientExchange> {
    // Shared: a 2026 call should not allocate for the exchange it most likely never uses.
    static NO_STREAM_REQUESTS: LazyLock<Arc<dyn ClientExchange>> =
        LazyLock::new(|| Arc::new(NoStreamRequests));
    NO_STREAM_REQUESTS.clone()
}
