//! The 2025 wire: a server→client request is written on the call's own stream (the POST's SSE
//! response, stdout, the legacy SSE stream) or else the session's GET stream, and the answer
//! comes back as a separate message, matched through [`PendingRequests`].

use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::pending::PendingRequests;
use super::{ClientExchange, ClientRequest, ExchangeError, ExchangeFuture, MessageSink};
use crate::error::McpError;
use crate::jsonrpc::{self, RequestId};
use crate::session::Session;

/// [`ClientExchange`] over a stream of the session, answered by a later message.
pub(crate) struct StreamExchange {
    pub(crate) pending: Arc<PendingRequests>,
    pub(crate) session: Arc<Session>,
    /// The call's own stream; `None` when the call is answered with a JSON body.
    pub(crate) sink: Option<Arc<dyn MessageSink>>,
    pub(crate) cancel: CancellationToken,
}

impl ClientExchange for StreamExchange {
    fn request(&self, request: ClientRequest) -> ExchangeFuture {
        let sink = self.sink.clone().or_else(|| self.session.stream());
        let pending = self.pending.clone();
        let session = self.session.clone();
        let cancel = self.cancel.clone();
        let span = tracing::debug_span!(
            "mcp.client_request",
            method = request.method,
            id = tracing::field::Empty,
            session = session.id(),
        );
        Box::pin(
            async move {
                let Some(sink) = sink else {
                    return Err(ExchangeError::Unavailable(
                        "the call is answered with a JSON body and the session has no GET stream open; \
                         let the client accept text/event-stream or open the GET stream"
                            .into(),
                    ));
                };
                let timeout = pending.timeout();
                let mut waiter = pending.register(session.id());
                tracing::Span::current().record("id", waiter.id);
                let id = RequestId::Number(waiter.id);
                if !sink.send(jsonrpc::request(&id, request.method, &request.params)) {
                    tracing::debug!("the stream is closed");
                    return Err(ExchangeError::Disconnected);
                }
                tracing::debug!("sent, awaiting the client");
                tokio::select! {
                    answer = &mut waiter.answer => match answer {
                        Ok(Ok(result)) => Ok(result),
                        Ok(Err(error)) => Err(ExchangeError::Rejected(client_error(&error))),
                        Err(_) => Err(ExchangeError::Disconnected),
                    },
                    () = tokio::time::sleep(timeout) => {
                        tracing::debug!(?timeout, "no answer in time");
                        Err(ExchangeError::Timeout(timeout))
                    }
                    () = cancel.cancelled() => Err(ExchangeError::Cancelled),
                }
            }
            .instrument(span),
        )
    }
}

/// Reads a JSON-RPC error object the client sent.
fn client_error(raw: &RawValue) -> McpError {
    #[derive(Deserialize)]
    struct Wire {
        code: i32,
        #[serde(default)]
        message: String,
        #[serde(default)]
        data: Option<Value>,
    }
    match serde_json::from_str::<Wire>(raw.get()) {
        Ok(wire) => McpError {
            code: wire.code,
            message: wire.message.into(),
            data: wire.data,
        },
        Err(_) => McpError::internal(format!("the client sent a malformed error: {}", raw.get())),
    }
}
