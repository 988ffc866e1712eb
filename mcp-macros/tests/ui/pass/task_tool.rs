use quickmcp::prelude::*;
use quickmcp::ToolHandler;

/// Renders for a long time; a task when the client supports tasks.
#[tool(task = "optional")]
async fn render(frames: u32) -> String {
    format!("{frames} frames")
}

/// Asks first (MRTR), then becomes a task.
#[tool(task = "required", defer_task)]
async fn ask_then_work(ctx: Context) -> &'static str {
    ctx.start_task().await;
    "done"
}

fn main() {
    use quickmcp::core::tasks::TaskSupport;
    assert_eq!(render.definition().task_support, TaskSupport::Optional);
    let def = ask_then_work.definition();
    assert_eq!(def.task_support, TaskSupport::Required);
    assert!(def.defer_task);
}
