//! HMAC-SHA-256 and HMAC-SHA-384 as rustls' HMACs: HKDF in TLS 1.3, the PRF in TLS 1.2.

use alloc::boxed::Box;
use core::marker::PhantomData;

use hmac::digest::core_api::BlockSizeUser;
use hmac::digest::{Digest, KeyInit};
use hmac::{Mac, SimpleHmac};
use rustls::crypto::hmac::{Hmac, Key, Tag};
use zeroize::Zeroize;

/// HMAC-SHA-256.
pub(super) static HMAC_SHA256: HmacSha2<sha2::Sha256> = HmacSha2(PhantomData);

/// HMAC-SHA-384.
pub(super) static HMAC_SHA384: HmacSha2<sha2::Sha384> = HmacSha2(PhantomData);

/// HMAC over the hash `D`.
pub(super) struct HmacSha2<D>(PhantomData<fn() -> D>);

impl<D> Hmac for HmacSha2<D>
where
    D: Digest + BlockSizeUser + Clone + Send + Sync + 'static,
{
    fn with_key(&self, key: &[u8]) -> Box<dyn Key> {
        Box::new(HmacKey(keyed::<D>(key)))
    }

    fn hash_output_len(&self) -> usize {
        <D as Digest>::output_size()
    }
}

/// HMAC keyed with `key` as RFC 2104 says: a key longer than the hash's block is hashed first,
/// then the key is padded with zeros to a block. Done here so that keying cannot fail.
fn keyed<D: Digest + BlockSizeUser + Clone>(key: &[u8]) -> SimpleHmac<D> {
    let mut block = hmac::digest::Key::<SimpleHmac<D>>::default();
    if key.len() > block.len() {
        let mut hashed = D::digest(key);
        block
            .iter_mut()
            .zip(hashed.iter())
            .for_each(|(b, k)| *b = *k);
        hashed.as_mut_slice().zeroize();
    } else {
        block.iter_mut().zip(key).for_each(|(b, k)| *b = *k);
    }
    let mac = <SimpleHmac<D> as KeyInit>::new(&block);
    block.as_mut_slice().zeroize();
    mac
}

/// HMAC with its key: each tag is computed on a copy.
struct HmacKey<D: Digest + BlockSizeUser>(SimpleHmac<D>);

impl<D> Key for HmacKey<D>
where
    D: Digest + BlockSizeUser + Clone + Send + Sync + 'static,
{
    fn sign_concat(&self, first: &[u8], middle: &[&[u8]], last: &[u8]) -> Tag {
        let mut mac = self.0.clone();
        mac.update(first);
        for part in middle {
            mac.update(part);
        }
        mac.update(last);
        Tag::new(&mac.finalize().into_bytes())
    }

    fn tag_len(&self) -> usize {
        <D as Digest>::output_size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `bytes` in lowercase hex.
    fn hex(bytes: &[u8]) -> alloc::string::String {
        bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    /// RFC 4231 test case 1 (a short key) and 6 (a key longer than the block).
    #[test]
    fn rfc4231_vectors() {
        let short = HMAC_SHA256.with_key(&[0x0b; 20]);
        assert_eq!(
            hex(short.sign(&[b"Hi There"]).as_ref()),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        let short = HMAC_SHA384.with_key(&[0x0b; 20]);
        assert_eq!(
            hex(short.sign(&[b"Hi There"]).as_ref()),
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c\
             faea9ea9076ede7f4af152e8b2fa9cb6"
        );
        let message: &[u8] = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let long = HMAC_SHA256.with_key(&[0xaa; 131]);
        assert_eq!(
            hex(long.sign(&[message]).as_ref()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        let long = HMAC_SHA384.with_key(&[0xaa; 131]);
        assert_eq!(
            hex(long.sign(&[message]).as_ref()),
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6\
             0c2ef6ab4030fe8296248df163f44952"
        );
    }

    #[test]
    fn concatenation_is_one_message_and_keys_are_reusable() {
        let key = HMAC_SHA256.with_key(b"key");
        let whole = key.sign(&[b"abcdef"]);
        let parts = key.sign_concat(b"a", &[b"b", b"", b"cd"], b"ef");
        assert_eq!(whole.as_ref(), parts.as_ref());
        assert_eq!(key.sign(&[b"abcdef"]).as_ref(), whole.as_ref());
        assert_eq!(key.tag_len(), 32);
        assert_eq!(HMAC_SHA384.hash_output_len(), 48);
        // A key exactly one block long is used as it is, one byte longer is hashed.
        for len in [64usize, 65, 128, 129] {
            let key = alloc::vec![0x5cu8; len];
            let ours = HMAC_SHA384.with_key(&key).sign(&[b"m"]);
            let mut reference =
                <hmac::Hmac<sha2::Sha384> as Mac>::new_from_slice(&key).expect("any key length");
            reference.update(b"m");
            assert_eq!(ours.as_ref(), reference.finalize().into_bytes().as_slice());
        }
    }
}
