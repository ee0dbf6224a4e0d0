//! AWS access: the client per source, the calls, and errors as advice.

pub mod calls;
pub mod cap;
pub mod client;
pub mod connector;
pub mod discover;
pub mod error;
pub mod identity;
pub mod org;
pub mod profiles;
pub mod roles;
pub mod sso;

pub use calls::{ModelPage, Page, create_job, get_job, list_models_page, list_page};
pub use client::{Connection, Target, endpoint_in_use, max_attempts_from_env};
pub use connector::connect;
pub use error::{ErrorKind, FetchError};
