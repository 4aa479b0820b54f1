//! Filling the database at scale: divisions, users and invitations in large batches.

use onboard::services::invitations::new_code;
use onboard::services::Core;

pub(crate) const DIVISIONS: i64 = 200;
pub(crate) const PASSWORD: &str = "bench-password-1234";

pub(crate) async fn reset(url: &str) -> anyhow::Result<()> {
    if url.starts_with("postgres") {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url).await?;
        sqlx::query("DROP SCHEMA public CASCADE")
            .execute(&pool)
            .await?;
        sqlx::query("CREATE SCHEMA public").execute(&pool).await?;
    }
    Ok(())
}

/// Divisions, users (one password hash reused) and `n` invitations with a realistic status mix.
pub(crate) async fn seed(core: &Core, n: i64) -> anyhow::Result<()> {
    let db = &core.db;
    let now = core.now().timestamp_millis();
    let hash = core.hasher.hash(PASSWORD.into()).await?;
    let mut tx = db.begin_write().await?;
    for d in 1..=DIVISIONS {
        sqlx::query("INSERT INTO divisions (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(d)
            .bind(format!("d{d}"))
            .bind(format!("Division {d}"))
            .bind(now)
            .execute(tx.conn())
            .await?;
    }
    // ids: 1 admin; per division d: manager 1+d, staff 1+D+d, former manager 1+2D+d (disabled).
    let users = |id: i64, name: String, role: &str, div: Option<i64>, disabled: Option<i64>| {
        (id, name, role.to_string(), div, disabled)
    };
    let mut rows = vec![users(1, "admin".into(), "admin", None, None)];
    for d in 1..=DIVISIONS {
        rows.push(users(1 + d, format!("m{d}"), "manager", Some(d), None));
        rows.push(users(
            1 + DIVISIONS + d,
            format!("s{d}"),
            "staff",
            Some(d),
            None,
        ));
        rows.push(users(
            1 + 2 * DIVISIONS + d,
            format!("former{d}"),
            "manager",
            Some(d),
            Some(now),
        ));
    }
    for (id, name, role, div, disabled) in rows {
        sqlx::query(
            "INSERT INTO users (id, username, password_hash, role, division_id, disabled_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(name)
        .bind(&hash)
        .bind(role)
        .bind(div)
        .bind(disabled)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await?;
    if db.backend == onboard::db::Backend::Postgres {
        for t in ["divisions", "users"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))"
            )))
            .execute(&db.pool)
            .await?;
        }
    }

    const BATCH: i64 = 1000;
    let day = 86_400_000i64;
    let mut i = 0i64;
    while i < n {
        let end = (i + BATCH).min(n);
        let mut sql = String::from(
            "INSERT INTO invitations (code, email, role, division_id, created_by, created_at, expires_at, \
             used_by, used_at, revoked_by, revoked_at, expiry_counted) VALUES ",
        );
        let mut p = onboard::db::sql::Params::default();
        for k in i..end {
            let d = k % DIVISIONS + 1;
            let created = now - (n - k) * 1000;
            let (creator, expires, used_by, used_at, revoked_by, revoked_at) = match k % 20 {
                0..=11 => (1 + d, now + (1 + k % 30) * day, None, None, None, None),
                12..=15 => (
                    1 + d,
                    now + 7 * day,
                    Some(1 + DIVISIONS + d),
                    Some(created + 3_600_000),
                    None,
                    None,
                ),
                16 | 17 => (1 + d, now - day, None, None, None, None),
                18 => (
                    1 + d,
                    now + 7 * day,
                    None,
                    None,
                    Some(1),
                    Some(created + 60_000),
                ),
                _ => (1 + 2 * DIVISIONS + d, now + 7 * day, None, None, None, None),
            };
            let email = (k % 3 == 0).then(|| format!("person{k}@example.com"));
            if k > i {
                sql.push(',');
            }
            let ph = [
                p.text(new_code().as_str()),
                match email {
                    Some(e) => p.text(e),
                    None => "NULL".into(),
                },
                p.text("staff"),
                p.int(d),
                p.int(creator),
                p.int(created),
                p.int(expires),
                used_by.map(|v| p.int(v)).unwrap_or_else(|| "NULL".into()),
                used_at.map(|v| p.int(v)).unwrap_or_else(|| "NULL".into()),
                revoked_by
                    .map(|v| p.int(v))
                    .unwrap_or_else(|| "NULL".into()),
                revoked_at
                    .map(|v| p.int(v))
                    .unwrap_or_else(|| "NULL".into()),
                // Already expired: counted so, as the server's sweep would.
                p.int(i64::from(expires <= now)),
            ];
            sql.push('(');
            sql.push_str(&ph.join(", "));
            sql.push(')');
        }
        let mut tx = db.begin_write().await?;
        p.bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        i = end;
    }
    // Some audit history (hash-chained, so appended one by one in one transaction).
    let mut tx = db.begin_write().await?;
    for k in 0..(n / 20).min(50_000) {
        onboard::audit::append(
            db,
            tx.conn(),
            core.now(),
            onboard::audit::NewEvent::new("invitation.created")
                .actor(format!("m{}", k % DIVISIONS + 1))
                .division(Some(format!("d{}", k % DIVISIONS + 1)))
                .invitation(k + 1),
        )
        .await?;
    }
    tx.commit().await?;
    // What the server's housekeeping does first: index SQLite's new codes for search, and
    // fold PostgreSQL's per-row tally entries.
    onboard::services::index_new_codes(core).await?;
    let mut c = db.conn().await?;
    onboard::db::invitations::tally::fold(&mut c, db.backend).await?;
    if db.backend == onboard::db::Backend::Postgres {
        // The fold left a million dead counter rows, a file of 50 MB for 200 live ones: no
        // instance writes a million codes between two folds, and every count that reads
        // the table whole would pay for the file. Rewrite it to its live size.
        sqlx::query("VACUUM FULL invitation_tally")
            .execute(&mut *c)
            .await?;
        sqlx::query("VACUUM").execute(&mut *c).await?;
    }
    sqlx::query("ANALYZE").execute(&mut *c).await?;
    Ok(())
}
