//! `F`: why copies fail. The failed jobs of the current filter window, read
//! whole (not just the loaded rows), grouped by their normalised failure
//! message; a group's jobs one Enter away.

use crate::domain::failures::{self, Group};
use crate::domain::job::CopyJob;
use crossterm::event::{KeyCode, KeyEvent};

#[derive(Debug, Clone, PartialEq)]
pub struct FailuresPane {
    /// Which read this pane waits for: answers of an older one are dropped.
    pub generation: u64,
    /// Failed jobs read so far, while reading.
    pub read: usize,
    /// The groups once everything is read.
    pub groups: Option<Vec<Group>>,
    pub error: Option<String>,
    /// Sources that could not be read (label, the service's answer): the
    /// groups are of the others.
    pub refused: Vec<(String, String)>,
    pub selected: usize,
    /// The group whose jobs are listed, and the job selected among them.
    pub open: Option<usize>,
    pub job: usize,
}

/// What a key did in the pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Stay,
    Close,
    /// Close and put the selection on this job in the table.
    Show(String),
    /// Copy this job ARN.
    Copy(String),
}

impl FailuresPane {
    pub fn new(generation: u64) -> FailuresPane {
        FailuresPane {
            generation,
            read: 0,
            groups: None,
            error: None,
            refused: Vec::new(),
            selected: 0,
            open: None,
            job: 0,
        }
    }

    pub fn loaded(&mut self, jobs: &[CopyJob]) {
        self.read = jobs.len();
        self.groups = Some(failures::group(jobs));
    }

    pub fn total(&self) -> usize {
        self.groups
            .as_ref()
            .map_or(0, |g| g.iter().map(|g| g.count).sum())
    }

    fn open_group(&self) -> Option<&Group> {
        self.groups.as_ref()?.get(self.open?)
    }

    pub fn key(&mut self, key: KeyEvent) -> Step {
        let groups = self.groups.as_ref().map_or(0, Vec::len);
        let jobs = self.open_group().map_or(0, |g| g.job_arns.len());
        let (cursor, len) = if self.open.is_some() {
            (&mut self.job, jobs)
        } else {
            (&mut self.selected, groups)
        };
        let last = len.saturating_sub(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => *cursor = (*cursor + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
            KeyCode::PageDown => *cursor = (*cursor + 10).min(last),
            KeyCode::PageUp => *cursor = cursor.saturating_sub(10),
            KeyCode::Home | KeyCode::Char('g') => *cursor = 0,
            KeyCode::End | KeyCode::Char('G') => *cursor = last,
            KeyCode::Enter if self.open.is_none() && groups > 0 => {
                self.open = Some(self.selected);
                self.job = 0;
            }
            KeyCode::Enter => {
                if let Some(arn) = self.open_group().and_then(|g| g.job_arns.get(self.job)) {
                    return Step::Show(arn.clone());
                }
            }
            KeyCode::Char('y') => {
                if let Some(arn) = self.open_group().and_then(|g| g.job_arns.get(self.job)) {
                    return Step::Copy(arn.clone());
                }
            }
            KeyCode::Esc | KeyCode::Left | KeyCode::Backspace if self.open.is_some() => {
                self.open = None;
            }
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('F') => return Step::Close,
            _ => {}
        }
        Step::Stay
    }
}
