//! A checkpoint note, as `hearth audit verify --checkpoint` and the Audit screen read it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let _ = hearth_format::checkpoint::signer(text);
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
    let _ = hearth_format::checkpoint::parse(text, &key);
});
