//! [`TaskStore`]: where task records live, and [`MemoryTaskStore`], the in-process default.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use parking_lot::Mutex;
use serde_json::Value;

use super::record::{TaskRecord, TaskStatus};

/// What the [`TaskStore`] methods return: a boxed future, so that the trait stays object-safe.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store failure. The request that hit it gets `-32603` with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskStoreError {
    /// The store holds as many live tasks as it may.
    #[error("the task store is full ({0} tasks): try again once some have finished")]
    Full(usize),
    /// The backend failed (a network store's connection, say).
    #[error("the task store failed: {0}")]
    Backend(String),
}

/// A change to a task, applied atomically by [`TaskStore::apply`]. A task that is over
/// (completed, failed or cancelled) ignores every change: cancelling it again is a no-op, and a
/// result that arrives after a cancellation is dropped.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskChange {
    /// The call asks the client for input: these requests join `inputRequests` and the status
    /// becomes `input_required`.
    AskInput(BTreeMap<String, Value>),
    /// The client answered these keys: they leave `inputRequests`, and the status goes back to
    /// `working` once none is left.
    Answered(Vec<String>),
    /// The call finished with this result (`completed`).
    Complete(Value),
    /// The call failed with this JSON-RPC error object (`failed`).
    Fail(Value),
    /// The client cancelled the task (`cancelled`).
    Cancel,
}

impl TaskRecord {
    /// Applies `change` at `now`; `false` when the task is over and ignores it. Stores call this
    /// inside whatever makes their update atomic.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use quickmcp_core::tasks::{TaskChange, TaskRecord, TaskStatus};
    ///
    /// let mut task = TaskRecord::new("t".into(), None, 100);
    /// assert!(task.apply(TaskChange::Cancel, SystemTime::now()));
    /// assert!(!task.apply(TaskChange::Complete(serde_json::json!({})), SystemTime::now()));
    /// assert_eq!(task.status, TaskStatus::Cancelled);
    /// ```
    pub fn apply(&mut self, change: TaskChange, now: SystemTime) -> bool {
        if self.status.is_terminal() {
            return false;
        }
        match change {
            TaskChange::AskInput(requests) => {
                self.input_requests.extend(requests);
                self.status = TaskStatus::InputRequired;
            }
            TaskChange::Answered(keys) => {
                for key in &keys {
                    self.input_requests.remove(key);
                }
                if self.input_requests.is_empty() {
                    self.status = TaskStatus::Working;
                }
            }
            TaskChange::Complete(result) => {
                self.finish(TaskStatus::Completed);
                self.result = Some(result);
            }
            TaskChange::Fail(error) => {
                self.status_message = error["message"].as_str().map(str::to_owned);
                self.finish(TaskStatus::Failed);
                self.error = Some(error);
            }
            TaskChange::Cancel => self.finish(TaskStatus::Cancelled),
        }
        self.last_updated_at = now;
        true
    }

    fn finish(&mut self, status: TaskStatus) {
        self.status = status;
        self.input_requests.clear();
    }
}

/// Durable task records. A task-creating `tools/call` writes the record with
/// [`create`](Self::create) before it answers, `tasks/get` reads it with [`get`](Self::get), and
/// the running call and `tasks/update`/`tasks/cancel` change it with [`apply`](Self::apply).
///
/// [`MemoryTaskStore`] is the default. A shared store (Redis, a database) lets every replica
/// answer `tasks/get`; the call itself runs in the process that created the task, so route
/// `tasks/update` and `tasks/cancel` there (the `Mcp-Name` header carries the task id for that).
///
/// ```
/// use std::sync::Arc;
/// use quickmcp_core::tasks::{MemoryTaskStore, TaskStore};
///
/// let store: Arc<dyn TaskStore> = Arc::new(MemoryTaskStore::new().max_tasks(1_000));
/// quickmcp_core::McpServer::new("demo").set_task_store(store);
/// ```
pub trait TaskStore: Send + Sync + 'static {
    /// Stores a new task; resolves once a [`get`](Self::get) would find it.
    fn create(&self, record: TaskRecord) -> StoreFuture<'_, Result<(), TaskStoreError>>;

    /// The task `id`; `None` when unknown or expired.
    fn get<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, Result<Option<TaskRecord>, TaskStoreError>>;

    /// Applies `change` to the task `id` atomically (see [`TaskRecord::apply`]) and returns the
    /// task as it is after; `None` when unknown or expired.
    fn apply<'a>(
        &'a self,
        id: &'a str,
        change: TaskChange,
    ) -> StoreFuture<'a, Result<Option<TaskRecord>, TaskStoreError>>;
}

/// The default [`TaskStore`]: records in this process's memory, dropped once their `ttlMs` has
/// run out, at most [`max_tasks`](Self::max_tasks) of them (default 10 000). When it is full, a
/// new task first evicts expired tasks, then the oldest finished one; if every task is still
/// running, creating one fails.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use quickmcp_core::tasks::{MemoryTaskStore, TaskRecord, TaskStore};
///
/// let store = MemoryTaskStore::new();
/// store.create(TaskRecord::new("t1".into(), Some(60_000), 500)).await.unwrap();
/// assert!(store.get("t1").await.unwrap().is_some());
/// # }
/// ```
#[derive(Debug)]
pub struct MemoryTaskStore {
    tasks: Mutex<HashMap<String, TaskRecord>>,
    max_tasks: usize,
}

impl Default for MemoryTaskStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryTaskStore {
    /// An empty store holding up to 10 000 tasks.
    pub fn new() -> Self {
        Self {
            tasks: Mutex::default(),
            max_tasks: 10_000,
        }
    }

    /// Sets how many tasks the store holds at most (at least 1).
    #[must_use]
    pub fn max_tasks(mut self, max: usize) -> Self {
        self.max_tasks = max.max(1);
        self
    }

    fn insert(&self, record: TaskRecord) -> Result<(), TaskStoreError> {
        let mut tasks = self.tasks.lock();
        if tasks.len() >= self.max_tasks {
            let now = SystemTime::now();
            tasks.retain(|_, task| !task.is_expired(now));
        }
        if tasks.len() >= self.max_tasks {
            let oldest_finished = tasks
                .values()
                .filter(|task| task.status.is_terminal())
                .min_by_key(|task| task.last_updated_at)
                .map(|task| task.id.clone());
            match oldest_finished {
                Some(id) => tasks.remove(&id),
                None => return Err(TaskStoreError::Full(self.max_tasks)),
            };
        }
        tasks.insert(record.id.clone(), record);
        Ok(())
    }

    /// Runs `f` on the live task `id`, dropping it if it has expired.
    fn with_task<T>(&self, id: &str, f: impl FnOnce(&mut TaskRecord) -> T) -> Option<T> {
        let mut tasks = self.tasks.lock();
        let now = SystemTime::now();
        if tasks.get(id)?.is_expired(now) {
            tasks.remove(id);
            return None;
        }
        tasks.get_mut(id).map(f)
    }
}

impl TaskStore for MemoryTaskStore {
    fn create(&self, record: TaskRecord) -> StoreFuture<'_, Result<(), TaskStoreError>> {
        let outcome = self.insert(record);
        Box::pin(std::future::ready(outcome))
    }

    fn get<'a>(
        &'a self,
        id: &'a str,
    ) -> StoreFuture<'a, Result<Option<TaskRecord>, TaskStoreError>> {
        let task = self.with_task(id, |task| task.clone());
        Box::pin(std::future::ready(Ok(task)))
    }

    fn apply<'a>(
        &'a self,
        id: &'a str,
        change: TaskChange,
    ) -> StoreFuture<'a, Result<Option<TaskRecord>, TaskStoreError>> {
        let task = self.with_task(id, |task| {
            task.apply(change, SystemTime::now());
            task.clone()
        });
        Box::pin(std::future::ready(Ok(task)))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn task(id: &str, ttl_ms: Option<u64>) -> TaskRecord {
        TaskRecord::new(id.into(), ttl_ms, 100)
    }

    #[tokio::test]
    async fn input_rounds_keep_only_unanswered_keys() {
        let store = MemoryTaskStore::new();
        store.create(task("t", None)).await.unwrap();
        let asks = [("a", 1), ("b", 2)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect();
        let after = store
            .apply("t", TaskChange::AskInput(asks))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.status, TaskStatus::InputRequired);
        let after = store
            .apply(
                "t",
                TaskChange::Answered(vec!["a".into(), "never-asked".into()]),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.status, TaskStatus::InputRequired);
        assert_eq!(after.input_requests.keys().collect::<Vec<_>>(), ["b"]);
        let after = store
            .apply("t", TaskChange::Answered(vec!["b".into()]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.status, TaskStatus::Working);
    }

    #[tokio::test]
    async fn finished_tasks_ignore_later_changes() {
        let store = MemoryTaskStore::new();
        store.create(task("t", None)).await.unwrap();
        let result = serde_json::json!({"content": []});
        store
            .apply("t", TaskChange::Complete(result.clone()))
            .await
            .unwrap();
        let after = store.apply("t", TaskChange::Cancel).await.unwrap().unwrap();
        assert_eq!(after.status, TaskStatus::Completed);
        assert_eq!(after.result, Some(result));
        assert!(store
            .apply("nope", TaskChange::Cancel)
            .await
            .unwrap()
            .is_none());
    }

    #[tokio::test]
    async fn expired_tasks_are_gone() {
        let store = MemoryTaskStore::new();
        let mut old = task("old", Some(1_000));
        old.created_at -= Duration::from_secs(2);
        store.create(old).await.unwrap();
        store.create(task("forever", None)).await.unwrap();
        assert!(store.get("old").await.unwrap().is_none());
        assert!(store.get("forever").await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_full_store_evicts_the_oldest_finished_task_or_refuses() {
        let store = MemoryTaskStore::new().max_tasks(2);
        store.create(task("a", None)).await.unwrap();
        store.create(task("b", None)).await.unwrap();
        assert_eq!(
            store.create(task("c", None)).await,
            Err(TaskStoreError::Full(2))
        );
        store.apply("a", TaskChange::Cancel).await.unwrap();
        store.create(task("c", None)).await.unwrap();
        assert!(store.get("a").await.unwrap().is_none(), "evicted");
        assert!(store.get("b").await.unwrap().is_some());
        assert!(store.get("c").await.unwrap().is_some());
    }
}
