//! The three AEAD ciphers behind one type, sealing and opening in place with a detached tag.

use alloc::boxed::Box;

use aes_gcm::aead::AeadInPlace;
use aes_gcm::aead::KeyInit;
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use chacha20poly1305::ChaCha20Poly1305;
use rustls::Error;
use rustls::crypto::cipher::NONCE_LEN;

/// The length of every tag here.
pub(super) const TAG_LEN: usize = 16;

/// Which AEAD cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::tls::provider) enum Kind {
    /// AES-128 in GCM.
    Aes128Gcm,
    /// AES-256 in GCM.
    Aes256Gcm,
    /// ChaCha20-Poly1305 (RFC 8439).
    ChaCha20Poly1305,
}

impl Kind {
    /// The key length in bytes.
    pub(super) const fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::Aes256Gcm | Self::ChaCha20Poly1305 => 32,
        }
    }
}

/// A keyed AEAD cipher. The AES key schedules (about 0.7 and 1 KB) live on the heap, so that a
/// ChaCha20-Poly1305 protector (32 bytes of key) is no larger than it needs to be.
pub(super) enum Cipher {
    /// AES-128-GCM.
    Aes128Gcm(Box<Aes128Gcm>),
    /// AES-256-GCM.
    Aes256Gcm(Box<Aes256Gcm>),
    /// ChaCha20-Poly1305.
    ChaCha20Poly1305(ChaCha20Poly1305),
}

impl Cipher {
    /// `kind` keyed with `key`, or `None` if `key` has the wrong length.
    pub(super) fn new(kind: Kind, key: &[u8]) -> Option<Self> {
        Some(match kind {
            Kind::Aes128Gcm => Self::Aes128Gcm(Box::new(Aes128Gcm::new_from_slice(key).ok()?)),
            Kind::Aes256Gcm => Self::Aes256Gcm(Box::new(Aes256Gcm::new_from_slice(key).ok()?)),
            Kind::ChaCha20Poly1305 => {
                Self::ChaCha20Poly1305(ChaCha20Poly1305::new_from_slice(key).ok()?)
            }
        })
    }

    /// Encrypts `buf` in place and returns its tag.
    pub(super) fn seal(
        &self,
        nonce: [u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], Error> {
        let nonce = nonce.into();
        let tag = match self {
            Self::Aes128Gcm(cipher) => cipher.encrypt_in_place_detached(&nonce, aad, buf),
            Self::Aes256Gcm(cipher) => cipher.encrypt_in_place_detached(&nonce, aad, buf),
            Self::ChaCha20Poly1305(cipher) => cipher.encrypt_in_place_detached(&nonce, aad, buf),
        }
        .map_err(|_| Error::EncryptError)?;
        Ok(tag.into())
    }

    /// Checks the tag at the end of `sealed` and decrypts the rest of it in place; returns the
    /// plaintext's length. Fails on a record too short for a tag or a tag that does not match.
    pub(super) fn open(
        &self,
        nonce: [u8; NONCE_LEN],
        aad: &[u8],
        sealed: &mut [u8],
    ) -> Result<usize, Error> {
        let plain_len = sealed
            .len()
            .checked_sub(TAG_LEN)
            .ok_or(Error::DecryptError)?;
        let (buf, tag) = sealed
            .split_at_mut_checked(plain_len)
            .ok_or(Error::DecryptError)?;
        let tag = <[u8; TAG_LEN]>::try_from(&*tag)
            .map_err(|_| Error::DecryptError)?
            .into();
        let nonce = nonce.into();
        match self {
            Self::Aes128Gcm(cipher) => cipher.decrypt_in_place_detached(&nonce, aad, buf, &tag),
            Self::Aes256Gcm(cipher) => cipher.decrypt_in_place_detached(&nonce, aad, buf, &tag),
            Self::ChaCha20Poly1305(cipher) => {
                cipher.decrypt_in_place_detached(&nonce, aad, buf, &tag)
            }
        }
        .map_err(|_| Error::DecryptError)?;
        Ok(plain_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `text` spells in hex (whitespace ignored).
    fn unhex(text: &str) -> alloc::vec::Vec<u8> {
        let digits: alloc::vec::Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
        digits
            .chunks(2)
            .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }

    /// Seals `plaintext`, checks ciphertext and tag, then opens it again.
    fn known_answer(kind: Kind, key: &str, nonce: &str, aad: &str, plain: &str, sealed: &str) {
        let cipher = Cipher::new(kind, &unhex(key)).unwrap();
        let nonce: [u8; NONCE_LEN] = unhex(nonce).try_into().unwrap();
        let (aad, plain, sealed) = (unhex(aad), unhex(plain), unhex(sealed));
        let mut buf = plain.clone();
        let tag = cipher.seal(nonce, &aad, &mut buf).unwrap();
        buf.extend_from_slice(&tag);
        assert_eq!(buf, sealed);
        assert_eq!(cipher.open(nonce, &aad, &mut buf).unwrap(), plain.len());
        assert_eq!(buf[..plain.len()], plain[..]);
    }

    /// The GCM specification's (McGrew and Viega) test case 4: AES-128, with additional data.
    #[test]
    fn aes_128_gcm_known_answer() {
        known_answer(
            Kind::Aes128Gcm,
            "feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
             1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
             21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091
             5bc94fbc3221a5db94fae95ae7121a47",
        );
    }

    /// The GCM specification's test case 16: AES-256, with additional data.
    #[test]
    fn aes_256_gcm_known_answer() {
        known_answer(
            Kind::Aes256Gcm,
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
             1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
             8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
             76fc6ece0f4e1768cddf8853bb2d551b",
        );
    }

    /// RFC 8439 section 2.8.2.
    #[test]
    fn chacha20_poly1305_known_answer() {
        known_answer(
            Kind::ChaCha20Poly1305,
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
            "070000004041424344454647",
            "50515253c0c1c2c3c4c5c6c7",
            "4c616469657320616e642047656e746c656d656e206f662074686520636c6173
             73206f66202739393a204966204920636f756c64206f6666657220796f75206f
             6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73
             637265656e20776f756c642062652069742e",
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
             3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
             92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
             3ff4def08e4b7a9de576d26586cec64b6116
             1ae10b594f09e26a7e902ecbd0600691",
        );
    }

    #[test]
    fn tampering_and_short_input_are_refused() {
        for kind in [Kind::Aes128Gcm, Kind::Aes256Gcm, Kind::ChaCha20Poly1305] {
            let cipher = Cipher::new(kind, &[3u8; 32][..kind.key_len()]).unwrap();
            let nonce = [1u8; NONCE_LEN];
            let mut sealed = b"attack at dawn".to_vec();
            let tag = cipher.seal(nonce, b"aad", &mut sealed).unwrap();
            sealed.extend_from_slice(&tag);
            for i in 0..sealed.len() {
                let mut flipped = sealed.clone();
                flipped[i] ^= 0x01;
                assert!(
                    cipher.open(nonce, b"aad", &mut flipped).is_err(),
                    "{kind:?} byte {i}"
                );
            }
            assert!(cipher.open(nonce, b"aaD", &mut sealed.clone()).is_err());
            assert!(
                cipher
                    .open([2u8; NONCE_LEN], b"aad", &mut sealed.clone())
                    .is_err()
            );
            assert!(
                cipher
                    .open(nonce, b"aad", &mut sealed[..TAG_LEN - 1].to_vec())
                    .is_err()
            );
            assert_eq!(cipher.open(nonce, b"aad", &mut sealed).unwrap(), 14);
            assert!(Cipher::new(kind, &[3u8; 31]).is_none());
        }
    }
}
