//! SHA-256 and SHA-384 as rustls' hashes: the transcript hash of the suites.

use alloc::boxed::Box;
use core::marker::PhantomData;

use rustls::crypto::hash::{Context, Hash, HashAlgorithm, Output};
use sha2::Digest;

/// SHA-256.
pub(super) static SHA256: Sha2<sha2::Sha256> = Sha2::new(HashAlgorithm::SHA256);

/// SHA-384.
pub(super) static SHA384: Sha2<sha2::Sha384> = Sha2::new(HashAlgorithm::SHA384);

/// The SHA-2 hash `D`, named `algorithm` in TLS.
pub(super) struct Sha2<D> {
    algorithm: HashAlgorithm,
    digest: PhantomData<fn() -> D>,
}

impl<D> Sha2<D> {
    /// The hash `D` under its TLS name.
    const fn new(algorithm: HashAlgorithm) -> Self {
        Self {
            algorithm,
            digest: PhantomData,
        }
    }
}

impl<D: Digest + Clone + Send + Sync + 'static> Hash for Sha2<D> {
    fn start(&self) -> Box<dyn Context> {
        Box::new(Sha2Context(D::new()))
    }

    fn hash(&self, data: &[u8]) -> Output {
        Output::new(&D::digest(data))
    }

    fn output_len(&self) -> usize {
        <D as Digest>::output_size()
    }

    fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }
}

/// A running SHA-2 hash.
struct Sha2Context<D>(D);

impl<D: Digest + Clone + Send + Sync + 'static> Context for Sha2Context<D> {
    fn fork_finish(&self) -> Output {
        Output::new(&self.0.clone().finalize())
    }

    fn fork(&self) -> Box<dyn Context> {
        Box::new(Self(self.0.clone()))
    }

    fn finish(self: Box<Self>) -> Output {
        Output::new(&self.0.finalize())
    }

    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256("abc"), from FIPS 180-2.
    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /// SHA-384("abc"), from FIPS 180-2.
    const ABC_SHA384: &str = "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
                              8086072ba1e7cc2358baeca134c825a7";

    /// `bytes` in lowercase hex.
    fn hex(bytes: &[u8]) -> alloc::string::String {
        bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    #[test]
    fn known_answers() {
        assert_eq!(hex(SHA256.hash(b"abc").as_ref()), ABC_SHA256);
        assert_eq!(hex(SHA384.hash(b"abc").as_ref()), ABC_SHA384);
        assert_eq!(SHA256.output_len(), 32);
        assert_eq!(SHA384.output_len(), 48);
        assert_eq!(SHA256.algorithm(), HashAlgorithm::SHA256);
        assert_eq!(SHA384.algorithm(), HashAlgorithm::SHA384);
    }

    #[test]
    fn contexts_fork_and_finish() {
        for hash in [&SHA256 as &dyn Hash, &SHA384] {
            let mut context = hash.start();
            context.update(b"a");
            let fork = context.fork();
            assert_eq!(fork.fork_finish().as_ref(), hash.hash(b"a").as_ref());
            context.update(b"bc");
            assert_eq!(context.fork_finish().as_ref(), hash.hash(b"abc").as_ref());
            assert_eq!(context.finish().as_ref(), hash.hash(b"abc").as_ref());
            assert_eq!(fork.finish().as_ref(), hash.hash(b"a").as_ref());
        }
    }
}
