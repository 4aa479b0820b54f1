//! How page data travels from the server's render into the browser.
//!
//! A page loads its data with server functions inside resources. The server renders the page
//! with the data and writes it into the HTML as JSON; the browser reads it from there while
//! hydrating, and from a server function's response when the data changes. Both reads use one
//! `serde_json` reader (`from_slice`, as the server functions' JSON does): with Leptos's
//! default codec the first read is `from_str`, and every type's deserialiser was compiled into
//! the WASM once per reader.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON, read with the same reader as the server functions' responses.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A page's data: a resource in [`Json`].
pub type Data<T> = Resource<T, Json>;

/// Loads a page's data with `fetcher` whenever `source` changes (see [`Resource::new`]).
#[track_caller]
pub fn data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Data<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DomainError, Field};

    #[test]
    fn page_data_and_errors_survive_the_trip() {
        let ok: Result<Vec<String>, DomainError> = Ok(vec!["Zoë \"quoted\" \\ é".into()]);
        let text = <Json as Encoder<_>>::encode(&ok).unwrap();
        let back: Result<Vec<String>, DomainError> = <Json as Decoder<_>>::decode(&text).unwrap();
        assert_eq!(back, ok);

        let err: Result<u32, DomainError> = Err(DomainError::invalid(Field::Email, "email: bad"));
        let text = <Json as Encoder<_>>::encode(&err).unwrap();
        let back: Result<u32, DomainError> = <Json as Decoder<_>>::decode(&text).unwrap();
        assert_eq!(back, err);
        assert!(<Json as Decoder<Result<u32, DomainError>>>::decode("{").is_err());
    }
}
