//! `resources/read`, `resources/subscribe` and `resources/unsubscribe`.

use bytes::Bytes;
use serde_json::value::RawValue;

use super::params;
use crate::error::McpError;
use crate::exchange::{Inbound, RequestContext};
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::EmptyObject;
use crate::protocol::resources::UriParams;
use crate::server::McpServer;
use crate::session::Session;

impl McpServer {
    /// Reads a resource: the static resource with this URI, else the first template (in
    /// registration order) that matches it, else `-32002` with `data: {uri}`.
    pub(super) async fn read_resource(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        inbound: Inbound,
    ) -> Result<Bytes, McpError> {
        let p: UriParams = params(raw, "resources/read")?;
        tracing::Span::current().record("resource", p.uri.as_str());
        let cx = RequestContext::new(id.clone(), inbound, None, self.inner.state.load_full());
        let resources = self.inner.resources.snapshot();
        let reply = match resources.get(&p.uri) {
            Some(resource) => resource.handler.read(&p.uri, &cx),
            None => {
                let templates = self.inner.templates.snapshot();
                templates
                    .iter()
                    .find_map(|t| {
                        let vars = t.template.matches(&p.uri)?;
                        Some(t.handler.read(&p.uri, &vars, &cx))
                    })
                    .ok_or_else(|| McpError::resource_not_found(&p.uri))?
            }
        };
        let result = reply.resolve().await?;
        Ok(jsonrpc::response(id, &result))
    }

    /// `resources/subscribe` (`on`) or `resources/unsubscribe`: kept in the session. Without a
    /// session (stateless HTTP) there is nowhere to deliver updates, and nothing is kept.
    pub(super) fn subscribe(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        session: Option<&Session>,
        on: bool,
    ) -> Result<Bytes, McpError> {
        let method = if on {
            "resources/subscribe"
        } else {
            "resources/unsubscribe"
        };
        let p: UriParams = params(raw, method)?;
        if let Some(session) = session {
            if on {
                session.subscribe(&p.uri);
            } else {
                session.unsubscribe(&p.uri);
            }
        }
        tracing::debug!(uri = %p.uri, subscribed = on, "subscription");
        Ok(jsonrpc::response(id, &EmptyObject {}))
    }
}
