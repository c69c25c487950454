//! The process-wide random generator: ChaCha20, seeded and reseeded from the board's entropy.
//!
//! There is no operating system to ask for randomness, so the generator holds nothing until the
//! firmware hands it entropy; until then every request fails, and the handshake with it.

use core::fmt;

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use rustls::crypto::{GetRandomFailed, SecureRandom};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// The generator of the whole program: the provider's random bytes and every key share.
pub(super) static GENERATOR: Generator = Generator::new();

/// rustls' handle on [`GENERATOR`].
pub(super) static RANDOM: Random = Random(&GENERATOR);

/// A ChaCha20 generator behind a spin lock, empty until the first entropy arrives.
pub(super) struct Generator {
    state: spin::Mutex<Option<ChaCha20Rng>>,
}

impl Generator {
    /// An unseeded generator.
    pub(super) const fn new() -> Self {
        Self {
            state: spin::Mutex::new(None),
        }
    }

    /// Reseeds with SHA-256 over 32 bytes drawn from the current state (when there is one) and
    /// `entropy`: a weak new input cannot undo what earlier inputs gave.
    pub(super) fn add_entropy(&self, entropy: &[u8; 32]) {
        let mut state = self.state.lock();
        let mut hasher = Sha256::new();
        if let Some(rng) = state.as_mut() {
            let mut carried = [0u8; 32];
            rng.fill_bytes(&mut carried);
            hasher.update(carried);
            carried.zeroize();
        }
        hasher.update(entropy);
        let mut seed: [u8; 32] = hasher.finalize().into();
        *state = Some(ChaCha20Rng::from_seed(seed));
        seed.zeroize();
    }

    /// Whether entropy was added.
    pub(super) fn is_seeded(&self) -> bool {
        self.state.lock().is_some()
    }

    /// Runs `f` on the generator, or fails if it was never seeded.
    pub(super) fn with_rng<T>(
        &self,
        f: impl FnOnce(&mut ChaCha20Rng) -> T,
    ) -> Result<T, GetRandomFailed> {
        let mut state = self.state.lock();
        state.as_mut().map(f).ok_or(GetRandomFailed)
    }

    /// Fills `buf` with random bytes, or fails if the generator was never seeded.
    pub(super) fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        self.with_rng(|rng| rng.fill_bytes(buf))
    }
}

impl fmt::Debug for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The state is secret, and taking the lock here could wait on its holder.
        f.debug_struct("Generator").finish_non_exhaustive()
    }
}

/// rustls' source of random bytes, drawn from a [`Generator`].
#[derive(Debug)]
pub(super) struct Random(pub(super) &'static Generator);

impl SecureRandom for Random {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        self.0.fill(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unseeded_generator_gives_nothing() {
        static UNSEEDED: Generator = Generator::new();
        let mut buf = [0u8; 16];
        assert!(!UNSEEDED.is_seeded());
        assert!(UNSEEDED.fill(&mut buf).is_err());
        assert!(Random(&UNSEEDED).fill(&mut buf).is_err());
        assert_eq!(buf, [0u8; 16], "nothing was written");
        assert!(UNSEEDED.with_rng(|_| ()).is_err());
    }

    #[test]
    fn first_seed_is_sha256_of_the_entropy() {
        let generator = Generator::new();
        let entropy = [7u8; 32];
        generator.add_entropy(&entropy);
        assert!(generator.is_seeded());
        let mut got = [0u8; 64];
        assert!(generator.fill(&mut got).is_ok());
        let mut expected = [0u8; 64];
        ChaCha20Rng::from_seed(Sha256::digest(entropy).into()).fill_bytes(&mut expected);
        assert_eq!(got, expected);
    }

    #[test]
    fn reseeding_mixes_the_old_state_in() {
        let (once, twice) = (Generator::new(), Generator::new());
        once.add_entropy(&[2u8; 32]);
        twice.add_entropy(&[1u8; 32]);
        twice.add_entropy(&[2u8; 32]);
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        assert!(once.fill(&mut a).is_ok());
        assert!(twice.fill(&mut b).is_ok());
        assert_ne!(a, b, "the first entropy still counts after the second");

        // The second seed is SHA-256(32 bytes from the first generator || new entropy).
        let mut first = ChaCha20Rng::from_seed(Sha256::digest([1u8; 32]).into());
        let mut carried = [0u8; 32];
        first.fill_bytes(&mut carried);
        let mut hasher = Sha256::new();
        hasher.update(carried);
        hasher.update([2u8; 32]);
        let mut expected = [0u8; 32];
        ChaCha20Rng::from_seed(hasher.finalize().into()).fill_bytes(&mut expected);
        assert_eq!(b, expected);
    }

    #[test]
    fn successive_draws_differ() {
        let generator = Generator::new();
        generator.add_entropy(&[9u8; 32]);
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        assert!(generator.fill(&mut a).is_ok());
        assert!(generator.fill(&mut b).is_ok());
        assert_ne!(a, b);
    }
}
