//! The verified-token cache: a principal found once is reused until its token expires, so an
//! authorized call costs a hash and a map lookup instead of a signature check or a round trip to
//! the authorization server.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use quickmcp_core::Principal;
use sha2::{Digest, Sha256};

/// The key of a token: SHA-256 over the resource and the token, never the token itself.
pub(crate) fn digest(token: &str, resource: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(resource.as_bytes());
    hash.update([0]);
    hash.update(token.as_bytes());
    hash.finalize().into()
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

struct Entry {
    principal: Arc<Principal>,
    until: Instant,
}

/// A bounded map from token digests to principals; each entry expires with its token (and at
/// most `max_ttl` after it was verified, so a revocation is seen within that time).
pub(crate) struct TokenCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
    capacity: usize,
    max_ttl: Duration,
}

impl TokenCache {
    pub(crate) fn new(capacity: usize, max_ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            max_ttl,
        }
    }

    pub(crate) fn get(&self, key: &[u8; 32]) -> Option<Arc<Principal>> {
        let now = Instant::now();
        let mut entries = self.entries.lock();
        match entries.get(key) {
            Some(entry) if entry.until > now => Some(entry.principal.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    pub(crate) fn insert(&self, key: [u8; 32], principal: Arc<Principal>) {
        let now = Instant::now();
        let mut ttl = self.max_ttl;
        if let Some(exp) = principal.expires_at {
            ttl = ttl.min(Duration::from_secs(exp.saturating_sub(unix_now())));
        }
        if ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock();
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.until > now);
        }
        if entries.len() >= self.capacity {
            // Still full of live entries: drop an eighth of them, whichever the map yields.
            let drop: Vec<_> = entries
                .keys()
                .take(self.capacity / 8 + 1)
                .copied()
                .collect();
            for key in drop {
                entries.remove(&key);
            }
        }
        entries.insert(
            key,
            Entry {
                principal,
                until: now + ttl,
            },
        );
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(exp: Option<u64>) -> Arc<Principal> {
        let p = Principal::new("iss", "alice");
        Arc::new(match exp {
            Some(exp) => p.with_expires_at(exp),
            None => p,
        })
    }

    #[test]
    fn keys_differ_by_token_and_resource() {
        assert_ne!(digest("a", "r"), digest("b", "r"));
        assert_ne!(digest("a", "r1"), digest("a", "r2"));
        assert_ne!(digest("ab", "r"), digest("b", "ra"));
    }

    #[test]
    fn entries_expire_with_their_token() {
        let cache = TokenCache::new(10, Duration::from_secs(300));
        cache.insert(digest("expired", ""), principal(Some(unix_now() - 1)));
        assert!(cache.get(&digest("expired", "")).is_none());
        cache.insert(digest("live", ""), principal(Some(unix_now() + 100)));
        assert!(cache.get(&digest("live", "")).is_some());
        let none = TokenCache::new(10, Duration::ZERO);
        none.insert(digest("live", ""), principal(None));
        assert!(none.get(&digest("live", "")).is_none());
    }

    #[test]
    fn stays_bounded() {
        let cache = TokenCache::new(64, Duration::from_secs(300));
        for i in 0..1000 {
            cache.insert(digest(&i.to_string(), ""), principal(None));
            assert!(cache.len() <= 64);
        }
        assert!(cache.get(&digest("999", "")).is_some());
    }
}
