//! Bulk onboarding from a CSV file: stage it, show a verdict per row (dry run), then commit
//! all rows or none. Staged files live in the database, so any instance can continue the flow.

use super::invitations::{bulk_check, bulk_create_once, CreateInvitation};
use super::{internal, ClientMeta, Core, Outcome};
use crate::auth::Actor;
use crate::db::col;
use crate::domain::{authorize, Action, BulkPreview, BulkRow, DomainError, Field, Invitation};

/// Parses `email,role,division,expires_at` CSV (header required, columns in any order).
pub fn parse_csv(body: &[u8]) -> Outcome<Vec<CreateInvitation>> {
    let bad = |m: String| DomainError::invalid(Field::File, m);
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(body);
    let headers = rdr
        .headers()
        .map_err(|_| bad("file: the CSV has no readable header".into()))?
        .clone();
    let idx = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (email, role, division, expires) = (
        idx("email"),
        idx("role"),
        idx("division"),
        idx("expires_at"),
    );
    if email.is_none() && role.is_none() && division.is_none() {
        return Err(bad(
            "file: the CSV header must be email,role,division,expires_at".into(),
        ));
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("row {}: {e}", i + 1)))?;
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        let get = |ix: Option<usize>| {
            ix.and_then(|ix| rec.get(ix))
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        out.push(CreateInvitation {
            email: get(email),
            role: get(role),
            division: get(division),
            expires_at: get(expires),
        });
    }
    if out.is_empty() {
        return Err(bad("file: the CSV has no rows".into()));
    }
    Ok(out)
}

pub async fn stage(
    core: &Core,
    actor: &Actor,
    filename: Option<String>,
    csv: String,
) -> Outcome<i64> {
    authorize(Some(actor.policy()), Action::BulkCreate, None)?;
    parse_csv(csv.as_bytes())?;
    let mut tx = core.db.begin_write().await.map_err(internal)?;
    let row = sqlx::query(
        "INSERT INTO bulk_uploads (user_id, filename, csv, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(actor.user_id)
    .bind(filename)
    .bind(csv)
    .bind(core.now().timestamp_millis())
    .fetch_one(tx.conn())
    .await
    .map_err(internal)?;
    let id = col(&row, "id").map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(id)
}

struct Staged {
    filename: Option<String>,
    csv: String,
    created_ids: Option<Vec<i64>>,
}

async fn load(core: &Core, actor: &Actor, id: i64) -> Outcome<Staged> {
    authorize(Some(actor.policy()), Action::BulkCreate, None)?;
    let row = sqlx::query(
        "SELECT filename, csv, created_ids FROM bulk_uploads WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(actor.user_id)
    .fetch_optional(&core.db.pool)
    .await
    .map_err(internal)?
    .ok_or(DomainError::NotFound)?;
    let ids: Option<String> = col(&row, "created_ids").map_err(internal)?;
    Ok(Staged {
        filename: col(&row, "filename").map_err(internal)?,
        csv: col(&row, "csv").map_err(internal)?,
        created_ids: ids.and_then(|s| serde_json::from_str(&s).ok()),
    })
}

pub async fn preview(core: &Core, actor: &Actor, id: i64) -> Outcome<BulkPreview> {
    let staged = load(core, actor, id).await?;
    let rows = parse_csv(staged.csv.as_bytes())?;
    if let Some(ids) = staged.created_ids {
        let mut created = Vec::with_capacity(ids.len());
        for i in ids {
            if let Ok(inv) = super::invitations::get(core, actor, i).await {
                created.push(inv);
            }
        }
        return Ok(BulkPreview {
            id,
            filename: staged.filename,
            rows: Vec::new(),
            committed: true,
            created,
        });
    }
    let (_, verdicts) = bulk_check(core, actor, &rows).await?;
    let rows = rows
        .into_iter()
        .zip(verdicts)
        .map(|(r, v)| BulkRow {
            row: v.row,
            email: r.email,
            role: r.role,
            division: r.division,
            expires_at: r.expires_at,
            ok: v.ok,
            problem: v.error.map(|e| e.message),
        })
        .collect();
    Ok(BulkPreview {
        id,
        filename: staged.filename,
        rows,
        committed: false,
        created: Vec::new(),
    })
}

/// Commits a staged file: every row or none. Committing twice creates nothing more.
pub async fn commit(
    core: &Core,
    actor: &Actor,
    id: i64,
    meta: &ClientMeta,
) -> Outcome<Vec<Invitation>> {
    let staged = load(core, actor, id).await?;
    if staged.created_ids.is_some() {
        return Err(DomainError::Conflict(
            "This file has already been committed.".into(),
        ));
    }
    let rows = parse_csv(staged.csv.as_bytes())?;
    bulk_create_once(core, actor, &rows, meta, Some(id))
        .await
        .map_err(|(row, e)| match row {
            0 => e,
            n => DomainError::from_code(&e.code(), &format!("row {n}: {e}")),
        })
}

/// The created codes as CSV, for handing out.
pub fn codes_csv(created: &[Invitation]) -> Outcome<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["code", "email", "role", "division", "expires_at"])
        .map_err(internal)?;
    for i in created {
        w.write_record([
            i.code.clone(),
            i.email.clone().unwrap_or_default(),
            i.role.as_str().to_string(),
            i.division.clone().unwrap_or_default(),
            i.expires_at.to_rfc3339(),
        ])
        .map_err(internal)?;
    }
    String::from_utf8(w.into_inner().map_err(internal)?).map_err(internal)
}
