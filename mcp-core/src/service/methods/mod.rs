//! The methods, one file per area. Each reads its own params, once.

mod completion;
mod initialize;
mod listen;
pub(super) mod logging;
mod prompts;
mod resources;
mod tasks;
mod tools;

use std::borrow::Cow;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::McpError;
use crate::handler::RequestCx;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::tools::ListParams;
use crate::registry::{Entry, Registry};
use crate::service::invoke::Answer;
use crate::session::{Session, SessionManager, SessionStoreError};

/// The answer of a request that changed its session's state (`logging/setLevel`,
/// `resources/subscribe`): given once the session's store has the change, or `-32603` if the
/// store failed. A store in memory has it at once.
pub(crate) fn persisted(
    sessions: &SessionManager,
    session: Option<&Session>,
    result: Result<Bytes, McpError>,
) -> Answer {
    let Some(session) = session.filter(|_| result.is_ok()) else {
        return Answer::ready(result);
    };
    let answer = move |saved: Result<bool, SessionStoreError>| match saved {
        // A record deleted meanwhile: the next request on it gets 404.
        Ok(_) => Some(result),
        Err(error) => Some(Err(McpError::internal(error.to_string()))),
    };
    match sessions.save(session).now() {
        Ok(saved) => Answer::Ready(answer(saved)),
        Err(pending) => Answer::Running(Box::pin(async move { answer(pending.await) })),
    }
}

/// Reads a method's params; absent params read as `{}`.
pub(crate) fn params<T: DeserializeOwned>(
    raw: Option<&RawValue>,
    method: &str,
) -> Result<T, McpError> {
    let text = raw.map_or("{}", RawValue::get);
    serde_json::from_str(text)
        .map_err(|e| McpError::invalid_params(format!("invalid params for `{method}`: {e}")))
}

/// Answers a list method: from the registry's cached pages, or for a session with
/// visibility rules, from pages serialized for the call.
pub(crate) fn list<E: Entry>(
    registry: &Registry<E>,
    raw: Option<&RawValue>,
    id: &RequestId,
    method: &str,
    cx: &RequestCx,
) -> Result<Bytes, McpError> {
    let p = params::<ListParams>(raw, method)?;
    let snapshot = registry.snapshot();
    let rules = cx.session.as_deref().and_then(Session::visibility);
    // Only what the principal may use is listed; no scope of a hidden entry is disclosed.
    let gate = snapshot.has_scopes().then(|| cx.scope_gate()).flatten();
    let keep = |e: &E| gate.is_none_or(|gate| gate.allows(cx.principal(), e.scopes()));
    let keep = gate.is_some().then_some(&keep as &dyn Fn(&E) -> bool);
    snapshot
        .page(p.cursor.as_deref(), rules.as_deref(), keep)
        .map(|page| jsonrpc::response_raw(id, &page))
}

/// The tool or prompt name, or the resource URI, a request's params target.
pub(crate) fn target(method: &str, params: Option<&RawValue>) -> Option<String> {
    #[derive(Deserialize)]
    struct Target<'a> {
        #[serde(borrow, default, deserialize_with = "jsonrpc::borrowed_str")]
        name: Option<Cow<'a, str>>,
        #[serde(borrow, default, deserialize_with = "jsonrpc::borrowed_str")]
        uri: Option<Cow<'a, str>>,
    }
    let read = || serde_json::from_str::<Target<'_>>(params?.get()).ok();
    match method {
        "tools/call" | "prompts/get" => read()?.name.map(Cow::into_owned),
        "resources/read" | "resources/subscribe" | "resources/unsubscribe" => {
            read()?.uri.map(Cow::into_owned)
        }
        _ => None,
    }
}
