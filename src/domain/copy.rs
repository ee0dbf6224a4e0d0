//! A CreateModelCopyJob request: what copies a model into a region, checked
//! against the service's constraints before anything is sent, with the
//! idempotency token derived from its inputs, so the same command run twice
//! (or retried after a network error) creates nothing new.

use super::constraints::{self, matches};
use super::job::{CopyJob, Tag};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRequest {
    /// Where the copy is made: the request is sent to this region.
    pub region: String,
    pub source_model_arn: String,
    pub target_model_name: String,
    pub kms_key_id: Option<String>,
    pub tags: Vec<Tag>,
    /// Mixed into the token: a retry of a job names the job, so retrying it
    /// twice makes one new job, while a fresh copy with the same inputs as
    /// an old one is its own.
    pub salt: String,
}

impl CopyRequest {
    /// A failed job's request again, in its region: the same source, name,
    /// KMS key and tags, the job in the token so retrying it twice makes
    /// one new job.
    pub fn retry_of(job: &CopyJob) -> CopyRequest {
        CopyRequest {
            region: job.region().to_string(),
            source_model_arn: job.source_model_arn.to_string(),
            // A failed copy made no model: its name is free to use again.
            target_model_name: job.target_model_name.clone().unwrap_or_else(|| {
                job.source_model_name
                    .as_deref()
                    .and_then(name_after)
                    .unwrap_or_else(|| default_name(&job.source_model_arn))
            }),
            kms_key_id: job.kms_key_arn.clone(),
            tags: job.tags.clone(),
            salt: job.job_arn.clone(),
        }
    }
}

/// The most tags a model can have: the service documents 50 tags a
/// resource (TooManyTagsException past that), though a request's tag list
/// may hold 200.
pub const MAX_TAGS: usize = 50;

impl CopyRequest {
    /// Everything the service would refuse as a ValidationException, said
    /// before a request goes out (one message per problem).
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut out = Vec::new();
        if !matches(constraints::MODEL_ARN, &self.source_model_arn) {
            out.push(format!(
                "'{}' is not a model ARN (arn:aws:bedrock:REGION:ACCOUNT:custom-model/…)",
                self.source_model_arn
            ));
        }
        if !(1..=63).contains(&self.target_model_name.len())
            || !matches(constraints::CUSTOM_MODEL_NAME, &self.target_model_name)
        {
            out.push(format!(
                "'{}' is not a model name: up to 63 letters, digits, '-' or '_', no two '-'/'_' in a row",
                self.target_model_name
            ));
        }
        if let Some(k) = &self.kms_key_id
            && !matches(constraints::KMS_KEY_ID, k)
        {
            out.push(format!(
                "'{k}' is not a KMS key (a key ARN, key id or alias/NAME)"
            ));
        }
        if self.tags.len() > MAX_TAGS {
            out.push(format!(
                "{} tags: a model can have at most {MAX_TAGS}",
                self.tags.len()
            ));
        }
        for t in &self.tags {
            if t.key.is_empty() || t.key.len() > 128 || !matches(constraints::TAG_TEXT, &t.key) {
                out.push(format!("'{}' is not a tag key", t.key));
            }
            if t.value.len() > 256 || !matches(constraints::TAG_TEXT, &t.value) {
                out.push(format!("'{}' is not a tag value", t.value));
            }
        }
        if out.is_empty() { Ok(()) } else { Err(out) }
    }

    /// `copyjobs-` and 32 hex digits of a hash of everything sent: stable
    /// across runs and machines (FNV-1a, not std's hasher).
    pub fn token(&self) -> String {
        let mut text = format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            self.region,
            self.source_model_arn,
            self.target_model_name,
            self.kms_key_id.as_deref().unwrap_or(""),
            self.salt
        );
        for t in &self.tags {
            text.push('\u{1f}');
            text.push_str(&t.key);
            text.push('=');
            text.push_str(&t.value);
        }
        let fnv = |seed: u64| {
            text.bytes().fold(seed, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        format!(
            "copyjobs-{:016x}{:016x}",
            fnv(0xcbf2_9ce4_8422_2325),
            fnv(0x8422_2325_cbf2_9ce4)
        )
    }
}

/// A copy's name after its source model's name, `NAME-copy`, made valid for
/// the target-name pattern (`([0-9a-zA-Z][_-]?){1,63}`: other characters
/// become `-`, no two separators in a row, none first) and cut to fit its 63
/// characters; None when nothing of the name is left.
pub fn name_after(model_name: &str) -> Option<String> {
    const SUFFIX: &str = "-copy";
    let mut out = String::new();
    for c in model_name.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        let separator = c == '-' || c == '_';
        if separator && (out.is_empty() || out.ends_with(['-', '_'])) {
            continue;
        }
        out.push(c);
    }
    out.truncate(63 - SUFFIX.len());
    let name = out.trim_end_matches(['-', '_']);
    (!name.is_empty()).then(|| format!("{name}{SUFFIX}"))
}

/// A name from a model ARN alone, for a copy given none and whose source's
/// name is not known: a foundation model's id (`amazon.nova-lite-v1:0` →
/// `amazon-nova-lite-v1-0-copy`), else the ARN's last part, a custom
/// model's id, which is always a valid name.
pub fn default_name(source_model_arn: &str) -> String {
    if let Some(id) = source_model_arn.split(":foundation-model/").nth(1)
        && let Some(name) = name_after(id)
    {
        return name;
    }
    let last = source_model_arn
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("model");
    let name: String = last
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{}-copy", name.trim_matches('-'))
        .chars()
        .take(63)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> CopyRequest {
        CopyRequest {
            region: "eu-central-1".into(),
            source_model_arn:
                "arn:aws:bedrock:us-west-2:111122223333:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12"
                    .into(),
            target_model_name: "fraud-sft".into(),
            kms_key_id: None,
            tags: vec![Tag {
                key: "team".into(),
                value: "fraud".into(),
            }],
            salt: String::new(),
        }
    }

    #[test]
    fn the_token_follows_the_inputs_and_is_a_valid_one() {
        let a = req();
        assert_eq!(a.token(), req().token(), "the same command, the same token");
        let other_region = CopyRequest {
            region: "us-east-1".into(),
            ..req()
        };
        assert_ne!(a.token(), other_region.token());
        let retried = CopyRequest {
            salt: "arn:…/job".into(),
            ..req()
        };
        assert_ne!(a.token(), retried.token());
        assert!(matches(constraints::IDEMPOTENCY_TOKEN, &a.token()));
    }

    #[test]
    fn bad_input_is_refused_before_sending() {
        assert_eq!(req().check(), Ok(()));
        let bad = CopyRequest {
            target_model_name: "bad--name".into(),
            kms_key_id: Some("not a key".into()),
            tags: vec![
                Tag {
                    key: "".into(),
                    value: "x".into()
                };
                201
            ],
            ..req()
        };
        let e = bad.check().unwrap_err();
        assert!(e[0].contains("'bad--name' is not a model name"), "{e:?}");
        assert!(e[1].contains("is not a KMS key"), "{e:?}");
        assert!(e[2].contains("201 tags"), "{e:?}");
        // The service's 50 tags a resource: the 51st is refused here.
        let tags = |n: usize| CopyRequest {
            tags: (0..n)
                .map(|i| Tag {
                    key: format!("k{i}").into(),
                    value: "v".into(),
                })
                .collect(),
            ..req()
        };
        assert_eq!(tags(50).check(), Ok(()));
        let e = tags(51).check().unwrap_err();
        assert!(
            e[0].contains("51 tags: a model can have at most 50"),
            "{e:?}"
        );
    }

    #[test]
    fn the_cli_command_and_default_names() {
        let cmd = crate::output::export::create_command(&req(), Default::default());
        assert!(cmd.starts_with("aws bedrock create-model-copy-job --region eu-central-1 --source-model-arn arn:aws:bedrock:us-west-2:"), "{cmd}");
        assert!(
            cmd.contains("--target-model-tags key=team,value=fraud"),
            "{cmd}"
        );
        assert!(cmd.ends_with(&req().token()), "{cmd}");
        assert_eq!(default_name(&req().source_model_arn), "abcdefghij12-copy");
        assert_eq!(
            default_name("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"),
            "amazon-nova-lite-v1-0-copy"
        );
        assert!(matches(
            constraints::CUSTOM_MODEL_NAME,
            &default_name(&req().source_model_arn)
        ));
    }

    #[test]
    fn copies_are_named_after_their_source_model_validly() {
        let valid = |n: &str| n.len() <= 63 && matches(constraints::CUSTOM_MODEL_NAME, n);
        let cases = [
            (
                "fraud-sft-nova-lite-v3",
                Some("fraud-sft-nova-lite-v3-copy"),
            ),
            ("Fraud SFT (v3) — prod", Some("Fraud-SFT-v3-prod-copy")),
            ("--a__b..c--", Some("a_b-c-copy")),
            ("модель", None),
            ("", None),
        ];
        for (source, want) in cases {
            let got = name_after(source);
            assert_eq!(got.as_deref(), want, "{source:?}");
            assert!(got.as_deref().is_none_or(valid), "{got:?}");
        }
        let long = name_after(&"abcdefghij-".repeat(10)).unwrap();
        assert_eq!(long.len(), 63, "{long}");
        assert!(valid(&long) && long.ends_with("-abc-copy"), "{long}");
        let cut_at_a_separator = name_after(&format!("{}-rest", "a".repeat(58))).unwrap();
        assert_eq!(cut_at_a_separator, format!("{}-copy", "a".repeat(58)));
        let job = CopyJob {
            job_arn: "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefabcdef".into(),
            status: crate::domain::job::Status::Failed,
            created: chrono::DateTime::UNIX_EPOCH,
            target_model_arn: "arn:aws:bedrock:us-east-1:111122223333:custom-model/x/y".into(),
            target_model_name: None,
            source_account_id: "111122223333".into(),
            source_model_arn: req().source_model_arn.as_str().into(),
            source_model_name: Some("billing-extractor".into()),
            kms_key_arn: None,
            tags: Vec::new(),
            failure_message: None,
        };
        assert_eq!(
            CopyRequest::retry_of(&job).target_model_name,
            "billing-extractor-copy"
        );
    }
}
