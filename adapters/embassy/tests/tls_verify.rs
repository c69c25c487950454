//! The public face of the TLS layer's trust anchors ([`TrustAnchors`]), as a firmware uses it:
//! Amazon's roots by default, a whole static list, or a private CA's certificate. The verifier
//! itself is crate-private and tested beside its code (`src/tls/verify.rs`).

#![cfg(feature = "tls")]
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_embassy::error::TlsError;
use cognito_embassy::tls::TrustAnchors;

/// Amazon's five roots, each one of webpki-roots' (Mozilla's) list.
#[test]
fn amazon_anchors_are_five_of_mozillas() {
    let amazon = TrustAnchors::amazon();
    assert_eq!(amazon.as_slice().len(), 5);
    for anchor in amazon.as_slice() {
        assert!(webpki_roots::TLS_SERVER_ROOTS.contains(anchor));
    }
}

/// A static list (here webpki-roots' whole list) is taken in a constant, without the heap.
#[test]
fn a_static_list_needs_no_heap() {
    const MOZILLA: TrustAnchors = TrustAnchors::from_static(webpki_roots::TLS_SERVER_ROOTS);
    assert_eq!(MOZILLA.as_slice(), webpki_roots::TLS_SERVER_ROOTS);
}

/// A private CA's root (the test PKI's) is taken from its DER; garbage is refused.
#[test]
fn a_private_root_from_der() {
    let pki = cognito_tests::pki::TestPki::generate().unwrap();
    let anchors =
        TrustAnchors::from_der_certificates([pki.root.der.as_slice(), &pki.other_root.der])
            .unwrap();
    assert_eq!(anchors.as_slice().len(), 2);
    assert_ne!(anchors.as_slice()[0], anchors.as_slice()[1]);
    let refused = TrustAnchors::from_der_certificates([b"garbage".as_slice()]);
    assert_eq!(refused.map(|_| ()), Err(TlsError::UnsupportedCertificate));
}
