//! Challenges: the server's "one more step" answers to `InitiateAuth` / `RespondToAuthChallenge`.

use core::fmt;

use super::challenge_kind::ChallengeKind;
use crate::error::ProtocolError;
use crate::redact::{Hidden, hide, is_secret_parameter};
use crate::wire::{JsonArray, JsonObject, JsonStr, JsonValue};

macro_rules! challenge_names {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)*) => {
        /// A `ChallengeName`. Names this crate does not know are kept verbatim in [`ChallengeName::Other`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ChallengeName<'r> {
            $($(#[$doc])* $variant,)*
            /// A challenge name this version does not know, as the server sent it.
            Other(&'r str),
        }

        impl<'r> ChallengeName<'r> {
            /// Parses a wire name; unknown names become [`ChallengeName::Other`].
            pub fn parse(name: &'r str) -> Self {
                match name {
                    $($wire => ChallengeName::$variant,)*
                    other => ChallengeName::Other(other),
                }
            }

            /// The wire name.
            pub fn as_str(&self) -> &'r str {
                match self {
                    $(ChallengeName::$variant => $wire,)*
                    ChallengeName::Other(other) => other,
                }
            }
        }
    };
}

challenge_names! {
    /// SRP step two: prove the password (`SRP_B`, `SALT`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`).
    PasswordVerifier = "PASSWORD_VERIFIER",
    /// Device SRP step one: send the device's `SRP_A`.
    DeviceSrpAuth = "DEVICE_SRP_AUTH",
    /// Device SRP step two: prove the device password.
    DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
    /// A code was sent by SMS (`SMS_MFA_CODE`).
    SmsMfa = "SMS_MFA",
    /// A code from the user's authenticator app (`SOFTWARE_TOKEN_MFA_CODE`).
    SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
    /// A code was sent by email (`EMAIL_OTP_CODE`).
    EmailOtp = "EMAIL_OTP",
    /// Passwordless sign-in code sent by SMS (`SMS_OTP_CODE`).
    SmsOtp = "SMS_OTP",
    /// Choose an MFA type from `MFAS_CAN_CHOOSE`.
    SelectMfaType = "SELECT_MFA_TYPE",
    /// MFA must be set up before sign-in completes (`MFAS_CAN_SETUP`).
    MfaSetup = "MFA_SETUP",
    /// The user must set a new password (and possibly required attributes).
    NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
    /// A challenge defined by the pool's Lambda triggers; answered with `ANSWER`.
    CustomChallenge = "CUSTOM_CHALLENGE",
    /// Choice-based sign-in: choose one of `AvailableChallenges`.
    SelectChallenge = "SELECT_CHALLENGE",
    /// Choice-based sign-in with a plain password.
    Password = "PASSWORD",
    /// Choice-based sign-in with SRP.
    PasswordSrp = "PASSWORD_SRP",
    /// Passkey sign-in (`CREDENTIAL_REQUEST_OPTIONS`).
    WebAuthn = "WEB_AUTHN",
    /// Server-side admin flow without SRP.
    AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
}

impl fmt::Display for ChallengeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A challenge the caller must answer, borrowed from the reply body: what it asks for
/// ([`Self::kind`]), its name, its raw parameters and the newest `Session`. `Debug` leaves the
/// `Session` out, and the values of secret parameters (see [`ChallengeParameters`]).
#[derive(Clone, Copy)]
pub struct Challenge<'r> {
    name: ChallengeName<'r>,
    kind: ChallengeKind<'r>,
    session: Option<&'r str>,
    parameters: ChallengeParameters<'r>,
    available_challenges: Option<JsonArray<'r>>,
}

impl<'r> Challenge<'r> {
    /// Reads the challenge members of a reply object.
    pub(crate) fn from_reply(reply: &JsonObject<'r>) -> Result<Option<Self>, ProtocolError> {
        let Some(name) = reply.get_str("ChallengeName")? else {
            return Ok(None);
        };
        let name = name
            .as_plain()
            .ok_or(ProtocolError::InvalidField("ChallengeName"))?;
        let session = match reply.get_str("Session")? {
            Some(s) => Some(s.as_plain().ok_or(ProtocolError::InvalidField("Session"))?),
            None => None,
        };
        let parameters = match reply.get_object("ChallengeParameters")? {
            Some(obj) => ChallengeParameters(Some(obj)),
            None => ChallengeParameters(None),
        };
        let available_challenges = reply.get_array("AvailableChallenges")?;
        let name = ChallengeName::parse(name);
        Ok(Some(Self {
            name,
            kind: ChallengeKind::decode(name, parameters, available_challenges)?,
            session,
            parameters,
            available_challenges,
        }))
    }

    /// The challenge name.
    pub fn name(&self) -> ChallengeName<'r> {
        self.name
    }

    /// What the challenge asks for, decoded from its parameters.
    pub fn kind(&self) -> ChallengeKind<'r> {
        self.kind
    }

    /// The newest `Session`; the answer must carry it.
    pub fn session(&self) -> Option<&'r str> {
        self.session
    }

    /// `ChallengeParameters`, as the server sent them.
    pub fn parameters(&self) -> ChallengeParameters<'r> {
        self.parameters
    }

    /// `AvailableChallenges` (choice-based sign-in), as the server sent them.
    pub fn available_challenges(&self) -> Option<JsonArray<'r>> {
        self.available_challenges
    }
}

/// The `ChallengeParameters` object of a reply (possibly absent, which reads as empty).
///
/// `Debug` shows every parameter, but not the values of those that carry a secret
/// (`SECRET_BLOCK`, and any whose name says password, token, session, secret or answer).
#[derive(Clone, Copy)]
pub struct ChallengeParameters<'r>(Option<JsonObject<'r>>);

impl<'r> ChallengeParameters<'r> {
    /// The string parameter `name`, if present and a string.
    pub fn get(&self, name: &str) -> Option<JsonStr<'r>> {
        self.0
            .and_then(|obj| obj.get(name))
            .and_then(|v| v.as_str())
    }

    /// A parameter that must be present, must be a string and must contain no JSON escapes
    /// (every SRP parameter is plain ASCII).
    pub(crate) fn require_plain(&self, name: &'static str) -> Result<&'r str, ProtocolError> {
        let obj = self.0.ok_or(ProtocolError::MissingField(name))?;
        obj.require_str(name)?
            .as_plain()
            .ok_or(ProtocolError::InvalidField(name))
    }

    /// Every parameter, in the order sent (non-string values included).
    pub fn iter(&self) -> impl Iterator<Item = (JsonStr<'r>, crate::wire::JsonValue<'r>)> + 'r {
        self.0.into_iter().flat_map(|obj| obj.iter())
    }

    /// The raw JSON object, if the reply had one.
    pub fn as_object(&self) -> Option<JsonObject<'r>> {
        self.0
    }
}

impl fmt::Debug for Challenge<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Challenge {
            name,
            kind,
            session,
            parameters,
            available_challenges,
        } = self;
        f.debug_struct("Challenge")
            .field("name", name)
            .field("kind", kind)
            .field("session", &hide(session))
            .field("parameters", parameters)
            .field("available_challenges", available_challenges)
            .finish()
    }
}

impl fmt::Debug for ChallengeParameters<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.iter() {
            // Names are matched decoded (a name too long to decode is matched as sent).
            let decoded = name.to_fixed::<64>();
            let secret = is_secret_parameter(decoded.as_deref().unwrap_or(name.raw()));
            let name = format_args!("{:?}", name.raw());
            if secret {
                map.entry(&name, &Hidden::Secret);
            } else {
                map.entry(&name, &JsonText(value));
            }
        }
        map.finish()
    }
}

/// A JSON value as its JSON text (strings with their escapes, in quotes).
struct JsonText<'r>(JsonValue<'r>);

impl fmt::Debug for JsonText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            JsonValue::Null => f.write_str("null"),
            JsonValue::Bool(b) => write!(f, "{b}"),
            JsonValue::Number(n) => f.write_str(n),
            JsonValue::String(s) => write!(f, "\"{}\"", s.raw()),
            JsonValue::Array(a) => f.write_str(a.raw()),
            JsonValue::Object(o) => f.write_str(o.raw()),
        }
    }
}
