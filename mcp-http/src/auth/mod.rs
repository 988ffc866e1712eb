//! The MCP endpoint as an OAuth 2.1 resource server (feature `auth`).
//!
//! [`HttpOptions::auth`](crate::HttpOptions::auth) puts an [`AuthLayer`] in front of every
//! MCP endpoint the app serves (Streamable HTTP POST/GET/DELETE, the 2026-07-28 stateless
//! POST, legacy SSE `GET /sse` and `POST /messages`):
//!
//! | request | answer |
//! |---|---|
//! | no bearer token | 401, `WWW-Authenticate: Bearer resource_metadata="…", scope="…"` (no `error`) |
//! | invalid, expired, wrong audience/issuer/type | 401, `error="invalid_token"`, a generic description |
//! | lacks a scope of [`AuthConfigBuilder::required_scopes`] | 403, `error="insufficient_scope"`, `scope` = every required scope |
//! | lacks a scope the called tool (resource, prompt) declares | 403, `error="insufficient_scope"`, `scope` = every scope it declares |
//! | malformed `Authorization`, token in the query | 400, `error="invalid_request"` |
//! | token not checkable now (AS unreachable) | 503, `Retry-After` |
//! | a 2025 session created by another principal | 404, as an unknown session |
//! | valid | served; tools get the [`Principal`](quickmcp_core::Principal) |
//!
//! Tokens come only from the `Authorization` header. The [`Principal`](quickmcp_core::Principal)
//! never holds the raw token, so a tool cannot pass it on (token passthrough is forbidden:
//! use RFC 8693 token exchange for upstream APIs, see `docs/auth.md`; a server that needs it
//! opts in with [`AuthConfigBuilder::subject_token_for_exchange`] and gets a [`SubjectToken`]). Custom routes stay
//! unauthenticated unless you put an [`AuthLayer`] on them.
//!
//! [`well_known_router`] serves the Protected Resource Metadata (RFC 9728); merge it at the
//! host's root.
//!
//! ```no_run
//! use quickmcp_core::McpServer;
//! use quickmcp_http::auth::{well_known_router, AuthConfig, JwtVerifier};
//! use quickmcp_http::{router, HttpOptions};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let auth = AuthConfig::builder("https://mcp.example.com/mcp")
//!     .authorization_server("https://as.example.com")
//!     .scopes_supported(["tools:read"])
//!     .verifier(JwtVerifier::jwks("https://as.example.com", "https://as.example.com/jwks"))
//!     .build()?;
//! let app = router(McpServer::new("demo"), Vec::new(), HttpOptions::new().auth(auth.clone()))
//!     .merge(well_known_router(&auth));
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8000").await?;
//! quickmcp_http::serve(listener, app, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```

mod cache;
mod challenge;
mod config;
mod error;
mod exchange;
mod fetch;
mod introspect;
mod jwks;
mod jwt;
mod keys;
mod layer;
mod metadata;
mod scopes;
mod verifier;

pub use config::{AuthConfig, AuthConfigBuilder};
pub use error::{AuthError, ConfigError};
pub use exchange::SubjectToken;
pub use fetch::{FetchError, FetchFuture, HttpFetch, ReqwestFetch};
pub use introspect::{ClientAuth, IntrospectionVerifier};
pub use jwks::{JwksCache, JwksOptions};
pub use jwt::JwtVerifier;
pub use keys::VerificationKey;
pub use layer::{AuthLayer, AuthService};
pub use metadata::well_known_router;
pub use scopes::{missing_scopes, ColonHierarchy, ExactScopes, ScopeMatcher};
pub use verifier::{AnyOf, StaticTokenVerifier, TokenVerifier, VerifyFuture};

/// The algorithms of [`VerificationKey`]s, from `jsonwebtoken`.
pub use jsonwebtoken::Algorithm;

/// The layer [`router`](crate::router) puts in front of the MCP endpoints.
pub(crate) fn endpoint_layer(config: AuthConfig, server: &quickmcp_core::McpServer) -> AuthLayer {
    AuthLayer::binding(config, server.sessions().clone())
}
