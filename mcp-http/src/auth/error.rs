//! Why a token was refused, or a configuration rejected.

use std::borrow::Cow;
use std::fmt;

/// Why a [`TokenVerifier`](super::TokenVerifier) did not return a principal.
///
/// The reason is for the server's logs (at DEBUG, never with the token): clients only ever see
/// a generic `invalid_token`, so a probe learns nothing about the validator.
///
/// ```
/// use quickmcp_http::auth::AuthError;
///
/// let refused = AuthError::invalid("the token expired");
/// assert!(refused.is_invalid());
/// assert_eq!(refused.to_string(), "invalid token: the token expired");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// The token is not valid for this resource: bad signature, expired, wrong audience,
    /// issuer or type, revoked, unknown. Answered with 401 `error="invalid_token"`.
    InvalidToken(Cow<'static, str>),
    /// The token could not be checked now (the JWKS or the introspection endpoint is
    /// unreachable and nothing cached can decide). Answered with 503: fail closed.
    Unavailable(Cow<'static, str>),
}

impl AuthError {
    /// An [`InvalidToken`](Self::InvalidToken) with this reason.
    pub fn invalid(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::InvalidToken(reason.into())
    }

    /// An [`Unavailable`](Self::Unavailable) with this reason.
    pub fn unavailable(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::Unavailable(reason.into())
    }

    /// Whether the token itself was refused (as opposed to a verifier that could not decide).
    pub fn is_invalid(&self) -> bool {
        matches!(self, Self::InvalidToken(_))
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidToken(reason) => write!(f, "invalid token: {reason}"),
            Self::Unavailable(reason) => write!(f, "token verification unavailable: {reason}"),
        }
    }
}

impl std::error::Error for AuthError {}

/// A configuration the server refuses to start with: it names the setting and what to write.
///
/// ```
/// use quickmcp_http::auth::{AuthConfig, StaticTokenVerifier};
///
/// let error = AuthConfig::builder("mcp.example.com/mcp")
///     .authorization_server("https://as.example.com")
///     .verifier(StaticTokenVerifier::new())
///     .build()
///     .unwrap_err();
/// assert!(error.to_string().contains("resource"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}
