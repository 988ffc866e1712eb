//! [`HttpFetch`]: how verifiers reach the authorization server (JWKS, introspection), so that a
//! deployment can bring its own client (proxy, mTLS, SSRF rules) or a test can count requests.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;

/// An error of the transport (connection refused, timeout, TLS).
pub type FetchError = Box<dyn std::error::Error + Send + Sync>;

/// What [`HttpFetch::fetch`] returns.
pub type FetchFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, FetchError>> + Send>>;

/// Sends one HTTP request and reads the whole response. Verifiers use it for the JWKS document
/// and for RFC 7662 introspection; [`ReqwestFetch`] is the default.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use bytes::Bytes;
/// use quickmcp_http::auth::{FetchFuture, HttpFetch, ReqwestFetch};
///
/// /// Counts the requests of another fetcher.
/// struct Counting(ReqwestFetch, Arc<AtomicUsize>);
///
/// impl HttpFetch for Counting {
///     fn fetch(&self, request: http::Request<Bytes>) -> FetchFuture {
///         self.1.fetch_add(1, Ordering::Relaxed);
///         self.0.fetch(request)
///     }
/// }
/// ```
pub trait HttpFetch: Send + Sync + 'static {
    /// Sends `request`; any status is an `Ok` response.
    fn fetch(&self, request: http::Request<Bytes>) -> FetchFuture;
}

/// [`HttpFetch`] over `reqwest` with rustls: a 10 s timeout, no redirects (a JWKS or
/// introspection URL that redirects is a configuration error, not something to follow).
///
/// ```
/// use quickmcp_http::auth::ReqwestFetch;
///
/// let fetch = ReqwestFetch::default();
/// ```
#[derive(Debug, Clone)]
pub struct ReqwestFetch {
    client: reqwest::Client,
}

impl ReqwestFetch {
    /// Uses `client` (its proxy, TLS and timeout settings).
    pub fn new(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Default for ReqwestFetch {
    fn default() -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self { client }
    }
}

impl HttpFetch for ReqwestFetch {
    fn fetch(&self, request: http::Request<Bytes>) -> FetchFuture {
        let client = self.client.clone();
        Box::pin(async move {
            let request = reqwest::Request::try_from(request.map(reqwest::Body::from))?;
            let response = client.execute(request).await?;
            let mut out = http::Response::builder().status(response.status().as_u16());
            for (name, value) in response.headers() {
                out = out.header(name.as_str(), value.as_bytes());
            }
            let body = response.bytes().await?;
            Ok(out.body(body)?)
        })
    }
}

/// The `max-age` of a response's `Cache-Control`, if any.
pub(crate) fn max_age(response: &http::Response<Bytes>) -> Option<Duration> {
    let value = response
        .headers()
        .get(http::header::CACHE_CONTROL)?
        .to_str()
        .ok()?;
    value.split(',').find_map(|directive| {
        let (name, seconds) = directive.trim().split_once('=')?;
        name.eq_ignore_ascii_case("max-age")
            .then(|| seconds.trim().parse().ok())
            .flatten()
            .map(Duration::from_secs)
    })
}
