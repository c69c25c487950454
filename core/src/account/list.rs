//! Typed, validated views of JSON arrays in replies, read in place.

use core::fmt;
use core::marker::PhantomData;

use crate::error::ProtocolError;
use crate::wire::{JsonArray, JsonObject, JsonValue};

/// An element type a [`List`] can hold: read from one JSON array element.
pub trait ListItem<'r>: Sized {
    /// Reads one element; the reply's member name is `field` (for errors).
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError>;
}

/// A JSON array of a reply whose elements were all checked when the reply was read, so
/// iterating cannot fail. Borrows the reply body; an absent member reads as an empty list.
pub struct List<'r, T> {
    array: JsonArray<'r>,
    field: &'static str,
    item: PhantomData<fn() -> T>,
}

impl<'r, T: ListItem<'r>> List<'r, T> {
    /// Reads the array member `key` of `obj` (absent or `null`: empty) and checks every element.
    pub(super) fn read(obj: &JsonObject<'r>, key: &'static str) -> Result<Self, ProtocolError> {
        let array = obj
            .get_array(key)?
            .unwrap_or_else(|| JsonArray::from_validated("[]"));
        Self::from_array(array, key)
    }

    /// Checks every element of `array`.
    pub(super) fn from_array(
        array: JsonArray<'r>,
        field: &'static str,
    ) -> Result<Self, ProtocolError> {
        for value in array.iter() {
            T::from_value(value, field)?;
        }
        Ok(List {
            array,
            field,
            item: PhantomData,
        })
    }

    /// The elements in order.
    pub fn iter(&self) -> impl Iterator<Item = T> + 'r + use<'r, T> {
        let field = self.field;
        self.array
            .iter()
            .filter_map(move |value| T::from_value(value, field).ok())
    }

    /// The element at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<T> {
        self.iter().nth(index)
    }

    /// The number of elements.
    #[must_use]
    pub fn len(&self) -> usize {
        self.array.len()
    }

    /// Whether the list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.array.is_empty()
    }

    /// The array's JSON text, from `[` to `]`.
    #[must_use]
    pub fn raw(&self) -> &'r str {
        self.array.raw()
    }
}

impl<T> Clone for List<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<'_, T> {}

impl<'r, T: ListItem<'r> + fmt::Debug> fmt::Debug for List<'r, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Strings without escapes (enum values, ids).
impl<'r> ListItem<'r> for &'r str {
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError> {
        value
            .as_str()
            .and_then(|s| s.as_plain())
            .ok_or(ProtocolError::InvalidField(field))
    }
}

/// The object element, or `InvalidField(field)`.
pub(super) fn object<'r>(
    value: JsonValue<'r>,
    field: &'static str,
) -> Result<JsonObject<'r>, ProtocolError> {
    value.as_object().ok_or(ProtocolError::InvalidField(field))
}
