//! `resources/read`, `resources/subscribe` and `resources/unsubscribe`.

use bytes::Bytes;
use serde_json::value::RawValue;

use super::params;
use crate::error::McpError;
use crate::exchange::{Inbound, RequestContext};
use crate::guard;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::EmptyObject;
use crate::protocol::resources::UriParams;
use crate::protocol::v2026::CacheHint;
use crate::server::McpServer;
use crate::session::Session;

impl McpServer {
    /// Reads a resource: the static resource with this URI, else the first template (in
    /// registration order) that matches it, else `-32002` with `data: {uri}`. On the 2026
    /// wire a handler may ask the client (MRTR), as tools and prompts do.
    pub(super) async fn read_resource(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        inbound: Inbound,
    ) -> Result<Bytes, McpError> {
        let p: UriParams = params(raw, "resources/read")?;
        tracing::Span::current().record("resource", p.uri.as_str());
        let rules = inbound.session.as_deref().and_then(Session::visibility);
        let rules = rules.as_deref();
        let round = self.input_round(&inbound, raw, "resources/read", p.uri.clone().into())?;
        let modern = inbound.modern.clone();
        // The 2025 wire answers the handler's questions to the client through `pending`.
        let mut cx = RequestContext::new(id.clone(), inbound, None, self.inner.state.load_full())
            .with_pending(self.inner.pending.clone());
        if let Some(round) = &round {
            cx = cx.with_round(round.clone());
        }
        let guarded = guard::Handler {
            kind: "resource",
            name: &p.uri,
        };
        let resources = self.inner.resources.snapshot();
        let (reply, cache) = match resources.get(&p.uri, rules) {
            Some(resource) => (
                guard::call(guarded, || resource.handler.read(&p.uri, &cx))?,
                resource.definition.cache,
            ),
            None => {
                let templates = self.inner.templates.snapshot();
                let reply = templates.iter(rules).find_map(|t| {
                    let vars = t.template.matches(&p.uri)?;
                    let read = guard::call(guarded, || t.handler.read(&p.uri, &vars, &cx));
                    Some((read, t.definition.cache))
                });
                let (read, cache) = reply.ok_or_else(|| McpError::resource_not_found(&p.uri))?;
                (read?, cache)
            }
        };
        let reply = guard::poll(guarded, reply.resolve());
        let reply = async move { reply.await? };
        if let Some(meta) = modern.filter(|_| cache != CacheHint::default()) {
            meta.record_resource_cache(cache);
        }
        let Some(round) = round else {
            return Ok(jsonrpc::response(id, &reply.await?));
        };
        // A handler that asks the client (through a `Context` built from `cx`) stops here on
        // the 2026 wire and the client retries with the answers, as for tools and prompts.
        tokio::select! {
            biased;
            result = reply => Ok(jsonrpc::response(id, &result?)),
            () = round.stopped() => Ok(round.input_required(id, &self.state_key())),
        }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{json, Value};

    use crate::exchange::{Inbound, RequestContext};
    use crate::jsonrpc::Message;
    use crate::protocol::content::ResourceContents;
    use crate::protocol::resources::{
        ReadResourceResult, ResourceDefinition, ResourceTemplateDefinition,
    };
    use crate::registry::uri_template::UriVars;
    use crate::registry::Reply;
    use crate::{McpServer, ResourceHandler, ResourceTemplateHandler};

    fn answer(text: String, uri: &str) -> Reply<ReadResourceResult> {
        let contents = vec![ResourceContents::Text {
            uri: uri.into(),
            mime_type: None,
            text,
        }];
        Reply::ready(Ok(ReadResourceResult { contents }))
    }

    struct Fixed(&'static str);

    impl ResourceHandler for Fixed {
        fn definition(&self) -> ResourceDefinition {
            ResourceDefinition::new(self.0, "fixed")
        }
        fn read(&self, uri: &str, _: &RequestContext) -> Reply<ReadResourceResult> {
            answer("static".into(), uri)
        }
    }

    struct Template(&'static str, &'static str);

    impl ResourceTemplateHandler for Template {
        fn definition(&self) -> ResourceTemplateDefinition {
            ResourceTemplateDefinition::new(self.0, self.1)
        }
        fn read(&self, uri: &str, vars: &UriVars, _: &RequestContext) -> Reply<ReadResourceResult> {
            let var = vars.get("v").unwrap_or_default();
            answer(format!("{}:{var}", self.1), uri)
        }
    }

    async fn read(server: &McpServer, uri: &str) -> Value {
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}});
        let Ok(Message::Request(request)) = Message::parse(body.to_string().as_bytes()) else {
            panic!("a request");
        };
        let bytes = server
            .handle_request(request, Inbound::default())
            .await
            .unwrap();
        let response: Value = serde_json::from_slice(&bytes).unwrap();
        match response["result"]["contents"][0]["text"].as_str() {
            Some(text) => Value::String(text.into()),
            None => response["error"].clone(),
        }
    }

    #[tokio::test]
    async fn static_first_then_templates_in_registration_order() {
        let server = McpServer::new("t");
        server
            .add_resource_template(Arc::new(Template("a://x/{v}", "first")))
            .unwrap();
        server
            .add_resource_template(Arc::new(Template("a://{v}/1", "second")))
            .unwrap();
        server.add_resource(Arc::new(Fixed("a://x/1"))).unwrap();
        assert_eq!(read(&server, "a://x/1").await, "static");
        assert_eq!(read(&server, "a://x/2").await, "first:2");
        assert_eq!(read(&server, "a://y/1").await, "second:y");
        server.set_resource_template_enabled("a://x/{v}", false);
        assert_eq!(
            read(&server, "a://x/2").await,
            json!({
                "code": -32002, "message": "resource not found: `a://x/2`", "data": {"uri": "a://x/2"}
            })
        );
        assert_eq!(read(&server, "a://x/1").await, "static");
    }
}
