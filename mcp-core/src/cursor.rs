//! Opaque pagination cursors: a page index, base64-encoded so clients do not build them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

pub(crate) fn encode(page: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("page:{page}"))
}

pub(crate) fn decode(cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix("page:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_and_rejects_garbage() {
        assert_eq!(super::decode(&super::encode(7)), Some(7));
        assert_eq!(super::decode("not-a-cursor"), None);
        assert_eq!(super::decode(""), None);
    }

    proptest::proptest! {
        #[test]
        fn every_page_index_round_trips(page in proptest::num::usize::ANY) {
            proptest::prop_assert_eq!(super::decode(&super::encode(page)), Some(page));
        }

        #[test]
        fn any_text_decodes_or_is_refused(text in ".{0,40}") {
            let _ = super::decode(&text);
        }
    }
}
