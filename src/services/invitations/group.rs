//! Group commit for single creates: requests that arrive while a write transaction is running
//! wait for it, and the next writer takes all of them into one transaction (one `BEGIN`, one
//! commit, the audit appends in arrival order). Each request is answered only after the
//! transaction that holds its code has committed, so "acknowledged means durable" holds as it
//! did with one transaction per create. A quota refusal answers its own request only; any
//! failed write rolls the group back and its requests are created one by one.

use super::create::{insert, ValidCreate};
use super::quota;
use crate::auth::Actor;
use crate::db::Conn;
use crate::domain::Invitation;
use crate::services::{internal, ClientMeta, Core, Outcome};
use tokio::sync::oneshot;

/// At most this many creates share a transaction (the others wait for the next one).
const MAX_GROUP: usize = 64;

struct Job {
    actor: Actor,
    v: ValidCreate,
    meta: ClientMeta,
    reply: oneshot::Sender<Outcome<Invitation>>,
}

/// The creates waiting for a writer, and the writer's turn.
#[derive(Default)]
pub struct Group {
    pending: std::sync::Mutex<Vec<Job>>,
    writer: tokio::sync::Mutex<()>,
}

/// Creates one validated invitation in the next group transaction; answers once committed.
pub async fn create(
    core: &Core,
    actor: &Actor,
    v: ValidCreate,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let (reply, mut answer) = oneshot::channel();
    lock(&core.creates.pending).push(Job {
        actor: actor.clone(),
        v,
        meta: meta.clone(),
        reply,
    });
    loop {
        let writer = core.creates.writer.lock().await;
        // An earlier writer took this create into its group and has answered it.
        if let Some(outcome) = answered(&mut answer)? {
            return outcome;
        }
        let jobs = {
            let mut pending = lock(&core.creates.pending);
            let n = pending.len().min(MAX_GROUP);
            pending.drain(..n).collect::<Vec<_>>()
        };
        // In a task of its own, so a request that goes away cannot cancel the others'.
        let group = core.clone();
        tokio::spawn(async move { commit(&group, jobs).await })
            .await
            .map_err(internal)?;
        drop(writer);
        if let Some(outcome) = answered(&mut answer)? {
            return outcome;
        }
        // Still queued behind a full group: wait for the next turn.
    }
}

fn answered(
    answer: &mut oneshot::Receiver<Outcome<Invitation>>,
) -> Outcome<Option<Outcome<Invitation>>> {
    match answer.try_recv() {
        Ok(outcome) => Ok(Some(outcome)),
        Err(oneshot::error::TryRecvError::Empty) => Ok(None),
        Err(e) => Err(internal(e)),
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn commit(core: &Core, jobs: Vec<Job>) {
    if jobs.len() > 1 {
        match together(core, &jobs).await {
            Ok(outcomes) => {
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    let _ = job.reply.send(outcome);
                }
                return;
            }
            Err(e) => tracing::warn!(error = %e, size = jobs.len(),
                "a group of creates failed to commit; creating them one by one"),
        }
    }
    for job in jobs {
        let outcome = alone(core, &job).await;
        let _ = job.reply.send(outcome);
    }
}

/// Every job in one transaction: each one's outcome (a quota refusal is one), once committed;
/// `Err` when a write failed and nothing was committed.
async fn together(core: &Core, jobs: &[Job]) -> Outcome<Vec<Outcome<Invitation>>> {
    let mut tx = core.db.begin_write().await?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        outcomes.push(match within_quota(core, tx.conn(), &job.v).await? {
            Err(refused) => Err(refused),
            Ok(()) => Ok(insert(core, tx.conn(), &job.actor, &job.v, &job.meta, "single").await?),
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

async fn alone(core: &Core, job: &Job) -> Outcome<Invitation> {
    let mut tx = core.db.begin_write().await?;
    within_quota(core, tx.conn(), &job.v).await??;
    let invitation = insert(core, tx.conn(), &job.actor, &job.v, &job.meta, "single").await?;
    tx.commit().await?;
    Ok(invitation)
}

/// The division's quota (Active codes), read inside the writing transaction: `Ok(Err(_))` is
/// a refusal, `Err(_)` a failed read.
async fn within_quota(core: &Core, c: &mut Conn, v: &ValidCreate) -> Outcome<Outcome<()>> {
    if let Some(d) = &v.division {
        let usage = quota::usage(core, c, &[d.id], true).await?;
        if let Some((_, e)) = quota::over_quota(&[Some(d.id)], &usage).pop() {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}
