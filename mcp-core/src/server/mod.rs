//! [`McpServer`]: the handle users hold. Registration, configuration and the visibility API
//! live here; serving is the [`McpService`]'s.

mod config;
mod headers;
mod lists;
mod resource;
mod visibility;

use std::any::TypeId;
use std::sync::Arc;

use http::Extensions;
use tower::layer::util::Identity;
use tower::{BoxError, Layer, Service, ServiceExt};

use crate::protocol::initialize::{ServerCapabilities, ServerInfo};
use crate::protocol::{Icon, ListKind};
use crate::registry::tool::{RegisterError, ToolBox, ToolHandler};
use crate::service::{BoxMcpService, Engine, McpRequest, McpResponse, McpService};
use crate::session::{SessionConfig, SessionManager, SessionStore};

pub use resource::{Resource, StaticResource, TemplateResource};

/// A server: what it serves (tools, resources, prompts), how it is configured, and the
/// [`McpService`] every transport serves it through.
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
    pub(crate) engine: Arc<Engine>,
}

impl McpServer {
    /// A server named `name`, with the crate's version as its version until you set one.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            engine: Arc::new(Engine::new(name.into())),
        }
    }

    /// The entry every transport serves this server through.
    pub fn service(&self) -> McpService {
        McpService::new(self.engine.clone())
    }

    /// Applies `layer` to every MCP request on every transport: any [`tower::Layer`] over
    /// [`McpRequest`]s (`tower::timeout::TimeoutLayer`, `tower::limit::ConcurrencyLimitLayer`,
    /// `tower::limit::RateLimitLayer`, `tower::load_shed::LoadShedLayer`, your own). Each call
    /// wraps the layers added before it, so the layer added last sees a request first. The
    /// stack is built once and shared by every connection: a concurrency or rate limit counts
    /// the whole server. A layer refuses a request with a [`Rejection`](crate::Rejection)
    /// (its JSON-RPC error and HTTP status), or with any error, answered `-32603` naming it.
    /// A timeout per handler, naming it, is [`call_timeout`](Self::call_timeout)'s.
    ///
    /// Client notifications and responses (`notifications/cancelled`, the answers to a tool's
    /// `ctx.elicit`) never wait for a layer, so a full limit cannot deadlock calls that wait
    /// on their client. [`tower::layer::util::Identity`] changes nothing and is not installed:
    /// the requests keep the direct path of a server without layers.
    ///
    /// ```
    /// use std::time::Duration;
    /// use quickmcp_core::McpServer;
    ///
    /// let server = McpServer::new("demo");
    /// server.layer(tower::timeout::TimeoutLayer::new(Duration::from_secs(30)));
    /// server.layer(tower::limit::ConcurrencyLimitLayer::new(64));
    /// ```
    pub fn layer<L>(&self, layer: L)
    where
        L: Layer<BoxMcpService> + Send + Sync + 'static,
        L::Service: Service<McpRequest, Response = McpResponse> + Send + 'static,
        <L::Service as Service<McpRequest>>::Error: Into<BoxError> + 'static,
        <L::Service as Service<McpRequest>>::Future: Send + 'static,
    {
        // `Identity` (what a generic `Option<L>` or an empty `ServiceBuilder` gives) wraps
        // nothing: a shared stack would cost every request a lock and two boxes for nothing.
        if TypeId::of::<L>() == TypeId::of::<Identity>() {
            return;
        }
        self.engine.add_layer(Arc::new(move |inner| {
            BoxMcpService::new(layer.layer(inner).map_err(Into::into))
        }));
    }

    /// A copy of the server's identity.
    pub fn info(&self) -> ServerInfo {
        self.engine.info.read().clone()
    }

    /// Changes the server's identity (name, title, version, icons, instructions).
    pub fn configure_info(&self, change: impl FnOnce(&mut ServerInfo)) {
        let mut info = self.engine.info.write();
        change(&mut info);
        self.engine.identity_changed();
    }

    /// Adds an icon to `serverInfo`.
    pub fn add_icon(&self, icon: Icon) {
        self.configure_info(|info| info.implementation.icons.push(icon));
    }

    /// Registers a tool; connected sessions get `notifications/tools/list_changed`.
    pub fn add_tool(&self, tool: Arc<dyn ToolHandler>) -> Result<(), RegisterError> {
        self.engine.tools.add(tool)?;
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
        self.engine.state.rcu(|state| {
            let mut next = Extensions::clone(state);
            next.insert(value.clone());
            next
        });
    }

    /// Splits the four list results (`tools/list`, `resources/list`,
    /// `resources/templates/list`, `prompts/list`) into pages of `size` items (default: one
    /// page).
    pub fn set_page_size(&self, size: usize) {
        let engine = &self.engine;
        engine.tools.set_page_size(size);
        engine.resources.set_page_size(size);
        engine.templates.set_page_size(size);
        engine.prompts.set_page_size(size);
    }

    /// The server's sessions.
    pub fn sessions(&self) -> &Arc<SessionManager> {
        &self.engine.sessions
    }

    /// Sets where session records are kept (a
    /// [`MemorySessionStore`](crate::session::MemorySessionStore) by default): a shared store
    /// lets every replica serve every session. Set it before serving.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quickmcp_core::session::MemorySessionStore;
    ///
    /// quickmcp_core::McpServer::new("demo").set_session_store(Arc::new(MemorySessionStore::default()));
    /// ```
    pub fn set_session_store(&self, store: Arc<dyn SessionStore>) {
        self.engine.sessions.set_store(store);
    }

    /// Replaces the session limits.
    pub fn configure_sessions(&self, config: SessionConfig) {
        self.engine.sessions.configure(config);
    }

    /// What `initialize` advertises, derived from what is registered.
    pub fn capabilities(&self) -> ServerCapabilities {
        self.engine.capabilities()
    }

    /// What the server holds right now: for health endpoints, and for tests that check
    /// everything is released once clients are gone.
    ///
    /// ```
    /// let stats = quickmcp_core::McpServer::new("demo").stats();
    /// assert_eq!(stats, quickmcp_core::ServerStats::default());
    /// ```
    pub fn stats(&self) -> ServerStats {
        let engine = &self.engine;
        ServerStats {
            sessions: engine.sessions.len(),
            pending_client_requests: engine.pending.len(),
            listen_streams: engine.notify.listeners.len(),
            running_tasks: engine.tasks.running(),
            running_calls: engine
                .running_calls
                .load(std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// Counts of what a server holds ([`McpServer::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Stored sessions (Streamable HTTP), live or not yet swept.
    pub sessions: usize,
    /// Requests sent to clients (sampling, elicitation, roots) awaiting their answer.
    pub pending_client_requests: usize,
    /// Open `subscriptions/listen` streams.
    pub listen_streams: usize,
    /// Task bodies running in this process.
    pub running_tasks: usize,
    /// Handler calls (tools, resource reads, prompts) still running inside their request.
    pub running_calls: usize,
}

impl std::fmt::Debug for McpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpServer")
            .field("name", &self.engine.info.read().implementation.name)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Arguments;
    use crate::handler::CallContext;
    use crate::jsonrpc::{Message, Request};
    use crate::protocol::initialize::InitializeResult;
    use crate::registry::tool::{ToolDefinition, ToolFuture};
    use crate::service::{Inbound, Outgoing};
    use tokio::sync::Semaphore;

    struct Named(&'static str);

    impl ToolHandler for Named {
        fn definition(&self) -> ToolDefinition {
            ToolDefinition::new(self.0, "T.")
        }
        fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
            ToolFuture::ready("ok")
        }
    }

    const INITIALIZE: &[u8] = br#"{"jsonrpc":"2.0","id":"i","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}"#;

    fn initialize_request() -> Request {
        let Ok(Message::Request(request)) = Message::parse(INITIALIZE) else {
            panic!("an initialize request")
        };
        request
    }

    /// `initialize` as it was serialized before the cache: the reference.
    fn serialized_afresh(server: &McpServer, request: &Request) -> bytes::Bytes {
        let info = server.engine.info.read();
        let capabilities = server.engine.derive_capabilities();
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
    fn an_identity_layer_installs_no_stack() {
        let server = McpServer::new("demo");
        server.layer(Identity::new());
        assert!(server.engine.stack.load().is_none());
        server.layer(tower::timeout::TimeoutLayer::new(
            std::time::Duration::from_secs(9),
        ));
        assert!(server.engine.stack.load().is_some());
    }

    #[test]
    fn the_cached_initialize_result_follows_the_registry_and_the_identity() {
        let server = McpServer::new("demo");
        let request = initialize_request();
        let answer = |server: &McpServer| {
            let Outgoing::Ready(Ok(done)) = server.service().handle(INITIALIZE, Inbound::default())
            else {
                panic!("initialize is answered at once")
            };
            let body = done.into_body();
            assert_eq!(body, serialized_afresh(server, &request));
            String::from_utf8(body.to_vec()).unwrap()
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

    /// A tool that finishes once the test hands it a permit.
    struct Gate(Arc<Semaphore>);

    impl ToolHandler for Gate {
        fn definition(&self) -> ToolDefinition {
            ToolDefinition::new("gate", "Waits for the test.")
        }
        fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
            let gate = self.0.clone();
            ToolFuture::pending(async move {
                gate.acquire().await.expect("open").forget();
                "through"
            })
        }
    }

    fn call(id: u32) -> Vec<u8> {
        format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"gate"}}}}"#)
            .into_bytes()
    }

    #[tokio::test]
    async fn calls_waiting_for_a_full_limit_all_run_once_it_frees() {
        let gate = Arc::new(Semaphore::new(0));
        let server = McpServer::new("demo");
        server.add_tool(Arc::new(Gate(gate.clone()))).unwrap();
        server.layer(tower::limit::ConcurrencyLimitLayer::new(1));
        let service = server.service();
        let running: Vec<_> = (1..=3)
            .map(|id| match service.handle(&call(id), Inbound::default()) {
                Outgoing::Running(running) => tokio::spawn(running),
                other => panic!("call {id} waits for the gate, got {other:?}"),
            })
            .collect();
        gate.add_permits(3);
        for (id, call) in (1..=3).zip(running) {
            let answer = tokio::time::timeout(std::time::Duration::from_secs(10), call)
                .await
                .unwrap_or_else(|_| panic!("call {id} was never woken"))
                .expect("no panic")
                .expect("answered");
            let body = String::from_utf8(answer.into_body().to_vec()).unwrap();
            assert!(body.contains("through"), "{body}");
        }
    }
}
