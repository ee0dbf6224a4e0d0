//! A cap on the requests in flight, every client of the process together
//! (`--max-in-flight`): an organisation's 300 sources asked at once would
//! otherwise open 300 connections and, throttled, be refused together.
//!
//! It sits in the HTTP client every SDK client shares, so it counts what
//! goes on the wire: every source's listings and Gets, the windows of a
//! whole listing, the SDK's own retries, STS and Identity Center calls.

use aws_sdk_bedrock::config::{
    ConfigBag, HttpClient, RuntimeComponents, RuntimeComponentsBuilder, SharedHttpClient,
};
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The cap when none is asked for: enough to keep a 100 ms service busy
/// (160 requests a second) without hammering it.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;

/// `inner` with at most `cap` requests between sent and answered.
pub fn capped(inner: SharedHttpClient, cap: usize) -> SharedHttpClient {
    SharedHttpClient::new(Capped {
        inner,
        gate: Arc::new(Semaphore::new(cap.max(1))),
    })
}

#[derive(Debug)]
struct Capped {
    inner: SharedHttpClient,
    gate: Arc<Semaphore>,
}

impl HttpClient for Capped {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CappedConnector {
            inner: self.inner.http_connector(settings, components),
            gate: self.gate.clone(),
        })
    }

    fn validate_base_client_config(
        &self,
        runtime_components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        self.inner
            .validate_base_client_config(runtime_components, cfg)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct CappedConnector {
    inner: SharedHttpConnector,
    gate: Arc<Semaphore>,
}

impl HttpConnector for CappedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, gate) = (self.inner.clone(), self.gate.clone());
        HttpConnectorFuture::new(async move {
            // Held until the answer's head is in: its small body follows at once.
            let _permit = gate.acquire_owned().await;
            inner.call(request).await
        })
    }
}
