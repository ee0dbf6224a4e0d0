//! The account's models, and the regions each one is copied to.
//!
//! Every region's data set copies from one sequence of models drawn from the
//! seed alone, so a model reads the same wherever it is seen, and a team's
//! model turns up in each region the team copies it to. Model `k` belongs to
//! a team, lives in its home region (where the team customizes, usually a US
//! one), in the caller's account or a peer's, and is copied to the few
//! regions the team serves from (its footprint: the same few for all its
//! models), now and then to another. Never to its own region, and never to a
//! region the user guide's table does not support for its base model
//! (`copyjobs_contract::copy_regions`), which is what the service allows.
//!
//! A region's data set walks the sequence from the start and keeps the
//! models that go to it (see [`Walk`]), so it needs nothing of any other
//! region: each is still made on its own, on first use.

use super::model::{ShortId, SourceModel};
use super::seeds::{fnv, mix};
use copyjobs_contract::copy_regions::Guide;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A base model copies are made of.
#[derive(Debug, Clone, Copy)]
pub struct Base {
    /// As a custom model's ARN writes it, with its variant.
    pub arn: &'static str,
    /// For model names.
    pub short: &'static str,
    /// The foundation model's id, or "" when it has none (imported).
    pub foundation: &'static str,
    /// How often the account's models are of this base.
    pub weight: u32,
    /// The median copy of it, in minutes: a larger model takes longer.
    pub minutes: u32,
}

const fn base(
    arn: &'static str,
    short: &'static str,
    foundation: &'static str,
    weight: u32,
    minutes: u32,
) -> Base {
    Base {
        arn,
        short,
        foundation,
        weight,
        minutes,
    }
}

pub static BASES: &[Base] = &[
    base(
        "amazon.titan-text-express-v1:0:8k",
        "titan-express",
        "amazon.titan-text-express-v1",
        10,
        14,
    ),
    base(
        "amazon.titan-text-lite-v1:0:4k",
        "titan-lite",
        "amazon.titan-text-lite-v1",
        5,
        8,
    ),
    base(
        "amazon.nova-micro-v1:0:128k",
        "nova-micro",
        "amazon.nova-micro-v1:0",
        12,
        10,
    ),
    base(
        "amazon.nova-lite-v1:0:300k",
        "nova-lite",
        "amazon.nova-lite-v1:0",
        14,
        18,
    ),
    base(
        "amazon.nova-pro-v1:0:300k",
        "nova-pro",
        "amazon.nova-pro-v1:0",
        8,
        34,
    ),
    base(
        "meta.llama3-1-8b-instruct-v1:0:128k",
        "llama31-8b",
        "meta.llama3-1-8b-instruct-v1:0",
        12,
        16,
    ),
    base(
        "meta.llama3-2-3b-instruct-v1:0:128k",
        "llama32-3b",
        "meta.llama3-2-3b-instruct-v1:0",
        6,
        9,
    ),
    base(
        "anthropic.claude-3-haiku-20240307-v1:0:200k",
        "claude-haiku",
        "anthropic.claude-3-haiku-20240307-v1:0",
        9,
        24,
    ),
    base(
        "cohere.command-light-text-v14:7:4k",
        "command-light",
        "cohere.command-light-text-v14",
        3,
        8,
    ),
    base(
        "mistral.mistral-7b-instruct-v0:2",
        "mistral-7b",
        "mistral.mistral-7b-instruct-v0:2",
        4,
        13,
    ),
    base("imported", "imported", "", 7, 20),
];

/// `0..BASES.len()`, to draw a base's index by weight.
static BASE_INDICES: [usize; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const _: () = assert!(BASE_INDICES.len() == BASES.len());

/// The base a model's `custom-model/<base>/` part names, if the data set has it.
pub fn base_of(arn_part: &str) -> Option<&'static Base> {
    BASES.iter().find(|b| b.arn == arn_part)
}

pub const TEAMS: &[&str] = &[
    "support",
    "search",
    "fraud",
    "claims",
    "legal",
    "marketing",
    "recsys",
    "billing",
    "risk",
    "docs",
    "voice",
    "onboarding",
    "compliance",
    "analytics",
    "payments",
    "hr",
];

const PURPOSES: &[&str] = &[
    "sft",
    "dpo",
    "distilled",
    "ft",
    "rlhf",
    "summarizer",
    "classifier",
    "extractor",
    "chat",
    "router",
    "qa",
    "rewriter",
];

/// Where teams customize their models, and how many teams do it there.
const HOMES: &[(&str, u32)] = &[
    ("us-east-1", 6),
    ("us-west-2", 5),
    ("eu-central-1", 1),
    ("eu-west-1", 1),
    ("ap-northeast-1", 1),
];

/// For each of [`BASES`], the [`HOMES`] the guide lets it into: asked once,
/// not for each of the account's models.
static HOMES_ALLOWED: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let guide = Guide::shipped();
    BASES
        .iter()
        .map(|b| {
            HOMES
                .iter()
                .map(|h| h.0)
                .filter(|h| guide.allows(b.arn, h))
                .collect()
        })
        .collect()
});

/// The regions teams serve from, and how popular each is.
const SERVED: &[(&str, u32)] = &[
    ("us-east-1", 20),
    ("us-west-2", 20),
    ("eu-central-1", 14),
    ("eu-west-1", 10),
    ("ap-northeast-1", 12),
    ("us-east-2", 3),
    ("eu-west-2", 3),
    ("ap-southeast-2", 3),
    ("ap-south-1", 2),
    ("ap-northeast-2", 2),
    ("ca-central-1", 1),
    ("eu-west-3", 1),
    ("ap-southeast-1", 1),
    ("eu-north-1", 1),
    ("sa-east-1", 1),
];

/// The chance that a model is copied to a region of its team's footprint,
/// and to any other region (supported, not its own).
const TO_FOOTPRINT: f64 = 0.85;
const TO_ELSEWHERE: f64 = 0.02;

/// One in this many of the account's models is a foundation model (the
/// API's ModelArn allows them as a copy's source).
const FOUNDATION_EVERY: u64 = 25;

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

pub fn pick_weighted<'a, T>(
    r: &mut ChaCha8Rng,
    items: &'a [T],
    weight: impl Fn(&T) -> u32,
) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut n = r.random_range(0..total.max(1));
    for it in items {
        let w = weight(it);
        if n < w {
            return it;
        }
        n -= w;
    }
    &items[0]
}

fn account_id(r: &mut ChaCha8Rng) -> String {
    format!(
        "{:012}",
        r.random_range(100_000_000_000u64..1_000_000_000_000)
    )
}

/// The caller's account: the same in every region, as it is for a real
/// caller, so it is known without building a region's data set.
pub fn caller_account(seed: u64) -> String {
    account_id(&mut rng(mix(seed, 2)))
}

#[derive(Debug, Clone)]
struct Team {
    home: &'static str,
    footprint: Vec<&'static str>,
}

/// The account: the caller, the peers that share models with it, and its
/// teams.
#[derive(Debug, Clone)]
pub struct Account {
    seed: u64,
    pub caller: String,
    /// The other accounts models are copied from.
    pub peers: Vec<String>,
    teams: Vec<Team>,
}

/// One of the account's models, as drawn, before any region looks at it.
#[derive(Debug, Clone, Copy)]
pub struct Drawn {
    /// Its index in [`BASES`].
    pub base: usize,
    pub home: &'static str,
    pub team: usize,
    pub purpose: usize,
    /// `None`: the caller's; else the peer's index.
    pub owner: Option<usize>,
    pub foundation: bool,
    pub id: ShortId,
    /// When it was made, as a share of the data set's history (0 oldest).
    pub born: f64,
}

impl Account {
    pub fn new(seed: u64) -> Account {
        let caller = caller_account(seed);
        let mut r = rng(mix(seed, 0x00ac_c047));
        let peers = (0..4)
            .map(|_| {
                loop {
                    let a = account_id(&mut r);
                    if a != caller {
                        break a;
                    }
                }
            })
            .collect();
        Account::with_teams(seed, caller, peers, &mut r)
    }

    /// A member account of an organisation (`--org-size`): its own id and
    /// seed, copying from the `peers` given (other accounts of the
    /// organisation) rather than drawn ones. `peers` must not be empty.
    pub fn member(seed: u64, caller: String, peers: Vec<String>) -> Account {
        let mut r = rng(mix(seed, 0x00ac_c047));
        Account::with_teams(seed, caller, peers, &mut r)
    }

    fn with_teams(seed: u64, caller: String, peers: Vec<String>, r: &mut ChaCha8Rng) -> Account {
        let teams = (0..TEAMS.len())
            .map(|_| {
                let home = pick_weighted(r, HOMES, |h| h.1).0;
                let size = r.random_range(3..=5);
                let mut footprint: Vec<&'static str> = Vec::with_capacity(size);
                while footprint.len() < size {
                    let region = pick_weighted(r, SERVED, |s| s.1).0;
                    if region != home && !footprint.contains(&region) {
                        footprint.push(region);
                    }
                }
                Team { home, footprint }
            })
            .collect();
        Account {
            seed,
            caller,
            peers,
            teams,
        }
    }

    /// Model `k`, a function of the seed and `k` alone.
    pub fn draw(&self, k: u64) -> Drawn {
        let mut r = rng(mix(self.seed ^ 0x0005_eed0_fa11, k));
        let index = pick_weighted(&mut r, &BASE_INDICES, |&i| BASES[i].weight);
        let base = &BASES[*index];
        let team = r.random_range(0..TEAMS.len());
        let purpose = r.random_range(0..PURPOSES.len());
        // Customized where its base model is supported, the team's home if
        // it can be.
        let homes = &HOMES_ALLOWED[*index];
        let mut home = self.teams[team].home;
        if !homes.contains(&home) || r.random_bool(0.1) {
            for _ in 0..8 {
                let h = pick_weighted(&mut r, HOMES, |h| h.1).0;
                if homes.contains(&h) {
                    home = h;
                    break;
                }
            }
        }
        let owner = r
            .random_bool(0.35)
            .then(|| r.random_range(0..self.peers.len()));
        let foundation =
            !base.foundation.is_empty() && k % FOUNDATION_EVERY == FOUNDATION_EVERY - 1;
        Drawn {
            base: *index,
            home,
            team,
            purpose,
            owner,
            foundation,
            id: ShortId::from_u64(r.random()),
            born: r.random(),
        }
    }

    /// Whether model `k` is copied to `region` (`allowed`: whether its base
    /// model may go there, as the guide says).
    fn goes_to(&self, k: u64, d: &Drawn, region: &str, allowed: bool) -> bool {
        if !allowed || d.home == region {
            return false;
        }
        let chance = if self.teams[d.team].footprint.contains(&region) {
            TO_FOOTPRINT
        } else {
            TO_ELSEWHERE
        };
        let roll = mix(mix(self.seed, k), fnv(region.as_bytes()));
        (roll >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - chance
    }

    /// The model as a copy job shows it.
    fn source(&self, d: &Drawn, version: u32) -> SourceModel {
        let base = &BASES[d.base];
        let account = d.owner.map_or(&self.caller, |i| &self.peers[i]).to_string();
        if d.foundation {
            return SourceModel {
                arn: format!(
                    "arn:aws:bedrock:{}::foundation-model/{}",
                    d.home, base.foundation
                ),
                name: None,
                account: self.caller.clone(),
                base: base.arn.to_string(),
            };
        }
        let name = format!(
            "{}-{}-{}-v{version}",
            TEAMS[d.team], PURPOSES[d.purpose], base.short
        );
        SourceModel {
            arn: format!(
                "arn:aws:bedrock:{}:{account}:custom-model/{}/{}",
                d.home,
                base.arn,
                d.id.as_str()
            ),
            name: Some(name),
            account,
            base: base.arn.to_string(),
        }
    }
}

/// A model one region copies: where the region's source table has it, and
/// when it was made.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub source: u32,
    pub born: f64,
}

/// A region's walk along the account's models, keeping those copied to it.
pub struct Walk<'a> {
    account: &'a Account,
    region: &'a str,
    /// Whether each of [`BASES`] may be copied to the region.
    allowed: Vec<bool>,
    next: u64,
    /// Versions given so far, by (team, purpose, base): a team's third
    /// summarizer on nova-lite is `…-nova-lite-v3`, in every region.
    versions: HashMap<(usize, usize, usize), u32>,
    /// Foundation models met already.
    foundations: HashSet<String>,
}

impl<'a> Walk<'a> {
    pub fn new(account: &'a Account, region: &'a str) -> Walk<'a> {
        let guide = Guide::shipped();
        Walk {
            account,
            region,
            allowed: BASES.iter().map(|b| guide.allows(b.arn, region)).collect(),
            next: 0,
            versions: HashMap::new(),
            foundations: HashSet::new(),
        }
    }

    /// How far along the account's models the walk is.
    pub fn depth(&self) -> u64 {
        self.next
    }

    /// The next model copied to the region, appended to `sources`.
    pub fn next_member(&mut self, sources: &mut Vec<SourceModel>) -> Member {
        loop {
            let k = self.next;
            self.next += 1;
            let d = self.account.draw(k);
            let b = d.base;
            let version = if d.foundation {
                0
            } else {
                let v = self.versions.entry((d.team, d.purpose, b)).or_insert(0);
                *v += 1;
                *v
            };
            if !self.account.goes_to(k, &d, self.region, self.allowed[b]) {
                continue;
            }
            let model = self.account.source(&d, version);
            if d.foundation && !self.foundations.insert(model.arn.clone()) {
                // One foundation model in one home is one model, met once.
                continue;
            }
            let source = u32::try_from(sources.len()).unwrap_or(u32::MAX);
            sources.push(model);
            return Member {
                source,
                born: d.born,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copyjobs_contract::{self as constraints, matches};
    use std::collections::{BTreeMap, BTreeSet};

    fn walk(seed: u64, region: &str, n: usize) -> Vec<SourceModel> {
        let account = Account::new(seed);
        let mut w = Walk::new(&account, region);
        let mut sources = Vec::new();
        for _ in 0..n {
            w.next_member(&mut sources);
        }
        sources
    }

    #[test]
    fn every_model_fits_the_service_and_goes_only_where_it_may() {
        let guide = Guide::shipped();
        for region in ["us-east-1", "eu-central-1", "ap-northeast-1", "sa-east-1"] {
            let sources = walk(42, region, 300);
            for s in &sources {
                assert!(matches(constraints::MODEL_ARN, &s.arn), "{}", s.arn);
                assert!(matches(constraints::ACCOUNT_ID, &s.account));
                if let Some(n) = &s.name {
                    assert!(matches(constraints::CUSTOM_MODEL_NAME, n), "{n}");
                    assert!(n.len() <= 63);
                }
                assert_ne!(s.arn.split(':').nth(3).unwrap(), region, "{}", s.arn);
                assert!(guide.allows(&s.arn, region), "{} into {region}", s.arn);
            }
            let arns: BTreeSet<&str> = sources.iter().map(|s| s.arn.as_str()).collect();
            assert_eq!(arns.len(), sources.len(), "each model once");
            let names: BTreeSet<&str> = sources.iter().filter_map(|s| s.name.as_deref()).collect();
            assert_eq!(
                names.len(),
                sources.iter().filter(|s| s.name.is_some()).count()
            );
        }
    }

    #[test]
    fn regions_share_the_accounts_models_and_teams_serve_from_a_few() {
        let regions = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"];
        let mut seen: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for region in regions {
            for s in walk(42, region, 400) {
                seen.entry(s.arn).or_default().insert(region);
            }
        }
        // A model read in one region's data reads the same in another's.
        let shared = seen.values().filter(|r| r.len() >= 2).count();
        assert!(
            shared * 3 > seen.len(),
            "{shared} of {} in two or more",
            seen.len()
        );
        assert!(seen.values().any(|r| r.len() >= 3));
        // The same model's name is the same wherever it is copied.
        let a = walk(42, "us-west-2", 400);
        let b = walk(42, "eu-central-1", 400);
        let both = a.iter().filter(|m| b.contains(m)).count();
        assert!(both > 50, "{both}");
    }
}
