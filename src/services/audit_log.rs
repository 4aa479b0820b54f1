//! Reading the audit trail (filters, pages, CSV).

use super::access::list_scope;
use super::{internal, Core, Outcome};
use crate::auth::Actor;
use crate::db::audit::{self as rows, Filter};
use crate::domain::expiry::parse_instant;
use crate::domain::list_query::{parse_page, parse_per_page, DEFAULT_PER_PAGE};
use crate::domain::{text, Action, AuditEvent, AuditPage, DomainError, Field};

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
            per_page: DEFAULT_PER_PAGE,
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

/// The events a query selects, with the viewer's division scope applied.
async fn select(core: &Core, actor: &Actor, q: &AuditQuery) -> Outcome<Filter> {
    let scope = list_scope(core, actor, Action::ReadAudit, q.division.as_deref()).await?;
    let instant = |raw: &Option<String>, field: Field| {
        raw.as_deref()
            .map(|raw| {
                parse_instant(raw, 0).map_err(|_| {
                    DomainError::invalid(field, format!("{field}: must be an RFC 3339 timestamp"))
                })
            })
            .transpose()
    };
    Ok(Filter {
        division: scope.map(|d| d.slug),
        action: q.action.clone(),
        actor: q.actor.clone(),
        invitation: q.invitation,
        since: instant(&q.since, Field::Since)?,
        until: instant(&q.until, Field::Until)?,
    })
}

/// Up to `limit` selected events, newest first, older than `before` when given, else after
/// skipping `offset`.
async fn fetch(
    core: &Core,
    f: &Filter,
    before: Option<i64>,
    offset: i64,
    limit: i64,
) -> Outcome<Vec<AuditEvent>> {
    Ok(rows::page(&mut *core.db.conn().await?, f, before, offset, limit).await?)
}

pub async fn list(core: &Core, actor: &Actor, q: &AuditQuery) -> Outcome<AuditPage> {
    let sel = select(core, actor, q).await?;
    let total = rows::count(&mut *core.db.conn().await?, &sel).await?;
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
