//! The answers to requests without a usable token (RFC 6750 §3, MCP §Error Handling): a status,
//! a `WWW-Authenticate: Bearer ...` challenge pointing at the metadata, and a JSON-RPC error
//! body that says what to do.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use quickmcp_core::{McpError, Rejection};

use super::AuthConfig;
use crate::response::HttpError;

/// The JSON-RPC code of a transport-level rejection (as in `HttpError`).
const REJECTED: i32 = -32000;

/// `value` as an RFC 9110 quoted string.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn with_challenge(status: StatusCode, message: String, challenge: String) -> Response {
    let mut response = HttpError::new(status, McpError::new(REJECTED, message)).into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

fn scope_param(config: &AuthConfig) -> String {
    let scopes = &config.inner.scopes_supported;
    if scopes.is_empty() {
        String::new()
    } else {
        format!(", scope={}", quoted(&scopes.join(" ")))
    }
}

/// 401 for a request with no bearer token: no `error` (RFC 6750 §3.1), the metadata URL and
/// the scopes basic use needs.
pub(crate) fn missing(config: &AuthConfig, resource: &str) -> Response {
    let metadata = config.metadata_url_for(resource);
    with_challenge(
        StatusCode::UNAUTHORIZED,
        format!(
            "unauthorized: this endpoint needs an OAuth access token in `Authorization: Bearer <token>`; \
             the authorization servers are listed at {metadata}"
        ),
        format!("Bearer resource_metadata={}{}", quoted(&metadata), scope_param(config)),
    )
}

/// 401 for a token that is invalid, expired, or for another audience or issuer. The
/// description is the same for every reason, so probing teaches nothing.
pub(crate) fn invalid(config: &AuthConfig, resource: &str) -> Response {
    let metadata = config.metadata_url_for(resource);
    with_challenge(
        StatusCode::UNAUTHORIZED,
        "unauthorized: the access token is invalid or expired; get a new one".into(),
        format!(
            "Bearer error=\"invalid_token\", error_description=\"The access token is invalid or expired\", resource_metadata={}{}",
            quoted(&metadata),
            scope_param(config)
        ),
    )
}

/// The challenge of a 403 for an operation that needs `scopes`.
pub(crate) fn insufficient_scope_header<S: AsRef<str>>(
    config: &AuthConfig,
    resource: &str,
    scopes: &[S],
) -> String {
    let scopes: Vec<&str> = scopes.iter().map(AsRef::as_ref).collect();
    format!(
        "Bearer error=\"insufficient_scope\", scope={}, resource_metadata={}, error_description=\"The access token lacks a scope this request needs\"",
        quoted(&scopes.join(" ")),
        quoted(&config.metadata_url_for(resource)),
    )
}

/// 403 for a valid token that lacks some of `scopes` (all of them are named).
pub(crate) fn insufficient_scope<S: AsRef<str>>(
    config: &AuthConfig,
    resource: &str,
    scopes: &[S],
    missing: &[&str],
) -> Response {
    with_challenge(
        StatusCode::FORBIDDEN,
        forbidden(missing),
        insufficient_scope_header(config, resource, scopes),
    )
}

/// The same 403 as a value the engine answers with, for an operation (a tool, resource or
/// prompt) whose declared scopes the token lacks.
pub(crate) fn insufficient_scope_rejection(
    config: &AuthConfig,
    resource: &str,
    scopes: &[String],
    missing: &[&str],
) -> Rejection {
    let rejection = Rejection::new(McpError::new(REJECTED, forbidden(missing)))
        .with_status(StatusCode::FORBIDDEN);
    match HeaderValue::from_str(&insufficient_scope_header(config, resource, scopes)) {
        Ok(challenge) => rejection.with_header(header::WWW_AUTHENTICATE, challenge),
        Err(_) => rejection,
    }
}

fn forbidden(missing: &[&str]) -> String {
    format!(
        "forbidden: the access token lacks the scope(s) {}; ask for a token with them",
        missing.join(" ")
    )
}

/// 400 for a malformed `Authorization` header (or a token in the query string).
pub(crate) fn malformed(problem: &'static str) -> Response {
    with_challenge(
        StatusCode::BAD_REQUEST,
        format!("bad request: {problem}"),
        format!(
            "Bearer error=\"invalid_request\", error_description={}",
            quoted(problem)
        ),
    )
}

/// 503 when the token could not be checked (the authorization server is unreachable): fail
/// closed, and tell the client to retry rather than to get a new token.
pub(crate) fn unavailable() -> Response {
    let mut response = HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        McpError::new(
            REJECTED,
            "the access token could not be verified now (the authorization server is unreachable); retry later",
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_escape() {
        assert_eq!(super::quoted(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
