//! Record protection against ring's, byte for byte, and what a damaged record gets.

use alloc::boxed::Box;
use alloc::vec::Vec;

use rustls::crypto::cipher::{
    AeadKey, InboundOpaqueMessage, Iv, MessageDecrypter, MessageEncrypter, OutboundChunks,
    OutboundPlainMessage,
};
use rustls::crypto::ring::cipher_suite as ring;
use rustls::{ContentType, Error, PeerMisbehaved, ProtocolVersion, SupportedCipherSuite};

use super::super::suites;

/// A key, as rustls would derive it.
const KEY: [u8; 32] = [0x4b; 32];
/// An IV (its first 4 bytes are the GCM salt in TLS 1.2).
const IV: [u8; 12] = [
    0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5, 0xc4,
];
/// The key block's extra bytes (TLS 1.2 GCM's first explicit nonce).
const EXTRA: [u8; 8] = [0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87, 0x78];

/// An encrypter and a decrypter keyed alike.
type Protectors = (Box<dyn MessageEncrypter>, Box<dyn MessageDecrypter>);

/// `suite`'s record protection with [`KEY`], [`IV`] and [`EXTRA`].
fn protectors(suite: SupportedCipherSuite) -> Protectors {
    match suite {
        SupportedCipherSuite::Tls13(suite) => (
            suite.aead_alg.encrypter(AeadKey::from(KEY), Iv::from(IV)),
            suite.aead_alg.decrypter(AeadKey::from(KEY), Iv::from(IV)),
        ),
        SupportedCipherSuite::Tls12(suite) => {
            let shape = suite.aead_alg.key_block_shape();
            let iv = &IV[..shape.fixed_iv_len];
            (
                suite.aead_alg.encrypter(
                    AeadKey::from(KEY),
                    iv,
                    &EXTRA[..shape.explicit_nonce_len],
                ),
                suite.aead_alg.decrypter(AeadKey::from(KEY), iv),
            )
        }
    }
}

/// The suites with 32-byte keys (rustls' `AeadKey` can only be made that long from outside),
/// ours and ring's.
fn pairs() -> [(SupportedCipherSuite, SupportedCipherSuite, ProtocolVersion); 4] {
    [
        (
            suites::TLS13_AES_256_GCM_SHA384,
            ring::TLS13_AES_256_GCM_SHA384,
            ProtocolVersion::TLSv1_3,
        ),
        (
            suites::TLS13_CHACHA20_POLY1305_SHA256,
            ring::TLS13_CHACHA20_POLY1305_SHA256,
            ProtocolVersion::TLSv1_3,
        ),
        (
            suites::TLS12_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            ring::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            ProtocolVersion::TLSv1_2,
        ),
        (
            suites::TLS12_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            ring::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            ProtocolVersion::TLSv1_2,
        ),
    ]
}

/// A plaintext record of `typ` carrying `payload`.
fn plain(typ: ContentType, payload: &[u8]) -> OutboundPlainMessage<'_> {
    OutboundPlainMessage {
        typ,
        version: ProtocolVersion::TLSv1_2,
        payload: OutboundChunks::from(payload),
    }
}

/// Opens `sealed` as a record of `typ` and `version`, returning its type and plaintext.
fn open(
    decrypter: &mut dyn MessageDecrypter,
    typ: ContentType,
    version: ProtocolVersion,
    sealed: &[u8],
    seq: u64,
) -> Result<(ContentType, Vec<u8>), Error> {
    let mut buf = sealed.to_vec();
    let opened = decrypter.decrypt(InboundOpaqueMessage::new(typ, version, &mut buf), seq)?;
    Ok((opened.typ, opened.payload.to_vec()))
}

#[test]
fn records_match_ring_byte_for_byte() {
    for (ours, theirs, version) in pairs() {
        let (mut our_sealer, mut our_opener) = protectors(ours);
        let (mut ring_sealer, mut ring_opener) = protectors(theirs);
        for (seq, len) in [
            (0u64, 0usize),
            (1, 1),
            (2, 100),
            (0x0102_0304_0506_0708, 16_384),
        ] {
            let payload: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let typ = ContentType::ApplicationData;
            let a = our_sealer.encrypt(plain(typ, &payload), seq).unwrap();
            let b = ring_sealer.encrypt(plain(typ, &payload), seq).unwrap();
            assert_eq!(a.payload.as_ref(), b.payload.as_ref(), "{ours:?} seq {seq}");
            assert_eq!((a.typ, a.version), (b.typ, b.version));
            assert_eq!(
                our_sealer.encrypted_payload_len(len),
                a.payload.as_ref().len()
            );

            let expected = (ContentType::ApplicationData, payload.clone());
            let sealed = b.payload.as_ref();
            assert_eq!(
                open(&mut *our_opener, b.typ, version, sealed, seq),
                Ok(expected.clone())
            );
            let sealed = a.payload.as_ref();
            assert_eq!(
                open(&mut *ring_opener, a.typ, version, sealed, seq),
                Ok(expected)
            );
            // Another sequence number is another nonce (and, in TLS 1.2, other data).
            let wrong = open(&mut *our_opener, a.typ, version, sealed, seq + 1);
            assert_eq!(wrong, Err(Error::DecryptError));
        }
    }
}

#[test]
fn every_flipped_bit_position_is_refused() {
    for (ours, _, version) in pairs() {
        let (mut sealer, mut opener) = protectors(ours);
        let sealed = sealer
            .encrypt(plain(ContentType::Handshake, b"finished"), 3)
            .unwrap();
        let (typ, sealed) = (sealed.typ, sealed.payload.as_ref().to_vec());
        for i in 0..sealed.len() {
            for bit in [0x01u8, 0x80] {
                let mut damaged = sealed.clone();
                damaged[i] ^= bit;
                let result = open(&mut *opener, typ, version, &damaged, 3);
                assert_eq!(result, Err(Error::DecryptError), "{ours:?} byte {i}");
            }
        }
        // The header is authenticated too: in TLS 1.2 the type and version directly, in
        // TLS 1.3 the length.
        if version == ProtocolVersion::TLSv1_2 {
            let result = open(&mut *opener, ContentType::Alert, version, &sealed, 3);
            assert_eq!(result, Err(Error::DecryptError));
            let result = open(&mut *opener, typ, ProtocolVersion::TLSv1_0, &sealed, 3);
            assert_eq!(result, Err(Error::DecryptError));
        }
        let result = open(&mut *opener, typ, version, &sealed, 3);
        assert_eq!(result, Ok((ContentType::Handshake, b"finished".to_vec())));
    }
}

#[test]
fn short_records_are_refused_without_panicking() {
    for (ours, _, version) in pairs() {
        let (_, mut opener) = protectors(ours);
        for len in 0..=40 {
            let junk: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let result = open(
                &mut *opener,
                ContentType::ApplicationData,
                version,
                &junk,
                0,
            );
            assert_eq!(result, Err(Error::DecryptError), "{ours:?}, {len} bytes");
        }
    }
}

#[test]
fn oversized_records_are_refused() {
    for (ours, _, version) in pairs() {
        let (mut sealer, mut opener) = protectors(ours);
        let payload = alloc::vec![0x61u8; 16_385];
        let sealed = sealer
            .encrypt(plain(ContentType::ApplicationData, &payload), 0)
            .unwrap();
        let result = open(
            &mut *opener,
            sealed.typ,
            version,
            sealed.payload.as_ref(),
            0,
        );
        assert_eq!(result, Err(Error::PeerSentOversizedRecord), "{ours:?}");
    }
}

#[test]
fn tls13_padding_and_inner_type() {
    let (mut sealer, mut opener) = protectors(suites::TLS13_CHACHA20_POLY1305_SHA256);
    // Sealing "hello", an inner type and zeros as a record of type 0 leaves the zeros as padding.
    let padded = b"hello\x17\x00\x00\x00";
    let sealed = sealer
        .encrypt(plain(ContentType::Unknown(0), padded), 0)
        .unwrap();
    let (typ, version) = (sealed.typ, ProtocolVersion::TLSv1_3);
    assert_eq!(
        typ,
        ContentType::ApplicationData,
        "the outer type hides the inner"
    );
    let result = open(&mut *opener, typ, version, sealed.payload.as_ref(), 0);
    assert_eq!(
        result,
        Ok((ContentType::ApplicationData, b"hello".to_vec()))
    );
    // All padding and no type.
    let sealed = sealer
        .encrypt(plain(ContentType::Unknown(0), &[0, 0]), 1)
        .unwrap();
    let result = open(&mut *opener, typ, version, sealed.payload.as_ref(), 1);
    assert_eq!(result, Err(PeerMisbehaved::IllegalTlsInnerPlaintext.into()));
}

#[test]
fn keys_of_the_wrong_length_refuse_every_record() {
    // rustls hands AES-128 suites 16-byte keys; a 32-byte one must not be truncated or used.
    for suite in [
        suites::TLS13_AES_128_GCM_SHA256,
        suites::TLS12_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ] {
        let (mut sealer, mut opener) = protectors(suite);
        let result = sealer.encrypt(plain(ContentType::ApplicationData, b"x"), 0);
        assert_eq!(result.err(), Some(Error::EncryptError));
        let result = open(
            &mut *opener,
            ContentType::ApplicationData,
            ProtocolVersion::TLSv1_2,
            &[0; 64],
            0,
        );
        assert_eq!(result, Err(Error::DecryptError));
    }
}

#[test]
fn keys_are_not_exported() {
    for suite in [
        suites::TLS13_AES_256_GCM_SHA384,
        suites::TLS12_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ] {
        let exported = match suite {
            SupportedCipherSuite::Tls13(s) => s
                .aead_alg
                .extract_keys(AeadKey::from(KEY), Iv::from(IV))
                .is_ok(),
            SupportedCipherSuite::Tls12(s) => s
                .aead_alg
                .extract_keys(AeadKey::from(KEY), &IV[..4], &EXTRA)
                .is_ok(),
        };
        assert!(!exported);
    }
}
