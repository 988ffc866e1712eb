//! Method dispatch: one JSON-RPC message in, at most one response out.

mod prompts;
mod resources;

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::value::RawValue;
use tracing::{field, Instrument};

use crate::error::McpError;
use crate::exchange::{Inbound, InputRound, RequestContext};
use crate::extract::Arguments;
use crate::guard;
use crate::jsonrpc::{self, Notification, Request, RequestId};
use crate::protocol::initialize::{EmptyObject, InitializeParams};
use crate::protocol::tools::ListParams;
use crate::protocol::v2026::RequestMeta as V2026Meta;
use crate::protocol::{LoggingLevel, ProtocolVersion};
use crate::registry::tool::{RegisteredTool, ToolFuture};
use crate::registry::{Entry, Registry};
use crate::server::McpServer;
use crate::session::Session;
use crate::tasks::{TaskCall, TaskSupport};

/// Whether `initialize` opens a session the transport keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMode {
    /// Store the session and hand out its id (Streamable HTTP, legacy SSE).
    Stored,
    /// A session only the caller holds (stdio: one client per process).
    Local,
    /// No session at all (stateless HTTP).
    None,
}

/// A successful `initialize`.
#[derive(Debug)]
pub struct Initialized {
    /// The serialized response.
    pub response: Bytes,
    /// The new session, unless the mode was [`SessionMode::None`].
    pub session: Option<Arc<Session>>,
}

/// A refused `initialize`, with the error response to send.
#[derive(Debug)]
pub struct InitializeRefused {
    /// The serialized error response.
    pub response: Bytes,
    /// `true` when refused because the session cap is reached (HTTP 503), `false` for bad params.
    pub overloaded: bool,
}

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
    fn from_head(head: &'a crate::protocol::v2026::CallHead) -> Self {
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

    fn has_round(&self) -> bool {
        self.input_responses.is_some() || self.request_state.is_some()
    }
}

#[derive(Deserialize)]
struct CallMeta {
    #[serde(rename = "progressToken", default)]
    progress_token: Option<RequestId>,
}

#[derive(Deserialize)]
struct SetLevelParams {
    level: LoggingLevel,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CancelledParams {
    request_id: RequestId,
}

fn params<T: DeserializeOwned>(raw: Option<&RawValue>, method: &str) -> Result<T, McpError> {
    let text = raw.map_or("{}", RawValue::get);
    serde_json::from_str(text)
        .map_err(|e| McpError::invalid_params(format!("invalid params for `{method}`: {e}")))
}

/// Answers a list method: from the registry's cached pages, or for a session with
/// visibility rules, from pages serialized for the call.
fn list<E: Entry>(
    registry: &Registry<E>,
    raw: Option<&RawValue>,
    id: &RequestId,
    method: &str,
    session: Option<&Session>,
) -> Result<Bytes, McpError> {
    let p = params::<ListParams>(raw, method)?;
    let snapshot = registry.snapshot();
    let rules = session.and_then(Session::visibility);
    snapshot
        .page(p.cursor.as_deref(), rules.as_deref())
        .map(|page| jsonrpc::response_raw(id, &page))
}

impl McpServer {
    /// Answers `initialize`: negotiates the revision (the client's if supported, else our
    /// latest) and opens a session according to `mode`.
    pub fn initialize(
        &self,
        request: &Request,
        mode: SessionMode,
    ) -> Result<Initialized, InitializeRefused> {
        let refuse = |error: McpError, overloaded| InitializeRefused {
            response: jsonrpc::error_response(Some(&request.id), &error),
            overloaded,
        };
        let init: InitializeParams =
            params(request.params.as_deref(), "initialize").map_err(|e| refuse(e, false))?;
        let version =
            ProtocolVersion::parse(&init.protocol_version).unwrap_or(ProtocolVersion::LATEST);
        let sessions = &self.inner.sessions;
        let session = match mode {
            SessionMode::Stored => Some(
                sessions
                    .create(version, init.capabilities, init.client_info)
                    .ok_or_else(|| {
                        refuse(
                            McpError::internal(
                                "the server has reached its session limit: try again later",
                            ),
                            true,
                        )
                    })?,
            ),
            SessionMode::Local => Some(Arc::new(Session::new(
                crate::session::new_session_id(),
                version,
                init.capabilities,
                init.client_info,
            ))),
            SessionMode::None => None,
        };
        // The result is `{"protocolVersion":…` then the cached rest (InitializeResult's order).
        let cache = self.init_cache();
        let tail = cache.tail.strip_prefix(b"{").unwrap_or(&cache.tail);
        let response = jsonrpc::response_parts(
            &request.id,
            &[
                br#"{"protocolVersion":""#,
                version.as_str().as_bytes(),
                b"\",",
                tail,
            ],
        );
        tracing::debug!(version = %version, session = session.as_ref().map(|s| s.id()), "initialized");
        Ok(Initialized { response, session })
    }

    /// Serves one request. `None` means the client cancelled it and nothing must be sent.
    pub async fn handle_request(&self, request: Request, inbound: Inbound) -> Option<Bytes> {
        let span = tracing::debug_span!(
            "mcp.request",
            method = &*request.method,
            id = %request.id,
            session = inbound.session.as_ref().map(|s| s.id()),
            tool = field::Empty,
            resource = field::Empty,
            prompt = field::Empty,
        );
        let id = request.id.clone();
        let outcome = self.dispatch(request, inbound).instrument(span).await?;
        Some(match outcome {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::trace!(code = error.code, message = %error.message, "request failed");
                jsonrpc::error_response(Some(&id), &error)
            }
        })
    }

    pub(crate) async fn dispatch(
        &self,
        request: Request,
        inbound: Inbound,
    ) -> Option<Result<Bytes, McpError>> {
        let raw = request.params.as_deref();
        let id = &request.id;
        let session = inbound.session.as_deref();
        Some(match &*request.method {
            "ping" => Ok(jsonrpc::response(id, &EmptyObject {})),
            "tools/list" => list(&self.inner.tools, raw, id, "tools/list", session),
            "tools/call" => return self.call_tool(&request, inbound).await,
            "resources/list" => list(&self.inner.resources, raw, id, "resources/list", session),
            "resources/templates/list" => {
                let method = "resources/templates/list";
                list(&self.inner.templates, raw, id, method, session)
            }
            "resources/read" => self.read_resource(raw, id, inbound).await,
            "resources/subscribe" => self.subscribe(raw, id, session, true),
            "resources/unsubscribe" => self.subscribe(raw, id, session, false),
            "prompts/list" => list(&self.inner.prompts, raw, id, "prompts/list", session),
            "prompts/get" => self.get_prompt(raw, id, inbound).await,
            "completion/complete" => self.complete(raw, id, session),
            "logging/setLevel" => params::<SetLevelParams>(raw, "logging/setLevel").map(|p| {
                if let Some(session) = &inbound.session {
                    session.set_log_level(p.level);
                }
                jsonrpc::response(id, &EmptyObject {})
            }),
            "initialize" => Err(McpError::invalid_request(
                "the session is already initialized",
            )),
            method => Err(McpError::method_not_found(method)),
        })
    }

    async fn call_tool(
        &self,
        request: &Request,
        inbound: Inbound,
    ) -> Option<Result<Bytes, McpError>> {
        let id = &request.id;
        let modern = inbound.modern.clone();
        let head = modern.as_deref().and_then(V2026Meta::call_head);
        let call: CallToolParams<'_> = match (head, request.params.as_deref()) {
            (Some(head), _) => CallToolParams::from_head(head),
            (None, Some(raw)) => match CallToolParams::read(raw.get()) {
                Ok(call) => call,
                Err(e) => {
                    return Some(Err(McpError::invalid_params(format!(
                        "invalid params for `tools/call`: {e}"
                    ))))
                }
            },
            (None, None) => {
                return Some(Err(McpError::invalid_params(
                    "`tools/call` needs params with a tool `name`",
                )))
            }
        };
        tracing::Span::current().record("tool", &*call.name);
        let tools = self.inner.tools.snapshot();
        let rules = inbound.session.as_deref().and_then(Session::visibility);
        let Some(tool) = tools.get(&call.name, rules.as_deref()) else {
            return Some(Err(McpError::invalid_params(format!(
                "unknown tool `{}`",
                call.name
            ))));
        };
        let args = match Arguments::parse(call.arguments) {
            Ok(args) => args,
            Err(e) => return Some(Err(e)),
        };
        // Without MRTR keys, the round reads nothing.
        let round_params = request.params.as_deref().filter(|_| call.has_round());
        let progress = call.meta.and_then(|m| m.progress_token);
        let name = tool.definition.name.clone();
        let round = match self.input_round(&inbound, round_params, "tools/call", name) {
            Ok(round) => round,
            Err(e) => return Some(Err(e)),
        };
        let support = tool.definition.task_support;
        if let Some(declared) = inbound.modern.as_ref().map(|m| m.client_capabilities.tasks) {
            if support == TaskSupport::Required && !declared {
                let what = format!("the tool `{}`", call.name);
                return Some(Err(crate::tasks::missing_extension(&what)));
            }
            if support.allowed() && declared {
                let cx = RequestContext::new(
                    id.clone(),
                    inbound,
                    progress,
                    self.inner.state.load_full(),
                )
                .with_server(self.clone());
                return self.call_tool_as_task(cx, tool, args, round).await;
            }
        }
        let mut cx =
            RequestContext::new(id.clone(), inbound, progress, self.inner.state.load_full())
                .with_pending(self.inner.pending.clone())
                .with_server(self.clone());
        if let Some(round) = &round {
            cx = cx.with_round(round.clone());
        }
        let stopped = async {
            match &round {
                Some(round) => round.stopped().await,
                None => std::future::pending().await,
            }
        };
        let guarded = guard::Handler {
            kind: "tool",
            name: &tool.definition.name,
        };
        let started = guard::call(guarded, || {
            crate::log_bridge::start(&cx, || tool.handler.call(args, &cx))
        });
        let outcome = match started {
            Err(panicked) => Ok(panicked.into_tool_result()),
            Ok(ToolFuture::Ready(outcome)) => outcome,
            Ok(ToolFuture::Pending(future)) => {
                let future = async move {
                    guard::poll(guarded, future)
                        .await
                        .unwrap_or_else(|panicked| Ok(panicked.into_tool_result()))
                };
                let session = cx.session().cloned();
                if let Some(session) = &session {
                    session.track(id.clone(), cx.cancel.clone());
                }
                let outcome = tokio::select! {
                    biased;
                    outcome = future => Some(outcome),
                    () = stopped => {
                        if let Some(session) = &session {
                            session.untrack(id);
                        }
                        let round = round.as_deref()?;
                        return Some(Ok(round.input_required(id, &self.state_key())));
                    }
                    () = cx.cancel.cancelled() => None,
                };
                if let Some(session) = &session {
                    session.untrack(id);
                }
                match outcome {
                    Some(outcome) => outcome,
                    None => {
                        tracing::debug!("cancelled by the client");
                        return None;
                    }
                }
            }
        };
        Some(outcome.map(|result| {
            // Typed, so that the 2026 wire maps a failure for want of a client capability to
            // -32021 without reading the response.
            if let Some(modern) = cx.inbound.modern.as_deref().filter(|_| result.is_error) {
                modern.record_error_result();
            }
            jsonrpc::response(id, &result)
        }))
    }

    /// A task tool called by a client of the tasks extension: the body starts here and runs as
    /// a task (see [`crate::tasks`]); a body that is done at once answers directly.
    async fn call_tool_as_task(
        &self,
        mut cx: RequestContext,
        tool: &RegisteredTool,
        args: Arguments<'_>,
        round: Option<Arc<crate::exchange::InputRound>>,
    ) -> Option<Result<Bytes, McpError>> {
        let defer = tool.definition.defer_task;
        let (task, exchange) = self.prepare_task(defer, round.clone());
        cx = cx.with_exchange(exchange.clone());
        cx.cancel = task.cancel.clone();
        cx.task = Some(exchange.clone());
        if defer {
            cx.round.clone_from(&round);
        }
        let id = cx.id.clone();
        let guarded = guard::Handler {
            kind: "tool",
            name: &tool.definition.name,
        };
        let started = guard::call(guarded, || {
            crate::log_bridge::start(&cx, || tool.handler.call(args, &cx))
        });
        let body = match started {
            Err(panicked) => return Some(Ok(jsonrpc::response(&id, &panicked.into_tool_result()))),
            Ok(ToolFuture::Ready(outcome)) => {
                return Some(outcome.map(|result| jsonrpc::response(&id, &result)))
            }
            Ok(ToolFuture::Pending(body)) => body,
        };
        let call = TaskCall {
            id: &id,
            task,
            exchange,
            round,
        };
        self.run_task_call(call, body).await
    }

    /// The MRTR round of a 2026 `tools/call`, `prompts/get` or `resources/read`; `None` on
    /// the 2025 wire.
    /// `params: None` when they carry no MRTR keys: a first round, with nothing to read or
    /// verify (no state key, no target string).
    pub(crate) fn input_round(
        &self,
        inbound: &Inbound,
        params: Option<&RawValue>,
        method: &'static str,
        name: Cow<'static, str>,
    ) -> Result<Option<Arc<InputRound>>, McpError> {
        if inbound.modern.is_none() {
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

    pub(crate) fn state_key(&self) -> crate::exchange::StateKey {
        self.inner.state_key.lock().clone()
    }

    /// Handles a client notification (`initialized`, `cancelled`...). Unknown ones are ignored,
    /// as JSON-RPC requires.
    pub fn handle_notification(&self, notification: &Notification, session: Option<&Session>) {
        match &*notification.method {
            "notifications/cancelled" => {
                match params::<CancelledParams>(
                    notification.params.as_deref(),
                    "notifications/cancelled",
                ) {
                    Ok(p) => {
                        let found = session.is_some_and(|s| s.cancel(&p.request_id));
                        tracing::debug!(request = %p.request_id, found, "cancel requested");
                    }
                    Err(e) => tracing::trace!(error = %e, "ignored malformed cancellation"),
                }
            }
            "notifications/initialized" => {}
            method => tracing::trace!(method, "ignored notification"),
        }
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
