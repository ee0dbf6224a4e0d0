//! The model a CreateModelCopyJob copies, found in any region's data.
//!
//! The service is called in the destination region with the ARN of a model
//! that lives elsewhere (the ARN names its region), so the destination's own
//! data cannot be the only place to look. A model exists here when some
//! region's data set copies from it (it is one of that region's sources), or
//! when it is the target of a copy that has Completed by the emulator's
//! clock: copying a model on to more regions copies an earlier copy, or
//! when the account lists it among its custom models (one no job copies
//! yet, once it is Active: see [`super::models`]).
//!
//! Foundation-model ARNs fit the request's pattern and the data set copies
//! from a few, so they are found the same way: those some region's data
//! knows, and no others (the service copies custom models; a foundation
//! model the data never shows is not invented here).

use super::emulator::Emulator;
use super::model::{SourceModel, Status};
use super::store::Store;
use std::sync::{Arc, Mutex, MutexGuard};

fn lock(store: &Arc<Mutex<Store>>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|e| e.into_inner())
}

/// The source model `arn` names at `now_ms`, or `None` when no region has it.
///
/// Every data set made so far is searched (each listed region's is made at
/// start, any other on first use), which covers every ARN a client can have
/// read; then the data set of the ARN's own region, made now if need be, for
/// the copies it holds. An ARN reads the same in every table that has it,
/// so the order of the search does not matter. Stores are locked one at a
/// time and never while the destination's is held, so two creates cannot
/// wait on each other.
pub fn find(emu: &Emulator, arn: &str, now_ms: i64) -> Option<SourceModel> {
    let known = |store: &Arc<Mutex<Store>>| {
        let s = lock(store);
        s.profile.sources.iter().find(|m| m.arn == arn).cloned()
    };
    if let Some(model) = emu.stores_made().iter().find_map(known) {
        return Some(model);
    }
    // The account the ARN names: a member's own copies live in its data set.
    let owner = arn.split(':').nth(4).unwrap_or("");
    let region = super::dataset::arn_region(arn);
    let home = emu.store_in(owner, region);
    let copy = {
        let mut s = lock(&home);
        if let Some(model) = s.profile.sources.iter().find(|m| m.arn == arn) {
            return Some(model.clone());
        }
        s.catch_up(now_ms);
        s.copied_model(arn)
            .filter(|job| job.status_at(now_ms) == Status::Completed)
            .map(|job| {
                let base = s
                    .profile
                    .sources
                    .get(job.source as usize)
                    .map_or("imported", |m| m.base.as_str());
                SourceModel {
                    arn: arn.to_string(),
                    name: Some(job.target_name.to_string()),
                    account: s.profile.account.clone(),
                    base: base.to_string(),
                }
            })
    };
    // A model the account lists that no job copies yet, once made
    // (Active): the home store is unlocked first, the listing locks it.
    copy.or_else(|| {
        let listed = super::models::fixed(emu, owner, region);
        let m = listed
            .custom
            .iter()
            .find(|m| m.arn == arn && m.status == "Active")?;
        Some(SourceModel {
            arn: m.arn.clone(),
            name: Some(m.name.clone()),
            account: m.owner.clone(),
            base: arn
                .split_once(":custom-model/")
                .and_then(|(_, rest)| rest.rsplit_once('/'))
                .map_or("imported", |(b, _)| b)
                .to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::EmulatorOptions;

    const NOW: i64 = 1_748_779_200_000;

    fn emulator() -> Arc<Emulator> {
        Emulator::new(EmulatorOptions {
            jobs: 200,
            frozen: true,
            arrival_rate: 0.0,
            now: Some(NOW),
            regions: vec!["us-west-2".into(), "eu-central-1".into()],
            ..EmulatorOptions::default()
        })
    }

    #[test]
    fn a_source_of_any_region_is_found_and_unknown_ones_are_not() {
        let emu = emulator();
        let west = emu.store("us-west-2");
        let theirs = lock(&west).profile.sources[5].clone();
        assert_eq!(find(&emu, &theirs.arn, NOW), Some(theirs.clone()));
        // A model that lives in a region not made yet, read in the data of
        // one made: found there.
        let away = lock(&west)
            .profile
            .sources
            .iter()
            .find(|m| crate::dataset::arn_region(&m.arn) == "ap-northeast-1")
            .cloned()
            .unwrap();
        assert_eq!(find(&emu, &away.arn, NOW), Some(away));
        let mut unknown = theirs.arn.clone();
        unknown.replace_range(unknown.len() - 12.., "zzzzzzzzzzzz");
        assert_eq!(find(&emu, &unknown, NOW), None);
    }

    #[test]
    fn a_copy_is_a_source_once_it_has_completed() {
        let emu = emulator();
        let west = emu.store("us-west-2");
        let s = lock(&west);
        let done = s
            .jobs()
            .iter()
            .find(|j| j.status_at(NOW) == Status::Completed)
            .unwrap();
        let running = s
            .jobs()
            .iter()
            .find(|j| j.status_at(NOW) == Status::InProgress)
            .unwrap();
        let (done_arn, running_arn) = (s.profile.target_arn(done), s.profile.target_arn(running));
        let (name, account) = (done.target_name.to_string(), s.profile.account.clone());
        let (ends, outcome) = (running.ends_ms, running.outcome);
        drop(s);
        let model = find(&emu, &done_arn, NOW).unwrap();
        assert_eq!(model.arn, done_arn);
        assert_eq!(model.name.as_deref(), Some(name.as_str()));
        assert_eq!(model.account, account);
        assert!(done_arn.contains(&format!("/{}/", model.base)));
        // In flight, the target does not exist yet; later it may.
        assert_eq!(find(&emu, &running_arn, NOW), None);
        assert_eq!(
            find(&emu, &running_arn, ends).is_some(),
            outcome == Status::Completed,
            "a failed copy leaves no model"
        );
    }
}
