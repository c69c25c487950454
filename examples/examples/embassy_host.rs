//! The firmware client (`cognito-embassy`) on the host: the same `Client`, verifying TLS layer and
//! flash store a board runs, over the host's sockets (`std-embedded-nal-async`, the
//! `embedded-nal-async` traits embassy-net implements on a board), the system clock as the RTC,
//! the operating system's random numbers as the entropy source, and a file standing in for the
//! flash.
//!
//! ```text
//! cargo run --release -p cognito-examples --example embassy_host -- \
//!     --endpoint https://127.0.0.1:PORT/ --ca-file ca.pem --pool-id ID --client-id ID \
//!     [--client-secret S] --username U --password P [--device-file PATH] [--remember-device] \
//!     [--heap-report]
//! ```
//!
//! * `--endpoint https://HOST[:PORT]/`: the pool's endpoint (an emulator's); without it, the
//!   pool's regional AWS endpoint on port 443. Only `https` is spoken: the certificate chain is
//!   verified to the trust anchors, by default the Amazon roots; `--ca-file PEM` trusts that
//!   file's certificates instead (an emulator's test CA).
//! * SRP sign-in (`--client-secret` for app clients with a secret; the password may come from
//!   `COGNITO_PASSWORD` instead of `--password`). An MFA code (SMS, email, TOTP) is asked for on
//!   standard error and read from standard input; any other challenge ends the run.
//! * `--device-file PATH` keeps the username, the refresh token and the remembered device in
//!   PATH through the crate's [`FlashStore`], over a file that acts as a 16 KiB NOR flash (4 KiB
//!   erase sectors, erased to `0xFF` when the file is new). When it holds a device, the sign-in
//!   uses device SRP. With `--remember-device`, a device the pool offers (`NewDeviceMetadata`) is
//!   confirmed and saved there.
//! * `--heap-report`: the peak heap use of the TLS connection and the sign-in, and the buffers
//!   lent to the client, on standard error (see `scripts/embassy_memory.sh`).
//!
//! On success it prints one JSON object: the tokens' lengths (never the tokens),
//! `ExpiresIn`, `NewDeviceMetadata` when the pool offered a device, `"DeviceSrp": true` when the
//! remembered device signed in, `"DeviceRemembered"` after `--remember-device` registered one.
//!
//! Exit codes: 0 signed in; 1 the pool refused (its exception and message on standard error, or
//! a challenge this example does not answer); 2 usage; 4 TLS (a refused certificate names its
//! reason), network, or local errors.

// Host-side example: std is the point.
#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_core::auth::{
    Answer, ChallengeKind, ClientConfig, CodeKind, DeviceCredentials, DeviceRegistration,
    DeviceStep, NewDeviceMetadata, SignIn, Step,
};
use cognito_core::exchange::Flow;
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_core::token::decode_claims;
use cognito_embassy::client::Client;
use cognito_embassy::clock::WallClock;
use cognito_embassy::connect::Connect;
use cognito_embassy::error::Error;
use cognito_embassy::store::{BlockingFlash, FlashStore, Remembered, StoreError};
use cognito_embassy::tls::{
    INCOMING_RECORD_LEN, OUTGOING_RECORD_LEN, TlsBuffers, TlsConnect, TrustAnchors,
};
use embedded_storage::nor_flash::{
    ErrorType, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash, check_erase, check_read,
    check_write,
};
use peak_alloc::PeakAlloc;
use rand::RngCore;
use rand::rngs::OsRng;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde_json::{Map, Value, json};

/// Counts the heap in use and its peak (`--heap-report`).
#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// The request buffer: 4 KiB holds every request.
const REQUEST_LEN: usize = 4096;
/// The reply buffer: replies with tokens are 4–6 KB; 16 KiB leaves room for large id tokens.
const REPLY_LEN: usize = 16384;
/// The name a registered device gets (`DeviceName`).
const DEVICE_NAME: &str = "cognito-embassy host example";

/// The device file: a NOR flash of four 4 KiB erase sectors (two store slots of 8 KiB).
const FLASH_SECTOR: usize = 4096;
/// The device file's size.
const FLASH_LEN: usize = 4 * FLASH_SECTOR;
/// The flash's write unit, as on many microcontrollers.
const FLASH_WRITE: usize = 4;

const USAGE: &str = "usage: embassy_host [--endpoint https://HOST[:PORT]/] [--ca-file PEM] \
--pool-id ID --client-id ID [--client-secret S] --username NAME --password P \
[--device-file PATH] [--remember-device] [--heap-report]
(the password may come from COGNITO_PASSWORD instead)";

/// Why the example stopped, and so its exit code.
#[derive(Debug)]
enum Failure {
    /// The command line cannot work (exit 2).
    Usage(String),
    /// The pool said no: its exception and message, or a challenge not answered here (exit 1).
    Refused(String),
    /// TLS, the network, or something local (exit 4).
    Local(String),
}

impl Failure {
    /// The process's exit code for this failure.
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Refused(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Local(_) => 4,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match &e {
            Error::Core(cognito_core::Error::Service(refusal)) => {
                Failure::Refused(format!("{}: {}", refusal.name(), refusal.message()))
            }
            _ => Failure::Local(e.to_string()),
        }
    }
}

impl From<cognito_core::Error> for Failure {
    fn from(e: cognito_core::Error) -> Self {
        Error::Core(e).into()
    }
}

impl From<cognito_core::Misuse> for Failure {
    fn from(e: cognito_core::Misuse) -> Self {
        Error::from(e).into()
    }
}

impl<E: core::fmt::Debug> From<StoreError<E>> for Failure {
    fn from(e: StoreError<E>) -> Self {
        Failure::Local(format!("device file: {e}"))
    }
}

/// Where to connect: the host (resolved, named in the TLS handshake and the `Host` header) and
/// the port.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    host: String,
    port: u16,
}

/// The command line.
#[derive(Debug)]
struct Args {
    endpoint: Option<Target>,
    ca_file: Option<PathBuf>,
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    username: String,
    password: String,
    device_file: Option<PathBuf>,
    remember_device: bool,
    heap_report: bool,
}

/// Reads the command line (and `COGNITO_PASSWORD`).
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, Failure> {
    let usage = |message: String| Failure::Usage(format!("{message}\n{USAGE}"));
    let mut values = std::collections::BTreeMap::new();
    let (mut remember_device, mut heap_report) = (false, false);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--remember-device" => remember_device = true,
            "--heap-report" => heap_report = true,
            "-h" | "--help" => return Err(Failure::Usage(USAGE.to_owned())),
            "--endpoint" | "--ca-file" | "--pool-id" | "--client-id" | "--client-secret"
            | "--username" | "--password" | "--device-file" => {
                let value = args
                    .next()
                    .ok_or_else(|| usage(format!("{arg} needs a value")))?;
                values.insert(arg, value);
            }
            other => return Err(usage(format!("unknown argument {other}"))),
        }
    }
    let mut required = |flag: &str| {
        values
            .remove(flag)
            .ok_or_else(|| usage(format!("{flag} is required")))
    };
    let pool_id = required("--pool-id")?;
    let client_id = required("--client-id")?;
    let username = required("--username")?;
    let password = match required("--password") {
        Ok(password) => password,
        Err(e) => std::env::var("COGNITO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .ok_or(e)?,
    };
    let endpoint = match values.remove("--endpoint") {
        Some(url) => Some(parse_endpoint(&url).map_err(usage)?),
        None => None,
    };
    let device_file = values.remove("--device-file").map(PathBuf::from);
    if remember_device && device_file.is_none() {
        return Err(usage(
            "--remember-device needs --device-file (where the device is kept)".to_owned(),
        ));
    }
    Ok(Args {
        endpoint,
        ca_file: values.remove("--ca-file").map(PathBuf::from),
        pool_id,
        client_id,
        client_secret: values.remove("--client-secret"),
        username,
        password,
        device_file,
        remember_device,
        heap_report,
    })
}

/// `https://HOST[:PORT][/]` → the host and port (443 by default); IPv6 addresses in brackets.
fn parse_endpoint(url: &str) -> Result<Target, String> {
    let Some(rest) = url.strip_prefix("https://") else {
        if url.starts_with("http://") {
            return Err(format!(
                "--endpoint {url}: plain http is refused; this example speaks verified TLS only \
                 (https://). The crate's plaintext connector, InsecurePlaintextTcp, is for \
                 emulators on a trusted network and is not used here"
            ));
        }
        return Err(format!("--endpoint {url}: expected https://HOST[:PORT]/"));
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#', '@']) {
        return Err(format!(
            "--endpoint {url}: expected https://HOST[:PORT]/ (no path, query or user)"
        ));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| format!("--endpoint {url}: unclosed ["))?;
            match after {
                "" => (host, None),
                _ => (
                    host,
                    Some(
                        after
                            .strip_prefix(':')
                            .ok_or_else(|| format!("--endpoint {url}: bad port"))?,
                    ),
                ),
            }
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port = match port {
        Some(port) => port
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| format!("--endpoint {url}: bad port {port:?}"))?,
        None => 443,
    };
    if host.is_empty() {
        return Err(format!("--endpoint {url}: no host"));
    }
    Ok(Target {
        host: host.to_owned(),
        port,
    })
}

/// The trust anchors of a PEM file's certificates.
fn read_anchors(path: &Path) -> Result<TrustAnchors, Failure> {
    let pem = std::fs::read(path)
        .map_err(|e| Failure::Local(format!("--ca-file {}: {e}", path.display())))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Local(format!("--ca-file {}: {e:?}", path.display())))?;
    if certificates.is_empty() {
        return Err(Failure::Local(format!(
            "--ca-file {}: no CERTIFICATE in it",
            path.display()
        )));
    }
    TrustAnchors::from_der_certificates(certificates.iter().map(|c| c.as_ref())).map_err(|e| {
        Failure::Local(format!(
            "--ca-file {}: not a usable trust anchor: {e}",
            path.display()
        ))
    })
}

/// The host's clock, as a board's RTC.
struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> Option<UnixTime> {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
        Some(UnixTime::from_secs(since.as_secs()))
    }
}

/// A NOR flash kept in a file: reads from a copy in memory; every erase and write changes the
/// copy as flash would (an erase sets a sector to `0xFF`; a write can only clear bits) and
/// rewrites the whole file.
struct FileFlash {
    path: PathBuf,
    data: Vec<u8>,
}

/// A [`FileFlash`] failure: a bad address, or the file could not be written.
struct FlashError {
    kind: NorFlashErrorKind,
    detail: String,
}

impl core::fmt::Debug for FlashError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl From<NorFlashErrorKind> for FlashError {
    fn from(kind: NorFlashErrorKind) -> Self {
        Self {
            kind,
            detail: format!("{kind:?}"),
        }
    }
}

impl NorFlashError for FlashError {
    fn kind(&self) -> NorFlashErrorKind {
        self.kind
    }
}

impl FileFlash {
    /// The flash in `path`; a file that does not exist yet is created erased.
    fn open(path: &Path) -> Result<Self, Failure> {
        let shown = path.display();
        let data = match std::fs::read(path) {
            Ok(data) if data.len() == FLASH_LEN => data,
            Ok(data) => {
                return Err(Failure::Local(format!(
                    "--device-file {shown}: {} bytes, not a {FLASH_LEN}-byte device file",
                    data.len()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let flash = Self {
                    path: path.to_owned(),
                    data: vec![0xFF; FLASH_LEN],
                };
                flash
                    .persist()
                    .map_err(|e| Failure::Local(format!("--device-file: {e:?}")))?;
                return Ok(flash);
            }
            Err(e) => return Err(Failure::Local(format!("--device-file {shown}: {e}"))),
        };
        Ok(Self {
            path: path.to_owned(),
            data,
        })
    }

    /// Writes the whole flash to its file (through a temporary file, renamed over it).
    fn persist(&self) -> Result<(), FlashError> {
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        std::fs::write(&temporary, &self.data)
            .and_then(|()| std::fs::rename(&temporary, &self.path))
            .map_err(|e| FlashError {
                kind: NorFlashErrorKind::Other,
                detail: format!("writing {}: {e}", self.path.display()),
            })
    }

    /// The bytes from `offset`, `len` long (checked by the caller).
    fn range(&mut self, offset: u32, len: usize) -> Result<&mut [u8], FlashError> {
        let start = offset as usize;
        self.data
            .get_mut(start..start + len)
            .ok_or(NorFlashErrorKind::OutOfBounds.into())
    }
}

impl ErrorType for FileFlash {
    type Error = FlashError;
}

impl ReadNorFlash for FileFlash {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), FlashError> {
        check_read(self, offset, bytes.len())?;
        bytes.copy_from_slice(self.range(offset, bytes.len())?);
        Ok(())
    }

    fn capacity(&self) -> usize {
        FLASH_LEN
    }
}

impl NorFlash for FileFlash {
    const WRITE_SIZE: usize = FLASH_WRITE;
    const ERASE_SIZE: usize = FLASH_SECTOR;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), FlashError> {
        check_erase(self, from, to)?;
        self.range(from, (to - from) as usize)?.fill(0xFF);
        self.persist()
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), FlashError> {
        check_write(self, offset, bytes.len())?;
        for (cell, byte) in self.range(offset, bytes.len())?.iter_mut().zip(bytes) {
            *cell &= byte;
        }
        self.persist()
    }
}

/// The store over the device file.
type DeviceStore = FlashStore<BlockingFlash<FileFlash>>;

/// Opens the device file's store and loads what it remembers.
fn open_store(path: &Path) -> Result<(DeviceStore, Option<Remembered>), Failure> {
    let mut store = FlashStore::new_blocking(FileFlash::open(path)?, 0, FLASH_LEN as u32)?;
    let remembered = match store.load_blocking() {
        Ok(remembered) => remembered,
        Err(StoreError::Corrupt) => {
            eprintln!(
                "{}: nothing stored checks; starting afresh (the next save overwrites it)",
                path.display()
            );
            None
        }
        Err(e) => return Err(e.into()),
    };
    Ok((store, remembered))
}

/// The tokens of a sign-in, copied out of the reply buffer.
struct Tokens {
    access: String,
    id_len: Option<usize>,
    refresh: Option<String>,
    expires_in: u64,
    new_device: Option<(String, String)>,
}

/// What a sign-in step asks of the caller, copied out of the reply buffer.
enum Outcome {
    /// Signed in.
    Tokens(Tokens),
    /// An MFA code, and where it was sent.
    Code(CodeKind, Option<String>),
    /// The pool refused the code (its exception and message); the challenge waits for another.
    AnswerRefused(String),
    /// A challenge this example does not answer, by name.
    Unanswered(String),
    /// Nothing for the caller (the flow sends its next request itself).
    Continue,
}

impl Outcome {
    /// The owned view of `step`.
    fn of(step: Step<'_>) -> Self {
        match step {
            Step::Authenticated(t) => Outcome::Tokens(Tokens {
                access: t.access_token.to_owned(),
                id_len: t.id_token.map(str::len),
                refresh: t.refresh_token.map(str::to_owned),
                expires_in: t.expires_in,
                new_device: t
                    .new_device
                    .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned())),
            }),
            Step::Challenge(challenge) => match challenge.kind() {
                ChallengeKind::MfaCode {
                    kind, destination, ..
                } => Outcome::Code(kind, destination.map(|d| d.chars().collect())),
                _ => Outcome::Unanswered(challenge.name().as_str().to_owned()),
            },
            Step::AnswerRefused(refusal) => {
                Outcome::AnswerRefused(format!("{}: {}", refusal.name(), refusal.message()))
            }
            Step::TotpSecret(_) => Outcome::Unanswered("MFA_SETUP".to_owned()),
            _ => Outcome::Continue,
        }
    }
}

/// A code typed on standard input after a prompt on standard error; `None` at its end.
fn read_code(kind: CodeKind, destination: Option<&str>) -> Result<Option<String>, Failure> {
    let local = |e: std::io::Error| Failure::Local(format!("reading the code: {e}"));
    let to = destination.unwrap_or("your authenticator app");
    eprint!("{} code ({to}): ", kind.challenge_name());
    std::io::stderr().flush().map_err(local)?;
    let mut line = String::new();
    if std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(local)?
        == 0
    {
        eprintln!();
        return Ok(None);
    }
    Ok(Some(line.trim().to_owned()))
}

/// Runs `flow` to its tokens, asking for MFA codes on the way.
async fn sign_in<C: Connect>(
    client: &mut Client<'_, C>,
    flow: &mut SignIn,
) -> Result<Tokens, Failure> {
    let mut outcome = client.run(flow, Outcome::of).await?;
    let mut asking: Option<(CodeKind, Option<String>)> = None;
    let mut refusal: Option<String> = None;
    loop {
        match outcome {
            Outcome::Tokens(tokens) => return Ok(tokens),
            Outcome::Unanswered(name) => {
                return Err(Failure::Refused(format!(
                    "the pool asks for {name}, which this example does not answer"
                )));
            }
            Outcome::Code(kind, destination) => asking = Some((kind, destination)),
            Outcome::AnswerRefused(message) => {
                eprintln!("{message}; try again");
                refusal = Some(message);
            }
            Outcome::Continue => {}
        }
        if flow.has_request() {
            outcome = client.run(flow, Outcome::of).await?;
            continue;
        }
        let Some((kind, destination)) = &asking else {
            return Err(Failure::Local(
                "the sign-in stopped without tokens or a challenge".to_owned(),
            ));
        };
        let Some(code) = read_code(*kind, destination.as_deref())? else {
            return Err(match refusal {
                Some(message) => Failure::Refused(message),
                None => Failure::Local("no code on standard input".to_owned()),
            });
        };
        outcome = Outcome::of(client.answer(flow, &Answer::Code(&code)).await?);
    }
}

/// Confirms the device the pool offered; returns it and whether the pool remembers it.
async fn register_device<C: Connect>(
    client: &mut Client<'_, C>,
    config: &ClientConfig,
    tokens: &Tokens,
    (device_key, device_group_key): (&str, &str),
) -> Result<(DeviceCredentials, bool), Failure> {
    let offer = NewDeviceMetadata {
        device_key,
        device_group_key,
    };
    let mut registration: DeviceRegistration =
        DeviceRegistration::new(config, &offer, &tokens.access, &mut OsRng)?
            .with_device_name(DEVICE_NAME)?;
    match client.run(&mut registration, |step| step).await? {
        DeviceStep::Registered { remembered } => {
            Ok((registration.credentials().clone(), remembered))
        }
        other => Err(Failure::Local(format!(
            "the device registration stopped at {other:?}"
        ))),
    }
}

/// The user's real username, from the access token's `username` claim.
fn token_username(access_token: &str) -> Option<String> {
    let mut buf = vec![0u8; access_token.len()];
    let claims = decode_claims(access_token, &mut buf).ok()?;
    let username = claims.username().ok()??;
    Some(username.chars().collect())
}

/// A fresh SRP ephemeral key pair from the operating system's random numbers.
fn ephemeral() -> Result<SrpEphemeral, Failure> {
    Ok(SrpEphemeral::generate(&mut OsRng)?)
}

/// Heap use around the TLS connect and sign-in, in bytes.
struct HeapUse {
    /// In use when the measurement began.
    before: usize,
    /// The most in use at once since.
    peak: usize,
    /// In use right after the sign-in (the TLS connection still open).
    after: usize,
    /// Of that, the example's own copies of the tokens.
    tokens: usize,
}

/// Prints the `--heap-report`.
fn report_heap(heap: &HeapUse) {
    let lent = INCOMING_RECORD_LEN + OUTGOING_RECORD_LEN + REQUEST_LEN + REPLY_LEN;
    eprintln!(
        "heap peak (TLS connect + sign-in): {} bytes (above the {} in use before)",
        heap.peak.saturating_sub(heap.before),
        heap.before
    );
    eprintln!(
        "heap after sign-in (connection open): {} bytes, of which {} are the example's copies \
         of the tokens",
        heap.after.saturating_sub(heap.before),
        heap.tokens
    );
    eprintln!(
        "buffers lent to the client (allocated before, not in the peak): TLS incoming record \
         {INCOMING_RECORD_LEN}, TLS outgoing record {OUTGOING_RECORD_LEN}, request \
         {REQUEST_LEN}, reply {REPLY_LEN}: {lent} bytes"
    );
    eprintln!(
        "state on the stack: SignIn {} bytes, Remembered {} bytes",
        size_of::<SignIn>(),
        size_of::<Remembered>()
    );
}

/// Signs in as the command line says; returns what to print.
async fn run(args: &Args) -> Result<Value, Failure> {
    let usage = |e: cognito_core::Misuse| Failure::Usage(format!("{e}\n{USAGE}"));
    let mut config = ClientConfig::new(&args.pool_id, &args.client_id).map_err(usage)?;
    if let Some(secret) = &args.client_secret {
        config = config.with_client_secret(secret).map_err(usage)?;
    }
    let target = match &args.endpoint {
        Some(target) => target.clone(),
        None => Target {
            host: config.endpoint().map_err(usage)?.host().to_owned(),
            port: 443,
        },
    };
    let anchors = args.ca_file.as_deref().map(read_anchors).transpose()?;
    let (mut store, remembered) = match &args.device_file {
        Some(path) => {
            let (store, remembered) = open_store(path)?;
            (Some(store), remembered)
        }
        None => (None, None),
    };
    let device = remembered.as_ref().and_then(Remembered::device);
    let had_device = device.is_some();
    if let (Some(kept), Some(_)) = (&remembered, device)
        && kept.username() != args.username
    {
        eprintln!(
            "the device file's device is {:?}'s; signing in with it as {:?}",
            kept.username(),
            args.username
        );
    }

    // What a board has before it connects: 32 bytes from its random generator, the buffers.
    let mut entropy = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut entropy)
        .map_err(|e| Failure::Local(format!("no random numbers from the system: {e}")))?;
    let stack = std_embedded_nal_async::Stack::default();
    let (mut incoming, mut outgoing) = (
        vec![0u8; INCOMING_RECORD_LEN],
        vec![0u8; OUTGOING_RECORD_LEN],
    );
    let (mut request, mut reply) = (vec![0u8; REQUEST_LEN], vec![0u8; REPLY_LEN]);
    let mut flow: SignIn = SignIn::srp(&config, &args.username, &args.password, ephemeral()?)?;
    if let Some(device) = device {
        flow = flow.with_device(device, ephemeral()?);
    }
    let before = if args.heap_report {
        // Start the timer and I/O threads and standard input's buffer first: they are the
        // host's, not the client's.
        embassy_time::Timer::after_millis(1).await;
        let _ = std::io::stdin();
        HEAP.reset_peak_usage();
        Some(HEAP.current_usage())
    } else {
        None
    };

    let buffers = TlsBuffers::new(&mut incoming, &mut outgoing);
    let mut connector =
        TlsConnect::new(&stack, &stack, &target.host, target.port, buffers, &entropy)
            .map_err(|e| Failure::Local(format!("TLS: {e}")))?;
    if let Some(anchors) = anchors {
        connector = connector.with_trust_anchors(anchors);
    }
    let clock = SystemClock;
    let mut client =
        Client::new(config.clone(), &connector, &mut request, &mut reply).with_wall_clock(&clock);
    let tokens = sign_in(&mut client, &mut flow).await?;
    let heap = before.map(|before| HeapUse {
        before,
        peak: HEAP.peak_usage(),
        after: HEAP.current_usage(),
        tokens: tokens.access.len()
            + tokens.refresh.as_ref().map_or(0, String::len)
            + tokens
                .new_device
                .as_ref()
                .map_or(0, |(key, group)| key.len() + group.len()),
    });
    let device_srp = had_device && flow.uses_device();

    let mut registered = None;
    if args.remember_device {
        match &tokens.new_device {
            Some((key, group)) => {
                registered =
                    Some(register_device(&mut client, &config, &tokens, (key, group)).await?);
            }
            None => eprintln!(
                "the pool offered no device to remember (device tracking off, or a remembered \
                 device signed in)"
            ),
        }
    }
    drop(client);

    if let Some(store) = &mut store {
        let username = token_username(&tokens.access).unwrap_or_else(|| args.username.clone());
        let mut kept: Remembered = match remembered {
            Some(kept) if kept.username() == username => kept,
            _ => Remembered::new(&username)?,
        };
        if let Some(refresh) = &tokens.refresh {
            kept.set_refresh_token(refresh)?;
        }
        if had_device && !flow.uses_device() {
            eprintln!("the pool no longer knows the remembered device: forgotten");
            kept.forget_device();
        }
        if let Some((device, _)) = &registered {
            kept.set_device(device.clone());
        }
        store.save_blocking(&kept)?;
    }
    if let Some(heap) = &heap {
        report_heap(heap);
    }

    let mut out = Map::new();
    out.insert("AccessTokenLength".into(), tokens.access.len().into());
    if let Some(len) = tokens.id_len {
        out.insert("IdTokenLength".into(), len.into());
    }
    if let Some(refresh) = &tokens.refresh {
        out.insert("RefreshTokenLength".into(), refresh.len().into());
    }
    out.insert("ExpiresIn".into(), tokens.expires_in.into());
    if let Some((key, group)) = &tokens.new_device {
        out.insert(
            "NewDeviceMetadata".into(),
            json!({ "DeviceKey": key, "DeviceGroupKey": group }),
        );
    }
    if device_srp {
        out.insert("DeviceSrp".into(), true.into());
    }
    if let Some((_, remembered)) = &registered {
        out.insert("DeviceRemembered".into(), (*remembered).into());
    }
    Ok(Value::Object(out))
}

fn main() -> ExitCode {
    let outcome =
        parse_args(std::env::args().skip(1)).and_then(|args| async_io::block_on(run(&args)));
    match outcome {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            match &failure {
                Failure::Usage(message) | Failure::Refused(message) | Failure::Local(message) => {
                    eprintln!("{message}");
                }
            }
            ExitCode::from(failure.exit_code())
        }
    }
}
