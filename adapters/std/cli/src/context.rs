//! What every command shares: the client built from the global options, the session file and
//! the printer.

use std::path::{Path, PathBuf};

use cognito_std::{
    ClientTokenFile, Config, EndpointProblem, EndpointSecurity, FileStore, Options, Session,
    SessionStore, StoredClientToken, blocking,
};

use crate::args::{Global, Secret};
use crate::error::{CliError, CliResult};
use crate::output::Printer;

/// The name this tool gives the devices it confirms.
const DEVICE_NAME: &str = "cognito-cli";

/// The global options, resolved. The client secret is zeroized on drop and `<redacted>` in
/// `Debug`.
#[derive(Debug)]
pub(crate) struct Context {
    endpoint: Option<String>,
    danger_allow_cleartext_http: bool,
    pool_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    domain: Option<String>,
    session_file: Option<PathBuf>,
    /// How results are printed.
    pub(crate) printer: Printer,
}

impl Context {
    /// From the parsed global options.
    pub(crate) fn new(global: Global) -> Self {
        Self {
            endpoint: global.endpoint,
            danger_allow_cleartext_http: global.danger_allow_cleartext_http,
            pool_id: global.pool_id,
            client_id: global.client_id,
            client_secret: global.client_secret,
            domain: global.domain,
            session_file: global.session_file,
            printer: Printer::new(global.output),
        }
    }

    /// A blocking client for the configured pool and app client.
    ///
    /// The endpoint must be `https://`, or `http://` to a loopback host; `http://` to another
    /// host only with `--danger-allow-cleartext-http`, and then a warning goes to stderr (none
    /// for loopback: that cleartext does not leave the machine).
    pub(crate) fn client(&self) -> CliResult<blocking::Client> {
        self.client_with(|config| config)
    }

    /// A blocking client like [`Self::client`]'s, its configuration adjusted by `configure`
    /// (an identity pool, say).
    pub(crate) fn client_with(
        &self,
        configure: impl FnOnce(Config) -> Config,
    ) -> CliResult<blocking::Client> {
        let pool_id = self.pool_id.as_deref().ok_or_else(|| {
            CliError::Usage("--pool-id (or COGNITO_POOL_ID) is required".to_owned())
        })?;
        let client_id = self.client_id.as_deref().ok_or_else(|| {
            CliError::Usage("--client-id (or COGNITO_CLIENT_ID) is required".to_owned())
        })?;
        let mut config = Config::new(pool_id, client_id);
        if let Some(secret) = &self.client_secret {
            config = config.with_client_secret(secret.as_str());
        }
        if let Some(endpoint) = &self.endpoint {
            config = config.with_endpoint(endpoint);
        }
        let domain = self.domain.clone().or_else(|| self.stored_domain());
        if let Some(domain) = &domain {
            config = config.with_domain(domain);
        }
        let config = configure(config);
        let client =
            blocking::Client::with_options(config, self.options()).map_err(|e| match e {
                cognito_std::Error::Endpoint {
                    problem: EndpointProblem::CleartextToRemoteHost,
                    ..
                } => CliError::local(format!(
                    "{e}; pass --danger-allow-cleartext-http to allow it anyway"
                )),
                other => other.into(),
            })?;
        if client.as_async().endpoint_security() == EndpointSecurity::RemoteCleartext {
            crate::prompt::notice(&format!(
                "warning: --danger-allow-cleartext-http: talking to {} without TLS; passwords, \
                 codes and tokens cross the network unencrypted",
                self.endpoint.as_deref().unwrap_or_default()
            ));
        }
        if client.as_async().domain_security() == Some(EndpointSecurity::RemoteCleartext) {
            crate::prompt::notice(&format!(
                "warning: --danger-allow-cleartext-http: talking to the pool domain {} without \
                 TLS; codes, tokens and the client secret cross the network unencrypted",
                domain.as_deref().unwrap_or_default()
            ));
        }
        Ok(client)
    }

    /// The client options every command uses.
    pub(crate) fn options(&self) -> Options {
        Options {
            device_name: Some(DEVICE_NAME.to_owned()),
            danger_allow_cleartext_http: self.danger_allow_cleartext_http,
            ..Options::default()
        }
    }

    /// A token verifier for the configured pool: its key set from the endpoint (`--endpoint`,
    /// else the pool's regional host), the app client checked when `--client-id` is given.
    pub(crate) fn token_verifier(&self) -> CliResult<cognito_std::TokenVerifierBuilder> {
        let pool_id = self.pool_id.as_deref().ok_or_else(|| {
            CliError::Usage("--pool-id (or COGNITO_POOL_ID) is required".to_owned())
        })?;
        let mut builder = cognito_std::TokenVerifier::builder(pool_id).with_options(Options {
            danger_allow_cleartext_http: self.danger_allow_cleartext_http,
            ..Options::default()
        });
        if let Some(endpoint) = &self.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(client_id) = &self.client_id {
            builder = builder.with_client_id(client_id);
        }
        Ok(builder)
    }

    /// The pool domain a stored hosted-UI session came from (used when `--domain` is not
    /// given, so that such a session refreshes and signs out where it signed in). A file that
    /// cannot be read gives none here; the command reports it when it loads the session.
    fn stored_domain(&self) -> Option<String> {
        let session = self.store().ok()?.load().ok()??;
        session.origin.domain().map(str::to_owned)
    }

    /// A client with a pool domain (`--domain`, `COGNITO_DOMAIN`, or the stored hosted-UI
    /// session's); a usage error naming `what` without one.
    pub(crate) fn domain_client(&self, what: &str) -> CliResult<blocking::Client> {
        let client = self.client()?;
        if client.pool_domain().is_none() {
            return Err(CliError::Usage(format!(
                "{what} needs the pool domain: pass --domain (or set COGNITO_DOMAIN)"
            )));
        }
        Ok(client)
    }

    /// Where `m2m-token` keeps its tokens: `<session file stem>.client-tokens.json` next to
    /// the session file.
    pub(crate) fn client_token_file(&self) -> CliResult<ClientTokenFile> {
        let session = self.session_path()?;
        let stem = session
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "session".to_owned());
        Ok(ClientTokenFile::new(
            session.with_file_name(format!("{stem}.client-tokens.json")),
        ))
    }

    /// The stored client-credentials tokens (none without a file).
    pub(crate) fn load_client_tokens(
        &self,
        file: &ClientTokenFile,
    ) -> CliResult<Vec<StoredClientToken>> {
        file.load().map_err(|e| unusable(&e))
    }

    /// Stores client-credentials tokens, creating the directory (owner-only) when needed.
    pub(crate) fn save_client_tokens(
        &self,
        file: &ClientTokenFile,
        tokens: &[StoredClientToken],
    ) -> CliResult<()> {
        if let Some(dir) = file.path().parent() {
            create_private_dir(dir)?;
        }
        file.save(tokens).map_err(|e| {
            CliError::local(format!(
                "saving the client tokens to {}: {e}",
                file.path().display()
            ))
        })
    }

    /// The session file's path.
    pub(crate) fn session_path(&self) -> CliResult<PathBuf> {
        if let Some(path) = &self.session_file {
            return Ok(path.clone());
        }
        dirs::config_dir()
            .map(|dir| dir.join("cognito").join("session.json"))
            .ok_or_else(|| {
                CliError::local(
                    "no configuration directory is known for this user; pass --session-file",
                )
            })
    }

    /// The session store.
    pub(crate) fn store(&self) -> CliResult<FileStore> {
        Ok(FileStore::new(self.session_path()?))
    }

    /// The stored session, if any. A file that cannot be read or parsed is an error (and is
    /// then never overwritten).
    pub(crate) fn load(&self) -> CliResult<Option<Session>> {
        self.store()?.load().map_err(|e| unusable(&e))
    }

    /// Stores `session` under the store's lock, creating the file's directory (owner-only on
    /// Unix) when needed.
    pub(crate) fn save(&self, session: &Session) -> CliResult<()> {
        let store = self.store()?;
        if let Some(dir) = store.path().parent() {
            create_private_dir(dir)?;
        }
        let saving = |e: cognito_std::Error| {
            CliError::local(format!(
                "saving the session to {}: {e}",
                store.path().display()
            ))
        };
        let lock = store.lock().map_err(saving)?;
        store.save(session).map_err(saving)?;
        drop(lock);
        Ok(())
    }

    /// Removes the session file.
    pub(crate) fn clear(&self) -> CliResult<()> {
        let store = self.store()?;
        store.clear().map_err(|e| {
            CliError::local(format!(
                "removing the session file {}: {e}",
                store.path().display()
            ))
        })
    }

    /// The stored session with tokens, refreshed (and saved, under the store's lock) when the
    /// access token is about to expire.
    pub(crate) fn signed_in(&self, client: &blocking::Client) -> CliResult<Session> {
        let path = self.session_path()?;
        if !self.load()?.as_ref().is_some_and(has_tokens) {
            return Err(CliError::local(format!(
                "not signed in (no session in {}); run `cognito sign-in` first",
                path.display()
            )));
        }
        match client.load_valid_session(&FileStore::new(&path)) {
            Ok(session) => Ok(session),
            // The new tokens still serve this command.
            Err(cognito_std::Error::RefreshedNotSaved { session, cause }) => {
                warn_not_saved(&path, &cause);
                Ok(*session)
            }
            Err(
                e @ (cognito_std::Error::CorruptSession { .. }
                | cognito_std::Error::InsecureSession { .. }),
            ) => Err(unusable(&e)),
            Err(other) => Err(other.into()),
        }
    }

    /// Runs `call` with a valid access token. When Cognito says the access token has expired
    /// (the local clock and the server's disagree), refreshes once and calls again.
    pub(crate) fn with_token<T>(
        &self,
        client: &blocking::Client,
        mut call: impl FnMut(&str) -> cognito_std::Result<T>,
    ) -> CliResult<(T, Session)> {
        let session = self.signed_in(client)?;
        match call(&session.access_token) {
            Ok(value) => Ok((value, session)),
            Err(e) if e.access_token_expired() => {
                let session = self.refresh_expired(client, &session)?;
                let value = call(&session.access_token)?;
                Ok((value, session))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Refreshes the stored session whose access token `expired` Cognito refused, under the
    /// store's lock: when another process has replaced the tokens meanwhile, its session is
    /// used as it is (a second refresh could fail under refresh-token rotation).
    fn refresh_expired(&self, client: &blocking::Client, expired: &Session) -> CliResult<Session> {
        let store = self.store()?;
        let lock = store.lock()?;
        let mut session = store
            .load()
            .map_err(|e| unusable(&e))?
            .filter(has_tokens)
            .ok_or_else(|| CliError::local("the session was signed out meanwhile"))?;
        if session.access_token == expired.access_token {
            client.refresh(&mut session)?;
            if let Err(e) = store.save(&session) {
                // The new tokens still serve this command.
                warn_not_saved(store.path(), &e);
            }
        }
        drop(lock);
        Ok(session)
    }
}

/// Says on stderr that refreshed tokens could not be saved (they serve this command only).
fn warn_not_saved(path: &Path, e: &cognito_std::Error) {
    crate::prompt::notice(&format!(
        "warning: the refreshed session could not be saved to {}: {e}; the new tokens serve this \
         command only (if the app client rotates refresh tokens, sign in again afterwards)",
        path.display()
    ));
}

/// Whether the session holds tokens (a signed-out session keeps only the device).
pub(crate) fn has_tokens(session: &Session) -> bool {
    !session.access_token.is_empty()
}

/// The error for a session file that cannot be used (it is left as it is).
pub(crate) fn unusable(e: &cognito_std::Error) -> CliError {
    CliError::local(format!(
        "{e}; the file was left unchanged: fix or remove it, or pass another --session-file"
    ))
}

/// Creates `dir` and its parents; a new directory is owner-only on Unix.
pub(crate) fn create_private_dir(dir: &Path) -> CliResult<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| CliError::local(format!("creating {}: {e}", dir.display())))
}
