//! [`Principal`]: who a request acts for, as an access token proved it.
//!
//! The HTTP transport's authorization layer (quickmcp-http's `auth` feature) verifies the
//! bearer token and puts the `Principal` into the request's HTTP extensions; tools ask for it by
//! type (`principal: Principal`, or `Option<Principal>` on servers that also serve anonymous
//! callers) or read it from [`Context::principal`](crate::Context::principal). It is plain data:
//! it never holds the raw token, so a tool cannot pass the caller's token on to another API
//! (token passthrough is forbidden by the MCP spec: exchange it instead, RFC 8693).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Rejection;

/// The identity a verified access token carries: issuer, subject, client, scopes, audience,
/// expiry, and the token's other claims.
///
/// `Debug` shows the identity and scopes but not the claims (they may hold personal data).
///
/// ```
/// use quickmcp_core::Principal;
///
/// let alice = Principal::new("https://as.example.com", "alice")
///     .with_client_id("notes-app")
///     .with_scopes(["notes:read", "notes:write"]);
/// assert!(alice.has_scope("notes:read"));
/// assert_eq!(alice.id().subject, "alice");
/// // The claims stay out of logs.
/// assert!(!format!("{alice:?}").contains("claims: {"));
/// ```
#[derive(Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Principal {
    /// The token's issuer (`iss`), the authorization server that vouches for it.
    pub issuer: String,
    /// The subject (`sub`): the user, or the client itself for client credentials.
    pub subject: String,
    /// The OAuth client the token was issued to (`client_id`, or `azp`), when known.
    pub client_id: Option<String>,
    /// The granted scopes (`scope`, space-separated, or `scp`).
    pub scopes: Vec<String>,
    /// The audiences (`aud`): this server's resource URL among them.
    pub audience: Vec<String>,
    /// When the token expires (`exp`), in seconds since the Unix epoch.
    pub expires_at: Option<u64>,
    /// The token's id (`jti`), when it has one.
    pub token_id: Option<String>,
    /// Every claim of the token (or of the introspection response), as sent.
    pub claims: Map<String, Value>,
}

/// What identifies a principal across tokens: a refreshed token of the same user and client has
/// the same `PrincipalId`. A 2025 session is bound to the one that created it.
///
/// ```
/// use quickmcp_core::Principal;
///
/// let first = Principal::new("https://as.example.com", "alice").with_client_id("app");
/// let refreshed = first.clone().with_scopes(["more"]);
/// assert_eq!(first.id(), refreshed.id());
/// assert_ne!(first.id(), Principal::new("https://as.example.com", "bob").with_client_id("app").id());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrincipalId {
    /// The issuer (`iss`).
    pub issuer: String,
    /// The subject (`sub`).
    pub subject: String,
    /// The client (`client_id`), when known.
    pub client_id: Option<String>,
}

impl Principal {
    /// A principal with this issuer and subject and nothing else.
    pub fn new(issuer: impl Into<String>, subject: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            subject: subject.into(),
            client_id: None,
            scopes: Vec::new(),
            audience: Vec::new(),
            expires_at: None,
            token_id: None,
            claims: Map::new(),
        }
    }

    /// Sets the client id.
    #[must_use]
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Sets the granted scopes.
    #[must_use]
    pub fn with_scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the audiences.
    #[must_use]
    pub fn with_audience<I: IntoIterator<Item = S>, S: Into<String>>(mut self, aud: I) -> Self {
        self.audience = aud.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the expiry, in seconds since the Unix epoch.
    #[must_use]
    pub fn with_expires_at(mut self, expires_at: u64) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// Sets the token id.
    #[must_use]
    pub fn with_token_id(mut self, token_id: impl Into<String>) -> Self {
        self.token_id = Some(token_id.into());
        self
    }

    /// Sets the claims.
    #[must_use]
    pub fn with_claims(mut self, claims: Map<String, Value>) -> Self {
        self.claims = claims;
        self
    }

    /// The (issuer, subject, client id) triple that sessions are bound to.
    pub fn id(&self) -> PrincipalId {
        PrincipalId {
            issuer: self.issuer.clone(),
            subject: self.subject.clone(),
            client_id: self.client_id.clone(),
        }
    }

    /// Whether this principal is `id` (compares without allocating).
    pub fn is(&self, id: &PrincipalId) -> bool {
        self.issuer == id.issuer && self.subject == id.subject && self.client_id == id.client_id
    }

    /// Whether the token granted `scope` (exactly: scope hierarchies are the server's policy).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// One claim, by name.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    /// The principal an HTTP request's extensions carry: an `Arc<Principal>` (what the
    /// authorization layer inserts, so that a request costs no copy) or a `Principal` (what
    /// your own middleware may insert).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quickmcp_core::Principal;
    ///
    /// let mut extensions = http::Extensions::new();
    /// assert!(Principal::from_extensions(&extensions).is_none());
    /// extensions.insert(Arc::new(Principal::new("iss", "alice")));
    /// assert_eq!(Principal::from_extensions(&extensions).unwrap().subject, "alice");
    /// ```
    pub fn from_extensions(extensions: &http::Extensions) -> Option<&Principal> {
        extensions
            .get::<Arc<Principal>>()
            .map(|shared| &**shared)
            .or_else(|| extensions.get::<Principal>())
    }
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("issuer", &self.issuer)
            .field("subject", &self.subject)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("audience", &self.audience)
            .field("expires_at", &self.expires_at)
            .field("token_id", &self.token_id)
            .field("claims", &format_args!("<{} redacted>", self.claims.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_claims() {
        let mut claims = Map::new();
        claims.insert("email".into(), "alice@example.com".into());
        let p = Principal::new("iss", "alice").with_claims(claims);
        let shown = format!("{p:?}");
        assert!(!shown.contains("alice@example.com"), "{shown}");
        assert!(shown.contains("<1 redacted>"), "{shown}");
    }
}

/// Judges the scopes an operation declares (`#[tool(scopes = [...])]`, also on resources and
/// prompts) for the endpoint that authenticated a request. The HTTP authorization layer puts
/// one in every request's extensions as a [`ScopeGate`]; a request without one (stdio, HTTP
/// without authorization) has no token whose scopes could be checked, and its declared scopes
/// are not enforced.
///
/// ```
/// use quickmcp_core::{McpError, Rejection, ScopePolicy};
///
/// struct Exact;
///
/// impl ScopePolicy for Exact {
///     fn covers(&self, granted: &str, required: &str) -> bool {
///         granted == required
///     }
///     fn refuse(&self, required: &[String], missing: &[&str]) -> Rejection {
///         let message = format!("lacks {} of {}", missing.join(" "), required.join(" "));
///         Rejection::new(McpError::new(-32000, message)).with_status(http::StatusCode::FORBIDDEN)
///     }
/// }
/// ```
pub trait ScopePolicy: Send + Sync + 'static {
    /// Whether the granted scope `granted` covers `required` (a scope hierarchy may let a
    /// broader scope cover narrower ones).
    fn covers(&self, granted: &str, required: &str) -> bool;

    /// The answer to a request for an operation needing `required` whose principal lacks
    /// `missing` of them: over HTTP, a 403 whose `insufficient_scope` challenge names every
    /// scope in `required`, so the client asks for all of them at once.
    fn refuse(&self, required: &[String], missing: &[&str]) -> Rejection;
}

/// The [`ScopePolicy`] of the endpoint that authenticated a request, in its extensions.
#[derive(Clone)]
pub struct ScopeGate(pub Arc<dyn ScopePolicy>);

impl fmt::Debug for ScopeGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ScopeGate")
    }
}

impl ScopeGate {
    /// The scopes of `required` that none of `principal`'s covers (all of them without a
    /// principal).
    pub fn missing<'r>(
        &self,
        principal: Option<&Principal>,
        required: &'r [String],
    ) -> Vec<&'r str> {
        required
            .iter()
            .filter(|needed| !self.covered(principal, needed))
            .map(String::as_str)
            .collect()
    }

    /// Whether `principal`'s scopes cover every one of `required` (none are needed without
    /// `required`).
    pub fn allows(&self, principal: Option<&Principal>, required: &[String]) -> bool {
        required
            .iter()
            .all(|needed| self.covered(principal, needed))
    }

    /// Whether one of `principal`'s scopes covers `needed`.
    fn covered(&self, principal: Option<&Principal>, needed: &str) -> bool {
        principal.is_some_and(|p| p.scopes.iter().any(|g| self.0.covers(g, needed)))
    }
}
