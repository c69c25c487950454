//! Where a user pool's tokens come from: the issuer (`iss`) and the path of its key set.

use crate::Misuse;
use crate::wire::region_of_pool_id;

/// The longest issuer [`issuer_of_pool`] writes, in bytes.
pub const MAX_ISSUER_LEN: usize = 128;
/// The longest path [`jwks_path_of_pool`] writes, in bytes.
pub const MAX_JWKS_PATH_LEN: usize = 96;

/// The issuer of a pool's tokens, `https://cognito-idp.<region>.amazonaws.com/<poolId>` (the
/// region is the pool id's prefix).
///
/// [`Misuse::InvalidPoolId`] unless the pool id is `<region>_<name>`, [`Misuse::TooLong`] beyond
/// [`MAX_ISSUER_LEN`] bytes.
///
/// ```
/// use cognito_core::token::issuer_of_pool;
/// assert_eq!(
///     issuer_of_pool("eu-west-1_AbC")?.as_str(),
///     "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
/// );
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
pub fn issuer_of_pool(pool_id: &str) -> Result<heapless::String<MAX_ISSUER_LEN>, Misuse> {
    let region = region_of_pool_id(pool_id)?;
    concat(
        &["https://cognito-idp.", region, ".amazonaws.com/", pool_id],
        "issuer",
        MAX_ISSUER_LEN,
    )
}

/// The path of a pool's key set on its endpoint, `/<poolId>/.well-known/jwks.json`.
///
/// ```
/// use cognito_core::token::jwks_path_of_pool;
/// assert_eq!(jwks_path_of_pool("eu-west-1_AbC")?.as_str(), "/eu-west-1_AbC/.well-known/jwks.json");
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
pub fn jwks_path_of_pool(pool_id: &str) -> Result<heapless::String<MAX_JWKS_PATH_LEN>, Misuse> {
    region_of_pool_id(pool_id)?;
    if !pool_id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
    {
        return Err(Misuse::InvalidPoolId);
    }
    concat(
        &["/", pool_id, "/.well-known/jwks.json"],
        "pool id",
        MAX_JWKS_PATH_LEN,
    )
}

fn concat<const N: usize>(
    parts: &[&str],
    field: &'static str,
    max: usize,
) -> Result<heapless::String<N>, Misuse> {
    let mut out = heapless::String::new();
    for part in parts {
        out.push_str(part)
            .map_err(|_| Misuse::TooLong { field, max })?;
    }
    Ok(out)
}
