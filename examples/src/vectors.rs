//! Drives reference vectors (the schema of `srp-public.json`) through the public sign-in API.
//!
//! Every case is replayed the way a real sign-in runs: an [`SignIn`] is built with the case's
//! secret `a`, it writes `InitiateAuth`, the case's server challenge is handed to it as an HTTP
//! reply at the case's time, and the `TIMESTAMP` and `PASSWORD_CLAIM_SIGNATURE` are read back from
//! the `RespondToAuthChallenge` body it writes. Nothing here reads the expected values.

use cognito_core::auth::{ClientConfig, DeviceCredentials, SignIn, Step};
use cognito_core::srp::{DeviceVerifier, EPHEMERAL_SECRET_LEN, JavaBytes, SrpEphemeral};
use cognito_core::time::UnixTime;
use cognito_core::wire::HttpResponse;
use cognito_core::{Error, SecretHash};
use serde::Deserialize;
use serde_json::{Value, json};

/// The vector file.
#[derive(Debug, Deserialize)]
pub struct VectorFile {
    /// Sign-in cases.
    #[serde(default)]
    pub srp_cases: Vec<SrpCase>,
    /// ConfirmDevice verifier cases.
    #[serde(default)]
    pub device_verifier_cases: Vec<DeviceVerifierCase>,
    /// SECRET_HASH cases.
    #[serde(default)]
    pub secret_hash_cases: Vec<SecretHashCase>,
}

/// One sign-in (inputs only; the expected outputs stay in the file).
#[derive(Debug, Clone, Deserialize)]
pub struct SrpCase {
    /// Case id.
    pub id: String,
    /// User-pool id (absent in nested device SRP cases).
    #[serde(default)]
    pub pool_id: Option<String>,
    /// Pool name, or device group key for device SRP.
    pub pool_name: String,
    /// App-client id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The name the user typed.
    pub username: String,
    /// USER_ID_FOR_SRP in the challenge.
    pub user_id_for_srp: String,
    /// The password the client uses.
    pub password: String,
    /// SALT.
    pub salt_hex: String,
    /// SRP_B.
    pub srp_b_hex: String,
    /// The client's secret a.
    pub small_a_hex: String,
    /// SECRET_BLOCK.
    pub secret_block_b64: String,
    /// The client's clock.
    pub now_epoch_ms: u64,
    /// Session sent with the challenge, if any.
    #[serde(default)]
    pub session: Option<String>,
    /// Device flow data (first case of a device sequence).
    #[serde(default)]
    pub device: Option<Box<DeviceCase>>,
}

/// A device sequence: ConfirmDevice, then a second sign-in answered with device SRP.
#[derive(Debug, Clone, Deserialize)]
pub struct DeviceCase {
    /// The ConfirmDevice verifier generation.
    pub confirm_device: DeviceVerifierCase,
    /// The second sign-in (user SRP with DEVICE_KEY).
    pub second_sign_in: SrpCase,
    /// The device SRP exchange of the second sign-in.
    pub device_srp: SrpCase,
}

/// Inputs of a device verifier.
#[derive(Debug, Clone, Deserialize)]
pub struct DeviceVerifierCase {
    /// Case id.
    pub id: String,
    /// DeviceGroupKey.
    pub device_group_key: String,
    /// DeviceKey.
    pub device_key: String,
    /// The 40 random bytes of the device password.
    pub random_password_bytes_hex: String,
    /// The 16 random bytes of the salt.
    pub salt_random_hex: String,
}

/// Inputs of a SECRET_HASH.
#[derive(Debug, Clone, Deserialize)]
pub struct SecretHashCase {
    /// Case id.
    pub id: String,
    /// App-client id.
    pub client_id: String,
    /// App-client secret.
    pub client_secret: String,
    /// Username hashed.
    pub username: String,
}

/// What the library computed for one case; `fields` are printed as one JSON line.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    /// The line, e.g. `{"id":…,"large_a_hex":…,"timestamp":…,"signature_b64":…}`.
    pub line: Value,
    /// The request bodies the flow wrote, by the names the vector file's `wire` uses.
    pub wire: Vec<(String, Value)>,
}

/// A failure to run a case.
#[derive(Debug)]
pub enum RunError {
    /// The case's inputs are unusable (bad hex, …).
    BadInput(String),
    /// The library returned an error.
    Library(Error),
    /// The flow did something other than what the sign-in should do next.
    Unexpected(String),
}

impl From<Error> for RunError {
    fn from(e: Error) -> Self {
        RunError::Library(e)
    }
}

impl From<cognito_core::Misuse> for RunError {
    fn from(e: cognito_core::Misuse) -> Self {
        RunError::Library(e.into())
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::BadInput(s) => write!(f, "bad input: {s}"),
            RunError::Library(e) => write!(f, "library error: {e}"),
            RunError::Unexpected(s) => write!(f, "unexpected: {s}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs every case of `file`, in file order (nested device cases after their parent).
pub fn run_all(file: &VectorFile) -> Vec<(String, Result<Computed, RunError>)> {
    let mut out = Vec::new();
    for case in &file.srp_cases {
        out.push((case.id.clone(), run_srp_case(case)));
        if let Some(device) = &case.device {
            let confirm = &device.confirm_device;
            out.push((confirm.id.clone(), run_device_verifier(confirm)));
            let (second, device_srp) = run_device_sign_in(case, device);
            out.push((device.second_sign_in.id.clone(), second));
            out.push((device.device_srp.id.clone(), device_srp));
        }
    }
    for case in &file.device_verifier_cases {
        out.push((case.id.clone(), run_device_verifier(case)));
    }
    for case in &file.secret_hash_cases {
        out.push((case.id.clone(), Ok(run_secret_hash(case))));
    }
    out
}

/// The 128-byte secret `a` from hex (left-padded).
pub fn ephemeral_from_hex(small_a_hex: &str) -> Result<SrpEphemeral, RunError> {
    let bytes = left_padded::<EPHEMERAL_SECRET_LEN>(small_a_hex)?;
    Ok(SrpEphemeral::from_secret_bytes(&bytes)?)
}

fn left_padded<const N: usize>(hex_digits: &str) -> Result<[u8; N], RunError> {
    let even = if hex_digits.len() % 2 == 1 {
        format!("0{hex_digits}")
    } else {
        hex_digits.to_owned()
    };
    let raw = hex::decode(&even).map_err(|e| RunError::BadInput(format!("{hex_digits}: {e}")))?;
    let start = raw.iter().position(|&b| b != 0).unwrap_or(raw.len());
    let significant = raw.get(start..).unwrap_or(&[]);
    let mut out = [0u8; N];
    let offset = N
        .checked_sub(significant.len())
        .ok_or_else(|| RunError::BadInput(format!("{hex_digits} longer than {N} bytes")))?;
    out.get_mut(offset..)
        .ok_or_else(|| RunError::BadInput("length".into()))?
        .copy_from_slice(significant);
    Ok(out)
}

fn pool_and_client(case: &SrpCase) -> Result<(String, String), RunError> {
    let pool_id = case
        .pool_id
        .clone()
        .ok_or_else(|| RunError::BadInput("pool_id missing".into()))?;
    let client_id = case
        .client_id
        .clone()
        .ok_or_else(|| RunError::BadInput("client_id missing".into()))?;
    Ok((pool_id, client_id))
}

fn reply(body: &Value) -> Vec<u8> {
    serde_json::to_vec(body).unwrap_or_default()
}

fn password_verifier_reply(case: &SrpCase) -> Value {
    json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": case.salt_hex,
            "SRP_B": case.srp_b_hex,
            "SECRET_BLOCK": case.secret_block_b64,
            "USER_ID_FOR_SRP": case.user_id_for_srp,
            "USERNAME": case.user_id_for_srp,
        }
    })
}

fn tokens_reply() -> Value {
    json!({"AuthenticationResult": {
        "AccessToken": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2ln",
        "ExpiresIn": 3600, "TokenType": "Bearer"}})
}

/// Writes the flow's next request and parses it as JSON.
fn write_json(flow: &mut SignIn) -> Result<Value, RunError> {
    let mut buf = vec![0u8; 8192];
    let request = flow.write_request(&mut buf)?;
    serde_json::from_slice(request.body)
        .map_err(|e| RunError::Unexpected(format!("request JSON: {e}")))
}

/// Feeds a reply and expects the flow to have another request.
fn expect_send(flow: &mut SignIn, body: &Value, now: UnixTime) -> Result<(), RunError> {
    let bytes = reply(body);
    match flow.handle_response(&HttpResponse::new(200, &bytes), now)? {
        Step::SendRequest => Ok(()),
        other => Err(RunError::Unexpected(format!("{other:?}"))),
    }
}

fn claim_line(id: &str, large_a_hex: String, respond: &Value) -> Result<Value, RunError> {
    let responses = &respond["ChallengeResponses"];
    let get = |k: &str| {
        responses[k]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| RunError::Unexpected(format!("{k} missing in the answer")))
    };
    Ok(json!({
        "id": id,
        "large_a_hex": large_a_hex,
        "timestamp": get("TIMESTAMP")?,
        "signature_b64": get("PASSWORD_CLAIM_SIGNATURE")?,
    }))
}

/// `SRP_A` as the flow sent it in `InitiateAuth`.
fn sent_a(initiate: &Value) -> Result<String, RunError> {
    initiate["AuthParameters"]["SRP_A"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| RunError::Unexpected("SRP_A missing".into()))
}

/// One user SRP sign-in up to the password claim.
pub fn run_srp_case(case: &SrpCase) -> Result<Computed, RunError> {
    let (pool_id, client_id) = pool_and_client(case)?;
    let config = ClientConfig::new(&pool_id, &client_id)?;
    let ephemeral = ephemeral_from_hex(&case.small_a_hex)?;
    let mut flow: SignIn = SignIn::srp(&config, &case.username, &case.password, ephemeral)?;
    let initiate = write_json(&mut flow)?;
    expect_send(
        &mut flow,
        &password_verifier_reply(case),
        UnixTime::from_millis(case.now_epoch_ms),
    )?;
    let respond = write_json(&mut flow)?;
    Ok(Computed {
        line: claim_line(&case.id, sent_a(&initiate)?, &respond)?,
        wire: vec![
            ("initiate_auth".into(), initiate),
            ("respond_to_auth_challenge".into(), respond),
        ],
    })
}

/// The device sequence's second sign-in: user SRP with `DEVICE_KEY`, then device SRP.
pub fn run_device_sign_in(
    first: &SrpCase,
    device: &DeviceCase,
) -> (Result<Computed, RunError>, Result<Computed, RunError>) {
    match device_sign_in(first, device) {
        Ok((a, b)) => (Ok(a), Ok(b)),
        Err(e) => (
            Err(e),
            Err(RunError::Unexpected("the second sign-in failed".into())),
        ),
    }
}

fn device_sign_in(first: &SrpCase, device: &DeviceCase) -> Result<(Computed, Computed), RunError> {
    let second = &device.second_sign_in;
    let dsrp = &device.device_srp;
    let confirm = &device.confirm_device;
    let (pool_id, client_id) = pool_and_client(second).or_else(|_| pool_and_client(first))?;
    let config = ClientConfig::new(&pool_id, &client_id)?;
    // The device password is what ConfirmDevice generated from its random bytes.
    let verifier = device_verifier(confirm)?;
    let device = DeviceCredentials::new(
        &confirm.device_key,
        &confirm.device_group_key,
        verifier.device_password(),
    )?;
    let mut flow: SignIn = SignIn::srp(
        &config,
        &second.username,
        &second.password,
        ephemeral_from_hex(&second.small_a_hex)?,
    )?
    .with_device(&device, ephemeral_from_hex(&dsrp.small_a_hex)?);

    let initiate = write_json(&mut flow)?;
    expect_send(
        &mut flow,
        &password_verifier_reply(second),
        UnixTime::from_millis(second.now_epoch_ms),
    )?;
    let respond = write_json(&mut flow)?;
    let second_computed = Computed {
        line: claim_line(&second.id, sent_a(&initiate)?, &respond)?,
        wire: vec![
            ("initiate_auth".into(), initiate),
            ("respond_to_auth_challenge".into(), respond),
        ],
    };

    let now = UnixTime::from_millis(dsrp.now_epoch_ms);
    let session1 = dsrp
        .session
        .clone()
        .unwrap_or_else(|| "device-session-1".into());
    expect_send(
        &mut flow,
        &json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": session1, "ChallengeParameters": {}}),
        now,
    )?;
    let device_srp_auth = write_json(&mut flow)?;
    let device_a = device_srp_auth["ChallengeResponses"]["SRP_A"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| RunError::Unexpected("device SRP_A missing".into()))?;
    let session2 = next_session(&session1);
    expect_send(
        &mut flow,
        &json!({
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "Session": session2,
            "ChallengeParameters": {
                "SALT": dsrp.salt_hex,
                "SRP_B": dsrp.srp_b_hex,
                "SECRET_BLOCK": dsrp.secret_block_b64,
                "USERNAME": second.user_id_for_srp,
            }
        }),
        now,
    )?;
    let device_password_verifier = write_json(&mut flow)?;
    let tokens = reply(&tokens_reply());
    match flow.handle_response(&HttpResponse::new(200, &tokens), now)? {
        Step::Authenticated(_) => {}
        other => return Err(RunError::Unexpected(format!("{other:?}"))),
    }
    let device_computed = Computed {
        line: claim_line(&dsrp.id, device_a, &device_password_verifier)?,
        wire: vec![
            ("device_srp_auth".into(), device_srp_auth),
            ("device_password_verifier".into(), device_password_verifier),
        ],
    };
    Ok((second_computed, device_computed))
}

/// `device-session-1` → `device-session-2`; anything else gets `-next` appended.
fn next_session(session: &str) -> String {
    match session.strip_suffix('1') {
        Some(stem) => format!("{stem}2"),
        None => format!("{session}-next"),
    }
}

fn device_verifier(case: &DeviceVerifierCase) -> Result<DeviceVerifier, RunError> {
    let password = left_padded::<40>(&case.random_password_bytes_hex)?;
    let salt = left_padded::<16>(&case.salt_random_hex)?;
    Ok(DeviceVerifier::from_random(
        &case.device_group_key,
        &case.device_key,
        &password,
        &salt,
    ))
}

/// A ConfirmDevice verifier.
pub fn run_device_verifier(case: &DeviceVerifierCase) -> Result<Computed, RunError> {
    let verifier = device_verifier(case)?;
    Ok(Computed {
        line: json!({
            "id": case.id,
            "salt_b64": verifier.salt_b64(),
            "password_verifier_b64": verifier.password_verifier_b64(),
        }),
        wire: Vec::new(),
    })
}

/// A SECRET_HASH.
pub fn run_secret_hash(case: &SecretHashCase) -> Computed {
    let hash = SecretHash::new(&case.client_secret, &case.username, &case.client_id);
    Computed {
        line: json!({"id": case.id, "secret_hash": hash.as_str()}),
        wire: Vec::new(),
    }
}

/// `bytes(n)` of a hex integer as lowercase padHex (for comparing intermediates).
pub fn pad_hex_of(hex_digits: &str) -> Option<String> {
    let even = if hex_digits.len() % 2 == 1 {
        format!("0{hex_digits}")
    } else {
        hex_digits.to_owned()
    };
    let raw = hex::decode(even).ok()?;
    JavaBytes::from_be_bytes(&raw).map(|b| b.pad_hex().to_string())
}
