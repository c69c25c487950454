//! Identity pools (`cognito-identity`, JSON 1.1, `X-Amz-Target: AWSCognitoIdentityService.<Op>`)
//! linked to this user pool: their configuration, the identities they hold, and where their
//! requests go.
//!
//! [`UserPool::handle`] sends targets with the [`IDENTITY_TARGET_PREFIX`] here (the HTTP front
//! end does the same: one server, as a client whose identity endpoint is the emulator's URL
//! expects). They are recorded in a log of their own, [`UserPool::identity_requests`];
//! [`UserPool::requests`] keeps only the user-pool API's. The operations (`GetId`,
//! `GetCredentialsForIdentity`, `GetOpenIdToken`) live in `identity_ops`, the checks of
//! `Logins` in `identity_logins`.
//!
//! # Choices
//!
//! - The only login providers are this user pool (`cognito-idp.<region>.amazonaws.com/<poolId>`,
//!   [`UserPool::identity_provider_name`]) with the app clients of
//!   [`IdentityPoolOptions::client_ids`]; a login of any other provider is
//!   NotAuthorizedException "Token is not from a supported provider of this identity pool.".
//! - A guest identity given logins later (`GetCredentialsForIdentity`, `GetOpenIdToken`) becomes
//!   that user's identity, as Cognito links them, unless the user already has one (then
//!   NotAuthorizedException "Logins don't match. …").
//! - There are no roles: `CustomRoleArn` is InvalidParameterException; credentials are random,
//!   well-formed, and grant nothing.
//! - A wrong JSON type is SerializationException, as in the user-pool API; a missing or
//!   malformed id InvalidParameterException.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use super::wire::{CONTENT_TYPE, Reply, ServiceError};
use super::{Recorded, UserPool};

/// What precedes the operation name in the `X-Amz-Target` of the identity-pool operations.
pub const IDENTITY_TARGET_PREFIX: &str = "AWSCognitoIdentityService.";
/// How long the credentials of `GetCredentialsForIdentity` last, in seconds.
pub const CREDENTIALS_LIFETIME_SECS: u64 = 3600;
/// How long the token of `GetOpenIdToken` lasts, in seconds (Cognito's: ten minutes).
pub const OPENID_TOKEN_LIFETIME_SECS: u64 = 600;
/// The issuer (`iss`) of the tokens of `GetOpenIdToken`.
pub const OPENID_ISSUER: &str = "https://cognito-identity.amazonaws.com";

/// How an identity pool is set up ([`UserPool::add_identity_pool`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityPoolOptions {
    /// The id (`<region>:<uuid>`); `None`: a new one in this user pool's region.
    pub id: Option<String>,
    /// `AllowUnauthenticatedIdentities`: guests (no logins) get identities and credentials.
    pub allow_unauthenticated: bool,
    /// The app clients of this user pool whose ID tokens the pool accepts
    /// (`CognitoIdentityProviders`, each with provider [`UserPool::identity_provider_name`]).
    pub client_ids: Vec<String>,
}

/// An identity of an identity pool, as tests inspect it ([`UserPool::identity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityInfo {
    /// `IdentityId` (`<region>:<uuid>`).
    pub identity_id: String,
    /// The identity pool it belongs to.
    pub identity_pool_id: String,
    /// The user (`sub`) whose logins it stands for; `None` for a guest.
    pub sub: Option<String>,
}

/// One identity pool.
#[derive(Debug, Clone)]
pub(crate) struct IdentityPool {
    pub(crate) id: String,
    pub(crate) allow_unauthenticated: bool,
    /// `(provider name, client id)`.
    pub(crate) providers: Vec<(String, String)>,
}

/// A proven login: the provider and the user it names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ProvenLogin {
    pub(crate) provider: String,
    pub(crate) sub: String,
}

/// One identity.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub(crate) pool_id: String,
    pub(crate) login: Option<ProvenLogin>,
}

/// Every identity pool, identity and identity-pool request.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdentityState {
    pub(crate) pools: BTreeMap<String, IdentityPool>,
    pub(crate) identities: BTreeMap<String, Identity>,
    /// `(identity pool id, login)` → identity id.
    pub(crate) by_login: BTreeMap<(String, ProvenLogin), String>,
    requests: Vec<Recorded>,
}

impl UserPool {
    /// The `Logins` key of this user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`
    /// (`….amazonaws.com.cn/…` in China).
    pub fn identity_provider_name(&self) -> String {
        let suffix = if self.region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("cognito-idp.{}.{suffix}/{}", self.region, self.pool_id)
    }

    /// Creates (or replaces) an identity pool linked to this user pool and returns its id:
    /// [`IdentityPoolOptions::id`], or a new `<region>:<uuid>` in this user pool's region.
    pub fn add_identity_pool(&mut self, options: IdentityPoolOptions) -> String {
        let id = match options.id {
            Some(id) => id,
            None => format!("{}:{}", self.region, self.rng.uuid()),
        };
        let provider = self.identity_provider_name();
        let providers = options
            .client_ids
            .into_iter()
            .map(|client_id| (provider.clone(), client_id))
            .collect();
        self.identity.pools.insert(
            id.clone(),
            IdentityPool {
                id: id.clone(),
                allow_unauthenticated: options.allow_unauthenticated,
                providers,
            },
        );
        id
    }

    /// Sets `AllowUnauthenticatedIdentities` of an identity pool; `false` if there is none.
    pub fn set_allow_unauthenticated(&mut self, identity_pool_id: &str, allow: bool) -> bool {
        match self.identity.pools.get_mut(identity_pool_id) {
            Some(pool) => {
                pool.allow_unauthenticated = allow;
                true
            }
            None => false,
        }
    }

    /// An identity, by its id.
    pub fn identity(&self, identity_id: &str) -> Option<IdentityInfo> {
        self.identity
            .identities
            .get(identity_id)
            .map(|identity| IdentityInfo {
                identity_id: identity_id.to_owned(),
                identity_pool_id: identity.pool_id.clone(),
                sub: identity.login.as_ref().map(|login| login.sub.clone()),
            })
    }

    /// Every identity of an identity pool, ordered by id.
    pub fn identities(&self, identity_pool_id: &str) -> Vec<IdentityInfo> {
        self.identity
            .identities
            .iter()
            .filter(|(_, identity)| identity.pool_id == identity_pool_id)
            .filter_map(|(id, _)| self.identity(id))
            .collect()
    }

    /// Every identity-pool request received so far, in order (`operation` is the target after
    /// [`IDENTITY_TARGET_PREFIX`]). They are not in [`Self::requests`].
    pub fn identity_requests(&self) -> &[Recorded] {
        &self.identity.requests
    }

    /// Handles one identity-pool request (`target` starts with [`IDENTITY_TARGET_PREFIX`]).
    pub(super) fn handle_identity(
        &mut self,
        target: &str,
        content_type: &str,
        body: &[u8],
    ) -> Reply {
        let operation = target
            .strip_prefix(IDENTITY_TARGET_PREFIX)
            .unwrap_or(target);
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        self.identity.requests.push(Recorded {
            operation: operation.to_owned(),
            content_type: content_type.to_owned(),
            body: parsed.clone().unwrap_or(Value::Null),
        });
        let outcome = if content_type != CONTENT_TYPE {
            Err(ServiceError::unknown_operation(format!(
                "Unsupported Content-Type '{content_type}'; expected {CONTENT_TYPE}."
            )))
        } else {
            match parsed {
                None => Err(ServiceError::serialization(
                    "The request body is not valid JSON.",
                )),
                Some(Value::Object(request)) => match operation {
                    "GetId" => self.get_id(&request),
                    "GetCredentialsForIdentity" => self.get_credentials_for_identity(&request),
                    "GetOpenIdToken" => self.get_open_id_token(&request),
                    other => Err(ServiceError::unknown_operation(format!(
                        "The emulator does not implement the operation '{other}'."
                    ))),
                },
                Some(_) => Err(ServiceError::serialization(
                    "Start of structure or map found where not expected.",
                )),
            }
        };
        match outcome {
            Ok(body) => Reply::ok(&body),
            Err(error) => error.into_reply(),
        }
    }
}
