//! `nextToken`: an opaque, signed cursor.
//!
//! It names the last row a page returned by its sort key `(creation time, job
//! id)`, which never changes, so the next page starts right after it whatever
//! was created or finished in between (under `--tie-order unstable`, with the
//! salt that ordered that row's tie group). It also carries a fingerprint of
//! the query it belongs to, when it was issued (for `--token-ttl`), and an
//! HMAC so a forged or edited token is refused rather than silently serving
//! the wrong rows.

use super::model::ShortId;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const VERSION: u8 = 2;
const BODY_LEN: usize = 1 + 1 + 8 + 12 + 8 + 8 + 8;
const MAC_LEN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub ascending: bool,
    /// Creation time of the last row returned, in microseconds.
    pub created_us: i64,
    pub id: ShortId,
    /// The salt that ordered the last row's tie group (`--tie-order
    /// unstable`); 0 under a stable order.
    pub tie_salt: u64,
    pub fingerprint: u64,
    /// When the token was issued, on the endpoint's clock (milliseconds).
    pub issued_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorError {
    /// Not a token this endpoint issued (garbled, truncated, or forged).
    Invalid,
    /// A real token, but for another query.
    WrongQuery,
    /// A real token, older than `--token-ttl`.
    Expired,
}

impl CursorError {
    pub fn message(self) -> &'static str {
        match self {
            CursorError::Invalid => {
                "Invalid nextToken: the token is malformed or was not issued by this service."
            }
            CursorError::WrongQuery => {
                "Invalid nextToken: the token belongs to a different query. Pass the same filters and sort order as the request that returned it, or start again without a nextToken."
            }
            // Bedrock's own wording is not published; this is the usual AWS one.
            CursorError::Expired => EXPIRED_TOKEN,
        }
    }
}

/// The message of a `nextToken` refused as too old (`--token-ttl`).
pub const EXPIRED_TOKEN: &str =
    "The pagination token is invalid or has expired. Start the listing again without a nextToken.";

impl Cursor {
    /// Whether the token is at least `ttl_ms` old at `now_ms` (so a TTL of
    /// 0 refuses every token).
    pub fn expired(&self, now_ms: i64, ttl_ms: Option<i64>) -> bool {
        ttl_ms.is_some_and(|ttl| now_ms.saturating_sub(self.issued_ms) >= ttl)
    }
}

/// Signs and checks tokens with a key of the endpoint's own.
#[derive(Clone)]
pub struct TokenCodec {
    key: [u8; 32],
}

impl TokenCodec {
    pub fn new(key: [u8; 32]) -> Self {
        TokenCodec { key }
    }

    fn mac(&self, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(body);
        mac
    }

    pub fn encode(&self, c: &Cursor) -> String {
        let mut body = Vec::with_capacity(BODY_LEN + MAC_LEN);
        body.push(VERSION);
        body.push(u8::from(c.ascending));
        body.extend_from_slice(&c.created_us.to_be_bytes());
        body.extend_from_slice(&c.id.0);
        body.extend_from_slice(&c.fingerprint.to_be_bytes());
        body.extend_from_slice(&c.tie_salt.to_be_bytes());
        body.extend_from_slice(&c.issued_ms.to_be_bytes());
        let tag = self.mac(&body).finalize().into_bytes();
        body.extend_from_slice(&tag[..MAC_LEN]);
        URL_SAFE_NO_PAD.encode(body)
    }

    /// Decodes a token and checks it belongs to the query `(ascending, fingerprint)`.
    pub fn decode(
        &self,
        token: &str,
        ascending: bool,
        fingerprint: u64,
    ) -> Result<Cursor, CursorError> {
        let raw = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| CursorError::Invalid)?;
        if raw.len() != BODY_LEN + MAC_LEN {
            return Err(CursorError::Invalid);
        }
        let (body, tag) = raw.split_at(BODY_LEN);
        self.mac(body)
            .verify_truncated_left(tag)
            .map_err(|_| CursorError::Invalid)?;
        if body[0] != VERSION {
            return Err(CursorError::Invalid);
        }
        let word = |at: usize| -> Result<[u8; 8], CursorError> {
            body[at..at + 8]
                .try_into()
                .map_err(|_| CursorError::Invalid)
        };
        let c = Cursor {
            ascending: body[1] == 1,
            created_us: i64::from_be_bytes(word(2)?),
            id: ShortId(body[10..22].try_into().map_err(|_| CursorError::Invalid)?),
            fingerprint: u64::from_be_bytes(word(22)?),
            tie_salt: u64::from_be_bytes(word(30)?),
            issued_ms: i64::from_be_bytes(word(38)?),
        };
        if c.ascending != ascending || c.fingerprint != fingerprint {
            return Err(CursorError::WrongQuery);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codec() -> TokenCodec {
        TokenCodec::new([7; 32])
    }

    #[test]
    fn round_trip() {
        let c = Cursor {
            ascending: false,
            created_us: 1_700_000_000_123_456,
            id: ShortId::from_u64(99),
            tie_salt: 77,
            fingerprint: 5,
            issued_ms: 1_700_000_100_000,
        };
        let t = codec().encode(&c);
        assert!(t.len() <= 2048 && !t.contains(char::is_whitespace));
        assert_eq!(codec().decode(&t, false, 5), Ok(c));
    }

    /// An ascending cursor of query 9.
    fn sample() -> Cursor {
        Cursor {
            ascending: true,
            created_us: 1,
            id: ShortId::from_u64(1),
            tie_salt: 0,
            fingerprint: 9,
            issued_ms: 0,
        }
    }

    #[test]
    fn a_token_expires_at_its_ttl() {
        let c = Cursor {
            issued_ms: 10_000,
            ..sample()
        };
        assert!(!c.expired(10_000_000, None), "no TTL: never");
        assert!(c.expired(10_000, Some(0)), "0 refuses every token");
        assert!(!c.expired(69_999, Some(60_000)));
        assert!(c.expired(70_000, Some(60_000)));
    }

    #[test]
    fn other_queries_forgeries_and_garbage_are_refused() {
        let c = sample();
        let t = codec().encode(&c);
        assert_eq!(codec().decode(&t, true, 10), Err(CursorError::WrongQuery));
        assert_eq!(codec().decode(&t, false, 9), Err(CursorError::WrongQuery));
        assert_eq!(
            TokenCodec::new([8; 32]).decode(&t, true, 9),
            Err(CursorError::Invalid)
        );
        let mut bytes = URL_SAFE_NO_PAD.decode(&t).unwrap();
        bytes[5] ^= 1;
        assert_eq!(
            codec().decode(&URL_SAFE_NO_PAD.encode(&bytes), true, 9),
            Err(CursorError::Invalid)
        );
        assert_eq!(
            codec().decode("not a token!", true, 9),
            Err(CursorError::Invalid)
        );
        assert_eq!(codec().decode("abc", true, 9), Err(CursorError::Invalid));
    }
}
