//! The one place that answers "may this actor do this to that?" (DESIGN.md, policy table).
//!
//! Services call [`authorize`] before touching data; the UI may call it to hide a control, but the
//! server is the only gate. A manager asking about another division's invitation gets `NotFound`,
//! never `Forbidden`, so the answer is no existence oracle.

use super::error::DomainError;
use super::role::Role;

/// Who is acting: their role and (for managers and staff) their division id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActorRef {
    pub role: Role,
    pub division: Option<i64>,
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
    ViewProfile,
    Redeem,
}

impl Action {
    pub const ALL: [Action; 20] = [
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
}

impl From<Refusal> for DomainError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Unauthenticated => DomainError::Unauthenticated,
            Refusal::Forbidden => DomainError::Forbidden,
            Refusal::RoleNotAllowed => DomainError::RoleNotAllowed,
            Refusal::NotFound => DomainError::NotFound,
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
                BulkCreate | ManageDivisions | ManageUsers | ManageTokens | ManageSettings
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
        })
    }
    fn manager() -> Option<ActorRef> {
        Some(ActorRef {
            role: Role::Manager,
            division: Some(OWN),
        })
    }
    fn staff() -> Option<ActorRef> {
        Some(ActorRef {
            role: Role::Staff,
            division: Some(OWN),
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
            BulkCreate | ManageDivisions | ManageUsers | ManageTokens | ManageSettings
            | ViewOutbox => (Err(Forbidden), Err(Forbidden)),
            ViewProfile | Redeem => (Ok(()), Ok(())),
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

    #[test]
    fn a_manager_without_a_division_has_no_own_division() {
        let lost = Some(ActorRef {
            role: Role::Manager,
            division: None,
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
