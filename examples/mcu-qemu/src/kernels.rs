//! The Montgomery kernels side by side: the core's portable one and cognito-embassy's assembly
//! (`srp_umaal::UMAAL`), each operation checked against the other on edge and pseudo-random
//! values, and measured; an operation whose instruction count depends on its operands fails.

use cognito_core::srp::{MODULUS, MontgomeryKernel, N_LIMBS, PortableKernel};
use cognito_embassy::srp_umaal::UMAAL;
use crypto_bigint::U3072;

use crate::Checks;
use crate::meter::Instant;

/// Pseudo-random operands per operation, after the edge values.
const RANDOM_CASES: u32 = 240;

/// Instructions of one operation: (fewest, most) over all operands.
#[derive(Clone, Copy)]
pub(crate) struct Spread {
    pub(crate) min: u64,
    pub(crate) max: u64,
}

impl Spread {
    fn new() -> Self {
        Self {
            min: u64::MAX,
            max: 0,
        }
    }

    fn add(&mut self, instructions: u64) {
        self.min = self.min.min(instructions);
        self.max = self.max.max(instructions);
    }
}

/// Instructions of each kernel's operations.
pub(crate) struct KernelFigures {
    pub(crate) portable_square: Spread,
    pub(crate) portable_multiply: Spread,
    pub(crate) umaal_square: Spread,
    pub(crate) umaal_multiply: Spread,
}

/// xorshift64: operands, not secrets.
struct Operands(u64);

impl Operands {
    fn word(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }

    /// A value below R: all ones, mostly ones, or random words.
    fn value(&mut self, kind: u32) -> [u32; N_LIMBS] {
        let mut words = [0; N_LIMBS];
        for w in &mut words {
            *w = match kind % 3 {
                0 => u32::MAX,
                1 if self.word().is_multiple_of(2) => u32::MAX,
                _ => self.word(),
            };
        }
        words
    }
}

/// `value mod N` for a value below R < 2N.
fn canonical(words: &[u32; N_LIMBS]) -> U3072 {
    let value = U3072::from_words(*words);
    let n = U3072::from_words(MODULUS);
    if value >= n {
        value.wrapping_sub(&n)
    } else {
        value
    }
}

/// Checks the kernels against each other on every pair of edge values and on pseudo-random
/// pairs, and measures each operation.
pub(crate) fn compare(checks: &mut Checks) -> KernelFigures {
    let n = MODULUS;
    let mut n_minus_1 = n;
    if let Some(low) = n_minus_1.first_mut() {
        *low -= 1;
    }
    let mut r_minus_n = [0u32; N_LIMBS];
    let r_minus_n_value = U3072::ZERO.wrapping_sub(&U3072::from_words(n));
    r_minus_n.copy_from_slice(r_minus_n_value.as_words());
    let mut one = [0u32; N_LIMBS];
    if let Some(low) = one.first_mut() {
        *low = 1;
    }
    let edges = [
        [0u32; N_LIMBS],
        one,
        [u32::MAX; N_LIMBS],
        n,
        n_minus_1,
        r_minus_n,
    ];

    let mut figures = KernelFigures {
        portable_square: Spread::new(),
        portable_multiply: Spread::new(),
        umaal_square: Spread::new(),
        umaal_multiply: Spread::new(),
    };
    let mut pairs = Operands(0x9e37_79b9_7f4a_7c15);
    let mut one_pair = |a: [u32; N_LIMBS], b: [u32; N_LIMBS], checks: &mut Checks| {
        let mut wide = [0u32; 2 * N_LIMBS];
        let kernels: [(&dyn MontgomeryKernel, bool); 2] =
            [(&PortableKernel, false), (&UMAAL, true)];
        let mut squares = [U3072::ZERO; 2];
        let mut products = [U3072::ZERO; 2];
        for ((kernel, umaal), (square, product)) in kernels
            .into_iter()
            .zip(squares.iter_mut().zip(products.iter_mut()))
        {
            let mut x = a;
            let start = Instant::now();
            kernel.square(&mut x, &mut wide);
            let instructions = start.instructions();
            *square = canonical(&x);
            let mut y = a;
            let start = Instant::now();
            kernel.multiply(&mut y, &b, &mut wide);
            let multiply = start.instructions();
            *product = canonical(&y);
            let (s, m) = if umaal {
                (&mut figures.umaal_square, &mut figures.umaal_multiply)
            } else {
                (&mut figures.portable_square, &mut figures.portable_multiply)
            };
            s.add(instructions);
            m.add(multiply);
        }
        let [portable_square, umaal_square] = squares;
        let [portable_product, umaal_product] = products;
        checks.holds(
            "kernels",
            "UMAAL's square equals the portable one",
            umaal_square == portable_square,
        );
        checks.holds(
            "kernels",
            "UMAAL's product equals the portable one",
            umaal_product == portable_product,
        );
    };
    for a in &edges {
        for b in &edges {
            one_pair(*a, *b, checks);
        }
    }
    for case in 0..RANDOM_CASES {
        let a = pairs.value(case);
        let b = pairs.value(case / 3);
        one_pair(a, b, checks);
    }
    // Constant time: the same instruction count for every operand, to the timer's resolution
    // (one tick, 40 instructions).
    for (name, spread) in [
        ("portable square", figures.portable_square),
        ("portable multiply", figures.portable_multiply),
        ("UMAAL square", figures.umaal_square),
        ("UMAAL multiply", figures.umaal_multiply),
    ] {
        cortex_m_semihosting::hprintln!(
            "{}: {} .. {} instructions over {} operand pairs",
            name,
            spread.min,
            spread.max,
            edges.len() * edges.len() + RANDOM_CASES as usize
        );
        checks.holds(
            name,
            "runs the same number of instructions for every operand (within one timer tick)",
            spread.max - spread.min <= crate::meter::INSTRUCTIONS_PER_TICK,
        );
    }
    figures
}
