//! Pure domain core: roles, codes, statuses, parsers, the policy table and list queries.
//!
//! Compiles for both the server and the browser. Nothing in here performs I/O, reads the clock or
//! touches the database: callers pass `now` in, so every rule is a function of its inputs.

pub mod actor;
pub mod asset;
pub mod code;
pub mod email;
pub mod error;
pub mod expiry;
pub mod lang;
pub mod list_query;
/// Server-only: localised dates need chrono's locale tables, which the browser never loads.
#[cfg(feature = "ssr")]
pub mod mail;
pub mod password;
pub mod policy;
pub mod query_string;
pub mod role;
pub mod settings;
pub mod status;
pub mod text;
pub mod types;
pub mod username;
pub mod webhook;
pub mod wire_time;

pub use actor::Actor;
pub use code::InvitationCode;
pub use email::Email;
pub use error::{DomainError, Field};
pub use expiry::Expiry;
pub use lang::Lang;
pub use list_query::{ListQuery, StatusFilter};
pub use policy::{authorize, Action, ActorRef, Refusal};
pub use role::Role;
pub use status::{Status, SuspendedReason};
pub use types::*;
pub use username::Username;
