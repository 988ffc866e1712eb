//! `logging/setLevel` (2025 wire; the 2026 wire carries the level in each request's `_meta`).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{params, persisted};
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::EmptyObject;
use crate::protocol::LoggingLevel;
use crate::service::invoke::Answer;
use crate::session::{Session, SessionManager};

#[derive(Deserialize)]
struct SetLevelParams {
    level: LoggingLevel,
}

/// Sets the session's minimum level of `notifications/message`, answering once it is stored.
pub(crate) fn set_level(
    raw: Option<&RawValue>,
    id: &RequestId,
    session: Option<&Session>,
    sessions: &SessionManager,
) -> Answer {
    let set = params(raw, "logging/setLevel").map(|p: SetLevelParams| {
        if let Some(session) = session {
            session.set_log_level(p.level);
        }
        jsonrpc::response(id, &EmptyObject {})
    });
    persisted(sessions, session, set)
}
