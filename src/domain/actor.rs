//! The signed-in person behind a request, as the server knows them.

use super::policy::Scopes;
use super::{ActorRef, Role, User};
use chrono::{DateTime, Utc};

/// The authenticated user behind a request (by session cookie or API token).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub email: Option<String>,
    pub role: Role,
    pub division_id: Option<i64>,
    pub division: Option<String>,
    pub division_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The session's token hash, when authenticated by a session cookie (not an API token).
    pub session: Option<String>,
    /// When authenticated by an API token: its scopes (`None` for a session, or for a token
    /// from before scopes, which keeps all of its holder's rights).
    pub scopes: Option<Scopes>,
}

impl Actor {
    /// What the policy table needs to know of this person.
    pub fn policy(&self) -> ActorRef {
        ActorRef {
            role: self.role,
            division: self.division_id,
            scopes: self.scopes,
        }
    }

    pub fn user(&self) -> User {
        User {
            username: self.username.clone(),
            email: self.email.clone(),
            role: self.role,
            division: self.division.clone(),
            created_at: self.created_at,
        }
    }
}
