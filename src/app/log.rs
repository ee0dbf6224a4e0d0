//! The event log (`l`): what this session saw happen, newest first: jobs
//! that appeared or changed status, with their region, id and failure, and
//! sources that stopped or started answering, with the service's whole
//! message. While it has the focus its keys move in it, and Enter shows the
//! entry's job in the table.

use crate::config::keys::{Action, KeyBindings};
use crate::domain::job::Status;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

/// A job's change as the log first took it (`LogLine::from` adds what the
/// ARN and the job tell).
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub job_arn: String,
    pub name: String,
    /// None: a job that appeared.
    pub from: Option<Status>,
    pub to: Status,
}

/// One entry. A source's entry has no job: `job_arn` is empty, `name` is
/// the source's label and `to`/`from` say nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub at: DateTime<Utc>,
    pub job_arn: String,
    pub name: String,
    pub region: String,
    /// None: a job that appeared.
    pub from: Option<Status>,
    pub to: Status,
    /// The job's failure message, or why the source failed.
    pub failure: Option<String>,
    pub source: Option<SourceNote>,
    /// A source's entry: the account it reads, as labelled
    /// (`ml-prod · 111122223333`), across an organisation's accounts. A
    /// job's entry takes its account from its ARN.
    pub account: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceNote {
    Failed,
    Back,
    /// The service broke a promise a reader relies on (`failure` says which
    /// and what copyjobs does instead).
    Unkept,
}

impl LogLine {
    /// A job seen appearing (`from` None) or changing status.
    pub fn job(at: DateTime<Utc>, job: &crate::domain::job::CopyJob, from: Option<Status>) -> Self {
        LogLine {
            at,
            job_arn: job.job_arn.clone(),
            name: job.display_name().to_string(),
            region: job.region().to_string(),
            from,
            to: job.status.clone(),
            failure: job.failure_message.clone(),
            source: None,
            account: None,
        }
    }

    /// A source that stopped answering (with why) or answers again.
    pub fn source(
        at: DateTime<Utc>,
        label: String,
        region: String,
        failure: Option<String>,
    ) -> Self {
        let note = if failure.is_some() {
            SourceNote::Failed
        } else {
            SourceNote::Back
        };
        LogLine {
            at,
            job_arn: String::new(),
            name: label,
            region,
            from: None,
            to: Status::Unknown(String::new()),
            failure,
            source: Some(note),
            account: None,
        }
    }

    /// A source whose service broke what a reader relies on, once.
    pub fn unkept(at: DateTime<Utc>, label: String, region: String, sentence: String) -> Self {
        LogLine {
            source: Some(SourceNote::Unkept),
            ..LogLine::source(at, label, region, Some(sentence))
        }
    }

    /// The id at the end of the job's ARN ("" for a source's entry).
    pub fn job_id(&self) -> &str {
        self.job_arn.rsplit('/').next().unwrap_or("")
    }
}

impl From<LogEntry> for LogLine {
    fn from(e: LogEntry) -> LogLine {
        LogLine {
            region: e.job_arn.split(':').nth(3).unwrap_or("").to_string(),
            at: e.at,
            job_arn: e.job_arn,
            name: e.name,
            from: e.from,
            to: e.to,
            failure: None,
            source: None,
            account: None,
        }
    }
}

/// Every entry of the session, oldest first.
#[derive(Debug, Clone, Default)]
pub struct EventLog(Vec<LogLine>);

impl EventLog {
    pub fn push(&mut self, line: impl Into<LogLine>) {
        self.0.push(line.into());
    }
}

impl std::ops::Deref for EventLog {
    type Target = [LogLine];
    fn deref(&self) -> &[LogLine] {
        &self.0
    }
}

/// Where the log's cursor is. It stays on its entry as new ones arrive,
/// unless it is on the newest: then it follows, as `tail -f` would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogPane {
    /// An index into the log (oldest first); None: the newest entry.
    pub cursor: Option<usize>,
}

/// What a key in the focused log asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogStep {
    Stay,
    /// Back to the table, the log still open.
    Table,
    /// Close the log.
    Close,
    Quit,
    /// Select this job in the table.
    Show(String),
    /// A table action the log does not take (`:`, `>`, `s`…): the table
    /// has the keys again and does it, rather than the key being lost.
    Run(Action),
    /// A key bound to nothing.
    NotTaken,
}

impl LogPane {
    /// The cursor's entry, as an index into a log of `len` entries.
    pub fn at(&self, len: usize) -> Option<usize> {
        let last = len.checked_sub(1)?;
        Some(self.cursor.map_or(last, |c| c.min(last)))
    }

    pub fn key(&mut self, key: KeyEvent, keys: &KeyBindings, log: &EventLog) -> LogStep {
        let len = log.len();
        match key.code {
            KeyCode::Esc | KeyCode::Tab | KeyCode::BackTab => return LogStep::Table,
            KeyCode::Enter => {
                return match self.at(len).map(|i| &log[i]) {
                    Some(line) if line.source.is_none() => LogStep::Show(line.job_arn.clone()),
                    _ => LogStep::Stay,
                };
            }
            _ => {}
        }
        // The pane lists the newest first: row 0 is the last entry.
        let row = self.at(len).map_or(0, |at| len - 1 - at);
        if let Some(to) = super::motion::moved(keys, &key, row, len) {
            self.cursor = (to > 0).then(|| len - 1 - to);
            return LogStep::Stay;
        }
        match keys.action(&key) {
            Some(Action::Log) => LogStep::Close,
            Some(Action::Quit) => LogStep::Quit,
            Some(action) => LogStep::Run(action),
            None => LogStep::NotTaken,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn log(n: usize) -> EventLog {
        let mut log = EventLog::default();
        for i in 0..n {
            log.push(LogEntry {
                at: DateTime::default(),
                job_arn: format!("arn:aws:bedrock:eu-west-1:111122223333:model-copy-job/{i:012}"),
                name: format!("job-{i}"),
                from: None,
                to: Status::InProgress,
            });
        }
        log
    }

    fn press(p: &mut LogPane, log: &EventLog, code: KeyCode) -> LogStep {
        p.key(
            KeyEvent::new(code, KeyModifiers::NONE),
            &KeyBindings::default(),
            log,
        )
    }

    #[test]
    fn the_cursor_follows_the_newest_until_moved_then_stays_on_its_entry() {
        let mut l = log(3);
        let mut p = LogPane::default();
        assert_eq!(p.at(l.len()), Some(2));
        assert_eq!(l[2].region, "eu-west-1", "the region from the ARN");
        press(&mut p, &l, KeyCode::Char('j'));
        assert_eq!(p.at(l.len()), Some(1), "j goes down, to older entries");
        l = log(5);
        assert_eq!(p.at(l.len()), Some(1), "new entries do not move it");
        press(&mut p, &l, KeyCode::Char('k'));
        press(&mut p, &l, KeyCode::Char('k'));
        press(&mut p, &l, KeyCode::Char('k'));
        assert_eq!(p.at(l.len()), Some(4));
        assert_eq!(p.cursor, None, "on the newest: following again");
        press(&mut p, &l, KeyCode::Char('k'));
        assert_eq!(p.at(l.len()), Some(4), "no further than the newest");
        press(&mut p, &l, KeyCode::End);
        assert_eq!(p.at(l.len()), Some(0));
        press(&mut p, &l, KeyCode::PageUp);
        assert_eq!(p.at(l.len()), Some(4));
        assert_eq!(
            press(&mut p, &l, KeyCode::Enter),
            LogStep::Show(l[4].job_arn.clone())
        );
        assert_eq!(press(&mut p, &l, KeyCode::Esc), LogStep::Table);
        assert_eq!(press(&mut p, &l, KeyCode::Char('l')), LogStep::Close);
        assert_eq!(LogPane::default().at(0), None, "an empty log has no cursor");
    }
}
