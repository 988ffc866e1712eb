//! `prompts/get`.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::McpError;
use crate::handler::{CallContext, RequestCx};
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::prompts::GetPromptResult;
use crate::protocol::prompts::PromptArguments;
use crate::service::invoke::{Answer, Finish, Invocation};
use crate::service::Engine;
use crate::session::Session;

#[derive(Deserialize)]
struct GetPromptParams<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
}

fn respond_prompt(
    id: &RequestId,
    _: &RequestCx,
    result: Result<GetPromptResult, McpError>,
) -> Result<Bytes, McpError> {
    result.map(|result| jsonrpc::response(id, &result))
}

impl Engine {
    /// Renders a prompt; an unknown prompt or a missing required argument is `-32602`.
    pub(crate) fn get_prompt(self: &Arc<Self>, request: Request, cx: RequestCx) -> Answer {
        match self.try_get_prompt(request, cx) {
            Ok(answer) => answer,
            Err(e) => Answer::ready(Err(e)),
        }
    }

    fn try_get_prompt(
        self: &Arc<Self>,
        request: Request,
        cx: RequestCx,
    ) -> Result<Answer, McpError> {
        let raw = request.params.as_deref();
        let p: GetPromptParams<'_> = serde_json::from_str(raw.map_or("{}", RawValue::get))
            .map_err(|e| {
                McpError::invalid_params(format!("invalid params for `prompts/get`: {e}"))
            })?;
        tracing::Span::current().record("gen_ai.prompt.name", &*p.name);
        let rules = cx.session.as_deref().and_then(Session::visibility);
        let prompts = self.prompts.snapshot();
        let prompt = prompts
            .get(&p.name, rules.as_deref())
            .ok_or_else(|| McpError::invalid_params(format!("unknown prompt `{}`", p.name)))?;
        if let Some(refusal) = cx.scope_refusal(&prompt.definition.scopes) {
            return Ok(Answer::Refused(refusal.with_id(Some(request.id))));
        }
        let args = PromptArguments::parse(p.arguments)?;
        let name: Cow<'static, str> = p.name.into_owned().into();
        let round = self.input_round(&cx, raw, "prompts/get", name.clone())?;
        let call = self.call_state(&cx, round, None);
        let invocation = Invocation {
            id: request.id.clone(),
            cx,
            kind: "prompt",
            name,
            call,
            timeout: prompt.definition.timeout,
        };
        let start = |cx: &CallContext<'_>| prompt.handler.get(args, cx);
        let finish = Finish {
            respond: respond_prompt,
            failed: |failed| Err(failed.into()),
        };
        Ok(self.invoke(invocation, start, finish))
    }
}
