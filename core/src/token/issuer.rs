//! Where a user pool's tokens come from: the issuer (`iss`) in either of the pool's issuer
//! formats, the host that serves its key set, and the path of the key set there.

use crate::Misuse;
use crate::wire::{Endpoint, region_of_pool_id};

use super::jwt::decode_claims;

/// The longest issuer [`IssuerFormat::issuer`] writes, in bytes.
pub const MAX_ISSUER_LEN: usize = 128;
/// The longest path [`jwks_path_of_pool`] writes, in bytes.
pub const MAX_JWKS_PATH_LEN: usize = 96;

/// A user pool's issuer configuration (the pool's `IssuerConfiguration` type): the URL its
/// tokens name as `iss`. The issuer's host also serves the key set, at
/// `<issuer>/.well-known/jwks.json` ([`jwks_path_of_pool`]).
///
/// A pool can be switched from one to the other, and tokens issued before the switch stay
/// valid until they expire, so a verifier of a pool's tokens accepts both (each verified
/// against the key set of the issuer it names: [`which_issuer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssuerFormat {
    /// `ORIGINAL`, the default: `https://cognito-idp.<region>.amazonaws.com/<poolId>`, the
    /// pool's regional host.
    Original,
    /// `UPDATED`, which AWS recommends and multi-Region replication requires:
    /// `https://issuer-cognito-idp.<region>.amazonaws.com/<poolId>`, with the pool's primary
    /// region (its id's prefix); the key set is served in every region of the pool.
    Updated,
}

impl IssuerFormat {
    /// Every format, the default first.
    pub const ALL: &'static [IssuerFormat] = &[IssuerFormat::Original, IssuerFormat::Updated];

    /// The host that issues the pool's tokens and serves their key set:
    /// `cognito-idp.<region>.amazonaws.com` or `issuer-cognito-idp.<region>.amazonaws.com`
    /// (`….amazonaws.com.cn` in the China regions, as [`Endpoint::aws`]).
    ///
    /// [`Misuse::InvalidPoolId`] unless the pool id is `<region>_<name>`.
    ///
    /// ```
    /// use cognito_core::token::IssuerFormat;
    /// assert_eq!(
    ///     IssuerFormat::Updated.host("eu-west-1_AbC")?.host(),
    ///     "issuer-cognito-idp.eu-west-1.amazonaws.com"
    /// );
    /// # Ok::<(), cognito_core::Misuse>(())
    /// ```
    pub fn host(self, pool_id: &str) -> Result<Endpoint, Misuse> {
        let region = region_of_pool_id(pool_id)?;
        match self {
            IssuerFormat::Original => Endpoint::aws(region),
            IssuerFormat::Updated => Endpoint::aws_service("issuer-cognito-idp.", region),
        }
    }

    /// The issuer of the pool's tokens in this format, `https://<host>/<poolId>`.
    ///
    /// [`Misuse::InvalidPoolId`] unless the pool id is `<region>_<name>`, [`Misuse::TooLong`]
    /// beyond [`MAX_ISSUER_LEN`] bytes.
    ///
    /// ```
    /// use cognito_core::token::IssuerFormat;
    /// assert_eq!(
    ///     IssuerFormat::Original.issuer("eu-west-1_AbC")?.as_str(),
    ///     "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
    /// );
    /// assert_eq!(
    ///     IssuerFormat::Updated.issuer("eu-west-1_AbC")?.as_str(),
    ///     "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
    /// );
    /// # Ok::<(), cognito_core::Misuse>(())
    /// ```
    pub fn issuer(self, pool_id: &str) -> Result<heapless::String<MAX_ISSUER_LEN>, Misuse> {
        let host = self.host(pool_id)?;
        concat(
            &["https://", host.host(), "/", pool_id],
            "issuer",
            MAX_ISSUER_LEN,
        )
    }
}

/// The issuer of a pool's tokens in the default format ([`IssuerFormat::Original`]),
/// `https://cognito-idp.<region>.amazonaws.com/<poolId>` (the region is the pool id's prefix).
///
/// Fails like [`IssuerFormat::issuer`].
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
    IssuerFormat::Original.issuer(pool_id)
}

/// Which of `issuers` the token names as `iss` (its index), read **without verifying** the
/// token: for choosing the key set to verify it with when several issuers are accepted. `None`
/// when it names none of them or its claims cannot be read (with `buf` too small among them:
/// the payload decodes to fewer bytes than the token's length); verifying it against any of
/// them then refuses it with the reason.
///
/// ```
/// use cognito_core::token::which_issuer;
/// // {"iss":"https://b"}
/// let token = "e30.eyJpc3MiOiJodHRwczovL2IifQ.c2ln";
/// let mut buf = [0u8; 64];
/// assert_eq!(which_issuer(token, &["https://a", "https://b"], &mut buf), Some(1));
/// assert_eq!(which_issuer(token, &["https://a"], &mut buf), None);
/// ```
pub fn which_issuer(token: &str, issuers: &[&str], buf: &mut [u8]) -> Option<usize> {
    let claims = decode_claims(token, buf).ok()?;
    let iss = claims.iss().ok()??;
    issuers.iter().position(|issuer| iss.eq_str(issuer))
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
