//! The server's memory set-up (`memory::init`, which `main` runs first), in a test process of
//! its own: SQLite accepts an allocator only before its first connection opens.

use onboard::db::Db;

#[tokio::test]
async fn sqlite_works_on_the_servers_allocator_with_huge_pages_off() {
    onboard::memory::init().expect("set up before any connection opens");
    let unused: libc::c_ulong = 0;
    // SAFETY: PR_GET_THP_DISABLE takes plain integers and reads a flag of this process.
    let huge_pages_off =
        unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, unused, unused, unused, unused) };
    assert_eq!(huge_pages_off, 1, "transparent huge pages are off");

    // A real SQLite file, written through the writer's transaction and read back through the
    // pool: rows large and small (a page cache's worth of them) pass through the allocator.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("memory.db").display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&mut *tx.conn())
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) \
         INSERT INTO blobs (id, body) SELECT i, printf('%.*c', i % 3000 + 1, 'x') FROM n",
    )
    .execute(&mut *tx.conn())
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, body FROM blobs ORDER BY id")
        .fetch_all(&mut *db.conn().await.unwrap())
        .await
        .unwrap();
    assert_eq!(rows.len(), 5000);
    for (id, body) in &rows {
        assert_eq!(body.len() as i64, id % 3000 + 1, "row {id}");
        assert!(body.bytes().all(|b| b == b'x'), "row {id}");
    }

    // SQLite's memory is mimalloc's, and it keeps no statistics (with them it would count
    // the page caches and statements in use here).
    // SAFETY: a block from SQLite's allocator, asked about and freed through SQLite; the
    // mimalloc call only tests an address.
    unsafe {
        let block = libsqlite3_sys::sqlite3_malloc(1000);
        assert!(!block.is_null());
        assert!(libmimalloc_sys::mi_is_in_heap_region(block));
        libsqlite3_sys::sqlite3_free(block);
        assert_eq!(libsqlite3_sys::sqlite3_memory_used(), 0);
    }

    // Once SQLite has started, asking again changes nothing and says so.
    let late = onboard::memory::init().expect_err("too late for SQLite");
    assert!(late.contains("SQLite keeps its own allocator"), "{late}");
    db.close().await;
}
