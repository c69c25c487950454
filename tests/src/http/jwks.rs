//! `GET /<poolId>/.well-known/jwks.json`: the pool's signing keys, as the regional Cognito host
//! serves them (`https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`).

use alloc::vec::Vec;

use super::server::{HttpResponse, Shared, with_pool};

/// The content type of the JWKS.
const JWKS_CONTENT_TYPE: &str = "application/json";
/// What follows the pool id in the path.
const JWKS_SUFFIX: &str = "/.well-known/jwks.json";

/// The pool id of a JWKS path (`/<poolId>/.well-known/jwks.json`), if `path` is one.
pub(super) fn pool_id_of(path: &str) -> Option<&str> {
    path.strip_prefix('/')?
        .strip_suffix(JWKS_SUFFIX)
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// The JWKS of the served pool if `pool_id` is its id, else 404.
pub(super) fn jwks(shared: &Shared, pool_id: &str) -> HttpResponse {
    let body = with_pool(shared, |pool| {
        (pool.pool_id() == pool_id).then(|| pool.jwks_json().to_string())
    });
    match body {
        Some(Some(body)) => HttpResponse {
            status: 200,
            content_type: JWKS_CONTENT_TYPE,
            headers: Vec::new(),
            body: body.into_bytes(),
        },
        Some(None) => HttpResponse::error(
            404,
            "ResourceNotFoundException",
            "User pool does not exist.",
        ),
        None => HttpResponse::error(
            500,
            "InternalErrorException",
            "The emulator failed on this request.",
        ),
    }
}
