//! Bulk onboarding from a CSV file: stage it, show a verdict per row (dry run), then commit
//! all rows or none. Staged files live in the database, so any instance can continue the flow.

use super::invitations::{self, quota, Batch, CreateInvitation, DivisionCache, ValidCreate};
use super::{internal, settings, ClientMeta, Core, Outcome};
use crate::auth::Actor;
use crate::db::bulk_uploads::{self as uploads, Staged};
use crate::db::{divisions, invitations as rows};
use crate::domain::{authorize, Action, BulkPreview, BulkRow, DomainError, Field, Invitation};

/// Parses `email,role,division,expires_at` CSV (header required, columns in any order; an
/// optional `note` column too).
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
    let note = idx("note");
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
            note: get(note),
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
    let mut tx = core.db.begin_write().await?;
    let id = uploads::insert(
        tx.conn(),
        actor.user_id,
        filename.as_deref(),
        &csv,
        core.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn load(core: &Core, actor: &Actor, id: i64) -> Outcome<Staged> {
    authorize(Some(actor.policy()), Action::BulkCreate, None)?;
    uploads::get(&mut *core.db.conn().await?, id, actor.user_id)
        .await?
        .ok_or(DomainError::NotFound)
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
    let (_, verdicts) = check(core, actor, &rows).await?;
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

/// Commits a staged file: every row or none. Committing it again (a double click, a second
/// tab, or a submit that raced the first and found its addresses taken) creates nothing and
/// is no error: the file is in, and the batch page shows what it created.
pub async fn commit(core: &Core, actor: &Actor, id: i64, meta: &ClientMeta) -> Outcome<()> {
    let staged = load(core, actor, id).await?;
    if staged.created_ids.is_some() {
        return Ok(());
    }
    let rows = parse_csv(staged.csv.as_bytes())?;
    match create_once(core, actor, &rows, meta, Some(id)).await {
        Ok(_) => Ok(()),
        Err(_) if load(core, actor, id).await?.created_ids.is_some() => Ok(()),
        Err((0, e)) => Err(e),
        Err((n, e)) => Err(e.prefixed(&format!("row {n}: "))),
    }
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

/// One row's verdict in a bulk dry run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RowVerdict {
    /// 1-based row number (data rows; a CSV header is not counted).
    pub row: usize,
    pub ok: bool,
    pub error: Option<RowError>,
    /// The refusal itself, for the commit to report unchanged.
    #[serde(skip)]
    pub cause: Option<DomainError>,
}

impl RowVerdict {
    fn of(row: usize, error: Option<&DomainError>) -> Self {
        RowVerdict {
            row,
            ok: error.is_none(),
            error: error.map(|e| RowError {
                code: e.code(),
                message: e.to_string(),
            }),
            cause: error.cloned(),
        }
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct RowError {
    pub code: String,
    pub message: String,
}

/// Validates every row on its own (role, division, email, expiry), then across the batch
/// (an email twice in the file) and against the database (an email that already has an
/// Active code). Returns the parsed rows and a verdict per row.
pub async fn check(
    core: &Core,
    actor: &Actor,
    rows: &[CreateInvitation],
) -> Outcome<(Vec<Option<ValidCreate>>, Vec<RowVerdict>)> {
    authorize(Some(actor.policy()), Action::BulkCreate, None)?;
    let (batch, active_emails) = {
        let mut c = core.db.conn().await?;
        let divisions: DivisionCache = divisions::all_refs(&mut c)
            .await?
            .into_iter()
            .map(|d| (d.slug.clone(), d))
            .collect();
        let ceilings = settings::ceilings(core, &mut c).await?;
        (
            Batch {
                divisions,
                ceilings,
            },
            rows::open_emails(&mut c, core.now()).await?,
        )
    };
    let mut seen = std::collections::HashSet::new();
    let mut valid = Vec::with_capacity(rows.len());
    let mut verdicts = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let result = match invitations::validate(core, actor, row, 0, &batch).await {
            Err(e) => Err(e),
            Ok(v) => match v.email.as_ref().map(|e| e.as_str().to_string()) {
                Some(e) if !seen.insert(e.clone()) => Err(DomainError::invalid(
                    Field::Email,
                    format!("email: {e} appears more than once in the file"),
                )),
                Some(e) if active_emails.contains(&e) => Err(DomainError::invalid(
                    Field::Email,
                    format!("email: {e} already has an Active invitation"),
                )),
                _ => Ok(v),
            },
        };
        verdicts.push(RowVerdict::of(i + 1, result.as_ref().err()));
        valid.push(result.ok());
    }
    // The rows that are fine on their own count against their division's quota, in order.
    let ids: Vec<Option<i64>> = valid
        .iter()
        .map(|v| v.as_ref().and_then(|v| v.division.as_ref().map(|d| d.id)))
        .collect();
    let present: Vec<i64> = ids.iter().flatten().copied().collect();
    let usage = quota::usage(core, &mut *core.db.conn().await?, &present, false).await?;
    for (i, e) in quota::over_quota(&ids, &usage) {
        verdicts[i] = RowVerdict::of(i + 1, Some(&e));
        valid[i] = None;
    }
    Ok((valid, verdicts))
}

/// Bulk onboarding: all rows are created or none. `Err((row, error))` names the first bad row
/// (row 0 when the refusal is not about a row).
pub async fn create(
    core: &Core,
    actor: &Actor,
    rows: &[CreateInvitation],
    meta: &ClientMeta,
) -> Result<Vec<Invitation>, (usize, DomainError)> {
    create_once(core, actor, rows, meta, None).await
}

/// [`create`], optionally claiming a staged upload in the same transaction: of two
/// commits of one file (a double click, two tabs) exactly one creates the batch.
pub async fn create_once(
    core: &Core,
    actor: &Actor,
    rows: &[CreateInvitation],
    meta: &ClientMeta,
    upload: Option<i64>,
) -> Result<Vec<Invitation>, (usize, DomainError)> {
    let (valid, verdicts) = check(core, actor, rows).await.map_err(|e| (0, e))?;
    if let Some(bad) = verdicts.iter().find(|v| !v.ok) {
        let e = bad.cause.clone().unwrap_or(DomainError::Internal);
        return Err((bad.row, e));
    }
    let fail = |e: crate::db::Error| (0, DomainError::from(e));
    let mut tx = core.db.begin_write().await.map_err(fail)?;
    if let Some(upload) = upload {
        if !uploads::claim(tx.conn(), upload, core.now())
            .await
            .map_err(fail)?
        {
            return Err((
                0,
                DomainError::Conflict("This file has already been committed.".into()),
            ));
        }
    }
    // Counted again inside the transaction: codes created meanwhile count too.
    let ids: Vec<Option<i64>> = valid
        .iter()
        .map(|v| v.as_ref().and_then(|v| v.division.as_ref().map(|d| d.id)))
        .collect();
    let present: Vec<i64> = ids.iter().flatten().copied().collect();
    let usage = quota::usage(core, tx.conn(), &present, true)
        .await
        .map_err(|e| (0, e))?;
    if let Some((i, e)) = quota::over_quota(&ids, &usage).into_iter().next() {
        return Err((i + 1, e));
    }
    let valid: Vec<_> = valid.into_iter().flatten().collect();
    let items: Vec<invitations::Creation> = valid
        .iter()
        .map(|v| invitations::Creation { actor, v, meta })
        .collect();
    let mut chain = crate::audit::Chain::new(&core.db);
    let out = invitations::insert(core, tx.conn(), &mut chain, &items, "bulk")
        .await
        .map_err(|e| (0, e))?;
    chain.seal(tx.conn()).await.map_err(fail)?;
    if let Some(upload) = upload {
        let ids: Vec<i64> = out.iter().map(|i| i.id).collect();
        uploads::set_created(tx.conn(), upload, &ids)
            .await
            .map_err(fail)?;
    }
    tx.commit().await.map_err(fail)?;
    Ok(out)
}
