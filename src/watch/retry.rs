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
    /// The first wait; each next one doubles, up to `max`.
    pub base: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    /// The headless verbs' policy: [`RetryPolicy::standard`], or
    /// `AWS_MAX_ATTEMPTS` attempts in all when it is set (checked at start).
    fn default() -> RetryPolicy {
        let configured = crate::aws::max_attempts_from_env().ok().flatten();
        RetryPolicy::standard().limited_to(configured)
    }
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

    /// The wait before attempt `next` (2, 3, …).
    pub fn wait(&self, next: u32) -> Duration {
        let doublings = next.saturating_sub(2).min(16);
        (self.base * 2u32.pow(doublings)).min(self.max)
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
        let total = |n: u32| (2..=n).map(|a| p.wait(a)).sum::<Duration>();
        let refused = err(ErrorKind::Network, "Connection refused (os error 111)");
        assert_eq!(p.attempts_for(&refused), 3);
        assert!(total(3) <= Duration::from_secs(2), "{:?}", total(3));
        let throttled = err(ErrorKind::Throttled, "ThrottlingException: Rate exceeded");
        assert_eq!(p.attempts_for(&throttled), 10);
        assert!(total(10) >= Duration::from_secs(60));
        let internal = err(ErrorKind::Service, "InternalServerException: oops");
        assert_eq!(p.attempts_for(&internal), 10);
        let denied = err(ErrorKind::Service, "AccessDeniedException: no");
        assert_eq!(p.attempts_for(&denied), 1, "a refusal is final");
        assert_eq!(p.wait(2), Duration::from_millis(500));
        assert_eq!(p.wait(30), Duration::from_secs(20));
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
        assert_eq!(
            *notes.lock().unwrap(),
            [
                "retrying in 0.5 s (attempt 2/3): Connection refused",
                "retrying in 1.0 s (attempt 3/3): Connection refused"
            ]
        );
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
