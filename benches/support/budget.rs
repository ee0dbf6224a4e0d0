//! The budgets a bench promises, checked in the bench itself: each figure
//! is measured (the median of several runs, on this machine's clock),
//! compared with its budget, said PASS or FAIL, and the bench exits
//! non-zero when any is over. Benches are run by hand (`cargo bench`), not
//! in CI; the check runs only under `cargo bench` (`--bench`), not when
//! `cargo test --benches` runs each bench once.

// Each bench includes this file and uses what its budgets need.
#![allow(dead_code)]

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Budgets {
    over: Vec<String>,
}

/// Whether the bench runs as a benchmark (`cargo bench`), not as a test.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The median time of `runs` runs of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

impl Budgets {
    /// A time against its budget.
    pub fn time(&mut self, what: &str, took: Duration, budget: Duration) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        self.check(
            what,
            took <= budget,
            &format!("{:.3} ms (budget {:.3} ms)", ms(took), ms(budget)),
        );
    }

    /// A share (0 to 1) against its budget.
    pub fn share(&mut self, what: &str, share: f64, budget: f64) {
        self.check(
            what,
            share <= budget,
            &format!("{:.1} % (budget {:.1} %)", share * 100.0, budget * 100.0),
        );
    }

    fn check(&mut self, what: &str, within: bool, figures: &str) {
        let verdict = if within { "PASS" } else { "FAIL" };
        println!("{verdict} {what}: {figures}");
        if !within {
            self.over.push(what.to_string());
        }
    }

    /// Exits non-zero when a figure was over its budget.
    pub fn finish(self) {
        if self.over.is_empty() {
            println!("every budget met");
        } else {
            println!("over budget: {}", self.over.join("; "));
            std::process::exit(1);
        }
    }
}
