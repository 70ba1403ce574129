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

/// A new age identity for a folder of bundle vectors, written to its `identity.txt` (the vectors'
/// tests and the office's commands read it there).
fn new_identity(folder: &Path) -> age::x25519::Identity {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    write(
        folder,
        "identity.txt",
        format!("{}\n", identity.to_string().expose_secret()).as_bytes(),
    );
    identity
}

fn write(folder: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(folder.join(name), bytes).unwrap();
    println!("wrote {}", folder.join(name).display());
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let force = std::env::args().any(|arg| arg == "--force");
    // Each set is written once: the vectors of a shipped version are never rewritten.
    let mut wrote = false;
    if force || !root.join("keyslots/good").exists() {
        first_vectors(&root);
        wrote = true;
    }
    if force || !root.join("keyslots-v2/good").exists() {
        key_slots_version_2(&root);
        wrote = true;
    }
    if force || !root.join("keyslots-v3/good").exists() {
        key_slots_version_3(&root);
        wrote = true;
    }
    if force || !root.join("join-request/good.json").exists() {
        join_request_vectors(&root);
        wrote = true;
    }
    if force || !root.join("bundle-v2/good.age").exists() {
        streaming_bundle_vectors(&root);
        wrote = true;
    }
    if !wrote {
        println!("the vectors exist; shipped vectors are not rewritten (--force to do it anyway)");
    }
}

/// Streaming bundles (format 3): one from a fixed device and key to a fixed age identity, with an
/// organisation, a roster naming the signer's key and two change frames; and the ways one can be
/// broken, several of them re-encrypted after an edit of the frames (any member laptop can
/// decrypt and re-encrypt a bundle, only the origin can sign one).
fn streaming_bundle_vectors(root: &Path) {
    use base64::Engine;
    use serde_json::json;
    let folder = root.join("bundle-v2");
    std::fs::create_dir_all(&folder).unwrap();
    let identity = new_identity(&folder);
    let other = age::x25519::Identity::generate();
    let signer = SigningKey::from_bytes(&[9; 32]);
    let device = DeviceId([0xd0; 16]);
    let key = base64::engine::general_purpose::STANDARD.encode(signer.verifying_key().to_bytes());
    let frames = [
        json!({"frame": "organisation", "name": "Vector Network", "office_recipient": null}),
        json!({"frame": "roster", "devices": [{"device": device.to_hex(), "name": "Tirana",
            "site": "Tirana", "signing_key": key, "status": "active"}]}),
        json!({"frame": "change", "device": device.to_hex(), "seq": 1, "fields": {"gender": "Female"}}),
        json!({"frame": "change", "device": device.to_hex(), "seq": 2, "fields": {"risk_level": "High"}}),
    ];
    let seal = |manifest: &bundle::Manifest, signer: &SigningKey, to: &age::x25519::Identity| {
        let mut writer =
            bundle::BundleWriter::new(Vec::new(), &[to.to_public()], manifest).unwrap();
        for frame in &frames {
            writer.frame(frame).unwrap();
        }
        writer.finish(signer).unwrap().0
    };
    let manifest = bundle::manifest_for(device, [0xb2; 16], 1_767_225_600_000);
    let good = seal(&manifest, &signer, &identity);
    write(&folder, "good.age", &good);
    let container = age::decrypt(&identity, &good).unwrap();
    let lines = zstd::decode_all(&container[17..]).unwrap();
    write(&folder, "good.frames", &lines);
    // The frames of the good bundle edited, then compressed and encrypted again.
    let reworked = |edit: &dyn Fn(&mut Vec<Vec<u8>>)| {
        let mut split: Vec<Vec<u8>> = lines
            .split_inclusive(|byte| *byte == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        edit(&mut split);
        let mut inner = bundle::STREAM_MAGIC.to_vec();
        inner.extend(zstd::encode_all(split.concat().as_slice(), 3).unwrap());
        age::encrypt(&identity.to_public(), &inner).unwrap()
    };
    write(&folder, "fail_truncated.age", &good[..good.len() - 10]);
    let mut flipped = good.clone();
    let middle = flipped.len() / 2 + 40;
    flipped[middle] ^= 0x01;
    write(&folder, "fail_flipped_byte.age", &flipped);
    write(
        &folder,
        "fail_other_recipient.age",
        &seal(&manifest, &signer, &other),
    );
    write(
        &folder,
        "fail_forged_signature.age",
        &seal(&manifest, &SigningKey::from_bytes(&[8; 32]), &identity),
    );
    let mut newer = manifest.clone();
    newer.format = 99;
    write(
        &folder,
        "fail_newer_format.age",
        &seal(&newer, &signer, &identity),
    );
    write(
        &folder,
        "fail_cut_at_a_frame.age",
        &reworked(&|split| split.truncate(split.len() - 1)),
    );
    write(
        &folder,
        "fail_frame_removed.age",
        &reworked(&|split| {
            split.remove(3);
        }),
    );
    write(
        &folder,
        "fail_frames_swapped.age",
        &reworked(&|split| split.swap(3, 4)),
    );
    write(
        &folder,
        "fail_after_the_end.age",
        &reworked(&|split| split.push(b"{\"frame\":\"change\"}\n".to_vec())),
    );
}

/// Join requests: one signed by a fixed key, the same with its site changed after signing, and
/// one claiming a version this Hearth does not read.
fn join_request_vectors(root: &Path) {
    use base64::Engine;
    use ed25519_dalek::Signer;
    use hearth_format::join_request::JoinRequest;
    let folder = root.join("join-request");
    std::fs::create_dir_all(&folder).unwrap();
    let base64 = base64::engine::general_purpose::STANDARD;
    let key = SigningKey::from_bytes(&[5; 32]);
    let mut request = JoinRequest {
        hearth_join_request: 1,
        device: "5e".repeat(16),
        site: "Shkodër".into(),
        signing_key: base64.encode(key.verifying_key().to_bytes()),
        age_recipient: age::x25519::Identity::generate().to_public().to_string(),
        signature: String::new(),
    };
    request.signature = base64.encode(key.sign(request.signed_text().as_bytes()).to_bytes());
    let json = |request: &JoinRequest| serde_json::to_vec_pretty(request).unwrap();
    write(&folder, "good.json", &json(&request));
    let mut moved = request.clone();
    moved.site = "Vlorë".into();
    write(&folder, "fail_signature.json", &json(&moved));
    let mut newer = request.clone();
    newer.hearth_join_request = 2;
    write(&folder, "fail_newer_version.json", &json(&newer));
    write(&folder, "fail_not_json.json", b"hearth-join-request/v1\n");
}

/// Key-slot file version 3: a version-2 passphrase slot and recovery slot, and the duress slot
/// (its profile sealed under the duress passphrase); and the two ways a duress slot is refused.
fn key_slots_version_3(root: &Path) {
    let folder = root.join("keyslots-v3");
    std::fs::create_dir_all(&folder).unwrap();
    let data_key = SecretKey::generate().unwrap();
    let mut file = KeySlotFile::new().unwrap();
    let ana = file.name_tag("ana petrović");
    let seal = |kind, account, tag, secret: &[u8]| {
        KeySlot::seal(kind, account, tag, KdfParams::FLOOR, secret, &data_key).unwrap()
    };
    file.put_account_slot(
        seal(
            SlotKind::Passphrase,
            AccountId::from_bytes([0x11; 16]),
            ana,
            b"correct horse battery staple",
        )
        .slot,
    );
    file.put_recovery_slot(
        seal(
            SlotKind::Recovery,
            AccountId::from_bytes([0; 16]),
            0,
            b"vector recovery secret",
        )
        .slot,
    );
    let duress = KeySlot::seal_duress(
        KdfParams::FLOOR,
        b"copper meadow whistle eleven",
        br#"{"organisation":"Vector Network","site":"Tirana"}"#,
    )
    .unwrap();
    file.put_duress_slot(duress.clone());
    let good = file.to_bytes();
    write(&folder, "good", &good);
    write(
        &folder,
        "good.data-key",
        data_key.expose_secret_hex().as_bytes(),
    );
    // The same file claiming version 2, whose Hearth would not know to try the duress slot.
    let mut claimed_older = good.clone();
    claimed_older[8] = 2;
    write(&folder, "fail_version_2_with_a_duress_slot", &claimed_older);
    // Two duress slots: which one would unlock try?
    let mut twice = good.clone();
    let count = u16::from_be_bytes([twice[25], twice[26]]) + 1;
    twice[25..27].copy_from_slice(&count.to_be_bytes());
    twice.extend_from_slice(&duress.to_bytes());
    write(&folder, "fail_two_duress_slots", &twice);
}

/// Key-slot file version 2: a version-2 passphrase slot (an identity, and the data key encrypted
/// to it), a version-1 slot beside it as an upgraded vault has until that person unlocks, and a
/// version-2 recovery slot.
fn key_slots_version_2(root: &Path) {
    let folder = root.join("keyslots-v2");
    std::fs::create_dir_all(&folder).unwrap();
    let data_key = SecretKey::generate().unwrap();
    let mut file = KeySlotFile::new().unwrap();
    let ana = file.name_tag("ana petrović");
    let besa = file.name_tag("besa krasniqi");
    let seal = |kind, account, tag, secret: &[u8]| {
        KeySlot::seal(kind, account, tag, KdfParams::FLOOR, secret, &data_key).unwrap()
    };
    let ana_slot = seal(
        SlotKind::Passphrase,
        AccountId::from_bytes([0x11; 16]),
        ana,
        b"correct horse battery staple",
    );
    file.put_account_slot(ana_slot.slot.clone());
    file.put_account_slot(
        KeySlot::seal_version_1(
            SlotKind::Passphrase,
            AccountId::from_bytes([0x22; 16]),
            besa,
            KdfParams::FLOOR,
            b"staple battery horse correct",
            &data_key,
        )
        .unwrap(),
    );
    let recovery = seal(
        SlotKind::Recovery,
        AccountId::from_bytes([0; 16]),
        0,
        b"vector recovery secret",
    );
    file.put_recovery_slot(recovery.slot.clone());
    let good = file.to_bytes();
    write(&folder, "good", &good);
    write(
        &folder,
        "good.data-key",
        data_key.expose_secret_hex().as_bytes(),
    );
    write(
        &folder,
        "good.recipients",
        format!(
            "{}
{}
",
            ana_slot.recipient, recovery.recipient
        )
        .as_bytes(),
    );
    // The same file claiming version 1, which cannot hold version-2 slots.
    let mut claimed_old = good.clone();
    claimed_old[8] = 1;
    write(&folder, "fail_version_1_with_version_2_slots", &claimed_old);
    // Ana's slot carrying the recovery slot's encrypted data key: her identity cannot open it.
    let mut swapped = file.clone();
    let other = KeySlotFile::from_bytes(&good).unwrap();
    swapped.put_account_slot(
        ana_slot
            .slot
            .with_data_key(&recovery.recipient, &data_key)
            .unwrap(),
    );
    assert_eq!(other.slots().len(), swapped.slots().len());
    write(
        &folder,
        "fail_open_other_slots_data_key",
        &swapped.to_bytes(),
    );
}

fn first_vectors(root: &Path) {
    // Key slots: one passphrase slot and the recovery slot over a data key written beside them.
    let folder = root.join("keyslots");
    let data_key = SecretKey::generate().unwrap();
    let mut file = KeySlotFile::new().unwrap();
    let tag = file.name_tag("ana petrović");
    let account = AccountId::from_bytes([0x11; 16]);
    file.put_account_slot(
        KeySlot::seal_version_1(
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
        KeySlot::seal_version_1(
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
    let identity = new_identity(&folder);
    let other = age::x25519::Identity::generate();
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
