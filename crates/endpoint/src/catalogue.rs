//! The account's models as the endpoint keeps them (see [`super::models`]):
//! plain data, so that the emulator can hold them without depending on the
//! code that makes and lists them.

use super::model::ShortId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One custom model as ListCustomModels shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomModel {
    pub arn: String,
    pub id: ShortId,
    pub name: String,
    /// Microseconds, cut to the data set's precision.
    pub created_us: i64,
    /// The foundation model it was customized from (`baseModelArn`), or
    /// for an imported one its own ARN (the shape requires one).
    pub base_arn: String,
    pub base_name: String,
    pub customization: String,
    pub status: String,
    pub owner: String,
}

/// One model of ListImportedModels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedModel {
    pub arn: String,
    pub id: ShortId,
    pub name: String,
    pub created_us: i64,
    pub architecture: &'static str,
    pub instruct: bool,
}

/// The models of one data set that do not change: originals and never
/// copied, and the imported ones.
#[derive(Debug, Default)]
pub struct Fixed {
    pub custom: Vec<CustomModel>,
    pub imported: Vec<ImportedModel>,
}

/// Kept per (account, region), made on first ask.
pub type Catalogues = Mutex<HashMap<(String, String), Arc<Fixed>>>;

/// The models the data sets copy, by (owner, home region), each by ARN
/// with its name and its first copy (microseconds).
pub type Copied = HashMap<(String, String), HashMap<String, (Option<String>, i64)>>;
