//! Sign-in: owned requests, the steps the caller answers, and the core's
//! [`cognito_core::auth::SignIn`] driven over HTTP.
//!
//! A [`PendingSignIn`] owns the core's flow (which owns copies of its inputs), so each
//! [`PendingSignIn::answer`] is a plain async call: write the answer, send it, run the flow until
//! it waits for the caller again. Which challenge means what, and what is answered by itself
//! (SRP, device SRP, finishing MFA setup), is the core's business; this module only makes owned
//! copies of what the core hands over.

use core::fmt;
use std::collections::BTreeMap;
use std::sync::Arc;

use cognito_core::auth::{
    Answer, AuthenticationResult, Challenge, ChallengeKind, ChallengeParameters,
    DeviceRegistration, DeviceStep, FirstFactor, MfaType, NewDeviceMetadata, SignIn, Step,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::wire::{JsonValue, ServiceError};
use rand::rngs::OsRng;
use tracing::Instrument;
use zeroize::{Zeroize, Zeroizing};

use cognito_core::account::DeliveryMedium;
pub use cognito_core::auth::CodeKind;

use crate::error::{Error, Result};
use crate::exchange::{Inner, pairs, write_request};
use crate::redact::{Names, Parameters, hide, hide_opt};
use crate::session::{Device, Session};
use crate::transport::local_now;

/// How the first factor is proven.
enum Method {
    Srp(Zeroizing<String>),
    Password(Zeroizing<String>),
    Custom,
    CustomWithSrp(Zeroizing<String>),
    Choice {
        preferred: Option<FirstFactor>,
        password: Option<Zeroizing<String>>,
    },
    AfterSignUp {
        session: Zeroizing<String>,
        preferred: Option<FirstFactor>,
    },
}

impl Method {
    fn name(&self) -> &'static str {
        match self {
            Method::Srp(_) => "USER_SRP_AUTH",
            Method::Password(_) => "USER_PASSWORD_AUTH",
            Method::Custom | Method::CustomWithSrp(_) => "CUSTOM_AUTH",
            Method::Choice { .. } | Method::AfterSignUp { .. } => "USER_AUTH",
        }
    }

    /// The password, or the `Session` of `ConfirmSignUp`: the secret the first factor uses.
    fn secret(&self) -> Option<&str> {
        match self {
            Method::Srp(password)
            | Method::Password(password)
            | Method::CustomWithSrp(password) => Some(password),
            Method::Choice { password, .. } => password.as_deref().map(String::as_str),
            Method::AfterSignUp { session, .. } => Some(session),
            Method::Custom => None,
        }
    }
}

/// What to sign in with: the flow, the user, optionally a remembered device and client metadata.
pub struct SignInRequest {
    username: String,
    method: Method,
    device: Option<Device>,
    client_metadata: Vec<(String, String)>,
    remember_device: bool,
    /// The session stored before this sign-in, whose remembered devices the new one keeps.
    previous: Option<Box<Session>>,
}

impl SignInRequest {
    fn new(username: impl Into<String>, method: Method) -> Self {
        Self {
            username: username.into(),
            method,
            device: None,
            client_metadata: Vec::new(),
            remember_device: true,
            previous: None,
        }
    }

    /// `USER_SRP_AUTH`: the password is proven with SRP and never sent.
    pub fn srp(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::new(username, Method::Srp(Zeroizing::new(password.into())))
    }

    /// `USER_PASSWORD_AUTH`: the password is sent (over TLS).
    pub fn password(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::new(username, Method::Password(Zeroizing::new(password.into())))
    }

    /// `CUSTOM_AUTH` without a password (the pool's Lambda triggers ask the questions).
    pub fn custom(username: impl Into<String>) -> Self {
        Self::new(username, Method::Custom)
    }

    /// `CUSTOM_AUTH` proving the password with SRP first.
    pub fn custom_with_srp(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::new(
            username,
            Method::CustomWithSrp(Zeroizing::new(password.into())),
        )
    }

    /// `USER_AUTH` (choice-based): starts with `preferred` if the server can, otherwise answers
    /// with [`SignInStep::SelectChallenge`]. The password is needed only for the password
    /// factors.
    pub fn choice(
        username: impl Into<String>,
        preferred: Option<FirstFactor>,
        password: Option<String>,
    ) -> Self {
        Self::new(
            username,
            Method::Choice {
                preferred,
                password: password.map(Zeroizing::new),
            },
        )
    }

    /// `USER_AUTH` with the `Session` `ConfirmSignUp` returned (sign-in without a password).
    pub fn after_sign_up(
        username: impl Into<String>,
        confirm_sign_up_session: impl Into<String>,
        preferred: Option<FirstFactor>,
    ) -> Self {
        Self::new(
            username,
            Method::AfterSignUp {
                session: Zeroizing::new(confirm_sign_up_session.into()),
                preferred,
            },
        )
    }

    /// Signs in as this remembered device (device SRP; usually skips MFA).
    #[must_use]
    pub fn with_device(mut self, device: Option<Device>) -> Self {
        self.device = device;
        self
    }

    /// Uses what `stored` (the session kept before this sign-in, if any) remembers: the
    /// remembered device of the user signing in, found by whatever name was typed (the username,
    /// or an email address or phone number the user signed in with before), and the devices of
    /// every other user, which the new session keeps ([`Session::other_users`]) so that signing
    /// in as someone else throws none away. Save the new session over the old one.
    #[must_use]
    pub fn remembering(mut self, stored: Option<&Session>) -> Self {
        if let Some(stored) = stored {
            self.device = stored.device_for(&self.username).cloned();
            self.previous = Some(Box::new(stored.clone()));
        }
        self
    }

    /// `ClientMetadata` for the pool's Lambda triggers.
    #[must_use]
    pub fn with_client_metadata(mut self, metadata: Vec<(String, String)>) -> Self {
        self.client_metadata = metadata;
        self
    }

    /// Whether to answer `remembered` when the pool lets the user choose to remember a newly
    /// confirmed device (default `true`). The device is confirmed either way.
    #[must_use]
    pub fn remember_device(mut self, remember: bool) -> Self {
        self.remember_device = remember;
        self
    }

    /// The username as given.
    #[must_use]
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The device the sign-in will use, if any.
    #[must_use]
    pub fn device(&self) -> Option<&Device> {
        self.device.as_ref()
    }

    /// The core's flow for this request (fresh SRP ephemeral keys from the OS).
    fn flow(&self, client: &Inner) -> Result<SignIn> {
        let config = &client.core;
        let username = self.username.as_str();
        let mut flow = match &self.method {
            Method::Srp(password) => SignIn::srp(config, username, password, ephemeral()?)?,
            Method::Password(password) => SignIn::password(config, username, password)?,
            Method::Custom => SignIn::custom(config, username)?,
            Method::CustomWithSrp(password) => {
                SignIn::custom_with_srp(config, username, password, ephemeral()?)?
            }
            Method::Choice {
                preferred,
                password,
            } => {
                let ephemeral = password.as_ref().map(|_| ephemeral()).transpose()?;
                let password = password.as_deref().map(String::as_str);
                SignIn::choice(config, username, *preferred, password, ephemeral)?
            }
            Method::AfterSignUp { session, preferred } => {
                SignIn::after_sign_up(config, username, session, *preferred)?
            }
        };
        if !self.client_metadata.is_empty() {
            flow = flow.with_client_metadata(&pairs(&self.client_metadata))?;
        }
        if let Some(device) = &self.device {
            flow = flow.with_device(&device.credentials()?, ephemeral()?);
        }
        Ok(flow)
    }
}

impl fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInRequest")
            .field("username", &self.username)
            .field("flow", &self.method.name())
            .field("secret", &hide_opt(self.method.secret()))
            .field("device", &self.device)
            .field("client_metadata", &Names(&self.client_metadata))
            .field("remember_device", &self.remember_device)
            .finish_non_exhaustive()
    }
}

/// Where a sign-in stands: signed in, or waiting for the caller's [`SignInAnswer`]. An owned
/// copy of the core's [`ChallengeKind`].
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInStep {
    /// Signed in.
    Done(Box<Session>),
    /// A code was sent (or the authenticator app shows one): answer [`SignInAnswer::Code`].
    MfaCode {
        /// Which code.
        kind: CodeKind,
        /// Where it was sent (masked), when the server says.
        destination: Option<String>,
        /// How it was sent, when the server says.
        medium: Option<DeliveryMedium>,
    },
    /// Choose an MFA type (`SELECT_MFA_TYPE`): answer [`SignInAnswer::MfaType`].
    SelectMfaType {
        /// The offered types this version knows.
        available: Vec<MfaType>,
        /// Every offered name, as sent.
        offered: Vec<String>,
    },
    /// MFA must be set up (`MFA_SETUP`): answer [`SignInAnswer::SetUpTotp`] or
    /// [`SignInAnswer::SetUpEmail`].
    MfaSetup {
        /// The types that can be set up and this version knows.
        available: Vec<MfaType>,
        /// Every offered name, as sent.
        offered: Vec<String>,
    },
    /// The secret of the authenticator app being set up (base32): answer
    /// [`SignInAnswer::VerifyTotp`] with its first code.
    TotpSetup {
        /// The base32 secret (show it, or an `otpauth://` URI of it); zeroized on drop.
        secret: Zeroizing<String>,
    },
    /// A new password is required: answer [`SignInAnswer::NewPassword`].
    NewPasswordRequired {
        /// Attributes the pool requires (names without the `userAttributes.` prefix).
        required_attributes: Vec<String>,
    },
    /// A custom challenge: answer [`SignInAnswer::Custom`].
    CustomChallenge {
        /// `ChallengeParameters`, as sent by the Lambda trigger (other JSON values as their
        /// JSON text).
        parameters: BTreeMap<String, String>,
    },
    /// Choose a first factor (`SELECT_CHALLENGE`): answer [`SignInAnswer::FirstFactor`].
    SelectChallenge {
        /// The offered factors this version knows (`AvailableChallenges`).
        available: Vec<FirstFactor>,
        /// Every offered name, as sent.
        offered: Vec<String>,
    },
    /// Passkey sign-in: answer [`SignInAnswer::WebAuthnCredential`].
    WebAuthn {
        /// `CREDENTIAL_REQUEST_OPTIONS` (JSON for `navigator.credentials.get`).
        options: String,
    },
    /// A challenge this version does not know: answer [`SignInAnswer::Raw`].
    Other {
        /// `ChallengeName`.
        name: String,
        /// `ChallengeParameters`.
        parameters: BTreeMap<String, String>,
    },
}

impl SignInStep {
    /// The owned copy of a challenge the core handed over.
    fn of(challenge: &Challenge<'_>) -> Self {
        let names = |list: cognito_core::wire::StringList<'_>| -> Vec<String> {
            list.iter().map(|name| name.to_string()).collect()
        };
        match challenge.kind() {
            ChallengeKind::MfaCode {
                kind,
                destination,
                medium,
            } => SignInStep::MfaCode {
                kind,
                destination: destination.map(|d| d.to_string()),
                medium,
            },
            ChallengeKind::SelectMfaType(types) => SignInStep::SelectMfaType {
                available: types.iter().collect(),
                offered: names(types.names()),
            },
            ChallengeKind::MfaSetup(types) => SignInStep::MfaSetup {
                available: types.iter().collect(),
                offered: names(types.names()),
            },
            ChallengeKind::NewPasswordRequired {
                required_attributes,
            } => SignInStep::NewPasswordRequired {
                required_attributes: required_attributes.iter().map(|a| a.to_string()).collect(),
            },
            ChallengeKind::Custom { parameters } => SignInStep::CustomChallenge {
                parameters: parameter_map(&parameters),
            },
            ChallengeKind::SelectChallenge(factors) => SignInStep::SelectChallenge {
                available: factors.iter().collect(),
                offered: names(factors.names()),
            },
            ChallengeKind::WebAuthn { options } => SignInStep::WebAuthn {
                options: options.to_string(),
            },
            ChallengeKind::Other { name, parameters } => SignInStep::Other {
                name: name.to_owned(),
                parameters: parameter_map(&parameters),
            },
            // A kind newer than this adapter: kept verbatim, as unknown challenges are.
            _ => SignInStep::Other {
                name: challenge.name().as_str().to_owned(),
                parameters: parameter_map(&challenge.parameters()),
            },
        }
    }
}

/// `ChallengeParameters` as owned strings (other JSON values as their JSON text).
fn parameter_map(parameters: &ChallengeParameters<'_>) -> BTreeMap<String, String> {
    parameters
        .iter()
        .map(|(name, value)| {
            let text = match value {
                JsonValue::String(s) => s.to_string(),
                JsonValue::Null => "null".to_owned(),
                JsonValue::Bool(b) => b.to_string(),
                JsonValue::Number(n) => n.to_owned(),
                JsonValue::Array(a) => a.raw().to_owned(),
                JsonValue::Object(o) => o.raw().to_owned(),
            };
            (name.to_string(), text)
        })
        .collect()
}

impl fmt::Debug for SignInStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInStep::Done(session) => f.debug_tuple("Done").field(session).finish(),
            SignInStep::MfaCode {
                kind,
                destination,
                medium,
            } => f
                .debug_struct("MfaCode")
                .field("kind", kind)
                .field("destination", destination)
                .field("medium", medium)
                .finish(),
            SignInStep::SelectMfaType { offered, .. } => f
                .debug_struct("SelectMfaType")
                .field("offered", offered)
                .finish_non_exhaustive(),
            SignInStep::MfaSetup { offered, .. } => f
                .debug_struct("MfaSetup")
                .field("offered", offered)
                .finish_non_exhaustive(),
            SignInStep::TotpSetup { secret } => f
                .debug_struct("TotpSetup")
                .field("secret", &hide(secret))
                .finish(),
            SignInStep::NewPasswordRequired {
                required_attributes,
            } => f
                .debug_struct("NewPasswordRequired")
                .field("required_attributes", required_attributes)
                .finish(),
            SignInStep::CustomChallenge { parameters } => f
                .debug_struct("CustomChallenge")
                .field("parameters", &Parameters(parameters))
                .finish(),
            SignInStep::SelectChallenge { offered, .. } => f
                .debug_struct("SelectChallenge")
                .field("offered", offered)
                .finish_non_exhaustive(),
            SignInStep::WebAuthn { options } => f
                .debug_struct("WebAuthn")
                .field("options", options)
                .finish(),
            SignInStep::Other { name, parameters } => f
                .debug_struct("Other")
                .field("name", name)
                .field("parameters", &Parameters(parameters))
                .finish(),
        }
    }
}

/// The caller's answer to a [`SignInStep`]. Its strings (codes, passwords, answers, the
/// email address, the credential) are zeroized on drop, and `Debug` shows them as `<redacted>`.
#[derive(Clone)]
#[non_exhaustive]
pub enum SignInAnswer {
    /// An MFA or one-time code.
    Code(String),
    /// The MFA type chosen.
    MfaType(MfaType),
    /// Set up an authenticator app (then [`SignInStep::TotpSetup`] follows).
    SetUpTotp,
    /// The authenticator app's first code, and an optional name for it.
    VerifyTotp {
        /// The six-digit code.
        code: String,
        /// `FriendlyDeviceName`.
        friendly_name: Option<String>,
    },
    /// Set up email MFA with this address.
    SetUpEmail(String),
    /// A new password and the required attributes (names without the prefix).
    NewPassword {
        /// The new password.
        password: String,
        /// Attributes, e.g. `[("name", "Alice")]`.
        attributes: Vec<(String, String)>,
    },
    /// The answer to a custom challenge.
    Custom(String),
    /// The first factor chosen.
    FirstFactor(FirstFactor),
    /// The passkey credential (`PublicKeyCredential` JSON).
    WebAuthnCredential(String),
    /// Challenge responses as given (`USERNAME` and `SECRET_HASH` are added).
    Raw(Vec<(String, String)>),
}

impl SignInAnswer {
    /// A code answer.
    pub fn code(code: impl Into<String>) -> Self {
        SignInAnswer::Code(code.into())
    }
}

impl fmt::Debug for SignInAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInAnswer::MfaType(t) => f.debug_tuple("MfaType").field(t).finish(),
            SignInAnswer::FirstFactor(x) => f.debug_tuple("FirstFactor").field(x).finish(),
            SignInAnswer::Code(code) => f.debug_tuple("Code").field(&hide(code)).finish(),
            SignInAnswer::SetUpTotp => f.write_str("SetUpTotp"),
            SignInAnswer::VerifyTotp {
                code,
                friendly_name,
            } => f
                .debug_struct("VerifyTotp")
                .field("code", &hide(code))
                .field("friendly_name", friendly_name)
                .finish(),
            SignInAnswer::SetUpEmail(email) => {
                f.debug_tuple("SetUpEmail").field(&hide(email)).finish()
            }
            SignInAnswer::NewPassword {
                password,
                attributes,
            } => f
                .debug_struct("NewPassword")
                .field("password", &hide(password))
                .field("attributes", attributes)
                .finish(),
            SignInAnswer::Custom(answer) => f.debug_tuple("Custom").field(&hide(answer)).finish(),
            SignInAnswer::WebAuthnCredential(credential) => f
                .debug_tuple("WebAuthnCredential")
                .field(&hide(credential))
                .finish(),
            SignInAnswer::Raw(responses) => f.debug_tuple("Raw").field(&Names(responses)).finish(),
        }
    }
}

/// Wipes every string the answer holds (the attribute values of a new password and the raw
/// responses included).
impl Zeroize for SignInAnswer {
    fn zeroize(&mut self) {
        match self {
            SignInAnswer::Code(code) | SignInAnswer::Custom(code) => code.zeroize(),
            SignInAnswer::SetUpEmail(text) | SignInAnswer::WebAuthnCredential(text) => {
                text.zeroize();
            }
            SignInAnswer::VerifyTotp {
                code,
                friendly_name,
            } => {
                code.zeroize();
                friendly_name.zeroize();
            }
            SignInAnswer::NewPassword {
                password,
                attributes,
            } => {
                password.zeroize();
                zeroize_pairs(attributes);
            }
            SignInAnswer::Raw(responses) => zeroize_pairs(responses),
            SignInAnswer::MfaType(_) | SignInAnswer::SetUpTotp | SignInAnswer::FirstFactor(_) => {}
        }
    }
}

impl Drop for SignInAnswer {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SignInAnswer {}

/// Zeroizes every name and value, and empties the list.
fn zeroize_pairs(pairs: &mut Vec<(String, String)>) {
    for (name, value) in pairs.iter_mut() {
        name.zeroize();
        value.zeroize();
    }
    pairs.clear();
}

/// A sign-in in progress: [`step`](Self::step) says what the server wants,
/// [`answer`](Self::answer) gives it and moves on.
///
/// An answer the pool refuses but will take again (a wrong code, a new password the policy
/// refuses: the core decides which) returns [`Error::AnswerRefused`] and leaves the step as it
/// was, to be answered again (as does an answer that cannot be written, such as an empty code);
/// other errors end the sign-in ([`is_finished`](Self::is_finished) then says so, and further
/// answers get [`Error::SignInFinished`]).
pub struct PendingSignIn {
    client: Arc<Inner>,
    /// The core's flow (boxed: it keeps its state in fixed-capacity storage, about 19 KiB).
    flow: Box<SignIn>,
    request: SignInRequest,
    step: SignInStep,
    finished: bool,
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("request", &self.request)
            .field("step", &self.step)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// What one run of the flow ended with.
enum Outcome {
    /// A step for the caller.
    Ask(SignInStep),
    /// The answer was refused; the step before waits for another.
    Refused(Box<ServiceError>),
    /// Signed in: the session, and the device the pool offered to track.
    Signed(Box<Session>, Option<(String, String)>),
    /// The flow still has a request to send (it never ends a run like this).
    Sending,
}

impl PendingSignIn {
    /// Starts the flow and runs it to its first step.
    pub(crate) async fn start(client: Arc<Inner>, request: SignInRequest) -> Result<Self> {
        let span = tracing::info_span!(
            "cognito_sign_in",
            flow = request.method.name(),
            username = %request.username,
            device = request.device.is_some()
        );
        async move {
            let mut flow = Box::new(request.flow(&client)?);
            let first = write_request(|b| flow.write_request(b))?;
            let mut pending = Self {
                client,
                flow,
                request,
                step: SignInStep::Other {
                    name: String::new(),
                    parameters: BTreeMap::new(),
                },
                finished: false,
            };
            pending.run(first).await?;
            Ok(pending)
        }
        .instrument(span)
        .await
    }

    /// What the server wants now ([`SignInStep::Done`] once signed in).
    #[must_use]
    pub fn step(&self) -> &SignInStep {
        &self.step
    }

    /// Whether the sign-in is over: signed in ([`SignInStep::Done`]) or failed. A failed
    /// sign-in keeps showing the step it failed at; start a new one.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The session, once signed in.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        match &self.step {
            SignInStep::Done(session) => Some(session),
            _ => None,
        }
    }

    /// The session, once signed in; otherwise the pending sign-in back.
    pub fn into_session(self) -> core::result::Result<Session, Self> {
        match self.step {
            SignInStep::Done(session) => Ok(*session),
            _ => Err(self),
        }
    }

    /// Answers the current step and returns the next one.
    pub async fn answer(&mut self, answer: SignInAnswer) -> Result<&SignInStep> {
        if self.finished {
            return Err(Error::SignInFinished);
        }
        tracing::debug!(answer = ?answer, "answer");
        let request = {
            let borrowed;
            let core_answer = match &answer {
                SignInAnswer::Code(code) => Answer::Code(code),
                SignInAnswer::MfaType(t) => Answer::MfaType(*t),
                SignInAnswer::SetUpTotp => Answer::SetUpTotp,
                SignInAnswer::VerifyTotp {
                    code,
                    friendly_name,
                } => Answer::VerifyTotp {
                    code,
                    friendly_name: friendly_name.as_deref(),
                },
                SignInAnswer::SetUpEmail(email) => Answer::SetUpEmail(email),
                SignInAnswer::NewPassword {
                    password,
                    attributes,
                } => {
                    borrowed = pairs(attributes);
                    Answer::NewPassword {
                        password,
                        attributes: &borrowed,
                    }
                }
                SignInAnswer::Custom(answer) => Answer::Custom(answer),
                SignInAnswer::FirstFactor(factor) => Answer::FirstFactor(*factor),
                SignInAnswer::WebAuthnCredential(credential) => {
                    Answer::WebAuthnCredential(credential)
                }
                SignInAnswer::Raw(responses) => {
                    borrowed = pairs(responses);
                    Answer::Raw(&borrowed)
                }
            };
            let flow = &mut self.flow;
            write_request(|b| flow.answer(&core_answer, b))
        };
        // An answer that does not fit the step leaves it waiting.
        self.run(request?).await?;
        Ok(&self.step)
    }

    /// Sends `request` and runs the flow until it waits for the caller or ends.
    async fn run(&mut self, request: crate::transport::OwnedRequest) -> Result<()> {
        let mut forgotten = false;
        let outcome = self
            .client
            .run_flow(&mut *self.flow, request, |step| {
                Ok(match step {
                    Step::SendRequest => Outcome::Sending,
                    Step::DeviceForgotten => {
                        tracing::info!(
                            "the pool forgot the remembered device; signing in without it"
                        );
                        forgotten = true;
                        Outcome::Sending
                    }
                    Step::Challenge(challenge) => Outcome::Ask(SignInStep::of(&challenge)),
                    Step::TotpSecret(secret) => Outcome::Ask(SignInStep::TotpSetup {
                        secret: Zeroizing::new(secret.to_owned()),
                    }),
                    Step::AnswerRefused(e) => Outcome::Refused(Box::new(e)),
                    Step::Authenticated(result) => {
                        let session =
                            Session::from_result(&result, &self.request.username, local_now())?;
                        Outcome::Signed(Box::new(session), offered_device(&result))
                    }
                    _ => Outcome::Sending,
                })
            })
            .await;
        if forgotten {
            self.request.device = None;
        }
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(e) => {
                self.finished = !self.flow.awaits_answer();
                tracing::info!(error = %e, "sign-in failed");
                return Err(e);
            }
        };
        match outcome {
            Outcome::Ask(step) => {
                tracing::debug!(step = ?step, "challenge");
                self.step = step;
                Ok(())
            }
            Outcome::Refused(e) => {
                tracing::info!(error = %e, "answer refused");
                Err(Error::AnswerRefused(*e))
            }
            Outcome::Signed(mut session, offer) => {
                session.device = self.request.device.clone();
                if let Some((key, group_key)) = offer
                    && let Some(device) = self
                        .register_device(&session.access_token, &key, &group_key)
                        .await
                {
                    session.device = Some(device);
                }
                if let Some(previous) = &self.request.previous {
                    session.carry_over(previous);
                }
                tracing::info!("signed in");
                self.step = SignInStep::Done(session);
                self.finished = true;
                Ok(())
            }
            Outcome::Sending => {
                self.finished = true;
                Err(
                    cognito_core::Error::Protocol(cognito_core::ProtocolError::UnexpectedChallenge)
                        .into(),
                )
            }
        }
    }

    /// Registers the device the pool offered ([`DeviceRegistration`]); the device to keep, if
    /// any. When the outcome of `ConfirmDevice` is unknown the device is kept all the same: if
    /// the pool did not register it, the next sign-in with it finds out and goes on without it.
    async fn register_device(
        &self,
        access_token: &str,
        key: &str,
        group_key: &str,
    ) -> Option<Device> {
        let client = &self.client;
        let offer = NewDeviceMetadata {
            device_key: key,
            device_group_key: group_key,
        };
        let registration = DeviceRegistration::new(&client.core, &offer, access_token, &mut OsRng)
            .map_err(Error::from)
            .and_then(|r| match &client.options.device_name {
                Some(name) => Ok(r.with_device_name(name)?),
                None => Ok(r),
            });
        let mut registration: DeviceRegistration = match registration {
            Ok(r) => r.remember(self.request.remember_device),
            Err(e) => {
                tracing::warn!(error = %e, "the offered device cannot be registered");
                return None;
            }
        };
        let device = Device::from_credentials(registration.credentials());
        let result =
            match write_request(|b| cognito_core::Flow::write_request(&mut registration, b)) {
                Ok(first) => client.run_flow(&mut registration, first, Ok).await,
                Err(e) => Err(e),
            };
        match result {
            Ok(DeviceStep::Registered { remembered }) => {
                tracing::info!(remembered, "device confirmed");
                Some(device)
            }
            Err(e @ Error::OutcomeUnknown { .. }) => {
                tracing::warn!(error = %e, "confirming the new device may have failed; keeping it");
                Some(device)
            }
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "confirming the new device failed");
                None
            }
        }
    }
}

/// The device the pool offered to track, if any.
fn offered_device(result: &AuthenticationResult<'_>) -> Option<(String, String)> {
    result
        .new_device
        .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned()))
}

fn ephemeral() -> Result<SrpEphemeral> {
    Ok(SrpEphemeral::generate(&mut OsRng)?)
}
