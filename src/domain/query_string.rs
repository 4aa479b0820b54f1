//! The one query-string codec: `a=1&b=x+y` to decoded pairs and back. Every entry point (REST
//! handlers, server functions, form handlers, pages) reads its query with [`decode`].

/// Decodes `application/x-www-form-urlencoded` text (a URL's query, without `?`): `+` is a
/// space, `%XX` a byte, and a malformed escape is kept as written.
pub fn decode(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (unescape(k), unescape(v))
        })
        .collect()
}

fn unescape(s: &str) -> String {
    let spaced = s.replace('+', " ");
    String::from_utf8_lossy(&urlencoding::decode_binary(spaced.as_bytes())).into_owned()
}

/// One key or value escaped for a query string.
pub fn escape(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

/// Encodes pairs as a query string (without `?`).
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The pairs as borrowed strings, the form the query parsers take.
pub fn refs(pairs: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_what_browsers_send() {
        assert_eq!(
            decode("q=ana+s%C3%A1nchez&status=active&&flag&x=%ZZ"),
            vec![
                ("q".into(), "ana sánchez".into()),
                ("status".into(), "active".into()),
                ("flag".into(), "".into()),
                ("x".into(), "%ZZ".into()),
            ]
        );
        assert!(decode("").is_empty());
    }

    proptest! {
        #[test]
        fn encoding_then_decoding_gives_the_pairs_back(
            pairs in proptest::collection::vec(("[a-z_]{1,8}", "\\PC{0,20}"), 0..6)
        ) {
            let encoded = encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            prop_assert_eq!(decode(&encoded), pairs);
        }
    }
}
