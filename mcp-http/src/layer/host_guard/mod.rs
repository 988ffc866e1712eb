//! DNS-rebinding protection: only admit `Host` and `Origin` values that name this server, as a
//! tower layer in front of every MCP endpoint.
//!
//! A web page on an attacker's domain can make a browser send requests to a server on
//! localhost; checking both headers stops it. The 403 names the option that admits a value,
//! because a bare 403 behind a proxy costs users hours.

mod layer;

use axum::http::{header, HeaderMap, Uri};

pub(crate) use layer::HostGuardLayer;

use crate::options::HttpOptions;
use crate::response::HttpError;

const LOCAL_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// The allow-lists, fixed when the router is built.
#[derive(Debug, Clone)]
pub(crate) struct HostGuard {
    enabled: bool,
    hosts: Vec<String>,
    origins: Vec<String>,
}

impl HostGuard {
    pub(crate) fn new(options: &HttpOptions) -> Self {
        let configured = !options.allowed_hosts.is_empty() || !options.allowed_origins.is_empty();
        let public_bind = options.bound.is_some_and(|addr| !addr.ip().is_loopback());
        let enabled = options
            .rebinding_protection
            .unwrap_or(configured || !public_bind);
        Self {
            enabled,
            hosts: options
                .allowed_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            origins: options
                .allowed_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
        }
    }

    /// Checks a request's `Host` (or, without one, its URI authority) and `Origin`.
    pub(crate) fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<(), HttpError> {
        if !self.enabled {
            return Ok(());
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()));
        match host {
            Some(host) if self.host_allowed(host) => {}
            Some(host) => {
                return Err(HttpError::forbidden(format!(
                    "Host `{host}` is not allowed (DNS-rebinding protection): admit it with \
                     HttpOptions::allowed_hosts([\"{}\"]), or turn the check off with \
                     HttpOptions::dns_rebinding_protection(false)",
                    host_name(host)
                )))
            }
            None => {
                return Err(HttpError::forbidden(
                    "the request names no host (DNS-rebinding protection): send a Host header"
                        .into(),
                ))
            }
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            if !self.origin_allowed(origin) {
                return Err(HttpError::forbidden(format!(
                    "Origin `{origin}` is not allowed (DNS-rebinding protection): admit it with \
                     HttpOptions::allowed_origins([\"{origin}\"])"
                )));
            }
        }
        Ok(())
    }

    // Compared without case in place: the allow-lists are lowercase already, and a lowercased
    // copy of the header would cost an allocation per request.
    fn host_allowed(&self, host: &str) -> bool {
        let name = host_name(host);
        LOCAL_HOSTS
            .iter()
            .any(|local| local.eq_ignore_ascii_case(name))
            || self.hosts.iter().any(|allowed| {
                allowed.eq_ignore_ascii_case(host) || allowed.eq_ignore_ascii_case(name)
            })
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        if self
            .origins
            .iter()
            .any(|allowed| allowed == "*" || *allowed == origin)
        {
            return true;
        }
        // A local page (any port, http or https) may talk to a local server.
        origin
            .parse::<Uri>()
            .ok()
            .and_then(|uri| uri.host().map(|h| h.to_owned()))
            .is_some_and(|h| LOCAL_HOSTS.contains(&h.as_str()) || h == "::1")
    }
}

/// `example.com:8080` → `example.com`; `[::1]:80` → `[::1]`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::request::Parts;
    use axum::http::Request;

    impl HostGuard {
        fn check_parts(&self, parts: &Parts) -> Result<(), HttpError> {
            self.check(&parts.headers, &parts.uri)
        }
    }

    fn parts(host: Option<&str>, origin: Option<&str>) -> Parts {
        let mut builder = Request::builder().uri("/mcp");
        if let Some(h) = host {
            builder = builder.header(header::HOST, h);
        }
        if let Some(o) = origin {
            builder = builder.header(header::ORIGIN, o);
        }
        builder.body(()).unwrap().into_parts().0
    }

    fn guard(options: HttpOptions) -> HostGuard {
        HostGuard::new(&options)
    }

    #[test]
    fn admits_local_hosts_and_origins_on_any_port() {
        let g = guard(HttpOptions::new());
        for host in ["localhost:8000", "127.0.0.1", "[::1]:9", "LOCALHOST"] {
            assert!(g.check_parts(&parts(Some(host), None)).is_ok(), "{host}");
        }
        assert!(g
            .check_parts(&parts(Some("localhost"), Some("http://localhost:5173")))
            .is_ok());
        assert!(g
            .check_parts(&parts(Some("localhost"), Some("http://[::1]:3000")))
            .is_ok());
    }

    #[test]
    fn refuses_foreign_hosts_and_names_the_setting() {
        let g = guard(HttpOptions::new());
        let err = g
            .check_parts(&parts(Some("evil.example.com"), None))
            .unwrap_err();
        assert_eq!(err.status, 403);
        assert!(
            err.error
                .message
                .contains("allowed_hosts([\"evil.example.com\"])"),
            "{}",
            err.error.message
        );
        let err = g
            .check_parts(&parts(Some("localhost"), Some("http://evil.example.com")))
            .unwrap_err();
        assert!(err.error.message.contains("allowed_origins"));
    }

    #[test]
    fn allow_lists_widen_it() {
        let g = guard(
            HttpOptions::new()
                .allowed_hosts(["mcp.example.com"])
                .allowed_origins(["https://app.example.com"]),
        );
        assert!(g
            .check_parts(&parts(
                Some("mcp.example.com:443"),
                Some("https://app.example.com")
            ))
            .is_ok());
        assert!(g.check_parts(&parts(Some("MCP.Example.COM"), None)).is_ok());
        assert!(g
            .check_parts(&parts(Some("other.example.com"), None))
            .is_err());
    }

    #[test]
    fn falls_back_to_the_uri_authority() {
        let g = guard(HttpOptions::new());
        let mut p = parts(None, None);
        p.uri = "http://localhost:8000/mcp".parse().unwrap();
        assert!(g.check_parts(&p).is_ok());
        p.uri = "http://evil.example.com/mcp".parse().unwrap();
        assert!(g.check_parts(&p).is_err());
    }

    #[test]
    fn public_binds_turn_it_off_unless_configured() {
        let public = "0.0.0.0:80".parse().unwrap();
        assert!(guard(HttpOptions::new().bound_to(public))
            .check_parts(&parts(Some("example.com"), None))
            .is_ok());
        let forced = HttpOptions::new()
            .bound_to(public)
            .dns_rebinding_protection(true);
        assert!(guard(forced)
            .check_parts(&parts(Some("example.com"), None))
            .is_err());
    }
}
