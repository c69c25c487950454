//! Signature checks against ring's verifiers, the RSA key size floor, and certificate paths
//! that webpki builds with our algorithms.

use alloc::vec::Vec;
use core::time::Duration;

use p256::ecdsa::signature::hazmat::PrehashSigner;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use rsa::RsaPrivateKey;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use rustls::SignatureScheme;
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime, alg_id};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::super::SIGNATURE_ALGORITHMS;
use super::fixtures;

/// A signature verification algorithm.
type Algorithm = &'static dyn SignatureVerificationAlgorithm;

/// What is signed.
const MESSAGE: &[u8] = b"TLS 1.3, server CertificateVerify\x00 and the transcript hash";

/// Ours with these identifiers.
fn ours(
    public_key: alg_id::AlgorithmIdentifier,
    signature: alg_id::AlgorithmIdentifier,
) -> Algorithm {
    *SIGNATURE_ALGORITHMS
        .all
        .iter()
        .find(|a| a.public_key_alg_id() == public_key && a.signature_alg_id() == signature)
        .expect("we have it")
}

/// ring's algorithm with the same identifiers as `alg`.
fn ring_twin(alg: Algorithm) -> Algorithm {
    let ring = rustls::crypto::ring::default_provider().signature_verification_algorithms;
    *ring
        .all
        .iter()
        .find(|r| {
            r.public_key_alg_id() == alg.public_key_alg_id()
                && r.signature_alg_id() == alg.signature_alg_id()
        })
        .unwrap_or_else(|| panic!("ring has {alg:?}"))
}

#[test]
fn every_algorithm_has_a_ring_twin_and_a_scheme() {
    assert_eq!(SIGNATURE_ALGORITHMS.all.len(), 10);
    for alg in SIGNATURE_ALGORITHMS.all {
        let _ = ring_twin(*alg);
        let mapped = SIGNATURE_ALGORITHMS
            .mapping
            .iter()
            .any(|(_, algs)| algs.iter().any(|a| core::ptr::addr_eq(*a, *alg)));
        assert!(mapped, "{alg:?} is reachable from a scheme");
    }
    for (_, algs) in SIGNATURE_ALGORITHMS.mapping {
        for alg in *algs {
            assert!(
                SIGNATURE_ALGORITHMS
                    .all
                    .iter()
                    .any(|a| core::ptr::addr_eq(*a, *alg))
            );
        }
    }
    // TLS 1.3 takes the first entry: the curve its scheme names.
    let first = |scheme| {
        let (_, algs) = SIGNATURE_ALGORITHMS
            .mapping
            .iter()
            .find(|(s, _)| *s == scheme)
            .unwrap();
        algs[0].public_key_alg_id()
    };
    assert_eq!(
        first(SignatureScheme::ECDSA_NISTP256_SHA256),
        alg_id::ECDSA_P256
    );
    assert_eq!(
        first(SignatureScheme::ECDSA_NISTP384_SHA384),
        alg_id::ECDSA_P384
    );
}

/// Checks `signature` over [`MESSAGE`] with `alg` and its ring twin: both accept it, and both
/// refuse it over another message or with a bit flipped.
fn accepted_like_ring(alg: Algorithm, public_key: &[u8], signature: &[u8]) {
    let ring = ring_twin(alg);
    for verifier in [alg, ring] {
        assert!(
            verifier
                .verify_signature(public_key, MESSAGE, signature)
                .is_ok(),
            "{verifier:?}"
        );
        assert!(
            verifier
                .verify_signature(public_key, b"another", signature)
                .is_err()
        );
        let mut flipped = signature.to_vec();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(
            verifier
                .verify_signature(public_key, MESSAGE, &flipped)
                .is_err()
        );
    }
}

#[test]
fn ecdsa_every_curve_and_hash() {
    let mut rng = ChaCha20Rng::seed_from_u64(256);
    let p256 = p256::ecdsa::SigningKey::random(&mut rng);
    let p384 = p384::ecdsa::SigningKey::random(&mut rng);
    let p256_public = p256
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    let p384_public = p384
        .verifying_key()
        .to_encoded_point(false)
        .as_bytes()
        .to_vec();
    let sha256 = Sha256::digest(MESSAGE);
    let sha384 = Sha384::digest(MESSAGE);

    let cases: [(_, _, &[u8], Vec<u8>); 4] = [
        (alg_id::ECDSA_P256, alg_id::ECDSA_SHA256, &p256_public, {
            let s: p256::ecdsa::Signature = p256.sign_prehash(&sha256).unwrap();
            s.to_der().as_bytes().to_vec()
        }),
        (alg_id::ECDSA_P256, alg_id::ECDSA_SHA384, &p256_public, {
            let s: p256::ecdsa::Signature = p256.sign_prehash(&sha384).unwrap();
            s.to_der().as_bytes().to_vec()
        }),
        (alg_id::ECDSA_P384, alg_id::ECDSA_SHA256, &p384_public, {
            let s: p384::ecdsa::Signature = p384.sign_prehash(&sha256).unwrap();
            s.to_der().as_bytes().to_vec()
        }),
        (alg_id::ECDSA_P384, alg_id::ECDSA_SHA384, &p384_public, {
            let s: p384::ecdsa::Signature = p384.sign_prehash(&sha384).unwrap();
            s.to_der().as_bytes().to_vec()
        }),
    ];
    for (curve, hash, public_key, signature) in &cases {
        let alg = ours(*curve, *hash);
        accepted_like_ring(alg, public_key, signature);
        // Not DER: the same numbers as two fixed-size integers.
        let fixed: Vec<u8> = match *curve == alg_id::ECDSA_P256 {
            true => p256::ecdsa::Signature::from_der(signature)
                .unwrap()
                .to_bytes()
                .to_vec(),
            false => p384::ecdsa::Signature::from_der(signature)
                .unwrap()
                .to_bytes()
                .to_vec(),
        };
        assert!(alg.verify_signature(public_key, MESSAGE, &fixed).is_err());
        // The other hash over the same key.
        let other = if *hash == alg_id::ECDSA_SHA256 {
            alg_id::ECDSA_SHA384
        } else {
            alg_id::ECDSA_SHA256
        };
        assert!(
            ours(*curve, other)
                .verify_signature(public_key, MESSAGE, signature)
                .is_err()
        );
    }
    // A key on the other curve, a compressed key, and no key.
    let p256_sha256 = ours(alg_id::ECDSA_P256, alg_id::ECDSA_SHA256);
    assert!(
        p256_sha256
            .verify_signature(&p384_public, MESSAGE, &cases[0].3)
            .is_err()
    );
    let compressed = p256.verifying_key().to_encoded_point(true);
    assert!(
        p256_sha256
            .verify_signature(compressed.as_bytes(), MESSAGE, &cases[0].3)
            .is_err()
    );
    assert!(
        p256_sha256
            .verify_signature(&[], MESSAGE, &cases[0].3)
            .is_err()
    );
}

/// The RSA public key of `key` as a certificate carries it (RSAPublicKey).
fn rsa_public(key: &RsaPrivateKey) -> Vec<u8> {
    key.to_public_key()
        .to_pkcs1_der()
        .unwrap()
        .as_bytes()
        .to_vec()
}

/// PKCS #1 v1.5 and PSS signatures over [`MESSAGE`] by `key`, each with its algorithm
/// identifier (PSS with SHA-512 only when the key is large enough for it).
fn rsa_signatures(key: &RsaPrivateKey) -> Vec<(alg_id::AlgorithmIdentifier, Vec<u8>)> {
    let mut rng = ChaCha20Rng::seed_from_u64(2048);
    let mut signatures = alloc::vec![
        (
            alg_id::RSA_PKCS1_SHA256,
            rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone())
                .sign(MESSAGE)
                .to_vec()
        ),
        (
            alg_id::RSA_PKCS1_SHA384,
            rsa::pkcs1v15::SigningKey::<Sha384>::new(key.clone())
                .sign(MESSAGE)
                .to_vec()
        ),
        (
            alg_id::RSA_PKCS1_SHA512,
            rsa::pkcs1v15::SigningKey::<Sha512>::new(key.clone())
                .sign(MESSAGE)
                .to_vec()
        ),
        (
            alg_id::RSA_PSS_SHA256,
            rsa::pss::SigningKey::<Sha256>::new(key.clone())
                .sign_with_rng(&mut rng, MESSAGE)
                .to_vec()
        ),
        (
            alg_id::RSA_PSS_SHA384,
            rsa::pss::SigningKey::<Sha384>::new(key.clone())
                .sign_with_rng(&mut rng, MESSAGE)
                .to_vec()
        ),
    ];
    // PSS needs room for the digest, a salt as long, and two bytes.
    if rsa::traits::PublicKeyParts::size(key) >= 2 * 64 + 2 {
        signatures.push((
            alg_id::RSA_PSS_SHA512,
            rsa::pss::SigningKey::<Sha512>::new(key.clone())
                .sign_with_rng(&mut rng, MESSAGE)
                .to_vec(),
        ));
    }
    signatures
}

#[test]
fn rsa_2048_every_padding_and_hash() {
    let key = RsaPrivateKey::from_pkcs8_der(&fixtures::pki().leaf_key.der).unwrap();
    let public = rsa_public(&key);
    let signatures = rsa_signatures(&key);
    assert_eq!(signatures.len(), 6);
    for (id, signature) in &signatures {
        accepted_like_ring(ours(alg_id::RSA_ENCRYPTION, *id), &public, signature);
    }
    // A signature checked under another padding or hash, or with its leading byte stripped.
    let (pkcs1_sha256, pss_sha256) = (&signatures[0].1, &signatures[3].1);
    let pss = ours(alg_id::RSA_ENCRYPTION, alg_id::RSA_PSS_SHA256);
    let pkcs1_sha384 = ours(alg_id::RSA_ENCRYPTION, alg_id::RSA_PKCS1_SHA384);
    assert!(
        pss.verify_signature(&public, MESSAGE, pkcs1_sha256)
            .is_err()
    );
    assert!(
        pkcs1_sha384
            .verify_signature(&public, MESSAGE, pkcs1_sha256)
            .is_err()
    );
    assert!(
        ours(alg_id::RSA_ENCRYPTION, alg_id::RSA_PSS_SHA384)
            .verify_signature(&public, MESSAGE, pss_sha256)
            .is_err()
    );
    assert!(
        pss.verify_signature(&public, MESSAGE, &pss_sha256[1..])
            .is_err()
    );
    assert!(
        pss.verify_signature(&public[1..], MESSAGE, pss_sha256)
            .is_err()
    );
}

#[test]
fn rsa_keys_below_2048_bits_are_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(1024);
    let key = RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let public = rsa_public(&key);
    for (id, signature) in rsa_signatures(&key) {
        // The signature is good: the rsa crate itself accepts it...
        let public_key = key.to_public_key();
        let good = match id {
            id if id == alg_id::RSA_PKCS1_SHA256 => {
                let signature = rsa::pkcs1v15::Signature::try_from(&signature[..]).unwrap();
                rsa::signature::Verifier::verify(
                    &rsa::pkcs1v15::VerifyingKey::<Sha256>::new(public_key),
                    MESSAGE,
                    &signature,
                )
                .is_ok()
            }
            id if id == alg_id::RSA_PSS_SHA256 => {
                let signature = rsa::pss::Signature::try_from(&signature[..]).unwrap();
                rsa::signature::Verifier::verify(
                    &rsa::pss::VerifyingKey::<Sha256>::new(public_key),
                    MESSAGE,
                    &signature,
                )
                .is_ok()
            }
            _ => true,
        };
        assert!(good);
        // ...but the key is too short.
        let alg = ours(alg_id::RSA_ENCRYPTION, id);
        assert!(
            alg.verify_signature(&public, MESSAGE, &signature).is_err(),
            "{alg:?}"
        );
    }
}

/// A time inside every test certificate's validity.
fn during(pki: &cognito_tests::pki::TestPki) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(pki.not_before + 86_400))
}

#[test]
fn an_rsa_certificate_path_verifies_with_our_algorithms() {
    let pki = fixtures::pki();
    let root = CertificateDer::from(pki.root.der.clone());
    let anchors = [webpki::anchor_from_trusted_cert(&root).unwrap()];
    let intermediates = [CertificateDer::from(pki.intermediate.der.clone())];
    let verify = |leaf: &CertificateDer<'_>, algs: &[Algorithm]| {
        let leaf = webpki::EndEntityCert::try_from(leaf).unwrap();
        leaf.verify_for_usage(
            algs,
            &anchors,
            &intermediates,
            during(pki),
            webpki::KeyUsage::server_auth(),
            None,
            None,
        )
        .map(|_| ())
    };
    let leaf = fixtures::rsa().chain[0].clone();
    assert_eq!(verify(&leaf, SIGNATURE_ALGORITHMS.all), Ok(()));
    // Without our RSA algorithms, no path.
    let ecdsa_only: Vec<Algorithm> = SIGNATURE_ALGORITHMS
        .all
        .iter()
        .copied()
        .filter(|a| a.public_key_alg_id() != alg_id::RSA_ENCRYPTION)
        .collect();
    assert!(verify(&leaf, &ecdsa_only).is_err());
    // A leaf whose signature was damaged.
    let mut damaged = leaf.to_vec();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert_eq!(
        verify(&CertificateDer::from(damaged), SIGNATURE_ALGORITHMS.all),
        Err(webpki::Error::InvalidSignatureForPublicKey)
    );
}

#[test]
fn ecdsa_certificate_paths_verify_with_our_algorithms() {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose,
    };
    let pairs = [
        (
            &rcgen::PKCS_ECDSA_P384_SHA384,
            &rcgen::PKCS_ECDSA_P256_SHA256,
        ),
        (
            &rcgen::PKCS_ECDSA_P256_SHA256,
            &rcgen::PKCS_ECDSA_P384_SHA384,
        ),
    ];
    for (ca_alg, leaf_alg) in pairs {
        let mut ca_params = CertificateParams::new(Vec::<alloc::string::String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = alloc::vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature
        ];
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate_for(ca_alg).unwrap())
            .unwrap();
        let leaf_key = KeyPair::generate_for(leaf_alg).unwrap();
        let leaf = CertificateParams::new(alloc::vec!["localhost".into()])
            .unwrap()
            .signed_by(&leaf_key, &*ca)
            .unwrap();
        let anchors = [webpki::anchor_from_trusted_cert(ca.der()).unwrap()];
        let now = UnixTime::since_unix_epoch(Duration::from_secs(1_800_000_000));
        let verify = |der: &CertificateDer<'_>| {
            webpki::EndEntityCert::try_from(der)
                .unwrap()
                .verify_for_usage(
                    SIGNATURE_ALGORITHMS.all,
                    &anchors,
                    &[],
                    now,
                    webpki::KeyUsage::server_auth(),
                    None,
                    None,
                )
                .map(|_| ())
        };
        assert_eq!(
            verify(leaf.der()),
            Ok(()),
            "{ca_alg:?} signing {leaf_alg:?}"
        );
        let mut damaged = leaf.der().to_vec();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert!(verify(&CertificateDer::from(damaged)).is_err());
    }
}
