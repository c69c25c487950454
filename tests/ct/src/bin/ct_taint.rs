//! Secret tracking under valgrind memcheck (ctgrind-style): the bytes of the secret `a`, of the
//! password and of the device password's randomness are marked undefined before they reach the
//! library, so memcheck reports every conditional jump and every memory address that depends on
//! them. Public outputs (A, the claim, the verifier) are marked defined before they are compared.
//!
//! ```text
//! valgrind --error-exitcode=1 --track-origins=yes --suppressions=scripts/ct.supp \
//!     target/release/ct_taint [VECTOR_FILE]
//! ```
//! (`scripts/ct.sh` does this.) Without valgrind it only checks the outputs and exits 2.

#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

use std::process::ExitCode;

use cognito_core::srp::{
    DeviceVerifier, ServerChallenge, SrpEphemeral, SrpIdentity, hazmat, password_claim,
};
use cognito_core::time::UnixTime;
use cognito_ct::valgrind::{error_count, make_defined, make_undefined, running_on_valgrind};
use cognito_ct::{SrpCase, default_vector_path, load_vectors};

fn check(what: &str, got: &str, expected: Option<&str>) -> Result<(), String> {
    match expected {
        Some(e) if !e.eq_ignore_ascii_case(got) => Err(format!("{what}: got {got}, expected {e}")),
        _ => Ok(()),
    }
}

fn run_srp_case(case: &SrpCase) -> Result<(), String> {
    // Computing A: a is secret.
    let a = case.a;
    make_undefined(&a);
    eprintln!(
        "[ct_taint] {}: SrpEphemeral::from_secret_bytes (a secret)",
        case.id
    );
    let computed = SrpEphemeral::from_secret_bytes(&a).map_err(|e| e.to_string())?;
    // A is public: declassify a copy of bytes(A). The ephemeral that computed it holds a and A
    // alike tainted; the online step gets one holding a secret a and this public A.
    let public = computed.public_bytes();
    make_defined(&public);
    drop(computed);
    let a_hex = hex::encode(public.as_slice());
    check(
        "A",
        a_hex.trim_start_matches('0'),
        case.large_a_hex
            .as_deref()
            .map(|h| h.trim_start_matches('0')),
    )?;

    // The online step: a (inside the ephemeral) and the password are secret, A is not.
    let a = case.a;
    make_undefined(&a);
    let ephemeral =
        hazmat::ephemeral_with_public(&a, public.as_slice()).map_err(|e| e.to_string())?;
    let password = case.password.clone();
    make_undefined(password.as_bytes());
    let identity = SrpIdentity {
        realm: &case.pool_name,
        user_id: &case.user_id,
        password: &password,
    };
    let challenge = ServerChallenge {
        srp_b_hex: &case.srp_b_hex,
        salt_hex: &case.salt_hex,
        secret_block_b64: &case.secret_block_b64,
    };
    eprintln!(
        "[ct_taint] {}: password_claim (a and password secret)",
        case.id
    );
    let claim = password_claim(
        &ephemeral,
        &identity,
        &challenge,
        UnixTime::from_millis(case.now_ms),
    );
    // The claim (timestamp and signature) is what is sent: public.
    make_defined(&claim);
    let claim = claim.map_err(|e| e.to_string())?;
    check(
        "signature",
        claim.signature(),
        case.signature_b64.as_deref(),
    )?;
    eprintln!("[ct_taint] {}: ok (A and signature as expected)", case.id);
    Ok(())
}

fn run() -> Result<(), String> {
    let path = default_vector_path();
    let vectors = load_vectors(&path)?;
    if vectors.srp.is_empty() {
        return Err(format!("{path}: no srp_cases"));
    }
    let baseline = error_count();
    for case in &vectors.srp {
        run_srp_case(case)?;
    }
    for case in &vectors.device {
        let random = case.password_random;
        make_undefined(&random);
        eprintln!(
            "[ct_taint] {}: DeviceVerifier::from_random (password secret)",
            case.id
        );
        let verifier = DeviceVerifier::from_random(
            &case.group_key,
            &case.device_key,
            &random,
            &case.salt_random,
        );
        // Salt and verifier are sent in ConfirmDevice: public (the password inside too, now;
        // nothing after this reads it).
        make_defined(&verifier);
        check(
            "PasswordVerifier",
            verifier.password_verifier_b64(),
            case.verifier_b64.as_deref(),
        )?;
        eprintln!("[ct_taint] {}: ok (verifier as expected)", case.id);
    }
    let errors = error_count().saturating_sub(baseline);
    eprintln!(
        "[ct_taint] {} sign-in(s) and {} device verifier(s) from {path}: {errors} secret-dependent \
         branch(es) or address(es) reported by memcheck{}",
        vectors.srp.len(),
        vectors.device.len(),
        if errors == 0 {
            ""
        } else {
            " (see the stacks above)"
        },
    );
    Ok(())
}

fn main() -> ExitCode {
    let under_valgrind = running_on_valgrind();
    if !under_valgrind {
        eprintln!(
            "[ct_taint] not running under valgrind (or not on x86_64): outputs are checked, \
             secrets are not tracked. Run scripts/ct.sh."
        );
    }
    match run() {
        Ok(()) if under_valgrind => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(2),
        Err(e) => {
            eprintln!("[ct_taint] error: {e}");
            ExitCode::FAILURE
        }
    }
}
