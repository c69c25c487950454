//! Randomness. The core uses the `rand_core` 0.6 traits (`RngCore + CryptoRng`): the generation
//! embedded-tls, rand 0.8 and the embassy / esp HALs implement. RNGs that implement rand_core 0.9
//! instead plug in through `Rng09` (feature `rand_core_09`). Every API that draws randomness also
//! has a variant taking the random bytes directly (e.g. [`crate::srp::SrpEphemeral::from_secret_bytes`]).

pub use rand_core::{CryptoRng, RngCore};

/// Adapts an RNG implementing rand_core 0.9's `CryptoRng` to the rand_core 0.6 traits the core takes.
///
/// ```
/// # #[cfg(feature = "rand_core_09")] {
/// use cognito_core::rng::Rng09;
/// use cognito_core::srp::SrpEphemeral;
/// # struct Counter(u8);
/// # impl rand_core_09::RngCore for Counter {
/// #     fn next_u32(&mut self) -> u32 { self.0 = self.0.wrapping_add(1); self.0.into() }
/// #     fn next_u64(&mut self) -> u64 { self.next_u32().into() }
/// #     fn fill_bytes(&mut self, dst: &mut [u8]) { for b in dst { *b = self.next_u32() as u8 } }
/// # }
/// # impl rand_core_09::CryptoRng for Counter {}
/// let mut hal_rng = Counter(0); // e.g. embassy_rp::trng::Trng, esp_hal::rng::Rng
/// let eph = SrpEphemeral::generate(&mut Rng09(&mut hal_rng)).unwrap();
/// # }
/// ```
#[cfg(feature = "rand_core_09")]
#[derive(Debug)]
pub struct Rng09<R>(pub R);

#[cfg(feature = "rand_core_09")]
impl<R: rand_core_09::CryptoRng> RngCore for Rng09<R> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

#[cfg(feature = "rand_core_09")]
impl<R: rand_core_09::CryptoRng> CryptoRng for Rng09<R> {}
