//! The dashboard at work: the router (`update`) over the table's keys and
//! the panes, the event loop and the terminal (`run`), and the effects
//! runner, where all the dashboard's I/O happens (`effects`). Above `app`
//! (the model), `ui` (drawing) and `panes` (the components).

pub mod effects;
pub mod keys;
pub mod run;
pub mod start;
pub mod update;

pub use update::update;
