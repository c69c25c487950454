//! What a challenge asks the caller for, decoded from its parameters (JSON inside strings
//! included) and borrowed from the reply.

use super::answer::{FirstFactor, MfaType};
use super::challenge::{ChallengeName, ChallengeParameters};
use crate::account::DeliveryMedium;
use crate::error::ProtocolError;
use crate::wire::{JsonArray, JsonStr, JsonValue, StringList};

/// The longest wire name [`known`] decodes (known names are at most 24 characters).
const MAX_KNOWN_NAME_LEN: usize = 32;

/// `name` parsed by `parse`, escapes decoded (a name this version knows never needs them, but
/// may carry them); `None` for names `parse` does not know.
fn known<T>(name: JsonStr<'_>, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    match name.as_plain() {
        Some(plain) => parse(plain),
        None => parse(&name.to_fixed::<MAX_KNOWN_NAME_LEN>()?),
    }
}

/// Which code a [`ChallengeKind::MfaCode`] asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeKind {
    /// A code sent by SMS, as a second factor (`SMS_MFA`).
    SmsMfa,
    /// A code from the user's authenticator app (`SOFTWARE_TOKEN_MFA`).
    SoftwareTokenMfa,
    /// A code sent by email, as a second factor or as the first (`EMAIL_OTP`).
    EmailOtp,
    /// A code sent by SMS, as the first factor of a passwordless sign-in (`SMS_OTP`).
    SmsOtp,
}

impl CodeKind {
    /// The challenge that asks for this code.
    #[must_use]
    pub const fn challenge_name(self) -> &'static str {
        match self {
            CodeKind::SmsMfa => "SMS_MFA",
            CodeKind::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            CodeKind::EmailOtp => "EMAIL_OTP",
            CodeKind::SmsOtp => "SMS_OTP",
        }
    }
}

/// A challenge as the caller sees it: what to ask the user, with the parameters that say how.
///
/// Every list is read in place from the reply ([`StringList`]); names this version does not
/// know are kept, and typed views skip them.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum ChallengeKind<'r> {
    /// Enter a code: answer [`super::Answer::Code`].
    MfaCode {
        /// Which code.
        kind: CodeKind,
        /// Where it was sent, masked (`CODE_DELIVERY_DESTINATION`, e.g. `+*******0100`).
        destination: Option<JsonStr<'r>>,
        /// How it was sent (`CODE_DELIVERY_DELIVERY_MEDIUM`).
        medium: Option<DeliveryMedium>,
    },
    /// Choose an MFA type (`SELECT_MFA_TYPE`): answer [`super::Answer::MfaType`].
    SelectMfaType(MfaTypes<'r>),
    /// Set up MFA before signing in (`MFA_SETUP`): answer [`super::Answer::SetUpTotp`] or
    /// [`super::Answer::SetUpEmail`].
    MfaSetup(MfaTypes<'r>),
    /// Set a new password (`NEW_PASSWORD_REQUIRED`): answer [`super::Answer::NewPassword`] with
    /// these attributes.
    NewPasswordRequired {
        /// The attributes the pool requires and the user lacks (`requiredAttributes`, names
        /// without the `userAttributes.` prefix).
        required_attributes: AttributeNames<'r>,
    },
    /// A challenge of the pool's Lambda triggers (`CUSTOM_CHALLENGE`): answer
    /// [`super::Answer::Custom`].
    Custom {
        /// The trigger's public challenge parameters.
        parameters: ChallengeParameters<'r>,
    },
    /// Choose a first factor (`SELECT_CHALLENGE`): answer [`super::Answer::FirstFactor`].
    SelectChallenge(FirstFactors<'r>),
    /// Sign in with a passkey (`WEB_AUTHN`): answer [`super::Answer::WebAuthnCredential`].
    WebAuthn {
        /// `CREDENTIAL_REQUEST_OPTIONS`: the JSON text (decoded) to hand to the authenticator
        /// (`navigator.credentials.get`).
        options: JsonStr<'r>,
    },
    /// A challenge this version does not know, kept verbatim: answer [`super::Answer::Raw`].
    Other {
        /// `ChallengeName`.
        name: &'r str,
        /// `ChallengeParameters`.
        parameters: ChallengeParameters<'r>,
    },
}

impl<'r> ChallengeKind<'r> {
    /// Decodes the challenge `name` from its `parameters` and the reply's `AvailableChallenges`.
    pub(crate) fn decode(
        name: ChallengeName<'r>,
        parameters: ChallengeParameters<'r>,
        available_challenges: Option<JsonArray<'r>>,
    ) -> Result<Self, ProtocolError> {
        let code = |kind| {
            let medium = parameters.get("CODE_DELIVERY_DELIVERY_MEDIUM");
            Ok(ChallengeKind::MfaCode {
                kind,
                destination: parameters.get("CODE_DELIVERY_DESTINATION"),
                medium: medium.and_then(|m| known(m, DeliveryMedium::parse)),
            })
        };
        // Cognito sends these lists as JSON inside a string; a plain array is read too.
        let encoded = |key: &'static str| match parameters.as_object().and_then(|o| o.get(key)) {
            Some(JsonValue::String(text)) => StringList::from_encoded(text, key),
            Some(JsonValue::Array(array)) => StringList::from_array(array, key),
            Some(JsonValue::Null) | None => Ok(StringList::default()),
            Some(_) => Err(ProtocolError::InvalidField(key)),
        };
        match name {
            ChallengeName::SmsMfa => code(CodeKind::SmsMfa),
            ChallengeName::SoftwareTokenMfa => code(CodeKind::SoftwareTokenMfa),
            ChallengeName::EmailOtp => code(CodeKind::EmailOtp),
            ChallengeName::SmsOtp => code(CodeKind::SmsOtp),
            ChallengeName::SelectMfaType => Ok(ChallengeKind::SelectMfaType(MfaTypes(encoded(
                "MFAS_CAN_CHOOSE",
            )?))),
            ChallengeName::MfaSetup => Ok(ChallengeKind::MfaSetup(MfaTypes(encoded(
                "MFAS_CAN_SETUP",
            )?))),
            ChallengeName::NewPasswordRequired => Ok(ChallengeKind::NewPasswordRequired {
                required_attributes: AttributeNames(encoded("requiredAttributes")?),
            }),
            ChallengeName::CustomChallenge => Ok(ChallengeKind::Custom { parameters }),
            ChallengeName::SelectChallenge => {
                let list = match available_challenges {
                    Some(array) => StringList::from_array(array, "AvailableChallenges")?,
                    None => encoded("AVAILABLE_CHALLENGES")?,
                };
                Ok(ChallengeKind::SelectChallenge(FirstFactors(list)))
            }
            ChallengeName::WebAuthn => {
                const OPTIONS: &str = "CREDENTIAL_REQUEST_OPTIONS";
                match parameters.as_object().and_then(|o| o.get(OPTIONS)) {
                    Some(JsonValue::String(options)) => Ok(ChallengeKind::WebAuthn { options }),
                    Some(JsonValue::Null) | None => Err(ProtocolError::MissingField(OPTIONS)),
                    Some(_) => Err(ProtocolError::InvalidField(OPTIONS)),
                }
            }
            other => Ok(ChallengeKind::Other {
                name: other.as_str(),
                parameters,
            }),
        }
    }
}

/// MFA types a challenge offers (`MFAS_CAN_CHOOSE`, `MFAS_CAN_SETUP`).
#[derive(Clone, Copy, Debug, Default)]
pub struct MfaTypes<'r>(StringList<'r>);

impl<'r> MfaTypes<'r> {
    /// The offered types this version knows, in the server's order.
    pub fn iter(&self) -> impl Iterator<Item = MfaType> + 'r + use<'r> {
        self.0.iter().filter_map(|name| known(name, MfaType::parse))
    }

    /// Whether `mfa` is offered.
    #[must_use]
    pub fn contains(&self, mfa: MfaType) -> bool {
        self.iter().any(|m| m == mfa)
    }

    /// Every offered name, known or not.
    #[must_use]
    pub fn names(&self) -> StringList<'r> {
        self.0
    }
}

/// First factors a `SELECT_CHALLENGE` offers (`AvailableChallenges`).
#[derive(Clone, Copy, Debug, Default)]
pub struct FirstFactors<'r>(StringList<'r>);

impl<'r> FirstFactors<'r> {
    /// The offered factors this version knows, in the server's order.
    pub fn iter(&self) -> impl Iterator<Item = FirstFactor> + 'r + use<'r> {
        self.0
            .iter()
            .filter_map(|name| known(name, FirstFactor::parse))
    }

    /// Whether `factor` is offered.
    #[must_use]
    pub fn contains(&self, factor: FirstFactor) -> bool {
        self.iter().any(|f| f == factor)
    }

    /// Every offered name, known or not.
    #[must_use]
    pub fn names(&self) -> StringList<'r> {
        self.0
    }
}

/// Names of attributes a `NEW_PASSWORD_REQUIRED` needs, without the `userAttributes.` prefix.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttributeNames<'r>(StringList<'r>);

impl<'r> AttributeNames<'r> {
    /// The names, in the server's order.
    pub fn iter(&self) -> impl Iterator<Item = JsonStr<'r>> + 'r + use<'r> {
        self.0
            .iter()
            .map(|name| name.strip_prefix("userAttributes.").unwrap_or(name))
    }

    /// The number of names.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no attribute is required.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
