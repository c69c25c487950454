//! Valgrind client requests (memcheck's `VALGRIND_MAKE_MEM_UNDEFINED` / `_DEFINED`,
//! `RUNNING_ON_VALGRIND`), written from the documented protocol in `valgrind.h`: the address of six
//! words (request code and five arguments) in `rax`, a default result in `rdx`, then a "special
//! instruction preamble" of four rotations of `rdi` by 3, 13, 61 and 51 bits (128 in all, so `rdi`
//! ends unchanged) followed by `xchg rbx, rbx`. On a real CPU the sequence changes nothing and
//! `rdx` keeps the default; under valgrind the JIT recognises it and puts the answer in `rdx`.
//!
//! Only x86_64 is implemented; elsewhere every request returns its default (0: "not running on
//! valgrind"), so `ct_taint` refuses to pass.
//!
//! This is the one module of the crate allowed `unsafe` (the crate denies it; the workspace
//! forbids it everywhere else).
#![allow(unsafe_code)]

/// `VG_USERREQ__RUNNING_ON_VALGRIND`.
const RUNNING_ON_VALGRIND: u64 = 0x1001;
/// `VG_USERREQ__COUNT_ERRORS`.
const COUNT_ERRORS: u64 = 0x1201;
/// `VG_USERREQ_TOOL_BASE('M','C')`: memcheck's requests.
const MEMCHECK_BASE: u64 = (b'M' as u64) << 24 | (b'C' as u64) << 16;
/// `VG_USERREQ__MAKE_MEM_UNDEFINED`.
const MAKE_MEM_UNDEFINED: u64 = MEMCHECK_BASE + 1;
/// `VG_USERREQ__MAKE_MEM_DEFINED`.
const MAKE_MEM_DEFINED: u64 = MEMCHECK_BASE + 2;

#[cfg(target_arch = "x86_64")]
fn client_request(default: u64, request: u64, arg1: u64, arg2: u64) -> u64 {
    let args: [u64; 6] = [request, arg1, arg2, 0, 0, 0];
    let result: u64;
    // SAFETY: the instructions leave every register but rdx as they found it (rdi is rotated by
    // 128 bits in all; xchg of rbx with itself), do not touch the stack, and only read `args`,
    // which lives until the end of this function. Under valgrind the request may read or write
    // the memory range it names (memcheck only changes its shadow state, never the bytes); no
    // `nomem`/`readonly` option is given, so the compiler assumes memory may change.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") args.as_ptr(),
            inout("rdx") default => result,
            options(nostack),
        );
    }
    result
}

#[cfg(not(target_arch = "x86_64"))]
fn client_request(default: u64, _request: u64, _arg1: u64, _arg2: u64) -> u64 {
    default
}

/// Whether this process runs under valgrind (and on a target where requests are implemented).
pub fn running_on_valgrind() -> bool {
    client_request(0, RUNNING_ON_VALGRIND, 0, 0) != 0
}

/// Errors valgrind has reported so far (suppressed ones excluded); 0 when not under valgrind.
pub fn error_count() -> u64 {
    client_request(0, COUNT_ERRORS, 0, 0)
}

/// Marks the bytes of `value` as undefined ("secret"): memcheck then reports every conditional
/// jump, and every memory address, computed from them.
pub fn make_undefined<T: ?Sized>(value: &T) {
    let len = core::mem::size_of_val(value) as u64;
    client_request(
        0,
        MAKE_MEM_UNDEFINED,
        value as *const T as *const u8 as u64,
        len,
    );
}

/// Marks the bytes of `value` as defined ("public"), declassifying them.
pub fn make_defined<T: ?Sized>(value: &T) {
    let len = core::mem::size_of_val(value) as u64;
    client_request(
        0,
        MAKE_MEM_DEFINED,
        value as *const T as *const u8 as u64,
        len,
    );
}
