//! [`TokenVerifier`]: a bearer token in, a [`Principal`] (or a typed refusal) out; its
//! composition ([`AnyOf`]) and the development verifier ([`StaticTokenVerifier`]).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use quickmcp_core::Principal;

use super::cache::digest;
use super::AuthError;

/// What [`TokenVerifier::verify`] returns.
pub type VerifyFuture<'a> = Pin<Box<dyn Future<Output = Result<Principal, AuthError>> + Send + 'a>>;

/// Checks an access token presented to `resource` (this endpoint's canonical URL, which the
/// token's audience must name) and says whom it speaks for.
///
/// Implementations: [`JwtVerifier`](super::JwtVerifier) (signed JWTs, keys from a JWKS or
/// static), [`IntrospectionVerifier`](super::IntrospectionVerifier) (RFC 7662),
/// [`StaticTokenVerifier`] (development only) and [`AnyOf`] (the first that accepts).
///
/// ```
/// use quickmcp_core::Principal;
/// use quickmcp_http::auth::{AuthError, TokenVerifier, VerifyFuture};
///
/// /// Accepts tokens of the form `user:<name>`, for `https://mcp.example.com/mcp` only.
/// struct Toy;
///
/// impl TokenVerifier for Toy {
///     fn verify<'a>(&'a self, token: &'a str, resource: &'a str) -> VerifyFuture<'a> {
///         Box::pin(async move {
///             let name = token.strip_prefix("user:").ok_or(AuthError::invalid("not a toy token"))?;
///             if resource != "https://mcp.example.com/mcp" {
///                 return Err(AuthError::invalid("wrong audience"));
///             }
///             Ok(Principal::new("toy", name).with_audience([resource]))
///         })
///     }
/// }
/// ```
pub trait TokenVerifier: Send + Sync + 'static {
    /// Verifies `token` for `resource`.
    fn verify<'a>(&'a self, token: &'a str, resource: &'a str) -> VerifyFuture<'a>;
}

impl<V: TokenVerifier + ?Sized> TokenVerifier for Arc<V> {
    fn verify<'a>(&'a self, token: &'a str, resource: &'a str) -> VerifyFuture<'a> {
        (**self).verify(token, resource)
    }
}

/// Several verifiers, tried in order: the first principal wins. When none accepts, the token
/// is invalid, unless one of them could not decide ([`AuthError::Unavailable`]), which then
/// wins (fail closed with 503, not a misleading 401).
///
/// ```
/// use quickmcp_http::auth::{AnyOf, IntrospectionVerifier, JwtVerifier};
///
/// // JWTs from the IdP, opaque tokens through introspection.
/// let verifier = AnyOf::new()
///     .or(JwtVerifier::jwks("https://as.example.com", "https://as.example.com/jwks"))
///     .or(IntrospectionVerifier::new(
///         "https://as.example.com",
///         "https://as.example.com/introspect",
///         "mcp-server",
///         "secret",
///     ));
/// ```
#[derive(Default, Clone)]
pub struct AnyOf {
    verifiers: Vec<Arc<dyn TokenVerifier>>,
}

impl AnyOf {
    /// No verifier yet: refuses every token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tries `verifier` after the ones before.
    #[must_use]
    pub fn or(mut self, verifier: impl TokenVerifier) -> Self {
        self.verifiers.push(Arc::new(verifier));
        self
    }
}

impl TokenVerifier for AnyOf {
    fn verify<'a>(&'a self, token: &'a str, resource: &'a str) -> VerifyFuture<'a> {
        Box::pin(async move {
            let mut refusal = AuthError::invalid("no verifier accepted the token");
            for verifier in &self.verifiers {
                match verifier.verify(token, resource).await {
                    Ok(principal) => return Ok(principal),
                    Err(unavailable @ AuthError::Unavailable(_)) => refusal = unavailable,
                    Err(invalid) if refusal.is_invalid() => refusal = invalid,
                    Err(_) => {}
                }
            }
            Err(refusal)
        })
    }
}

impl std::fmt::Debug for AnyOf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnyOf")
            .field("verifiers", &self.verifiers.len())
            .finish()
    }
}

/// **For development and tests only**: a fixed table of tokens and the principals they stand
/// for, with no expiry, signature or audience. It logs a warning when built; never deploy it.
///
/// ```
/// use quickmcp_core::Principal;
/// use quickmcp_http::auth::StaticTokenVerifier;
///
/// let dev = StaticTokenVerifier::new()
///     .token("dev-alice", Principal::new("dev", "alice").with_scopes(["tools:read"]));
/// ```
#[derive(Default)]
pub struct StaticTokenVerifier {
    /// By the SHA-256 of the token, so a lookup does not compare secrets byte by byte.
    tokens: HashMap<[u8; 32], Principal>,
}

impl StaticTokenVerifier {
    /// An empty table (refuses every token).
    pub fn new() -> Self {
        tracing::warn!(
            "StaticTokenVerifier in use: fixed tokens without expiry or signature, for development only"
        );
        Self::default()
    }

    /// Accepts `token` as `principal`.
    #[must_use]
    pub fn token(mut self, token: &str, principal: Principal) -> Self {
        self.tokens.insert(digest(token, ""), principal);
        self
    }
}

impl TokenVerifier for StaticTokenVerifier {
    fn verify<'a>(&'a self, token: &'a str, _: &'a str) -> VerifyFuture<'a> {
        let found = self.tokens.get(&digest(token, "")).cloned();
        Box::pin(async move { found.ok_or(AuthError::invalid("unknown static token")) })
    }
}

impl std::fmt::Debug for StaticTokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticTokenVerifier")
            .field("tokens", &self.tokens.len())
            .finish()
    }
}
