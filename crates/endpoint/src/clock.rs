//! The endpoint's clock. Job lifecycles and arrivals are functions of it, so
//! `--frozen` makes tests exact. It runs at the rate of real time, so a
//! dashboard on the same clock sees sensible ages; `--speed` scales the
//! lifecycle's durations instead (see `dataset`).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

#[derive(Debug)]
pub struct Clock {
    start_ms: i64,
    started: Instant,
    frozen: bool,
    /// Explicit advances (tests, `POST /_emulator/advance`).
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn new(start_ms: i64, frozen: bool) -> Self {
        Clock {
            start_ms,
            started: Instant::now(),
            frozen,
            offset_ms: AtomicI64::new(0),
        }
    }

    pub fn start_ms(&self) -> i64 {
        self.start_ms
    }

    pub fn now_ms(&self) -> i64 {
        let run = if self.frozen {
            0
        } else {
            self.started.elapsed().as_millis() as i64
        };
        self.start_ms
            .saturating_add(self.offset_ms.load(Ordering::Relaxed))
            .saturating_add(run)
    }

    /// Moves the clock `ms` forward, never back: a huge advance stops at
    /// the end of time rather than wrapping round to its start.
    pub fn advance(&self, ms: i64) {
        let forward = |o: i64| Some(o.saturating_add(ms.max(0)));
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, forward);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_when_told() {
        let c = Clock::new(1_000, true);
        assert_eq!(c.now_ms(), 1_000);
        c.advance(500);
        assert_eq!(c.now_ms(), 1_500);
        c.advance(-100);
        assert_eq!(c.now_ms(), 1_500);
        c.advance(i64::MAX);
        c.advance(i64::MAX);
        assert_eq!(c.now_ms(), i64::MAX);
    }
}
