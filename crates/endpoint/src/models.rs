//! ListCustomModels and ListImportedModels, answered from the data sets.
//!
//! An account's custom models in a region are three kinds, none of which
//! touches how jobs are drawn (the jobs of a seed stay what they were):
//!
//! - the **originals**: the models the listed regions' data sets copy
//!   from (their own sources, not those a create added) that live in this
//!   region and belong to this account, each made a while before its first
//!   copy;
//! - a few **never copied** (drawn from the account's seed and the region
//!   alone): a model trained and not yet copied anywhere, the gap a
//!   replication matrix exists to show;
//! - each **completed copy** of this region's data set, as the custom model
//!   it made (its `targetModelArn`), created when its job was.
//!
//! The first two do not change and are kept per data set; the copies are
//! read from the jobs at each answer, as copies finish by the clock.
//! ListImportedModels lists a few models imported from weights
//! (`imported-model/…`): the copy API's ModelArn cannot name one, so none
//! is a copy's source. `models_api` answers the two operations from these.

use super::account::{BASES, Base, TEAMS, base_of, rng};
use super::catalogue::{Copied, CustomModel, Fixed, ImportedModel};
use super::dataset::{arn_region, fnv, mix};
use super::emulator::Emulator;
use super::model::{CreationTime, ShortId, Status};
use super::store::Store;
use rand::Rng;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The service's customization types, and how often an original is each.
const CUSTOMIZATIONS: &[(&str, u64)] = &[
    ("FINE_TUNING", 60),
    ("CONTINUED_PRE_TRAINING", 15),
    ("DISTILLATION", 15),
    ("REINFORCEMENT_FINE_TUNING", 10),
];

/// What `--odd-data` gives a few never-copied models: a status and a
/// customization type no release of the service model has (yet), which a
/// client must show rather than drop.
const ODD_STATUS: &str = "Archiving";
const ODD_CUSTOMIZATION: &str = "PROMPT_DISTILLATION";

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// `custom-model/<base>/<id>` → the base part.
fn base_part(arn: &str) -> &str {
    arn.split_once(":custom-model/")
        .and_then(|(_, rest)| rest.rsplit_once('/'))
        .map_or("imported", |(b, _)| b)
}

/// The customization a model of `arn` had: drawn from its ARN, so a copy
/// (which names the source's base) gets its source's when asked with the
/// source's ARN.
fn customization_of(arn: &str) -> &'static str {
    if base_part(arn) == "imported" {
        return "IMPORTED";
    }
    let total: u64 = CUSTOMIZATIONS.iter().map(|c| c.1).sum();
    let mut n = fnv(arn.as_bytes()) % total;
    for (name, w) in CUSTOMIZATIONS {
        if n < *w {
            return name;
        }
        n -= w;
    }
    "FINE_TUNING"
}

/// `baseModelArn` and `baseModelName` of a model whose ARN names `base`,
/// living in `region`.
fn base_of_model(arn: &str, region: &str) -> (String, String) {
    let base = base_part(arn);
    match base_of(base).filter(|b| !b.foundation.is_empty()) {
        Some(b) => (
            format!("arn:aws:bedrock:{region}::foundation-model/{}", b.arn),
            b.foundation
                .split(':')
                .next()
                .unwrap_or(b.foundation)
                .to_string(),
        ),
        // An imported model's base is itself; its name, the shape's
        // `provider.model` form of "imported".
        None => (arn.to_string(), "imported.weights".to_string()),
    }
}

/// Every account whose data sets may copy a model: the caller's, and an
/// organisation's active members.
fn accounts(emu: &Emulator) -> Vec<String> {
    let mut out = vec![emu.account.clone()];
    if let Some(org) = &emu.org {
        out.extend(
            org.members
                .iter()
                .filter(|m| m.status == super::org::Status::Active)
                .map(|m| m.id.clone()),
        );
    }
    out
}

fn lock(s: &Arc<Mutex<Store>>) -> std::sync::MutexGuard<'_, Store> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

/// The data sets that say which models exist: every account's in each
/// listed region (made now if need be), or without a list those made so
/// far.
fn data_sets(emu: &Emulator) -> Vec<Arc<Mutex<Store>>> {
    if emu.options.regions.is_empty() {
        return emu.stores_made();
    }
    accounts(emu)
        .iter()
        .flat_map(|a| emu.options.regions.iter().map(move |r| emu.store_in(a, r)))
        .collect()
}

/// Every custom model the data sets copy from (their own sources, not
/// those a create added), in one pass over them: each data set's jobs
/// read once, however many accounts and regions there are.
fn copied(emu: &Emulator) -> Copied {
    let start_us = emu.clock.start_ms().saturating_mul(1000);
    let mut found: Copied = HashMap::new();
    for store in data_sets(emu) {
        let s = lock(&store);
        let own = &s.profile.sources[..s.profile.generated_sources.min(s.profile.sources.len())];
        // Of the data set's own jobs, made before the clock started.
        let mut first: HashMap<u32, i64> = HashMap::new();
        for j in s.jobs().iter().filter(|j| j.created_us < start_us) {
            let e = first.entry(j.source).or_insert(j.created_us);
            *e = (*e).min(j.created_us);
        }
        for (i, m) in own.iter().enumerate() {
            if !m.arn.contains(":custom-model/") {
                continue;
            }
            let at = first.get(&(i as u32)).copied().unwrap_or(start_us);
            let key = (m.account.clone(), arn_region(&m.arn).to_string());
            let e = found
                .entry(key)
                .or_default()
                .entry(m.arn.clone())
                .or_insert((m.name.clone(), at));
            e.1 = e.1.min(at);
        }
    }
    found
}

/// The originals of `account` living in `region`: each as the data sets
/// name it, made a while (an hour to two days) before its first copy in
/// any of them. With listed regions the data sets are read once for all
/// accounts and regions.
fn originals(emu: &Emulator, account: &str, region: &str) -> Vec<CustomModel> {
    let key = (account.to_string(), region.to_string());
    let once;
    let all: &Copied = if emu.options.regions.is_empty() {
        once = copied(emu);
        &once
    } else {
        emu.copied.get_or_init(|| copied(emu))
    };
    let precision = emu.options.time_precision;
    let mut out: Vec<CustomModel> = all
        .get(&key)
        .into_iter()
        .flatten()
        .filter_map(|(arn, (name, first_us))| {
            let id = ShortId::parse(arn.rsplit('/').next()?)?;
            let before_ms = HOUR_MS + (mix(fnv(arn.as_bytes()), 7) % (2 * DAY_MS as u64)) as i64;
            let (base_arn, base_name) = base_of_model(arn, region);
            Some(CustomModel {
                name: name.clone().unwrap_or_else(|| id.as_str().to_string()),
                created_us: precision.truncate(first_us.saturating_sub(before_ms * 1000)),
                customization: customization_of(arn).to_string(),
                status: "Active".to_string(),
                owner: account.to_string(),
                base_arn,
                base_name,
                id,
                arn: arn.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.arn.cmp(&b.arn));
    out
}

/// A few models of `account` in `region` that no job copies: drawn from
/// the data set's seed alone, made in the month before the clock started,
/// the newest still being made. Under `--odd-data`, one has the longest
/// name, and one a status and one a customization the model does not know.
fn never_copied(
    emu: &Emulator,
    account: &str,
    region: &str,
    seed: u64,
    odd: bool,
) -> Vec<CustomModel> {
    let mut r = rng(mix(seed ^ 0x0000_6e3e_c0de, fnv(region.as_bytes())));
    let count = r.random_range(2..=4);
    let start_ms = emu.clock.start_ms();
    let precision = emu.options.time_precision;
    let customizable: Vec<&Base> = BASES.iter().collect();
    let mut out = Vec::with_capacity(count);
    for k in 0..count {
        let base = customizable[r.random_range(0..customizable.len())];
        let team = TEAMS[r.random_range(0..TEAMS.len())];
        let id = ShortId::from_u64(r.random());
        let ago_ms = if k == 0 {
            r.random_range(HOUR_MS..6 * HOUR_MS)
        } else {
            r.random_range(DAY_MS..30 * DAY_MS)
        };
        let micros = r.random_range(0..1_000_000i64);
        let arn = format!(
            "arn:aws:bedrock:{region}:{account}:custom-model/{}/{}",
            base.arn,
            id.as_str()
        );
        let mut name = format!(
            "{team}-new-{}-{}",
            base.short,
            id.as_str().get(..4).unwrap_or("x")
        );
        let mut status = if k == 0 { "Creating" } else { "Active" }.to_string();
        let mut customization = customization_of(&arn).to_string();
        if odd {
            match k {
                0 => name = super::dataset::long_name(&name),
                1 => status = ODD_STATUS.to_string(),
                _ => customization = ODD_CUSTOMIZATION.to_string(),
            }
        }
        let (base_arn, base_name) = base_of_model(&arn, region);
        out.push(CustomModel {
            arn,
            id,
            name,
            created_us: precision.truncate(
                (start_ms - ago_ms)
                    .saturating_mul(1000)
                    .saturating_add(micros),
            ),
            base_arn,
            base_name,
            customization,
            status,
            owner: account.to_string(),
        });
    }
    out
}

const ARCHITECTURES: &[&str] = &["llama3", "mistral", "mixtral", "flan", "qwen2"];

/// A few imported models, drawn from the data set's seed and the region.
fn imported(emu: &Emulator, account: &str, region: &str, seed: u64) -> Vec<ImportedModel> {
    let mut r = rng(mix(seed ^ 0x0000_1a90_47ed, fnv(region.as_bytes())));
    let count = r.random_range(1..=3);
    let start_ms = emu.clock.start_ms();
    (0..count)
        .map(|k| {
            let id = ShortId::from_u64(r.random());
            let team = TEAMS[r.random_range(0..TEAMS.len())];
            let architecture = ARCHITECTURES[r.random_range(0..ARCHITECTURES.len())];
            let ago_ms = r.random_range(DAY_MS..90 * DAY_MS);
            ImportedModel {
                arn: format!(
                    "arn:aws:bedrock:{region}:{account}:imported-model/{}",
                    id.as_str()
                ),
                id,
                name: format!("{team}-{architecture}-import-{}", k + 1),
                created_us: emu
                    .options
                    .time_precision
                    .truncate((start_ms - ago_ms).saturating_mul(1000)),
                architecture,
                instruct: r.random_bool(0.7),
            }
        })
        .collect()
}

/// The fixed models of `account`'s data set in `region`, made once.
pub fn fixed(emu: &Emulator, account: &str, region: &str) -> Arc<Fixed> {
    let store = emu.store_in(account, region);
    let (account, seed, odd) = {
        let s = lock(&store);
        (s.profile.account.clone(), s.profile.seed, s.profile.odd)
    };
    let key = (account.clone(), region.to_string());
    if let Some(f) = emu
        .catalogues
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
    {
        return f.clone();
    }
    let mut custom = originals(emu, &account, region);
    custom.extend(never_copied(emu, &account, region, seed, odd));
    let made = Arc::new(Fixed {
        custom,
        imported: imported(emu, &account, region, seed),
    });
    emu.catalogues
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(key)
        .or_insert(made)
        .clone()
}

/// Every custom model of `account` in `region` now: the fixed ones, and
/// each copy completed by `now_ms`, as the custom model it made.
pub fn custom_models(emu: &Emulator, account: &str, region: &str, now_ms: i64) -> Vec<CustomModel> {
    let fixed = fixed(emu, account, region);
    let store = emu.store_in(account, region);
    let mut s = lock(&store);
    s.catch_up(now_ms);
    let mut out = fixed.custom.clone();
    let p = &s.profile;
    for job in s.jobs() {
        if job.status_at(now_ms) != Status::Completed {
            continue;
        }
        let arn = p.target_arn(job);
        let source = p.sources.get(job.source as usize).map(|m| m.arn.as_str());
        let (base_arn, base_name) = base_of_model(&arn, region);
        out.push(CustomModel {
            id: job.target_id,
            name: job.target_name.to_string(),
            created_us: job.created_us,
            customization: customization_of(source.unwrap_or(&arn)).to_string(),
            status: "Active".to_string(),
            owner: p.account.clone(),
            base_arn,
            base_name,
            arn,
        });
    }
    out
}

fn written(emu: &Emulator, us: i64) -> String {
    CreationTime {
        us,
        precision: emu.options.time_precision,
        style: emu.options.time_style,
    }
    .to_string()
}

/// A custom model as ListCustomModels writes it.
pub fn custom_summary(emu: &Emulator, m: &CustomModel) -> Value {
    json!({
        "modelArn": m.arn,
        "modelName": m.name,
        "creationTime": written(emu, m.created_us),
        "baseModelArn": m.base_arn,
        "baseModelName": m.base_name,
        "customizationType": m.customization,
        "ownerAccountId": m.owner,
        "modelStatus": m.status,
    })
}

/// An imported model as ListImportedModels writes it.
pub fn imported_summary(emu: &Emulator, m: &ImportedModel) -> Value {
    json!({
        "modelArn": m.arn,
        "modelName": m.name,
        "creationTime": written(emu, m.created_us),
        "instructSupported": m.instruct,
        "modelArchitecture": m.architecture,
    })
}

/// ListCustomModels in `account`'s data set of `region`.
/// The body of `GET /_emulator/models?region=R[&account=ID]`: every model
/// of the data set as the two operations write them, unpaged and newest
/// first (`{"now", "customModels": [...], "importedModels": [...],
/// "copied": [ARN…]}`, `copied` naming the originals some job copies): the
/// oracle of the client's tests.
pub fn models_json(emu: &Emulator, account: &str, region: &str) -> Value {
    let now = emu.clock.now_ms();
    let mut custom = custom_models(emu, account, region, now);
    custom.sort_by_key(|m| std::cmp::Reverse((m.created_us, m.id)));
    let fixed = fixed(emu, account, region);
    let copied = originals(emu, account, region);
    let mut copied: Vec<String> = copied.into_iter().map(|m| m.arn).collect();
    copied.sort();
    json!({
        "now": super::model::format_time(now),
        "customModels": custom.iter().map(|m| custom_summary(emu, m)).collect::<Vec<_>>(),
        "importedModels": fixed.imported.iter().map(|m| imported_summary(emu, m)).collect::<Vec<_>>(),
        "copied": copied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::EmulatorOptions;
    use copyjobs_contract as c;
    use std::collections::HashSet;

    const NOW: i64 = 1_748_779_200_000;

    fn emulator(odd: bool) -> Arc<Emulator> {
        Emulator::new(EmulatorOptions {
            jobs: 300,
            frozen: true,
            arrival_rate: 0.0,
            now: Some(NOW),
            odd_data: odd,
            regions: vec!["us-east-1".into(), "us-west-2".into()],
            ..EmulatorOptions::default()
        })
    }

    #[test]
    fn every_model_fits_the_service_model_and_comes_once() {
        let emu = emulator(false);
        for region in ["us-east-1", "us-west-2"] {
            let models = custom_models(&emu, &emu.account, region, NOW);
            let arns: HashSet<&str> = models.iter().map(|m| m.arn.as_str()).collect();
            assert_eq!(arns.len(), models.len(), "{region}: each model once");
            for m in &models {
                assert!(c::matches(c::CUSTOM_MODEL_ARN, &m.arn), "{}", m.arn);
                assert!(c::matches(c::CUSTOM_MODEL_NAME, &m.name), "{}", m.name);
                assert!(c::matches(c::MODEL_ARN, &m.base_arn), "{}", m.base_arn);
                assert_eq!(arn_region(&m.arn), region);
            }
        }
    }

    #[test]
    fn originals_are_made_before_their_first_copy() {
        let emu = emulator(false);
        let fixed = fixed(&emu, &emu.account.clone(), "us-east-1");
        let store = emu.store("us-west-2");
        let s = lock(&store);
        let mut checked = 0;
        for m in &fixed.custom {
            for j in s.jobs() {
                if s.profile.sources[j.source as usize].arn == m.arn {
                    assert!(m.created_us < j.created_us, "{}", m.arn);
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    #[test]
    fn a_few_models_are_never_copied_and_odd_data_gives_them_unknown_words() {
        let plain = emulator(false);
        let models = never_copied(&plain, &plain.account, "us-east-1", 7, false);
        assert!((2..=4).contains(&models.len()));
        assert_eq!(models[0].status, "Creating");
        let odd = never_copied(&plain, &plain.account, "us-east-1", 7, true);
        assert_eq!(odd[0].name.len(), 63);
        assert_eq!(odd[1].status, ODD_STATUS);
    }
}
