//! The key provider of a client that presents no certificate: it loads no private key.

use alloc::string::String;
use alloc::sync::Arc;

use rustls::crypto::KeyProvider;
use rustls::sign::SigningKey;
use rustls_pki_types::PrivateKeyDer;

/// Refuses every private key: the client authenticates with Cognito's own protocols, never with a
/// TLS client certificate.
#[derive(Debug)]
pub(super) struct NoKeys;

impl KeyProvider for NoKeys {
    fn load_private_key(
        &self,
        _key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Err(rustls::Error::General(String::from(
            "this TLS client signs nothing: it loads no private keys (no client certificates)",
        )))
    }
}
