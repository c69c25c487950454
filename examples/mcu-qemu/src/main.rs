//! SRP on a Cortex-M4F under QEMU (`mps2-an386`; or a Cortex-M33, `mps2-an505`, built for
//! `thumbv8m.main`): runs cognito-core's SRP against the public reference vectors with the
//! portable and the assembly Montgomery kernel, checks every output, and measures instructions
//! and stack.
//!
//! For each exchange of the vectors: `A = g^a mod N` ([`SrpEphemeral::from_secret_bytes`]) and the
//! answer to the challenge ([`password_claim`]) — `PASSWORD_VERIFIER` for users,
//! `DEVICE_PASSWORD_VERIFIER` for the remembered device; then each `ConfirmDevice` verifier
//! ([`DeviceVerifier::from_random`]). Output goes over semihosting: one line per operation, then
//! one JSON object as the last line. The exit status (semihosting `SYS_EXIT`) is 0 when every
//! output matched its expected value, non-zero otherwise (and on a panic).
//!
//! Run with `scripts/mcu.sh` (which adds the image's flash figures to the JSON), or
//! `cargo run --release` here (see `.cargo/config.toml`).
#![no_std]
#![no_main]
#![deny(unsafe_code)]

mod kernels;
mod meter;
mod vectors;

use core::fmt;
use core::hint::black_box;
use core::mem::size_of;

use cognito_core::auth::{DeviceRegistration, Refresh, SignIn};
use cognito_core::capacity::DeviceLimits;
use cognito_core::srp::{
    DEVICE_PASSWORD_RANDOM_LEN, DEVICE_SALT_RANDOM_LEN, DeviceVerifier, EPHEMERAL_SECRET_LEN,
    MontgomeryKernel, PasswordClaim, PortableKernel, SHORT_EPHEMERAL_SECRET_LEN, ServerChallenge,
    SrpEphemeral, SrpIdentity, password_claim,
};
use cognito_core::time::UnixTime;
use cognito_core::{Misuse, ProtocolError};
use cognito_embassy::srp_umaal::UMAAL;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprint, hprintln};

use meter::measure;
use vectors::{CLAIM_CASES, ClaimCase, VERIFIER_CASES, VerifierCase};

/// The kernels every case runs with: the core's portable one (the figures without a prefix) and
/// cognito-embassy's assembly (`umaal_…`).
const KERNELS: [(&str, &dyn MontgomeryKernel); 2] = [("", &PortableKernel), ("umaal_", &UMAAL)];

/// The case whose figures are reported as `a_instructions` and `online_instructions`: the typical
/// sign-in (16-byte salt, 700-byte secret block), the one `core/benches/srp.rs` measures.
const REPORTED_CASE: &str = "pub-01-basic";

/// Iterations of the calibration loop (2 instructions each).
const CALIBRATION_LOOPS: u32 = 5_000_000;

/// Where the board's RAM starts (memory-an386.x): the statics lie between here and
/// `_stack_end`.
#[cfg(not(board_an505))]
const RAM_START: usize = 0x2000_0000;
/// Where the board's RAM starts (AN505: the secure alias of SSRAM2&3).
#[cfg(board_an505)]
const RAM_START: usize = 0x3800_0000;

/// Clock of the estimates: a typical Cortex-M4 at 64 MHz, one instruction per cycle.
const ESTIMATE_HZ: u64 = 64_000_000;

#[entry]
fn main() -> ! {
    meter::start_timer();
    let ok = run();
    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // SYS_EXIT does not return under QEMU; should a debugger resume, stay here.
    loop {
        cortex_m::asm::bkpt();
    }
}

/// Counts mismatches and prints each one.
struct Checks {
    failures: u32,
    performed: u32,
}

impl Checks {
    fn equal(&mut self, id: &str, what: &str, got: &[u8], expected: &[u8]) {
        self.performed += 1;
        if got != expected {
            self.failures += 1;
            hprintln!("FAIL {} {}: got {:?}", id, what, Shown(got));
            hprintln!("FAIL {} {}: expected {:?}", id, what, Shown(expected));
        }
    }

    fn holds(&mut self, id: &str, what: &str, condition: bool) {
        self.performed += 1;
        if !condition {
            self.failures += 1;
            hprintln!("FAIL {} {}", id, what);
        }
    }
}

/// Bytes shown as text when they are, else as hex.
struct Shown<'a>(&'a [u8]);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Ok(text) = core::str::from_utf8(self.0) {
            return write!(f, "{text:?}");
        }
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The figures of the run, printed as the last line.
#[derive(Default)]
struct Figures {
    a_instructions: u64,
    online_instructions: u64,
    online_instructions_max: u64,
    device_online_instructions: u64,
    device_verifier_instructions: u64,
    b512_a_instructions: u64,
    b512_online_instructions: u64,
    a_stack_bytes: usize,
    online_stack_bytes: usize,
    device_verifier_stack_bytes: usize,
    exchanges: u32,
    verifiers: u32,
}

impl Figures {
    /// The kernel's figures, each name prefixed with `prefix`.
    fn json(&self, json: &mut Json, prefix: &str) {
        let mut field = |name: &str, value: &dyn fmt::Display| json.prefixed(prefix, name, value);
        field("a_instructions", &self.a_instructions);
        field("online_instructions", &self.online_instructions);
        field("online_instructions_max", &self.online_instructions_max);
        field(
            "device_online_instructions",
            &self.device_online_instructions,
        );
        field(
            "device_verifier_instructions",
            &self.device_verifier_instructions,
        );
        field("a_ms_at_64mhz", &Millis(self.a_instructions));
        field("online_ms_at_64mhz", &Millis(self.online_instructions));
        field("b512_a_instructions", &self.b512_a_instructions);
        field("b512_online_instructions", &self.b512_online_instructions);
        field(
            "b512_online_ms_at_64mhz",
            &Millis(self.b512_online_instructions),
        );
    }
}

fn run() -> bool {
    let mut checks = Checks {
        failures: 0,
        performed: 0,
    };

    let (expected, measured) = meter::calibrate(CALIBRATION_LOOPS);
    hprintln!(
        "calibration: a loop of {} instructions measured as {}",
        expected,
        measured
    );
    // Two timer reads and the call add a few instructions; one tick is 40.
    checks.holds(
        "calibration",
        "the timer counts one instruction per ns of virtual time (within 0.01 %)",
        measured.abs_diff(expected) <= expected / 10_000,
    );

    let kernel_figures = kernels::compare(&mut checks);
    let mut all = [Figures::default(), Figures::default()];
    for ((name, kernel), figures) in KERNELS.into_iter().zip(all.iter_mut()) {
        hprintln!(
            "kernel: {}",
            if name.is_empty() { "portable" } else { name }
        );
        for case in &CLAIM_CASES {
            exchange(case, kernel, &mut checks, figures);
        }
        for case in CLAIM_CASES
            .iter()
            .filter(|case| case.id.text() == REPORTED_CASE)
        {
            short_exchange(case, kernel, &mut checks, figures);
        }
        for case in &VERIFIER_CASES {
            verifier(case, kernel, &mut checks, figures);
        }
    }
    let [figures, umaal] = &all;

    let stack_peak = all
        .iter()
        .map(|f| {
            f.a_stack_bytes
                .max(f.online_stack_bytes)
                .max(f.device_verifier_stack_bytes)
        })
        .max()
        .unwrap_or(usize::MAX);
    // The whole firmware's deepest stack, from the reset stack pointer: the measured calls and
    // every frame above them (this function's locals, the vectors' loop).
    let stack_total = meter::deepest();
    checks.holds(
        "stack",
        "the stack stayed above the statics",
        stack_total.is_some() && all.iter().all(|f| f.exchanges > 0 && f.verifiers > 0),
    );
    let sign_in_state = size_of::<SignIn>();
    let sign_in_device_state = size_of::<SignIn<DeviceLimits>>();
    let ok = checks.failures == 0;
    hprintln!(
        "{} of {} checks failed over {} exchanges and {} device verifiers",
        checks.failures,
        checks.performed,
        figures.exchanges,
        figures.verifiers
    );

    let mut json = Json::new();
    json.field("ok", ok);
    json.field("checks", checks.performed);
    json.field("failures", checks.failures);
    json.field("calibration_expected_instructions", expected);
    json.field("calibration_measured_instructions", measured);
    for (prefix, f) in KERNELS.iter().map(|(prefix, _)| prefix).zip(&all) {
        f.json(&mut json, prefix);
    }
    for (name, spread) in [
        ("square_instructions", kernel_figures.portable_square),
        ("multiply_instructions", kernel_figures.portable_multiply),
        ("umaal_square_instructions", kernel_figures.umaal_square),
        ("umaal_multiply_instructions", kernel_figures.umaal_multiply),
    ] {
        json.field(name, spread.max);
    }
    json.field("stack_peak_bytes", stack_peak);
    json.field("a_stack_bytes", figures.a_stack_bytes);
    json.field("online_stack_bytes", figures.online_stack_bytes);
    json.field("umaal_online_stack_bytes", umaal.online_stack_bytes);
    json.field(
        "device_verifier_stack_bytes",
        figures.device_verifier_stack_bytes,
    );
    json.field("stack_total_bytes", stack_total.unwrap_or(0));
    json.field("static_ram_bytes", static_ram());
    json.field("sign_in_state_bytes", sign_in_state);
    json.field("stack_plus_sign_in_state_bytes", stack_peak + sign_in_state);
    json.field("sign_in_device_state_bytes", sign_in_device_state);
    json.field(
        "stack_plus_sign_in_device_state_bytes",
        stack_peak + sign_in_device_state,
    );
    json.field("refresh_state_bytes", size_of::<Refresh>());
    json.field(
        "device_registration_state_bytes",
        size_of::<DeviceRegistration>(),
    );
    json.field("srp_ephemeral_bytes", size_of::<SrpEphemeral>());
    json.field("password_claim_bytes", size_of::<PasswordClaim>());
    json.field("device_verifier_bytes", size_of::<DeviceVerifier>());
    json.field("vector_blob_bytes", vectors::BLOB.len());
    json.finish();
    ok
}

/// `.data` + `.bss` + `.uninit`: the RAM the statics take, below the stack.
fn static_ram() -> usize {
    meter::stack_bottom() - RAM_START
}

/// `A`, then the answer to the challenge, each checked and measured.
fn exchange(
    case: &ClaimCase,
    kernel: &'static dyn MontgomeryKernel,
    checks: &mut Checks,
    figures: &mut Figures,
) {
    let id = case.id.text();
    let answers = case.answers.text();
    let Ok(secret) = <&[u8; EPHEMERAL_SECRET_LEN]>::try_from(case.small_a.bytes()) else {
        checks.holds(id, "a is 128 bytes", false);
        return;
    };

    // The core's functions are called through pointers the optimiser cannot see through
    // (`black_box`), so that they stay whole symbols of cognito_core in the image rather than
    // being inlined into `measure` (scripts/mcu_figures.py attributes flash by symbol).
    let compute_a: fn(
        &[u8; EPHEMERAL_SECRET_LEN],
        &'static dyn MontgomeryKernel,
    ) -> Result<SrpEphemeral, Misuse> = black_box(SrpEphemeral::from_secret_bytes_using);
    let (ephemeral, a_instructions, a_stack) = measure(|| compute_a(secret, kernel));
    let Ok(ephemeral) = ephemeral else {
        checks.holds(id, "A = g^a mod N is computed", false);
        return;
    };
    checks.equal(
        id,
        "bytes(A)",
        ephemeral.public_bytes().as_slice(),
        case.large_a.bytes(),
    );

    let (identity, challenge) = (case.identity(), case.challenge());
    let now = UnixTime::from_millis(case.now_ms);
    let answer: fn(
        &SrpEphemeral,
        &SrpIdentity<'_>,
        &ServerChallenge<'_>,
        UnixTime,
    ) -> Result<PasswordClaim, ProtocolError> = black_box(password_claim);
    let (claim, online_instructions, online_stack) =
        measure(|| answer(&ephemeral, &identity, &challenge, now));
    match &claim {
        Ok(claim) => {
            checks.equal(
                id,
                "TIMESTAMP",
                claim.timestamp().as_bytes(),
                case.timestamp.bytes(),
            );
            checks.equal(
                id,
                "PASSWORD_CLAIM_SIGNATURE",
                claim.signature().as_bytes(),
                case.signature_b64.bytes(),
            );
        }
        Err(_) => checks.holds(id, "the challenge is answered", false),
    }
    let a_stack = a_stack.unwrap_or(usize::MAX);
    let online_stack = online_stack.unwrap_or(usize::MAX);
    hprintln!(
        "{} {}: A {} instructions, {} B stack; answer {} instructions, {} B stack",
        id,
        answers,
        a_instructions,
        a_stack,
        online_instructions,
        online_stack
    );

    figures.exchanges += 1;
    figures.a_stack_bytes = figures.a_stack_bytes.max(a_stack);
    figures.online_stack_bytes = figures.online_stack_bytes.max(online_stack);
    figures.online_instructions_max = figures.online_instructions_max.max(online_instructions);
    if id == REPORTED_CASE {
        figures.a_instructions = a_instructions;
        figures.online_instructions = online_instructions;
    }
    if answers == "DEVICE_PASSWORD_VERIFIER" {
        figures.device_online_instructions = online_instructions;
    }
}

/// The exchange of `case` with the opt-in 512-bit `a` (the low 64 bytes of the case's `a`),
/// measured. The vectors have no 512-bit case, so the check is against the 1024-bit path (itself
/// checked against the vectors) given the same number with its top half zero: `A` and the answer
/// must agree although the two run over different exponent widths.
fn short_exchange(
    case: &ClaimCase,
    kernel: &'static dyn MontgomeryKernel,
    checks: &mut Checks,
    figures: &mut Figures,
) {
    let id = case.id.text();
    let low = case
        .small_a
        .bytes()
        .get(EPHEMERAL_SECRET_LEN - SHORT_EPHEMERAL_SECRET_LEN..);
    let Some(Ok(short)) = low.map(<&[u8; SHORT_EPHEMERAL_SECRET_LEN]>::try_from) else {
        checks.holds(id, "a is 128 bytes", false);
        return;
    };
    let mut padded = [0u8; EPHEMERAL_SECRET_LEN];
    if let Some(tail) = padded.get_mut(EPHEMERAL_SECRET_LEN - SHORT_EPHEMERAL_SECRET_LEN..) {
        tail.copy_from_slice(short);
    }
    let compute_a: fn(
        &[u8; SHORT_EPHEMERAL_SECRET_LEN],
        &'static dyn MontgomeryKernel,
    ) -> Result<SrpEphemeral, Misuse> = black_box(SrpEphemeral::from_short_secret_bytes_using);
    let (short_ephemeral, a_instructions, _) = measure(|| compute_a(short, kernel));
    let (Ok(short_ephemeral), Ok(wide_ephemeral)) =
        (short_ephemeral, SrpEphemeral::from_secret_bytes(&padded))
    else {
        checks.holds(id, "A = g^a mod N is computed (512-bit a)", false);
        return;
    };
    checks.equal(
        id,
        "bytes(A), 512-bit a",
        short_ephemeral.public_bytes().as_slice(),
        wide_ephemeral.public_bytes().as_slice(),
    );
    let (identity, challenge) = (case.identity(), case.challenge());
    let now = UnixTime::from_millis(case.now_ms);
    let answer: fn(
        &SrpEphemeral,
        &SrpIdentity<'_>,
        &ServerChallenge<'_>,
        UnixTime,
    ) -> Result<PasswordClaim, ProtocolError> = black_box(password_claim);
    let (short_claim, online_instructions, _) =
        measure(|| answer(&short_ephemeral, &identity, &challenge, now));
    match (
        short_claim,
        password_claim(&wide_ephemeral, &identity, &challenge, now),
    ) {
        (Ok(short_claim), Ok(wide_claim)) => checks.equal(
            id,
            "PASSWORD_CLAIM_SIGNATURE, 512-bit a",
            short_claim.signature().as_bytes(),
            wide_claim.signature().as_bytes(),
        ),
        _ => checks.holds(id, "the challenge is answered (512-bit a)", false),
    }
    hprintln!(
        "{} with a 512-bit a: A {} instructions; answer {} instructions",
        id,
        a_instructions,
        online_instructions
    );
    figures.b512_a_instructions = a_instructions;
    figures.b512_online_instructions = online_instructions;
}

impl ClaimCase {
    /// The identity the case signs in with.
    fn identity(&self) -> SrpIdentity<'static> {
        SrpIdentity {
            realm: self.realm.text(),
            user_id: self.user_id.text(),
            password: self.password.text(),
        }
    }

    /// The server's `PASSWORD_VERIFIER` (or `DEVICE_PASSWORD_VERIFIER`) parameters.
    fn challenge(&self) -> ServerChallenge<'static> {
        ServerChallenge {
            srp_b_hex: self.srp_b_hex.text(),
            salt_hex: self.salt_hex.text(),
            secret_block_b64: self.secret_block_b64.text(),
        }
    }
}

/// [`DeviceVerifier::from_random_using`]'s signature.
type VerifierFn = fn(
    &str,
    &str,
    &[u8; DEVICE_PASSWORD_RANDOM_LEN],
    &[u8; DEVICE_SALT_RANDOM_LEN],
    &dyn MontgomeryKernel,
) -> DeviceVerifier;

/// A `ConfirmDevice` verifier, checked and measured.
fn verifier(
    case: &VerifierCase,
    kernel: &'static dyn MontgomeryKernel,
    checks: &mut Checks,
    figures: &mut Figures,
) {
    let id = case.id.text();
    let password = <&[u8; DEVICE_PASSWORD_RANDOM_LEN]>::try_from(case.password_random.bytes());
    let salt = <&[u8; DEVICE_SALT_RANDOM_LEN]>::try_from(case.salt_random.bytes());
    let (Ok(password), Ok(salt)) = (password, salt) else {
        checks.holds(id, "the random bytes have their lengths", false);
        return;
    };
    let generate: VerifierFn = black_box(DeviceVerifier::from_random_using);
    let (verifier, instructions, stack) = measure(|| {
        generate(
            case.device_group_key.text(),
            case.device_key.text(),
            password,
            salt,
            kernel,
        )
    });
    checks.equal(
        id,
        "device password",
        verifier.device_password().as_bytes(),
        case.device_password.bytes(),
    );
    checks.equal(
        id,
        "Salt",
        verifier.salt_b64().as_bytes(),
        case.salt_b64.bytes(),
    );
    checks.equal(
        id,
        "PasswordVerifier",
        verifier.password_verifier_b64().as_bytes(),
        case.password_verifier_b64.bytes(),
    );
    let stack = stack.unwrap_or(usize::MAX);
    hprintln!(
        "{} ConfirmDevice verifier: {} instructions, {} B stack",
        id,
        instructions,
        stack
    );
    figures.verifiers += 1;
    figures.device_verifier_instructions = figures.device_verifier_instructions.max(instructions);
    figures.device_verifier_stack_bytes = figures.device_verifier_stack_bytes.max(stack);
}

/// Milliseconds at [`ESTIMATE_HZ`], one instruction per cycle, to a tenth.
struct Millis(u64);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10_000 + ESTIMATE_HZ / 2) / ESTIMATE_HZ;
        write!(f, "{}.{}", tenths / 10, tenths % 10)
    }
}

/// One JSON object on one line, written member by member over semihosting (names and values
/// need no escaping), so that no buffer for it sits on the stack.
struct Json {
    members: u32,
}

impl Json {
    fn new() -> Self {
        hprint!("{}", "{");
        Self { members: 0 }
    }

    fn field(&mut self, name: &str, value: impl fmt::Display) {
        self.prefixed("", name, &value);
    }

    fn prefixed(&mut self, prefix: &str, name: &str, value: &dyn fmt::Display) {
        let comma = if self.members > 0 { "," } else { "" };
        hprint!("{}\"{}{}\":{}", comma, prefix, name, value);
        self.members += 1;
    }

    fn finish(self) {
        hprintln!("{}", "}");
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    hprintln!("panic: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
