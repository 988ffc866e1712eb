//! The arguments object of a `tools/call`, deserialized field by field from the request bytes.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::{marker, ExtractCx, ExtractError, ParamDecl, PatternParam, ToolParam};
use crate::error::McpError;
use crate::jsonrpc::BorrowedStr;
use crate::schema;

const EMPTY: &str = "{}";

/// The `arguments` of a call: each value stays raw JSON until its parameter's type reads it.
pub struct Arguments<'a> {
    raw: &'a RawValue,
    fields: Vec<Field<'a>>,
    whole_taken: bool,
}

struct Field<'a> {
    key: Cow<'a, str>,
    value: &'a RawValue,
    used: bool,
}

struct Fields<'a>(Vec<Field<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'a>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((key, value)) =
                    map.next_entry::<BorrowedStr<'de>, &'de RawValue>()?
                {
                    fields.push(Field {
                        key: key.0,
                        value,
                        used: false,
                    });
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Arguments<'a> {
    /// Parses `arguments`; absent or `null` means `{}`. Anything but an object is `-32602`.
    pub fn parse(raw: Option<&'a RawValue>) -> Result<Self, McpError> {
        let raw = match raw {
            Some(raw) if raw.get() != "null" => raw,
            _ => return Ok(Self::empty()),
        };
        let Fields(fields) = serde_json::from_str(raw.get()).map_err(|e| {
            McpError::invalid_params(format!("`arguments` must be a JSON object: {e}"))
        })?;
        Ok(Self {
            raw,
            fields,
            whole_taken: false,
        })
    }

    fn empty() -> Self {
        let raw: &'static RawValue = serde_json::from_str(EMPTY).expect("{} is JSON");
        Self {
            raw,
            fields: Vec::new(),
            whole_taken: false,
        }
    }

    /// The whole arguments object as raw JSON.
    pub fn raw(&self) -> &'a RawValue {
        self.raw
    }

    /// Takes the raw value of one argument.
    pub fn take(&mut self, name: &str) -> Option<&'a RawValue> {
        let field = self.fields.iter_mut().find(|f| f.key == name)?;
        field.used = true;
        Some(field.value)
    }

    /// After every parameter is extracted: an argument nobody asked for is an error, since
    /// the schema says `additionalProperties: false`.
    pub fn finish(self) -> Result<(), ExtractError> {
        if self.whole_taken {
            return Ok(());
        }
        match self.fields.iter().find(|f| !f.used) {
            None => Ok(()),
            Some(field) => Err(ExtractError::Argument(format!(
                "unknown argument `{}`",
                field.key
            ))),
        }
    }
}

// An argument is optional when its type accepts `null` (`Option<T>`, `serde_json::Value`...):
// a missing value is then read as `null`.
fn accepts_null<T: DeserializeOwned>() -> bool {
    serde_json::from_str::<T>("null").is_ok()
}

impl<T: DeserializeOwned + JsonSchema> ToolParam<marker::Argument> for T {
    fn declare(decl: &mut ParamDecl<'_>) {
        let property = schema::property_schema::<T>(decl.schema.generator());
        decl.schema
            .add_property(decl.name, property, decl.description, !accepts_null::<T>());
    }

    fn extract(cx: &mut ExtractCx<'_, '_>, name: &'static str) -> Result<Self, ExtractError> {
        let Some(raw) = cx.args.take(name) else {
            return serde_json::from_str("null").map_err(|_| {
                ExtractError::Argument(format!("missing required argument `{name}`"))
            });
        };
        serde_json::from_str(raw.get()).map_err(|e| {
            ExtractError::Argument(format!("invalid value for argument `{name}`: {e}"))
        })
    }
}

/// The whole arguments object as one struct: its fields are the tool's properties, and their
/// doc comments the properties' descriptions.
///
/// ```
/// use quickmcp_core::Args;
/// use schemars::JsonSchema;
/// use serde::Deserialize;
///
/// #[derive(Deserialize, JsonSchema)]
/// struct Search {
///     /// Words to look for.
///     query: String,
///     /// At most this many hits.
///     limit: Option<u32>,
/// }
///
/// fn search(Args(search): Args<Search>) -> String {
///     format!("{} (max {})", search.query, search.limit.unwrap_or(10))
/// }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Args<T>(pub T);

#[diagnostic::do_not_recommend]
impl<T: DeserializeOwned + JsonSchema> ToolParam<marker::WholeArguments> for Args<T> {
    fn declare(decl: &mut ParamDecl<'_>) {
        let whole = schema::root_schema::<T>(decl.schema.generator());
        decl.schema.set_whole(whole);
    }

    fn extract(cx: &mut ExtractCx<'_, '_>, _: &'static str) -> Result<Self, ExtractError> {
        cx.args.whole_taken = true;
        serde_json::from_str(cx.args.raw.get())
            .map(Args)
            .map_err(|e| ExtractError::Argument(format!("invalid arguments: {e}")))
    }
}

impl<T> PatternParam<marker::WholeArguments> for Args<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    #[test]
    fn missing_and_null_mean_empty() {
        assert!(Arguments::parse(None).unwrap().fields.is_empty());
        assert!(Arguments::parse(Some(&raw("null")))
            .unwrap()
            .fields
            .is_empty());
    }

    #[test]
    fn non_objects_are_invalid_params() {
        assert_eq!(
            Arguments::parse(Some(&raw("[1]"))).err().unwrap().code,
            -32602
        );
    }

    #[test]
    fn unknown_arguments_are_reported_by_name() {
        let body = raw(r#"{"a":1,"zz":2}"#);
        let mut args = Arguments::parse(Some(&body)).unwrap();
        assert!(args.take("a").is_some());
        assert_eq!(
            args.finish().unwrap_err().to_string(),
            "unknown argument `zz`"
        );
    }

    #[test]
    fn escaped_keys_match() {
        let body = raw(r#"{"n\u0061me":"x"}"#);
        let mut args = Arguments::parse(Some(&body)).unwrap();
        assert_eq!(args.take("name").unwrap().get(), r#""x""#);
    }

    #[test]
    fn optional_types_accept_null() {
        assert!(accepts_null::<Option<String>>());
        assert!(!accepts_null::<String>());
        assert!(!accepts_null::<i64>());
    }
}
