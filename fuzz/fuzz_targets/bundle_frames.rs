//! A streaming bundle's frames, as they decompress inside the encryption: the line reader, the
//! manifest and end frames (`hearth_format::bundle::BundleReader`), and each body frame as an
//! import reads it (`hearth_sync::fuzzing::read_frame`). The input is the decompressed lines; the
//! target compresses them, since random bytes are rarely a zstd stream.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|lines: &[u8]| {
    let Ok(compressed) = zstd::bulk::compress(lines, 1) else {
        return;
    };
    let Ok(mut reader) = hearth_format::bundle::BundleReader::open(compressed.as_slice()) else {
        return;
    };
    while let Ok(Some(frame)) = reader.next_frame() {
        hearth_sync::fuzzing::read_frame(frame);
    }
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
    let _ = reader.verify(&key);
});
