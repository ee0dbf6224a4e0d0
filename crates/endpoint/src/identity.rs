//! Who signs a request: the caller (any key the endpoint did not issue, as
//! before), or temporary credentials that STS AssumeRole or Identity
//! Center's GetRoleCredentials issued, which sign as their account until
//! they expire on the endpoint's clock. Also the Identity Center access
//! tokens the portal accepts.

use super::seeds::mix;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary credentials the endpoint issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub secret: String,
    pub session_token: String,
    pub account: String,
    pub role: String,
    pub session: String,
    pub expires_ms: i64,
}

impl Issued {
    /// The assumed-role ARN STS names this session by.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:sts::{}:assumed-role/{}/{}",
            self.account, self.role, self.session
        )
    }

    /// The role's unique id, as `AssumedRoleId` and `UserId` start.
    pub fn role_id(&self) -> String {
        format!(
            "AROA{}",
            alnum(mix(crate::seeds::fnv(self.account.as_bytes()), 7), 16)
        )
    }
}

/// An Identity Center access token: until when, and what it reaches
/// (`None`: every ACTIVE account of the organisation, with every role).
#[derive(Debug, Clone)]
pub struct SsoToken {
    pub expires_ms: i64,
    pub accounts: Option<Vec<String>>,
    pub roles: Option<Vec<String>>,
}

/// The keys issued so far and the tokens registered.
#[derive(Debug, Default)]
pub struct Identities {
    issued: Mutex<HashMap<String, Issued>>,
    tokens: Mutex<HashMap<String, SsoToken>>,
    next: AtomicU64,
}

/// `n` characters of `[A-Z0-9]` drawn from `x`.
fn alnum(mut x: u64, n: usize) -> String {
    const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..n)
        .map(|i| {
            if i % 12 == 11 {
                x = mix(x, i as u64);
            }
            let c = SET[(x & 31) as usize] as char;
            x >>= 5;
            c
        })
        .collect()
}

impl Identities {
    /// New credentials for `account`'s `role`: drawn from the seed and a
    /// counter, so a run replays.
    pub fn issue(
        &self,
        seed: u64,
        account: &str,
        role: &str,
        session: &str,
        expires_ms: i64,
    ) -> (String, Issued) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let x = mix(seed ^ 0x5e55_1011, n);
        let akid = format!("ASIA{}", alnum(x, 16));
        let secret = format!("{}{}", alnum(mix(x, 1), 20), alnum(mix(x, 2), 20));
        let session_token = format!(
            "IQoJb3JpZ2luX2VjE{}{}",
            alnum(mix(x, 3), 24),
            alnum(mix(x, 4), 24)
        );
        let issued = Issued {
            secret,
            session_token,
            account: account.to_string(),
            role: role.to_string(),
            session: session.to_string(),
            expires_ms,
        };
        let mut map = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(akid.clone(), issued.clone());
        (akid, issued)
    }

    /// The credentials issued with this access key id, if any.
    pub fn issued(&self, akid: &str) -> Option<Issued> {
        let map = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        map.get(akid).cloned()
    }

    pub fn register_token(&self, token: &str, t: SsoToken) {
        let mut map = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(token.to_string(), t);
    }

    pub fn token(&self, token: &str) -> Option<SsoToken> {
        let map = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        map.get(token).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_look_like_sts_ones_and_are_remembered() {
        let ids = Identities::default();
        let (a, issued) = ids.issue(42, "111122223333", "Reader", "s", 10);
        let (b, _) = ids.issue(42, "111122223333", "Reader", "s", 10);
        assert_ne!(a, b);
        assert!(a.starts_with("ASIA") && a.len() == 20, "{a}");
        assert_eq!(issued.secret.len(), 40);
        assert_eq!(ids.issued(&a).unwrap().account, "111122223333");
        assert!(ids.issued("AKIDTEST").is_none());
        assert_eq!(
            issued.arn(),
            "arn:aws:sts::111122223333:assumed-role/Reader/s"
        );
    }
}
