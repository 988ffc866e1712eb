//! Tools: the [`ToolHandler`] trait the macros implement, and the registry that serves them.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

pub(crate) use super::RegisterError;
use super::{Entry, Registry};

use crate::error::McpError;
use crate::extract::Arguments;
use crate::handler::CallContext;
use crate::protocol::content::CallToolResult;
use crate::protocol::headers::{param_headers, ParamHeader};
use crate::protocol::tasks::TaskSupport;
use crate::protocol::tools::ToolAnnotations;
use crate::protocol::Icon;
use crate::response::IntoToolResult;

/// What a tool call produces: a result, or a protocol error for the JSON-RPC envelope.
pub type ToolResponse = Result<CallToolResult, McpError>;

/// The outcome of starting a tool call: already done (sync tools, no allocation), or a future.
pub enum ToolFuture {
    /// The call finished synchronously.
    Ready(ToolResponse),
    /// The call is running.
    Pending(Pin<Box<dyn Future<Output = ToolResponse> + Send>>),
}

impl ToolFuture {
    /// A finished call.
    pub fn ready(result: impl IntoToolResult) -> Self {
        Self::Ready(Ok(result.into_tool_result()))
    }

    /// A running call.
    pub fn pending<F, R>(future: F) -> Self
    where
        F: Future<Output = R> + Send + 'static,
        R: IntoToolResult,
    {
        Self::Pending(Box::pin(async move { Ok(future.await.into_tool_result()) }))
    }

    /// Resolves the call.
    pub async fn resolve(self) -> ToolResponse {
        match self {
            Self::Ready(result) => result,
            Self::Pending(future) => future.await,
        }
    }
}

impl From<ToolFuture> for super::Reply<CallToolResult> {
    fn from(future: ToolFuture) -> Self {
        match future {
            ToolFuture::Ready(result) => Self::Ready(result),
            ToolFuture::Pending(future) => Self::Pending(future),
        }
    }
}

/// A callable tool with its metadata.
///
/// `#[tool]` implements this for you; implement it by hand for dynamic tools (proxies, tools
/// generated from an OpenAPI document...).
///
/// ```
/// use quickmcp_core::{Arguments, CallContext, ToolDefinition, ToolFuture, ToolHandler};
///
/// struct Echo;
///
/// impl ToolHandler for Echo {
///     fn definition(&self) -> ToolDefinition {
///         ToolDefinition::new("echo", "Echo the arguments back as JSON.")
///     }
///     fn call(&self, args: Arguments<'_>, _cx: &CallContext<'_>) -> ToolFuture {
///         ToolFuture::ready(args.raw().to_string())
///     }
/// }
/// ```
pub trait ToolHandler: Send + Sync + 'static {
    /// Name, description and schemas. Called once, at registration.
    fn definition(&self) -> ToolDefinition;

    /// Starts a call. Argument problems become a result with `isError: true`.
    fn call(&self, args: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture;
}

/// A type whose methods are tools: `#[tools]` on an `impl` block implements it.
pub trait ToolBox: Send + Sync + 'static {
    /// One handler per `#[tool]` method, each sharing `self`.
    fn tools(self: Arc<Self>) -> Vec<Arc<dyn ToolHandler>>;
}

/// A [`ToolBox`] given by value or already in an `Arc`: what registering a toolbox takes, so
/// callers can keep a handle to the instance the tools share.
pub trait IntoToolBox {
    /// The toolbox type.
    type ToolBox: ToolBox;

    /// The shared instance.
    fn into_shared(self) -> Arc<Self::ToolBox>;
}

impl<T: ToolBox> IntoToolBox for T {
    type ToolBox = T;

    fn into_shared(self) -> Arc<T> {
        Arc::new(self)
    }
}

impl<T: ToolBox> IntoToolBox for Arc<T> {
    type ToolBox = T;

    fn into_shared(self) -> Arc<T> {
        self
    }
}

/// A tool's metadata, as `tools/list` shows it.
///
/// ```
/// use quickmcp_core::ToolDefinition;
///
/// let def = ToolDefinition::new("ping", "Answers pong.").read_only(true);
/// let json = serde_json::to_value(&def).unwrap();
/// assert_eq!(json["inputSchema"], serde_json::json!({"type": "object", "properties": {}}));
/// assert_eq!(json["annotations"]["readOnlyHint"], true);
/// ```
#[derive(Debug, Clone)]
pub struct ToolDefinition {
    /// Unique name, `[A-Za-z0-9_.-]{1,128}`.
    pub name: Cow<'static, str>,
    /// Display name.
    pub title: Option<String>,
    /// What the tool does, for the model; `tools/list` leaves the key out when it is `None`
    /// (the spec makes it optional).
    pub description: Option<String>,
    /// JSON Schema of the arguments (root `type: object`).
    pub input_schema: Value,
    /// The input schema as written, when set with
    /// [`input_schema_json`](Self::input_schema_json): served instead of `input_schema`, with
    /// its key order and every keyword (`$schema`, `$defs`, `$anchor`...) kept.
    pub input_schema_text: Option<Arc<RawValue>>,
    /// JSON Schema of `structuredContent`.
    pub output_schema: Option<Value>,
    /// Behaviour hints.
    pub annotations: ToolAnnotations,
    /// Icons.
    pub icons: Vec<Icon>,
    /// Server-side labels for filtering ([`McpServer::include_tags`](crate::McpServer::include_tags),
    /// per-session visibility). Never sent to clients.
    pub tags: Vec<String>,
    /// Whether the tool runs as a task for clients of the tasks extension (2026 wire).
    pub task_support: TaskSupport,
    /// The body runs inside the request (asking through MRTR) until it calls
    /// [`Context::start_task`](crate::Context::start_task), instead of becoming a task at once.
    pub defer_task: bool,
    /// How long a call may run before the engine stops it; `None` leaves it to the
    /// server's default (`McpServer::call_timeout`). Set with [`timeout`](Self::timeout).
    /// Never sent to clients.
    pub timeout: Option<Duration>,
    /// The OAuth scopes a caller's token must grant for this operation (issue 12's auth layer
    /// enforces them). Set with [`scopes`](Self::scopes). Never sent to clients.
    pub scopes: Vec<String>,
}

impl Serialize for ToolDefinition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        if let Some(title) = &self.title {
            map.serialize_entry("title", title)?;
        }
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        match &self.input_schema_text {
            Some(text) => map.serialize_entry("inputSchema", &**text)?,
            None => map.serialize_entry("inputSchema", &self.input_schema)?,
        }
        if let Some(output) = &self.output_schema {
            map.serialize_entry("outputSchema", output)?;
        }
        if !self.annotations.is_empty() {
            map.serialize_entry("annotations", &self.annotations)?;
        }
        if !self.icons.is_empty() {
            map.serialize_entry("icons", &self.icons)?;
        }
        map.end()
    }
}

impl ToolDefinition {
    /// A tool that takes no arguments. An empty description is none, as with
    /// [`named`](Self::named).
    pub fn new(name: impl Into<Cow<'static, str>>, description: impl Into<String>) -> Self {
        let description: String = description.into();
        Self::named(name).description(description)
    }

    /// A tool without a description that takes no arguments: `tools/list` shows no
    /// `description` key for it.
    ///
    /// ```
    /// use quickmcp_core::ToolDefinition;
    ///
    /// let def = ToolDefinition::named("ping");
    /// assert_eq!(def.description, None);
    /// assert_eq!(
    ///     serde_json::to_value(&def).unwrap(),
    ///     serde_json::json!({"name": "ping", "inputSchema": {"type": "object", "properties": {}}})
    /// );
    /// ```
    pub fn named(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            title: None,
            description: None,
            input_schema: serde_json::json!({"type": "object", "properties": {}}),
            input_schema_text: None,
            output_schema: None,
            annotations: ToolAnnotations::default(),
            icons: Vec::new(),
            tags: Vec::new(),
            task_support: TaskSupport::Forbidden,
            defer_task: false,
            timeout: None,
            scopes: Vec::new(),
        }
    }

    /// Sets whether the tool runs as a task (the tasks extension, 2026 wire).
    #[must_use]
    pub fn task_support(mut self, support: TaskSupport) -> Self {
        self.task_support = support;
        self
    }

    /// Runs the body inside the request until it calls
    /// [`Context::start_task`](crate::Context::start_task): it can first gather input through
    /// MRTR, then become a task. Only meaningful with [`task_support`](Self::task_support).
    ///
    /// ```
    /// use quickmcp_core::{tasks::TaskSupport, ToolDefinition};
    ///
    /// let def = ToolDefinition::new("ask_then_work", "Asks, then works for long.")
    ///     .task_support(TaskSupport::Required)
    ///     .defer_task(true);
    /// assert!(def.defer_task);
    /// ```
    #[must_use]
    pub fn defer_task(mut self, defer: bool) -> Self {
        self.defer_task = defer;
        self
    }

    /// Sets the display name.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the description; an empty one removes it.
    ///
    /// ```
    /// use quickmcp_core::ToolDefinition;
    ///
    /// let def = ToolDefinition::named("ping").description("Answers pong.");
    /// assert_eq!(def.description.as_deref(), Some("Answers pong."));
    /// assert_eq!(ToolDefinition::new("ping", "").description, None);
    /// ```
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        let description: String = description.into();
        self.description = (!description.is_empty()).then_some(description);
        self
    }

    /// Sets `readOnlyHint`.
    #[must_use]
    pub fn read_only(mut self, hint: bool) -> Self {
        self.annotations.read_only_hint = Some(hint);
        self
    }

    /// Sets `destructiveHint`.
    #[must_use]
    pub fn destructive(mut self, hint: bool) -> Self {
        self.annotations.destructive_hint = Some(hint);
        self
    }

    /// Sets `idempotentHint`.
    #[must_use]
    pub fn idempotent(mut self, hint: bool) -> Self {
        self.annotations.idempotent_hint = Some(hint);
        self
    }

    /// Sets `openWorldHint`.
    #[must_use]
    pub fn open_world(mut self, hint: bool) -> Self {
        self.annotations.open_world_hint = Some(hint);
        self
    }

    /// Adds an icon.
    #[must_use]
    pub fn icon(mut self, icon: Icon) -> Self {
        self.icons.push(icon);
        self
    }

    /// Adds a tag: server-side metadata that tag filters and per-session visibility match on.
    /// Tags are not part of `tools/list`.
    ///
    /// ```
    /// use quickmcp_core::ToolDefinition;
    ///
    /// let def = ToolDefinition::new("drop_table", "Drop a table.").tag("admin").tag("beta");
    /// assert_eq!(def.tags, ["admin", "beta"]);
    /// assert!(!serde_json::to_string(&def).unwrap().contains("admin"));
    /// ```
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Sets the input schema verbatim.
    #[must_use]
    pub fn input_schema(mut self, schema: Value) -> Self {
        self.input_schema = schema;
        self.input_schema_text = None;
        self
    }

    /// Sets the input schema from JSON text, served as written (every JSON Schema 2020-12
    /// keyword and the key order kept) minus the whitespace between tokens: a message must
    /// stay on one line, as stdio and SSE frame them by line. Arguments then reach the tool as
    /// written too: take them whole with an `Args<serde_json::Value>` (or `Args<T>`) parameter.
    ///
    /// ```
    /// use quickmcp_core::ToolDefinition;
    ///
    /// let schema = r#"{
    ///     "$schema": "https://json-schema.org/draft/2020-12/schema",
    ///     "type": "object"
    /// }"#;
    /// let def = ToolDefinition::new("raw", "Raw schema.").input_schema_json(schema).unwrap();
    /// let json = serde_json::to_string(&def).unwrap();
    /// assert!(json.contains(
    ///     r#""inputSchema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}"#
    /// ));
    /// ```
    pub fn input_schema_json(mut self, text: &str) -> Result<Self, serde_json::Error> {
        self.input_schema = serde_json::from_str(text)?;
        self.input_schema_text = Some(Arc::from(RawValue::from_string(compact_json(text))?));
        Ok(self)
    }

    /// Sets the output schema verbatim.
    #[must_use]
    pub fn output_schema(mut self, schema: Value) -> Self {
        self.output_schema = Some(schema);
        self
    }
}

/// `text`, valid JSON, without whitespace between tokens (the only place JSON may hold a raw
/// line break: inside strings it is escaped). Keeps everything else, key order included.
fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        out.push(c);
    }
    out
}

/// A hand-written input schema, as `#[tool(input_schema = path)]` takes it: a
/// `serde_json::Value`, or JSON text (`&'static str`, `String`) served as written.
///
/// ```
/// use quickmcp_core::IntoInputSchema;
/// use quickmcp_core::ToolDefinition;
///
/// let def = r#"{"type":"object","properties":{"q":{"type":"string"}}}"#
///     .apply(ToolDefinition::new("search", "Search."));
/// assert_eq!(def.input_schema["properties"]["q"]["type"], "string");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an input schema",
    label = "`input_schema = ...` names a function returning the schema",
    note = "return a `serde_json::Value`, or the schema as JSON text (`&'static str` or `String`)"
)]
pub trait IntoInputSchema {
    /// Sets `definition`'s input schema.
    ///
    /// # Panics
    /// If JSON text is not valid JSON (at registration, as a builder misuse).
    fn apply(self, definition: ToolDefinition) -> ToolDefinition;
}

impl IntoInputSchema for Value {
    fn apply(self, definition: ToolDefinition) -> ToolDefinition {
        definition.input_schema(self)
    }
}

impl IntoInputSchema for &str {
    #[track_caller]
    fn apply(self, definition: ToolDefinition) -> ToolDefinition {
        let name = definition.name.clone();
        definition
            .input_schema_json(self)
            .unwrap_or_else(|e| panic!("the input schema of tool `{name}` is not valid JSON: {e}"))
    }
}

impl IntoInputSchema for String {
    #[track_caller]
    fn apply(self, definition: ToolDefinition) -> ToolDefinition {
        self.as_str().apply(definition)
    }
}

#[derive(Clone)]
pub(crate) struct RegisteredTool {
    pub(crate) handler: Arc<dyn ToolHandler>,
    pub(crate) definition: ToolDefinition,
    /// The `Mcp-Param-*` headers its input schema declares, read once here.
    pub(crate) headers: Arc<[ParamHeader]>,
}

impl Entry for RegisteredTool {
    const LIST_KEY: &'static str = "tools";
    const KIND: crate::protocol::ListKind = crate::protocol::ListKind::Tools;
    type Definition = ToolDefinition;

    fn key(&self) -> &str {
        &self.definition.name
    }

    fn definition(&self) -> &ToolDefinition {
        &self.definition
    }

    fn tags(&self) -> &[String] {
        &self.definition.tags
    }

    fn scopes(&self) -> &[String] {
        &self.definition.scopes
    }

    fn duplicate(key: &str) -> RegisterError {
        RegisterError::Duplicate(key.into())
    }
}

/// Whether `name` follows the tool naming rule: 1 to 128 of `[A-Za-z0-9_.-]`.
pub fn is_valid_tool_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

/// The tools a server serves.
pub(crate) type ToolRegistry = Registry<RegisteredTool>;

impl Registry<RegisteredTool> {
    pub(crate) fn add(&self, handler: Arc<dyn ToolHandler>) -> Result<(), RegisterError> {
        let definition = handler.definition();
        if !is_valid_tool_name(&definition.name) {
            return Err(RegisterError::InvalidName(definition.name.into_owned()));
        }
        let headers = param_headers(&definition.input_schema)
            .map_err(|e| RegisterError::InvalidHeader(definition.name.to_string(), e))?;
        self.insert(RegisteredTool {
            handler,
            definition,
            headers: headers.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_written_schemas_are_served_on_one_line_as_written() {
        let text = "{\n  \"$defs\": {\"a b\": {\"const\": \"x \\\" \\n\\\\\"}},\r\n\t\"type\" : \"object\"\n}\n";
        let def = ToolDefinition::new("t", "T.")
            .input_schema_json(text)
            .unwrap();
        let served = serde_json::to_string(&def).unwrap();
        assert!(!served.contains(['\n', '\r']), "{served}");
        assert!(
            served.contains(
                r#""inputSchema":{"$defs":{"a b":{"const":"x \" \n\\"}},"type":"object"}"#
            ),
            "{served}"
        );
        let parsed: Value = serde_json::from_str(&served).unwrap();
        assert_eq!(parsed["inputSchema"], def.input_schema);
    }
}
