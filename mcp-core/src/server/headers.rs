//! The `Mcp-Param-*` check of a 2026-wire `tools/call`, against its tool's declarations.

use http::HeaderMap;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::McpServer;
use crate::error::McpError;
use crate::protocol::headers::check;

/// The `arguments` of `tools/call` params, read only for a tool that declares headers.
#[derive(Deserialize)]
struct CallArguments<'a> {
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
}

impl McpServer {
    /// Checks the `Mcp-Param-*` headers of a 2026-wire `tools/call` of `tool` against the
    /// `arguments` in its `call_params`, for a tool whose input schema declares `x-mcp-header`
    /// properties (any other tool, or an unknown one, passes without reading the params:
    /// dispatch reports unknown tools). Every failure is `-32020` `HeaderMismatch`, which the
    /// HTTP transport answers with status 400.
    ///
    /// ```
    /// use quickmcp_core::{McpServer, ToolDefinition, ToolFuture, ToolHandler};
    /// use serde_json::{json, value::RawValue};
    ///
    /// struct Query;
    /// impl ToolHandler for Query {
    ///     fn definition(&self) -> ToolDefinition {
    ///         ToolDefinition::new("query", "Runs a query in a region.").input_schema(json!({
    ///             "type": "object",
    ///             "properties": {"region": {"type": "string", "x-mcp-header": "Region"}},
    ///         }))
    ///     }
    ///     fn call(&self, _: quickmcp_core::Arguments<'_>, _: &quickmcp_core::CallContext<'_>) -> ToolFuture {
    ///         ToolFuture::ready("done")
    ///     }
    /// }
    ///
    /// let server = McpServer::new("demo");
    /// server.add_tool(std::sync::Arc::new(Query)).unwrap();
    /// let params = RawValue::from_string(
    ///     r#"{"name":"query","arguments":{"region":"us-west1"}}"#.into(),
    /// ).unwrap();
    /// let mut headers = http::HeaderMap::new();
    /// assert_eq!(server.check_param_headers("query", Some(&params), &headers).unwrap_err().code, -32020);
    /// headers.insert("mcp-param-region", "us-west1".parse().unwrap());
    /// assert!(server.check_param_headers("query", Some(&params), &headers).is_ok());
    /// ```
    pub fn check_param_headers(
        &self,
        tool: &str,
        call_params: Option<&RawValue>,
        headers: &HeaderMap,
    ) -> Result<(), McpError> {
        let tools = self.engine.tools.snapshot();
        match tools.get(tool, None) {
            Some(entry) if !entry.headers.is_empty() => {
                let arguments = call_params
                    .map(|params| serde_json::from_str::<CallArguments<'_>>(params.get()))
                    .transpose()
                    .map_err(|e| McpError::invalid_params(format!("invalid `arguments`: {e}")))?
                    .and_then(|call| call.arguments);
                check(&entry.headers, tool, arguments, headers)
            }
            _ => Ok(()),
        }
    }
}
