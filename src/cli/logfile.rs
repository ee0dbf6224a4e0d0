//! The dashboard's log: a file in the platform's state directory, never the
//! screen (a log line would tear through the frame). Bounded: a file past
//! [`MAX_BYTES`] at start moves to `copyjobs.log.1`, replacing the one
//! before, so two files at most are kept.
//!
//! Written here rather than with `tracing-appender`: its
//! `RollingFileAppender` rolls by time only (minutely to daily; size-based
//! rolling was proposed in tokio-rs/tracing#2904 and not merged), so a
//! dashboard left open for a week under `RUST_LOG=debug` would still grow
//! one file without bound, and it opens files with the process's umask
//! where this log is its user's alone (`config::private`, 0600). What is
//! left by hand is one size check and one rename at start.

use std::path::{Path, PathBuf};

pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// `--log-file`, else `$XDG_STATE_HOME/copyjobs/copyjobs.log`.
pub fn path(flag: Option<&Path>) -> Option<PathBuf> {
    match flag {
        Some(p) => Some(p.to_path_buf()),
        None => crate::config::state_dir().map(|d| d.join("copyjobs.log")),
    }
}

/// Opens the log for appending, rotating it first when it is too big.
pub fn open(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        crate::config::private::create_dir_all(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_BYTES) {
        let mut old = path.as_os_str().to_owned();
        old.push(".1");
        std::fs::rename(path, old)?;
    }
    crate::config::private::append(path)
}

/// Sends `tracing` to the log file (info and up, `RUST_LOG` overrides).
/// A log that cannot be opened is not a reason to refuse to start: the
/// dashboard runs without one and says so on stderr before it starts.
pub fn init(path: &Path) -> bool {
    match open(path) {
        Ok(file) => {
            let filter = tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("copyjobs=info,warn"));
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::sync::Mutex::new(file))
                .with_ansi(false)
                .init();
            true
        }
        Err(e) => {
            eprintln!(
                "copyjobs: cannot open the log file {}: {e} (running without a log)",
                path.display()
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_log_is_rotated_and_only_one_old_one_kept() {
        let dir = std::env::temp_dir().join(format!("copyjobs-log-{}", std::process::id()));
        let path = dir.join("state/copyjobs.log");
        drop(open(&path).unwrap());
        let big = vec![b'x'; MAX_BYTES as usize + 1];
        std::fs::write(&path, &big).unwrap();
        drop(open(&path).unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "a fresh log");
        let old = dir.join("state/copyjobs.log.1");
        assert_eq!(std::fs::metadata(&old).unwrap().len(), big.len() as u64);
        #[cfg(unix)]
        for p in [&path, &old] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is its user's alone", p.display());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
