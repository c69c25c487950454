//! Sign-in: owned requests, the steps the caller answers, and the task that drives the core's
//! [`cognito_core::auth::SignIn`].
//!
//! The core's flow borrows its inputs (configuration, username, password, device). A
//! [`PendingSignIn`] therefore does not hold the flow itself: [`crate::Client::sign_in`] spawns a
//! task whose future owns the inputs *and* the flow borrowing them (an async block may borrow its
//! own locals across `.await`s), and the handle talks to it over two channels: an answer in, one
//! step (or error) out. Dropping the handle ends the task.

use core::fmt;
use std::collections::BTreeMap;
use std::sync::Arc;

use cognito_core::auth::{
    Answer, Challenge, ChallengeName, ConfirmDevice, DeviceCredentials, FirstFactor, MfaType,
    NewDeviceMetadata, SignIn, Step, read_update_device_status,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::wire::Operation;
use rand::rngs::OsRng;
use tokio::sync::mpsc;
use tracing::Instrument;
use zeroize::Zeroizing;

use crate::client::{Inner, write_grow};
use crate::error::{Error, Result};
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
}

/// What to sign in with: the flow, the user, optionally a remembered device and client metadata.
pub struct SignInRequest {
    username: String,
    method: Method,
    device: Option<Device>,
    client_metadata: Vec<(String, String)>,
    remember_device: bool,
}

impl SignInRequest {
    fn new(username: impl Into<String>, method: Method) -> Self {
        Self {
            username: username.into(),
            method,
            device: None,
            client_metadata: Vec::new(),
            remember_device: true,
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
}

impl fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInRequest")
            .field("username", &self.username)
            .field("flow", &self.method.name())
            .field("device", &self.device)
            .field("remember_device", &self.remember_device)
            .finish_non_exhaustive()
    }
}

/// Which code a [`SignInStep::MfaCode`] asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeKind {
    /// A code sent by SMS (`SMS_MFA`).
    SmsMfa,
    /// A code from the authenticator app (`SOFTWARE_TOKEN_MFA`).
    SoftwareTokenMfa,
    /// A code sent by email (`EMAIL_OTP`, as MFA or as the first factor).
    EmailOtp,
    /// A passwordless code sent by SMS (`SMS_OTP`).
    SmsOtp,
}

/// Where a sign-in stands: signed in, or waiting for the caller's [`SignInAnswer`].
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
    },
    /// Choose an MFA type (`SELECT_MFA_TYPE`): answer [`SignInAnswer::MfaType`].
    SelectMfaType {
        /// `MFAS_CAN_CHOOSE`, e.g. `["SMS_MFA", "SOFTWARE_TOKEN_MFA"]`.
        available: Vec<String>,
    },
    /// MFA must be set up (`MFA_SETUP`): answer [`SignInAnswer::SetUpTotp`] or
    /// [`SignInAnswer::SetUpEmail`].
    MfaSetup {
        /// `MFAS_CAN_SETUP`.
        available: Vec<String>,
    },
    /// The secret of the authenticator app being set up (base32): answer
    /// [`SignInAnswer::VerifyTotp`] with its first code.
    TotpSetup {
        /// The base32 secret (show it, or an `otpauth://` URI of it).
        secret: String,
    },
    /// A new password is required: answer [`SignInAnswer::NewPassword`].
    NewPasswordRequired {
        /// Attributes the pool requires (names without the `userAttributes.` prefix).
        required_attributes: Vec<String>,
    },
    /// A custom challenge: answer [`SignInAnswer::Custom`].
    CustomChallenge {
        /// `ChallengeParameters`, as sent by the Lambda trigger.
        parameters: BTreeMap<String, String>,
    },
    /// Choose a first factor (`SELECT_CHALLENGE`): answer [`SignInAnswer::FirstFactor`].
    SelectChallenge {
        /// `AvailableChallenges`, e.g. `["PASSWORD_SRP", "EMAIL_OTP"]`.
        available: Vec<String>,
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

impl fmt::Debug for SignInStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInStep::Done(session) => f.debug_tuple("Done").field(session).finish(),
            SignInStep::MfaCode { kind, destination } => f
                .debug_struct("MfaCode")
                .field("kind", kind)
                .field("destination", destination)
                .finish(),
            SignInStep::SelectMfaType { available } => f
                .debug_struct("SelectMfaType")
                .field("available", available)
                .finish(),
            SignInStep::MfaSetup { available } => f
                .debug_struct("MfaSetup")
                .field("available", available)
                .finish(),
            // The TOTP secret is not shown.
            SignInStep::TotpSetup { .. } => f.debug_struct("TotpSetup").finish_non_exhaustive(),
            SignInStep::NewPasswordRequired {
                required_attributes,
            } => f
                .debug_struct("NewPasswordRequired")
                .field("required_attributes", required_attributes)
                .finish(),
            SignInStep::CustomChallenge { parameters } => f
                .debug_struct("CustomChallenge")
                .field("parameters", parameters)
                .finish(),
            SignInStep::SelectChallenge { available } => f
                .debug_struct("SelectChallenge")
                .field("available", available)
                .finish(),
            SignInStep::WebAuthn { options } => f
                .debug_struct("WebAuthn")
                .field("options", options)
                .finish(),
            SignInStep::Other { name, parameters } => f
                .debug_struct("Other")
                .field("name", name)
                .field("parameters", parameters)
                .finish(),
        }
    }
}

/// The caller's answer to a [`SignInStep`].
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
        // Codes, passwords and credentials are secrets: show the kind only.
        match self {
            SignInAnswer::MfaType(t) => f.debug_tuple("MfaType").field(t).finish(),
            SignInAnswer::FirstFactor(x) => f.debug_tuple("FirstFactor").field(x).finish(),
            SignInAnswer::Code(_) => f.write_str("Code(..)"),
            SignInAnswer::SetUpTotp => f.write_str("SetUpTotp"),
            SignInAnswer::VerifyTotp { .. } => f.write_str("VerifyTotp(..)"),
            SignInAnswer::SetUpEmail(_) => f.write_str("SetUpEmail(..)"),
            SignInAnswer::NewPassword { .. } => f.write_str("NewPassword(..)"),
            SignInAnswer::Custom(_) => f.write_str("Custom(..)"),
            SignInAnswer::WebAuthnCredential(_) => f.write_str("WebAuthnCredential(..)"),
            SignInAnswer::Raw(_) => f.write_str("Raw(..)"),
        }
    }
}

/// A sign-in in progress: [`step`](Self::step) says what the server wants,
/// [`answer`](Self::answer) gives it and moves on.
///
/// A wrong code returns the service error (`CodeMismatchException`) and leaves the step as it
/// was, to be answered again (as does an answer that cannot be written, such as a code that is
/// not six digits); other errors end the sign-in ([`is_finished`](Self::is_finished) then says
/// so, and further answers get [`Error::SignInFinished`]).
#[derive(Debug)]
pub struct PendingSignIn {
    answers: mpsc::Sender<SignInAnswer>,
    steps: mpsc::Receiver<Message>,
    step: SignInStep,
    finished: bool,
}

/// What the sign-in task tells its handle.
#[derive(Debug)]
enum Message {
    /// The next step ([`SignInStep::Done`] is the last message).
    Step(SignInStep),
    /// The answer was refused; the same step waits for another.
    AnswerAgain(Error),
    /// The error that ended the sign-in (the last message).
    Failed(Error),
}

impl PendingSignIn {
    /// Spawns the flow and waits for its first step.
    pub(crate) async fn start(inner: Arc<Inner>, request: SignInRequest) -> Result<Self> {
        let (answer_tx, answer_rx) = mpsc::channel(1);
        let (step_tx, mut step_rx) = mpsc::channel(1);
        let span = tracing::info_span!(
            "cognito_sign_in",
            flow = request.method.name(),
            username = %request.username,
            device = request.device.is_some()
        );
        tokio::spawn(drive(inner, request, answer_rx, step_tx).instrument(span));
        let step = match step_rx.recv().await {
            Some(Message::Step(step)) => step,
            Some(Message::AnswerAgain(e) | Message::Failed(e)) => return Err(e),
            None => return Err(Error::SignInFinished),
        };
        let finished = matches!(step, SignInStep::Done(_));
        Ok(Self {
            answers: answer_tx,
            steps: step_rx,
            step,
            finished,
        })
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
        if self.answers.send(answer).await.is_err() {
            self.finished = true;
            return Err(Error::SignInFinished);
        }
        match self.steps.recv().await {
            None => {
                self.finished = true;
                Err(Error::SignInFinished)
            }
            Some(Message::AnswerAgain(e)) => Err(e),
            Some(Message::Failed(e)) => {
                self.finished = true;
                Err(e)
            }
            Some(Message::Step(step)) => {
                self.finished = matches!(step, SignInStep::Done(_));
                self.step = step;
                Ok(&self.step)
            }
        }
    }
}

/// What the reply to the last request calls for.
#[allow(clippy::large_enum_variant)]
enum Action {
    Send,
    DeviceForgotten,
    Done(Box<Session>, Option<(String, String)>),
    Ask(SignInStep),
    AnswerAgain(cognito_core::Error),
}

async fn drive(
    inner: Arc<Inner>,
    request: SignInRequest,
    mut answers: mpsc::Receiver<SignInAnswer>,
    steps: mpsc::Sender<Message>,
) {
    let last = match run(&inner, &request, &mut answers, &steps).await {
        Ok(session) => {
            tracing::info!("signed in");
            Message::Step(SignInStep::Done(Box::new(session)))
        }
        Err(e) => {
            tracing::info!(error = %e, "sign-in failed");
            Message::Failed(e)
        }
    };
    // The caller may have gone; then there is nobody to tell.
    let _ = steps.send(last).await;
}

fn ephemeral() -> Result<SrpEphemeral> {
    Ok(SrpEphemeral::generate(&mut OsRng)?)
}

async fn run(
    inner: &Inner,
    request: &SignInRequest,
    answers: &mut mpsc::Receiver<SignInAnswer>,
    steps: &mpsc::Sender<Message>,
) -> Result<Session> {
    let config = inner.config.core()?;
    let username = request.username.as_str();
    let metadata: Vec<(&str, &str)> = request
        .client_metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let remembered = request.device.as_ref().map(Device::as_remembered);
    let mut flow = match &request.method {
        Method::Srp(password) => SignIn::srp(&config, username, password, ephemeral()?)?,
        Method::Password(password) => SignIn::password(&config, username, password)?,
        Method::Custom => SignIn::custom(&config, username)?,
        Method::CustomWithSrp(password) => {
            SignIn::custom_with_srp(&config, username, password, ephemeral()?)?
        }
        Method::Choice {
            preferred,
            password,
        } => {
            let eph = if password.is_some() {
                Some(ephemeral()?)
            } else {
                None
            };
            SignIn::choice(
                &config,
                username,
                *preferred,
                password.as_deref().map(String::as_str),
                eph,
            )?
        }
        Method::AfterSignUp { session, preferred } => {
            SignIn::after_sign_up(&config, username, session, *preferred)?
        }
    }
    .with_client_metadata(&metadata);
    if let Some(device) = &remembered {
        flow = flow.with_device(device, ephemeral()?);
    }

    let mut buf = Zeroizing::new(vec![0u8; 16 * 1024]);
    let mut device_forgotten = false;
    let (mut operation, mut body) = write_grow(&mut buf, |b| flow.write_request(b))?;
    loop {
        let reply = inner.transport.send(operation, &body).await?;
        let now = inner.transport.server_now();
        let action = {
            let response = reply.as_http();
            match flow.handle_response(&response, now) {
                Ok(Step::SendRequest) => Action::Send,
                Ok(Step::DeviceForgotten) => Action::DeviceForgotten,
                Ok(Step::Authenticated(result)) => Action::Done(
                    Box::new(Session::from_result(&result, username, local_now())?),
                    result
                        .new_device
                        .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned())),
                ),
                Ok(Step::Challenge(challenge)) => Action::Ask(step_of(&challenge)),
                Ok(Step::TotpSecret(secret)) => Action::Ask(SignInStep::TotpSetup {
                    secret: secret.to_owned(),
                }),
                Ok(_) => {
                    return Err(cognito_core::Error::Protocol(
                        cognito_core::ProtocolError::UnexpectedChallenge,
                    )
                    .into());
                }
                // A wrong code hands the challenge back.
                Err(e) if flow.awaits_answer() => Action::AnswerAgain(e),
                Err(e) => return Err(e.into()),
            }
        };
        match action {
            Action::Send => {
                (operation, body) = write_grow(&mut buf, |b| flow.write_request(b))?;
            }
            Action::DeviceForgotten => {
                tracing::info!("the pool forgot the remembered device; signing in without it");
                device_forgotten = true;
                (operation, body) = write_grow(&mut buf, |b| flow.write_request(b))?;
            }
            Action::Done(mut session, offer) => {
                session.device = if device_forgotten {
                    None
                } else {
                    request.device.clone()
                };
                if let Some((key, group_key)) = offer {
                    match confirm_device(
                        inner,
                        &session.access_token,
                        &key,
                        &group_key,
                        request.remember_device,
                    )
                    .await
                    {
                        Ok(device) => session.device = Some(device),
                        Err(e) => tracing::warn!(error = %e, "confirming the new device failed"),
                    }
                }
                return Ok(*session);
            }
            Action::Ask(step) => {
                tracing::debug!(step = ?step, "challenge");
                steps
                    .send(Message::Step(step))
                    .await
                    .map_err(|_| Error::SignInFinished)?;
                (operation, body) = next_answer(&mut flow, answers, steps, &mut buf).await?;
            }
            Action::AnswerAgain(e) => {
                steps
                    .send(Message::AnswerAgain(e.into()))
                    .await
                    .map_err(|_| Error::SignInFinished)?;
                (operation, body) = next_answer(&mut flow, answers, steps, &mut buf).await?;
            }
        }
    }
}

/// Waits for the caller's answer and writes it; an answer that does not fit is reported and
/// another awaited.
async fn next_answer(
    flow: &mut SignIn<'_>,
    answers: &mut mpsc::Receiver<SignInAnswer>,
    steps: &mpsc::Sender<Message>,
    buf: &mut Zeroizing<Vec<u8>>,
) -> Result<(Operation, Zeroizing<Vec<u8>>)> {
    loop {
        let answer = answers.recv().await.ok_or(Error::SignInFinished)?;
        tracing::debug!(answer = ?answer, "answer");
        match write_answer(flow, &answer, buf) {
            Ok(request) => return Ok(request),
            Err(e) if flow.awaits_answer() => {
                steps
                    .send(Message::AnswerAgain(e))
                    .await
                    .map_err(|_| Error::SignInFinished)?;
            }
            Err(e) => return Err(e),
        }
    }
}

fn write_answer(
    flow: &mut SignIn<'_>,
    answer: &SignInAnswer,
    buf: &mut Zeroizing<Vec<u8>>,
) -> Result<(Operation, Zeroizing<Vec<u8>>)> {
    let pairs = crate::account::pairs;
    let borrowed;
    let core_answer = match answer {
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
        SignInAnswer::WebAuthnCredential(credential) => Answer::WebAuthnCredential(credential),
        SignInAnswer::Raw(responses) => {
            borrowed = pairs(responses);
            Answer::Raw(&borrowed)
        }
    };
    write_grow(buf, |b| flow.answer(&core_answer, b))
}

/// Registers the offered device (`ConfirmDevice`) and, when the user may choose, remembers it.
async fn confirm_device(
    inner: &Inner,
    access_token: &str,
    device_key: &str,
    device_group_key: &str,
    remember: bool,
) -> Result<Device> {
    let offer = NewDeviceMetadata {
        device_key,
        device_group_key,
    };
    let (credentials, verifier) = DeviceCredentials::generate(&offer, &mut OsRng)?;
    let mut buf = Zeroizing::new(vec![0u8; 4096]);
    let (operation, body) = write_grow(&mut buf, |b| {
        credentials.write_confirm_device(
            access_token,
            &verifier,
            inner.options.device_name.as_deref(),
            b,
        )
    })?;
    let reply = inner.transport.send(operation, &body).await?;
    let user_decides = ConfirmDevice::read_reply(&reply.as_http())?;
    if user_decides {
        let (operation, body) = write_grow(&mut buf, |b| {
            credentials.write_update_device_status(access_token, remember, b)
        })?;
        let reply = inner.transport.send(operation, &body).await?;
        read_update_device_status(&reply.as_http())?;
    }
    tracing::info!(remembered = remember || !user_decides, "device confirmed");
    Ok(Device::from_credentials(&credentials))
}

/// The owned step for a challenge.
fn step_of(challenge: &Challenge<'_>) -> SignInStep {
    let parameters = parameters_of(challenge);
    let list = |name: &str| -> Vec<String> {
        parameters
            .get(name)
            .and_then(|v| serde_json::from_str(v).ok())
            .unwrap_or_default()
    };
    let code = |kind| SignInStep::MfaCode {
        kind,
        destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
    };
    match challenge.name() {
        ChallengeName::SmsMfa => code(CodeKind::SmsMfa),
        ChallengeName::SoftwareTokenMfa => code(CodeKind::SoftwareTokenMfa),
        ChallengeName::EmailOtp => code(CodeKind::EmailOtp),
        ChallengeName::SmsOtp => code(CodeKind::SmsOtp),
        ChallengeName::SelectMfaType => SignInStep::SelectMfaType {
            available: list("MFAS_CAN_CHOOSE"),
        },
        ChallengeName::MfaSetup => SignInStep::MfaSetup {
            available: list("MFAS_CAN_SETUP"),
        },
        ChallengeName::NewPasswordRequired => SignInStep::NewPasswordRequired {
            required_attributes: list("requiredAttributes")
                .into_iter()
                .map(|a| {
                    a.strip_prefix("userAttributes.")
                        .map(str::to_owned)
                        .unwrap_or(a)
                })
                .collect(),
        },
        ChallengeName::CustomChallenge => SignInStep::CustomChallenge { parameters },
        ChallengeName::SelectChallenge => SignInStep::SelectChallenge {
            available: challenge
                .available_challenges()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(|s| crate::account::owned(&s))
                        .collect()
                })
                .unwrap_or_default(),
        },
        ChallengeName::WebAuthn => SignInStep::WebAuthn {
            options: parameters
                .get("CREDENTIAL_REQUEST_OPTIONS")
                .cloned()
                .unwrap_or_default(),
        },
        other => SignInStep::Other {
            name: other.as_str().to_owned(),
            parameters,
        },
    }
}

/// `ChallengeParameters` as strings (other JSON values as their JSON text).
fn parameters_of(challenge: &Challenge<'_>) -> BTreeMap<String, String> {
    challenge
        .parameters()
        .as_object()
        .and_then(|o| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(o.raw()).ok())
        .map(|map| {
            map.into_iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}
