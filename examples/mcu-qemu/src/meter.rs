//! What the firmware measures with: a free-running timer that follows QEMU's virtual time, and a
//! painted stack.
//!
//! # Instructions
//!
//! QEMU runs with `-icount shift=0`: virtual time advances exactly 1 ns per guest instruction
//! executed (2^0 ns), whatever the host does. The MPS2 board's CMSDK APB dual timer (timer 1, at
//! 0x4000_2000) counts QEMU's `SYSCLK` of 25 MHz in virtual time, so one tick is 40 ns, i.e. 40
//! instructions (on the AN505, Cortex-M33: at 0x5000_2000, the secure alias, and 20 MHz, so 50
//! instructions). It runs free, 32 bits wide, without interrupts: it wraps after 2^32 ticks
//! (about 171 s of virtual time, 171 G instructions), far beyond any interval measured here, so
//! the difference of two readings (wrapping) is exact to one tick. [`calibrate`] checks the
//! conversion against a loop of a known number of instructions.
//!
//! # Stack
//!
//! [`paint`] fills the free stack below the current stack pointer (down to `_stack_end`, the end
//! of `.bss`/`.uninit` as cortex-m-rt's linker script places it) with [`PAINT`]; [`lowest_touched`]
//! finds the lowest word that no longer holds it.

// Reading the timer's registers and the unused stack memory needs raw pointers; each use is in a
// function of this module, documented where it is.
#![allow(unsafe_code)]

use core::ptr;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Instructions per tick of the dual timer: 1 instruction = 1 ns (`-icount shift=0`) and the
/// timer counts the AN386's 25 MHz, 40 ns per tick.
#[cfg(not(board_an505))]
pub(crate) const INSTRUCTIONS_PER_TICK: u64 = 40;
/// Instructions per tick on the AN505, whose `SYSCLK` is 20 MHz: 50 ns per tick.
#[cfg(board_an505)]
pub(crate) const INSTRUCTIONS_PER_TICK: u64 = 50;

/// Base of the CMSDK APB dual timer on the MPS2 AN385/AN386 boards.
#[cfg(not(board_an505))]
const DUALTIMER: usize = 0x4000_2000;
/// The same timer on the AN505, at its secure alias (the firmware runs in the secure state).
#[cfg(board_an505)]
const DUALTIMER: usize = 0x5000_2000;
const TIMER1_LOAD: *mut u32 = DUALTIMER as *mut u32;
const TIMER1_VALUE: *const u32 = (DUALTIMER + 0x04) as *const u32;
const TIMER1_CONTROL: *mut u32 = (DUALTIMER + 0x08) as *mut u32;
/// CONTROL: 32-bit counter (bit 1), enabled (bit 7); free-running mode, no prescaler, no interrupt.
const CONTROL_32BIT: u32 = 1 << 1;
const CONTROL_ENABLE: u32 = 1 << 7;

/// Starts timer 1 of the dual timer, free-running from 0xFFFF_FFFF down.
pub(crate) fn start_timer() {
    // SAFETY: 0x4000_2000.. is the dual timer's register block on this board (QEMU's mps2.c);
    // these are aligned 32-bit device registers, written with volatile stores, and nothing else
    // in the firmware touches them.
    unsafe {
        ptr::write_volatile(TIMER1_CONTROL, CONTROL_32BIT);
        ptr::write_volatile(TIMER1_LOAD, u32::MAX);
        ptr::write_volatile(TIMER1_CONTROL, CONTROL_32BIT | CONTROL_ENABLE);
    }
}

/// The timer's count (it counts down).
#[inline(always)]
fn ticks() -> u32 {
    // SAFETY: as in `start_timer`: an aligned device register, read with a volatile load.
    unsafe { ptr::read_volatile(TIMER1_VALUE) }
}

/// A point in virtual time.
#[derive(Clone, Copy)]
pub(crate) struct Instant(u32);

impl Instant {
    /// Now.
    #[inline(always)]
    pub(crate) fn now() -> Self {
        Self(ticks())
    }

    /// Instructions executed since `self` (to one tick, 40 or 50 instructions).
    #[inline(always)]
    pub(crate) fn instructions(self) -> u64 {
        u64::from(self.0.wrapping_sub(ticks())) * INSTRUCTIONS_PER_TICK
    }
}

/// Times `cortex_m::asm::delay(n)`, a loop of exactly `2 (n + 1)` instructions (`subs`, `bne`),
/// and returns (instructions expected, instructions measured).
pub(crate) fn calibrate(n: u32) -> (u64, u64) {
    let start = Instant::now();
    cortex_m::asm::delay(n);
    let measured = start.instructions();
    (2 * (u64::from(n) + 1), measured)
}

/// What a painted word holds until the stack reaches it.
pub(crate) const PAINT: u32 = 0xC0DE_57AC;

/// Bytes left unpainted below the stack pointer of `paint` (its own locals live above it, but an
/// exception frame would not; none is enabled, this is only a margin).
const PAINT_MARGIN: usize = 64;

unsafe extern "C" {
    /// cortex-m-rt: the lowest address the stack may use (end of `.bss` and `.uninit`).
    static _stack_end: u32;
    /// cortex-m-rt: the initial stack pointer (top of RAM).
    static _stack_start: u32;
}

/// The lowest address the stack may grow to.
pub(crate) fn stack_bottom() -> usize {
    // Only the address of the linker symbol is taken; it is never read.
    ptr::addr_of!(_stack_end) as usize
}

/// The top of the stack (the reset stack pointer).
pub(crate) fn stack_top() -> usize {
    ptr::addr_of!(_stack_start) as usize
}

/// The stack pointer of the caller (to a few bytes).
#[inline(always)]
pub(crate) fn stack_pointer() -> usize {
    cortex_m::register::msp::read() as usize
}

/// Fills the free stack below the current stack pointer with [`PAINT`].
#[inline(never)]
pub(crate) fn paint() {
    let bottom = stack_bottom();
    let top = (stack_pointer() - PAINT_MARGIN) & !3;
    let mut address = bottom;
    while address < top {
        // SAFETY: [bottom, top) lies between the end of the statics and below this function's
        // stack frame (less a margin): memory that nothing owns or reads until the stack grows
        // into it, which then overwrites the paint. Aligned word stores; no interrupt is enabled
        // that could push a frame there meanwhile.
        unsafe { ptr::write_volatile(address as *mut u32, PAINT) };
        address += 4;
    }
}

/// The lowest stack address written since the last [`paint`]; `None` if the stack reached its
/// bottom (it may then have overflowed into the statics).
#[inline(never)]
pub(crate) fn lowest_touched() -> Option<usize> {
    let bottom = stack_bottom();
    let top = stack_pointer();
    let mut address = bottom;
    while address < top {
        // SAFETY: an aligned word of RAM between the statics and the current stack pointer;
        // reading it with a volatile load has no effect and no other reference to it exists.
        if unsafe { ptr::read_volatile(address as *const u32) } != PAINT {
            return (address != bottom).then_some(address);
        }
        address += 4;
    }
    Some(top)
}

/// Runs `f` on a freshly painted stack: its result, the instructions it executed and the bytes of
/// stack it used below the caller's stack pointer (`None` if it reached the bottom).
#[inline(never)]
pub(crate) fn measure<T>(f: impl FnOnce() -> T) -> (T, u64, Option<usize>) {
    paint();
    let caller = stack_pointer();
    let start = Instant::now();
    let result = f();
    let instructions = start.instructions();
    let lowest = lowest_touched();
    if let Some(lowest) = lowest {
        DEEPEST.fetch_min(lowest, Ordering::Relaxed);
    } else {
        DEEPEST.store(0, Ordering::Relaxed);
    }
    let used = lowest.map(|lowest| caller.saturating_sub(lowest));
    (result, instructions, used)
}

/// The lowest stack address any [`measure`] saw touched (0: the stack reached its bottom).
static DEEPEST: AtomicUsize = AtomicUsize::new(usize::MAX);

/// The deepest the stack went during any [`measure`], in bytes from the reset stack pointer
/// (so including every frame of the firmware above the measured call); `None` if it reached the
/// bottom.
pub(crate) fn deepest() -> Option<usize> {
    match DEEPEST.load(Ordering::Relaxed) {
        0 => None,
        usize::MAX => Some(0),
        lowest => Some(stack_top().saturating_sub(lowest)),
    }
}
