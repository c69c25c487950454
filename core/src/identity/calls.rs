//! `GetId`, `GetCredentialsForIdentity` and `GetOpenIdToken`: writers and reply readers.

use core::fmt;

use super::credentials::AwsCredentials;
use super::logins::{self, Logins};
use super::request::{IdentityOperation, IdentityRequest};
use crate::error::{Error, Misuse, ProtocolError};
use crate::redact::hide;
use crate::wire::{
    ErrorKind, HttpResponse, JsonObject, JsonWriter, Resend, encode_json, read_response,
};

/// Checks an identity pool id or identity id: `<region>:<id>`.
fn validate_id(name: &'static str, id: &str) -> Result<(), Misuse> {
    match id.split_once(':') {
        Some((region, rest))
            if !region.is_empty()
                && !rest.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\') =>
        {
            Ok(())
        }
        _ if id.is_empty() => Err(Misuse::Empty(name)),
        _ => Err(Misuse::Invalid(name)),
    }
}

fn write<'b>(
    buf: &'b mut [u8],
    operation: IdentityOperation,
    resend: Resend,
    members: impl Fn(&mut JsonWriter<'_>),
) -> Result<IdentityRequest<'b>, Error> {
    let len = encode_json(buf, |w| {
        w.begin_object();
        members(w);
        w.end_object();
    })?;
    Ok(IdentityRequest {
        operation,
        body: buf.get(..len).unwrap_or_default(),
        resend,
    })
}

/// The `IdentityId` member of a reply, checked.
fn identity_id<'r>(body: &JsonObject<'r>) -> Result<&'r str, ProtocolError> {
    let id = body
        .require_str("IdentityId")?
        .as_plain()
        .ok_or(ProtocolError::InvalidField("IdentityId"))?;
    validate_id("IdentityId", id).map_err(|_| ProtocolError::InvalidField("IdentityId"))?;
    Ok(id)
}

/// `GetId`: the identity of the user the logins prove (created on first use), or a new guest
/// identity without logins.
///
/// ```
/// use cognito_core::identity::{GetId, Login, user_pool_provider};
/// use cognito_core::wire::{HttpResponse, Resend};
/// let provider = user_pool_provider("eu-west-1_AbC")?;
/// let logins = [Login { provider: &provider, token: "eyJ.id.token" }];
/// let mut buf = [0u8; 256];
/// let request = GetId { identity_pool_id: "eu-west-1:0c1b", account_id: None, logins: &logins }
///     .write(&mut buf)?;
/// assert_eq!(
///     request.body,
///     br#"{"IdentityPoolId":"eu-west-1:0c1b","Logins":{"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC":"eyJ.id.token"}}"#
/// );
/// assert_eq!(request.resend, Resend::AfterAnyFailure);
/// let reply = GetId::read_reply(&HttpResponse::new(200, br#"{"IdentityId":"eu-west-1:77aa"}"#))?;
/// assert_eq!(reply.identity_id, "eu-west-1:77aa");
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct GetId<'a> {
    /// `IdentityPoolId` (`<region>:<id>`).
    pub identity_pool_id: &'a str,
    /// `AccountId`, for pools that ask for it.
    pub account_id: Option<&'a str>,
    /// `Logins`; empty for a guest.
    pub logins: Logins<'a>,
}

/// A `GetId` reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetIdReply<'r> {
    /// `IdentityId`.
    pub identity_id: &'r str,
}

impl GetId<'_> {
    /// Writes the request into `buf`. A guest's `GetId` creates an identity each time it
    /// reaches the pool, so it is resent only when it never left; with logins the answer is
    /// always the same identity, and it is resent after any transient failure.
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<IdentityRequest<'b>, Error> {
        validate_id("IdentityPoolId", self.identity_pool_id)?;
        if self.account_id.is_some_and(str::is_empty) {
            return Err(Misuse::Empty("AccountId").into());
        }
        logins::validate(self.logins)?;
        let resend = if self.logins.is_empty() {
            Resend::OnlyIfUnreceived
        } else {
            Resend::AfterAnyFailure
        };
        write(buf, IdentityOperation::GetId, resend, |w| {
            w.field_opt_str("AccountId", self.account_id);
            w.field_str("IdentityPoolId", self.identity_pool_id);
            logins::write(w, self.logins);
        })
    }

    /// Reads the reply (errors: [`Error::Service`], `NotAuthorizedException` for a token the
    /// pool does not accept, …).
    pub fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<GetIdReply<'r>, Error> {
        let body = read_response(response)?;
        Ok(GetIdReply {
            identity_id: identity_id(&body)?,
        })
    }
}

/// `GetCredentialsForIdentity`: temporary AWS keys for an identity (its authenticated role
/// with logins, the guest role without). Resent after any transient failure: it only mints
/// credentials.
///
/// ```
/// use cognito_core::identity::GetCredentialsForIdentity;
/// use cognito_core::wire::HttpResponse;
/// let mut buf = [0u8; 128];
/// let request = GetCredentialsForIdentity { identity_id: "eu-west-1:77aa", logins: &[], custom_role_arn: None }
///     .write(&mut buf)?;
/// assert_eq!(request.body, br#"{"IdentityId":"eu-west-1:77aa"}"#);
/// let reply = br#"{"IdentityId":"eu-west-1:77aa","Credentials":{"AccessKeyId":"ASIA1","SecretKey":"s","SessionToken":"t","Expiration":1.7e9}}"#;
/// let reply = GetCredentialsForIdentity::read_reply(&HttpResponse::new(200, reply))?;
/// assert_eq!(reply.credentials.expiration.as_secs(), 1_700_000_000);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct GetCredentialsForIdentity<'a> {
    /// `IdentityId`.
    pub identity_id: &'a str,
    /// `Logins`; empty for a guest.
    pub logins: Logins<'a>,
    /// `CustomRoleArn`: one of the roles the token's rules allow.
    pub custom_role_arn: Option<&'a str>,
}

/// A `GetCredentialsForIdentity` reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetCredentialsReply<'r> {
    /// `IdentityId`.
    pub identity_id: &'r str,
    /// `Credentials`.
    pub credentials: AwsCredentials<'r>,
}

impl GetCredentialsForIdentity<'_> {
    /// Writes the request into `buf`.
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<IdentityRequest<'b>, Error> {
        validate_id("IdentityId", self.identity_id)?;
        if self.custom_role_arn.is_some_and(str::is_empty) {
            return Err(Misuse::Empty("CustomRoleArn").into());
        }
        logins::validate(self.logins)?;
        write(
            buf,
            IdentityOperation::GetCredentialsForIdentity,
            Resend::AfterAnyFailure,
            |w| {
                w.field_opt_str("CustomRoleArn", self.custom_role_arn);
                w.field_str("IdentityId", self.identity_id);
                logins::write(w, self.logins);
            },
        )
    }

    /// Reads the reply: the identity and its credentials (all four members required).
    pub fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<GetCredentialsReply<'r>, Error> {
        let body = read_response(response)?;
        Ok(GetCredentialsReply {
            identity_id: identity_id(&body)?,
            credentials: AwsCredentials::from_object(&body.require_object("Credentials")?)?,
        })
    }

    /// Whether `error`, in reply to this call for an identity id remembered from an earlier
    /// `GetId`, may mean that the id no longer fits: `ResourceNotFoundException` (the identity
    /// was deleted) or `NotAuthorizedException` (the logins belong to another identity, or the
    /// identity is no longer the kind the logins say). A client then forgets the id, asks
    /// `GetId` once more and tries once again; when the token itself is refused, `GetId` says
    /// so too and the client stops there.
    ///
    /// ```
    /// use cognito_core::identity::GetCredentialsForIdentity;
    /// use cognito_core::wire::HttpResponse;
    /// use cognito_core::Error;
    /// let gone = HttpResponse::new(400, br#"{"__type":"ResourceNotFoundException","message":"Identity not found."}"#);
    /// let error = GetCredentialsForIdentity::read_reply(&gone).unwrap_err();
    /// assert!(GetCredentialsForIdentity::may_be_stale_identity(&error));
    /// let throttled = HttpResponse::new(400, br#"{"__type":"TooManyRequestsException"}"#);
    /// let error = GetCredentialsForIdentity::read_reply(&throttled).unwrap_err();
    /// assert!(!GetCredentialsForIdentity::may_be_stale_identity(&error));
    /// ```
    #[must_use]
    pub fn may_be_stale_identity(error: &Error) -> bool {
        matches!(
            error,
            Error::Service(e) if matches!(e.kind(), ErrorKind::NotAuthorized | ErrorKind::ResourceNotFound)
        )
    }
}

/// `GetOpenIdToken`: an OpenID Connect token for an identity (for `AssumeRoleWithWebIdentity`
/// in the basic flow). Resent after any transient failure.
#[derive(Clone, Copy)]
pub struct GetOpenIdToken<'a> {
    /// `IdentityId`.
    pub identity_id: &'a str,
    /// `Logins`; empty for a guest.
    pub logins: Logins<'a>,
}

/// A `GetOpenIdToken` reply. `Debug` does not show the token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct GetOpenIdTokenReply<'r> {
    /// `IdentityId`.
    pub identity_id: &'r str,
    /// `Token`.
    pub token: &'r str,
}

impl GetOpenIdToken<'_> {
    /// Writes the request into `buf`.
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<IdentityRequest<'b>, Error> {
        validate_id("IdentityId", self.identity_id)?;
        logins::validate(self.logins)?;
        write(
            buf,
            IdentityOperation::GetOpenIdToken,
            Resend::AfterAnyFailure,
            |w| {
                w.field_str("IdentityId", self.identity_id);
                logins::write(w, self.logins);
            },
        )
    }

    /// Reads the reply.
    pub fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<GetOpenIdTokenReply<'r>, Error> {
        let body = read_response(response)?;
        let token = body
            .require_str("Token")?
            .as_plain()
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or(ProtocolError::InvalidField("Token"))?;
        Ok(GetOpenIdTokenReply {
            identity_id: identity_id(&body)?,
            token,
        })
    }
}

impl fmt::Debug for GetId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetId")
            .field("identity_pool_id", &self.identity_pool_id)
            .field("account_id", &self.account_id)
            .field("logins", &self.logins)
            .finish()
    }
}

impl fmt::Debug for GetCredentialsForIdentity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetCredentialsForIdentity")
            .field("identity_id", &self.identity_id)
            .field("logins", &self.logins)
            .field("custom_role_arn", &self.custom_role_arn)
            .finish()
    }
}

impl fmt::Debug for GetOpenIdToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetOpenIdToken")
            .field("identity_id", &self.identity_id)
            .field("logins", &self.logins)
            .finish()
    }
}

impl fmt::Debug for GetOpenIdTokenReply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetOpenIdTokenReply")
            .field("identity_id", &self.identity_id)
            .field("token", &hide(self.token))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Login;

    const LOGINS: &[Login<'static>] = &[Login {
        provider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_P",
        token: "id.token.x",
    }];

    #[test]
    fn guests_are_not_resent_after_they_may_have_arrived() {
        let mut buf = [0u8; 256];
        let guest = GetId {
            identity_pool_id: "us-east-1:p",
            account_id: None,
            logins: &[],
        };
        assert_eq!(
            guest.write(&mut buf).unwrap().resend,
            Resend::OnlyIfUnreceived
        );
        let user = GetId {
            logins: LOGINS,
            ..guest
        };
        assert_eq!(
            user.write(&mut buf).unwrap().resend,
            Resend::AfterAnyFailure
        );
    }

    #[test]
    fn misuse() {
        let mut buf = [0u8; 256];
        for (id, err) in [
            ("", Misuse::Empty("IdentityPoolId")),
            ("nocolon", Misuse::Invalid("IdentityPoolId")),
            ("us-east-1:", Misuse::Invalid("IdentityPoolId")),
        ] {
            let call = GetId {
                identity_pool_id: id,
                account_id: None,
                logins: &[],
            };
            assert_eq!(call.write(&mut buf).unwrap_err(), Error::Misuse(err));
        }
        let twice = [LOGINS[0], LOGINS[0]];
        let call = GetCredentialsForIdentity {
            identity_id: "r:i",
            logins: &twice,
            custom_role_arn: None,
        };
        assert!(call.write(&mut buf).is_err());
    }

    #[test]
    fn replies() {
        let ok = br#"{"IdentityId":"r:i","Credentials":{"AccessKeyId":"A","SecretKey":"S","SessionToken":"T","Expiration":1700000000.5}}"#;
        let reply = GetCredentialsForIdentity::read_reply(&HttpResponse::new(200, ok)).unwrap();
        assert_eq!(reply.credentials.expiration.as_secs(), 1_700_000_000);
        assert!(!format!("{reply:?}").contains("\"S\""));
        for (bad, err) in [
            (&br#"{"IdentityId":"r:i"}"#[..], ProtocolError::MissingField("Credentials")),
            (br#"{"IdentityId":"r:i","Credentials":{"AccessKeyId":"A","SecretKey":"S","SessionToken":"T"}}"#, ProtocolError::MissingField("Expiration")),
            (br#"{"IdentityId":"r:i","Credentials":{"AccessKeyId":"A","SecretKey":"","SessionToken":"T","Expiration":1}}"#, ProtocolError::InvalidField("SecretKey")),
            (br#"{"IdentityId":"r:i","Credentials":{"AccessKeyId":"A","SecretKey":"S","SessionToken":"T","Expiration":-1}}"#, ProtocolError::InvalidField("Expiration")),
            (br#"{"IdentityId":"nocolon","Credentials":{}}"#, ProtocolError::InvalidField("IdentityId")),
        ] {
            assert_eq!(GetCredentialsForIdentity::read_reply(&HttpResponse::new(200, bad)).unwrap_err(), Error::Protocol(err));
        }
        let refused = HttpResponse::new(
            400,
            br#"{"__type":"NotAuthorizedException","message":"Invalid login token."}"#,
        );
        let Err(Error::Service(e)) = GetId::read_reply(&refused) else {
            panic!()
        };
        assert_eq!(e.kind(), ErrorKind::NotAuthorized);
        let token = GetOpenIdToken::read_reply(&HttpResponse::new(
            200,
            br#"{"IdentityId":"r:i","Token":"oidc.tok"}"#,
        ))
        .unwrap();
        assert_eq!(token.token, "oidc.tok");
        assert!(!format!("{token:?}").contains("oidc.tok"));
    }
}
