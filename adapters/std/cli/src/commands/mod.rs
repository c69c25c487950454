//! One module per group of commands; [`run`] dispatches.

mod account;
pub(crate) mod credentials;
mod devices;
mod hosted;
mod mfa;
mod sign_in;
mod sign_up;
mod tokens;
pub(crate) mod verify;

use crate::args::Command;
use crate::context::Context;
use crate::error::CliResult;

/// Runs `command`.
pub(crate) fn run(ctx: &Context, command: Command) -> CliResult<()> {
    match command {
        Command::SignUp {
            username,
            password,
            attributes,
        } => sign_up::sign_up(ctx, &username, password.as_deref(), &attributes),
        Command::ConfirmSignUp { username, code } => {
            sign_up::confirm_sign_up(ctx, &username, &code)
        }
        Command::ResendCode { username } => sign_up::resend_code(ctx, &username),
        Command::SignIn(args) => sign_in::sign_in(ctx, &args),
        Command::Refresh => tokens::refresh(ctx),
        Command::GetUser => account::get_user(ctx),
        Command::UpdateAttributes { attributes } => account::update_attributes(ctx, &attributes),
        Command::DeleteAttributes { names } => account::delete_attributes(ctx, &names),
        Command::SendVerificationCode { attribute } => {
            account::send_verification_code(ctx, &attribute)
        }
        Command::VerifyAttribute { attribute, code } => {
            account::verify_attribute(ctx, &attribute, &code)
        }
        Command::ChangePassword { old, new } => {
            account::change_password(ctx, old.as_deref(), new.as_deref())
        }
        Command::ForgotPassword { username } => sign_up::forgot_password(ctx, &username),
        Command::ConfirmForgotPassword {
            username,
            code,
            password,
        } => sign_up::confirm_forgot_password(ctx, &username, &code, password.as_deref()),
        Command::Mfa(command) => mfa::run(ctx, command),
        Command::Devices(command) => devices::run(ctx, command),
        Command::Totp { secret } => mfa::totp(ctx, &secret),
        Command::SignOut {
            global, logout_uri, ..
        } => tokens::sign_out(ctx, global, logout_uri.as_deref()),
        Command::M2mToken { scopes } => hosted::m2m_token(ctx, &scopes),
        Command::Revoke => tokens::revoke(ctx),
        Command::DeleteUser { yes } => account::delete_user(ctx, yes),
        Command::Credentials(args) => credentials::credentials(ctx, &args),
        Command::VerifyToken(args) => verify::verify_token(ctx, &args),
    }
}
