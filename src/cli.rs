//! The `onboard` command line: serve, migrate, demo, admin create, audit verify.

use crate::audit::{verify, Verdict};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::domain::{Email, Role, Username};
use crate::services::{self, Core};
use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;

#[derive(Parser)]
#[command(
    name = "onboard",
    version,
    about = "Invitation-code manager for organisations split into divisions"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Migrate the database and serve the web app and API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Seed a demo organisation into an empty database and print its logins.
    Demo,
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Inspect the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an admin. The password comes from ONBOARD_PASSWORD or a terminal prompt.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: Option<String>,
    },
    /// Lift every login lock-out on an account (for an owner locked out at their own address).
    Unlock { username: String },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 0 when intact, 1 naming the first bad row otherwise.
    Verify,
}

pub fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let pkg = std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into());
    // A release site names its files by content (`make site` writes `hash.txt`); Leptos reads
    // the names from there (a path relative to the executable, so an absolute one here).
    let hashes = std::path::Path::new(&site_root).join("hash.txt");
    let hashed = hashes.is_file();
    let hash_file = std::path::absolute(&hashes)
        .unwrap_or(hashes)
        .display()
        .to_string();
    LeptosOptions::builder()
        .output_name("onboard")
        .site_root(site_root)
        .site_pkg_dir(pkg)
        .site_addr(config.addr)
        .hash_files(hashed)
        .hash_file(hash_file.into())
        .build()
}

pub async fn open(config: &Config) -> anyhow::Result<Core> {
    crate::services::oidc::Provider::from_config(config)?;
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    // Loaded here so that a missing or unreadable key is an error, not Core's refusal to start.
    let db = db.with_audit_keys(crate::audit::load_keys(config)?);
    Ok(Core::new(db, config.clone(), Clock::default()))
}

pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    let config = Config::from_env()?;
    init_tracing(config.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let core = open(&config).await?;
            match services::outbox::Mailer::from_config(&core)? {
                Some(mailer) => {
                    services::outbox::spawn_worker(core.clone(), mailer);
                    tracing::info!("email: delivering through ONBOARD_SMTP_URL");
                }
                None => tracing::info!("email: no ONBOARD_SMTP_URL; messages stay in the outbox"),
            }
            services::spawn_housekeeping(core.clone());
            services::webhooks::spawn_worker(core.clone())?;
            let app = crate::server::router(core, leptos_options(&config));
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            tracing::info!("listening on http://{}", listener.local_addr()?);
            crate::server::serve(app, listener).await?;
            Ok(0)
        }
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
            Ok(0)
        }
        Command::Demo => {
            let core = open(&config).await?;
            crate::demo::seed(&core).await?;
            Ok(0)
        }
        Command::Admin {
            command: AdminCommand::Create { username, email },
        } => {
            let core = open(&config).await?;
            let username = Username::parse(&username).map_err(|e| anyhow::anyhow!("{e}"))?;
            let email = email
                .map(|e| Email::parse(&e))
                .transpose()
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let password = match std::env::var("ONBOARD_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password(format!("Password for {username}: "))?,
            };
            crate::domain::password::check_new_password(&password, &username)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            services::redeem::create_user_direct(
                &core,
                &username,
                &password,
                Role::Admin,
                None,
                email.as_ref(),
            )
            .await?;
            println!("admin {username} created");
            Ok(0)
        }
        Command::Admin {
            command: AdminCommand::Unlock { username },
        } => {
            let core = open(&config).await?;
            let n = services::auth::unlock(&core, &username)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{username}: {n} lock-out(s) lifted");
            Ok(0)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let core = open(&config).await?;
            match verify(&core.db).await? {
                Verdict::Intact { rows } => {
                    println!("audit trail intact: {rows} rows");
                    Ok(0)
                }
                Verdict::Broken { row, reason } => {
                    eprintln!("audit trail BROKEN at row {row}: {reason}");
                    Ok(1)
                }
            }
        }
    }
}
