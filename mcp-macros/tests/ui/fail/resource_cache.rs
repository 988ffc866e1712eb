use quickmcp::prelude::*;

/// Negative.
#[resource("shop://a", ttl_ms = -1)]
fn a() -> &'static str {
    "a"
}

/// A string.
#[resource("shop://b", ttl_ms = "60s", cache_scope = "shared")]
fn b() -> &'static str {
    "b"
}

/// Not a string.
#[resource("shop://c", ttl_ms = 1.5, cache_scope = private)]
fn c() -> &'static str {
    "c"
}

fn main() {}
