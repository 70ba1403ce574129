//! The key-slot file, read at every unlock; a copy can come from a backup or an attacker.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(file) = hearth_format::keyslots::KeySlotFile::from_bytes(bytes) {
        // What unlock does next with a file that parsed, short of running Argon2id (a tenth of a
        // second a try, at the floor): find the slots for a name, and write the file back, which
        // must give the bytes read.
        let _ = file.candidates_for("mirela");
        let _ = file.recovery_slot();
        assert_eq!(
            file.to_bytes(),
            bytes,
            "a key-slot file did not write back as it was read"
        );
    }
});
