//! Passwords (argon2id, OWASP parameters, off the async runtime), opaque tokens and sessions.
//! Only token hashes are stored; the raw token lives in the cookie or the client's script.

use crate::db::{self, Db};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

pub const SESSION_COOKIE: &str = "onboard_session";

/// Hashes and verifies passwords on threads of its own, at most `permits` at a time and at a
/// lower CPU priority than everything else in the server (see [`Workers`]), so the deliberate
/// cost of argon2 can never starve request handling.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    workers: Workers,
    dummy: Arc<String>,
    /// Computations asked for and not yet over: waiting for a permit, or hashing (a hash runs
    /// to its end even when its request has gone away).
    jobs: Arc<AtomicUsize>,
    /// Hands argon2's working memory back; `memory::release` outside tests.
    release: fn(),
}

/// One computation, counted in [`Hasher::jobs`] while it is not over. The last one over hands
/// the memory back: when a hash ends with others waiting, the next reuses its block.
struct Job {
    jobs: Arc<AtomicUsize>,
    release: fn(),
}

impl Job {
    fn start(jobs: &Arc<AtomicUsize>, release: fn()) -> Self {
        jobs.fetch_add(1, Ordering::SeqCst);
        Job {
            jobs: jobs.clone(),
            release,
        }
    }
}

impl Drop for Job {
    /// Runs when the hash ends (or panics) on a hashing thread, or when its request goes away
    /// while it waits for a permit; either way, the last one out releases.
    fn drop(&mut self) {
        if self.jobs.fetch_sub(1, Ordering::SeqCst) == 1 {
            (self.release)();
        }
    }
}

/// A computation handed to a [`Workers`] thread.
type Task = Box<dyn FnOnce() + Send>;

/// The hasher's threads, one per permit. Each makes itself [`NICE`] steps nicer than the
/// server when it starts, whatever the server's own priority, so a request that wakes up
/// takes the core from a hash instead of sharing it. In the bench (SQLite 1M, two cores, one
/// of them hashing) the list's p99 during redemptions went from 2.3x its idle p99 to 1.8x at
/// the median of 8 and 10 runs (budget 2x), with redemptions as fast as before (README,
/// "Performance", 2026-12-07, last). Tokio's blocking pool could not be used: Linux lets a
/// thread lower its own priority but not raise it again, and that pool's threads also serve
/// file reads. The threads end when the last clone of the hasher is dropped.
#[derive(Clone)]
struct Workers {
    tasks: std::sync::mpsc::Sender<Task>,
}

/// How much nicer the hashing threads are than the server: against a thread ten steps nicer,
/// a request thread that wants the core gets about nine tenths of it, and a hash still
/// advances when a busy server leaves no core idle. (Linux caps a nice value at 19.)
const NICE: i32 = 10;

impl Workers {
    fn start(threads: usize) -> Self {
        let (tasks, queue) = std::sync::mpsc::channel::<Task>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    if let Err(e) = lower_priority(NICE) {
                        tracing::warn!(error = %e, "password hashing runs at normal priority");
                    }
                    // The lock is held only while waiting: the guard is gone once `recv`
                    // returns, so the other threads take the next task meanwhile.
                    while let Ok(task) = queue
                        .lock()
                        .map_err(drop)
                        .and_then(|q| q.recv().map_err(drop))
                    {
                        // A panic ends this task (its caller sees it as dropped), not the thread.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(task));
                    }
                });
            // With no thread at all the queue has no reader, and each hash fails with an
            // error (a sign-in answers 500) instead of the server failing to start.
            if let Err(e) = started {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Workers { tasks }
    }

    /// Runs `f` on a hashing thread and waits for its result.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.tasks
            .send(Box::new(move || {
                let _ = done.send(f());
            }))
            .map_err(|_| anyhow::anyhow!("the password hashing threads have stopped"))?;
        result
            .await
            .map_err(|_| anyhow::anyhow!("a password hash failed"))
    }
}

/// Lowers the calling thread's CPU priority by `steps` nice values from its own (which it
/// inherited from the server). On Linux a nice value belongs to the thread, not the process
/// (setpriority(2), "BUGS"), and one above 19 counts as 19.
#[cfg(target_os = "linux")]
fn lower_priority(steps: i32) -> std::io::Result<()> {
    // SAFETY: getpriority and setpriority take plain integers; `who` 0 with PRIO_PROCESS names
    // the calling thread, and a thread may always lower its own priority. getpriority cannot
    // fail for the calling thread, so its -1 is the nice value -1.
    let rc = unsafe {
        let own = libc::getpriority(libc::PRIO_PROCESS, 0);
        libc::setpriority(libc::PRIO_PROCESS, 0, own.saturating_add(steps).min(19))
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority(_steps: i32) -> std::io::Result<()> {
    Ok(())
}

impl Hasher {
    pub fn new(permits: usize) -> Self {
        Self::releasing_with(permits, crate::memory::release)
    }

    fn releasing_with(permits: usize, release: fn()) -> Self {
        let dummy = Argon2::default()
            .hash_password(b"onboard dummy password for unknown users")
            .expect("argon2 hashes")
            .to_string();
        release();
        Hasher {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            workers: Workers::start(permits),
            dummy: Arc::new(dummy),
            jobs: Arc::new(AtomicUsize::new(0)),
            release,
        }
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.run(move |a| {
            a.hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
        })
        .await?
    }

    /// Verifies `password` against `hash`; with no hash (unknown user) it verifies against a
    /// dummy so the answer takes as long as for a real account.
    pub async fn verify(&self, password: String, hash: Option<String>) -> bool {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| (*self.dummy).clone());
        let ok = self
            .run(move |a| {
                a.verify_password(password.as_bytes(), hash.as_str())
                    .is_ok()
            })
            .await
            .unwrap_or(false);
        ok && known
    }

    /// Runs one argon2 computation on a hashing thread once a permit is free. The permit
    /// goes with the computation, so a request that goes away mid-hash frees it only when the
    /// hash is done. Its 19 MiB of working memory goes back to the system (see
    /// [`crate::memory`]) when the last computation is over: in a burst each one reuses the
    /// block the one before it faulted in, instead of faulting in 4,864 fresh pages, which
    /// took a third of a hash's time (README, "Performance").
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let job = Job::start(&self.jobs, self.release);
        let permit = self.permits.clone().acquire_owned().await?;
        self.workers
            .run(move || {
                let out = f(&Argon2::default());
                drop((job, permit));
                out
            })
            .await
    }
}

/// 256 random bits from the OS CSPRNG, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .expect("the OS random number generator is available");
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub use crate::domain::Actor;

#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

pub async fn create_session(
    conn: &mut db::Conn,
    user_id: i64,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> db::Result<String> {
    let token = random_token();
    db::sessions::insert(
        conn,
        &token_hash(&token),
        user_id,
        now,
        now + policy.absolute,
    )
    .await?;
    Ok(token)
}

/// Resolves a session token to its user, enforcing idle and absolute expiry and refusing
/// disabled accounts. Touches `last_seen_at` at most once a minute.
pub async fn session_actor(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
    policy: SessionPolicy,
) -> db::Result<Option<Actor>> {
    let hash = token_hash(token);
    let mut c = db.conn().await?;
    let Some(s) = db::sessions::find(&mut c, &hash).await? else {
        return Ok(None);
    };
    if s.user_disabled || now >= s.expires_at || now >= s.last_seen_at + policy.idle {
        db::sessions::delete(&mut c, &hash).await?;
        return Ok(None);
    }
    if now - s.last_seen_at > Duration::seconds(60) {
        db::sessions::touch(&mut c, &hash, now).await?;
    }
    Ok(Some(s.actor))
}

/// The person a live API token acts as, with the token's scopes; records the use.
pub async fn token_actor(db: &Db, token: &str, now: DateTime<Utc>) -> db::Result<Option<Actor>> {
    let mut c = db.conn().await?;
    let Some((actor, id)) = db::tokens::actor(&mut c, &token_hash(token), now).await? else {
        return Ok(None);
    };
    // The last use is a convenience; failing to record it does not fail the request.
    if let Err(e) = db::tokens::touch(&mut c, id, now).await {
        tracing::warn!(error = %e, "could not record an API token's last use");
    }
    Ok(Some(actor))
}

pub async fn delete_session(db: &Db, session_hash: &str) -> db::Result<()> {
    db::sessions::delete(&mut *db.conn().await?, session_hash).await
}

/// Loads a user as an actor without a session (CLI and demo seed).
pub async fn actor_by_username(db: &Db, username: &str) -> db::Result<Option<Actor>> {
    db::users::actor_by_username(&mut *db.conn().await?, username).await
}

/// Deletes sessions past their absolute expiry or idle longer than the idle limit.
pub async fn purge_sessions(db: &Db, now: DateTime<Utc>, policy: SessionPolicy) -> db::Result<u64> {
    db::sessions::purge(&mut *db.conn().await?, now, now - policy.idle).await
}

#[cfg(test)]
mod tests {
    use super::*;

    static RELEASED: AtomicUsize = AtomicUsize::new(0);

    fn count_release() {
        RELEASED.fetch_add(1, Ordering::SeqCst);
    }

    fn released() -> usize {
        RELEASED.load(Ordering::SeqCst)
    }

    #[test]
    fn the_last_computation_over_hands_the_memory_back() {
        static OWN: AtomicUsize = AtomicUsize::new(0);
        fn own() {
            OWN.fetch_add(1, Ordering::SeqCst);
        }
        let count = || OWN.load(Ordering::SeqCst);
        let jobs = Arc::new(AtomicUsize::new(0));
        // Two hashes: the first to end leaves its block to the second.
        let (a, b) = (Job::start(&jobs, own), Job::start(&jobs, own));
        drop(a);
        assert_eq!(count(), 0);
        drop(b);
        assert_eq!(count(), 1);
        // A hash ends while another request waits, then that request goes away: released.
        let (running, waiting) = (Job::start(&jobs, own), Job::start(&jobs, own));
        drop(running);
        assert_eq!(count(), 1);
        drop(waiting);
        assert_eq!(count(), 2);
        // The other order.
        let (running, waiting) = (Job::start(&jobs, own), Job::start(&jobs, own));
        drop(waiting);
        drop(running);
        assert_eq!(count(), 3);
        assert_eq!(jobs.load(Ordering::SeqCst), 0);
    }

    /// The hashing threads run [`NICE`] steps below the priority of the thread that made the
    /// hasher, and only they: that thread keeps its own. A computation that panics fails
    /// alone; the next one still runs (a leaked permit would hang it, hence the timeout).
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_niced_on_threads_of_their_own_and_survive_a_panic() {
        let nice = || {
            // SAFETY: getpriority reads the calling thread's nice value (plain integers).
            unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
        };
        let before = nice();
        let hasher = Hasher::releasing_with(1, count_release);
        let (on_worker, name) = hasher
            .run(move |_| (nice(), std::thread::current().name().map(str::to_owned)))
            .await
            .unwrap();
        assert_eq!(on_worker, (before + NICE).min(19));
        assert_eq!(name.as_deref(), Some("argon2-0"));
        assert_eq!(nice(), before);

        assert!(hasher
            .run(|_| -> u8 { panic!("a hash failed") })
            .await
            .is_err());
        let after_panic = async {
            let h = hasher
                .hash("still hashing after a panic".into())
                .await
                .unwrap();
            hasher
                .verify("still hashing after a panic".into(), Some(h))
                .await
        };
        let verified = tokio::time::timeout(std::time::Duration::from_secs(60), after_panic);
        assert!(verified
            .await
            .expect("a hash after a panicking one finishes"));
        assert_eq!(hasher.jobs.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn hashes_verify_refuse_and_unknown_users_cost_a_hash() {
        let hasher = Hasher::releasing_with(2, count_release);
        let passwords = ["first password here", "second password here"];
        let hashes =
            futures_util::future::join_all(passwords.iter().map(|p| hasher.hash(p.to_string())))
                .await;
        for (p, h) in passwords.iter().zip(hashes) {
            let h = h.unwrap();
            assert!(hasher.verify(p.to_string(), Some(h.clone())).await);
            assert!(!hasher.verify("wrong password".into(), Some(h)).await);
        }
        // An unknown user is refused after a verification of its own (the dummy's), which
        // ends like any other: nothing else runs, so it hands the memory back.
        let before = released();
        assert!(!hasher.verify(passwords[0].into(), None).await);
        assert_eq!(released(), before + 1);
        assert_eq!(hasher.jobs.load(Ordering::SeqCst), 0);
    }
}
