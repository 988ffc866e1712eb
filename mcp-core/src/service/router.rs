//! Which method runs: the methods both eras share, routed by name, and each era's own ones.

use std::sync::Arc;

use bytes::Bytes;

use super::finish;
use super::invoke::Answer;
use super::methods::{list, logging};
use super::{Engine, McpRequest, McpResponse, Outgoing};
use crate::error::McpError;
use crate::handler::RequestCx;
use crate::jsonrpc::{self, Request, RequestId};
use crate::protocol::initialize::EmptyObject;
use crate::protocol::Era;

impl Engine {
    /// Runs a prepared request (its era decided, its session found).
    pub(crate) fn dispatch(self: &Arc<Self>, request: McpRequest) -> Outgoing {
        match request.cx.era {
            Era::V2025 => self.dispatch_v2025(request),
            Era::V2026 => finish::dispatch_v2026(self, request),
        }
    }

    fn dispatch_v2025(self: &Arc<Self>, McpRequest { request, cx }: McpRequest) -> Outgoing {
        if &*request.method == "initialize" {
            return self.initialize(&request, &cx);
        }
        let id = request.id.clone();
        v2025_outgoing(id, self.route(request, cx))
    }

    /// The methods both eras serve.
    pub(crate) fn route(self: &Arc<Self>, request: Request, cx: RequestCx) -> Answer {
        let raw = request.params.as_deref();
        let id = &request.id;
        let session = cx.session.as_deref();
        let result = match &*request.method {
            "tools/call" => return self.call_tool(request, cx),
            "resources/read" => return self.read_resource(request, cx),
            "prompts/get" => return self.get_prompt(request, cx),
            "ping" => Ok(jsonrpc::response(id, &EmptyObject {})),
            "tools/list" => list(&self.tools, raw, id, "tools/list", &cx),
            "resources/list" => list(&self.resources, raw, id, "resources/list", &cx),
            "resources/templates/list" => {
                let method = "resources/templates/list";
                list(&self.templates, raw, id, method, &cx)
            }
            "resources/subscribe" => return self.subscribe(raw, id, session, true),
            "resources/unsubscribe" => return self.subscribe(raw, id, session, false),
            "prompts/list" => list(&self.prompts, raw, id, "prompts/list", &cx),
            "completion/complete" => self.complete(raw, id, session),
            "logging/setLevel" => return logging::set_level(raw, id, session, &self.sessions),
            method => Err(McpError::method_not_found(method)),
        };
        Answer::ready(result)
    }
}

/// The 2025 wire answers every outcome with a JSON-RPC response, errors included.
fn v2025_outgoing(id: RequestId, answer: Answer) -> Outgoing {
    let respond = move |outcome: Option<Result<Bytes, McpError>>| {
        Ok(match outcome {
            Some(Ok(bytes)) => McpResponse::new(bytes),
            Some(Err(error)) => {
                tracing::trace!(code = error.code, message = %error.message, "request failed");
                McpResponse::new(jsonrpc::error_response(Some(&id), &error))
            }
            None => McpResponse::none(),
        })
    };
    match answer {
        Answer::Ready(outcome) => Outgoing::Ready(respond(outcome)),
        Answer::Running(running) => {
            Outgoing::Running(Box::pin(async move { respond(running.await) }))
        }
        Answer::Refused(rejection) => Outgoing::Ready(Err(rejection)),
    }
}
