//! Task records: what a [`TaskStore`](super::TaskStore) keeps for each task, and how they go
//! on the wire (`CreateTaskResult`, the `DetailedTask` of `tasks/get`).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// The call is running.
    Working,
    /// The call waits for the client's answers to `inputRequests` (`tasks/update`).
    InputRequired,
    /// The call finished; `result` holds its result (which may have `isError: true`).
    Completed,
    /// The call failed with a JSON-RPC error, held in `error`.
    Failed,
    /// The call was cancelled.
    Cancelled,
}

impl TaskStatus {
    /// Whether the task is over (`completed`, `failed`, `cancelled`).
    ///
    /// ```
    /// use quickmcp_core::tasks::TaskStatus;
    ///
    /// assert!(TaskStatus::Cancelled.is_terminal());
    /// assert!(!TaskStatus::InputRequired.is_terminal());
    /// ```
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Cancelled)
    }
}

/// One task, as stored: its metadata, and its result, error or pending input requests.
///
/// ```
/// use quickmcp_core::tasks::{TaskRecord, TaskStatus};
///
/// let record = TaskRecord::new("t1".into(), Some(60_000), 500);
/// assert_eq!(record.status, TaskStatus::Working);
/// let wire = record.to_detailed();
/// assert_eq!(wire["taskId"], "t1");
/// assert_eq!(wire["ttlMs"], 60_000);
/// assert!(wire.get("result").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// The server-minted id (`taskId`).
    pub id: String,
    /// The current status.
    pub status: TaskStatus,
    /// A human-readable note on the status (`statusMessage`).
    pub status_message: Option<String>,
    /// When the task was created.
    pub created_at: SystemTime,
    /// When the task last changed.
    pub last_updated_at: SystemTime,
    /// How long after creation the task stays readable (`ttlMs`); `None`: unlimited.
    pub ttl_ms: Option<u64>,
    /// How often clients should poll (`pollIntervalMs`).
    pub poll_interval_ms: u64,
    /// The call's result, once `completed`.
    pub result: Option<Value>,
    /// The call's JSON-RPC error (`code`, `message`, `data`), once `failed`.
    pub error: Option<Value>,
    /// The client requests the task waits for (`inputRequests`), by key.
    pub input_requests: BTreeMap<String, Value>,
}

impl TaskRecord {
    /// A `working` task created now.
    pub fn new(id: String, ttl_ms: Option<u64>, poll_interval_ms: u64) -> Self {
        let now = SystemTime::now();
        Self {
            id,
            status: TaskStatus::Working,
            status_message: None,
            created_at: now,
            last_updated_at: now,
            ttl_ms,
            poll_interval_ms,
            result: None,
            error: None,
            input_requests: BTreeMap::new(),
        }
    }

    /// Whether the task's `ttlMs` has run out at `now`.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.ttl_ms.is_some_and(|ttl| {
            now.duration_since(self.created_at)
                .is_ok_and(|age| age > Duration::from_millis(ttl))
        })
    }

    /// The `Task` fields every shape shares.
    fn base(&self) -> Map<String, Value> {
        let mut task = Map::new();
        task.insert("taskId".into(), self.id.clone().into());
        task.insert(
            "status".into(),
            serde_json::to_value(self.status).unwrap_or_default(),
        );
        if let Some(message) = &self.status_message {
            task.insert("statusMessage".into(), message.clone().into());
        }
        task.insert("createdAt".into(), rfc3339(self.created_at).into());
        task.insert("lastUpdatedAt".into(), rfc3339(self.last_updated_at).into());
        task.insert("ttlMs".into(), self.ttl_ms.into());
        task.insert("pollIntervalMs".into(), self.poll_interval_ms.into());
        task
    }

    /// The `CreateTaskResult` a task-creating `tools/call` returns: `resultType: "task"` (first,
    /// so the 2026 wire keeps it) and the task's metadata, without result or input requests.
    pub fn to_created(&self) -> impl Serialize {
        #[derive(Serialize)]
        struct Created {
            #[serde(rename = "resultType")]
            result_type: &'static str,
            #[serde(flatten)]
            task: Map<String, Value>,
        }
        Created {
            result_type: "task",
            task: self.base(),
        }
    }

    /// The `DetailedTask` of `tasks/get` and `notifications/tasks`: the metadata, plus
    /// `inputRequests`, `result` or `error` as the status calls for.
    pub fn to_detailed(&self) -> Value {
        let mut task = self.base();
        match self.status {
            TaskStatus::InputRequired => {
                let requests = self.input_requests.clone().into_iter().collect();
                task.insert("inputRequests".into(), Value::Object(requests));
            }
            TaskStatus::Completed => {
                task.insert("result".into(), self.result.clone().unwrap_or_default());
            }
            TaskStatus::Failed => {
                task.insert("error".into(), self.error.clone().unwrap_or_default());
            }
            TaskStatus::Working | TaskStatus::Cancelled => {}
        }
        Value::Object(task)
    }
}

/// `time` as RFC 3339 in UTC, to the millisecond: `2026-11-25T14:05:09.123Z`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let t = UNIX_EPOCH + Duration::from_millis(1_764_079_509_123);
/// assert_eq!(quickmcp_core::tasks::rfc3339(t), "2025-11-25T14:05:09.123Z");
/// ```
pub fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_cross_leap_years_and_centuries() {
        let at = |secs: u64| rfc3339(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(at(4_107_542_399), "2100-02-28T23:59:59.000Z");
        assert_eq!(at(4_107_542_400), "2100-03-01T00:00:00.000Z");
    }

    #[test]
    fn each_status_shows_its_own_payload() {
        let mut record = TaskRecord::new("t".into(), None, 100);
        record.result = Some(serde_json::json!({"content": []}));
        record
            .input_requests
            .insert("k".into(), serde_json::json!({"method": "x"}));
        assert!(record.to_detailed().get("inputRequests").is_none());
        record.status = TaskStatus::InputRequired;
        assert_eq!(record.to_detailed()["inputRequests"]["k"]["method"], "x");
        assert!(record.to_detailed().get("result").is_none());
        record.status = TaskStatus::Completed;
        assert!(record.to_detailed()["result"]["content"].is_array());
        assert!(record.to_detailed()["ttlMs"].is_null());
        let text = serde_json::to_string(&record.to_created()).unwrap();
        assert!(text.starts_with(r#"{"resultType":"task","#), "{text}");
        assert!(!text.contains("result\""), "{text}");
    }
}
