//! Injected faults, drawn from a seeded generator so a run can be replayed.

use super::options::EmulatorOptions;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    Throttle,
    InternalError,
    /// Send half of the response, then close the connection.
    Drop,
}

#[derive(Debug)]
pub struct Faults {
    throttle: f64,
    error: f64,
    drop: f64,
    /// Changeable while serving: a test slows the endpoint down mid-run.
    latency: Mutex<Option<(u64, u64)>>,
    rng: Mutex<ChaCha8Rng>,
}

impl Faults {
    pub fn new(o: &EmulatorOptions) -> Self {
        Faults {
            throttle: o.throttle_rate,
            error: o.error_rate,
            drop: o.drop_rate,
            latency: Mutex::new(o.latency),
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(o.seed ^ 0xfa17)),
        }
    }

    /// Sets the latency of the requests from now on (`--latency`).
    pub fn set_latency(&self, latency: Option<(u64, u64)>) {
        *self.latency.lock().unwrap_or_else(|e| e.into_inner()) = latency;
    }

    /// Latency to add and the fault to inject for one request.
    pub fn draw(&self) -> (Option<Duration>, Fault) {
        let latency = *self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let mut r = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let latency = latency
            .map(|(a, b)| Duration::from_millis(if a == b { a } else { r.random_range(a..=b) }));
        let roll: f64 = r.random();
        let fault = if roll < self.throttle {
            Fault::Throttle
        } else if roll < self.throttle + self.error {
            Fault::InternalError
        } else if roll < self.throttle + self.error + self.drop {
            Fault::Drop
        } else {
            Fault::None
        };
        (latency, fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_honoured_roughly_and_exactly_at_the_ends() {
        let o = EmulatorOptions {
            throttle_rate: 0.2,
            error_rate: 0.1,
            drop_rate: 0.0,
            ..Default::default()
        };
        let f = Faults::new(&o);
        let draws: Vec<Fault> = (0..10_000).map(|_| f.draw().1).collect();
        let n = |k| draws.iter().filter(|d| **d == k).count();
        assert!(
            (1700..2300).contains(&n(Fault::Throttle)),
            "{}",
            n(Fault::Throttle)
        );
        assert!((800..1200).contains(&n(Fault::InternalError)));
        assert_eq!(n(Fault::Drop), 0);
        let all = Faults::new(&EmulatorOptions {
            drop_rate: 1.0,
            ..Default::default()
        });
        assert!((0..100).all(|_| all.draw().1 == Fault::Drop));
    }
}
