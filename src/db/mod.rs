//! Database access: one pool over SQLite or PostgreSQL (chosen by `DATABASE_URL`), migrations,
//! and write transactions. Row mapping to domain types lives here; no policy does.

pub mod queries;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub type Tx = Transaction<'static, sqlx::Any>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite allows one writer; queueing writers here (instead of in SQLite's busy loop) keeps
    /// write latency fair and avoids lock upgrade failures.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The keys the audit chain is sealed with (see `audit`); none until the app sets them.
    pub audit_keys: Arc<AuditKeys>,
}

/// One audit key: its bytes and a short public id stored with each row it sealed, so a trail
/// sealed across a key rotation can still be verified.
#[derive(Clone)]
pub struct AuditKey {
    pub id: String,
    pub bytes: Vec<u8>,
}

impl AuditKey {
    pub fn new(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"onboard audit key id\0");
        h.update(bytes);
        AuditKey {
            id: hex::encode(h.finalize())[..16].to_string(),
            bytes: bytes.to_vec(),
        }
    }
}

/// The current audit key (new rows) and retired ones (rows sealed before a rotation).
#[derive(Clone, Default)]
pub struct AuditKeys {
    pub current: Option<AuditKey>,
    pub retired: Vec<AuditKey>,
}

impl AuditKeys {
    pub fn find(&self, id: &str) -> Option<&AuditKey> {
        self.current
            .iter()
            .chain(self.retired.iter())
            .find(|k| k.id == id)
    }
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
    pub async fn commit(self) -> Result<(), sqlx::Error> {
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
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(2))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                             PRAGMA cache_size = -6000; PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                    } else {
                        // A wait on a lock or a runaway statement becomes an error the
                        // request can report, never a request that hangs for ever.
                        conn.execute(
                            "SET lock_timeout = '10s'; SET statement_timeout = '60s'; \
                             SET idle_in_transaction_session_timeout = '60s';",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        Ok(Db {
            pool,
            backend,
            write_gate: (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(()))),
            audit_keys: Arc::new(AuditKeys::default()),
        })
    }

    /// The same database, sealing audit rows with `keys`.
    pub fn with_audit_keys(mut self, keys: AuditKeys) -> Self {
        self.audit_keys = Arc::new(keys);
        self
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Begins a write transaction. On SQLite it takes the write lock up front (`BEGIN
    /// IMMEDIATE`) so a transaction that reads before it writes cannot fail to upgrade.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let gate = match &self.write_gate {
            Some(g) => Some(g.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _gate: gate })
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Reads a column, mapping a decoding failure to sqlx's error.
pub fn col<'r, T>(row: &'r AnyRow, name: &str) -> Result<T, sqlx::Error>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name)
}
