//! # quickmcp
//!
//! Write MCP servers in Rust with as little ceremony as Python's FastMCP: put `#[tool]` on a
//! plain function, get an axum [`Router`](axum::Router) you can mount anywhere, or run over stdio.
//!
//! ```no_run
//! use quickmcp::prelude::*;
//!
//! /// Say hello to someone.
//! #[tool]
//! fn hello(name: String) -> String {
//!     format!("Hello, {name}!")
//! }
//!
//! #[custom_route("/health", methods = ["GET"])]
//! async fn health() -> Json<serde_json::Value> {
//!     Json(serde_json::json!({"status": "healthy"}))
//! }
//!
//! #[tokio::main]
//! async fn main() -> quickmcp::Result<()> {
//!     let mcp = Server::new("MyServer").tool(hello).route(health);
//!     mcp.run_http("127.0.0.1:8000").await // or mcp.run().await for stdio
//! }
//! ```
//!
//! ## Resources and prompts
//!
//! `#[resource("scheme://path")]` serves what a function returns (text, bytes, JSON); a URI
//! with `{placeholders}` makes a template whose placeholders are typed parameters.
//! `#[prompt]` turns a function's parameters into prompt arguments. `complete(name = f)` on
//! either suggests values through `completion/complete`.
//!
//! ```no_run
//! use quickmcp::prelude::*;
//!
//! /// One user's profile.
//! #[resource("users://{id}/profile", complete(id = ids))]
//! fn profile(id: u32) -> Structured<serde_json::Value> {
//!     Structured(serde_json::json!({ "id": id }))
//! }
//!
//! fn ids(prefix: &str) -> Vec<String> {
//!     (1..=9).map(|i| i.to_string()).filter(|i| i.starts_with(prefix)).collect()
//! }
//!
//! /// Ask for a summary.
//! #[prompt]
//! fn summarize(text: String, words: Option<u32>) -> String {
//!     format!("Summarize in {} words:\n{text}", words.unwrap_or(50))
//! }
//!
//! # async fn run() -> quickmcp::Result<()> {
//! let server = Server::new("MyServer").resource(profile).prompt(summarize);
//! server.notify_resource_updated("users://1/profile"); // to subscribers
//! server.run_http("127.0.0.1:8000").await
//! # }
//! ```
//!
//! ## Features
//! - `http` (default): the axum app ([`Server::http_app`]), [`Server::run_http`] and
//!   `#[custom_route]`. Without it, a stdio server compiles no HTTP stack.
//! - `auth`: the HTTP endpoint as an OAuth 2.1 resource server ([`auth`]): bearer tokens
//!   checked on every MCP request (JWT with a JWKS, or RFC 7662 introspection), Protected
//!   Resource Metadata, sessions bound to their principal, the [`Principal`] in tools.
//! - `otel`: OpenTelemetry. The `mcp.server.operation.duration` and
//!   `mcp.server.session.duration` histograms of the semantic conventions for MCP, from the
//!   global meter provider or the meter given to `Server::meter`; and the `mcp.request` span
//!   made a child of the client's span named by `traceparent`/`tracestate` in `params._meta`,
//!   once a `tracing-opentelemetry` layer is installed (`docs/observability.md`).

mod error;
mod listen;
mod server;

pub use error::{Error, Result};
pub use listen::listen_addr;
pub use quickmcp_core::{
    Annotations, Args, CacheScope, CallContext, CallToolResult, Completer, CompletionContext,
    Content, Context, Era, Extension, FromCallContext, GetPromptResult, HeaderArgument, Icon,
    IntoGetPromptResult, IntoResourceContents, IntoToolBox, IntoToolResult, ListKind, LoggingLevel,
    McpError, McpRequest, McpResponse, McpServer, McpService, Principal, PrincipalId,
    PromptArguments, PromptHandler, PromptMessage, ProtocolVersion, ReadResourceResult, Rejection,
    Reply, RequestCx, Resource, ResourceContents, ResourceDefinition, ResourceHandler,
    ResourceTemplateDefinition, ResourceTemplateHandler, Role, Selector, ServerStats, Session,
    SessionConfig, State, Structured, ToolBox, ToolDefinition, ToolFuture, ToolHandler, UriVars,
};
pub use quickmcp_core::{
    CreateMessageParams, CreateMessageResult, ElicitAction, ElicitResult, Elicitation,
    ExchangeError, Root, SamplingMessage,
};
pub use quickmcp_macros::{prompt, resource, tool, tools};
pub use server::{shutdown_signal, Server};

#[cfg(feature = "http")]
pub use quickmcp_http::{CustomRoute, HttpOptions, Route, Transport};
#[cfg(feature = "http")]
pub use quickmcp_macros::custom_route;

/// The protocol engine, for hand-written handlers and transports.
pub use quickmcp_core as core;
/// quickmcp's own MCP-level layers, for [`Server::layer`].
pub use quickmcp_core::layer;
/// The HTTP transports.
#[cfg(feature = "http")]
pub use quickmcp_http as http;
/// The MCP endpoint as an OAuth 2.1 resource server: [`HttpOptions::auth`] and its parts.
#[cfg(feature = "auth")]
pub use quickmcp_http::auth;

/// Everything a server file needs: `use quickmcp::prelude::*;`.
pub mod prelude {
    pub use crate::{
        prompt, resource, tool, tools, Args, CallToolResult, CompletionContext, Content, Context,
        Extension, GetPromptResult, McpError, Principal, PromptMessage, ResourceContents, Role,
        Selector, Server, State, Structured,
    };
    pub use crate::{Elicitation, ExchangeError};
    pub use schemars::JsonSchema;
    pub use serde::{Deserialize, Serialize};

    #[cfg(feature = "http")]
    pub use crate::{custom_route, HttpOptions, Transport};
    #[cfg(feature = "http")]
    pub use axum::Json;
}

/// What macro-generated code refers to. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use quickmcp_core::__private::read_result;
    pub use quickmcp_core::extract::completion::complete;
    pub use quickmcp_core::extract::prompt::{declare_prompt_param, extract_prompt_param};
    pub use quickmcp_core::extract::resource::inject;
    pub use quickmcp_core::extract::{ExtractCx, ExtractError, Param};
    pub use quickmcp_core::tasks::TaskSupport;
    pub use quickmcp_core::{
        Annotations, Arguments, CacheScope, CallContext, CallToolResult, CompletionContext,
        GetPromptResult, Icon, InputSchema, IntoGetPromptResult, IntoInputSchema,
        IntoResourceContents, IntoToolResult, McpError, PromptArguments, PromptDefinition,
        PromptHandler, ReadResourceResult, Reply, ResourceDefinition, ResourceHandler,
        ResourceTemplateDefinition, ResourceTemplateHandler, ToolBox, ToolDefinition, ToolFuture,
        ToolHandler, UriVars,
    };
    pub use schemars;
    pub use serde;
    pub use serde_json;
    pub use std::sync::Arc;
    pub use std::vec::Vec;

    #[cfg(feature = "http")]
    pub use axum;
    #[cfg(feature = "http")]
    pub use quickmcp_http::{CustomRoute, Route};

    /// Turns an extraction failure into the call's outcome: bad arguments are a tool error
    /// result (`isError: true`), a rejected injection a JSON-RPC error.
    pub fn extract_failed(error: ExtractError) -> ToolFuture {
        match error {
            ExtractError::Argument(text) => ToolFuture::Ready(Ok(CallToolResult::error(text))),
            ExtractError::Rejected(error) => ToolFuture::Ready(Err(error)),
        }
    }
}
