//! The server's allocator, mimalloc, and the one place memory is handed back to the system.
//!
//! glibc's malloc spent about a third of a page render in its own bookkeeping (`_int_malloc`,
//! `malloc_consolidate`, `_int_free`); mimalloc's per-thread free lists cut the render's time
//! by about 40 % (README, "Performance"). mimalloc hands freed memory back to the system
//! lazily, on later allocator activity, so a large block freed by a thread that then goes
//! idle (argon2's 19 MiB per hash, on a blocking thread) would stay resident: [`release`] is
//! called after such work.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives freed memory back to the system now: the calling thread's heap, and every free
/// span of the process's arenas (a block as large as argon2's has a segment of its own).
pub fn release() {
    // SAFETY: `mi_collect` has no preconditions; it takes mimalloc's own locks for the
    // process-wide parts and may be called at any time from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
