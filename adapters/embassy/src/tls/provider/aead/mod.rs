//! Record protection: the AEAD ciphers (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305) and how TLS
//! 1.3 and TLS 1.2 build their nonces and additional data around them.

mod cipher;
mod tls12;
mod tls13;

pub(super) use cipher::Kind;
pub(super) use tls12::{Tls12ChaCha, Tls12Gcm};
pub(super) use tls13::Tls13Aead;

use alloc::boxed::Box;

use rustls::Error;
use rustls::crypto::cipher::{
    InboundOpaqueMessage, InboundPlainMessage, MessageDecrypter, MessageEncrypter,
    OutboundOpaqueMessage, OutboundPlainMessage,
};

/// The largest plaintext a record may carry (2^14 bytes).
const MAX_FRAGMENT_LEN: usize = 16_384;

/// What stands in for a record protector whose key or IV rustls gave in the wrong length (which
/// it never does): it refuses every record, so the connection fails rather than the program.
struct Refuse;

impl Refuse {
    /// A boxed encrypter that refuses.
    fn encrypter() -> Box<dyn MessageEncrypter> {
        Box::new(Self)
    }

    /// A boxed decrypter that refuses.
    fn decrypter() -> Box<dyn MessageDecrypter> {
        Box::new(Self)
    }
}

impl MessageEncrypter for Refuse {
    fn encrypt(
        &mut self,
        _msg: OutboundPlainMessage<'_>,
        _seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        Err(Error::EncryptError)
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len
    }
}

impl MessageDecrypter for Refuse {
    fn decrypt<'a>(
        &mut self,
        _msg: InboundOpaqueMessage<'a>,
        _seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        Err(Error::DecryptError)
    }
}
