//! The Authorization header and SigV4, in process: `parse_authorization`
//! on anything, on a real header with components dropped, repeated,
//! reordered or renamed, and `verify` on requests signed here and then
//! changed.

use crate::support::*;
use copyjobs::emulator::sigv4::{
    AuthError, Authorization, SigV4Header, parse_authorization, verify,
};
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use proptest::sample::Index;
use sha2::{Digest, Sha256};

/// RFC 3986 unreserved characters stay bare, as both real clients send them.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
/// Paths keep their separators.
const PATH_SET: &AsciiSet = &STRICT.remove(b'/');
const SECRET: &str = "fuzz-secret";
const AMZ_DATE: &str = "20250601T120000Z";

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// A request signed the way the AWS SDK for Rust signs it.
#[derive(Debug, Clone)]
struct Signed {
    method: Method,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Vec<u8>,
    authorization: String,
}

fn sign(
    method: Method,
    arn: Option<&str>,
    pairs: &[(String, String)],
    body: &[u8],
    region: &str,
) -> Signed {
    let path = match arn {
        Some(a) => format!("/model-copy-jobs/{}", utf8_percent_encode(a, STRICT)),
        None => "/model-copy-jobs".to_string(),
    };
    let mut encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, STRICT),
                utf8_percent_encode(v, STRICT)
            )
        })
        .collect();
    let query = encoded.join("&");
    encoded.sort();
    let payload = hex::encode(Sha256::digest(body));
    let canonical = format!(
        "{}\n{}\n{}\nhost:localhost\nx-amz-content-sha256:{payload}\nx-amz-date:{AMZ_DATE}\n\nhost;x-amz-content-sha256;x-amz-date\n{payload}",
        method,
        // Clients encode the encoded path once more.
        utf8_percent_encode(&path, PATH_SET),
        encoded.join("&"),
    );
    let scope = format!("{}/{region}/bedrock/aws4_request", &AMZ_DATE[..8]);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{AMZ_DATE}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{SECRET}").as_bytes(), &AMZ_DATE[..8]);
    for part in [region, "bedrock", "aws4_request"] {
        key = hmac(&key, part);
    }
    let signature = hex::encode(hmac(&key, &to_sign));
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("localhost"));
    headers.insert("x-amz-date", HeaderValue::from_static(AMZ_DATE));
    headers.insert(
        "x-amz-content-sha256",
        HeaderValue::from_str(&payload).expect("hex"),
    );
    Signed {
        method,
        path,
        query,
        headers,
        body: body.to_vec(),
        authorization: format!(
            "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}"
        ),
    }
}

fn header_of(s: &Signed) -> SigV4Header {
    match parse_authorization(Some(&s.authorization)) {
        Ok(Authorization::SigV4(h)) => h,
        other => panic!("{}: {other:?}", s.authorization),
    }
}

fn check(s: &Signed, h: &SigV4Header, secret: &str) -> Result<(), AuthError> {
    verify(&s.method, &s.path, &s.query, &s.headers, &s.body, h, secret)
}

fn signed() -> impl Strategy<Value = Signed> {
    let pair = ("[a-zA-Z]{1,12}", text(12));
    (
        prop_oneof![Just(Method::GET), Just(Method::POST)],
        proptest::option::of("arn:aws:bedrock:us-east-1:[0-9]{12}:model-copy-job/[a-z0-9]{12}"),
        proptest::collection::vec(pair, 0..5),
        proptest::collection::vec(any::<u8>(), 0..64),
        "[a-z]{2}-[a-z]{4,9}-[1-9]",
    )
        .prop_map(|(m, arn, pairs, body, region)| sign(m, arn.as_deref(), &pairs, &body, &region))
}

/// What a parsed header always is, whatever text it came from.
fn well_formed(a: &Authorization) -> Result<(), TestCaseError> {
    match a {
        Authorization::Bearer(t) => prop_assert!(!t.is_empty() && !t.contains(char::is_whitespace)),
        Authorization::SigV4(h) => {
            prop_assert!(
                !h.access_key_id.is_empty() && !h.region.is_empty() && !h.service.is_empty()
            );
            prop_assert!(h.date.len() == 8 && h.date.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(
                h.signature.len() == 64
                    && h.signature
                        .bytes()
                        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            );
            prop_assert!(h.signed_headers.iter().any(|n| n == "host"));
            prop_assert!(
                h.signed_headers
                    .iter()
                    .all(|n| HeaderName::from_bytes(n.as_bytes()).is_ok()
                        && *n == n.to_ascii_lowercase())
            );
        }
    }
    Ok(())
}

/// A refusal of the header's text: malformed (never "missing", which is
/// for no header at all), in a message that echoes the header only in part.
fn refused_as_malformed(e: &AuthError) -> Result<(), TestCaseError> {
    match e {
        AuthError::Malformed(m) => {
            prop_assert!(!m.is_empty());
            prop_assert!(m.len() <= 600, "{} bytes: {m}", m.len());
        }
        other => prop_assert!(false, "{other:?}"),
    }
    prop_assert_eq!(
        (e.status_code(), e.error_code()),
        (400, "IncompleteSignatureException")
    );
    Ok(())
}

/// A change to a header's components.
#[derive(Debug, Clone)]
enum Component {
    Drop(Index),
    Repeat(Index),
    Rename(Index, String),
    /// Reorder, pad with spaces and add empty components: all harmless.
    Shuffle(Vec<Index>, String),
}

fn component() -> impl Strategy<Value = Component> {
    prop_oneof![
        any::<Index>().prop_map(Component::Drop),
        any::<Index>().prop_map(Component::Repeat),
        (
            any::<Index>(),
            prop_oneof![
                one_of(&["credential", "Signedheaders", "X-Amz-Signature"]),
                text(6)
            ]
        )
            .prop_map(|(i, n)| Component::Rename(i, n)),
        (proptest::collection::vec(any::<Index>(), 3), "[ ,]{0,4}")
            .prop_map(|(o, p)| Component::Shuffle(o, p)),
    ]
}

const NAMES: [&str; 3] = ["Credential", "SignedHeaders", "Signature"];

/// Well-formed, signing a header (`x-odd`) no request here has.
const ZERO_SIGNATURE: &str = "AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/bedrock/aws4_request, \
     SignedHeaders=host;x-amz-date;x-odd, \
     Signature=0000000000000000000000000000000000000000000000000000000000000000";

/// A signed header's name with any bytes for its value.
fn header_value() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    (
        proptest::sample::select(&["host", "x-amz-date", "x-amz-content-sha256", "x-odd"][..]),
        proptest::collection::vec(any::<u8>(), 0..30),
    )
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_header_text_parses_or_is_malformed(s in prop_oneof![
        text(200),
        near(signed().prop_map(|s| s.authorization)),
        near(Just("Bearer abc.DEF-123".to_string())),
    ]) {
        match parse_authorization(Some(&s)) {
            Ok(a) => well_formed(&a)?,
            Err(e) => refused_as_malformed(&e)?,
        }
    }

    /// Dropping a component names it missing, repeating one names it
    /// twice, a misspelt one is unknown; order, spaces and empty
    /// components do not matter.
    #[test]
    fn header_components_are_each_required_once(s in signed(), c in component()) {
        let rest = s.authorization.strip_prefix("AWS4-HMAC-SHA256 ").unwrap_or_default();
        let mut parts: Vec<String> = rest.split(", ").map(str::to_string).collect();
        let want = header_of(&s);
        let text = |parts: &[String]| format!("AWS4-HMAC-SHA256 {}", parts.join(","));
        match c {
            Component::Drop(i) => {
                let gone = NAMES[i.index(3)];
                parts.remove(i.index(3));
                match parse_authorization(Some(&text(&parts))) {
                    Err(AuthError::Malformed(m)) => {
                        prop_assert_eq!(m, format!("Authorization header requires '{gone}' parameter."));
                    }
                    other => prop_assert!(false, "{other:?}"),
                }
            }
            Component::Repeat(i) => {
                let twice = NAMES[i.index(3)];
                parts.push(parts[i.index(3)].clone());
                match parse_authorization(Some(&text(&parts))) {
                    Err(AuthError::Malformed(m)) => {
                        let want = format!("Authorization header has more than one '{twice}' parameter.");
                        prop_assert_eq!(m, want);
                    }
                    other => prop_assert!(false, "{other:?}"),
                }
            }
            Component::Rename(i, name) => {
                let i = i.index(3);
                let value = parts[i].split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default();
                parts[i] = format!("{name}={value}");
                let r = parse_authorization(Some(&text(&parts)));
                if name.trim() == NAMES[i] {
                    prop_assert_eq!(r, Ok(Authorization::SigV4(want)));
                } else {
                    match r {
                        Err(e) => refused_as_malformed(&e)?,
                        Ok(a) => prop_assert!(false, "{name}: {a:?}"),
                    }
                }
            }
            Component::Shuffle(order, pad) => {
                for (i, j) in order.iter().enumerate() {
                    parts.swap(i, j.index(3));
                }
                let padded = format!("AWS4-HMAC-SHA256  {pad}{}{pad} ", parts.join(&format!("{pad}, ")));
                prop_assert_eq!(parse_authorization(Some(&padded)), Ok(Authorization::SigV4(want)));
            }
        }
    }

    /// What is signed here verifies; change the signature, a query
    /// character, the body, the secret or the date, and it does not.
    #[test]
    fn signatures_verify_and_changes_are_caught(
        s in signed(),
        at in any::<Index>(),
        to in "[0-9a-z]",
    ) {
        let h = header_of(&s);
        prop_assert_eq!(check(&s, &h, SECRET), Ok(()));
        prop_assert_eq!(check(&s, &h, "another-secret"), Err(AuthError::SignatureMismatch));

        let mut forged = h.clone();
        let i = at.index(64);
        let mut sig = forged.signature.into_bytes();
        sig[i] = if sig[i] == b'0' { b'1' } else { b'0' };
        forged.signature = String::from_utf8(sig).unwrap_or_default();
        prop_assert_eq!(check(&s, &forged, SECRET), Err(AuthError::SignatureMismatch));

        // A letter or digit of the query changed for another, not just its case.
        let q: Vec<char> = s.query.chars().collect();
        let spots: Vec<usize> = (0..q.len()).filter(|&k| q[k].is_ascii_alphanumeric()).collect();
        let new = to.chars().next().unwrap_or('x');
        if !spots.is_empty() {
            let k = spots[at.index(spots.len())];
            if !q[k].eq_ignore_ascii_case(&new) {
                let mut t = s.clone();
                let mut q = q.clone();
                q[k] = new;
                t.query = q.into_iter().collect();
                let r = check(&t, &h, SECRET);
                prop_assert_eq!(r, Err(AuthError::SignatureMismatch), "{} -> {}", s.query, t.query);
            }
        }

        let mut t = s.clone();
        t.body.push(b'x');
        prop_assert_eq!(check(&t, &h, SECRET), Err(AuthError::SignatureMismatch));

        let mut t = s.clone();
        t.headers.insert("x-amz-date", HeaderValue::from_static("20250602T120000Z"));
        let r = check(&t, &h, SECRET);
        prop_assert!(
            matches!(&r, Err(AuthError::Malformed(m)) if m.starts_with("Date in Credential scope does not match")),
            "{r:?}"
        );
        t.headers.remove("x-amz-date");
        prop_assert!(matches!(check(&t, &h, SECRET), Err(AuthError::Malformed(_))));
    }

    /// Whatever reaches `verify` (paths, queries, header values and bodies
    /// of any kind, with a header that parsed): an answer, not a panic.
    #[test]
    fn verify_takes_any_request(
        s in signed(),
        path in prop_oneof![text(40), near(Just("/model-copy-jobs/./a/../%3A%2F/".to_string()))],
        query in text(60),
        values in proptest::collection::vec(header_value(), 0..4),
        header in near(Just(ZERO_SIGNATURE.to_string())),
    ) {
        let mut t = s;
        t.path = path;
        t.query = query;
        for (name, value) in values {
            if let Ok(v) = HeaderValue::from_bytes(&value) {
                t.headers.append(HeaderName::from_static(name), v);
            }
        }
        if let Ok(Authorization::SigV4(h)) = parse_authorization(Some(&header)) {
            match check(&t, &h, SECRET) {
                Ok(()) => prop_assert!(false, "a zero signature verified"),
                Err(AuthError::Missing) => prop_assert!(false, "missing"),
                Err(_) => {}
            }
        }
    }
}

#[test]
fn no_header_is_missing_not_malformed() {
    assert_eq!(parse_authorization(None), Err(AuthError::Missing));
    assert_eq!(
        (
            AuthError::Missing.status_code(),
            AuthError::Missing.error_code()
        ),
        (403, "MissingAuthenticationTokenException")
    );
}
