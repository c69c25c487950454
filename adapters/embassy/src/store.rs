//! What a device keeps across reboots, and where: [`Remembered`] (the user's real username,
//! the refresh token, the remembered device, the identity-pool identity id), the [`Store`] trait, and [`FlashStore`], which
//! keeps it in a NOR flash range so that losing power at any moment leaves the last value that
//! was saved in full loadable.
//!
//! A device that signed in once refreshes its tokens, and signs in again with device SRP, from
//! what it remembered: the username (for `SECRET_HASH` and device SRP), the refresh token and the
//! [`DeviceCredentials`]. Save after every change (a new refresh token with rotation, a newly
//! confirmed device, a forgotten one); saving an unchanged value writes nothing.
//!
//! ```
//! use cognito_embassy::store::{FlashStore, Remembered, Store, StoreError};
//! use embedded_storage_async::nor_flash::NorFlash;
//!
//! /// At boot: what the device remembered, or `None` when it must be provisioned again.
//! async fn boot<F: NorFlash>(flash: F) -> Result<Option<Remembered>, StoreError<F::Error>> {
//!     // Four 4 KiB sectors at 1 MiB: two slots of 8 KiB each.
//!     let mut store = FlashStore::new(flash, 0x10_0000, 4 * 4096)?;
//!     match store.load().await {
//!         Ok(remembered) => Ok(remembered),
//!         // Nothing that checks is stored: log it, then treat it as nothing stored.
//!         Err(StoreError::Corrupt) => Ok(None),
//!         Err(e) => Err(e),
//!     }
//! }
//! ```
//!
//! # On flash
//!
//! [`FlashStore`] splits its range into two slots, A (the first half) and B (the second half),
//! each a whole number of erase sectors. A slot is erased (all `0xFF`) or holds one record:
//!
//! | offset | size | content |
//! |---|---|---|
//! | 0 | 4 | magic `CGRM` |
//! | 4 | 2 | format version, 1 (u16, little-endian) |
//! | 6 | 2 | reserved, 0 |
//! | 8 | 4 | sequence number (u32 LE): the newer of two valid records has the larger one (wrapping) |
//! | 12 | 4 | payload length in bytes (u32 LE) |
//! | 16 | 4 | CRC-32 (IEEE, as zlib's `crc32`) of bytes 0–15 and the payload (u32 LE) |
//! | 20, rounded up to the flash's write and read unit | length | payload, then `0xFF` padding to the write unit |
//!
//! The payload, lengths little-endian, every string UTF-8:
//!
//! | size | content |
//! |---|---|
//! | 1 | flags: bit 0 a refresh token follows, bit 1 a device follows, bit 2 an identity id follows; other bits 0 |
//! | 2 + n | username: length n (u16), then its bytes; n ≥ 1 |
//! | 2 + n | with bit 0: the refresh token, length then bytes; n ≥ 1 |
//! | 3 × (2 + n) | with bit 1: device key, device group key, device password, each length then bytes |
//! | 2 + n | with bit 2: the identity-pool identity id, length then bytes; 1 ≤ n ≤ 55 |
//!
//! A save writes the new record into the slot that does not hold the newest valid one: it
//! erases that slot, writes the payload, then writes the header, so an interrupted save leaves
//! that slot erased or failing its check, and the other slot as it was. A load accepts a slot
//! only when its magic, version, length and CRC all check and its payload decodes (valid UTF-8,
//! no field empty or over its capacity, nothing left over), and takes the valid record with the
//! newer sequence number. The previous record stays in the other slot until the next save
//! overwrites it; [`Store::clear`] erases both.
//!
//! # Sizes
//!
//! A payload takes [`Remembered::encoded_len`] bytes: about 2 KB with a Cognito refresh token
//! (1.7–1.9 KB), a device and a short username; at most [`Remembered::MAX_ENCODED_LEN`]
//! (5,244 bytes for the default capacities). Give each slot at least that much: four 4 KiB
//! sectors (two slots of 8 KiB) suit the defaults. A save that does not fit fails before
//! touching the flash ([`StoreError::NoSpace`]).
//!
//! RAM: a [`FlashStore`] holds its flash driver and a 256-byte buffer through which every read
//! and write streams (a multiple of any write and read unit up to 256 bytes; wiped after each
//! call), so it never holds a whole record. A [`Remembered<R, U>`] takes about R + U + 340
//! bytes (5.2 KB for the defaults; pick smaller `R` and `U` to save RAM). A load's future holds
//! the one value it builds plus under 1 KiB (the device's fields while they are checked, the
//! reader); a save's future is under 1 KiB and copies nothing from the value; a clear's under
//! 512 bytes (sizes measured on a 64-bit host; smaller on 32-bit targets).
//!
//! Wear: a save erases one slot (each slot every other save), and saving an unchanged value
//! erases nothing; NOR flash endures 10,000–100,000 erases per sector, so save when the value
//! changes, not on every refresh.

use core::fmt;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use crate::identity::MAX_IDENTITY_ID_LEN;
use cognito_core::Misuse;
use cognito_core::auth::{AuthenticationResult, DeviceCredentials};
use cognito_core::capacity::MAX_DEVICE_KEY_LEN;
use cognito_core::srp::DEVICE_PASSWORD_LEN;
use embedded_storage_async::nor_flash::{ErrorType, NorFlash, ReadNorFlash};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// What a device keeps between boots: the user's real username, the refresh token and the
/// remembered device. `R` bounds the refresh token and `U` the username, in bytes; the defaults
/// are twice what Cognito sends or allows (refresh tokens 1.7–1.9 KB; usernames at most 384
/// UTF-8 bytes), as in [`cognito_core::capacity`].
///
/// The username is the user's real one (the access token's `username` claim, or the challenge's
/// `USERNAME`), not an alias typed at sign-in: `SECRET_HASH` and device SRP need it.
///
/// The identity id is the user's identity in an identity pool
/// ([`IdentityPool`](crate::identity::IdentityPool)), kept so that a reboot needs no new `GetId`.
///
/// The refresh token and the device password are secrets: `Debug` shows neither, and dropping
/// the value wipes them.
///
/// ```
/// use cognito_core::auth::DeviceCredentials;
/// use cognito_embassy::store::Remembered;
///
/// let device = DeviceCredentials::new("eu-west-1_0a1b2c3d", "-Yg7fPq2Xz", "c2VjcmV0")?;
/// let mut kept: Remembered = Remembered::new("6f1c2e9a-user")?.with_refresh_token("eyJjdHki...")?;
/// kept.set_device(device);
/// assert_eq!(kept.refresh_token(), Some("eyJjdHki..."));
/// assert!(!format!("{kept:?}").contains("eyJjdHki"));
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct Remembered<const R: usize = 4096, const U: usize = 768> {
    username: heapless::String<U>,
    refresh_token: Option<heapless::String<R>>,
    device: Option<DeviceCredentials>,
    identity_id: Option<heapless::String<MAX_IDENTITY_ID_LEN>>,
}

impl<const R: usize, const U: usize> Remembered<R, U> {
    /// The longest payload a value of this type encodes to (see the [module docs](self)).
    pub const MAX_ENCODED_LEN: usize = 1
        + (2 + U)
        + (2 + R)
        + 3 * 2
        + 2 * MAX_DEVICE_KEY_LEN
        + DEVICE_PASSWORD_LEN
        + (2 + MAX_IDENTITY_ID_LEN);

    /// A value with `username` only. [`Misuse::Empty`] when it is empty, [`Misuse::TooLong`]
    /// when it is longer than `U` bytes.
    pub fn new(username: &str) -> Result<Self, Misuse> {
        let mut kept = Self::blank();
        if username.is_empty() {
            return Err(Misuse::Empty("username"));
        }
        kept.username
            .push_str(username)
            .map_err(|_| Misuse::TooLong {
                field: "username",
                max: U,
            })?;
        Ok(kept)
    }

    /// This value with `token` as its refresh token (see [`Self::set_refresh_token`]).
    pub fn with_refresh_token(mut self, token: &str) -> Result<Self, Misuse> {
        self.set_refresh_token(token)?;
        Ok(self)
    }

    /// This value with `device` as its remembered device.
    #[must_use]
    pub fn with_device(mut self, device: DeviceCredentials) -> Self {
        self.device = Some(device);
        self
    }

    /// The user's real username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The refresh token (a secret), if one is kept.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// Keeps `token` as the refresh token, wiping the previous one. [`Misuse::Empty`] or
    /// [`Misuse::TooLong`] (longer than `R` bytes) leave the previous token in place.
    pub fn set_refresh_token(&mut self, token: &str) -> Result<(), Misuse> {
        if token.is_empty() {
            return Err(Misuse::Empty("refresh_token"));
        }
        if token.len() > R {
            return Err(Misuse::TooLong {
                field: "refresh_token",
                max: R,
            });
        }
        let kept = self.refresh_token.get_or_insert_with(heapless::String::new);
        kept.zeroize();
        kept.push_str(token).map_err(|_| Misuse::TooLong {
            field: "refresh_token",
            max: R,
        })
    }

    /// Keeps the refresh token of a sign-in or refresh `result`, when it carries one (a refresh
    /// returns one only when the app client rotates refresh tokens; otherwise the kept one stays
    /// valid). True when the kept token changed: the value should be saved. Errors as
    /// [`Self::set_refresh_token`].
    pub fn set_tokens(&mut self, result: &AuthenticationResult<'_>) -> Result<bool, Misuse> {
        match result.refresh_token {
            Some(token) if self.refresh_token() != Some(token) => {
                self.set_refresh_token(token)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Wipes and drops the refresh token (the user signed out, or the token was refused).
    pub fn clear_refresh_token(&mut self) {
        self.refresh_token.zeroize();
        self.refresh_token = None;
    }

    /// The remembered device, if any.
    pub fn device(&self) -> Option<&DeviceCredentials> {
        self.device.as_ref()
    }

    /// Remembers `device` (after `ConfirmDevice` succeeded), replacing any previous one.
    pub fn set_device(&mut self, device: DeviceCredentials) {
        self.device = Some(device);
    }

    /// Forgets the remembered device (for example when Cognito answers
    /// `ResourceNotFoundException` for it: sign in again without it).
    pub fn forget_device(&mut self) {
        self.device = None;
    }

    /// The identity-pool identity id kept, if any.
    pub fn identity_id(&self) -> Option<&str> {
        self.identity_id.as_deref()
    }

    /// Keeps `identity_id` (from [`IdentityPool::identity_id`](crate::identity::IdentityPool::identity_id)).
    /// True when it changed: the value should be saved. [`Misuse::Empty`] or
    /// [`Misuse::TooLong`] (longer than [`MAX_IDENTITY_ID_LEN`]) leave the previous one.
    pub fn set_identity_id(&mut self, identity_id: &str) -> Result<bool, Misuse> {
        if identity_id.is_empty() {
            return Err(Misuse::Empty("IdentityId"));
        }
        if self.identity_id() == Some(identity_id) {
            return Ok(false);
        }
        let id = heapless::String::try_from(identity_id).map_err(|_| Misuse::TooLong {
            field: "IdentityId",
            max: MAX_IDENTITY_ID_LEN,
        })?;
        self.identity_id = Some(id);
        Ok(true)
    }

    /// Forgets the identity id (the user signed out, or the pool no longer knows it).
    pub fn forget_identity_id(&mut self) {
        self.identity_id = None;
    }

    /// The payload length this value encodes to, in bytes (see the [module docs](self)).
    pub fn encoded_len(&self) -> usize {
        let token = self.refresh_token.as_ref().map_or(0, |t| 2 + t.len());
        let device = self.device.as_ref().map_or(0, |d| {
            6 + d.device_key().len() + d.device_group_key().len() + d.device_password().len()
        });
        let identity = self.identity_id.as_ref().map_or(0, |i| 2 + i.len());
        1 + 2 + self.username.len() + token + device + identity
    }

    /// An empty value to decode into (not a valid `Remembered` until its username is set).
    fn blank() -> Self {
        Self {
            username: heapless::String::new(),
            refresh_token: None,
            device: None,
            identity_id: None,
        }
    }
}

impl<const R: usize, const U: usize> Clone for Remembered<R, U> {
    fn clone(&self) -> Self {
        Self {
            username: self.username.clone(),
            refresh_token: self.refresh_token.clone(),
            device: self.device.clone(),
            identity_id: self.identity_id.clone(),
        }
    }
}

impl<const R: usize, const U: usize> PartialEq for Remembered<R, U> {
    fn eq(&self, other: &Self) -> bool {
        let same_device = match (&self.device, &other.device) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                a.device_key() == b.device_key()
                    && a.device_group_key() == b.device_group_key()
                    && a.device_password() == b.device_password()
            }
            _ => false,
        };
        self.username == other.username
            && self.refresh_token == other.refresh_token
            && same_device
            && self.identity_id == other.identity_id
    }
}

impl<const R: usize, const U: usize> Eq for Remembered<R, U> {}

impl<const R: usize, const U: usize> fmt::Debug for Remembered<R, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remembered")
            .field("username", &self.username.as_str())
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("device", &self.device)
            .field("identity_id", &self.identity_id.as_deref())
            .finish()
    }
}

impl<const R: usize, const U: usize> Drop for Remembered<R, U> {
    fn drop(&mut self) {
        // The device password wipes itself (`DeviceCredentials` keeps it in `Zeroizing`).
        self.refresh_token.zeroize();
        self.username.zeroize();
    }
}

impl<const R: usize, const U: usize> ZeroizeOnDrop for Remembered<R, U> {}

/// Why a [`Store`] call failed. `E` is the storage's own error (a flash driver's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreError<E> {
    /// The storage failed; see its error. Nothing was decided about the stored value.
    Storage(E),
    /// No stored record checks, but the storage is not empty: the first save was cut short
    /// while erasing or writing its header, or the flash was damaged or written by something
    /// else. Treat it as nothing stored (log it, sign in again, save); the next save
    /// overwrites it.
    Corrupt,
    /// A field is longer than its capacity: on load, a stored field longer than the `R` or `U`
    /// asked for (load with larger ones; nothing is lost); on save, one longer than the format's
    /// 65,535 bytes.
    TooLong {
        /// The field: `username`, `refresh_token`, or a device field.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The capacity in bytes.
        max: usize,
    },
    /// The record (`needed` bytes with its header) does not fit in a slot of `available` bytes;
    /// nothing was written.
    NoSpace {
        /// The slot bytes the record needs.
        needed: usize,
        /// The size of a slot.
        available: usize,
    },
    /// The record just written does not read back as written (worn or failing flash). The
    /// previous value is still stored.
    Verify,
    /// The flash range given to [`FlashStore::new`] cannot be used: the reason.
    InvalidRange(&'static str),
}

impl<E: fmt::Debug> fmt::Display for StoreError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Storage(e) => write!(f, "storage failed: {e:?}"),
            StoreError::Corrupt => f.write_str("no stored record checks (interrupted or damaged)"),
            StoreError::TooLong { field, len, max } => {
                write!(f, "{field} is {len} bytes, more than its capacity of {max}")
            }
            StoreError::NoSpace { needed, available } => {
                write!(f, "record needs {needed} bytes, a slot has {available}")
            }
            StoreError::Verify => f.write_str("record did not read back as written"),
            StoreError::InvalidRange(why) => write!(f, "unusable flash range: {why}"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for StoreError<E> {}

/// Where a device keeps its [`Remembered`] value between boots.
///
/// Implementations must survive losing power during [`Self::save`] and [`Self::clear`]: a load
/// afterwards finds either the previous value or the new one (for `clear`, nothing), never a
/// mixture.
// Futures of `async fn` in a public trait cannot be required to be `Send`; firmware executors
// (embassy) run tasks on one core and do not need it (embedded-io-async makes the same choice).
#[allow(async_fn_in_trait)]
pub trait Store {
    /// The storage's own error.
    type Error: fmt::Debug;

    /// The value saved last, or `None` when nothing is stored. [`StoreError::Corrupt`] when
    /// nothing stored checks but something is there (treat it as `None`, and log it);
    /// [`StoreError::TooLong`] when a stored field exceeds `R` or `U`.
    async fn load<const R: usize, const U: usize>(
        &mut self,
    ) -> Result<Option<Remembered<R, U>>, StoreError<Self::Error>>;

    /// Saves `value`, replacing the stored one once it is completely written.
    async fn save<const R: usize, const U: usize>(
        &mut self,
        value: &Remembered<R, U>,
    ) -> Result<(), StoreError<Self::Error>>;

    /// Erases what is stored: a load then returns `None`.
    async fn clear(&mut self) -> Result<(), StoreError<Self::Error>>;
}

/// The record's magic.
const MAGIC: [u8; 4] = *b"CGRM";
/// The record format's version.
const VERSION: u16 = 1;
/// Bytes in a record header: the 16 the CRC covers, then the CRC.
const HEADER_LEN: usize = 20;
/// The buffer every read and write goes through; the flash's read and write units must divide it.
const CHUNK: usize = 256;
/// Payload flag: a refresh token follows the username.
const FLAG_TOKEN: u8 = 1;
/// Payload flag: the device follows.
const FLAG_DEVICE: u8 = 2;
/// Payload flag: the identity id follows.
const FLAG_IDENTITY: u8 = 4;

/// A [`Store`] over a range of NOR flash (`embedded-storage-async`, which embassy's HALs
/// implement; wrap a blocking driver in [`BlockingFlash`]). Layout, RAM and wear are in the
/// [module docs](self).
///
/// The range must start on an erase-sector boundary and span at least two erase sectors; its
/// first half (rounded down to whole sectors) is slot A, the next as many sectors slot B. The
/// flash's write and read units must divide 256 bytes, and its erase sector must be a multiple
/// of both. Keep the range for the store alone: anything else written there reads as a damaged
/// record and is erased by the next save.
pub struct FlashStore<F> {
    flash: F,
    /// Where slot A starts; slot B follows at `start + slot_size`.
    start: u32,
    /// Bytes per slot, a multiple of the erase sector.
    slot_size: u32,
    /// Where the payload starts in a slot: the header rounded up to the write and read units.
    data_offset: u32,
    /// Slots whose content failed its check in the last call.
    damaged: u8,
    /// Every read and write streams through this buffer (wiped after each call).
    buf: [u8; CHUNK],
}

impl<F> fmt::Debug for FlashStore<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlashStore")
            .field("start", &self.start)
            .field("slot_size", &self.slot_size)
            .field("damaged", &self.damaged)
            .finish_non_exhaustive()
    }
}

/// What a slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// All `0xFF` where the header goes.
    Empty,
    /// Something that does not check.
    Damaged,
    /// A record whose header and CRC check.
    Valid(Record),
}

/// The header of a record that checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    seq: u32,
    len: u32,
    crc: u32,
}

/// Why decoding a payload stopped.
enum Fault<E> {
    /// The flash failed.
    Flash(E),
    /// The payload is malformed.
    Bad,
    /// A field is longer than the capacity asked for.
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
}

/// A malformed payload.
struct Malformed;

impl<E> From<Malformed> for Fault<E> {
    fn from(_: Malformed) -> Self {
        Fault::Bad
    }
}

impl<F: NorFlash> FlashStore<F> {
    /// A store in the `size` bytes of `flash` from `offset` (see the type's docs for what the
    /// range must be); reads and writes nothing yet. [`StoreError::InvalidRange`] says what is
    /// wrong with a range that cannot be used.
    pub fn new(flash: F, offset: u32, size: u32) -> Result<Self, StoreError<F::Error>> {
        let invalid = StoreError::InvalidRange;
        let (erase, write, read) = (F::ERASE_SIZE, F::WRITE_SIZE, F::READ_SIZE);
        if erase == 0 || write == 0 || read == 0 {
            return Err(invalid("the flash reports a unit of 0 bytes"));
        }
        if !CHUNK.is_multiple_of(write) || !CHUNK.is_multiple_of(read) {
            return Err(invalid("write and read units must divide 256 bytes"));
        }
        if !erase.is_multiple_of(write) || !erase.is_multiple_of(read) {
            return Err(invalid(
                "the erase sector is not a multiple of the write and read units",
            ));
        }
        let erase32 = u32::try_from(erase).map_err(|_| invalid("erase sector too large"))?;
        if !offset.is_multiple_of(erase32) {
            return Err(invalid("offset is not on an erase-sector boundary"));
        }
        offset
            .checked_add(size)
            .filter(|&end| usize::try_from(end).is_ok_and(|end| end <= flash.capacity()))
            .ok_or(invalid("the range extends beyond the flash"))?;
        let slot_size = size / erase32 / 2 * erase32;
        if slot_size == 0 {
            return Err(invalid("the range holds fewer than two erase sectors"));
        }
        let data_offset = round_up(HEADER_LEN, write.max(read));
        let data_offset = u32::try_from(data_offset).map_err(|_| invalid("unit too large"))?;
        if data_offset >= slot_size {
            return Err(invalid("a slot is too small for a record header"));
        }
        Ok(Self {
            flash,
            start: offset,
            slot_size,
            data_offset,
            damaged: 0,
            buf: [0; CHUNK],
        })
    }

    /// The most payload a slot holds, in bytes: compare with
    /// [`Remembered::MAX_ENCODED_LEN`] or [`Remembered::encoded_len`].
    pub fn payload_capacity(&self) -> usize {
        usize::try_from(self.slot_size - self.data_offset).unwrap_or(usize::MAX)
    }

    /// How many slots (0–2) held something that is neither erased where the header goes nor a
    /// record that checks, in the last load, save or clear: an erase or a header write cut
    /// short by power loss, damaged flash, or foreign data — worth a log line even when a load
    /// found the other slot's value. The next save overwrites it. (A save cut short while
    /// writing the payload leaves the header erased, which is not counted.)
    pub fn damaged_slots(&self) -> u8 {
        self.damaged
    }

    /// The flash driver back.
    pub fn release(self) -> F {
        self.flash
    }

    /// Where slot `index` (0 or 1) starts.
    fn slot_start(&self, index: usize) -> u32 {
        if index == 0 {
            self.start
        } else {
            self.start + self.slot_size
        }
    }

    /// Reads and checks both slots.
    async fn scan(&mut self) -> Result<[Slot; 2], StoreError<F::Error>> {
        let a = self.check(0).await?;
        let b = self.check(1).await?;
        self.damaged = u8::from(a == Slot::Damaged) + u8::from(b == Slot::Damaged);
        Ok([a, b])
    }

    /// Reads slot `index`'s header and checks its CRC over the payload.
    async fn check(&mut self, index: usize) -> Result<Slot, StoreError<F::Error>> {
        let start = self.slot_start(index);
        let head_len = round_up(HEADER_LEN, F::READ_SIZE);
        let head = self
            .buf
            .get_mut(..head_len)
            .ok_or(StoreError::InvalidRange("read unit too large"))?;
        self.flash
            .read(start, head)
            .await
            .map_err(StoreError::Storage)?;
        let mut header = [0u8; HEADER_LEN];
        if let Some(bytes) = head.get(..HEADER_LEN) {
            header.copy_from_slice(bytes);
        }
        if header.iter().all(|&b| b == 0xFF) {
            return Ok(Slot::Empty);
        }
        let Some(record) = parse_header(&header, self.slot_size - self.data_offset) else {
            return Ok(Slot::Damaged);
        };
        let mut reader = self.reader(index, record, &header);
        let mut left = reader.left;
        while left > 0 {
            match reader.take(left).await {
                Ok(piece) => left -= piece.len(),
                Err(Fault::Flash(e)) => return Err(StoreError::Storage(e)),
                Err(_) => return Ok(Slot::Damaged),
            }
        }
        Ok(if reader.crc.finish() == record.crc {
            Slot::Valid(record)
        } else {
            Slot::Damaged
        })
    }

    /// A reader of slot `index`'s payload through the whole buffer, its CRC begun over `header`.
    fn reader(&mut self, index: usize, record: Record, header: &[u8]) -> Reader<'_, F> {
        let at = self.slot_start(index) + self.data_offset;
        let mut crc = Crc32::new();
        crc.update(header.get(..16).unwrap_or(&[]));
        Reader {
            flash: &mut self.flash,
            buf: &mut self.buf,
            next: at,
            left: usize::try_from(record.len).unwrap_or(0),
            pos: 0,
            filled: 0,
            crc,
        }
    }

    /// Decodes slot `index`, which holds `record`.
    async fn decode<const R: usize, const U: usize>(
        &mut self,
        index: usize,
        record: Record,
    ) -> Result<Remembered<R, U>, Fault<F::Error>> {
        let header = header_prefix(record.seq, record.len);
        let mut reader = self.reader(index, record, &header);
        let [flags] = reader.exact::<1>().await?;
        if flags & !(FLAG_TOKEN | FLAG_DEVICE | FLAG_IDENTITY) != 0 {
            return Err(Fault::Bad);
        }
        let mut value = Remembered::<R, U>::blank();
        reader.string(&mut value.username, "username", true).await?;
        if flags & FLAG_TOKEN != 0 {
            let token = value.refresh_token.insert(heapless::String::new());
            reader.string(token, "refresh_token", true).await?;
        }
        if flags & FLAG_DEVICE != 0 {
            let mut key = heapless::String::<MAX_DEVICE_KEY_LEN>::new();
            let mut group = heapless::String::<MAX_DEVICE_KEY_LEN>::new();
            let mut password = Zeroizing::new(heapless::String::<DEVICE_PASSWORD_LEN>::new());
            // The core bounds these; the store never writes longer ones.
            reader.string(&mut key, "device_key", false).await?;
            reader.string(&mut group, "device_group_key", false).await?;
            reader
                .string(&mut *password, "device_password", false)
                .await?;
            let device = DeviceCredentials::new(&key, &group, &password).map_err(|_| Fault::Bad)?;
            value.device = Some(device);
        }
        if flags & FLAG_IDENTITY != 0 {
            let id = value.identity_id.insert(heapless::String::new());
            reader.string(id, "identity_id", false).await?;
        }
        let empty_token = value.refresh_token.as_ref().is_some_and(|t| t.is_empty());
        let empty_id = value.identity_id.as_ref().is_some_and(|i| i.is_empty());
        if value.username.is_empty() || empty_token || empty_id || !reader.done() {
            return Err(Fault::Bad);
        }
        if reader.crc.finish() != record.crc {
            return Err(Fault::Bad);
        }
        Ok(value)
    }

    /// Whether slot `index` (holding `record`) holds exactly the payload of `encoding`.
    async fn holds(
        &mut self,
        index: usize,
        record: Record,
        encoding: &Encoding<'_>,
    ) -> Result<bool, StoreError<F::Error>> {
        if usize::try_from(record.len).ok() != Some(encoding.len()) || F::READ_SIZE > CHUNK / 2 {
            return Ok(false);
        }
        let at = self.slot_start(index) + self.data_offset;
        let (read_half, encode_half) = self.buf.split_at_mut(CHUNK / 2);
        let mut reader = Reader {
            flash: &mut self.flash,
            buf: read_half,
            next: at,
            left: encoding.len(),
            pos: 0,
            filled: 0,
            crc: Crc32::new(),
        };
        let mut pieces = encoding.pieces();
        loop {
            let n = pieces.fill(encode_half);
            let Some(expected) = encode_half.get(..n) else {
                return Ok(false);
            };
            if expected.is_empty() {
                return Ok(true);
            }
            let mut done = 0;
            while done < n {
                let piece = match reader.take(n - done).await {
                    Ok(piece) => piece,
                    Err(Fault::Flash(e)) => return Err(StoreError::Storage(e)),
                    Err(_) => return Ok(false),
                };
                if expected.get(done..done + piece.len()) != Some(piece) {
                    return Ok(false);
                }
                done += piece.len();
            }
        }
    }

    /// Erases slot `index`.
    async fn erase_slot(&mut self, index: usize) -> Result<(), StoreError<F::Error>> {
        let from = self.slot_start(index);
        self.flash
            .erase(from, from + self.slot_size)
            .await
            .map_err(StoreError::Storage)
    }

    async fn load_inner<const R: usize, const U: usize>(
        &mut self,
    ) -> Result<Option<Remembered<R, U>>, StoreError<F::Error>> {
        let slots = self.scan().await?;
        let (newest, older) = by_age(slots);
        for (index, record) in [newest, older].into_iter().flatten() {
            match self.decode(index, record).await {
                Ok(value) => return Ok(Some(value)),
                Err(Fault::Bad) => self.damaged = self.damaged.saturating_add(1),
                Err(Fault::Flash(e)) => return Err(StoreError::Storage(e)),
                Err(Fault::TooLong { field, len, max }) => {
                    return Err(StoreError::TooLong { field, len, max });
                }
            }
        }
        if self.damaged > 0 {
            Err(StoreError::Corrupt)
        } else {
            Ok(None)
        }
    }

    async fn save_inner<const R: usize, const U: usize>(
        &mut self,
        value: &Remembered<R, U>,
    ) -> Result<(), StoreError<F::Error>> {
        let encoding = Encoding::new::<R, U, F::Error>(value)?;
        let len = encoding.len();
        let available = self.payload_capacity();
        if len > available {
            let header = usize::try_from(self.data_offset).unwrap_or(usize::MAX);
            return Err(StoreError::NoSpace {
                needed: header.saturating_add(len),
                available: header.saturating_add(available),
            });
        }
        let len32 = u32::try_from(len).map_err(|_| StoreError::NoSpace {
            needed: len,
            available,
        })?;
        let (newest, _) = by_age(self.scan().await?);
        if let Some((index, record)) = newest
            && self.holds(index, record, &encoding).await?
        {
            return Ok(());
        }
        let (target, seq) = match newest {
            Some((index, record)) => (1 - index, record.seq.wrapping_add(1)),
            None => (0, 1),
        };
        let prefix = header_prefix(seq, len32);
        let mut crc = Crc32::new();
        crc.update(&prefix);
        for piece in encoding.pieces().pieces {
            crc.update(piece);
        }

        self.erase_slot(target).await?;
        let mut at = self.slot_start(target) + self.data_offset;
        let mut pieces = encoding.pieces();
        loop {
            let n = pieces.fill(&mut self.buf);
            if n == 0 {
                break;
            }
            let padded = pad(&mut self.buf, n, F::WRITE_SIZE)?;
            self.flash
                .write(at, padded)
                .await
                .map_err(StoreError::Storage)?;
            at += u32::try_from(padded.len()).unwrap_or(u32::MAX);
        }
        let [c0, c1, c2, c3] = crc.finish().to_le_bytes();
        let head = self
            .buf
            .get_mut(..HEADER_LEN)
            .ok_or(StoreError::InvalidRange("buffer"))?;
        for (byte, value) in head
            .iter_mut()
            .zip(prefix.into_iter().chain([c0, c1, c2, c3]))
        {
            *byte = value;
        }
        let start = self.slot_start(target);
        let padded = pad(&mut self.buf, HEADER_LEN, F::WRITE_SIZE)?;
        self.flash
            .write(start, padded)
            .await
            .map_err(StoreError::Storage)?;

        match self.check(target).await? {
            Slot::Valid(record) if record.seq == seq => Ok(()),
            _ => Err(StoreError::Verify),
        }
    }

    async fn clear_inner(&mut self) -> Result<(), StoreError<F::Error>> {
        // The newest record last: losing power midway leaves it (or nothing), never the older.
        let first = match by_age(self.scan().await?) {
            (Some((index, _)), _) => 1 - index,
            (None, _) => 0,
        };
        self.erase_slot(first).await?;
        self.erase_slot(1 - first).await?;
        self.damaged = 0;
        Ok(())
    }
}

impl<F: NorFlash> Store for FlashStore<F> {
    type Error = F::Error;

    async fn load<const R: usize, const U: usize>(
        &mut self,
    ) -> Result<Option<Remembered<R, U>>, StoreError<F::Error>> {
        let result = self.load_inner().await;
        self.buf.zeroize();
        result
    }

    async fn save<const R: usize, const U: usize>(
        &mut self,
        value: &Remembered<R, U>,
    ) -> Result<(), StoreError<F::Error>> {
        let result = self.save_inner(value).await;
        self.buf.zeroize();
        result
    }

    async fn clear(&mut self) -> Result<(), StoreError<F::Error>> {
        let result = self.clear_inner().await;
        self.buf.zeroize();
        result
    }
}

impl<F: embedded_storage::nor_flash::NorFlash> FlashStore<BlockingFlash<F>> {
    /// A store over a blocking flash driver (see [`Self::new`]), used from blocking code with
    /// [`Self::load_blocking`], [`Self::save_blocking`] and [`Self::clear_blocking`], or from
    /// async code as any [`Store`].
    pub fn new_blocking(flash: F, offset: u32, size: u32) -> Result<Self, StoreError<F::Error>> {
        Self::new(BlockingFlash(flash), offset, size)
    }

    /// [`Store::load`], blocking.
    pub fn load_blocking<const R: usize, const U: usize>(
        &mut self,
    ) -> Result<Option<Remembered<R, U>>, StoreError<F::Error>> {
        run_ready(self.load())
    }

    /// [`Store::save`], blocking.
    pub fn save_blocking<const R: usize, const U: usize>(
        &mut self,
        value: &Remembered<R, U>,
    ) -> Result<(), StoreError<F::Error>> {
        run_ready(self.save(value))
    }

    /// [`Store::clear`], blocking.
    pub fn clear_blocking(&mut self) -> Result<(), StoreError<F::Error>> {
        run_ready(self.clear())
    }
}

/// A blocking NOR flash driver (`embedded-storage` 0.3) seen through the async traits
/// (`embedded-storage-async` 0.4); each call completes before it returns.
#[derive(Debug)]
pub struct BlockingFlash<F>(pub F);

impl<F: ErrorType> ErrorType for BlockingFlash<F> {
    type Error = F::Error;
}

impl<F: embedded_storage::nor_flash::ReadNorFlash> ReadNorFlash for BlockingFlash<F> {
    const READ_SIZE: usize = F::READ_SIZE;

    async fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        self.0.read(offset, bytes)
    }

    fn capacity(&self) -> usize {
        self.0.capacity()
    }
}

impl<F: embedded_storage::nor_flash::NorFlash> NorFlash for BlockingFlash<F> {
    const WRITE_SIZE: usize = F::WRITE_SIZE;
    const ERASE_SIZE: usize = F::ERASE_SIZE;

    async fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        self.0.erase(from, to)
    }

    async fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        self.0.write(offset, bytes)
    }
}

/// The first `n` bytes of `buf`, padded with `0xFF` to a multiple of `unit`.
fn pad<E>(buf: &mut [u8], n: usize, unit: usize) -> Result<&[u8], StoreError<E>> {
    let padded = round_up(n, unit);
    let too_large = StoreError::InvalidRange("write unit too large");
    buf.get_mut(n..padded).ok_or(too_large)?.fill(0xFF);
    buf.get(..padded)
        .ok_or(StoreError::InvalidRange("write unit too large"))
}

/// Runs a future that never waits (a store over [`BlockingFlash`]) to completion.
fn run_ready<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
}

/// Streams a slot's payload through a buffer, computing its CRC.
struct Reader<'a, F> {
    flash: &'a mut F,
    buf: &'a mut [u8],
    /// The next flash address to read (a multiple of the read unit).
    next: u32,
    /// Payload bytes not yet read from flash.
    left: usize,
    /// Consumed bytes of the buffer.
    pos: usize,
    /// Payload bytes in the buffer.
    filled: usize,
    crc: Crc32,
}

impl<F: NorFlash> Reader<'_, F> {
    /// The next 1 to `max` payload bytes (`max` > 0); [`Fault::Bad`] past the end.
    async fn take(&mut self, max: usize) -> Result<&[u8], Fault<F::Error>> {
        if self.pos >= self.filled {
            if self.left == 0 {
                return Err(Fault::Bad);
            }
            let want = round_up(self.left, F::READ_SIZE).min(self.buf.len());
            let chunk = self.buf.get_mut(..want).ok_or(Fault::Bad)?;
            self.flash
                .read(self.next, chunk)
                .await
                .map_err(Fault::Flash)?;
            self.next = self
                .next
                .saturating_add(u32::try_from(want).unwrap_or(u32::MAX));
            self.filled = want.min(self.left);
            self.left -= self.filled;
            self.pos = 0;
        }
        let n = max.min(self.filled - self.pos);
        let piece = self.buf.get(self.pos..self.pos + n).ok_or(Fault::Bad)?;
        self.crc.update(piece);
        self.pos += n;
        Ok(piece)
    }

    /// Whether the whole payload was consumed.
    fn done(&self) -> bool {
        self.pos >= self.filled && self.left == 0
    }

    /// The next `N` bytes.
    async fn exact<const N: usize>(&mut self) -> Result<[u8; N], Fault<F::Error>> {
        let mut out = [0u8; N];
        let mut got = 0;
        while got < N {
            let piece = self.take(N - got).await?;
            let n = piece.len();
            out.get_mut(got..got + n)
                .ok_or(Fault::Bad)?
                .copy_from_slice(piece);
            got += n;
        }
        Ok(out)
    }

    /// A length-prefixed UTF-8 string into `out`; a length over `N` is [`Fault::TooLong`] when
    /// `caller_capacity` (the caller chose `N`), else malformed.
    async fn string<const N: usize>(
        &mut self,
        out: &mut heapless::String<N>,
        field: &'static str,
        caller_capacity: bool,
    ) -> Result<(), Fault<F::Error>> {
        let len = usize::from(u16::from_le_bytes(self.exact::<2>().await?));
        if len > N {
            return Err(if caller_capacity {
                Fault::TooLong { field, len, max: N }
            } else {
                Fault::Bad
            });
        }
        let mut utf8 = Utf8::default();
        let mut left = len;
        while left > 0 {
            let piece = self.take(left).await?;
            left -= piece.len();
            utf8.push(out, piece)?;
        }
        utf8.finish().map_err(Fault::from)
    }
}

/// Appends UTF-8 arriving in pieces that may split a character.
#[derive(Default)]
struct Utf8 {
    /// The start of a character split by the end of the last piece.
    carry: [u8; 4],
    held: usize,
}

impl Utf8 {
    /// Appends `bytes`; [`Malformed`] when they are not UTF-8 or do not fit.
    fn push<const N: usize>(
        &mut self,
        out: &mut heapless::String<N>,
        mut bytes: &[u8],
    ) -> Result<(), Malformed> {
        while self.held > 0 {
            let Some((&first, rest)) = bytes.split_first() else {
                return Ok(());
            };
            *self.carry.get_mut(self.held).ok_or(Malformed)? = first;
            self.held += 1;
            bytes = rest;
            match core::str::from_utf8(self.carry.get(..self.held).ok_or(Malformed)?) {
                Ok(c) => {
                    out.push_str(c).map_err(|_| Malformed)?;
                    self.held = 0;
                }
                Err(e) if e.error_len().is_none() && self.held < 4 => {}
                Err(_) => return Err(Malformed),
            }
        }
        let (valid, tail) = match core::str::from_utf8(bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (valid, tail) = bytes.split_at_checked(e.valid_up_to()).ok_or(Malformed)?;
                (core::str::from_utf8(valid).map_err(|_| Malformed)?, tail)
            }
            Err(_) => return Err(Malformed),
        };
        out.push_str(valid).map_err(|_| Malformed)?;
        self.carry
            .get_mut(..tail.len())
            .ok_or(Malformed)?
            .copy_from_slice(tail);
        self.held = tail.len();
        Ok(())
    }

    /// [`Malformed`] when the string ended inside a character.
    fn finish(self) -> Result<(), Malformed> {
        if self.held == 0 {
            Ok(())
        } else {
            Err(Malformed)
        }
    }
}

/// A value's payload as the pieces it is written from.
struct Encoding<'v> {
    flags: [u8; 1],
    /// The fields' lengths (u16 LE): username, token, device key, group key, password,
    /// identity id.
    lens: [[u8; 2]; 6],
    fields: [Option<&'v [u8]>; 6],
}

impl<'v> Encoding<'v> {
    fn new<const R: usize, const U: usize, E>(
        value: &'v Remembered<R, U>,
    ) -> Result<Self, StoreError<E>> {
        let device = value.device.as_ref();
        let fields = [
            ("username", Some(value.username.as_str())),
            ("refresh_token", value.refresh_token()),
            ("device_key", device.map(DeviceCredentials::device_key)),
            (
                "device_group_key",
                device.map(DeviceCredentials::device_group_key),
            ),
            (
                "device_password",
                device.map(DeviceCredentials::device_password),
            ),
            ("identity_id", value.identity_id()),
        ];
        let mut lens = [[0u8; 2]; 6];
        for (len, (field, text)) in lens.iter_mut().zip(fields) {
            let n = text.map_or(0, str::len);
            *len = u16::try_from(n)
                .map_err(|_| StoreError::TooLong {
                    field,
                    len: n,
                    max: usize::from(u16::MAX),
                })?
                .to_le_bytes();
        }
        let flags = (if value.refresh_token.is_some() {
            FLAG_TOKEN
        } else {
            0
        }) | (if device.is_some() { FLAG_DEVICE } else { 0 })
            | (if value.identity_id.is_some() {
                FLAG_IDENTITY
            } else {
                0
            });
        Ok(Self {
            flags: [flags],
            lens,
            fields: fields.map(|(_, text)| text.map(str::as_bytes)),
        })
    }

    /// The payload's length in bytes.
    fn len(&self) -> usize {
        self.pieces().pieces.iter().map(|p| p.len()).sum()
    }

    /// The payload's pieces in order.
    fn pieces(&self) -> Pieces<'_> {
        let mut pieces: [&[u8]; 13] = [&[]; 13];
        let mut slots = pieces.iter_mut();
        if let Some(slot) = slots.next() {
            *slot = &self.flags;
        }
        for (len, field) in self.lens.iter().zip(self.fields) {
            if let Some(bytes) = field {
                if let Some(slot) = slots.next() {
                    *slot = len;
                }
                if let Some(slot) = slots.next() {
                    *slot = bytes;
                }
            }
        }
        Pieces {
            pieces,
            index: 0,
            offset: 0,
        }
    }
}

/// A cursor over a payload's pieces.
struct Pieces<'e> {
    pieces: [&'e [u8]; 13],
    index: usize,
    offset: usize,
}

impl Pieces<'_> {
    /// Copies the next bytes into `out`, filling it unless the payload ends; how many.
    fn fill(&mut self, out: &mut [u8]) -> usize {
        let mut n = 0;
        while n < out.len() {
            let Some(piece) = self.pieces.get(self.index) else {
                break;
            };
            let rest = piece.get(self.offset..).unwrap_or(&[]);
            if rest.is_empty() {
                self.index += 1;
                self.offset = 0;
                continue;
            }
            let take = rest.len().min(out.len() - n);
            if let (Some(to), Some(from)) = (out.get_mut(n..n + take), rest.get(..take)) {
                to.copy_from_slice(from);
            }
            n += take;
            self.offset += take;
        }
        n
    }
}

/// The 16 header bytes the CRC covers.
fn header_prefix(seq: u32, len: u32) -> [u8; 16] {
    let [m0, m1, m2, m3] = MAGIC;
    let [v0, v1] = VERSION.to_le_bytes();
    let [s0, s1, s2, s3] = seq.to_le_bytes();
    let [l0, l1, l2, l3] = len.to_le_bytes();
    [m0, m1, m2, m3, v0, v1, 0, 0, s0, s1, s2, s3, l0, l1, l2, l3]
}

/// The record a header describes, when its magic, version and length (at most `max_len`) check.
fn parse_header(header: &[u8; HEADER_LEN], max_len: u32) -> Option<Record> {
    let [
        m0,
        m1,
        m2,
        m3,
        v0,
        v1,
        r0,
        r1,
        s0,
        s1,
        s2,
        s3,
        l0,
        l1,
        l2,
        l3,
        c0,
        c1,
        c2,
        c3,
    ] = *header;
    let len = u32::from_le_bytes([l0, l1, l2, l3]);
    let valid = [m0, m1, m2, m3] == MAGIC
        && u16::from_le_bytes([v0, v1]) == VERSION
        && [r0, r1] == [0, 0]
        && len <= max_len;
    valid.then(|| Record {
        seq: u32::from_le_bytes([s0, s1, s2, s3]),
        len,
        crc: u32::from_le_bytes([c0, c1, c2, c3]),
    })
}

/// A valid record and the slot (0 or 1) holding it.
type Found = Option<(usize, Record)>;

/// The valid records of `slots`, newest first.
fn by_age(slots: [Slot; 2]) -> (Found, Found) {
    match slots {
        [Slot::Valid(a), Slot::Valid(b)] if is_newer(b.seq, a.seq) => (Some((1, b)), Some((0, a))),
        [Slot::Valid(a), Slot::Valid(b)] => (Some((0, a)), Some((1, b))),
        [Slot::Valid(a), _] => (Some((0, a)), None),
        [_, Slot::Valid(b)] => (Some((1, b)), None),
        _ => (None, None),
    }
}

/// Whether sequence number `a` comes after `b` (serial-number arithmetic: they wrap).
fn is_newer(a: u32, b: u32) -> bool {
    let ahead = a.wrapping_sub(b);
    ahead != 0 && ahead < 0x8000_0000
}

/// `n` rounded up to a multiple of `unit` (> 0).
fn round_up(n: usize, unit: usize) -> usize {
    match n.checked_rem(unit) {
        Some(0) | None => n,
        Some(rest) => n + (unit - rest),
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial `0xEDB88320`, as zlib's `crc32`), bit by bit: no
/// table in flash, and fast enough for a few kilobytes per boot.
#[derive(Clone, Copy)]
struct Crc32(u32);

impl Crc32 {
    const fn new() -> Self {
        Self(0xFFFF_FFFF)
    }

    fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u32::from(byte);
            for _ in 0..8 {
                let mask = (self.0 & 1).wrapping_neg();
                self.0 = (self.0 >> 1) ^ (0xEDB8_8320 & mask);
            }
        }
    }

    fn finish(self) -> u32 {
        !self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        let mut crc = Crc32::new();
        crc.update(b"1234");
        crc.update(b"56789");
        assert_eq!(crc.finish(), 0xCBF4_3926);
        assert_eq!(Crc32::new().finish(), 0);
    }

    #[test]
    fn utf8_split_anywhere_is_reassembled() {
        let text = "aé€😀z";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            for cut2 in cut..=bytes.len() {
                let mut out = heapless::String::<32>::new();
                let mut utf8 = Utf8::default();
                for piece in [&bytes[..cut], &bytes[cut..cut2], &bytes[cut2..]] {
                    assert!(utf8.push(&mut out, piece).is_ok());
                }
                assert!(utf8.finish().is_ok());
                assert_eq!(out, text);
            }
        }
    }

    #[test]
    fn malformed_utf8_is_refused() {
        for bad in [
            &b"\xff"[..],
            b"a\xc3(",
            b"\xe2\x82",
            b"\xed\xa0\x80",
            b"\xf0\x9f\x98",
        ] {
            let mut out = heapless::String::<32>::new();
            let mut utf8 = Utf8::default();
            let ok = bad
                .iter()
                .all(|b| utf8.push(&mut out, core::slice::from_ref(b)).is_ok());
            assert!(!ok || utf8.finish().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sequence_numbers_wrap() {
        assert!(is_newer(2, 1));
        assert!(!is_newer(1, 2));
        assert!(!is_newer(7, 7));
        assert!(is_newer(0, u32::MAX));
        assert!(!is_newer(u32::MAX, 0));
    }

    #[test]
    fn rounding() {
        assert_eq!(round_up(20, 1), 20);
        assert_eq!(round_up(20, 8), 24);
        assert_eq!(round_up(20, 32), 32);
        assert_eq!(round_up(0, 4), 0);
        assert_eq!(round_up(5, 0), 5);
    }
}
