//! A dudect-style timing test (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?",
//! 2017): two classes of secret inputs, a fixed value and fresh random values, interleaved at
//! random; Welch's t-test on the two timing distributions, on all measurements and on measurements
//! cropped at a range of upper percentiles (which drops preemption spikes on a busy machine).
//!
//! Three tests: computing A (fixed vs random `a`), the online step `password_claim` (fixed vs
//! random password; fixed vs random `a`). |t| > 10 on any of them fails (exit 1); |t| > 4.5 is
//! reported as worth a longer run. The time budget is `CT_SECONDS` (default 45), split evenly.
//!
//! ```text
//! CT_SECONDS=600 target/ct/dudect [VECTOR_FILE]
//! ```

#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cognito_core::srp::{ServerChallenge, SrpEphemeral, SrpIdentity, password_claim};
use cognito_core::time::UnixTime;
use cognito_ct::{SrpCase, default_vector_path, load_vectors};
use rand::{Rng, RngCore};

/// |t| above which the code is, in dudect's words, definitely not constant-time.
const FAIL_T: f64 = 10.0;
/// |t| above which a leak may be present: run longer.
const WARN_T: f64 = 4.5;
/// Cropping percentiles (dudect's `1 - 0.5^(10 (i+1) / n)`), plus "no cropping".
const PERCENTILES: usize = 32;
/// Measurements per batch: inputs and classes are drawn for a batch, then timed back to back.
const BATCH: usize = 32;
/// Measurements made first only to place the cropping thresholds (not counted).
const CALIBRATION: usize = 32;
/// A test counts only with at least this many measurements in each class.
const MIN_PER_CLASS: f64 = 50.0;

/// Welch's t-test, accumulated online (Welford).
#[derive(Clone, Copy, Default)]
struct Welch {
    n: [f64; 2],
    mean: [f64; 2],
    m2: [f64; 2],
}

impl Welch {
    fn push(&mut self, class: usize, x: f64) {
        let c = class.min(1);
        let (n, mean, m2) = match (self.n.get_mut(c), self.mean.get_mut(c), self.m2.get_mut(c)) {
            (Some(n), Some(mean), Some(m2)) => (n, mean, m2),
            _ => return,
        };
        *n += 1.0;
        let delta = x - *mean;
        *mean += delta / *n;
        *m2 += delta * (x - *mean);
    }

    fn t(&self) -> Option<f64> {
        let [n0, n1] = self.n;
        if n0 < MIN_PER_CLASS || n1 < MIN_PER_CLASS {
            return None;
        }
        let v0 = self.m2[0] / (n0 - 1.0);
        let v1 = self.m2[1] / (n1 - 1.0);
        let se = (v0 / n0 + v1 / n1).sqrt();
        (se > 0.0).then(|| (self.mean[0] - self.mean[1]) / se)
    }
}

/// One test: the uncropped t-test and one per cropping threshold.
struct Test {
    name: &'static str,
    calibration: Vec<f64>,
    thresholds: Vec<f64>,
    tests: Vec<Welch>,
    samples: usize,
}

impl Test {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            calibration: Vec::new(),
            thresholds: Vec::new(),
            tests: vec![Welch::default(); PERCENTILES + 1],
            samples: 0,
        }
    }

    fn push(&mut self, class: usize, nanos: f64) {
        if self.thresholds.is_empty() {
            self.calibration.push(nanos);
            if self.calibration.len() >= CALIBRATION {
                let mut sorted = self.calibration.clone();
                sorted.sort_by(f64::total_cmp);
                self.thresholds = (0..PERCENTILES)
                    .map(|i| {
                        let p = 1.0 - 0.5f64.powf(10.0 * (i as f64 + 1.0) / PERCENTILES as f64);
                        let at = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
                        sorted.get(at).copied().unwrap_or(f64::INFINITY)
                    })
                    .collect();
            }
            return;
        }
        self.samples += 1;
        for (test, limit) in self
            .tests
            .iter_mut()
            .zip(std::iter::once(f64::INFINITY).chain(self.thresholds.iter().copied()))
        {
            if nanos < limit {
                test.push(class, nanos);
            }
        }
    }

    /// The largest |t| over the uncropped and cropped tests, and which one it was.
    fn max_t(&self) -> (f64, String) {
        let mut best = (0.0, "none yet".to_owned());
        for (i, test) in self.tests.iter().enumerate() {
            if let Some(t) = test.t()
                && t.abs() > best.0
            {
                let which = if i == 0 {
                    "all measurements".to_owned()
                } else {
                    format!("cropped at percentile {i}/{PERCENTILES}")
                };
                best = (t.abs(), which);
            }
        }
        best
    }

    fn report(&self) -> bool {
        let (t, which) = self.max_t();
        let means = self.tests.first().map(|w| w.mean).unwrap_or_default();
        let verdict = if t > FAIL_T {
            "FAIL: definitely not constant-time"
        } else if t > WARN_T {
            "maybe a leak: run longer (CT_SECONDS)"
        } else {
            "ok: no leak detected"
        };
        println!(
            "[dudect] {:<36} {:>7} measurements  mean fixed {:>9.1} µs  random {:>9.1} µs  max |t| = {:>6.2} ({which})  {verdict}",
            self.name,
            self.samples,
            means[0] / 1e3,
            means[1] / 1e3,
            t,
        );
        t <= FAIL_T
    }
}

fn make_identity<'a>(case: &'a SrpCase, password: &'a str) -> SrpIdentity<'a> {
    SrpIdentity {
        realm: &case.pool_name,
        user_id: &case.user_id,
        password,
    }
}

fn random_password(rng: &mut impl Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(rng.gen_range(b'!'..=b'~')))
        .collect()
}

/// Runs batches of `measure` until `budget` has passed.
fn run_for(test: &mut Test, budget: Duration, mut batch: impl FnMut(&mut Test)) {
    let start = Instant::now();
    while start.elapsed() < budget {
        batch(test);
    }
}

fn main() -> ExitCode {
    let path = default_vector_path();
    let case: SrpCase = match load_vectors(&path).map(|v| v.srp.into_iter().next()) {
        Ok(Some(case)) => case,
        Ok(None) => {
            eprintln!("[dudect] {path}: no srp_cases");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("[dudect] {e}");
            return ExitCode::from(2);
        }
    };
    let seconds: f64 = std::env::var("CT_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(45.0);
    let budget = Duration::from_secs_f64(seconds / 3.0);
    println!(
        "[dudect] Welch's t-test, fixed vs random secret inputs, {seconds} s in all (CT_SECONDS); \
         |t| > {WARN_T}: possible leak, |t| > {FAIL_T}: fail"
    );

    let mut rng = rand::thread_rng();
    let challenge = ServerChallenge {
        srp_b_hex: &case.srp_b_hex,
        salt_hex: &case.salt_hex,
        secret_block_b64: &case.secret_block_b64,
    };
    let now = UnixTime::from_millis(case.now_ms);
    let identity = |password| make_identity(&case, password);
    // Fixed `a` for computing A: 1, the value an exponentiation that skipped leading zero bits
    // would be fastest on. For the online step, the vector's `a` (so that the public A, hashed
    // into u, has its usual length in both classes).
    let mut a_one = [0u8; 128];
    a_one[127] = 1;
    let fixed_password = case.password.clone();

    // Warm up caches and the CPU's clock.
    for _ in 0..8 {
        if let Ok(e) = SrpEphemeral::from_secret_bytes(&case.a) {
            let _ = black_box(password_claim(
                &e,
                &identity(&fixed_password),
                &challenge,
                now,
            ));
        }
    }

    let mut ok = true;

    // 1. Computing A: fixed a = 1 vs random a.
    let mut test = Test::new("A = g^a (fixed vs random a)");
    run_for(&mut test, budget, |test| {
        let mut inputs = [[0u8; 128]; BATCH];
        let mut classes = [0usize; BATCH];
        for (input, class) in inputs.iter_mut().zip(classes.iter_mut()) {
            *class = usize::from(rng.gen_bool(0.5));
            if *class == 0 {
                *input = a_one;
            } else {
                rng.fill_bytes(input);
            }
        }
        for (input, class) in inputs.iter().zip(classes) {
            let start = Instant::now();
            let result = black_box(SrpEphemeral::from_secret_bytes(black_box(input)));
            let nanos = start.elapsed().as_nanos() as f64;
            drop(result);
            test.push(class, nanos);
        }
    });
    ok &= test.report();

    // 2. The online step: fixed vs random password (same length: the length is public).
    let Ok(ephemeral) = SrpEphemeral::from_secret_bytes(&case.a) else {
        eprintln!("[dudect] the vector's a is zero");
        return ExitCode::from(2);
    };
    let mut test = Test::new("password_claim (fixed vs random password)");
    run_for(&mut test, budget, |test| {
        let mut inputs = Vec::with_capacity(BATCH);
        for _ in 0..BATCH {
            let class = usize::from(rng.gen_bool(0.5));
            let password = if class == 0 {
                fixed_password.clone()
            } else {
                random_password(&mut rng, fixed_password.len())
            };
            inputs.push((class, password));
        }
        for (class, password) in &inputs {
            let id = make_identity(&case, password);
            let start = Instant::now();
            let result = black_box(password_claim(&ephemeral, black_box(&id), &challenge, now));
            let nanos = start.elapsed().as_nanos() as f64;
            drop(result);
            test.push(*class, nanos);
        }
    });
    ok &= test.report();

    // 3. The online step: fixed vs random a (each ephemeral made before the batch is timed).
    let mut test = Test::new("password_claim (fixed vs random a)");
    let id = identity(&fixed_password);
    run_for(&mut test, budget, |test| {
        let mut inputs = Vec::with_capacity(BATCH);
        for _ in 0..BATCH {
            let class = usize::from(rng.gen_bool(0.5));
            let mut a = case.a;
            if class == 1 {
                rng.fill_bytes(&mut a);
            }
            if let Ok(e) = SrpEphemeral::from_secret_bytes(&a) {
                inputs.push((class, e));
            }
        }
        for (class, e) in &inputs {
            let start = Instant::now();
            let result = black_box(password_claim(black_box(e), &id, &challenge, now));
            let nanos = start.elapsed().as_nanos() as f64;
            drop(result);
            test.push(*class, nanos);
        }
    });
    ok &= test.report();

    println!(
        "[dudect] to run longer (more measurements detect smaller leaks): \
         CT_SECONDS=600 bash scripts/ct.sh, or CT_SECONDS=600 target/ct/dudect after a build"
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
