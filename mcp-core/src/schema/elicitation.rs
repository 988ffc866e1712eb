//! The restricted schema of an elicitation form: a flat object of primitives.
//!
//! MCP lets a form ask only for strings (`minLength`, `maxLength`, `format` email/uri/date/
//! date-time), numbers and integers (`minimum`, `maximum`), booleans, single-select enums
//! (untitled `enum`, titled `oneOf: [{const, title}]`, legacy `enum` + `enumNames`) and
//! multi-select arrays of enums (`items.enum` or `items.anyOf: [{const, title}]`), each with
//! an optional `title`, `description` and `default`. [`elicitation_schema`] derives that from
//! a Rust type, or says which field cannot be expressed.

use std::fmt;

use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// Why a type cannot be an elicitation form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElicitSchemaError {
    /// The offending field, if the problem is one field.
    pub field: Option<String>,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for ElicitSchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(
                f,
                "field `{field}` cannot be asked for in an elicitation form: {}",
                self.reason
            )?,
            None => write!(
                f,
                "this type cannot be an elicitation form: {}",
                self.reason
            )?,
        }
        f.write_str(" (a form is a flat struct of strings, numbers, booleans, enums and Vec<enum>)")
    }
}

impl std::error::Error for ElicitSchemaError {}

const STRING_FORMATS: [&str; 4] = ["email", "uri", "date", "date-time"];

/// The `requestedSchema` for asking the user for a `T`.
///
/// ```
/// use quickmcp_core::__private::elicitation_schema;
/// use schemars::JsonSchema;
/// use serde::Deserialize;
///
/// #[derive(Deserialize, JsonSchema)]
/// struct Rsvp {
///     /// Your name.
///     name: String,
///     attending: bool,
/// }
///
/// let schema = elicitation_schema::<Rsvp>().unwrap();
/// assert_eq!(schema["properties"]["name"], serde_json::json!({"type": "string", "description": "Your name."}));
/// assert_eq!(schema["required"], serde_json::json!(["name", "attending"]));
///
/// #[derive(Deserialize, JsonSchema)]
/// struct Nested { inner: Rsvp }
/// assert!(elicitation_schema::<Nested>().is_err());
/// ```
pub fn elicitation_schema<T: JsonSchema + ?Sized>() -> Result<Value, ElicitSchemaError> {
    restrict(&super::root_schema::<T>(&mut super::generator()))
}

/// Restricts an already-built object schema to what a form allows (see the module docs).
pub fn restrict(schema: &Value) -> Result<Value, ElicitSchemaError> {
    let whole = |reason: &str| ElicitSchemaError {
        field: None,
        reason: reason.into(),
    };
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err(whole(
            "its schema is not an object (use a struct with named fields)",
        ));
    }
    let empty = Map::new();
    let properties = match schema.get("properties") {
        None => &empty,
        Some(Value::Object(map)) => map,
        Some(_) => return Err(whole("`properties` is not an object")),
    };
    let mut out = Map::new();
    for (name, property) in properties {
        let restricted = property_schema(property).map_err(|reason| ElicitSchemaError {
            field: Some(name.clone()),
            reason,
        })?;
        out.insert(name.clone(), restricted);
    }
    let mut result = json!({"type": "object", "properties": out});
    let required: Vec<&Value> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|name| name.as_str().is_some_and(|n| out.contains_key(n)))
        .collect();
    if !required.is_empty() {
        result["required"] = json!(required);
    }
    Ok(result)
}

fn property_schema(schema: &Value) -> Result<Value, String> {
    let schema = without_null(schema);
    let Some(map) = schema.as_object() else {
        return Err("its schema is not an object".into());
    };
    let mut out = Map::new();
    for key in ["title", "description", "default"] {
        if let Some(value) = map.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if let Some(options) = choices(map)? {
        return Ok(single_select(out, options, map.get("enumNames")));
    }
    let kind = map.get("type").and_then(Value::as_str).unwrap_or("");
    let keep: &[&str] = match kind {
        "string" => &["minLength", "maxLength"],
        "integer" | "number" => &["minimum", "maximum"],
        "boolean" => &[],
        "array" => return multi_select(out, map),
        "object" => return Err("nested objects are not allowed".into()),
        "" => return Err("it has no single `type`".into()),
        other => return Err(format!("type `{other}` is not allowed")),
    };
    out.insert("type".into(), kind.into());
    for key in keep {
        if let Some(value) = map.get(*key) {
            out.insert((*key).into(), value.clone());
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        if kind == "string" && STRING_FORMATS.contains(&format) {
            out.insert("format".into(), format.into());
        }
    }
    Ok(Value::Object(out))
}

/// `Option<T>`: `type: [t, "null"]`, or `anyOf`/`oneOf` with a `{type: null}` member.
fn without_null(schema: &Value) -> Value {
    let mut schema = schema.clone();
    let Some(map) = schema.as_object_mut() else {
        return schema;
    };
    if let Some(Value::Array(types)) = map.get("type") {
        let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if rest.len() == 1 {
            map.insert("type".into(), rest[0].clone());
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get(key) {
            let rest: Vec<&Value> = members
                .iter()
                .filter(|m| m.get("type") != Some(&json!("null")))
                .collect();
            if rest.len() == 1 && members.len() == 2 {
                let mut inner = rest[0].clone();
                if let (Some(inner), Some(outer)) = (inner.as_object_mut(), schema.as_object()) {
                    for k in ["title", "description", "default"] {
                        if let Some(v) = outer.get(k) {
                            inner.entry(k).or_insert_with(|| v.clone());
                        }
                    }
                }
                return without_null(&inner);
            }
        }
    }
    schema
}

/// One option of a select: its value and, if titled, its title.
type Choice = (Value, Option<Value>);

/// The options of an enum schema: `enum: [..]`, or `oneOf`/`anyOf` of `{const}`s.
fn choices(map: &Map<String, Value>) -> Result<Option<Vec<Choice>>, String> {
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        if !values.iter().all(Value::is_string) {
            return Err("enum values must be strings".into());
        }
        return Ok(Some(values.iter().map(|v| (v.clone(), None)).collect()));
    }
    let Some(members) = ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_array))
    else {
        return Ok(None);
    };
    members
        .iter()
        .map(|member| {
            let value = member
                .get("const")
                .or_else(|| member.get("enum").and_then(|e| e.as_array()?.first()))
                .filter(|v| v.is_string())
                .ok_or("only enums of unit variants (string constants) are allowed")?;
            let title = member.get("title").or_else(|| member.get("description"));
            Ok((value.clone(), title.cloned()))
        })
        .collect::<Result<Vec<_>, String>>()
        .map(Some)
}

fn single_select(
    mut out: Map<String, Value>,
    options: Vec<Choice>,
    names: Option<&Value>,
) -> Value {
    out.insert("type".into(), "string".into());
    if options.iter().any(|(_, title)| title.is_some()) {
        out.insert("oneOf".into(), titled(options));
    } else {
        let values: Vec<Value> = options.into_iter().map(|(v, _)| v).collect();
        out.insert("enum".into(), values.into());
        if let Some(names) = names {
            out.insert("enumNames".into(), names.clone());
        }
    }
    Value::Object(out)
}

fn multi_select(mut out: Map<String, Value>, map: &Map<String, Value>) -> Result<Value, String> {
    let items = map.get("items").map(without_null).unwrap_or(Value::Null);
    let options = items
        .as_object()
        .map(choices)
        .transpose()?
        .flatten()
        .ok_or("an array must be of enum values (a multi-select)")?;
    out.insert("type".into(), "array".into());
    for key in ["minItems", "maxItems"] {
        if let Some(value) = map.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    let items = if options.iter().any(|(_, title)| title.is_some()) {
        json!({"anyOf": titled(options)})
    } else {
        let values: Vec<Value> = options.into_iter().map(|(v, _)| v).collect();
        json!({"type": "string", "enum": values})
    };
    out.insert("items".into(), items);
    Ok(Value::Object(out))
}

fn titled(options: Vec<Choice>) -> Value {
    options
        .into_iter()
        .map(|(value, title)| json!({"const": value, "title": title.unwrap_or_else(|| value.clone())}))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    #[derive(Deserialize, Serialize, JsonSchema, Default)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        #[default]
        Active,
        Inactive,
        Pending,
    }

    #[derive(Deserialize, Serialize, JsonSchema)]
    #[serde(rename_all = "lowercase")]
    enum Size {
        /// Small
        S,
        /// Large
        L,
    }

    #[derive(Deserialize, Serialize, JsonSchema)]
    #[serde(default)]
    struct Profile {
        name: String,
        age: u32,
        score: f64,
        status: Status,
        verified: bool,
    }

    impl Default for Profile {
        fn default() -> Self {
            Self {
                name: "John Doe".into(),
                age: 30,
                score: 95.5,
                status: Status::Active,
                verified: true,
            }
        }
    }

    #[test]
    fn container_defaults_become_schema_defaults() {
        let schema = elicitation_schema::<Profile>().unwrap();
        let p = &schema["properties"];
        assert_eq!(p["name"], json!({"type": "string", "default": "John Doe"}));
        assert_eq!(p["age"]["type"], "integer");
        assert_eq!(p["age"]["default"], 30);
        assert_eq!(p["age"]["minimum"], 0);
        assert!(p["age"].get("format").is_none(), "{}", p["age"]);
        assert_eq!(p["score"], json!({"type": "number", "default": 95.5}));
        assert_eq!(
            p["status"],
            json!({"type": "string", "enum": ["active", "inactive", "pending"], "default": "active"})
        );
        assert_eq!(p["verified"], json!({"type": "boolean", "default": true}));
        assert!(schema.get("required").is_none(), "{schema}");
    }

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Form {
        #[schemars(email, length(min = 3, max = 50))]
        email: String,
        nickname: Option<String>,
        /// Shirt size.
        size: Size,
        sizes: Vec<Status>,
        titled_sizes: Option<Vec<Size>>,
        maybe_status: Option<Status>,
    }

    #[test]
    fn restricts_strings_options_and_enums() {
        let schema = elicitation_schema::<Form>().unwrap();
        let p = &schema["properties"];
        assert_eq!(
            p["email"],
            json!({"type": "string", "format": "email", "minLength": 3, "maxLength": 50})
        );
        assert_eq!(p["nickname"], json!({"type": "string"}));
        assert_eq!(
            p["size"],
            json!({"type": "string", "description": "Shirt size.", "oneOf": [
                {"const": "s", "title": "Small"}, {"const": "l", "title": "Large"}]})
        );
        assert_eq!(
            p["sizes"],
            json!({"type": "array", "items": {"type": "string", "enum": ["active", "inactive", "pending"]}})
        );
        assert_eq!(
            p["titled_sizes"]["items"],
            json!({"anyOf": [{"const": "s", "title": "Small"}, {"const": "l", "title": "Large"}]})
        );
        assert_eq!(
            p["maybe_status"],
            json!({"type": "string", "enum": ["active", "inactive", "pending"]})
        );
        assert_eq!(schema["required"], json!(["email", "size", "sizes"]));
    }

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Bad {
        tags: Vec<String>,
    }

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    enum Shape {
        Circle { r: f64 },
        Square(f64),
    }

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct WithShape {
        shape: Shape,
    }

    #[test]
    fn unexpressible_types_are_errors_naming_the_field() {
        let err = elicitation_schema::<Bad>().unwrap_err();
        assert_eq!(err.field.as_deref(), Some("tags"));
        assert!(err.to_string().contains("multi-select"), "{err}");
        assert_eq!(
            elicitation_schema::<WithShape>()
                .unwrap_err()
                .field
                .as_deref(),
            Some("shape")
        );
        assert!(elicitation_schema::<String>().unwrap_err().field.is_none());
        assert!(elicitation_schema::<Vec<u8>>().is_err());
    }

    #[test]
    fn keeps_legacy_enum_names() {
        let schema = restrict(&json!({"type": "object", "properties": {
            "legacy": {"type": "string", "enum": ["a", "b"], "enumNames": ["A", "B"]}
        }}))
        .unwrap();
        assert_eq!(
            schema["properties"]["legacy"],
            json!({"type": "string", "enum": ["a", "b"], "enumNames": ["A", "B"]})
        );
    }
}
