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
use crate::jsonrpc::{self, RequestId};
use crate::protocol::tools::ListParams;
use crate::registry::{Entry, Registry};
use crate::session::Session;

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
    session: Option<&Session>,
) -> Result<Bytes, McpError> {
    let p = params::<ListParams>(raw, method)?;
    let snapshot = registry.snapshot();
    let rules = session.and_then(Session::visibility);
    snapshot
        .page(p.cursor.as_deref(), rules.as_deref())
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
