//! One message in: parsed once, its era decided by one rule for every transport, its session
//! found; notifications and client responses answered here, so that no layer can hold up the
//! answer a running call waits for.
//!
//! The rule: a message that names a stored session (Streamable HTTP's `Mcp-Session-Id`) is on
//! the 2025 wire. Otherwise a request whose `params._meta` names the 2026 protocol version or
//! client capabilities is on the 2026-07-28 wire, and so is any request but `initialize` whose
//! transport says `MCP-Protocol-Version: 2026-07-28`; everything else is on the 2025 wire.

use std::sync::Arc;

use http::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Engine, Inbound, Loading, McpRequest, Prepared};
use crate::error::{McpError, Rejection};
use crate::handler::RequestCx;
use crate::jsonrpc::{Message, Notification, Request, RequestId, Response};
use crate::principal::Principal;
use crate::protocol::v2026::{self, ParamsProbe};
use crate::protocol::Era;
use crate::session::{MaybeReady, Session, SessionRef};

/// Code of a request on an unknown or ended session (as the TypeScript SDK uses).
const SESSION_NOT_FOUND: i32 = -32001;
/// A transport-level rejection (as the TypeScript SDK uses).
const BAD_REQUEST: i32 = -32000;

/// 400: a request of the 2025 wire that names no session.
pub(crate) fn missing_session() -> Rejection {
    Rejection::new(McpError::new(
        BAD_REQUEST,
        "missing Mcp-Session-Id header: send `initialize` first and echo the id it returns",
    ))
    .with_status(StatusCode::BAD_REQUEST)
}

/// 404: the session is unknown, expired or deleted.
pub(crate) fn session_not_found() -> Rejection {
    Rejection::new(McpError::new(
        SESSION_NOT_FOUND,
        "session not found: it expired or was deleted; initialize a new one",
    ))
    .with_status(StatusCode::NOT_FOUND)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CancelledParams {
    request_id: RequestId,
}

impl Engine {
    pub(crate) fn prepare(&self, bytes: &[u8], inbound: Inbound) -> Prepared {
        let message = match Message::parse(bytes) {
            Ok(message) => message,
            Err(failure) => {
                return Prepared::Rejected(
                    Rejection::new(failure.error)
                        .with_id(failure.id)
                        .with_status(StatusCode::BAD_REQUEST),
                )
            }
        };
        match message {
            Message::Request(request) => match self.prepare_request(request, inbound) {
                Ok(Found::Now(request)) => Prepared::Request(request),
                Ok(Found::Later(loading)) => Prepared::Loading(loading),
                Err(rejection) => Prepared::Rejected(rejection),
            },
            Message::Notification(notification) => match self.notified(&notification, &inbound) {
                Ok(()) => Prepared::Accepted,
                Err(rejection) => Prepared::Rejected(rejection),
            },
            Message::Response(response) => match self.answered(response, &inbound) {
                Ok(()) => Prepared::Accepted,
                Err(rejection) => Prepared::Rejected(rejection),
            },
        }
    }

    fn prepare_request(
        &self,
        request: Request,
        inbound: Inbound,
    ) -> Result<Found<McpRequest, Loading>, Rejection> {
        let named = matches!(inbound.session, SessionRef::Named(Some(_)));
        let probe = (!named).then(|| ParamsProbe::read(request.params.as_deref()));
        let v2026 = probe.as_ref().is_some_and(|probe| {
            probe.declared()
                || (&*request.method != "initialize"
                    && version_hint(inbound.http.as_ref()) == Some(v2026::VERSION))
        });
        let Inbound {
            session: binding,
            sink,
            mut http,
        } = inbound;
        let extensions = http
            .as_mut()
            .map(|parts| std::mem::take(&mut parts.extensions))
            .unwrap_or_default();
        let principal = extensions
            .get::<Arc<Principal>>()
            .cloned()
            .or_else(|| extensions.get::<Principal>().cloned().map(Arc::new));
        let mut cx = RequestCx {
            era: Era::V2025,
            session: None,
            binding,
            sink,
            http,
            extensions,
            v2026: None,
            principal,
        };
        if v2026 {
            let meta = probe
                .expect("probed")
                .into_meta()
                .map_err(|e| Rejection::new(e).with_status(StatusCode::BAD_REQUEST))
                .map_err(|r| r.with_id(Some(request.id.clone())))?;
            cx.era = Era::V2026;
            cx.v2026 = Some(Arc::new(meta));
        } else if &*request.method != "initialize" {
            let found = self
                .session_of(&cx.binding)
                .map_err(|r| r.with_id(Some(request.id.clone())))?;
            match found {
                Found::Now(session) => cx.session = session,
                Found::Later(loading) => return Ok(Found::Later(loaded(loading, request, cx))),
            }
        }
        Ok(Found::Now(McpRequest { request, cx }))
    }

    /// The session a 2025-wire message belongs to, as its transport names it: held here, or
    /// (for a named session held elsewhere) still loading from the store.
    fn session_of(&self, binding: &SessionRef) -> Result<Found<Option<Arc<Session>>>, Rejection> {
        match binding {
            SessionRef::None => Ok(Found::Now(None)),
            SessionRef::Named(None) => Err(missing_session()),
            SessionRef::Named(Some(id)) => {
                let id = id.to_str().map_err(|_| session_not_found())?;
                match self.sessions.open(id).now() {
                    Ok(Some(session)) => Ok(Found::Now(Some(session))),
                    Ok(None) => Err(session_not_found()),
                    Err(loading) => Ok(Found::Later(loading)),
                }
            }
            SessionRef::Connection(connection) => Ok(Found::Now(connection.session().cloned())),
        }
    }

    /// The session of a notification or a client response, if this process holds it: one
    /// held elsewhere has no call or request here to act on.
    fn session_here(&self, binding: &SessionRef) -> Result<Option<Arc<Session>>, Rejection> {
        Ok(match self.session_of(binding)? {
            Found::Now(session) => session,
            Found::Later(_) => None,
        })
    }

    /// A client notification: `notifications/cancelled` stops the call it names; the others
    /// (`initialized`, unknown ones) are ignored, as JSON-RPC requires. The 2026 wire defines
    /// no client notifications over HTTP, so those are accepted and ignored too.
    fn notified(&self, notification: &Notification, inbound: &Inbound) -> Result<(), Rejection> {
        let session = match &inbound.session {
            SessionRef::Named(_)
                if ParamsProbe::read(notification.params.as_deref()).declared() =>
            {
                return Ok(())
            }
            binding => self.session_here(binding)?,
        };
        match &*notification.method {
            "notifications/cancelled" => {
                let params = notification.params.as_deref().map_or("{}", RawValue::get);
                match serde_json::from_str::<CancelledParams>(params) {
                    Ok(p) => {
                        let in_session = session
                            .as_ref()
                            .is_some_and(|s| s.calls().cancel(&p.request_id));
                        let on_connection = match &inbound.session {
                            SessionRef::Connection(c) => c.calls().cancel(&p.request_id),
                            _ => false,
                        };
                        let found = in_session || on_connection;
                        tracing::debug!(request = %p.request_id, found, "cancel requested");
                    }
                    Err(e) => tracing::trace!(error = %e, "ignored malformed cancellation"),
                }
            }
            "notifications/initialized" => {}
            method => tracing::trace!(method, "ignored notification"),
        }
        Ok(())
    }

    /// A client's response to a request the server sent: handed to the call awaiting it; one
    /// that matches nothing in its session is ignored.
    fn answered(&self, response: Response, inbound: &Inbound) -> Result<(), Rejection> {
        let session = self.session_here(&inbound.session)?;
        let id = response.id.clone();
        let matched = session
            .as_deref()
            .is_some_and(|s| self.pending.resolve(s.id(), response));
        let session = session.as_deref().map(Session::id);
        if matched {
            tracing::debug!(%id, session, "client answered");
        } else {
            tracing::debug!(%id, session, "ignored a response nobody awaits");
        }
        Ok(())
    }
}

/// What a lookup found: now, or once the session store answers.
enum Found<T, L = MaybeReady<Option<Arc<Session>>>> {
    Now(T),
    Later(L),
}

/// The request once its session's record is loaded: 404 if the store does not know it.
fn loaded(
    loading: MaybeReady<Option<Arc<Session>>>,
    request: Request,
    mut cx: RequestCx,
) -> Loading {
    Box::pin(async move {
        match loading.await {
            Some(session) => {
                cx.session = Some(session);
                Ok(McpRequest { request, cx })
            }
            None => Err(session_not_found().with_id(Some(request.id.clone()))),
        }
    })
}

/// The `MCP-Protocol-Version` an HTTP request declares.
fn version_hint(http: Option<&http::request::Parts>) -> Option<&str> {
    static VERSION_HEADER: http::HeaderName = http::HeaderName::from_static("mcp-protocol-version");
    http?
        .headers
        .get(&VERSION_HEADER)?
        .to_str()
        .ok()
        .map(str::trim)
}
