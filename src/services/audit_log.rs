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
                _ => {}
            }
        }
        Ok(q)
    }
}

pub async fn list(core: &Core, actor: &Actor, q: &AuditQuery) -> Outcome<AuditPage> {
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

    let where_sql = filters.join(" AND ");
    let total_row = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM audit_events WHERE {where_sql}"
        ))))
        .fetch_one(&core.db.pool)
        .await
        .map_err(internal)?;
    let total: i64 = col(&total_row, "n").map_err(internal)?;
    let limit = p.int(q.per_page as i64);
    let offset = p.int((q.page as i64 - 1) * q.per_page as i64);
    let sql = format!(
        "SELECT id, at, actor, action, division, invitation_id, client_addr, details \
         FROM audit_events WHERE {where_sql} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    );
    let rows = p
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())))
        .fetch_all(&core.db.pool)
        .await
        .map_err(internal)?;
    let items = rows
        .iter()
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
        .map_err(internal)?;
    Ok(AuditPage { items, total })
}

pub fn to_csv(page: &AuditPage) -> Outcome<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
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
    for e in &page.items {
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
