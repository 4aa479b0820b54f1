//! The invitation list: one page of rows and the counts per status over the whole selection.

use super::search::candidates;
use super::{map, status_predicate, COLUMNS, DIVISION_AND_REDEEMER, FROM, OPEN_CODES};
use crate::db::sql::{like_pattern, Params};
use crate::db::{col, Backend, Conn, Result};
use crate::domain::code::{ALPHABET, CODE_LEN};
use crate::domain::{Counts, Invitation, Status, StatusFilter, SEARCH_COUNT_CAP};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

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
pub(super) fn code_search(q: &str) -> String {
    q.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// The exact test of a search: the code (typed any way) or the email, redeemer or note.
fn exact_match(p: &mut Params, code_q: &str, text_q: &str) -> String {
    let code_ph = p.text(like_pattern(code_q));
    let text_ph = p.text(like_pattern(text_q));
    format!(
        "(i.code LIKE {code_ph} ESCAPE '\\' OR i.email LIKE {text_ph} ESCAPE '\\' \
         OR u.username LIKE {text_ph} ESCAPE '\\' OR LOWER(i.note) LIKE {text_ph} ESCAPE '\\')"
    )
}

/// The forms of a search a trigram index can narrow (three characters or more in both), in
/// lower case: the code form, unless it holds a character no code has or is longer than a code
/// (then only the text form can match, and an index lookup for the code form would read the
/// trigrams' whole lists to find nothing) or equals the text form, and the text form.
fn trigram_forms(q: &str) -> Option<(Option<String>, String)> {
    let (code_q, text_q) = (code_search(q), q.to_lowercase());
    let long_enough = |s: &str| s.chars().count() >= 3;
    if !long_enough(&code_q) || !long_enough(&text_q) {
        return None;
    }
    let in_a_code = code_q.len() <= CODE_LEN && code_q.bytes().all(|b| ALPHABET.contains(&b));
    let code_form = code_q.to_lowercase();
    Some((
        (in_a_code && code_form != text_q).then_some(code_form),
        text_q,
    ))
}

/// The FTS5 index's patterns for a search (SQLite only; see [`trigram_forms`]). The index's
/// LIKE takes no ESCAPE, so the raw text goes in: a `%` or `_` typed by the user widens the
/// candidates, and the exact predicates decide.
fn index_patterns(backend: Backend, q: &str) -> Option<(Option<String>, String)> {
    if backend != Backend::Sqlite {
        return None;
    }
    let (code_form, text_form) = trigram_forms(q)?;
    Some((
        code_form.map(|a| format!("%{a}%")),
        format!("%{text_form}%"),
    ))
}

/// The WHERE clause of a selection (division and search; no status).
/// `indexed` false leaves the trigram indexes out (see [`list_by_scan`]).
fn selection(
    p: &mut Params,
    backend: Backend,
    indexed: bool,
    division_id: Option<i64>,
    q: &str,
) -> String {
    let mut filters: Vec<String> = Vec::new();
    if let Some(div) = division_id {
        filters.push(format!("i.division_id = {}", p.int(div)));
    }
    if !q.is_empty() {
        // A search of three characters or more is narrowed by a trigram index: SQLite's FTS5
        // table (migration 0003, with the codes it does not hold yet, see `search`) or
        // PostgreSQL's GIN index on the search document (migration 0011, whose LIKE takes the
        // default backslash escape). Shorter searches use the exact predicates alone.
        if let Some((code_form, text_form)) = index_patterns(backend, q).filter(|_| indexed) {
            let b = p.text(text_form);
            let a = code_form.map(|a| p.text(a));
            let patterns: Vec<&str> = a.iter().chain([&b]).map(String::as_str).collect();
            filters.push(format!("i.id IN ({})", candidates(&patterns, None)));
        } else if let Some((code_form, text_form)) =
            trigram_forms(q).filter(|_| indexed && backend == Backend::Postgres)
        {
            let b = p.text(like_pattern(&text_form));
            filters.push(match code_form {
                Some(a) => format!(
                    "(i.search_doc LIKE {} OR i.search_doc LIKE {b})",
                    p.text(like_pattern(&a))
                ),
                None => format!("i.search_doc LIKE {b}"),
            });
        }
        filters.push(exact_match(p, &code_search(q), &q.to_lowercase()));
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
    list_by(c, backend, true, f, now).await
}

/// The reference for [`list`]: a search by its exact predicates alone, every match read and
/// sorted, without the trigram indexes and SQLite's newest-first walk. The tests hold the
/// indexed paths to it on both backends.
pub async fn list_by_scan(
    c: &mut Conn,
    backend: Backend,
    f: &ListFilter<'_>,
    now: DateTime<Utc>,
) -> Result<ListPage> {
    list_by(c, backend, false, f, now).await
}

async fn list_by(
    c: &mut Conn,
    backend: Backend,
    indexed: bool,
    f: &ListFilter<'_>,
    now: DateTime<Utc>,
) -> Result<ListPage> {
    if let Some((a, b)) = index_patterns(backend, f.q).filter(|_| indexed) {
        if let Some(page) = search_newest_first(&mut *c, f, a.as_deref(), &b, now).await? {
            return Ok(page);
        }
    }
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let base_where = selection(&mut p, backend, indexed, f.division_id, f.q);
    // PostgreSQL plans a search for its terms (a rare term reads the trigram index, a common
    // one walks the creation-time index): a cached generic plan would pick one for all.
    let persistent = backend == Backend::Sqlite || f.q.is_empty();
    let (counts, total_all) = if f.q.is_empty() {
        super::tally::counts(&mut *c, f.division_id, now).await?
    } else {
        let cap = SEARCH_COUNT_CAP;
        counts_with_search(&mut *c, &p, &now_ph, &base_where, cap, persistent).await?
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
    // A page that starts at or past the selection's end is empty, as the counts just read
    // say: the answer agrees with them, and no rows are walked to find nothing (a deep page
    // of a division's Active codes once they are used up, say).
    if !capped && f.offset >= total {
        return Ok(ListPage {
            items: Vec::new(),
            counts,
            total,
            capped,
        });
    }
    if indexed && backend == Backend::Postgres {
        let last = f.offset + f.limit > total;
        if let Some(items) = page_of_newest(&mut *c, f, now, last).await? {
            return Ok(ListPage {
                items,
                counts,
                total,
                capped,
            });
        }
    }
    let limit_ph = p.int(f.limit);
    let offset_ph = p.int(f.offset);
    let items_sql = if indexed && backend == Backend::Postgres && !f.q.is_empty() {
        // A PostgreSQL search that did not fill its page from the newest rows has few matches
        // there: its matches are found through the trigram index and sorted (`+ 0`), rather
        // than the creation order walked past however many rows precede them (the planner's
        // row estimate cannot tell where the matches lie). Only the page's rows are then
        // joined to their inviter and division; the inviter is read for every match only
        // when the status depends on it.
        let inviter = match f.status {
            StatusFilter::Only(Status::Active | Status::Suspended) => {
                "JOIN users c ON c.id = i.created_by"
            }
            _ => "",
        };
        format!(
            "SELECT {COLUMNS} FROM (SELECT i.id, i.created_at FROM invitations i {inviter} \
               LEFT JOIN users u ON u.id = i.used_by WHERE {where_sql} \
               ORDER BY i.created_at + 0 DESC, i.id DESC \
               LIMIT {limit_ph} OFFSET {offset_ph}) m \
             JOIN invitations i ON i.id = m.id JOIN users c ON c.id = i.created_by \
             {DIVISION_AND_REDEEMER} ORDER BY m.created_at DESC, m.id DESC"
        )
    } else {
        // On SQLite a division's Active, Expired or Suspended codes are read through the
        // index of its open codes, which holds what their status test reads: used and
        // revoked codes are not walked at all. The page is found in that index alone (with
        // the inviter, whose authority the status reads) and only its rows are then read
        // from the table and joined, so a code before the page costs an index entry, not a
        // table row. With statistics the planner rates that index no better than the
        // division's creation index.
        let newest_page =
            format!("ORDER BY i.created_at DESC, i.id DESC LIMIT {limit_ph} OFFSET {offset_ph}");
        let open_only = matches!(
            f.status,
            StatusFilter::Only(Status::Active | Status::Expired | Status::Suspended)
        );
        if indexed
            && backend == Backend::Sqlite
            && f.q.is_empty()
            && f.division_id.is_some()
            && open_only
        {
            format!(
                "SELECT {COLUMNS} FROM (SELECT i.id FROM {OPEN_CODES} WHERE {where_sql} \
                   {newest_page}) m \
                 JOIN invitations i ON i.id = m.id JOIN users c ON c.id = i.created_by \
                 {DIVISION_AND_REDEEMER} ORDER BY i.created_at DESC, i.id DESC"
            )
        } else {
            format!(
                "SELECT {COLUMNS} {FROM} WHERE {where_sql} \
                 {newest_page}"
            )
        }
    };
    let items = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(items_sql.as_str())).persistent(persistent))
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

/// The windows of a selection's newest rows PostgreSQL reads for a page, in turn, before it
/// sorts instead: four times the rows up to the page's end, rounded up to a power of two (so
/// the statements are few and cached) and at least the first bound, then eight times that.
/// No window is larger than the second bound: a deeper page sorts. A page stops reading its
/// window once it is full, so a window's size costs only when the window falls short.
const WINDOW: (i64, i64) = (1024, 32768);

/// The columns of an invitation that [`COLUMNS`] and its joins read.
const ROW: &str = "id, code, email, role, division_id, expires_at, created_at, created_by, \
     used_by, used_at, revoked_at, note, reported_at";

/// `WHERE` a division's rows (nothing for all divisions).
fn in_division(p: &mut Params, division_id: Option<i64>) -> String {
    division_id
        .map(|d| format!("WHERE division_id = {}", p.int(d)))
        .unwrap_or_default()
}

/// A page on PostgreSQL from the newest rows of the division (or of all), read through the
/// creation index a window at a time and filtered by the search and status, whatever the
/// planner estimates of the filters: a status or search that matches most new rows fills the
/// page from the first window. `None` when no window held the page and none was the whole
/// selection; the caller sorts instead. `last`: the counts say the page is the selection's
/// last and short, so each window is read with its size straight away instead of after a
/// short page (a hint only: whether a short page is the answer is always decided by the
/// window's size read with it).
async fn page_of_newest(
    c: &mut Conn,
    f: &ListFilter<'_>,
    now: DateTime<Utc>,
    last: bool,
) -> Result<Option<Vec<Invitation>>> {
    let first = (4 * (f.offset + f.limit)).max(WINDOW.0) as u64;
    let first = first.next_power_of_two() as i64;
    for window in [first, first * 8] {
        if window > WINDOW.1 {
            break;
        }
        let mut counted = last;
        let mut rows = window_page(&mut *c, f, now, window, counted).await?;
        if !counted && (rows.len() as i64) < f.limit {
            // A short page is the answer only when the window was the whole selection. The
            // page is read again beside the window's size, in one statement and so in one
            // snapshot: a code deleted between two statements must not make a partial window
            // look whole.
            rows = window_page(&mut *c, f, now, window, true).await?;
            counted = true;
        }
        if counted {
            let whole = match rows.first() {
                Some(r) => col::<i64>(r, "window_rows")? < window,
                None => false,
            };
            // Without a page row, the one row left holds only the window's size.
            let mut page = Vec::with_capacity(rows.len());
            for r in rows {
                if col::<Option<i64>>(&r, "id")?.is_some() {
                    page.push(r);
                }
            }
            rows = page;
            if !whole && (rows.len() as i64) < f.limit {
                continue;
            }
        }
        return rows
            .iter()
            .map(|r| map(r, now).map(|x| x.invitation))
            .collect::<Result<_>>()
            .map(Some);
    }
    Ok(None)
}

/// One window's page for [`page_of_newest`]: the rows of the page found among the `window`
/// newest of the division (or of all), fewer when the window holds fewer matches. `counted`:
/// each row also carries `window_rows`, how many rows the window held (at most `window`), and
/// an empty page is one row of that count with every page column NULL.
async fn window_page(
    c: &mut Conn,
    f: &ListFilter<'_>,
    now: DateTime<Utc>,
    window: i64,
    counted: bool,
) -> Result<Vec<AnyRow>> {
    let mut p = Params::default();
    let now_ph = p.int(now.timestamp_millis());
    let division = in_division(&mut p, f.division_id);
    let mut filters = vec!["1 = 1".to_string()];
    if !f.q.is_empty() {
        filters.push(exact_match(&mut p, &code_search(f.q), &f.q.to_lowercase()));
    }
    if let StatusFilter::Only(s) = f.status {
        filters.push(status_predicate(s, &now_ph));
    }
    let (limit_ph, offset_ph) = (p.int(f.limit), p.int(f.offset));
    // The inviter is joined row by row (a LATERAL subquery the planner cannot flatten), which
    // keeps the window's order: the page is read off the front of the window and the reading
    // stops when it is full. A plain join is planned from the row estimate of the inviter's
    // authority, which is far too low, as a hash join and a sort of the whole window.
    let sql = format!(
        "SELECT {COLUMNS} FROM (SELECT {ROW} FROM invitations {division} \
           ORDER BY created_at DESC, id DESC LIMIT {window}) i \
         CROSS JOIN LATERAL (SELECT * FROM users c WHERE c.id = i.created_by OFFSET 0) c \
         {DIVISION_AND_REDEEMER} \
         WHERE {filters} ORDER BY i.created_at DESC, i.id DESC \
         LIMIT {limit_ph} OFFSET {offset_ph}",
        filters = filters.join(" AND ")
    );
    let sql = if counted {
        // The count is part of the same statement, so it sees the page's snapshot.
        format!(
            "SELECT w.window_rows, p.* FROM (SELECT COUNT(*) AS window_rows FROM \
               (SELECT 1 FROM invitations {division} LIMIT {window}) x) w \
             LEFT JOIN LATERAL ({sql}) p ON true ORDER BY p.created_at DESC, p.id DESC"
        )
    } else {
        sql
    };
    p.bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).persistent(f.q.is_empty()))
        .fetch_all(c)
        .await
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
    let mut where_sql = selection(&mut p, backend, true, f.division_id, f.q);
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
pub(super) fn status_sums(now_ph: &str, statuses: &[Status]) -> String {
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

/// Counts per status for a search, over at most `cap` matching rows: the
/// matches are found first (with the redeemer, which the search reads) and stop at the cap,
/// then only those are looked up with their inviter (which Suspended needs).
async fn counts_with_search(
    c: &mut Conn,
    p: &Params,
    now_ph: &str,
    base_where: &str,
    cap: i64,
    persistent: bool,
) -> Result<(Counts, i64)> {
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
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).persistent(persistent))
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

/// How many candidates a search takes from the index in each lookup, newest first. Each
/// lookup reads the trigrams' lists again, so there are few and they grow: the page usually
/// fills from the first, and a broad search reaches the count's cap in the second. A walk
/// that needs more (a narrow page in a broad search: another division's matches, a rare
/// status, a deep page, or a pattern the index widens) hands over to the sorted path, which
/// reads the candidates once, so the walk never costs more than two lookups extra.
const CHUNKS: [i64; 2] = [512, 4096];

/// A search on SQLite while codes were created in id order (`invitation_order`, migration
/// 0010): the index's candidates are walked newest first, a chunk at a time, until the page is
/// full and the count has reached the cap (or the candidates run out), instead of reading and
/// sorting every match. `None` when the order does not hold or the walk would need more than
/// [`CHUNKS`]; the caller sorts instead.
async fn search_newest_first(
    c: &mut Conn,
    f: &ListFilter<'_>,
    code_form: Option<&str>,
    text_form: &str,
    now: DateTime<Utc>,
) -> Result<Option<ListPage>> {
    let in_order = sqlx::query("SELECT in_order FROM invitation_order WHERE id = 1")
        .fetch_optional(&mut *c)
        .await?;
    if in_order.map(|r| col::<i64>(&r, "in_order")).transpose()? != Some(1) {
        return Ok(None);
    }
    let (code_q, text_q) = (code_search(f.q), f.q.to_lowercase());
    let mut before = i64::MAX;
    let (mut items, mut seen) = (Vec::new(), 0i64);
    let (mut counts, mut counted) = (Counts::default(), 0i64);
    // The page is full and the count has reached its cap.
    let satisfied =
        |seen: i64, counted: i64| seen >= f.offset + f.limit && counted >= SEARCH_COUNT_CAP;
    let mut exhausted = false;
    for chunk in CHUNKS {
        if exhausted || satisfied(seen, counted) {
            break;
        }
        let page_full = seen >= f.offset + f.limit;
        let mut p = Params::default();
        let (b_ph, before_ph) = (p.text(text_form), p.int(before));
        let a_ph = code_form.map(|a| p.text(a));
        let patterns: Vec<&str> = a_ph.iter().chain([&b_ph]).map(String::as_str).collect();
        // The codes the index does not hold yet are candidates too (the newest ones).
        let sql = format!(
            "{} ORDER BY 1 DESC LIMIT {chunk}",
            candidates(&patterns, Some(&before_ph))
        );
        let ids: Vec<i64> = p
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| col::<i64>(r, "id"))
            .collect::<Result<_>>()?;
        let Some(&last) = ids.last() else {
            exhausted = true;
            break;
        };
        before = last;
        // The chunk goes in as one JSON array, so the statements stay the same (and cached).
        let id_list = format!(
            "[{}]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        let mut p = Params::default();
        let now_ph = p.int(now.timestamp_millis());
        let mut where_sql = format!("i.id IN (SELECT value FROM json_each({}))", p.text(id_list));
        if let Some(d) = f.division_id {
            where_sql = format!("{where_sql} AND i.division_id = {}", p.int(d));
        }
        where_sql = format!("{where_sql} AND {}", exact_match(&mut p, &code_q, &text_q));
        if counted < SEARCH_COUNT_CAP {
            let left = SEARCH_COUNT_CAP - counted;
            let (more, n) =
                counts_with_search(&mut *c, &p, &now_ph, &where_sql, left, true).await?;
            for s in Status::ALL {
                *counts.get_mut(s) += more.get(s);
            }
            counted += n;
        }
        if !page_full {
            if let StatusFilter::Only(s) = f.status {
                where_sql = format!("{where_sql} AND {}", status_predicate(s, &now_ph));
            }
            let need = p.int(f.offset + f.limit - seen);
            let sql = format!(
                "SELECT {COLUMNS} {FROM} WHERE {where_sql} ORDER BY i.id DESC LIMIT {need}"
            );
            for row in p
                .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
                .fetch_all(&mut *c)
                .await?
            {
                if seen >= f.offset && (items.len() as i64) < f.limit {
                    items.push(map(&row, now)?.invitation);
                }
                seen += 1;
            }
        }
        exhausted = (ids.len() as i64) < chunk;
    }
    if !exhausted && !satisfied(seen, counted) {
        return Ok(None);
    }
    let total = match f.status {
        StatusFilter::All => counted,
        StatusFilter::Only(s) => counts.get(s),
    };
    Ok(Some(ListPage {
        items,
        counts,
        total,
        capped: counted >= SEARCH_COUNT_CAP,
    }))
}
