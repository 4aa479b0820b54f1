#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    use clap::Parser;
    // First, before any database connection opens (see `memory::init`).
    if let Err(e) = onboard::memory::init() {
        eprintln!("warning: {e}");
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
