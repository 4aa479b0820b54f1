//! The admin pages' forms: divisions, users and bulk onboarding.

use super::{enc, error_params, SignedIn};
use crate::domain::DomainError;
use crate::services;
use crate::web::{AppState, Meta};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DivisionForm {
    slug: String,
    name: String,
}

pub async fn create_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Form(f): Form<DivisionForm>,
) -> Response {
    let input = services::admin::NewDivision {
        slug: f.slug.clone(),
        name: f.name.clone(),
    };
    match services::admin::create_division(&s.core, Some(&actor), &input, &meta).await {
        Ok(d) => {
            Redirect::to(&format!("/admin/divisions?created={}", enc(&d.slug))).into_response()
        }
        Err(e) => Redirect::to(&format!(
            "/admin/divisions?{}&slug={}&name={}",
            error_params(&e),
            enc(&f.slug),
            enc(&f.name)
        ))
        .into_response(),
    }
}

pub async fn disable_user(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(username): Path<String>,
) -> Response {
    match services::admin::disable_user(&s.core, &actor, &username, &meta).await {
        Ok(u) => {
            Redirect::to(&format!("/admin/users?disabled={}", enc(&u.username))).into_response()
        }
        Err(e) => Redirect::to(&format!("/admin/users?{}", error_params(&e))).into_response(),
    }
}

/// `POST /admin/bulk` (multipart): a CSV file or pasted CSV is staged, then checked row by row.
pub async fn bulk_stage(
    State(s): State<AppState>,
    SignedIn(actor): SignedIn,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let mut filename = None;
    let mut file = String::new();
    let mut pasted = String::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            filename = field
                .file_name()
                .map(str::to_string)
                .filter(|f| !f.is_empty());
        }
        let Ok(text) = field.text().await else {
            let e = DomainError::invalid(
                crate::domain::Field::File,
                "file: could not read the upload as UTF-8 text",
            );
            return Redirect::to(&format!("/admin/bulk?{}", error_params(&e))).into_response();
        };
        match name.as_str() {
            "file" => file = text,
            "csv" => pasted = text,
            _ => {}
        }
    }
    let csv = if file.trim().is_empty() { pasted } else { file };
    match services::bulk::stage(&s.core, &actor, filename, csv).await {
        Ok(id) => Redirect::to(&format!("/admin/bulk?upload={id}")).into_response(),
        Err(e) => Redirect::to(&format!("/admin/bulk?{}", error_params(&e))).into_response(),
    }
}

pub async fn bulk_commit(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match services::bulk::commit(&s.core, &actor, id, &meta).await {
        // Also a second submit of a file that is already in: the batch page shows it.
        Ok(()) => Redirect::to(&format!("/admin/bulk?upload={id}")).into_response(),
        Err(e) => {
            Redirect::to(&format!("/admin/bulk?upload={id}&{}", error_params(&e))).into_response()
        }
    }
}

/// `GET /admin/bulk/{id}/codes.csv`: the committed batch's codes.
pub async fn bulk_codes(
    State(s): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let p = services::bulk::preview(&s.core, &actor, id).await?;
        services::bulk::codes_csv(&p.created)
    }
    .await;
    match result {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"onboard-codes.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) => crate::web::ApiError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

pub async fn rename_division(
    State(s): State<AppState>,
    Meta(meta): Meta,
    SignedIn(actor): SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<RenameForm>,
) -> Response {
    let input = services::admin::UpdateDivision {
        name: Some(f.name),
        ..Default::default()
    };
    match services::admin::update_division(&s.core, &actor, &slug, &input, &meta).await {
        Ok(d) => {
            Redirect::to(&format!("/admin/divisions?renamed={}", enc(&d.slug))).into_response()
        }
        Err(e) => Redirect::to(&format!("/admin/divisions?{}", error_params(&e))).into_response(),
    }
}
