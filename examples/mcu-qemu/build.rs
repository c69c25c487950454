//! Build script: the linker's memory map, and the public reference vectors turned into constants.
//!
//! The vectors (`srp-public.json`: `MCU_VECTORS`, else `../shared/vectors/` beside the repository,
//! else the copy in `tests/vectors/`) become one byte blob (`vectors.bin`, all strings and decoded
//! numbers back to back) and a table of cases that point into it (`vectors.rs`), so that the
//! firmware carries them in flash and the blob's size is one symbol (`BLOB`) in the image.
//!
//! Every expected output comes from the vector file: `A` (`large_a_hex`), the signatures of the
//! `PASSWORD_VERIFIER` answers (`signature_b64`), the signature of the `DEVICE_PASSWORD_VERIFIER`
//! answer (`device.device_srp.signature_b64` of `pub-08-device`, which the reference client computed
//! and a verifying server accepted), and the `ConfirmDevice` verifiers. Nothing is computed on the
//! host; a vector without its expected value stops the build rather than being skipped.

// A build script that cannot do its work must stop the build, saying why.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use serde_json::Value;

/// Appends strings and bytes to the blob and writes `Span`s that point into it.
struct Blob {
    bytes: Vec<u8>,
}

impl Blob {
    fn push(&mut self, data: &[u8]) -> String {
        let offset = self.bytes.len();
        self.bytes.extend_from_slice(data);
        format!("Span({offset}, {})", data.len())
    }
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key].as_str().unwrap_or_else(|| {
        panic!(
            "vector {}: `{key}` is missing or not a string",
            case["id"].as_str().unwrap_or("?")
        )
    })
}

fn hex_decode(hex: &str) -> Vec<u8> {
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).expect("hex digits"))
        .collect()
}

/// Left-pads a big-endian number to `len` bytes.
fn fixed(hex: &str, len: usize) -> Vec<u8> {
    let raw = hex_decode(hex);
    let raw: Vec<u8> = raw.iter().copied().skip_while(|&b| b == 0).collect();
    assert!(raw.len() <= len, "{hex} does not fit {len} bytes");
    let mut out = vec![0; len - raw.len()];
    out.extend_from_slice(&raw);
    out
}

/// Java `BigInteger.toByteArray()` of a non-negative number given in hex.
fn java_bytes(hex: &str) -> Vec<u8> {
    let raw: Vec<u8> = hex_decode(hex)
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    match raw.first() {
        None => vec![0],
        Some(&b) if b & 0x80 != 0 => [&[0u8][..], &raw].concat(),
        Some(_) => raw,
    }
}

/// One SRP exchange: `A` from `a`, then the answer to the challenge.
fn claim_case(
    out: &mut String,
    blob: &mut Blob,
    id: &str,
    verifier: &str,
    identity: [&str; 3],
    case: &Value,
) {
    let [realm, user_id, password] = identity;
    let now_ms = case["now_epoch_ms"]
        .as_u64()
        .expect("now_epoch_ms is a number");
    writeln!(
        out,
        "    ClaimCase {{\n        id: {},\n        answers: {},\n        realm: {},\n        \
         user_id: {},\n        password: {},\n        small_a: {},\n        large_a: {},\n        \
         srp_b_hex: {},\n        salt_hex: {},\n        secret_block_b64: {},\n        \
         now_ms: {now_ms},\n        timestamp: {},\n        signature_b64: {},\n    }},",
        blob.push(id.as_bytes()),
        blob.push(verifier.as_bytes()),
        blob.push(realm.as_bytes()),
        blob.push(user_id.as_bytes()),
        blob.push(password.as_bytes()),
        blob.push(&fixed(text(case, "small_a_hex"), 128)),
        blob.push(&java_bytes(text(case, "large_a_hex"))),
        blob.push(text(case, "srp_b_hex").as_bytes()),
        blob.push(text(case, "salt_hex").as_bytes()),
        blob.push(text(case, "secret_block_b64").as_bytes()),
        blob.push(text(case, "timestamp").as_bytes()),
        blob.push(text(case, "signature_b64").as_bytes()),
    )
    .expect("write to a String");
}

/// One `ConfirmDevice` verifier from given random bytes.
fn verifier_case(out: &mut String, blob: &mut Blob, case: &Value) {
    writeln!(
        out,
        "    VerifierCase {{\n        id: {},\n        device_group_key: {},\n        \
         device_key: {},\n        password_random: {},\n        salt_random: {},\n        \
         device_password: {},\n        salt_b64: {},\n        password_verifier_b64: {},\n    }},",
        blob.push(text(case, "id").as_bytes()),
        blob.push(text(case, "device_group_key").as_bytes()),
        blob.push(text(case, "device_key").as_bytes()),
        blob.push(&fixed(text(case, "random_password_bytes_hex"), 40)),
        blob.push(&fixed(text(case, "salt_random_hex"), 16)),
        blob.push(text(case, "random_password").as_bytes()),
        blob.push(text(case, "salt_b64").as_bytes()),
        blob.push(text(case, "password_verifier_b64").as_bytes()),
    )
    .expect("write to a String");
}

fn vector_path(manifest: &Path) -> PathBuf {
    if let Some(path) = env::var_os("MCU_VECTORS") {
        return PathBuf::from(path);
    }
    let shared = manifest.join("../../../shared/vectors/srp-public.json");
    if shared.exists() {
        return shared;
    }
    manifest.join("../../tests/vectors/srp-public.json")
}

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));

    // The board by the target: thumbv8m.main runs on QEMU's AN505 (Cortex-M33), anything
    // else on the AN386 (Cortex-M4F). Its memory map goes where cortex-m-rt's link.x finds it
    // (as memory.x), and the cfg `board_an505` tells the firmware where RAM and the timer are.
    println!("cargo::rustc-check-cfg=cfg(board_an505)");
    let an505 = env::var("TARGET").is_ok_and(|t| t.starts_with("thumbv8m.main-"));
    let memory = if an505 {
        "memory-an505.x"
    } else {
        "memory-an386.x"
    };
    if an505 {
        println!("cargo::rustc-cfg=board_an505");
    }
    fs::copy(memory, out_dir.join("memory.x")).expect("the memory map is copied to OUT_DIR");
    println!("cargo:rustc-link-search={}", out_dir.display());
    println!("cargo:rerun-if-changed=memory-an386.x");
    println!("cargo:rerun-if-changed=memory-an505.x");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=MCU_VECTORS");

    let path = vector_path(&manifest);
    println!("cargo:rerun-if-changed={}", path.display());
    let json = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading the vectors {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&json).expect("the vector file is JSON");

    let mut blob = Blob { bytes: Vec::new() };
    let mut claims = String::new();
    let mut verifiers = String::new();
    let (mut n_claims, mut n_verifiers) = (0usize, 0usize);

    for case in doc["srp_cases"].as_array().expect("srp_cases[]") {
        let id = text(case, "id");
        let identity = [
            text(case, "pool_name"),
            text(case, "user_id_for_srp"),
            text(case, "password"),
        ];
        claim_case(
            &mut claims,
            &mut blob,
            id,
            "PASSWORD_VERIFIER",
            identity,
            case,
        );
        n_claims += 1;

        let Some(device) = case.get("device") else {
            continue;
        };
        let confirm = &device["confirm_device"];
        verifier_case(&mut verifiers, &mut blob, confirm);
        n_verifiers += 1;

        let second = &device["second_sign_in"];
        let identity = [
            text(second, "pool_name"),
            text(second, "user_id_for_srp"),
            text(second, "password"),
        ];
        claim_case(
            &mut claims,
            &mut blob,
            text(second, "id"),
            "PASSWORD_VERIFIER",
            identity,
            second,
        );
        n_claims += 1;

        // DEVICE_PASSWORD_VERIFIER: the identity is the device the first sign-in registered
        // (realm = device group key, user id = device key, password = device password).
        let device_srp = &device["device_srp"];
        let identity = [
            text(confirm, "device_group_key"),
            text(confirm, "device_key"),
            text(confirm, "random_password"),
        ];
        assert_eq!(
            [
                text(device_srp, "pool_name"),
                text(device_srp, "user_id_for_srp"),
                text(device_srp, "password")
            ],
            identity,
            "{id}: device_srp does not use the device that confirm_device registered"
        );
        claim_case(
            &mut claims,
            &mut blob,
            text(device_srp, "id"),
            "DEVICE_PASSWORD_VERIFIER",
            identity,
            device_srp,
        );
        n_claims += 1;
    }
    for case in doc["device_verifier_cases"]
        .as_array()
        .expect("device_verifier_cases[]")
    {
        verifier_case(&mut verifiers, &mut blob, case);
        n_verifiers += 1;
    }
    assert!(
        n_claims > 0 && n_verifiers > 0,
        "{}: no cases",
        path.display()
    );

    fs::write(out_dir.join("vectors.bin"), &blob.bytes).expect("vectors.bin is written");
    let code = format!(
        "// Generated by build.rs from {}.\n\n\
         /// All strings and numbers of the vectors, back to back.\n\
         pub(crate) static BLOB: [u8; {}] = *include_bytes!(concat!(env!(\"OUT_DIR\"), \"/vectors.bin\"));\n\n\
         /// `A` and the answer to the challenge, one per exchange.\n\
         pub(crate) static CLAIM_CASES: [ClaimCase; {n_claims}] = [\n{claims}];\n\n\
         /// `ConfirmDevice` verifiers from given random bytes.\n\
         pub(crate) static VERIFIER_CASES: [VerifierCase; {n_verifiers}] = [\n{verifiers}];\n",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
        blob.bytes.len(),
    );
    fs::write(out_dir.join("vectors.rs"), code).expect("vectors.rs is written");
}
