//! The local Bedrock endpoint: a faithful emulator of the model copy-job API.
//!
//! `serve` runs it alone; `demo` and the tests run it in-process on a free
//! loopback port and talk to it through the real SDK.

pub mod api;
pub mod clock;
pub mod cursor;
pub mod dataset;
pub mod faults;
pub mod model;
pub mod names;
pub mod options;
pub mod server;
pub mod sigv4;
pub mod store;

use clock::Clock;
use cursor::TokenCodec;
use dataset::RegionProfile;
use faults::Faults;
pub use options::EmulatorOptions;
pub use server::Server;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use store::Store;

/// The endpoint's state: one store per region, the clock, faults.
pub struct Emulator {
    pub options: EmulatorOptions,
    pub clock: Clock,
    pub codec: TokenCodec,
    pub faults: Faults,
    regions: Mutex<HashMap<String, Arc<Mutex<Store>>>>,
    requests: AtomicU64,
}

impl Emulator {
    /// Builds the data sets of the listed regions up front, so the first
    /// request is as fast as any other.
    pub fn new(options: EmulatorOptions) -> Arc<Emulator> {
        let start = options
            .now
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let key: [u8; 32] = Sha256::digest(format!("copyjobs-token-key|{}", options.seed)).into();
        let emu = Arc::new(Emulator {
            clock: Clock::new(start, options.frozen),
            codec: TokenCodec::new(key),
            faults: Faults::new(&options),
            regions: Mutex::new(HashMap::new()),
            requests: AtomicU64::new(0),
            options,
        });
        for r in emu.options.regions.clone() {
            emu.store(&r);
        }
        emu
    }

    /// The store of `region`, made on first use.
    pub fn store(&self, region: &str) -> Arc<Mutex<Store>> {
        let mut regions = self.regions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = regions.get(region) {
            return s.clone();
        }
        let listed =
            self.options.regions.is_empty() || self.options.regions.iter().any(|r| r == region);
        let (jobs, rate) = if listed {
            (self.options.jobs, self.options.arrival_rate)
        } else {
            (0, 0.0)
        };
        let profile = RegionProfile::new(self.options.seed, region);
        let store = Arc::new(Mutex::new(Store::generate(
            profile,
            jobs,
            self.clock.start_ms(),
            rate,
            self.options.speed,
        )));
        regions.insert(region.to_string(), store.clone());
        store
    }

    /// The region used when a request names none (Bearer tokens carry no scope).
    pub fn default_region(&self) -> &str {
        self.options
            .regions
            .first()
            .map_or("us-east-1", String::as_str)
    }

    /// A request id in the service's format, unique per request.
    pub fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let h = dataset::mix(self.options.seed, n);
        let l = dataset::mix(h, n);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xfff,
            0x8000 | (l >> 48 & 0x3fff),
            l & 0xffff_ffff_ffff
        )
    }
}
