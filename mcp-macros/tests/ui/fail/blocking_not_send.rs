use quickmcp::prelude::*;
use quickmcp::{CallContext, FromCallContext, McpError};
use std::rc::Rc;

/// An injected value that cannot leave its thread.
struct Local(Rc<u8>);

impl FromCallContext for Local {
    type Rejection = McpError;

    fn from_call_context(_: &CallContext<'_>) -> Result<Self, McpError> {
        Ok(Local(Rc::new(1)))
    }
}

/// Runs on the blocking pool, so its arguments move to another thread.
#[tool(blocking)]
fn local(value: Local) -> String {
    value.0.to_string()
}

fn main() {
    let _ = Server::new("x").tool(local);
}
