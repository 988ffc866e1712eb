//! The tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) on the 2026-07-28 wire.
//!
//! A tool that supports tasks ([`TaskSupport`], `#[tool(task = "optional" | "required")]`),
//! called by a client that declares the extension in the request's
//! `_meta["io.modelcontextprotocol/clientCapabilities"].extensions`, does not answer with its
//! result: the server stores a `working` [`TaskRecord`] in its [`TaskStore`], answers
//! `CreateTaskResult` (`resultType: "task"`), and runs the tool body in the background. The
//! client then polls `tasks/get` (which inlines the result or the JSON-RPC error once the task
//! is over), answers the body's `ctx.elicit`/`ctx.sample` through `tasks/update`
//! (`inputRequests`/`inputResponses`; the task is `input_required` meanwhile), and may
//! `tasks/cancel` it (the call's cancellation token fires and the body's future is dropped).
//! A `subscriptions/listen` with `notifications.taskIds` gets `notifications/tasks` (the task as
//! `tasks/get` shows it) on each change. A body still running when its task's `ttlMs` runs out
//! is stopped the same way, and the task fails.
//!
//! Configure it with [`McpServer::set_task_store`](crate::McpServer::set_task_store) (any
//! [`TaskStore`]; [`MemoryTaskStore`] by default) and
//! [`McpServer::set_task_timing`](crate::McpServer::set_task_timing), or `Server::task_store`
//! and `Server::task_timing` in `quickmcp`.
//!
//! A tool that returns at once answers synchronously, as the extension allows. A tool marked
//! `defer_task` runs inside the request first, asking through MRTR (`input_required` with a
//! `requestState`) as any tool does, and becomes a task when it calls
//! [`Context::start_task`](crate::Context::start_task).
//!
//! Clients that do not declare the extension get plain results from `optional` tools, and
//! `-32021` (naming the extension in `data.requiredCapabilities`) from `required` tools and
//! from `tasks/*`. The 2025 wire runs every tool inline: the experimental tasks of 2025-11-25
//! are not served.

mod record;
mod run;
mod store;

pub use record::{rfc3339, TaskRecord, TaskStatus};
pub use store::{MemoryTaskStore, StoreFuture, TaskChange, TaskStore, TaskStoreError};

pub use crate::protocol::tasks::{TaskSupport, EXTENSION};
pub(crate) use run::{TaskCall, Tasks};

use serde_json::json;

use crate::error::McpError;
use crate::protocol::v2026::MISSING_CLIENT_CAPABILITY;

/// `-32021` for a client that did not declare the extension.
pub(crate) fn missing_extension(what: &str) -> McpError {
    McpError::new(
        MISSING_CLIENT_CAPABILITY,
        format!("{what} needs the `{EXTENSION}` extension: declare it in the request's client capabilities"),
    )
    .with_data(json!({ "requiredCapabilities": { "extensions": { EXTENSION: {} } } }))
}
