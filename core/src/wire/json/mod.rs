//! The JSON the wire protocol needs, without a heap: a writer that measures before it writes, a
//! validating reader that borrows the body, and lists of strings (also those Cognito encodes
//! inside a string).
//!
//! * [`JsonWriter`] / [`encode_json`]: request bodies written into a caller buffer, which is left
//!   untouched (and the required size reported) when too small.
//! * [`parse_object`] / [`JsonObject`]: a body validated once (RFC 8259, linear time, no
//!   recursion), then read in place; strings are decoded lazily ([`JsonStr`]).
//! * [`StringList`]: a JSON array of strings, or one encoded inside a string.
//!
//! The reader is written here rather than taken from serde-json-core, which can neither borrow
//! strings that contain escapes nor say how large an output buffer must be; it is fuzzed
//! (`fuzz/fuzz_targets/json_parse.rs`).

mod list;
mod read;
mod scan;
mod validate;
mod write;

pub use list::StringList;
pub use read::{JsonArray, JsonObject, JsonStr, JsonValue, MAX_DEPTH, parse_object};
pub use write::{JsonWriter, encode_json, encoded_len};
