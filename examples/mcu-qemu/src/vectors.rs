//! The public reference vectors, embedded at build time (see `build.rs`).

/// A range of [`BLOB`].
#[derive(Clone, Copy)]
pub(crate) struct Span(pub(crate) usize, pub(crate) usize);

impl Span {
    /// The bytes this span covers.
    pub(crate) fn bytes(self) -> &'static [u8] {
        BLOB.get(self.0..self.0 + self.1).unwrap_or(&[])
    }

    /// The text this span covers (empty if it is not UTF-8, which the checks then report).
    pub(crate) fn text(self) -> &'static str {
        core::str::from_utf8(self.bytes()).unwrap_or("")
    }
}

/// `A = g^a mod N`, then the answer to a `PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER` challenge.
pub(crate) struct ClaimCase {
    /// The vector's id.
    pub(crate) id: Span,
    /// `PASSWORD_VERIFIER` or `DEVICE_PASSWORD_VERIFIER`.
    pub(crate) answers: Span,
    /// Pool name, or device group key.
    pub(crate) realm: Span,
    /// `USER_ID_FOR_SRP`, or device key.
    pub(crate) user_id: Span,
    /// The password, or the device password.
    pub(crate) password: Span,
    /// `a`, 128 bytes big-endian.
    pub(crate) small_a: Span,
    /// Expected `bytes(A)` (Java `toByteArray`).
    pub(crate) large_a: Span,
    /// `SRP_B`.
    pub(crate) srp_b_hex: Span,
    /// `SALT`.
    pub(crate) salt_hex: Span,
    /// `SECRET_BLOCK`.
    pub(crate) secret_block_b64: Span,
    /// The client's clock, milliseconds since the epoch.
    pub(crate) now_ms: u64,
    /// Expected `TIMESTAMP`.
    pub(crate) timestamp: Span,
    /// Expected `PASSWORD_CLAIM_SIGNATURE`.
    pub(crate) signature_b64: Span,
}

/// A device verifier for `ConfirmDevice` from given random bytes.
pub(crate) struct VerifierCase {
    /// The vector's id.
    pub(crate) id: Span,
    /// `DeviceGroupKey`.
    pub(crate) device_group_key: Span,
    /// `DeviceKey`.
    pub(crate) device_key: Span,
    /// The 40 random bytes of the device password.
    pub(crate) password_random: Span,
    /// The 16 random bytes of the salt.
    pub(crate) salt_random: Span,
    /// Expected device password (base64 of the 40 bytes).
    pub(crate) device_password: Span,
    /// Expected `Salt`.
    pub(crate) salt_b64: Span,
    /// Expected `PasswordVerifier`.
    pub(crate) password_verifier_b64: Span,
}

include!(concat!(env!("OUT_DIR"), "/vectors.rs"));
