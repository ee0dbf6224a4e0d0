//! HTTP for the endpoint: routing, authentication, faults, limits.
//!
//! Each connection is its own task, the store lock is never held across an
//! await, and headers and bodies must arrive within a deadline: a slow or
//! broken client cannot stall anyone else.

use super::api::{self, ApiError, Reply};
use super::emulator::Emulator;
use super::exchange::{Body, Seen, Signed, respond};
use super::faults::Fault;
use super::identity::SsoToken;
use super::sigv4::{self, Authorization};
use super::{models, models_api, organizations, sso, sts};
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response};
use http_body_util::{BodyExt, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Largest request body accepted.
pub const MAX_BODY: usize = 1 << 20;
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// A running endpoint. Dropping it without [`Server::shutdown`] leaves the
/// accept loop running until the runtime ends.
pub struct Server {
    pub addr: SocketAddr,
    pub emulator: Arc<Emulator>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Server {
    /// Binds `addr` (port 0 picks a free port) and starts serving.
    pub async fn start(emulator: Arc<Emulator>, addr: SocketAddr) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, emulator.clone(), stopped));
        Ok(Server {
            addr,
            emulator,
            stop,
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish (up to a few seconds).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.task).await;
    }
}

async fn accept_loop(
    listener: TcpListener,
    emu: Arc<Emulator>,
    mut stopped: watch::Receiver<bool>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let emu = emu.clone();
                let service = service_fn(move |req| {
                    let emu = emu.clone();
                    async move { Ok::<_, Infallible>(handle(&emu, req).await) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!("connection ended: {e}");
                    }
                });
            }
            _ = stopped.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

fn error_response(e: &ApiError, request_id: &str) -> Response<Body> {
    respond(e.status, e.body(), request_id, Some(e.code))
}

/// Half the body, then an I/O error: hyper closes the connection mid-response.
fn dropped(status: u16, body: Vec<u8>, request_id: &str) -> Response<Body> {
    let len = body.len();
    let half = Bytes::from(body[..len / 2].to_vec());
    let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(half)),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected drop",
        )),
    ];
    let mut r = respond(status, Vec::new(), request_id, None);
    *r.body_mut() = StreamBody::new(futures::stream::iter(frames)).boxed();
    r.headers_mut()
        .insert(http::header::CONTENT_LENGTH, HeaderValue::from(len));
    r
}

enum Route<'a> {
    List,
    Create,
    Get(&'a str),
    Tags,
    CustomModels,
    ImportedModels,
}

impl Route<'_> {
    /// The AWS operation name, as IAM, CloudTrail and the counters call it.
    fn operation(&self) -> &'static str {
        match self {
            Route::List => "ListModelCopyJobs",
            Route::Create => "CreateModelCopyJob",
            Route::Get(_) => "GetModelCopyJob",
            Route::Tags => "ListTagsForResource",
            Route::CustomModels => "ListCustomModels",
            Route::ImportedModels => "ListImportedModels",
        }
    }

    /// The resource an IAM denial names for this operation.
    fn resource(&self) -> &'static str {
        match self {
            Route::Tags | Route::CustomModels => "custom-model/*",
            Route::ImportedModels => "imported-model/*",
            _ => "model-copy-job/*",
        }
    }
}

fn route<'a>(method: &Method, path: &'a str) -> Result<Route<'a>, ApiError> {
    let route = match path.strip_prefix("/model-copy-jobs") {
        Some("" | "/") if method == Method::GET => Some(Route::List),
        Some("" | "/") if method == Method::POST => Some(Route::Create),
        Some(rest) if method == Method::GET => rest
            .strip_prefix('/')
            .filter(|seg| !seg.is_empty() && !seg.contains('/'))
            .map(Route::Get),
        _ if path == "/listTagsForResource" && method == Method::POST => Some(Route::Tags),
        _ if matches!(path, "/custom-models" | "/custom-models/") && method == Method::GET => {
            Some(Route::CustomModels)
        }
        _ if matches!(path, "/imported-models" | "/imported-models/") && method == Method::GET => {
            Some(Route::ImportedModels)
        }
        _ => None,
    };
    route.ok_or_else(|| {
        ApiError::new(
            404,
            "UnknownOperationException",
            format!("The local endpoint does not implement {method} {path}. It serves ListModelCopyJobs, GetModelCopyJob, CreateModelCopyJob, ListTagsForResource, ListCustomModels and ListImportedModels."),
        )
    })
}

/// Services answered on this port besides Bedrock, by credential scope.
const OTHER_SERVICES: &[&str] = &["sts", "organizations"];

/// Who signed a request, or why it is refused.
fn authenticate(
    emu: &Emulator,
    req: &http::request::Parts,
    body: &[u8],
) -> Result<Signed, ApiError> {
    let header = req
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let auth =
        sigv4::parse_authorization(header).map_err(|e| ApiError::access_denied(e.to_string()))?;
    match auth {
        Authorization::Bearer(_) if emu.options.credentials.is_some() => {
            Err(ApiError::access_denied(
                "Bearer tokens are not accepted while the endpoint verifies SigV4 credentials (--credentials).",
            ))
        }
        Authorization::Bearer(_) => Ok(Signed {
            region: emu.default_region().to_string(),
            service: "bedrock".to_string(),
            issued: None,
        }),
        Authorization::SigV4(sig) => {
            let refuse =
                |e: sigv4::AuthError| ApiError::new(e.status_code(), e.error_code(), e.to_string());
            if !OTHER_SERVICES.contains(&sig.service.as_str()) {
                sigv4::check_scope(&sig, "bedrock", None).map_err(refuse)?;
            }
            let verify = |secret: &str| {
                let query = req.uri.query().unwrap_or("");
                sigv4::verify(
                    &req.method,
                    req.uri.path(),
                    query,
                    &req.headers,
                    body,
                    &sig,
                    secret,
                )
                .map_err(refuse)
            };
            let invalid = || {
                ApiError::new(
                    403,
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                )
            };
            // Credentials this endpoint issued are always verified: their
            // secret is known, and they sign as their account.
            if let Some(issued) = emu.identities.issued(&sig.access_key_id) {
                let token = req
                    .headers
                    .get("x-amz-security-token")
                    .and_then(|v| v.to_str().ok());
                if token != Some(issued.session_token.as_str()) {
                    return Err(invalid());
                }
                verify(&issued.secret)?;
                return Ok(Signed {
                    region: sig.region,
                    service: sig.service,
                    issued: Some(issued),
                });
            }
            if let Some((akid, secret)) = &emu.options.credentials {
                if sig.access_key_id != *akid {
                    return Err(invalid());
                }
                verify(secret)?;
            }
            Ok(Signed {
                region: sig.region,
                service: sig.service,
                issued: None,
            })
        }
    }
}

async fn read_body(body: Incoming, declared: Option<u64>) -> Result<Bytes, ApiError> {
    let too_large = || {
        // Not ValidationException: the model gives that 400, and no
        // member's constraint is what is broken here.
        ApiError::new(
            413,
            "RequestEntityTooLargeException",
            format!("The request body exceeds the limit of {MAX_BODY} bytes."),
        )
    };
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large())
        }
        Ok(Err(e)) => Err(ApiError::new(
            400,
            "ValidationException",
            format!("The request body could not be read: {e}"),
        )),
        Err(_) => Err(ApiError::new(
            408,
            "RequestTimeoutException",
            "The request body did not arrive in time.",
        )),
    }
}

/// The refusal of a request in a `--deny-regions` region, worded as the
/// service words an explicit deny: a service control policy limiting regions
/// (`aws:RequestedRegion`) is how an account is usually kept out of one.
fn region_denied(emu: &Emulator, who: &Signed, route: &Route<'_>) -> ApiError {
    ApiError::access_denied(format!(
        "User: {caller} is not authorized to perform: bedrock:{op} on resource: arn:aws:bedrock:{region}:{account}:{resource} with an explicit deny in a service control policy",
        caller = who.principal(emu),
        region = who.region,
        account = who.account(emu),
        op = route.operation(),
        resource = route.resource(),
    ))
}

/// 9999-12-31T23:59:59.999Z, the last instant RFC 3339 can write.
const LAST_MS: i64 = 253_402_300_799_999;

/// Endpoints under `/_emulator/` drive the emulator itself (no auth, no
/// faults, not counted).
fn control(emu: &Emulator, method: &Method, path: &str, query: &str) -> Reply {
    match (method, path) {
        (&Method::GET, "/_emulator/health") => Ok((
            200,
            serde_json::json!({"now": super::model::format_time(emu.clock.now_ms())})
                .to_string()
                .into_bytes(),
        )),
        (&Method::POST, "/_emulator/credentials") => {
            // Every caller's session token expires (or is renewed) at once,
            // as when an SSO session runs out mid-session.
            let expired = match api::query_pairs(query)
                .into_iter()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v)
                .as_deref()
            {
                Some("expired") => true,
                Some("valid") => false,
                _ => {
                    return Err(ApiError::validation(
                        "credentials needs ?state=expired or ?state=valid",
                    ));
                }
            };
            emu.set_credentials_expired(expired);
            Ok((
                200,
                serde_json::json!({"credentials": if expired { "expired" } else { "valid" }})
                    .to_string()
                    .into_bytes(),
            ))
        }
        (&Method::POST, "/_emulator/advance") => {
            // The clock stops where RFC 3339 does: past it, no time could be
            // written, and an i64 of milliseconds would overflow long before
            // an f64 of seconds does.
            let room_ms = LAST_MS.saturating_sub(emu.clock.now_ms()).max(0);
            let ms = api::query_pairs(query)
                .into_iter()
                .find(|(k, _)| k == "seconds")
                .and_then(|(_, v)| v.parse::<f64>().ok())
                .filter(|s| *s >= 0.0 && *s * 1000.0 <= room_ms as f64)
                .map(|s| ((s * 1000.0) as i64).min(room_ms))
                .ok_or_else(|| {
                    ApiError::validation(format!(
                        "advance needs ?seconds=N with 0 <= N <= {}: the clock stops at {}",
                        room_ms / 1000,
                        super::model::format_time(LAST_MS)
                    ))
                })?;
            emu.clock.advance(ms);
            control(emu, &Method::GET, "/_emulator/health", "")
        }
        (&Method::GET, "/_emulator/stats") => Ok((200, emu.stats_json().to_string().into_bytes())),
        (&Method::GET, "/_emulator/jobs") => {
            let pairs = api::query_pairs(query);
            let region = pairs
                .iter()
                .find(|(k, _)| k == "region")
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| ApiError::validation("jobs needs ?region=REGION"))?;
            let account = account_asked(emu, &pairs, "jobs")?;
            Ok((
                200,
                emu.jobs_json_in(account, region).to_string().into_bytes(),
            ))
        }
        (&Method::GET, "/_emulator/models") => {
            let pairs = api::query_pairs(query);
            let region = pairs
                .iter()
                .find(|(k, _)| k == "region")
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| ApiError::validation("models needs ?region=REGION"))?;
            let account = account_asked(emu, &pairs, "models")?;
            Ok((
                200,
                models::models_json(emu, account, region)
                    .to_string()
                    .into_bytes(),
            ))
        }
        (&Method::GET, "/_emulator/org") => Ok((200, org_json(emu).to_string().into_bytes())),
        (&Method::POST, "/_emulator/sso-token") => {
            let pairs = api::query_pairs(query);
            let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            let list = |k: &str| {
                get(k).map(|v| {
                    v.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
            };
            let usage = "sso-token needs ?token=T&seconds=N (N >= 0; 0 expires it), optionally &accounts=ID,… and &roles=ROLE,…";
            let token = get("token").filter(|t| !t.is_empty());
            let seconds = get("seconds").and_then(|v| v.parse::<u64>().ok());
            let (Some(token), Some(seconds)) = (token, seconds) else {
                return Err(ApiError::validation(usage));
            };
            let ms = i64::try_from(seconds.saturating_mul(1000)).unwrap_or(i64::MAX);
            let expires_ms = emu.clock.now_ms().saturating_add(ms);
            emu.identities.register_token(
                token,
                SsoToken {
                    expires_ms,
                    accounts: list("accounts"),
                    roles: list("roles"),
                },
            );
            Ok((
                200,
                serde_json::json!({"token": token, "expiresAt": super::model::format_time(expires_ms)})
                    .to_string()
                    .into_bytes(),
            ))
        }
        (&Method::GET, "/_emulator/ends") => {
            let pairs = api::query_pairs(query);
            let region = pairs
                .iter()
                .find(|(k, _)| k == "region")
                .map(|(_, v)| v.as_str());
            Ok((200, emu.ends_json(region).to_string().into_bytes()))
        }
        _ => Err(ApiError::new(
            404,
            "UnknownOperationException",
            format!("No emulator control at {method} {path}"),
        )),
    }
}

/// The `account=ID` of a control request (`what` names it in a refusal):
/// the caller's without one, else an account the endpoint has.
fn account_asked<'a>(
    emu: &'a Emulator,
    pairs: &'a [(String, String)],
    what: &str,
) -> Result<&'a str, ApiError> {
    match pairs.iter().find(|(k, _)| k == "account") {
        None => Ok(emu.account.as_str()),
        Some((_, a)) if emu.org.as_ref().is_some_and(|o| o.contains(a)) => Ok(a.as_str()),
        Some((_, a)) if *a == emu.account => Ok(a.as_str()),
        Some((_, a)) => Err(ApiError::validation(format!(
            "{what}: account {a} is not one this endpoint has (see GET /_emulator/org)"
        ))),
    }
}

/// The body of `GET /_emulator/org`: the organisation as the options made
/// it, for tests and users choosing accounts to deny (`{"management": ID,
/// "members": [{"id", "name", "status", "peers"}]}`; `{}` without one).
fn org_json(emu: &Emulator) -> serde_json::Value {
    let Some(org) = &emu.org else {
        return serde_json::json!({});
    };
    let members: Vec<serde_json::Value> = org
        .members
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "name": m.name,
                "status": m.status.as_str(),
                "peers": m.peers,
                "roleDenied": emu.options.org_deny_role.contains(&m.id),
                "deniedRegions": emu.options.org_deny_regions.iter().filter(|(a, _)| *a == m.id).map(|(_, r)| r.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({"management": org.management, "id": org.id, "members": members})
}

/// An API request, from its body to its response. Refusals come back as
/// `Err` and are written by [`handle`].
async fn answer(
    emu: &Emulator,
    parts: &http::request::Parts,
    body: Incoming,
    request_id: &str,
    seen: &mut Seen,
) -> Result<Response<Body>, ApiError> {
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body = read_body(body, declared).await?;
    let (path, query) = (parts.uri.path(), parts.uri.query().unwrap_or(""));
    if path.starts_with("/_emulator/") {
        return control(emu, &parts.method, path, query)
            .map(|(s, b)| respond(s, b, request_id, None));
    }
    if let Some(op) = sso::operation(&parts.method, path) {
        // The portal is not signed: its bearer token says who calls.
        seen.operation = Some(op);
        emu.count(emu.default_region(), op);
        let reply = sso::answer(emu, op, &parts.headers, query);
        return Ok(match reply {
            Ok((status, body)) => respond(status, body, request_id, None),
            Err(e) => error_response(&e, request_id),
        });
    }
    let who = authenticate(emu, parts, &body)?;
    let region: &str = seen.region.insert(who.region.clone());
    match who.service.as_str() {
        "sts" => return Ok(sts::answer(emu, &who, &body, request_id, seen)),
        "organizations" => {
            return Ok(organizations::answer(
                emu,
                &who,
                &parts.headers,
                &body,
                request_id,
                seen,
            ));
        }
        _ => {}
    }
    let route = route(&parts.method, path)?;
    seen.operation = Some(route.operation());
    emu.count(region, route.operation());
    emu.count_in(who.account(emu), region, route.operation());
    if emu.credentials_expired() || who.expired(emu) {
        return Err(ApiError::new(
            403,
            "ExpiredTokenException",
            "The security token included in the request is expired",
        ));
    }
    let account = who.account(emu).to_string();
    if emu.denies_in(&account, region) {
        return Err(region_denied(emu, &who, &route));
    }
    let (latency, fault) = emu.faults.draw();
    if let Some(d) = latency {
        tokio::time::sleep(d).await;
    }
    match fault {
        Fault::Throttle => {
            return Err(ApiError::new(429, "ThrottlingException", "Rate exceeded"));
        }
        Fault::InternalError => {
            return Err(ApiError::new(
                500,
                "InternalServerException",
                "An internal server error occurred. Retry your request.",
            ));
        }
        Fault::None | Fault::Drop => {}
    }
    let reply = match route {
        Route::List => api::list_in(emu, &account, region, query),
        Route::Get(seg) => api::get_in(emu, &account, region, seg),
        Route::Create => api::create_in(emu, &account, &who.principal(emu), region, &body),
        Route::Tags => api::list_tags_in(emu, &account, region, &body),
        Route::CustomModels => models_api::list_custom_in(emu, &account, region, query),
        Route::ImportedModels => models_api::list_imported_in(emu, &account, region, query),
    };
    Ok(match (reply, fault) {
        (Ok((status, body)), Fault::Drop) => {
            seen.dropped = true;
            dropped(status, body, request_id)
        }
        (Ok((status, body)), _) => respond(status, body, request_id, None),
        (Err(e), _) => error_response(&e, request_id),
    })
}

async fn handle(emu: &Emulator, req: Request<Incoming>) -> Response<Body> {
    let request_id = emu.request_id();
    let (parts, body) = req.into_parts();
    let mut seen = Seen::default();
    let response = answer(emu, &parts, body, &request_id, &mut seen)
        .await
        .unwrap_or_else(|e| error_response(&e, &request_id));
    if !parts.uri.path().starts_with("/_emulator/") {
        emu.count_answer(response.status().as_u16(), seen.dropped);
    }
    tracing::debug!(
        method = %parts.method,
        path = parts.uri.path(),
        query = parts.uri.query().unwrap_or(""),
        region = seen.region.as_deref().unwrap_or("-"),
        operation = seen.operation.unwrap_or("-"),
        status = response.status().as_u16(),
        request_id,
        "request"
    );
    response
}
