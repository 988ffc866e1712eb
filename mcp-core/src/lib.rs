//! The engine of [quickmcp](https://docs.rs/quickmcp): MCP protocol types, the tool registry,
//! request dispatch, sessions and the stdio transport. Nothing here knows about HTTP servers;
//! `quickmcp-http` drives the same [`McpServer`] over axum.
//!
//! Most users depend on the `quickmcp` facade instead of this crate.

mod cursor;
pub mod dispatch;
pub mod error;
pub mod exchange;
pub mod extract;
mod guard;
pub mod jsonrpc;
pub mod log_bridge;
pub mod modern;
mod principal;
pub mod protocol;
pub mod registry;
pub mod response;
pub mod schema;
pub mod server;
pub mod session;
mod sink;
pub mod stdio;
pub mod subscriptions;
pub mod tasks;
pub mod visibility;

pub use dispatch::{InitializeRefused, Initialized, SessionMode};
pub use error::McpError;
pub use exchange::{ClientExchange, ExchangeError, Inbound, RequestContext};
pub use extract::completion::Completer;
pub use extract::prompt::PromptParam;
pub use extract::resource::ResourceParam;
pub use extract::HeaderArgument;
pub use extract::{Args, Arguments, Context, Extension, FromCallContext, State, ToolParam};
pub use principal::{Principal, PrincipalId};
pub use protocol::completion::{Completion, CompletionContext};
pub use protocol::content::{Annotations, CallToolResult, Content, ResourceContents, ResourceLink};
pub use protocol::elicitation::{ElicitAction, ElicitResult, Elicitation};
pub use protocol::prompts::{GetPromptResult, PromptArgument, PromptDefinition, PromptMessage};
pub use protocol::resources::{ReadResourceResult, ResourceDefinition, ResourceTemplateDefinition};
pub use protocol::roots::Root;
pub use protocol::sampling::{CreateMessageParams, CreateMessageResult, SamplingMessage};
pub use protocol::v2026::{CacheHint, CacheScope, RequestMeta};
pub use protocol::{Icon, ListKind, LoggingLevel, ProtocolVersion, Role};
pub use registry::prompt::{PromptArguments, PromptHandler};
pub use registry::resource::{Resource, ResourceHandler, ResourceTemplateHandler};
pub use registry::tool::{
    InputSchema, IntoToolBox, ToolBox, ToolDefinition, ToolFuture, ToolHandler,
};
pub use registry::uri_template::{UriTemplate, UriVars};
pub use registry::{RegisterError, Reply};
pub use response::{IntoGetPromptResult, IntoResourceContents, IntoToolResult, Structured};
pub use server::{McpServer, ServerInfo};
pub use session::{Session, SessionConfig, SessionManager};
pub use sink::MessageSink;
pub use subscriptions::{ListenFilter, Subscription};
pub use visibility::Selector;
