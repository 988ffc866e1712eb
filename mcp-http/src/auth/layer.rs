//! [`AuthLayer`]: the tower layer in front of every MCP endpoint when authorization is on.
//! It takes the bearer token from the `Authorization` header (nowhere else), verifies it,
//! answers the challenges, binds 2025 sessions to their principal, and puts the [`Principal`]
//! into the request's extensions for the tools.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use quickmcp_core::{Principal, ScopeGate, SessionManager};
use tower::{Layer, Service};

use super::scopes::EndpointScopes;
use super::{challenge, missing_scopes, AuthConfig, AuthError, SubjectToken};
use crate::response::HttpError;

const SESSION_HEADER: &str = "mcp-session-id";

struct Shared {
    config: AuthConfig,
    /// The scope gate of requests for the configured resource (the usual case: the resource
    /// is derived from forwarded headers only when they are trusted).
    gate: ScopeGate,
    /// The sessions to bind (2025 wire), when the layer guards a quickmcp endpoint.
    sessions: Option<Arc<SessionManager>>,
}

/// Requires a valid bearer token on every request it wraps (CORS preflights excepted).
///
/// [`HttpOptions::auth`](crate::HttpOptions::auth) installs it in front of the MCP endpoints
/// (and binds sessions); put it on your own routes with `route_layer` when they need the same
/// tokens: custom routes are **not** covered by `HttpOptions::auth`.
///
/// ```
/// use axum::routing::get;
/// use quickmcp_http::auth::{AuthConfig, AuthLayer, StaticTokenVerifier};
///
/// let auth = AuthConfig::builder("https://mcp.example.com/mcp")
///     .authorization_server("https://as.example.com")
///     .verifier(StaticTokenVerifier::new())
///     .build()
///     .unwrap();
/// let reports: axum::Router = axum::Router::new()
///     .route("/reports", get(|| async { "secret" }))
///     .route_layer(AuthLayer::new(auth));
/// ```
#[derive(Clone)]
pub struct AuthLayer {
    shared: Arc<Shared>,
}

impl AuthLayer {
    /// Checks tokens by `config`.
    pub fn new(config: AuthConfig) -> Self {
        Self {
            shared: Arc::new(Shared {
                gate: EndpointScopes::gate(&config, &config.inner.resource),
                config,
                sessions: None,
            }),
        }
    }

    /// Also binds the sessions of `sessions` to the principal that created them.
    pub(crate) fn binding(config: AuthConfig, sessions: Arc<SessionManager>) -> Self {
        Self {
            shared: Arc::new(Shared {
                gate: EndpointScopes::gate(&config, &config.inner.resource),
                config,
                sessions: Some(sessions),
            }),
        }
    }
}

impl std::fmt::Debug for AuthLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthLayer")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> AuthService<S> {
        AuthService {
            inner,
            shared: self.shared.clone(),
        }
    }
}

/// The service of [`AuthLayer`].
#[derive(Clone)]
pub struct AuthService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> std::fmt::Debug for AuthService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthService").finish_non_exhaustive()
    }
}

impl<S> Service<Request> for AuthService<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The clone that was made ready serves this request (tower's usual swap).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let shared = self.shared.clone();
        Box::pin(async move { Ok(authorize(shared, inner, request).await) })
    }
}

async fn authorize<S>(shared: Arc<Shared>, mut inner: S, mut request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    // A CORS preflight carries no credentials.
    if request.method() == Method::OPTIONS {
        return call(&mut inner, request).await;
    }
    let config = &shared.config;
    let resource = config.resource_for(request.headers());
    let token = match bearer_token(request.headers(), request.uri().query()) {
        Ok(Some(token)) => token,
        Ok(None) => return challenge::missing(config, &resource),
        Err(problem) => return challenge::malformed(problem),
    };
    let principal = match config.verify(token, &resource).await {
        Ok(principal) => principal,
        Err(AuthError::InvalidToken(reason)) => {
            tracing::debug!(%reason, "access token refused");
            return challenge::invalid(config, &resource);
        }
        Err(AuthError::Unavailable(reason)) => {
            tracing::warn!(%reason, "access token could not be verified");
            return challenge::unavailable();
        }
    };
    let required = &config.inner.required_scopes;
    let missing = missing_scopes(&*config.inner.matcher, &principal, required);
    if !missing.is_empty() {
        return challenge::insufficient_scope(config, &resource, required, &missing);
    }
    let subject = config.inner.subject_token.then(|| SubjectToken::new(token));
    let session = session_id(request.headers());
    if let (Some(sessions), Some(id)) = (&shared.sessions, session) {
        if !owned_by(sessions, id, &principal).await {
            tracing::debug!(session = %id, "session presented by another principal");
            return HttpError::session_not_found().into_response();
        }
    }
    let gate = match &resource {
        Cow::Borrowed(_) => shared.gate.clone(),
        Cow::Owned(resource) => EndpointScopes::gate(config, resource),
    };
    // `initialize` binds the session it creates to this principal.
    let extensions = request.extensions_mut();
    extensions.insert(principal);
    extensions.insert(gate);
    if let Some(subject) = subject {
        extensions.insert(subject);
    }
    call(&mut inner, request).await
}

async fn call<S>(inner: &mut S, request: Request) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    match inner.call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The bearer token of `Authorization`: `Ok(None)` when there is no bearer credential, `Err`
/// naming the problem when the header is malformed, repeated, or a token came in the query.
fn bearer_token<'h>(
    headers: &'h HeaderMap,
    query: Option<&str>,
) -> Result<Option<&'h str>, &'static str> {
    if query.is_some_and(|q| {
        q.split('&')
            .any(|pair| pair.split('=').next() == Some("access_token"))
    }) {
        return Err("access tokens are accepted only in the Authorization header, never in the query string");
    }
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err("more than one Authorization header");
    }
    let value = value
        .to_str()
        .map_err(|_| "the Authorization header is not visible ASCII")?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Ok(None);
    }
    let token = token.trim();
    if token.is_empty() {
        return Err("the Authorization header has the Bearer scheme but no token");
    }
    // RFC 6750 §2.1 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    let body = token.trim_end_matches('=');
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
    {
        return Err("the bearer token has characters a token cannot have");
    }
    Ok(Some(token))
}

fn session_id(headers: &HeaderMap) -> Option<&str> {
    headers.get(SESSION_HEADER).and_then(|v| v.to_str().ok())
}

/// Whether the session `id` belongs to `principal` (held here, or as its stored record
/// says). An unknown id passes: the endpoint answers 404 for it as without authorization.
async fn owned_by(sessions: &Arc<SessionManager>, id: &str, principal: &Principal) -> bool {
    match sessions.open(id).await {
        Some(session) => session
            .principal_id()
            .is_some_and(|owner| principal.is(owner)),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.append(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn reads_bearer_tokens_from_the_header_only() {
        assert_eq!(
            bearer_token(&auth("Bearer abc.def-_~+/=="), None),
            Ok(Some("abc.def-_~+/=="))
        );
        assert_eq!(bearer_token(&auth("bearer abc"), None), Ok(Some("abc")));
        assert_eq!(bearer_token(&HeaderMap::new(), None), Ok(None));
        assert_eq!(bearer_token(&auth("Basic dXNlcjpwYXNz"), None), Ok(None));
        assert!(bearer_token(&auth("Bearer"), None).is_err());
        assert!(bearer_token(&auth("Bearer a b"), None).is_err());
        assert!(bearer_token(&auth("Bearer a\"b"), None).is_err());
        assert!(bearer_token(&auth("Bearer ==="), None).is_err());
        let mut twice = auth("Bearer a");
        twice.append(header::AUTHORIZATION, "Bearer b".parse().unwrap());
        assert!(bearer_token(&twice, None).is_err());
        assert!(bearer_token(&HeaderMap::new(), Some("x=1&access_token=abc")).is_err());
        assert_eq!(
            bearer_token(&HeaderMap::new(), Some("session_id=abc")),
            Ok(None)
        );
    }
}
