//! An in-memory, deterministic emulator of the Cognito user-pool JSON API (the server side).
//!
//! [`UserPool::handle`] takes what a client puts on the wire (`X-Amz-Target`, `Content-Type`, body)
//! and returns a [`Reply`] the way `cognito-idp` would: status, `x-amzn-ErrorType` and JSON body.
//! Every request is recorded ([`UserPool::requests`]) so tests can assert the exact sequence of
//! operations and members a client sent.
//!
//! Determinism: all randomness comes from a ChaCha20 stream seeded by the `seed` given to
//! [`UserPool::new`], and time only from [`UserPool::set_time`]/[`UserPool::advance`]; the same
//! calls give the same bytes.
//!
//! # Operations
//!
//! - `InitiateAuth`: `USER_SRP_AUTH`, `USER_PASSWORD_AUTH`, `CUSTOM_AUTH` (plain or
//!   `CHALLENGE_NAME=SRP_A`), `USER_AUTH` (choice-based), `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN`;
//! - `RespondToAuthChallenge`: `PASSWORD_VERIFIER`, `DEVICE_SRP_AUTH`, `DEVICE_PASSWORD_VERIFIER`,
//!   `NEW_PASSWORD_REQUIRED`, `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_OTP`,
//!   `SELECT_MFA_TYPE`, `MFA_SETUP`, `CUSTOM_CHALLENGE`, `SELECT_CHALLENGE` (also `PASSWORD` /
//!   `PASSWORD_SRP` named directly), `WEB_AUTHN`;
//! - `GetTokensFromRefreshToken`, `AssociateSoftwareToken` / `VerifySoftwareToken` (access token
//!   or Session), `SetUserMFAPreference`, `ConfirmDevice`, `UpdateDeviceStatus`, `ForgetDevice`;
//! - without a token: `SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`, `ForgotPassword`,
//!   `ConfirmForgotPassword`, `RevokeToken`, `UpdateAuthEventFeedback`;
//! - with an access token: `GetUser`, `GetUserAuthFactors`, `UpdateUserAttributes`,
//!   `DeleteUserAttributes`, `GetUserAttributeVerificationCode`, `VerifyUserAttribute`,
//!   `ChangePassword`, `GlobalSignOut`, `DeleteUser`, `SetUserSettings`, `GetDevice`,
//!   `ListDevices`, `StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`,
//!   `ListWebAuthnCredentials`, `DeleteWebAuthnCredential`.
//!
//! Outside the JSON API, the hosted UI's OAuth 2.0 endpoints (served by [`crate::http`]):
//! `/oauth2/authorize` and `/login` (the `oauth` module: authorization code with PKCE S256),
//! `/oauth2/token` (`authorization_code`, `refresh_token`, `client_credentials`),
//! `/oauth2/revoke` and `/oauth2/userInfo` (the `oauth_token` module), `/logout`. They share the
//! users, passwords and token store with the JSON API.
//!
//! Other operations answer `UnknownOperationException`. The rules of each part live in its
//! module: sign-in pipeline and order of steps (`auth`), SRP and device SRP (`srp_auth`), Sessions
//! (`sessions`), plain passwords and NEW_PASSWORD_REQUIRED (`password`), MFA (`mfa`), software
//! tokens (`software_token`), custom auth (`custom`), choice-based sign-in (`choice`), passkeys
//! ([`webauthn`](Passkey)), refresh (`refresh`), sent codes (`outbox`), tokens (`tokens`);
//! sign-up (`signup`), password recovery (`recovery`), the user's own account (`account`),
//! attributes (`attributes`), devices (`devices`), passkey management (`passkeys`), sign-out and
//! token revocation (`revocation`), auth-event feedback (`feedback`).
//!
//! Access tokens are refused with NotAuthorizedException:
//! "Invalid Access Token" (not signed here, altered, an id token, or a client-credentials
//! token), "Access Token has been revoked" (GlobalSignOut, RevokeToken of its refresh token,
//! DeleteUser), "Access Token has expired", "Access Token does not have required scopes" (a
//! hosted-UI token without [`ADMIN_SCOPE`]). Revoked refresh tokens answer "Refresh Token has
//! been revoked".
//!
//! # Setting a pool up (public API)
//!
//! - Clock: [`UserPool::now`], [`UserPool::set_time`], [`UserPool::advance`].
//! - App clients: [`UserPool::add_client`], [`UserPool::add_client_with`] ([`AppClientOptions`]:
//!   secret, [`DeviceTracking`]), [`UserPool::set_client_settings`] ([`ClientSettings`]: allowed
//!   [`AuthFlow`]s, Session lifetime, refresh-token rotation, grace period and lifetime).
//! - Hosted UI: [`UserPool::enable_hosted_ui`] (one call: the code grant with PKCE, the
//!   [`STANDARD_SCOPES`], callback and sign-out URLs), [`UserPool::set_client_oauth`]
//!   ([`OAuthSettings`]: callback and sign-out URLs, [`OAuthFlow`]s, scopes, PKCE required),
//!   [`UserPool::client_oauth`], [`UserPool::add_resource_server`] (scopes
//!   `<identifier>/<scope>`), [`UserPool::resource_server_scopes`]; [`s256_challenge`] for
//!   tests that play the client.
//! - Users: [`UserPool::add_user`], [`UserPool::add_user_with`] ([`UserOptions`]: email / phone
//!   and their verification, other attributes, [`UserStatus`] — `ForceChangePassword` makes the
//!   password temporary —, SMS / email MFA and the preferred [`MfaFactor`]),
//!   [`UserPool::enable_totp`] (returns the base32 secret), [`UserPool::set_user_mfa`]
//!   ([`UserMfaSettings`]), [`UserPool::add_passkey`] (returns a [`Passkey`] that plays the
//!   authenticator).
//! - Pool policies: [`UserPool::set_mfa_configuration`] ([`MfaConfiguration`]: [`MfaMode`] and the
//!   allowed factors), [`UserPool::set_allowed_first_auth_factors`] ([`FirstAuthFactor`]),
//!   [`UserPool::set_custom_auth`] ([`CustomAuthScript`] of [`CustomRound`]s),
//!   [`UserPool::set_password_policy`] ([`PasswordPolicy`]), [`UserPool::set_required_attributes`],
//!   [`UserPool::set_sign_in_aliases`] ([`SignInAliases`]), [`UserPool::set_secret_block_len`]
//!   (default [`DEFAULT_SECRET_BLOCK_BYTES`]).
//! - Inspecting: [`UserPool::requests`], [`UserPool::operations`], [`UserPool::sent_messages`]
//!   ([`SentMessage`]; [`CodePurpose`] says what a code was for, `SignUp`, `PasswordReset` and
//!   `AttributeVerification` included) and [`UserPool::last_code_sent`] (the outbox of SMS /
//!   email codes), [`UserPool::auth_event_feedback`] ([`AuthEventFeedback`]),
//!   [`UserPool::user_status`], [`UserPool::user_attributes`], [`UserPool::user_mfa`],
//!   [`UserPool::totp_secret`], [`UserPool::mfa_configuration`], [`UserPool::user_sub`],
//!   [`UserPool::user_salt`], [`UserPool::device_info`], [`UserPool::devices_of`],
//!   [`UserPool::verify_access_token`], [`jwt_payload`]. TOTP codes for tests:
//!   [`crate::totp::code_at`].
//! - Token signing: access and id tokens are RS256 JWTs (header `{"alg":"RS256","kid":..}`) under
//!   the pool's JWKS, [`UserPool::jwks_json`] (also served over HTTP at
//!   `/<poolId>/.well-known/jwks.json`); [`UserPool::signing_kid`],
//!   [`UserPool::rotate_signing_key`], [`UserPool::issuer`] ([`UserPool::set_issuer_format`]).
//!   The keys are shared by every pool
//!   of a process ([`SIGNING_KEY_SEED`], [`SIGNING_KEYS`]).
//!
//! - Identity pools (`cognito-identity`) linked to this pool, served by [`UserPool::handle`]
//!   too: [`UserPool::add_identity_pool`] ([`IdentityPoolOptions`]),
//!   [`UserPool::set_allow_unauthenticated`], [`UserPool::identity_provider_name`],
//!   [`UserPool::identity`] / [`UserPool::identities`] ([`IdentityInfo`]),
//!   [`UserPool::identity_requests`]; `GetId`, `GetCredentialsForIdentity`, `GetOpenIdToken`
//!   (rules and choices in the `identity`, `identity_ops` and `identity_logins` modules).
//!
//! # Sign-in rules in brief
//!
//! - **Order of steps** after each proven factor: `UNCONFIRMED` → UserNotConfirmedException;
//!   `FORCE_CHANGE_PASSWORD` → NEW_PASSWORD_REQUIRED (not in CUSTOM_AUTH); CUSTOM_AUTH → the
//!   script's rounds, then tokens (no pool MFA, no device SRP); a `DEVICE_KEY` not yet proven →
//!   DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER; after a password, MFA unless a *remembered*
//!   device was proven (with `UserOptIn` tracking only after `UpdateDeviceStatus remembered`);
//!   then tokens (`NewDeviceMetadata` when the client tracks devices and no device was proven).
//! - **Sessions**: every challenge reply carries a fresh Session (PASSWORD_VERIFIER after
//!   USER_SRP_AUTH excepted, as in Cognito; after CUSTOM_AUTH / USER_AUTH it has one and the
//!   answer must return it). A Session is single-use, belongs to one client and one challenge,
//!   and expires after [`ClientSettings::auth_session_validity_secs`] (default
//!   [`SESSION_LIFETIME_SECS`]): "Invalid session for the user." / "Invalid session for the user,
//!   session is expired.". Wrong codes (CodeMismatchException, EnableSoftwareTokenMFAException)
//!   and rejected new passwords keep the Session for a retry, up to [`MAX_FAILED_ATTEMPTS`]
//!   failures, after which the sign-in ends with NotAuthorizedException; every other failure
//!   consumes it. An expired SMS / email code is ExpiredCodeException.
//! - **MFA** ([`MfaConfiguration`]): the user's enabled, pool-allowed, deliverable factors; one →
//!   its challenge, several → the preferred one or SELECT_MFA_TYPE (`MFAS_CAN_CHOOSE`); none with
//!   [`MfaMode::On`] → SMS_MFA if the pool allows SMS and the user has a phone number, else
//!   MFA_SETUP (`MFAS_CAN_SETUP`). MFA_SETUP completes by AssociateSoftwareToken(Session) →
//!   VerifySoftwareToken(Session) → MFA_SETUP with the newest Session (TOTP enabled and
//!   preferred), or — if the pool allows email MFA — by answering MFA_SETUP with `EMAIL` = an
//!   address (as Amplify does): a code goes there, EMAIL_OTP follows, and its right answer
//!   verifies the address and enables email MFA. TOTP is RFC 6238 (SHA-1, 30 s, 6 digits, ±1
//!   step) on the emulator clock. `SELECT_MFA_TYPE` accepts `EMAIL_MFA` for `EMAIL_OTP`.
//! - **NEW_PASSWORD_REQUIRED** carries `userAttributes` (JSON object string, no `sub`) and
//!   `requiredAttributes` (JSON array string of `userAttributes.<name>` the user lacks); missing
//!   ones → InvalidParameterException, a policy failure → InvalidPasswordException (both
//!   retryable), `sub` / `*_verified` → NotAuthorizedException "A client attempted to write
//!   unauthorized attribute", changing a required attribute that has a value →
//!   InvalidParameterException. Temporary passwords expire after
//!   [`TEMPORARY_PASSWORD_VALIDITY_SECS`].
//! - **USER_AUTH**: `AvailableChallenges` = PASSWORD, PASSWORD_SRP, then EMAIL_OTP (verified
//!   email), SMS_OTP (verified phone), WEB_AUTHN (a passkey) when the pool allows them and does not
//!   require MFA. An available `PREFERRED_CHALLENGE` starts at once; otherwise SELECT_CHALLENGE.
//!   Passwordless factors skip MFA. Passkeys use fake, deterministic crypto (see [`Passkey`]).
//! - **CUSTOM_AUTH** ([`CustomAuthScript`]): no script → InvalidParameterException; rounds in
//!   order, parameters passed through (plus `USERNAME`); a wrong answer re-asks the round with a
//!   fresh Session until `max_wrong_answers`, then NotAuthorizedException.
//! - **Refresh**: a refresh token is bound to the device proven at sign-in or returned as
//!   `NewDeviceMetadata`; refreshing it needs that `DEVICE_KEY` (wrong, missing or forgotten →
//!   "Invalid Refresh Token"). `REFRESH_TOKEN_AUTH`'s `SECRET_HASH` must be over the user's sub or
//!   username, never an alias. `GetTokensFromRefreshToken` checks `ClientSecret`; with rotation it
//!   returns a new `RefreshToken` and retires the old one after the grace period (and
//!   `REFRESH_TOKEN_AUTH` is refused), without rotation it returns none and the old one stays
//!   valid.
//!
//! # Choices
//!
//! Where the real service's behaviour is not pinned down (documented so tests do not mistake them
//! for Cognito facts):
//! - a wrong `Content-Type` or a target without the `AWSCognitoIdentityProviderService.` prefix
//!   answers `UnknownOperationException`; protocol errors (`UnknownOperationException`,
//!   `SerializationException`) use a namespaced `__type` (`com.amazon.coral.service#...`) and a
//!   capitalised `Message`, service errors a bare `__type` and `message`; all errors are HTTP 400
//!   with `x-amzn-ErrorType: <Name>:`;
//! - unknown users give `UserNotFoundException` (real pools may hide that);
//! - a user's internal name is its sub: every challenge names it as `USERNAME` (and, except
//!   CUSTOM_CHALLENGE, `USER_ID_FOR_SRP`), and every answer must send exactly that `USERNAME` with
//!   `SECRET_HASH` over it — the name the user typed (username or alias) is refused. Only
//!   DEVICE_SRP_AUTH after PASSWORD_VERIFIER has empty parameters (the client already knows it);
//! - `DEVICE_KEY` is honoured whatever the client's device tracking setting; an unknown,
//!   unconfirmed or foreign device key gives `ResourceNotFoundException` "Device does not exist.";
//! - the access token carries `device_key` after a device sign-in and after refreshing a
//!   device-bound refresh token (never the id token);
//! - `SECRET_HASH` (or `ClientSecret`) sent to a client without a secret is ignored;
//! - every client allows every flow unless [`ClientSettings::auth_flows`] says otherwise; the
//!   pool allows only the password as a USER_AUTH first factor until
//!   [`UserPool::set_allowed_first_auth_factors`] (Cognito's default);
//! - SMS and email are never really sent: the outbox records them; codes are 6 digits from the
//!   seeded RNG and live [`CODE_LIFETIME_SECS`] (sign-in codes), [`SIGN_UP_CODE_LIFETIME_SECS`],
//!   [`PASSWORD_RESET_CODE_LIFETIME_SECS`] or [`ATTRIBUTE_CODE_LIFETIME_SECS`] (account codes);
//!   account codes have no attempt limit;
//! - `SignUp` delivers its code to `email` when given, else `phone_number`, and confirming
//!   verifies that attribute; `ConfirmSignUp`'s Session, as the top-level `Session` of
//!   `InitiateAuth` `USER_AUTH`, issues tokens at once (once, same client, same user);
//! - password changes and resets keep issued tokens valid; `GlobalSignOut` revokes all of them;
//! - `RevokeToken` of an unknown, expired or already revoked token succeeds (RFC 7009), of an
//!   access / id token is UnsupportedTokenTypeException, with a wrong secret or another client's
//!   token UnauthorizedException;
//! - `GetDevice` / `ListDevices` show only confirmed devices; pagination tokens are opaque
//!   (base64url of the last key returned), pages ordered by key; dates are epoch seconds;
//! - passkey registration uses the fake crypto of [`Passkey`]: the `Credential` carries the
//!   authenticator secret as `response.publicKey` ([`Passkey::registration`] builds it);
//! - `UpdateAuthEventFeedback` accepts any non-empty `FeedbackToken` and records the feedback.

mod account;
mod attributes;
mod auth;
mod choice;
mod clients;
mod custom;
mod devices;
mod feedback;
mod identity;
mod identity_logins;
mod identity_ops;
mod mfa;
mod oauth;
mod oauth_token;
mod outbox;
mod passkeys;
mod password;
mod random;
mod recovery;
mod refresh;
mod revocation;
mod sessions;
mod signing;
mod signup;
mod software_token;
mod srp_auth;
mod tokens;
mod users;
mod webauthn;
mod wire;

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use cognito_core::token::IssuerFormat;
use num_bigint::BigUint;
use serde_json::Value;

pub use attributes::ATTRIBUTE_CODE_LIFETIME_SECS;
pub use auth::SESSION_LIFETIME_SECS;
pub use choice::FirstAuthFactor;
pub use clients::{
    AppClientOptions, AuthFlow, ClientSettings, DeviceTracking, REFRESH_TOKEN_VALIDITY_SECS,
    secret_hash,
};
pub use custom::{CustomAuthScript, CustomRound};
pub use devices::DeviceInfo;
pub use feedback::AuthEventFeedback;
pub use identity::{
    CREDENTIALS_LIFETIME_SECS, IDENTITY_TARGET_PREFIX, IdentityInfo, IdentityPoolOptions,
    OPENID_ISSUER, OPENID_TOKEN_LIFETIME_SECS,
};
pub use mfa::{MfaConfiguration, MfaFactor, MfaMode};
pub use oauth::{
    AUTHORIZATION_CODE_LIFETIME_SECS, COGNITO_PROVIDER, OAuthFlow, OAuthSettings, STANDARD_SCOPES,
};
pub use oauth_token::s256_challenge;
pub use outbox::{CODE_DIGITS, CODE_LIFETIME_SECS, CodePurpose, DeliveryMedium, SentMessage};
pub use passkeys::MAX_PASSKEYS;
pub use password::{PasswordPolicy, TEMPORARY_PASSWORD_VALIDITY_SECS};
pub use recovery::PASSWORD_RESET_CODE_LIFETIME_SECS;
pub use sessions::MAX_FAILED_ATTEMPTS;
pub use signing::{SIGNING_KEY_SEED, SIGNING_KEYS};
pub use signup::SIGN_UP_CODE_LIFETIME_SECS;
pub use srp_auth::{DEFAULT_SECRET_BLOCK_BYTES, TIMESTAMP_TOLERANCE_SECS};
pub use tokens::{ADMIN_SCOPE, TOKEN_LIFETIME_SECS, TokenClaims, jwt_payload};

pub(crate) use oauth::{AuthorizeError, LoginError, Logout};
pub(crate) use oauth_token::{ClientCredentials, OAuthError};
pub use users::{SignInAliases, UserMfaSettings, UserOptions, UserStatus};
pub use webauthn::{Passkey, RELYING_PARTY_ID, WEBAUTHN_TIMEOUT_MS, webauthn_signature};
pub use wire::{CONTENT_TYPE, Reply, TARGET_PREFIX};

use clients::AppClient;
use random::PoolRng;
use tokens::{AccessTokenError, Tokens};
use users::{User, Users};
use wire::{Object, Outcome, ServiceError, req_str};

/// The emulator's clock at creation: 2026-01-01T00:00:00Z.
pub const DEFAULT_TIME: u64 = 1_767_225_600;

/// One request as the emulator received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The operation: the target after `AWSCognitoIdentityProviderService.` (the whole target
    /// when the prefix is missing).
    pub operation: String,
    /// The `Content-Type` sent.
    pub content_type: String,
    /// The parsed JSON body (`Value::Null` if the body was not JSON).
    pub body: Value,
}

/// An in-memory Cognito user pool. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct UserPool {
    pool_id: String,
    pool_name: String,
    region: String,
    now: u64,
    rng: PoolRng,
    clients: BTreeMap<String, AppClient>,
    users: Users,
    devices: devices::Devices,
    pending_srp: BTreeMap<String, srp_auth::PendingSrp>,
    sessions: BTreeMap<String, sessions::Session>,
    tokens: Tokens,
    requests: Vec<Recorded>,
    outbox: Vec<SentMessage>,
    mfa_config: MfaConfiguration,
    custom_auth: Option<CustomAuthScript>,
    first_auth_factors: Vec<FirstAuthFactor>,
    password_policy: PasswordPolicy,
    required_attributes: Vec<String>,
    aliases: SignInAliases,
    feedback: Vec<AuthEventFeedback>,
    secret_block_bytes: usize,
    oauth: oauth::OAuthState,
    identity: identity::IdentityState,
}

/// The issuer of a pool's tokens in `format`, written here rather than taken from the core (the
/// emulator is the reference the client is checked against).
fn issuer_url(format: IssuerFormat, region: &str, pool_id: &str) -> String {
    let host = match format {
        IssuerFormat::Updated => "issuer-cognito-idp",
        _ => "cognito-idp",
    };
    format!("https://{host}.{region}.amazonaws.com/{pool_id}")
}

impl UserPool {
    /// A pool with id `pool_id` (`<region>_<name>`, e.g. `us-east-1_TestPool1`) whose randomness all
    /// comes from `seed`. The clock starts at [`DEFAULT_TIME`].
    pub fn new(pool_id: &str, seed: u64) -> Self {
        let (region, pool_name) = pool_id.split_once('_').unwrap_or(("us-east-1", pool_id));
        let mut rng = PoolRng::new(seed);
        let issuer = issuer_url(IssuerFormat::Original, region, pool_id);
        // Drawn for the HMAC key of the former HS256 tokens; kept so that a seed still gives
        // the same ids, codes and salts.
        let _: [u8; 32] = rng.array();
        let tokens = Tokens::new(issuer);
        Self {
            pool_id: pool_id.to_owned(),
            pool_name: pool_name.to_owned(),
            region: region.to_owned(),
            now: DEFAULT_TIME,
            rng,
            clients: BTreeMap::new(),
            users: Users::default(),
            devices: devices::Devices::new(),
            pending_srp: BTreeMap::new(),
            sessions: BTreeMap::new(),
            tokens,
            requests: Vec::new(),
            outbox: Vec::new(),
            mfa_config: MfaConfiguration::default(),
            custom_auth: None,
            first_auth_factors: alloc::vec![FirstAuthFactor::Password],
            password_policy: PasswordPolicy::default(),
            required_attributes: Vec::new(),
            aliases: SignInAliases::default(),
            feedback: Vec::new(),
            secret_block_bytes: DEFAULT_SECRET_BLOCK_BYTES,
            oauth: oauth::OAuthState::default(),
            identity: identity::IdentityState::default(),
        }
    }

    /// The pool id.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The pool name (the pool id after `_`), SRP's "poolName".
    pub fn pool_name(&self) -> &str {
        &self.pool_name
    }

    /// The region (the pool id before `_`).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The emulator's clock, unix seconds.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Sets the clock (unix seconds).
    pub fn set_time(&mut self, unix_secs: u64) {
        self.now = unix_secs;
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, secs: u64) {
        self.now += secs;
    }

    /// Adds (or replaces) an app client without device tracking.
    pub fn add_client(&mut self, client_id: &str, secret: Option<&str>) {
        self.add_client_with(
            client_id,
            AppClientOptions {
                secret: secret.map(ToOwned::to_owned),
                ..AppClientOptions::default()
            },
        );
    }

    /// Adds (or replaces) an app client with the given options.
    pub fn add_client_with(&mut self, client_id: &str, options: AppClientOptions) {
        self.clients.insert(
            client_id.to_owned(),
            AppClient {
                id: client_id.to_owned(),
                options,
                settings: ClientSettings::default(),
                oauth: OAuthSettings::default(),
            },
        );
    }

    /// Replaces the [`ClientSettings`] of an existing app client (auth flows, Session lifetime,
    /// refresh-token rotation and lifetime); `false` if there is no such client. Adding the client
    /// again resets them to the defaults.
    pub fn set_client_settings(&mut self, client_id: &str, settings: ClientSettings) -> bool {
        match self.clients.get_mut(client_id) {
            Some(client) => {
                client.settings = settings;
                true
            }
            None => false,
        }
    }

    /// Adds a confirmed user and returns its `sub` (a random UUID, also its USER_ID_FOR_SRP).
    /// The pool keeps a fresh 16-byte salt and the verifier, never the password. Adding an
    /// existing username keeps its sub and sets new credentials.
    pub fn add_user(&mut self, username: &str, password: &str) -> String {
        let salt = BigUint::from_bytes_be(&self.rng.bytes(16));
        if let Some(sub) = self.users.sub_of_username(username).map(ToOwned::to_owned) {
            if let Some(user) = self.users.by_sub_mut(&sub) {
                user.set_password(&self.pool_name, salt, password);
            }
            return sub;
        }
        let sub = self.rng.uuid();
        let mut user = User::new(username, sub.clone());
        user.set_password(&self.pool_name, salt, password);
        self.users.insert(user);
        sub
    }

    /// Adds a user set up by `options` (attributes, status, MFA) and returns its sub. With
    /// [`UserStatus::ForceChangePassword`] `password` is a temporary password, valid for
    /// [`TEMPORARY_PASSWORD_VALIDITY_SECS`], and sign-in answers NEW_PASSWORD_REQUIRED. An
    /// existing username keeps its sub, devices, passkeys and software token; everything else is
    /// replaced.
    pub fn add_user_with(
        &mut self,
        username: &str,
        password: &str,
        options: UserOptions,
    ) -> String {
        let sub = self.add_user(username, password);
        let expires_at = self.now + TEMPORARY_PASSWORD_VALIDITY_SECS;
        if let Some(user) = self.users.by_sub_mut(&sub) {
            user.apply_options(&options);
            user.temporary_password_expires_at =
                (options.status == UserStatus::ForceChangePassword).then_some(expires_at);
        }
        sub
    }

    /// A user's status (by username or sub).
    pub fn user_status(&self, username_or_sub: &str) -> Option<UserStatus> {
        self.users.find(username_or_sub).map(|user| user.status)
    }

    /// A user's attributes (by username or sub), `sub` included.
    pub fn user_attributes(&self, username_or_sub: &str) -> Option<BTreeMap<String, String>> {
        self.users.find(username_or_sub).map(|user| {
            let mut attributes = user.attributes.clone();
            attributes.insert("sub".to_owned(), user.sub.clone());
            attributes
        })
    }

    /// Which verified attributes may stand in for the username at sign-in (default: none).
    pub fn set_sign_in_aliases(&mut self, aliases: SignInAliases) {
        self.aliases = aliases;
    }

    /// Sets the password policy NEW_PASSWORD_REQUIRED enforces.
    pub fn set_password_policy(&mut self, policy: PasswordPolicy) {
        self.password_policy = policy;
    }

    /// Sets the attributes the pool requires (`requiredAttributes` of NEW_PASSWORD_REQUIRED).
    pub fn set_required_attributes(&mut self, names: &[&str]) {
        self.required_attributes = names.iter().map(|name| (*name).to_owned()).collect();
    }

    /// Every SMS and email the pool sent, oldest first.
    pub fn sent_messages(&self) -> &[SentMessage] {
        &self.outbox
    }

    /// The code of the newest message sent to a phone number or email address, or to the user
    /// with this username or sub.
    pub fn last_code_sent(&self, destination_or_username: &str) -> Option<String> {
        self.outbox
            .iter()
            .rev()
            .find(|message| {
                message.destination == destination_or_username
                    || message.username == destination_or_username
                    || message.sub == destination_or_username
            })
            .map(|message| message.code.clone())
    }

    /// The sub of a user, found by username or sub.
    pub fn user_sub(&self, username_or_sub: &str) -> Option<String> {
        self.users
            .find(username_or_sub)
            .map(|user| user.sub.clone())
    }

    /// The SRP salt the pool keeps for a user (found by username or sub).
    pub fn user_salt(&self, username_or_sub: &str) -> Option<BigUint> {
        self.users
            .find(username_or_sub)
            .map(|user| user.salt.clone())
    }

    /// A device by its key.
    pub fn device_info(&self, device_key: &str) -> Option<DeviceInfo> {
        self.devices.get(device_key).map(devices::Device::info)
    }

    /// All devices of a user (by sub), pending ones included.
    pub fn devices_of(&self, sub: &str) -> Vec<DeviceInfo> {
        self.devices
            .values()
            .filter(|device| device.sub == sub)
            .map(devices::Device::info)
            .collect()
    }

    /// The claims of an access token if this pool issued it, it is unaltered and unexpired.
    pub fn verify_access_token(&self, token: &str) -> Option<TokenClaims> {
        self.tokens.check_access(token, self.now).ok()
    }

    /// The issuer of the pool's tokens (`iss`): `https://cognito-idp.<region>.amazonaws.com/<poolId>`,
    /// or `https://issuer-cognito-idp.…` after [`Self::set_issuer_format`].
    pub fn issuer(&self) -> String {
        self.tokens.issuer().to_owned()
    }

    /// Switches the pool's issuer configuration (`IssuerConfiguration`): tokens issued from now
    /// on name the issuer of `format`; those issued before keep theirs and stay valid.
    pub fn set_issuer_format(&mut self, format: IssuerFormat) {
        let issuer = issuer_url(format, &self.region, &self.pool_id);
        self.tokens.set_issuer(issuer);
    }

    /// The pool's JWKS, as `GET /<poolId>/.well-known/jwks.json` serves it: `{"keys":[{"alg":
    /// "RS256","e":"AQAB","kid":..,"kty":"RSA","n":..,"use":"sig"}, ..]}`, every published key,
    /// oldest first (one until [`Self::rotate_signing_key`]).
    pub fn jwks_json(&self) -> Value {
        self.tokens.keys().jwks()
    }

    /// The `kid` of the key that signs the pool's tokens now.
    pub fn signing_kid(&self) -> String {
        self.tokens
            .keys()
            .current()
            .map(|key| key.kid().to_owned())
            .unwrap_or_default()
    }

    /// Moves on to a new signing key (a new `kid`) and returns its kid; `None` once the
    /// [`SIGNING_KEYS`] keys are used. The old keys stay published in the JWKS (the new one
    /// last), and tokens they signed stay valid: a client that meets the new kid re-fetches the
    /// JWKS and finds it. Keys are shared by every pool of the process (generated once, about
    /// half a second each, on first use).
    pub fn rotate_signing_key(&mut self) -> Option<String> {
        self.tokens.keys_mut().rotate()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> &[Recorded] {
        &self.requests
    }

    /// The names of the operations received so far, in order.
    pub fn operations(&self) -> Vec<&str> {
        self.requests
            .iter()
            .map(|request| request.operation.as_str())
            .collect()
    }

    /// Handles one request: `target` is the `X-Amz-Target` header, `content_type` the
    /// `Content-Type` header, `body` the request body.
    /// Targets starting with [`IDENTITY_TARGET_PREFIX`] go to the pool's identity pools
    /// (recorded in [`Self::identity_requests`], not in [`Self::requests`]).
    pub fn handle(&mut self, target: &str, content_type: &str, body: &[u8]) -> Reply {
        if target.starts_with(IDENTITY_TARGET_PREFIX) {
            return self.handle_identity(target, content_type, body);
        }
        let operation = target.strip_prefix(TARGET_PREFIX);
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        self.requests.push(Recorded {
            operation: operation.unwrap_or(target).to_owned(),
            content_type: content_type.to_owned(),
            body: parsed.clone().unwrap_or(Value::Null),
        });
        let outcome = if content_type != CONTENT_TYPE {
            Err(ServiceError::unknown_operation(format!(
                "Unsupported Content-Type '{content_type}'; expected {CONTENT_TYPE}."
            )))
        } else {
            match (operation, parsed) {
                (None, _) => Err(ServiceError::unknown_operation(format!(
                    "Unknown target '{target}'."
                ))),
                (Some(_), None) => Err(ServiceError::serialization(
                    "The request body is not valid JSON.",
                )),
                (Some(operation), Some(Value::Object(request))) => {
                    self.dispatch(operation, &request)
                }
                (Some(_), Some(_)) => Err(ServiceError::serialization(
                    "Start of structure or map found where not expected.",
                )),
            }
        };
        match outcome {
            Ok(body) => Reply::ok(&body),
            Err(error) => error.into_reply(),
        }
    }

    /// Sends `body` as operation `operation` with the right headers (a convenience for tests that
    /// play the client by hand).
    pub fn call(&mut self, operation: &str, body: &Value) -> Reply {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.handle(&format!("{TARGET_PREFIX}{operation}"), CONTENT_TYPE, &bytes)
    }

    fn dispatch(&mut self, operation: &str, request: &Object) -> Outcome {
        match operation {
            "InitiateAuth" => self.initiate_auth(request),
            "RespondToAuthChallenge" => self.respond_to_auth_challenge(request),
            "ConfirmDevice" => self.confirm_device(request),
            "UpdateDeviceStatus" => self.update_device_status(request),
            "ForgetDevice" => self.forget_device(request),
            "GetTokensFromRefreshToken" => self.get_tokens_from_refresh_token(request),
            "AssociateSoftwareToken" => self.associate_software_token(request),
            "VerifySoftwareToken" => self.verify_software_token(request),
            "SetUserMFAPreference" => self.set_user_mfa_preference(request),
            "GetDevice" => self.get_device(request),
            "ListDevices" => self.list_devices(request),
            "SignUp" => self.sign_up(request),
            "ConfirmSignUp" => self.confirm_sign_up(request),
            "ResendConfirmationCode" => self.resend_confirmation_code(request),
            "ForgotPassword" => self.forgot_password(request),
            "ConfirmForgotPassword" => self.confirm_forgot_password(request),
            "GetUser" => self.get_user(request),
            "GetUserAuthFactors" => self.get_user_auth_factors(request),
            "UpdateUserAttributes" => self.update_user_attributes(request),
            "DeleteUserAttributes" => self.delete_user_attributes(request),
            "GetUserAttributeVerificationCode" => {
                self.get_user_attribute_verification_code(request)
            }
            "VerifyUserAttribute" => self.verify_user_attribute(request),
            "ChangePassword" => self.change_password(request),
            "SetUserSettings" => self.set_user_settings(request),
            "DeleteUser" => self.delete_user(request),
            "GlobalSignOut" => self.global_sign_out(request),
            "RevokeToken" => self.revoke_token(request),
            "UpdateAuthEventFeedback" => self.update_auth_event_feedback(request),
            "StartWebAuthnRegistration" => self.start_webauthn_registration(request),
            "CompleteWebAuthnRegistration" => self.complete_webauthn_registration(request),
            "ListWebAuthnCredentials" => self.list_webauthn_credentials(request),
            "DeleteWebAuthnCredential" => self.delete_webauthn_credential(request),
            other => Err(ServiceError::unknown_operation(format!(
                "The emulator does not implement the operation '{other}'."
            ))),
        }
    }

    /// The app client `client_id`, or ResourceNotFoundException.
    fn client(&self, client_id: &str) -> Result<AppClient, ServiceError> {
        self.clients.get(client_id).cloned().ok_or_else(|| {
            ServiceError::resource_not_found(format!(
                "User pool client {client_id} does not exist."
            ))
        })
    }

    /// Checks the request's `AccessToken` and returns its claims.
    ///
    /// Refused with NotAuthorizedException: a token this pool did not sign (or not an access
    /// token, or a client-credentials token) — "Invalid Access Token"; a revoked one
    /// (GlobalSignOut, RevokeToken, DeleteUser) or one whose user no longer exists — "Access
    /// Token has been revoked"; an expired one — "Access Token has expired"; a hosted-UI token
    /// without the [`ADMIN_SCOPE`] scope — "Access Token does not have required scopes".
    fn authorize(&self, request: &Object) -> Result<TokenClaims, ServiceError> {
        let token = req_str(request, "AccessToken")?;
        let claims = self
            .tokens
            .check_access(token, self.now)
            .map_err(|error| match error {
                AccessTokenError::Invalid => ServiceError::not_authorized("Invalid Access Token"),
                AccessTokenError::Revoked => access_token_revoked(),
                AccessTokenError::Expired => {
                    ServiceError::not_authorized("Access Token has expired")
                }
            })?;
        if self.users.by_sub(&claims.sub).is_none() {
            return Err(access_token_revoked());
        }
        if !claims.has_scope(ADMIN_SCOPE) {
            return Err(ServiceError::not_authorized(
                "Access Token does not have required scopes",
            ));
        }
        Ok(claims)
    }
}

fn access_token_revoked() -> ServiceError {
    ServiceError::not_authorized("Access Token has been revoked")
}
