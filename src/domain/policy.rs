//! The one place that answers "may this actor do this to that?" (DESIGN.md, policy table).
//!
//! Services call [`authorize`] before touching data; the UI may call it to hide a control, but the
//! server is the only gate. A manager asking about another division's invitation gets `NotFound`,
//! never `Forbidden`, so the answer is no existence oracle.

use super::error::DomainError;
use super::role::Role;

/// Who is acting: their role, (for managers and staff) their division id, and, when acting by
/// a scoped API token, what the token may do (`None`: a session, with all of the role's rights).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActorRef {
    pub role: Role,
    pub division: Option<i64>,
    pub scopes: Option<Scopes>,
}

/// What an API token may be used for; on top of, never instead of, its holder's current role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// List and read invitations, read the audit trail.
    InvitationsRead,
    /// Create, copy, change, revoke and delete invitations, bulk onboarding, resending email.
    InvitationsWrite,
    /// Divisions, people, settings, tokens, the outbox.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [
        Scope::InvitationsRead,
        Scope::InvitationsWrite,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::InvitationsRead => "invitations:read",
            Scope::InvitationsWrite => "invitations:write",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    fn bit(self) -> u8 {
        match self {
            Scope::InvitationsRead => 1,
            Scope::InvitationsWrite => 2,
            Scope::Admin => 4,
        }
    }
}

/// A set of scopes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scopes(u8);

impl Scopes {
    pub fn of(list: &[Scope]) -> Scopes {
        Scopes(list.iter().fold(0, |acc, s| acc | s.bit()))
    }

    pub fn contains(self, s: Scope) -> bool {
        self.0 & s.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scopes in their canonical order.
    pub fn list(self) -> Vec<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|s| self.contains(*s))
            .collect()
    }

    /// As stored: space-separated names.
    pub fn to_text(self) -> String {
        self.list()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads a stored list; unknown names (from a newer version) grant nothing.
    pub fn from_text(text: &str) -> Scopes {
        Scopes::of(
            &text
                .split_whitespace()
                .filter_map(Scope::parse)
                .collect::<Vec<_>>(),
        )
    }
}

/// Whether the actor's token (if any) covers `action`, whatever its target. Callers that look a
/// record up before [`authorize`] ask this first, so that a token outside its scopes cannot
/// tell an existing record from a missing one.
pub fn check_scope(actor: ActorRef, action: Action) -> Result<(), Refusal> {
    match (actor.scopes, required_scope(action)) {
        (Some(scopes), Some(needed)) if !scopes.contains(needed) => Err(Refusal::InsufficientScope),
        _ => Ok(()),
    }
}

/// The scope a token needs for an action (`None`: any token may, e.g. reading its own profile).
pub fn required_scope(action: Action) -> Option<Scope> {
    use Action::*;
    match action {
        ListInvitations | ViewInvitation | ReadAudit => Some(Scope::InvitationsRead),
        CreateInvitation(_) | CopyCode | ResendEmail(_) | UpdateInvitation | RevokeInvitation
        | DeleteInvitation | BulkCreate => Some(Scope::InvitationsWrite),
        ViewOutbox | ManageDivisions | ManageUsers | ManageTokens | ManageSettings
        | ManageWebhooks => Some(Scope::Admin),
        ViewProfile | Redeem => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ListInvitations,
    ViewInvitation,
    /// Create an invitation carrying this role.
    CreateInvitation(Role),
    CopyCode,
    /// Send an invitation's email again; `true` when the actor created the invitation.
    ResendEmail(bool),
    /// Read every queued and sent email (`/admin/outbox`).
    ViewOutbox,
    UpdateInvitation,
    RevokeInvitation,
    DeleteInvitation,
    BulkCreate,
    ReadAudit,
    ManageDivisions,
    ManageUsers,
    ManageTokens,
    /// Organisation-wide settings (expiry ceilings).
    ManageSettings,
    /// Webhook endpoints and their deliveries.
    ManageWebhooks,
    ViewProfile,
    Redeem,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::ListInvitations,
        Action::ViewInvitation,
        Action::CreateInvitation(Role::Staff),
        Action::CreateInvitation(Role::Manager),
        Action::CreateInvitation(Role::Admin),
        Action::CopyCode,
        Action::ResendEmail(true),
        Action::ResendEmail(false),
        Action::ViewOutbox,
        Action::UpdateInvitation,
        Action::RevokeInvitation,
        Action::DeleteInvitation,
        Action::BulkCreate,
        Action::ReadAudit,
        Action::ManageDivisions,
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ManageSettings,
        Action::ManageWebhooks,
        Action::ViewProfile,
        Action::Redeem,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Unauthenticated,
    Forbidden,
    RoleNotAllowed,
    NotFound,
    /// The API token's scopes do not cover the action (whatever its target).
    InsufficientScope,
}

impl From<Refusal> for DomainError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Unauthenticated => DomainError::Unauthenticated,
            Refusal::Forbidden => DomainError::Forbidden,
            Refusal::RoleNotAllowed => DomainError::RoleNotAllowed,
            Refusal::NotFound => DomainError::NotFound,
            Refusal::InsufficientScope => DomainError::InsufficientScope,
        }
    }
}

/// A division id no one manages: the target of an action on a division that does not exist, so
/// the answer for it is the answer for a division that is not the actor's.
pub const NO_DIVISION: i64 = i64::MIN;

/// `target` is the division the action touches: the invitation's division, the division a new
/// invitation goes into, or the division a list is filtered to (`None` = all divisions).
pub fn authorize(
    actor: Option<ActorRef>,
    action: Action,
    target: Option<i64>,
) -> Result<(), Refusal> {
    use Action::*;
    if action == Redeem {
        // Public: redemption needs a valid code, not a session.
        return Ok(());
    }
    let Some(actor) = actor else {
        return Err(Refusal::Unauthenticated);
    };
    // A token's scopes come first: the same answer for every target, so no oracle.
    check_scope(actor, action)?;
    if action == ViewProfile {
        return Ok(());
    }
    match actor.role {
        Role::Admin => Ok(()),
        Role::Staff => Err(Refusal::Forbidden),
        Role::Manager => {
            let own = actor.division.is_some() && target == actor.division;
            match action {
                ListInvitations | ViewInvitation | CopyCode | ReadAudit => {
                    if own {
                        Ok(())
                    } else {
                        Err(Refusal::NotFound)
                    }
                }
                CreateInvitation(role) => {
                    if role != Role::Staff {
                        Err(Refusal::RoleNotAllowed)
                    } else if own {
                        Ok(())
                    } else {
                        Err(Refusal::Forbidden)
                    }
                }
                // A manager may resend the email of an invitation they created themselves.
                ResendEmail(true) if own => Ok(()),
                ResendEmail(_) | UpdateInvitation | RevokeInvitation | DeleteInvitation => {
                    if own {
                        Err(Refusal::Forbidden)
                    } else {
                        Err(Refusal::NotFound)
                    }
                }
                // A manager holds tokens of their own (limited to their own rights).
                ManageTokens => Ok(()),
                BulkCreate | ManageDivisions | ManageUsers | ManageSettings | ManageWebhooks
                | ViewOutbox => Err(Refusal::Forbidden),
                ViewProfile | Redeem => Ok(()),
            }
        }
    }
}

/// Convenience for the UI: may this actor do it at all (in their own division)?
pub fn may(actor: Option<ActorRef>, action: Action) -> bool {
    let target = actor.and_then(|a| a.division);
    authorize(actor, action, target).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use Refusal::*;

    const OWN: i64 = 1;
    const OTHER: i64 = 2;

    fn admin() -> Option<ActorRef> {
        Some(ActorRef {
            role: Role::Admin,
            division: None,
            scopes: None,
        })
    }
    fn manager() -> Option<ActorRef> {
        Some(ActorRef {
            role: Role::Manager,
            division: Some(OWN),
            scopes: None,
        })
    }
    fn staff() -> Option<ActorRef> {
        Some(ActorRef {
            role: Role::Staff,
            division: Some(OWN),
            scopes: None,
        })
    }

    /// Expected answer for a manager, for the own and the other division.
    fn manager_row(action: Action) -> (Result<(), Refusal>, Result<(), Refusal>) {
        match action {
            ListInvitations | ViewInvitation | CopyCode | ReadAudit => (Ok(()), Err(NotFound)),
            CreateInvitation(Role::Staff) => (Ok(()), Err(Forbidden)),
            CreateInvitation(_) => (Err(RoleNotAllowed), Err(RoleNotAllowed)),
            ResendEmail(true) => (Ok(()), Err(NotFound)),
            ResendEmail(false) | UpdateInvitation | RevokeInvitation | DeleteInvitation => {
                (Err(Forbidden), Err(NotFound))
            }
            BulkCreate | ManageDivisions | ManageUsers | ManageSettings | ManageWebhooks
            | ViewOutbox => (Err(Forbidden), Err(Forbidden)),
            ManageTokens | ViewProfile | Redeem => (Ok(()), Ok(())),
        }
    }

    #[test]
    fn the_full_policy_table() {
        for action in Action::ALL {
            for target in [Some(OWN), Some(OTHER), None] {
                // Admin: everything, everywhere.
                assert_eq!(
                    authorize(admin(), action, target),
                    Ok(()),
                    "admin {action:?} {target:?}"
                );

                // Staff: only their profile (and redemption, which is public).
                let staff_expect = if matches!(action, ViewProfile | Redeem) {
                    Ok(())
                } else {
                    Err(Forbidden)
                };
                assert_eq!(
                    authorize(staff(), action, target),
                    staff_expect,
                    "staff {action:?} {target:?}"
                );

                // Anonymous: only redemption.
                let anon_expect = if action == Redeem {
                    Ok(())
                } else {
                    Err(Unauthenticated)
                };
                assert_eq!(
                    authorize(None, action, target),
                    anon_expect,
                    "anon {action:?} {target:?}"
                );

                // Manager: own division only; "all divisions" counts as another division.
                let (own, other) = manager_row(action);
                let expect = if target == Some(OWN) { own } else { other };
                assert_eq!(
                    authorize(manager(), action, target),
                    expect,
                    "manager {action:?} {target:?}"
                );
            }
        }
    }

    /// A token's scopes narrow its holder's rights and never widen them: for every action,
    /// every set of scopes and both roles that can hold one.
    #[test]
    fn the_scope_table() {
        let sets: Vec<Scopes> = (0u8..8)
            .map(|bits| {
                Scopes::of(
                    &Scope::ALL
                        .into_iter()
                        .filter(|s| bits & s.bit() != 0)
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        for action in Action::ALL {
            for scopes in &sets {
                let covered = required_scope(action).is_none_or(|s| scopes.contains(s));
                for target in [Some(OWN), Some(OTHER), None] {
                    let with = |a: Option<ActorRef>| {
                        a.map(|a| ActorRef {
                            scopes: Some(*scopes),
                            ..a
                        })
                    };
                    let expect = if covered {
                        Ok(())
                    } else {
                        Err(InsufficientScope)
                    };
                    assert_eq!(
                        authorize(with(admin()), action, target),
                        expect,
                        "admin token {scopes:?} {action:?} {target:?}"
                    );
                    let (own, other) = manager_row(action);
                    let role = if target == Some(OWN) { own } else { other };
                    let expect = if covered {
                        role
                    } else {
                        Err(InsufficientScope)
                    };
                    assert_eq!(
                        authorize(with(manager()), action, target),
                        expect,
                        "manager token {scopes:?} {action:?} {target:?}"
                    );
                }
            }
        }
        assert_eq!(
            required_scope(ListInvitations),
            Some(Scope::InvitationsRead)
        );
        assert_eq!(
            required_scope(CreateInvitation(Role::Staff)),
            Some(Scope::InvitationsWrite)
        );
        assert_eq!(required_scope(ManageUsers), Some(Scope::Admin));
    }

    #[test]
    fn scopes_read_back_what_was_stored() {
        let s = Scopes::of(&[Scope::Admin, Scope::InvitationsRead]);
        assert_eq!(s.to_text(), "invitations:read admin");
        assert_eq!(Scopes::from_text(&s.to_text()), s);
        assert_eq!(
            Scopes::from_text("invitations:write future:scope"),
            Scopes::of(&[Scope::InvitationsWrite])
        );
        assert!(Scopes::from_text("").is_empty());
        assert_eq!(
            Scope::parse("invitations:read"),
            Some(Scope::InvitationsRead)
        );
        assert_eq!(Scope::parse("Admin"), None);
    }

    #[test]
    fn a_manager_without_a_division_has_no_own_division() {
        let lost = Some(ActorRef {
            role: Role::Manager,
            division: None,
            scopes: None,
        });
        assert_eq!(authorize(lost, ListInvitations, None), Err(NotFound));
        assert_eq!(
            authorize(lost, CreateInvitation(Role::Staff), None),
            Err(Forbidden)
        );
    }

    #[test]
    fn may_answers_for_the_actors_own_division() {
        assert!(may(manager(), CopyCode));
        assert!(!may(manager(), RevokeInvitation));
        assert!(may(admin(), RevokeInvitation));
        assert!(!may(staff(), ListInvitations));
    }
}
