//! Reading requests the API's way: JSON object bodies whose rejections speak the API's error
//! format, query pairs, and path ids.

use crate::auth::Actor;
use crate::domain::{authorize, Action, DomainError};
use crate::web::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;

/// JSON object body extractor whose rejections speak the API's error format. Only an object
/// is accepted: serde would otherwise read a struct from an array (`[null, null]`) by position.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(v)) => v,
            Err(rej) => return Err(json_rejection(rej)),
        };
        from_object(value).map(Body)
    }
}

/// Reads `T` from a JSON object; an array, scalar or mismatched object is 422 `invalid_body`.
pub(super) fn from_object<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::new(
            422,
            "invalid_body",
            "The body must be a JSON object.",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        // The field a value is wrong in leads the message ("email: invalid type: ..."), unless
        // serde's own message names it already (an unknown or a missing field).
        let (field, inner) = (e.path().to_string(), e.inner().to_string());
        let named = inner.starts_with("unknown field") || inner.starts_with("missing field");
        let message = match field.as_str() {
            "." | "" => inner,
            _ if named => inner,
            _ => format!("{field}: {inner}"),
        };
        ApiError::new(422, "invalid_body", message)
    })
}

/// Whether a request says its body is JSON (`application/json`, or a `+json` type), as axum's
/// `Json` decides.
pub(super) fn says_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(mime) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
    else {
        return false;
    };
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

pub(super) fn json_rejection(rej: JsonRejection) -> ApiError {
    match rej {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            415,
            "unsupported_media_type",
            "Send the body as application/json.",
        ),
        JsonRejection::JsonDataError(e) => ApiError::new(422, "invalid_body", e.body_text()),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(400, "malformed_body", "The body is not valid JSON.")
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(413, "body_too_large", "The body is larger than 1 MiB.")
        }
        other => ApiError::new(400, "malformed_body", other.body_text()),
    }
}

/// The body of a request only some roles may make: when it cannot be read, a caller who may
/// not do `action` at all hears that (403) first, as they would with a well-formed body.
pub(super) fn permitted<T>(
    actor: &Actor,
    action: Action,
    body: Result<Body<T>, ApiError>,
) -> Result<T, ApiError> {
    if body.is_err() {
        authorize(Some(actor.policy()), action, actor.division_id).map_err(DomainError::from)?;
    }
    body.map(|Body(b)| b)
}

pub(super) fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    crate::domain::query_string::decode(raw.as_deref().unwrap_or_default())
}

pub(super) fn id_param(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| DomainError::NotFound.into())
}
