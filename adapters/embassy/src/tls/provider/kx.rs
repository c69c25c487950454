//! Ephemeral key exchange: X25519 (RFC 7748) and secp256r1, private keys from the process-wide
//! generator.

use alloc::boxed::Box;
use alloc::vec::Vec;

use p256::elliptic_curve::sec1::ToEncodedPoint;
use rustls::crypto::{ActiveKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved};
use zeroize::Zeroize;

use super::random::{GENERATOR, Generator};

/// X25519 with keys from the process-wide generator.
pub(super) static X25519: X25519Group = X25519Group(&GENERATOR);

/// secp256r1 with keys from the process-wide generator.
pub(super) static SECP256R1: Secp256r1Group = Secp256r1Group(&GENERATOR);

/// The length of an X25519 key or shared secret.
const X25519_LEN: usize = 32;

/// The length of an uncompressed secp256r1 point: 0x04, then x and y.
const P256_POINT_LEN: usize = 65;

/// What a key share from the peer that fails its checks is.
fn invalid_share() -> Error {
    PeerMisbehaved::InvalidKeyShare.into()
}

/// X25519, drawing private keys from a generator.
#[derive(Debug)]
pub(super) struct X25519Group(pub(super) &'static Generator);

impl SupportedKxGroup for X25519Group {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let mut scalar = [0u8; X25519_LEN];
        self.0
            .fill(&mut scalar)
            .map_err(|_| Error::FailedToGetRandomBytes)?;
        let secret = x25519_dalek::StaticSecret::from(scalar);
        scalar.zeroize();
        let public = x25519_dalek::PublicKey::from(&secret).to_bytes();
        Ok(Box::new(X25519Exchange { secret, public }))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

/// Our half of an X25519 exchange (the secret is wiped when dropped).
struct X25519Exchange {
    secret: x25519_dalek::StaticSecret,
    public: [u8; X25519_LEN],
}

impl ActiveKeyExchange for X25519Exchange {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let peer = <[u8; X25519_LEN]>::try_from(peer_pub_key).map_err(|_| invalid_share())?;
        let shared = self
            .secret
            .diffie_hellman(&x25519_dalek::PublicKey::from(peer));
        // A low-order point from the peer gives all zeros: RFC 8446 section 7.4.2 says abort.
        if !shared.was_contributory() {
            return Err(invalid_share());
        }
        Ok(SharedSecret::from(shared.as_bytes().as_slice()))
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

/// secp256r1, drawing private keys from a generator.
#[derive(Debug)]
pub(super) struct Secp256r1Group(pub(super) &'static Generator);

impl SupportedKxGroup for Secp256r1Group {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let secret = self
            .0
            .with_rng(p256::ecdh::EphemeralSecret::random)
            .map_err(|_| Error::FailedToGetRandomBytes)?;
        let public = secret
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec();
        Ok(Box::new(Secp256r1Exchange { secret, public }))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::secp256r1
    }
}

/// Our half of a secp256r1 exchange (the secret is wiped when dropped).
struct Secp256r1Exchange {
    secret: p256::ecdh::EphemeralSecret,
    public: Vec<u8>,
}

impl ActiveKeyExchange for Secp256r1Exchange {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        // TLS sends points uncompressed (RFC 8446 section 4.2.8.2, RFC 8422 section 5.4.1);
        // the parser also refuses points off the curve and the point at infinity.
        if peer_pub_key.len() != P256_POINT_LEN || peer_pub_key.first() != Some(&0x04) {
            return Err(invalid_share());
        }
        let peer = p256::PublicKey::from_sec1_bytes(peer_pub_key).map_err(|_| invalid_share())?;
        let shared = self.secret.diffie_hellman(&peer);
        Ok(SharedSecret::from(shared.raw_secret_bytes().as_slice()))
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::secp256r1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded generator of its own, so the tests do not depend on the process-wide one.
    static SEEDED: Generator = Generator::new();

    /// [`SEEDED`], seeded.
    fn seeded() -> &'static Generator {
        SEEDED.add_entropy(&[0x42; 32]);
        &SEEDED
    }

    /// Two exchanges in `group` reach the same secret.
    fn agree(group: &dyn SupportedKxGroup) {
        let alice = group.start().unwrap();
        let bob = group.start().unwrap();
        assert_eq!(alice.group(), group.name());
        assert_ne!(alice.pub_key(), bob.pub_key(), "a fresh key each time");
        let (alice_public, bob_public) = (alice.pub_key().to_vec(), bob.pub_key().to_vec());
        let ab = alice.complete(&bob_public).unwrap();
        let ba = bob.complete(&alice_public).unwrap();
        assert_eq!(ab.secret_bytes(), ba.secret_bytes());
        assert_eq!(ab.secret_bytes().len(), 32);
    }

    #[test]
    fn both_sides_agree() {
        agree(&X25519Group(seeded()));
        agree(&Secp256r1Group(seeded()));
    }

    #[test]
    fn unseeded_generator_fails_closed() {
        static UNSEEDED: Generator = Generator::new();
        for group in [
            &X25519Group(&UNSEEDED) as &dyn SupportedKxGroup,
            &Secp256r1Group(&UNSEEDED),
        ] {
            assert_eq!(group.start().err(), Some(Error::FailedToGetRandomBytes));
        }
    }

    #[test]
    fn x25519_refuses_low_order_points_and_bad_lengths() {
        let group = X25519Group(seeded());
        // The zero point and the point of order 2 (u = 1): both give an all-zero secret.
        let mut one = [0u8; 32];
        one[0] = 1;
        for low_order in [[0u8; 32], one] {
            let result = group.start().unwrap().complete(&low_order);
            assert_eq!(result.err(), Some(invalid_share()));
        }
        for len in [0, 31, 33] {
            let result = group.start().unwrap().complete(&alloc::vec![9u8; len]);
            assert_eq!(result.err(), Some(invalid_share()));
        }
    }

    #[test]
    fn x25519_matches_rfc7748() {
        // RFC 7748 section 6.1: Alice's private key and public key, and Bob's public key.
        let alice_private =
            unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        let bob_public = unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        let shared = unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        let secret = x25519_dalek::StaticSecret::from(<[u8; 32]>::try_from(alice_private).unwrap());
        let public = x25519_dalek::PublicKey::from(&secret).to_bytes();
        assert_eq!(
            public.to_vec(),
            unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        let exchange = Box::new(X25519Exchange { secret, public });
        assert_eq!(
            exchange.complete(&bob_public).unwrap().secret_bytes(),
            &shared[..]
        );
    }

    #[test]
    fn p256_refuses_invalid_points() {
        let group = Secp256r1Group(seeded());
        let valid = group.start().unwrap().pub_key().to_vec();
        assert_eq!(valid.len(), P256_POINT_LEN);
        // Off the curve: y changed.
        let mut off_curve = valid.clone();
        off_curve[64] ^= 1;
        // Compressed encoding of a valid point.
        let compressed = p256::PublicKey::from_sec1_bytes(&valid)
            .unwrap()
            .to_encoded_point(true)
            .as_bytes()
            .to_vec();
        // The point at infinity, and an all-zero "point".
        let mut zeros = alloc::vec![0u8; P256_POINT_LEN];
        zeros[0] = 4;
        for bad in [
            off_curve,
            compressed,
            alloc::vec![0u8],
            zeros,
            valid[..64].to_vec(),
        ] {
            let result = group.start().unwrap().complete(&bad);
            assert_eq!(result.err(), Some(invalid_share()), "{bad:02x?}");
        }
        assert!(group.start().unwrap().complete(&valid).is_ok());
    }

    /// The bytes `text` spells in hex.
    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }
}
