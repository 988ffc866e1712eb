//! [`SessionState`]: everything a 2025 session is, as plain data a shared store can hold.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::principal::PrincipalId;
use crate::protocol::initialize::{ClientCapabilities, Implementation};
use crate::protocol::{LoggingLevel, ProtocolVersion};
use crate::visibility::Selector;

/// One session's state: what `initialize` negotiated and what the client set since. Plain,
/// serializable data, never a live handle or a credential (the owner is the
/// [`PrincipalId`] triple, not a token or its claims), so any process can rebuild the session
/// from it.
///
/// Times are milliseconds since the Unix epoch.
///
/// ```
/// use quickmcp_core::session::SessionState;
/// use quickmcp_core::protocol::ProtocolVersion;
///
/// let mut state = SessionState::new(ProtocolVersion::LATEST, Default::default(), None, 1_000);
/// state.subscriptions.push("file:///notes.txt".into());
/// let json = serde_json::to_string(&state).unwrap();
/// assert!(json.starts_with(r#"{"protocolVersion":"2025-11-25""#), "{json}");
/// assert_eq!(serde_json::from_str::<SessionState>(&json).unwrap(), state);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SessionState {
    /// The negotiated protocol revision.
    pub protocol_version: ProtocolVersion,
    /// What the client declared it supports (in the wire's shape).
    #[serde(default)]
    pub client_capabilities: ClientCapabilities,
    /// The client's `clientInfo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_info: Option<Implementation>,
    /// The minimum level of `notifications/message` (`logging/setLevel`); `None`: everything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<LoggingLevel>,
    /// The URIs of `resources/subscribe`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<String>,
    /// The session's visibility rules `(selector, shown)`, oldest first, the last match
    /// winning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visibility: Vec<(Selector, bool)>,
    /// The principal that created the session, when authorization is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<PrincipalId>,
    /// When `initialize` created it.
    pub created_at: u64,
    /// When a request last used it (as of the last refresh: see
    /// [`SessionStore::touch`](super::SessionStore::touch)).
    pub last_seen_at: u64,
    /// When a store may drop it if nothing refreshes it before.
    pub expires_at: u64,
}

impl SessionState {
    /// A fresh session's state at `now`: seen now, expiring at once until a store call sets
    /// its lifetime.
    pub fn new(
        protocol_version: ProtocolVersion,
        client_capabilities: ClientCapabilities,
        client_info: Option<Implementation>,
        now: u64,
    ) -> Self {
        Self {
            protocol_version,
            client_capabilities,
            client_info,
            log_level: None,
            subscriptions: Vec::new(),
            visibility: Vec::new(),
            owner: None,
            created_at: now,
            last_seen_at: now,
            expires_at: now,
        }
    }

    /// Marks the session used at `now`, to be kept for `ttl` from then.
    pub fn refresh(&mut self, now: u64, ttl: Duration) {
        self.last_seen_at = self.last_seen_at.max(now);
        self.expires_at = now.saturating_add(ttl.as_millis() as u64);
    }

    /// Whether a store may drop it at `now`.
    pub fn is_expired(&self, now: u64) -> bool {
        now >= self.expires_at
    }
}

/// The wall clock in milliseconds since the Unix epoch, the unit of [`SessionState`]'s times.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_state_round_trips_through_json() {
        let caps = serde_json::from_str(
            r#"{"roots":{},"sampling":{"tools":{}},"elicitation":{"url":{}},
                "extensions":{"io.modelcontextprotocol/tasks":{}}}"#,
        )
        .unwrap();
        let client = Implementation {
            name: "inspector".into(),
            title: Some("Inspector".into()),
            version: "1.0".into(),
            icons: Vec::new(),
            website_url: None,
        };
        let mut state = SessionState::new(ProtocolVersion::V2025_06_18, caps, Some(client), 5);
        state.log_level = Some(LoggingLevel::Warning);
        state.subscriptions = vec!["file:///a".into(), "file:///b".into()];
        state.visibility = vec![(Selector::tag("admin"), true), (Selector::tool("x"), false)];
        state.owner = Some(crate::Principal::new("https://as", "alice").id());
        state.refresh(10, Duration::from_secs(1));
        let json = serde_json::to_vec(&state).unwrap();
        assert_eq!(
            serde_json::from_slice::<SessionState>(&json).unwrap(),
            state
        );
        assert_eq!((state.last_seen_at, state.expires_at), (10, 1_010));
        assert!(!state.is_expired(1_009) && state.is_expired(1_010));
    }

    #[test]
    fn an_unknown_version_is_an_error_naming_it() {
        let json = r#"{"protocolVersion":"1999-01-01","createdAt":0,"lastSeenAt":0,"expiresAt":0}"#;
        let error = serde_json::from_str::<SessionState>(json).unwrap_err();
        assert!(error.to_string().contains("1999-01-01"), "{error}");
    }
}
