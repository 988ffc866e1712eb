//! JSON Schema generation, once per tool at registration.
//!
//! Schemas are JSON Schema 2020-12 with every `$ref` inlined: several popular clients reject
//! `$ref`, and a tool's schema is read far more often than it is written.

pub(crate) mod elicitation;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};

/// The generator every derived schema comes from.
pub fn generator() -> SchemaGenerator {
    let mut settings = SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    settings.into_generator()
}

/// The schema of `T` as a property value (no `$schema`, no root `title`).
pub fn property_schema<T: JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Value {
    strip_root(generator.subschema_for::<T>())
}

/// The schema of `T` as a whole object schema (for `Args<T>` and outputs).
pub fn root_schema<T: JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Value {
    strip_root(generator.root_schema_for::<T>())
}

fn strip_root(schema: Schema) -> Value {
    let mut value = schema.to_value();
    if let Value::Object(map) = &mut value {
        map.remove("$schema");
        map.remove("title");
    }
    value
}

/// Whether a schema's root is `type: "object"`.
pub fn is_object_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
}

/// `{"type":"object","properties":{"result": inner},"required":["result"]}`: how a non-object
/// structured result is wrapped, since the 2025 wire wants an object.
pub fn wrap_result_schema(inner: Value) -> Value {
    let mut properties = Map::new();
    properties.insert("result".into(), inner);
    serde_json::json!({"type": "object", "properties": properties, "required": ["result"]})
}
