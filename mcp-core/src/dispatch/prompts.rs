//! `prompts/get` and `completion/complete`.

use std::borrow::Cow;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::params;
use crate::error::McpError;
use crate::exchange::{Inbound, RequestContext};
use crate::guard;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::completion::{CompleteParams, CompleteResult, Completion, Reference};
use crate::registry::prompt::PromptArguments;
use crate::server::McpServer;
use crate::session::Session;

#[derive(Deserialize)]
struct GetPromptParams<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
}

impl McpServer {
    /// Renders a prompt; an unknown prompt or a missing required argument is `-32602`.
    pub(super) async fn get_prompt(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        inbound: Inbound,
    ) -> Result<Bytes, McpError> {
        let text = raw.map_or("{}", RawValue::get);
        let p: GetPromptParams<'_> = serde_json::from_str(text).map_err(|e| {
            McpError::invalid_params(format!("invalid params for `prompts/get`: {e}"))
        })?;
        tracing::Span::current().record("prompt", &*p.name);
        let rules = inbound.session.as_deref().and_then(Session::visibility);
        let prompts = self.inner.prompts.snapshot();
        let prompt = prompts
            .get(&p.name, rules.as_deref())
            .ok_or_else(|| McpError::invalid_params(format!("unknown prompt `{}`", p.name)))?;
        let args = PromptArguments::parse(p.arguments)?;
        let round = self.input_round(&inbound, raw, "prompts/get", p.name.to_string().into())?;
        // The 2025 wire answers the handler's questions to the client through `pending`.
        let mut cx = RequestContext::new(id.clone(), inbound, None, self.inner.state.load_full())
            .with_pending(self.inner.pending.clone());
        let guarded = guard::Handler {
            kind: "prompt",
            name: &p.name,
        };
        if let Some(round) = &round {
            cx = cx.with_round(round.clone());
        }
        let reply = guard::call(guarded, || prompt.handler.get(args, &cx))?;
        let result = async move { guard::poll(guarded, reply.resolve()).await? };
        let Some(round) = round else {
            return Ok(jsonrpc::response(id, &result.await?));
        };
        tokio::select! {
            biased;
            result = result => Ok(jsonrpc::response(id, &result?)),
            () = round.stopped() => Ok(round.input_required(id, &self.state_key())),
        }
    }

    /// Suggests values for a prompt argument or a template placeholder, at most 100. A known
    /// reference without a completer gets no values; an unknown one is `-32602`.
    pub(super) fn complete(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        session: Option<&Session>,
    ) -> Result<Bytes, McpError> {
        let p: CompleteParams = params(raw, "completion/complete")?;
        let rules = session.and_then(Session::visibility);
        let rules = rules.as_deref();
        let (argument, context) = (&p.argument, &p.context);
        let values = match &p.reference {
            Reference::Prompt { name } => {
                let prompts = self.inner.prompts.snapshot();
                let prompt = prompts
                    .get(name, rules)
                    .ok_or_else(|| McpError::invalid_params(format!("unknown prompt `{name}`")))?;
                prompt
                    .handler
                    .complete(&argument.name, &argument.value, context)
            }
            Reference::Resource { uri } => {
                let templates = self.inner.templates.snapshot();
                match templates.get(uri, rules) {
                    Some(t) => t.handler.complete(&argument.name, &argument.value, context),
                    None if self.inner.resources.snapshot().get(uri, rules).is_some() => None,
                    None => {
                        return Err(McpError::invalid_params(format!(
                            "unknown resource template `{uri}`"
                        )))
                    }
                }
            }
        };
        let completion = Completion::capped(values.unwrap_or_default());
        Ok(jsonrpc::response(id, &CompleteResult { completion }))
    }
}
