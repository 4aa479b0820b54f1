//! Division quotas: at most `max_active_codes` Active codes at once. A create counts inside its
//! own transaction (with the division rows locked on PostgreSQL), so concurrent creates cannot
//! overshoot; a bulk dry run counts the same way without the lock.

use crate::db::{divisions, invitations as rows, Conn};
use crate::domain::DomainError;
use crate::services::{Core, Outcome};
use std::collections::HashMap;

/// For each division with a quota: (Active codes now, quota).
pub type Usage = HashMap<i64, (i64, i64)>;

/// The usage of the divisions in `ids` that have a quota.
pub async fn usage(core: &Core, c: &mut Conn, ids: &[i64], lock: bool) -> Outcome<Usage> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Usage::new();
    for (id, max) in divisions::quotas(&mut *c, core.db.backend, &ids, lock).await? {
        let used = rows::count_active_in(&mut *c, id, core.now()).await?;
        out.insert(id, (used, max));
    }
    Ok(out)
}

/// Which of these new codes (by their division, in order) would pass a quota: the index of each
/// and the refusal, naming what is in use and the quota.
pub fn over_quota(divisions: &[Option<i64>], usage: &Usage) -> Vec<(usize, DomainError)> {
    let mut taken: HashMap<i64, i64> = HashMap::new();
    let mut out = Vec::new();
    for (i, d) in divisions.iter().enumerate() {
        let Some(d) = d else { continue };
        let Some(&(used, max)) = usage.get(d) else {
            continue;
        };
        let n = taken.entry(*d).or_insert(0);
        if used + *n >= max {
            out.push((i, DomainError::QuotaExceeded(used + *n, max)));
        } else {
            *n += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_fills_what_is_left_and_the_rest_is_refused() {
        let usage: Usage = [(1, (3, 5)), (2, (0, 0))].into_iter().collect();
        let rows = [Some(1), None, Some(3), Some(1), Some(1), Some(2)];
        assert_eq!(
            over_quota(&rows, &usage),
            vec![
                (4, DomainError::QuotaExceeded(5, 5)),
                (5, DomainError::QuotaExceeded(0, 0)),
            ]
        );
        // A division already past its quota (lowered after the codes were made) takes nothing.
        let usage: Usage = [(1, (9, 5))].into_iter().collect();
        assert_eq!(
            over_quota(&[Some(1)], &usage),
            vec![(0, DomainError::QuotaExceeded(9, 5))]
        );
        assert!(over_quota(&[Some(1), Some(1)], &Usage::new()).is_empty());
    }
}
