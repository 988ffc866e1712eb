//! The engine of [quickmcp](https://docs.rs/quickmcp): MCP protocol types, the tool registry,
//! request dispatch, sessions and the stdio transport. Nothing here knows about HTTP servers;
//! `quickmcp-http` drives the same [`McpServer`] over axum.
//!
//! Most users depend on the `quickmcp` facade instead of this crate.
//!
//! ## Observability
//! Each request gets one `tracing` span, `mcp.request` (target `quickmcp::request`, DEBUG),
//! with the OpenTelemetry semantic conventions for MCP as fields. The `otel` feature (off by
//! default: no OpenTelemetry dependency without it) adds:
//! - the `mcp.server.operation.duration` and `mcp.server.session.duration` histograms
//!   (seconds), from the global meter provider's `quickmcp` meter, or the meter given to
//!   `McpServer::set_meter`;
//! - trace context: the span's parent is the client's span named by `traceparent` and
//!   `tracestate` in `params._meta`, once a `tracing-opentelemetry` layer is installed.
//!
//! `docs/observability.md` lists every field and attribute and shows how to wire an exporter.

// Floors, each importing only from those above it in this list (tests/floors.rs checks it):
// wire, data, plumbing, handler API, registry, engine parts, service, server, transports.
mod cursor;
pub mod error;
pub mod jsonrpc;
pub mod protocol;
mod schema;

#[cfg(feature = "otel")]
mod otel;
mod principal;
mod sink;
mod visibility;

mod exchange;
pub mod session;

pub mod extract;
mod guard;
mod handler;
mod log_bridge;
mod response;

mod registry;

mod notify;
pub mod tasks;

mod service;

pub mod layer;
mod server;

mod transport;

pub use error::{McpError, Rejection};
pub use exchange::{ClientExchange, ClientRequest, ExchangeError, ExchangeFuture};
pub use extract::completion::Completer;
pub use extract::prompt::PromptParam;
pub use extract::resource::ResourceParam;
pub use extract::{Args, Arguments, Context, Extension, FromCallContext, State, ToolParam};
pub use extract::{HeaderArgument, InputSchema};
pub use handler::{CallContext, CallControl, RequestCx, TaskControl};
pub use log_bridge::McpLogLayer;
pub use notify::{ListenFilter, Subscription};
pub use principal::{Principal, PrincipalId, ScopeGate, ScopePolicy};
pub use protocol::completion::{Completion, CompletionContext};
pub use protocol::content::{Annotations, CallToolResult, Content, ResourceContents, ResourceLink};
pub use protocol::elicitation::{ElicitAction, ElicitResult, Elicitation};
pub use protocol::initialize::ServerInfo;
pub use protocol::prompts::PromptArguments;
pub use protocol::prompts::{GetPromptResult, PromptArgument, PromptDefinition, PromptMessage};
pub use protocol::resources::{ReadResourceResult, ResourceDefinition, ResourceTemplateDefinition};
pub use protocol::roots::Root;
pub use protocol::sampling::{CreateMessageParams, CreateMessageResult, SamplingMessage};
pub use protocol::v2026::{CacheHint, CacheScope, RequestMeta};
pub use protocol::{Era, Icon, ListKind, LoggingLevel, ProtocolVersion, Role};
pub use registry::prompt::PromptHandler;
pub use registry::resource::{ResourceHandler, ResourceTemplateHandler};
pub use registry::tool::{
    IntoInputSchema, IntoToolBox, ToolBox, ToolDefinition, ToolFuture, ToolHandler,
};
pub use registry::uri_template::{UriTemplate, UriVars};
pub use registry::{RegisterError, Reply};
pub use response::{IntoGetPromptResult, IntoResourceContents, IntoToolResult, Structured};
pub use server::{McpServer, Resource, ServerStats, StaticResource, TemplateResource};
pub use service::{
    answer_message, BoxMcpService, Inbound, Loading, McpRequest, McpResponse, McpService, Outgoing,
    Prepared, Running,
};
pub use session::{Connection, Session, SessionConfig, SessionManager, SessionRef};
pub use sink::MessageSink;
pub use transport::stdio::{serve_lines, serve_stdio, EOF_GRACE, MAX_LINE};
pub use visibility::Selector;

/// What the facade's generated code and the sibling crates (quickmcp-http, the fuzz targets)
/// need and users do not. Not a public API: exempt from semver, it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::exchange::{PendingRequests, DEFAULT_TIMEOUT};
    pub use crate::registry::tool::{is_valid_tool_name, ToolResponse};
    pub use crate::response::read_result;
    pub use crate::schema::elicitation::{elicitation_schema, restrict, ElicitSchemaError};
    pub use crate::schema::{
        generator, is_object_schema, property_schema, root_schema, wrap_result_schema,
    };
}
