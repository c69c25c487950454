//! What every command shares: the client built from the global options, the session file and
//! the printer.

use std::path::{Path, PathBuf};

use cognito_std::{Config, FileStore, Options, Session, SessionStore, blocking};

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
    pool_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    session_file: Option<PathBuf>,
    /// How results are printed.
    pub(crate) printer: Printer,
}

impl Context {
    /// From the parsed global options.
    pub(crate) fn new(global: Global) -> Self {
        Self {
            endpoint: global.endpoint,
            pool_id: global.pool_id,
            client_id: global.client_id,
            client_secret: global.client_secret,
            session_file: global.session_file,
            printer: Printer::new(global.output),
        }
    }

    /// A blocking client for the configured pool and app client.
    pub(crate) fn client(&self) -> CliResult<blocking::Client> {
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
        let options = Options {
            device_name: Some(DEVICE_NAME.to_owned()),
            ..Options::default()
        };
        Ok(blocking::Client::with_options(config, options)?)
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
        client
            .load_valid_session(&FileStore::new(path))
            .map_err(|e| match e {
                cognito_std::Error::CorruptSession { .. }
                | cognito_std::Error::InsecureSession { .. } => unusable(&e),
                other => other.into(),
            })
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
        let lock = store.lock().map_err(|e| unusable(&e))?;
        let mut session = store
            .load()
            .map_err(|e| unusable(&e))?
            .filter(has_tokens)
            .ok_or_else(|| CliError::local("the session was signed out meanwhile"))?;
        if session.access_token == expired.access_token {
            client.refresh(&mut session)?;
            store.save(&session).map_err(|e| {
                CliError::local(format!(
                    "saving the session to {}: {e}",
                    store.path().display()
                ))
            })?;
        }
        drop(lock);
        Ok(session)
    }
}

/// Whether the session holds tokens (a signed-out session keeps only the device).
pub(crate) fn has_tokens(session: &Session) -> bool {
    !session.access_token.is_empty()
}

/// The error for a session file that cannot be used (it is left as it is).
fn unusable(e: &cognito_std::Error) -> CliError {
    CliError::local(format!(
        "{e}; the file was left unchanged: fix or remove it, or pass another --session-file"
    ))
}

/// Creates `dir` and its parents; a new directory is owner-only on Unix.
fn create_private_dir(dir: &Path) -> CliResult<()> {
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
