//! A bundle file as it arrives on a USB stick: age decryption, then the container inside.
#![no_main]

use std::str::FromStr;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// The identity the committed vectors are encrypted to.
fn identity() -> &'static age::x25519::Identity {
    static IDENTITY: OnceLock<age::x25519::Identity> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let text = include_str!("../../crates/format/tests/vectors/bundle/identity.txt");
        let line = text
            .lines()
            .find(|line| line.starts_with("AGE-SECRET-KEY-"))
            .expect("the vectors' identity");
        age::x25519::Identity::from_str(line).expect("an age identity")
    })
}

fuzz_target!(|sealed: &[u8]| {
    // The vectors are signed with this key (crates/format/examples/make_vectors.rs).
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
    let _ = hearth_format::bundle::open(sealed, identity(), |_| Some(key));
});
