//! User and device attributes in replies (`AttributeType`: `{Name, Value}`).

use super::list::{List, ListItem, object};
use crate::error::ProtocolError;
use crate::wire::{JsonStr, JsonValue};

/// One attribute of a user or device. Values may contain any text, so both are [`JsonStr`]s
/// (compare with [`JsonStr::eq_str`], decode with [`JsonStr::unescape_into`]).
#[derive(Clone, Copy, Debug)]
pub struct Attribute<'r> {
    /// `Name`, for example `email` or `custom:tier`.
    pub name: JsonStr<'r>,
    /// `Value`; absent for attributes without a value.
    pub value: Option<JsonStr<'r>>,
}

impl<'r> ListItem<'r> for Attribute<'r> {
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError> {
        let obj = object(value, field)?;
        Ok(Attribute {
            name: obj.require_str("Name")?,
            value: obj.get_str("Value")?,
        })
    }
}

impl<'r> List<'r, Attribute<'r>> {
    /// The value of the attribute named `name` (the last one if repeated).
    #[must_use]
    pub fn value_of(&self, name: &str) -> Option<JsonStr<'r>> {
        self.iter()
            .filter(|a| a.name.eq_str(name))
            .last()
            .and_then(|a| a.value)
    }
}
