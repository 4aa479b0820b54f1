//! The invitation list's view state, parsed from and written back to the URL query string, so a
//! copied URL reproduces the same view.

use super::error::{DomainError, Field};
use super::status::Status;
use super::text;
use serde::{Deserialize, Serialize};

pub const MAX_PER_PAGE: u32 = 200;
pub const MAX_PAGE: u32 = 100_000;
pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];
/// Rows per page on the dashboard unless the URL says otherwise.
pub const DASHBOARD_PER_PAGE: u32 = 25;
/// Rows per page in the REST API, the audit log and the outbox unless the request says otherwise.
pub const DEFAULT_PER_PAGE: u32 = 50;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusFilter {
    #[default]
    All,
    Only(Status),
}

impl StatusFilter {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("all") {
            return Ok(StatusFilter::All);
        }
        Status::parse(s).map(StatusFilter::Only).ok_or_else(|| {
            DomainError::invalid(
                Field::Status,
                "status: must be one of all, active, used, expired, revoked, suspended",
            )
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Only(s) => s.as_str(),
        }
    }
}

/// A list view. On the wire (the dashboard's server function) it travels as its query
/// parameters and is parsed on arrival the way the page parses its URL, so a hand-made call
/// gets the same bounds and the same leniency as a hand-edited URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WireListQuery", into = "WireListQuery")]
pub struct ListQuery {
    pub status: StatusFilter,
    pub q: String,
    pub division: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// [`ListQuery`] as its parameters.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct WireListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    division: Option<String>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    per_page: Option<String>,
}

impl From<ListQuery> for WireListQuery {
    fn from(q: ListQuery) -> Self {
        WireListQuery {
            status: q.status.as_str().to_string(),
            q: q.q,
            division: q.division,
            page: Some(q.page.to_string()),
            per_page: Some(q.per_page.to_string()),
        }
    }
}

impl From<WireListQuery> for ListQuery {
    fn from(w: WireListQuery) -> Self {
        let mut pairs = vec![("status", w.status.as_str()), ("q", w.q.as_str())];
        if let Some(d) = &w.division {
            pairs.push(("division", d));
        }
        if let Some(p) = &w.page {
            pairs.push(("page", p));
        }
        if let Some(p) = &w.per_page {
            pairs.push(("per_page", p));
        }
        ListQuery::parse_lenient(pairs, DASHBOARD_PER_PAGE)
    }
}

/// A `page` parameter: a whole number from 1 to `MAX_PAGE` (every paged list uses this).
pub fn parse_page(v: &str) -> Result<u32, DomainError> {
    v.trim()
        .parse()
        .ok()
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .ok_or_else(|| {
            DomainError::invalid(
                Field::Page,
                format!("page: must be a whole number from 1 to {MAX_PAGE}"),
            )
        })
}

/// A `per_page` parameter: a whole number from 1 to `max`.
pub fn parse_per_page(v: &str, max: u32) -> Result<u32, DomainError> {
    v.trim()
        .parse()
        .ok()
        .filter(|p| (1..=max).contains(p))
        .ok_or_else(|| {
            DomainError::invalid(
                Field::PerPage,
                format!("per_page: must be a whole number from 1 to {max}"),
            )
        })
}

impl ListQuery {
    pub fn new(default_per_page: u32) -> Self {
        ListQuery {
            status: StatusFilter::All,
            q: String::new(),
            division: None,
            page: 1,
            per_page: default_per_page,
        }
    }

    /// Strict parse, as the API needs: an unknown status or an out-of-range page size is an error.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        default_per_page: u32,
    ) -> Result<Self, DomainError> {
        let mut q = ListQuery::new(default_per_page);
        for (k, v) in pairs {
            match k {
                "status" => q.status = StatusFilter::parse(v)?,
                "q" => q.q = text::bounded(Field::Query, v, text::MAX_QUERY)?.to_string(),
                "division" => {
                    let v = text::bounded(Field::Division, v, text::MAX_FILTER)?.to_lowercase();
                    q.division = (!v.is_empty()).then_some(v);
                }
                "page" => q.page = parse_page(v)?,
                "per_page" => q.per_page = parse_per_page(v, MAX_PER_PAGE)?,
                _ => {}
            }
        }
        Ok(q)
    }

    /// Lenient parse for pages: a hand-edited URL still shows something sensible.
    pub fn parse_lenient<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        default_per_page: u32,
    ) -> Self {
        let mut q = ListQuery::new(default_per_page);
        for (k, v) in pairs {
            if k == "q" {
                // Too long or with control characters: search what can be searched.
                q.q = v
                    .trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(text::MAX_QUERY)
                    .collect();
                continue;
            }
            if let Ok(one) = ListQuery::parse([(k, v)], default_per_page) {
                match k {
                    "status" => q.status = one.status,
                    "q" => q.q = one.q,
                    "division" => q.division = one.division,
                    "page" => q.page = one.page,
                    "per_page" => q.per_page = one.per_page,
                    _ => {}
                }
            }
        }
        q
    }

    /// The query string (without `?`) that reproduces this view; defaults are left out.
    pub fn to_query_string(&self, default_per_page: u32) -> String {
        let mut parts = Vec::new();
        if self.status != StatusFilter::All {
            parts.push(format!("status={}", self.status.as_str()));
        }
        if !self.q.is_empty() {
            parts.push(format!("q={}", super::query_string::escape(&self.q)));
        }
        if let Some(d) = &self.division {
            parts.push(format!("division={}", super::query_string::escape(d)));
        }
        if self.page != 1 {
            parts.push(format!("page={}", self.page));
        }
        if self.per_page != default_per_page {
            parts.push(format!("per_page={}", self.per_page));
        }
        parts.join("&")
    }

    pub fn with_page(&self, page: u32) -> Self {
        ListQuery {
            page,
            ..self.clone()
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page.saturating_sub(1) as i64) * self.per_page as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_contract_parameters() {
        let q = ListQuery::parse(
            [
                ("status", "used"),
                ("q", " ana "),
                ("division", "Sales"),
                ("page", "2"),
                ("per_page", "100"),
            ],
            50,
        )
        .unwrap();
        assert_eq!(q.status, StatusFilter::Only(Status::Used));
        assert_eq!(q.q, "ana");
        assert_eq!(q.division.as_deref(), Some("sales"));
        assert_eq!((q.page, q.per_page), (2, 100));
    }

    #[test]
    fn refuses_bad_values_naming_the_field() {
        let e = ListQuery::parse([("status", "bogus")], 50).unwrap_err();
        assert_eq!(e.code(), "invalid_status");
        let e = ListQuery::parse([("per_page", "201")], 50).unwrap_err();
        assert_eq!(e.code(), "invalid_per_page");
        assert!(e.to_string().contains("per_page"));
        assert!(ListQuery::parse([("per_page", "0")], 50).is_err());
        assert_eq!(
            ListQuery::parse([("page", "0")], 50).unwrap_err().code(),
            "invalid_page"
        );
    }

    #[test]
    fn lenient_parse_keeps_the_good_parts() {
        let q = ListQuery::parse_lenient([("status", "bogus"), ("q", "x"), ("page", "-1")], 25);
        assert_eq!(q.status, StatusFilter::All);
        assert_eq!(q.q, "x");
        assert_eq!(q.page, 1);
    }

    proptest! {
        #[test]
        fn the_url_round_trips(
            st in 0usize..6, q in "[a-zA-Z0-9 @.&=%+-]{0,20}", div in proptest::option::of("[a-z]{1,8}"),
            page in 1u32..50, per in 1u32..=200,
        ) {
            let status = if st == 5 { StatusFilter::All } else { StatusFilter::Only(Status::ALL[st]) };
            let view = ListQuery { status, q: q.trim().to_string(), division: div, page, per_page: per };
            let s = view.to_query_string(25);
            let pairs: Vec<(String, String)> = s
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap();
                    (k.to_string(), urlencoding::decode(v).unwrap().into_owned())
                })
                .collect();
            let back = ListQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), 25).unwrap();
            prop_assert_eq!(back, view);
        }
    }
}
