//! Reading the audit trail (filters, pages, CSV).

use super::invitations::list_target;
use super::{internal, Core, Outcome};
use crate::auth::Actor;
use crate::clock::from_ms;
use crate::db::col;
use crate::db::queries::Params;
use crate::domain::expiry::parse_instant;
use crate::domain::list_query::{parse_page, parse_per_page};
use crate::domain::{authorize, text, Action, AuditEvent, AuditPage, DomainError, Field};

#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub division: Option<String>,
    pub actor: Option<String>,
    pub invitation: Option<i64>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub page: u32,
    pub per_page: u32,
    /// Events older than this id (the previous page's `next_cursor`), instead of `page`.
    pub cursor: Option<i64>,
}

impl AuditQuery {
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Outcome<Self> {
        let mut q = AuditQuery {
            page: 1,
            per_page: 50,
            ..Default::default()
        };
        let some = |f: Field, v: &str| -> Outcome<Option<String>> {
            let v = text::bounded(f, v, text::MAX_FILTER)?;
            Ok(Some(v.to_string()).filter(|s| !s.is_empty()))
        };
        for (k, v) in pairs {
            match k {
                "action" => q.action = some(Field::Action, v)?,
                "division" => q.division = some(Field::Division, v)?.map(|s| s.to_lowercase()),
                "actor" => q.actor = some(Field::Actor, v)?.map(|s| s.to_lowercase()),
                // Present but empty is a mistake to report, not "no bound".
                "since" => q.since = Some(text::bounded(Field::Since, v, text::MAX_FILTER)?.into()),
                "until" => q.until = Some(text::bounded(Field::Until, v, text::MAX_FILTER)?.into()),
                "invitation" => {
                    q.invitation = Some(v.trim().parse().map_err(|_| {
                        DomainError::invalid(Field::Page, "invitation: must be an invitation id")
                    })?)
                }
                "page" => q.page = parse_page(v)?,
                "per_page" => q.per_page = parse_per_page(v, 1000)?,
                "cursor" => {
                    q.cursor = Some(v.trim().parse().map_err(|_| {
                        DomainError::invalid(Field::Page, "cursor: must be a next_cursor value")
                    })?)
                }
                _ => {}
            }
        }
        Ok(q)
    }
}

/// The rows a query selects, as SQL and its parameters, with the viewer's division scope.
#[derive(Clone)]
struct Selection {
    where_sql: String,
    params: Params,
}

async fn select(core: &Core, actor: &Actor, q: &AuditQuery) -> Outcome<Selection> {
    let target = list_target(core, actor, q.division.as_deref()).await?;
    authorize(Some(actor.policy()), Action::ReadAudit, target)?;
    let mut p = Params::default();
    let mut filters = vec!["1 = 1".to_string()];
    if target.is_some() {
        let slug = match &q.division {
            Some(s) => s.clone(),
            None => actor.division.clone().unwrap_or_default(),
        };
        filters.push(format!("division = {}", p.text(slug)));
    }
    if let Some(a) = &q.action {
        filters.push(format!("action = {}", p.text(a.clone())));
    }
    if let Some(a) = &q.actor {
        filters.push(format!("actor = {}", p.text(a.clone())));
    }
    if let Some(i) = q.invitation {
        filters.push(format!("invitation_id = {}", p.int(i)));
    }
    for (raw, op, field) in [
        (&q.since, ">=", Field::Since),
        (&q.until, "<", Field::Until),
    ] {
        if let Some(raw) = raw {
            let t = parse_instant(raw, 0).map_err(|_| {
                DomainError::invalid(field, format!("{field}: must be an RFC 3339 timestamp"))
            })?;
            filters.push(format!("at {op} {}", p.int(t.timestamp_millis())));
        }
    }
    Ok(Selection {
        where_sql: filters.join(" AND "),
        params: p,
    })
}

/// Up to `limit` selected events, newest first, older than `before` when given, else after
/// skipping `offset`.
async fn fetch(
    core: &Core,
    sel: &Selection,
    before: Option<i64>,
    offset: i64,
    limit: i64,
) -> Outcome<Vec<AuditEvent>> {
    let mut p = sel.params.clone();
    let mut where_sql = sel.where_sql.clone();
    if let Some(before) = before {
        where_sql.push_str(&format!(" AND id < {}", p.int(before)));
    }
    let limit = p.int(limit);
    let offset = p.int(offset);
    let sql = format!(
        "SELECT id, at, actor, action, division, invitation_id, client_addr, details \
         FROM audit_events WHERE {where_sql} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
    rows.iter()
        .map(|r| {
            let details: String = col(r, "details")?;
            Ok(AuditEvent {
                id: col(r, "id")?,
                at: from_ms(col(r, "at")?),
                actor: col(r, "actor")?,
                action: col(r, "action")?,
                division: col(r, "division")?,
                invitation_id: col(r, "invitation_id")?,
                client_addr: col(r, "client_addr")?,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(internal)
}

pub async fn list(core: &Core, actor: &Actor, q: &AuditQuery) -> Outcome<AuditPage> {
    let sel = select(core, actor, q).await?;
    let total_row = sel
        .params
        .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM audit_events WHERE {}",
            sel.where_sql
        ))))
        .fetch_one(&core.db.pool)
        .await
        .map_err(internal)?;
    let total: i64 = col(&total_row, "n").map_err(internal)?;
    let per_page = q.per_page as i64;
    let offset = match q.cursor {
        Some(_) => 0,
        None => (q.page as i64 - 1) * per_page,
    };
    let items = fetch(core, &sel, q.cursor, offset, per_page).await?;
    let next_cursor = (items.len() as i64 == per_page)
        .then(|| items.last().map(|e| e.id))
        .flatten();
    Ok(AuditPage {
        items,
        total,
        next_cursor,
    })
}

/// Rows per database read while exporting.
const EXPORT_BATCH: i64 = 1000;

/// Every selected event as CSV, newest first, read from the database a batch at a time while
/// the client downloads: memory stays flat however long the trail is.
pub async fn export_csv(
    core: &Core,
    actor: &Actor,
    q: &AuditQuery,
) -> Outcome<impl futures_util::Stream<Item = Result<String, std::io::Error>> + Send + 'static> {
    let sel = select(core, actor, q).await?;
    let core = core.clone();
    // (cursor, header written, finished)
    let start = (q.cursor, false, false);
    Ok(futures_util::stream::unfold(
        start,
        move |(cursor, headed, done)| {
            let core = core.clone();
            let sel = sel.clone();
            async move {
                if done {
                    return None;
                }
                match fetch(&core, &sel, cursor, 0, EXPORT_BATCH).await {
                    Ok(events) => {
                        let last = events.last().map(|e| e.id);
                        let finished = (events.len() as i64) < EXPORT_BATCH;
                        match csv_chunk(&events, !headed) {
                            Ok(chunk) => Some((Ok(chunk), (last.or(cursor), true, finished))),
                            Err(_) => Some((Err(export_failed()), (cursor, true, true))),
                        }
                    }
                    Err(_) => Some((Err(export_failed()), (cursor, true, true))),
                }
            }
        },
    ))
}

fn export_failed() -> std::io::Error {
    std::io::Error::other("the audit export stopped: the database failed while reading")
}

/// Events as CSV lines, with the header line first when `header`.
pub fn csv_chunk(events: &[AuditEvent], header: bool) -> Outcome<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record([
            "id",
            "at",
            "actor",
            "action",
            "division",
            "invitation_id",
            "client_addr",
            "details",
        ])
        .map_err(internal)?;
    }
    for e in events {
        w.write_record([
            e.id.to_string(),
            e.at.to_rfc3339(),
            e.actor.clone().unwrap_or_default(),
            e.action.clone(),
            e.division.clone().unwrap_or_default(),
            e.invitation_id.map(|i| i.to_string()).unwrap_or_default(),
            e.client_addr.clone().unwrap_or_default(),
            e.details.to_string(),
        ])
        .map_err(internal)?;
    }
    String::from_utf8(w.into_inner().map_err(internal)?).map_err(internal)
}
