//! SQLite's search index, filled after the creates commit (migration 0014): it holds every code
//! up to a mark, [`catch_up`] indexes the codes above it in batches, and a search takes every
//! code above the mark whose document matches as a candidate besides the index's
//! ([`unindexed`]), so what the index does not hold yet is still found. PostgreSQL's trigram
//! index is kept in the row's own write, so there is nothing to catch up there.

use crate::db::{col, Backend, Conn, Result};

/// A code's search document (`i` the code, `u` its redeemer), as the update trigger writes it
/// (migration 0007).
const DOC: &str = "i.code || ' ' || COALESCE(i.email, '') || ' ' || COALESCE(u.username, '') \
     || ' ' || COALESCE(i.note, '')";

/// The ids (column `id`) a search takes as candidates: the index's matches for each of
/// `patterns` (placeholders), and the codes the index does not hold yet whose document
/// matches one of them ([`unindexed`]), all in one statement, so the mark and the index are
/// read at the same moment; with `below` (a placeholder), only ids below it. SQLite only.
pub(super) fn candidates(patterns: &[&str], below: Option<&str>) -> String {
    let (rowid_below, id_below) = match below {
        Some(b) => (format!(" AND rowid < {b}"), format!("AND i.id < {b}")),
        None => (String::new(), String::new()),
    };
    let indexed: Vec<String> = patterns
        .iter()
        .map(|p| {
            format!("SELECT rowid AS id FROM invitation_search WHERE doc LIKE {p}{rowid_below}")
        })
        .collect();
    format!(
        "{} UNION {}",
        indexed.join(" UNION "),
        unindexed(patterns, &id_below)
    )
}

/// The codes the index does not hold yet whose document is LIKE one of `patterns` (the
/// placeholders of the index's own patterns): what the index would give for them. `and`
/// narrows them further (`AND i.id < …`).
fn unindexed(patterns: &[&str], and: &str) -> String {
    let like: Vec<String> = patterns.iter().map(|p| format!("{DOC} LIKE {p}")).collect();
    format!(
        "SELECT i.id FROM invitations i LEFT JOIN users u ON u.id = i.used_by \
         WHERE i.id > (SELECT indexed_upto FROM invitation_search_mark) {and} AND ({})",
        like.join(" OR ")
    )
}

/// Whether codes wait to be indexed (on a reader; SQLite, else `false`).
pub async fn behind(c: &mut Conn, backend: Backend) -> Result<bool> {
    if backend != Backend::Sqlite {
        return Ok(false);
    }
    let r = sqlx::query(
        "SELECT EXISTS (SELECT 1 FROM invitations \
           WHERE id > (SELECT indexed_upto FROM invitation_search_mark)) AS behind",
    )
    .fetch_one(c)
    .await?;
    Ok(col::<i64>(&r, "behind")? != 0)
}

/// Indexes the next `limit` codes above the mark, as they are now, and moves the mark past
/// them; how many were indexed. In the caller's write transaction, which keeps the index and
/// the mark in step. SQLite only (0 elsewhere).
pub async fn catch_up(c: &mut Conn, backend: Backend, limit: i64) -> Result<u64> {
    if backend != Backend::Sqlite {
        return Ok(0);
    }
    let r = sqlx::query(
        "SELECT MAX(id) AS upto FROM (SELECT id FROM invitations \
           WHERE id > (SELECT indexed_upto FROM invitation_search_mark) ORDER BY id LIMIT $1)",
    )
    .bind(limit)
    .fetch_one(&mut *c)
    .await?;
    let Some(upto) = col::<Option<i64>>(&r, "upto")? else {
        return Ok(0);
    };
    let sql = format!(
        "INSERT INTO invitation_search (rowid, doc) SELECT i.id, {DOC} \
         FROM invitations i LEFT JOIN users u ON u.id = i.used_by \
         WHERE i.id > (SELECT indexed_upto FROM invitation_search_mark) AND i.id <= $1"
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(upto)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE invitation_search_mark SET indexed_upto = $1 WHERE id = 1")
        .bind(upto)
        .execute(c)
        .await?;
    Ok(done.rows_affected())
}
