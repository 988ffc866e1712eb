//! The tasks extension's pieces of a tool definition and of capabilities (the extension
//! itself runs in `tasks/`).

/// The extension's identifier, under `capabilities.extensions`.
pub const EXTENSION: &str = "io.modelcontextprotocol/tasks";

/// Whether a tool may run as a task.
///
/// ```
/// use quickmcp_core::tasks::TaskSupport;
/// use quickmcp_core::ToolDefinition;
///
/// let def = ToolDefinition::new("render", "Render a video.").task_support(TaskSupport::Required);
/// assert_eq!(def.task_support, TaskSupport::Required);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaskSupport {
    /// Never a task (the default).
    #[default]
    Forbidden,
    /// A task when the client declares the extension, else a plain call.
    Optional,
    /// Always a task: a client without the extension gets `-32021`.
    Required,
}

impl TaskSupport {
    /// Whether the tool can run as a task.
    pub fn allowed(self) -> bool {
        self != Self::Forbidden
    }
}
