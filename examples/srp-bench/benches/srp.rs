//! SRP benchmarks: the constant-time core against a plain num-bigint baseline and against
//! OpenSSL's constant-time modular exponentiation, on the same inputs in the same run.
//!
//! Groups (see DESIGN.md §8):
//! * `compute_A`: `A = g^a mod N` with a 1024-bit `a`.
//! * `answer_password_verifier`: everything after `PASSWORD_VERIFIER` arrives (parse B and the
//!   salt, u, x, g^x, S, HKDF, signature over the decoded secret block).
//! * `full_client_srp`: the whole client computation as the JS client does it: A from the 128
//!   secret bytes, then the answer above (A, u, x, g^x, S, HKDF, signature).
//! * `full_sign_in`: A, `InitiateAuth`, the `PASSWORD_VERIFIER` reply, and the answer, through
//!   `SignIn::srp` (the core only).
//!
//! Implementations: `constant_time` (cognito-core's public API), `num_bigint` (variable-time
//! `BigUint::modpow`) and `openssl_ct` (OpenSSL `BIGNUM`s; the secret exponents `a`, `x` and
//! `a + u·x` carry `BN_FLG_CONSTTIME`, so `BN_mod_exp` takes `BN_mod_exp_mont_consttime`). The two
//! baselines are written here, independently of the core, hash with the same sha2/hmac crates as the
//! core, and are checked once at startup against the core and the captured vector (`pub-01-basic`),
//! outside every timed loop.
//!
//! Instruction counting: with `SRP_BENCH_ONCE=<op>:<n>` the binary skips criterion and runs `op`
//! (see [`OPS`]) `n` times after the same setup, so that valgrind counts of `n = 1` minus `n = 0`
//! give the cost of one operation (`scripts/bench.sh`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use core::hint::black_box;
use core::time::Duration;

use base64ct::{Base64, Encoding};
use cognito_core::auth::{ClientConfig, SignIn, Step};
use cognito_core::srp::{
    SHORT_EPHEMERAL_SECRET_LEN, ServerChallenge, SrpEphemeral, SrpIdentity, password_claim,
};
use cognito_core::time::{SrpTimestamp, UnixTime};
use cognito_core::wire::HttpResponse;
use criterion::{Criterion, SamplingMode};
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const CASE_ID: &str = "pub-01-basic";

/// The inputs of one vector case, plus what the num-bigint baseline needs.
struct Fixture {
    pool_id: String,
    client_id: String,
    username: String,
    pool_name: String,
    user_id: String,
    password: String,
    a_bytes: [u8; 128],
    srp_b_hex: String,
    salt_hex: String,
    secret_block_b64: String,
    now: UnixTime,
    signature_b64: String,
    wire_initiate_auth: String,
    wire_answer: String,
    /// The `PASSWORD_VERIFIER` reply body the server sent (rebuilt from the case).
    challenge_body: Vec<u8>,
    baseline: Baseline,
    openssl: OpensslGroup,
    /// A and `a` as the OpenSSL implementation holds them (computed and checked at load time).
    openssl_ephemeral: OpensslEphemeral,
}

/// Group constants for the baseline, as plain big integers.
struct Baseline {
    n: BigUint,
    g: BigUint,
    k: BigUint,
    a: BigUint,
    /// `bytes(A)`, precomputed like the core's `SrpEphemeral` holds A.
    a_pub_bytes: Vec<u8>,
}

fn load_fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/srp-public.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let case = doc["srp_cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == CASE_ID)
        .unwrap_or_else(|| panic!("case {CASE_ID} not in {path}"));
    let s = |key: &str| -> String {
        case[key]
            .as_str()
            .unwrap_or_else(|| panic!("{CASE_ID}.{key} is not a string"))
            .to_owned()
    };

    // a is 128 bytes; the hex may have dropped leading zeros.
    let a_hex = s("small_a_hex");
    let a_raw = hex_decode(&format!(
        "{}{a_hex}",
        if a_hex.len() % 2 == 1 { "0" } else { "" }
    ));
    assert!(a_raw.len() <= 128, "small_a_hex longer than 128 bytes");
    let mut a_bytes = [0u8; 128];
    a_bytes[128 - a_raw.len()..].copy_from_slice(&a_raw);

    let n =
        BigUint::parse_bytes(doc["constants"]["N_hex"].as_str().unwrap().as_bytes(), 16).unwrap();
    let g = BigUint::from(doc["constants"]["g"].as_u64().unwrap());
    let k = BigUint::from_bytes_be(&Sha256::digest(
        [java_bytes(&n), java_bytes(&g)].concat().as_slice(),
    ));
    let k_expected = BigUint::parse_bytes(
        doc["constants"]["k_padhex"].as_str().unwrap().as_bytes(),
        16,
    )
    .unwrap();
    assert_eq!(k, k_expected, "baseline k differs from the vector's k");
    let a = BigUint::from_bytes_be(&a_bytes);
    let a_pub = g.modpow(&a, &n);
    let a_pub_expected = BigUint::parse_bytes(s("large_a_hex").as_bytes(), 16).unwrap();
    assert_eq!(
        a_pub, a_pub_expected,
        "baseline A differs from the vector's A"
    );

    let openssl = OpensslGroup::new(&n, &g, &k);
    let openssl_ephemeral = openssl.ephemeral(&a_bytes);
    assert_eq!(
        BigUint::from_bytes_be(&openssl_ephemeral.a_pub_bytes),
        a_pub_expected,
        "OpenSSL A differs from the vector's A"
    );

    let user_id = s("user_id_for_srp");
    let challenge_body = serde_json::json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": s("salt_hex"),
            "SECRET_BLOCK": s("secret_block_b64"),
            "SRP_B": s("srp_b_hex"),
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        }
    })
    .to_string()
    .into_bytes();

    Fixture {
        pool_id: s("pool_id"),
        client_id: s("client_id"),
        username: s("username"),
        pool_name: s("pool_name"),
        user_id,
        password: s("password"),
        a_bytes,
        srp_b_hex: s("srp_b_hex"),
        salt_hex: s("salt_hex"),
        secret_block_b64: s("secret_block_b64"),
        now: UnixTime::from_millis(case["now_epoch_ms"].as_u64().unwrap()),
        signature_b64: s("signature_b64"),
        wire_initiate_auth: case["wire"]["initiate_auth"].as_str().unwrap().to_owned(),
        wire_answer: case["wire"]["respond_to_auth_challenge"]
            .as_str()
            .unwrap()
            .to_owned(),
        challenge_body,
        baseline: Baseline {
            a_pub_bytes: java_bytes(&a_pub),
            n,
            g,
            k,
            a,
        },
        openssl,
        openssl_ephemeral,
    }
}

impl Fixture {
    fn identity(&self) -> SrpIdentity<'_> {
        SrpIdentity {
            realm: &self.pool_name,
            user_id: &self.user_id,
            password: &self.password,
        }
    }

    fn challenge(&self) -> ServerChallenge<'_> {
        ServerChallenge {
            srp_b_hex: &self.srp_b_hex,
            salt_hex: &self.salt_hex,
            secret_block_b64: &self.secret_block_b64,
        }
    }

    fn ephemeral(&self) -> SrpEphemeral {
        SrpEphemeral::from_secret_bytes(&self.a_bytes).unwrap()
    }

    /// The core's answer to `PASSWORD_VERIFIER` (parsing included).
    fn claim_ct(&self, ephemeral: &SrpEphemeral) -> String {
        password_claim(ephemeral, &self.identity(), &self.challenge(), self.now)
            .unwrap()
            .signature()
            .to_owned()
    }

    /// The core's full client SRP: A from the 128 secret bytes, then the answer.
    fn full_ct(&self) -> String {
        let ephemeral = SrpEphemeral::from_secret_bytes(&self.a_bytes).unwrap();
        self.claim_ct(&ephemeral)
    }

    /// The full client SRP with the opt-in 512-bit `a` (the low half of the fixture's `a`).
    fn full_ct_b512(&self) -> String {
        let short: &[u8; SHORT_EPHEMERAL_SECRET_LEN] = self.a_bytes
            [self.a_bytes.len() - SHORT_EPHEMERAL_SECRET_LEN..]
            .try_into()
            .unwrap();
        let ephemeral = SrpEphemeral::from_short_secret_bytes(short).unwrap();
        self.claim_ct(&ephemeral)
    }

    /// A whole sign-in through `SignIn::srp`, A included; returns the length of the answer body.
    fn sign_in(&self, config: &ClientConfig, buf: &mut [u8]) -> usize {
        let ephemeral = self.ephemeral();
        let mut flow: SignIn =
            SignIn::srp(config, &self.username, &self.password, ephemeral).unwrap();
        let initiate_len = flow.write_request(buf).unwrap().body.len();
        black_box(initiate_len);
        let reply = HttpResponse::new(200, &self.challenge_body);
        match flow.handle_response(&reply, self.now).unwrap() {
            Step::SendRequest => {}
            other => panic!("expected SendRequest, got {other:?}"),
        }
        flow.write_request(buf).unwrap().body.len()
    }
}

impl Baseline {
    /// `A = g^a mod N` with num-bigint's (variable-time) `modpow`.
    fn compute_a(&self) -> BigUint {
        self.g.modpow(&self.a, &self.n)
    }

    /// The same computation as `password_claim`, with num-bigint and no constant-time care.
    fn claim(&self, f: &Fixture) -> String {
        self.claim_with(f, &self.a, &self.a_pub_bytes)
    }

    /// The full client SRP: A from the 128 secret bytes, then the answer.
    fn full(&self, f: &Fixture) -> String {
        let a = BigUint::from_bytes_be(&f.a_bytes);
        let a_pub = self.g.modpow(&a, &self.n);
        self.claim_with(f, &a, &java_bytes(&a_pub))
    }

    fn claim_with(&self, f: &Fixture, a: &BigUint, a_pub_bytes: &[u8]) -> String {
        let b = BigUint::parse_bytes(f.srp_b_hex.as_bytes(), 16).unwrap();
        let salt = BigUint::parse_bytes(f.salt_hex.as_bytes(), 16).unwrap();
        let secret_block = Base64::decode_vec(&f.secret_block_b64).unwrap();
        let b_reduced = &b % &self.n;
        assert!(!b_reduced.is_zero(), "B mod N = 0");

        let u = BigUint::from_bytes_be(&Sha256::digest(
            [a_pub_bytes, java_bytes(&b).as_slice()].concat(),
        ));
        assert!(!u.is_zero(), "u = 0");
        let inner = Sha256::new()
            .chain_update(f.pool_name.as_bytes())
            .chain_update(f.user_id.as_bytes())
            .chain_update(b":")
            .chain_update(f.password.as_bytes())
            .finalize();
        let x = BigUint::from_bytes_be(
            &Sha256::new()
                .chain_update(java_bytes(&salt))
                .chain_update(inner)
                .finalize(),
        );

        let k_g_x = (&self.k * self.g.modpow(&x, &self.n)) % &self.n;
        let base = (&b_reduced + &self.n - k_g_x) % &self.n;
        let exponent = a + &u * &x;
        let s = base.modpow(&exponent, &self.n);

        signature(f, &java_bytes(&u), &java_bytes(&s), &secret_block)
    }
}

/// The group constants as OpenSSL `BIGNUM`s.
struct OpensslGroup {
    n: BigNum,
    g: BigNum,
    k: BigNum,
}

/// The client's ephemeral pair as the OpenSSL implementation holds it.
struct OpensslEphemeral {
    /// The secret `a`, flagged constant-time.
    a: BigNum,
    /// `bytes(A)`.
    a_pub_bytes: Vec<u8>,
}

impl OpensslGroup {
    fn new(n: &BigUint, g: &BigUint, k: &BigUint) -> Self {
        let from = |v: &BigUint| BigNum::from_slice(&v.to_bytes_be()).unwrap();
        Self {
            n: from(n),
            g: from(g),
            k: from(k),
        }
    }

    /// `A = g^a mod N` from the 128 secret bytes, `a` flagged constant-time so that `BN_mod_exp`
    /// takes `BN_mod_exp_mont_consttime` (the Montgomery context is built per call: the crate
    /// exposes no `BN_MONT_CTX` for `mod_exp`).
    fn ephemeral(&self, a_bytes: &[u8; 128]) -> OpensslEphemeral {
        let mut ctx = BigNumContext::new().unwrap();
        let mut a = BigNum::from_slice(a_bytes).unwrap();
        a.set_const_time();
        let mut a_pub = BigNum::new().unwrap();
        a_pub.mod_exp(&self.g, &a, &self.n, &mut ctx).unwrap();
        assert!(a_pub.num_bits() != 0, "A = 0");
        OpensslEphemeral {
            a,
            a_pub_bytes: java_bytes_bn(&a_pub),
        }
    }

    /// The same computation as `password_claim` with OpenSSL `BIGNUM`s; every exponentiation with
    /// a secret exponent (`g^x`, `S`) is constant-time in OpenSSL's sense.
    fn claim(&self, e: &OpensslEphemeral, f: &Fixture) -> String {
        let mut ctx = BigNumContext::new().unwrap();
        let b = BigNum::from_hex_str(&f.srp_b_hex).unwrap();
        let salt = BigNum::from_hex_str(&f.salt_hex).unwrap();
        assert!(
            !b.is_negative() && !salt.is_negative(),
            "negative B or salt"
        );
        let secret_block = Base64::decode_vec(&f.secret_block_b64).unwrap();
        let mut b_reduced = BigNum::new().unwrap();
        b_reduced.nnmod(&b, &self.n, &mut ctx).unwrap();
        assert!(b_reduced.num_bits() != 0, "B mod N = 0");

        let u_hash = Sha256::new()
            .chain_update(&e.a_pub_bytes)
            .chain_update(java_bytes_bn(&b))
            .finalize();
        let u = BigNum::from_slice(&u_hash).unwrap();
        assert!(u.num_bits() != 0, "u = 0");
        let inner = Sha256::new()
            .chain_update(f.pool_name.as_bytes())
            .chain_update(f.user_id.as_bytes())
            .chain_update(b":")
            .chain_update(f.password.as_bytes())
            .finalize();
        let x_hash = Sha256::new()
            .chain_update(java_bytes_bn(&salt))
            .chain_update(inner)
            .finalize();
        let mut x = BigNum::from_slice(&x_hash).unwrap();
        x.set_const_time();

        let mut g_x = BigNum::new().unwrap();
        g_x.mod_exp(&self.g, &x, &self.n, &mut ctx).unwrap();
        let mut k_g_x = BigNum::new().unwrap();
        k_g_x.mod_mul(&self.k, &g_x, &self.n, &mut ctx).unwrap();
        let mut base = BigNum::new().unwrap();
        base.mod_sub(&b_reduced, &k_g_x, &self.n, &mut ctx).unwrap();
        let mut u_x = BigNum::new().unwrap();
        u_x.checked_mul(&u, &x, &mut ctx).unwrap();
        let mut exponent = BigNum::new().unwrap();
        exponent.checked_add(&e.a, &u_x).unwrap();
        exponent.set_const_time();
        let mut s = BigNum::new().unwrap();
        s.mod_exp(&base, &exponent, &self.n, &mut ctx).unwrap();

        signature(f, &java_bytes_bn(&u), &java_bytes_bn(&s), &secret_block)
    }

    /// The full client SRP: A from the 128 secret bytes, then the answer.
    fn full(&self, f: &Fixture) -> String {
        let e = self.ephemeral(&f.a_bytes);
        self.claim(&e, f)
    }
}

/// HKDF and the `PASSWORD_CLAIM_SIGNATURE` from `bytes(u)` and `bytes(S)`.
fn signature(f: &Fixture, u_bytes: &[u8], s_bytes: &[u8], secret_block: &[u8]) -> String {
    let mut extract = HmacSha256::new_from_slice(u_bytes).unwrap();
    extract.update(s_bytes);
    let prk = extract.finalize().into_bytes();
    let mut expand = HmacSha256::new_from_slice(&prk).unwrap();
    expand.update(b"Caldera Derived Key");
    expand.update(&[1]);
    let okm = expand.finalize().into_bytes();

    let timestamp = SrpTimestamp::new(f.now);
    let mut mac = HmacSha256::new_from_slice(&okm[..16]).unwrap();
    mac.update(f.pool_name.as_bytes());
    mac.update(f.user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_str().as_bytes());
    Base64::encode_string(&mac.finalize().into_bytes())
}

/// Java `BigInteger.toByteArray()` of an OpenSSL n ≥ 0.
fn java_bytes_bn(n: &BigNumRef) -> Vec<u8> {
    let be = n.to_vec(); // empty for zero
    match be.first() {
        None => vec![0],
        Some(&top) if top & 0x80 != 0 => [&[0u8][..], &be].concat(),
        Some(_) => be,
    }
}

/// Java `BigInteger.toByteArray()` of n ≥ 0.
fn java_bytes(n: &BigUint) -> Vec<u8> {
    let be = n.to_bytes_be(); // [0] for zero
    if be[0] & 0x80 != 0 {
        [&[0u8][..], &be].concat()
    } else {
        be
    }
}

fn hex_decode(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Checks, outside any timed loop, that both implementations compute what the vector says.
fn check_fixture(f: &Fixture, config: &ClientConfig) {
    let ephemeral = f.ephemeral();
    let checks = [
        ("core", f.claim_ct(&ephemeral)),
        ("core, full client SRP", f.full_ct()),
        ("num-bigint", f.baseline.claim(f)),
        ("num-bigint, full client SRP", f.baseline.full(f)),
        ("OpenSSL", f.openssl.claim(&f.openssl_ephemeral, f)),
        ("OpenSSL, full client SRP", f.openssl.full(f)),
    ];
    for (what, signature) in checks {
        assert_eq!(
            signature, f.signature_b64,
            "{what} signature differs from the vector"
        );
    }
    assert!(
        f.openssl_ephemeral.a.is_const_time(),
        "OpenSSL's a is not flagged constant-time"
    );
    assert_eq!(
        f.openssl_ephemeral.a_pub_bytes, f.baseline.a_pub_bytes,
        "OpenSSL A differs from the baseline's"
    );
    assert_eq!(
        f.baseline.compute_a(),
        BigUint::from_bytes_be(&f.baseline.a_pub_bytes)
    );
    assert_eq!(
        ephemeral.public_bytes().as_slice(),
        f.baseline.a_pub_bytes.as_slice(),
        "core A differs from the baseline's"
    );

    // The sign-in flow writes exactly the bodies the reference client sent.
    let mut buf = vec![0u8; 8192];
    let mut flow: SignIn = SignIn::srp(config, &f.username, &f.password, f.ephemeral()).unwrap();
    let initiate = flow.write_request(&mut buf).unwrap();
    assert_eq!(
        normalized_json(initiate.body),
        normalized_json(f.wire_initiate_auth.as_bytes()),
        "InitiateAuth body differs from the vector's wire"
    );
    let reply = HttpResponse::new(200, &f.challenge_body);
    assert!(matches!(
        flow.handle_response(&reply, f.now).unwrap(),
        Step::SendRequest
    ));
    let answer = flow.write_request(&mut buf).unwrap();
    assert_eq!(
        normalized_json(answer.body),
        normalized_json(f.wire_answer.as_bytes()),
        "RespondToAuthChallenge body differs from the vector's wire"
    );
}

/// A request body as a JSON value, with an empty `ClientMetadata` dropped (the JS client sends
/// `"ClientMetadata":{}`, the core omits it; Cognito treats both alike).
fn normalized_json(body: &[u8]) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_slice(body).unwrap();
    let object = value.as_object_mut().unwrap();
    if object
        .get("ClientMetadata")
        .and_then(serde_json::Value::as_object)
        .is_some_and(serde_json::Map::is_empty)
    {
        object.remove("ClientMetadata");
    }
    value
}

fn print_sizes() {
    eprintln!(
        "size_of::<SignIn>() = {} bytes, size_of::<SrpEphemeral>() = {} bytes",
        size_of::<SignIn>(),
        size_of::<SrpEphemeral>()
    );
}

fn benches(c: &mut Criterion, f: &Fixture, config: &ClientConfig) {
    // Sample counts and times are Criterion's defaults set in `main` (command-line flags such as
    // `--measurement-time` override them); every iteration takes milliseconds, so flat sampling.
    let mut group = c.benchmark_group("compute_A");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("constant_time", |b| {
        b.iter(|| SrpEphemeral::from_secret_bytes(black_box(&f.a_bytes)).unwrap());
    });
    group.bench_function("num_bigint", |b| {
        b.iter(|| black_box(&f.baseline).compute_a());
    });
    group.bench_function("openssl_ct", |b| {
        b.iter(|| f.openssl.ephemeral(black_box(&f.a_bytes)));
    });
    group.finish();

    let ephemeral = f.ephemeral();
    let mut group = c.benchmark_group("answer_password_verifier");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("constant_time", |b| {
        b.iter(|| {
            password_claim(
                black_box(&ephemeral),
                black_box(&f.identity()),
                black_box(&f.challenge()),
                f.now,
            )
            .unwrap()
        });
    });
    group.bench_function("num_bigint", |b| {
        b.iter(|| black_box(&f.baseline).claim(black_box(f)));
    });
    group.bench_function("openssl_ct", |b| {
        b.iter(|| black_box(&f.openssl).claim(black_box(&f.openssl_ephemeral), black_box(f)));
    });
    group.finish();

    let mut group = c.benchmark_group("full_client_srp");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("constant_time", |b| {
        b.iter(|| black_box(f).full_ct());
    });
    group.bench_function("num_bigint", |b| {
        b.iter(|| black_box(&f.baseline).full(black_box(f)));
    });
    group.bench_function("openssl_ct", |b| {
        b.iter(|| black_box(&f.openssl).full(black_box(f)));
    });
    group.finish();

    let mut group = c.benchmark_group("full_client_srp_b512");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("constant_time", |b| {
        b.iter(|| black_box(f).full_ct_b512());
    });
    group.finish();

    let mut group = c.benchmark_group("full_sign_in");
    group.sampling_mode(SamplingMode::Flat);
    let mut buf = vec![0u8; 8192];
    group.bench_function("constant_time", |b| {
        b.iter(|| f.sign_in(black_box(config), &mut buf));
    });
    group.finish();
}

/// The operations `SRP_BENCH_ONCE` knows: `<group>_<implementation>`.
const OPS: &[&str] = &[
    "a_ct",
    "a_num",
    "a_ossl",
    "claim_ct",
    "claim_num",
    "claim_ossl",
    "srp_ct",
    "srp_num",
    "srp_ossl",
    "srp_ct_b512",
    "sign_in",
];

/// `SRP_BENCH_ONCE=<op>:<n>`: run `op` `n` times and exit (for instruction counts).
fn run_once(spec: &str, f: &Fixture, config: &ClientConfig) {
    let (op, n) = spec.split_once(':').unwrap_or((spec, "1"));
    let n: u32 = n.parse().expect("SRP_BENCH_ONCE=<op>:<count>");
    assert!(OPS.contains(&op), "unknown op {op}: one of {OPS:?}");
    // The same setup for every op and count, so that counts can be subtracted (the fixture already
    // ran each implementation's A once, which also initialises OpenSSL).
    let ephemeral = f.ephemeral();
    let mut buf = vec![0u8; 8192];
    for _ in 0..n {
        match op {
            "a_ct" => {
                black_box(SrpEphemeral::from_secret_bytes(black_box(&f.a_bytes)).unwrap());
            }
            "a_num" => {
                black_box(black_box(&f.baseline).compute_a());
            }
            "a_ossl" => {
                black_box(f.openssl.ephemeral(black_box(&f.a_bytes)));
            }
            "claim_ct" => {
                black_box(
                    password_claim(&ephemeral, &f.identity(), &f.challenge(), f.now).unwrap(),
                );
            }
            "claim_num" => {
                black_box(f.baseline.claim(f));
            }
            "claim_ossl" => {
                black_box(f.openssl.claim(&f.openssl_ephemeral, f));
            }
            "srp_ct" => {
                black_box(black_box(f).full_ct());
            }
            "srp_num" => {
                black_box(f.baseline.full(black_box(f)));
            }
            "srp_ossl" => {
                black_box(f.openssl.full(black_box(f)));
            }
            "srp_ct_b512" => {
                black_box(black_box(f).full_ct_b512());
            }
            "sign_in" => {
                black_box(f.sign_in(config, &mut buf));
            }
            other => unreachable!("{other} is in OPS but not handled"),
        }
    }
}

fn main() {
    let f = load_fixture();
    let config = ClientConfig::new(&f.pool_id, &f.client_id).unwrap();
    if let Ok(spec) = std::env::var("SRP_BENCH_ONCE") {
        run_once(&spec, &f, &config);
        return;
    }
    print_sizes();
    check_fixture(&f, &config);
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6))
        .configure_from_args();
    benches(&mut c, &f, &config);
    c.final_summary();
}
