//! Identity pools (`cognito-identity`), sans-IO: AWS credentials for a signed-in user (or a
//! guest), as Amplify's `fetchAuthSession` gets them.
//!
//! An identity pool trades tokens for temporary AWS keys: [`GetId`] names the user's identity
//! in the pool (created on first use), [`GetCredentialsForIdentity`] returns keys for it, and
//! [`GetOpenIdToken`] an OpenID token for it. Requests are the same JSON 1.1 protocol as the
//! user-pool API, on another host ([`identity_host`]) with `X-Amz-Target:
//! AWSCognitoIdentityService.<Operation>` ([`IdentityRequest`]); errors are the same
//! [`crate::Error::Service`]. A signed-in user proves who they are with [`Logins`]: the user
//! pool's ID token under the key [`user_pool_provider`] makes; a guest sends none.

mod calls;
mod credentials;
mod logins;
mod request;

pub use calls::{
    GetCredentialsForIdentity, GetCredentialsReply, GetId, GetIdReply, GetOpenIdToken,
    GetOpenIdTokenReply,
};
pub use credentials::AwsCredentials;
pub use logins::{Login, Logins, MAX_PROVIDER_LEN, user_pool_provider};
pub use request::{
    IDENTITY_TARGET_PREFIX, IdentityOperation, IdentityRequest, MAX_IDENTITY_HOST_LEN,
    identity_host,
};
