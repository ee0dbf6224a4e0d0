//! `C`: copy a job's model to more regions. The regions where a copy of the
//! same model is already loaded are marked; the name defaults to the job's;
//! the tags are the job's. One CreateModelCopyJob per checked region.

use super::line::edit;
use crate::config::keys::KeyBindings;
use crate::domain::copy::CopyRequest;
use crate::domain::job::{CopyJob, Tag};
use crate::domain::region::BEDROCK_REGIONS;
use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Regions,
    Name,
    /// Typing the KMS key of the region under the cursor.
    Kms,
}

#[derive(Debug, Clone)]
pub struct CopyPane {
    pub source_model_arn: String,
    pub tags: Vec<Tag>,
    /// Every region, whether it is checked, and whether a copy of this model
    /// is already among the loaded rows there.
    pub regions: Vec<(String, bool, bool)>,
    pub cursor: usize,
    pub name: Input,
    /// A KMS key per region (by the regions' index), empty for none.
    pub kms: Vec<String>,
    /// The key being typed (Focus::Kms).
    pub kms_input: Input,
    pub focus: Focus,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Stay,
    Cancel,
    Send(Vec<CopyRequest>),
}

impl CopyPane {
    /// For `job`'s source model; `loaded` says where copies of it are.
    pub fn open<'a>(job: &CopyJob, loaded: impl Iterator<Item = &'a CopyJob>) -> CopyPane {
        let mut have: Vec<String> = loaded
            .filter(|j| j.source_model_arn == job.source_model_arn)
            .map(|j| j.region().to_string())
            .collect();
        have.sort();
        have.dedup();
        CopyPane {
            source_model_arn: job.source_model_arn.to_string(),
            tags: job.tags.clone(),
            regions: BEDROCK_REGIONS
                .iter()
                .map(|r| ((*r).to_string(), false, have.iter().any(|h| h == r)))
                .collect(),
            cursor: 0,
            name: Input::new(
                job.target_model_name
                    .clone()
                    .unwrap_or_else(|| crate::domain::copy::default_name(&job.source_model_arn)),
            ),
            kms: vec![String::new(); BEDROCK_REGIONS.len()],
            kms_input: Input::default(),
            focus: Focus::Regions,
            error: None,
        }
    }

    /// The requests the checked regions make.
    pub fn requests(&self) -> Vec<CopyRequest> {
        self.regions
            .iter()
            .zip(&self.kms)
            .filter(|((_, on, _), _)| *on)
            .map(|((r, _, _), kms)| CopyRequest {
                region: r.clone(),
                source_model_arn: self.source_model_arn.clone(),
                target_model_name: self.name.value().trim().to_string(),
                kms_key_id: (!kms.trim().is_empty()).then(|| kms.trim().to_string()),
                tags: self.tags.clone(),
                salt: String::new(),
            })
            .collect()
    }

    /// `keys`: the table's bindings, so j/k (as bound) move in the regions.
    pub fn key(&mut self, key: KeyEvent, keys: &KeyBindings) -> Chosen {
        if self.focus == Focus::Regions
            && let Some(to) = super::motion::moved(keys, &key, self.cursor, self.regions.len())
        {
            self.cursor = to;
            self.error = None;
            return Chosen::Stay;
        }
        match (key.code, self.focus) {
            // The key typed for a region: Enter keeps it, Esc drops the edit.
            (KeyCode::Enter, Focus::Kms) => {
                self.kms[self.cursor] = self.kms_input.value().trim().to_string();
                self.regions[self.cursor].1 = true;
                self.focus = Focus::Regions;
            }
            (KeyCode::Esc, Focus::Kms) => self.focus = Focus::Regions,
            (_, Focus::Kms) => {
                edit(&mut self.kms_input, key);
            }
            // K, not k: k moves up, as in the table.
            (KeyCode::Char('K'), Focus::Regions) => {
                self.kms_input = Input::new(self.kms[self.cursor].clone());
                self.focus = Focus::Kms;
            }
            (KeyCode::Esc, _) => return Chosen::Cancel,
            (KeyCode::Tab | KeyCode::BackTab, f) => {
                self.focus = if f == Focus::Name {
                    Focus::Regions
                } else {
                    Focus::Name
                };
            }
            (KeyCode::Enter, _) => {
                let reqs = self.requests();
                if reqs.is_empty() {
                    self.error = Some("Check at least one region (Space checks)".into());
                    return Chosen::Stay;
                }
                if let Some(e) = reqs.iter().find_map(|r| r.check().err()) {
                    self.error = Some(e.join("; "));
                    return Chosen::Stay;
                }
                return Chosen::Send(reqs);
            }
            (KeyCode::Char(' '), Focus::Regions) => self.regions[self.cursor].1 ^= true,
            (_, Focus::Name) => {
                edit(&mut self.name, key);
            }
            _ => {}
        }
        self.error = None;
        Chosen::Stay
    }
}
