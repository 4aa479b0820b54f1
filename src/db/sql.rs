//! Helpers for statements assembled at run time: numbered parameters and `LIKE` patterns.

/// A bind parameter for dynamically built queries.
#[derive(Clone, Debug)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// Collects `$n` placeholders and their values while a query is assembled.
#[derive(Clone, Default)]
pub struct Params(pub Vec<Param>);

impl Params {
    pub fn push(&mut self, p: Param) -> String {
        self.0.push(p);
        format!("${}", self.0.len())
    }
    pub fn int(&mut self, v: i64) -> String {
        self.push(Param::Int(v))
    }
    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.push(Param::Text(v.into()))
    }
    pub fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        for p in &self.0 {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.as_str()),
            };
        }
        q
    }
}

/// Rows per multi-row `INSERT` statement.
pub const INSERT_CHUNK: usize = 200;

/// A multi-row `INSERT`: `head` (table and columns), `rows` tuples of `cols` numbered
/// placeholders (`($1, $2), ($3, $4)`, to be bound row by row), then `tail`. Only numbered
/// placeholders are formatted in. Only the forms of up to 8 rows (a create alone, a group at
/// everyday concurrency) stay prepared: a statement per row count would crowd the
/// connection's statement cache (100 entries) and push out the hot reads.
pub fn insert_rows<'q>(
    head: &str,
    rows: usize,
    cols: usize,
    tail: &str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut sql = format!("{head} VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * cols + c + 1).to_string());
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(rows <= 8)
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub fn like_pattern(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}
