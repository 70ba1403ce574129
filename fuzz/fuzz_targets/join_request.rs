//! A join request, read from a file someone hands an administrator (`hearth device approve`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(request) = hearth_format::join_request::JoinRequest::from_json(bytes) {
        // What approving does before it touches the roster: the version, the recipient, the key
        // and the signature; a request that passes must name a key that verifies again.
        if let Ok(key) = request.verify() {
            assert_eq!(
                request.verify().ok(),
                Some(key),
                "verification is not stable"
            );
        }
    }
});
