//! Pins that outlive the session: the pinned jobs are kept with the
//! remembered view, and the next start reads each one back (one
//! GetModelCopyJob, in its region) to pin it again, whatever the filter
//! and however far down the listing it is.

/// Last session's pins on their way back.
#[derive(Debug, Clone, Default)]
pub struct Restore {
    /// Not asked for yet: no source's region is known to match.
    pub waiting: Vec<String>,
    /// Asked for, no answer yet.
    pub asked: Vec<String>,
}

impl Restore {
    /// Every pin not back yet, to keep if the session ends first.
    pub fn pending(&self) -> impl Iterator<Item = &String> {
        self.asked.iter().chain(&self.waiting)
    }
}

/// A pin read back, or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub arn: String,
    pub error: String,
    /// The job no longer exists: the pin is dropped, not kept for later.
    pub gone: bool,
}
