//! quickmcp's HTTP transports as an axum [`Router`](axum::Router): Streamable HTTP (MCP
//! 2025-03-26 to 2025-11-25 sessions and the stateless 2026-07-28 wire, on one endpoint), the
//! legacy HTTP+SSE transport (2024-11-05), and custom routes. One app can serve all of them:
//! [`HttpOptions::legacy_sse`].
//!
//! [`router`] builds the app from a [`McpServer`](quickmcp_core::McpServer); it owns no
//! lifecycle, so it can be nested at any path of any axum app. [`serve`] runs it with
//! `TCP_NODELAY` and a graceful shutdown.

#[cfg(feature = "auth")]
pub mod auth;
mod layer;
mod options;
mod response;
mod route;
mod router;
mod serve;
mod sse;
mod sse_legacy;
mod state;
mod streamable;
mod v2026;

pub use options::{HttpOptions, Transport};
pub use response::HttpError;
pub use route::{CustomRoute, Route};
pub use router::router;
pub use serve::{serve, GRACE_PERIOD};
