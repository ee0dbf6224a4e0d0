//! The calls the watching engine needs of a service: the SDK client is
//! the real one; tests also run the engine against an in-memory service.

use crate::aws::{self, FetchError, ModelPage, Page};
use crate::domain::job::CopyJob;
use crate::domain::query::Filter;
use aws_sdk_bedrock::Client;
use futures::future::BoxFuture;

/// ListModelCopyJobs (one page) and GetModelCopyJob.
pub trait Api: Sync {
    fn list_page<'a>(
        &'a self,
        filter: &'a Filter,
        page_size: usize,
        token: Option<String>,
    ) -> BoxFuture<'a, Result<Page, FetchError>>;
    fn get_job<'a>(&'a self, arn: &'a str) -> BoxFuture<'a, Result<CopyJob, FetchError>>;
    /// ListCustomModels, one page. A service of jobs alone (the engine's
    /// in-memory ones) has no models.
    fn list_models_page<'a>(
        &'a self,
        _page_size: usize,
        _token: Option<String>,
    ) -> BoxFuture<'a, Result<ModelPage, FetchError>> {
        Box::pin(async { Ok(ModelPage::default()) })
    }
}

impl Api for Client {
    fn list_page<'a>(
        &'a self,
        filter: &'a Filter,
        page_size: usize,
        token: Option<String>,
    ) -> BoxFuture<'a, Result<Page, FetchError>> {
        Box::pin(aws::list_page(self, filter, page_size, token))
    }
    fn get_job<'a>(&'a self, arn: &'a str) -> BoxFuture<'a, Result<CopyJob, FetchError>> {
        Box::pin(aws::get_job(self, arn))
    }
    fn list_models_page<'a>(
        &'a self,
        page_size: usize,
        token: Option<String>,
    ) -> BoxFuture<'a, Result<ModelPage, FetchError>> {
        Box::pin(aws::list_models_page(self, page_size, token))
    }
}
