//! The committed test vectors (`tests/vectors/`, written once by `examples/make_vectors.rs`):
//! every good file reads back as it was written, and every `fail_` file is refused with the
//! error it was made to provoke. A file in a vector folder that this test does not know fails it,
//! so a new vector cannot be committed without saying what it must do.
#![allow(clippy::unwrap_used)] // helpers outside #[test] functions report by panicking too

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::SigningKey;
use hearth_format::bundle::{self, BundleError};
use hearth_format::checkpoint;
use hearth_format::keyslots::{KeySlotFile, KeySlotFileError, SlotOpenError};
use hearth_ids::{AccountId, DeviceId};

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name)
}

fn read(folder: &Path, name: &str) -> Vec<u8> {
    std::fs::read(folder.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The files in `folder`, which must be exactly `expected`.
fn assert_files(folder: &Path, expected: &[&str]) {
    let found: BTreeSet<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = expected.iter().map(|name| (*name).to_owned()).collect();
    assert_eq!(found, expected, "vectors in {}", folder.display());
}

#[test]
fn key_slot_vectors() {
    let folder = folder("keyslots");
    let parse_failures: &[(&str, &str)] = &[
        ("fail_truncated", "truncated"),
        ("fail_trailing_byte", "trailing bytes"),
        ("fail_magic", "not a key-slot file"),
        ("fail_newer_version", "unknown file version"),
    ];
    let open_failures = [
        "fail_open_lowered_kdf",
        "fail_open_raised_kdf",
        "fail_open_recovery_tag",
    ];
    let mut names = vec!["good", "good.data-key"];
    names.extend(parse_failures.iter().map(|(name, _)| *name));
    names.extend(open_failures);
    assert_files(&folder, &names);

    let data_key = String::from_utf8(read(&folder, "good.data-key")).unwrap();
    let good = KeySlotFile::from_bytes(&read(&folder, "good")).unwrap();
    assert_eq!(
        good.to_bytes(),
        read(&folder, "good"),
        "a round trip changes nothing"
    );
    let account = AccountId::from_bytes([0x11; 16]);
    let slot = good.slot_of(account).expect("the account's slot");
    assert_eq!(good.candidates_for("ana petrović").len(), 1);
    let opened = slot.open(b"correct horse battery staple").unwrap();
    assert_eq!(opened.expose_secret_hex().as_str(), data_key);
    assert!(matches!(
        slot.open(b"wrong horse battery staple"),
        Err(SlotOpenError::WrongSecretOrAltered)
    ));
    let recovery = good
        .recovery_slot()
        .unwrap()
        .open(b"vector recovery secret")
        .unwrap();
    assert_eq!(recovery.expose_secret_hex().as_str(), data_key);

    for (name, words) in parse_failures {
        match KeySlotFile::from_bytes(&read(&folder, name)) {
            Err(KeySlotFileError::Malformed(why)) => {
                assert!(why.contains(words), "{name}: {why}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let lowered = KeySlotFile::from_bytes(&read(&folder, "fail_open_lowered_kdf")).unwrap();
    assert!(matches!(
        lowered
            .slot_of(account)
            .unwrap()
            .open(b"correct horse battery staple"),
        Err(SlotOpenError::ParamsOutOfRange)
    ));
    // Raised parameters are in range, but they are the AEAD's associated data.
    let raised = KeySlotFile::from_bytes(&read(&folder, "fail_open_raised_kdf")).unwrap();
    assert!(matches!(
        raised
            .slot_of(account)
            .unwrap()
            .open(b"correct horse battery staple"),
        Err(SlotOpenError::WrongSecretOrAltered)
    ));
    let tag = KeySlotFile::from_bytes(&read(&folder, "fail_open_recovery_tag")).unwrap();
    assert!(matches!(
        tag.recovery_slot().unwrap().open(b"vector recovery secret"),
        Err(SlotOpenError::WrongSecretOrAltered)
    ));
}

/// Version 3 of the key-slot file: version 2 with the duress slot, which opens its profile with
/// the duress passphrase only and holds no data key.
#[test]
fn key_slot_version_3_vectors() {
    let folder = folder("keyslots-v3");
    assert_files(
        &folder,
        &[
            "good",
            "good.data-key",
            "fail_version_2_with_a_duress_slot",
            "fail_two_duress_slots",
        ],
    );
    let data_key = String::from_utf8(read(&folder, "good.data-key")).unwrap();
    let good = KeySlotFile::from_bytes(&read(&folder, "good")).unwrap();
    assert_eq!(good.version(), 3);
    assert_eq!(good.to_bytes(), read(&folder, "good"));
    let ana = good.slot_of(AccountId::from_bytes([0x11; 16])).unwrap();
    assert_eq!(
        ana.open(b"correct horse battery staple")
            .unwrap()
            .expose_secret_hex()
            .as_str(),
        data_key
    );
    let duress = good.duress_slot().unwrap();
    assert_eq!(duress.version(), 3);
    assert_eq!(
        duress
            .open_duress(b"copper meadow whistle eleven")
            .unwrap()
            .as_slice(),
        br#"{"organisation":"Vector Network","site":"Tirana"}"#
    );
    assert!(matches!(
        duress.open_duress(b"correct horse battery staple"),
        Err(SlotOpenError::WrongSecretOrAltered)
    ));
    assert!(matches!(
        duress.open(b"copper meadow whistle eleven"),
        Err(SlotOpenError::NoKey)
    ));
    for name in ["fail_version_2_with_a_duress_slot", "fail_two_duress_slots"] {
        match KeySlotFile::from_bytes(&read(&folder, name)) {
            Err(KeySlotFileError::Malformed(why)) => {
                assert_eq!(why, "unexpected duress slot", "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// Version 2 of the key-slot file: version-2 slots (an identity, and the data key encrypted to
/// it) beside a version-1 slot, as a vault has whose people have not all unlocked since.
#[test]
fn key_slot_version_2_vectors() {
    let folder = folder("keyslots-v2");
    assert_files(
        &folder,
        &[
            "good",
            "good.data-key",
            "good.recipients",
            "fail_version_1_with_version_2_slots",
            "fail_open_other_slots_data_key",
        ],
    );
    let data_key = String::from_utf8(read(&folder, "good.data-key")).unwrap();
    let good = KeySlotFile::from_bytes(&read(&folder, "good")).unwrap();
    assert_eq!(good.version(), 2);
    assert_eq!(good.to_bytes(), read(&folder, "good"));
    let ana = good.slot_of(AccountId::from_bytes([0x11; 16])).unwrap();
    let besa = good.slot_of(AccountId::from_bytes([0x22; 16])).unwrap();
    let recovery = good.recovery_slot().unwrap();
    assert_eq!(
        [ana.version(), besa.version(), recovery.version()],
        [2, 1, 2]
    );
    for (slot, secret) in [
        (ana, &b"correct horse battery staple"[..]),
        (besa, b"staple battery horse correct"),
        (recovery, b"vector recovery secret"),
    ] {
        assert_eq!(
            slot.open(secret).unwrap().expose_secret_hex().as_str(),
            data_key
        );
    }
    assert!(matches!(
        ana.open(b"wrong horse battery staple"),
        Err(SlotOpenError::WrongSecretOrAltered)
    ));
    // Given a new data key through the recipient kept for it, Ana's slot opens to that key.
    let recipients = String::from_utf8(read(&folder, "good.recipients")).unwrap();
    let ana_recipient = recipients.lines().next().unwrap();
    let new_key = hearth_crypto::SecretKey::generate().unwrap();
    let rekeyed = ana.with_data_key(ana_recipient, &new_key).unwrap();
    assert_eq!(
        rekeyed
            .open(b"correct horse battery staple")
            .unwrap()
            .expose_secret(),
        new_key.expose_secret()
    );

    match KeySlotFile::from_bytes(&read(&folder, "fail_version_1_with_version_2_slots")) {
        Err(KeySlotFileError::Malformed(why)) => assert_eq!(why, "unknown slot version"),
        other => panic!("{other:?}"),
    }
    let swapped =
        KeySlotFile::from_bytes(&read(&folder, "fail_open_other_slots_data_key")).unwrap();
    assert!(matches!(
        swapped
            .slot_of(AccountId::from_bytes([0x11; 16]))
            .unwrap()
            .open(b"correct horse battery staple"),
        Err(SlotOpenError::WrongSecretOrAltered)
    ));
}

#[test]
fn join_request_vectors() {
    use hearth_format::join_request::JoinRequest;
    let folder = folder("join-request");
    assert_files(
        &folder,
        &[
            "good.json",
            "fail_signature.json",
            "fail_newer_version.json",
            "fail_not_json.json",
        ],
    );
    let good = JoinRequest::from_json(&read(&folder, "good.json")).unwrap();
    assert_eq!(good.site, "Shkodër");
    assert!(good.verify().is_ok());
    let moved = JoinRequest::from_json(&read(&folder, "fail_signature.json")).unwrap();
    assert!(matches!(moved.verify(), Err(BundleError::BadSignature)));
    let newer = JoinRequest::from_json(&read(&folder, "fail_newer_version.json")).unwrap();
    assert!(matches!(newer.verify(), Err(BundleError::NewerFormat(2))));
    assert!(JoinRequest::from_json(&read(&folder, "fail_not_json.json")).is_err());
}

fn vector_identity(folder: &Path) -> age::x25519::Identity {
    let text = String::from_utf8(read(folder, "identity.txt")).unwrap();
    age::x25519::Identity::from_str(text.trim()).unwrap()
}

/// Whether an error is the one a vector was made to provoke.
type Expected = fn(&BundleError) -> bool;

#[test]
fn bundle_vectors() {
    let folder = folder("bundle");
    let failures: &[(&str, Expected)] = &[
        ("fail_truncated.age", |e| matches!(e, BundleError::Damaged)),
        ("fail_flipped_byte.age", |e| {
            matches!(e, BundleError::Damaged)
        }),
        ("fail_other_recipient.age", |e| {
            matches!(e, BundleError::NotAddressedToUs)
        }),
        ("fail_forged_signature.age", |e| {
            matches!(e, BundleError::BadSignature)
        }),
        ("fail_newer_format.age", |e| {
            matches!(e, BundleError::NewerFormat(99))
        }),
        ("fail_not_age.age", |e| matches!(e, BundleError::NotAgeFile)),
        ("fail_not_a_bundle.age", |e| {
            matches!(e, BundleError::NotABundle)
        }),
    ];
    let mut names = vec!["good.age", "good.body", "identity.txt"];
    names.extend(failures.iter().map(|(name, _)| *name));
    assert_files(&folder, &names);

    let identity = vector_identity(&folder);
    let sender = DeviceId([0xd0; 16]);
    let key = SigningKey::from_bytes(&[9; 32]).verifying_key();
    let trusted = |device: &DeviceId| (*device == sender).then_some(key);
    let good = bundle::open(&read(&folder, "good.age"), &identity, trusted).unwrap();
    assert_eq!(good.body, read(&folder, "good.body"));
    assert_eq!(good.manifest.origin_device, sender.to_hex());
    assert_eq!(good.manifest.created_ms, 1_767_225_600_000);
    // The committed vector is of format 1, which every later Hearth still reads.
    assert_eq!(good.manifest.format, 1);
    // Nobody else's key vouches for the sender.
    assert!(matches!(
        bundle::open(&read(&folder, "good.age"), &identity, |_| None),
        Err(BundleError::UnknownDevice(_))
    ));
    for (name, expected) in failures {
        match bundle::open(&read(&folder, name), &identity, trusted) {
            Err(error) => assert!(expected(&error), "{name}: {error:?}"),
            Ok(_) => panic!("{name} opened"),
        }
    }
}

/// The office opens a bundle with Go `age` and its identity, with no Hearth at all.
#[test]
fn the_good_bundle_decrypts_with_standard_age() {
    let folder = folder("bundle");
    let output = std::process::Command::new("age")
        .args(["--decrypt", "--identity"])
        .arg(folder.join("identity.txt"))
        .arg(folder.join("good.age"))
        .output()
        .expect("the age command (Debian package age) is installed by make deps");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.starts_with(bundle::MAGIC));
    // And it is exactly what the age crate reads.
    let identity = vector_identity(&folder);
    let decrypted = age::decrypt(&identity, &read(&folder, "good.age")).unwrap();
    assert_eq!(output.stdout, decrypted);
    assert!(!identity.to_string().expose_secret().is_empty());
}

/// Reads a streaming bundle as an import does: every frame, then the signature with `key`.
fn read_stream(
    sealed: &[u8],
    identity: &age::x25519::Identity,
    key: &ed25519_dalek::VerifyingKey,
) -> Result<(bundle::Manifest, Vec<u8>), BundleError> {
    let bundle::Opened::Stream(mut reader) = bundle::open_sealed(sealed, identity)? else {
        panic!("a streaming vector opened as a whole bundle");
    };
    let mut lines = Vec::new();
    while let Some(frame) = reader.next_frame()? {
        lines.extend_from_slice(frame);
        lines.push(b'\n');
    }
    reader.verify(key)?;
    Ok((reader.manifest().clone(), lines))
}

#[test]
fn streaming_bundle_vectors() {
    let folder = folder("bundle-v2");
    type Check = fn(&BundleError) -> bool;
    let failures: &[(&str, Check)] = &[
        ("fail_truncated.age", |e| matches!(e, BundleError::Damaged)),
        ("fail_flipped_byte.age", |e| {
            matches!(e, BundleError::Damaged)
        }),
        ("fail_other_recipient.age", |e| {
            matches!(e, BundleError::NotAddressedToUs)
        }),
        ("fail_forged_signature.age", |e| {
            matches!(e, BundleError::BadSignature)
        }),
        ("fail_newer_format.age", |e| {
            matches!(e, BundleError::NewerFormat(99))
        }),
        ("fail_cut_at_a_frame.age", |e| {
            matches!(
                e,
                BundleError::Malformed("the bundle ends before its signature")
            )
        }),
        ("fail_frame_removed.age", |e| {
            matches!(e, BundleError::BodyMismatch)
        }),
        ("fail_frames_swapped.age", |e| {
            matches!(e, BundleError::BodyMismatch)
        }),
        ("fail_after_the_end.age", |e| {
            matches!(
                e,
                BundleError::Malformed("there are bytes after the signature")
            )
        }),
    ];
    let mut names = vec!["good.age", "good.frames", "identity.txt"];
    names.extend(failures.iter().map(|(name, _)| *name));
    assert_files(&folder, &names);

    let identity = vector_identity(&folder);
    let key = SigningKey::from_bytes(&[9; 32]).verifying_key();
    let (manifest, lines) = read_stream(&read(&folder, "good.age"), &identity, &key).unwrap();
    // What the reader hands on is the frames after the manifest, exactly as they were written.
    let written = read(&folder, "good.frames");
    let after_manifest = written.iter().position(|b| *b == b'\n').unwrap() + 1;
    let end = written[..written.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    assert_eq!(lines, &written[after_manifest..end]);
    assert_eq!(manifest.origin_device, DeviceId([0xd0; 16]).to_hex());
    assert_eq!(
        (manifest.format, manifest.created_ms),
        (3, 1_767_225_600_000)
    );
    for (name, expected) in failures {
        match read_stream(&read(&folder, name), &identity, &key) {
            Err(error) => assert!(expected(&error), "{name}: {error:?}"),
            Ok(_) => panic!("{name} opened"),
        }
    }
}

/// docs/bundle-format.md's steps for the office, run as written on the committed vector: Go age,
/// zstd, jq, sha256sum, xxd and openssl, no Hearth. The signature verifies on the good bundle and
/// not on the forged one.
#[test]
fn the_office_checks_a_streaming_bundle_with_the_documented_commands() {
    let folder = folder("bundle-v2");
    let scratch = tempfile::tempdir().unwrap();
    let steps = |bundle: &str| {
        std::process::Command::new("bash")
            .arg("-euo")
            .arg("pipefail")
            .arg("-c")
            .arg(format!(
                r#"
                age -d -i '{identity}' -o bundle.container '{bundle}'
                test "$(head -c 17 bundle.container)" = hearth-bundle/v2
                tail -c +18 bundle.container | zstd -dc > frames.jsonl
                test "$(tail -n 1 frames.jsonl | jq -r .frames)" = "$(head -n -1 frames.jsonl | wc -l)"
                test "$(tail -n 1 frames.jsonl | jq -r .sha256)" = "$(head -n -1 frames.jsonl | sha256sum | cut -d' ' -f1)"
                origin=$(head -n 1 frames.jsonl | jq -r .origin_device)
                jq -r --arg d "$origin" 'select(.frame == "roster") | .devices[] | select(.device == $d) | .signing_key'                   frames.jsonl | base64 -d > origin.key
                {{ printf '302a300506032b6570032100' | xxd -r -p; cat origin.key; }} > origin.der
                openssl pkey -pubin -inform DER -in origin.der -out origin.pem
                frames=$(tail -n 1 frames.jsonl | jq -r .frames)
                sha=$(tail -n 1 frames.jsonl | jq -r .sha256)
                printf 'hearth-bundle/v2
frames %s
sha256 %s
' "$frames" "$sha" > signed.txt
                tail -n 1 frames.jsonl | jq -r .signature | xxd -r -p > signature.bin
                openssl pkeyutl -verify -pubin -inkey origin.pem -rawin -in signed.txt -sigfile signature.bin
                "#,
                identity = folder.join("identity.txt").display(),
                bundle = folder.join(bundle).display(),
            ))
            .current_dir(scratch.path())
            .output()
            .expect("bash, age, zstd, jq, xxd and openssl are installed by make deps")
    };
    let good = steps("good.age");
    assert!(
        good.status.success(),
        "{}{}",
        String::from_utf8_lossy(&good.stdout),
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(String::from_utf8_lossy(&good.stdout).contains("Signature Verified Successfully"));
    let forged = steps("fail_forged_signature.age");
    assert!(!forged.status.success(), "a forged signature verified");
    assert!(!String::from_utf8_lossy(&forged.stdout).contains("Verified Successfully"));
}

#[test]
fn checkpoint_vectors() {
    let folder = folder("checkpoint");
    let failures: &[(&str, &str)] = &[
        ("fail_size_changed.txt", "does not verify"),
        ("fail_signature_changed.txt", "does not verify"),
        ("fail_no_blank_line.txt", "no blank line"),
        ("fail_other_device.txt", "no signature by the device"),
    ];
    let mut names = vec!["good.txt"];
    names.extend(failures.iter().map(|(name, _)| *name));
    assert_files(&folder, &names);

    let key = SigningKey::from_bytes(&[3; 32]).verifying_key();
    let text = String::from_utf8(read(&folder, "good.txt")).unwrap();
    let good = checkpoint::parse(&text, &key).unwrap();
    assert_eq!(good.device, DeviceId([0x5e; 16]));
    assert_eq!((good.size, good.head), (1_000, [7; 32]));
    for (name, words) in failures {
        let text = String::from_utf8(read(&folder, name)).unwrap();
        match checkpoint::parse(&text, &key) {
            Err(why) => assert!(why.contains(words), "{name}: {why}"),
            Ok(_) => panic!("{name} was accepted"),
        }
    }
}
