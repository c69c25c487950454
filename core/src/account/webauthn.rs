//! Passkeys of the signed-in user: `StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`,
//! `ListWebAuthnCredentials` and `DeleteWebAuthnCredential`.

use super::body::{self, plain, require_plain};
use super::list::{List, ListItem, object};
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse, ProtocolError};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::wire::{
    HttpResponse, JsonObject, JsonStr, JsonValue, JsonWriter, Operation, Resend, parse_object,
    read_response,
};

/// Largest `MaxResults` of `ListWebAuthnCredentials` (`WebAuthnCredentialsQueryLimitType`).
pub const MAX_WEBAUTHN_CREDENTIALS_RESULTS: u8 = 20;

/// A `StartWebAuthnRegistration` request.
#[derive(Clone, Copy, Default)]
pub struct StartWebAuthnRegistration<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl Call for StartWebAuthnRegistration<'_> {
    const OPERATION: Operation = Operation::StartWebAuthnRegistration;
    type Reply<'r> = StartWebAuthnRegistrationReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(
        response: &HttpResponse<'r>,
    ) -> Result<StartWebAuthnRegistrationReply<'r>, Error> {
        StartWebAuthnRegistrationReply::read(response)
    }
}

/// The reply of `StartWebAuthnRegistration`.
#[derive(Clone, Copy, Debug)]
pub struct StartWebAuthnRegistrationReply<'r> {
    /// `CredentialCreationOptions`: WebAuthn `PublicKeyCredentialCreationOptions` as JSON; hand
    /// [`JsonObject::raw`] to the authenticator (`navigator.credentials.create`, a platform API).
    pub credential_creation_options: JsonObject<'r>,
}

impl<'r> StartWebAuthnRegistrationReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(StartWebAuthnRegistrationReply {
            credential_creation_options: obj.require_object("CredentialCreationOptions")?,
        })
    }
}

/// A `CompleteWebAuthnRegistration` request with the authenticator's answer.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::CompleteWebAuthnRegistration;
/// let config = cognito_core::auth::ClientConfig::new("eu-west-1_AbC", "client")?;
/// let complete = CompleteWebAuthnRegistration {
///     access_token: "eyJ.a.b",
///     credential: r#"{"id":"AbC","type":"public-key"}"#,
/// };
/// let mut buf = [0u8; 128];
/// let request = complete.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"AccessToken":"eyJ.a.b","Credential":{"id":"AbC","type":"public-key"}}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct CompleteWebAuthnRegistration<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `Credential`: the `RegistrationResponseJSON` of the authenticator, a JSON object, sent
    /// verbatim.
    pub credential: &'a str,
}

impl Call for CompleteWebAuthnRegistration<'_> {
    const OPERATION: Operation = Operation::CompleteWebAuthnRegistration;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        parse_object(self.credential.as_bytes())
            .map_err(|_| Misuse::Invalid("credential (not a JSON object)"))?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.key("Credential");
        // Only the validated object's own text is written, without surrounding whitespace.
        match parse_object(self.credential.as_bytes()) {
            Ok(credential) => w.raw(credential.raw()),
            Err(_) => w.null(),
        }
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A registered passkey (`WebAuthnCredentialDescription`).
#[derive(Clone, Copy, Debug)]
pub struct WebAuthnCredential<'r> {
    /// `CredentialId`: pass it to [`DeleteWebAuthnCredential`].
    pub credential_id: &'r str,
    /// `FriendlyCredentialName`.
    pub friendly_credential_name: JsonStr<'r>,
    /// `RelyingPartyId`.
    pub relying_party_id: &'r str,
    /// `AuthenticatorAttachment`: `platform` or `cross-platform`.
    pub authenticator_attachment: Option<&'r str>,
    /// `AuthenticatorTransports`: `usb`, `nfc`, `ble`, `internal`, `hybrid`.
    pub authenticator_transports: List<'r, &'r str>,
    /// `CreatedAt`: unix seconds with a fraction.
    pub created_at: f64,
}

impl<'r> ListItem<'r> for WebAuthnCredential<'r> {
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError> {
        let obj = object(value, field)?;
        Ok(WebAuthnCredential {
            credential_id: require_plain(&obj, "CredentialId")?,
            friendly_credential_name: obj.require_str("FriendlyCredentialName")?,
            relying_party_id: require_plain(&obj, "RelyingPartyId")?,
            authenticator_attachment: plain(&obj, "AuthenticatorAttachment")?,
            authenticator_transports: List::read(&obj, "AuthenticatorTransports")?,
            created_at: obj
                .get_f64("CreatedAt")?
                .ok_or(ProtocolError::MissingField("CreatedAt"))?,
        })
    }
}

/// A `ListWebAuthnCredentials` request (one page).
#[derive(Clone, Copy, Default)]
pub struct ListWebAuthnCredentials<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `NextToken` of the previous page.
    pub next_token: Option<&'a str>,
    /// `MaxResults`: at most [`MAX_WEBAUTHN_CREDENTIALS_RESULTS`].
    pub max_results: Option<u8>,
}

impl Call for ListWebAuthnCredentials<'_> {
    const OPERATION: Operation = Operation::ListWebAuthnCredentials;
    const RESEND: Resend = Resend::AfterAnyFailure;
    type Reply<'r> = ListWebAuthnCredentialsReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::limit(
            self.max_results,
            "max_results (at most 20)",
            MAX_WEBAUTHN_CREDENTIALS_RESULTS,
        )?;
        if let Some(token) = self.next_token {
            validate::required(token, "next_token")?;
        }
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.field_opt_str("NextToken", self.next_token);
        body::opt_u64(w, "MaxResults", self.max_results);
    }

    fn read_reply<'r>(
        response: &HttpResponse<'r>,
    ) -> Result<ListWebAuthnCredentialsReply<'r>, Error> {
        ListWebAuthnCredentialsReply::read(response)
    }
}

/// The reply of `ListWebAuthnCredentials`.
#[derive(Clone, Copy, Debug)]
pub struct ListWebAuthnCredentialsReply<'r> {
    /// `Credentials`.
    pub credentials: List<'r, WebAuthnCredential<'r>>,
    /// `NextToken`: pass it to get the next page; `None` on the last page.
    pub next_token: Option<&'r str>,
}

impl<'r> ListWebAuthnCredentialsReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(ListWebAuthnCredentialsReply {
            credentials: List::read(&obj, "Credentials")?,
            next_token: plain(&obj, "NextToken")?,
        })
    }
}

/// A `DeleteWebAuthnCredential` request.
#[derive(Clone, Copy, Default)]
pub struct DeleteWebAuthnCredential<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `CredentialId` from [`WebAuthnCredential::credential_id`].
    pub credential_id: &'a str,
}

impl Call for DeleteWebAuthnCredential<'_> {
    const OPERATION: Operation = Operation::DeleteWebAuthnCredential;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.field_str("CredentialId", self.credential_id);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

debug_fields!(StartWebAuthnRegistration { access_token: hide });

debug_fields!(CompleteWebAuthnRegistration {
    access_token: hide,
    credential: hide,
});

debug_fields!(ListWebAuthnCredentials {
    access_token: hide,
    next_token: show,
    max_results: show,
});

debug_fields!(DeleteWebAuthnCredential {
    access_token: hide,
    credential_id: show,
});
