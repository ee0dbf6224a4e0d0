//! Retries for scripts: an endpoint that refuses connections will not start
//! accepting them in a minute, while throttling passes if one waits. So a
//! network error gets a couple of quick tries and fails within seconds, and
//! throttling or a 5xx gets ten with growing waits; each wait is said on
//! stderr when a person is watching.
//!
//! The SDK's own retries are off for these calls (one attempt each), so the
//! count here is the count the endpoint sees. `AWS_MAX_ATTEMPTS` means what
//! it means to the AWS CLI, the attempts of a request in all: when set, it
//! is the count for every kind of failure.

use crate::aws::{ErrorKind, FetchError};
use std::future::Future;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all for a network error (refused, reset, timed out).
    pub network: u32,
    /// Attempts in all for throttling and the service's 5xx answers.
    pub busy: u32,
    /// The first wait's ceiling; each next one doubles, up to `max`. The
    /// wait itself is drawn below it ([`super::backoff`]'s full jitter).
    pub base: Duration,
    pub max: Duration,
    /// Where the waits' draws start: fixed in tests, the process's own in
    /// the verbs, so scripts throttled together do not retry together.
    pub seed: u64,
}

impl Default for RetryPolicy {
    /// The headless verbs' policy: [`RetryPolicy::standard`], or
    /// `AWS_MAX_ATTEMPTS` attempts in all when it is set (checked at start).
    fn default() -> RetryPolicy {
        let configured = crate::aws::max_attempts_from_env().ok().flatten();
        RetryPolicy {
            seed: process_seed(),
            ..RetryPolicy::standard()
        }
        .limited_to(configured)
    }
}

/// This process's seed for its waits: its id and the time it started.
fn process_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    super::backoff::mix(u64::from(std::process::id()), nanos)
}

impl RetryPolicy {
    /// A few quick tries for a network error, ten patient ones for
    /// throttling and 5xx.
    pub fn standard() -> RetryPolicy {
        RetryPolicy {
            network: 3,
            busy: 10,
            base: Duration::from_millis(500),
            max: Duration::from_secs(20),
            seed: 0,
        }
    }

    /// The same policy drawing apart from its siblings: for calls made in
    /// parallel (a window's reads, one Get per job), which would otherwise
    /// wait the same waits.
    pub fn salted(self, salt: u64) -> RetryPolicy {
        RetryPolicy {
            seed: super::backoff::mix(self.seed, salt),
            ..self
        }
    }

    /// `attempts` in all, whatever the failure, when the user set a count.
    pub fn limited_to(self, attempts: Option<u32>) -> RetryPolicy {
        match attempts {
            Some(n) => RetryPolicy {
                network: n.max(1),
                busy: n.max(1),
                ..self
            },
            None => self,
        }
    }
}

/// One wait, as told to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNote {
    pub wait: Duration,
    /// The attempt about to be made, of `of`.
    pub attempt: u32,
    pub of: u32,
    pub error: String,
    /// What kind of failure is waited out (throttling slows a parallel read).
    pub kind: ErrorKind,
}

impl std::fmt::Display for RetryNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "retrying in {:.1} s (attempt {}/{}): {}",
            self.wait.as_secs_f64(),
            self.attempt,
            self.of,
            self.error
        )
    }
}

/// The service's answers that mean "not now" rather than "no".
fn busy(e: &FetchError) -> bool {
    e.kind == ErrorKind::Throttled
        || (e.kind == ErrorKind::Service
            && [
                "InternalServerException",
                "ServiceUnavailableException",
                "InternalFailure",
                "ServiceUnavailable",
            ]
            .iter()
            .any(|code| e.message.starts_with(code)))
}

impl RetryPolicy {
    /// How many attempts an error of this kind gets in all.
    pub fn attempts_for(&self, e: &FetchError) -> u32 {
        if e.kind == ErrorKind::Network {
            self.network
        } else if busy(e) {
            self.busy
        } else {
            1
        }
    }

    /// The wait before attempt `next` (2, 3, …): full jitter below `base`
    /// doubled per failure, at most `max`.
    pub fn wait(&self, next: u32) -> Duration {
        let failures = next.saturating_sub(1);
        let draw = super::backoff::draw(self.seed, failures);
        super::backoff::full_jitter(failures, self.base, self.max, draw)
    }

    /// Runs `op` until it succeeds, fails for good, or runs out of attempts
    /// for its kind of failure; `note` hears each wait before it starts.
    pub async fn run<T, F, Fut>(
        &self,
        mut op: F,
        note: impl Fn(&RetryNote),
    ) -> Result<T, FetchError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, FetchError>>,
    {
        let mut attempt = 1;
        loop {
            match op().await {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let of = self.attempts_for(&e);
                    if attempt >= of {
                        return Err(e);
                    }
                    attempt += 1;
                    let wait = self.wait(attempt);
                    note(&RetryNote {
                        wait,
                        attempt,
                        of,
                        error: e.message.clone(),
                        kind: e.kind,
                    });
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

/// The note on stderr, only for a person at a terminal.
pub fn stderr_note(n: &RetryNote) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        // On its own line, never glued onto a progress line.
        crate::output::progress::note(&format!(
            "copyjobs: {}",
            crate::output::sanitize::clean(&n.to_string())
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn err(kind: ErrorKind, msg: &str) -> FetchError {
        FetchError::new(kind, msg, None)
    }

    #[test]
    fn a_refused_connection_fails_within_seconds_throttling_waits_longer() {
        let p = RetryPolicy::standard();
        // The ceilings, by hand: 0.5 s doubled per failure, at most 20 s.
        let ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0, 20.0];
        let ceiling = |n: u32| (2..=n).map(|a| ceilings[a as usize - 2]).sum::<f64>();
        let refused = err(ErrorKind::Network, "Connection refused (os error 111)");
        assert_eq!(p.attempts_for(&refused), 3);
        assert!(ceiling(3) <= 2.0, "{}", ceiling(3));
        let throttled = err(ErrorKind::Throttled, "ThrottlingException: Rate exceeded");
        assert_eq!(p.attempts_for(&throttled), 10);
        assert!(ceiling(10) >= 60.0, "{}", ceiling(10));
        let internal = err(ErrorKind::Service, "InternalServerException: oops");
        assert_eq!(p.attempts_for(&internal), 10);
        let denied = err(ErrorKind::Service, "AccessDeniedException: no");
        assert_eq!(p.attempts_for(&denied), 1, "a refusal is final");
        // Each wait is drawn below its ceiling, whatever the seed.
        for seed in 0..200 {
            let p = p.salted(seed);
            for next in 2..=10 {
                let ceiling = Duration::from_secs_f64(ceilings[next as usize - 2]);
                assert!(p.wait(next) <= ceiling, "{next}: {:?}", p.wait(next));
            }
            assert!(p.wait(30) <= Duration::from_secs(20));
        }
        // The same seed waits the same; parallel calls salted apart do not.
        assert_eq!(p.wait(4), p.wait(4));
        assert_ne!(p.salted(1).wait(4), p.salted(2).wait(4));
        // A count the user set is the count, for every kind of failure.
        let two = p.limited_to(Some(2));
        assert_eq!(two.attempts_for(&refused), 2);
        assert_eq!(two.attempts_for(&throttled), 2);
        assert_eq!(p.limited_to(Some(1)).attempts_for(&internal), 1);
        assert_eq!(p.limited_to(None), p);
    }

    #[tokio::test(start_paused = true)]
    async fn each_wait_is_told_and_counted() {
        let p = RetryPolicy::standard();
        let notes = Mutex::new(Vec::new());
        let calls = Mutex::new(0);
        let out: Result<(), _> = p
            .run(
                || async {
                    *calls.lock().unwrap() += 1;
                    Err(err(ErrorKind::Network, "Connection refused"))
                },
                |n| notes.lock().unwrap().push(n.to_string()),
            )
            .await;
        assert!(out.is_err());
        assert_eq!(*calls.lock().unwrap(), 3);
        // Each note says its wait, drawn below 0.5 s and then 1 s.
        let notes = notes.lock().unwrap().clone();
        assert_eq!(notes.len(), 2, "{notes:?}");
        for (note, (attempt, ceiling)) in notes.iter().zip([("2/3", 0.5), ("3/3", 1.0)]) {
            let secs: f64 = note
                .strip_prefix("retrying in ")
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(f64::MAX);
            assert!(secs <= ceiling, "{note}");
            let tail = format!(" s (attempt {attempt}): Connection refused");
            assert!(note.ends_with(&tail), "{note}");
        }
        // Success after a throttle: one note, the value back.
        let calls = Mutex::new(0);
        let v = p
            .run(
                || async {
                    let mut c = calls.lock().unwrap();
                    *c += 1;
                    if *c == 1 {
                        Err(err(ErrorKind::Throttled, "ThrottlingException"))
                    } else {
                        Ok(7)
                    }
                },
                |_| {},
            )
            .await;
        assert_eq!(v, Ok(7));
    }
}
