//! The SRP group Cognito uses: the RFC 3526 3072-bit MODP prime, g = 2, and k = H(bytes(N) ‖ bytes(g)).

use crypto_bigint::modular::ConstMontyForm;
use crypto_bigint::{U256, U3072};

crypto_bigint::const_monty_params!(
    GroupModulus,
    U3072,
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    "The RFC 3526 3072-bit MODP prime N."
);

/// Limbs of a group element on this target.
pub(crate) const LIMBS: usize = U3072::LIMBS;

/// A residue modulo N in Montgomery form; all arithmetic on it is constant-time.
pub(crate) type Residue = ConstMontyForm<GroupModulus, LIMBS>;

/// The modulus N as an integer.
pub(crate) const N: U3072 = *Residue::MODULUS.as_ref();

/// The generator g = 2, as a residue (`fixed_base::pow_g` raises it to a power).
#[cfg(test)]
pub(crate) const G: Residue = Residue::new(&U3072::from_u8(2));

/// The multiplier k = H(bytes(N) ‖ bytes(g)) (a 256-bit constant), as a residue.
pub(crate) const K: Residue = Residue::new(&K_INT.resize());

/// k as an integer; `group::tests` recomputes it from N and g.
pub(crate) const K_INT: U256 =
    U256::from_be_hex("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::encoding::JavaBytes;
    use sha2::{Digest, Sha256};

    #[test]
    fn k_is_hash_of_n_and_g() {
        let n = JavaBytes::of(&N);
        // 385 bytes: a leading 0x00, then 384 bytes.
        assert_eq!(n.as_slice().len(), 385);
        let g = JavaBytes::of(&U3072::from_u8(2));
        assert_eq!(g.as_slice(), &[2]);
        let k = Sha256::new()
            .chain_update(n.as_slice())
            .chain_update(g.as_slice())
            .finalize();
        assert_eq!(JavaBytes::of(&K_INT).as_slice(), k.as_slice());
    }

    #[test]
    fn residues_round_trip() {
        assert_eq!(G.retrieve(), U3072::from_u8(2));
        assert_eq!(K.retrieve(), K_INT.resize());
    }
}
