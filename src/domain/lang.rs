//! The interface languages: English and Bahasa Indonesia.
//!
//! The choice comes from the `onboard_lang` cookie (the switcher), else the browser's
//! `Accept-Language`, else English.

use serde::{Deserialize, Serialize};

pub const LANG_COOKIE: &str = "onboard_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Id,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Id];

    /// The BCP 47 tag, as in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Id => "Bahasa Indonesia",
        }
    }

    /// Accepts `en`, `id` and regional forms such as `en-GB` or `id-ID`; `in` is the
    /// legacy code for Indonesian.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "id" | "in" => Some(Lang::Id),
            _ => None,
        }
    }

    /// The best supported language in an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (pos, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; on a tie the earlier entry does.
            if best.is_none_or(|(bq, bpos, _)| q > bq || (q == bq && pos < bpos)) {
                best = Some((q, pos, lang));
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// Cookie first, then `Accept-Language`, then English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        cookie
            .and_then(Lang::parse)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_the_cookie_then_the_browser_then_english() {
        let table: &[(Option<&str>, Option<&str>, Lang)] = &[
            (None, None, Lang::En),
            (Some("id"), Some("en-US"), Lang::Id),
            (Some("xx"), Some("id-ID,id;q=0.9"), Lang::Id),
            (None, Some("fr-FR, en;q=0.5, id;q=0.8"), Lang::Id),
            (None, Some("en-GB,en;q=0.9,id;q=0.8"), Lang::En),
            (None, Some("in"), Lang::Id),
            (None, Some("id;q=0, de"), Lang::En),
            (None, Some("garbage;;;q=x"), Lang::En),
        ];
        for (cookie, accept, want) in table {
            assert_eq!(
                Lang::negotiate(*cookie, *accept),
                *want,
                "{cookie:?} {accept:?}"
            );
        }
    }
}
