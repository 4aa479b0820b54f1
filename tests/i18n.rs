//! The interface in English and Bahasa Indonesia: the language comes from the switcher's
//! cookie, else `Accept-Language`, else English, and the server renders it.

mod common;

use common::{location, spawn_app, TestApp};
use serde_json::json;

/// A page as the browser gets it, with an optional session, language cookie and
/// `Accept-Language`.
async fn page(
    app: &TestApp,
    path: &str,
    session: Option<&str>,
    lang_cookie: Option<&str>,
    accept: Option<&str>,
) -> (u16, String) {
    let mut cookies = Vec::new();
    if let Some(s) = session {
        cookies.push(format!("onboard_session={s}"));
    }
    if let Some(l) = lang_cookie {
        cookies.push(format!("onboard_lang={l}"));
    }
    let mut req = app.client.get(app.url(path));
    if !cookies.is_empty() {
        req = req.header("cookie", cookies.join("; "));
    }
    if let Some(a) = accept {
        req = req.header("accept-language", a);
    }
    let r = req.send().await.unwrap();
    // Caches must not hand one person's language (or session) to another.
    let vary = r
        .headers()
        .get("vary")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        vary.contains("accept-language") && vary.contains("cookie"),
        "{path}: Vary is {vary:?}"
    );
    // Text from the message catalogue may be followed by a hydration marker (`<!>`).
    let status = r.status().as_u16();
    (status, r.text().await.unwrap().replace("<!>", ""))
}

#[tokio::test]
async fn the_language_is_the_cookie_else_accept_language_else_english() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/login", None, None, None).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="en""#), "{html}");
    assert!(html.contains("Skip to main content"));
    assert!(html.contains("Log in to onboard"));

    let (_, html) = page(&app, "/login", None, None, Some("id-ID,id;q=0.9,en;q=0.8")).await;
    assert!(html.contains(r#"<html lang="id""#));
    assert!(html.contains("Lewati ke konten utama"));
    assert!(html.contains("Masuk ke onboard"));
    assert!(!html.contains("Log in to onboard"));

    // The switcher's choice beats the browser's preference, both ways.
    let (_, html) = page(&app, "/login", None, Some("en"), Some("id")).await;
    assert!(html.contains(r#"<html lang="en""#));
    let (_, html) = page(&app, "/join", None, Some("id"), Some("en-GB")).await;
    assert!(html.contains(r#"<html lang="id""#));
    assert!(html.contains("Bergabung dengan organisasi Anda"));
    assert!(html.contains("Kode undangan"));

    // A language onboard does not speak falls back to English; so does a bad cookie.
    let (_, html) = page(&app, "/login", None, Some("xx"), Some("fr-FR,de;q=0.5")).await;
    assert!(html.contains(r#"<html lang="en""#));
    // The 404 page too.
    let (status, html) = page(&app, "/nowhere", None, Some("id"), None).await;
    assert_eq!(status, 404);
    assert!(html.contains("Halaman tidak ditemukan"));
}

#[tokio::test]
async fn the_dashboard_in_indonesian_has_translated_headers_statuses_and_dates() {
    let app = spawn_app().await;
    let maya = app.login("maya").await;
    let inv = app
        .create(&maya, json!({ "email": "ana@example.com" }))
        .await;
    let code = inv["code"].as_str().unwrap().to_string();
    let (status, html) = page(&app, "/invitations", Some(&maya), Some("id"), None).await;
    assert_eq!(status, 200);
    for text in [
        "Lewati ke konten utama",
        "Buat Undangan",
        "Saring Status",
        ">Kode<",
        ">Peran<",
        ">Berlaku hingga<",
        ">Dipakai oleh<",
        ">Tindakan<",
        ">Aktif<",
        ">Staf<",
        "Halaman 1 dari 1 · 1 undangan",
        "Salin",
    ] {
        assert!(
            html.contains(text),
            "missing {text:?} in the Indonesian dashboard"
        );
    }
    assert!(html.contains(&code));
    // Dates use Indonesian month names on the server (the browser then shows local time).
    let month = inv["expires_at"].as_str().unwrap()[5..7]
        .parse::<usize>()
        .unwrap();
    let id_months = [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ];
    assert!(html.contains(&format!(" {} ", id_months[month - 1])));
    for english in [
        "Create Invitation",
        ">Used By<",
        "Filter Status",
        ">Active<",
    ] {
        assert!(!html.contains(english), "{english:?} left in English");
    }

    // The same page in English, from the same session.
    let (_, html) = page(&app, "/invitations", Some(&maya), Some("en"), None).await;
    for text in [
        "Create Invitation",
        ">Used By<",
        ">Active<",
        "Page 1 of 1 · 1 invitation",
    ] {
        assert!(html.contains(text), "missing {text:?} in English");
    }
}

#[tokio::test]
async fn the_switcher_remembers_the_choice_and_returns_to_the_page() {
    let app = spawn_app().await;
    let r = app
        .form_post(
            "/lang",
            None,
            &[("lang", "id"), ("next", "/join?code=ABCD-EFGH")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/join?code=ABCD-EFGH");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("onboard_lang="))
        .expect("language cookie")
        .to_string();
    assert!(cookie.starts_with("onboard_lang=id;"), "{cookie}");
    for part in ["Path=/", "SameSite=Lax", "Max-Age=31536000"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }

    // Only same-site paths are followed.
    for next in ["//evil.example/", "https://evil.example/", "\\\\evil", ""] {
        let r = app
            .form_post("/lang", None, &[("lang", "en"), ("next", next)])
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/", "next={next:?}");
    }

    // A language onboard does not have is refused, and nothing is remembered.
    let r = app
        .form_post("/lang", None, &[("lang", "fr"), ("next", "/login")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.headers().get("set-cookie").is_none());
    assert!(r.text().await.unwrap().contains("Unknown language"));

    // Another site cannot switch someone's language.
    let r = app
        .client
        .post(app.url("/lang"))
        .header("origin", "https://evil.example")
        .form(&[("lang", "id"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn errors_are_shown_in_the_page_language_and_the_api_keeps_its_codes() {
    let app = spawn_app().await;
    let r = app
        .form_post(
            "/login",
            None,
            &[("username", "maya"), ("password", "wrong password!")],
        )
        .await;
    let back = location(&r);
    assert!(
        back.starts_with("/login?error=invalid_credentials"),
        "{back}"
    );
    let (_, html) = page(&app, &back, None, None, Some("id")).await;
    assert!(
        html.contains("Nama pengguna atau kata sandi salah."),
        "{html}"
    );
    let (_, html) = page(&app, &back, None, None, None).await;
    assert!(html.contains("Invalid username or password."));

    // The API answers the same code whatever the language.
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .header("accept-language", "id")
        .json(&json!({ "username": "maya", "password": "wrong password!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_credentials");

    // An expired or unknown code on /join is explained in Indonesian.
    let (_, html) = page(
        &app,
        "/join?code=ZZZZ-ZZZZ-ZZZZ-ZZZZ",
        None,
        Some("id"),
        None,
    )
    .await;
    assert!(
        html.contains("Kode undangan ini tidak ditemukan."),
        "{html}"
    );
}
