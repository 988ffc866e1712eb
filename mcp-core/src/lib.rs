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
pub mod headers;
pub mod jsonrpc;
pub mod log_bridge;
pub mod modern;
pub mod protocol;
pub mod registry;
pub mod response;
pub mod schema;
pub mod server;
pub mod session;
pub mod stdio;
pub mod subscriptions;
pub mod tasks;

pub use dispatch::{InitializeRefused, Initialized, SessionMode};
pub use error::McpError;
pub use exchange::{ClientExchange, ExchangeError, Inbound, MessageSink, RequestContext};
pub use extract::completion::Completer;
pub use extract::prompt::PromptParam;
pub use extract::resource::ResourceParam;
pub use extract::{Args, Arguments, Context, Extension, FromCallContext, State, ToolParam};
pub use headers::HeaderArgument;
pub use modern::{CacheHint, CacheScope, ModernMeta};
pub use protocol::completion::{Completion, CompletionContext};
pub use protocol::content::{Annotations, CallToolResult, Content, ResourceContents, ResourceLink};
pub use protocol::elicitation::{ElicitAction, ElicitResult, Elicitation};
pub use protocol::prompts::{GetPromptResult, PromptArgument, PromptDefinition, PromptMessage};
pub use protocol::resources::{ReadResourceResult, ResourceDefinition, ResourceTemplateDefinition};
pub use protocol::roots::Root;
pub use protocol::sampling::{CreateMessageParams, CreateMessageResult, SamplingMessage};
pub use protocol::{Icon, LoggingLevel, ProtocolVersion, Role};
pub use registry::prompt::{PromptArguments, PromptHandler};
pub use registry::resource::{Resource, ResourceHandler, ResourceTemplateHandler};
pub use registry::tool::{
    InputSchema, IntoToolBox, ToolBox, ToolDefinition, ToolFuture, ToolHandler,
};
pub use registry::uri_template::{UriTemplate, UriVars};
pub use registry::visibility::Selector;
pub use registry::{RegisterError, Reply};
pub use response::{IntoGetPromptResult, IntoResourceContents, IntoToolResult, Structured};
pub use server::ListKind;
pub use server::{McpServer, ServerInfo};
pub use session::{Session, SessionConfig, SessionManager};
pub use subscriptions::{ListenFilter, Subscription};
