//! Sign-in with the organisation's OpenID Connect provider (optional: `ONBOARD_OIDC_ISSUER`,
//! `ONBOARD_OIDC_CLIENT_ID`, `ONBOARD_OIDC_CLIENT_SECRET`, `ONBOARD_OIDC_NAME`).
//!
//! Authorization code flow with PKCE. The state, the nonce and the PKCE verifier are kept in
//! one `oidc_flows` row, taken once by the callback, and the browser that started the flow
//! carries the state in a cookie, so a callback link cannot be replayed or planted in another
//! browser. The ID token is verified by `openidconnect` (issuer, audience, signature from the
//! provider's JWKS, expiry, nonce). An identity signs in to the account it is linked to, or to
//! the account whose email the provider has verified (and is then linked to it); it never
//! creates an account by itself. On `/join` a new hire redeems a code with it instead of a
//! password, and a code bound to an email needs that verified address.

use super::redeem::{self, RedeemRequest};
use super::{ClientMeta, Core, Outcome};
use crate::audit::{append, append_alone, NewEvent};
use crate::auth::{create_session, random_token};
use crate::db::oidc::{self as rows, Flow};
use crate::db::users;
use crate::domain::{DomainError, Email, Role, User, Username};
use chrono::Duration;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde_json::json;
use tokio::sync::RwLock;

/// How long a person has at the provider before the flow is forgotten.
const FLOW_TTL: Duration = Duration::minutes(10);
/// How long discovered provider metadata (endpoints, signing keys) is reused.
const METADATA_TTL: std::time::Duration = std::time::Duration::from_secs(3600);

/// The configured provider and what discovery found.
pub struct Provider {
    pub name: String,
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    http: reqwest::Client,
    metadata: RwLock<Option<(std::time::Instant, CoreProviderMetadata)>>,
}

impl Provider {
    /// The provider of the configuration, if all three settings are there.
    pub fn from_config(config: &crate::config::Config) -> anyhow::Result<Option<Provider>> {
        let (Some(issuer), Some(id), Some(secret)) = (
            config.oidc_issuer.as_deref(),
            config.oidc_client_id.as_deref(),
            config.oidc_client_secret.as_deref(),
        ) else {
            return Ok(None);
        };
        let mut callback = config.public_url.clone();
        callback.set_path("/auth/oidc/callback");
        callback.set_query(None);
        let http = reqwest::Client::builder()
            // Following redirects would open the client to request forgery.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        Ok(Some(Provider {
            name: config.oidc_name.clone(),
            issuer: IssuerUrl::new(issuer.to_string())
                .map_err(|e| anyhow::anyhow!("ONBOARD_OIDC_ISSUER: {e}"))?,
            client_id: ClientId::new(id.to_string()),
            client_secret: ClientSecret::new(secret.to_string()),
            redirect: RedirectUrl::new(callback.to_string())?,
            http,
            metadata: RwLock::new(None),
        }))
    }

    /// The issuer's origin (`https://id.example.com`), where the browser is sent to sign in.
    pub fn origin(&self) -> String {
        self.issuer.url().origin().ascii_serialization()
    }

    /// The provider's metadata, discovered at first use and again after [`METADATA_TTL`] (or
    /// when `fresh`, e.g. after a token signed with a key the cached set lacks).
    async fn metadata(&self, fresh: bool) -> Outcome<CoreProviderMetadata> {
        if !fresh {
            if let Some((at, m)) = &*self.metadata.read().await {
                if at.elapsed() < METADATA_TTL {
                    return Ok(m.clone());
                }
            }
        }
        let m = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "OpenID Connect discovery failed");
                DomainError::OidcFailed
            })?;
        *self.metadata.write().await = Some((std::time::Instant::now(), m.clone()));
        Ok(m)
    }

    async fn client(
        &self,
        fresh: bool,
    ) -> Outcome<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
    > {
        Ok(CoreClient::from_provider_metadata(
            self.metadata(fresh).await?,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone()))
    }
}

fn provider(core: &Core) -> Outcome<&Provider> {
    core.oidc.as_ref().ok_or(DomainError::NotFound)
}

/// Where a sign-in goes back to once the provider has answered.
pub enum Purpose {
    Login {
        next: Option<String>,
    },
    Join {
        code: String,
        username: String,
    },
    /// A signed-in person connects their account to their identity at the provider.
    Link {
        user_id: i64,
    },
}

/// The provider's authorization URL for a new flow, and the state the browser keeps in a
/// cookie until the callback.
pub struct Started {
    pub url: String,
    pub state: String,
}

pub async fn start(core: &Core, purpose: Purpose, meta: &ClientMeta) -> Outcome<Started> {
    let p = provider(core)?;
    limit(core, meta)?;
    if let Purpose::Join { code, username } = &purpose {
        // What can be checked before the person leaves for the provider is checked now.
        Username::parse(username)?;
        let preview = redeem::preview(core, code, meta).await?;
        if !preview.check.valid {
            let problem = preview.problem.as_deref().unwrap_or("code_not_found");
            return Err(DomainError::from_code(
                problem,
                "This invitation code cannot be used.",
            ));
        }
        if users::exists(&mut *core.db.conn().await?, username).await? {
            return Err(DomainError::UsernameTaken);
        }
    }
    let client = p.client(false).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let (purpose_name, next, join_code, join_username, link_user_id) = match purpose {
        Purpose::Login { next } => ("login", next, None, None, None),
        Purpose::Join { code, username } => ("join", None, Some(code), Some(username), None),
        Purpose::Link { user_id } => ("link", None, None, None, Some(user_id)),
    };
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    rows::purge_flows(tx.conn(), now).await?;
    rows::insert_flow(
        tx.conn(),
        &Flow {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            purpose: purpose_name.into(),
            next,
            join_code,
            join_username,
            link_user_id,
        },
        now,
        now + FLOW_TTL,
    )
    .await?;
    tx.commit().await?;
    Ok(Started {
        url: url.to_string(),
        state: state.secret().clone(),
    })
}

/// Who the provider says signed in.
struct Identity {
    subject: String,
    email: Option<String>,
    email_verified: bool,
}

/// Exchanges the code (with the PKCE verifier) and verifies the ID token. Every failure is
/// logged here and answered with the same refusal.
async fn identity(p: &Provider, flow: &Flow, code: &str) -> Outcome<Identity> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        tracing::warn!(error = %e, "OpenID Connect sign-in refused: {what}");
        DomainError::OidcFailed
    };
    let client = p.client(false).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| fail("no token endpoint", &e))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
        .request_async(&p.http)
        .await
        .map_err(|e| fail("code exchange", &e))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| fail("no ID token", &"the token response has none"))?;
    let nonce = Nonce::new(flow.nonce.clone());
    let verifier = client.id_token_verifier();
    let first = id_token.claims(&verifier, &nonce).cloned();
    let claims = match first {
        Ok(c) => c,
        Err(first) => {
            // Perhaps the provider rotated its keys: look again once.
            let fresh = p.client(true).await?;
            let verifier = fresh.id_token_verifier();
            let again = id_token.claims(&verifier, &nonce).cloned();
            match again {
                Ok(c) => c,
                Err(_) => return Err(fail("ID token", &first)),
            }
        }
    };
    // An address is compared as onboard stores addresses (`Email::parse`: trimmed, lower
    // case); one that is not plain ASCII is not matched at all, so no case folding of another
    // alphabet can make two addresses one.
    let email = claims
        .email()
        .map(|e| e.as_str())
        .filter(|e| e.is_ascii())
        .and_then(|e| Email::parse(e).ok())
        .map(|e| e.into_inner());
    Ok(Identity {
        subject: claims.subject().as_str().to_string(),
        email_verified: email.is_some() && claims.email_verified().unwrap_or(false),
        email,
    })
}

/// Where the callback leaves the person.
pub enum Finished {
    /// Signed in: the session token, and the page to go to.
    LoggedIn {
        user: User,
        token: String,
        next: Option<String>,
    },
    /// A new account from a redeemed code, signed in.
    Joined { user: User, token: String },
    /// The signed-in account is now linked to the identity.
    Linked,
}

/// A refusal at the callback, with the flow's purpose (to send the person back to the right
/// page) when the flow was found.
pub struct Refused {
    pub error: DomainError,
    pub join_code: Option<String>,
    /// The flow was a signed-in person connecting their account (back to the profile).
    pub linking: bool,
}

impl From<DomainError> for Refused {
    fn from(error: DomainError) -> Self {
        Refused {
            error,
            join_code: None,
            linking: false,
        }
    }
}

/// The provider's answer at `/auth/oidc/callback`: `state` from the query and from the
/// browser's cookie, and the `code` (or the provider's `error`).
pub async fn finish(
    core: &Core,
    state: &str,
    cookie_state: Option<&str>,
    code: Option<&str>,
    meta: &ClientMeta,
) -> Result<Finished, Refused> {
    let p = provider(core)?;
    limit(core, meta)?;
    // A callback in a browser that did not start this sign-in (no state cookie, or another
    // one) is refused before anything is written: a planted link costs nothing and spends
    // nothing.
    if cookie_state.is_none_or(|c| c.is_empty() || c != state) {
        tracing::info!(addr = ?meta.addr, "OpenID Connect callback without its state cookie");
        return Err(DomainError::OidcFailed.into());
    }
    let now = core.now();
    let flow = {
        let mut tx = core.db.begin_write().await.map_err(DomainError::from)?;
        let flow = rows::take_flow(tx.conn(), state, now)
            .await
            .map_err(DomainError::from)?;
        tx.commit().await.map_err(DomainError::from)?;
        flow
    };
    let Some(flow) = flow else {
        failed(core, meta, "oidc_state", None).await;
        return Err(DomainError::OidcFailed.into());
    };
    let join_code = flow.join_code.clone();
    let linking = flow.purpose == "link";
    let refuse = |error: DomainError| Refused {
        error,
        join_code: join_code.clone(),
        linking,
    };
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        failed(core, meta, "oidc_cancelled", None).await;
        return Err(refuse(DomainError::OidcFailed));
    };
    let id = match identity(p, &flow, code).await {
        Ok(id) => id,
        Err(e) => {
            failed(core, meta, "oidc_token", None).await;
            return Err(refuse(e));
        }
    };
    let verified_email = id.email.as_deref().filter(|_| id.email_verified);
    match flow.purpose.as_str() {
        "join" => {
            let (Some(code), Some(username)) = (flow.join_code.clone(), flow.join_username.clone())
            else {
                return Err(refuse(DomainError::OidcFailed));
            };
            let Some(email) = verified_email else {
                failed(core, meta, "oidc_email_unverified", Some(&id.subject)).await;
                return Err(refuse(DomainError::OidcEmailUnverified));
            };
            let done = redeem::redeem(
                core,
                &RedeemRequest {
                    code,
                    username,
                    password: String::new(),
                    email: Some(email.to_string()),
                    oidc_subject: Some(id.subject.clone()),
                },
                meta,
            )
            .await
            .map_err(refuse)?;
            Ok(Finished::Joined {
                user: done.user,
                token: done.token,
            })
        }
        "link" => {
            let user_id = flow
                .link_user_id
                .ok_or_else(|| refuse(DomainError::OidcFailed))?;
            link_account(core, user_id, &id, meta).await.map_err(refuse)
        }
        _ => login(core, &id, verified_email, flow.next, meta)
            .await
            .map_err(Refused::from),
    }
}

/// Connects a signed-in account (the one that started the flow) to the identity, unless
/// another account holds it. Audited as `user.oidc_linked`.
async fn link_account(
    core: &Core,
    user_id: i64,
    id: &Identity,
    meta: &ClientMeta,
) -> Outcome<Finished> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let account = users::by_id(tx.conn(), user_id)
        .await?
        .ok_or(DomainError::OidcFailed)?;
    if account.disabled {
        return Err(DomainError::AccountDisabled);
    }
    if !rows::relink(tx.conn(), user_id, &id.subject).await? {
        return Err(DomainError::OidcIdentityTaken);
    }
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("user.oidc_linked")
            .actor(account.user.username.clone())
            .division(account.user.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "username": account.user.username })),
    )
    .await?;
    tx.commit().await?;
    Ok(Finished::Linked)
}

async fn login(
    core: &Core,
    id: &Identity,
    verified_email: Option<&str>,
    next: Option<String>,
    meta: &ClientMeta,
) -> Outcome<Finished> {
    let now = core.now();
    let mut tx = core.db.begin_write().await?;
    let Some((user_id, disabled)) =
        rows::account_for(tx.conn(), &id.subject, verified_email).await?
    else {
        drop(tx);
        return Err(if id.email.is_some() && verified_email.is_none() {
            failed(core, meta, "oidc_email_unverified", Some(&id.subject)).await;
            DomainError::OidcEmailUnverified
        } else {
            failed(core, meta, "oidc_no_account", Some(&id.subject)).await;
            DomainError::OidcNoAccount
        });
    };
    if disabled {
        drop(tx);
        failed(core, meta, "disabled", Some(&id.subject)).await;
        return Err(DomainError::AccountDisabled);
    }
    if !rows::link(tx.conn(), user_id, &id.subject).await? {
        drop(tx);
        failed(core, meta, "oidc_link_race", Some(&id.subject)).await;
        return Err(DomainError::OidcNoAccount);
    }
    let account = users::by_id(tx.conn(), user_id)
        .await?
        .ok_or(DomainError::Internal)?
        .user;
    let token = create_session(tx.conn(), user_id, now, core.session_policy()).await?;
    append(
        &core.db,
        tx.conn(),
        now,
        NewEvent::new("login.succeeded")
            .actor(account.username.clone())
            .division(account.division.clone())
            .addr(meta.addr.clone())
            .details(json!({ "method": "oidc" })),
    )
    .await?;
    tx.commit().await?;
    Ok(Finished::LoggedIn {
        user: account,
        token,
        next,
    })
}

/// Sign-ins started and answered per address and minute, on this instance (each one writes
/// a flow row or reads one, and may call the provider).
pub const PER_MINUTE: u32 = 30;

fn limit(core: &Core, meta: &ClientMeta) -> Outcome<()> {
    core.oidc_limiter
        .check(meta.addr.as_deref().unwrap_or("-"))
        .map_err(DomainError::RateLimited)
}

/// A refused sign-in, in the audit trail (best effort: the refusal stands either way).
async fn failed(core: &Core, meta: &ClientMeta, reason: &str, subject: Option<&str>) {
    let ev = NewEvent::new("login.failed")
        .addr(meta.addr.clone())
        .details(json!({ "method": "oidc", "reason": reason, "subject": subject }));
    if let Err(e) = append_alone(&core.db, core.now(), ev).await {
        tracing::warn!(error = %e, "could not record a refused sign-in");
    }
}

/// Whether the signed-in account is linked to an identity at the provider.
pub async fn is_linked(core: &Core, actor: &crate::auth::Actor) -> Outcome<bool> {
    Ok(rows::is_linked(&mut *core.db.conn().await?, actor.user_id).await?)
}

/// Whether this role must sign in through the provider (the admin's setting, and only while
/// a provider is configured, so that removing it never locks everyone out).
pub fn required_for(core: &Core, required: bool, role: Role) -> bool {
    required && core.oidc.is_some() && role != Role::Staff
}

/// An unusable password for an account that signs in through the provider only.
pub fn no_password() -> String {
    random_token()
}
