//! The Cognito JSON wire protocol, without I/O.
//!
//! * [`Operation`]: the user-side API operations and their `X-Amz-Target` header values.
//! * [`JsonWriter`] / [`encode_json`]: request bodies written into a caller buffer, which is left
//!   untouched (and the required size reported) when too small.
//! * [`parse_object`] / [`JsonObject`]: response bodies validated up front, then read in place
//!   without copying or allocating.
//! * [`read_response`]: status, `x-amzn-ErrorType` and body to a success object or a
//!   [`ServiceError`] naming one of the [`ErrorKind`]s.
//! * [`Endpoint`] / [`write_http_request`]: where requests go and their HTTP/1.1 framing, for
//!   transports that take raw bytes.

mod http;
mod json;
mod operation;
mod request;
mod resend;
pub(crate) mod response;
mod service_error;
pub(crate) mod sink;

pub use http::{
    Endpoint, MAX_HOST_LEN, http_head_len, http_request_len, pool_name_of_pool_id,
    region_of_pool_id, write_http_head, write_http_request,
};
pub use json::{
    JsonArray, JsonObject, JsonStr, JsonValue, JsonWriter, MAX_DEPTH, StringList, encode_json,
    encoded_len, parse_object,
};
pub use operation::{CONTENT_TYPE, Operation, TARGET_PREFIX};
pub use request::Request;
pub use resend::{Attempt, Resend, Verdict};
pub use response::{HttpResponse, error_type_name, read_response};
pub use service_error::{ErrorKind, MAX_ERROR_MESSAGE_LEN, MAX_ERROR_NAME_LEN, ServiceError};
pub use sink::Sink;
