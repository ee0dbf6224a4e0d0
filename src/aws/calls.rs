//! The SDK calls every verb shares, converted into the domain's types once.

use super::error::FetchError;
use crate::domain::job::{CopyJob, to_sdk_time};
use crate::domain::query::Filter;
use aws_sdk_bedrock::Client;
use aws_sdk_bedrock::types::{ModelCopyJobStatus, SortJobsBy};
use std::sync::atomic::{AtomicU64, Ordering};

/// Calls made by this process, by operation: what `--stats` reports at exit
/// (counted here, where every call passes, not guessed from the engine).
pub static LISTS: AtomicU64 = AtomicU64::new(0);
pub static GETS: AtomicU64 = AtomicU64::new(0);
pub static CREATES: AtomicU64 = AtomicU64::new(0);
pub static MODEL_LISTS: AtomicU64 = AtomicU64::new(0);

/// One page of the account's custom models and the token of the next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelPage {
    pub models: Vec<crate::domain::custom_model::CustomModel>,
    pub next_token: Option<String>,
}

/// The one ListCustomModels call: every model the account owns in the
/// client's region, oldest first (the order does not matter to a reader
/// that reads them all; asked, so that models made while it reads come
/// last rather than shift the pages).
pub async fn list_models_page(
    client: &Client,
    page_size: usize,
    token: Option<String>,
) -> Result<ModelPage, FetchError> {
    MODEL_LISTS.fetch_add(1, Ordering::Relaxed);
    let page_size = i32::try_from(page_size.clamp(1, 1000)).unwrap_or(100);
    let out = client
        .list_custom_models()
        .sort_by(aws_sdk_bedrock::types::SortModelsBy::CreationTime)
        .sort_order(aws_sdk_bedrock::types::SortOrder::Ascending)
        .max_results(page_size)
        .set_next_token(token)
        .send()
        .await
        .map_err(FetchError::from_sdk)?;
    Ok(ModelPage {
        models: out
            .model_summaries()
            .iter()
            .map(crate::domain::custom_model::CustomModel::from)
            .collect(),
        next_token: out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

/// One page of jobs and the token of the next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub jobs: Vec<CopyJob>,
    pub next_token: Option<String>,
    /// What the service broke of the request's promises on the way to
    /// these jobs (the pager fills it in; see `domain::promises`).
    pub unkept: crate::domain::promises::Unkept,
}

/// The one ListModelCopyJobs call: every verb pages through this (by way
/// of `watch::pager`, which makes its bounds strict).
pub async fn list_page(
    client: &Client,
    filter: &Filter,
    page_size: usize,
    token: Option<String>,
) -> Result<Page, FetchError> {
    LISTS.fetch_add(1, Ordering::Relaxed);
    let page_size = i32::try_from(page_size.clamp(1, 1000)).unwrap_or(100);
    let out = client
        .list_model_copy_jobs()
        .sort_by(SortJobsBy::CreationTime)
        .sort_order(filter.sort.to_sdk())
        .set_status_equals(
            filter
                .status
                .as_ref()
                .map(|s| ModelCopyJobStatus::from(s.as_str())),
        )
        .set_creation_time_after(filter.created_after.map(to_sdk_time))
        .set_creation_time_before(filter.created_before.map(to_sdk_time))
        .set_target_model_name_contains(filter.name_contains.clone())
        .set_source_account_equals(filter.source_account.clone())
        .set_source_model_arn_equals(filter.source_model_arn.clone())
        .max_results(page_size)
        .set_next_token(token)
        .send()
        .await
        .map_err(FetchError::from_sdk)?;
    Ok(Page {
        jobs: out
            .model_copy_job_summaries()
            .iter()
            .map(CopyJob::from)
            .collect(),
        next_token: out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        unkept: Default::default(),
    })
}

pub async fn get_job(client: &Client, arn: &str) -> Result<CopyJob, FetchError> {
    GETS.fetch_add(1, Ordering::Relaxed);
    let out = client
        .get_model_copy_job()
        .job_arn(arn)
        .send()
        .await
        .map_err(FetchError::from_sdk)?;
    Ok(CopyJob::from(&out))
}

/// CreateModelCopyJob in the request's region (the client must sign for
/// it); the new job's ARN. The token makes a repeat create nothing new.
pub async fn create_job(
    client: &Client,
    req: &crate::domain::copy::CopyRequest,
) -> Result<String, FetchError> {
    CREATES.fetch_add(1, Ordering::Relaxed);
    let tags = req
        .tags
        .iter()
        .map(|t| {
            aws_sdk_bedrock::types::Tag::builder()
                .key(&*t.key)
                .value(&*t.value)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| FetchError::new(super::ErrorKind::Other, e.to_string(), None))?;
    let out = client
        .create_model_copy_job()
        .source_model_arn(&req.source_model_arn)
        .target_model_name(&req.target_model_name)
        .set_model_kms_key_id(req.kms_key_id.clone())
        .set_target_model_tags((!tags.is_empty()).then_some(tags))
        .client_request_token(req.token())
        .send()
        .await
        .map_err(FetchError::from_sdk)?;
    Ok(out.job_arn().to_string())
}
