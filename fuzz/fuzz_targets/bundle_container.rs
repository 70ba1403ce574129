//! What is inside a bundle's encryption: the magic line, the manifest, the (compressed) body and
//! the signature. Reached directly, since random bytes rarely survive age decryption.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|container: &[u8]| {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
    let _ = hearth_format::bundle::open_container(container, |_, _| Some(key));
});
