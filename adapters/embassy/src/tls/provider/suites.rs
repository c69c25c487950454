//! The cipher suites: TLS 1.3's three, and TLS 1.2's ECDHE suites with ECDSA or RSA
//! certificates, each with AES-GCM or ChaCha20-Poly1305.
//!
//! ChaCha20-Poly1305 comes first: on a microcontroller without AES instructions it is the faster
//! cipher in software, and it needs no tables. A server that prefers its own order still can.

use rustls::crypto::tls12::PrfUsingHmac;
use rustls::crypto::tls13::HkdfUsingHmac;
use rustls::crypto::{CipherSuiteCommon, KeyExchangeAlgorithm};
use rustls::{
    CipherSuite, SignatureScheme, SupportedCipherSuite, Tls12CipherSuite, Tls13CipherSuite,
};

use super::aead::{Kind, Tls12ChaCha, Tls12Gcm, Tls13Aead};
use super::{hash, hmac};

/// Every suite, in the client's order of preference.
pub(super) static ALL: [SupportedCipherSuite; 9] = [
    TLS13_CHACHA20_POLY1305_SHA256,
    TLS13_AES_128_GCM_SHA256,
    TLS13_AES_256_GCM_SHA384,
    TLS12_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    TLS12_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    TLS12_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    TLS12_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    TLS12_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    TLS12_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
];

/// How many records one AES-GCM key may seal (2^24 full records: see rustls'
/// `CipherSuiteCommon::confidentiality_limit`).
const GCM_RECORD_LIMIT: u64 = 1 << 24;

/// ChaCha20-Poly1305 has no such limit within a 64-bit sequence number.
const CHACHA_RECORD_LIMIT: u64 = u64::MAX;

/// TLS_CHACHA20_POLY1305_SHA256.
pub(super) static TLS13_CHACHA20_POLY1305_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls13(&Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
            hash_provider: &hash::SHA256,
            confidentiality_limit: CHACHA_RECORD_LIMIT,
        },
        hkdf_provider: &HkdfUsingHmac(&hmac::HMAC_SHA256),
        aead_alg: &Tls13Aead(Kind::ChaCha20Poly1305),
        quic: None,
    });

/// TLS_AES_128_GCM_SHA256.
pub(super) static TLS13_AES_128_GCM_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls13(&Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS13_AES_128_GCM_SHA256,
            hash_provider: &hash::SHA256,
            confidentiality_limit: GCM_RECORD_LIMIT,
        },
        hkdf_provider: &HkdfUsingHmac(&hmac::HMAC_SHA256),
        aead_alg: &Tls13Aead(Kind::Aes128Gcm),
        quic: None,
    });

/// TLS_AES_256_GCM_SHA384.
pub(super) static TLS13_AES_256_GCM_SHA384: SupportedCipherSuite =
    SupportedCipherSuite::Tls13(&Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS13_AES_256_GCM_SHA384,
            hash_provider: &hash::SHA384,
            confidentiality_limit: GCM_RECORD_LIMIT,
        },
        hkdf_provider: &HkdfUsingHmac(&hmac::HMAC_SHA384),
        aead_alg: &Tls13Aead(Kind::Aes256Gcm),
        quic: None,
    });

/// The handshake signatures an ECDSA suite accepts in TLS 1.2.
static ECDSA_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_NISTP256_SHA256,
    SignatureScheme::ECDSA_NISTP384_SHA384,
];

/// The handshake signatures an RSA suite accepts in TLS 1.2.
static RSA_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::RSA_PSS_SHA256,
    SignatureScheme::RSA_PSS_SHA384,
    SignatureScheme::RSA_PSS_SHA512,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA512,
];

/// TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256.
pub(super) static TLS12_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls12(&Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            hash_provider: &hash::SHA256,
            confidentiality_limit: CHACHA_RECORD_LIMIT,
        },
        prf_provider: &PrfUsingHmac(&hmac::HMAC_SHA256),
        kx: KeyExchangeAlgorithm::ECDHE,
        sign: ECDSA_SCHEMES,
        aead_alg: &Tls12ChaCha,
    });

/// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.
pub(super) static TLS12_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls12(&Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            hash_provider: &hash::SHA256,
            confidentiality_limit: GCM_RECORD_LIMIT,
        },
        prf_provider: &PrfUsingHmac(&hmac::HMAC_SHA256),
        kx: KeyExchangeAlgorithm::ECDHE,
        sign: ECDSA_SCHEMES,
        aead_alg: &Tls12Gcm(Kind::Aes128Gcm),
    });

/// TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384.
pub(super) static TLS12_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: SupportedCipherSuite =
    SupportedCipherSuite::Tls12(&Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            hash_provider: &hash::SHA384,
            confidentiality_limit: GCM_RECORD_LIMIT,
        },
        prf_provider: &PrfUsingHmac(&hmac::HMAC_SHA384),
        kx: KeyExchangeAlgorithm::ECDHE,
        sign: ECDSA_SCHEMES,
        aead_alg: &Tls12Gcm(Kind::Aes256Gcm),
    });

/// TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256.
pub(super) static TLS12_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls12(&Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            hash_provider: &hash::SHA256,
            confidentiality_limit: CHACHA_RECORD_LIMIT,
        },
        prf_provider: &PrfUsingHmac(&hmac::HMAC_SHA256),
        kx: KeyExchangeAlgorithm::ECDHE,
        sign: RSA_SCHEMES,
        aead_alg: &Tls12ChaCha,
    });

/// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.
pub(super) static TLS12_ECDHE_RSA_WITH_AES_128_GCM_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls12(&Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            hash_provider: &hash::SHA256,
            confidentiality_limit: GCM_RECORD_LIMIT,
        },
        prf_provider: &PrfUsingHmac(&hmac::HMAC_SHA256),
        kx: KeyExchangeAlgorithm::ECDHE,
        sign: RSA_SCHEMES,
        aead_alg: &Tls12Gcm(Kind::Aes128Gcm),
    });

/// TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384.
pub(super) static TLS12_ECDHE_RSA_WITH_AES_256_GCM_SHA384: SupportedCipherSuite =
    SupportedCipherSuite::Tls12(&Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            hash_provider: &hash::SHA384,
            confidentiality_limit: GCM_RECORD_LIMIT,
        },
        prf_provider: &PrfUsingHmac(&hmac::HMAC_SHA384),
        kx: KeyExchangeAlgorithm::ECDHE,
        sign: RSA_SCHEMES,
        aead_alg: &Tls12Gcm(Kind::Aes256Gcm),
    });
