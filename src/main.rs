#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    use clap::Parser;
    // Every argon2 hash takes 19 MiB. With glibc's default, freed blocks that large raise the
    // mmap threshold and then stay in per-thread arenas, so memory grows with every blocking
    // thread that ever hashed. A fixed threshold sends them back to the OS when freed.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt has no memory-safety preconditions; glibc serialises it with allocations.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    }
    let cli = onboard::cli::Cli::parse();
    match onboard::cli::run(cli).await {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser entry point is `hydrate()` in lib.rs.
}
