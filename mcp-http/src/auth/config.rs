//! [`AuthConfig`]: what one protected MCP endpoint is (its canonical URL), who issues its
//! tokens, and how they are verified. Validated once, when built.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use quickmcp_core::Principal;

use super::cache::{digest, TokenCache};
use super::{AuthError, ConfigError, ExactScopes, ScopeMatcher, TokenVerifier};

/// The well-known path of Protected Resource Metadata (RFC 9728).
pub(crate) const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

pub(crate) struct Inner {
    /// The canonical resource URL, normalized: `scheme://host[:port][/path]`.
    pub(crate) resource: String,
    /// Its `scheme://host[:port]` and its path ("" for the root).
    pub(crate) origin_len: usize,
    pub(crate) authorization_servers: Vec<String>,
    pub(crate) scopes_supported: Vec<String>,
    pub(crate) resource_name: Option<String>,
    pub(crate) resource_documentation: Option<String>,
    pub(crate) verifier: Arc<dyn TokenVerifier>,
    pub(crate) trust_forwarded_headers: bool,
    pub(crate) serve_root_metadata: bool,
    pub(crate) cache: Option<TokenCache>,
    pub(crate) subject_token: bool,
    pub(crate) required_scopes: Vec<String>,
    pub(crate) matcher: Box<dyn ScopeMatcher>,
}

/// The authorization of one MCP endpoint: turn it on with
/// [`HttpOptions::auth`](crate::HttpOptions::auth), and serve its metadata with
/// [`well_known_router`](super::well_known_router) at the host's root.
///
/// Cheap to clone (one `Arc`).
///
/// ```
/// use quickmcp_http::auth::{AuthConfig, JwtVerifier};
///
/// let auth = AuthConfig::builder("https://MCP.example.com/mcp/")
///     .authorization_server("https://as.example.com")
///     .scopes_supported(["tools:read"])
///     .resource_name("Example MCP")
///     .verifier(JwtVerifier::jwks("https://as.example.com", "https://as.example.com/jwks"))
///     .build()
///     .expect("a valid configuration");
/// assert_eq!(auth.resource(), "https://mcp.example.com/mcp");
/// assert_eq!(
///     auth.metadata_url(),
///     "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
/// );
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    pub(crate) inner: Arc<Inner>,
}

/// Builds an [`AuthConfig`]; [`build`](Self::build) says what is wrong, if anything.
#[must_use]
pub struct AuthConfigBuilder {
    resource: String,
    authorization_servers: Vec<String>,
    scopes_supported: Vec<String>,
    resource_name: Option<String>,
    resource_documentation: Option<String>,
    verifier: Option<Arc<dyn TokenVerifier>>,
    trust_forwarded_headers: bool,
    serve_root_metadata: bool,
    cache: Option<(usize, Duration)>,
    subject_token: bool,
    required_scopes: Vec<String>,
    matcher: Box<dyn ScopeMatcher>,
}

impl AuthConfig {
    /// Starts the configuration of the endpoint whose public URL is `resource`: exactly what
    /// clients connect to (`https://mcp.example.com/mcp`), mount prefix included. Tokens must
    /// name it in their `aud`.
    pub fn builder(resource: impl Into<String>) -> AuthConfigBuilder {
        AuthConfigBuilder {
            resource: resource.into(),
            authorization_servers: Vec::new(),
            scopes_supported: Vec::new(),
            resource_name: None,
            resource_documentation: None,
            verifier: None,
            trust_forwarded_headers: false,
            serve_root_metadata: true,
            cache: Some((10_000, Duration::from_secs(300))),
            subject_token: false,
            required_scopes: Vec::new(),
            matcher: Box::new(ExactScopes),
        }
    }

    /// The canonical resource URL (normalized).
    pub fn resource(&self) -> &str {
        &self.inner.resource
    }

    /// The path part of the resource ("" for a resource at the root).
    pub fn resource_path(&self) -> &str {
        &self.inner.resource[self.inner.origin_len..]
    }

    /// Where the Protected Resource Metadata is: the well-known URI with the resource's path
    /// inserted (RFC 9728 §3.1).
    pub fn metadata_url(&self) -> String {
        let origin = &self.inner.resource[..self.inner.origin_len];
        format!("{origin}{WELL_KNOWN}{}", self.resource_path())
    }

    /// The resource a request is addressed to: the configured one, or, with
    /// `trust_forwarded_headers`, the one the proxy's `Forwarded` / `X-Forwarded-Proto` /
    /// `X-Forwarded-Host` (else `Host`) headers name, with the configured path.
    pub(crate) fn resource_for<'a>(&'a self, headers: &HeaderMap) -> Cow<'a, str> {
        if !self.inner.trust_forwarded_headers {
            return Cow::Borrowed(&self.inner.resource);
        }
        let configured = &self.inner.resource[..self.inner.origin_len];
        let (scheme, host) = configured
            .split_once("://")
            .unwrap_or(("https", configured));
        let (proto, forwarded_host) = forwarded(headers);
        let host = forwarded_host
            .or_else(|| {
                headers
                    .get(http::header::HOST)
                    .and_then(|h| h.to_str().ok())
            })
            .filter(|h| valid_host(h))
            .unwrap_or(host);
        let scheme = proto
            .filter(|p| *p == "http" || *p == "https")
            .unwrap_or(scheme);
        Cow::Owned(format!(
            "{scheme}://{}{}",
            host.to_ascii_lowercase(),
            self.resource_path()
        ))
    }

    /// The metadata URL for a request's resource.
    pub(crate) fn metadata_url_for(&self, resource: &str) -> String {
        let path = self.resource_path();
        let origin = resource.strip_suffix(path).unwrap_or(resource);
        format!("{origin}{WELL_KNOWN}{path}")
    }

    /// The `WWW-Authenticate` value of a 403 for an operation that needs `scopes` (list them
    /// all, not only the missing ones), for a request with these headers. For MCP-level
    /// checks (per-tool scopes) that answer before dispatch.
    ///
    /// ```
    /// # use quickmcp_http::auth::{AuthConfig, StaticTokenVerifier};
    /// # let auth = AuthConfig::builder("https://mcp.example.com/mcp")
    /// #     .authorization_server("https://as.example.com")
    /// #     .verifier(StaticTokenVerifier::new()).build().unwrap();
    /// let header = auth.insufficient_scope_challenge(&http::HeaderMap::new(), &["files:write"]);
    /// assert!(header.starts_with(r#"Bearer error="insufficient_scope", scope="files:write""#));
    /// ```
    pub fn insufficient_scope_challenge<S: AsRef<str>>(
        &self,
        headers: &HeaderMap,
        scopes: &[S],
    ) -> String {
        let resource = self.resource_for(headers);
        super::challenge::insufficient_scope_header(self, &resource, scopes)
    }

    /// Verifies `token` for `resource`, through the verified-token cache.
    pub(crate) async fn verify(
        &self,
        token: &str,
        resource: &str,
    ) -> Result<Arc<Principal>, AuthError> {
        let Some(cache) = &self.inner.cache else {
            return self
                .inner
                .verifier
                .verify(token, resource)
                .await
                .map(Arc::new);
        };
        let key = digest(token, resource);
        if let Some(principal) = cache.get(&key) {
            return Ok(principal);
        }
        let principal = Arc::new(self.inner.verifier.verify(token, resource).await?);
        cache.insert(key, principal.clone());
        Ok(principal)
    }
}

impl AuthConfigBuilder {
    /// Adds an authorization server (its issuer URL) clients may get tokens from; at least
    /// one is required.
    pub fn authorization_server(mut self, issuer: impl Into<String>) -> Self {
        self.authorization_servers.push(issuer.into());
        self
    }

    /// The scopes basic use needs: advertised in the metadata and in the 401 challenge.
    /// Leave `offline_access` out (the 2026-07-28 spec asks servers not to advertise it).
    pub fn scopes_supported<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        scopes: I,
    ) -> Self {
        self.scopes_supported = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// A human-readable name for the metadata's `resource_name`.
    pub fn resource_name(mut self, name: impl Into<String>) -> Self {
        self.resource_name = Some(name.into());
        self
    }

    /// A URL of documentation for the metadata's `resource_documentation`.
    pub fn resource_documentation(mut self, url: impl Into<String>) -> Self {
        self.resource_documentation = Some(url.into());
        self
    }

    /// How tokens are verified (required).
    pub fn verifier(mut self, verifier: impl TokenVerifier) -> Self {
        self.verifier = Some(Arc::new(verifier));
        self
    }

    /// Takes the resource's scheme and host from the reverse proxy's headers (`Forwarded`,
    /// `X-Forwarded-Proto`, `X-Forwarded-Host`, else `Host`) instead of the configured URL, in
    /// the metadata, the challenges and the audience check. Off by default: turn it on only
    /// behind a proxy that sets (and overwrites) these headers, since a client could
    /// otherwise choose the audience its token is checked against.
    pub fn trust_forwarded_headers(mut self, trust: bool) -> Self {
        self.trust_forwarded_headers = trust;
        self
    }

    /// Whether [`well_known_router`](super::well_known_router) also serves the metadata at
    /// the root well-known URI (default on; turn it off when several resources share a host).
    pub fn serve_root_metadata(mut self, serve: bool) -> Self {
        self.serve_root_metadata = serve;
        self
    }

    /// Bounds the verified-token cache (default 10 000 tokens, each kept until it expires and
    /// at most 5 minutes, which is also how long a revoked token may still be accepted).
    pub fn token_cache(mut self, capacity: usize, max_ttl: Duration) -> Self {
        self.cache = Some((capacity, max_ttl));
        self
    }

    /// Verifies every request anew (no verified-token cache).
    pub fn no_token_cache(mut self) -> Self {
        self.cache = None;
        self
    }

    /// Also puts the request's token into its extensions as a
    /// [`SubjectToken`](super::SubjectToken), for tools that exchange it (RFC 8693) to call
    /// upstream APIs on the caller's behalf. Off by default, so that no tool can pass the
    /// client's token on.
    pub fn subject_token_for_exchange(mut self, on: bool) -> Self {
        self.subject_token = on;
        self
    }

    /// Scopes every request must have (as covered by the
    /// [`scope_matcher`](Self::scope_matcher)): a valid token without one of them gets 403
    /// `insufficient_scope`, whose `scope` lists all of these (one challenge for everything
    /// the endpoint needs, as 2026-07-28 asks).
    pub fn required_scopes<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        scopes: I,
    ) -> Self {
        self.required_scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// How granted scopes cover required ones (default [`ExactScopes`]; [`ColonHierarchy`](super::ColonHierarchy)
    /// lets `files` cover `files:read`).
    pub fn scope_matcher(mut self, matcher: impl ScopeMatcher) -> Self {
        self.matcher = Box::new(matcher);
        self
    }

    /// Checks the configuration: a resource that is an absolute `http(s)` URL without
    /// fragment or query, at least one authorization server, a verifier.
    pub fn build(self) -> Result<AuthConfig, ConfigError> {
        let (resource, origin_len) = normalize_resource(&self.resource)?;
        if self.authorization_servers.is_empty() {
            return Err(ConfigError(
                "no authorization server: add one with AuthConfigBuilder::authorization_server(\"https://as.example.com\") (Protected Resource Metadata must name at least one)".into(),
            ));
        }
        for server in &self.authorization_servers {
            let url = url::Url::parse(server).map_err(|e| {
                ConfigError(format!("authorization server `{server}` is not a URL: {e}"))
            })?;
            if !matches!(url.scheme(), "https" | "http") {
                return Err(ConfigError(format!(
                    "authorization server `{server}` must be an https URL"
                )));
            }
        }
        if self.scopes_supported.iter().any(|s| s == "offline_access") {
            tracing::warn!(
                "scopes_supported lists offline_access: MCP servers should not advertise it"
            );
        }
        let verifier = self.verifier.ok_or_else(|| {
            ConfigError("no token verifier: set one with AuthConfigBuilder::verifier(JwtVerifier::jwks(..))".into())
        })?;
        Ok(AuthConfig {
            inner: Arc::new(Inner {
                resource,
                origin_len,
                authorization_servers: self.authorization_servers,
                scopes_supported: self.scopes_supported,
                resource_name: self.resource_name,
                resource_documentation: self.resource_documentation,
                verifier,
                trust_forwarded_headers: self.trust_forwarded_headers,
                serve_root_metadata: self.serve_root_metadata,
                cache: self
                    .cache
                    .map(|(capacity, ttl)| TokenCache::new(capacity, ttl)),
                subject_token: self.subject_token,
                required_scopes: self.required_scopes,
                matcher: self.matcher,
            }),
        })
    }
}

/// The canonical form of a resource URL (MCP §Canonical Server URI): lowercase scheme and
/// host, no default port, no fragment or query, no trailing slash. Returns it and the length
/// of its origin.
pub(crate) fn normalize_resource(resource: &str) -> Result<(String, usize), ConfigError> {
    let wrong = |why: &str| {
        ConfigError(format!(
            "the resource `{resource}` {why}: give the endpoint's public URL, like \"https://mcp.example.com/mcp\""
        ))
    };
    let url = url::Url::parse(resource.trim()).map_err(|_| wrong("is not an absolute URL"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(wrong("must be an http(s) URL"));
    }
    if url.fragment().is_some() {
        return Err(wrong("must not have a fragment"));
    }
    if url.query().is_some() {
        return Err(wrong("must not have a query"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(wrong("must not hold credentials"));
    }
    let host = url.host_str().ok_or_else(|| wrong("has no host"))?;
    let mut origin = format!("{}://{host}", url.scheme());
    if let Some(port) = url.port() {
        origin.push_str(&format!(":{port}"));
    }
    let origin_len = origin.len();
    let path = url.path().trim_end_matches('/');
    origin.push_str(path);
    Ok((origin, origin_len))
}

/// The proto and host a proxy forwarded: RFC 7239 `Forwarded` first, else `X-Forwarded-*`.
fn forwarded(headers: &HeaderMap) -> (Option<&str>, Option<&str>) {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(first) = text("forwarded").and_then(|v| v.split(',').next()) {
        let mut proto = None;
        let mut host = None;
        for pair in first.split(';') {
            if let Some((key, value)) = pair.trim().split_once('=') {
                let value = value.trim_matches('"');
                match key.trim().to_ascii_lowercase().as_str() {
                    "proto" => proto = Some(value),
                    "host" => host = Some(value),
                    _ => {}
                }
            }
        }
        if proto.is_some() || host.is_some() {
            return (proto, host);
        }
    }
    let first = |name| text(name).and_then(|v| v.split(',').next()).map(str::trim);
    (first("x-forwarded-proto"), first("x-forwarded-host"))
}

/// Whether a forwarded host is a plain `host[:port]`.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("resource", &self.inner.resource)
            .field("authorization_servers", &self.inner.authorization_servers)
            .field("scopes_supported", &self.inner.scopes_supported)
            .field(
                "trust_forwarded_headers",
                &self.inner.trust_forwarded_headers,
            )
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::StaticTokenVerifier;

    fn config(resource: &str) -> Result<AuthConfig, ConfigError> {
        AuthConfig::builder(resource)
            .authorization_server("https://as.example.com")
            .verifier(StaticTokenVerifier::new())
            .build()
    }

    #[test]
    fn resources_are_normalized() {
        for (given, want, path) in [
            (
                "https://MCP.Example.com/mcp/",
                "https://mcp.example.com/mcp",
                "/mcp",
            ),
            (
                "HTTPS://mcp.example.com:443/server/mcp",
                "https://mcp.example.com/server/mcp",
                "/server/mcp",
            ),
            (
                "https://mcp.example.com:8443",
                "https://mcp.example.com:8443",
                "",
            ),
            ("http://127.0.0.1:9000/", "http://127.0.0.1:9000", ""),
        ] {
            let auth = config(given).unwrap();
            assert_eq!((auth.resource(), auth.resource_path()), (want, path));
        }
        assert_eq!(
            config("https://mcp.example.com:8443")
                .unwrap()
                .metadata_url(),
            "https://mcp.example.com:8443/.well-known/oauth-protected-resource"
        );
    }

    #[test]
    fn bad_configurations_are_named() {
        for (resource, says) in [
            ("mcp.example.com/mcp", "absolute URL"),
            ("ftp://mcp.example.com/mcp", "http(s)"),
            ("https://mcp.example.com/mcp#x", "fragment"),
            ("https://mcp.example.com/mcp?x=1", "query"),
        ] {
            let error = config(resource).unwrap_err().to_string();
            assert!(error.contains(says), "{resource}: {error}");
        }
        let error = AuthConfig::builder("https://mcp.example.com/mcp")
            .verifier(StaticTokenVerifier::new())
            .build()
            .unwrap_err();
        assert!(
            error.to_string().contains("authorization_server"),
            "{error}"
        );
        let error = AuthConfig::builder("https://mcp.example.com/mcp")
            .authorization_server("https://as.example.com")
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("verifier"), "{error}");
    }

    #[test]
    fn forwarded_headers_only_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        headers.insert("x-forwarded-host", "Public.example.com".parse().unwrap());
        headers.insert("host", "internal:8080".parse().unwrap());
        let plain = config("http://internal:8080/api/mcp").unwrap();
        assert_eq!(plain.resource_for(&headers), "http://internal:8080/api/mcp");
        let trusting = AuthConfig::builder("http://internal:8080/api/mcp")
            .authorization_server("https://as.example.com")
            .verifier(StaticTokenVerifier::new())
            .trust_forwarded_headers(true)
            .build()
            .unwrap();
        let resource = trusting.resource_for(&headers);
        assert_eq!(resource, "https://public.example.com/api/mcp");
        assert_eq!(
            trusting.metadata_url_for(&resource),
            "https://public.example.com/.well-known/oauth-protected-resource/api/mcp"
        );
        headers.insert(
            "forwarded",
            "for=1.2.3.4;proto=http;host=\"edge:81\"".parse().unwrap(),
        );
        assert_eq!(trusting.resource_for(&headers), "http://edge:81/api/mcp");
        headers.insert("forwarded", "host=\"bad host/\"".parse().unwrap());
        assert_eq!(
            trusting.resource_for(&headers),
            "http://internal:8080/api/mcp"
        );
    }
}
