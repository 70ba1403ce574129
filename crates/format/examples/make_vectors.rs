//! Writes the test vectors under `tests/vectors/`: good files and `fail_` files of each format,
//! as `tests/vectors.rs` reads them. Run once when a format gains a version, then commit the
//! files; the vectors of a shipped version are never rewritten (they pin what old files look
//! like). `cargo run -p hearth-format --example make_vectors -- [--force]`.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::path::Path;

use ed25519_dalek::SigningKey;
use hearth_crypto::{KdfParams, SecretKey};
use hearth_format::keyslots::{KeySlot, KeySlotFile, SlotKind};
use hearth_format::{bundle, checkpoint};
use hearth_ids::{AccountId, DeviceId};

/// Offset of the first slot's Argon2 memory parameter in a key-slot file: the file header
/// (magic 8, version 1, lookup key 16, count 2), then slot version 1, kind 1, account 16, tag 1.
const FIRST_SLOT_MEMORY: usize = 27 + 19;

fn write(folder: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(folder.join(name), bytes).unwrap();
    println!("wrote {}", folder.join(name).display());
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let force = std::env::args().any(|arg| arg == "--force");
    if root.join("keyslots/good").exists() && !force {
        println!("the vectors exist; shipped vectors are not rewritten (--force to do it anyway)");
        return;
    }

    // Key slots: one passphrase slot and the recovery slot over a data key written beside them.
    let folder = root.join("keyslots");
    let data_key = SecretKey::generate().unwrap();
    let mut file = KeySlotFile::new().unwrap();
    let tag = file.name_tag("ana petrović");
    let account = AccountId::from_bytes([0x11; 16]);
    file.put_account_slot(
        KeySlot::seal(
            SlotKind::Passphrase,
            account,
            tag,
            KdfParams::FLOOR,
            b"correct horse battery staple",
            &data_key,
        )
        .unwrap(),
    );
    file.put_recovery_slot(
        KeySlot::seal(
            SlotKind::Recovery,
            AccountId::from_bytes([0; 16]),
            0,
            KdfParams::FLOOR,
            b"vector recovery secret",
            &data_key,
        )
        .unwrap(),
    );
    let good = file.to_bytes();
    write(&folder, "good", &good);
    write(
        &folder,
        "good.data-key",
        data_key.expose_secret_hex().as_bytes(),
    );
    write(&folder, "fail_truncated", &good[..good.len() - 1]);
    let mut trailing = good.clone();
    trailing.push(0);
    write(&folder, "fail_trailing_byte", &trailing);
    let mut magic = good.clone();
    magic[0] ^= 0x20;
    write(&folder, "fail_magic", &magic);
    let mut version = good.clone();
    version[8] = 99;
    write(&folder, "fail_newer_version", &version);
    let mut lowered = good.clone();
    lowered[FIRST_SLOT_MEMORY..FIRST_SLOT_MEMORY + 4].copy_from_slice(&1024u32.to_be_bytes());
    write(&folder, "fail_open_lowered_kdf", &lowered);
    let mut raised = good.clone();
    let memory = u32::from_be_bytes(
        raised[FIRST_SLOT_MEMORY..FIRST_SLOT_MEMORY + 4]
            .try_into()
            .unwrap(),
    );
    raised[FIRST_SLOT_MEMORY..FIRST_SLOT_MEMORY + 4].copy_from_slice(&(memory * 2).to_be_bytes());
    write(&folder, "fail_open_raised_kdf", &raised);
    let mut wrapped = good.clone();
    let last_slot_end = good.len();
    wrapped[last_slot_end - 1] ^= 0x01;
    write(&folder, "fail_open_recovery_tag", &wrapped);

    // Bundles: from a fixed device and key, to a fixed age identity.
    let folder = root.join("bundle");
    let identity = age::x25519::Identity::generate();
    let other = age::x25519::Identity::generate();
    use age::secrecy::ExposeSecret;
    write(
        &folder,
        "identity.txt",
        format!("{}\n", identity.to_string().expose_secret()).as_bytes(),
    );
    let signer = SigningKey::from_bytes(&[9; 32]);
    let device = DeviceId([0xd0; 16]);
    let body = br#"{"hello":"world"}"#;
    let manifest = || bundle::manifest_for(device, [0xb1; 16], 1_767_225_600_000);
    let to_us = [identity.to_public()];
    let good = bundle::seal(manifest(), &signer, &to_us, body).unwrap();
    write(&folder, "good.age", &good);
    write(&folder, "good.body", body);
    write(&folder, "fail_truncated.age", &good[..good.len() - 10]);
    let mut flipped = good.clone();
    let middle = flipped.len() / 2 + 40;
    flipped[middle] ^= 0x01;
    write(&folder, "fail_flipped_byte.age", &flipped);
    write(
        &folder,
        "fail_other_recipient.age",
        &bundle::seal(manifest(), &signer, &[other.to_public()], body).unwrap(),
    );
    write(
        &folder,
        "fail_forged_signature.age",
        &bundle::seal(manifest(), &SigningKey::from_bytes(&[8; 32]), &to_us, body).unwrap(),
    );
    let mut newer = manifest();
    newer.format = 99;
    write(
        &folder,
        "fail_newer_format.age",
        &bundle::seal(newer, &signer, &to_us, body).unwrap(),
    );
    write(
        &folder,
        "fail_not_age.age",
        b"hearth-bundle/v1\nnot encrypted\n",
    );
    write(
        &folder,
        "fail_not_a_bundle.age",
        &age::encrypt(&identity.to_public(), b"hello").unwrap(),
    );

    // Checkpoint notes, signed by a fixed key.
    let folder = root.join("checkpoint");
    let key = SigningKey::from_bytes(&[3; 32]);
    let note = checkpoint::sign(DeviceId([0x5e; 16]), 1_000, [7; 32], &key);
    write(&folder, "good.txt", note.text.as_bytes());
    write(
        &folder,
        "fail_size_changed.txt",
        note.text.replacen("\n1000\n", "\n1001\n", 1).as_bytes(),
    );
    let signature_line = note.text.lines().last().unwrap();
    let mut forged = signature_line.to_owned();
    let flip = forged.len() - 5;
    forged.replace_range(
        flip..flip + 1,
        if &forged[flip..flip + 1] == "A" {
            "B"
        } else {
            "A"
        },
    );
    write(
        &folder,
        "fail_signature_changed.txt",
        note.text.replace(signature_line, &forged).as_bytes(),
    );
    write(
        &folder,
        "fail_no_blank_line.txt",
        note.text.replacen("\n\n", "\n", 1).as_bytes(),
    );
    write(
        &folder,
        "fail_other_device.txt",
        note.text
            .replacen(
                &DeviceId([0x5e; 16]).to_hex(),
                &DeviceId([0x5f; 16]).to_hex(),
                1,
            )
            .as_bytes(),
    );
}
