//! The endpoint over a real socket, for what only the HTTP layer sees:
//! routing, the Authorization header and its scope, bodies, and the
//! emulator's own control requests. Every request gets a whole response;
//! a refusal carries `x-amzn-ErrorType` and a JSON body that agree, with
//! the status that error has on the wire; nothing is a 500.

use crate::support::*;
use copyjobs::domain::region::BEDROCK_REGIONS;
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::LazyLock;
use std::time::Duration;

/// Path and query characters sent as they are; the rest percent-encoded.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
});

/// Kept for the whole run: dropping a server stops it.
fn serve(options: EmulatorOptions) -> Server {
    RUNTIME
        .block_on(Server::start(
            Emulator::new(options),
            ([127, 0, 0, 1], 0).into(),
        ))
        .expect("a free port")
}

/// Every region has a data set of its own, made when first asked for.
fn options() -> EmulatorOptions {
    EmulatorOptions {
        jobs: 6,
        seed: 42,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(NOW_MS),
        ..EmulatorOptions::default()
    }
}

static API: LazyLock<Server> = LazyLock::new(|| serve(options()));
static REGIONS: LazyLock<Server> = LazyLock::new(|| serve(options()));
static CONTROL: LazyLock<Server> = LazyLock::new(|| serve(options()));
static CLOCK: LazyLock<Server> = LazyLock::new(|| serve(options()));

/// The endpoint's clock as `GET /_emulator/health` tells it, in ms.
fn clock(addr: SocketAddr) -> Result<i64, TestCaseError> {
    let health = answered(&exchange(
        addr,
        &request("GET", "/_emulator/health", "", b""),
    ))?;
    let now = health.unwrap_or_default()["now"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    chrono::DateTime::parse_from_rfc3339(&now)
        .map(|t| t.timestamp_millis())
        .map_err(|e| TestCaseError::fail(format!("{now}: {e}")))
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn exchange(addr: SocketAddr, request: &[u8]) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a timeout");
    s.write_all(request).expect("send");
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(out.len());
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let body = out.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    Response {
        status,
        headers,
        body,
    }
}

fn request(method: &str, target: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn signed(region: &str) -> String {
    format!(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20250601/{region}/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\nx-amz-date: 20250601T120000Z\r\n",
        "0".repeat(64)
    )
}

/// Each error the endpoint sends, with its status on the wire.
const ERRORS: [(u16, &str); 10] = [
    (400, "ValidationException"),
    (413, "RequestEntityTooLargeException"),
    (400, "SerializationException"),
    (400, "TooManyTagsException"),
    (400, "IncompleteSignatureException"),
    (403, "AccessDeniedException"),
    (403, "InvalidSignatureException"),
    (403, "UnrecognizedClientException"),
    (404, "ResourceNotFoundException"),
    (404, "UnknownOperationException"),
];

/// A whole response of the endpoint's own: JSON, a request id, and for a
/// refusal an error type in the header and the body alike.
fn answered(r: &Response) -> Result<Option<Value>, TestCaseError> {
    prop_assert!(r.status != 0, "no response");
    prop_assert_eq!(r.header("content-type"), Some("application/json"));
    prop_assert!(
        r.header("x-amzn-requestid")
            .is_some_and(|id| id.len() == 36)
    );
    let body: Value = serde_json::from_slice(&r.body).map_err(|e| {
        TestCaseError::fail(format!(
            "{} {e}: {:?}",
            r.status,
            String::from_utf8_lossy(&r.body)
        ))
    })?;
    if r.status < 300 {
        prop_assert!(r.header("x-amzn-errortype").is_none());
        return Ok(Some(body));
    }
    let code = r.header("x-amzn-errortype").unwrap_or_default();
    prop_assert!(
        ERRORS.contains(&(r.status, code)),
        "{} {code}: {body}",
        r.status
    );
    prop_assert_eq!(body["__type"].as_str(), Some(code));
    prop_assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    Ok(None)
}

/// Header lines: none, a well-formed signature, one with another region,
/// one edited (its value only: a line HTTP refuses never reaches the
/// endpoint), a bearer token, anything printable.
fn authorization() -> impl Strategy<Value = String> {
    // Control characters are not allowed in a header value.
    let line = |v: String| {
        let v: String = v
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        format!("Authorization: {v}\r\nx-amz-date: 20250601T120000Z\r\n")
    };
    let value = signed("eu-west-1")
        .trim_start_matches("Authorization: ")
        .split("\r\n")
        .next()
        .unwrap_or_default()
        .to_string();
    prop_oneof![
        Just(String::new()),
        Just(signed("us-east-1")),
        "[a-z0-9-]{1,20}".prop_map(|r| signed(&r)),
        near(Just(value)).prop_map(line),
        "[!-~]{1,16}".prop_map(move |t| line(format!("Bearer {t}"))),
        "[ -~]{0,60}".prop_map(line),
    ]
}

fn target() -> impl Strategy<Value = String> {
    let arn = prop_oneof![
        "arn:aws:bedrock:us-east-1:[0-9]{12}:model-copy-job/[a-z0-9]{12}",
        text(30),
    ]
    .prop_map(|a| utf8_percent_encode(&a, KEEP).to_string());
    let query = proptest::collection::vec(
        (
            prop_oneof![
                one_of(&[
                    "maxResults",
                    "nextToken",
                    "statusEquals",
                    "creationTimeAfter",
                    "seconds"
                ]),
                "[a-zA-Z]{1,8}",
            ],
            prop_oneof![
                text(16),
                "-?[0-9]{1,25}",
                Just("2025-06-01T00:00:00Z".to_string())
            ],
        ),
        0..4,
    )
    .prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, KEEP)))
            .collect::<Vec<_>>()
            .join("&")
    });
    let path = prop_oneof![
        3 => Just("/model-copy-jobs".to_string()),
        1 => Just("/model-copy-jobs/".to_string()),
        3 => arn.prop_map(|a| format!("/model-copy-jobs/{a}")),
        2 => Just("/listTagsForResource".to_string()),
        1 => one_of(&[
            "/_emulator/health",
            "/_emulator/stats",
            "/_emulator/advance",
            "/_emulator/x",
            "/",
            "/model-copy-jobs/a/b",
        ]),
        1 => text(20).prop_map(|p| format!("/{}", utf8_percent_encode(&p, KEEP))),
    ];
    (path, query).prop_map(|(p, q)| if q.is_empty() { p } else { format!("{p}?{q}") })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), 0..100),
        Just(br#"{"sourceModelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0","targetModelName":"fuzz"}"#.to_vec()),
        Just(br#"{"resourceARN":"arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdefghij12"}"#.to_vec()),
        Just(br#"{"targetModelName":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#.to_vec()),
    ]
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn every_request_gets_the_endpoints_own_answer(
        method in proptest::sample::select(&["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"][..]),
        target in target(),
        auth in authorization(),
        body in body(),
    ) {
        let control = target.starts_with("/_emulator/");
        // Control requests move the clock: they have an endpoint of their own.
        let addr = if control { CONTROL.addr } else { API.addr };
        let r = exchange(addr, &request(method, &target, &auth, &body));
        answered(&r)?;
    }

    /// A job a listing shows can be fetched by its ARN, whatever region the
    /// request was signed for: the endpoint only serves regions it can name
    /// in an ARN.
    #[test]
    fn listed_jobs_can_be_fetched_in_any_signed_region(region in prop_oneof![
        // Each region served is a data set kept for the run: few new ones.
        3 => one_of(BEDROCK_REGIONS),
        1 => "[a-z0-9-]{1,20}",
        2 => near(Just("us-east-1".to_string())),
        2 => "[!-~&&[^/,=]]{1,24}",
    ]) {
        // Control characters are not allowed in a header value.
        let region: String = region.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let auth = signed(&region);
        let r = exchange(REGIONS.addr, &request("GET", "/model-copy-jobs?maxResults=2", &auth, b""));
        let Some(page) = answered(&r)? else { return Ok(()) };
        for job in page["modelCopyJobSummaries"].as_array().into_iter().flatten() {
            let arn = job["jobArn"].as_str().unwrap_or_default();
            let target = format!("/model-copy-jobs/{}", utf8_percent_encode(arn, KEEP));
            let got = exchange(REGIONS.addr, &request("GET", &target, &auth, b""));
            let v = answered(&got)?;
            prop_assert_eq!(got.status, 200, "{} in {}: {:?}", arn, region, v);
        }
    }

    /// `POST /_emulator/advance?seconds=N` moves the clock or is refused;
    /// either way the endpoint still tells the time afterwards.
    #[test]
    fn the_clock_advances_or_refuses(seconds in prop_oneof![
        (0u32..100_000).prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        one_of(&["1e300", "9.3e15", "9223372036854775807", "-1", "NaN", "inf", "", "0x10", "1_000"]),
        text(10),
    ]) {
        let target = format!("/_emulator/advance?seconds={}", utf8_percent_encode(&seconds, KEEP));
        let before = clock(CLOCK.addr)?;
        let r = exchange(CLOCK.addr, &request("POST", &target, "", b""));
        answered(&r)?;
        let after = clock(CLOCK.addr)?;
        match r.status {
            200 => {
                let secs: f64 = seconds.parse().map_err(|_| TestCaseError::fail("accepted"))?;
                prop_assert_eq!(after - before, (secs * 1000.0) as i64);
            }
            400 => prop_assert_eq!(after, before),
            other => prop_assert!(false, "{other}"),
        }
    }
}

/// Found by `the_clock_advances_or_refuses`: `seconds=1e300` overflowed the
/// clock; the request panicked and every later one with it, or the clock
/// wrapped round to before the epoch.
#[test]
fn a_huge_advance_is_refused_regression() {
    let s = serve(options());
    let before = clock(s.addr).expect("the time");
    for secs in ["1e300", "9.3e15", "9223372036854775807", "inf"] {
        let r = exchange(
            s.addr,
            &request(
                "POST",
                &format!("/_emulator/advance?seconds={secs}"),
                "",
                b"",
            ),
        );
        assert_eq!(r.status, 400, "{secs}");
        assert!(
            String::from_utf8_lossy(&r.body)
                .contains("the clock stops at 9999-12-31T23:59:59.999Z")
        );
        assert_eq!(clock(s.addr).expect("the time"), before, "{secs}");
    }
    let to_the_end = (253_402_300_799_999 - before) as f64 / 1000.0;
    let r = exchange(
        s.addr,
        &request(
            "POST",
            &format!("/_emulator/advance?seconds={to_the_end}"),
            "",
            b"",
        ),
    );
    assert_eq!(r.status, 200);
    assert_eq!(clock(s.addr).expect("the time"), 253_402_300_799_999);
}

/// Found by `listed_jobs_can_be_fetched_in_any_signed_region`: a request
/// signed for region `A` was served, with job ARNs in region `A` that
/// GetModelCopyJob then refused as malformed.
#[test]
fn a_scope_no_arn_can_name_is_refused_regression() {
    for region in ["A", "us east 1", "a:b", "ap-southeast-northwest-1"] {
        let r = exchange(
            API.addr,
            &request("GET", "/model-copy-jobs", &signed(region), b""),
        );
        assert_eq!(r.status, 403, "{region}");
        assert_eq!(r.header("x-amzn-errortype"), Some("AccessDeniedException"));
        assert!(String::from_utf8_lossy(&r.body).contains("scoped to a valid region"));
    }
}
