//! How a running call asks the client (sampling, elicitation, roots): one [`ClientExchange`]
//! per wire, so a handler is written once.

mod error;
mod mrtr;
mod pending;
mod stream;
mod unavailable;

use std::future::Future;
use std::pin::Pin;

use serde_json::value::RawValue;

pub(crate) use crate::sink::MessageSink;

pub use error::ExchangeError;
pub(crate) use mrtr::{InputRound, StateKey, DEFAULT_MAX_AGE as DEFAULT_STATE_MAX_AGE};
pub use pending::{PendingRequests, DEFAULT_TIMEOUT};
pub(crate) use stream::StreamExchange;
pub(crate) use unavailable::no_stream_requests;

/// A request the server sends the client: `sampling/createMessage`, `elicitation/create`,
/// `roots/list`.
#[derive(Debug)]
pub struct ClientRequest {
    /// The method.
    pub method: &'static str,
    /// The params, serialized.
    pub params: Box<RawValue>,
    /// The key naming this request in an MRTR round (`inputRequests`, `inputResponses`), as
    /// chosen with [`Context::input_key`](crate::Context::input_key); `None`: numbered in call
    /// order. Other exchanges ignore it.
    pub key: Option<String>,
}

/// What [`ClientExchange::request`] returns: the client's `result`, as raw JSON.
pub type ExchangeFuture =
    Pin<Box<dyn Future<Output = Result<Box<RawValue>, ExchangeError>> + Send>>;

/// How a running call gets answers from the client. `Context::sample`, `elicit` and
/// `list_roots` all go through it, so a tool body is written once for every wire:
///
/// - the 2025 wire (the default): the request is written on the call's stream and the answer
///   arrives later as a JSON-RPC response, with a timeout;
/// - the 2026 wire (MRTR, on `tools/call` and `prompts/get`) answers from the retried call's
///   `inputResponses` (and the answers of earlier rounds, carried in the signed
///   `requestState`), or records the request and stops the call so that the dispatcher
///   returns `input_required` with every request gathered so far. Requests are keyed by
///   [`ClientRequest::key`] or else by their order in the call, so a retried call finds its
///   answers in the same places.
///
/// Capabilities are checked before the exchange is asked, against
/// [`CallContext::client_capabilities`](crate::CallContext::client_capabilities).
///
/// ```
/// use quickmcp_core::{ClientExchange, ClientRequest, ExchangeFuture};
/// use serde_json::value::RawValue;
///
/// /// Answers every `roots/list` with no roots: a stand-in client for tests.
/// struct NoRoots;
///
/// impl ClientExchange for NoRoots {
///     fn request(&self, request: ClientRequest) -> ExchangeFuture {
///         assert_eq!(request.method, "roots/list");
///         Box::pin(async { Ok(RawValue::from_string(r#"{"roots":[]}"#.into()).unwrap()) })
///     }
/// }
/// ```
pub trait ClientExchange: Send + Sync + 'static {
    /// Sends `request` and resolves with the client's result.
    fn request(&self, request: ClientRequest) -> ExchangeFuture;
}
