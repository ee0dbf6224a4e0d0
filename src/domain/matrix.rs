//! The replication matrix: where each model is, and what is missing or
//! broken.
//!
//! One row per source model (the models the jobs copy from), one column per
//! region (the sources read, then any region a job names that they do not),
//! and in each cell the newest copy of that model into that region, with a
//! count of every copy there. Built from the jobs of a listing
//! ([`Matrix::build`]) and kept current from the watching engine's events
//! ([`Matrix::apply`]: a job that appeared or changed turns its cell), so a
//! pane never reads the listing again.
//!
//! Small beside the jobs: a cell keeps its newest job's few fields (its ARNs
//! as a shared prefix and an id), and each job seen leaves only a 64-bit
//! fingerprint of its ARN (so a job seen again, finished, is not counted
//! twice). Two ARNs sharing a fingerprint would count as one copy: at
//! 100,000 jobs the odds are about one in 10^9.

use super::copy_regions::{CopyRegions, Support, base_model};
use super::custom_model::CustomModel;
use super::job::{CopyJob, Status, arn_region, intern, short_model_arn};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// The newest copy of a model into a region, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    job_arn: Arn,
    target_model_arn: Arn,
    /// A failed job's message (the cell's cause), or the text of a status
    /// this build does not know.
    text: Option<Box<str>>,
    pub created: DateTime<Utc>,
    /// Every copy job of the model into the region, the newest included.
    pub copies: u32,
    state: State,
}

/// A status in a byte: cells are many, and a status this build does not
/// know keeps its text in the cell's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InProgress,
    Completed,
    Failed,
    Unknown,
}

impl Cell {
    fn of(job: &CopyJob, copies: u32) -> Cell {
        let (state, text) = match &job.status {
            Status::InProgress => (State::InProgress, None),
            Status::Completed => (State::Completed, None),
            Status::Failed => (State::Failed, job.failure_message.as_deref()),
            Status::Unknown(s) => (State::Unknown, Some(s.as_str())),
        };
        Cell {
            job_arn: Arn::new(&job.job_arn),
            target_model_arn: Arn::new(&job.target_model_arn),
            text: text.map(Box::from),
            created: job.created,
            copies,
            state,
        }
    }

    /// The newest job's status.
    pub fn status(&self) -> Status {
        match self.state {
            State::InProgress => Status::InProgress,
            State::Completed => Status::Completed,
            State::Failed => Status::Failed,
            State::Unknown => Status::Unknown(self.status_str().to_string()),
        }
    }

    /// The newest job's status as the service spells it.
    pub fn status_str(&self) -> &str {
        match self.state {
            State::InProgress => "InProgress",
            State::Completed => "Completed",
            State::Failed => "Failed",
            State::Unknown => self.text.as_deref().unwrap_or_default(),
        }
    }

    /// ✔ ◐ ✘, or ? for a status this build does not know.
    pub fn symbol(&self) -> &'static str {
        match self.state {
            State::InProgress => Status::InProgress.symbol(),
            State::Completed => Status::Completed.symbol(),
            State::Failed => Status::Failed.symbol(),
            State::Unknown => "?",
        }
    }

    /// The newest job's ARN.
    pub fn job_arn(&self) -> String {
        self.job_arn.to_string()
    }

    /// The model the newest job makes.
    pub fn target_model_arn(&self) -> String {
        self.target_model_arn.to_string()
    }

    /// The newest job's failure message, when it failed.
    pub fn failure_message(&self) -> Option<&str> {
        match self.state {
            State::Failed => self.text.as_deref(),
            _ => None,
        }
    }
}

/// An ARN kept small: what comes before its last `/` is shared by every job
/// (or model) of a region and account (`…:model-copy-job`), so it is kept
/// once for all ([`intern`]); the id after it (12 characters) is kept in
/// place. An ARN of another shape is kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Arn {
    head: Arc<str>,
    tail: [u8; TAIL],
    tail_len: u8,
}

const TAIL: usize = 12;

impl Arn {
    fn new(arn: &str) -> Arn {
        match arn.rsplit_once('/') {
            Some((head, id)) if id.len() <= TAIL => {
                let mut tail = [0; TAIL];
                tail[..id.len()].copy_from_slice(id.as_bytes());
                Arn {
                    head: intern(&arn[..=head.len()]),
                    tail,
                    tail_len: id.len() as u8,
                }
            }
            _ => Arn {
                head: Arc::from(arn),
                tail: [0; TAIL],
                tail_len: 0,
            },
        }
    }

    fn tail(&self) -> &[u8] {
        &self.tail[..usize::from(self.tail_len)]
    }

    /// Whether this is `arn`, without making it whole.
    fn is(&self, arn: &str) -> bool {
        arn.len() == self.head.len() + self.tail().len()
            && arn.starts_with(self.head.as_ref())
            && arn.as_bytes().ends_with(self.tail())
    }

    /// Orders as the whole texts would.
    fn cmp_text(&self, arn: &str) -> Ordering {
        self.head
            .bytes()
            .chain(self.tail().iter().copied())
            .cmp(arn.bytes())
    }
}

impl std::fmt::Display for Arn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.head)?;
        // Only ever a piece of a `str` cut at a `/`: whole characters.
        f.write_str(std::str::from_utf8(self.tail()).unwrap_or_default())
    }
}

/// A source model: a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub source_model_arn: Arc<str>,
    /// The service's name for it, from any job that gives one.
    pub source_model_name: Option<Arc<str>>,
    pub source_account_id: Arc<str>,
    /// By column; shorter than the columns when the last cells are empty.
    cells: Vec<Option<Cell>>,
    /// What ListCustomModels says of it (status, customization, creation
    /// time, base model), when the account's models were read and it is
    /// one of them; None for a model known from copy jobs alone.
    pub listed: Option<Arc<CustomModel>>,
    /// A model the account listed that turned out to be a copy's target:
    /// it is that copy, in its source's row, and no row of its own.
    hidden: bool,
}

impl Model {
    /// Where the model lives: its ARN's region.
    pub fn source_region(&self) -> &str {
        arn_region(&self.source_model_arn)
    }

    /// As [`base_model`] reads the ARN; None for an imported model.
    pub fn base_model(&self) -> Option<&str> {
        base_model(&self.source_model_arn)
    }

    /// Its name, or the ARN's resource when the service gave none.
    pub fn display_name(&self) -> String {
        match self.source_model_name.as_deref() {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => short_model_arn(&self.source_model_arn),
        }
    }

    /// The newest copy into the region of `column`, if any.
    pub fn cell(&self, column: usize) -> Option<&Cell> {
        self.cells.get(column).and_then(Option::as_ref)
    }

    /// Whether no copy of it was read (a model the account lists that no
    /// job of the window copies).
    pub fn never_copied(&self) -> bool {
        self.cells.iter().all(Option::is_none)
    }

    /// The service's status of the model (`Active`, `Creating`…), when
    /// its listing was read.
    pub fn model_status(&self) -> Option<&str> {
        self.listed.as_ref()?.model_status.as_deref()
    }

    /// Whether the service would copy it now: it copies an Active model
    /// only (one still being made is ResourceNotFound); a model known from
    /// its jobs alone was copied, so is taken as Active.
    pub fn copyable(&self) -> bool {
        self.model_status().is_none_or(|s| s == "Active")
    }

    /// Its customization type (`FINE_TUNING`, `IMPORTED`…), when listed.
    pub fn customization_type(&self) -> Option<&str> {
        self.listed.as_ref()?.customization_type.as_deref()
    }

    /// When the model was made, when listed.
    pub fn creation_time(&self) -> Option<DateTime<Utc>> {
        self.listed.as_ref()?.creation_time
    }

    /// Every cell holding a copy, with its column.
    pub fn copies(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
    }
}

/// What a cell shows: its newest copy (if any), whether the region is the
/// model's own, and whether copies of its base model may go there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot<'a> {
    pub copy: Option<&'a Cell>,
    pub origin: bool,
    pub support: Support,
}

impl Slot<'_> {
    /// ✔ ◐ ✘ (or ? for a status this build does not know) for a copy; else
    /// ● for the model's own region, ⊘ where copies cannot go, · for none.
    pub fn symbol(&self) -> &'static str {
        match (self.copy, self.origin, self.support) {
            (Some(c), _, _) => c.symbol(),
            (None, true, _) => ORIGIN,
            (None, false, Support::Unsupported) => UNSUPPORTED,
            (None, false, _) => NO_COPY,
        }
    }
}

pub const ORIGIN: &str = "●";
pub const UNSUPPORTED: &str = "⊘";
pub const NO_COPY: &str = "·";

/// The keys of `seen` are already hashes.
#[derive(Default)]
struct Fingerprint(u64);

impl Hasher for Fingerprint {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a: stable across runs, unlike std's hasher.
pub fn fingerprint(arn: &str) -> u64 {
    arn.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Debug, Clone)]
pub struct Matrix {
    regions: Vec<String>,
    models: Vec<Model>,
    /// Indices into `models`, by name then ARN: the rows' order.
    order: Vec<u32>,
    by_arn: HashMap<Arc<str>, u32>,
    seen: HashSet<u64, BuildHasherDefault<Fingerprint>>,
    /// Fingerprints of the models the jobs make (their target ARNs): a
    /// listed model among them is a copy, not a row.
    targets: HashSet<u64, BuildHasherDefault<Fingerprint>>,
    table: CopyRegions,
    /// Accounts' names by id, where the sources know them (an
    /// organisation's): the rows name their owner by them.
    names: HashMap<String, String>,
}

impl Matrix {
    /// An empty matrix with a column per region (the sources', in their
    /// order), judging support by `table`.
    pub fn new(regions: &[String], table: CopyRegions) -> Matrix {
        let mut columns: Vec<String> = Vec::with_capacity(regions.len());
        for r in regions {
            if !columns.contains(r) {
                columns.push(r.clone());
            }
        }
        Matrix {
            regions: columns,
            models: Vec::new(),
            order: Vec::new(),
            by_arn: HashMap::new(),
            seen: HashSet::default(),
            targets: HashSet::default(),
            table,
            names: HashMap::new(),
        }
    }

    /// The matrix of `jobs`, in any order: the same jobs give the same
    /// matrix whatever order they come in.
    pub fn build<'a>(
        regions: &[String],
        jobs: impl IntoIterator<Item = &'a CopyJob>,
        table: CopyRegions,
    ) -> Matrix {
        let mut m = Matrix::new(regions, table);
        let jobs = jobs.into_iter();
        m.seen.reserve(jobs.size_hint().0);
        for job in jobs {
            m.apply(job);
        }
        m
    }

    /// A job that appeared or changed (an event of the watching engine, or
    /// a row of a listing): counts it once, and makes it its cell's copy if
    /// it is the newest there (by creation time, then ARN). True when what
    /// a row shows changed.
    pub fn apply(&mut self, job: &CopyJob) -> bool {
        let column = self.column(job.region());
        let (index, mut changed) = self.model_of(job);
        changed |= self.made_by_a_copy(&job.target_model_arn);
        let first = self.seen.insert(fingerprint(&job.job_arn));
        let model = &mut self.models[index as usize];
        if model.cells.len() <= column {
            // A row has a cell a region: room for them all at once, so
            // no row holds the slack of a growing vector.
            model
                .cells
                .reserve_exact(self.regions.len() - model.cells.len());
            model.cells.resize(column + 1, None);
        }
        let slot = &mut model.cells[column];
        changed |= match slot {
            None => {
                *slot = Some(Cell::of(job, 1));
                true
            }
            Some(cell) => {
                let copies = cell.copies + u32::from(first);
                let newer = || {
                    job.created
                        .cmp(&cell.created)
                        .then_with(|| cell.job_arn.cmp_text(&job.job_arn).reverse())
                        == Ordering::Greater
                };
                if cell.job_arn.is(&job.job_arn) {
                    let was = std::mem::replace(cell, Cell::of(job, copies));
                    was != *cell
                } else if newer() {
                    *cell = Cell::of(job, copies);
                    true
                } else {
                    cell.copies = copies;
                    first
                }
            }
        };
        changed
    }

    /// Notes `target` as a model a copy makes; a listed model of that ARN
    /// with no copy of its own leaves the rows. True when one did.
    fn made_by_a_copy(&mut self, target: &str) -> bool {
        if !self.targets.insert(fingerprint(target)) {
            return false;
        }
        let Some(&i) = self.by_arn.get(target) else {
            return false;
        };
        let m = &self.models[i as usize];
        if m.hidden || !m.never_copied() {
            return false;
        }
        self.unorder(i);
        self.models[i as usize].hidden = true;
        true
    }

    /// The account's models as ListCustomModels gives them (any order):
    /// each model a row, copied or not, with its status, customization and
    /// creation time; a model some job of the matrix makes (a copy's
    /// target) is that copy and no row. A model already a row (a job
    /// copies it) gains what the listing says of it. Models listed before
    /// the jobs are read are fine: a job that turns out to make one takes
    /// its row away ([`Matrix::apply`]). True when a row changed.
    pub fn add_models<'a>(&mut self, models: impl IntoIterator<Item = &'a CustomModel>) -> bool {
        let mut changed = false;
        for m in models {
            let listed = Arc::new(m.clone());
            if let Some(&i) = self.by_arn.get(m.model_arn.as_ref()) {
                let row = &mut self.models[i as usize];
                let named = row.source_model_name.is_none() && m.model_name.is_some();
                changed |= row.listed.as_ref() != Some(&listed);
                row.listed = Some(listed);
                if named {
                    let visible = !row.hidden;
                    if visible {
                        self.unorder(i);
                    }
                    self.models[i as usize].source_model_name = m.model_name.clone();
                    if visible {
                        self.reorder(i);
                    }
                }
                continue;
            }
            let i = u32::try_from(self.models.len()).expect("fewer than 4 billion models");
            let copy = self.targets.contains(&fingerprint(&m.model_arn));
            self.models.push(Model {
                source_model_arn: m.model_arn.clone(),
                source_model_name: m.model_name.clone(),
                source_account_id: m.owner_account_id.clone(),
                cells: Vec::new(),
                listed: Some(listed),
                hidden: copy,
            });
            self.by_arn.insert(m.model_arn.clone(), i);
            if !copy {
                self.reorder(i);
                changed = true;
            }
        }
        changed
    }

    /// Rows of models no job of the matrix copies (listed by the account).
    pub fn never_copied(&self) -> usize {
        self.rows().filter(|m| m.never_copied()).count()
    }

    /// The column of `region`, added at the end when no source named it.
    fn column(&mut self, region: &str) -> usize {
        match self.regions.iter().position(|r| r == region) {
            Some(i) => i,
            None => {
                self.regions.push(region.to_string());
                self.regions.len() - 1
            }
        }
    }

    /// The row of the job's source model, made if new; true when a row was
    /// made or its name became known (rows are ordered by name).
    fn model_of(&mut self, job: &CopyJob) -> (u32, bool) {
        if let Some(&i) = self.by_arn.get(job.source_model_arn.as_ref()) {
            if self.models[i as usize].hidden {
                // A copy that is copied on: a source, and a row as jobs
                // make them.
                self.models[i as usize].hidden = false;
                self.reorder(i);
            }
            let named = job.source_model_name.as_ref().filter(|n| !n.is_empty());
            let model = &self.models[i as usize];
            if model.source_model_name.is_none()
                && let Some(name) = named
            {
                self.unorder(i);
                self.models[i as usize].source_model_name = Some(name.clone());
                self.reorder(i);
                return (i, true);
            }
            return (i, false);
        }
        let i = u32::try_from(self.models.len()).expect("fewer than 4 billion models");
        self.models.push(Model {
            source_model_arn: job.source_model_arn.clone(),
            source_model_name: job.source_model_name.clone().filter(|n| !n.is_empty()),
            source_account_id: job.source_account_id.clone(),
            cells: Vec::new(),
            listed: None,
            hidden: false,
        });
        self.by_arn.insert(job.source_model_arn.clone(), i);
        self.reorder(i);
        (i, true)
    }

    fn sort_key(&self, i: u32) -> (String, &str) {
        let m = &self.models[i as usize];
        (m.display_name(), &m.source_model_arn)
    }

    fn reorder(&mut self, i: u32) {
        let key = self.sort_key(i);
        let at = self.order.partition_point(|&j| self.sort_key(j) < key);
        self.order.insert(at, i);
    }

    fn unorder(&mut self, i: u32) {
        self.order.retain(|&j| j != i);
    }

    /// The columns' regions.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// The rows, by model name, then ARN.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &Model> + '_ {
        self.order.iter().map(|&i| &self.models[i as usize])
    }

    /// The `n`th row.
    pub fn row(&self, n: usize) -> Option<&Model> {
        self.order.get(n).map(|&i| &self.models[i as usize])
    }

    /// What `model`'s cell in `column` shows.
    pub fn slot<'a>(&'a self, model: &'a Model, column: usize) -> Slot<'a> {
        let region = self.regions.get(column).map_or("", String::as_str);
        Slot {
            copy: model.cell(column),
            origin: model.source_region() == region,
            support: self.table.support(model.base_model(), region),
        }
    }

    /// Names the accounts: `(id, name)`.
    pub fn name_accounts(&mut self, names: impl IntoIterator<Item = (String, String)>) {
        self.names.extend(names);
    }

    /// Whether some account has a name (the sources are an organisation's).
    pub fn names_accounts(&self) -> bool {
        !self.names.is_empty()
    }

    /// Every named account as `name · id`, the labels a cut account
    /// name must tell apart.
    pub fn account_labels(&self) -> Vec<String> {
        self.names
            .iter()
            .map(|(id, name)| format!("{name} · {id}"))
            .collect()
    }

    /// The account `id` by its name where known, else the id.
    pub fn account_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }

    /// The table that says where copies may go.
    pub fn table(&self) -> &CopyRegions {
        &self.table
    }

    /// Distinct jobs counted.
    pub fn jobs(&self) -> usize {
        self.seen.len()
    }

    /// Base models of the rows that the table does not know, sorted; and
    /// whether some row's ARN names none (an imported model). Their cells
    /// are never marked ⊘: a note should say so.
    pub fn unjudged(&self) -> (Vec<&str>, bool) {
        let mut unknown = Vec::new();
        let mut imported = false;
        for m in self.models.iter().filter(|m| !m.hidden) {
            match m.base_model() {
                Some(b) if self.table.supported(b).is_none() => unknown.push(b),
                Some(_) => {}
                None => imported = true,
            }
        }
        unknown.sort_unstable();
        unknown.dedup();
        (unknown, imported)
    }
}

#[cfg(test)]
#[path = "matrix_tests.rs"]
mod tests;
