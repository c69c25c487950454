//! TLS 1.2 record protection: AES-GCM as RFC 5288 defines it (a 4-byte implicit salt and an
//! 8-byte explicit nonce sent before each record) and ChaCha20-Poly1305 as RFC 7905 does (the
//! 12-byte IV XOR the sequence number, nothing sent). The additional data is the sequence
//! number, the record's type and version, and the plaintext's length.

use alloc::boxed::Box;

use rustls::crypto::cipher::{
    AeadKey, InboundOpaqueMessage, InboundPlainMessage, Iv, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, NONCE_LEN, Nonce, OutboundOpaqueMessage, OutboundPlainMessage,
    PrefixedPayload, Tls12AeadAlgorithm, UnsupportedOperationError, make_tls12_aad,
};
use rustls::{ConnectionTrafficSecrets, Error};

use super::cipher::{Cipher, Kind, TAG_LEN};
use super::{MAX_FRAGMENT_LEN, Refuse};

/// The implicit part of a GCM nonce, from the key block.
const SALT_LEN: usize = 4;

/// The explicit part of a GCM nonce, sent before each record.
const EXPLICIT_LEN: usize = NONCE_LEN - SALT_LEN;

/// AES-GCM for TLS 1.2 (`kind` is one of the GCM ciphers).
pub(in crate::tls::provider) struct Tls12Gcm(pub(in crate::tls::provider) Kind);

impl Tls12AeadAlgorithm for Tls12Gcm {
    fn encrypter(&self, key: AeadKey, iv: &[u8], extra: &[u8]) -> Box<dyn MessageEncrypter> {
        // Each nonce is the salt and the key block's extra 8 bytes, XOR the sequence number: a
        // counter from a secret start, so never the same twice under one key. Its last 8 bytes
        // go before the record.
        let start = <[u8; SALT_LEN]>::try_from(iv)
            .ok()
            .zip(<[u8; EXPLICIT_LEN]>::try_from(extra).ok())
            .map(|(salt, explicit)| Iv::from(join(&salt, &explicit)));
        match (Cipher::new(self.0, key.as_ref()), start) {
            (Some(cipher), Some(iv)) => Box::new(Sealer {
                cipher,
                iv,
                explicit_nonce: true,
            }),
            _ => Refuse::encrypter(),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        match (
            Cipher::new(self.0, key.as_ref()),
            <[u8; SALT_LEN]>::try_from(iv),
        ) {
            (Some(cipher), Ok(salt)) => Box::new(Opener {
                cipher,
                nonce: NonceSource::Explicit { salt },
            }),
            _ => Refuse::decrypter(),
        }
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            enc_key_len: self.0.key_len(),
            fixed_iv_len: SALT_LEN,
            explicit_nonce_len: EXPLICIT_LEN,
        }
    }

    fn extract_keys(
        &self,
        _key: AeadKey,
        _iv: &[u8],
        _explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        Err(UnsupportedOperationError)
    }
}

/// ChaCha20-Poly1305 for TLS 1.2.
pub(in crate::tls::provider) struct Tls12ChaCha;

impl Tls12AeadAlgorithm for Tls12ChaCha {
    fn encrypter(&self, key: AeadKey, iv: &[u8], _extra: &[u8]) -> Box<dyn MessageEncrypter> {
        match chacha(&key, iv) {
            Some((cipher, iv)) => Box::new(Sealer {
                cipher,
                iv,
                explicit_nonce: false,
            }),
            None => Refuse::encrypter(),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        match chacha(&key, iv) {
            Some((cipher, iv)) => Box::new(Opener {
                cipher,
                nonce: NonceSource::Counter(iv),
            }),
            None => Refuse::decrypter(),
        }
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        KeyBlockShape {
            enc_key_len: Kind::ChaCha20Poly1305.key_len(),
            fixed_iv_len: NONCE_LEN,
            explicit_nonce_len: 0,
        }
    }

    fn extract_keys(
        &self,
        _key: AeadKey,
        _iv: &[u8],
        _explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        Err(UnsupportedOperationError)
    }
}

/// ChaCha20-Poly1305 keyed with `key`, and the 12-byte `iv`; `None` if either has the wrong
/// length.
fn chacha(key: &AeadKey, iv: &[u8]) -> Option<(Cipher, Iv)> {
    let iv = Iv::from(<[u8; NONCE_LEN]>::try_from(iv).ok()?);
    Some((Cipher::new(Kind::ChaCha20Poly1305, key.as_ref())?, iv))
}

/// The 12-byte nonce from its implicit and explicit parts.
fn join(salt: &[u8; SALT_LEN], explicit: &[u8; EXPLICIT_LEN]) -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    let (head, tail) = nonce.split_at_mut(SALT_LEN);
    head.copy_from_slice(salt);
    tail.copy_from_slice(explicit);
    nonce
}

/// Seals records: the nonce is `iv` XOR the sequence number; with `explicit_nonce` (GCM) its
/// last 8 bytes are sent before the sealed record.
struct Sealer {
    cipher: Cipher,
    iv: Iv,
    explicit_nonce: bool,
}

impl Sealer {
    fn explicit_len(&self) -> usize {
        if self.explicit_nonce { EXPLICIT_LEN } else { 0 }
    }
}

impl MessageEncrypter for Sealer {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let nonce = Nonce::new(&self.iv, seq).0;
        let mut payload =
            PrefixedPayload::with_capacity(self.encrypted_payload_len(msg.payload.len()));
        if self.explicit_nonce {
            let (_, explicit) = nonce
                .split_first_chunk::<SALT_LEN>()
                .ok_or(Error::EncryptError)?;
            payload.extend_from_slice(explicit);
        }
        payload.extend_from_chunks(&msg.payload);
        let aad = make_tls12_aad(seq, msg.typ, msg.version, msg.payload.len());
        let body = payload
            .as_mut()
            .get_mut(self.explicit_len()..)
            .ok_or(Error::EncryptError)?;
        let tag = self.cipher.seal(nonce, &aad, body)?;
        payload.extend_from_slice(&tag);
        Ok(OutboundOpaqueMessage::new(msg.typ, msg.version, payload))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        self.explicit_len() + payload_len + TAG_LEN
    }
}

/// Where an opener's nonce comes from.
enum NonceSource {
    /// GCM: the salt, then the 8 bytes sent before the record.
    Explicit { salt: [u8; SALT_LEN] },
    /// ChaCha20-Poly1305: the IV XOR the sequence number.
    Counter(Iv),
}

/// Opens sealed records.
struct Opener {
    cipher: Cipher,
    nonce: NonceSource,
}

impl MessageDecrypter for Opener {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let explicit_len = match self.nonce {
            NonceSource::Explicit { .. } => EXPLICIT_LEN,
            NonceSource::Counter(_) => 0,
        };
        let plain_len = msg
            .payload
            .len()
            .checked_sub(explicit_len + TAG_LEN)
            .ok_or(Error::DecryptError)?;
        let aad = make_tls12_aad(seq, msg.typ, msg.version, plain_len);
        let (explicit, sealed) = msg
            .payload
            .split_at_mut_checked(explicit_len)
            .ok_or(Error::DecryptError)?;
        let nonce = match &self.nonce {
            NonceSource::Explicit { salt } => {
                let explicit =
                    <&[u8; EXPLICIT_LEN]>::try_from(&*explicit).map_err(|_| Error::DecryptError)?;
                join(salt, explicit)
            }
            NonceSource::Counter(iv) => Nonce::new(iv, seq).0,
        };
        self.cipher.open(nonce, &aad, sealed)?;
        if plain_len > MAX_FRAGMENT_LEN {
            return Err(Error::PeerSentOversizedRecord);
        }
        Ok(msg.into_plain_message_range(explicit_len..explicit_len + plain_len))
    }
}
