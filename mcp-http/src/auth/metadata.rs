//! Protected Resource Metadata (RFC 9728): the document that tells a client which
//! authorization servers issue tokens for this endpoint, served by [`well_known_router`].

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde::Serialize;

use super::config::WELL_KNOWN;
use super::AuthConfig;

/// The metadata document.
#[derive(Serialize)]
struct Document<'a> {
    resource: &'a str,
    authorization_servers: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    scopes_supported: &'a [String],
    bearer_methods_supported: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_documentation: Option<&'a str>,
}

/// The routes of `config`'s Protected Resource Metadata: the well-known URI with the
/// resource's path inserted (`/.well-known/oauth-protected-resource/mcp` for
/// `https://host/mcp`) and, unless turned off with
/// [`serve_root_metadata`](super::AuthConfigBuilder::serve_root_metadata), the root one
/// (`/.well-known/oauth-protected-resource`). GET and HEAD answer the JSON document with
/// `Access-Control-Allow-Origin: *` (browser clients read it cross-origin), OPTIONS answers
/// the CORS preflight, other methods get 405.
///
/// **Merge it at the host's root**: the paths are absolute, and a router nested under a
/// prefix cannot serve `/.well-known/...`. `Server::run_http_with` does it for you.
///
/// ```
/// use quickmcp_core::McpServer;
/// use quickmcp_http::auth::{well_known_router, AuthConfig, StaticTokenVerifier};
/// use quickmcp_http::{router, HttpOptions};
///
/// let auth = AuthConfig::builder("https://mcp.example.com/api/mcp")
///     .authorization_server("https://as.example.com")
///     .verifier(StaticTokenVerifier::new())
///     .build()
///     .unwrap();
/// let mcp = router(McpServer::new("demo"), Vec::new(), HttpOptions::new().auth(auth.clone()));
/// let app: axum::Router = axum::Router::new()
///     .nest("/api", mcp)
///     .merge(well_known_router(&auth));
/// ```
pub fn well_known_router(config: &AuthConfig) -> Router {
    let shared = Arc::new(config.clone());
    let serve = move |request: Request| {
        let config = shared.clone();
        async move { respond(&config, &request) }
    };
    let inserted = format!("{WELL_KNOWN}{}", config.resource_path());
    let mut router = Router::new().route(&inserted, any(serve.clone()));
    if config.inner.serve_root_metadata && !config.resource_path().is_empty() {
        router = router.route(WELL_KNOWN, any(serve));
    }
    router
}

/// The JSON document for a request (its resource follows the forwarded headers when trusted).
pub(crate) fn document(config: &AuthConfig, request: &Request) -> Vec<u8> {
    let resource = config.resource_for(request.headers());
    let inner = &config.inner;
    let document = Document {
        resource: &resource,
        authorization_servers: &inner.authorization_servers,
        scopes_supported: &inner.scopes_supported,
        bearer_methods_supported: ["header"],
        resource_name: inner.resource_name.as_deref(),
        resource_documentation: inner.resource_documentation.as_deref(),
    };
    serde_json::to_vec(&document).unwrap_or_default()
}

fn respond(config: &AuthConfig, request: &Request) -> Response {
    let cors = [
        (
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ),
        (
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD, OPTIONS"),
        ),
        (
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("*"),
        ),
    ];
    match *request.method() {
        Method::GET | Method::HEAD => (
            cors,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ),
            ],
            document(config, request),
        )
            .into_response(),
        Method::OPTIONS => (StatusCode::NO_CONTENT, cors).into_response(),
        _ => (
            StatusCode::METHOD_NOT_ALLOWED,
            cors,
            [(
                header::ALLOW,
                HeaderValue::from_static("GET, HEAD, OPTIONS"),
            )],
            "Protected Resource Metadata is read with GET",
        )
            .into_response(),
    }
}
