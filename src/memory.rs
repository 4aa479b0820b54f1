//! The server's allocator, mimalloc, how the process uses memory (set once at start-up, see
//! [`init`]), and the one place memory is handed back to the system.
//!
//! glibc's malloc spent about a third of a page render in its own bookkeeping (`_int_malloc`,
//! `malloc_consolidate`, `_int_free`); mimalloc's per-thread free lists cut the render's time
//! by about 40 % (README, "Performance"). mimalloc hands freed memory back to the system
//! lazily, on later allocator activity, so a large block freed by a thread that then goes
//! idle (argon2's 19 MiB per hash, on a hashing thread) would stay resident: [`release`] is
//! called once the last hash of a burst is over (`auth::Hasher`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives freed memory back to the system now: the calling thread's heap, and every free
/// span of the process's arenas (a block as large as argon2's has a segment of its own).
pub fn release() {
    // SAFETY: `mi_collect` has no preconditions; it takes mimalloc's own locks for the
    // process-wide parts and may be called at any time from any thread.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Sets up the process's memory; `main` calls it first, before the first database connection
/// opens (SQLite accepts its allocator only before it starts). Each step is an optimisation,
/// so a step that fails is reported and the server runs on without it.
pub fn init() -> Result<(), String> {
    let failed: Vec<String> = [without_huge_pages(), sqlite_on_mimalloc()]
        .into_iter()
        .filter_map(Result::err)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// No transparent huge pages for this process. mimalloc asks for them on its whole arena, so
/// each 2 MiB region that a few small allocations touch becomes resident in full. In the
/// bench (SQLite 1M, after two sign-ins) the server sat at 34-38 MB idle and peaked at 90-101
/// MB; without them, 29-30 and 74-84 MB (README, "Performance", 2026-12-07, later). With 4 KiB
/// pages a fresh argon2 block is 4,864 page faults, a third of a hash, so the hasher keeps its
/// block while more hashes wait (`auth::Hasher`).
#[cfg(target_os = "linux")]
fn without_huge_pages() -> Result<(), String> {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers (the kernel reads `unsigned long`s and
    // wants the unused ones 0) and sets a flag on this process, which children it forked or
    // executed would inherit (the server starts none).
    let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
    let rc = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused) };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!(
            "could not turn transparent huge pages off: {}",
            std::io::Error::last_os_error()
        ))
    }
}

#[cfg(not(target_os = "linux"))]
fn without_huge_pages() -> Result<(), String> {
    Ok(())
}

/// SQLite allocates through mimalloc too, without its memory statistics. On its own allocator
/// it went through glibc's malloc (about 8 % of a list request's CPU: every column of every
/// row it hands sqlx is a copied value), and kept a count of its memory under one lock that
/// every allocation on every connection's thread took. Nothing here reads that count (no soft
/// heap limit is set).
fn sqlite_on_mimalloc() -> Result<(), String> {
    use libsqlite3_sys as ffi;
    use std::ffi::{c_int, c_void};

    // SQLite passes sizes as positive `int`s and needs 8-byte alignment, which every mimalloc
    // block has; `xSize` is the usable size, at least what was asked for.
    unsafe extern "C" fn x_malloc(n: c_int) -> *mut c_void {
        // SAFETY: any size may be asked of mimalloc; it returns null on failure, which SQLite
        // handles.
        unsafe { libmimalloc_sys::mi_malloc(n.max(0) as usize) }
    }
    unsafe extern "C" fn x_free(p: *mut c_void) {
        // SAFETY: SQLite frees only what `x_malloc` or `x_realloc` returned (or null).
        unsafe { libmimalloc_sys::mi_free(p) }
    }
    unsafe extern "C" fn x_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
        // SAFETY: as for `x_free`; on failure the old block stays valid, as SQLite expects.
        unsafe { libmimalloc_sys::mi_realloc(p, n.max(0) as usize) }
    }
    unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
        // SAFETY: `p` is a live block from `x_malloc` or `x_realloc`.
        let size = unsafe { libmimalloc_sys::mi_usable_size(p) };
        c_int::try_from(size).unwrap_or(c_int::MAX)
    }
    unsafe extern "C" fn x_roundup(n: c_int) -> c_int {
        // SAFETY: `mi_good_size` only computes a size.
        let size = unsafe { libmimalloc_sys::mi_good_size(n.max(0) as usize) };
        c_int::try_from(size).unwrap_or(n)
    }
    unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
        ffi::SQLITE_OK
    }
    unsafe extern "C" fn x_shutdown(_: *mut c_void) {}

    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(x_malloc),
        xFree: Some(x_free),
        xRealloc: Some(x_realloc),
        xSize: Some(x_size),
        xRoundup: Some(x_roundup),
        xInit: Some(x_init),
        xShutdown: Some(x_shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: `sqlite3_config` must run before SQLite initialises and on no other thread at the
    // same time: `main` calls this first. SQLite copies the methods, which only call mimalloc.
    // Called too late, it returns SQLITE_MISUSE and changes nothing.
    let (stats, malloc) = unsafe {
        (
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int),
            ffi::sqlite3_config(
                ffi::SQLITE_CONFIG_MALLOC,
                &methods as *const ffi::sqlite3_mem_methods,
            ),
        )
    };
    match (stats, malloc) {
        (ffi::SQLITE_OK, ffi::SQLITE_OK) => Ok(()),
        _ => Err(format!(
            "SQLite keeps its own allocator (SQLite result codes {stats} and {malloc})"
        )),
    }
}
