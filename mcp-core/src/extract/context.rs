//! [`Context`]: what a running tool can do besides returning (progress, logs, cancellation,
//! and, in `client`, requests to the client: sampling, elicitation, roots).

mod client;

use std::sync::Arc;

use parking_lot::Mutex;
use serde::Serialize;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::FromCallContext;
use crate::error::McpError;
use crate::exchange::{ClientExchange, PendingRequests};
use crate::handler::{CallContext, CallControl, TaskControl};
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::ClientCapabilities;
use crate::protocol::v2026::RequestMeta;
use crate::protocol::LoggingLevel;
use crate::session::Session;
use crate::sink::MessageSink;
use crate::visibility::Selector;

/// The request a tool is serving: its id, its session, and a channel back to the client for
/// progress and log messages. Ask for it by adding a `ctx: Context` parameter.
///
/// A tool can also ask the client mid-call and await the answer like a function call:
/// [`sample`](Self::sample) / [`sample_text`](Self::sample_text) (its model),
/// [`elicit`](Self::elicit) / [`elicit_schema`](Self::elicit_schema) /
/// [`elicit_url`](Self::elicit_url) (its user) and [`list_roots`](Self::list_roots). Each
/// checks what the client declared first and fails with an
/// [`ExchangeError`](crate::ExchangeError) rather than send what it cannot answer; an answer
/// not back within the server's timeout (60 s by default,
/// [`McpServer::set_client_request_timeout`](crate::McpServer::set_client_request_timeout))
/// is an error too.
///
/// # One body, two wires: the body re-runs on the 2026 wire
///
/// On the 2025 wire a request to the client travels on the open stream and the body waits for
/// the answer. On the 2026-07-28 wire there is no stream back: the call stops at the first
/// unanswered request and returns `input_required`, and the client *retries the whole call*
/// with the answers (MRTR). The body then runs again from the top, and answered requests
/// return at once. So anything the body does before its last `elicit`/`sample`/`list_roots`
/// happens once per round: guard side effects with [`request_state`](Self::request_state) /
/// [`set_request_state`](Self::set_request_state), which travel in the signed (and
/// expiring, see
/// [`McpServer::set_request_state_max_age`](crate::McpServer::set_request_state_max_age))
/// `requestState`. The state is per call, never shared between clients, and the 2025 wire
/// (where the body runs once) ignores it.
///
/// ```
/// use quickmcp_core::{Context, Elicitation, ExchangeError};
/// # async fn reserve_seat() -> u64 { 7 }
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Confirm {
///     ok: bool,
/// }
///
/// async fn book(ctx: Context) -> Result<String, ExchangeError> {
///     // Reserve once: a retry finds the reservation in the state instead of reserving again.
///     let seat = match ctx.request_state::<u64>() {
///         Some(seat) => seat,
///         None => {
///             let seat = reserve_seat().await;
///             ctx.set_request_state(seat);
///             seat
///         }
///     };
///     Ok(match ctx.elicit::<Confirm>(format!("Book seat {seat}?")).await? {
///         Elicitation::Accept(Confirm { ok: true }) => format!("booked seat {seat}"),
///         _ => format!("released seat {seat}"),
///     })
/// }
/// ```
///
/// ```
/// use quickmcp_core::Context;
///
/// async fn crunch(ctx: Context) -> String {
///     for step in 1..=3 {
///         ctx.report_progress(step as f64, Some(3.0), Some("crunching")).await;
///         if ctx.is_cancelled() {
///             return "stopped".into();
///         }
///     }
///     ctx.info("done").await;
///     "crunched".into()
/// }
/// ```
#[derive(Clone)]
pub struct Context {
    id: RequestId,
    session: Option<Arc<Session>>,
    sink: Option<Arc<dyn MessageSink>>,
    progress: Option<Arc<Progress>>,
    cancel: CancellationToken,
    pending: Option<Arc<PendingRequests>>,
    exchange: Option<Arc<dyn ClientExchange>>,
    capabilities: Option<ClientCapabilities>,
    control: Option<Arc<dyn CallControl>>,
    v2026: Option<Arc<RequestMeta>>,
    round: Option<Arc<crate::exchange::InputRound>>,
    input_key: Option<Arc<str>>,
    task: Option<Arc<dyn TaskControl>>,
    principal: Option<Arc<crate::Principal>>,
}

struct Progress {
    token: RequestId,
    last: Mutex<f64>,
}

impl FromCallContext for Context {
    type Rejection = McpError;

    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, McpError> {
        let (request, call) = (cx.request, cx.call);
        Ok(Self {
            id: cx.id.clone(),
            session: request.session.clone(),
            sink: request.sink.clone(),
            progress: call.progress_token.clone().map(|token| {
                Arc::new(Progress {
                    token,
                    last: Mutex::new(f64::MIN),
                })
            }),
            cancel: call.cancel.clone(),
            pending: call.pending.clone(),
            exchange: call.exchange.clone(),
            capabilities: request.client_capabilities(),
            control: call.control.clone(),
            v2026: request.v2026.clone(),
            round: call.round.clone(),
            input_key: None,
            task: call.task.clone(),
            principal: request.principal.clone(),
        })
    }
}

impl Context {
    /// This context, naming its next client requests `key` in an MRTR round
    /// (`inputRequests`/`inputResponses` on the 2026 wire), instead of numbering them in call
    /// order. Use a distinct key for each request of a call. The 2025 wire ignores it.
    ///
    /// ```
    /// use quickmcp_core::{Context, ExchangeError};
    ///
    /// async fn roots(ctx: Context) -> Result<usize, ExchangeError> {
    ///     Ok(ctx.input_key("client_roots").list_roots().await?.len())
    /// }
    /// ```
    #[must_use]
    pub fn input_key(&self, key: impl Into<String>) -> Self {
        let mut ctx = self.clone();
        ctx.input_key = Some(key.into().into());
        ctx
    }

    /// Turns this call into a task here, in a tool registered with `defer_task` (see
    /// [`tasks`](crate::tasks)): the client gets `CreateTaskResult` and the rest of the body
    /// runs in the background, its client requests going to the task's `inputRequests`. Before
    /// this, the body runs inside the request and asks through MRTR. Anywhere else (a task
    /// already, a plain call, the 2025 wire) it returns at once.
    ///
    /// ```
    /// use quickmcp_core::Context;
    ///
    /// async fn ask_then_work(ctx: Context) -> String {
    ///     let name = ctx.sample_text("Whose report?", 50).await.unwrap_or_default();
    ///     ctx.start_task().await;
    ///     format!("report for {name}")
    /// }
    /// ```
    pub async fn start_task(&self) {
        if let Some(task) = &self.task {
            task.start_task().await;
        }
    }

    /// The state this tool set with [`set_request_state`](Self::set_request_state) in the
    /// previous round of an MRTR call (2026 wire), as the client echoed it back, verified;
    /// `None` in the first round, on the 2025 wire, or when it is not a `T`.
    ///
    /// ```
    /// use quickmcp_core::Context;
    ///
    /// fn round(ctx: Context) -> u32 {
    ///     let round = ctx.request_state::<u32>().unwrap_or(0) + 1;
    ///     ctx.set_request_state(round);
    ///     round
    /// }
    /// ```
    pub fn request_state<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        let state = self.round.as_ref()?.request_state()?;
        serde_json::from_value(state.clone()).ok()
    }

    /// Sets the state the next round of this MRTR call sees through
    /// [`request_state`](Self::request_state). It travels in the signed `requestState`, so the
    /// client can read it but not change it. Without a round (2025 wire) it does nothing.
    pub fn set_request_state(&self, state: impl serde::Serialize) {
        if let (Some(round), Ok(state)) = (&self.round, serde_json::to_value(state)) {
            round.set_request_state(state);
        }
    }

    /// Who the request acts for, as its access token proved (HTTP with authorization on);
    /// `None` on stdio and on endpoints without authorization.
    ///
    /// ```
    /// use quickmcp_core::Context;
    ///
    /// fn whoami(ctx: Context) -> String {
    ///     ctx.principal().map_or("anonymous".into(), |p| p.subject.clone())
    /// }
    /// ```
    pub fn principal(&self) -> Option<&crate::Principal> {
        self.principal.as_deref()
    }

    /// The JSON-RPC id of the request.
    pub fn request_id(&self) -> &RequestId {
        &self.id
    }

    /// The session id, when the transport has sessions.
    pub fn session_id(&self) -> Option<&str> {
        self.session.as_deref().map(Session::id)
    }

    /// The session, when the transport has sessions.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.session.as_ref()
    }

    /// Sends `notifications/progress`, if the client asked for progress (`_meta.progressToken`).
    /// Values that do not increase are dropped, as the spec requires progress to increase.
    pub async fn report_progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        let Some(state) = &self.progress else { return };
        {
            let mut last = state.last.lock();
            if progress <= *last {
                return;
            }
            *last = progress;
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Params<'a> {
            progress_token: &'a RequestId,
            progress: f64,
            #[serde(skip_serializing_if = "Option::is_none")]
            total: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            message: Option<&'a str>,
        }
        let params = Params {
            progress_token: &state.token,
            progress,
            total,
            message,
        };
        self.emit(jsonrpc::notification("notifications/progress", &params));
    }

    /// Sends `notifications/message` at `level`, if the session's level lets it through (on
    /// the 2026 wire: only if the request's `_meta` asked for logs at this level or below).
    pub async fn log(&self, level: LoggingLevel, logger: Option<&str>, data: impl Into<Value>) {
        let enabled = match &self.v2026 {
            Some(modern) => modern.log_enabled(level),
            None => self.session.as_ref().is_none_or(|s| s.log_enabled(level)),
        };
        if !enabled {
            return;
        }
        #[derive(Serialize)]
        struct Params<'a> {
            level: LoggingLevel,
            #[serde(skip_serializing_if = "Option::is_none")]
            logger: Option<&'a str>,
            data: Value,
        }
        self.emit(jsonrpc::notification(
            "notifications/message",
            &Params {
                level,
                logger,
                data: data.into(),
            },
        ));
    }

    /// Logs at `debug`.
    pub async fn debug(&self, message: impl Into<String>) {
        self.log(LoggingLevel::Debug, None, message.into()).await;
    }

    /// Logs at `info`.
    pub async fn info(&self, message: impl Into<String>) {
        self.log(LoggingLevel::Info, None, message.into()).await;
    }

    /// Logs at `warning`.
    pub async fn warning(&self, message: impl Into<String>) {
        self.log(LoggingLevel::Warning, None, message.into()).await;
    }

    /// Logs at `error`.
    pub async fn error(&self, message: impl Into<String>) {
        self.log(LoggingLevel::Error, None, message.into()).await;
    }

    /// Closes the SSE stream this request answers on, now, while the tool keeps running: the
    /// client reconnects (GET with `Last-Event-ID`) and receives the rest of the call's messages
    /// and its result there. This is SSE polling (MCP 2025-11-25), for long calls behind
    /// proxies that cut idle connections.
    ///
    /// Returns `false`, and leaves the stream open, when it could not be resumed: a client older
    /// than 2025-11-25, a JSON response, a stateless server, or stdio.
    ///
    /// ```
    /// use quickmcp_core::Context;
    ///
    /// async fn long_job(ctx: Context) -> String {
    ///     ctx.report_progress(1.0, Some(2.0), Some("started")).await;
    ///     ctx.close_sse_stream();
    ///     ctx.report_progress(2.0, Some(2.0), Some("finishing")).await;
    ///     "done".into()
    /// }
    /// ```
    pub fn close_sse_stream(&self) -> bool {
        self.sink.as_ref().is_some_and(|sink| sink.close())
    }

    /// Whether the client cancelled the request.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Completes when the client cancels the request: `select!` on it for cooperative cleanup.
    /// (A cancelled tool's future is also dropped, so code after an `.await` does not run.)
    pub async fn cancelled(&self) {
        self.cancel.cancelled().await;
    }

    /// The request's cancellation token, to hand to spawned work.
    pub fn cancellation_token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Shows what `selector` picks to this session only, even what the server's tag filter
    /// hides (not what is disabled or removed); the session gets `list_changed`. `false`
    /// without a session (stateless HTTP) or outside a served call.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    /// use quickmcp_core::Context;
    ///
    /// // With `server.exclude_tags(["admin"])`, `admin` tools appear after a login.
    /// fn login(password: String, ctx: Context) -> Result<String, String> {
    ///     if password != "hunter2" {
    ///         return Err("wrong password".into());
    ///     }
    ///     ctx.show(Selector::tag("admin"));
    ///     Ok("admin tools unlocked".into())
    /// }
    /// ```
    pub fn show(&self, selector: Selector) -> bool {
        self.visibility(|server, session| server.set_visible(session, selector, true))
    }

    /// Hides what `selector` picks from this session only: not listed, and calling it
    /// answers like an unknown name. The session gets `list_changed`. `false` without a
    /// session or outside a served call.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    /// use quickmcp_core::Context;
    ///
    /// fn logout(ctx: Context) -> &'static str {
    ///     ctx.hide(Selector::tag("admin"));
    ///     ctx.hide(Selector::tool("logout"));
    ///     "bye"
    /// }
    /// ```
    pub fn hide(&self, selector: Selector) -> bool {
        self.visibility(|server, session| server.set_visible(session, selector, false))
    }

    /// Drops this session's [`show`](Self::show) and [`hide`](Self::hide) rules: it sees
    /// what every session sees again. `false` without a session or outside a served call.
    ///
    /// ```
    /// use quickmcp_core::Context;
    ///
    /// fn reset(ctx: Context) -> &'static str {
    ///     ctx.reset_visibility();
    ///     "back to defaults"
    /// }
    /// ```
    pub fn reset_visibility(&self) -> bool {
        self.visibility(|server, session| server.reset_visibility(session))
    }

    fn visibility(&self, apply: impl FnOnce(&dyn CallControl, &Session)) -> bool {
        match (&self.control, &self.session) {
            (Some(control), Some(session)) => {
                apply(&**control, session);
                true
            }
            _ => false,
        }
    }

    fn emit(&self, message: bytes::Bytes) {
        if let Some(sink) = &self.sink {
            sink.send(message);
        }
    }
}
