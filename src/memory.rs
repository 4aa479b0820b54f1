//! The server's allocator, mimalloc, and the one place memory is handed back to the system.
//!
//! glibc's malloc spent about a third of a page render in its own bookkeeping (`_int_malloc`,
//! `malloc_consolidate`, `_int_free`); mimalloc's per-thread free lists cut the render's time
//! by about 40 % (README, "Performance"). mimalloc returns freed memory to the system only
//! when the thread that freed it allocates again, so a large block freed by a thread that
//! then goes idle (argon2's 19 MiB per hash, on a blocking thread) would stay resident:
//! [`release`] is called after such work.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives the calling thread's freed memory back to the system now.
pub fn release() {
    // SAFETY: `mi_collect` only walks mimalloc's own structures for the calling thread; it
    // has no preconditions and is safe to call at any time from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
