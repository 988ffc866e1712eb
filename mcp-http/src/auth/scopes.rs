//! Scopes: which granted scope covers which required one ([`ScopeMatcher`]), and what a
//! principal lacks for an operation. The endpoint-wide check
//! ([`AuthConfigBuilder::required_scopes`](super::AuthConfigBuilder::required_scopes)) and the
//! engine's per-operation checks (`#[tool(scopes = [...])]`, through [`EndpointScopes`]) use
//! the same matcher and the same 403 challenge.

use std::sync::Arc;

use quickmcp_core::{Principal, Rejection, ScopeGate, ScopePolicy};

use super::{challenge, AuthConfig};

/// One endpoint's [`ScopePolicy`]: the configuration's matcher, and the 403 challenge naming
/// the metadata of the resource the request was for.
pub(crate) struct EndpointScopes {
    config: AuthConfig,
    resource: Box<str>,
}

impl EndpointScopes {
    /// The gate the authorization layer puts on each request for `resource`.
    pub(crate) fn gate(config: &AuthConfig, resource: &str) -> ScopeGate {
        ScopeGate(Arc::new(Self {
            config: config.clone(),
            resource: resource.into(),
        }))
    }
}

impl ScopePolicy for EndpointScopes {
    fn covers(&self, granted: &str, required: &str) -> bool {
        self.config.inner.matcher.covers(granted, required)
    }

    fn refuse(&self, required: &[String], missing: &[&str]) -> Rejection {
        challenge::insufficient_scope_rejection(&self.config, &self.resource, required, missing)
    }
}

/// Decides whether a granted scope covers a required one. The 2026-07-28 spec requires
/// servers to account for scope hierarchies ("a broader scope implies narrower ones").
///
/// ```
/// use quickmcp_http::auth::{ColonHierarchy, ExactScopes, ScopeMatcher};
///
/// assert!(ExactScopes.covers("files:read", "files:read"));
/// assert!(!ExactScopes.covers("files", "files:read"));
/// assert!(ColonHierarchy.covers("files", "files:read"));
/// assert!(ColonHierarchy.covers("files:read", "files:read:own"));
/// assert!(!ColonHierarchy.covers("files:read", "files"));
/// assert!(!ColonHierarchy.covers("file", "files:read"));
/// ```
pub trait ScopeMatcher: Send + Sync + 'static {
    /// Whether `granted` covers `required`.
    fn covers(&self, granted: &str, required: &str) -> bool;
}

/// Every scope covers only itself (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExactScopes;

impl ScopeMatcher for ExactScopes {
    fn covers(&self, granted: &str, required: &str) -> bool {
        granted == required
    }
}

/// `a` covers `a:b` and `a:b:c`: a scope covers itself and every scope below it in a
/// colon-separated hierarchy.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColonHierarchy;

impl ScopeMatcher for ColonHierarchy {
    fn covers(&self, granted: &str, required: &str) -> bool {
        required
            .strip_prefix(granted)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
    }
}

impl<F: Fn(&str, &str) -> bool + Send + Sync + 'static> ScopeMatcher for F {
    fn covers(&self, granted: &str, required: &str) -> bool {
        self(granted, required)
    }
}

/// The scopes of `required` that none of `principal`'s scopes covers.
///
/// ```
/// use quickmcp_core::Principal;
/// use quickmcp_http::auth::{missing_scopes, ColonHierarchy};
///
/// let p = Principal::new("iss", "alice").with_scopes(["files"]);
/// let required = ["files:read", "mail:send"];
/// assert_eq!(missing_scopes(&ColonHierarchy, &p, &required), ["mail:send"]);
/// ```
pub fn missing_scopes<'r, S: AsRef<str>>(
    matcher: &dyn ScopeMatcher,
    principal: &Principal,
    required: &'r [S],
) -> Vec<&'r str> {
    required
        .iter()
        .map(AsRef::as_ref)
        .filter(|needed| {
            !principal
                .scopes
                .iter()
                .any(|granted| matcher.covers(granted, needed))
        })
        .collect()
}
