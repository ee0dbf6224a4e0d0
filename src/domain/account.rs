//! An AWS account as the organisation's views name it: its id, and its
//! name where Organizations or Identity Center said one.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
}

impl Account {
    pub fn of_id(id: impl Into<String>) -> Account {
        Account {
            id: id.into(),
            name: None,
        }
    }

    /// `ml-prod · 111122223333`; the id alone when no name is known.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.is_empty() => format!("{n} · {}", self.id),
            _ => self.id.clone(),
        }
    }

    /// Whether `text` (as typed in a filter) names this account: a part of
    /// its name, without regard to case, or of its id.
    pub fn matches(&self, text: &str) -> bool {
        let t = text.trim().to_lowercase();
        self.id.contains(&t)
            || self
                .name
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(&t))
    }
}

/// An account id as AWS writes them: twelve digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The role's ARN, in the partition of the region it is asked from (the
/// AWS CLI command copyjobs prints assumes the same role it does).
pub fn role_arn(region: Option<&str>, account: &str, role: &str) -> String {
    let partition = match region {
        Some(r) if r.starts_with("cn-") => "aws-cn",
        Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
        _ => "aws",
    };
    format!("arn:{partition}:iam::{account}:role/{role}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_reads_as_its_name_and_id_or_its_id_alone() {
        let named = Account {
            id: "111122223333".into(),
            name: Some("ml-prod".into()),
        };
        assert_eq!(named.label(), "ml-prod · 111122223333");
        assert_eq!(Account::of_id("111122223333").label(), "111122223333");
        assert!(named.matches("ML-P") && named.matches("2223") && !named.matches("dev"));
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("012345678901"));
        assert!(!is_account_id("12345678901") && !is_account_id("12345678901a"));
    }
}
