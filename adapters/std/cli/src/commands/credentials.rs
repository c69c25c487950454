//! `credentials`: temporary AWS credentials from an identity pool for the stored sign-in (or a
//! guest), printed for `credential_process`, a shell or as JSON, and cached so that repeated
//! calls within their lifetime send nothing.

use std::io::Write;

use clap::{Args, ValueEnum};
use cognito_std::{
    AwsCredentials, EndpointSecurity, FetchOptions, GuestIdentityFile, IdentityCredentials,
    SessionStore, blocking,
};
use zeroize::Zeroizing;

use crate::context::{Context, has_tokens, unusable};
use crate::error::{CliError, CliResult};

/// `credentials`' arguments.
#[derive(Debug, Args)]
pub(crate) struct CredentialsArgs {
    /// The identity pool, e.g. eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f.
    #[arg(long, env = "COGNITO_IDENTITY_POOL_ID", value_name = "ID")]
    identity_pool_id: String,
    /// How to print them: `credential-process` (the JSON the AWS CLI and SDKs read from a
    /// credential_process command), `env` (export lines for a shell), `json` (with the
    /// IdentityId).
    #[arg(long, value_enum, default_value_t = CredentialsFormat::CredentialProcess)]
    format: CredentialsFormat,
    /// An unauthenticated (guest) identity instead of the signed-in user's; kept in
    /// <session file stem>.guest-identities.json next to the session file.
    #[arg(long)]
    guest: bool,
    /// Identity-pool endpoint URL (default: https://cognito-identity.<region>.amazonaws.com/ of
    /// the identity pool): https://, or http:// to a loopback host.
    #[arg(long, env = "COGNITO_IDENTITY_ENDPOINT", value_name = "URL")]
    identity_endpoint: Option<String>,
    /// Renew the tokens and the credentials even when they are still valid.
    #[arg(long)]
    force_refresh: bool,
}

/// How `credentials` prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum CredentialsFormat {
    /// `{"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":…}`.
    CredentialProcess,
    /// `export AWS_ACCESS_KEY_ID=…` lines (and the secret key, session token and expiry).
    Env,
    /// The credentials and the IdentityId as JSON.
    Json,
}

/// The reply of a `credential_process` command (`Version` 1), members in the documented order.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct CredentialProcess<'a> {
    version: u8,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    expiration: &'a str,
}

/// `json`: the identity and its credentials.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct WithIdentity<'a> {
    identity_id: &'a str,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    expiration: &'a str,
}

/// `credentials`: the signed-in user's credentials (tokens refreshed as needed; identity id
/// and credentials kept in the session file, saved under its lock), or a guest's.
pub(super) fn credentials(ctx: &Context, args: &CredentialsArgs) -> CliResult<()> {
    let options = FetchOptions {
        force_refresh: args.force_refresh,
    };
    let got = if args.guest {
        guest(ctx, args, options)?
    } else {
        signed_in(ctx, args, options)?
    };
    print(args.format, &got)
}

fn signed_in(
    ctx: &Context,
    args: &CredentialsArgs,
    options: FetchOptions,
) -> CliResult<IdentityCredentials> {
    let client = ctx.client_with(|config| {
        let config = config.with_identity_pool(&args.identity_pool_id);
        match &args.identity_endpoint {
            Some(url) => config.with_identity_endpoint(url),
            None => config,
        }
    })?;
    warn_if_remote_cleartext(client.identity_pool()?.endpoint_security(), args);
    let store = ctx.store()?;
    // One process at a time: the others wait, then find the credentials this one saved.
    let lock = store.lock()?;
    let mut session = store
        .load()
        .map_err(|e| unusable(&e))?
        .filter(has_tokens)
        .ok_or_else(|| {
            CliError::local(format!(
                "not signed in (no session in {}); run `cognito sign-in` first",
                store.path().display()
            ))
        })?;
    let before = session.clone();
    let fetched = client.fetch_auth_session(&mut session, options);
    // Refreshed tokens, a new identity id or new credentials are kept even when a later step
    // failed.
    if session != before
        && let Err(e) = store.save(&session)
    {
        crate::prompt::notice(&format!(
            "warning: the session could not be saved to {}: {e}; the new tokens and \
             credentials serve this command only",
            store.path().display()
        ));
    }
    drop(lock);
    let auth = fetched?;
    Ok(IdentityCredentials {
        identity_id: auth.identity_id.clone(),
        credentials: auth.credentials.clone(),
    })
}

fn guest(
    ctx: &Context,
    args: &CredentialsArgs,
    options: FetchOptions,
) -> CliResult<IdentityCredentials> {
    let client = blocking::IdentityClient::new(
        &args.identity_pool_id,
        args.identity_endpoint.as_deref(),
        &ctx.options(),
    )?;
    warn_if_remote_cleartext(client.as_async().endpoint_security(), args);
    let file = guest_file(ctx)?;
    let mut guest = file.load().map_err(|e| unusable(&e))?;
    let before = guest.clone();
    let fetched = client.guest_credentials(&mut guest, options);
    if guest != before {
        if let Some(dir) = file.path().parent() {
            crate::context::create_private_dir(dir)?;
        }
        file.save(&guest).map_err(|e| {
            CliError::local(format!(
                "saving the guest identity to {}: {e}",
                file.path().display()
            ))
        })?;
    }
    Ok(fetched?)
}

/// `<session file stem>.guest-identities.json` next to the session file.
fn guest_file(ctx: &Context) -> CliResult<GuestIdentityFile> {
    let session = ctx.session_path()?;
    let stem = session
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".to_owned());
    Ok(GuestIdentityFile::new(
        session.with_file_name(format!("{stem}.guest-identities.json")),
    ))
}

fn warn_if_remote_cleartext(security: EndpointSecurity, args: &CredentialsArgs) {
    if security == EndpointSecurity::RemoteCleartext {
        crate::prompt::notice(&format!(
            "warning: --danger-allow-cleartext-http: talking to the identity endpoint {} without \
             TLS; tokens and AWS credentials cross the network unencrypted",
            args.identity_endpoint.as_deref().unwrap_or_default()
        ));
    }
}

/// Prints the credentials in `format` on stdout, and nothing else.
fn print(format: CredentialsFormat, got: &IdentityCredentials) -> CliResult<()> {
    let c: &AwsCredentials = &got.credentials;
    let expiration = c.expiration_iso8601();
    let out: Zeroizing<Vec<u8>> = match format {
        CredentialsFormat::CredentialProcess => json_line(&CredentialProcess {
            version: 1,
            access_key_id: &c.access_key_id,
            secret_access_key: &c.secret_key,
            session_token: &c.session_token,
            expiration: &expiration,
        })?,
        CredentialsFormat::Json => json_line(&WithIdentity {
            identity_id: &got.identity_id,
            access_key_id: &c.access_key_id,
            secret_access_key: &c.secret_key,
            session_token: &c.session_token,
            expiration: &expiration,
        })?,
        CredentialsFormat::Env => {
            // Room for the lines: nothing is reallocated (and left unwiped) on the way.
            let mut out = Zeroizing::new(String::with_capacity(
                256 + c.secret_key.len() + c.session_token.len() + c.access_key_id.len(),
            ));
            for (name, value) in [
                ("AWS_ACCESS_KEY_ID", c.access_key_id.as_str()),
                ("AWS_SECRET_ACCESS_KEY", &c.secret_key),
                ("AWS_SESSION_TOKEN", &c.session_token),
                ("AWS_CREDENTIAL_EXPIRATION", &expiration),
            ] {
                out.push_str("export ");
                out.push_str(name);
                out.push('=');
                push_shell_word(&mut out, value);
                out.push('\n');
            }
            Zeroizing::new(core::mem::take(&mut *out).into_bytes())
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&out)
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::local(format!("writing the output: {e}")))
}

/// Appends `value` as one shell word: as it is when it holds only characters no shell treats
/// specially (those of keys, tokens and dates), else in single quotes.
fn push_shell_word(out: &mut String, value: &str) {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=._:-,@%".contains(&b));
    if plain {
        out.push_str(value);
        return;
    }
    out.push('\'');
    out.push_str(&value.replace('\'', r"'\''"));
    out.push('\'');
}

/// `value` as one line of JSON, in a buffer wiped on drop (sized so that it does not grow).
fn json_line<T: serde::Serialize>(value: &T) -> CliResult<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(8192));
    serde_json::to_writer(&mut *out, value)
        .map_err(|e| CliError::local(format!("encoding the output: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        let word = |v: &str| {
            let mut s = String::new();
            push_shell_word(&mut s, v);
            s
        };
        assert_eq!(word("ASIA123"), "ASIA123");
        assert_eq!(word("a+b/c=="), "a+b/c==");
        assert_eq!(word("2026-12-03T18:00:00Z"), "2026-12-03T18:00:00Z");
        assert_eq!(word("a b"), "'a b'");
        assert_eq!(word("it's"), r"'it'\''s'");
        assert_eq!(word("$(x)"), "'$(x)'");
    }
}
