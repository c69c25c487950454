//! What the provider's tests share: server identities (RSA 2048 from the test PKI, ECDSA P-256
//! and P-384 from rcgen) and a seeded process-wide generator.

extern crate std;

use alloc::vec::Vec;
use std::sync::OnceLock;

use cognito_tests::pki::TestPki;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A server's chain (leaf first) and private key.
pub(super) struct Identity {
    /// The chain, leaf first.
    pub(super) chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub(super) key: PrivateKeyDer<'static>,
}

impl Identity {
    /// The chain and a copy of the key, for a server configuration.
    pub(super) fn parts(&self) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        (self.chain.clone(), self.key.clone_key())
    }
}

/// The RSA 2048 test PKI (made once: it takes a few seconds).
pub(super) fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate().expect("test PKI"))
}

/// The test PKI's server: an RSA 2048 leaf under an RSA intermediate.
pub(super) fn rsa() -> &'static Identity {
    static RSA: OnceLock<Identity> = OnceLock::new();
    RSA.get_or_init(|| {
        let tls = pki().server.tls_identity();
        Identity {
            chain: tls
                .chain_der
                .into_iter()
                .map(CertificateDer::from)
                .collect(),
            key: PrivatePkcs8KeyDer::from(tls.key_der).into(),
        }
    })
}

/// A self-signed ECDSA P-256 certificate for `localhost`.
pub(super) fn p256() -> &'static Identity {
    static P256: OnceLock<Identity> = OnceLock::new();
    P256.get_or_init(|| self_signed(&rcgen::PKCS_ECDSA_P256_SHA256))
}

/// A self-signed ECDSA P-384 certificate for `localhost`.
pub(super) fn p384() -> &'static Identity {
    static P384: OnceLock<Identity> = OnceLock::new();
    P384.get_or_init(|| self_signed(&rcgen::PKCS_ECDSA_P384_SHA384))
}

/// A self-signed certificate for `localhost` with a fresh key of `alg`.
fn self_signed(alg: &'static rcgen::SignatureAlgorithm) -> Identity {
    let key = rcgen::KeyPair::generate_for(alg).expect("key");
    let params = rcgen::CertificateParams::new(alloc::vec!["localhost".into()]).expect("params");
    let cert = params.self_signed(&key).expect("certificate");
    Identity {
        chain: alloc::vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
    }
}

/// Seeds the process-wide generator (other tests may have already: entropy only accumulates).
pub(super) fn seed() {
    super::super::add_entropy(&[0x5a; 32]);
}
