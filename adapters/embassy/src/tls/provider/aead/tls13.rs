//! TLS 1.3 record protection (RFC 8446 section 5.2): the nonce is the IV XOR the sequence
//! number, the additional data the record header, and the true content type travels encrypted
//! at the end of the plaintext.

use alloc::boxed::Box;

use rustls::crypto::cipher::{
    AeadKey, InboundOpaqueMessage, InboundPlainMessage, Iv, MessageDecrypter, MessageEncrypter,
    Nonce, OutboundOpaqueMessage, OutboundPlainMessage, PrefixedPayload, Tls13AeadAlgorithm,
    UnsupportedOperationError, make_tls13_aad,
};
use rustls::{ConnectionTrafficSecrets, ContentType, Error, ProtocolVersion};

use super::Refuse;
use super::cipher::{Cipher, Kind, TAG_LEN};

/// A TLS 1.3 AEAD algorithm.
pub(in crate::tls::provider) struct Tls13Aead(pub(in crate::tls::provider) Kind);

impl Tls13AeadAlgorithm for Tls13Aead {
    fn encrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageEncrypter> {
        match Cipher::new(self.0, key.as_ref()) {
            Some(cipher) => Box::new(Tls13Protector { cipher, iv }),
            None => Refuse::encrypter(),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageDecrypter> {
        match Cipher::new(self.0, key.as_ref()) {
            Some(cipher) => Box::new(Tls13Protector { cipher, iv }),
            None => Refuse::decrypter(),
        }
    }

    fn key_len(&self) -> usize {
        self.0.key_len()
    }

    fn extract_keys(
        &self,
        _key: AeadKey,
        _iv: Iv,
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        // The keys stay inside: there is no kernel TLS to hand them to.
        Err(UnsupportedOperationError)
    }
}

/// One direction's cipher and IV.
pub(super) struct Tls13Protector {
    cipher: Cipher,
    iv: Iv,
}

impl MessageEncrypter for Tls13Protector {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let total_len = self.encrypted_payload_len(msg.payload.len());
        let mut payload = PrefixedPayload::with_capacity(total_len);
        payload.extend_from_chunks(&msg.payload);
        payload.extend_from_slice(&[u8::from(msg.typ)]);
        let tag = self.cipher.seal(
            Nonce::new(&self.iv, seq).0,
            &make_tls13_aad(total_len),
            payload.as_mut(),
        )?;
        payload.extend_from_slice(&tag);
        Ok(OutboundOpaqueMessage::new(
            ContentType::ApplicationData,
            // The legacy record version, TLS 1.2 on every TLS 1.3 record.
            ProtocolVersion::TLSv1_2,
            payload,
        ))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + 1 + TAG_LEN
    }
}

impl MessageDecrypter for Tls13Protector {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let aad = make_tls13_aad(msg.payload.len());
        let plain_len = self
            .cipher
            .open(Nonce::new(&self.iv, seq).0, &aad, &mut msg.payload)?;
        msg.payload.truncate(plain_len);
        // Strips the padding and the inner content type, and checks the lengths.
        msg.into_tls13_unpadded_message()
    }
}
