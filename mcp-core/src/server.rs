//! [`McpServer`]: the transport-agnostic engine every transport drives.

mod headers;
mod lists;
mod visibility;

use std::sync::Arc;

use arc_swap::ArcSwap;
use http::Extensions;
use parking_lot::{Mutex, RwLock};

use crate::exchange::PendingRequests;
use crate::protocol::initialize::{
    EmptyObject, Implementation, ListChanged, ResourcesCapability, ServerCapabilities,
};
use crate::protocol::Icon;
use crate::registry::prompt::RegisteredPrompt;
use crate::registry::resource::{RegisteredResource, RegisteredTemplate};
use crate::registry::tool::{RegisterError, ToolBox, ToolHandler, ToolRegistry};
use crate::registry::Registry;
use crate::session::{SessionConfig, SessionManager};
use crate::visibility::TagFilter;

pub use crate::protocol::ListKind;

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
    pub(crate) resources: Registry<RegisteredResource>,
    pub(crate) templates: Registry<RegisteredTemplate>,
    pub(crate) prompts: Registry<RegisteredPrompt>,
    pub(crate) sessions: Arc<SessionManager>,
    pub(crate) state: ArcSwap<Extensions>,
    pub(crate) pending: Arc<PendingRequests>,
    /// The server-wide tag filter, applied to every registry.
    pub(crate) filter: Mutex<TagFilter>,
    pub(crate) cache: crate::modern::CacheHints,
    pub(crate) listeners: crate::subscriptions::Listeners,
    /// `serverInfo` serialized once for the 2026 wire's results; cleared when it changes.
    pub(crate) info_json: arc_swap::ArcSwapOption<bytes::Bytes>,
    /// The capabilities and the `initialize` result after its version, for the registries'
    /// generations; cleared when the identity changes.
    pub(crate) init_cache: arc_swap::ArcSwapOption<InitCache>,
    /// Signs the 2026 wire's `requestState` (MRTR).
    pub(crate) state_key: Mutex<crate::exchange::StateKey>,
    /// How old a `requestState` may be, in milliseconds.
    pub(crate) state_max_age_ms: std::sync::atomic::AtomicU64,
    /// The tasks extension: task store and running tasks.
    pub(crate) tasks: crate::tasks::Tasks,
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
                resources: Registry::default(),
                templates: Registry::default(),
                prompts: Registry::default(),
                sessions: Arc::new(SessionManager::default()),
                state: ArcSwap::from_pointee(Extensions::new()),
                pending: Arc::default(),
                filter: Mutex::default(),
                cache: Default::default(),
                listeners: Default::default(),
                info_json: Default::default(),
                init_cache: Default::default(),
                state_key: Mutex::default(),
                state_max_age_ms: std::sync::atomic::AtomicU64::new(
                    crate::exchange::DEFAULT_STATE_MAX_AGE.as_millis() as u64,
                ),
                tasks: crate::tasks::Tasks::default(),
            }),
        }
    }

    /// A copy of the server's identity.
    pub fn info(&self) -> ServerInfo {
        self.inner.info.read().clone()
    }

    /// Changes the server's identity (name, title, version, icons, instructions).
    pub fn configure_info(&self, change: impl FnOnce(&mut ServerInfo)) {
        let mut info = self.inner.info.write();
        change(&mut info);
        self.inner.info_json.store(None);
        self.inner.init_cache.store(None);
    }

    /// Adds an icon to `serverInfo`.
    pub fn add_icon(&self, icon: Icon) {
        let mut info = self.inner.info.write();
        info.implementation.icons.push(icon);
        self.inner.info_json.store(None);
        self.inner.init_cache.store(None);
    }

    /// Registers a tool; connected sessions get `notifications/tools/list_changed`.
    pub fn add_tool(&self, tool: Arc<dyn ToolHandler>) -> Result<(), RegisterError> {
        self.inner.tools.add(tool)?;
        self.notify_list_changed(ListKind::Tools);
        Ok(())
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

    /// Splits the four list results (`tools/list`, `resources/list`,
    /// `resources/templates/list`, `prompts/list`) into pages of `size` items (default: one
    /// page).
    pub fn set_page_size(&self, size: usize) {
        self.inner.tools.set_page_size(size);
        self.inner.resources.set_page_size(size);
        self.inner.templates.set_page_size(size);
        self.inner.prompts.set_page_size(size);
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
        self.init_cache().capabilities.clone()
    }

    /// The capabilities and the serialized `initialize` result, derived again only after the
    /// registries or the identity changed (`initialize` runs once per session: churn).
    pub(crate) fn init_cache(&self) -> Arc<InitCache> {
        let inner = &self.inner;
        // Read before deriving: a change meanwhile leaves the entry stale, never wrong.
        let generations = [
            inner.tools.generation(),
            inner.resources.generation(),
            inner.templates.generation(),
            inner.prompts.generation(),
        ];
        if let Some(cache) = inner.init_cache.load_full() {
            if cache.generations == generations {
                return cache;
            }
        }
        // Built under the read lock, so that an identity change (under the write lock) clears
        // it after.
        let info = inner.info.read();
        let capabilities = self.derive_capabilities();
        let tail = InitializeTail {
            capabilities: &capabilities,
            server_info: &info.implementation,
            instructions: info.instructions.as_deref(),
        };
        let cache = Arc::new(InitCache {
            generations,
            tail: serde_json::to_vec(&tail).unwrap_or_default().into(),
            capabilities,
        });
        inner.init_cache.store(Some(cache.clone()));
        cache
    }

    fn derive_capabilities(&self) -> ServerCapabilities {
        let inner = &self.inner;
        let listed = ListChanged { list_changed: true };
        let has_resources = inner.resources.has_entries() || inner.templates.has_entries();
        let completes = inner.templates.any(|t| t.handler.has_completions())
            || inner.prompts.any(|p| p.handler.has_completions());
        ServerCapabilities {
            tools: inner.tools.has_entries().then_some(listed),
            resources: has_resources.then_some(ResourcesCapability {
                subscribe: true,
                list_changed: true,
            }),
            prompts: inner.prompts.has_entries().then_some(listed),
            completions: completes.then_some(EmptyObject {}),
            logging: Some(EmptyObject {}),
        }
    }
}

/// What [`McpServer::init_cache`] keeps.
pub(crate) struct InitCache {
    generations: [u64; 4],
    pub(crate) capabilities: ServerCapabilities,
    /// `{"capabilities":…,"serverInfo":…}`: the `initialize` result without its version.
    pub(crate) tail: bytes::Bytes,
}

/// [`InitializeResult`](crate::protocol::initialize::InitializeResult) after
/// `protocolVersion`, in the same order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct InitializeTail<'a> {
    capabilities: &'a ServerCapabilities,
    server_info: &'a Implementation,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
}

impl std::fmt::Debug for McpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServer")
            .field("name", &self.inner.info.read().implementation.name)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::SessionMode;
    use crate::extract::Arguments;
    use crate::jsonrpc::{Message, Request};
    use crate::protocol::initialize::InitializeResult;
    use crate::registry::tool::{ToolDefinition, ToolFuture};
    use crate::RequestContext;

    struct Named(&'static str);

    impl ToolHandler for Named {
        fn definition(&self) -> ToolDefinition {
            ToolDefinition::new(self.0, "T.")
        }
        fn call(&self, _: Arguments<'_>, _: &RequestContext) -> ToolFuture {
            ToolFuture::ready("ok")
        }
    }

    fn initialize_request() -> Request {
        let line = br#"{"jsonrpc":"2.0","id":"i","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}"#;
        let Ok(Message::Request(request)) = Message::parse(line) else {
            panic!("an initialize request")
        };
        request
    }

    /// `initialize` as it was serialized before the cache: the reference.
    fn serialized_afresh(server: &McpServer, request: &Request) -> bytes::Bytes {
        let info = server.inner.info.read();
        let capabilities = server.derive_capabilities();
        let version = crate::protocol::ProtocolVersion::parse("2025-06-18").unwrap();
        let result = InitializeResult {
            protocol_version: version,
            capabilities: &capabilities,
            server_info: &info.implementation,
            instructions: info.instructions.as_deref(),
        };
        crate::jsonrpc::response(&request.id, &result)
    }

    #[test]
    fn the_cached_initialize_result_follows_the_registry_and_the_identity() {
        let server = McpServer::new("demo");
        let request = initialize_request();
        let answer = |server: &McpServer| {
            let done = server.initialize(&request, SessionMode::None).unwrap();
            assert_eq!(done.response, serialized_afresh(server, &request));
            String::from_utf8(done.response.to_vec()).unwrap()
        };
        let bare = answer(&server);
        assert!(!bare.contains(r#""tools""#), "{bare}");
        server.add_tool(Arc::new(Named("one"))).unwrap();
        let with_tool = answer(&server);
        assert!(
            with_tool.contains(r#""tools":{"listChanged":true}"#),
            "{with_tool}"
        );
        server.configure_info(|info| info.instructions = Some("Use \"one\".".into()));
        let instructed = answer(&server);
        assert!(
            instructed.contains(r#""instructions":"Use \"one\".""#),
            "{instructed}"
        );
        assert!(server.remove_tool("one"));
        assert!(!answer(&server).contains(r#""tools""#));
        assert!(server.capabilities().tools.is_none());
    }
}
