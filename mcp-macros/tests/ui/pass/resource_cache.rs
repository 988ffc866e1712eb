use quickmcp::prelude::*;
use quickmcp::{CacheScope, ResourceHandler, ResourceTemplateHandler};

/// The price list: the same for everyone, fresh for a minute.
#[resource("shop://prices", ttl_ms = 60_000, cache_scope = "public")]
fn prices() -> &'static str {
    "apples: 1"
}

/// One user's basket: only its owner may reuse it.
#[resource("shop://baskets/{user}", cache_scope = "private")]
fn basket(user: String) -> String {
    format!("{user}: empty")
}

/// No hints: the server's.
#[resource("shop://about")]
fn about() -> &'static str {
    "a shop"
}

fn main() {
    let hint = ResourceHandler::definition(&prices).cache;
    assert_eq!((hint.ttl_ms, hint.scope), (Some(60_000), Some(CacheScope::Public)));
    let hint = ResourceTemplateHandler::definition(&basket).cache;
    assert_eq!((hint.ttl_ms, hint.scope), (None, Some(CacheScope::Private)));
    assert_eq!(ResourceHandler::definition(&about).cache, Default::default());
    let _ = Server::new("x").resource(prices).resource(basket).resource(about);
}
