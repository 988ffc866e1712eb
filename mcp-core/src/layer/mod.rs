//! quickmcp's own MCP-level layers, for [`McpServer::layer`](crate::McpServer::layer), one
//! folder each in tower's way (`{mod,layer,future}.rs`).

pub mod in_flight;
