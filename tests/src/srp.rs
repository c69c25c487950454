//! Reference SRP-6a arithmetic the way Amazon Cognito does it, on `num-bigint`.
//!
//! **This is a test reference, not production code.** Everything here is variable-time
//! (`BigUint::modpow` leaks the exponent through timing) and allocates freely. It exists to
//! (a) power the user-pool emulator's server side and (b) serve as an independent baseline for
//! property tests and benchmarks of the constant-time client in `cognito-core`. It shares no code
//! with that client.
//!
//! Conventions (DESIGN.md section 4):
//! - group: RFC 3526 3072-bit MODP prime [`n()`], generator [`g()`] = 2, hash SHA-256;
//! - `bytes(n)` = Java `BigInteger.toByteArray()` of a non-negative integer ([`to_java_bytes`]);
//! - `k = H(bytes(N) ‖ bytes(g))`, `u = H(bytes(A) ‖ bytes(B))`,
//!   `x = H(bytes(salt) ‖ H(poolName ‖ userId ‖ ":" ‖ password))`;
//! - client `S = (B − k·g^x)^(a + u·x) mod N`, server `S = (A·v^u)^b mod N`;
//! - key = first 16 bytes of `HMAC(HMAC(bytes(u), bytes(S)), "Caldera Derived Key" ‖ 0x01)`;
//! - signature = `Base64(HMAC(key, poolName ‖ userId ‖ secretBlock ‖ timestamp))`.
//!
//! For device SRP, "poolName" is the DeviceGroupKey, "userId" the DeviceKey and "password" the
//! device password.

use alloc::string::String;
use alloc::vec::Vec;
use std::sync::OnceLock;

use base64ct::{Base64, Encoding};
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The RFC 3526 3072-bit MODP prime, as lowercase hex.
pub const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
    "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
    "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
    "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
    "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
    "3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33",
    "a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
    "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864",
    "d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2",
    "08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

/// The "info" string of Cognito's one-block HKDF.
pub const HKDF_INFO: &[u8] = b"Caldera Derived Key";

/// The group modulus N (RFC 3526, 3072 bits).
pub fn n() -> &'static BigUint {
    static N: OnceLock<BigUint> = OnceLock::new();
    // N_HEX is a valid constant (checked by tests); the fallback is never taken.
    N.get_or_init(|| parse_hex(N_HEX).unwrap_or_default())
}

/// The generator g = 2.
pub fn g() -> &'static BigUint {
    static G: OnceLock<BigUint> = OnceLock::new();
    G.get_or_init(|| BigUint::from(2u32))
}

/// The multiplier `k = H(bytes(N) ‖ bytes(g))`.
pub fn k() -> &'static BigUint {
    static K: OnceLock<BigUint> = OnceLock::new();
    K.get_or_init(|| hash_to_int(&[&to_java_bytes(n()), &to_java_bytes(g())]))
}

/// Java `BigInteger.toByteArray()` of a non-negative integer: big-endian, no leading zero bytes,
/// except one `00` byte prepended when the top bit of the first byte is set. Zero encodes as `[0]`.
pub fn to_java_bytes(value: &BigUint) -> Vec<u8> {
    // `to_bytes_be` of zero is `[0]`, which is also Java's encoding.
    let mut out = value.to_bytes_be();
    if out.first().is_some_and(|b| b & 0x80 != 0) {
        out.insert(0, 0);
    }
    out
}

/// The JS client's `padHex`: lowercase hex of [`to_java_bytes`] (even length, `00` prefix when the
/// first hex digit would be ≥ 8).
pub fn pad_hex(value: &BigUint) -> String {
    hex(&to_java_bytes(value))
}

/// Lowercase hex of the integer without any padding (what Cognito sends as `SRP_B`/`SALT` and what
/// the JS client sends as `SRP_A`); may have odd length. Zero is `"0"`.
pub fn plain_hex(value: &BigUint) -> String {
    value.to_str_radix(16)
}

/// Parses a hex integer leniently in the ways Cognito's peers need (odd length, leading zeros,
/// either case) and strictly otherwise: `None` for an empty string, a sign, whitespace,
/// underscores or any other non-hex character.
pub fn parse_hex(text: &str) -> Option<BigUint> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    BigUint::parse_bytes(text.as_bytes(), 16)
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing into a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// HMAC-SHA256 of the concatenation of `parts` under `key`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return [0; 32];
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&sha256(parts))
}

/// `g^a mod N`: the client's public value A for a private `a`.
pub fn client_a(a: &BigUint) -> BigUint {
    g().modpow(a, n())
}

/// `u = H(bytes(A) ‖ bytes(B))` as an integer.
pub fn compute_u(a_pub: &BigUint, b_pub: &BigUint) -> BigUint {
    hash_to_int(&[&to_java_bytes(a_pub), &to_java_bytes(b_pub)])
}

/// `x = H(bytes(salt) ‖ H(pool_or_group ‖ user_id ‖ ":" ‖ password))` as an integer.
///
/// `pool_or_group` is the pool name (the pool id after `_`) for user SRP and the DeviceGroupKey for
/// device SRP; `user_id` is USER_ID_FOR_SRP, respectively the DeviceKey.
pub fn compute_x(salt: &BigUint, pool_or_group: &str, user_id: &str, password: &str) -> BigUint {
    let inner = sha256(&[
        pool_or_group.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    hash_to_int(&[&to_java_bytes(salt), &inner])
}

/// The verifier `v = g^x mod N` for a password (see [`compute_x`] for the arguments).
pub fn verifier(salt: &BigUint, pool_or_group: &str, user_id: &str, password: &str) -> BigUint {
    g().modpow(&compute_x(salt, pool_or_group, user_id, password), n())
}

/// The server's public value `B = (k·v + g^b) mod N`.
pub fn server_b(verifier: &BigUint, b: &BigUint) -> BigUint {
    (k() * verifier + g().modpow(b, n())) % n()
}

/// The server's premaster secret `S = (A·v^u)^b mod N`.
pub fn server_s(a_pub: &BigUint, verifier: &BigUint, u: &BigUint, b: &BigUint) -> BigUint {
    let base = (a_pub * verifier.modpow(u, n())) % n();
    base.modpow(b, n())
}

/// The client's premaster secret `S = (B − k·g^x)^(a + u·x) mod N`, reduced into `[0, N)`.
pub fn client_s(a: &BigUint, b_pub: &BigUint, x: &BigUint, u: &BigUint) -> BigUint {
    let modulus = n();
    let kgx = (k() * g().modpow(x, modulus)) % modulus;
    let base = ((b_pub % modulus) + modulus - kgx) % modulus;
    base.modpow(&(a + u * x), modulus)
}

/// Cognito's one-block HKDF: `PRK = HMAC(bytes(u), bytes(S))`,
/// key = `HMAC(PRK, "Caldera Derived Key" ‖ 0x01)[..16]`.
pub fn hkdf_key(u: &BigUint, s: &BigUint) -> [u8; 16] {
    let prk = hmac_sha256(&to_java_bytes(u), &[&to_java_bytes(s)]);
    let okm = hmac_sha256(&prk, &[HKDF_INFO, &[1]]);
    let mut key = [0u8; 16];
    key.copy_from_slice(okm.get(..16).unwrap_or(&[0; 16]));
    key
}

/// `PASSWORD_CLAIM_SIGNATURE` = `Base64(HMAC(key, pool_or_group ‖ user_id ‖ secret_block ‖ timestamp))`,
/// where `secret_block` is the base64-decoded `SECRET_BLOCK`.
pub fn signature(
    key: &[u8],
    pool_or_group: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    Base64::encode_string(&hmac_sha256(
        key,
        &[
            pool_or_group.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    ))
}

/// The session key a server holding `verifier` and its private `b` shares with a client that sent
/// `a_pub` and received `b_pub` = [`server_b`]`(verifier, b)`: [`hkdf_key`] of `u` and [`server_s`].
/// Feed it to [`signature`] and compare with [`signatures_match`].
pub fn server_key(verifier: &BigUint, b: &BigUint, a_pub: &BigUint, b_pub: &BigUint) -> [u8; 16] {
    let u = compute_u(a_pub, b_pub);
    hkdf_key(&u, &server_s(a_pub, verifier, &u, b))
}

/// Constant-time equality of two base64 strings (the lengths are treated as public).
pub fn signatures_match(expected: &str, provided: &str) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == provided.len() && bool::from(expected.as_bytes().ct_eq(provided.as_bytes()))
}

/// Whether `value` is unusable as a public SRP value (`value ≡ 0 mod N`).
pub fn is_zero_mod_n(value: &BigUint) -> bool {
    (value % n()).is_zero()
}
