//! The repository layer: every SQL statement of the product lives in this folder, one module a
//! table (or a close family of tables), each function taking a connection or transaction and
//! answering in domain types. Statements are written once for both backends (`$n` placeholders,
//! integer millisecond timestamps); where SQLite and PostgreSQL must differ, both forms stand side
//! by side in the function that needs them. No policy lives here: services decide, this stores.
//!
//! May import `domain`, `clock` and `config`; never `services`, `auth`, `api`, `web` or `app`.

pub mod audit;
pub mod bulk_uploads;
pub mod divisions;
pub mod invitations;
pub mod oidc;
pub mod outbox;
pub mod password_resets;
pub mod rate_limits;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use audit::{AuditKey, AuditKeys};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub type Tx = Transaction<'static, sqlx::Any>;
/// A connection: a transaction's (`tx.conn()`) or one taken from the pool (`db.conn()`).
pub type Conn = sqlx::AnyConnection;
/// What a statement can fail with.
pub type Error = sqlx::Error;
pub type Result<T> = std::result::Result<T, Error>;

/// A database failure reaching a use case is logged once, where it is turned into the domain's
/// `Internal` error, and its details go no further.
impl From<sqlx::Error> for crate::domain::DomainError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database failure");
        crate::domain::DomainError::Internal
    }
}

/// Whether a statement failed on a unique constraint (a name already taken).
pub fn is_unique_violation(e: &Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// How long a pooled connection may sit unused before it is pinged again when handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(5);

/// Whether an SQLite URL names an in-memory database (a new one for every connection).
fn in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// The settings both of SQLite's pools share (PostgreSQL has one): every connection set up
/// as below, pinged when handed out only after sitting idle.
fn pool_options(backend: Backend) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings every connection it hands out by default: one more round trip per
        // acquire (a thread switch each way on SQLite, a network exchange on PostgreSQL)
        // on every request. A connection that was returned within the last few seconds
        // passed sqlx's ping on release then; only one idle for longer is pinged again
        // (a PostgreSQL restart or a dropped link while it sat unused).
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= IDLE_BEFORE_PING {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // `synchronous = FULL`: a commit returns only once the log is on disk,
                    // so an answered write survives a power cut, not only a crash of this
                    // process ("acknowledged means durable"). Group commit shares that flush
                    // among the creates that arrive together.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                         PRAGMA cache_size = -6000; PRAGMA temp_store = MEMORY;",
                    )
                    .await?;
                } else {
                    // A wait on a lock or a runaway statement becomes an error the request
                    // can report, never a request that hangs for ever. No parallel workers:
                    // every statement here reads an index for a few rows, and starting
                    // workers cost 40-50 ms a statement at 1M codes when the planner
                    // misjudged a small read as large (the counts).
                    conn.execute(
                        "SET lock_timeout = '10s'; SET statement_timeout = '60s'; \
                         SET idle_in_transaction_session_timeout = '60s'; \
                         SET max_parallel_workers_per_gather = 0;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// SQLite's one connection for write transactions (see [`Db::connect`]); none on
    /// PostgreSQL, whose writes use the pool.
    writer: Option<AnyPool>,
    pub backend: Backend,
    /// SQLite allows one writer; queueing writers here (instead of in SQLite's busy loop) keeps
    /// write latency fair and avoids lock upgrade failures.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The keys the audit chain is sealed with (see `audit`); none until the app sets them.
    pub audit_keys: Arc<AuditKeys>,
}

pub struct WriteTx {
    pub tx: Tx,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = Tx;
    fn deref(&self) -> &Tx {
        &self.tx
    }
}
impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
        };
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_string()
        };
        let opts = sqlx::any::AnyConnectOptions::from_str(&url)?;
        let pool = pool_options(backend)
            .max_connections(max_connections.max(2))
            .connect_with(opts.clone())
            .await?;
        // SQLite: every write transaction runs on one connection of its own. A connection
        // drops its whole page cache when it finds that another connection wrote since its
        // last transaction, so writes spread over the pool read the pages they change (the
        // paths down a dozen indexes and the search index) from the file again every time:
        // 83 reads a create at 1M codes, 13 on the one writer (README, "Performance"). Its
        // cache still goes when a write outside `begin_write` (a session's last-seen time, a
        // rate-limit counter) or another instance comes in between, as it should. The
        // connection is kept for good rather than closed when idle or old, which would drop
        // the cache too. An in-memory database is one per connection, so there the writes
        // stay on the pool that migrated it.
        let writer = match backend {
            Backend::Sqlite if !in_memory(&url) => Some(
                pool_options(backend)
                    .max_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(opts)
                    .await?,
            ),
            _ => None,
        };
        Ok(Db {
            pool,
            writer,
            backend,
            write_gate: (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(()))),
            audit_keys: Arc::new(AuditKeys::default()),
        })
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }

    /// The same database, sealing audit rows with `keys`.
    pub fn with_audit_keys(mut self, keys: AuditKeys) -> Self {
        self.audit_keys = Arc::new(keys);
        self
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate::Migrator::with_migrations(migrations(self.backend))
            .run(&self.pool)
            .await?;
        Ok(())
    }

    /// Begins a write transaction. On SQLite it takes the write lock up front (`BEGIN
    /// IMMEDIATE`) so a transaction that reads before it writes cannot fail to upgrade.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let gate = match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => {
                let writer = self.writer.as_ref().unwrap_or(&self.pool);
                writer.begin_with("BEGIN IMMEDIATE").await?
            }
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _gate: gate })
    }

    /// A connection from the pool, for reads outside a transaction.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        self.pool.acquire().await
    }

    /// Whether the database answers, on the readers' pool and (SQLite) the writer's.
    pub async fn ping(&self) -> bool {
        for pool in std::iter::once(&self.pool).chain(&self.writer) {
            if sqlx::query("SELECT 1").execute(pool).await.is_err() {
                return false;
            }
        }
        true
    }
}

/// Every file of `migrations/<backend>/`, embedded in the binary. Listed here rather than read by
/// `sqlx::migrate!`, so sqlx's macro crates (a second build of sqlx and SQLite for the
/// compiler) are not needed; a test checks that the list and the folders agree, and the
/// checksums are sqlx's own, so databases migrated before keep verifying.
fn migrations(backend: Backend) -> Vec<sqlx::migrate::Migration> {
    macro_rules! embed {
        ($(($version:literal, $file:literal)),* $(,)?) => {{
            let one = |version: i64, file: &'static str, sql: &'static str| {
                let description = file
                    .trim_end_matches(".sql")
                    .split_once('_')
                    .map_or("", |(_, d)| d)
                    .replace('_', " ");
                sqlx::migrate::Migration::new(
                    version,
                    std::borrow::Cow::Owned(description),
                    sqlx::migrate::MigrationType::Simple,
                    sqlx::SqlStr::from_static(sql),
                    sql.starts_with("-- no-transaction"),
                )
            };
            match backend {
                Backend::Sqlite => vec![$(one($version, $file, include_str!(
                    concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite/", $file)))),*],
                Backend::Postgres => vec![$(one($version, $file, include_str!(
                    concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres/", $file)))),*],
            }
        }};
    }
    embed![
        (1, "0001_init.sql"),
        (2, "0002_bulk_uploads.sql"),
        (3, "0003_search.sql"),
        (4, "0004_outbox.sql"),
        (5, "0005_counts_index.sql"),
        (6, "0006_trust.sql"),
        (7, "0007_controls.sql"),
        (8, "0008_webhooks.sql"),
        (9, "0009_oidc.sql"),
        (10, "0010_tally.sql"),
        (11, "0011_search_doc.sql"),
        (12, "0012_open_codes_index.sql"),
        (13, "0013_search_merge.sql"),
    ]
}

/// Reads a column, mapping a decoding failure to sqlx's error.
pub fn col<'r, T>(row: &'r AnyRow, name: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name)
}

#[cfg(test)]
mod tests {
    use super::{migrations, Backend};

    /// A migration file added to a folder but not to the list would never run.
    #[test]
    fn every_migration_file_is_embedded_in_order() {
        for (backend, dir) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
            let path = format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|f| f.ends_with(".sql"))
                .collect();
            files.sort();
            let embedded = migrations(backend);
            assert_eq!(embedded.len(), files.len(), "{dir}: {files:?}");
            for (m, file) in embedded.iter().zip(&files) {
                let version: i64 = file.split('_').next().unwrap().parse().unwrap();
                assert_eq!(m.version, version, "{dir}/{file}");
                let on_disk = std::fs::read_to_string(format!("{path}/{file}")).unwrap();
                assert_eq!(m.sql.as_str(), on_disk, "{dir}/{file}");
            }
        }
    }
}
