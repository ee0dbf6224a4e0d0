//! The endpoint's `nextToken`: what it issues decodes to the same cursor,
//! for the same query only, and anything else (garbage, a token with a
//! byte flipped, cut short or lengthened, another key's) is refused as
//! not issued here.

use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use copyjobs::emulator::cursor::{Cursor, CursorError, TokenCodec};
use copyjobs::emulator::model::ShortId;
use proptest::prelude::*;
use proptest::sample::Index;

fn codec() -> TokenCodec {
    TokenCodec::new([0x5a; 32])
}

fn cursor() -> impl Strategy<Value = Cursor> {
    (
        (any::<bool>(), any::<i64>(), any::<u64>()),
        (any::<u64>(), any::<u64>(), any::<i64>()),
    )
        .prop_map(
            |((ascending, created_us, id), (tie_salt, fingerprint, issued_ms))| Cursor {
                ascending,
                created_us,
                id: ShortId::from_u64(id),
                tie_salt,
                fingerprint,
                issued_ms,
            },
        )
}

/// A change to a token's bytes, under the base64.
#[derive(Debug, Clone)]
enum ByteEdit {
    Flip(Index, u8),
    Truncate(Index),
    Extend(Vec<u8>),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), 1u8..=255).prop_map(|(i, m)| ByteEdit::Flip(i, m)),
        1 => any::<Index>().prop_map(ByteEdit::Truncate),
        1 => proptest::collection::vec(any::<u8>(), 1..8).prop_map(ByteEdit::Extend),
    ]
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn issued_tokens_round_trip_for_their_query_only(c in cursor(), other_fp in any::<u64>()) {
        let t = codec().encode(&c);
        // The service's own constraint on nextToken: 1–2048 non-space characters.
        prop_assert!(!t.is_empty() && t.len() <= 2048);
        prop_assert!(t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{t}");
        prop_assert_eq!(codec().decode(&t, c.ascending, c.fingerprint), Ok(c));
        prop_assert_eq!(codec().decode(&t, !c.ascending, c.fingerprint), Err(CursorError::WrongQuery));
        if other_fp != c.fingerprint {
            prop_assert_eq!(codec().decode(&t, c.ascending, other_fp), Err(CursorError::WrongQuery));
        }
        prop_assert_eq!(
            TokenCodec::new([0xa5; 32]).decode(&t, c.ascending, c.fingerprint),
            Err(CursorError::Invalid)
        );
    }

    #[test]
    fn garbage_is_not_a_token(s in text(120), ascending in any::<bool>(), fp in any::<u64>()) {
        prop_assert_eq!(codec().decode(&s, ascending, fp), Err(CursorError::Invalid));
    }

    /// Any other text than the token issued is refused, whatever was changed.
    #[test]
    fn edited_tokens_are_refused(c in cursor(), edits in proptest::collection::vec(edit(), 1..4)) {
        let t = codec().encode(&c);
        let edited = apply(&t, &edits);
        if edited != t {
            prop_assert_eq!(codec().decode(&edited, c.ascending, c.fingerprint), Err(CursorError::Invalid));
        }
    }

    #[test]
    fn tokens_with_bytes_changed_are_refused(c in cursor(), e in byte_edit()) {
        let mut raw = URL_SAFE_NO_PAD
            .decode(codec().encode(&c))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        match e {
            ByteEdit::Flip(i, mask) => {
                let i = i.index(raw.len());
                raw[i] ^= mask;
            }
            ByteEdit::Truncate(i) => raw.truncate(i.index(raw.len())),
            ByteEdit::Extend(more) => raw.extend(more),
        }
        let forged = URL_SAFE_NO_PAD.encode(&raw);
        prop_assert_eq!(codec().decode(&forged, c.ascending, c.fingerprint), Err(CursorError::Invalid));
    }
}
