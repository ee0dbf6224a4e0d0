//! Server-side AWS Signature Version 4 checking for the Bedrock emulator.
//!
//! Real clients (the AWS SDK for Rust via `aws-sigv4`, and botocore / the AWS CLI) sign
//! a *canonical* form of the request, not the bytes on the wire, so the emulator has to
//! rebuild that canonical form from what it received. The two clients agree on almost
//! everything, and where they drift apart (path normalisation of edge cases like a trailing
//! `/.`, a literal `+` in the query, tabs inside header values) [`verify`] rebuilds every
//! client's variant and accepts the request if any of them matches. That keeps the emulator
//! permissive towards real clients without ever accepting a signature that no client's
//! canonical form explains.
//!
//! Source notes (read, not guessed):
//! - smithy-rs `aws/rust-runtime/aws-sigv4/src/http_request/canonical_request.rs`
//!   (`CanonicalRequest::from`, `params`, `trim_all`, `header_values_for`),
//!   `settings.rs` (`SigningSettings::default`: `PercentEncodingMode::Double`,
//!   `UriPathNormalizationMode::Enabled`), `uri_path_normalization.rs`
//!   (`normalize_uri_path`, `normalize_path_segment`) and `url_escape.rs`
//!   (`percent_encode_path` = `label::fmt_string(.., Greedy)` over `urlencode::BASE_SET`).
//! - botocore `botocore/auth.py` (`SigV4Auth.canonical_request`, `_normalize_url_path`
//!   = `quote(normalize_url_path(path), safe='/~')`, `_canonical_query_string_url`,
//!   `_header_value`) and `botocore/utils.py` (`normalize_url_path`, `remove_dot_segments`).

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, percent_encode};
use sha2::{Digest, Sha256};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const TERMINATOR: &str = "aws4_request";
const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

/// Everything but RFC 3986 "unreserved" gets escaped. This is exactly smithy-rs's
/// `urlencode::BASE_SET` and exactly what Python's `quote(.., safe='')` keeps bare, so one
/// set serves both clients.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Paths keep their separators: smithy-rs's `GREEDY` set and botocore's `safe='/~'`.
const PATH: &AsciiSet = &STRICT.remove(b'/');

/// Error messages are echoed to clients; capping echoed fragments keeps a hostile header
/// from being reflected back (or into logs) at full length.
const ECHO_LIMIT: usize = 64;

/// What the Authorization header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    SigV4(SigV4Header),
    Bearer(String),
}

/// The parsed `AWS4-HMAC-SHA256` header. Kept as plain strings so the emulator can look up
/// the access key and report the scope back to the client verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigV4Header {
    pub access_key_id: String,
    /// yyyymmdd from the credential scope
    pub date: String,
    pub region: String,
    pub service: String,
    /// lowercase, as listed
    pub signed_headers: Vec<String>,
    /// lowercase hex, 64 chars
    pub signature: String,
}

/// Why a request was not authenticated. `Display` gives the message AWS itself would send,
/// so SDK users see familiar text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No Authorization header at all.
    Missing,
    /// The header or the request's signing inputs are unusable; carries the full message.
    Malformed(String),
    /// Well-formed, but the HMAC does not match any client's canonical form of the request.
    SignatureMismatch,
}

impl AuthError {
    /// The `x-amzn-ErrorType` a restJson1 AWS service sends for this failure, so SDKs map it
    /// to the same exception they would get from real Bedrock.
    pub fn error_code(&self) -> &'static str {
        match self {
            AuthError::Missing => "MissingAuthenticationTokenException",
            AuthError::Malformed(_) => "IncompleteSignatureException",
            AuthError::SignatureMismatch => "InvalidSignatureException",
        }
    }

    /// HTTP status per the AWS "Common Errors" pages (MissingAuthenticationToken 403,
    /// IncompleteSignature 400); a bad signature is a 403 like any other auth refusal.
    pub fn status_code(&self) -> u16 {
        match self {
            AuthError::Missing | AuthError::SignatureMismatch => 403,
            AuthError::Malformed(_) => 400,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::Missing => f.write_str("Missing Authentication Token"),
            AuthError::Malformed(message) => f.write_str(message),
            AuthError::SignatureMismatch => f.write_str(
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method. \
                 Consult the service documentation for details.",
            ),
        }
    }
}

impl std::error::Error for AuthError {}

fn malformed(message: impl Into<String>) -> AuthError {
    AuthError::Malformed(message.into())
}

fn echo(s: &str) -> String {
    s.chars().take(ECHO_LIMIT).collect()
}

/// Parse the raw `Authorization` header value (`None` when the header is absent).
pub fn parse_authorization(value: Option<&str>) -> Result<Authorization, AuthError> {
    let Some(value) = value else {
        return Err(AuthError::Missing);
    };
    let value = value.trim();
    if value.is_empty() {
        return Err(malformed(
            "Authorization header is empty; expected 'AWS4-HMAC-SHA256 Credential=..., \
             SignedHeaders=..., Signature=...' or 'Bearer <token>'.",
        ));
    }
    // `find` returns the byte offset of an ASCII char, so both slices are on char boundaries.
    let (scheme, rest) = match value.find(|c: char| c.is_ascii_whitespace()) {
        Some(i) => (&value[..i], value[i..].trim_start()),
        None => (value, ""),
    };
    if scheme.eq_ignore_ascii_case("Bearer") {
        return parse_bearer(rest);
    }
    if scheme == ALGORITHM {
        return parse_sigv4(rest).map(Authorization::SigV4);
    }
    if scheme
        .get(..5)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("AWS4-"))
    {
        return Err(malformed(format!(
            "Unsupported AWS 'algorithm': '{}'. Only 'AWS4-HMAC-SHA256' is supported.",
            echo(scheme)
        )));
    }
    Err(malformed(format!(
        "Unsupported authorization type '{}'; expected 'AWS4-HMAC-SHA256' \
         (Signature Version 4) or 'Bearer'.",
        echo(scheme)
    )))
}

fn parse_bearer(rest: &str) -> Result<Authorization, AuthError> {
    if rest.is_empty() {
        return Err(malformed(
            "Authorization header 'Bearer' requires a non-empty token.",
        ));
    }
    if rest.chars().any(char::is_whitespace) {
        return Err(malformed("Bearer token must not contain whitespace."));
    }
    Ok(Authorization::Bearer(rest.to_owned()))
}

fn parse_sigv4(rest: &str) -> Result<SigV4Header, AuthError> {
    let mut credential: Option<&str> = None;
    let mut signed_headers: Option<&str> = None;
    let mut signature: Option<&str> = None;

    // botocore joins with ", " and other signers with ","; a stray empty component (trailing
    // comma) carries no information, so it is skipped rather than refused.
    for component in rest.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let Some((key, val)) = component.split_once('=') else {
            return Err(malformed(format!(
                "Invalid key=value pair (missing equal-sign) in Authorization header: '{}'.",
                echo(component)
            )));
        };
        let key = key.trim();
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            other => {
                return Err(malformed(format!(
                    "Authorization header has an unknown parameter '{}'; expected \
                     'Credential', 'SignedHeaders' and 'Signature'.",
                    echo(other)
                )));
            }
        };
        if slot.is_some() {
            return Err(malformed(format!(
                "Authorization header has more than one '{key}' parameter."
            )));
        }
        *slot = Some(val.trim());
    }

    // Report every missing parameter at once, as AWS does, so one round trip fixes them all.
    let mut missing = Vec::new();
    for (name, v) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed_headers),
    ] {
        if v.is_none_or(str::is_empty) {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(malformed(missing.join(" ")));
    };
    if !missing.is_empty() {
        return Err(malformed(missing.join(" ")));
    }

    let (access_key_id, date, region, service) = parse_credential(credential)?;
    let signed_headers = parse_signed_headers(signed_headers)?;
    if !is_lower_hex(signature, 64) {
        return Err(malformed(format!(
            "Signature must be 64 lowercase hexadecimal characters, got {} characters.",
            signature.chars().count()
        )));
    }

    Ok(SigV4Header {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers,
        signature: signature.to_owned(),
    })
}

fn parse_credential(credential: &str) -> Result<(&str, &str, &str, &str), AuthError> {
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = parts[..] else {
        return Err(malformed(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/aws4_request, got '{}'.",
            echo(credential)
        )));
    };
    if access_key_id.is_empty() {
        return Err(malformed(
            "Credential must start with a non-empty access key id.",
        ));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(format!(
            "Credential date must be 8 digits (yyyymmdd), got '{}'.",
            echo(date)
        )));
    }
    // A region is what an ARN can name (`[a-z0-9-]{1,20}`): a request
    // signed for another could be answered with ARNs no request can use.
    let region_ok = (1..=20).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !region_ok {
        return Err(malformed(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            echo(region)
        )));
    }
    if service.is_empty() {
        return Err(malformed(
            "Credential should be scoped to a valid service, not ''.",
        ));
    }
    if terminator != TERMINATOR {
        return Err(malformed(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'.",
            echo(terminator)
        )));
    }
    Ok((access_key_id, date, region, service))
}

fn parse_signed_headers(list: &str) -> Result<Vec<String>, AuthError> {
    let mut names = Vec::new();
    for name in list.split(';') {
        if name.is_empty() {
            return Err(malformed(format!(
                "SignedHeaders contains an empty header name: '{}'.",
                echo(list)
            )));
        }
        // Same validity rule the http crate applies, so every listed name can be looked up.
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(malformed(format!(
                "SignedHeaders contains an invalid header name: '{}'.",
                echo(name)
            )));
        }
        names.push(name.to_ascii_lowercase());
    }
    if !names.iter().any(|n| n == "host") {
        return Err(malformed(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    Ok(names)
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Real Bedrock refuses a correctly signed request whose scope names another service or
/// region; [`verify`] only checks the HMAC, so the emulator calls this when it wants that
/// fidelity too. `region: None` accepts any region (a local emulator usually serves them all).
pub fn check_scope(
    auth: &SigV4Header,
    expected_service: &str,
    expected_region: Option<&str>,
) -> Result<(), AuthError> {
    if auth.service != expected_service {
        return Err(malformed(format!(
            "Credential should be scoped to correct service: '{}'.",
            echo(expected_service)
        )));
    }
    if let Some(region) = expected_region
        && auth.region != region
    {
        return Err(malformed(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            echo(&auth.region)
        )));
    }
    Ok(())
}

/// Verify a SigV4 request. `raw_path` is the path exactly as received on the wire (still
/// percent-encoded, e.g. "/model-copy-jobs/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-copy-job%2Fabcdefghij12"),
/// `raw_query` is the raw query string without '?', possibly empty, possibly with
/// percent-encoded values like "creationTimeAfter=2024-01-01T00%3A00%3A00Z&maxResults=10".
///
/// The clock is deliberately not consulted: the emulator runs on a virtual clock, so skew
/// checks belong to the caller if anywhere. `headers` must contain every signed header as the
/// client sent it; over HTTP/2 the caller has to insert `host` from the URI authority, because
/// hyper keeps `:authority` out of the `HeaderMap`.
///
/// A signed header that is absent from the request yields [`AuthError::SignatureMismatch`]
/// (the client signed a value the server never saw, so no canonical form can match). A
/// hex `x-amz-content-sha256` that disagrees with the body is also a mismatch: otherwise the
/// body could be swapped under a signature that only covers the header.
pub fn verify(
    method: &http::Method,
    raw_path: &str,
    raw_query: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    auth: &SigV4Header,
    secret_access_key: &str,
) -> Result<(), AuthError> {
    let amz_date = request_amz_date(headers)?;
    if amz_date.get(..8) != Some(auth.date.as_str()) {
        return Err(malformed(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date \
             from HTTP: '{}' != '{}', from '{}'.",
            echo(&auth.date),
            amz_date.get(..8).unwrap_or_default(),
            amz_date
        )));
    }
    let provided = auth.signature.as_bytes();

    let candidates =
        canonical_request_candidates(method, raw_path, raw_query, headers, body, auth)?;
    let scope = format!(
        "{}/{}/{}/{TERMINATOR}",
        auth.date, auth.region, auth.service
    );
    let day = scope_day(&auth.date).ok_or(AuthError::SignatureMismatch)?;
    // The signing key and signature as the SDK computes them (aws-sigv4);
    // only the canonical forms the clients differ on are built here.
    let key = generate_signing_key(secret_access_key, day, &auth.region, &auth.service);

    // Every candidate is checked (no early exit) so timing does not reveal which form matched.
    let mut matched = false;
    for creq in &candidates {
        let sts = string_to_sign(amz_date, &scope, creq);
        matched |= same_in_constant_time(
            calculate_signature(&key, sts.as_bytes()).as_bytes(),
            provided,
        );
    }
    if matched {
        Ok(())
    } else {
        Err(AuthError::SignatureMismatch)
    }
}

/// The request time is part of the string to sign, so without a well-formed `x-amz-date`
/// nothing can be verified. botocore signs with a `Date` header instead only when the caller
/// set one already; neither client does that for Bedrock, so that fallback is not supported.
fn request_amz_date(headers: &http::HeaderMap) -> Result<&str, AuthError> {
    let value = single_header(headers, X_AMZ_DATE)?.ok_or_else(|| {
        malformed("Authorization header requires existence of a 'X-Amz-Date' header.")
    })?;
    let b = value.as_bytes();
    let well_formed = b.len() == 16
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'T'
        && b[9..15].iter().all(u8::is_ascii_digit)
        && b[15] == b'Z';
    if !well_formed {
        return Err(malformed(format!(
            "X-Amz-Date must be in ISO-8601 'basic format' (yyyymmddThhmmssZ). Got '{}'.",
            echo(value)
        )));
    }
    Ok(value)
}

/// A repeated date or content hash would make the signed value ambiguous, so refuse it.
fn single_header<'a>(
    headers: &'a http::HeaderMap,
    name: &str,
) -> Result<Option<&'a str>, AuthError> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(malformed(format!(
            "The '{name}' header must appear only once."
        )));
    }
    let text = first
        .to_str()
        .map_err(|_| malformed(format!("The '{name}' header must be visible ASCII.")))?;
    Ok(Some(text.trim()))
}

fn payload_hash(headers: &http::HeaderMap, body: &[u8]) -> Result<String, AuthError> {
    let body_hash = hex::encode(Sha256::digest(body));
    match single_header(headers, X_AMZ_CONTENT_SHA256)? {
        None => Ok(body_hash),
        Some(declared) => {
            // Non-hex values (UNSIGNED-PAYLOAD, STREAMING-...) are taken as declared.
            if declared.len() == 64
                && declared.bytes().all(|b| b.is_ascii_hexdigit())
                && !declared.eq_ignore_ascii_case(&body_hash)
            {
                return Err(AuthError::SignatureMismatch);
            }
            Ok(declared.to_owned())
        }
    }
}

/// Every distinct canonical request some real client could have signed for this request.
fn canonical_request_candidates(
    method: &http::Method,
    raw_path: &str,
    raw_query: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    auth: &SigV4Header,
) -> Result<Vec<Vec<u8>>, AuthError> {
    let mut names: Vec<String> = auth
        .signed_headers
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let signed_line = names.join(";");

    let header_blocks =
        canonical_header_blocks(headers, &names).ok_or(AuthError::SignatureMismatch)?;
    let payload = payload_hash(headers, body)?;
    let paths = canonical_uri_candidates(raw_path);
    let queries = canonical_query_candidates(raw_query);

    let mut out = Vec::new();
    for path in &paths {
        for query in &queries {
            for block in &header_blocks {
                let mut creq = Vec::with_capacity(256 + block.len() + path.len() + query.len());
                creq.extend_from_slice(method.as_str().as_bytes());
                creq.push(b'\n');
                creq.extend_from_slice(path.as_bytes());
                creq.push(b'\n');
                creq.extend_from_slice(query.as_bytes());
                creq.push(b'\n');
                creq.extend_from_slice(block);
                creq.push(b'\n');
                creq.extend_from_slice(signed_line.as_bytes());
                creq.push(b'\n');
                creq.extend_from_slice(payload.as_bytes());
                push_unique(&mut out, creq);
            }
        }
    }
    Ok(out)
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Both clients double-encode: the raw (already encoded) path is encoded once more, so
/// `%3A` becomes `%253A`. They differ only in how they remove dot segments, hence two
/// candidates (equal for every ordinary path, and then deduplicated).
fn canonical_uri_candidates(raw_path: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(2);
    push_unique(
        &mut out,
        encode_path(&normalize_path_aws_sdk_rust(raw_path)),
    );
    push_unique(&mut out, encode_path(&normalize_path_botocore(raw_path)));
    out
}

fn encode_path(path: &str) -> String {
    percent_encode(path.as_bytes(), PATH).to_string()
}

/// Port of smithy-rs `normalize_uri_path` + `normalize_path_segment` (RFC 3986 5.2.4 plus
/// dropping empty segments), which keeps a trailing slash for inputs ending in "/." or "/..".
fn normalize_path_aws_sdk_rust(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if !(path.contains('.') || path.contains("//")) {
        return path;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut result = format!("/{}", segments.join("/"));
    let ends_with_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|s| path.ends_with(s));
    if ends_with_slash && !result.ends_with('/') {
        result.push('/');
    }
    result
}

/// Port of botocore `normalize_url_path` / `remove_dot_segments`, which keeps a trailing
/// slash only when the input literally ends in "/" and something is left.
fn normalize_path_botocore(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let first = if path.starts_with('/') { "/" } else { "" };
    let last = if path.ends_with('/') && !segments.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{first}{}{last}", segments.join("/"))
}

/// Three readings of the query, deduplicated (all equal for what either client sends today):
/// - strict: percent-decode, re-encode RFC 3986 style, sort (what AWS documents);
/// - aws-sdk-rust: `form_urlencoded::parse` first, so a literal `+` means a space;
/// - botocore: its `_canonical_query_string_url` sorts the raw pairs without re-encoding.
fn canonical_query_candidates(raw_query: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(3);
    push_unique(&mut out, canonical_query_strict(raw_query, false));
    push_unique(&mut out, canonical_query_strict(raw_query, true));
    push_unique(&mut out, canonical_query_botocore_raw(raw_query));
    out
}

fn canonical_query_strict(raw_query: &str, plus_is_space: bool) -> String {
    let mut pairs: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                reencode_component(k, plus_is_space),
                reencode_component(v, plus_is_space),
            )
        })
        .collect();
    pairs.sort();
    join_pairs(&pairs)
}

fn reencode_component(raw: &str, plus_is_space: bool) -> String {
    if plus_is_space {
        let spaced = raw.replace('+', " ");
        let decoded: Vec<u8> = percent_decode(spaced.as_bytes()).collect();
        // form_urlencoded decodes lossily to a String before smithy-rs re-encodes it.
        let text = String::from_utf8_lossy(&decoded);
        percent_encode(text.as_bytes(), STRICT).to_string()
    } else {
        let decoded: Vec<u8> = percent_decode(raw.as_bytes()).collect();
        percent_encode(&decoded, STRICT).to_string()
    }
}

fn canonical_query_botocore_raw(raw_query: &str) -> String {
    if raw_query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = raw_query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    pairs.sort();
    join_pairs(&pairs)
}

fn join_pairs(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The spec's "trimall" collapses all whitespace (botocore: `' '.join(value.split())`),
/// while aws-sdk-rust's `trim_all` only touches spaces. They differ only when a signed value
/// holds a tab, and only then is the second block built.
fn canonical_header_blocks(headers: &http::HeaderMap, names: &[String]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(1);
    out.push(canonical_header_block(headers, names, |b| {
        b == b' ' || b == b'\t'
    })?);
    let has_tab = names.iter().any(|n| {
        headers
            .get_all(n.as_str())
            .iter()
            .any(|v| v.as_bytes().contains(&b'\t'))
    });
    if has_tab {
        push_unique(
            &mut out,
            canonical_header_block(headers, names, |b| b == b' ')?,
        );
    }
    Some(out)
}

fn canonical_header_block(
    headers: &http::HeaderMap,
    names: &[String],
    is_space: fn(u8) -> bool,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for name in names {
        let values = headers.get_all(name.as_str());
        let mut iter = values.iter().peekable();
        iter.peek()?;
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        for (i, value) in iter.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let mut first_word = true;
            for word in value
                .as_bytes()
                .split(|b| is_space(*b))
                .filter(|w| !w.is_empty())
            {
                if !first_word {
                    out.push(b' ');
                }
                out.extend_from_slice(word);
                first_word = false;
            }
        }
        out.push(b'\n');
    }
    Some(out)
}

fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &[u8]) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request))
    )
}

/// The scope's `YYYYMMDD` as the instant aws-sigv4 takes the day from.
fn scope_day(date: &str) -> Option<SystemTime> {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    let secs = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

/// Equal bytes, compared without an early exit.
fn same_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[path = "sigv4_tests.rs"]
mod tests;
