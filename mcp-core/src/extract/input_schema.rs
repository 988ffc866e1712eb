//! [`InputSchema`]: the `inputSchema` of a tool, built from its parameters' declarations.

use schemars::SchemaGenerator;
use serde_json::{Map, Value};

use crate::protocol::headers::X_MCP_HEADER;
use crate::response::IntoToolResult;
use crate::schema;

/// Builds an input schema from a tool's parameters, in declaration order.
///
/// Generated code calls [`InputSchema::param`] once per parameter; arguments add a property,
/// injected parameters add nothing.
pub struct InputSchema {
    generator: SchemaGenerator,
    properties: Map<String, Value>,
    required: Vec<String>,
    whole: Option<Value>,
}

impl Default for InputSchema {
    fn default() -> Self {
        Self {
            generator: schema::generator(),
            properties: Map::new(),
            required: Vec::new(),
            whole: None,
        }
    }
}

impl InputSchema {
    /// Declares the parameter `name`: `T`'s `ToolParam::declare` decides what it contributes.
    pub fn param<T: super::ToolParam<M>, M>(
        &mut self,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        T::declare(&mut super::ParamDecl {
            name,
            description,
            schema: self,
        });
    }

    pub(crate) fn generator(&mut self) -> &mut SchemaGenerator {
        &mut self.generator
    }

    pub(crate) fn add_property(
        &mut self,
        name: &str,
        mut schema: Value,
        description: Option<&str>,
        required: bool,
    ) {
        if let (Some(text), Value::Object(map)) = (description, &mut schema) {
            map.insert("description".into(), Value::String(text.into()));
        }
        self.properties.insert(name.into(), schema);
        if required {
            self.required.push(name.into());
        }
    }

    /// Marks property `name` as mirrored into `Mcp-Param-{header}`.
    pub(crate) fn set_header(&mut self, name: &str, header: &str) {
        if let Some(Value::Object(property)) = self.properties.get_mut(name) {
            property.insert(X_MCP_HEADER.into(), Value::String(header.into()));
        }
    }

    pub(crate) fn set_whole(&mut self, schema: Value) {
        self.whole = Some(schema);
    }

    /// The output schema of a tool returning `R`.
    pub fn output<R: IntoToolResult>(&mut self) -> Option<Value> {
        R::output_schema(&mut self.generator)
    }

    /// The finished schema: `{"type":"object","properties":{..},"required":[..],"additionalProperties":false}`.
    pub fn finish(self) -> Value {
        if let Some(whole) = self.whole {
            return whole;
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(self.properties));
        if !self.required.is_empty() {
            schema.insert(
                "required".into(),
                self.required.into_iter().map(Value::String).collect(),
            );
        }
        schema.insert("additionalProperties".into(), false.into());
        Value::Object(schema)
    }
}
