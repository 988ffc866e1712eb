//! The benchmarks' `add(a: i64, b: i64) -> Structured<i64>` tool, written the way `#[tool]`
//! expands it (one `Param` per argument, `Arguments::finish`, the output through
//! `IntoToolResult`), since the macro's output names `::quickmcp`, which mcp-core cannot use.

use std::sync::Arc;

use quickmcp_core::extract::{ExtractCx, ExtractError, Param};
use quickmcp_core::{
    Arguments, CallContext, CallToolResult, InputSchema, McpServer, Structured, ToolDefinition,
    ToolFuture, ToolHandler,
};

const A: Param<i64> = Param::named();
const B: Param<i64> = Param::named();

/// Adds two integers.
pub(crate) struct Add;

fn failed(error: ExtractError) -> ToolFuture {
    match error {
        ExtractError::Argument(text) => ToolFuture::Ready(Ok(CallToolResult::error(text))),
        ExtractError::Rejected(error) => ToolFuture::Ready(Err(error)),
    }
}

/// Extracts `a` and `b` as the generated code does.
pub(crate) fn extract(
    mut args: Arguments<'_>,
    cx: &CallContext<'_>,
) -> Result<(i64, i64), ExtractError> {
    let (a, b) = {
        let mut extract = ExtractCx {
            request: cx,
            args: &mut args,
        };
        (A.extract(&mut extract, "a")?, B.extract(&mut extract, "b")?)
    };
    args.finish()?;
    Ok((a, b))
}

impl ToolHandler for Add {
    fn definition(&self) -> ToolDefinition {
        let mut schema = InputSchema::default();
        A.declare(&mut schema, "a", None);
        B.declare(&mut schema, "b", None);
        let output = schema.output::<Structured<i64>>();
        let mut definition =
            ToolDefinition::new("add", "Add two integers.").input_schema(schema.finish());
        if let Some(output) = output {
            definition = definition.output_schema(output);
        }
        definition
    }

    fn call(&self, args: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        match extract(args, cx) {
            Ok((a, b)) => ToolFuture::ready(Structured(a + b)),
            Err(error) => failed(error),
        }
    }
}

/// A server with `add`, as the HTTP benchmarks serve it.
pub(crate) fn server() -> McpServer {
    let server = McpServer::new("bench");
    server
        .add_tool(Arc::new(Add))
        .expect("`add` registers once");
    server
}
