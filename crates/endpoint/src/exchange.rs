//! What the router and the services it hands a request to share: who
//! signed it, what the log line learns of it, and how an answer is
//! written. Its own module so that `sts` and `organizations` need not
//! import the server that imports them.

use super::emulator::Emulator;
use super::identity::Issued;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};

pub(crate) type Body = BoxBody<Bytes, std::io::Error>;

pub(crate) fn full(bytes: Vec<u8>) -> Body {
    Full::new(Bytes::from(bytes))
        .map_err(|never| match never {})
        .boxed()
}

pub(crate) fn respond(
    status: u16,
    body: Vec<u8>,
    request_id: &str,
    error: Option<&str>,
) -> Response<Body> {
    respond_as("application/json", status, body, request_id, error)
}

/// A response of `content_type` (STS answers XML, Organizations JSON 1.1).
pub(crate) fn respond_as(
    content_type: &'static str,
    status: u16,
    body: Vec<u8>,
    request_id: &str,
    error: Option<&str>,
) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    if let Some(e) = error.and_then(|e| HeaderValue::from_str(e).ok()) {
        h.insert("x-amzn-ErrorType", e);
    }
    r
}

/// Who signed a request, for which region and service.
pub(crate) struct Signed {
    pub region: String,
    /// The credential scope's service: `bedrock`, `sts` or `organizations`.
    pub service: String,
    /// Credentials this endpoint issued (AssumeRole, GetRoleCredentials);
    /// `None`: the caller's own, signing as the caller's account.
    pub issued: Option<Issued>,
}

impl Signed {
    /// The account the request acts in.
    pub fn account<'a>(&'a self, emu: &'a Emulator) -> &'a str {
        self.issued
            .as_ref()
            .map_or(emu.account.as_str(), |i| &i.account)
    }

    /// The principal as IAM names it in a refusal.
    pub fn principal(&self, emu: &Emulator) -> String {
        self.issued
            .as_ref()
            .map_or_else(|| emu.caller_arn(), Issued::arn)
    }

    /// Whether the issued credentials have run out by the endpoint's clock.
    pub fn expired(&self, emu: &Emulator) -> bool {
        self.issued
            .as_ref()
            .is_some_and(|i| emu.clock.now_ms() >= i.expires_ms)
    }
}

/// What the log line knows of a request once it is answered.
#[derive(Default)]
pub(crate) struct Seen {
    pub region: Option<String>,
    pub operation: Option<&'static str>,
    /// The response will be cut off mid-body (`--drop-rate`).
    pub dropped: bool,
}
