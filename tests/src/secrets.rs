//! Keeping secrets out of `Debug` and `Display`: a [`Checker`] that formats values filled with
//! marker secrets and looks for the markers in every form they could take, and a scan of a
//! crate's source that finds every public type that may hold a secret, so that a crate's list of
//! checked types cannot silently miss one ([`assert_inventory`]).
//!
//! Each crate's test (`tests/tests/secrets.rs` for the core, `adapters/std/tests/http/secrets.rs`,
//! the CLI's `src/secrets.rs` unit test) formats every type of its [`Inventory::checked`] list,
//! filled with markers such as `MARKER-PASSWORD-1`, and ends with [`Checker::finish`] (every
//! listed type was checked, no marker came out) and [`assert_inventory`] (every public type the
//! scan flags is listed, as checked or as reviewed and holding no secret).
//!
//! The scan flags a type when one of its fields or variants is named like a secret
//! ([`SECRET_WORDS`]: `password`, `token`, `session`, `secret`, `code`, …) or has the type of a
//! flagged type (of the same crate, or a checked type of a crate it uses). It reads source text,
//! not the compiler's view, so it over-approximates: a flagged type without a secret goes to
//! [`Inventory::reviewed`] with the reason.

use alloc::borrow::ToOwned;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{Debug, Display};
use std::path::{Path, PathBuf};

/// What every marker starts with; [`Checker`] looks for it too, so that a type printing only
/// the start of a secret is caught.
pub const MARKER_PREFIX: &str = "MARKER-";

/// What the crates print in place of a secret.
pub const REDACTED: &str = "<redacted>";

/// Words that make a field or variant name look like a secret (lower case; matched inside
/// identifiers, so `refresh_token` and `TotpSecret` match).
pub const SECRET_WORDS: &[&str] = &[
    "password",
    "token",
    "session",
    "secret",
    "code",
    "signature",
    "verifier",
    "claim",
    "credential",
    "hkdf",
    "premaster",
    "answer",
];

/// Binary secrets are also looked for by every run of this many bytes (in hex and as byte
/// lists), so that part of one does not go unnoticed.
const WINDOW: usize = 8;

/// A crate's list of public types that may hold secrets.
///
/// Every public type of the crate that holds a password, token, code, `Session`, TOTP secret,
/// client secret or SRP value must be in `checked`, and its test must format one filled with
/// markers. Types the scan flags that hold none are in `reviewed`, with the reason.
#[derive(Clone, Copy, Debug)]
pub struct Inventory {
    /// The crate's source directory, relative to the workspace root.
    pub src: &'static str,
    /// Types formatted with marker secrets by the crate's test.
    pub checked: &'static [&'static str],
    /// Types the scan flags that hold no secret, and why.
    pub reviewed: &'static [(&'static str, &'static str)],
    /// Inventories of crates whose types this crate's types contain.
    pub uses: &'static [&'static Inventory],
    /// A binary crate: its `pub(crate)` and private types count too (none is `pub`).
    pub binary: bool,
}

/// The core (`cognito-core`). Every public type holding a secret is listed here and checked by
/// `tests/tests/secrets.rs`.
pub static CORE: Inventory = Inventory {
    src: "core/src",
    checked: &[
        // account
        "SignUp",
        "SignUpReply",
        "ConfirmSignUp",
        "ConfirmSignUpReply",
        "ResendConfirmationCode",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "ChangePassword",
        "GetUser",
        "GetUserAuthFactors",
        "UpdateUserAttributes",
        "DeleteUserAttributes",
        "GetUserAttributeVerificationCode",
        "VerifyUserAttribute",
        "DeleteUser",
        "SetUserMfaPreference",
        "SetUserSettings",
        "TokenOrSession",
        "AssociateSoftwareToken",
        "AssociateSoftwareTokenReply",
        "VerifySoftwareToken",
        "VerifySoftwareTokenReply",
        "ConfirmDevice",
        "GetDevice",
        "ListDevices",
        "ForgetDevice",
        "UpdateDeviceStatus",
        "GlobalSignOut",
        "RevokeToken",
        "UpdateAuthEventFeedback",
        "StartWebAuthnRegistration",
        "CompleteWebAuthnRegistration",
        "ListWebAuthnCredentials",
        "DeleteWebAuthnCredential",
        // auth
        "ClientConfig",
        "SignIn",
        "Step",
        "Challenge",
        "ChallengeParameters",
        "ChallengeKind",
        "AuthReply",
        "AuthenticationResult",
        "Answer",
        "Refresh",
        "DeviceCredentials",
        "DeviceRegistration",
        // srp
        "SrpEphemeral",
        "SrpIdentity",
        "ServerChallenge",
        "PasswordClaim",
        "DeviceVerifier",
        "JavaBytes",
        "HexDigits",
        "Intermediates",
        // the rest
        "SecretHash",
        "TokenSet",
        "Jwt",
        "Totp",
        "Request",
        "HttpResponse",
        "Attempt",
        "Once",
        // oauth
        "OAuthClient",
        "AuthorizationCode",
        "CodeVerifier",
        "Grant",
        "TokenRequest",
        "OAuthRequest",
        "Revoke",
        "UserInfo",
        "ClientToken",
        "HostedSignIn",
        // identity pools
        "Login",
        "GetId",
        "GetCredentialsForIdentity",
        "GetCredentialsReply",
        "AwsCredentials",
        "GetOpenIdToken",
        "GetOpenIdTokenReply",
        "IdentityRequest",
        // errors: names and the pool's messages, never values
        "Error",
    ],
    reviewed: &[
        ("CodeKind", "which code a challenge asks for, not the code"),
        (
            "CodeDeliveryReply",
            "where a code went (masked destination, medium, attribute)",
        ),
        (
            "UpdateUserAttributesReply",
            "where verification codes went (masked)",
        ),
        (
            "MfaTypes",
            "names of MFA types offered (SOFTWARE_TOKEN_MFA, …)",
        ),
        ("MfaType", "an MFA type (SoftwareToken), not a code"),
        ("FirstFactor", "first-factor names (PASSWORD, PASSWORD_SRP)"),
        ("FirstFactors", "names of first factors offered"),
        ("AttributeNames", "names of attributes a new password needs"),
        (
            "StringList",
            "names in a reply's lists (MFA types, factors, attributes)",
        ),
        (
            "WebAuthnCredential",
            "a passkey's public description (id, name, relying party)",
        ),
        (
            "ListWebAuthnCredentialsReply",
            "public passkey descriptions and a page cursor",
        ),
        (
            "StartWebAuthnRegistrationReply",
            "public WebAuthn creation options (relying party, user, nonce)",
        ),
        ("ListDevicesReply", "devices and a page cursor"),
        ("RefreshOperation", "which refresh operation, not the token"),
        ("TokenError", "what is wrong with a token, never the token"),
        (
            "TotpError",
            "what is wrong with a TOTP secret, never the secret",
        ),
        (
            "Limits",
            "capacities only (const parameters named after what they size)",
        ),
        (
            "Authorize",
            "the authorize URL's parameters, which go to the browser in the URL (state, the \
             PKCE challenge: a hash, never the verifier)",
        ),
        ("HostedPhase", "where a hosted-UI sign-in is, not its code"),
        ("OAuthEndpoint", "which endpoint (token, revoke, userInfo)"),
        (
            "OAuthError",
            "the domain's error code and description, never a token or code",
        ),
        ("OAuthErrorKind", "what an OAuth error code means"),
        (
            "IdentityOperation",
            "an identity-pool operation's name, not its tokens",
        ),
        (
            "Expectations",
            "what a verified token must say: issuer, client ids, token use, leeway, scope, group",
        ),
        (
            "VerifyError",
            "why a token was refused (variant names, claim names, the TokenError kind); no token",
        ),
    ],
    uses: &[],
    binary: false,
};

/// The std adapter (`cognito-std`), checked by `adapters/std/tests/http/secrets.rs`.
pub static STD: Inventory = Inventory {
    src: "adapters/std/src",
    checked: &[
        "Config",
        "Client",
        "Session",
        "Device",
        "RememberedUser",
        "MemoryStore",
        "ValidTokens",
        "SignUpResult",
        "SignInRequest",
        "SignInStep",
        "SignInAnswer",
        "PendingSignIn",
        "HostedUiSignIn",
        "M2mToken",
        "StoredClientToken",
        "AwsCredentials",
        "PoolIdentity",
        "GuestIdentity",
        "IdentityCredentials",
        "AuthSession",
    ],
    reviewed: &[
        (
            "Error",
            "variant names (NoRefreshToken, …), Cognito's errors, paths, endpoint URLs without \
             their credentials; a refreshed but unsaved Session (its Debug is checked)",
        ),
        (
            "EndpointProblem",
            "what is wrong with an endpoint (Credentials is the problem's name, not a value)",
        ),
        ("DevicePage", "devices and a page cursor"),
        (
            "WebAuthnCredentialPage",
            "public passkey descriptions and a page cursor",
        ),
        ("WebAuthnCredential", "a passkey's public description"),
        (
            "MfaPreference",
            "enabled/preferred flags (software_token setting)",
        ),
        (
            "UserInfo",
            "the user's claims from /oauth2/userInfo (sub, username, attributes), no token",
        ),
        (
            "Options",
            "transport settings; credentials_refresh_margin is a duration",
        ),
        (
            "IdentityClient",
            "an identity pool id and its endpoint's HTTP client; credentials pass through, never kept",
        ),
        (
            "BlockingIdentityClient",
            "an IdentityClient and a runtime; credentials pass through, never kept",
        ),
        (
            "TokenVerifier",
            "the issuer, JWKS URL, expected client ids, use, scope and group, and the pool's \
             public key set; tokens pass through, never kept",
        ),
        (
            "TokenVerifierBuilder",
            "a TokenVerifier's settings (pool id, endpoint, client ids, token use, leeway)",
        ),
        (
            "VerifiedClaims",
            "a verified token's claims (sub, username, groups, scope, exp …), not the token",
        ),
        (
            "BlockingTokenVerifier",
            "a TokenVerifier and a runtime; tokens pass through, never kept",
        ),
        (
            "JwksProblem",
            "why the public key set could not be had (transport, status, size, VerifyError); no token",
        ),
    ],
    uses: &[&CORE],
    binary: false,
};

/// The CLI (`cognito-cli`), checked by the `secrets` unit test of its binary
/// (`adapters/std/cli/src/secrets.rs`). A binary: every type counts, not only `pub` ones.
pub static CLI: Inventory = Inventory {
    src: "adapters/std/cli/src",
    checked: &[
        "Cli",
        "Global",
        "Command",
        "SignInArgs",
        "VerifyTokenArgs",
        "MfaCommand",
        "Context",
        "Secret",
    ],
    reviewed: &[
        (
            "Answers",
            "borrows the sign-in's secret flags but has no Debug: it cannot be formatted",
        ),
        (
            "CliError",
            "Cognito's name and message, usage text, a challenge's name and the flags that answer it",
        ),
        ("Flow", "sign-in flow names (Password)"),
        ("Factor", "first-factor names (Password, PasswordSrp)"),
        ("MfaKind", "MFA type names (Totp)"),
        ("SetupKind", "MFA type names (Totp)"),
        (
            "CredentialProcess",
            "borrows the AWS credentials to print them but has no Debug: it cannot be formatted",
        ),
        (
            "WithIdentity",
            "borrows the AWS credentials to print them but has no Debug: it cannot be formatted",
        ),
        (
            "CredentialsFormat",
            "output format names (CredentialProcess)",
        ),
        (
            "CredentialsArgs",
            "an identity pool id, an endpoint URL, the output format and flags",
        ),
    ],
    uses: &[&STD, &CORE],
    binary: true,
};

/// Formats values and collects every marker secret found in the output.
#[derive(Debug)]
pub struct Checker {
    /// Name, value, and whether it is binary.
    secrets: Vec<(String, Vec<u8>, bool)>,
    checked: BTreeSet<String>,
    failures: Vec<String>,
}

impl Checker {
    /// A checker looking for `markers` (text secrets, such as `MARKER-PASSWORD-1`; each should
    /// start with [`MARKER_PREFIX`]) and for the prefix itself.
    #[must_use]
    pub fn new(markers: &[&str]) -> Self {
        let mut secrets: Vec<(String, Vec<u8>, bool)> = markers
            .iter()
            .map(|m| ((*m).to_owned(), m.as_bytes().to_vec(), false))
            .collect();
        secrets.push((
            MARKER_PREFIX.to_owned(),
            MARKER_PREFIX.as_bytes().to_vec(),
            false,
        ));
        Self {
            secrets,
            checked: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    /// Also looks for the text secret `text` (a generated password, a computed hash), named
    /// `name` in reports.
    #[must_use]
    pub fn with_text(mut self, name: &str, text: &str) -> Self {
        self.secrets
            .push((name.to_owned(), text.as_bytes().to_vec(), false));
        self
    }

    /// Also looks for the binary secret `bytes` (an SRP value), named `name` in reports.
    #[must_use]
    pub fn with_bytes(mut self, name: &str, bytes: &[u8]) -> Self {
        self.secrets.push((name.to_owned(), bytes.to_vec(), true));
        self
    }

    /// Checks `{:?}` and `{:#?}` of `value`, which must hold at least one secret and show it as
    /// [`REDACTED`] (that shows the value was filled with one).
    pub fn debug<T: Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.debug_inner(value, true)
    }

    /// Checks `{:?}` and `{:#?}` of `value`, which shows its secrets some other way (as a length,
    /// say) rather than as [`REDACTED`].
    pub fn debug_opaque<T: Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.debug_inner(value, false)
    }

    fn debug_inner<T: Debug + ?Sized>(&mut self, value: &T, redacted: bool) -> &mut Self {
        let name = short_type_name::<T>();
        for (form, output) in [
            ("{:?}", format!("{value:?}")),
            ("{:#?}", format!("{value:#?}")),
        ] {
            self.look(&name, form, &output);
            if redacted && !output.contains(REDACTED) {
                self.failures.push(format!(
                    "{name} {form} shows no {REDACTED}: fill its secrets with markers: {output}"
                ));
            }
        }
        self.checked.insert(name);
        self
    }

    /// Checks `{}` of `value`.
    pub fn display<T: Display + ?Sized>(&mut self, value: &T) -> &mut Self {
        let name = short_type_name::<T>();
        self.look(&name, "{}", &value.to_string());
        self
    }

    fn look(&mut self, name: &str, form: &str, output: &str) {
        for (secret, bytes, binary) in &self.secrets {
            if let Some(how) = leak(output, bytes, *binary) {
                self.failures
                    .push(format!("{name} {form} shows {secret} ({how}): {output}"));
            }
        }
    }

    /// Panics with every leak found, and when a type of `inventory.checked` was never checked.
    pub fn finish(self, inventory: &Inventory) {
        let mut failures = self.failures;
        for name in inventory.checked {
            if !self.checked.contains(*name) {
                failures.push(format!("{name} is listed as checked but was not formatted"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// How `output` shows `secret`, if it does: as text (a text secret), in hex, or as a list of
/// byte values; for a `binary` secret, also any [`WINDOW`] consecutive bytes of it in hex or as
/// a byte list.
fn leak(output: &str, secret: &[u8], binary: bool) -> Option<&'static str> {
    let squeezed: String = output.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = squeezed.to_ascii_lowercase();
    if !binary && core::str::from_utf8(secret).is_ok_and(|t| output.contains(t)) {
        return Some("as text");
    }
    let mut parts = alloc::vec![secret];
    if binary && secret.len() > WINDOW {
        parts.extend(secret.windows(WINDOW));
    }
    for part in parts {
        if lower.contains(&hex(part)) {
            return Some("in hex");
        }
        if squeezed.contains(&byte_list(part)) {
            return Some("as byte values");
        }
    }
    None
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn byte_list(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `T`'s name without references, path and generic arguments (`Step` for
/// `&cognito_core::auth::Step<'_>`).
fn short_type_name<T: ?Sized>() -> String {
    let full = core::any::type_name::<T>().trim_start_matches('&');
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base).to_owned()
}

/// A type the scan found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedType {
    /// Its name.
    pub name: String,
    /// The file it is defined in.
    pub file: PathBuf,
    /// Whether it is `pub` (rather than `pub(crate)` or private).
    pub public: bool,
    /// The identifiers of its fields, variants and their types.
    pub idents: BTreeSet<String>,
}

/// Every struct and enum defined in the `.rs` files under `dir`, except in `#[cfg(test)]`
/// modules.
pub fn scan(dir: &Path) -> Result<Vec<ScannedType>, String> {
    let mut files = Vec::new();
    collect_rs_files(dir, &mut files)?;
    files.sort();
    let mut types = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("reading {}: {e}", file.display()))?;
        scan_file(&file, &text, &mut types);
    }
    Ok(types)
}

fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn scan_file(file: &Path, text: &str, out: &mut Vec<ScannedType>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines
                .get(i)
                .is_some_and(|next| next.starts_with("mod ") && next.ends_with('{'))
        {
            // A test module: skip to its closing brace.
            while let Some(next) = lines.get(i) {
                i += 1;
                if *next == "}" {
                    break;
                }
            }
            continue;
        }
        let Some((public, name, rest)) = item_header(trimmed) else {
            continue;
        };
        let mut body = vec![rest.to_owned()];
        let one_line = rest.trim_end().ends_with(';') || rest.trim_end().ends_with('}');
        if !one_line {
            let depth = indent(line);
            while let Some(next) = lines.get(i) {
                i += 1;
                let t = next.trim_start();
                if indent(next) == depth && (t.starts_with('}') || t.starts_with(')')) {
                    break;
                }
                body.push((*next).to_owned());
            }
        }
        out.push(ScannedType {
            name: name.to_owned(),
            file: file.to_owned(),
            public,
            idents: idents(&body),
        });
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `(public, name, rest of the line)` of a `struct` or `enum` definition.
fn item_header(trimmed: &str) -> Option<(bool, &str, &str)> {
    let (public, rest) = if let Some(rest) = trimmed.strip_prefix("pub ") {
        (true, rest)
    } else if trimmed.starts_with("pub(") {
        (false, trimmed.split_once(") ")?.1)
    } else {
        (false, trimmed)
    };
    let rest = rest
        .strip_prefix("struct ")
        .or_else(|| rest.strip_prefix("enum "))?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, rest) = rest.split_at(end);
    (!name.is_empty()).then_some((public, name, rest))
}

/// The identifiers of a type's body, without comments and attributes.
fn idents(body: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut attribute_depth = 0i32;
    for line in body {
        let t = line.trim_start();
        if attribute_depth == 0 && t.starts_with("//") {
            continue;
        }
        if attribute_depth > 0 || t.starts_with("#[") {
            attribute_depth += bracket_balance(t);
            continue;
        }
        let code = t.split("//").next().unwrap_or(t);
        out.extend(
            code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| {
                    w.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                })
                .map(str::to_owned),
        );
    }
    out
}

fn bracket_balance(line: &str) -> i32 {
    line.chars()
        .map(|c| match c {
            '[' => 1,
            ']' => -1,
            _ => 0,
        })
        .sum()
}

/// The types of `inventory`'s crate that may hold a secret: each with why (the identifiers
/// that look like a secret, or the flagged types it holds).
pub fn flagged(
    root: &Path,
    inventory: &Inventory,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let types = scan(&root.join(inventory.src))?;
    let foreign: BTreeSet<&str> = inventory
        .uses
        .iter()
        .flat_map(|used| used.checked.iter().copied())
        .collect();
    let mut why: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &types {
        let words: Vec<String> = t
            .idents
            .iter()
            .filter(|ident| {
                let lower = ident.to_lowercase();
                SECRET_WORDS.iter().any(|w| lower.contains(w)) || foreign.contains(ident.as_str())
            })
            .cloned()
            .collect();
        if !words.is_empty() {
            why.entry(t.name.clone()).or_default().extend(words);
        }
    }
    // Types holding flagged types, until nothing changes.
    loop {
        let known: BTreeSet<String> = why.keys().cloned().collect();
        let mut changed = false;
        for t in &types {
            if why.contains_key(&t.name) {
                continue;
            }
            let holds: Vec<String> = t
                .idents
                .iter()
                .filter(|ident| **ident != t.name && known.contains(*ident))
                .cloned()
                .collect();
            if !holds.is_empty() {
                why.insert(t.name.clone(), holds);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let public: BTreeSet<&str> = types
        .iter()
        .filter(|t| t.public || inventory.binary)
        .map(|t| t.name.as_str())
        .collect();
    why.retain(|name, _| public.contains(name.as_str()));
    Ok(why)
}

/// Panics unless every public type of `inventory`'s crate that the scan flags is listed (as
/// checked or reviewed), every listed type is defined in the crate, and every reviewed type is
/// one the scan flags (so the reviewed list holds no stale reasons).
///
/// `root` is the workspace root.
pub fn assert_inventory(root: &Path, inventory: &Inventory) {
    let scanned = flagged(root, inventory)
        .and_then(|flagged| Ok((flagged, scan(&root.join(inventory.src))?)));
    assert!(scanned.is_ok(), "{scanned:?}");
    let Ok((flagged, types)) = scanned else {
        return;
    };
    let defined: BTreeSet<String> = types.into_iter().map(|t| t.name).collect();
    let listed: BTreeSet<&str> = inventory
        .checked
        .iter()
        .copied()
        .chain(inventory.reviewed.iter().map(|(name, _)| *name))
        .collect();
    let mut failures = Vec::new();
    for (name, why) in &flagged {
        if !listed.contains(name.as_str()) {
            failures.push(format!(
                "{name} may hold a secret ({}): check its Debug in the crate's secrets test and \
                 list it in `checked`, or list it in `reviewed` with the reason it holds none",
                why.join(", ")
            ));
        }
    }
    for name in &listed {
        if !defined.contains(*name) {
            failures.push(format!(
                "{name} is listed but not defined in {}",
                inventory.src
            ));
        }
    }
    for (name, _) in inventory.reviewed {
        if !flagged.contains_key(*name) {
            failures.push(format!(
                "{name} is listed as reviewed but the scan does not flag it: remove it"
            ));
        }
        if inventory.checked.contains(name) {
            failures.push(format!("{name} is listed both as checked and as reviewed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The workspace root, from a crate's `CARGO_MANIFEST_DIR`: the first ancestor with a
/// `Cargo.lock` (the manifest directory itself when there is none).
#[must_use]
pub fn workspace_root(manifest_dir: &str) -> PathBuf {
    let dir = Path::new(manifest_dir);
    dir.ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or(dir)
        .to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn leaks_are_found_in_every_form() {
        let secret = b"MARKER-TOKEN-1";
        assert_eq!(leak("x MARKER-TOKEN-1 y", secret, false), Some("as text"));
        assert_eq!(
            leak(&hex(secret).to_uppercase(), secret, false),
            Some("in hex")
        );
        let pretty = format!("{:#?}", secret.as_slice());
        assert_eq!(leak(&pretty, secret, false), Some("as byte values"));
        assert_eq!(leak("<redacted>", secret, false), None);
        let binary: Vec<u8> = (200..240).collect();
        let part = format!("{:?}", &binary[10..20]);
        assert_eq!(leak(&part, &binary, true), Some("as byte values"));
        assert_eq!(leak(&hex(&binary[3..12]), &binary, true), Some("in hex"));
        assert_eq!(leak(&hex(&binary[3..10]), &binary, true), None);
    }

    #[test]
    fn the_checker_reports_leaks_and_unredacted_output() {
        let mut checker = Checker::new(&["MARKER-PASSWORD-1"]);
        checker.debug(&"MARKER-PASSWORD-1");
        checker.debug(&"nothing secret");
        checker.debug_opaque(&"MARKER-");
        // Two leaks (the marker, the prefix) in both forms, and no <redacted>; no <redacted>;
        // the prefix in both forms.
        assert_eq!(
            checker.failures.len(),
            2 * 2 + 2 + 2 + 2,
            "{:#?}",
            checker.failures
        );
        assert!(checker.checked.contains("str"));
    }

    #[test]
    fn the_scan_reads_fields_variants_and_their_types() {
        let text = "\
/// Doc mentioning a password.
pub struct Plain {
    /// The session (doc only).
    pub name: String,
}
pub(crate) struct Inner {
    #[arg(long, env = \"X_SECRET\",
          hide_env_values = true)]
    key: String,
    pub refresh_token: Option<String>,
}
pub struct Outer(Inner);
pub enum Step<'r> {
    Challenge(Plain),
    TotpSecret(&'r str),
}
#[cfg(test)]
mod tests {
    pub struct Hidden { password: String }
}
pub struct After;
";
        let mut types = Vec::new();
        scan_file(Path::new("x.rs"), text, &mut types);
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Plain", "Inner", "Outer", "Step", "After"]);
        assert!(!types[0].idents.contains("session"));
        assert!(!types[1].idents.contains("X_SECRET"));
        assert!(types[1].idents.contains("refresh_token"));
        assert!(!types[1].public);
        assert!(types[2].idents.contains("Inner"));
        assert!(types[3].idents.contains("TotpSecret"));
    }
}
