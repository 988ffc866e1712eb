//! `tools/call`: the tool looked up once, its arguments split once, the call run by the
//! invoker; on the 2026 wire a task tool called by a client of the tasks extension runs as a
//! task (see [`crate::tasks`]).

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::McpError;
use crate::exchange::{no_stream_requests, InputRound};
use crate::extract::Arguments;
use crate::guard::Failed;
use crate::handler::{CallState, RequestCx};
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::content::CallToolResult;
use crate::protocol::v2026::CallHead;
use crate::registry::tool::RegisteredTool;
use crate::registry::Reply;
use crate::service::invoke::{expiry, Answer, Finish, Invocation};
use crate::service::Engine;
use crate::session::Session;
use crate::tasks::{TaskCall, TaskSupport};

/// A tool body still running.
type ToolBody = Pin<Box<dyn Future<Output = crate::registry::tool::ToolResponse> + Send>>;

/// `tools/call` params, noting (not reading) the MRTR keys so that a 2026 call without them
/// skips the round's own read of the params.
#[derive(Deserialize)]
struct CallToolParams<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
    #[serde(rename = "_meta", default)]
    meta: Option<CallMeta>,
    #[serde(rename = "inputResponses", default)]
    input_responses: Option<IgnoredAny>,
    #[serde(rename = "requestState", default)]
    request_state: Option<IgnoredAny>,
}

/// [`CallToolParams`] without the MRTR keys: the reference read, whose errors are the ones
/// reported (a repeated MRTR key is an error only for the round, on the 2026 wire).
#[derive(Deserialize)]
#[serde(rename = "CallToolParams")]
struct BareCallToolParams<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
    #[serde(rename = "_meta", default)]
    meta: Option<CallMeta>,
}

#[derive(Deserialize)]
struct CallMeta {
    #[serde(rename = "progressToken", default)]
    progress_token: Option<RequestId>,
}

impl<'a> CallToolParams<'a> {
    /// Reads the params once; on failure, reads them as before the MRTR keys were noted.
    fn read(text: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text).or_else(|_| {
            serde_json::from_str(text).map(|bare: BareCallToolParams<'a>| Self {
                name: bare.name,
                arguments: bare.arguments,
                meta: bare.meta,
                // Unknown here: let the round read them.
                input_responses: Some(IgnoredAny),
                request_state: None,
            })
        })
    }

    /// The params as the 2026 wire's probe read them.
    fn from_head(head: &'a CallHead) -> Self {
        let present = |yes: bool| yes.then_some(IgnoredAny);
        Self {
            name: Cow::Borrowed(&head.name),
            arguments: head.arguments.as_deref(),
            meta: Some(CallMeta {
                progress_token: head.progress_token.clone(),
            }),
            input_responses: present(head.has_round),
            request_state: None,
        }
    }

    /// The params of a call: from the head the 2026 probe read, else parsed here.
    fn of(head: Option<&'a CallHead>, raw: Option<&'a RawValue>) -> Result<Self, McpError> {
        match (head, raw) {
            (Some(head), _) => Ok(Self::from_head(head)),
            (None, Some(raw)) => Self::read(raw.get()).map_err(|e| {
                McpError::invalid_params(format!("invalid params for `tools/call`: {e}"))
            }),
            (None, None) => Err(McpError::invalid_params(
                "`tools/call` needs params with a tool `name`",
            )),
        }
    }

    fn has_round(&self) -> bool {
        self.input_responses.is_some() || self.request_state.is_some()
    }
}

fn respond_tool(
    id: &RequestId,
    cx: &RequestCx,
    result: Result<CallToolResult, McpError>,
) -> Result<bytes::Bytes, McpError> {
    result.map(|result| {
        // Typed, so that the 2026 wire maps a failure for want of a client capability to
        // -32021 without reading the response.
        if let Some(meta) = cx.v2026.as_deref().filter(|_| result.is_error) {
            meta.record_error_result();
        }
        jsonrpc::response(id, &result)
    })
}

fn tool_failed(failed: Failed) -> Result<CallToolResult, McpError> {
    Ok(failed.into_tool_result())
}

/// A task tool's body as a call answered inside its request runs: a panic in any poll, or
/// the tool's own timeout running out (the body is then dropped), is the tool's error result
/// naming it.
fn task_body(name: Cow<'static, str>, timeout: Option<Duration>, body: ToolBody) -> ToolBody {
    Box::pin(async move {
        let handler = crate::guard::Handler {
            kind: "tool",
            name: &name,
        };
        tokio::select! {
            biased;
            outcome = crate::guard::poll(handler, body) => {
                outcome.unwrap_or_else(|failed| Ok(failed.into_tool_result()))
            }
            timeout = expiry(timeout) => Ok(handler.timed_out(timeout).into_tool_result()),
        }
    })
}

impl Engine {
    pub(crate) fn call_tool(self: &Arc<Self>, request: Request, cx: RequestCx) -> Answer {
        match self.try_call_tool(request, cx) {
            Ok(answer) => answer,
            Err(e) => Answer::ready(Err(e)),
        }
    }

    fn try_call_tool(
        self: &Arc<Self>,
        request: Request,
        cx: RequestCx,
    ) -> Result<Answer, McpError> {
        let meta = cx.v2026.clone();
        let head = meta.as_deref().and_then(|meta| meta.call_head());
        let call = CallToolParams::of(head, request.params.as_deref())?;
        tracing::Span::current().record("gen_ai.tool.name", &*call.name);
        let tools = self.tools.snapshot();
        let rules = cx.session.as_deref().and_then(Session::visibility);
        let tool = tools
            .get(&call.name, rules.as_deref())
            .ok_or_else(|| McpError::invalid_params(format!("unknown tool `{}`", call.name)))?;
        if let Some(refusal) = cx.scope_refusal(&tool.definition.scopes) {
            return Ok(Answer::Refused(refusal.with_id(Some(request.id))));
        }
        let args = Arguments::parse(call.arguments)?;
        // Without MRTR keys, the round reads nothing.
        let round_params = request.params.as_deref().filter(|_| call.has_round());
        let progress_token = call.meta.and_then(|m| m.progress_token);
        let name = tool.definition.name.clone();
        let round = self.input_round(&cx, round_params, "tools/call", name.clone())?;
        let support = tool.definition.task_support;
        if let Some(declared) = cx.v2026.as_ref().map(|m| m.client_capabilities.tasks) {
            if support == TaskSupport::Required && !declared {
                let what = format!("the tool `{}`", call.name);
                return Err(crate::tasks::missing_extension(&what));
            }
            if support.allowed() && declared {
                return Ok(self.call_tool_as_task(
                    request.id,
                    cx,
                    tool,
                    args,
                    round,
                    progress_token,
                ));
            }
        }
        let call = self.call_state(&cx, round, progress_token);
        let invocation = Invocation {
            id: request.id,
            cx,
            kind: "tool",
            name,
            call,
            timeout: tool.definition.timeout,
        };
        let start = |cx: &crate::handler::CallContext<'_>| -> Reply<CallToolResult> {
            crate::log_bridge::start(cx, || tool.handler.call(args, cx)).into()
        };
        let finish = Finish {
            respond: respond_tool,
            failed: tool_failed,
        };
        Ok(self.invoke(invocation, start, finish))
    }

    /// What the engine sets up for a handler call of `cx`: how it asks the client (the
    /// session's streams on the 2025 wire, an MRTR round on the 2026 wire).
    pub(crate) fn call_state(
        &self,
        cx: &RequestCx,
        round: Option<Arc<InputRound>>,
        progress_token: Option<RequestId>,
    ) -> CallState {
        let (pending, exchange) = match (&cx.v2026, &round) {
            (None, _) => (Some(self.pending.clone()), None),
            (Some(_), Some(round)) => (None, Some(round.clone() as _)),
            (Some(_), None) => (None, Some(no_stream_requests())),
        };
        CallState {
            progress_token,
            pending,
            exchange,
            round,
            ..CallState::default()
        }
    }

    /// A task tool called by a client of the tasks extension: the body starts here and runs as
    /// a task; a body that is done at once answers directly.
    fn call_tool_as_task(
        self: &Arc<Self>,
        id: RequestId,
        cx: RequestCx,
        tool: &RegisteredTool,
        args: Arguments<'_>,
        round: Option<Arc<InputRound>>,
        progress_token: Option<RequestId>,
    ) -> Answer {
        let defer = tool.definition.defer_task;
        let (task, exchange) = self.tasks.prepare_call(defer, round.clone());
        let call = CallState {
            cancel: task.cancel.clone(),
            progress_token,
            exchange: Some(exchange.clone()),
            round: if defer { round.clone() } else { None },
            control: Some(self.clone()),
            task: Some(exchange.clone()),
            ..CallState::default()
        };
        let state = self.state.load_full();
        let handler = crate::guard::Handler {
            kind: "tool",
            name: &tool.definition.name,
        };
        let started = {
            let call_cx = crate::handler::CallContext::new(&id, &cx, &state, &call);
            crate::guard::call(handler, || {
                crate::log_bridge::start(&call_cx, || tool.handler.call(args, &call_cx))
            })
        };
        let body = match started {
            Err(panicked) => {
                return Answer::ready(Ok(jsonrpc::response(&id, &panicked.into_tool_result())))
            }
            Ok(crate::ToolFuture::Ready(outcome)) => {
                return Answer::ready(outcome.map(|result| jsonrpc::response(&id, &result)))
            }
            Ok(crate::ToolFuture::Pending(body)) => body,
        };
        let body = task_body(tool.definition.name.clone(), tool.definition.timeout, body);
        let engine = self.clone();
        Answer::Running(Box::pin(async move {
            let _call = (call, cx);
            let task_call = TaskCall {
                id: &id,
                task,
                exchange,
                round,
            };
            Some(
                engine
                    .tasks
                    .run_call(task_call, body, || engine.state_key())
                    .await,
            )
        }))
    }

    /// The MRTR round of a 2026 `tools/call`, `prompts/get` or `resources/read`; `None` on
    /// the 2025 wire. `params: None` when they carry no MRTR keys: a first round, with
    /// nothing to read or verify (no state key, no target string).
    pub(crate) fn input_round(
        &self,
        cx: &RequestCx,
        params: Option<&RawValue>,
        method: &'static str,
        name: Cow<'static, str>,
    ) -> Result<Option<Arc<InputRound>>, McpError> {
        if cx.v2026.is_none() {
            return Ok(None);
        }
        let round = match params {
            Some(params) => InputRound::from_params(
                params,
                method,
                name,
                || self.state_key(),
                self.request_state_max_age(),
            )?,
            None => InputRound::first(method, name),
        };
        Ok(Some(Arc::new(round)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::v2026::ParamsProbe;

    /// What dispatch takes from a `tools/call`'s params.
    fn seen(call: &CallToolParams<'_>) -> (String, Option<String>, Option<RequestId>, bool) {
        (
            call.name.to_string(),
            call.arguments.map(|a| a.get().to_owned()),
            call.meta.as_ref().and_then(|m| m.progress_token.clone()),
            call.has_round(),
        )
    }

    #[test]
    fn the_probes_call_head_is_what_dispatch_would_read() {
        let meta = r#""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}"#;
        let cases = [
            format!(r#"{{"name":"add","arguments":{{"a":1,"b":2}},{meta}}}}}"#),
            format!(r#"{{{meta},"progressToken":"p1"}},"name":"a\u0064d","arguments":null}}"#),
            format!(r#"{{"name":"t",{meta},"progressToken":7}},"requestState":"s"}}"#),
            format!(r#"{{"name":"t","inputResponses":{{}},{meta}}},"arguments":[1]}}"#),
            format!(r#"{{"name":"t","inputResponses":null,"requestState":null,{meta}}}}}"#),
            // Not a call dispatch accepts, or one the probe leaves to dispatch: no head.
            format!(r#"{{"name":5,{meta}}}}}"#),
            format!(r#"{{"arguments":{{}},{meta}}}}}"#),
            format!(r#"{{"name":"t","uri":7,{meta}}}}}"#),
            format!(r#"{{"name":"t","requestState":"a","requestState":"b",{meta}}}}}"#),
            format!(r#"{{"name":"t",{meta},"progressToken":true}}}}"#),
        ];
        let mut heads = 0;
        for text in &cases {
            let raw = RawValue::from_string(text.clone()).unwrap();
            let meta = ParamsProbe::read(Some(&raw)).into_meta().unwrap();
            let Some(head) = meta.call_head() else {
                continue;
            };
            heads += 1;
            let read = CallToolParams::read(text).expect(text);
            assert_eq!(
                seen(&CallToolParams::from_head(head)),
                seen(&read),
                "{text}"
            );
        }
        assert_eq!(heads, 5, "the first five cases have a head, the rest none");
    }
}
