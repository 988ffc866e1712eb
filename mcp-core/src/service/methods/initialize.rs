//! `initialize` (2025 wire): negotiates the revision (the client's if supported, else our
//! latest) and opens the session as the transport names sessions: stored and named by id
//! (Streamable HTTP), bound to the connection (stdio, legacy SSE), or none (stateless).

use std::sync::Arc;

use http::StatusCode;

use super::params;
use crate::error::{McpError, Rejection};
use crate::handler::RequestCx;
use crate::jsonrpc::{self, Request};
use crate::protocol::initialize::InitializeParams;
use crate::protocol::ProtocolVersion;
use crate::service::{Engine, McpResponse, Outgoing};
use crate::session::{new_session_id, Session, SessionRef};

/// The session `initialize` opened (if any), and the one to name to the client (a stored one).
type Opened = (Option<Arc<Session>>, Option<Arc<Session>>);

impl Engine {
    pub(crate) fn initialize(&self, request: &Request, cx: &RequestCx) -> Outgoing {
        let init: InitializeParams = match params(request.params.as_deref(), "initialize") {
            Ok(init) => init,
            Err(e) => return refuse(request, e, StatusCode::BAD_REQUEST),
        };
        let version =
            ProtocolVersion::parse(&init.protocol_version).unwrap_or(ProtocolVersion::LATEST);
        let (session, stored) = match self.open_session(request, cx, version, init) {
            Ok(opened) => opened,
            Err(refused) => return refused,
        };
        // The result is `{"protocolVersion":…` then the cached rest (InitializeResult's order).
        let cache = self.init_cache();
        let tail = cache.tail.strip_prefix(b"{").unwrap_or(&cache.tail);
        let body = jsonrpc::response_parts(
            &request.id,
            &[
                br#"{"protocolVersion":""#,
                version.as_str().as_bytes(),
                b"\",",
                tail,
            ],
        );
        tracing::debug!(version = %version, session = session.as_ref().map(|s| s.id()), "initialized");
        Outgoing::Ready(Ok(McpResponse {
            body,
            session: stored,
        }))
    }

    /// Opens the session `initialize` asks for, as the transport names sessions; `Err` is the
    /// answer that refuses it.
    fn open_session(
        &self,
        request: &Request,
        cx: &RequestCx,
        version: ProtocolVersion,
        init: InitializeParams,
    ) -> Result<Opened, Outgoing> {
        let opened = match &cx.binding {
            SessionRef::Named(_) => {
                let created = self
                    .sessions
                    .create(version, init.capabilities, init.client_info);
                let Some(session) = created else {
                    let full = "the server has reached its session limit: try again later";
                    let status = StatusCode::SERVICE_UNAVAILABLE;
                    return Err(refuse(request, McpError::internal(full), status));
                };
                (Some(session.clone()), Some(session))
            }
            SessionRef::Connection(connection) => {
                if connection.session().is_some() {
                    let again = McpError::invalid_request("the session is already initialized");
                    let response = jsonrpc::error_response(Some(&request.id), &again);
                    return Err(Outgoing::Ready(Ok(McpResponse::new(response))));
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
                (Some(session), None)
            }
            SessionRef::None => (None, None),
        };
        #[cfg(feature = "otel")]
        if let Some(session) = &opened.0 {
            crate::service::telemetry::session_opened(self, session, cx);
        }
        Ok(opened)
    }
}

/// The answer refusing `request` with `error` and an HTTP `status`.
fn refuse(request: &Request, error: McpError, status: StatusCode) -> Outgoing {
    let rejection = Rejection::new(error).with_id(Some(request.id.clone()));
    Outgoing::Ready(Err(rejection.with_status(status)))
}
