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

/// How long a request waits for a connection before it fails.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether an SQLite URL names an in-memory database (a new one for every connection).
fn in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// The settings both of SQLite's pools share (PostgreSQL has one): every connection set up
/// as below, pinged when handed out only after sitting idle.
fn pool_options(backend: Backend) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .min_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
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
        .after_connect(move |conn, _meta| Box::pin(set_up(conn, backend)))
}

/// Every connection's settings, pooled or the SQLite writer's own.
async fn set_up(conn: &mut Conn, backend: Backend) -> Result<()> {
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
    /// PostgreSQL, whose writes use the pool, and for an in-memory SQLite database.
    writer: Option<Arc<Writer>>,
    /// SQLite's connections for reads (see [`Readers`]); none where `writer` is none.
    readers: Option<Arc<Readers>>,
    pub backend: Backend,
    /// An in-memory SQLite database writes on its pool: one writer at a time, queued here
    /// (instead of in SQLite's busy loop) for fair latency and no lock upgrade failures.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The keys the audit chain is sealed with (see `audit`); none until the app sets them.
    pub audit_keys: Arc<AuditKeys>,
}

/// SQLite's writer: one connection held here rather than in a pool, its lock the queue of
/// write transactions. sqlx pings a pooled connection as it comes back (a round trip to the
/// connection's worker thread, each way a thread switch) before the next writer may have it;
/// a held connection goes straight to the next writer. Empty until first used, and again
/// after a failure that may have broken it.
struct Writer {
    conn: Arc<tokio::sync::Mutex<Option<Conn>>>,
    options: sqlx::any::AnyConnectOptions,
    /// Set by [`Db::close`]: no connection is opened after it.
    closed: std::sync::atomic::AtomicBool,
}

/// The writer's lock while a `BEGIN` or `COMMIT` is on its way. Failed or cancelled there (the
/// statement still runs on the connection's worker), the connection's state is unknown, so it
/// is closed, which rolls back whatever it left open, and the next writer opens a new one.
struct Armed(Option<tokio::sync::OwnedMutexGuard<Option<Conn>>>);

impl Armed {
    fn slot(&mut self) -> &mut Option<Conn> {
        self.0.as_mut().expect("armed until disarmed")
    }
    fn disarm(mut self) -> tokio::sync::OwnedMutexGuard<Option<Conn>> {
        self.0.take().expect("armed until disarmed")
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if let Some(guard) = &mut self.0 {
            **guard = None;
        }
    }
}

/// SQLite's readers: connections held here and handed out one at a time, put back as they
/// are when done, rather than pinged by sqlx's pool on every return (see [`Writer`]). Opened as
/// needed, up to the configured number, and kept; one that sat unused for a while is pinged
/// as it is handed out, as the pool did, and replaced if it does not answer.
struct Readers {
    /// Each with when it came back.
    idle: std::sync::Mutex<Vec<(Conn, std::time::Instant)>>,
    permits: Arc<tokio::sync::Semaphore>,
    /// How many may be open at once (the permits' number).
    size: u32,
    options: sqlx::any::AnyConnectOptions,
}

impl Readers {
    async fn acquire(self: &Arc<Self>) -> Result<ReadConn> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let idle = match idle {
            Some((mut conn, back)) if back.elapsed() >= IDLE_BEFORE_PING => {
                match sqlx::Connection::ping(&mut conn).await {
                    Ok(()) => Some(conn),
                    Err(e) => {
                        tracing::warn!(error = %e, "a reader did not answer; opening another");
                        None
                    }
                }
            }
            other => other.map(|(conn, _)| conn),
        };
        let conn = match idle {
            Some(conn) => conn,
            None => open_sqlite(&self.options).await?,
        };
        Ok(ReadConn(Read::Held {
            conn: Some(conn),
            readers: self.clone(),
            _permit: permit,
        }))
    }
}

/// A connection for reads (and writes outside a transaction): one of SQLite's held readers
/// or one from the pool. Used as `&mut *conn`.
pub struct ReadConn(Read);

enum Read {
    Pooled(sqlx::pool::PoolConnection<sqlx::Any>),
    Held {
        conn: Option<Conn>,
        readers: Arc<Readers>,
        _permit: tokio::sync::OwnedSemaphorePermit,
    },
}

impl std::ops::Deref for ReadConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        match &self.0 {
            Read::Pooled(c) => c,
            Read::Held { conn, .. } => conn.as_ref().expect("held until dropped"),
        }
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut Conn {
        match &mut self.0 {
            Read::Pooled(c) => c,
            Read::Held { conn, .. } => conn.as_mut().expect("held until dropped"),
        }
    }
}

/// Back to the idle list, then the permit goes: a statement left running by a cancelled
/// request finishes on the connection's worker before the next one starts there.
impl Drop for ReadConn {
    fn drop(&mut self) {
        if let Read::Held { conn, readers, .. } = &mut self.0 {
            if let Some(conn) = conn.take() {
                readers
                    .idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((conn, std::time::Instant::now()));
            }
        }
    }
}

/// A write transaction: on SQLite's held writer, or a pooled connection's transaction.
pub struct WriteTx(Open);

enum Open {
    Pooled {
        tx: Tx,
        _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    },
    /// `None` once committed (or handed to the rollback on drop).
    Held(Option<tokio::sync::OwnedMutexGuard<Option<Conn>>>),
}

impl WriteTx {
    /// Commits; an error leaves whether it took effect unknown, and the held writer is
    /// replaced by a new connection.
    pub async fn commit(mut self) -> Result<()> {
        match std::mem::replace(&mut self.0, Open::Held(None)) {
            Open::Pooled { tx, .. } => tx.commit().await,
            Open::Held(guard) => {
                let mut armed = Armed(guard);
                held(armed.slot()).execute("COMMIT").await?;
                armed.disarm();
                Ok(())
            }
        }
    }

    pub fn conn(&mut self) -> &mut Conn {
        match &mut self.0 {
            Open::Pooled { tx, .. } => tx,
            Open::Held(guard) => held(
                guard
                    .as_mut()
                    .expect("an open transaction holds the writer"),
            ),
        }
    }
}

impl Writer {
    /// The writer, locked, connecting it first if it is not.
    async fn connected(&self) -> Result<tokio::sync::OwnedMutexGuard<Option<Conn>>> {
        let mut guard = self.conn.clone().lock_owned().await;
        if self.closed.load(std::sync::atomic::Ordering::Acquire) {
            return Err(sqlx::Error::PoolClosed);
        }
        if guard.is_none() {
            *guard = Some(open_sqlite(&self.options).await?);
        }
        Ok(guard)
    }
}

/// A new SQLite connection outside the pool, set up as the pool's are.
async fn open_sqlite(options: &sqlx::any::AnyConnectOptions) -> Result<Conn> {
    let mut conn = sqlx::ConnectOptions::connect(options).await?;
    set_up(&mut conn, Backend::Sqlite).await?;
    Ok(conn)
}

fn held(slot: &mut Option<Conn>) -> &mut Conn {
    slot.as_mut().expect("begin_write connected the writer")
}

/// A held transaction dropped before its commit (an error on the way, a cancelled request) is
/// rolled back before the writer is released to the next transaction. Where it cannot be (no
/// runtime, a runtime shutting down that drops the task, a failed rollback), the connection is
/// closed instead, which rolls it back.
impl Drop for WriteTx {
    fn drop(&mut self) {
        let Open::Held(guard) = &mut self.0 else {
            return;
        };
        let Some(guard) = guard.take() else {
            return;
        };
        let mut armed = Armed(Some(guard));
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                match held(armed.slot()).execute("ROLLBACK").await {
                    Ok(_) => drop(armed.disarm()),
                    Err(e) => tracing::warn!(error = %e, "rolling back a dropped write failed"),
                }
            });
        }
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
        // A file SQLite database reads and writes on connections of its own (`readers`,
        // `writer`); its pool is left the migrations and direct use (the tests', the bench's).
        let held = backend == Backend::Sqlite && !in_memory(&url);
        let size = max_connections.max(2);
        let pool = pool_options(backend)
            .max_connections(if held { 2 } else { size })
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
        let readers = held.then(|| {
            Arc::new(Readers {
                idle: std::sync::Mutex::new(Vec::new()),
                permits: Arc::new(tokio::sync::Semaphore::new(size as usize)),
                size,
                options: opts.clone(),
            })
        });
        let writer = held.then(|| {
            Arc::new(Writer {
                conn: Arc::new(tokio::sync::Mutex::new(None)),
                options: opts,
                closed: std::sync::atomic::AtomicBool::new(false),
            })
        });
        let db = Db {
            write_gate: (backend == Backend::Sqlite && writer.is_none())
                .then(|| Arc::new(tokio::sync::Mutex::new(()))),
            pool,
            writer,
            readers,
            backend,
            audit_keys: Arc::new(AuditKeys::default()),
        };
        // The writer connects now, so a database it cannot open fails at start.
        if let Some(w) = &db.writer {
            w.connected().await?;
        }
        Ok(db)
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            let mut slot = writer.conn.lock().await;
            writer
                .closed
                .store(true, std::sync::atomic::Ordering::Release);
            if let Some(conn) = slot.take() {
                let _ = sqlx::Connection::close(conn).await;
            }
        }
        if let Some(readers) = &self.readers {
            // Those in use are waited for, as the pool's close does; none is handed out after.
            if let Ok(every) = readers.permits.acquire_many(readers.size).await {
                every.forget();
            }
            readers.permits.close();
            let idle = std::mem::take(&mut *readers.idle.lock().unwrap_or_else(|e| e.into_inner()));
            for (conn, _) in idle {
                let _ = sqlx::Connection::close(conn).await;
            }
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
        if let Some(w) = &self.writer {
            let mut armed = Armed(Some(w.connected().await?));
            held(armed.slot()).execute("BEGIN IMMEDIATE").await?;
            return Ok(WriteTx(Open::Held(Some(armed.disarm()))));
        }
        let gate = match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx(Open::Pooled { tx, _gate: gate }))
    }

    /// A connection for reads outside a transaction: one of SQLite's readers, or the pool's.
    pub async fn conn(&self) -> Result<ReadConn> {
        match &self.readers {
            Some(r) => r.acquire().await,
            None => Ok(ReadConn(Read::Pooled(self.pool.acquire().await?))),
        }
    }

    /// Whether the database answers, on the readers' pool and (SQLite) the writer's.
    pub async fn ping(&self) -> bool {
        let read = match self.conn().await {
            Ok(mut c) => sqlx::query("SELECT 1").execute(&mut *c).await.is_ok(),
            Err(_) => false,
        };
        if !read || sqlx::query("SELECT 1").execute(&self.pool).await.is_err() {
            return false;
        }
        match &self.writer {
            Some(w) => match w.connected().await {
                Ok(mut guard) => held(&mut guard).execute("SELECT 1").await.is_ok(),
                Err(_) => false,
            },
            None => true,
        }
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
        (14, "0014_search_later.sql"),
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
