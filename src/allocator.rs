//! The allocator of every program built on this library, mimalloc, and its
//! tuning. The engine makes and frees many small strings and vectors on
//! every core, and a restart decodes a few hundred thousand; glibc's
//! malloc was a fifth of both (`perf`). With mimalloc a cached restart of
//! 100,000 articles takes a third less time, and a full index less time
//! and less memory.

use std::os::raw::c_long;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v3, which the binding builds),
/// which the binding does not name: how long freed memory is kept before
/// it goes back to the system, in milliseconds.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay of a program: short, where mimalloc's default is a
/// second, so that memory freed by one stage of the engine is back before
/// the next has grown far. Giving it back at once costs a restart a third
/// of its time in system calls.
const PURGE_DELAY_MS: c_long = 10;

/// Tunes the allocator for `dossier`'s work. Call it first thing in `main`.
pub fn tune() {
    set_purge_delay(PURGE_DELAY_MS);
}

/// While it lives, memory freed goes back to the system at once: for the
/// engine, whose stages each free large working data that the next would
/// otherwise add to the peak.
pub struct Frugal {
    before: c_long,
}

/// See [`Frugal`].
pub fn frugal() -> Frugal {
    let before = purge_delay();
    set_purge_delay(0);
    Frugal { before }
}

impl Drop for Frugal {
    fn drop(&mut self) {
        set_purge_delay(self.before);
    }
}

/// Hands the memory freed so far back to the system, from the heap of
/// this thread and of every thread of rayon's pool (a heap is collected by
/// its own thread, and each keeps what was freed in it).
pub fn release_freed() {
    rayon::broadcast(|_| collect_here());
    collect_here();
}

fn collect_here() {
    // SAFETY: mi_collect frees no live allocation: it only processes the
    // calling thread's freed blocks and returns free pages.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn purge_delay() -> c_long {
    // SAFETY: reads a number from mimalloc's option table.
    unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
}

fn set_purge_delay(ms: c_long) {
    // SAFETY: sets a number in mimalloc's option table, which mimalloc
    // reads on its own; any value is valid for this option.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_tuned_is_the_purge_delay_and_frugal_restores_it() {
        // mimalloc's default for `purge_delay` is 1000 (ms); no other
        // option of its table has it. (No test calls `tune`.)
        assert_eq!(purge_delay(), 1000);
        {
            let _frugal = frugal();
            assert_eq!(purge_delay(), 0);
        }
        assert_eq!(purge_delay(), 1000);
    }
}
