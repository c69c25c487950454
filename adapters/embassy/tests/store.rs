//! The flash store against a RAM NOR flash with real NOR semantics: erase sets `0xFF`, a write
//! only clears bits and never touches a write unit twice between erases, every access is
//! aligned, and power can be cut after any byte.

// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_core::Misuse;
use cognito_core::auth::{AuthenticationResult, DeviceCredentials};
use cognito_embassy::store::{BlockingFlash, FlashStore, Remembered, Store, StoreError};
use embassy_futures::block_on;
use embedded_storage::nor_flash::{self as blocking, NorFlashError, NorFlashErrorKind};
use embedded_storage_async::nor_flash as nor;
use proptest::prelude::*;

/// The mock's errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MockError {
    /// Power was cut: nothing works until [`Flash::reboot`].
    PowerLost,
}

impl NorFlashError for MockError {
    fn kind(&self) -> NorFlashErrorKind {
        NorFlashErrorKind::Other
    }
}

/// A RAM NOR flash: write unit `W`, read unit `R`, erase sector `E`.
#[derive(Clone)]
struct Flash<const W: usize, const R: usize, const E: usize> {
    mem: Vec<u8>,
    /// Per write unit: written since its last erase.
    written: Vec<bool>,
    /// Bytes that may still change before power is cut (`None`: never cut).
    budget: Option<usize>,
    off: bool,
    erases: usize,
    writes: usize,
}

impl<const W: usize, const R: usize, const E: usize> Flash<W, R, E> {
    /// `sectors` erased sectors.
    fn new(sectors: usize) -> Self {
        Self {
            mem: vec![0xFF; sectors * E],
            written: vec![false; sectors * E / W],
            budget: None,
            off: false,
            erases: 0,
            writes: 0,
        }
    }

    /// Cuts power once `bytes` more bytes have changed.
    fn cut_after(&mut self, bytes: usize) {
        self.budget = Some(bytes);
    }

    /// Power back, no cut planned.
    fn reboot(&mut self) {
        self.budget = None;
        self.off = false;
    }

    /// Spends one byte of the budget: false when power goes now.
    fn spend(&mut self) -> bool {
        match &mut self.budget {
            Some(0) => {
                self.off = true;
                false
            }
            Some(left) => {
                *left -= 1;
                true
            }
            None => true,
        }
    }

    fn check(&self, offset: u32, len: usize, unit: usize) -> Result<usize, MockError> {
        if self.off {
            return Err(MockError::PowerLost);
        }
        let offset = offset as usize;
        assert!(
            offset + len <= self.mem.len(),
            "out of bounds: {offset}+{len}"
        );
        assert_eq!(offset % unit, 0, "offset {offset} not aligned to {unit}");
        assert_eq!(len % unit, 0, "length {len} not aligned to {unit}");
        Ok(offset)
    }

    fn do_read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), MockError> {
        let at = self.check(offset, bytes.len(), R)?;
        bytes.copy_from_slice(&self.mem[at..at + bytes.len()]);
        Ok(())
    }

    fn do_erase(&mut self, from: u32, to: u32) -> Result<(), MockError> {
        assert!(from <= to);
        let at = self.check(from, (to - from) as usize, E)?;
        self.erases += 1;
        for unit in at / W..to as usize / W {
            self.written[unit] = false;
        }
        for i in at..to as usize {
            if !self.spend() {
                // Half erased: some bits of this byte came back to 1, the rest of the range is
                // untouched.
                self.mem[i] |= 0xA5;
                return Err(MockError::PowerLost);
            }
            self.mem[i] = 0xFF;
        }
        Ok(())
    }

    fn do_write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), MockError> {
        let at = self.check(offset, bytes.len(), W)?;
        self.writes += 1;
        for unit in at / W..(at + bytes.len()) / W {
            assert!(!self.written[unit], "write unit {unit} written twice");
            self.written[unit] = true;
        }
        for (i, &new) in bytes.iter().enumerate() {
            let old = self.mem[at + i];
            assert_eq!(
                new & !old,
                0,
                "write would set bits at {}: {old:#04x} → {new:#04x}",
                at + i
            );
            if !self.spend() {
                // Half programmed: some of the bits that should clear are still 1.
                self.mem[at + i] = old & (new | 0x5A);
                return Err(MockError::PowerLost);
            }
            self.mem[at + i] = old & new;
        }
        Ok(())
    }
}

impl<const W: usize, const R: usize, const E: usize> blocking::ErrorType for Flash<W, R, E> {
    type Error = MockError;
}

impl<const W: usize, const R: usize, const E: usize> blocking::ReadNorFlash for Flash<W, R, E> {
    const READ_SIZE: usize = R;
    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), MockError> {
        self.do_read(offset, bytes)
    }
    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl<const W: usize, const R: usize, const E: usize> blocking::NorFlash for Flash<W, R, E> {
    const WRITE_SIZE: usize = W;
    const ERASE_SIZE: usize = E;
    fn erase(&mut self, from: u32, to: u32) -> Result<(), MockError> {
        self.do_erase(from, to)
    }
    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), MockError> {
        self.do_write(offset, bytes)
    }
}

impl<const W: usize, const R: usize, const E: usize> nor::ReadNorFlash for Flash<W, R, E> {
    const READ_SIZE: usize = R;
    async fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), MockError> {
        self.do_read(offset, bytes)
    }
    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl<const W: usize, const R: usize, const E: usize> nor::NorFlash for Flash<W, R, E> {
    const WRITE_SIZE: usize = W;
    const ERASE_SIZE: usize = E;
    async fn erase(&mut self, from: u32, to: u32) -> Result<(), MockError> {
        self.do_erase(from, to)
    }
    async fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), MockError> {
        self.do_write(offset, bytes)
    }
}

/// nRF/ESP-like: 4-byte words, 4 KiB sectors.
type Word = Flash<4, 4, 4096>;
/// Byte-wise, small sectors: records span several sectors.
type Tiny = Flash<1, 1, 256>;

/// A token-like string of `len` bytes.
fn token(len: usize) -> String {
    (0..len)
        .map(|i| char::from(b'A' + (i * 7 % 26) as u8))
        .collect()
}

fn device() -> DeviceCredentials {
    DeviceCredentials::new(
        "eu-west-1_5f0e3c1a-9b2d-4c6e-8f7a-1d2c3b4a5e6f",
        "-Yg7fPq2Xz",
        "dGhpcyBpcyBhIGRldmljZSBwYXNzd29yZCBvZiBmb3J0eSBieXRlcyE/",
    )
    .unwrap()
}

fn value(user: &str, token_len: usize, with_device: bool) -> Remembered {
    let mut v = Remembered::new(user).unwrap();
    if token_len > 0 {
        v.set_refresh_token(&token(token_len)).unwrap();
    }
    if with_device {
        v.set_device(device());
    }
    v
}

fn store<const W: usize, const R: usize, const E: usize>(
    flash: Flash<W, R, E>,
    size: u32,
) -> FlashStore<Flash<W, R, E>> {
    FlashStore::new(flash, E as u32, size).unwrap()
}

fn load<F: nor::NorFlash>(
    s: &mut FlashStore<F>,
) -> Result<Option<Remembered>, StoreError<F::Error>> {
    block_on(s.load())
}

fn save<F: nor::NorFlash>(s: &mut FlashStore<F>, v: &Remembered) {
    block_on(s.save(v)).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Round trips

fn round_trips<const W: usize, const R: usize, const E: usize>(size: u32) {
    let mut s = store(Flash::<W, R, E>::new(size as usize / E + 2), size);
    assert_eq!(load(&mut s).unwrap(), None);
    for v in [
        value("thermostat-7", 0, false),
        value("6f1c2e9a-1234-5678-9abc-def012345678", 1900, false),
        value("6f1c2e9a-1234-5678-9abc-def012345678", 1900, true),
        value("ünïcødé-用户-😀", 2048, true),
        value("u", 0, true),
        value(&"x".repeat(768), 4096, true),
    ] {
        save(&mut s, &v);
        let back = load(&mut s).unwrap().unwrap();
        assert_eq!(back, v);
        assert_eq!(back.username(), v.username());
        assert_eq!(back.refresh_token(), v.refresh_token());
        let (a, b) = (back.device(), v.device());
        assert_eq!(
            a.map(|d| d.device_password()),
            b.map(|d| d.device_password())
        );
        assert_eq!(a.map(|d| d.device_key()), b.map(|d| d.device_key()));
        assert_eq!(
            a.map(|d| d.device_group_key()),
            b.map(|d| d.device_group_key())
        );
        assert_eq!(s.damaged_slots(), 0);
    }
}

#[test]
fn round_trip_on_word_flash() {
    round_trips::<4, 4, 4096>(4 * 4096);
}

#[test]
fn round_trip_on_wide_write_units() {
    round_trips::<32, 1, 512>(24 * 512);
}

#[test]
fn round_trip_on_byte_flash_spanning_sectors() {
    round_trips::<1, 1, 256>(48 * 256);
}

#[test]
fn the_largest_value_fits_the_documented_layout() {
    let mut v = value(&"x".repeat(768), 4096, true);
    assert!(v.set_identity_id(&"i".repeat(55)).unwrap());
    assert_eq!(
        v.encoded_len(),
        1 + 2 + 768 + 2 + 4096 + 6 + 46 + 10 + 56 + 2 + 55
    );
    assert!(v.encoded_len() <= Remembered::<4096, 768>::MAX_ENCODED_LEN);
    assert_eq!(Remembered::<4096, 768>::MAX_ENCODED_LEN, 5244);
    let s = store(Word::new(6), 4 * 4096);
    assert!(s.payload_capacity() >= Remembered::<4096, 768>::MAX_ENCODED_LEN);
}

#[test]
fn blocking_flash_round_trip() {
    let mut s = FlashStore::new_blocking(Word::new(2), 0, 2 * 4096).unwrap();
    assert_eq!(s.load_blocking::<4096, 768>().unwrap(), None);
    let v = value("device-user", 1800, true);
    s.save_blocking(&v).unwrap();
    assert_eq!(s.load_blocking::<4096, 768>().unwrap(), Some(v.clone()));
    // And as an async store.
    assert_eq!(block_on(s.load::<4096, 768>()).unwrap(), Some(v));
    s.clear_blocking().unwrap();
    assert_eq!(s.load_blocking::<4096, 768>().unwrap(), None);
    let BlockingFlash(flash) = s.release();
    assert!(flash.mem.iter().all(|&b| b == 0xFF));
}

#[test]
fn a_value_survives_a_new_store_over_the_same_flash() {
    let mut s = store(Word::new(6), 4 * 4096);
    let v = value("alice", 1800, true);
    save(&mut s, &v);
    let flash = s.release();
    let mut s = store(flash, 4 * 4096);
    assert_eq!(load(&mut s).unwrap(), Some(v));
}

// ---------------------------------------------------------------------------------------------
// Two slots

#[test]
fn the_newer_of_two_slots_wins_and_saves_alternate() {
    let mut s = store(Tiny::new(20), 8 * 256);
    for i in 0..7 {
        let v = value(&format!("user-{i}"), 100 + i, i % 2 == 0);
        save(&mut s, &v);
        assert_eq!(load(&mut s).unwrap(), Some(v));
    }
    let flash = s.release();
    // Both slots hold a valid record: the older one is there but not loaded.
    let slot_b = 256 + 4 * 256;
    assert_eq!(&flash.mem[256..260], b"CGRM");
    assert_eq!(&flash.mem[slot_b..slot_b + 4], b"CGRM");
    let seq = |at: usize| u32::from_le_bytes(flash.mem[at + 8..at + 12].try_into().unwrap());
    assert_eq!((seq(256), seq(slot_b)), (7, 6));
}

#[test]
fn saving_an_unchanged_value_writes_nothing() {
    let mut s = store(Word::new(6), 4 * 4096);
    let v = value("bob", 1800, true);
    save(&mut s, &v);
    let (erases, writes) = {
        let f = s.release();
        let counts = (f.erases, f.writes);
        s = store(f, 4 * 4096);
        counts
    };
    save(&mut s, &v);
    save(&mut s, &v.clone());
    let f = s.release();
    assert_eq!((f.erases, f.writes), (erases, writes));
    let mut s = store(f, 4 * 4096);
    let mut changed = v.clone();
    changed.set_refresh_token(&token(1801)).unwrap();
    save(&mut s, &changed);
    assert_eq!(s.release().erases, erases + 1);
}

/// A record laid out by hand from the documented format.
fn record(seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut r = Vec::new();
    r.extend_from_slice(b"CGRM");
    r.extend_from_slice(&1u16.to_le_bytes());
    r.extend_from_slice(&[0, 0]);
    r.extend_from_slice(&seq.to_le_bytes());
    r.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    let crc = crc32(&[&r[..], payload].concat());
    r.extend_from_slice(&crc.to_le_bytes());
    r.extend_from_slice(payload);
    r
}

/// CRC-32 as zlib computes it (an independent, table-driven implementation).
fn crc32(bytes: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|mut c| {
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            c
        })
        .collect();
    !bytes.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

fn payload(flags: u8, fields: &[&[u8]]) -> Vec<u8> {
    let mut p = vec![flags];
    for f in fields {
        p.extend_from_slice(&(f.len() as u16).to_le_bytes());
        p.extend_from_slice(f);
    }
    p
}

/// Byte flash of 4 sectors of 256 (slots of 2 sectors, payload at offset 20) with `a` and `b`
/// written into the slots.
fn with_slots(a: &[u8], b: &[u8]) -> FlashStore<Tiny> {
    let mut flash = Tiny::new(4);
    flash.mem[..a.len()].copy_from_slice(a);
    flash.mem[512..512 + b.len()].copy_from_slice(b);
    FlashStore::new(flash, 0, 4 * 256).unwrap()
}

#[test]
fn records_written_by_hand_from_the_documented_layout_load() {
    let p = payload(3, &[b"carol", b"tok", b"key", b"group", b"pw"]);
    let mut s = with_slots(&record(9, &p), &[]);
    let v: Remembered = load(&mut s).unwrap().unwrap();
    assert_eq!(v.username(), "carol");
    assert_eq!(v.refresh_token(), Some("tok"));
    let d = v.device().unwrap();
    assert_eq!(
        (d.device_key(), d.device_group_key(), d.device_password()),
        ("key", "group", "pw")
    );
}

#[test]
fn an_identity_id_is_kept_after_the_device() {
    const ID: &str = "eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f";
    // Written by hand: flags bit 2, the identity id last.
    let p = payload(
        7,
        &[b"carol", b"tok", b"key", b"group", b"pw", ID.as_bytes()],
    );
    let v: Remembered = load(&mut with_slots(&record(3, &p), &[])).unwrap().unwrap();
    assert_eq!(v.identity_id(), Some(ID));
    assert_eq!(v.device().unwrap().device_key(), "key");
    assert!(format!("{v:?}").contains(ID));
    // Alone with the username.
    let p = payload(4, &[b"dave", ID.as_bytes()]);
    let mut v: Remembered = load(&mut with_slots(&record(3, &p), &[])).unwrap().unwrap();
    assert_eq!((v.username(), v.identity_id()), ("dave", Some(ID)));
    assert_eq!(v.encoded_len(), p.len());
    // Setting the same id again changes nothing; a new one does.
    assert!(!v.set_identity_id(ID).unwrap());
    assert!(v.set_identity_id("eu-west-1:other").unwrap());
    assert_eq!(v.set_identity_id(""), Err(Misuse::Empty("IdentityId")));
    assert_eq!(
        v.set_identity_id(&"i".repeat(56)),
        Err(Misuse::TooLong {
            field: "IdentityId",
            max: 55
        })
    );
    assert_eq!(v.identity_id(), Some("eu-west-1:other"));
    // Saved and loaded back; forgotten, saved, and gone.
    let mut s = store(Word::new(4), 2 * 4096);
    save(&mut s, &v);
    assert_eq!(
        load(&mut s).unwrap().unwrap().identity_id(),
        Some("eu-west-1:other")
    );
    v.forget_identity_id();
    save(&mut s, &v);
    assert_eq!(load(&mut s).unwrap().unwrap().identity_id(), None);
}

#[test]
fn sequence_numbers_compare_across_wrap_around() {
    let old = record(u32::MAX, &payload(0, &[b"old"]));
    let new = record(0, &payload(0, &[b"new"]));
    assert_eq!(
        load(&mut with_slots(&old, &new))
            .unwrap()
            .unwrap()
            .username(),
        "new"
    );
    assert_eq!(
        load(&mut with_slots(&new, &old))
            .unwrap()
            .unwrap()
            .username(),
        "new"
    );
    let a = record(41, &payload(0, &[b"a"]));
    let b = record(42, &payload(0, &[b"b"]));
    assert_eq!(
        load(&mut with_slots(&a, &b)).unwrap().unwrap().username(),
        "b"
    );
    assert_eq!(
        load(&mut with_slots(&b, &a)).unwrap().unwrap().username(),
        "b"
    );
    // The next save goes over the older record with the next number.
    let mut s = with_slots(&old, &new);
    save(&mut s, &value("third", 0, false));
    let f = s.release();
    assert_eq!(&f.mem[8..12], &1u32.to_le_bytes());
}

#[test]
fn records_that_check_but_do_not_decode_are_corrupt() {
    let cases: Vec<Vec<u8>> = vec![
        payload(0, &[b"\xff\xfe"]),                       // username not UTF-8
        payload(1, &[b"user", b"tok\xc3"]),               // token ends inside a character
        payload(2, &[b"user", b"k\x80", b"g", b"p"]),     // device key not UTF-8
        payload(0, &[b""]),                               // empty username
        payload(1, &[b"user", b""]),                      // empty token
        payload(2, &[b"user", b"", b"g", b"p"]),          // empty device key
        payload(2, &[b"user", &[b'k'; 129], b"g", b"p"]), // device key over the protocol's bound
        payload(2, &[b"user", b"k", b"g", &[b'p'; 57]]),  // device password too long
        payload(8, &[b"user"]),                           // unknown flag
        payload(4, &[b"user"]),                           // identity id missing
        payload(4, &[b"user", b""]),                      // empty identity id
        payload(4, &[b"user", &[b'i'; 56]]),              // identity id too long
        payload(0, &[b"user", b"extra"]),                 // bytes left over
        payload(1, &[b"user"]),                           // token missing
        vec![0, 9, 0, b'a'],                              // username cut short
        vec![],                                           // nothing
    ];
    for p in cases {
        let mut s = with_slots(&record(1, &p), &[]);
        assert_eq!(load(&mut s), Err(StoreError::Corrupt), "{p:?}");
        assert_eq!(s.damaged_slots(), 1);
        // With a good older record beside it, that one loads.
        let good = record(0, &payload(0, &[b"older"]));
        let mut s = with_slots(&record(1, &p), &good);
        assert_eq!(load(&mut s).unwrap().unwrap().username(), "older");
        assert_eq!(s.damaged_slots(), 1);
    }
}

#[test]
fn wrong_magic_version_reserved_or_length_is_corrupt() {
    let good = record(1, &payload(0, &[b"user"]));
    for (at, byte) in [(0, b'X'), (4, 2), (6, 1), (12, 0xFF), (15, 0x01)] {
        let mut bad = good.clone();
        bad[at] = byte;
        assert_eq!(
            load(&mut with_slots(&bad, &[])),
            Err(StoreError::Corrupt),
            "{at}"
        );
    }
    // A length past the end of the slot.
    let mut long = record(1, &payload(0, &[b"user"]));
    long[12..16].copy_from_slice(&600u32.to_le_bytes());
    assert_eq!(load(&mut with_slots(&long, &[])), Err(StoreError::Corrupt));
}

// ---------------------------------------------------------------------------------------------
// Power loss

/// Saves `next` over a store holding `before` with power cut after every possible byte, and
/// checks that a load then finds `before` or `next`, and that the store keeps working.
fn torn_saves<const W: usize, const R: usize, const E: usize>(
    size: u32,
    before: &[Remembered],
    next: &Remembered,
) {
    let mut s = store(Flash::<W, R, E>::new(size as usize / E + 2), size);
    for v in before {
        save(&mut s, v);
    }
    let base = s.release();
    let mut k = 0;
    loop {
        let mut flash = base.clone();
        flash.cut_after(k);
        let mut s = store(flash, size);
        let result = block_on(s.save(next));
        let mut flash = s.release();
        let finished = !flash.off;
        flash.reboot();
        let mut s = store(flash, size);
        let loaded = load(&mut s);
        if finished {
            result.unwrap();
            assert_eq!(loaded.unwrap().as_ref(), Some(next), "k={k}");
            break;
        }
        assert_eq!(
            result,
            Err(StoreError::Storage(MockError::PowerLost)),
            "k={k}"
        );
        match (before.last(), loaded) {
            (Some(prev), Ok(Some(v))) => assert!(v == *prev || v == *next, "k={k}: {v:?}"),
            (None, Ok(None) | Err(StoreError::Corrupt)) => {}
            // Cut within the header's last byte, leaving it as intended.
            (None, Ok(Some(v))) if v == *next => {}
            (_, other) => panic!("k={k}: {other:?}"),
        }
        // After the reboot the device saves again, and that works.
        let again = value("after-reboot", 10, false);
        save(&mut s, &again);
        assert_eq!(load(&mut s).unwrap(), Some(again), "k={k}");
        k += 1;
    }
    assert!(
        k > size as usize / 2,
        "power was cut at every byte of the erase and the writes"
    );
}

#[test]
fn torn_saves_keep_the_previous_value_on_byte_flash() {
    let older = value("user", 300, true);
    let current = value("user", 310, true);
    torn_saves::<1, 1, 256>(8 * 256, &[older, current], &value("user", 320, true));
}

#[test]
fn torn_saves_keep_the_previous_value_on_word_flash_with_a_2k_token() {
    let current = value("6f1c2e9a-1234", 2048, true);
    let next = value("6f1c2e9a-1234", 2048, false);
    torn_saves::<4, 4, 4096>(2 * 4096, &[current], &next);
}

#[test]
fn torn_saves_on_wide_write_units() {
    let current = value("user", 600, false);
    torn_saves::<32, 1, 512>(4 * 512, &[current], &value("user", 601, true));
}

#[test]
fn a_torn_first_save_leaves_nothing_or_corrupt() {
    torn_saves::<1, 1, 256>(4 * 256, &[], &value("first", 200, true));
}

#[test]
fn torn_clears_never_bring_back_the_older_value() {
    let size = 8 * 256;
    let older = value("older", 300, true);
    let newest = value("newest", 300, true);
    let mut s = store(Tiny::new(10), size);
    save(&mut s, &older);
    save(&mut s, &newest);
    let base = s.release();
    for k in 0.. {
        let mut flash = base.clone();
        flash.cut_after(k);
        let mut s = store(flash, size);
        let result = block_on(s.clear());
        let mut flash = s.release();
        let finished = !flash.off;
        flash.reboot();
        let mut s = store(flash, size);
        match load(&mut s) {
            Ok(None) => {}
            Err(StoreError::Corrupt) => assert!(!finished),
            Ok(Some(v)) => assert!(v == newest && !finished, "k={k}: {v:?}"),
            Err(e) => panic!("k={k}: {e:?}"),
        }
        if finished {
            result.unwrap();
            break;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Damage

#[test]
fn every_corrupted_byte_is_detected_and_reported() {
    let size = 4 * 256u32;
    let older = value("older", 40, true);
    let newest = value("newest", 40, true);
    let mut s = store(Tiny::new(6), size);
    save(&mut s, &older);
    let lone = s.release();
    let mut s = store(lone.clone(), size);
    save(&mut s, &newest);
    let both = s.release();
    // Slot A (at 256) holds `older`, slot B (at 768) `newest`, each 20 + len bytes.
    let len_a = 20 + older.encoded_len();
    let len_b = 20 + newest.encoded_len();
    for i in 0..len_b {
        for flip in [0x01, 0x80, 0xFF] {
            let mut flash = both.clone();
            flash.mem[768 + i] ^= flip;
            let mut s = store(flash, size);
            assert_eq!(load(&mut s).unwrap().as_ref(), Some(&older), "byte {i}");
            assert_eq!(s.damaged_slots(), 1, "byte {i}");
        }
    }
    for i in 0..len_a {
        let mut flash = lone.clone();
        flash.mem[256 + i] ^= 0x10;
        let mut s = store(flash, size);
        assert_eq!(load(&mut s), Err(StoreError::Corrupt), "byte {i}");
        // The next save overwrites the damage.
        save(&mut s, &newest);
        assert_eq!(load(&mut s).unwrap().as_ref(), Some(&newest));
    }
}

#[test]
fn foreign_bytes_in_the_range_are_corrupt_not_a_panic() {
    let mut flash = Word::new(4);
    flash.mem[4096..4096 + 64].fill(0);
    let mut s = store(flash, 2 * 4096);
    assert_eq!(load(&mut s), Err(StoreError::Corrupt));
    assert_eq!(s.damaged_slots(), 1);
}

// ---------------------------------------------------------------------------------------------
// Capacities and ranges

#[test]
fn capacity_too_small_on_load_is_an_error_not_a_panic() {
    let mut s = store(Word::new(6), 4 * 4096);
    save(&mut s, &value("a-rather-long-username", 2048, true));
    assert_eq!(
        block_on(s.load::<1024, 768>()),
        Err(StoreError::TooLong {
            field: "refresh_token",
            len: 2048,
            max: 1024
        })
    );
    assert_eq!(
        block_on(s.load::<4096, 8>()),
        Err(StoreError::TooLong {
            field: "username",
            len: 22,
            max: 8
        })
    );
    // Exactly enough is enough.
    let v = block_on(s.load::<2048, 22>()).unwrap().unwrap();
    assert_eq!(v.refresh_token().map(str::len), Some(2048));
}

#[test]
fn a_record_larger_than_a_slot_is_refused_before_touching_the_flash() {
    let mut s = store(Tiny::new(4), 2 * 256);
    let small = value("small", 10, false);
    save(&mut s, &small);
    let big = value("big", 300, false);
    assert_eq!(
        block_on(s.save(&big)),
        Err(StoreError::NoSpace {
            needed: 20 + big.encoded_len(),
            available: 256
        })
    );
    assert_eq!(load(&mut s).unwrap(), Some(small));
    assert_eq!(s.payload_capacity(), 236);
}

#[test]
fn unusable_ranges_are_refused() {
    fn invalid<F: nor::NorFlash>(r: Result<FlashStore<F>, StoreError<F::Error>>) -> bool {
        matches!(r, Err(StoreError::InvalidRange(_)))
    }
    assert!(invalid(FlashStore::new(Word::new(4), 100, 2 * 4096)));
    assert!(invalid(FlashStore::new(Word::new(4), 0, 4096)));
    assert!(invalid(FlashStore::new(Word::new(4), 0, 4096 + 4095)));
    assert!(invalid(FlashStore::new(Word::new(4), 3 * 4096, 2 * 4096)));
    assert!(invalid(FlashStore::new(
        Word::new(4),
        u32::MAX - 4095,
        2 * 4096
    )));
    assert!(invalid(FlashStore::new(
        Flash::<512, 1, 4096>::new(4),
        0,
        2 * 4096
    )));
    assert!(invalid(FlashStore::new(Flash::<1, 1, 8>::new(4), 0, 4 * 8)));
    assert!(FlashStore::new(Word::new(4), 4096, 3 * 4096).is_ok());
    assert!(FlashStore::new(Flash::<1, 1, 16>::new(4), 0, 4 * 16).is_ok());
}

#[test]
fn an_odd_number_of_sectors_leaves_the_last_one_alone() {
    let mut flash = Tiny::new(3);
    flash.mem[512..].fill(0x42);
    let mut s = FlashStore::new(flash, 0, 3 * 256).unwrap();
    save(&mut s, &value("x", 100, true));
    save(&mut s, &value("y", 100, true));
    block_on(s.clear()).unwrap();
    assert!(s.release().mem[512..].iter().all(|&b| b == 0x42));
}

// ---------------------------------------------------------------------------------------------
// Clear

#[test]
fn clear_erases_both_slots() {
    let mut s = store(Word::new(6), 4 * 4096);
    block_on(s.clear()).unwrap();
    save(&mut s, &value("a", 1800, true));
    save(&mut s, &value("b", 1800, true));
    block_on(s.clear()).unwrap();
    assert_eq!(load(&mut s).unwrap(), None);
    assert!(s.release().mem.iter().all(|&b| b == 0xFF));
}

#[test]
fn clear_after_damage_leaves_an_empty_store() {
    let mut flash = Word::new(4);
    flash.mem[4096..4196].fill(0x00);
    let mut s = store(flash, 2 * 4096);
    block_on(s.clear()).unwrap();
    assert_eq!(load(&mut s).unwrap(), None);
    assert_eq!(s.damaged_slots(), 0);
}

// ---------------------------------------------------------------------------------------------
// The value

#[test]
fn the_value_refuses_what_it_cannot_keep() {
    use cognito_core::Misuse;
    assert_eq!(
        Remembered::<16, 4>::new("").unwrap_err(),
        Misuse::Empty("username")
    );
    assert_eq!(
        Remembered::<16, 4>::new("abcde").unwrap_err(),
        Misuse::TooLong {
            field: "username",
            max: 4
        }
    );
    let mut v = Remembered::<16, 4>::new("abcd").unwrap();
    v.set_refresh_token("first").unwrap();
    assert_eq!(v.set_refresh_token(""), Err(Misuse::Empty("refresh_token")));
    assert_eq!(
        v.set_refresh_token(&"t".repeat(17)),
        Err(Misuse::TooLong {
            field: "refresh_token",
            max: 16
        })
    );
    assert_eq!(v.refresh_token(), Some("first"));
    v.clear_refresh_token();
    assert_eq!(v.refresh_token(), None);
    v.set_device(device());
    assert!(v.device().is_some());
    v.forget_device();
    assert!(v.device().is_none());
}

#[test]
fn set_tokens_keeps_a_rotated_refresh_token_and_says_so() {
    let mut v: Remembered = Remembered::new("u")
        .unwrap()
        .with_refresh_token("one")
        .unwrap();
    let mut result = AuthenticationResult {
        access_token: "access",
        id_token: None,
        refresh_token: None,
        expires_in: 3600,
        token_type: "Bearer",
        new_device: None,
    };
    assert_eq!(v.set_tokens(&result), Ok(false));
    assert_eq!(v.refresh_token(), Some("one"));
    result.refresh_token = Some("one");
    assert_eq!(v.set_tokens(&result), Ok(false));
    result.refresh_token = Some("two");
    assert_eq!(v.set_tokens(&result), Ok(true));
    assert_eq!(v.refresh_token(), Some("two"));
}

#[test]
fn debug_shows_no_secret() {
    let v = value("visible-user", 64, true);
    let shown = format!("{v:?}");
    assert!(shown.contains("visible-user"));
    assert!(!shown.contains(v.refresh_token().unwrap()));
    assert!(!shown.contains(device().device_password()));
    let s = store(Word::new(4), 2 * 4096);
    assert!(format!("{s:?}").starts_with("FlashStore"));
}

// ---------------------------------------------------------------------------------------------
// Arbitrary flash contents

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the range holds, a load returns without panicking, and a save then a load
    /// return the saved value.
    #[test]
    fn arbitrary_flash_never_panics(bytes in proptest::collection::vec(any::<u8>(), 1024), erased in any::<[bool; 4]>()) {
        let mut flash = Tiny::new(4);
        flash.mem.copy_from_slice(&bytes);
        // Sometimes leave an erased header, so both kinds of slot are exercised.
        for (i, &e) in erased.iter().enumerate() {
            if e { flash.mem[i * 256..i * 256 + 20].fill(0xFF); }
        }
        let mut s = FlashStore::new(flash, 0, 1024).unwrap();
        let _ = load(&mut s);
        let _ = block_on(s.load::<8, 2>());
        let v = value("after", 100, true);
        save(&mut s, &v);
        prop_assert_eq!(load(&mut s).unwrap(), Some(v));
    }

    /// Records whose header and CRC check but whose payload is arbitrary decode or are
    /// refused, never panic.
    #[test]
    fn arbitrary_payloads_that_pass_the_crc_never_panic(
        flags in 0u8..8,
        fields in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..70), 0..8),
        tail in proptest::collection::vec(any::<u8>(), 0..4),
        seq in any::<u32>(),
    ) {
        let parts: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        let mut p = payload(flags, &parts);
        p.extend_from_slice(&tail);
        let mut s = with_slots(&record(seq, &p), &[]);
        match load(&mut s) {
            Ok(Some(v)) => {
                // Whatever decoded, re-encodes to the same payload.
                prop_assert_eq!(v.encoded_len(), p.len());
            }
            Ok(None) => prop_assert!(false, "a record was there"),
            Err(e) => prop_assert!(matches!(e, StoreError::Corrupt | StoreError::TooLong { .. }), "{:?}", e),
        }
        let _ = block_on(s.load::<16, 16>());
    }

    /// Random values round-trip.
    #[test]
    fn arbitrary_values_round_trip(
        user in "\\PC{1,40}",
        token in proptest::option::of("[A-Za-z0-9._-]{1,300}"),
        with_device in any::<bool>(),
        identity_id in proptest::option::of("[a-z0-9-]{1,20}:[0-9a-f-]{1,34}"),
    ) {
        let mut v: Remembered = Remembered::new(&user).unwrap();
        if let Some(t) = &token { v.set_refresh_token(t).unwrap(); }
        if with_device { v.set_device(device()); }
        if let Some(id) = &identity_id { v.set_identity_id(id).unwrap(); }
        // Up to 160 + 302 + 134 bytes: slots of 1 KiB.
        let mut s = store(Tiny::new(10), 8 * 256);
        save(&mut s, &v);
        prop_assert_eq!(load(&mut s).unwrap(), Some(v));
    }
}

#[test]
fn a_load_holds_one_value_and_a_save_copies_none() {
    let mut s = store(Word::new(4), 2 * 4096);
    let v = value("a", 10, true);
    let one = core::mem::size_of::<Remembered>();
    // Measured on a 64-bit host: one value plus about 840 bytes; a save about 860.
    assert!(core::mem::size_of_val(&s.load::<4096, 768>()) < one + 1024);
    assert!(core::mem::size_of_val(&s.save(&v)) < 1024);
    assert!(core::mem::size_of_val(&s.clear()) < 512);
    assert!(core::mem::size_of::<FlashStore<()>>() <= 256 + 16);
}
