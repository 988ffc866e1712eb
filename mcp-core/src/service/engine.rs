//! [`Engine`]: what one server serves and remembers, shared by its handle
//! ([`McpServer`](crate::McpServer)), its service and every connection; and what is derived
//! from it once (capabilities, the `initialize` result, `serverInfo` as JSON).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use arc_swap::{ArcSwap, ArcSwapOption};
use bytes::{BufMut, Bytes, BytesMut};
use http::Extensions;
use parking_lot::{Mutex, RwLock};

use super::stack::{Stack, Wrap};
use crate::exchange::{PendingRequests, StateKey, DEFAULT_STATE_MAX_AGE};
use crate::handler::CallControl;
use crate::notify::{session_list_changed, Notifier};
use crate::protocol::initialize::{
    EmptyObject, Implementation, ListChanged, ResourcesCapability, ServerCapabilities, ServerInfo,
};
use crate::protocol::v2026::{CacheHint, CacheScope};
use crate::protocol::ListKind;
use crate::registry::prompt::RegisteredPrompt;
use crate::registry::resource::{RegisteredResource, RegisteredTemplate};
use crate::registry::tool::ToolRegistry;
use crate::registry::Registry;
use crate::session::{MaybeReady, Session, SessionManager};
use crate::tasks::Tasks;
use crate::visibility::{Selector, TagFilter};

/// One server's state.
pub(crate) struct Engine {
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
    pub(crate) cache: CacheHints,
    pub(crate) notify: Notifier,
    /// `serverInfo` serialized once for the 2026 wire's results; cleared when it changes.
    pub(crate) info_json: ArcSwapOption<Bytes>,
    /// The capabilities and the `initialize` result after its version, for the registries'
    /// generations; cleared when the identity changes.
    pub(crate) init_cache: ArcSwapOption<InitCache>,
    /// Signs the 2026 wire's `requestState` (MRTR).
    pub(crate) state_key: Mutex<StateKey>,
    /// How old a `requestState` may be, in milliseconds.
    pub(crate) state_max_age_ms: AtomicU64,
    /// The tasks extension: task store and running tasks.
    pub(crate) tasks: Tasks,
    /// How long a handler call may run unless its definition says (ms; `0`: no limit).
    pub(crate) call_timeout_ms: AtomicU64,
    /// Handler calls running inside their request.
    pub(crate) running_calls: AtomicUsize,
    /// The MCP-level layers the server was given, and the stack built from them once and
    /// shared by every connection.
    layers: Mutex<Vec<Wrap>>,
    pub(crate) stack: ArcSwapOption<Stack>,
    /// Where the OpenTelemetry instruments come from.
    #[cfg(feature = "otel")]
    pub(crate) telemetry: crate::otel::Telemetry,
}

impl Engine {
    pub(crate) fn new(name: String) -> Self {
        let implementation = Implementation {
            name,
            title: None,
            version: "0.1.0".into(),
            icons: Vec::new(),
            website_url: None,
        };
        let sessions = Arc::new(SessionManager::default());
        let notify = Notifier::new(sessions.clone());
        let tasks = Tasks::new(notify.listeners.clone());
        Self {
            info: RwLock::new(ServerInfo {
                implementation,
                instructions: None,
            }),
            tools: ToolRegistry::default(),
            resources: Registry::default(),
            templates: Registry::default(),
            prompts: Registry::default(),
            sessions,
            state: ArcSwap::from_pointee(Extensions::new()),
            pending: Arc::default(),
            filter: Mutex::default(),
            cache: CacheHints::default(),
            notify,
            info_json: ArcSwapOption::empty(),
            init_cache: ArcSwapOption::empty(),
            state_key: Mutex::default(),
            state_max_age_ms: AtomicU64::new(DEFAULT_STATE_MAX_AGE.as_millis() as u64),
            tasks,
            call_timeout_ms: AtomicU64::new(0),
            running_calls: AtomicUsize::new(0),
            layers: Mutex::default(),
            stack: ArcSwapOption::empty(),
            #[cfg(feature = "otel")]
            telemetry: Default::default(),
        }
    }

    /// Adds a layer around the ones before, and builds the stack again.
    pub(crate) fn add_layer(self: &Arc<Self>, wrap: Wrap) {
        let mut layers = self.layers.lock();
        layers.push(wrap);
        self.stack
            .store(Some(Arc::new(Stack::build(self, &layers))));
    }

    /// The server's default timeout of a handler call, if any.
    pub(crate) fn call_timeout(&self) -> Option<Duration> {
        match self.call_timeout_ms.load(Ordering::Relaxed) {
            0 => None,
            ms => Some(Duration::from_millis(ms)),
        }
    }

    /// Forgets what is derived from the identity (after a change to it).
    pub(crate) fn identity_changed(&self) {
        self.info_json.store(None);
        self.init_cache.store(None);
    }

    /// What `initialize` advertises, derived from what is registered.
    pub(crate) fn capabilities(&self) -> ServerCapabilities {
        self.init_cache().capabilities.clone()
    }

    /// The capabilities and the serialized `initialize` result, derived again only after the
    /// registries or the identity changed (`initialize` runs once per session: churn).
    pub(crate) fn init_cache(&self) -> Arc<InitCache> {
        // Read before deriving: a change meanwhile leaves the entry stale, never wrong.
        let generations = [
            self.tools.generation(),
            self.resources.generation(),
            self.templates.generation(),
            self.prompts.generation(),
        ];
        if let Some(cache) = self.init_cache.load_full() {
            if cache.generations == generations {
                return cache;
            }
        }
        // Built under the read lock, so that an identity change (under the write lock) clears
        // it after.
        let info = self.info.read();
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
        self.init_cache.store(Some(cache.clone()));
        cache
    }

    pub(crate) fn derive_capabilities(&self) -> ServerCapabilities {
        let listed = ListChanged { list_changed: true };
        let has_resources = self.resources.has_entries() || self.templates.has_entries();
        let completes = self.templates.any(|t| t.handler.has_completions())
            || self.prompts.any(|p| p.handler.has_completions());
        ServerCapabilities {
            tools: self.tools.has_entries().then_some(listed),
            resources: has_resources.then_some(ResourcesCapability {
                subscribe: true,
                list_changed: true,
            }),
            prompts: self.prompts.has_entries().then_some(listed),
            completions: completes.then_some(EmptyObject {}),
            logging: Some(EmptyObject {}),
        }
    }

    /// `serverInfo` as JSON, serialized once until the identity changes.
    pub(crate) fn server_info_json(&self) -> Arc<Bytes> {
        if let Some(json) = self.info_json.load_full() {
            return json;
        }
        // Stored under the read lock, so that a change (under the write lock) clears it after.
        let info = self.info.read();
        let json = Arc::new(Bytes::from(
            serde_json::to_vec(&info.implementation).unwrap_or_default(),
        ));
        self.info_json.store(Some(json.clone()));
        json
    }

    /// Whether any registered tool can run as a task (then discover advertises the extension).
    pub(crate) fn offers_tasks(&self) -> bool {
        self.tools
            .any(|tool| tool.definition.task_support.allowed())
    }

    pub(crate) fn state_key(&self) -> StateKey {
        self.state_key.lock().clone()
    }

    /// How long a `requestState` stays valid.
    pub(crate) fn request_state_max_age(&self) -> Duration {
        Duration::from_millis(self.state_max_age_ms.load(Ordering::Relaxed))
    }

    /// Ends a stored session: its calls are cancelled and its requests to the client fail.
    pub(crate) fn end_session(&self, id: &str) -> MaybeReady<bool> {
        // Idempotent: the session's requests to its client fail at once.
        self.pending.close_session(id);
        self.sessions.end(id)
    }

    /// Sends `kind`'s `list_changed` to every client that listens.
    pub(crate) fn list_changed(&self, kind: ListKind) {
        self.notify.list_changed(kind);
    }

    /// The lists holding something `selector` picks.
    pub(crate) fn kinds_of(&self, selector: &Selector) -> [Option<ListKind>; 3] {
        match selector {
            Selector::Tag(tag) => [
                self.tools.has_tag(tag).then_some(ListKind::Tools),
                (self.resources.has_tag(tag) || self.templates.has_tag(tag))
                    .then_some(ListKind::Resources),
                self.prompts.has_tag(tag).then_some(ListKind::Prompts),
            ],
            Selector::Tool(_) => [Some(ListKind::Tools), None, None],
            Selector::Resource(_) => [None, Some(ListKind::Resources), None],
            Selector::Prompt(_) => [None, None, Some(ListKind::Prompts)],
        }
    }
}

impl CallControl for Engine {
    fn set_visible(&self, session: &Session, selector: Selector, shown: bool) {
        let kinds = self.kinds_of(&selector);
        if session.set_visible(selector, shown) {
            self.sessions.persist(session);
            for kind in kinds.into_iter().flatten() {
                session_list_changed(session, kind);
            }
        }
    }

    fn reset_visibility(&self, session: &Session) {
        if session.reset_visibility() {
            self.sessions.persist(session);
            let caps = self.capabilities();
            let kinds = [
                caps.tools.map(|_| ListKind::Tools),
                caps.resources.map(|_| ListKind::Resources),
                caps.prompts.map(|_| ListKind::Prompts),
            ];
            for kind in kinds.into_iter().flatten() {
                session_list_changed(session, kind);
            }
        }
    }
}

/// What [`Engine::init_cache`] keeps.
pub(crate) struct InitCache {
    generations: [u64; 4],
    pub(crate) capabilities: ServerCapabilities,
    /// `{"capabilities":…,"serverInfo":…}`: the `initialize` result without its version.
    pub(crate) tail: Bytes,
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

/// How long clients may cache discover, list and read results (`ttlMs`, `cacheScope`).
#[derive(Debug)]
pub(crate) struct CacheHints {
    ttl_ms: AtomicU64,
    private: AtomicBool,
}

impl Default for CacheHints {
    fn default() -> Self {
        Self {
            ttl_ms: AtomicU64::new(0),
            private: AtomicBool::new(false),
        }
    }
}

impl CacheHints {
    pub(crate) fn set(&self, ttl_ms: u64, scope: CacheScope) {
        self.ttl_ms.store(ttl_ms, Ordering::Relaxed);
        self.private
            .store(scope == CacheScope::Private, Ordering::Relaxed);
    }

    /// Writes `,"ttlMs":..,"cacheScope":..`: the server's hints, or `resource`'s where set.
    pub(crate) fn put(&self, buf: &mut BytesMut, resource: CacheHint) {
        let ttl_ms = resource
            .ttl_ms
            .unwrap_or_else(|| self.ttl_ms.load(Ordering::Relaxed));
        let private = resource.scope.map_or_else(
            || self.private.load(Ordering::Relaxed),
            |scope| scope == CacheScope::Private,
        );
        buf.put_slice(br#","ttlMs":"#);
        buf.put_slice(ttl_ms.to_string().as_bytes());
        buf.put_slice(if private {
            br#","cacheScope":"private""#
        } else {
            br#","cacheScope":"public""#
        });
    }
}
