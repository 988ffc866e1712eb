//! `resources/read`, `resources/subscribe` and `resources/unsubscribe`.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::value::RawValue;

use super::{params, persisted};
use crate::error::McpError;
use crate::handler::{CallContext, RequestCx};
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::initialize::EmptyObject;
use crate::protocol::resources::{ReadResourceResult, UriParams};
use crate::protocol::v2026::CacheHint;
use crate::registry::Reply;
use crate::service::invoke::{Answer, Finish, Invocation};
use crate::service::Engine;
use crate::session::Session;

fn respond_read(
    id: &RequestId,
    _: &RequestCx,
    result: Result<ReadResourceResult, McpError>,
) -> Result<Bytes, McpError> {
    result.map(|result| jsonrpc::response(id, &result))
}

impl Engine {
    /// Reads a resource: the static resource with this URI, else the first template (in
    /// registration order) that matches it, else `-32002` with `data: {uri}`. On the 2026
    /// wire a handler may ask the client (MRTR), as tools and prompts do.
    pub(crate) fn read_resource(self: &Arc<Self>, request: Request, cx: RequestCx) -> Answer {
        match self.try_read_resource(request, cx) {
            Ok(answer) => answer,
            Err(e) => Answer::ready(Err(e)),
        }
    }

    fn try_read_resource(
        self: &Arc<Self>,
        request: Request,
        cx: RequestCx,
    ) -> Result<Answer, McpError> {
        let raw = request.params.as_deref();
        let p: UriParams = params(raw, "resources/read")?;
        tracing::Span::current().record("mcp.resource.uri", p.uri.as_str());
        let rules = cx.session.as_deref().and_then(Session::visibility);
        let rules = rules.as_deref();
        let round = self.input_round(&cx, raw, "resources/read", p.uri.clone().into())?;
        let resources = self.resources.snapshot();
        let templates = self.templates.snapshot();
        type Read<'r> = Box<dyn FnOnce(&CallContext<'_>) -> Reply<ReadResourceResult> + 'r>;
        let uri = p.uri.as_str();
        let (read, cache, timeout, scopes): (Read<'_>, CacheHint, _, &[String]) = match resources
            .get(uri, rules)
        {
            Some(resource) => (
                Box::new(move |cx| resource.handler.read(uri, cx)),
                resource.definition.cache,
                resource.definition.timeout,
                &resource.definition.scopes,
            ),
            None => {
                let found = templates
                    .iter(rules)
                    .find_map(|t| Some((t, t.template.matches(uri)?)));
                let (template, vars) = found.ok_or_else(|| McpError::resource_not_found(uri))?;
                (
                    Box::new(move |cx| template.handler.read(uri, &vars, cx)),
                    template.definition.cache,
                    template.definition.timeout,
                    &template.definition.scopes,
                )
            }
        };
        if let Some(refusal) = cx.scope_refusal(scopes) {
            return Ok(Answer::Refused(refusal.with_id(Some(request.id))));
        }
        if let Some(meta) = cx
            .v2026
            .as_deref()
            .filter(|_| cache != CacheHint::default())
        {
            meta.record_resource_cache(cache);
        }
        let call = self.call_state(&cx, round, None);
        let invocation = Invocation {
            id: request.id.clone(),
            cx,
            kind: "resource",
            name: uri.to_owned().into(),
            call,
            timeout,
        };
        let finish = Finish {
            respond: respond_read,
            failed: |failed| Err(failed.into()),
        };
        Ok(self.invoke(invocation, read, finish))
    }

    /// `resources/subscribe` (`on`) or `resources/unsubscribe`: kept in the session (and its
    /// store, before the answer). Without a session (stateless HTTP) there is nowhere to
    /// deliver updates, and nothing is kept.
    pub(crate) fn subscribe(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        session: Option<&Session>,
        on: bool,
    ) -> Answer {
        let method = if on {
            "resources/subscribe"
        } else {
            "resources/unsubscribe"
        };
        let done = params(raw, method).map(|p: UriParams| {
            if let Some(session) = session {
                if on {
                    session.subscribe(&p.uri);
                } else {
                    session.unsubscribe(&p.uri);
                }
            }
            tracing::debug!(uri = %p.uri, subscribed = on, "subscription");
            jsonrpc::response(id, &EmptyObject {})
        });
        persisted(&self.sessions, session, done)
    }
}
