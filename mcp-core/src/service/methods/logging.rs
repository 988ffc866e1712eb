//! `logging/setLevel` (2025 wire; the 2026 wire carries the level in each request's `_meta`).

use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::params;
use crate::error::McpError;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::EmptyObject;
use crate::protocol::LoggingLevel;
use crate::session::Session;

#[derive(Deserialize)]
struct SetLevelParams {
    level: LoggingLevel,
}

/// Sets the session's minimum level of `notifications/message`.
pub(crate) fn set_level(
    raw: Option<&RawValue>,
    id: &RequestId,
    session: Option<&Session>,
) -> Result<Bytes, McpError> {
    let p: SetLevelParams = params(raw, "logging/setLevel")?;
    if let Some(session) = session {
        session.set_log_level(p.level);
    }
    Ok(jsonrpc::response(id, &EmptyObject {}))
}
