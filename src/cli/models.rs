//! `copyjobs models`: the replication matrix of the filter window (see
//! [`crate::domain::matrix`]), read through the same engine as `list`.

use crate::cli::headless::{filter, io_exit, output_width};
use crate::cli::reading::{pretty, read_window_and_models};
use crate::cli::{ModelsArgs, ModelsFormat};
use crate::domain::copy_regions::CopyRegions;
use crate::domain::matrix::Matrix;
use crate::output::matrix::{json, table, write_csv};
use chrono::Utc;
use std::process::ExitCode;

/// `models`; `regions` says where copies of each base model can go (the
/// shipped table under the config's rows).
pub async fn models(args: ModelsArgs, regions: CopyRegions) -> ExitCode {
    let mut filter = match filter(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    // One meaning with M: a cell is the model's newest copy there, of any
    // status, so the matrix reads every status (a failed copy next to a
    // newer completed one is not a model missing from the region).
    if let Some(status) = filter.status.take() {
        eprintln!(
            "copyjobs: models shows every status, as M does (a cell is the newest copy of any status): status {} not applied",
            status.as_str()
        );
    }
    let window = filter.clone();
    let read = match read_window_and_models(&args.connect, filter, args.page_size, "jobs").await {
        Ok(r) => r,
        Err(code) => return code,
    };
    // The columns: the regions of the sources read, refused ones included
    // (their cells say nothing, and stderr says why).
    let mut matrix = Matrix::build(&read.regions, &read.jobs, regions);
    // Every model the accounts own, copied or not (a copy's own model is
    // its cell, not a row).
    matrix.add_models(read.models.iter().filter(|m| m.within(&window)));
    // The table names an account `name · id`; CSV keeps the id in its
    // column and the name in `sourceAccountName`.
    matrix.name_accounts(match args.output {
        ModelsFormat::Csv => read.names.clone(),
        _ => read.accounts.clone(),
    });
    let text = match args.output {
        ModelsFormat::Table => table(&matrix, output_width(), Utc::now()),
        ModelsFormat::Json => match pretty(&json(&matrix)) {
            Ok(s) => s,
            Err(code) => return code,
        },
        ModelsFormat::Csv => {
            let mut out = Vec::new();
            if let Err(e) = write_csv(&mut out, &matrix) {
                return io_exit(Err(e));
            }
            String::from_utf8_lossy(&out).into_owned()
        }
    };
    read.print(&text)
}
