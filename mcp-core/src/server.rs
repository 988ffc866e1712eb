//! [`McpServer`]: the transport-agnostic engine every transport drives.

use std::sync::Arc;

use arc_swap::ArcSwap;
use http::Extensions;
use parking_lot::RwLock;

use crate::exchange::PendingRequests;
use crate::protocol::initialize::{EmptyObject, Implementation, ListChanged, ServerCapabilities};
use crate::protocol::Icon;
use crate::registry::tool::{RegisterError, ToolBox, ToolHandler, ToolRegistry};
use crate::session::{SessionConfig, SessionManager};

/// Who the server says it is in `initialize`.
#[derive(Debug, Clone)]
pub struct ServerInfo {
    /// `serverInfo` (name, title, version, icons, website).
    pub implementation: Implementation,
    /// `instructions` for the model.
    pub instructions: Option<String>,
}

/// The engine: registry, sessions and dispatch, shared by every transport serving it.
///
/// Cloning is cheap and every clone is the same server, so one server can be served over
/// stdio and HTTP, or mounted at several paths, with one set of sessions.
///
/// ```
/// use quickmcp_core::McpServer;
///
/// let server = McpServer::new("demo");
/// assert_eq!(server.info().implementation.name, "demo");
/// ```
#[derive(Clone)]
pub struct McpServer {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) info: RwLock<ServerInfo>,
    pub(crate) tools: ToolRegistry,
    pub(crate) sessions: Arc<SessionManager>,
    pub(crate) state: ArcSwap<Extensions>,
    pub(crate) pending: Arc<PendingRequests>,
}

impl McpServer {
    /// A server named `name`, with the crate's version as its version until you set one.
    pub fn new(name: impl Into<String>) -> Self {
        let implementation = Implementation {
            name: name.into(),
            title: None,
            version: "0.1.0".into(),
            icons: Vec::new(),
            website_url: None,
        };
        Self {
            inner: Arc::new(Inner {
                info: RwLock::new(ServerInfo {
                    implementation,
                    instructions: None,
                }),
                tools: ToolRegistry::default(),
                sessions: Arc::new(SessionManager::default()),
                state: ArcSwap::from_pointee(Extensions::new()),
                pending: Arc::default(),
            }),
        }
    }

    /// A copy of the server's identity.
    pub fn info(&self) -> ServerInfo {
        self.inner.info.read().clone()
    }

    /// Changes the server's identity (name, title, version, icons, instructions).
    pub fn configure_info(&self, change: impl FnOnce(&mut ServerInfo)) {
        change(&mut self.inner.info.write());
    }

    /// Adds an icon to `serverInfo`.
    pub fn add_icon(&self, icon: Icon) {
        self.inner.info.write().implementation.icons.push(icon);
    }

    /// Registers a tool.
    pub fn add_tool(&self, tool: Arc<dyn ToolHandler>) -> Result<(), RegisterError> {
        self.inner.tools.add(tool)
    }

    /// Registers every `#[tool]` method of a `#[tools]` impl block.
    pub fn add_tools<T: ToolBox>(&self, toolbox: Arc<T>) -> Result<(), RegisterError> {
        toolbox
            .tools()
            .into_iter()
            .try_for_each(|tool| self.add_tool(tool))
    }

    /// Makes `value` available to tools as `State<T>`.
    pub fn insert_state<T: Clone + Send + Sync + 'static>(&self, value: T) {
        self.inner.state.rcu(|state| {
            let mut next = Extensions::clone(state);
            next.insert(value.clone());
            next
        });
    }

    /// Splits `tools/list` into pages of `size` tools (default: one page).
    pub fn set_page_size(&self, size: usize) {
        self.inner.tools.set_page_size(size);
    }

    /// The server's sessions.
    pub fn sessions(&self) -> &Arc<SessionManager> {
        &self.inner.sessions
    }

    /// Replaces the session limits.
    pub fn configure_sessions(&self, config: SessionConfig) {
        self.inner.sessions.configure(config);
    }

    /// What `initialize` advertises, derived from what is registered.
    pub fn capabilities(&self) -> ServerCapabilities {
        let has_tools = !self.inner.tools.snapshot().is_empty();
        ServerCapabilities {
            tools: has_tools.then_some(ListChanged {
                list_changed: false,
            }),
            logging: Some(EmptyObject {}),
        }
    }
}

impl std::fmt::Debug for McpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServer")
            .field("name", &self.inner.info.read().implementation.name)
            .finish_non_exhaustive()
    }
}
