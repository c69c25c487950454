//! The wall clock a device signs in with: its RTC when it has one, otherwise the pool's own time
//! from the `Date` header of its replies (the SRP `TIMESTAMP` must be within minutes of it).

use cognito_core::http_date::parse_http_date;
use cognito_core::time::UnixTime;
use embassy_time::Instant;

/// A real-time clock the firmware reads (an RTC peripheral, a GNSS receiver, NTP).
pub trait WallClock {
    /// The time now, if the clock is set.
    fn now(&self) -> Option<UnixTime>;
}

/// The client's view of the time: the caller's [`WallClock`] when it has one, else the time of
/// the pool's last `Date` header plus the time elapsed since on the monotonic embassy clock.
pub struct Clock<'c> {
    wall: Option<&'c dyn WallClock>,
    /// The server's time at a monotonic instant, from the newest `Date` header.
    synced: Option<(UnixTime, Instant)>,
}

impl<'c> Clock<'c> {
    /// A clock with no RTC: it knows the time once a reply has come.
    pub const fn from_replies() -> Self {
        Self {
            wall: None,
            synced: None,
        }
    }

    /// A clock that reads `wall` (the `Date` headers are still noted, as a fallback).
    pub fn with_wall_clock(wall: &'c dyn WallClock) -> Self {
        Self {
            wall: Some(wall),
            synced: None,
        }
    }

    /// Notes a reply's `Date` header, received now.
    pub fn note_date(&mut self, date: Option<&str>) {
        if let Some(server) = date.and_then(|d| parse_http_date(d).ok()) {
            self.synced = Some((server, Instant::now()));
        }
    }

    /// The time now: the wall clock's, else the pool's as last seen plus the time since; `None`
    /// before either is known.
    pub fn now(&self) -> Option<UnixTime> {
        if let Some(now) = self.wall.and_then(WallClock::now) {
            return Some(now);
        }
        let (server, at) = self.synced?;
        let elapsed = Instant::now().saturating_duration_since(at).as_secs();
        Some(UnixTime::from_secs(
            server.as_secs().saturating_add(elapsed),
        ))
    }
}

impl core::fmt::Debug for Clock<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Clock")
            .field("wall_clock", &self.wall.is_some())
            .field("now", &self.now())
            .finish()
    }
}
