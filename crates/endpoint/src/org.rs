//! The organisation `--org-size N` plays: the caller's account manages N
//! member accounts, each with a stable id, a name, a status and a data set
//! of its own.
//!
//! Everything is drawn from the seed, so one `--seed` gives the same
//! organisation every run, and a member's data set from its own id, so a
//! member reads the same whatever the organisation's size. Members copy
//! from a few other accounts of the organisation (their peers), so some of
//! their copies' `sourceAccountId` is another member, as when a team shares
//! a model with its prod account.

use super::account::rng;
use super::options::EmulatorOptions;
use super::seeds::{fnv, mix};
use rand::Rng;
use rand::seq::SliceRandom;
use std::collections::HashSet;

/// The halves member names are made of: `ml-prod`, `team-search-dev`…
const GROUPS: &[&str] = &[
    "ml",
    "team-search",
    "team-fraud",
    "team-support",
    "data-platform",
    "team-claims",
    "team-recsys",
    "analytics",
    "team-voice",
    "team-payments",
    "shared-models",
    "team-docs",
    "security",
    "team-legal",
    "research",
    "team-risk",
];
const STAGES: &[&str] = &["prod", "staging", "dev", "sandbox"];

/// Role names Identity Center offers when `--org-roles` names none.
pub const DEFAULT_SSO_ROLES: &[&str] = &["AdministratorAccess", "ReadOnlyAccess"];

/// The management account's name in ListAccounts.
pub const MANAGEMENT_NAME: &str = "org-management";

/// Peers each member copies from (others of the organisation).
const PEERS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Suspended,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "ACTIVE",
            Status::Suspended => "SUSPENDED",
        }
    }
}

/// One member account.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub status: Status,
    /// The seed of its data set, drawn from its id.
    pub seed: u64,
    /// The accounts whose models its data set copies.
    pub peers: Vec<String>,
    /// When it joined, in seconds before the endpoint's start.
    pub joined_ago_s: i64,
}

impl Member {
    pub fn email(&self) -> String {
        format!("aws+{}@example.com", self.name)
    }
}

/// The organisation: its management account (the caller's) and members.
#[derive(Debug, Clone)]
pub struct Org {
    pub management: String,
    pub id: String,
    pub members: Vec<Member>,
}

impl Org {
    /// The organisation of `options`, or `None` without `--org-size`.
    pub fn new(options: &EmulatorOptions, management: &str) -> Option<Org> {
        let n = options.org_size;
        if n == 0 {
            return None;
        }
        let mut r = rng(mix(options.seed, 0x0a11_0c0a));
        let mut taken: HashSet<String> = HashSet::from([management.to_string()]);
        let ids: Vec<String> = (0..n)
            .map(|_| {
                loop {
                    let id = format!(
                        "{:012}",
                        r.random_range(100_000_000_000u64..1_000_000_000_000)
                    );
                    if taken.insert(id.clone()) {
                        break id;
                    }
                }
            })
            .collect();
        let mut names: Vec<String> = GROUPS
            .iter()
            .flat_map(|g| STAGES.iter().map(move |s| format!("{g}-{s}")))
            .collect();
        names.shuffle(&mut r);
        let every = options.org_suspended_every;
        let members = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let round = i / names.len();
                let base = &names[i % names.len()];
                let name = if round == 0 {
                    base.clone()
                } else {
                    format!("{base}-{}", round + 1)
                };
                let seed = mix(options.seed, fnv(id.as_bytes()));
                let mut others: Vec<String> = std::iter::once(management.to_string())
                    .chain(ids.iter().cloned())
                    .filter(|o| o != id)
                    .collect();
                let mut pr = rng(mix(seed, 0x9ee4));
                others.shuffle(&mut pr);
                let peers = others.into_iter().take(PEERS).collect();
                Member {
                    id: id.clone(),
                    name,
                    status: if every > 0 && (i + 1) % every == 0 {
                        Status::Suspended
                    } else {
                        Status::Active
                    },
                    seed,
                    peers,
                    joined_ago_s: r.random_range(30 * 86_400..5 * 365 * 86_400),
                }
            })
            .collect();
        let org_id = format!("o-{:012x}", mix(options.seed, 0x0a9) >> 16);
        Some(Org {
            management: management.to_string(),
            id: org_id,
            members,
        })
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// Whether `account` belongs to the organisation (management included).
    pub fn contains(&self, account: &str) -> bool {
        account == self.management || self.member(account).is_some()
    }

    /// The account's name: the management account is `management`.
    pub fn name_of(&self, account: &str) -> Option<&str> {
        if account == self.management {
            return Some(MANAGEMENT_NAME);
        }
        self.member(account).map(|m| m.name.as_str())
    }

    pub fn status_of(&self, account: &str) -> Option<Status> {
        if account == self.management {
            return Some(Status::Active);
        }
        self.member(account).map(|m| m.status)
    }

    pub fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:organizations::{}:account/{}/{account}",
            self.management, self.id
        )
    }
}

/// Why `role` cannot be taken in `account` (by AssumeRole or Identity
/// Center), or `None` when it can. `own` is the caller's account: without
/// an organisation it is the only one there is.
pub fn refusal(
    org: Option<&Org>,
    options: &EmulatorOptions,
    own: &str,
    account: &str,
    role: &str,
) -> Option<String> {
    let Some(org) = org else {
        return (account != own).then(|| format!("account {account} is not one this endpoint has"));
    };
    match org.status_of(account) {
        None => return Some(format!("account {account} is not in the organisation")),
        Some(Status::Suspended) => return Some(format!("account {account} is SUSPENDED")),
        Some(Status::Active) => {}
    }
    if options.org_deny_role.iter().any(|a| a == account) {
        return Some(format!(
            "account {account} has no role {role} the caller may assume"
        ));
    }
    if !options.org_roles.is_empty() && !options.org_roles.iter().any(|r| r == role) {
        return Some(format!("the organisation has no role {role}"));
    }
    None
}

/// An opaque pagination token for the `offset`th item (Organizations and
/// Identity Center list from an offset).
pub fn page_token(offset: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("copyjobs-page:{offset}"))
}

/// The offset a [`page_token`] holds, or `None` for a token it did not make.
pub fn page_offset(token: &str) -> Option<usize> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    std::str::from_utf8(&raw)
        .ok()?
        .strip_prefix("copyjobs-page:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(n: usize) -> Org {
        let options = EmulatorOptions {
            org_size: n,
            ..EmulatorOptions::default()
        };
        Org::new(&options, "111122223333").unwrap()
    }

    #[test]
    fn members_are_stable_unique_and_every_tenth_is_suspended() {
        let (a, b) = (org(50), org(50));
        assert_eq!(a.members.len(), 50);
        let ids: HashSet<&str> = a.members.iter().map(|m| m.id.as_str()).collect();
        let names: HashSet<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!((ids.len(), names.len()), (50, 50));
        assert!(!ids.contains("111122223333"));
        for (x, y) in a.members.iter().zip(&b.members) {
            assert_eq!((&x.id, &x.name, x.seed), (&y.id, &y.name, y.seed));
            assert!(x.id.len() == 12 && x.id.bytes().all(|c| c.is_ascii_digit()));
            assert!(!x.peers.is_empty() && !x.peers.contains(&x.id));
        }
        let suspended: Vec<usize> = (0..50)
            .filter(|i| a.members[*i].status == Status::Suspended)
            .collect();
        assert_eq!(suspended, vec![9, 19, 29, 39, 49]);
        // More members than names: still unique.
        let big = org(100);
        let names: HashSet<&str> = big.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names.len(), 100);
        // One member copies from the management account alone.
        assert_eq!(org(1).members[0].peers, vec!["111122223333".to_string()]);
    }

    #[test]
    fn page_tokens_round_trip_and_others_are_refused() {
        assert_eq!(page_offset(&page_token(40)), Some(40));
        assert_eq!(page_offset("bm9wZQ=="), None);
        assert_eq!(page_offset("%%%"), None);
    }
}
