//! `sign-in`: runs a flow, answers its challenges from flags or the terminal, stores the session.

use cognito_std::blocking::{Client, PendingSignIn};
use cognito_std::{
    CodeKind, FirstFactor, MfaType, Session, SignInAnswer, SignInRequest, SignInStep,
};

use zeroize::Zeroizing;

use crate::args::{Factor, Flow, MfaKind, Secret, SetupKind, SignInArgs};
use crate::commands::mfa::{code_at, uri_of};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{auth_result_json, unix_now};
use crate::prompt::{self, interactive};

/// Wrong answers typed at the terminal that are asked again before giving up.
const MAX_RETYPES: u32 = 3;

/// `sign-in`.
pub(super) fn sign_in(ctx: &Context, args: &SignInArgs) -> CliResult<()> {
    if args.hosted_ui {
        return super::hosted::hosted_sign_in(ctx, args);
    }
    let client = ctx.client()?;
    // Read the stored session first: a file that cannot be read is reported, never replaced.
    let stored = ctx.load()?;
    let password = password(args)?;
    // The device of whoever signs in (by any name they signed in with before); every other
    // user's remembered device stays in the session saved below.
    let request = request(args, password.as_ref().map(|p| p.as_str()))
        .remembering(stored.as_ref())
        .remember_device(args.remember_device);
    let used_device = request.device().map(|d| d.key.clone());
    let mut pending = client.sign_in(request)?;
    let mut answers = Answers::new(args, password.is_some());
    let mut retypes = 0;
    while !matches!(pending.step(), SignInStep::Done(_)) {
        let (answer, typed) = answers.next(&client, &pending)?;
        if let Err(e) = pending.answer(answer) {
            // The core says which refusals leave the step waiting for another answer.
            let again = typed && retypes < MAX_RETYPES && e.is_answer_refused();
            let e = CliError::from(e);
            if !again {
                return Err(e);
            }
            retypes += 1;
            prompt::notice(&format!("error: {e}; try again"));
        }
    }
    let session = pending
        .into_session()
        .map_err(|_| CliError::local("the sign-in did not finish"))?;
    let new_device = session
        .device
        .as_ref()
        .is_some_and(|d| Some(&d.key) != used_device.as_ref());
    ctx.save(&session)?;
    if args.remember_device {
        match &session.device {
            // A device confirmed earlier (proven now by device SRP) may not be remembered yet.
            Some(device) if !new_device => {
                client.update_device_status(&session.access_token, &device.key, true)?;
            }
            Some(_) => {}
            None => prompt::notice(
                "note: the pool did not offer to remember this device (device tracking is off)",
            ),
        }
    }
    let path = ctx.session_path()?;
    ctx.printer
        .print(&auth_result_json(&session, new_device), || {
            text_lines(&session, new_device, used_device.is_some(), &path)
        })
}

pub(super) fn text_lines(
    session: &Session,
    new_device: bool,
    device_srp: bool,
    path: &std::path::Path,
) -> Vec<String> {
    let mut lines = vec![format!(
        "Signed in as {}; the access token expires in {} s.",
        session.username,
        session.expires_at.saturating_sub(unix_now())
    )];
    match (&session.device, new_device) {
        (Some(d), true) => lines.push(format!("New device confirmed: {}", d.key)),
        (Some(d), false) if device_srp => lines.push(format!("Signed in as device {}", d.key)),
        _ => {}
    }
    lines.push(format!("Session saved to {}", path.display()));
    lines
}

/// The password: needed by the SRP and password flows, optional for custom and user-auth
/// sign-ins (asked for on a terminal unless a passwordless first factor was chosen).
fn password(args: &SignInArgs) -> CliResult<Option<Zeroizing<String>>> {
    let given = args.password.as_deref();
    match args.flow {
        Flow::Srp | Flow::Password => prompt::secret(given, "Password", "--password").map(Some),
        Flow::Custom => given
            .map(|p| prompt::secret(Some(p), "Password", "--password"))
            .transpose(),
        Flow::UserAuth => {
            let passwordless = matches!(args.first_factor, Some(Factor::EmailOtp | Factor::SmsOtp));
            match given {
                Some(p) => prompt::secret(Some(p), "Password", "--password").map(Some),
                None if !passwordless && interactive() => prompt::ask_secret("Password").map(Some),
                None => Ok(None),
            }
        }
    }
}

fn first_factor(f: Factor) -> FirstFactor {
    match f {
        Factor::Password => FirstFactor::Password,
        Factor::PasswordSrp => FirstFactor::PasswordSrp,
        Factor::EmailOtp => FirstFactor::EmailOtp,
        Factor::SmsOtp => FirstFactor::SmsOtp,
    }
}

fn request(args: &SignInArgs, password: Option<&str>) -> SignInRequest {
    // clap requires --username without --hosted-ui.
    let username = args.username.as_deref().unwrap_or_default();
    match (args.flow, password) {
        (Flow::Srp, p) => SignInRequest::srp(username, p.unwrap_or_default()),
        (Flow::Password, p) => SignInRequest::password(username, p.unwrap_or_default()),
        (Flow::Custom, Some(p)) => SignInRequest::custom_with_srp(username, p),
        (Flow::Custom, None) => SignInRequest::custom(username),
        (Flow::UserAuth, p) => SignInRequest::choice(
            username,
            args.first_factor.map(first_factor),
            p.map(str::to_owned),
        ),
    }
}

/// Where the answers come from: the flags (each used once), else the terminal.
struct Answers<'a> {
    args: &'a SignInArgs,
    has_password: bool,
    mfa_code: Option<&'a str>,
    custom: core::slice::Iter<'a, Secret>,
    new_password: Option<&'a str>,
}

/// The challenge and the flags that answer it, when none was given and nobody can be asked.
fn unanswered(challenge: &str, answer: &str) -> CliError {
    CliError::Challenge {
        challenge: challenge.to_owned(),
        answer: answer.to_owned(),
    }
}

fn mfa_type(kind: MfaKind) -> MfaType {
    match kind {
        MfaKind::Sms => MfaType::Sms,
        MfaKind::Totp => MfaType::SoftwareToken,
        MfaKind::Email => MfaType::Email,
    }
}

fn mfa_kind_of(mfa: MfaType) -> Option<MfaKind> {
    match mfa {
        MfaType::Sms => Some(MfaKind::Sms),
        MfaType::SoftwareToken => Some(MfaKind::Totp),
        MfaType::Email => Some(MfaKind::Email),
        _ => None,
    }
}

fn kind_name(kind: MfaKind) -> &'static str {
    match kind {
        MfaKind::Sms => "sms",
        MfaKind::Totp => "totp",
        MfaKind::Email => "email",
    }
}

impl<'a> Answers<'a> {
    fn new(args: &'a SignInArgs, has_password: bool) -> Self {
        Self {
            args,
            has_password,
            mfa_code: args.mfa_code.as_deref(),
            custom: args.answers.iter(),
            new_password: args.new_password.as_deref(),
        }
    }

    /// The answer to the pending step, and whether it was typed at the terminal.
    fn next(
        &mut self,
        client: &Client,
        pending: &PendingSignIn,
    ) -> CliResult<(SignInAnswer, bool)> {
        match pending.step() {
            SignInStep::MfaCode {
                kind, destination, ..
            } => self.code(client, *kind, destination.as_deref()),
            SignInStep::SelectMfaType { available, .. } => self.select_mfa_type(available),
            SignInStep::MfaSetup { available, .. } => self.mfa_setup(available),
            SignInStep::TotpSetup { secret } => self.verify_new_totp(client, secret),
            SignInStep::NewPasswordRequired {
                required_attributes,
            } => self.new_password(required_attributes),
            SignInStep::CustomChallenge { parameters } => {
                match self.custom.next().map(Secret::as_str) {
                    Some("-") => {
                        let answer = prompt::read_stdin_line("the custom challenge's answer")?;
                        return Ok((SignInAnswer::Custom(answer.to_string()), false));
                    }
                    Some(answer) => return Ok((SignInAnswer::Custom(answer.to_owned()), false)),
                    None => {}
                }
                if !interactive() {
                    return Err(unanswered("CUSTOM_CHALLENGE", "--answer"));
                }
                for (name, value) in parameters.iter().filter(|(n, _)| *n != "USERNAME") {
                    prompt::notice(&format!("{name}: {value}"));
                }
                let answer = prompt::ask("Answer to the custom challenge")?;
                Ok((SignInAnswer::Custom(answer.to_string()), true))
            }
            SignInStep::SelectChallenge { available, offered } => {
                self.select_challenge(available, offered)
            }
            SignInStep::WebAuthn { .. } => Err(unanswered(
                "WEB_AUTHN",
                "another --first-factor (passkeys are not supported by this tool)",
            )),
            SignInStep::Done(_) => Err(CliError::local("the sign-in is already finished")),
            SignInStep::Other { name, .. } => Err(unanswered(
                name,
                "an answer this tool cannot give (unsupported challenge)",
            )),
            _ => Err(unanswered(
                "an unknown",
                "an answer this tool cannot give (unsupported challenge)",
            )),
        }
    }

    fn code(
        &mut self,
        client: &Client,
        kind: CodeKind,
        destination: Option<&str>,
    ) -> CliResult<(SignInAnswer, bool)> {
        if kind == CodeKind::SoftwareTokenMfa
            && let Some(secret) = self.args.totp_secret.as_deref()
        {
            let (code, _) = code_at(secret, server_now(client))?;
            return Ok((SignInAnswer::code(code), false));
        }
        match self.mfa_code.take() {
            Some("-") => {
                let code = prompt::read_stdin_line("the MFA code")?;
                return Ok((SignInAnswer::code(code.trim()), false));
            }
            Some(code) => return Ok((SignInAnswer::code(code), false)),
            None => {}
        }
        let challenge = kind.challenge_name();
        if !interactive() {
            let flags = if kind == CodeKind::SoftwareTokenMfa {
                "--mfa-code or --totp-secret"
            } else {
                "--mfa-code"
            };
            return Err(unanswered(challenge, flags));
        }
        let label = match (kind, destination) {
            (CodeKind::SoftwareTokenMfa, _) => "Code from the authenticator app".to_owned(),
            (_, Some(d)) => format!("{challenge} code sent to {d}"),
            (_, None) => format!("{challenge} code"),
        };
        let code = prompt::ask(&label)?;
        Ok((SignInAnswer::code(code.as_str()), true))
    }

    fn select_mfa_type(&mut self, available: &[MfaType]) -> CliResult<(SignInAnswer, bool)> {
        let offered: Vec<MfaKind> = available.iter().filter_map(|a| mfa_kind_of(*a)).collect();
        let wanted = self.args.mfa_type.or_else(|| {
            if self.args.totp_secret.is_some() && offered.contains(&MfaKind::Totp) {
                Some(MfaKind::Totp)
            } else {
                None
            }
        });
        if let Some(kind) = wanted {
            return Ok((SignInAnswer::MfaType(mfa_type(kind)), false));
        }
        if let [only] = offered.as_slice() {
            return Ok((SignInAnswer::MfaType(mfa_type(*only)), false));
        }
        let names: Vec<&str> = offered.iter().map(|k| kind_name(*k)).collect();
        if !interactive() {
            return Err(unanswered(
                "SELECT_MFA_TYPE",
                &format!("--mfa-type ({})", names.join("|")),
            ));
        }
        loop {
            let choice = prompt::ask(&format!("MFA type ({})", names.join("/")))?;
            if let Some(kind) = offered.iter().find(|k| kind_name(**k) == choice.as_str()) {
                return Ok((SignInAnswer::MfaType(mfa_type(*kind)), true));
            }
        }
    }

    fn mfa_setup(&mut self, available: &[MfaType]) -> CliResult<(SignInAnswer, bool)> {
        let offered: Vec<MfaKind> = available
            .iter()
            .filter_map(|a| mfa_kind_of(*a))
            .filter(|k| *k != MfaKind::Sms)
            .collect();
        let names: Vec<&str> = offered.iter().map(|k| kind_name(*k)).collect();
        let (kind, typed) = match self.args.mfa_setup {
            Some(SetupKind::Totp) => (MfaKind::Totp, false),
            Some(SetupKind::Email) => (MfaKind::Email, false),
            None if offered.len() == 1 && interactive() => {
                (offered.first().copied().unwrap_or(MfaKind::Totp), false)
            }
            None if interactive() => loop {
                let choice = prompt::ask(&format!("Set up MFA ({})", names.join("/")))?;
                if let Some(kind) = offered.iter().find(|k| kind_name(**k) == choice.as_str()) {
                    break (*kind, true);
                }
            },
            None => {
                return Err(unanswered(
                    "MFA_SETUP",
                    &format!("--mfa-setup ({})", names.join("|")),
                ));
            }
        };
        match kind {
            MfaKind::Totp => Ok((SignInAnswer::SetUpTotp, typed)),
            MfaKind::Email => {
                if let Some(address) = &self.args.setup_email {
                    return Ok((SignInAnswer::SetUpEmail(address.clone()), false));
                }
                if !interactive() {
                    return Err(unanswered("MFA_SETUP", "--setup-email"));
                }
                let address = prompt::ask("Email address for MFA codes")?;
                Ok((SignInAnswer::SetUpEmail(address.to_string()), true))
            }
            MfaKind::Sms => Err(unanswered("MFA_SETUP", "--mfa-setup totp|email")),
        }
    }

    /// MFA_SETUP with TOTP: shows the new secret (on stderr) and answers with its first code,
    /// typed on a terminal or otherwise computed from the secret.
    fn verify_new_totp(
        &mut self,
        client: &Client,
        secret: &str,
    ) -> CliResult<(SignInAnswer, bool)> {
        prompt::notice(&format!("New authenticator secret: {secret}"));
        if let Some(uri) = uri_of(secret, self.args.username.as_deref().unwrap_or_default()) {
            prompt::notice(&format!("URI: {uri}"));
        }
        if interactive() {
            let code = prompt::ask("Code from the authenticator app")?;
            return Ok((
                SignInAnswer::VerifyTotp {
                    code: code.to_string(),
                    friendly_name: None,
                },
                true,
            ));
        }
        let (code, _) = code_at(secret, server_now(client))?;
        Ok((
            SignInAnswer::VerifyTotp {
                code,
                friendly_name: None,
            },
            false,
        ))
    }

    fn new_password(&mut self, required: &[String]) -> CliResult<(SignInAnswer, bool)> {
        let mut typed = false;
        let password = match self.new_password.take() {
            Some(p) => prompt::secret(Some(p), "New password", "--new-password")?,
            None if interactive() => {
                typed = true;
                prompt::ask_secret("New password")?
            }
            None => return Err(unanswered("NEW_PASSWORD_REQUIRED", "--new-password")),
        };
        let mut attributes = self.args.attributes.clone();
        for name in required {
            if attributes.iter().any(|(n, _)| n == name) {
                continue;
            }
            if !interactive() {
                return Err(unanswered(
                    "NEW_PASSWORD_REQUIRED",
                    &format!("--attribute {name}=VALUE"),
                ));
            }
            typed = true;
            let value = prompt::ask(name)?;
            attributes.push((name.clone(), value.to_string()));
        }
        Ok((
            SignInAnswer::NewPassword {
                password: password.to_string(),
                attributes,
            },
            typed,
        ))
    }

    fn select_challenge(
        &mut self,
        available: &[FirstFactor],
        names: &[String],
    ) -> CliResult<(SignInAnswer, bool)> {
        let offered = |f: FirstFactor| available.contains(&f);
        if let Some(f) = self.args.first_factor.map(first_factor) {
            return Ok((SignInAnswer::FirstFactor(f), false));
        }
        if self.has_password {
            for f in [FirstFactor::PasswordSrp, FirstFactor::Password] {
                if offered(f) {
                    return Ok((SignInAnswer::FirstFactor(f), false));
                }
            }
        }
        let usable: Vec<FirstFactor> = [FirstFactor::EmailOtp, FirstFactor::SmsOtp]
            .into_iter()
            .filter(|f| offered(*f))
            .collect();
        let usable_names: Vec<&str> = usable.iter().map(|f| f.as_str()).collect();
        if !interactive() || usable.is_empty() {
            return Err(unanswered(
                "SELECT_CHALLENGE",
                &format!(
                    "--first-factor or --password (offered: {})",
                    names.join(", ")
                ),
            ));
        }
        loop {
            let choice = prompt::ask(&format!("Sign in with ({})", usable_names.join("/")))?;
            if let Some(f) = usable.iter().find(|f| f.as_str() == choice.as_str()) {
                return Ok((SignInAnswer::FirstFactor(*f), true));
            }
        }
    }
}

/// The server's time as the client last saw it (the local clock corrected by the replies'
/// `Date` header), for TOTP codes.
fn server_now(client: &Client) -> u64 {
    unix_now().saturating_add_signed(client.as_async().server_clock_offset())
}
