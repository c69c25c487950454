//! `srp::password_claim` (hex, base64 and all SRP arithmetic) against a num-bigint reference.
//!
//! Input: 8 bytes of unix seconds (big-endian), then `SALT`, `SRP_B`, `SECRET_BLOCK`, realm,
//! user id and password separated by `0x00` (each read as lossy UTF-8; missing parts are empty).
//! Properties: nothing panics; the core accepts exactly what the reference accepts (hex of either
//! case, any length up to 3136 bits, no sign, no `_`; standard padded base64, see
//! `decode_base64`; B mod N ≠ 0; u ≠ 0),
//! and then both compute the same `PASSWORD_CLAIM_SIGNATURE`. Also `JavaBytes::from_be_bytes` and
//! `HexDigits` on the raw input against num-bigint.
//!
//! The ephemeral is computed once (`password_claim` borrows it). A run that passes parsing costs
//! ~11 ms in the core plus ~13 ms in the reference.

use std::borrow::Cow;
use std::sync::OnceLock;

use base64ct::{Base64, Encoding};
use cognito_core::ProtocolError;
use cognito_core::srp::{
    HexDigits, JAVA_BYTES_CAPACITY, JavaBytes, ServerChallenge, SrpEphemeral, SrpIdentity,
    password_claim,
};
use cognito_core::time::{SrpTimestamp, UnixTime};
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// Widest server integer the core reads (`U3072` plus one 64-bit limb).
const MAX_SERVER_INT_BITS: u64 = 3072 + 64;

struct Fixed {
    ephemeral: SrpEphemeral,
    a: BigUint,
    a_pub_bytes: Vec<u8>,
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/vectors/srp-public.json")).unwrap();
        let a_hex = doc["srp_cases"][0]["small_a_hex"].as_str().unwrap();
        let a = BigUint::parse_bytes(a_hex.as_bytes(), 16).unwrap();
        let mut a_bytes = [0u8; 128];
        let be = a.to_bytes_be();
        a_bytes[128 - be.len()..].copy_from_slice(&be);
        let n_hex = doc["constants"]["N_hex"].as_str().unwrap();
        let n = BigUint::parse_bytes(n_hex.as_bytes(), 16).unwrap();
        let g = BigUint::from(2u32);
        let k = BigUint::from_bytes_be(&Sha256::digest([java_bytes(&n), java_bytes(&g)].concat()));
        let ephemeral = SrpEphemeral::from_secret_bytes(&a_bytes).unwrap();
        let a_pub_bytes = java_bytes(&g.modpow(&a, &n));
        assert_eq!(ephemeral.public_bytes().as_slice(), a_pub_bytes.as_slice());
        Fixed {
            ephemeral,
            a,
            a_pub_bytes,
            n,
            g,
            k,
        }
    })
}

/// The harness.
pub fn srp_claim(data: &[u8]) {
    check_encodings(data);

    let Some((secs, rest)) = data.split_first_chunk::<8>() else {
        return;
    };
    let now = UnixTime::from_secs(u64::from_be_bytes(*secs));
    let mut parts = rest.split(|&b| b == 0).map(String::from_utf8_lossy);
    let mut next = || parts.next().unwrap_or(Cow::Borrowed(""));
    let (salt_hex, srp_b_hex, secret_block_b64) = (next(), next(), next());
    let (realm, user_id, password) = (next(), next(), next());

    let identity = SrpIdentity {
        realm: &realm,
        user_id: &user_id,
        password: &password,
    };
    let challenge = ServerChallenge {
        srp_b_hex: &srp_b_hex,
        salt_hex: &salt_hex,
        secret_block_b64: &secret_block_b64,
    };

    // Cheap checks first, so that rejected inputs cost no modular exponentiation.
    let salt = parse_hex(&salt_hex);
    let b = parse_hex(&srp_b_hex);
    let block = decode_base64(&secret_block_b64);
    let f = fixed();
    let ours = password_claim(&f.ephemeral, &identity, &challenge, now);
    let (Some(salt), Some(b), Some(block)) = (salt, b, block) else {
        assert!(
            ours.is_err(),
            "core accepted SALT={salt_hex:?} SRP_B={srp_b_hex:?} SECRET_BLOCK={secret_block_b64:?}"
        );
        return;
    };
    match (ours, reference_claim(f, &identity, &salt, &b, &block, now)) {
        (Ok(claim), Ok(signature)) => {
            assert_eq!(claim.signature(), signature, "signatures differ");
            assert_eq!(claim.timestamp(), SrpTimestamp::new(now).as_str());
        }
        (Err(ours), Err(theirs)) => assert_eq!(ours, theirs),
        (ours, theirs) => panic!("core {ours:?}, reference {theirs:?}"),
    }
}

/// The reference: the same computation with num-bigint and no constant-time care.
fn reference_claim(
    f: &Fixed,
    identity: &SrpIdentity<'_>,
    salt: &BigUint,
    b: &BigUint,
    block: &[u8],
    now: UnixTime,
) -> Result<String, ProtocolError> {
    let b_reduced = b % &f.n;
    if b_reduced == BigUint::ZERO {
        return Err(ProtocolError::UnsafeSrpValue("SRP_B"));
    }
    let u = BigUint::from_bytes_be(&Sha256::digest(
        [f.a_pub_bytes.as_slice(), &java_bytes(b)].concat(),
    ));
    if u == BigUint::ZERO {
        return Err(ProtocolError::UnsafeSrpValue("u"));
    }
    let inner = Sha256::new()
        .chain_update(identity.realm.as_bytes())
        .chain_update(identity.user_id.as_bytes())
        .chain_update(b":")
        .chain_update(identity.password.as_bytes())
        .finalize();
    let x = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(java_bytes(salt))
            .chain_update(inner)
            .finalize(),
    );
    let k_g_x = (&f.k * f.g.modpow(&x, &f.n)) % &f.n;
    let base = (&b_reduced + &f.n - k_g_x) % &f.n;
    let s = base.modpow(&(&f.a + &u * &x), &f.n);

    let mut extract = Hmac::<Sha256>::new_from_slice(&java_bytes(&u)).unwrap();
    extract.update(&java_bytes(&s));
    let prk = extract.finalize().into_bytes();
    let mut expand = Hmac::<Sha256>::new_from_slice(&prk).unwrap();
    expand.update(b"Caldera Derived Key\x01");
    let okm = expand.finalize().into_bytes();
    let mut mac = Hmac::<Sha256>::new_from_slice(&okm[..16]).unwrap();
    mac.update(identity.realm.as_bytes());
    mac.update(identity.user_id.as_bytes());
    mac.update(block);
    mac.update(SrpTimestamp::new(now).as_str().as_bytes());
    Ok(Base64::encode_string(&mac.finalize().into_bytes()))
}

/// Hex as the core must read it: non-empty, hex digits only, at most 3136 significant bits.
fn parse_hex(hex: &str) -> Option<BigUint> {
    if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let n = BigUint::parse_bytes(hex.as_bytes(), 16)?;
    (n.bits() <= MAX_SERVER_INT_BITS).then_some(n)
}

/// Standard, padded, non-empty base64 (no line breaks or other characters).
fn decode_base64(b64: &str) -> Option<Vec<u8>> {
    if b64.is_empty() {
        return None;
    }
    Base64::decode_vec(b64).ok()
}

/// Java `BigInteger.toByteArray()` of n ≥ 0.
fn java_bytes(n: &BigUint) -> Vec<u8> {
    let be = n.to_bytes_be();
    if be[0] & 0x80 != 0 {
        [&[0u8][..], &be].concat()
    } else {
        be
    }
}

/// `JavaBytes::from_be_bytes`, `pad_hex` and `HexDigits` against num-bigint.
fn check_encodings(data: &[u8]) {
    let n = BigUint::from_bytes_be(data);
    let expected = java_bytes(&n);
    match JavaBytes::from_be_bytes(data) {
        Some(bytes) => {
            assert_eq!(bytes.as_slice(), expected.as_slice());
            assert_eq!(bytes.pad_hex().to_string(), hex_of(&expected));
        }
        None => assert!(
            n.to_bytes_be().len() >= JAVA_BYTES_CAPACITY,
            "from_be_bytes refused {} significant bytes",
            n.to_bytes_be().len()
        ),
    }
    assert_eq!(HexDigits::new(data).to_string(), hex_of(data));
    assert_eq!(HexDigits::minimal(data).to_string(), n.to_str_radix(16));
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
