//! A replication policy: rules that pick models (by name, base model,
//! owner's account, region of origin) and say the regions each must be in,
//! with what a copy made for it is named, encrypted with and tagged with.
//! [`super::plan`] compares it with the replication matrix.
//!
//! Read from TOML by `config::policy` (which tells a mistake at its line);
//! here the rules as values and how they pick. No I/O.

use super::copy::{default_name, name_after};
use super::job::Tag;
use super::matrix::Model;
use std::collections::BTreeMap;

/// A shell-style pattern: `*` any run of characters, `?` one, `[a-z]` /
/// `[!0-9]` one of (or none of) a set; everything else itself. Simple
/// enough to read at a glance in a policy, and whole-text: `amazon.nova-*`
/// does not match `xamazon.nova-lite-v1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Char(char),
    One,
    Any,
    Set {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Glob {
    /// A pattern, or why it is not one (an unclosed `[`, an empty set, an
    /// empty pattern).
    pub fn parse(text: &str) -> Result<Glob, String> {
        if text.is_empty() {
            return Err(
                "an empty pattern matches nothing: leave the key out to match every model".into(),
            );
        }
        let mut parts = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            parts.push(match c {
                '*' => {
                    // `**` is `*`: one is enough to match any run.
                    while chars.peek() == Some(&'*') {
                        chars.next();
                    }
                    Part::Any
                }
                '?' => Part::One,
                '[' => {
                    let negated = chars.next_if(|c| *c == '!' || *c == '^').is_some();
                    let mut ranges = Vec::new();
                    let mut closed = false;
                    // A `]` first is itself, as in shells.
                    let mut first = true;
                    while let Some(c) = chars.next() {
                        if c == ']' && !first {
                            closed = true;
                            break;
                        }
                        first = false;
                        if chars.peek() == Some(&'-') {
                            let mut ahead = chars.clone();
                            ahead.next();
                            if let Some(&end) = ahead.peek().filter(|e| **e != ']') {
                                chars.next();
                                chars.next();
                                if end < c {
                                    return Err(format!(
                                        "`{text}`: the range {c}-{end} is backwards: write {end}-{c}"
                                    ));
                                }
                                ranges.push((c, end));
                                continue;
                            }
                        }
                        ranges.push((c, c));
                    }
                    if !closed {
                        return Err(format!(
                            "`{text}`: a `[` opens a set of characters that no `]` closes"
                        ));
                    }
                    Part::Set { negated, ranges }
                }
                c => Part::Char(c),
            });
        }
        Ok(Glob {
            text: text.to_string(),
            parts,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the whole of `s` matches: the classic two-pointer match,
    /// going back to the last `*` on a mismatch (linear in practice, never
    /// exponential).
    pub fn matches(&self, s: &str) -> bool {
        let text: Vec<char> = s.chars().collect();
        let (mut p, mut t) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            let one = |part: &Part| match part {
                Part::Char(c) => *c == text[t],
                Part::One => true,
                Part::Set { negated, ranges } => {
                    ranges.iter().any(|(a, b)| (*a..=*b).contains(&text[t])) != *negated
                }
                Part::Any => false,
            };
            match self.parts.get(p) {
                Some(Part::Any) => {
                    star = Some((p, t));
                    p += 1;
                }
                Some(part) if one(part) => {
                    p += 1;
                    t += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        p = sp + 1;
                        t = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        self.parts[p..].iter().all(|part| *part == Part::Any)
    }

    /// No `*`, `?` or set: the pattern names one text.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Char(_)))
    }
}

/// What a copy made for a rule is named: `{name}` (the source model's
/// name, made valid for a model name), `{region}` (where the copy goes),
/// `{source_region}`, `{base_model}` (dots as `-`), `{account}`, and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Text(usize, usize),
    Name,
    Region,
    SourceRegion,
    BaseModel,
    Account,
}

/// The placeholders a template takes.
pub const PLACEHOLDERS: &[&str] = &["name", "region", "source_region", "base_model", "account"];

impl Template {
    /// A template, or why not: an unknown placeholder, an unclosed `{`, or
    /// text a model name cannot hold (only letters, digits, `-` and `_`).
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut at = 0;
        while !rest.is_empty() {
            if let Some(inner) = rest.strip_prefix('{') {
                let Some(end) = inner.find('}') else {
                    return Err(format!("`{text}`: a `{{` that no `}}` closes"));
                };
                let piece = match &inner[..end] {
                    "name" => Piece::Name,
                    "region" => Piece::Region,
                    "source_region" => Piece::SourceRegion,
                    "base_model" => Piece::BaseModel,
                    "account" => Piece::Account,
                    other => {
                        let known = PLACEHOLDERS
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Err(format!(
                            "`{text}`: {{{other}}} is not a placeholder (these are: {known})"
                        ));
                    }
                };
                pieces.push(piece);
                at += end + 2;
                rest = &inner[end + 1..];
                continue;
            }
            let end = rest.find('{').unwrap_or(rest.len());
            let literal = &rest[..end];
            if let Some(bad) = literal
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
            {
                return Err(format!(
                    "`{text}`: a model name holds only letters, digits, `-` and `_`, not {bad:?}"
                ));
            }
            pieces.push(Piece::Text(at, at + end));
            at += end;
            rest = &rest[end..];
        }
        Ok(Template {
            text: text.to_string(),
            pieces,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The name for a copy of `model` into `region`, cut to the service's
    /// 63 characters.
    pub fn render(&self, model: &Model, region: &str) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(a, b) => out.push_str(&self.text[*a..*b]),
                Piece::Name => out.push_str(&valid_name(model)),
                Piece::Region => out.push_str(region),
                Piece::SourceRegion => out.push_str(model.source_region()),
                Piece::BaseModel => {
                    out.push_str(&model.base_model().unwrap_or("imported").replace('.', "-"));
                }
                Piece::Account => out.push_str(&model.source_account_id),
            }
        }
        out.chars().take(63).collect()
    }
}

/// The source model's name, valid as a model name (`name_after` without
/// its `-copy`), or its id when it has none.
fn valid_name(model: &Model) -> String {
    model
        .source_model_name
        .as_deref()
        .and_then(name_after)
        .or_else(|| Some(default_name(&model.source_model_arn)))
        .map(|n| n.trim_end_matches("-copy").to_string())
        .unwrap_or_default()
}

/// One rule: what it picks, where those must be, and how copies are made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    /// Matched against the model's name (its id when it has none).
    pub name: Option<Glob>,
    /// Matched against the base model its ARN names (`amazon.nova-lite-v1`).
    pub base_model: Option<Glob>,
    /// Matched against the owner's 12-digit account.
    pub source_account: Option<Glob>,
    /// The region the model lives in.
    pub source_region: Option<String>,
    /// Where the models must be, in the order written.
    pub regions: Vec<String>,
    /// The copy's name; None: as `copy` names it (`NAME-copy`).
    pub copy_name: Option<Template>,
    /// A KMS key per region; a region without one gets the service's.
    pub kms_keys: BTreeMap<String, String>,
    pub tags: Vec<Tag>,
    /// Where it is written (`PATH:LINE`), for messages.
    pub at: String,
}

impl Rule {
    /// Whether the rule picks `model`. A foundation model is none of the
    /// account's models (it is in every region its provider serves), so no
    /// rule picks one.
    pub fn picks(&self, model: &Model) -> bool {
        let arn = &model.source_model_arn;
        if arn.contains(":foundation-model/") {
            return false;
        }
        self.source_region
            .as_deref()
            .is_none_or(|r| model.source_region() == r)
            && self
                .source_account
                .as_ref()
                .is_none_or(|g| g.matches(&model.source_account_id))
            && self
                .base_model
                .as_ref()
                .is_none_or(|g| model.base_model().is_some_and(|b| g.matches(b)))
            && self
                .name
                .as_ref()
                .is_none_or(|g| g.matches(&model.display_name()))
    }

    /// The name of a copy of `model` into `region`: the rule's template, or
    /// as `copy` names a copy given no `--name`.
    pub fn copy_name(&self, model: &Model, region: &str) -> String {
        match &self.copy_name {
            Some(t) => t.render(model, region),
            None => model
                .source_model_name
                .as_deref()
                .and_then(name_after)
                .unwrap_or_else(|| default_name(&model.source_model_arn)),
        }
    }
}

/// The rules, in the order written: where two name the same model and
/// region, the first one's name, key and tags are used.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    pub rules: Vec<Rule>,
}

impl Policy {
    /// Every region some rule names, each once, in the order written.
    pub fn regions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self.rules.iter().flat_map(|r| &r.regions) {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        out
    }

    /// Whether some rule picks `model` and names `region`: a cell the
    /// policy wants filled.
    pub fn wants(&self, model: &Model, region: &str) -> bool {
        self.rules
            .iter()
            .any(|r| r.regions.iter().any(|x| x == region) && r.picks(model))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_texts() {
        let cases: &[(&str, &str, bool)] = &[
            ("amazon.nova-*", "amazon.nova-lite-v1", true),
            ("amazon.nova-*", "amazon.nova-", true),
            ("amazon.nova-*", "xamazon.nova-lite-v1", false),
            ("amazon.nova-*", "amazon.titan-text-lite-v1", false),
            ("*-v1", "amazon.nova-pro-v1", true),
            ("*-v1", "amazon.nova-pro-v10", false),
            ("fraud-?", "fraud-7", true),
            ("fraud-?", "fraud-77", false),
            ("*sft*lite*", "fraud-sft-nova-lite-v3", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
            ("[a-c]x", "bx", true),
            ("[!a-c]x", "bx", false),
            ("[!a-c]x", "dx", true),
            ("[]]", "]", true),
            ("1111*", "111122223333", true),
            ("exact", "exact", true),
            ("exact", "exactly", false),
        ];
        for (pattern, text, want) in cases {
            let g = Glob::parse(pattern).unwrap();
            assert_eq!(g.matches(text), *want, "{pattern} ~ {text}");
        }
        assert!(Glob::parse("exact").unwrap().is_literal());
        assert!(!Glob::parse("ex*").unwrap().is_literal());
    }

    #[test]
    fn bad_globs_say_why() {
        assert!(Glob::parse("").unwrap_err().contains("empty pattern"));
        assert!(
            Glob::parse("amazon.[nova")
                .unwrap_err()
                .contains("no `]` closes")
        );
        assert!(Glob::parse("[z-a]").unwrap_err().contains("backwards"));
    }

    /// A job copying a Nova Lite model of us-west-2 into us-east-1.
    pub(crate) fn job(source_name: &str) -> crate::domain::job::CopyJob {
        crate::domain::job::CopyJob {
            job_arn: "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefabcdef".into(),
            status: crate::domain::job::Status::Completed,
            created: chrono::DateTime::UNIX_EPOCH,
            target_model_arn: "arn:aws:bedrock:us-east-1:111122223333:custom-model/x/y".into(),
            target_model_name: None,
            source_account_id: "111122223333".into(),
            source_model_arn:
                "arn:aws:bedrock:us-west-2:111122223333:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12"
                    .into(),
            source_model_name: Some(source_name.into()),
            kms_key_arn: None,
            tags: Vec::new(),
            failure_message: None,
        }
    }

    #[test]
    fn templates_take_known_placeholders_and_valid_text() {
        let t = Template::parse("{name}-{region}").unwrap();
        let matrix = crate::domain::matrix::Matrix::build(
            &["us-east-1".to_string()],
            &[job("Fraud SFT (v3)")],
            crate::domain::copy_regions::CopyRegions::shipped(),
        );
        let m = matrix.row(0).unwrap();
        assert_eq!(t.render(m, "eu-central-1"), "Fraud-SFT-v3-eu-central-1");
        let t = Template::parse("{base_model}_{account}").unwrap();
        assert_eq!(
            t.render(m, "eu-central-1"),
            "amazon-nova-lite-v1_111122223333"
        );
        assert!(
            Template::parse("{nme}-x")
                .unwrap_err()
                .contains("{nme} is not a placeholder")
        );
        assert!(
            Template::parse("{name")
                .unwrap_err()
                .contains("no `}` closes")
        );
        assert!(Template::parse("a b").unwrap_err().contains("not ' '"));
    }
}
