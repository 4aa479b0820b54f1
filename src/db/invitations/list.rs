//! The invitation list: one page of rows and the counts per status over the whole selection.

use super::{map, status_predicate, COLUMNS, FROM};
use crate::db::sql::{like_pattern, Params};
use crate::db::{col, Backend, Conn, Result};
use crate::domain::{Counts, Invitation, Status, StatusFilter, SEARCH_COUNT_CAP};
use chrono::{DateTime, Utc};

/// What a list shows: one division or all, a search, a status, a window.
pub struct ListFilter<'a> {
    pub division_id: Option<i64>,
    /// The search as typed (trimmed); empty for none.
    pub q: &'a str,
    pub status: StatusFilter,
    pub limit: i64,
    pub offset: i64,
}

/// One page of a list, the counts per status over the whole selection (search and division
/// applied, status not), and the size of the selection with the status applied.
pub struct ListPage {
    pub items: Vec<Invitation>,
    pub counts: Counts,
    pub total: i64,
    /// The search matched [`SEARCH_COUNT_CAP`] rows or more and counting stopped there:
    /// `counts` and `total` are those of the rows counted.
    pub capped: bool,
}

/// A search for codes: typed with or without dashes, with the easily confused letters read as
/// the digits codes use.
fn code_search(q: &str) -> String {
    q.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// The WHERE clause of a selection (division and search; no status).
fn selection(p: &mut Params, backend: Backend, division_id: Option<i64>, q: &str) -> String {
    let mut filters: Vec<String> = Vec::new();
    if let Some(div) = division_id {
        filters.push(format!("i.division_id = {}", p.int(div)));
    }
    if !q.is_empty() {
        let code_q = code_search(q);
        let text_q = q.to_lowercase();
        // SQLite narrows a search by its FTS5 trigram index (migration 0003) when both forms
        // have the three characters a trigram needs; shorter searches and PostgreSQL use the
        // LIKE predicates alone. (pg_trgm was tried: at 100k the planner hash-joined the
        // candidates against a full scan, 35 ms against the plain scan's 20 ms.)
        let long_enough = |s: &str| s.chars().count() >= 3;
        let code_ph = p.text(like_pattern(&code_q));
        let text_ph = p.text(like_pattern(&text_q));
        if backend == Backend::Sqlite && long_enough(&code_q) && long_enough(&text_q) {
            // The index's LIKE takes no ESCAPE, so the raw text goes in: a `%` or `_` typed
            // by the user widens the candidates, and the exact predicates below decide.
            let a = p.text(format!("%{code_q}%"));
            let b = p.text(format!("%{text_q}%"));
            filters.push(format!(
                "i.id IN (SELECT rowid FROM invitation_search WHERE doc LIKE {a} \
                 UNION SELECT rowid FROM invitation_search WHERE doc LIKE {b})"
            ));
        }
        filters.push(format!(
            "(i.code LIKE {code_ph} ESCAPE '\\' OR i.email LIKE {text_ph} ESCAPE '\\' \
             OR u.username LIKE {text_ph} ESCAPE '\\' OR LOWER(i.note) LIKE {text_ph} ESCAPE '\\')"
        ));
    }
    if filters.is_empty() {
        "1 = 1".to_string()
    } else {
        filters.join(" AND ")
    }
}

pub async fn list(
    c: &mut Conn,
    backend: Backend,
    f: &ListFilter<'_>,
    now: DateTime<Utc>,
) -> Result<ListPage> {
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let base_where = selection(&mut p, backend, f.division_id, f.q);
    let (counts, total_all) = if f.q.is_empty() {
        super::tally::counts(&mut *c, f.division_id, now).await?
    } else {
        counts_with_search(&mut *c, &p, &now_ph, &base_where).await?
    };
    // Only a search's count stops at the cap.
    let capped = !f.q.is_empty() && total_all >= SEARCH_COUNT_CAP;
    let mut where_sql = base_where;
    if let StatusFilter::Only(s) = f.status {
        where_sql = format!("{where_sql} AND {}", status_predicate(s, &now_ph));
    }
    let total = match f.status {
        StatusFilter::All => total_all,
        StatusFilter::Only(s) => counts.get(s),
    };
    let limit_ph = p.int(f.limit);
    let offset_ph = p.int(f.offset);
    let items_sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {where_sql} \
         ORDER BY i.created_at DESC, i.id DESC LIMIT {limit_ph} OFFSET {offset_ph}"
    );
    let items = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(items_sql.as_str())))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| map(r, now).map(|x| x.invitation))
        .collect::<Result<Vec<_>>>()?;
    Ok(ListPage {
        items,
        counts,
        total,
        capped,
    })
}

/// Where an export stopped: the last row's creation time (ms) and id.
pub type ExportCursor = (i64, i64);

/// The next `f.limit` rows of a selection after `after`, newest first, without counts (the
/// CSV export walks the whole view this way; `f.offset` is not used).
pub async fn export_page(
    c: &mut Conn,
    backend: Backend,
    f: &ListFilter<'_>,
    after: Option<ExportCursor>,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>> {
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let mut where_sql = selection(&mut p, backend, f.division_id, f.q);
    if let StatusFilter::Only(s) = f.status {
        where_sql = format!("{where_sql} AND {}", status_predicate(s, &now_ph));
    }
    if let Some((at, id)) = after {
        let (at, id) = (p.int(at), p.int(id));
        where_sql = format!(
            "{where_sql} AND (i.created_at < {at} OR (i.created_at = {at} AND i.id < {id}))"
        );
    }
    let limit_ph = p.int(f.limit);
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {where_sql} \
         ORDER BY i.created_at DESC, i.id DESC LIMIT {limit_ph}"
    );
    p.bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| map(r, now).map(|x| x.invitation))
        .collect()
}

/// `SUM(...) AS used, ...` for each status, then `COUNT(*) AS total`.
fn status_sums(now_ph: &str, statuses: &[Status]) -> String {
    let mut cols: Vec<String> = statuses
        .iter()
        .map(|s| {
            format!(
                "SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS {}",
                status_predicate(*s, now_ph),
                s.as_str()
            )
        })
        .collect();
    cols.push("COUNT(*) AS total".into());
    cols.join(", ")
}

/// Counts per status for a search, over at most [`SEARCH_COUNT_CAP`] matching rows: the
/// matches are found first (with the redeemer, which the search reads) and stop at the cap,
/// then only those are looked up with their inviter (which Suspended needs).
async fn counts_with_search(
    c: &mut Conn,
    p: &Params,
    now_ph: &str,
    base_where: &str,
) -> Result<(Counts, i64)> {
    let cap = SEARCH_COUNT_CAP;
    let sql = format!(
        "SELECT {sums} FROM (SELECT i.id FROM invitations i \
             LEFT JOIN users u ON u.id = i.used_by WHERE {base_where} LIMIT {cap}) m \
           JOIN invitations i ON i.id = m.id JOIN users c ON c.id = i.created_by",
        sums = status_sums(
            now_ph,
            &[
                Status::Used,
                Status::Revoked,
                Status::Expired,
                Status::Suspended
            ]
        ),
    );
    let row = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_one(c)
        .await?;
    let n = |name: &str| col::<Option<i64>>(&row, name).map(|v| v.unwrap_or(0));
    let total = n("total")?;
    let mut counts = Counts {
        used: n("used")?,
        revoked: n("revoked")?,
        expired: n("expired")?,
        suspended: n("suspended")?,
        active: 0,
    };
    counts.active = total - counts.used - counts.revoked - counts.expired - counts.suspended;
    Ok((counts, total))
}
