//! Whose credentials a source reads with: a profile's (the AWS CLI's
//! chain), or a role in another account reached from them, by STS or
//! through an Identity Center session.

/// One set of credentials; every region of one identity shares them (and
/// their cache: see `aws::connector`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Identity {
    /// A profile's credentials (None: the default chain).
    Profile(Option<String>),
    /// `arn:aws:iam::ACCOUNT:role/ROLE`, assumed with `base`'s credentials.
    Role {
        base: Option<String>,
        account: String,
        role: String,
    },
    /// `ROLE` in `ACCOUNT`, through the SSO session of `profile`.
    Sso {
        profile: Option<String>,
        account: String,
        role: String,
    },
}

impl Identity {
    /// The profile whose configuration (and credentials, for a role) this
    /// starts from.
    pub fn profile(&self) -> Option<&str> {
        match self {
            Identity::Profile(p) => p.as_deref(),
            Identity::Role { base, .. } => base.as_deref(),
            Identity::Sso { profile, .. } => profile.as_deref(),
        }
    }

    /// The account a role is assumed in; None for a profile's own.
    pub fn account(&self) -> Option<&str> {
        match self {
            Identity::Profile(_) => None,
            Identity::Role { account, .. } | Identity::Sso { account, .. } => Some(account),
        }
    }
}
