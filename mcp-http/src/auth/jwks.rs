//! [`JwksCache`]: the authorization server's signing keys, fetched from its JWKS URL and kept
//! for a TTL (the response's `Cache-Control: max-age`, within bounds).
//!
//! - A token whose `kid` is unknown triggers **one** refresh, shared by every request waiting
//!   for it (single flight); after any fetch, no other is made for the cooldown, so a storm of
//!   made-up `kid`s costs at most one fetch per cooldown.
//! - When a refresh fails, the keys already known keep being served (stale), so an outage of
//!   the authorization server does not reject tokens that verified a minute ago.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use parking_lot::Mutex;

use super::fetch::{max_age, HttpFetch, ReqwestFetch};
use super::keys::{parse_jwks, VerificationKey};
use super::AuthError;

/// How a [`JwksCache`] refreshes.
///
/// ```
/// use std::time::Duration;
/// use quickmcp_http::auth::JwksOptions;
///
/// let options = JwksOptions { cooldown: Duration::from_secs(10), ..JwksOptions::default() };
/// assert_eq!(options.ttl, Duration::from_secs(300));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwksOptions {
    /// How long keys are used before a refetch when the response says nothing (default 5 min).
    pub ttl: Duration,
    /// The shortest TTL a `Cache-Control: max-age` may set (default 1 min).
    pub min_ttl: Duration,
    /// The longest TTL a `Cache-Control: max-age` may set (default 1 h).
    pub max_ttl: Duration,
    /// The least time between two fetches (default 30 s): an unknown `kid` within it is refused
    /// without a fetch.
    pub cooldown: Duration,
}

impl Default for JwksOptions {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(300),
            min_ttl: Duration::from_secs(60),
            max_ttl: Duration::from_secs(3600),
            cooldown: Duration::from_secs(30),
        }
    }
}

#[derive(Default)]
struct Keys {
    keys: Arc<Vec<VerificationKey>>,
    /// When the keys are due for a refetch; `None` before the first fetch.
    fresh_until: Option<Instant>,
    /// When the last fetch started (success or not), for the cooldown.
    last_fetch: Option<Instant>,
    /// Bumped by each fetch attempt, so a waiter can tell that a fetch ran while it waited.
    generation: u64,
}

/// The keys at a JWKS URL, cached; see the module docs for the refresh rules.
///
/// ```
/// use std::sync::Arc;
/// use quickmcp_http::auth::{JwksCache, JwksOptions, ReqwestFetch};
///
/// let jwks = JwksCache::new("https://as.example.com/jwks")
///     .options(JwksOptions::default())
///     .fetch(Arc::new(ReqwestFetch::default()));
/// assert_eq!(jwks.url(), "https://as.example.com/jwks");
/// ```
pub struct JwksCache {
    url: String,
    fetch: Arc<dyn HttpFetch>,
    options: JwksOptions,
    keys: Mutex<Keys>,
    /// Held while a fetch runs: the single flight.
    flight: tokio::sync::Mutex<()>,
}

impl JwksCache {
    /// The keys at `url`, fetched with [`ReqwestFetch`] on first use.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            fetch: Arc::new(ReqwestFetch::default()),
            options: JwksOptions::default(),
            keys: Mutex::default(),
            flight: tokio::sync::Mutex::new(()),
        }
    }

    /// Fetches with `fetch` instead.
    #[must_use]
    pub fn fetch(mut self, fetch: Arc<dyn HttpFetch>) -> Self {
        self.fetch = fetch;
        self
    }

    /// Refreshes by `options`.
    #[must_use]
    pub fn options(mut self, options: JwksOptions) -> Self {
        self.options = options;
        self
    }

    /// The JWKS URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The keys that may verify a token with this `kid` (every key when the token has none).
    /// Fetches when the keys are missing or due, or when `kid` is unknown and the cooldown has
    /// passed.
    pub(crate) async fn keys_for(
        &self,
        kid: Option<&str>,
    ) -> Result<Arc<Vec<VerificationKey>>, AuthError> {
        let (keys, due, generation) = self.snapshot();
        let known = |keys: &[VerificationKey]| {
            kid.is_none_or(|kid| keys.iter().any(|k| k.kid() == Some(kid)))
        };
        if !due && known(&keys) {
            return Ok(keys);
        }
        if !due && !self.may_fetch() {
            return Err(AuthError::invalid(
                "unknown key id, and the JWKS was fetched less than a cooldown ago",
            ));
        }
        let refreshed = self.refresh(generation).await;
        let (keys, _, _) = self.snapshot();
        match refreshed {
            Err(failure) if keys.is_empty() => Err(failure),
            _ if keys.is_empty() => Err(AuthError::unavailable(format!(
                "no usable key at {} (the last fetch failed or found none)",
                self.url
            ))),
            // Stale keys are served when a refresh fails; an unknown kid is still unknown.
            _ if known(&keys) => Ok(keys),
            _ => Err(AuthError::invalid("no key of the JWKS has this key id")),
        }
    }

    fn snapshot(&self) -> (Arc<Vec<VerificationKey>>, bool, u64) {
        let keys = self.keys.lock();
        let due = keys.fresh_until.is_none_or(|until| Instant::now() >= until);
        (keys.keys.clone(), due, keys.generation)
    }

    fn may_fetch(&self) -> bool {
        self.keys
            .lock()
            .last_fetch
            .is_none_or(|at| at.elapsed() >= self.options.cooldown)
    }

    /// Fetches once for everyone who saw generation `seen`: a waiter that finds a newer
    /// generation uses what that fetch brought instead of fetching again.
    async fn refresh(&self, seen: u64) -> Result<(), AuthError> {
        let _flight = self.flight.lock().await;
        {
            let mut keys = self.keys.lock();
            if keys.generation != seen {
                return Ok(());
            }
            if keys
                .last_fetch
                .is_some_and(|at| at.elapsed() < self.options.cooldown)
            {
                // A refetch of due keys within the cooldown: keep serving what we have.
                return Ok(());
            }
            keys.generation += 1;
            keys.last_fetch = Some(Instant::now());
        }
        let fetched = self.fetch_keys().await;
        let mut keys = self.keys.lock();
        match fetched {
            Ok((set, ttl)) => {
                tracing::debug!(url = %self.url, keys = set.len(), "JWKS fetched");
                keys.keys = Arc::new(set);
                keys.fresh_until = Some(Instant::now() + ttl);
                Ok(())
            }
            Err(reason) => {
                tracing::warn!(url = %self.url, %reason, stale = keys.keys.len(), "JWKS refresh failed");
                if !keys.keys.is_empty() {
                    // Serve the stale keys without retrying on every request until the cooldown.
                    keys.fresh_until = Some(Instant::now() + self.options.cooldown);
                }
                Err(AuthError::unavailable(format!(
                    "the JWKS at {} could not be fetched: {reason}",
                    self.url
                )))
            }
        }
    }

    async fn fetch_keys(&self) -> Result<(Vec<VerificationKey>, Duration), String> {
        let request = http::Request::get(&self.url)
            .header(
                http::header::ACCEPT,
                "application/json, application/jwk-set+json",
            )
            .body(Bytes::new())
            .map_err(|e| e.to_string())?;
        let response = self.fetch.fetch(request).await.map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        let ttl = max_age(&response).map_or(self.options.ttl, |age| {
            age.clamp(self.options.min_ttl, self.options.max_ttl)
        });
        let keys = parse_jwks(response.body())?;
        Ok((keys, ttl))
    }
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksCache")
            .field("url", &self.url)
            .field("options", &self.options)
            .field("keys", &self.keys.lock().keys.len())
            .finish_non_exhaustive()
    }
}
