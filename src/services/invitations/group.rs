//! Group commit for single creates: one writer task per instance takes the creates queued
//! while its last transaction ran and commits them together (one `BEGIN`, one commit, the
//! audit appends in arrival order on one chain whose head is written once, the expiry
//! ceilings read once). Each request is answered only after the transaction that
//! holds its code has committed, so "acknowledged means durable" holds as it did with one
//! transaction per create. A refusal (quota, expiry ceiling) answers its own request only; a write that fails
//! before the commit rolls the group back and its creates run one by one; a failed commit
//! answers the group with an error (retrying could create a code twice). A request that goes
//! away before the writer takes its create is dropped from the queue, not written later.

use super::create::{insert, Creation, PendingCreate, ValidCreate};
use super::quota;
use crate::audit::Chain;
use crate::auth::Actor;
use crate::db::Conn;
use crate::domain::Invitation;
use crate::services::{internal, settings, ClientMeta, Core, CoreInner, Outcome};
use std::sync::{OnceLock, Weak};
use tokio::sync::{mpsc, oneshot};

/// At most this many creates share a transaction (the others wait for the next one).
const MAX_GROUP: usize = 64;

struct Job {
    actor: Actor,
    v: PendingCreate,
    meta: ClientMeta,
    reply: oneshot::Sender<Outcome<Invitation>>,
}

/// The queue to this instance's writer task, started by the first create.
#[derive(Default)]
pub struct Group(OnceLock<mpsc::UnboundedSender<Job>>);

/// Creates one parsed invitation in the writer's next transaction, which checks its expiry
/// against the ceilings it reads once for the group; answers once committed.
pub async fn create(
    core: &Core,
    actor: &Actor,
    v: PendingCreate,
    meta: &ClientMeta,
) -> Outcome<Invitation> {
    let queue = core.creates.0.get_or_init(|| {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(writer(std::sync::Arc::downgrade(&core.0), jobs));
        queue
    });
    let (reply, answer) = oneshot::channel();
    let job = Job {
        actor: actor.clone(),
        v,
        meta: meta.clone(),
        reply,
    };
    match queue.send(job) {
        Ok(()) => answer.await.map_err(internal)?,
        // The writer is gone (its runtime shut down): write this one alone.
        Err(mpsc::error::SendError(job)) => alone(core, &job).await,
    }
}

/// Commits what is queued, a group at a time, until the instance is dropped.
async fn writer(core: Weak<CoreInner>, mut queue: mpsc::UnboundedReceiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut jobs, MAX_GROUP).await > 0 {
        jobs.retain(|j| !j.reply.is_closed());
        let Some(core) = core.upgrade().map(Core) else {
            break;
        };
        let group = std::mem::take(&mut jobs);
        if group.is_empty() {
            continue;
        }
        // In a task of its own: a panic fails this group's requests, not the writer.
        if let Err(e) = tokio::spawn(async move { commit(&core, group).await }).await {
            tracing::error!(error = %e, "a group of creates panicked");
        }
    }
}

async fn commit(core: &Core, jobs: Vec<Job>) {
    if jobs.len() > 1 {
        match together(core, &jobs).await {
            Ok(Ok(outcomes)) => {
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    let _ = job.reply.send(outcome);
                }
                return;
            }
            Ok(Err(e)) => tracing::warn!(error = %e, size = jobs.len(),
                "a write in a group of creates failed; creating them one by one"),
            Err(e) => {
                tracing::error!(error = %e, size = jobs.len(), "a group of creates failed to commit");
                for job in jobs {
                    let _ = job.reply.send(Err(crate::domain::DomainError::Internal));
                }
                return;
            }
        }
    }
    for job in jobs {
        let outcome = alone(core, &job).await;
        let _ = job.reply.send(outcome);
    }
}

type Outcomes = Vec<Outcome<Invitation>>;

/// Every job in one transaction: each one's outcome (a refusal is one), once committed.
/// `Ok(Err(_))`: a write failed and the transaction was rolled back; `Err(_)`: the commit
/// failed, and whether it took effect is unknown.
async fn together(core: &Core, jobs: &[Job]) -> Outcome<Outcome<Outcomes>> {
    let written = async {
        let mut tx = core.db.begin_write().await?;
        let admitted = admit(core, tx.conn(), jobs).await?;
        let items: Vec<Creation> = jobs
            .iter()
            .zip(&admitted)
            .filter_map(|(job, a)| {
                let v = a.as_ref().ok()?;
                Some(Creation {
                    actor: &job.actor,
                    v,
                    meta: &job.meta,
                })
            })
            .collect();
        let mut chain = Chain::new(&core.db);
        let mut created = insert(core, tx.conn(), &mut chain, &items, "single")
            .await?
            .into_iter();
        chain.seal(tx.conn()).await?;
        let outcomes: Outcomes = admitted
            .into_iter()
            .map(|a| match a {
                Err(refused) => Err(refused),
                Ok(_) => created.next().ok_or(crate::domain::DomainError::Internal),
            })
            .collect();
        Outcome::Ok((tx, outcomes))
    };
    let (tx, outcomes) = match written.await {
        Ok(w) => w,
        Err(e) => return Ok(Err(e)),
    };
    tx.commit().await?;
    Ok(Ok(outcomes))
}

async fn alone(core: &Core, job: &Job) -> Outcome<Invitation> {
    let mut tx = core.db.begin_write().await?;
    let v = admit(core, tx.conn(), std::slice::from_ref(job))
        .await?
        .pop()
        .ok_or(crate::domain::DomainError::Internal)??;
    let mut chain = Chain::new(&core.db);
    let item = Creation {
        actor: &job.actor,
        v: &v,
        meta: &job.meta,
    };
    let invitation = insert(core, tx.conn(), &mut chain, &[item], "single")
        .await?
        .pop()
        .ok_or(crate::domain::DomainError::Internal)?;
    chain.seal(tx.conn()).await?;
    tx.commit().await?;
    Ok(invitation)
}

/// Each job's expiry against the ceilings, then the divisions' quotas (Active codes, with the
/// group's earlier creates counted), all read inside the writing transaction, once for the
/// group: per job, `Err(_)` is its refusal; the call fails only on a failed read.
async fn admit(core: &Core, c: &mut Conn, jobs: &[Job]) -> Outcome<Vec<Outcome<ValidCreate>>> {
    let ceilings = settings::ceilings(core, &mut *c).await?;
    let now = core.now();
    let mut out: Vec<Outcome<ValidCreate>> =
        jobs.iter().map(|j| j.v.resolve(now, &ceilings)).collect();
    let divisions: Vec<Option<i64>> = out
        .iter()
        .map(|a| a.as_ref().ok()?.division.as_ref().map(|d| d.id))
        .collect();
    let ids: Vec<i64> = divisions.iter().flatten().copied().collect();
    if !ids.is_empty() {
        let usage = quota::usage(core, &mut *c, &ids, true).await?;
        for (i, refused) in quota::over_quota(&divisions, &usage) {
            out[i] = Err(refused);
        }
    }
    Ok(out)
}
