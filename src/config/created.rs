//! What this machine's creates were answered with: the job each
//! `clientRequestToken` made, so a create sent again can say "already
//! created by an identical request" instead of passing the same job off as
//! new.
//!
//! CreateModelCopyJob answers only `{"jobArn"}`, the same for a new job and
//! for a repeat the service recognised by its token, so the answer alone
//! cannot tell them apart. A token is derived from everything a request
//! sends (see [`crate::domain::copy::CopyRequest::token`]); the first answer
//! for it is kept here, one small file per token in the state directory. A
//! later answer with the same job is a repeat; one with another job means
//! the service had forgotten the token (its idempotency window passed) and
//! made a new job, which is then recorded instead.
//!
//! One file per token, claimed with an atomic create-if-absent (a hard link
//! of a fully written temporary file), so two processes sending the same
//! request at once cannot both call it new, and no reader sees half a file.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Records older than this are dropped when a new one is written: no
/// service remembers a token that long, and the folder stays small.
const KEEP: Duration = Duration::from_secs(365 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The first answer recorded for this token: a new job.
    New,
    /// The token was answered with this very job before: nothing new.
    Again,
    /// The token was answered with another job before: the service forgot
    /// it, and this is a new job.
    Replaced,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedJobs {
    dir: PathBuf,
}

impl CreatedJobs {
    /// `$XDG_STATE_HOME/copyjobs/created`; None without a home directory.
    pub fn open() -> Option<CreatedJobs> {
        super::state_dir().map(|d| CreatedJobs::at(d.join("created")))
    }

    pub fn at(dir: impl Into<PathBuf>) -> CreatedJobs {
        CreatedJobs { dir: dir.into() }
    }

    /// The file of a token; None for text that is not a token this program
    /// makes (it never names a path).
    fn file(&self, token: &str) -> Option<PathBuf> {
        let hex = token.strip_prefix("copyjobs-")?;
        (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| self.dir.join(token))
    }

    /// The job the token was answered with, if one was recorded.
    pub fn get(&self, token: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.file(token)?).ok()?;
        Some(text.trim().to_string()).filter(|a| !a.is_empty())
    }

    /// Keeps `job_arn` as the answer to `token` and says whether it was
    /// known. An I/O error leaves the answer unknown to the caller, who
    /// then reports the job as created, as it would without a record.
    pub fn record(&self, token: &str, job_arn: &str) -> io::Result<Seen> {
        let path = self
            .file(token)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a copyjobs token"))?;
        super::private::create_dir_all(&self.dir)?;
        let tmp = self.dir.join(format!(
            ".{token}.{}.{}.tmp",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        ));
        super::private::write(&tmp, format!("{job_arn}\n"))?;
        let seen = match std::fs::hard_link(&tmp, &path) {
            Ok(()) => Ok(Seen::New),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if self.get(token).as_deref() == Some(job_arn) {
                    Ok(Seen::Again)
                } else {
                    std::fs::rename(&tmp, &path).map(|()| Seen::Replaced)
                }
            }
            Err(e) => Err(e),
        };
        let _ = std::fs::remove_file(&tmp);
        if matches!(seen, Ok(Seen::New)) {
            self.forget_old();
        }
        seen
    }

    /// The name a copy of `source_model_arn` into `region` was given by an
    /// earlier `copy` without `--name`: the same command again must send the
    /// same request (so its token matches), even when the source's name has
    /// become known since (the first copy itself may carry it).
    pub fn default_name(&self, source_model_arn: &str, region: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.name_file(source_model_arn, region)).ok()?;
        Some(text.trim().to_string()).filter(|n| !n.is_empty())
    }

    /// Keeps the name a `copy` without `--name` chose (written whole, then
    /// renamed into place).
    pub fn remember_default_name(
        &self,
        source_model_arn: &str,
        region: &str,
        name: &str,
    ) -> io::Result<()> {
        let path = self.name_file(source_model_arn, region);
        let dir = path.parent().unwrap_or(&self.dir);
        super::private::create_dir_all(dir)?;
        let tmp = dir.join(format!(".{}.tmp", std::process::id()));
        super::private::write(&tmp, format!("{name}\n"))?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// `names/` and a hash of the source and region (FNV-1a, stable across
    /// builds): ARNs do not make file names.
    fn name_file(&self, source_model_arn: &str, region: &str) -> PathBuf {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in format!("{source_model_arn}\u{1f}{region}").bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.dir.join("names").join(format!("{h:016x}"))
    }

    fn forget_old(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > KEEP));
            if old && is_record(&entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn is_record(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("copyjobs-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "copyjobs-0123456789abcdef0123456789abcdef";
    const A: &str = "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/aaaaaaaaaaaa";
    const B: &str = "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/bbbbbbbbbbbb";

    fn dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("copyjobs-created-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn the_first_answer_is_new_the_same_again_is_a_repeat_another_is_new() {
        let d = dir("seen");
        let r = CreatedJobs::at(&d);
        assert_eq!(r.get(TOKEN), None);
        assert_eq!(r.record(TOKEN, A).unwrap(), Seen::New);
        assert_eq!(r.get(TOKEN).as_deref(), Some(A));
        assert_eq!(r.record(TOKEN, A).unwrap(), Seen::Again);
        // The service forgot the token and made another job.
        assert_eq!(r.record(TOKEN, B).unwrap(), Seen::Replaced);
        assert_eq!(r.get(TOKEN).as_deref(), Some(B));
        assert_eq!(r.record(TOKEN, B).unwrap(), Seen::Again);
        // No temporary file is left behind.
        let names: Vec<String> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [TOKEN]);
        assert!(r.record("../../etc/passwd", A).is_err(), "never a path");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_chosen_default_name_is_kept_per_source_and_region() {
        let d = dir("names");
        let r = CreatedJobs::at(&d);
        assert_eq!(r.default_name("arn:src", "us-east-1"), None);
        r.remember_default_name("arn:src", "us-east-1", "abc-copy")
            .unwrap();
        assert_eq!(
            r.default_name("arn:src", "us-east-1").as_deref(),
            Some("abc-copy")
        );
        assert_eq!(r.default_name("arn:src", "us-west-2"), None);
        assert_eq!(r.default_name("arn:other", "us-east-1"), None);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn two_processes_sending_the_same_request_at_once_see_one_new_job() {
        let d = dir("race");
        let seen: Vec<Seen> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| CreatedJobs::at(&d).record(TOKEN, A).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            seen.iter().filter(|s| **s == Seen::New).count(),
            1,
            "{seen:?}"
        );
        assert!(seen.iter().all(|s| matches!(s, Seen::New | Seen::Again)));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
