//! Constant-time checks of `cognito-core`'s SRP, run by `scripts/ct.sh`:
//!
//! * `ct_taint`: secret tracking under valgrind memcheck (ctgrind-style). The secret inputs (`a`,
//!   the password, the device password's random bytes) are marked undefined; memcheck then fails
//!   the run on any branch or memory address computed from them.
//! * `dudect`: Welch's t-test on the timings of fixed vs random secret inputs (dudect-style).
//!
//! Both drive only the public API, from the reference vectors (`srp-public.json`).

#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

pub mod valgrind;

use serde_json::Value;

/// One user sign-in from the vector file (inputs, and the expected outputs where the file has them).
#[derive(Debug, Clone)]
pub struct SrpCase {
    /// Case id.
    pub id: String,
    /// Pool name (the realm hashed into x).
    pub pool_name: String,
    /// `USER_ID_FOR_SRP`.
    pub user_id: String,
    /// The password.
    pub password: String,
    /// The secret `a`, 128 bytes big-endian.
    pub a: [u8; 128],
    /// `SALT`.
    pub salt_hex: String,
    /// `SRP_B`.
    pub srp_b_hex: String,
    /// `SECRET_BLOCK`.
    pub secret_block_b64: String,
    /// The client's clock.
    pub now_ms: u64,
    /// Expected `SRP_A` (hex), if given.
    pub large_a_hex: Option<String>,
    /// Expected `PASSWORD_CLAIM_SIGNATURE`, if given.
    pub signature_b64: Option<String>,
}

/// One `ConfirmDevice` verifier from the vector file.
#[derive(Debug, Clone)]
pub struct DeviceCase {
    /// Case id.
    pub id: String,
    /// DeviceGroupKey.
    pub group_key: String,
    /// DeviceKey.
    pub device_key: String,
    /// The device password's 40 random bytes.
    pub password_random: [u8; 40],
    /// The salt's 16 random bytes.
    pub salt_random: [u8; 16],
    /// Expected `PasswordVerifier` (base64), if given.
    pub verifier_b64: Option<String>,
}

/// The cases of a vector file.
#[derive(Debug, Clone, Default)]
pub struct Vectors {
    /// User sign-ins.
    pub srp: Vec<SrpCase>,
    /// Device verifiers.
    pub device: Vec<DeviceCase>,
}

/// Reads `srp_cases` and `device_verifier_cases` of a vector file.
pub fn load_vectors(path: &str) -> Result<Vectors, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vectors::default();
    for case in json
        .get("srp_cases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let s = |key: &str| -> Result<String, String> {
            case.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{path}: srp case without {key}"))
        };
        let now = case.get("now_epoch_ms");
        let now_ms = now
            .and_then(Value::as_u64)
            .or_else(|| now.and_then(Value::as_str).and_then(|t| t.parse().ok()))
            .ok_or_else(|| format!("{path}: srp case without now_epoch_ms"))?;
        out.srp.push(SrpCase {
            id: s("id")?,
            pool_name: s("pool_name")?,
            user_id: s("user_id_for_srp")?,
            password: s("password")?,
            a: left_padded(&s("small_a_hex")?)?,
            salt_hex: s("salt_hex")?,
            srp_b_hex: s("srp_b_hex")?,
            secret_block_b64: s("secret_block_b64")?,
            now_ms,
            large_a_hex: s("large_a_hex").ok(),
            signature_b64: s("signature_b64").ok(),
        });
    }
    let device_cases = json.get("device_verifier_cases").and_then(Value::as_array);
    for case in device_cases.into_iter().flatten() {
        let s = |key: &str| -> Result<String, String> {
            case.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{path}: device case without {key}"))
        };
        out.device.push(DeviceCase {
            id: s("id")?,
            group_key: s("device_group_key")?,
            device_key: s("device_key")?,
            password_random: left_padded(&s("random_password_bytes_hex")?)?,
            salt_random: left_padded(&s("salt_random_hex")?)?,
            verifier_b64: s("password_verifier_b64").ok(),
        });
    }
    Ok(out)
}

/// A non-negative integer in hex as `N` big-endian bytes (left-padded with zeros).
pub fn left_padded<const N: usize>(digits: &str) -> Result<[u8; N], String> {
    let even = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_owned()
    };
    let raw = hex::decode(&even).map_err(|e| format!("{digits}: {e}"))?;
    let start = raw.iter().position(|&b| b != 0).unwrap_or(raw.len());
    let significant = raw.get(start..).unwrap_or(&[]);
    let mut out = [0u8; N];
    let offset = N
        .checked_sub(significant.len())
        .ok_or_else(|| format!("{digits}: longer than {N} bytes"))?;
    if let Some(dst) = out.get_mut(offset..) {
        dst.copy_from_slice(significant);
    }
    Ok(out)
}

/// The vector file: the first argument, else `../shared/vectors/srp-public.json` (beside the
/// repository, as in CI), else `tests/vectors/srp-public.json`.
pub fn default_vector_path() -> String {
    if let Some(path) = std::env::args().nth(1) {
        return path;
    }
    let shared = "../shared/vectors/srp-public.json";
    if std::path::Path::new(shared).exists() {
        shared.to_owned()
    } else {
        "tests/vectors/srp-public.json".to_owned()
    }
}
