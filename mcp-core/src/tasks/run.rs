//! Running tasks: the record is created before the answer, the body runs in a spawned task,
//! its client requests become `inputRequests`, and `tasks/get|update|cancel` are served.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Weak};

use bytes::Bytes;
use parking_lot::{Mutex, RwLock};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};
use tokio::sync::{oneshot, Notify};
use tokio_util::sync::CancellationToken;

use super::{
    missing_extension, MemoryTaskStore, TaskChange, TaskRecord, TaskStore, TaskStoreError,
};
use crate::error::McpError;
use crate::exchange::{
    ClientExchange, ClientRequest, ExchangeError, ExchangeFuture, InputRound, StateKey,
};
use crate::handler::TaskControl;
use crate::jsonrpc::{self, RequestId};
use crate::notify::Listeners;
use crate::protocol::v2026::RequestMeta;
use crate::registry::tool::ToolResponse;

type BodyFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ToolResponse> + Send>>;

/// The server's tasks: the store, the tasks this process runs, and the timing it hands out.
pub(crate) struct Tasks {
    store: RwLock<Arc<dyn TaskStore>>,
    running: Arc<Mutex<HashMap<String, Arc<LiveTask>>>>,
    /// `ttlMs` (`None`: unlimited) and `pollIntervalMs` of new tasks.
    timing: Mutex<(Option<u64>, u64)>,
    /// Where `notifications/tasks` go.
    listeners: Arc<Listeners>,
}

impl Tasks {
    pub(crate) fn new(listeners: Arc<Listeners>) -> Self {
        Self {
            store: RwLock::new(Arc::new(MemoryTaskStore::new())),
            running: Arc::default(),
            timing: Mutex::new((Some(3_600_000), 1_000)),
            listeners,
        }
    }

    fn store(&self) -> Arc<dyn TaskStore> {
        self.store.read().clone()
    }

    /// Replaces the store that keeps task records.
    pub(crate) fn set_store(&self, store: Arc<dyn TaskStore>) {
        *self.store.write() = store;
    }

    /// Sets the `ttlMs` and `pollIntervalMs` of new tasks.
    pub(crate) fn set_timing(&self, ttl_ms: Option<u64>, poll_interval_ms: u64) {
        *self.timing.lock() = (ttl_ms, poll_interval_ms.max(1));
    }

    /// How many task bodies this process runs.
    pub(crate) fn running(&self) -> usize {
        self.running.lock().len()
    }

    /// A task about to start: its id and cancellation token, not stored yet.
    fn prepare(&self) -> Arc<LiveTask> {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let id = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Arc::new(LiveTask {
            id,
            listeners: Arc::downgrade(&self.listeners),
            store: self.store(),
            cancel: CancellationToken::new(),
            waiting: Mutex::default(),
            counter: AtomicU32::new(0),
        })
    }
}

/// A task this process runs: what `tasks/update` and `tasks/cancel` reach.
pub(crate) struct LiveTask {
    pub(crate) id: String,
    /// Where `notifications/tasks` listeners are.
    listeners: Weak<Listeners>,
    store: Arc<dyn TaskStore>,
    pub(crate) cancel: CancellationToken,
    /// The body's unanswered client requests, by key.
    waiting: Mutex<HashMap<String, oneshot::Sender<Value>>>,
    counter: AtomicU32,
}

impl LiveTask {
    /// Applies `change` and tells the task's listeners.
    async fn apply(&self, change: TaskChange) -> Result<(), TaskStoreError> {
        let record = self.store.apply(&self.id, change).await?;
        if let (Some(record), Some(listeners)) = (record, self.listeners.upgrade()) {
            listeners.task_changed(&record);
        }
        Ok(())
    }

    /// Records a client request in `inputRequests` and waits for `tasks/update` to answer it.
    fn ask(self: &Arc<Self>, request: ClientRequest) -> ExchangeFuture {
        let key = request.key.clone().unwrap_or_else(|| {
            let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
            let kind = request.method.split('/').next().unwrap_or("input");
            format!("{kind}-{n}")
        });
        let params: Value = serde_json::from_str(request.params.get()).unwrap_or_default();
        let entry = json!({ "method": request.method, "params": params });
        let (answer, answered) = oneshot::channel();
        self.waiting.lock().insert(key.clone(), answer);
        let task = self.clone();
        Box::pin(async move {
            let asks = BTreeMap::from([(key, entry)]);
            task.apply(TaskChange::AskInput(asks))
                .await
                .map_err(|e| ExchangeError::Unavailable(e.to_string().into()))?;
            let answer = answered.await.map_err(|_| ExchangeError::Cancelled)?;
            serde_json::value::to_raw_value(&answer)
                .map_err(|e| ExchangeError::InvalidResult(e.to_string()))
        })
    }

    /// Hands each answer to the request waiting for it; returns the keys that were waiting.
    /// An answer that is not a result object is no answer: its request stays outstanding.
    fn answer(&self, responses: Map<String, Value>) -> Vec<String> {
        let mut waiting = self.waiting.lock();
        responses
            .into_iter()
            .filter(|(_, value)| value.is_object())
            .filter_map(|(key, value)| {
                let answer = waiting.remove(&key)?;
                // The body may be gone (cancelled): its answer is then moot.
                let _ = answer.send(value);
                Some(key)
            })
            .collect()
    }
}

enum Phase {
    /// A `defer_task` body before [`Context::start_task`](crate::Context::start_task): MRTR.
    Inline(Arc<InputRound>),
    /// The body runs as a task.
    Running(Arc<LiveTask>),
}

/// The [`ClientExchange`] of a task tool's body: MRTR while it runs inside the request, the
/// task's `inputRequests` once it is a task.
pub(crate) struct TaskExchange {
    phase: Mutex<Phase>,
    start_requested: AtomicBool,
    /// The body asked to become a task (body → dispatcher).
    requested: Notify,
    /// The call is a task now (dispatcher → body).
    started: Notify,
}

impl TaskExchange {
    fn new(phase: Phase) -> Self {
        Self {
            phase: Mutex::new(phase),
            start_requested: AtomicBool::new(false),
            requested: Notify::new(),
            started: Notify::new(),
        }
    }

    /// Asks the dispatcher to make the call a task, and waits until it has.
    pub(crate) async fn start_task(&self) {
        let started = self.started.notified();
        if matches!(*self.phase.lock(), Phase::Running(_)) {
            return;
        }
        self.start_requested.store(true, Ordering::Release);
        self.requested.notify_waiters();
        started.await;
    }

    /// Resolves once the body has called `start_task`.
    async fn start_requested(&self) {
        loop {
            let requested = self.requested.notified();
            if self.start_requested.load(Ordering::Acquire) {
                return;
            }
            requested.await;
        }
    }

    fn run_as(&self, task: Arc<LiveTask>) {
        *self.phase.lock() = Phase::Running(task);
        self.started.notify_waiters();
    }
}

impl TaskControl for TaskExchange {
    fn start_task(&self) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(TaskExchange::start_task(self))
    }
}

impl ClientExchange for TaskExchange {
    fn request(&self, request: ClientRequest) -> ExchangeFuture {
        match &*self.phase.lock() {
            Phase::Inline(round) => round.request(request),
            Phase::Running(task) => task.ask(request),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaskParams {
    task_id: String,
    #[serde(default)]
    input_responses: Option<Map<String, Value>>,
}

fn store_failed(e: super::TaskStoreError) -> McpError {
    McpError::internal(e.to_string())
}

fn unknown_task(id: &str) -> McpError {
    McpError::invalid_params(format!(
        "unknown task `{id}`: it never existed or has expired"
    ))
    .with_data(json!({ "taskId": id }))
}

/// A task tool's call, as the dispatcher hands it over.
pub(crate) struct TaskCall<'a> {
    pub(crate) id: &'a RequestId,
    pub(crate) task: Arc<LiveTask>,
    pub(crate) exchange: Arc<TaskExchange>,
    pub(crate) round: Option<Arc<InputRound>>,
}

impl Tasks {
    /// The exchange and task a task tool's body starts with: running as a task at once, or
    /// (`defer`) inside the request until it calls `start_task`.
    pub(crate) fn prepare_call(
        &self,
        defer: bool,
        round: Option<Arc<InputRound>>,
    ) -> (Arc<LiveTask>, Arc<TaskExchange>) {
        let task = self.prepare();
        let phase = match (defer, round) {
            (true, Some(round)) => Phase::Inline(round),
            _ => Phase::Running(task.clone()),
        };
        (task, Arc::new(TaskExchange::new(phase)))
    }

    /// Runs a started task tool body: as a task now, or (deferred) inside the request until it
    /// finishes, stops for MRTR input, or calls `start_task`.
    pub(crate) async fn run_call(
        &self,
        call: TaskCall<'_>,
        mut body: BodyFuture,
        state_key: impl FnOnce() -> StateKey,
    ) -> Result<Bytes, McpError> {
        let Some(round) = call
            .round
            .filter(|_| matches!(*call.exchange.phase.lock(), Phase::Inline(_)))
        else {
            return self.start(call.id, call.task, body).await;
        };
        tokio::select! {
            biased;
            outcome = &mut body => outcome.map(|result| jsonrpc::response(call.id, &result)),
            () = round.stopped() => Ok(round.input_required(call.id, &state_key())),
            () = call.exchange.start_requested() => {
                call.exchange.run_as(call.task.clone());
                self.start(call.id, call.task, body).await
            }
        }
    }

    /// Stores the task, then runs `body` in the background; answers `CreateTaskResult`.
    async fn start(
        &self,
        id: &RequestId,
        task: Arc<LiveTask>,
        body: BodyFuture,
    ) -> Result<Bytes, McpError> {
        let (ttl_ms, poll_interval_ms) = *self.timing.lock();
        let record = TaskRecord::new(task.id.clone(), ttl_ms, poll_interval_ms);
        task.store
            .create(record.clone())
            .await
            .map_err(store_failed)?;
        let running = self.running.clone();
        running.lock().insert(task.id.clone(), task.clone());
        tracing::debug!(task = %task.id, "task created");
        tokio::spawn(async move {
            // Past its ttlMs the task may be gone from the store: stop a body still running
            // (one waiting for answers that will never come, say) rather than leak it.
            let expired = async {
                match ttl_ms {
                    Some(ttl) => tokio::time::sleep(std::time::Duration::from_millis(ttl)).await,
                    None => std::future::pending().await,
                }
            };
            let outcome = tokio::select! {
                biased;
                () = task.cancel.cancelled() => None,
                outcome = body => Some(outcome),
                () = expired => {
                    task.cancel.cancel();
                    Some(Err(McpError::internal("the task outlived its ttlMs")))
                }
            };
            let change = match outcome {
                None => TaskChange::Cancel,
                Some(Ok(result)) => {
                    TaskChange::Complete(serde_json::to_value(&result).unwrap_or_default())
                }
                Some(Err(error)) => TaskChange::Fail(error_object(&error)),
            };
            if let Err(e) = task.apply(change).await {
                tracing::warn!(task = %task.id, error = %e, "could not record the task's end");
            }
            running.lock().remove(&task.id);
        });
        Ok(jsonrpc::response(id, &record.to_created()))
    }

    /// `tasks/get`, `tasks/update` and `tasks/cancel` (2026 wire).
    pub(crate) async fn serve_method(
        &self,
        method: &str,
        request_id: &RequestId,
        params: Option<&RawValue>,
        meta: &RequestMeta,
    ) -> Result<Bytes, McpError> {
        if !meta.client_capabilities.tasks {
            return Err(missing_extension(&format!("`{method}`")));
        }
        let text = params.map_or("{}", RawValue::get);
        let params: TaskParams = serde_json::from_str(text)
            .map_err(|e| McpError::invalid_params(format!("invalid params for `{method}`: {e}")))?;
        let store = self.store();
        let id = &params.task_id;
        let record = store.get(id).await.map_err(store_failed)?;
        let record = record.ok_or_else(|| unknown_task(id))?;
        let live = self.running.lock().get(id).cloned();
        match method {
            "tasks/get" => return Ok(jsonrpc::response(request_id, &record.to_detailed())),
            "tasks/update" => {
                let responses = params.input_responses.ok_or_else(|| {
                    McpError::invalid_params("`tasks/update` needs `inputResponses`")
                })?;
                let answered = live.map(|task| task.answer(responses)).unwrap_or_default();
                if !answered.is_empty() {
                    let after = store.apply(id, TaskChange::Answered(answered)).await;
                    self.task_changed(after.map_err(store_failed)?);
                }
            }
            _ => {
                let after = store.apply(id, TaskChange::Cancel).await;
                self.task_changed(after.map_err(store_failed)?);
                if let Some(task) = live {
                    task.cancel.cancel();
                }
            }
        }
        Ok(jsonrpc::response(request_id, &json!({})))
    }

    /// Tells the task's `notifications/tasks` listeners about its new state.
    fn task_changed(&self, record: Option<TaskRecord>) {
        if let Some(record) = record {
            self.listeners.task_changed(&record);
        }
    }
}

/// A JSON-RPC error object (`code`, `message`, `data`).
fn error_object(error: &McpError) -> Value {
    serde_json::to_value(error).unwrap_or_default()
}
