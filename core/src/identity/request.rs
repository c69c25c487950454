//! The identity-pool operations, their requests, and the host they go to.

use core::fmt;

use crate::error::{BufferTooSmall, Misuse};
use crate::wire::sink::{Sink, put_decimal, write_measured};
use crate::wire::{CONTENT_TYPE, Resend, region_of_pool_id};

/// What precedes the operation name in the `X-Amz-Target` header.
pub const IDENTITY_TARGET_PREFIX: &str = "AWSCognitoIdentityService.";
/// The longest identity host [`identity_host`] makes.
pub const MAX_IDENTITY_HOST_LEN: usize = 96;

/// An identity-pool operation that needs no AWS credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentityOperation {
    /// `GetId`: the identity of a user (or a new guest) in the pool.
    GetId,
    /// `GetCredentialsForIdentity`: temporary AWS keys for an identity.
    GetCredentialsForIdentity,
    /// `GetOpenIdToken`: an OpenID token for an identity.
    GetOpenIdToken,
}

impl IdentityOperation {
    /// The operation name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::GetId => "GetId",
            Self::GetCredentialsForIdentity => "GetCredentialsForIdentity",
            Self::GetOpenIdToken => "GetOpenIdToken",
        }
    }

    /// The `X-Amz-Target` header value.
    #[must_use]
    pub const fn target(self) -> &'static str {
        match self {
            Self::GetId => "AWSCognitoIdentityService.GetId",
            Self::GetCredentialsForIdentity => {
                "AWSCognitoIdentityService.GetCredentialsForIdentity"
            }
            Self::GetOpenIdToken => "AWSCognitoIdentityService.GetOpenIdToken",
        }
    }
}

/// The identity-pool host of the region of `pool_id` (an identity pool id
/// `eu-west-1:1234…`, or a user pool id `eu-west-1_AbC`): `cognito-identity.<region>.amazonaws.com`
/// (`….amazonaws.com.cn` in China).
///
/// ```
/// use cognito_core::identity::identity_host;
/// assert_eq!(
///     identity_host("eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f")?.as_str(),
///     "cognito-identity.eu-west-1.amazonaws.com"
/// );
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
pub fn identity_host(pool_id: &str) -> Result<heapless::String<MAX_IDENTITY_HOST_LEN>, Misuse> {
    let region = match pool_id.split_once(':') {
        Some((region, rest)) if !rest.is_empty() => region,
        _ => region_of_pool_id(pool_id)?,
    };
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
    {
        return Err(Misuse::Invalid("identity pool id"));
    }
    let suffix = if region.starts_with("cn-") {
        ".amazonaws.com.cn"
    } else {
        ".amazonaws.com"
    };
    let mut host = heapless::String::new();
    for part in ["cognito-identity.", region, suffix] {
        host.push_str(part).map_err(|_| Misuse::TooLong {
            field: "region",
            max: MAX_IDENTITY_HOST_LEN,
        })?;
    }
    Ok(host)
}

/// A request to an identity pool: `POST /` with `X-Amz-Target: <operation target>`,
/// `Content-Type: application/x-amz-json-1.1` and this body. `Debug` shows the body's length
/// only (it carries tokens).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct IdentityRequest<'b> {
    /// The operation.
    pub operation: IdentityOperation,
    /// The JSON body.
    pub body: &'b [u8],
    /// When it may be sent again after a failure that may have reached the pool.
    pub resend: Resend,
}

impl IdentityRequest<'_> {
    /// Writes the whole HTTP/1.1 request for `host` into `buf` (untouched when too small).
    pub fn write_http(&self, host: &str, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        write_measured(buf, |sink: &mut dyn Sink| {
            self.put_head(host, sink);
            sink.put(self.body);
        })
    }

    /// Writes only the head [`write_http`](Self::write_http) writes (everything before the
    /// body) into `buf`, for transports that send the body from where it lies; `buf` is
    /// untouched when too small.
    pub fn write_http_head(&self, host: &str, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        write_measured(buf, |sink: &mut dyn Sink| self.put_head(host, sink))
    }

    fn put_head(&self, host: &str, sink: &mut dyn Sink) {
        sink.put(b"POST / HTTP/1.1\r\nHost: ");
        sink.put(host.as_bytes());
        sink.put(b"\r\nContent-Type: ");
        sink.put(CONTENT_TYPE.as_bytes());
        sink.put(b"\r\nX-Amz-Target: ");
        sink.put(self.operation.target().as_bytes());
        sink.put(b"\r\nContent-Length: ");
        put_decimal(sink, u64::try_from(self.body.len()).unwrap_or(u64::MAX));
        sink.put(b"\r\n\r\n");
    }
}

impl fmt::Debug for IdentityRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityRequest")
            .field("operation", &self.operation)
            .field("body_len", &self.body.len())
            .field("resend", &self.resend)
            .finish()
    }
}
