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
        self.start_ms + self.offset_ms.load(Ordering::Relaxed) + run
    }

    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms.max(0), Ordering::Relaxed);
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
    }
}
