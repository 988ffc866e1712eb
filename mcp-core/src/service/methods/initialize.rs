//! `initialize` (2025 wire): negotiates the revision (the client's if supported, else our
//! latest) and opens the session as the transport names sessions: stored and named by id
//! (Streamable HTTP), bound to the connection (stdio, legacy SSE), or none (stateless).

use std::sync::Arc;

use bytes::Bytes;
use http::StatusCode;

use super::params;
use crate::error::{McpError, Rejection};
use crate::handler::RequestCx;
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::initialize::InitializeParams;
use crate::protocol::ProtocolVersion;
use crate::service::{Engine, McpResponse, Outgoing};
use crate::session::{new_session_id, Session, SessionRef, SessionStoreError};

impl Engine {
    pub(crate) fn initialize(&self, request: &Request, cx: &RequestCx) -> Outgoing {
        let init: InitializeParams = match params(request.params.as_deref(), "initialize") {
            Ok(init) => init,
            Err(e) => return refuse(request, e, StatusCode::BAD_REQUEST),
        };
        let version =
            ProtocolVersion::parse(&init.protocol_version).unwrap_or(ProtocolVersion::LATEST);
        let session = match &cx.binding {
            SessionRef::Named(_) => return self.open_stored(request, cx, version, init),
            SessionRef::Connection(connection) => {
                if connection.session().is_some() {
                    let again = McpError::invalid_request("the session is already initialized");
                    let response = jsonrpc::error_response(Some(&request.id), &again);
                    return Outgoing::Ready(Ok(McpResponse::new(response)));
                }
                let session = Arc::new(Session::new(
                    new_session_id(),
                    version,
                    init.capabilities,
                    init.client_info,
                ));
                session.try_attach_stream(connection.sink().clone());
                self.sessions.track_local(&session);
                connection.open(session.clone());
                #[cfg(feature = "otel")]
                crate::service::telemetry::session_arming(self, cx, version).arm(&session);
                Some(session)
            }
            SessionRef::None => None,
        };
        let id = session.as_ref().map(|s| s.id());
        tracing::debug!(version = %version, session = id, "initialized");
        let body = result(&request.id, version, &self.init_cache().tail);
        Outgoing::Ready(Ok(McpResponse::new(body)))
    }

    /// Stores the session `initialize` opens (Streamable HTTP), bound to its principal, and
    /// answers once it is stored.
    fn open_stored(
        &self,
        request: &Request,
        cx: &RequestCx,
        version: ProtocolVersion,
        init: InitializeParams,
    ) -> Outgoing {
        let owner = cx.principal.as_ref().map(|p| p.id());
        let created = self
            .sessions
            .create(version, init.capabilities, init.client_info, owner);
        let id = request.id.clone();
        let cache = self.init_cache();
        #[cfg(feature = "otel")]
        let arming = crate::service::telemetry::session_arming(self, cx, version);
        let opened = move |created: Result<Arc<Session>, SessionStoreError>| {
            #[cfg(feature = "otel")]
            if let Ok(session) = &created {
                arming.arm(session);
            }
            opened(&id, version, &cache.tail, created)
        };
        match created.now() {
            Ok(created) => Outgoing::Ready(opened(created)),
            Err(pending) => Outgoing::Running(Box::pin(async move { opened(pending.await) })),
        }
    }
}

/// The answer refusing `request` with `error` and an HTTP `status`.
fn refuse(request: &Request, error: McpError, status: StatusCode) -> Outgoing {
    let rejection = Rejection::new(error).with_id(Some(request.id.clone()));
    Outgoing::Ready(Err(rejection.with_status(status)))
}

/// The answer to an `initialize` that stored a session: the result naming it, or 503 when
/// the server holds as many as it may, or `-32603` when the store failed.
fn opened(
    id: &RequestId,
    version: ProtocolVersion,
    tail: &[u8],
    created: Result<Arc<Session>, SessionStoreError>,
) -> Result<McpResponse, Rejection> {
    let session = created.map_err(|error| {
        let status = match error {
            SessionStoreError::Full(_) => StatusCode::SERVICE_UNAVAILABLE,
            SessionStoreError::Backend(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Rejection::new(McpError::internal(error.to_string()))
            .with_id(Some(id.clone()))
            .with_status(status)
    })?;
    tracing::debug!(version = %version, session = session.id(), "initialized");
    Ok(McpResponse {
        body: result(id, version, tail),
        session: Some(session),
    })
}

/// `{"protocolVersion":…` then the cached rest (InitializeResult's order).
fn result(id: &RequestId, version: ProtocolVersion, tail: &[u8]) -> Bytes {
    let tail = tail.strip_prefix(b"{").unwrap_or(tail);
    jsonrpc::response_parts(
        id,
        &[
            br#"{"protocolVersion":""#,
            version.as_str().as_bytes(),
            b"\",",
            tail,
        ],
    )
}
